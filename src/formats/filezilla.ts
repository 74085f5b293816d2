import { outcomeOfReply } from '../codes/replyCodes.js';
import { normalizeIp } from './net.js';
import { remember } from './remember.js';
import { isoSeconds } from '../timestamp.js';
import { ZoneClock } from '../zone.js';
import { detailText, emit, newEvent, reject, SKIP, type LineParser, type LineResult, type ParserOptions, type ServerFormat } from './types.js';
import type { FtpEvent } from '../event.js';

/**
 * FileZilla Server's logs.
 * - 0.9 (`FileZilla Server.log`, `fzs-2024-03-05.log`): `(000123) 3/5/2024 14:03:21 - bob
 *   (203.0.113.9)> 530 Login or password incorrect!`. The id is the connection's; the user is `(not
 *   logged in)` until a login; the text a client command or a server reply. The date is in the
 *   service account's short-date picture (`M/d/yyyy`, `dd.MM.yyyy`, `yyyy-MM-dd`, two-digit years…),
 *   the time local, 24-hour digits with maybe an AM/PM marker after them. Status lines of the server
 *   itself have no id and no date.
 * - 1.x: `2024-03-05T14:03:21.123Z >> [FTP Session 12 203.0.113.9] PASS ****`, in UTC; `>>` a
 *   client command, `<<` a reply, `==` status, `!!` error; the session's user joins its bracket once
 *   it has logged in.
 * Neither logs a login as such: a 230 reply is one, and a 530 reply to PASS a failed one, named with
 * the session's USER.
 */

// Some builds write no space after the id: `(000001)3/5/2024 …`.
const OLD_LINE = /^\((\d{6,})\) ?(\d{1,4}[^\d\s]\d{1,2}[^\d\s]\d{1,4}\.?) (\d{1,2}):(\d{2}):(\d{2})(?: (\S+))? - /;
const OLD_UNDATED = /^\((\d{6,})\)- /;
const NEW_LINE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z (==|!!|>>|<<|WW|DW|DI|DV|DD|PP|Status:|Error:|Command:|Reply:|Warning:|Debug:|Trace:) /;
const NEW_SESSION = /^\[FTP Session (\d+) ([0-9A-Fa-f.:]+)(?: ([^\]]*))?\] /;
/** Where the 0.9 user part ends: the first `(<address>)> ` after ` - ` (a logged-in name is an account's). */
const OLD_CLIENT = /\(([0-9A-Fa-f.:]+)\)> /g;

type DayOrder = 'DMY' | 'MDY' | 'YMD';

interface Session {
  key: string;
  user: string | null;
  /** The last command the client sent: a reply answers it. */
  last: string | null;
  /** The file of the last RETR/STOR/APPE, which a 226 or 426 reply ends. */
  transfer: { command: string; path: string | null } | null;
}

