import { remember } from './remember.js';
import { outcomeOfReply } from '../codes/replyCodes.js';
import { isIpAddress, normalizeIp } from './net.js';
import { wholeNumberAt } from '../number.js';
import { FIRST_YEAR, wallClockMs } from '../zone.js';
import {
  clip, emit, lookupTable, newEvent, reject, SKIP, type ServerFormat, type LineParser, type LineResult, type ParserOptions,
} from './types.js';
import type { Direction, EventKind } from '../event.js';

/**
 * IIS FTP service logs in W3C extended format (IIS 7–10 FTPSVC, and IIS 5/6 MSFTPSVC). Columns are
 * whatever the latest `#Fields:` directive says and may change mid-file; values never contain
 * spaces (`+` stands for one, `-` for nothing). Times are UTC.
 */

/** What IIS 7+ writes by default. */
export const DEFAULT_FIELDS = ['date', 'time', 'c-ip', 'cs-username', 's-ip', 's-port', 'cs-method', 'cs-uri-stem',
  'sc-status', 'sc-win32-status', 'sc-substatus', 'x-session', 'x-fullpath'];

/**
 * The layouts IIS writes unless told otherwise, for data lines with no `#Fields:` before them (an
 * excerpt cut out with grep, a file whose header was lost). A line takes the first whose number of
 * values and value shapes fit it: IIS 7+ default, IIS 7.5 without x-session and x-fullpath, IIS 5/6
 * MSFTPSVC extended (with bytes, time taken and protocol version, or without them and the date), and IIS 5/6's default.
 */
const KNOWN_FIELDS: readonly string[][] = [
  DEFAULT_FIELDS,
  DEFAULT_FIELDS.slice(0, 11),
  ['date', 'time', 'c-ip', 'cs-username', 's-ip', 's-port', 'cs-method', 'cs-uri-stem', 'sc-status', 'sc-win32-status', 'sc-bytes', 'cs-bytes', 'time-taken', 'cs-version'],
  ['date', 'time', 'c-ip', 'cs-username', 's-ip', 's-port', 'cs-method', 'cs-uri-stem', 'sc-status', 'sc-win32-status', 'sc-bytes', 'cs-bytes', 'time-taken'],
  ['date', 'time', 'c-ip', 'cs-username', 's-ip', 's-port', 'cs-method', 'cs-uri-stem', 'sc-status', 'sc-win32-status'],
  ['time', 'c-ip', 'cs-username', 's-ip', 's-port', 'cs-method', 'cs-uri-stem', 'sc-status', 'sc-win32-status'],
  ['time', 'c-ip', 'cs-method', 'cs-uri-stem', 'sc-status', 'sc-win32-status'],
];

const PSEUDO = lookupTable<EventKind>({
  CONTROLCHANNELOPENED: 'connect',
  CONTROLCHANNELCLOSED: 'disconnect',
  DATACHANNELOPENED: 'data-channel',
  DATACHANNELCLOSED: 'data-channel',
});

/** What a command does; `command` names it where IIS 5/6 logged what happened instead. */
interface Command {
  kind: EventKind;
  direction: Direction | null;
  command?: string;
}

const COMMANDS = lookupTable<Command>({
  USER: { kind: 'login', direction: null },
  PASS: { kind: 'login', direction: null },
  RETR: { kind: 'transfer', direction: 'download' },
  STOR: { kind: 'transfer', direction: 'upload' },
  STOU: { kind: 'transfer', direction: 'upload' },
  APPE: { kind: 'transfer', direction: 'upload' },
  // IIS 5/6 wrote what happened instead of the command on some lines.
  SENT: { kind: 'transfer', direction: 'download', command: 'RETR' },
  CREATED: { kind: 'transfer', direction: 'upload', command: 'STOR' },
  DELETED: { kind: 'file', direction: null, command: 'DELE' },
  DELE: { kind: 'file', direction: null },
  MKD: { kind: 'file', direction: null },
  XMKD: { kind: 'file', direction: null },
  RMD: { kind: 'file', direction: null },
  XRMD: { kind: 'file', direction: null },
  RNFR: { kind: 'file', direction: null },
  RNTO: { kind: 'file', direction: null },
});

