import { clfInstant, looksLikeClf, parseClf, type ClfLine } from './clf.js';
import { normalizeIp } from './net.js';
import { pamEvent } from './pam.js';
import { remember } from './remember.js';
import { outcomeOfReply } from '../codes/replyCodes.js';
import { ClientSessions } from './sessions.js';
import { SyslogYear, syslogMessage } from './syslog.js';
import { isoSeconds } from '../timestamp.js';
import { ZoneClock } from '../zone.js';
import { detailText, emit, newEvent, reject, SKIP, statelessParser, type ServerFormat, type LineParser, type LineResult, type ParserOptions } from './types.js';
import type { FtpEvent } from '../event.js';

/**
 * ProFTPD's own log lines, through syslog (`proftpd[pid]: <server> (<name>[<ip>]) - <msg>`, or
 * `proftpd[pid] <server> (<name>[<ip>]): <msg>`) or in its SystemLog file (`2024-03-05 14:03:21,123
 * <host> proftpd[pid] <server> (<name>[<ip>]): <msg>`). The address is the one in the `(<name>[<ip>])`
 * ProFTPD puts right after its server name: the message after it holds the client's USER text, which
 * may itself hold `from x [ip]`. Its TransferLog is xferlog (src/formats/xferlog.ts).
 */

/** The client part ProFTPD writes after its server name: the name is filtered to `[A-Za-z0-9.:-]`, `_` for others. */
const CLIENT_INFO = /^(\S+) \(([A-Za-z0-9._:-]*)\[([0-9A-Fa-f.:]+)\]\)(?: - |: )/;
/** `<server> - ` (syslog) or `<server>: ` (its own writer; a dotted name, so that `notice: …` is not taken for one). */
const SERVER_ONLY = /^([A-Za-z0-9.-]+) - |^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+): /;
/** `2024-03-05 14:03:21,123 host proftpd[12]` (SystemLog): a label `proftpd`, or `daemon`/`session` with RoleBasedProcessLabels. */
const SYSTEM_LOG = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),\d{3} (\S+) (?:proftpd|daemon|session)\[(\d+)\]:? /;

/** The reasons ProFTPD writes after `USER <name> (Login failed): `. */
const FAIL_REASONS = [
  'Incorrect password', 'No such user found', 'Password expired', 'Account disabled', 'Insufficient credentials',
  'Unavailable credentials', 'Failure setting credentials', 'Unavailable authentication service',
  'Max authentication service attempts reached', 'Failed initializing authentication service', 'New authentication token required',
  'User in /etc/ftpusers', 'Limit access denies login', 'maximum USER length exceeded',
];
const LOGIN_FAILED = ' (Login failed): ';

interface Where {
  ts: string;
  server: string | null;
  pid: string | null;
  /** Start of the message after the server's part. */
  at: number;
  clientIp: string | null;
  line: string;
}

const PROGRAMS = ['proftpd'];

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const years = new SyslogYear(options.referenceDate, options.year);
  const sessions = new ClientSessions();

  function where(line: string): Where | LineResult {
    const sys = SYSTEM_LOG.exec(line);
    if (sys) {
      const ms = clock.toUtcMs(+sys[1]!, +sys[2]!, +sys[3]!, +sys[4]!, +sys[5]!, +sys[6]!);
      if (Number.isNaN(ms)) return reject('proftpd: impossible date');
      return client({ ts: isoSeconds(ms), server: sys[7]!, pid: sys[8]!, at: sys[0].length, clientIp: null, line });
    }
    const m = syslogMessage(line, clock, years, PROGRAMS);
    if (m === null) return reject('proftpd: line starts with neither a syslog header nor a date like "2024-03-05 14:03:21,123"');
    if (m === 'other') return SKIP.otherProgram;
    const s = m.sys;
    return client({ ts: s.ts, server: s.host, pid: s.pid, at: s.bodyStart, clientIp: null, line: m.line });
  }

  /** The USER name each address sent last: an ExtendedLog PASS line names no user before the login. */
  const userOf = new Map<string, string>();

  /** A line of the default ExtendedLog: one command and the reply code it got. */
  function extended(c: ClfLine): LineResult {
    const ms = clfInstant(c, c.offset);
    if (Number.isNaN(ms)) return reject('proftpd: impossible date');
    const e = commandEvent(c, isoSeconds(ms), userOf);
    e.session = sessions.of(e.ts, e.clientIp, c.pid, false);
    return emit(e);
  }

  function parse(line: string): LineResult {
    if (line.charCodeAt(0) === 35 /* # */) return SKIP.comment;
    if (looksLikeClf(line)) {
      const c = parseClf(line);
      if (c) return extended(c);
    }
    const w = where(line);
    if ('type' in w) return w;
    const e = message(w.line.slice(w.at), w.ts);
    if (e.clientIp === null) e.clientIp = w.clientIp;
    e.server = w.server;
    e.session = sessions.of(w.ts, e.clientIp, w.pid, e.kind === 'connect' && e.command === 'OPEN');
    return emit(e);
  }

  return statelessParser(parse);
}