function createParser(options: ParserOptions): LineParser {
  const local = new ZoneClock(options.tz);
  const utc = new ZoneClock('UTC');
  const sessions = new Map<string, Session>();
  const nameDate = dateInName(options.sourceName);
  const latest = options.referenceDate.getTime() + 86_400_000;
  let order: DayOrder | null = null;
  /** The last dated line's first two date fields and time of day: a roll-over past midnight tells the order. */
  let previous: { a: number; b: number; second: number } | null = null;
  let lastTs: string | null = null;
  let ambiguous = 0;

  function session(id: string, ts: string, start: boolean): Session {
    let s = sessions.get(id);
    if (!s || start) {
      s = { key: `${ts} #${id}`, user: null, last: null, transfer: null };
      remember(sessions, id, s);
    }
    return s;
  }

  /** A 0.9 date in the machine's picture: the day order is the file's, from its values. */
  function oldDate(text: string, hour: number, minute: number, second: number): { ms: number; unsure: boolean } {
    const parts = text.split(/[^\d]+/).filter((p) => p.length > 0).map(Number);
    const [a, b, c] = parts as [number, number, number];
    if (/^\d{4}/.test(text)) order = 'YMD';
    else if (order === null && a > 12) order = 'DMY';
    else if (order === null && b > 12) order = 'MDY';
    else if (order === null && previous !== null && hour * 3600 + minute * 60 + second < previous.second) {
      // Past midnight the day moves on by one and the month stays (or the day starts again at 1).
      if (b === previous.b && a === previous.a + 1) order = 'DMY';
      else if (a === previous.a && b === previous.b + 1) order = 'MDY';
    }
    previous = { a, b, second: hour * 3600 + minute * 60 + second };
    const year = (n: number) => (n < 100 ? 2000 + n : n);
    const at = (o: DayOrder) =>
      o === 'YMD' ? local.toUtcMs(a, b, c, hour, minute, second)
      : o === 'DMY' ? local.toUtcMs(year(c), b, a, hour, minute, second)
      : local.toUtcMs(year(c), a, b, hour, minute, second);
    if (order !== null) return { ms: at(order), unsure: false };
    if (nameDate !== null) {
      for (const o of ['DMY', 'MDY'] as const) {
        const ms = at(o);
        if (!Number.isNaN(ms) && isoSeconds(ms).slice(0, 10) === nameDate) {
          order = o;
          return { ms, unsure: false };
        }
      }
    }
    if (a === b) return { ms: at('MDY'), unsure: false };
    // Still both: a line is not after its file was last written, and is most likely close before it.
    const dmy = at('DMY');
    const mdy = at('MDY');
    const fits = [dmy, mdy].filter((ms) => !Number.isNaN(ms) && ms <= latest);
    if (fits.length === 1) return { ms: fits[0]!, unsure: false };
    return { ms: fits.length === 0 ? NaN : Math.max(...fits), unsure: true };
  }

  function parse(line: string): LineResult {
    if (line.charCodeAt(0) === 35 /* # */) return SKIP.comment;
    const n = NEW_LINE.exec(line);
    if (n) return newLine(line, n);
    const o = OLD_LINE.exec(line);
    if (o) {
      const when = oldDate(o[2]!, hour24(+o[3]!, o[6]), +o[4]!, +o[5]!);
      if (Number.isNaN(when.ms)) return reject(`filezilla: '${o[2]}' is no date in any day order`);
      const ts = isoSeconds(when.ms);
      lastTs = ts;
      if (when.unsure) ambiguous++;
      return oldLine(line, o[1]!, ts, o[0].length, when.unsure ? 'ambiguous-date' : null);
    }
    const u = OLD_UNDATED.exec(line);
    if (u) return oldLine(line, u[1]!, lastTs ?? isoSeconds(options.referenceDate.getTime()), u[0].length, 'no-timestamp');
    if (/^(?:FileZilla Server|Initializing|Creating listen socket|Server (?:online|offline)|Closing|Failed to create listen socket|Connected to the server|Retrieving settings|Done retrieving settings|Logged on|Settings changed)/.test(line)) {
      return SKIP.status;
    }
    return reject('filezilla: line starts with neither "(000123) <date> <time> - " nor a 1.x stamp like "2024-03-05T14:03:21.123Z"');
  }

  function oldLine(line: string, id: string, ts: string, at: number, flag: string | null): LineResult {
    OLD_CLIENT.lastIndex = at;
    const c = OLD_CLIENT.exec(line);
    if (!c) return reject('filezilla: no "(<address>)> " after the user');
    const user = line.slice(at, c.index - 1);
    const text = line.slice(OLD_CLIENT.lastIndex);
    const start = text.startsWith('Connected on port') || text.startsWith('Connected, sending welcome message');
    const s = session(id, ts, start);
    const e = said(text, ts, s, user === '(not logged in)' ? null : user);
    e.clientIp = normalizeIp(c[1]!);
    e.session = s.key;
    if (flag) e.flags = flag;
    return emit(e);
  }

  function newLine(line: string, n: RegExpExecArray): LineResult {
    const ms = utc.toUtcMs(+n[1]!, +n[2]!, +n[3]!, +n[4]!, +n[5]!, +n[6]!);
    if (Number.isNaN(ms)) return reject('filezilla: impossible date');
    const ts = isoSeconds(ms);
    const tag = n[7]!;
    const rest = line.slice(n[0].length);
    const m = NEW_SESSION.exec(rest);
    if (!m) {
      const e = newEvent(ts, 'debug', tag === '!!' || tag === 'Error:' ? 'fail' : 'ok');
      const ended = /^\[FTP Server\] Session (\d+) ended (gracefully|with error)/.exec(rest);
      if (ended) {
        const s = session(ended[1]!, ts, false);
        e.kind = 'disconnect';
        e.outcome = ended[2] === 'gracefully' ? 'ok' : 'fail';
        e.command = 'QUIT';
        e.session = s.key;
        sessions.delete(ended[1]!);
      }
      e.detail = detailText(rest);
      return emit(e);
    }
    const s = session(m[1]!, ts, false);
    const text = rest.slice(m[0].length);
    const isCommand = tag === '>>' || tag === 'Command:';
    const isReply = tag === '<<' || tag === 'Reply:';
    const e = isCommand || isReply ? said(text, ts, s, m[3] ?? null) : newEvent(ts, 'debug', tag === '!!' || tag === 'Error:' ? 'fail' : 'ok');
    if (!isCommand && !isReply) e.detail = detailText(text);
    e.clientIp = normalizeIp(m[2]!);
    e.session = s.key;
    return emit(e);
  }

  return {
    parse,
    counters: (): Record<string, number> => (ambiguous ? { ambiguousDates: ambiguous } : {}),
    resumeLines: () => [],
  };
}

