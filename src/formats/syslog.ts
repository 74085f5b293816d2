import { isoSeconds } from '../timestamp.js';
import { monthNumber, type ZoneClock } from './time.js';

/**
 * The header syslog puts before a program's message, in either form rsyslog writes:
 * traditional `Mar  5 14:03:21 host prog[pid]: msg` (local time, no year) or
 * RFC 3339 `2024-03-05T14:03:21.123+01:00 host prog[pid]: msg` (exact instant).
 */
export interface SyslogLine {
  ts: string;
  host: string;
  program: string;
  pid: string | null;
  /** Index in the line where the message starts. */
  bodyStart: number;
}

const TRADITIONAL = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: /;
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2}) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: /;

/**
 * Traditional syslog stamps have no year. The first line's year is `--year` or, by default, the year
 * of the source's mtime, less one when the line's month is later than the mtime's (a file written in
 * January holding December lines). A jump from December back to January moves to the next year.
 */
export class SyslogYear {
  private year: number;
  private lastMonth = 0;
  private readonly referenceMonth: number;

  constructor(
    referenceDate: Date,
    private readonly fixedYear: number | undefined,
  ) {
    this.year = fixedYear ?? referenceDate.getUTCFullYear();
    this.referenceMonth = referenceDate.getUTCMonth() + 1;
  }

  yearFor(month: number): number {
    if (this.lastMonth === 0 && this.fixedYear === undefined && month > this.referenceMonth) this.year -= 1;
    else if (this.lastMonth === 12 && month === 1) this.year += 1;
    this.lastMonth = month;
    return this.year;
  }
}

/** Parses a syslog header; `null` when the line has none, or the stamp is no real date. */
export function parseSyslog(line: string, clock: ZoneClock, years: SyslogYear): SyslogLine | null {
  let m = TRADITIONAL.exec(line);
  if (m) {
    const month = monthNumber(m[1]!)!;
    const ms = clock.toUtcMs(years.yearFor(month), month, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
    if (Number.isNaN(ms)) return null;
    return { ts: isoSeconds(ms), host: m[6]!, program: m[7]!, pid: m[8] ?? null, bodyStart: m[0].length };
  }
  m = RFC3339.exec(line);
  if (m) {
    const ms = Date.parse(m[1]! + m[2]!);
    if (Number.isNaN(ms)) return null;
    return { ts: isoSeconds(ms), host: m[3]!, program: m[4]!, pid: m[5] ?? null, bodyStart: m[0].length };
  }
  return null;
}
