import { outcomeOfReply } from '../codes/replyCodes.js';
import { normalizeIp } from './net.js';
import { wholeNumberAt } from '../number.js';
import { isJournalBlob, isJournalMarker, parseSyslog, SyslogYear, unescapedMessage } from './syslog.js';
import { ClientSessions } from './sessions.js';
import { pamEvent } from './pam.js';
import { isoSeconds } from '../timestamp.js';
import { CtimeReader, looksLikeCtime } from './time.js';
import { ZoneClock } from '../zone.js';
import {
  detailText, emit, lookupTable, newEvent, reject, SKIP, statelessParser, type ServerFormat, type LineParser, type LineResult,
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
  /** The process that wrote the line, as the syslog tag names it (vsftpd's own `[pid N]` comes later). */
  pid: string | null;
  /** The line as it is read: rsyslog's `#ooo` escapes undone. */
  line: string;
  /** Where the message (after the header) starts. */
  at: number;
  /** A message without any stamp (`journalctl -o cat`): its time is the source's. */
  timeless: boolean;
}

const RATE_SUFFIX = 'Kbyte/sec';
const BYTES_SUFFIX = ' bytes';
/** Lines a multi-line FTP reply may run on for; past them a line that reads as nothing is a reject again. */
const MAX_CONTINUATION = 200;

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const years = new SyslogYear(options.referenceDate, options.year);
  const stamps = new CtimeReader(clock);
  const sessions = new ClientSessions();
  const sourceTs = isoSeconds(options.referenceDate.getTime());
  /** Lines the multi-line reply of the line before may still take (0: none open). */
  let continuing = 0;

  function header(line: string): Header | LineResult {
    const end = stamps.read(line, 0);
    // vsftpd's own file puts `[pid N]` after its stamp; logread puts `daemon.info vsftpd[N]:`.
    const sys = end >= 0 && line.charCodeAt(end + 1) === 91 /* [ */ ? null : parseSyslog(line, clock, years);
    if (end >= 0 && sys === null) {
      if (stamps.iso === null) return reject(`vsftpd: ${stamps.problem}`);
      return { ts: stamps.iso, server: null, pid: null, line, at: end + 1, timeless: false };
    }
    if (!sys) {
      if (looksLikeMessage(line)) return { ts: sourceTs, server: null, pid: null, line, at: 0, timeless: true };
      if (SYSTEMD_UNIT_MESSAGE.test(line)) return SKIP.otherProgram;
      return reject('vsftpd: line starts with neither a date like "Tue Mar  5 14:03:27 2024", a syslog header nor a vsftpd message');
    }
    const program = sys.program.toLowerCase();
    // Old PAM logs under `vsftpd(pam_unix)[pid]:`; PAM modules otherwise under vsftpd's own tag, or
    // another program's when that program authenticates for the vsftpd service.
    PAM_FOR_VSFTPD.lastIndex = sys.bodyStart;
    if (program !== 'vsftpd' && !program.startsWith('vsftpd(pam_') && !PAM_FOR_VSFTPD.test(line)) return SKIP.otherProgram;
    const { body, line: text } = unescapedMessage(line, sys);
    if (isJournalBlob(body)) return reject('vsftpd: journalctl wrote "[… blob data]" for a message that is not valid UTF-8; export the journal with journalctl --all to read it');
    const h: Header = { ts: sys.ts, server: sys.host, pid: sys.pid, line: text, at: sys.bodyStart, timeless: false };
    // Some setups log vsftpd's own stamp inside the message: it has the year a traditional header lacks.
    const own = stamps.read(text, h.at);
    if (own >= 0) {
      if (sys.yearless && stamps.iso !== null) h.ts = stamps.iso;
      h.at = own + 1;
    }
    if (program !== 'vsftpd') return pam(text, h.at, h, sys.pid, sessions);
    return h;
  }

  /** A line after a reply that spans lines: part of it, unless it starts a line of its own. */
  function continuation(line: string): LineResult | null {
    if (stamps.read(line, 0) >= 0 || parseSyslog(line, clock, years) !== null || looksLikeMessage(line)) {
      continuing = 0;
      return null;
    }
    // The reply's quote closes on its last line.
    continuing = line.endsWith('"') ? 0 : continuing - 1;
    return SKIP.continuation;
  }

  function parse(raw: string): LineResult {
    if (raw.charCodeAt(0) === 35 /* # */ || isJournalMarker(raw)) return SKIP.comment;
    if (continuing > 0) {
      const c = continuation(raw);
      if (c !== null) return c;
    }
    const h = header(raw);
    if ('type' in h) return h;
    const line = h.line;
    let p = h.at;
    let pid = h.pid;

    if (line.startsWith('[pid ', p)) {
      const close = line.indexOf('] ', p);
      if (close < 0) return reject('vsftpd: unterminated [pid …]');
      pid = line.slice(p + 5, close);
      p = close + 2;
    }
    if (line.startsWith('pam_', p) || line.startsWith('(pam_', p)) return pam(line, p, h, pid, sessions);
    DAEMON_MESSAGE.lastIndex = p;
    if (DAEMON_MESSAGE.test(line)) return daemonMessage(line.slice(p), h, pid, sessions);
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
      if (rest.unclosed) continuing = MAX_CONTINUATION;
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
      if (action === 'RENAME' && rest.arg !== null) [e.path, e.detail] = splitRename(rest.arg);
      else if (action === 'CHMOD' && rest.arg !== null) [e.path, e.detail] = splitLast(rest.arg, 'mode ');
      else if (rest.anonymous) e.detail = 'anonymous';
      else if (known?.kind === 'connect' || known?.kind === 'login' || !known) e.detail = rest.arg;
      else if (rest.arg !== null) e.path = rest.arg;
    }
    e.clientIp = client;
    e.username = username;
    e.session = sessions.of(h.ts, client, pid, action === 'CONNECT');
    e.server = h.server;
    if (h.timeless) e.flags = NO_TIMESTAMP;
    return emit(e);
  }

  return statelessParser(parse);
}