/** A client command or server reply (or a 0.9 status text) as an event of session `s`, whose user is `user` when logged in. */
function said(text: string, ts: string, s: Session, user: string | null): FtpEvent {
  const reply = /^([1-6]\d\d)[ -](.*)$/.exec(text);
  if (reply) return replyEvent(+reply[1]!, reply[2]!, text, ts, s, user);
  const command = /^([A-Za-z]{3,4})(?: (.*))?$/.exec(text);
  if (command && !STATUS.test(text)) {
    const verb = command[1]!.toUpperCase();
    const arg = command[2] ?? null;
    const e = newEvent(ts, 'command', 'ok');
    e.command = verb;
    e.username = user ?? s.user;
    if (verb === 'PASS') e.detail = '***';
    else if (verb === 'USER') {
      s.user = arg;
      e.username = arg;
    } else if (TRANSFERS.has(verb)) {
      s.transfer = { command: verb, path: arg };
      e.path = arg;
    } else e.detail = arg === null ? null : detailText(arg);
    s.last = verb;
    return e;
  }
  const e = newEvent(ts, 'debug', 'ok');
  e.username = user;
  if (/^Connected(?: on port \d+)?, sending welcome message/.test(text)) {
    e.kind = 'connect';
    e.command = 'CONNECT';
  } else if (/^Refusing connection/.test(text)) {
    e.kind = 'connect';
    e.outcome = 'fail';
    e.command = 'CONNECT';
  } else if (text === 'disconnected.') {
    e.kind = 'disconnect';
    e.command = 'QUIT';
  } else if (text === 'could not send reply, disconnected.') {
    e.kind = 'disconnect';
    e.outcome = 'fail';
    e.command = 'QUIT';
  }
  e.detail = detailText(text);
  return e;
}

const TRANSFERS = new Set(['RETR', 'STOR', 'APPE', 'STOU']);
/** 0.9 status texts that would read as a command (a word of three or four letters). */
const STATUS = /^(?:disconnected\.|Connected)/;

function replyEvent(code: number, rest: string, text: string, ts: string, s: Session, user: string | null): FtpEvent {
  const e = newEvent(ts, 'reply', outcomeOfReply(code));
  e.replyCode = code;
  e.detail = detailText(text);
  e.username = user ?? s.user;
  const answersPass = s.last === 'PASS';
  if (code === 230) {
    e.kind = 'login';
    e.command = 'LOGIN';
    e.username = user ?? s.user;
  } else if ((code === 530 && answersPass) || /^530 Not logged in, user account has been disabled/.test(text) || code === 521) {
    e.kind = 'login';
    e.command = 'LOGIN';
  } else if (code === 421 && /banned/i.test(rest)) {
    e.kind = 'connect';
    e.command = 'CONNECT';
  } else if (code === 421) {
    e.kind = 'disconnect';
    e.command = 'TIMEOUT';
  } else if ((code === 226 || code === 426 || code === 425 || code === 451 || code === 550) && s.transfer && TRANSFERS.has(s.last ?? '')) {
    e.kind = 'transfer';
    e.command = s.transfer.command;
    e.direction = s.transfer.command === 'RETR' ? 'download' : 'upload';
    const quoted = /"(.*)"$/.exec(rest);
    e.path = quoted ? quoted[1]! : s.transfer.path;
  }
  if (code >= 200) s.last = null;
  return e;
}