/** Column positions of the fields the parser uses; -1 when the current layout lacks one. */
interface Layout {
  count: number;
  date: number; time: number; cIp: number; username: number; sIp: number; siteName: number; computerName: number;
  method: number; uriStem: number; status: number; win32: number; substatus: number; scBytes: number; csBytes: number;
  timeTaken: number; session: number; fullPath: number;
}

function layoutOf(fields: string[]): Layout {
  const at = (name: string) => fields.indexOf(name);
  return {
    count: fields.length,
    date: at('date'), time: at('time'), cIp: at('c-ip'), username: at('cs-username'), sIp: at('s-ip'),
    siteName: at('s-sitename'), computerName: at('s-computername'), method: at('cs-method'), uriStem: at('cs-uri-stem'),
    status: at('sc-status'), win32: at('sc-win32-status'), substatus: at('sc-substatus'), scBytes: at('sc-bytes'),
    csBytes: at('cs-bytes'), timeTaken: at('time-taken'), session: at('x-session'), fullPath: at('x-fullpath'),
  };
}

/**
 * Where each value of a line separated by single spaces starts and ends, reused across lines: a
 * value becomes a string only when the parser reads it, and numbers are read in place (splitting
 * every line into strings was half of parsing it).
 */
class Fields {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Finds the values of `line`, keeping the bounds of the first `keep`; returns how many there are. */
  read(line: string, keep: number): number {
    let count = 0;
    let from = 0;
    for (;;) {
      const space = line.indexOf(' ', from);
      const end = space < 0 ? line.length : space;
      if (count < keep) {
        this.starts[count] = from;
        this.ends[count] = end;
      }
      count++;
      if (space < 0) return count;
      from = space + 1;
    }
  }

  text(line: string, k: number): string {
    return line.slice(this.starts[k], this.ends[k]);
  }

  isDash(line: string, k: number): boolean {
    const start = this.starts[k]!;
    return this.ends[k]! - start === 1 && line.charCodeAt(start) === 45 /* - */;
  }

  /** Value `k` as a whole number; null when it is none. */
  number(line: string, k: number): number | null {
    return wholeNumberAt(line, this.starts[k], this.ends[k]);
  }
}

/** A logged method (command or pseudo-command) and what it means. */
interface Method {
  upper: string;
  pseudo: EventKind | undefined;
  known: Command | undefined;
}

/**
 * Methods as logged, looked up once each: a log repeats a few dozen, and a Map lookup of one costs
 * less than capitalising it and looking that up in two tables, line after line.
 */
class Methods {
  private static readonly KEEP = 1000;
  private readonly seen = new Map<string, Method>();

  of(method: string): Method {
    let m = this.seen.get(method);
    if (m === undefined) {
      const upper = method.toUpperCase();
      m = { upper, pseudo: PSEUDO[upper], known: COMMANDS[upper] };
      // Junk in the method column must not grow this without bound.
      if (this.seen.size < Methods.KEEP) this.seen.set(method, m);
    }
    return m;
  }
}

const KNOWN_LAYOUTS = KNOWN_FIELDS.map(layoutOf);

