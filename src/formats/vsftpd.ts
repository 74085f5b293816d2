import { outcomeOfReply } from '../codes/replyCodes.js';
import { normalizeIp } from './net.js';
import { wholeNumberAt } from '../number.js';
import { parseSyslog, SyslogYear } from './syslog.js';
import { CtimeReader, looksLikeCtime } from './time.js';
import { ZoneClock } from '../zone.js';
import {
  emit, lookupTable, newEvent, reject, SKIP, statelessParser, type FormatDefinition, type LineParser, type LineResult,
  type ParserOptions,
} from './types.js';
import type { Direction, EventKind, FtpEvent, Outcome } from '../event.js';

/**
 * vsftpd's own log (`vsftpd.log`), natively or through syslog:
 *   Tue Mar  5 14:03:27 2024 [pid 4122] [alice] OK DOWNLOAD: Client "203.0.113.9", "/pub/a file.txt", 52344 bytes, 812.40Kbyte/sec
 *   Mar  5 14:03:21 host vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"
 * plus PAM's `authentication failure` lines for vsftpd, which are failed logins too.
 */

const ACTIONS = lookupTable<{ kind: EventKind; command: string; direction: Direction | null }>({
  CONNECT: { kind: 'connect', command: 'CONNECT', direction: null },
  LOGIN: { kind: 'login', command: 'LOGIN', direction: null },
  DOWNLOAD: { kind: 'transfer', command: 'RETR', direction: 'download' },
  UPLOAD: { kind: 'transfer', command: 'STOR', direction: 'upload' },
  MKDIR: { kind: 'file', command: 'MKD', direction: null },
  RMDIR: { kind: 'file', command: 'RMD', direction: null },
  DELETE: { kind: 'file', command: 'DELE', direction: null },
  RENAME: { kind: 'file', command: 'RENAME', direction: null },
  CHMOD: { kind: 'file', command: 'CHMOD', direction: null },
});

/** FTP commands whose argument is a path, so `FTP command:` lines fill the path column. */
const PATH_COMMANDS = new Set(['RETR', 'STOR', 'STOU', 'APPE', 'DELE', 'MKD', 'XMKD', 'RMD', 'XRMD', 'CWD', 'XCWD',
  'RNFR', 'RNTO', 'SIZE', 'MDTM', 'LIST', 'NLST', 'MLSD', 'MLST']);

interface Header {
  ts: string;
  server: string | null;
  session: string | null;
  /** Where the message (after the header) starts. */
  at: number;
}