const TRANSFER_VERBS: Readonly<Record<string, 'download' | 'upload' | undefined>> = { RETR: 'download', STOR: 'upload', APPE: 'upload', STOU: 'upload' };
const FILE_VERBS = new Set(['DELE', 'MKD', 'XMKD', 'RMD', 'XRMD', 'RNFR', 'RNTO', 'SITE']);

/**
 * An ExtendedLog line as an event: a PASS with 230 or a 4xx/5xx is the login (named by `%u`, else the
 * address's last USER), a RETR/STOR the transfer, the rest commands with their reply. A PASS argument
 * (`(hidden)`, or an anonymous password) is never kept.
 */
function commandEvent(c: ClfLine, ts: string, userOf: Map<string, string>): FtpEvent {
  const space = c.request.indexOf(' ');
  const verb = (space < 0 ? c.request : c.request.slice(0, space)).toUpperCase();
  const arg = space < 0 ? null : c.request.slice(space + 1);
  const code = c.status;
  const outcome = code === null ? 'ok' : outcomeOfReply(code);
  if (verb === 'USER' && arg !== null) remember(userOf, c.host, arg);
  const direction = TRANSFER_VERBS[verb];
  const isLogin = verb === 'PASS' && code !== null && (code === 230 || code >= 400);
  const e = newEvent(ts, isLogin ? 'login' : direction ? 'transfer' : FILE_VERBS.has(verb) ? 'file' : 'command', outcome);
  e.command = verb || null;
  e.clientIp = normalizeIp(c.host);
  e.username = c.user ?? (verb === 'USER' ? arg : (userOf.get(c.host) ?? null));
  e.replyCode = code;
  if (verb === 'PASS') e.detail = '***';
  else if (direction || FILE_VERBS.has(verb) || verb === 'CWD' || verb === 'SIZE' || verb === 'MDTM') e.path = arg;
  else e.detail = arg === null ? null : detailText(arg);
  if (direction) {
    e.direction = direction;
    e.bytes = c.bytes;
  }
  return e;
}

/** Passes over `<server> (<name>[<ip>]) - ` and takes the address from it. */
function client(w: Where): Where {
  const m = CLIENT_INFO.exec(w.line.slice(w.at, w.at + 400));
  if (!m) {
    // A line of the server without a client: `<server> - <msg>`.
    const s = SERVER_ONLY.exec(w.line.slice(w.at, w.at + 300));
    if (s) {
      if (w.server === null) w.server = s[1] ?? s[2]!;
      w.at += s[0].length;
    }
    return w;
  }
  if (w.server === null) w.server = m[1]!;
  w.clientIp = normalizeIp(m[3]!);
  w.at += m[0].length;
  return w;
}