function createParser(options: ParserOptions): LineParser {
  let layout: Layout | null = null;
  /** The known layout the last line without a `#Fields:` fitted: the next one most likely fits it too. */
  let inferred: Layout = KNOWN_LAYOUTS[0]!;
  /** IIS names its files by the day (`u_ex240305.log`): a time-only excerpt without `#Date:` takes that. */
  const nameDate = dateInName(options.sourceName);
  let fieldsLine: string | null = null;
  let directiveDate: string | null = null;
  let lastSecondOfDay = -1;
  let defaultFieldLines = 0;
  let lastGoodDay = '';
  /** The last stamp's time and joined text (its date is lastGoodDay): consecutive lines mostly share a second. */
  let lastTime = '';
  let lastTs = '';
  const userOf = new Map<string, { name: string; ts: string }>();
  /**
   * The last USER lines' names, which a run that resumes after them needs for the PASS lines that
   * follow (see resumeLines): a session's PASS comes seconds after its USER, so a few are enough.
   */
  const recentUsers: Array<{ visitor: string; user: { name: string; ts: string } }> = [];

  function directive(line: string): LineResult {
    if (line.startsWith(RESUME_USER)) {
      const carried = resumedUser(line.slice(RESUME_USER.length));
      if (carried !== null) remember(userOf, carried.visitor, carried.user);
    } else if (line.startsWith('#Fields:')) {
      layout = layoutOf(line.slice(8).trim().split(/\s+/));
      fieldsLine = line;
    } else if (line.startsWith('#Date:')) {
      const d = /^#Date:\s+(\d{4}-\d{2}-\d{2})/.exec(line);
      if (d) {
        directiveDate = d[1]!;
        lastSecondOfDay = -1;
      }
    }
    return SKIP.directive;
  }

  const f = new Fields();
  const methods = new Methods();

  /** Value `k` of the line `f` last read; null when the layout lacks it or it is `-`. */
  function value(line: string, k: number): string | null {
    if (k < 0 || f.isDash(line, k)) return null;
    return f.text(line, k);
  }

  /** Whether the values `f` holds (`count` of them) read as a line of the known layout L. */
  function fits(line: string, L: Layout, count: number): boolean {
    if (count !== L.count || secondsOfDay(f.text(line, L.time)) < 0) return false;
    if (L.date >= 0 && !/^\d{4}-\d{2}-\d{2}$/.test(f.text(line, L.date))) return false;
    // x-session, a GUID, tells IIS 7's layout from IIS 6's with bytes and time taken in its place.
    return badNumber(line, L) === null && !/^\d+$/.test(f.text(line, L.method)) && (L.session < 0 || f.number(line, L.session) === null);
  }

  /** The numeric fields of the layout in force that hold neither `-` nor a whole number, by name. */
  function badNumber(line: string, L: Layout): string | null {
    for (const [name, k] of [['sc-status', L.status], ['sc-win32-status', L.win32], ['sc-substatus', L.substatus], ['sc-bytes', L.scBytes],
      ['cs-bytes', L.csBytes], ['time-taken', L.timeTaken]] as const) {
      if (k >= 0 && !f.isDash(line, k) && f.number(line, k) === null) return `iis: ${name} '${clip(f.text(line, k))}' is not a whole number`;
    }
    return null;
  }

  /** Value `k` as a whole number (badNumber has vouched for it); null when the layout lacks it or it is `-`. */
  function int(line: string, k: number): number | null {
    if (k < 0 || f.isDash(line, k)) return null;
    return f.number(line, k);
  }

  /** A time-only layout takes its date from `#Date:` (or the file's name); passing midnight moves to the next day. */
  function dayFor(time: number): string | null {
    directiveDate ??= nameDate;
    if (directiveDate === null) return null;
    if (lastSecondOfDay >= 0 && time < lastSecondOfDay - 12 * 3600) {
      directiveDate = new Date(Date.parse(directiveDate + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
    }
    lastSecondOfDay = time;
    return directiveDate;
  }

  function parse(v: string): LineResult {
    // Trailing blanks (no extra, empty value) are gone already: see tidy in ingest/pipeline.ts.
    if (v.charCodeAt(0) === 35 /* # */) return directive(v);
    const usingDefault = layout === null;
    let L = layout ?? inferred;
    const count = f.read(v, usingDefault ? MAX_KNOWN : L.count);
    if (usingDefault && !fits(v, L, count)) {
      const found = KNOWN_LAYOUTS.find((k) => fits(v, k, count));
      if (!found) return reject(`iis: ${count} values and no #Fields: line before them, in none of the layouts IIS writes by default`);
      L = inferred = found;
    }
    if (count !== L.count) return reject(`iis: ${count} values for ${L.count} fields`);
    if (usingDefault) defaultFieldLines++;

    const time = L.time >= 0 ? f.text(v, L.time) : '';
    const seconds = secondsOfDay(time);
    if (seconds < 0) return reject(L.time >= 0 ? `iis: time '${clip(time)}' is not HH:MM:SS` : 'iis: no time field');
    const day = L.date >= 0 ? f.text(v, L.date) : dayFor(seconds);
    if (day === null) return reject('iis: no date field, no #Date directive and no date in the file name');
    if (day !== lastGoodDay) {
      if (!isRealDate(day)) {
        const year = Number(day.slice(0, 4));
        return reject(year < FIRST_YEAR ? `iis: year ${day.slice(0, 4)} in the date is before ${FIRST_YEAR}` : `iis: date '${clip(day)}' is not a real YYYY-MM-DD date`);
      }
      lastGoodDay = day;
      lastTime = ''; // a new day: the stamp below is built anew (a checked time is never empty)
    }
    const bad = badNumber(v, L);
    if (bad !== null) return reject(bad);
    // IIS writes UTC in the very form events store, so the stamp is the two fields joined. The same
    // string for the same second lets the batch see a repeated time without comparing characters.
    if (time !== lastTime) {
      lastTs = day + 'T' + time + 'Z';
      lastTime = time;
    }
    const ts = lastTs;

    let method = value(v, L.method) ?? '';
    let session = value(v, L.session);
    if (method.charCodeAt(0) === 91 /* [ */) {
      // IIS 5/6 glue the session number to the method: `[57]PASS`.
      const close = method.indexOf(']');
      session = method.slice(1, close);
      method = method.slice(close + 1);
    }
    const { upper, pseudo, known } = methods.of(method);
    const kind: EventKind = pseudo ?? known?.kind ?? 'command';

    const reply = int(v, L.status);
    const win32 = int(v, L.win32);
    const replyCode = reply !== null && reply >= 100 && reply <= 699 ? reply : null;
    const outcome = replyCode !== null ? outcomeOfReply(replyCode) : win32 ? 'fail' : 'ok';
    const e = newEvent(ts, kind, outcome);
    e.replyCode = replyCode;
    e.win32Status = win32;
    e.substatus = int(v, L.substatus);
    e.command = pseudo ? method : (known?.command ?? (upper || null));
    e.direction = known?.direction ?? null;
    e.session = session;
    e.server = value(v, L.computerName) ?? value(v, L.siteName) ?? value(v, L.sIp);

    const rawIp = value(v, L.cIp);
    e.clientIp = rawIp === null ? null : normalizeIp(rawIp);
    if (e.clientIp !== null && !isIpAddress(e.clientIp)) e.flags = 'invalid-ip';
    if (usingDefault) e.flags = e.flags ? e.flags + ',default-fields' : 'default-fields';

    const stem = value(v, L.uriStem);
    const loggedUser = value(v, L.username);
    // Without x-session (IIS 7.5 trimmed, IIS 6 without [N]) the client's address stands in for the session.
    const visitor = session ?? (rawIp === null ? null : '@' + rawIp);
    if (upper === 'USER') {
      const name = stem === null ? loggedUser : plus(stem);
      if (visitor !== null && name !== null) {
        const user = { name, ts };
        remember(userOf, visitor, user);
        recentUsers.push({ visitor, user });
        if (recentUsers.length > RECENT_USERS) recentUsers.shift();
      }
      e.username = name;
    } else {
      // cs-username stays '-' until a login succeeds: a failed PASS gets its name from the USER line
      // before it (in time too: a file read newest first has the PASS before its USER).
      const user = visitor === null ? undefined : userOf.get(visitor);
      e.username = loggedUser !== null ? plus(loggedUser) : user !== undefined && user.ts <= ts ? user.name : null;
      // PASS carries '***' or, for anonymous logins, an e-mail address in clear: never stored.
      if (upper === 'PORT' && stem !== null) e.detail = portTarget(stem);
      else if (upper !== 'PASS') {
        const full = value(v, L.fullPath);
        e.path = full !== null ? plus(full) : stem !== null ? plus(stem) : null;
      }
    }
    if (upper === 'CONTROLCHANNELCLOSED' && visitor !== null) userOf.delete(visitor);

    if (e.direction === 'download') e.bytes = int(v, L.scBytes);
    else if (e.direction === 'upload') e.bytes = int(v, L.csBytes);
    e.durationMs = int(v, L.timeTaken);
    return emit(e);
  }

  return {
    parse,
    counters: () => ({ iisDefaultFieldLines: defaultFieldLines }),
    resumeLines: () => [
      ...[directiveDate && `#Date: ${directiveDate} 00:00:00`, fieldsLine].filter((l): l is string => !!l),
      // The names still waiting for a PASS, as lines only this parser writes (IIS writes no such directive).
      ...recentUsers.filter((r) => userOf.get(r.visitor) === r.user).map((r) => RESUME_USER + JSON.stringify([r.visitor, r.user.ts, r.user.name])),
    ],
  };
}

/** How a remembered USER name is written among a source's resume lines. */
const RESUME_USER = '#ftplog-user: ';
/** USER lines kept for a resumed run. */
const RECENT_USERS = 16;

/** A USER name written by resumeLines: its visitor (session or `@address`), time and name; null when it is not one. */
function resumedUser(json: string): { visitor: string; user: { name: string; ts: string } } | null {
  try {
    const v = JSON.parse(json) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) {
      const [visitor, ts, name] = v as [string, string, string];
      return { visitor, user: { ts, name } };
    }
  } catch {
    // not one of ours
  }
  return null;
}

/** Values a line without `#Fields:` may have: one more than the longest known layout, so a longer line is seen to fit none. */
const MAX_KNOWN = Math.max(...KNOWN_FIELDS.map((k) => k.length)) + 1;

/** `ex240305.log`, `u_ex240305.log.1` → `2024-03-05`; null for any other name. */
function dateInName(name: string | undefined): string | null {
  const m = name === undefined ? null : /^(?:u_)?ex(\d{2})(\d{2})(\d{2})\b/i.exec(name);
  if (!m) return null;
  const day = `20${m[1]}-${m[2]}-${m[3]}`;
  return isRealDate(day) ? day : null;
}

/**
 * An active-mode `PORT h1,h2,h3,h4,p1,p2` argument as the address and port it asks the server to
 * connect to. The client chose them, so they stay detail text, never the client's address.
 */
function portTarget(arg: string): string {
  const m = /^(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})$/.exec(arg);
  if (!m || m.slice(1).some((n) => +n > 255)) return `PORT ${clip(arg)}`;
  return `data connection to ${m[1]}.${m[2]}.${m[3]}.${m[4]} port ${+m[5]! * 256 + +m[6]!}`;
}