const RATE_SUFFIX = 'Kbyte/sec';
const BYTES_SUFFIX = ' bytes';

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const years = new SyslogYear(options.referenceDate, options.year);
  const stamps = new CtimeReader(clock);

  function header(line: string): Header | LineResult {
    const end = stamps.read(line, 0);
    if (end >= 0) {
      if (stamps.iso === null) return reject(`vsftpd: ${stamps.problem}`);
      return { ts: stamps.iso, server: null, session: null, at: end + 1 };
    }
    const sys = parseSyslog(line, clock, years);
    if (!sys) return reject('vsftpd: line starts with neither a date like "Tue Mar  5 14:03:27 2024" nor a syslog header');
    const program = sys.program.toLowerCase();
    // Old PAM logs under `vsftpd(pam_unix)[pid]:`; PAM modules otherwise under vsftpd's own tag.
    if (program !== 'vsftpd' && !program.startsWith('vsftpd(pam_') && !line.startsWith('(vsftpd:', line.indexOf('(', sys.bodyStart))) {
      return SKIP.otherProgram;
    }
    if (program !== 'vsftpd') return pam(line, sys.bodyStart, { ts: sys.ts, server: sys.host, session: sys.pid, at: sys.bodyStart }, sys.pid);
    return { ts: sys.ts, server: sys.host, session: sys.pid, at: sys.bodyStart };
  }

  function parse(line: string): LineResult {
    if (line.charCodeAt(0) === 35 /* # */) return SKIP.comment;
    const h = header(line);
    if ('type' in h) return h;
    let p = h.at;
    let session = h.session;

    if (line.startsWith('[pid ', p)) {
      const close = line.indexOf('] ', p);
      if (close < 0) return reject('vsftpd: unterminated [pid …]');
      session = line.slice(p + 5, close);
      p = close + 2;
    }
    if (line.startsWith('pam_', p) || line.startsWith('(pam_', p)) return pam(line, p, h, session);
    const found = anchor(line, p);
    if (typeof found === 'string') return reject(found);
    const { action, outcome, client, rest } = found;
    let username = found.username;

    let e: FtpEvent;
    if (action === 'FTP command') {
      e = newEvent(h.ts, 'command', 'ok');
      const arg = rest.arg ?? '';
      const space = arg.indexOf(' ');
      const verb = (space < 0 ? arg : arg.slice(0, space)).toUpperCase();
      const operand = space < 0 ? null : arg.slice(space + 1);
      e.command = verb || null;
      // vsftpd masks passwords itself; a PASS argument is never stored all the same.
      if (verb === 'PASS') e.detail = '***';
      else if (PATH_COMMANDS.has(verb)) e.path = operand;
      else e.detail = operand;
      if (verb === 'USER' && username === null) username = operand;
    } else if (action === 'FTP response') {
      const text = rest.arg ?? '';
      const code = /^([1-6]\d\d)(?:[ -]|$)/.exec(text);
      if (!code) return reject('vsftpd: FTP response without a reply code');
      const reply = wholeNumberAt(code[1]!)!;
      e = newEvent(h.ts, 'reply', outcomeOfReply(reply));
      e.replyCode = reply;
      e.detail = text;
    } else if (action === 'DEBUG') {
      e = newEvent(h.ts, 'debug', 'ok');
      e.detail = rest.arg;
    } else {
      const known = ACTIONS[action];
      const refused = action === 'CONNECT' && rest.arg !== null;
      e = newEvent(h.ts, known?.kind ?? 'command', refused ? 'fail' : (outcome ?? 'ok'));
      e.command = known?.command ?? action;
      e.direction = known?.direction ?? null;
      if (known?.kind === 'transfer') e.bytes = rest.bytes ?? 0;
      else if (rest.bytes !== null) e.bytes = rest.bytes;
      if (rest.rate && e.bytes) e.durationMs = Math.round((e.bytes / 1024 / rest.rate) * 1000);
      if (rest.anonymous) e.detail = 'anonymous';
      if (action === 'RENAME' && rest.arg !== null) [e.path, e.detail] = splitRename(rest.arg);
      else if (action === 'CHMOD' && rest.arg !== null) [e.path, e.detail] = splitLast(rest.arg, 'mode ');
      else if (known?.kind === 'connect' || !known) e.detail = rest.arg;
      else if (rest.arg !== null) e.path = rest.arg;
    }
    e.clientIp = client;
    e.username = username;
    e.session = session;
    e.server = h.server;
    return emit(e);
  }

  return statelessParser(parse);
}

/** Where vsftpd's own fields are in a line whose user name and argument are the client's text. */
interface Anchor {
  action: string;
  outcome: Outcome | null;
  username: string | null;
  client: string;
  rest: Tail;
}

const CLIENT = ': Client "';
/** Actions vsftpd writes without OK or FAIL before them. */
const BARE_ACTIONS = new Set(['CONNECT', 'FTP command', 'FTP response', 'DEBUG']);
/** The texts vsftpd (with RHEL's userlist_log) writes after a LOGIN or CONNECT: none of them the client's. */
const LOGIN_NOTES = new Set([', "User is in the deny user list."', ', "User is not in the allow user list."']);
const CONNECT_NOTE = ', "Connection refused: ';

/**
 * The line's `[user] OK|FAIL ACTION: Client "ip"…` read from the parts vsftpd writes itself. The user
 * name (the raw USER argument, written before any login) and a path or command (after the address)
 * come from the client and may imitate those parts, so the line is tried at every `: Client "`. When
 * it fits at one, that is the line. When it fits at several and all are transfers or file actions,
 * the first is: those come after a login, so the user name before it is an account's and only the
 * path after it is free. Any other line that fits at two places is refused, as its address, action
 * and outcome cannot be told: a FAIL LOGIN whose user name holds `] OK MKDIR: Client "…", "/x` reads
 * exactly like an MKDIR whose path holds `/x] FAIL LOGIN: Client "…`.
 */