/** What one ProFTPD message says; the client's address is the caller's unless the message names the refused one. */
export function message(msg: string, ts: string): FtpEvent {
  const login = loginMessage(msg, ts);
  if (login) return login;
  if (msg.startsWith('pam_') || msg.startsWith('(pam_')) return pamEvent(msg, ts);
  if (msg === 'FTP session opened.' || msg === 'SSH2 session opened.') return newEvent(ts, 'connect', 'ok', 'OPEN');
  if (msg === 'FTP session closed.' || msg === 'SSH2 session closed.') return newEvent(ts, 'disconnect', 'ok', 'CLOSE');
  const refused = /^(?:Connection from \S+ \[([0-9A-Fa-f.:]+)\] denied|connection refused \(.*\) from \S+ \[([0-9A-Fa-f.:]+)\]|Connection refused \(Max\w+(?: \S+)? \d+\)|mod_ban\/[\d.]+: Login denied: host '.*' banned)/.exec(msg);
  if (refused) {
    const e = newEvent(ts, 'connect', 'fail', 'CONNECT');
    const ip = refused[1] ?? refused[2];
    if (ip) e.clientIp = normalizeIp(ip);
    e.detail = detailText(msg);
    return e;
  }
  if (/^(?:Login timeout exceeded|Client session idle timeout|FTP session timed out|\S+ no transfer timeout), disconnected$|^Data transfer stall timeout: /.test(msg)) {
    const e = newEvent(ts, 'disconnect', 'fail', 'TIMEOUT');
    e.detail = msg;
    return e;
  }
  const e = newEvent(ts, 'debug', 'ok');
  e.detail = detailText(msg);
  return e;
}

/**
 * The login lines. `USER <name>` holds the client's text, spaces and all, so each is read from its end,
 * where ProFTPD's own words are: the name is what is left before them.
 */
function loginMessage(msg: string, ts: string): FtpEvent | null {
  let m: RegExpExecArray | null;
  if (msg.startsWith('USER ') || msg.startsWith('ANON ')) {
    const anon = msg.startsWith('ANON ');
    const ok = msg.endsWith(': Login successful.') ? msg.length - 19 : msg.endsWith(': Login successful') ? msg.length - 18 : -1;
    if (ok > 5) return loginEvent(ts, 'ok', anon ? 'anonymous' : msg.slice(5, ok), anon ? `anonymous as ${msg.slice(5, ok)}` : null);
    const failed = failedAt(msg);
    if (failed > 5) return loginEvent(ts, 'fail', anon ? 'anonymous' : msg.slice(5, failed), msg.slice(failed + LOGIN_FAILED.length));
    // `USER x: no such user found from <name> [<ip>] to <ip>:<port>`: ProFTPD's words and names after the client's.
    m = /: (no such user found|user is not a UserAlias) from [A-Za-z0-9._:-]* \[[0-9A-Fa-f.:]+\] to \S+$/.exec(msg);
    if (m && m.index > 5) return loginEvent(ts, 'fail', msg.slice(5, m.index), m[1]!);
    if (anon && msg.endsWith(': AnonRejectPasswords denies login')) return loginEvent(ts, 'fail', 'anonymous', 'AnonRejectPasswords denies login');
    return null;
  }
  if (msg === 'ROOT FTP login successful') return loginEvent(ts, 'ok', 'root', null);
  if ((m = /^Refusing empty password from user '(.*)'$/.exec(msg))) return loginEvent(ts, 'fail', m[1]!, 'empty password');
  // Both follow a failed attempt ProFTPD logs as well: reports count them once with it (queries/fragments/login-copies.sql).
  if (msg.startsWith('SECURITY VIOLATION: Root login attempted')) return repeat(loginEvent(ts, 'fail', 'root', 'root login refused'));
  if ((m = /^Maximum login attempts \((\d+)\) exceeded, connection refused$/.exec(msg))) return repeat(loginEvent(ts, 'fail', null, msg));
  if ((m = /^mod_auth_pam\/[\d.]+: PAM\((.*)\): (.*)$/.exec(msg)) && /fail|denied|unknown|expired|error/i.test(m[2]!)) {
    const e = loginEvent(ts, 'fail', m[1]!, m[2]!);
    e.command = 'PAM';
    return e;
  }
  return null;
}

/** Where ProFTPD's ` (Login failed): ` is: the last one that a known reason follows, else the last one. */
function failedAt(msg: string): number {
  let last = -1;
  for (let i = msg.indexOf(LOGIN_FAILED); i >= 0; i = msg.indexOf(LOGIN_FAILED, i + 1)) {
    const reason = msg.slice(i + LOGIN_FAILED.length);
    // Some versions end the reason with a period.
    if (FAIL_REASONS.includes(reason.endsWith('.') ? reason.slice(0, -1) : reason) || reason.startsWith('Invalid shell: ')) last = i;
    else if (last < 0 && msg.indexOf(LOGIN_FAILED, i + 1) < 0) last = i;
  }
  return last;
}