/**
 * What vsftpd says of itself rather than of a client: `500 OOPS: …` (a session or the daemon dies,
 * often of its configuration), `ERROR: …` (RHEL's log_die), `warning: …`. Each is a failure, with
 * the text as its detail; none names a client.
 */
const DAEMON_MESSAGE = /(?:500 OOPS|ERROR|warning): /y;

function daemonMessage(text: string, h: Header, pid: string | null, sessions: ClientSessions): LineResult {
  const e = newEvent(h.ts, 'debug', 'fail');
  e.detail = detailText(text);
  e.session = sessions.of(h.ts, null, pid, false);
  e.server = h.server;
  if (h.timeless) e.flags = NO_TIMESTAMP;
  return emit(e);
}

/** The flag of an event whose line had no time: it is dated by its source (the file's modification time). */
const NO_TIMESTAMP = 'no-timestamp';

/**
 * A vsftpd message with no header at all, as `journalctl -o cat` writes it or a syslog-mode body
 * forwarded elsewhere: `[user] OK LOGIN: Client "…"`, `CONNECT: Client "…"`, `[pid 4121] …` (a file
 * line without its date), or a PAM message for the vsftpd service. anchor() then reads it strictly.
 */
function looksLikeMessage(line: string): boolean {
  DAEMON_MESSAGE.lastIndex = 0;
  return (MESSAGE_START.test(line) && line.includes(CLIENT)) || PAM_MESSAGE.test(line) || DAEMON_MESSAGE.test(line);
}