function anchor(line: string, from: number): Anchor | string {
  const c0 = line.indexOf(CLIENT, from);
  if (c0 < 0) return 'vsftpd: no "ACTION: Client" part';
  if (line.indexOf(CLIENT, c0 + 1) < 0) return anchorAt(line, from, c0) ?? unfit(line, from, c0);
  const fits: Anchor[] = [];
  for (let c = c0; c >= 0; c = line.indexOf(CLIENT, c + 1)) {
    const a = anchorAt(line, from, c);
    if (a) fits.push(a);
  }
  const first = fits[0];
  if (!first) return 'vsftpd: no "ACTION: Client" part that fits its line';
  if (fits.length > 1 && !fits.every((a) => FREE_AFTER.has(a.action))) {
    return `vsftpd: the client's text imitates the line's own fields (it reads as ${[...new Set(fits.map((a) => a.action))].join(' or as ')}), so which it is cannot be told`;
  }
  return first;
}

/** Actions vsftpd writes only after a login, whose text after the address is the client's (a path). */
const FREE_AFTER = new Set(['DOWNLOAD', 'UPLOAD', 'MKDIR', 'RMDIR', 'DELETE', 'RENAME', 'CHMOD']);

/** Why the only `: Client "` of a line does not fit. */
function unfit(line: string, from: number, c: number): string {
  const ipEnd = line.indexOf('"', c + CLIENT.length);
  if (ipEnd < 0) return 'vsftpd: unterminated client address';
  if (ipEnd === c + CLIENT.length) return 'vsftpd: empty client address';
  if (!isAddressText(line, c + CLIENT.length, ipEnd)) return 'vsftpd: the client is not an address';
  const head = actionBefore(line, from, c);
  return head === null ? 'vsftpd: no "ACTION: Client" part' : `vsftpd: unexpected text after the client address of ${head.action}`;
}

/** The anchor when the line fits vsftpd's shape with its client address at `c`. */
function anchorAt(line: string, from: number, c: number): Anchor | null {
  const ipStart = c + CLIENT.length;
  const ipEnd = line.indexOf('"', ipStart);
  if (ipEnd <= ipStart || !isAddressText(line, ipStart, ipEnd)) return null;
  const head = actionBefore(line, from, c);
  if (head === null) return null;
  const after = ipEnd + 1;
  let rest: Tail | null;
  if (head.action === 'LOGIN') {
    const note = line.slice(after);
    if (note === '' || LOGIN_NOTES.has(note)) rest = { arg: null, bytes: null, rate: null, anonymous: false };
    else if (note.startsWith(', anon password "') && note.endsWith('"') && note.length > 17) rest = { arg: null, bytes: null, rate: null, anonymous: true };
    else rest = null;
  } else if (head.action === 'CONNECT') {
    rest = after === line.length || (line.startsWith(CONNECT_NOTE, after) && line.endsWith('"')) ? tail(line, after) : null;
  } else {
    rest = tail(line, after);
  }
  if (rest === null) return null;
  return { action: head.action, outcome: head.outcome, username: head.username, client: normalizeIp(line.slice(ipStart, ipEnd)), rest };
}

/**
 * `[user] OK ACTION` (user, OK/FAIL as the action takes them) ending at `c`, starting at `from`. An
 * action vsftpd 3.0 does not write (a patched build's) is read when OK or FAIL is before it.
 */
function actionBefore(line: string, from: number, c: number): { action: string; outcome: Outcome | null; username: string | null } | null {
  let a = c;
  while (a > from && c - a < 20 && isLetter(line.charCodeAt(a - 1))) a--;
  if (a === c) return null;
  let action = line.slice(a, c);
  if ((action === 'command' || action === 'response') && a - 4 >= from && line.startsWith('FTP ', a - 4)) {
    action = action === 'command' ? 'FTP command' : 'FTP response';
    a -= 4;
  }
  let outcome: Outcome | null = null;
  if (!BARE_ACTIONS.has(action)) {
    if (a - 3 >= from && line.startsWith('OK ', a - 3)) (outcome = 'ok'), (a -= 3);
    else if (a - 5 >= from && line.startsWith('FAIL ', a - 5)) (outcome = 'fail'), (a -= 5);
    else return null;
  }
  if (a === from) return { action, outcome, username: null };
  if (line.charCodeAt(from) === 91 /* [ */ && a - 2 > from && line.startsWith('] ', a - 2)) {
    return { action, outcome, username: line.slice(from + 1, a - 2) };
  }
  return null;
}

