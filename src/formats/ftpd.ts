import { isIpAddress, normalizeIp } from './net.js';
import { pamEvent } from './pam.js';
import { ClientSessions } from './sessions.js';
import { SyslogYear, syslogMessage } from './syslog.js';
import { ZoneClock } from '../zone.js';
import { detailText, emit, newEvent, reject, SKIP, statelessParser, type ServerFormat, type LineParser, type LineResult, type ParserOptions } from './types.js';
import type { FtpEvent } from '../event.js';

/**
 * The syslog lines of the ftpd that wu-ftpd, FreeBSD, OpenBSD, NetBSD, macOS and Solaris ship
 * (`ftpd[pid]:`, `-l` to log logins): `FTP LOGIN FROM <who>, <user>` and its relatives. `<who>` is
 * the server's: wu-ftpd writes `<host> [<ip>]` (or `<ident user> @ <host> [<ip>]`), the BSDs the host
 * name or address; the user name after it is the client's text. One process serves one session.
 */

/**
 * `<host> [<ip>]`, `<ident> @ <host> [<ip>]` or a bare host, then `, ` and the rest. Each part the
 * server writes before the rest is one word (a host name, an address, an RFC 931 ident user, which
 * wu-ftpd reads with `%s`), so the address is found from the left within them: the user name after
 * them is the client's text, and a name like `a @ b [6.6.6.6]` must not move the address.
 */
const WHO = /^(?:(?:\S+ @ )?(\S+) \[([0-9A-Fa-f.:]+)\]|(\S+?))(?:, (.*))?$/;

const PROGRAMS = ['ftpd', 'in.ftpd', 'wu-ftpd'];

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const years = new SyslogYear(options.referenceDate, options.year);
  const sessions = new ClientSessions();

  function parse(raw: string): LineResult {
    if (raw.charCodeAt(0) === 35 /* # */) return SKIP.comment;
    const m = syslogMessage(raw, clock, years, PROGRAMS);
    if (m === null) return reject('ftpd: line does not start with a syslog header');
    if (m === 'other') return SKIP.otherProgram;
    const { sys, body } = m;
    const e = body.startsWith('pam_') ? pamEvent(body, sys.ts) : message(body, sys.ts);
    e.server = sys.host;
    e.session = sessions.of(sys.ts, e.clientIp, sys.pid, e.kind === 'connect');
    return emit(e);
  }

  return statelessParser(parse);
}

/** The client's address in a `<who>` and what follows it (the user name, for most lines). */
function who(text: string): { ip: string | null; rest: string | null } {
  const m = WHO.exec(text);
  if (!m) return { ip: null, rest: null };
  return { ip: normalizeIp(m[2] ?? m[3]!), rest: m[4] ?? null };
}

/**
 * The login lines, each with where its parties are: `who` is the group holding `<who>[, <user>]`;
 * `user` says whose name the line gives (`as`: the group after ` as `); `reason` the group of a reason.
 */
interface LoginLine {
  re: RegExp;
  outcome: 'ok' | 'fail';
  /** REPEAT: a line that restates an attempt logged already (see queries/fragments/login-copies.sql). */
  command: 'LOGIN' | 'REPEAT';
  who: number;
  user: 'after-who' | 'as' | 'anonymous' | 'none';
  reason?: number;
}

