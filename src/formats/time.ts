/** Time helpers shared by the parsers: month names, ctime stamps and local-time → UTC conversion. */
import { isoSeconds } from '../timestamp.js';

const MONTHS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

export function monthNumber(name: string): number | undefined {
  return MONTHS[name];
}

/** The machine's zone: the default for `--tz`. */
export function systemZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Throws a RangeError naming the zone when it is not a known IANA zone. */
export function assertZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new RangeError(`unknown time zone '${tz}' (use an IANA name such as Europe/Berlin or UTC)`);
  }
}

const DAY = 86_400_000;
/** Offsets are cached per quarter hour of local time: zone changes fall on such boundaries. */
const BUCKET = 900_000;

/**
 * Converts wall-clock times in one zone to UTC, correctly across DST changes. The zone's offset is
 * looked up once per local quarter hour, so a night of logs costs a few Intl calls, not one per line.
 * A local time that occurs twice (DST ends) is read as its first occurrence; one that never occurs
 * (DST starts) is moved forward by the gap, as clocks do.
 */
export class ZoneClock {
  private readonly utc: boolean;
  private readonly fmt: Intl.DateTimeFormat | null;
  private readonly offsets = new Map<number, number>();

  constructor(readonly zone: string) {
    assertZone(zone);
    this.utc = /^(UTC|Etc\/UTC|Etc\/GMT|GMT)$/i.test(zone);
    this.fmt = this.utc
      ? null
      : new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
  }

  /** Milliseconds since the epoch for a wall-clock time in this zone; NaN for an impossible date. */
  toUtcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const local = wallClockMs(year, month, day, hour, minute, second);
    if (Number.isNaN(local) || this.utc) return local;
    const bucket = Math.floor(local / BUCKET);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = this.offsetFor(local);
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return local - offset;
  }

  /** The offset (local − UTC, ms) to subtract from a wall-clock time. */
  private offsetFor(local: number): number {
    const before = this.offsetAt(local - DAY);
    const after = this.offsetAt(local + DAY);
    if (before === after) return before;
    // A change within a day: keep the offsets under which this wall-clock time really occurs.
    const valid = [before, after].filter((o) => this.offsetAt(local - o) === o);
    if (valid.length === 0) return before; // in the gap: the old offset carries the time forward
    return Math.max(...valid); // both valid: the larger offset is the earlier instant
  }

  private offsetAt(utcMs: number): number {
    const parts = this.fmt!.formatToParts(utcMs);
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    const asLocal = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return asLocal - Math.floor(utcMs / 1000) * 1000;
  }
}

/**
 * The first year a log line may carry. FTP logs begin long after it; a year before it (0000, 0099)
 * is a damaged stamp, which Date.UTC would even read as 1900-1999.
 */
export const FIRST_YEAR = 1970;

/** Wall-clock components as if they were UTC; NaN when the date does not exist (Feb 30, a year before FIRST_YEAR). */
export function wallClockMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (year < FIRST_YEAR || year > 9999) return NaN;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls Feb 30 over into March; a log that says Feb 30 is wrong, not March.
  return new Date(ms).getUTCDate() === day ? ms : NaN;
}


/**
 * `Tue Mar  5 14:03:27 2024` at `pos` (xferlog and vsftpd): day space- or zero-padded, any run of
 * spaces between fields. The weekday is not checked against the date: servers get it right and a
 * mismatch would not change the instant.
 */
const CTIME = /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) +(\d{2}):(\d{2}):(\d{2}) +(\d{4})(?= |$)/y;

/**
 * Reads ctime stamps for one source, remembering the last one: busy logs repeat the same second on
 * many lines, and then the stamp costs one string comparison. The fixed 24-character layout is read
 * by position; anything else (extra spaces) goes through the regular expression.
 */
export class CtimeReader {
  private lastText = '';
  private lastIso: string | null = null;
  /** The stamp's time as `ts` text, or null when the stamp names an impossible date; set by read(). */
  iso: string | null = null;
  /** Why `iso` is null: a reject reason. */
  problem = '';

  constructor(private readonly clock: ZoneClock) {}

  /** Index just past the stamp's year, or -1 when no stamp starts at `pos`. */
  read(line: string, pos: number): number {
    const last = this.lastText;
    const end = pos + last.length;
    // A slice compared with === beats startsWith here (a builtin call per line, ~1.7x slower).
    if (last.length > 0 && line.slice(pos, end) === last) {
      if (end === line.length || line.charCodeAt(end) === 32) {
        this.iso = this.lastIso;
        return end;
      }
    }
    let stampEnd = pos + 24;
    let ms = this.fixed(line, pos);
    if (ms === undefined) {
      CTIME.lastIndex = pos;
      const m = CTIME.exec(line);
      if (!m) return -1;
      stampEnd = CTIME.lastIndex;
      ms = this.clock.toUtcMs(+m[6]!, MONTHS[m[1]!]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
    }
    this.iso = Number.isNaN(ms) ? null : isoSeconds(ms);
    if (this.iso === null) {
      const year = Number(line.slice(stampEnd - 4, stampEnd));
      this.problem = year < FIRST_YEAR ? `year ${line.slice(stampEnd - 4, stampEnd)} in the date is before ${FIRST_YEAR}` : 'impossible date';
    }
    this.lastText = line.slice(pos, stampEnd);
    this.lastIso = this.iso;
    return stampEnd;
  }

  /** `Www Mmm dd hh:mm:ss yyyy` with single spaces (day space- or zero-padded); undefined when the line is laid out otherwise. */
  private fixed(line: string, p: number): number | undefined {
    if (line.length < p + 24 || (line.length > p + 24 && line.charCodeAt(p + 24) !== 32)) return undefined;
    if (line.charCodeAt(p + 3) !== 32 || line.charCodeAt(p + 7) !== 32 || line.charCodeAt(p + 10) !== 32 ||
        line.charCodeAt(p + 13) !== 58 || line.charCodeAt(p + 16) !== 58 || line.charCodeAt(p + 19) !== 32) return undefined;
    if (!WEEKDAYS.has(line.slice(p, p + 3))) return undefined;
    const month = MONTHS[line.slice(p + 4, p + 7)];
    const d1 = line.charCodeAt(p + 8);
    const day = (d1 === 32 ? 0 : digit(d1)) * 10 + digit(line.charCodeAt(p + 9));
    const hour = digit(line.charCodeAt(p + 11)) * 10 + digit(line.charCodeAt(p + 12));
    const minute = digit(line.charCodeAt(p + 14)) * 10 + digit(line.charCodeAt(p + 15));
    const second = digit(line.charCodeAt(p + 17)) * 10 + digit(line.charCodeAt(p + 18));
    const year = digit(line.charCodeAt(p + 20)) * 1000 + digit(line.charCodeAt(p + 21)) * 100 +
      digit(line.charCodeAt(p + 22)) * 10 + digit(line.charCodeAt(p + 23));
    if (month === undefined || Number.isNaN(day + hour + minute + second + year)) return undefined;
    return this.clock.toUtcMs(year, month, day, hour, minute, second);
  }
}

const WEEKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : NaN;
}

/** Does a ctime stamp start at `pos`? (No conversion: for format sniffing.) */
export function looksLikeCtime(line: string, pos = 0): boolean {
  CTIME.lastIndex = pos;
  return CTIME.test(line);
}