function isLetter(ch: number): boolean {
  return (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122);
}

/** vsftpd writes addresses with inet_ntop: hex digits, dots and colons, never a name. */
function isAddressText(line: string, start: number, end: number): boolean {
  if (end - start > 45) return false;
  for (let i = start; i < end; i++) {
    const ch = line.charCodeAt(i);
    const ok = (ch >= 48 && ch <= 58) /* 0-9 : */ || ch === 46 || (ch >= 97 && ch <= 102) || (ch >= 65 && ch <= 70);
    if (!ok) return false;
  }
  return true;
}

interface Tail {
  arg: string | null;
  bytes: number | null;
  rate: number | null;
  anonymous: boolean;
}

/**
 * What follows `Client "ip"`: `, anon password "…"`, `, "arg"`, `, N bytes`, `, R Kbyte/sec`, each
 * optional. The quoted argument is unescaped (it may hold quotes and commas), so the numeric parts
 * are peeled off the end first and the argument is whatever quoted text remains.
 * `null` when something else is there.
 */
function tail(line: string, from: number): Tail | null {
  let end = line.length;
  let rate: number | null = null;
  let bytes: number | null = null;
  if (line.endsWith(RATE_SUFFIX)) {
    const comma = line.lastIndexOf(', ', end - 1);
    rate = Number(line.slice(comma + 2, end - RATE_SUFFIX.length));
    if (comma < from || !(rate >= 0)) return null;
    end = comma;
  }
  if (line.startsWith(BYTES_SUFFIX, end - BYTES_SUFFIX.length)) {
    const comma = line.lastIndexOf(', ', end - 1);
    bytes = wholeNumberAt(line, comma + 2, end - BYTES_SUFFIX.length);
    if (comma < from || bytes === null) return null;
    end = comma;
  }
  if (line.startsWith(', anon password "', from)) {
    // The anonymous password (an e-mail address, typed by anyone) is never stored.
    return { arg: null, bytes, rate, anonymous: true };
  }
  if (end === from) return { arg: null, bytes, rate, anonymous: false };
  if (line.startsWith(', "', from) && line.charCodeAt(end - 1) === 34 && end - from >= 4) {
    return { arg: line.slice(from + 3, end - 1), bytes, rate, anonymous: false };
  }
  return null;
}

/** `"from to"`: paths may hold spaces; a space before a `/` is the likeliest boundary. */
function splitRename(arg: string): [string, string] {
  let cut = arg.lastIndexOf(' /');
  if (cut < 0) cut = arg.lastIndexOf(' ');
  if (cut < 0) return [arg, 'to ?'];
  return [arg.slice(0, cut), 'to ' + arg.slice(cut + 1)];
}

function splitLast(arg: string, label: string): [string, string | null] {
  const cut = arg.lastIndexOf(' ');
  return cut < 0 ? [arg, null] : [arg.slice(0, cut), label + arg.slice(cut + 1)];
}

/**
 * PAM for the vsftpd service, in its forms: `pam_unix(vsftpd:auth): authentication failure; logname=
 * uid=0 euid=0 tty=ftp ruser=bob rhost=198.51.100.4  user=bob`, the old `(pam_unix) authentication
 * failure; …` (after `vsftpd:` or as the tag `vsftpd(pam_unix)[pid]:`), and pam_listfile's `Refused
 * user bob for service vsftpd` (no address). Each is a failed login; pam_unix's `N more
 * authentication failures` sums up ones already written and is none.
 */
const PAM_FAILURE = /^(?:\(pam_\w+\) |pam_\w+\([\w-]+:\w+\): )?authentication failure; /;
const PAM_REFUSED = /^pam_listfile\([\w-]+:\w+\): Refused user (.*) for service \S+$/;

function pam(line: string, at: number, h: Header, session: string | null): LineResult {
  const body = line.slice(at);
  const refused = PAM_REFUSED.exec(body);
  const failure = refused !== null || PAM_FAILURE.test(body);
  const e = newEvent(h.ts, failure ? 'login' : 'debug', failure ? 'fail' : 'ok');
  // Its own command: the same attempt usually has vsftpd's FAIL LOGIN too, and reports count it once (queries/fragments/login-copies.sql).
  e.command = failure ? 'PAM' : null;
  const who = refused ? { rhost: null, user: refused[1]! } : failure ? pamParties(body) : null;
  e.clientIp = who?.rhost ? normalizeIp(who.rhost) : null;
  e.username = who?.user || null;
  e.detail = refused ? 'refused by pam_listfile' : failure ? 'authentication failure' : body.length > 200 ? body.slice(0, 200) : body;
  e.session = session;
  e.server = h.server;
  return emit(e);
}