const MESSAGE_START = /^(?:\[|(?:OK |FAIL )?[A-Z]+(?: [a-z]+)?: Client ")/;
/** What systemd writes about the unit among its messages (`journalctl -u vsftpd -o cat`). */
const SYSTEMD_UNIT_MESSAGE = /^(?:(?:Starting|Started|Stopping|Stopped|Reloading|Reloaded|Failed to start) [\w@.-]+\.service\b|[\w@.-]+\.service: )/;
/** A PAM module's prefix for the vsftpd service, where a message starts (sticky: set lastIndex). */
const PAM_FOR_VSFTPD = /pam_\w+\(vsftpd:/y;
const PAM_MESSAGE = /^(?:pam_\w+\(vsftpd:\w+\): |\(pam_unix\) )/;

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
  if (head.action === 'FTP response' && line.startsWith(', "', after) && !line.endsWith('"') && isDigits(line, after + 3, after + 6) && line.charCodeAt(after + 6) === 45 /* - */) {
    // The first line of a multi-line reply that journalctl printed with its line breaks: the rest follows.
    rest = { arg: line.slice(after + 3), bytes: null, rate: null, anonymous: false, unclosed: true };
  } else if (head.action === 'LOGIN') {
    const note = line.slice(after);
    if (note === '' || LOGIN_NOTES.has(note)) rest = { arg: note === '' ? null : note.slice(3, -1), bytes: null, rate: null, anonymous: false };
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
  /** The argument's quote is not closed on this line: a multi-line reply goes on below. */
  unclosed?: true;
}

function isDigits(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return end <= line.length;
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

/** PAM's line for the vsftpd service (src/formats/pam.ts), with this line's session and server. */
function pam(line: string, at: number, h: Header, pid: string | null, sessions: ClientSessions): LineResult {
  const e = pamEvent(line.slice(at), h.ts);
  e.session = sessions.of(h.ts, e.clientIp, pid, false);
  e.server = h.server;
  if (h.timeless) e.flags = NO_TIMESTAMP;
  return emit(e);
}

/** The session of the first sample. */
const S = '2024-03-05T14:03:20Z 203.0.113.9';

export const vsftpd: ServerFormat = {
  name: 'vsftpd',
  syslogPrograms: ['vsftpd'],
  description: "vsftpd's own log (vsftpd.log), native or through syslog, with PAM authentication failures",
  sniff(line) {
    if (looksLikeCtime(line, 0)) return /^.{20,30}(?:\[pid \d+\] |\w+\.\w+ vsftpd(?:\[\d+\])?: )/.test(line.slice(0, 80));
    const head = line.slice(0, 160);
    return /^\S.{10,60}? vsftpd(?:\(pam_\w+\))?(?:\[\d+\])?: /.test(head) || /^<\d{1,3}>1 \S+ \S+ vsftpd /.test(head) || looksLikeMessage(line);
  },
  createParser,
  samples: [
    {
      description: 'a session (three pids, one client): connect, login, download with bytes and rate, a logged command and response',
      options: { tz: 'UTC' },
      lines: [
        'Tue Mar  5 14:03:20 2024 [pid 4121] CONNECT: Client "203.0.113.9"',
        'Tue Mar  5 14:03:21 2024 [pid 4120] [alice] OK LOGIN: Client "203.0.113.9"',
        'Tue Mar  5 14:03:27 2024 [pid 4122] [alice] OK DOWNLOAD: Client "203.0.113.9", "/pub/a file.txt", 52344 bytes, 812.40Kbyte/sec',
        'Tue Mar  5 14:05:00 2024 [pid 4122] [alice] FTP command: Client "203.0.113.9", "STOR report.csv"',
        'Tue Mar  5 14:05:00 2024 [pid 4122] [alice] FTP response: Client "203.0.113.9", "553 Could not create file."',
      ],
      yields: [
        { event: { ts: '2024-03-05T14:03:20Z', kind: 'connect', clientIp: '203.0.113.9', session: S, username: null, outcome: 'ok' } },
        { event: { kind: 'login', command: 'LOGIN', username: 'alice', outcome: 'ok', session: S } },
        { event: { kind: 'transfer', command: 'RETR', direction: 'download', path: '/pub/a file.txt', bytes: 52344, durationMs: 63, outcome: 'ok', session: S } },
        { event: { kind: 'command', command: 'STOR', path: 'report.csv', outcome: 'ok', session: S } },
        { event: { kind: 'reply', replyCode: 553, detail: '553 Could not create file.', outcome: 'fail', session: S } },
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
        { event: { ts: '2024-03-05T14:03:21Z', kind: 'login', server: 'ftp1', session: '2024-03-05T14:03:21Z 203.0.113.9', username: 'alice', outcome: 'ok' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.23', username: 'eve', session: '2024-03-05T14:03:22Z 198.51.100.23' } },
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
        ...Array.from({ length: 6 }, () => ({ event: { ts: '2024-03-05T13:03:21Z', kind: 'login' as const, server: 'ftp1', session: '2024-03-05T13:03:21Z 203.0.113.9', username: 'alice', outcome: 'ok' as const } })),
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'login', server: 'ftp1', session: '2024-03-05T13:03:21Z 198.51.100.4', username: 'bob', clientIp: '198.51.100.4', outcome: 'fail' } },
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'login', server: 'ftp1', session: '2024-03-05T13:03:21Z 198.51.100.4', username: 'bob', outcome: 'fail' } },
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'login', username: 'alice', outcome: 'ok' } },
        { skip: 'other-program' },
      ],
    },
    {
      description: 'sessions under isolate=YES (pids 1-3 in every session) and with real pids reused; a rate without a byte count',
      options: { tz: 'UTC' },
      lines: [
        'Tue Mar  5 14:03:20 2024 [pid 2] CONNECT: Client "203.0.113.9"',
        'Tue Mar  5 14:03:20 2024 [pid 2] CONNECT: Client "198.51.100.4"',
        'Tue Mar  5 14:03:21 2024 [pid 1] [alice] OK LOGIN: Client "203.0.113.9"',
        'Tue Mar  5 14:03:22 2024 [pid 1] [bob] FAIL LOGIN: Client "198.51.100.4"',
        'Tue Mar  5 14:03:23 2024 [pid 3] [alice] OK DOWNLOAD: Client "203.0.113.9", "/pub/empty", 0.00Kbyte/sec',
        'Tue Mar  5 14:04:00 2024 [pid 2] CONNECT: Client "203.0.113.9"',
        'Tue Mar  5 14:04:01 2024 [pid 1] [alice] OK LOGIN: Client "203.0.113.9"',
        'Tue Mar  5 15:00:00 2024 [pid 4121] CONNECT: Client "203.0.113.9"',
        'Tue Mar  5 15:00:01 2024 [pid 4120] [carol] OK LOGIN: Client "203.0.113.9"',
        'Tue Mar  5 16:00:00 2024 [pid 4121] CONNECT: Client "198.51.100.4"',
        'Tue Mar  5 16:00:01 2024 [pid 4121] [dave] FTP command: Client "198.51.100.4", "USER dave"',
        'Tue Mar  5 16:00:02 2024 [pid 4122] [carol] OK MKDIR: Client "203.0.113.9", "/new"',
      ],
      yields: [
        { event: { kind: 'connect', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'connect', session: '2024-03-05T14:03:20Z 198.51.100.4' } },
        { event: { kind: 'login', username: 'alice', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'login', username: 'bob', outcome: 'fail', session: '2024-03-05T14:03:20Z 198.51.100.4' } },
        { event: { kind: 'transfer', bytes: 0, durationMs: null, path: '/pub/empty', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'connect', session: '2024-03-05T14:04:00Z 203.0.113.9' } },
        { event: { kind: 'login', session: '2024-03-05T14:04:00Z 203.0.113.9' } },
        { event: { kind: 'connect', session: '2024-03-05T15:00:00Z 203.0.113.9' } },
        { event: { kind: 'login', username: 'carol', session: '2024-03-05T15:00:00Z 203.0.113.9' } },
        { event: { kind: 'connect', session: '2024-03-05T16:00:00Z 198.51.100.4' } },
        { event: { kind: 'command', username: 'dave', session: '2024-03-05T16:00:00Z 198.51.100.4' } },
        { event: { kind: 'file', username: 'carol', session: '2024-03-05T15:00:00Z 203.0.113.9' } },
      ],
    },
    {
      description: "vsftpd's own stamp inside a syslog message, bare messages (journalctl -o cat), rsyslog's #ooo escapes, journalctl's blob placeholder",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:21 ftp1 vsftpd[4120]: Tue Mar  5 14:03:21 2023 [pid 4120] [alice] OK LOGIN: Client "203.0.113.9"',
        '2024-03-05T14:03:22+00:00 ftp1 vsftpd[4120]: Tue Mar  5 15:03:22 2024 [pid 4120] [alice] OK LOGIN: Client "203.0.113.9"',
        '[bob] FAIL LOGIN: Client "198.51.100.4"',
        'pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=198.51.100.4  user=bob',
        'Mar  5 14:03:23 ftp1 vsftpd[4122]: [al#011ice] FAIL LOGIN: Client "203.0.113.9"',
        'Mar  5 14:03:23 ftp1 vsftpd[4122]: [#303#251mile] FAIL LOGIN: Client "203.0.113.9"',
        'Mar  5 14:03:24 ftp1 vsftpd[4122]: [27B blob data]',
      ],
      yields: [
        { event: { ts: '2023-03-05T14:03:21Z', kind: 'login', username: 'alice', server: 'ftp1' } },
        { event: { ts: '2024-03-05T14:03:22Z', kind: 'login', username: 'alice' } },
        { event: { ts: '2024-03-06T00:00:00Z', kind: 'login', outcome: 'fail', username: 'bob', clientIp: '198.51.100.4', server: null, flags: 'no-timestamp' } },
        { event: { ts: '2024-03-06T00:00:00Z', kind: 'login', command: 'PAM', outcome: 'fail', username: 'bob', clientIp: '198.51.100.4', flags: 'no-timestamp' } },
        { event: { ts: '2024-03-05T14:03:23Z', username: 'al\tice', outcome: 'fail' } },
        { event: { username: 'émile', outcome: 'fail' } },
        { reject: 'vsftpd: journalctl wrote "[… blob data]" for a message that is not valid UTF-8; export the journal with journalctl --all to read it' },
      ],
    },
    {
      description: 'a multi-line reply journalctl printed with its line breaks, a quoted argument holding quotes; a stray line with no reply open',
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar 05 14:03:25 ftp1 vsftpd[4122]: [alice] FTP response: Client "203.0.113.9", "211-Features:',
        ' EPRT',
        ' EPSV',
        '211 End"',
        'Mar 05 14:03:26 ftp1 vsftpd[4122]: [alice] FTP command: Client "203.0.113.9", "MKD a "quoted" dir"',
        ' MDTM',
      ],
      yields: [
        { event: { kind: 'reply', replyCode: 211, detail: '211-Features:', outcome: 'ok' } },
        { skip: 'continuation' }, { skip: 'continuation' }, { skip: 'continuation' },
        { event: { kind: 'command', command: 'MKD', path: 'a "quoted" dir' } },
        { reject: 'vsftpd: line starts with neither a date like "Tue Mar  5 14:03:27 2024", a syslog header nor a vsftpd message' },
      ],
    },
    {
      description: "every PAM form for the vsftpd service: pam_unix's, the old (pam_unix) ones, pam_listfile's refusal; a summary of more failures is none; another program's line naming the service is not PAM's",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:22 ftp1 vsftpd[4125]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=eve rhost=198.51.100.23  user=eve',
        'Mar  5 14:03:23 ftp1 vsftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ftp ruser=eve rhost=198.51.100.23  user=eve',
        'Mar  5 14:03:24 ftp1 vsftpd(pam_unix)[4126]: authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=::ffff:198.51.100.24',
        'Mar  5 14:03:25 ftp1 vsftpd[4127]: pam_listfile(vsftpd:auth): Refused user root for service vsftpd',
        'Mar  5 14:03:26 ftp1 vsftpd[4127]: pam_unix(vsftpd:auth): 2 more authentication failures; logname= uid=0 euid=0 tty=ftp ruser=eve rhost=198.51.100.23  user=eve',
        'Mar  5 14:03:27 ftp1 sshd[990]: Invalid user (vsftpd:auth) from 198.51.100.23 port 40222',
      ],
      yields: [
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.23', username: 'eve', session: '2024-03-05T14:03:22Z 198.51.100.23' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.23', username: 'eve', session: '2024-03-05T14:03:22Z 198.51.100.23' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: '198.51.100.24', username: null, session: '2024-03-05T14:03:24Z 198.51.100.24' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', clientIp: null, username: 'root', detail: 'refused by pam_listfile', session: null } },
        { event: { kind: 'debug', outcome: 'ok' } },
        { skip: 'other-program' },
      ],
    },
    {
      description: "busybox's and OpenWrt's logread: vsftpd's date with the year, facility.severity, no host; busybox syslogd's facility.severity after the host",
      options: { tz: 'Europe/Berlin', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Tue Mar  5 14:03:21 2024 daemon.info vsftpd[2]: CONNECT: Client "192.168.1.20"',
        'Tue Mar  5 14:03:24 2024 daemon.warn vsftpd[1]: [admin] FAIL LOGIN: Client "192.168.1.20"',
        'Tue Mar  5 14:03:25 2024 authpriv.notice dropbear[1812]: Password auth succeeded for \'root\' from 192.168.1.20:50122',
        'Mar  5 14:03:26 router daemon.info vsftpd[3]: [ftp] OK DOWNLOAD: Client "192.168.1.20", "/mnt/usb/a.txt", 12 bytes, 1.00Kbyte/sec',
      ],
      yields: [
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'connect', server: null, clientIp: '192.168.1.20' } },
        { event: { kind: 'login', outcome: 'fail', username: 'admin', clientIp: '192.168.1.20' } },
        { skip: 'other-program' },
        { event: { ts: '2024-03-05T13:03:26Z', kind: 'transfer', server: 'router', bytes: 12 } },
      ],
    },
    {
      description: "RHEL's user-list refusals, pam_sss's one space before user=, and what vsftpd says of itself (500 OOPS, ERROR, warning)",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Tue Mar  5 14:03:22 2024 [pid 1] [root] FAIL LOGIN: Client "::ffff:192.0.2.10", "User is in the deny user list."',
        'Mar  5 14:03:29 ftp1 vsftpd[2216]: pam_sss(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=zoe rhost=192.0.2.12 user=zoe',
        'Mar  5 14:03:30 ftp1 vsftpd[2217]: 500 OOPS: vsftpd: refusing to run with writable root inside chroot()',
        'Mar  5 14:03:31 ftp1 vsftpd[2218]: warning: can\'t get client address: Socket operation on non-socket',
        '500 OOPS: could not bind listening IPv4 socket',
      ],
      yields: [
        { event: { kind: 'login', outcome: 'fail', username: 'root', clientIp: '192.0.2.10', detail: 'User is in the deny user list.' } },
        { event: { kind: 'login', command: 'PAM', outcome: 'fail', username: 'zoe', clientIp: '192.0.2.12' } },
        { event: { kind: 'debug', outcome: 'fail', clientIp: null, detail: '500 OOPS: vsftpd: refusing to run with writable root inside chroot()' } },
        { event: { kind: 'debug', outcome: 'fail', detail: "warning: can't get client address: Socket operation on non-socket" } },
        { event: { kind: 'debug', outcome: 'fail', flags: 'no-timestamp' } },
      ],
    },
  ],
};
