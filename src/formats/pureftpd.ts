import { clfInstant, looksLikeClf, parseClf } from './clf.js';
import { normalizeIp } from './net.js';
import { isoSeconds } from '../timestamp.js';
import { pamEvent } from './pam.js';
import { ClientSessions } from './sessions.js';
import { SyslogYear, syslogMessage } from './syslog.js';
import { ZoneClock } from '../zone.js';
import { detailText, emit, newEvent, reject, SKIP, statelessParser, type ServerFormat, type LineParser, type LineResult, type ParserOptions } from './types.js';
import type { FtpEvent } from '../event.js';

/**
 * Pure-FTPd's syslog lines: `pure-ftpd: (<user>@<host>) [<LEVEL>] <text>` (`pure-ftpd[pid]:` with
 * LogPID), `?` for a part not known yet: the user stays `?` until the "is now logged in" line, so it
 * is always an account, never the client's text; the host is a DNS name (numeric with `-H`) filtered
 * to `[A-Za-z0-9.:-]`. The texts are English (Pure-FTPd builds them in at compile time). Its xferlog
 * is read by src/formats/xferlog.ts.
 *
 * Its other alternative logs, one line per transfer:
 * - `stats:` `1709647401 65e7249d.1f4 bob 203.0.113.9 D 1048576 3 /srv/ftp/bob/a.iso` (epoch,
 *   session start and pid in hex: the session, account, host, U or D, bytes, seconds, path);
 * - `clf:` `203.0.113.9 - bob [05/Mar/2024:14:03:21 -0100] "GET /a%20b.iso" 200 1048576`: local time
 *   with the zone's sign inverted (UTC+1 is written `-0100`), a URL-encoded path, status always 200;
 * - `w3c:` `2024-03-05 13:03:21 203.0.113.9 []sent /a.iso 226 bob 1048576` after `#Fields: date time
 *   c-ip cs-method cs-uri-stem sc-status cs-username sc-bytes`, in UTC, status always 226.
 */

/**
 * The first `(<user>@<host>) [<LEVEL>] ` of the line: the server's. Its text after it can hold the
 * client's words (a path, a name tried), and those may imitate the prefix; no host has a space or a
 * bracket, so the first match is the server's.
 */
const HEAD = /^\((.*?)@([A-Za-z0-9.:_-]+|\?)\) \[(INFO|WARNING|ERROR|NOTICE|DEBUG)\] /;
const STATS = /^(\d{9,11}) ([0-9a-f]+\.[0-9a-f]+) (\S+) (\S+) ([UD]) (\d+) (\d+) (.*)$/;
const W3C_ROW = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (\S+) \[\](sent|created) (.*) (\d{3}) (\S+) (\d+)$/;
const W3C_FIELDS = '#Fields: date time c-ip cs-method cs-uri-stem sc-status cs-username sc-bytes';
const TLS_REFUSAL = 'Sorry, cleartext sessions and weak ciphers are not accepted on this server.';

