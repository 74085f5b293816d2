import { isoSeconds } from '../timestamp.js';
import { monthNumber } from './time.js';
import type { ZoneClock } from '../zone.js';

/**
 * The header syslog puts before a program's message, in the forms rsyslog and journalctl write:
 * - traditional `Mar  5 14:03:21 host prog[pid]: msg` (local time, no year; journalctl `short` pads
 *   the day with a zero, `short-precise` adds `.123456`);
 * - RFC 3339 `2024-03-05T14:03:21.123+01:00 host prog[pid]: msg` (rsyslog's file format, journalctl
 *   `short-iso` and `short-iso-precise`): 0-6 fraction digits, then `Z`, an offset or, from some
 *   templates, no zone at all (then the time is local, read with --tz);
 * - RFC 5424 `<30>1 2024-03-05T14:03:21.123Z host prog 4120 - - msg` (`-` for a missing value);
 * - busybox's and OpenWrt's `logread`: `Tue Mar  5 14:03:21 2024 daemon.info prog[pid]: msg` (no host).
 * A `[facility.severity]` (custom templates) or `facility.severity` (busybox) before the tag is passed over.
 */
export interface SyslogLine {
  ts: string;
  /** The sending host; none in logread's lines. */
  host: string | null;
  program: string;
  pid: string | null;
  /** Index in the line where the message starts. */
  bodyStart: number;
  /** The stamp has no year (traditional syslog, journalctl `short`): the year was inferred. */
  yearless: boolean;
}

const FACILITY_SEVERITY = '(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console|local[0-7])\\.(?:emerg|panic|alert|crit|err|error|warn|warning|notice|info|debug)';
const LEVEL = `(?:\\[[a-z0-9]+\\.[a-z]+\\] |${FACILITY_SEVERITY} )?`;
// `prog[pid] ` without the colon: ProFTPD's own writer puts its server name there (`proftpd[12] ftp.example.com (…): msg`).
const PROGRAM = '([^\\s:[]+)(?:\\[(\\d+)\\]:? |: )';
const TAG = `${LEVEL}${PROGRAM}`;
const TRADITIONAL = new RegExp(`^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d{1,6})? (\\S+) ${TAG}`);
const STAMP = '(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d{1,6})?(Z|[+-]\\d{2}:?\\d{2})?';
const RFC3339 = new RegExp(`^${STAMP} (\\S+) ${TAG}`);
const LOGREAD = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4}) ${FACILITY_SEVERITY} ${PROGRAM}`);
const RFC5424 = new RegExp(`^<\\d{1,3}>1 ${STAMP} (\\S+) (\\S+) (\\S+) \\S+ (?:-|(?:\\[(?:[^\\]"]|"(?:[^"\\\\]|\\\\.)*")*\\])+) ?`);

/**
 * A stamp past the source's time by at most this much keeps the source's year: only a wrong --tz
 * puts a line after the file's last write, and then by hours, never by a year.
 */
const ZONE_SLACK_MS = 86_400_000;

/**
 * Traditional syslog stamps have no year. By default a line takes the latest year that does not put
 * it after the source's modification time: a file written on Jan 2 holds last December's Dec 31,
 * and no line is dated in the future. With --year, the first line takes that year and a jump from
 * December back to January moves to the next.
 */
export class SyslogYear {
  private year: number;
  private lastMonth = 0;
  private readonly latestMs: number;

  constructor(
    referenceDate: Date,
    private readonly fixedYear: number | undefined,
  ) {
    this.year = fixedYear ?? referenceDate.getUTCFullYear();
    this.latestMs = referenceDate.getTime() + ZONE_SLACK_MS;
  }

  /** The instant of a stamp without a year, read on `clock`; NaN when no year makes it a real date. */
  instant(clock: ZoneClock, month: number, day: number, hour: number, minute: number, second: number): number {
    if (this.fixedYear === undefined) {
      const ms = clock.toUtcMs(this.year, month, day, hour, minute, second);
      // Not after the source's time: else (or when this year has no such day, Feb 29) the year before.
      return ms <= this.latestMs ? ms : clock.toUtcMs(this.year - 1, month, day, hour, minute, second);
    }
    if (this.lastMonth === 12 && month === 1) this.year += 1;
    this.lastMonth = month;
    return clock.toUtcMs(this.year, month, day, hour, minute, second);
  }
}

/** Parses a syslog header; `null` when the line has none, or the stamp is no real date. */
export function parseSyslog(line: string, clock: ZoneClock, years: SyslogYear): SyslogLine | null {
  let m = TRADITIONAL.exec(line);
  if (m) {
    const month = monthNumber(m[1]!)!;
    const ms = years.instant(clock, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
    if (Number.isNaN(ms)) return null;
    return { ts: isoSeconds(ms), host: m[6]!, program: m[7]!, pid: m[8] ?? null, bodyStart: m[0].length, yearless: true };
  }
  if (line.charCodeAt(3) === 32 && (m = LOGREAD.exec(line))) {
    const ms = clock.toUtcMs(+m[6]!, monthNumber(m[1]!)!, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
    if (Number.isNaN(ms)) return null;
    return { ts: isoSeconds(ms), host: null, program: m[7]!, pid: m[8] ?? null, bodyStart: m[0].length, yearless: false };
  }
  m = RFC3339.exec(line);
  if (m) {
    const ms = stampMs(m, clock);
    if (Number.isNaN(ms)) return null;
    return { ts: isoSeconds(ms), host: m[8]!, program: m[9]!, pid: m[10] ?? null, bodyStart: m[0].length, yearless: false };
  }
  if (line.charCodeAt(0) === 60 /* < */ && (m = RFC5424.exec(line))) {
    const ms = stampMs(m, clock);
    if (Number.isNaN(ms) || m[9] === '-') return null;
    return { ts: isoSeconds(ms), host: m[8]!, program: m[9]!, pid: m[10] === '-' ? null : m[10]!, bodyStart: m[0].length, yearless: false };
  }
  return null;
}

/** The instant of a STAMP match (groups 1-7): its own zone, or the clock's when it names none. */
function stampMs(m: RegExpExecArray, clock: ZoneClock): number {
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => +m[i]!) as [number, number, number, number, number, number];
  const zone = m[7];
  if (zone === undefined) return clock.toUtcMs(year, month, day, hour, minute, second);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(utc).getUTCDate() !== day || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return NaN;
  if (zone === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const offset = +zone.slice(1, 3) * 60 + +zone.slice(-2);
  return utc - sign * offset * 60_000;
}

/**
 * rsyslog writes a control character it receives as `#` and three octal digits (`#011` a tab, `#012`
 * a line feed) and, with `$Escape8BitCharactersOnReceive`, every byte over 127 too (`#303#251` for
 * `é`). Those come back as the text the program logged; `#` with any other digits is left alone (a
 * literal `#011` in client text reads as a tab: rsyslog does not escape `#` itself, so the two cannot
 * be told apart).
 */
function unescapeSyslog(body: string): string {
  if (body.indexOf('#') < 0) return body;
  return body.replace(/(?:#[0-3][0-7][0-7])+/g, (run) => {
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i += 4) bytes.push(parseInt(run.slice(i + 1, i + 4), 8));
    let out = '';
    let high: number[] = [];
    const flush = () => {
      if (high.length > 0) out += Buffer.from(high).toString('utf8');
      high = [];
    };
    for (let k = 0; k < bytes.length; k++) {
      const b = bytes[k]!;
      if (b >= 128) high.push(b);
      else {
        flush();
        out += b < 32 || b === 127 ? String.fromCharCode(b) : run.slice(k * 4, k * 4 + 4);
      }
    }
    flush();
    return out;
  });
}