const LOGIN_LINES: LoginLine[] = [
  // NetBSD adds ` (class: …, type: …)`.
  { re: /^FTP LOGIN FROM (.*?) as (.*?)(?: \(class: .*\))?$/, outcome: 'ok', command: 'LOGIN', who: 1, user: 'as' },
  { re: /^ANONYMOUS FTP LOGIN FROM (.*)$/, outcome: 'ok', command: 'LOGIN', who: 1, user: 'anonymous' },
  { re: /^FTP LOGIN FROM (.*)$/, outcome: 'ok', command: 'LOGIN', who: 1, user: 'after-who' },
  { re: /^failed login from (.*)$/i, outcome: 'fail', command: 'LOGIN', who: 1, user: 'after-who' },
  { re: /^REFUSED "NULL" from (.*)$/, outcome: 'fail', command: 'LOGIN', who: 1, user: 'after-who', reason: 0 },
  { re: /^ANONYMOUS FTP LOGIN REFUSED FROM (.*)$/, outcome: 'fail', command: 'LOGIN', who: 1, user: 'anonymous' },
  { re: /^FTP LOGIN REFUSED \((.*?)\) FROM (.*)$/, outcome: 'fail', command: 'LOGIN', who: 2, user: 'after-who', reason: 1 },
  { re: /^FTP LOGIN REFUSED FROM (.*)$/, outcome: 'fail', command: 'LOGIN', who: 1, user: 'after-who' },
  { re: /^FTP ACCESS REFUSED \((anonymous password not rfc822)\) from (.*)$/, outcome: 'fail', command: 'LOGIN', who: 2, user: 'anonymous', reason: 1 },
  // FreeBSD writes a bad password twice: without the user name (LOG_FTP), then with it (LOG_AUTHPRIV).
  { re: /^FTP LOGIN FAILED FROM ([^,]*)$/, outcome: 'fail', command: 'REPEAT', who: 1, user: 'none' },
  { re: /^FTP LOGIN FAILED FROM (.*)$/, outcome: 'fail', command: 'LOGIN', who: 1, user: 'after-who' },
  { re: /^FTP LOGIN FAILED \((.*?)\) for (.*)$/, outcome: 'fail', command: 'LOGIN', who: 2, user: 'after-who', reason: 1 },
  { re: /^repeated login failures from (.*)$/, outcome: 'fail', command: 'REPEAT', who: 1, user: 'none' },
];

/** What one ftpd message says. */
export function message(text: string, ts: string): FtpEvent {
  for (const l of LOGIN_LINES) {
    const m = l.re.exec(text);
    if (!m) continue;
    const w = who(m[l.who]!);
    const e = newEvent(ts, 'login', l.outcome, l.command);
    e.clientIp = w.ip;
    // wu-ftpd writes `[unknown]` for a name that is no account.
    const named = l.user === 'as' ? m[2]! : l.user === 'anonymous' ? 'anonymous' : l.user === 'after-who' ? w.rest : null;
    e.username = named === '[unknown]' ? null : named;
    e.detail = l.reason === 0 ? 'NULL password' : l.reason ? m[l.reason]! : l.user === 'anonymous' ? 'anonymous' : null;
    return e;
  }
  let m: RegExpExecArray | null;
  // wu-ftpd `connection from <host> [<ip>]`; FreeBSD `… <name> (<ip>)`; Red Hat's `… <ip> (<name>) at <date>`.
  if ((m = /^connection from (\S+) (?:\[([0-9A-Fa-f.:]+)\]|\((\S*)\))?(?: at .*)?$|^connection from (\S+)$/.exec(text))) {
    const e = newEvent(ts, 'connect', 'ok', 'CONNECT');
    const other = m[2] ?? m[3];
    e.clientIp = normalizeIp(m[4] ?? (other && (m[2] || isIpAddress(normalizeIp(other))) ? other : m[1]!));
    return e;
  }
  if ((m = /^connection refused \((.*)\) from (\S+)/.exec(text))) {
    const e = newEvent(ts, 'connect', 'fail', 'CONNECT');
    e.clientIp = normalizeIp(m[2]!);
    e.detail = m[1]!;
    return e;
  }
  if (text === 'FTP session closed') return newEvent(ts, 'disconnect', 'ok', 'QUIT');
  if ((m = /^lost connection to (.*)$/.exec(text))) {
    const e = newEvent(ts, 'disconnect', 'fail', 'LOST');
    e.clientIp = who(m[1]!).ip;
    return e;
  }
  if (/^User .* timed out after \d+ seconds/.test(text)) {
    const e = newEvent(ts, 'disconnect', 'fail', 'TIMEOUT');
    e.detail = detailText(text);
    return e;
  }
  const e = newEvent(ts, 'debug', 'ok');
  e.detail = detailText(text);
  return e;
}