/**
 * The hour of a 0.9 time: 24-hour digits with a marker after them (`14:03:20 PM`), or, from builds
 * before that, 12-hour ones (`2:03:20 PM`). Only the second has PM before 12 or AM at 12.
 */
function hour24(hour: number, marker: string | undefined): number {
  if (marker === 'PM' && hour < 12) return hour + 12;
  if (marker === 'AM' && hour === 12) return 0;
  return hour;
}

/** The day `fzs-2024-03-05.log` holds (FileZilla Server 0.9 names its daily logs by the local date). */
function dateInName(name: string | undefined): string | null {
  const m = name === undefined ? null : /^fzs-(\d{4})-(\d{2})-(\d{2})\b/i.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

export const filezilla: ServerFormat = {
  name: 'filezilla',
  description: "FileZilla Server's log: 0.9 (`(000123) <date> <time> - <user> (<ip>)> …`) and 1.x (ISO stamps, `>>`/`<<`)",
  sniff(line) {
    return (OLD_LINE.test(line) && line.includes(')> ')) || (NEW_LINE.test(line) && line.includes('] '));
  },
  createParser,
  samples: [
    {
      description: '0.9: a session with a failed and a successful login (M/d/yyyy, 12-hour marker after 24-hour digits), a download, a timeout',
      options: { tz: 'America/New_York', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        '(000012) 3/5/2024 14:03:20 PM - (not logged in) (203.0.113.9)> Connected on port 21, sending welcome message...',
        '(000012) 3/5/2024 14:03:21 PM - (not logged in) (203.0.113.9)> USER bob',
        '(000012) 3/5/2024 14:03:21 PM - (not logged in) (203.0.113.9)> 331 Password required for bob',
        '(000012) 3/5/2024 14:03:22 PM - (not logged in) (203.0.113.9)> PASS ********',
        '(000012) 3/5/2024 14:03:22 PM - (not logged in) (203.0.113.9)> 530 Login or password incorrect!',
        '(000012) 3/5/2024 14:03:25 PM - (not logged in) (203.0.113.9)> PASS ******',
        '(000012) 3/5/2024 14:03:25 PM - bob (203.0.113.9)> 230 Logged on',
        '(000012) 3/5/2024 14:03:30 PM - bob (203.0.113.9)> RETR /pub/report (final).pdf',
        '(000012) 3/5/2024 14:03:31 PM - bob (203.0.113.9)> 226 Successfully transferred "/pub/report (final).pdf"',
        '(000012) 3/5/2024 14:13:31 PM - bob (203.0.113.9)> 421 Connection timed out.',
        '(000012) 3/5/2024 14:13:31 PM - bob (203.0.113.9)> disconnected.',
        'FileZilla Server version 0.9.60 beta started',
      ],
      yields: [
        { event: { ts: '2024-03-05T19:03:20Z', kind: 'connect', outcome: 'ok', clientIp: '203.0.113.9', session: '2024-03-05T19:03:20Z #000012' } },
        { event: { kind: 'command', command: 'USER', username: 'bob' } },
        { event: { kind: 'reply', replyCode: 331, outcome: 'pending' } },
        { event: { kind: 'command', command: 'PASS', detail: '***' } },
        { event: { kind: 'login', outcome: 'fail', replyCode: 530, username: 'bob', clientIp: '203.0.113.9', session: '2024-03-05T19:03:20Z #000012' } },
        { event: { kind: 'command', command: 'PASS' } },
        { event: { kind: 'login', outcome: 'ok', replyCode: 230, username: 'bob' } },
        { event: { kind: 'command', command: 'RETR', path: '/pub/report (final).pdf' } },
        { event: { kind: 'transfer', outcome: 'ok', direction: 'download', path: '/pub/report (final).pdf', replyCode: 226 } },
        { event: { kind: 'disconnect', outcome: 'fail', replyCode: 421 } },
        { event: { kind: 'disconnect', outcome: 'ok' } },
        { skip: 'status' },
      ],
    },
    {
      description: '0.9: the day first (a day over 12 settles it), a two-digit year, a refused connection, a ban, a line without a date, one with no space after the id and a 12-hour time',
      options: { tz: 'UTC', referenceDate: new Date('2024-03-31T00:00:00Z') },
      lines: [
        '(000101) 28.03.24 09:00:01 - (not logged in) (198.51.100.4)> Connected on port 21, sending welcome message...',
        '(000101) 01.03.24 09:00:02 - (not logged in) (198.51.100.4)> 421 Temporarily banned for too many failed login attempts',
        '(000102) 28.03.24 09:00:03 - (not logged in) (198.51.100.5)> Refusing connection. Reason: Max. connection count reached.',
        '(000103)- (not logged in) (198.51.100.6)> USER admin',
        '(000104)28.03.24 2:05:00 PM - (not logged in) (198.51.100.7)> USER guest',
      ],
      yields: [
        { event: { ts: '2024-03-28T09:00:01Z', kind: 'connect' } },
        { event: { ts: '2024-03-01T09:00:02Z', kind: 'connect', outcome: 'fail' } },
        { event: { kind: 'connect', outcome: 'fail', clientIp: '198.51.100.5' } },
        { event: { ts: '2024-03-28T09:00:03Z', kind: 'command', username: 'admin', flags: 'no-timestamp' } },
        { event: { ts: '2024-03-28T14:05:00Z', kind: 'command', username: 'guest', flags: null } },
      ],
    },
    {
      description: '0.9: day and month both 12 or under, in a file written long after: the roll-over past midnight settles the order',
      options: { tz: 'UTC', referenceDate: new Date('2024-12-31T00:00:00Z') },
      lines: [
        '(000201) 4/5/2024 23:59:58 - (not logged in) (198.51.100.4)> USER a',
        '(000201) 5/5/2024 00:00:01 - (not logged in) (198.51.100.4)> USER b',
        '(000201) 5/5/2024 00:00:02 - (not logged in) (198.51.100.4)> USER c',
      ],
      yields: [
        { event: { ts: '2024-05-04T23:59:58Z', flags: 'ambiguous-date' } },
        { event: { ts: '2024-05-05T00:00:01Z', flags: null } },
        { event: { ts: '2024-05-05T00:00:02Z', flags: null } },
      ],
    },
    {
      description: '1.x: UTC stamps, >> and <<, the user joining the session bracket after its login, a session ended',
      options: { tz: 'Europe/Berlin', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        '2024-03-05T14:03:21.123Z >> [FTP Session 7 203.0.113.40] USER carol',
        '2024-03-05T14:03:21.125Z << [FTP Session 7 203.0.113.40] 331 Please, specify the password.',
        '2024-03-05T14:03:21.200Z >> [FTP Session 7 203.0.113.40] PASS ****',
        '2024-03-05T14:03:23.210Z << [FTP Session 7 203.0.113.40] 530 Login incorrect.',
        '2024-03-05T14:03:25.001Z >> [FTP Session 7 203.0.113.40] PASS ****',
        '2024-03-05T14:03:25.020Z << [FTP Session 7 203.0.113.40 carol] 230 Login successful.',
        '2024-03-05T14:03:30.000Z >> [FTP Session 7 203.0.113.40 carol] STOR up.bin',
        '2024-03-05T14:03:31.000Z << [FTP Session 7 203.0.113.40 carol] 426 Data connection closed; transfer aborted.',
        '2024-03-05T14:03:40.000Z == [FTP Server] Session 7 ended gracefully.',
      ],
      yields: [
        { event: { ts: '2024-03-05T14:03:21Z', kind: 'command', command: 'USER', username: 'carol', session: '2024-03-05T14:03:21Z #7' } },
        { event: { kind: 'reply', replyCode: 331 } },
        { event: { kind: 'command', command: 'PASS', detail: '***' } },
        { event: { kind: 'login', outcome: 'fail', username: 'carol', clientIp: '203.0.113.40' } },
        { event: { kind: 'command', command: 'PASS' } },
        { event: { kind: 'login', outcome: 'ok', username: 'carol' } },
        { event: { kind: 'command', command: 'STOR', path: 'up.bin' } },
        { event: { kind: 'transfer', outcome: 'fail', direction: 'upload', path: 'up.bin', replyCode: 426 } },
        { event: { kind: 'disconnect', outcome: 'ok', session: '2024-03-05T14:03:21Z #7' } },
      ],
    },
  ],
};