/** A syslog line's message with rsyslog's `#ooo` escapes undone, and the line with that message (the line itself when nothing was escaped). */
export function unescapedMessage(line: string, sys: SyslogLine): { body: string; line: string } {
  const body = unescapeSyslog(line.slice(sys.bodyStart));
  return { body, line: body.length === line.length - sys.bodyStart ? line : line.slice(0, sys.bodyStart) + body };
}

/**
 * A syslog line's header and its message (as unescapedMessage gives them) when one of `programs`
 * wrote it (lower-case idents); `other` for another program's line; null when the line has no header.
 */
export function syslogMessage(line: string, clock: ZoneClock, years: SyslogYear, programs: readonly string[]):
  { sys: SyslogLine; body: string; line: string } | 'other' | null {
  const sys = parseSyslog(line, clock, years);
  if (!sys) return null;
  if (!programs.includes(sys.program.toLowerCase())) return 'other';
  return { sys, ...unescapedMessage(line, sys) };
}

/** journalctl writes `[27B blob data]` for a message that is not valid UTF-8 unless given --all. */
export function isJournalBlob(body: string): boolean {
  return /^\[[\d.]+[KMGTPE]?B? blob data\]$/.test(body);
}

/** journalctl's own lines between entries: `-- Journal begins at … --`, `-- Boot 3f2a… --`, `-- No entries --`. */
export function isJournalMarker(line: string): boolean {
  return line.startsWith('-- ') && line.endsWith(' --');
}

/** The program a syslog line's tag names, lower-cased (`vsftpd(pam_unix)` is vsftpd's); null when the line has no header. */
export function syslogProgram(line: string): string | null {
  const m = TRADITIONAL.exec(line) ?? RFC3339.exec(line);
  if (m) return programName(m[m.length - 2]!);
  if (line.charCodeAt(0) === 60) {
    const r = RFC5424.exec(line);
    if (r) return programName(r[9]!);
  }
  const l = line.charCodeAt(3) === 32 ? LOGREAD.exec(line) : null;
  return l ? programName(l[7]!) : null;
}

/** A tag's program, lower-cased: `vsftpd(pam_unix)` is vsftpd's. */
export function programName(tag: string): string {
  const paren = tag.indexOf('(');
  return (paren > 0 ? tag.slice(0, paren) : tag).toLowerCase();
}

/** Does the line start with a syslog header of any form parseSyslog reads? (No conversion: for detection.) */
export function looksLikeSyslog(line: string): boolean {
  return TRADITIONAL.test(line) || RFC3339.test(line) || (line.charCodeAt(0) === 60 && RFC5424.test(line)) || LOGREAD.test(line);
}