export const ftpd: ServerFormat = {
  name: 'ftpd',
  syslogPrograms: PROGRAMS,
  description: "the syslog lines of wu-ftpd's and the BSDs' ftpd (FTP LOGIN FROM …, failed login from …)",
  sniff(line) {
    return /^\S.{10,60}? (?:in\.)?ftpd\[\d+\]: (?:FTP |ANONYMOUS |failed login|connection |repeated login|REFUSED )/.test(line.slice(0, 160));
  },
  createParser,
  samples: [
    {
      description: 'wu-ftpd: connection, a refused login at USER time, a failed one for no account, a success, anonymous, repeated failures',
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:20 old ftpd[2101]: connection from host.example.net [203.0.113.9]',
        'Mar  5 14:03:22 old ftpd[2101]: FTP LOGIN REFUSED (username in /etc/ftpusers) FROM host.example.net [203.0.113.9], root',
        'Mar  5 14:03:25 old ftpd[2101]: failed login from host.example.net [203.0.113.9], [unknown]',
        'Mar  5 14:03:29 old ftpd[2101]: FTP LOGIN FROM host.example.net [203.0.113.9], bob',
        'Mar  5 14:04:00 old ftpd[2102]: ANONYMOUS FTP LOGIN FROM 198.51.100.4 [198.51.100.4], mozilla@',
        'Mar  5 14:05:00 old ftpd[2103]: repeated login failures from 198.51.100.5 [198.51.100.5]',
        'Mar  5 14:05:30 old ftpd[2102]: FTP session closed',
      ],
      yields: [
        { event: { kind: 'connect', outcome: 'ok', clientIp: '203.0.113.9', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'login', outcome: 'fail', username: 'root', clientIp: '203.0.113.9', detail: 'username in /etc/ftpusers' } },
        { event: { kind: 'login', outcome: 'fail', username: null, clientIp: '203.0.113.9' } },
        { event: { kind: 'login', outcome: 'ok', username: 'bob', clientIp: '203.0.113.9', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'login', outcome: 'ok', username: 'anonymous', clientIp: '198.51.100.4', detail: 'anonymous' } },
        { event: { kind: 'login', outcome: 'fail', command: 'REPEAT', clientIp: '198.51.100.5' } },
        { event: { kind: 'disconnect', outcome: 'ok', session: '2024-03-05T14:04:00Z 198.51.100.4' } },
      ],
    },
    {
      description: "FreeBSD: a bad password logged twice (the second with the user), a success with ' as ', NetBSD's class; OpenBSD's approval failure",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:20 bsd ftpd[5501]: connection from client.example.net (203.0.113.30)',
        'Mar  5 14:03:24 bsd ftpd[5501]: FTP LOGIN FAILED FROM client.example.net',
        'Mar  5 14:03:24 bsd ftpd[5501]: FTP LOGIN FAILED FROM client.example.net, alice',
        'Mar  5 14:03:30 bsd ftpd[5501]: FTP LOGIN FROM client.example.net as alice',
        'Mar  5 14:04:00 nbsd ftpd[771]: FTP LOGIN FROM 198.51.100.9 as carol (class: real, type: REAL)',
        'Mar  5 14:04:10 obsd ftpd[812]: FTP LOGIN FAILED (HOST) as dave: approval failure.',
      ],
      yields: [
        { event: { kind: 'connect', outcome: 'ok', clientIp: '203.0.113.30' } },
        { event: { kind: 'login', outcome: 'fail', command: 'REPEAT', clientIp: 'client.example.net', username: null } },
        { event: { kind: 'login', outcome: 'fail', command: 'LOGIN', clientIp: 'client.example.net', username: 'alice' } },
        { event: { kind: 'login', outcome: 'ok', clientIp: 'client.example.net', username: 'alice' } },
        { event: { kind: 'login', outcome: 'ok', clientIp: '198.51.100.9', username: 'carol' } },
        { event: { kind: 'debug', outcome: 'ok' } },
      ],
    },
  ],
};
