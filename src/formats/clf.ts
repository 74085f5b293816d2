import { monthNumber } from './time.js';

/**
 * The Common Log Format lines two servers write beside their own logs: ProFTPD's default
 * ExtendedLog (`%h %l %u %t "%r" %s %b`, and its `auth` format `%v [%P] %h %t "%r" %s`) and
 * Pure-FTPd's `clf:` log. `host ident user [05/Mar/2024:
 * 14:03:21 +0100] "request" status bytes`. The request is the client's text (quotes and all), so the
 * line is read from both ends: the host, ident, user and time before it, the status and bytes after.
 */
export interface ClfLine {
  host: string;
  user: string | null;
  /** The process (ProFTPD's `auth` format only). */
  pid: string | null;
  /** The stamp's wall-clock fields. */
  day: number; month: number; year: number; hour: number; minute: number; second: number;
  /** Minutes east of UTC as written: `+0100` is 60. */
  offset: number;
  request: string;
  status: number | null;
  bytes: number | null;
}

const HEAD = /^(\S+) (\S+) (\S+) \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\] "/;
const TAIL = /" (\d{3}|-)(?: (\d+|-))?$/;
/** ProFTPD's `auth` LogFormat: `<vhost> [<pid>] <host> [<time>] "<request>" <status>`; its pid is where the user is elsewhere. */
const AUTH_HEAD = /^\S+ \[(\d+)\] (\S+) ()\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\] "/;

export function parseClf(line: string): ClfLine | null {
  const h = AUTH_HEAD.exec(line) ?? HEAD.exec(line);
  if (!h) return null;
  const t = TAIL.exec(line);
  if (!t || t.index < h[0].length) return null;
  const month = monthNumber(h[5]!);
  if (month === undefined) return null;
  const offset = (h[10] === '-' ? -1 : 1) * (+h[11]! * 60 + +h[12]!);
  const auth = h[3] === '';
  return {
    host: auth ? h[2]! : h[1]!, user: auth || h[3] === '-' ? null : h[3]!, pid: auth ? h[1]! : null,
    day: +h[4]!, month, year: +h[6]!, hour: +h[7]!, minute: +h[8]!, second: +h[9]!, offset,
    request: line.slice(h[0].length, t.index),
    status: t[1] === '-' ? null : +t[1]!,
    bytes: t[2] === undefined || t[2] === '-' ? null : Number(t[2]),
  };
}

/** The instant of a CLF stamp whose zone is `offset` minutes east of UTC; NaN for an impossible date. */
export function clfInstant(c: ClfLine, offset: number): number {
  const utc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  const d = new Date(utc);
  if (d.getUTCDate() !== c.day || d.getUTCMonth() !== c.month - 1 || c.hour > 23 || c.minute > 59 || c.second > 60) return NaN;
  return utc - offset * 60_000;
}

/** Looks like a CLF line (for sniffing). */
export function looksLikeClf(line: string): boolean {
  return (HEAD.test(line) || AUTH_HEAD.test(line)) && TAIL.test(line);
}