/**
 * pam_unix writes `… ruser=<R> rhost=<H>  user=<U>`, and R and U are the client's USER text, which
 * may itself hold ` rhost=`: the address is the one space-free value between a ` rhost=` and a
 * `  user=` (or the line's end) that leaves R equal to U (as vsftpd and ProFTPD pass them) or R empty. When the text
 * leaves more than one such split, or none, the address is unknown.
 */
function pamParties(body: string): { rhost: string | null; user: string | null } | null {
  const start = body.indexOf('ruser=');
  if (start < 0) return null;
  const fields = body.slice(start + 6);
  let found: { rhost: string; user: string } | null = null;
  for (let i = fields.indexOf(' rhost='); i >= 0; i = fields.indexOf(' rhost=', i + 1)) {
    const ruser = fields.slice(0, i);
    const end = fields.indexOf(' ', i + 7);
    const rhost = fields.slice(i + 7, end < 0 ? fields.length : end);
    // Without a known user pam_unix writes no `  user=`: then R is the name.
    const user = end < 0 ? (ruser.includes('  user=') ? null : ruser) : fields.startsWith('  user=', end) ? fields.slice(end + 7) : null;
    if (user === null || (ruser !== '' && ruser !== user)) continue;
    if (found) return { rhost: null, user: found.user === user ? user : null };
    found = { rhost, user };
  }
  return found && { rhost: found.rhost || null, user: found.user };
}

