/**
 * Time zones: the machine's, checking a name, wall-clock time in a zone to UTC (reading logs) and
 * UTC to wall-clock time with its offset (showing times in the reader's zone).
 */

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

  /** An instant as this zone's wall-clock time with its offset: `2026-12-02T01:00:00+01:00` (`…Z` in UTC). */
  showIso(utcMs: number): string {
    if (this.utc) return new Date(Math.floor(utcMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const offset = this.offsetAt(utcMs);
    const local = new Date(Math.floor(utcMs / 1000) * 1000 + offset).toISOString().slice(0, 19);
    const minutes = Math.abs(offset) / 60_000;
    return `${local}${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  }

  /** The calendar date (`2026-12-02`) of an instant in this zone. */
  dateOf(utcMs: number): string {
    return new Date(utcMs + (this.utc ? 0 : this.offsetAt(utcMs))).toISOString().slice(0, 10);
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