const PROGRAMS = ['pure-ftpd'];

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const years = new SyslogYear(options.referenceDate, options.year);
  const sessions = new ClientSessions();
  /** The message before was the TLS refusal, whose second line journalctl prints on a line of its own. */
  let secondLine = false;

  function parse(raw: string): LineResult {
    if (raw.charCodeAt(0) === 35 /* # */) return /^#(?:Software|Version|Date|Fields): /.test(raw) ? SKIP.directive : SKIP.comment;
    const alt = alternative(raw);
    if (alt !== null) return alt;
    const m = syslogMessage(raw, clock, years, PROGRAMS);
    if (m === null) {
      if (secondLine && raw.trim() === 'Please reconnect using TLS security mechanisms.') {
        secondLine = false;
        return SKIP.continuation;
      }
      return reject('pure-ftpd: line does not start with a syslog header');
    }
    secondLine = false;
    if (m === 'other') return SKIP.otherProgram;
    const { sys, body } = m;
    if (body.startsWith('pam_') || body.startsWith('(pam_')) {
      const e = pamEvent(body, sys.ts);
      e.server = sys.host;
      e.session = sessions.of(sys.ts, e.clientIp, sys.pid, false);
      return emit(e);
    }
    const head = HEAD.exec(body);
    if (!head) {
      const e = newEvent(sys.ts, 'debug', 'ok');
      e.server = sys.host;
      e.detail = detailText(body);
      return emit(e);
    }
    const text = body.slice(head[0].length);
    const e = message(text, sys.ts);
    if (text.startsWith(TLS_REFUSAL) && !text.includes('\n')) secondLine = true;
    const host = head[2] === '?' ? null : normalizeIp(head[2]!);
    if (e.clientIp === null) e.clientIp = host;
    if (e.username === null && head[1] !== '?') e.username = head[1]!;
    e.server = sys.host;
    e.session = sessions.of(sys.ts, e.clientIp, sys.pid, e.command === 'CONNECT');
    return emit(e);
  }

  /** A line of the stats, clf or w3c log; null when it is none of them. */
  function alternative(raw: string): LineResult | null {
    let m = STATS.exec(raw);
    if (m) {
      const seconds = Number(m[7]!);
      return transfer(isoSeconds(Number(m[1]!) * 1000), m[5] === 'D', m[8]!, Number(m[6]!), seconds * 1000, m[3]!, m[4]!, m[2]!);
    }
    m = W3C_ROW.exec(raw);
    if (m) {
      const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
      if (new Date(ms).getUTCDate() !== +m[3]!) return reject('pure-ftpd: impossible date');
      return transfer(isoSeconds(ms), m[8] === 'sent', decoded(m[9]!), Number(m[12]!), null, m[11]!, m[7]!, null);
    }
    if (!looksLikeClf(raw)) return null;
    const c = parseClf(raw);
    const verb = c === null ? '' : c.request.slice(0, c.request.indexOf(' '));
    if (c === null || (verb !== 'GET' && verb !== 'PUT')) return null;
    // Pure-FTPd writes the zone's offset with its sign turned round.
    const ms = clfInstant(c, -c.offset);
    if (Number.isNaN(ms)) return reject('pure-ftpd: impossible date');
    return transfer(isoSeconds(ms), verb === 'GET', decoded(c.request.slice(4)), c.bytes ?? 0, null, c.user ?? '', c.host, null);
  }

  function transfer(ts: string, down: boolean, path: string, bytes: number, durationMs: number | null, user: string, host: string, session: string | null): LineResult {
    const e = event(ts, 'transfer', 'ok', down ? 'RETR' : 'STOR', { direction: down ? 'download' : 'upload', path, bytes, durationMs });
    e.username = user === '' || user === '-' ? null : user;
    e.clientIp = normalizeIp(host);
    e.session = session ?? sessions.of(ts, e.clientIp, null, false);
    return emit(e);
  }

  return statelessParser(parse);
}