export const vsftpd: FormatDefinition = {
  name: 'vsftpd',
  description: "vsftpd's own log (vsftpd.log), native or through syslog, with PAM authentication failures",
  sniff(line) {
    if (looksLikeCtime(line, 0)) return /^.{20,30}\[pid \d+\] /.test(line.slice(0, 60));
    return /^\S.{10,50}? vsftpd(\[\d+\])?: /.test(line.slice(0, 120)) || /^<\d{1,3}>1 \S+ \S+ vsftpd /.test(line.slice(0, 120));
  },
  createParser,
  samples: [
    {
      description: 'a session: connect, login, download with bytes and rate, a logged command and response',
      options: { tz: 'UTC' },
      lines: [
        'Tue Mar  5 14:03:20 2024 [pid 4121] CONNECT: Client "203.0.113.9"',
        'Tue Mar  5 14:03:21 2024 [pid 4120] [alice] OK LOGIN: Client "203.0.113.9"',
        'Tue Mar  5 14:03:27 2024 [pid 4122] [alice] OK DOWNLOAD: Client "203.0.113.9", "/pub/a file.txt", 52344 bytes, 812.40Kbyte/sec',
        'Tue Mar  5 14:05:00 2024 [pid 4122] [alice] FTP command: Client "203.0.113.9", "STOR report.csv"',
        'Tue Mar  5 14:05:00 2024 [pid 4122] [alice] FTP response: Client "203.0.113.9", "553 Could not create file."',
      ],
      yields: [
        { event: { ts: '2024-03-05T14:03:20Z', kind: 'connect', clientIp: '203.0.113.9', session: '4121', username: null, outcome: 'ok' } },
        { event: { kind: 'login', command: 'LOGIN', username: 'alice', outcome: 'ok' } },
        { event: { kind: 'transfer', command: 'RETR', direction: 'download', path: '/pub/a file.txt', bytes: 52344, durationMs: 63, outcome: 'ok' } },
        { event: { kind: 'command', command: 'STOR', path: 'report.csv', outcome: 'ok' } },
        { event: { kind: 'reply', replyCode: 553, detail: '553 Could not create file.', outcome: 'fail' } },
      ],
    },
    {
      description: 'a failed login from a mapped IPv6 client, an anonymous login (password masked), a refused connect',
      options: { tz: 'UTC' },
      lines: [
        'Tue Mar  5 14:04:02 2024 [pid 4130] [bob] FAIL LOGIN: Client "::ffff:198.51.100.4"',
        'Tue Mar  5 14:04:03 2024 [pid 4131] [ftp] OK LOGIN: Client "203.0.113.5", anon password "me@example.org"',
        'Tue Mar  5 14:04:04 2024 [pid 4132] CONNECT: Client "203.0.113.6", "Connection refused: too many sessions."',
        'Tue Mar  5 14:04:05 2024 [pid 4131] [ftp] FTP command: Client "203.0.113.5", "PASS <password>"',
      ],
      yields: [
        { event: { kind: 'login', username: 'bob', clientIp: '198.51.100.4', outcome: 'fail' } },
        { event: { kind: 'login', username: 'ftp', detail: 'anonymous', outcome: 'ok' } },
        { event: { kind: 'connect', outcome: 'fail', detail: 'Connection refused: too many sessions.' } },
        { event: { kind: 'command', command: 'PASS', detail: '***', path: null } },
      ],
    },
    {
      description: 'syslog variant with the year from the reference date, and a PAM failure',
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:21 ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        'Mar  5 14:03:22 ftp1 vsftpd[4125]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=eve rhost=198.51.100.23  user=eve',
        'Mar  5 14:03:23 ftp1 sshd[999]: Accepted publickey for root',
      ],
      yields: [
        { event: { ts: '2024-03-05T14:03:21Z', kind: 'login', server: 'ftp1', session: '4120', username: 'alice', outcome: 'ok' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.23', username: 'eve', session: '4125' } },
        { skip: 'other-program' },
      ],
    },
    {
      description: 'the envelopes of journalctl (short, short-precise, short-iso, short-iso-precise), RFC 3339 with and without a zone, RFC 5424, a [facility.severity] tag',
      options: { tz: 'Europe/Berlin', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar 05 14:03:21 ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        'Mar 05 14:03:21.123456 ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        '2024-03-05T14:03:21+01:00 ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        '2024-03-05T14:03:21.123456+0100 ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        '2024-03-05T13:03:21.5Z ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        '2024-03-05T14:03:21 ftp1 vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        '<28>1 2024-03-05T13:03:21.000Z ftp1 vsftpd 4120 - - [bob] FAIL LOGIN: Client "198.51.100.4"',
        '<28>1 2024-03-05T14:03:21+01:00 ftp1 vsftpd - - [meta sequenceId="1"] [bob] FAIL LOGIN: Client "198.51.100.4"',
        'Mar  5 14:03:21 ftp1 [ftp.info] vsftpd[4120]: [alice] OK LOGIN: Client "203.0.113.9"',
        '<38>1 2024-03-05T13:03:21Z ftp1 sshd 999 - - Accepted publickey for root',
      ],
      yields: [
        ...Array.from({ length: 6 }, () => ({ event: { ts: '2024-03-05T13:03:21Z', kind: 'login' as const, server: 'ftp1', session: '4120', username: 'alice', outcome: 'ok' as const } })),
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'login', server: 'ftp1', session: '4120', username: 'bob', clientIp: '198.51.100.4', outcome: 'fail' } },
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'login', server: 'ftp1', session: null, username: 'bob', outcome: 'fail' } },
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'login', username: 'alice', outcome: 'ok' } },
        { skip: 'other-program' },
      ],
    },
    {
      description: "every PAM form for the vsftpd service: pam_unix's, the old (pam_unix) ones, pam_listfile's refusal; a summary of more failures is none",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:22 ftp1 vsftpd[4125]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=eve rhost=198.51.100.23  user=eve',
        'Mar  5 14:03:23 ftp1 vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ftp ruser=eve rhost=198.51.100.23  user=eve',
        'Mar  5 14:03:24 ftp1 vsftpd(pam_unix)[4126]: authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=::ffff:198.51.100.24',
        'Mar  5 14:03:25 ftp1 vsftpd[4127]: pam_listfile(vsftpd:auth): Refused user root for service vsftpd',
        'Mar  5 14:03:26 ftp1 vsftpd[4127]: pam_unix(vsftpd:auth): 2 more authentication failures; logname= uid=0 euid=0 tty=ftp ruser=eve rhost=198.51.100.23  user=eve',
      ],
      yields: [
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.23', username: 'eve', session: '4125' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.23', username: 'eve', session: null } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.24', username: null, session: '4126' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: null, username: 'root', detail: 'refused by pam_listfile' } },
        { event: { kind: 'debug', outcome: 'ok' } },
      ],
    },
  ],
};