/** `HH:MM:SS` → seconds since midnight, or -1 when it is anything else. */
function secondsOfDay(t: string): number {
  if (t.length !== 8 || t.charCodeAt(2) !== 58 || t.charCodeAt(5) !== 58) return -1;
  const h = twoDigits(t, 0);
  const m = twoDigits(t, 3);
  const sec = twoDigits(t, 6);
  return h > 23 || m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0 ? -1 : h * 3600 + m * 60 + sec;
}

function twoDigits(t: string, at: number): number {
  const a = t.charCodeAt(at) - 48;
  const b = t.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function isRealDate(day: string): boolean {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return d !== null && !Number.isNaN(wallClockMs(+d[1]!, +d[2]!, +d[3]!, 0, 0, 0));
}

function plus(s: string): string {
  return s.includes('+') ? s.replace(/\+/g, ' ') : s;
}

export const iis: ServerFormat = {
  name: 'iis',
  description: 'IIS FTP W3C extended log (IIS 7-10 FTPSVC and IIS 5/6 MSFTPSVC), header-driven',
  sniff(line) {
    if (/^#(Software: Microsoft|Version: |Fields: |Date: |Start-Date: )/.test(line)) return true;
    // ` []sent` is Pure-FTPd's W3C log, whose fields are its own.
    return /^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2} \S+ (\S+ ){1,12}\S+$/.test(line.slice(0, 4096)) && !line.includes('  ') && !line.includes(' []');
  },
  createParser,
  samples: [
    {
      description: 'IIS 10 header, a failed login whose user comes from the USER line of the same session',
      lines: [
        '#Software: Microsoft Internet Information Services 10.0',
        '#Version: 1.0',
        '#Date: 2024-03-05 14:00:00',
        '#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-substatus x-session x-fullpath',
        '2024-03-05 14:00:01 198.51.100.4 - 192.0.2.10 21 ControlChannelOpened - - 0 0 7f3c2a1e -',
        '2024-03-05 14:00:01 198.51.100.4 - 192.0.2.10 21 USER bob 331 0 0 7f3c2a1e -',
        '2024-03-05 14:00:02 198.51.100.4 - 192.0.2.10 21 PASS *** 530 1326 41 7f3c2a1e -',
        '2024-03-05 14:00:03 198.51.100.4 - 192.0.2.10 21 PASS *** 530 1326 7f3c2a1e -',
      ],
      yields: [
        { skip: 'directive' }, { skip: 'directive' }, { skip: 'directive' }, { skip: 'directive' },
        { event: { kind: 'connect', command: 'ControlChannelOpened', replyCode: null, outcome: 'ok', clientIp: '198.51.100.4' } },
        { event: { ts: '2024-03-05T14:00:01Z', kind: 'login', command: 'USER', username: 'bob', replyCode: 331, outcome: 'pending', session: '7f3c2a1e', server: '192.0.2.10' } },
        { event: { kind: 'login', command: 'PASS', username: 'bob', replyCode: 530, win32Status: 1326, substatus: 41, outcome: 'fail', path: null } },
        { reject: 'iis: 12 values for 13 fields' },
      ],
    },
    {
      description: 'IIS 6 layout: [N] session prefix, bytes and time-taken, + for spaces, an impossible IP kept and flagged',
      lines: [
        '#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-bytes cs-bytes time-taken',
        '2024-03-05 14:10:00 10.0.0.256 carol 192.0.2.10 21 [57]RETR /pub/Q1+report.pdf 226 0 2048 0 150',
      ],
      yields: [
        { skip: 'directive' },
        { event: { kind: 'transfer', command: 'RETR', direction: 'download', session: '57', username: 'carol', path: '/pub/Q1 report.pdf', bytes: 2048, durationMs: 150, outcome: 'ok', clientIp: '10.0.0.256', flags: 'invalid-ip' } },
      ],
    },
    {
      description: 'lines with no #Fields: before them take the default layout their values fit: IIS 7+ (a GUID session), IIS 6 with bytes and time taken',
      lines: [
        '2024-03-05 14:00:02 198.51.100.4 - 192.0.2.10 21 PASS *** 530 1326 41 7f3c2a1e-0b6d-4e8e-9a43-2b1f0c9d8e77 -',
        '2024-03-05 14:10:00 203.0.113.8 carol 192.0.2.10 21 [57]RETR /pub/a.pdf 226 0 2048 0 150',
        '2024-03-05 14:10:01 203.0.113.8 carol 192.0.2.10 21 [57]RETR /pub/b.pdf 226 0 4096 0 90 FTP',
      ],
      yields: [
        { event: { kind: 'login', replyCode: 530, substatus: 41, session: '7f3c2a1e-0b6d-4e8e-9a43-2b1f0c9d8e77', flags: 'default-fields' } },
        { event: { kind: 'transfer', session: '57', bytes: 2048, durationMs: 150, substatus: null, flags: 'default-fields' } },
        { event: { kind: 'transfer', path: '/pub/b.pdf', bytes: 4096, durationMs: 90, flags: 'default-fields' } },
      ],
    },
    {
      description: 'a time-only layout takes the date from #Date and rolls over at midnight',
      lines: [
        '#Date: 2024-03-05 23:00:00',
        '#Fields: time c-ip cs-method cs-uri-stem sc-status',
        '23:59:59 203.0.113.7 [3]sent /a.txt 226',
        '00:00:01 203.0.113.7 [3]QUIT - 221',
      ],
      yields: [
        { skip: 'directive' }, { skip: 'directive' },
        { event: { ts: '2024-03-05T23:59:59Z', kind: 'transfer', command: 'RETR', direction: 'download', path: '/a.txt' } },
        { event: { ts: '2024-03-06T00:00:01Z', kind: 'command', command: 'QUIT', replyCode: 221, outcome: 'ok' } },
      ],
    },
  ],
};