function loginEvent(ts: string, outcome: 'ok' | 'fail', user: string | null, detail: string | null): FtpEvent {
  const e = newEvent(ts, 'login', outcome, 'LOGIN');
  e.username = user;
  e.detail = detail;
  return e;
}

/** A failed login that restates one already logged (see queries/fragments/login-copies.sql). */
function repeat(e: FtpEvent): FtpEvent {
  e.command = 'REPEAT';
  return e;
}

export const proftpd: ServerFormat = {
  name: 'proftpd',
  syslogPrograms: PROGRAMS,
  description: "ProFTPD's own log: syslog lines, its SystemLog file and the default ExtendedLog (its TransferLog is xferlog)",
  sniff(line) {
    if (SYSTEM_LOG.test(line) || /^\S.{10,60}? proftpd\[\d+\]:? /.test(line.slice(0, 120)) || /^<\d{1,3}>1 \S+ \S+ proftpd /.test(line.slice(0, 120))) return true;
    // The default ExtendedLog: an FTP command (Pure-FTPd's CLF log has GET and PUT).
    return looksLikeClf(line) && /\] "[A-Za-z]{3,4}(?: |")/.test(line) && !/\] "(?:GET|PUT) /.test(line);
  },
  createParser,
  samples: [
    {
      description: 'syslog lines of one session: opened, a failed and a successful login, closed; the address from the server part',
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:20 web1 proftpd[20711]: web1.example.com (client.example.net[203.0.113.9]) - FTP session opened.',
        'Mar  5 14:03:24 web1 proftpd[20711]: web1.example.com (client.example.net[203.0.113.9]) - USER bob (Login failed): Incorrect password',
        'Mar  5 14:03:29 web1 proftpd[20711]: web1.example.com (client.example.net[203.0.113.9]) - USER bob: Login successful.',
        'Mar  5 14:03:40 web1 proftpd[20711]: web1.example.com (client.example.net[203.0.113.9]) - FTP session closed.',
      ],
      yields: [
        { event: { kind: 'connect', outcome: 'ok', clientIp: '203.0.113.9', server: 'web1', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'login', outcome: 'fail', command: 'LOGIN', username: 'bob', clientIp: '203.0.113.9', detail: 'Incorrect password', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'login', outcome: 'ok', username: 'bob', clientIp: '203.0.113.9' } },
        { event: { kind: 'disconnect', outcome: 'ok' } },
      ],
    },
    {
      description: "a USER name that imitates ProFTPD's own words and an address, no such user, root refused, too many attempts, a timeout",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:04:01 web1 proftpd[20800]: web1.example.com (198.51.100.7[198.51.100.7]) - USER x from evil [192.0.2.1] (Login failed): Incorrect password',
        'Mar  5 14:04:02 web1 proftpd[20800]: web1.example.com (198.51.100.7[198.51.100.7]) - USER admin: no such user found from 198.51.100.7 [198.51.100.7] to 192.0.2.10:21',
        'Mar  5 14:04:03 web1 proftpd[20800]: web1.example.com (198.51.100.7[198.51.100.7]) - SECURITY VIOLATION: Root login attempted',
        'Mar  5 14:04:04 web1 proftpd[20800]: web1.example.com (198.51.100.7[198.51.100.7]) - Maximum login attempts (3) exceeded, connection refused',
        'Mar  5 14:09:04 web1 proftpd[20801]: web1.example.com (198.51.100.8[198.51.100.8]) - Login timeout exceeded, disconnected',
        'Mar  5 14:09:05 web1 proftpd[20802]: web1.example.com - Connection from 192.0.2.66 [192.0.2.66] denied',
      ],
      yields: [
        { event: { kind: 'login', outcome: 'fail', username: 'x from evil [192.0.2.1]', clientIp: '198.51.100.7' } },
        { event: { kind: 'login', outcome: 'fail', username: 'admin', detail: 'no such user found', clientIp: '198.51.100.7' } },
        { event: { kind: 'login', outcome: 'fail', command: 'REPEAT', username: 'root' } },
        { event: { kind: 'login', outcome: 'fail', command: 'REPEAT', username: null, clientIp: '198.51.100.7' } },
        { event: { kind: 'disconnect', outcome: 'fail', clientIp: '198.51.100.8' } },
        { event: { kind: 'connect', outcome: 'fail', clientIp: '192.0.2.66' } },
      ],
    },
    {
      description: 'the SystemLog file (local time, milliseconds), the server part before the colon; an anonymous login; PAM under proftpd',
      options: { tz: 'Europe/Berlin', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        '2024-03-05 14:03:21,123 web1 proftpd[20900] web1.example.com (::ffff:203.0.113.20[::ffff:203.0.113.20]): ANON ftp: Login successful.',
        '2024-03-05 14:03:25,004 web1 proftpd[20901] web1.example.com (203.0.113.21[203.0.113.21]): USER carol (Login failed): No such user found',
        'Mar  5 14:03:26 web1 proftpd[20902] web1.example.com (203.0.113.22[203.0.113.22]): USER dave: Login successful.',
        'Mar  5 14:03:27 web1 proftpd[20903]: pam_unix(proftpd:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/ftpd20903 ruser=erin rhost=203.0.113.23  user=erin',
        '2024-03-05 14:03:28,000 web1 proftpd[20000]: ProFTPD 1.3.8 (maint) (built Mon Jan 1 2024 00:00:00 UTC) standalone mode STARTUP',
      ],
      yields: [
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'login', outcome: 'ok', username: 'anonymous', clientIp: '203.0.113.20', server: 'web1' } },
        { event: { kind: 'login', outcome: 'fail', username: 'carol', clientIp: '203.0.113.21', detail: 'No such user found' } },
        { event: { ts: '2024-03-05T13:03:26Z', kind: 'login', outcome: 'ok', username: 'dave', clientIp: '203.0.113.22' } },
        { event: { kind: 'login', outcome: 'fail', command: 'PAM', username: 'erin', clientIp: '203.0.113.23' } },
        { event: { kind: 'debug', outcome: 'ok', clientIp: null } },
      ],
    },
    {
      description: 'the default ExtendedLog (%h %l %u %t "%r" %s %b) and its auth format (%v [%P] %h %t "%r" %s): a failed PASS named by the USER before it, a download, a request holding quotes',
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        '203.0.113.9 UNKNOWN - [05/Mar/2024:14:03:21 +0100] "USER bob" 331 -',
        '203.0.113.9 UNKNOWN - [05/Mar/2024:14:03:23 +0100] "PASS (hidden)" 530 -',
        '203.0.113.9 UNKNOWN bob [05/Mar/2024:14:03:27 +0100] "PASS (hidden)" 230 -',
        '203.0.113.9 UNKNOWN bob [05/Mar/2024:14:03:40 +0100] "RETR a "b" 226 7.txt" 226 1048576',
        'ftp.example.com [20711] 198.51.100.3 [05/Mar/2024:14:05:00 +0100] "USER carol" 331',
        'ftp.example.com [20711] 198.51.100.3 [05/Mar/2024:14:05:02 +0100] "PASS (hidden)" 530',
      ],
      yields: [
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'command', command: 'USER', username: 'bob', replyCode: 331 } },
        { event: { kind: 'login', outcome: 'fail', command: 'PASS', username: 'bob', clientIp: '203.0.113.9', replyCode: 530, detail: '***' } },
        { event: { kind: 'login', outcome: 'ok', username: 'bob' } },
        { event: { kind: 'transfer', direction: 'download', path: 'a "b" 226 7.txt', bytes: 1048576, replyCode: 226 } },
        { event: { kind: 'command', command: 'USER', username: 'carol', session: '2024-03-05T13:05:00Z 198.51.100.3' } },
        { event: { kind: 'login', outcome: 'fail', command: 'PASS', username: 'carol', clientIp: '198.51.100.3', replyCode: 530, session: '2024-03-05T13:05:00Z 198.51.100.3' } },
      ],
    },
  ],
};