/** A URL-encoded path as the name it encodes (as written when it does not decode). */
function decoded(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * What one Pure-FTPd message (after its level) says. Messages that Pure-FTPd's own words begin are
 * read before those its words end: a deleted file named `x is now logged in` or `y downloaded (1
 * bytes, 1.00KB/sec)` is a deletion, not a login or a download (the paths Pure-FTPd writes begin
 * with `/`, never with its words).
 */
function message(text: string, ts: string): FtpEvent {
  let m: RegExpExecArray | null;
  if ((m = /^New connection from (\S+)$/.exec(text))) return event(ts, 'connect', 'ok', 'CONNECT', { clientIp: normalizeIp(m[1]!) });
  if ((m = /^Too many connections \(\d+\) from this IP: \[(.*)\]$/.exec(text))) return event(ts, 'connect', 'fail', 'CONNECT', { detail: text });
  if (text.startsWith('Anonymous user logged in')) return event(ts, 'login', 'ok', 'LOGIN', { username: 'anonymous' });
  // `[%s]` is the client's USER text: everything between the first `[` and the line's last `]`.
  if ((m = /^Authentication failed for user \[(.*)\]$/.exec(text))) return event(ts, 'login', 'fail', 'LOGIN', { username: m[1]!, detail: 'authentication failed' });
  if ((m = /^Can't login as \[(.*)\]: account disabled \(uid < \d+\)$/.exec(text))) return event(ts, 'login', 'fail', 'LOGIN', { username: m[1]!, detail: 'account disabled' });
  if (text === 'This is a private system - No anonymous login') return event(ts, 'login', 'fail', 'LOGIN', { username: 'anonymous', detail: 'no anonymous login' });
  if (text.startsWith(TLS_REFUSAL)) return event(ts, 'login', 'fail', 'LOGIN', { detail: 'cleartext login refused: TLS required' });
  // Follows the failed attempts Pure-FTPd logged one by one: counted once with them (queries/fragments/login-copies.sql).
  if (text === 'Too many authentication failures') return event(ts, 'login', 'fail', 'REPEAT', { detail: text });
  if ((m = /^Deleted (.*)$/.exec(text))) return event(ts, 'file', 'ok', 'DELE', { path: m[1]! });
  if ((m = /^File successfully renamed or moved: \[(.*)\]->\[(.*)\]$/.exec(text))) return event(ts, 'file', 'ok', 'RENAME', { path: m[1]!, detail: `to ${m[2]!}` });
  if (text === 'Logout.') return event(ts, 'disconnect', 'ok', 'QUIT', {});
  if (text.startsWith('Timeout')) return event(ts, 'disconnect', 'fail', 'TIMEOUT', { detail: text });
  if ((m = /^Command \[(\w+)\] \[(.*)\]$/.exec(text))) {
    const verb = m[1]!.toUpperCase();
    return event(ts, 'command', 'ok', verb, { detail: verb === 'PASS' ? '***' : detailText(m[2]!) });
  }
  // `<path> downloaded (<n> bytes, <r>KB/sec)`: the path is the client's, the end Pure-FTPd's. It is written after a failed download too.
  if ((m = /^(.*) (downloaded|uploaded) +\((\d+) bytes, ([\d.]+)KB\/sec\)$/.exec(text))) {
    const down = m[2] === 'downloaded';
    const bytes = Number(m[3]!);
    const rate = Number(m[4]!);
    return event(ts, 'transfer', 'ok', down ? 'RETR' : 'STOR', {
      direction: down ? 'download' : 'upload', path: m[1]!, bytes, durationMs: rate > 0 ? Math.round((bytes / 1024 / rate) * 1000) : null,
    });
  }
  // `%s is now logged in`: the account's name, which Pure-FTPd checked.
  if ((m = /^(.+) is now logged in$/.exec(text))) return event(ts, 'login', 'ok', 'LOGIN', { username: m[1]! });
  return event(ts, 'debug', 'ok', null, { detail: detailText(text) });
}

function event(ts: string, kind: FtpEvent['kind'], outcome: FtpEvent['outcome'], command: string | null, fields: Partial<FtpEvent>): FtpEvent {
  return { ...newEvent(ts, kind, outcome, command), ...fields };
}


export const pureftpd: ServerFormat = {
  name: 'pure-ftpd',
  syslogPrograms: PROGRAMS,
  description: "Pure-FTPd's syslog lines and its stats, clf and w3c logs (its xferlog is read as xferlog)",
  sniff(line) {
    if (/^\S.{10,60}? pure-ftpd(?:\[\d+\])?: \(/.test(line.slice(0, 120)) || /^<\d{1,3}>1 \S+ \S+ pure-ftpd /.test(line.slice(0, 120))) return true;
    if (line.startsWith('#Software: Pure-FTPd') || line === W3C_FIELDS || STATS.test(line) || W3C_ROW.test(line)) return true;
    return looksLikeClf(line) && /\] "(?:GET|PUT) /.test(line);
  },
  createParser,
  samples: [
    {
      description: 'a session: connection, a failed and a successful login, an upload and a download, logout',
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:03:20 nas pure-ftpd: (?@203.0.113.9) [INFO] New connection from 203.0.113.9',
        'Mar  5 14:03:24 nas pure-ftpd: (?@203.0.113.9) [WARNING] Authentication failed for user [bob]',
        'Mar  5 14:03:29 nas pure-ftpd: (?@203.0.113.9) [INFO] bob is now logged in',
        'Mar  5 14:03:35 nas pure-ftpd: (bob@203.0.113.9) [NOTICE] /srv/ftp/bob//report 2024.pdf uploaded  (48213 bytes, 1523.40KB/sec)',
        'Mar  5 14:03:36 nas pure-ftpd: (bob@203.0.113.9) [NOTICE] /srv/ftp/bob//a.iso downloaded  (1048576 bytes, 1024.00KB/sec)',
        'Mar  5 14:03:40 nas pure-ftpd: (bob@203.0.113.9) [INFO] Logout.',
      ],
      yields: [
        { event: { kind: 'connect', outcome: 'ok', clientIp: '203.0.113.9', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'login', outcome: 'fail', username: 'bob', clientIp: '203.0.113.9', session: '2024-03-05T14:03:20Z 203.0.113.9' } },
        { event: { kind: 'login', outcome: 'ok', username: 'bob' } },
        { event: { kind: 'transfer', direction: 'upload', path: '/srv/ftp/bob//report 2024.pdf', bytes: 48213, username: 'bob' } },
        { event: { kind: 'transfer', direction: 'download', bytes: 1048576, durationMs: 1000 } },
        { event: { kind: 'disconnect', outcome: 'ok' } },
      ],
    },
    {
      description: "a USER text with brackets, too many failures, a private system, the TLS refusal over two lines, a timeout, a DNS name, LogPID",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        'Mar  5 14:04:01 nas pure-ftpd[3101]: (?@host.example.net) [WARNING] Authentication failed for user [x] [root]',
        'Mar  5 14:04:02 nas pure-ftpd[3101]: (?@host.example.net) [ERROR] Too many authentication failures',
        'Mar  5 14:04:03 nas pure-ftpd[3102]: (?@198.51.100.4) [DEBUG] This is a private system - No anonymous login',
        'Mar  5 14:04:04 nas pure-ftpd[3103]: (?@198.51.100.5) [WARNING] Sorry, cleartext sessions and weak ciphers are not accepted on this server.',
        'Please reconnect using TLS security mechanisms.',
        'Mar  5 14:09:04 nas pure-ftpd[3104]: (?@198.51.100.6) [INFO] Timeout - try typing a little faster next time',
      ],
      yields: [
        { event: { kind: 'login', outcome: 'fail', username: 'x] [root', clientIp: 'host.example.net' } },
        { event: { kind: 'login', outcome: 'fail', command: 'REPEAT', clientIp: 'host.example.net' } },
        { event: { kind: 'login', outcome: 'fail', username: 'anonymous', clientIp: '198.51.100.4' } },
        { event: { kind: 'login', outcome: 'fail', clientIp: '198.51.100.5' } },
        { skip: 'continuation' },
        { event: { kind: 'disconnect', outcome: 'fail', clientIp: '198.51.100.6' } },
      ],
    },
    {
      description: "the stats, clf and w3c alternative logs: epoch seconds, CLF's inverted zone sign and URL-encoded path, W3C in UTC",
      options: { tz: 'UTC', referenceDate: new Date('2024-03-06T00:00:00Z') },
      lines: [
        '1709647401 65e7249d.1f4 bob 203.0.113.9 D 1048576 3 /srv/ftp/bob/a b.iso',
        '203.0.113.9 - bob [05/Mar/2024:14:03:21 -0100] "PUT /srv/ftp/bob/new%20file.txt" 200 512',
        '#Fields: date time c-ip cs-method cs-uri-stem sc-status cs-username sc-bytes',
        '2024-03-05 13:03:25 203.0.113.9 []created /srv/ftp/bob/up.txt 226 bob 10',
      ],
      yields: [
        { event: { ts: '2024-03-05T14:03:21Z', kind: 'transfer', direction: 'download', path: '/srv/ftp/bob/a b.iso', bytes: 1048576, durationMs: 3000, session: '65e7249d.1f4', username: 'bob' } },
        { event: { ts: '2024-03-05T13:03:21Z', kind: 'transfer', direction: 'upload', path: '/srv/ftp/bob/new file.txt', bytes: 512, clientIp: '203.0.113.9' } },
        { skip: 'directive' },
        { event: { ts: '2024-03-05T13:03:25Z', kind: 'transfer', direction: 'upload', path: '/srv/ftp/bob/up.txt', bytes: 10, username: 'bob' } },
      ],
    },
  ],
};
