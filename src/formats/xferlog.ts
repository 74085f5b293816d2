import { normalizeIp } from './net.js';
import { parseSyslog, SyslogYear } from './syslog.js';
import { isoSeconds, looksLikeCtime, matchCtime, ZoneClock } from './time.js';
import {
  emit, newEvent, reject, SKIP, statelessParser, type FormatDefinition, type LineParser, type LineResult, type ParserOptions,
} from './types.js';

/**
 * xferlog: one line per transfer (wu-ftpd, ProFTPD TransferLog, vsftpd xferlog_std_format, Pure-FTPd).
 *   Tue Mar  5 14:03:27 2024 2 203.0.113.9 52344 /pub/iso/debian.iso b _ o r alice ftp 0 * c
 * Five date tokens, then seconds, host, bytes, filename, and nine fixed tokens after the filename.
 * Filenames may hold unescaped spaces, so the fixed fields are taken from both ends; one extra
 * trailing token (a server address some servers add) is kept as the server.
 */

const TAIL = 9; // type, action, direction, access, user, service, auth method, auth user, completion
const MIN_TOKENS = 5 + 3 + 1 + TAIL;
const ACCESS: Record<string, string> = { a: 'anonymous', g: 'guest', r: 'real' };

/** Token boundaries of a line split on runs of spaces (and tabs), reused across lines. */
class Tokens {
  starts: number[] = [];
  ends: number[] = [];
  count = 0;

  split(line: string, from: number): void {
    this.count = 0;
    const n = line.length;
    let i = from;
    while (i < n) {
      while (i < n && isBlank(line.charCodeAt(i))) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && !isBlank(line.charCodeAt(i))) i++;
      this.starts[this.count] = start;
      this.ends[this.count] = i;
      this.count++;
    }
  }

  text(line: string, k: number): string {
    return line.slice(this.starts[k], this.ends[k]);
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Why the nine tokens ending at `last` are not an xferlog tail; `null` when they are. */
function tailProblem(line: string, t: Tokens, last: number): string | null {
  const tok = (k: number) => t.text(line, last - (TAIL - 1) + k);
  const type = tok(0);
  if (type !== 'a' && type !== 'b') return `transfer type '${clip(type)}' is not a or b`;
  if (!/^[_CUT]+$/.test(tok(1))) return `special action '${clip(tok(1))}' is not _, C, U or T`;
  const dir = tok(2);
  if (dir !== 'o' && dir !== 'i' && dir !== 'd') return `direction '${clip(dir)}' is not o, i or d`;
  if (!(tok(3) in ACCESS)) return `access mode '${clip(tok(3))}' is not a, g or r`;
  const auth = tok(6);
  if (auth !== '0' && auth !== '1') return `authentication method '${clip(auth)}' is not 0 or 1`;
  const done = tok(8);
  if (done !== 'c' && done !== 'i') return `completion status '${clip(done)}' is not c or i`;
  return null;
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const years = new SyslogYear(options.referenceDate, options.year);
  const t = new Tokens();
  let lastStamp = '';
  let lastIso = '';

  function parse(line: string): LineResult {
    if (line.charCodeAt(0) === 35 /* # */) return SKIP.comment;
    let pos = 0;
    let server: string | null = null;
    if (!looksLikeCtime(line, 0)) {
      // xferlog relayed through syslog: `Mar  5 14:03:27 host proftpd[12]: Tue Mar  5 … c`
      const sys = parseSyslog(line, clock, years);
      if (!sys || !looksLikeCtime(line, sys.bodyStart)) return reject('xferlog: line does not start with a date like "Tue Mar  5 14:03:27 2024"');
      pos = sys.bodyStart;
      server = sys.host;
    }
    const stamp = matchCtime(line, pos, clock);
    if (!stamp || Number.isNaN(stamp.ms)) return reject('xferlog: impossible date');
    const stampText = line.slice(pos, stamp.end);
    if (stampText !== lastStamp) {
      lastStamp = stampText;
      lastIso = isoSeconds(stamp.ms);
    }

    t.split(line, stamp.end);
    const n = t.count + 5;
    if (n < MIN_TOKENS) return reject(`xferlog: ${n} fields, expected at least ${MIN_TOKENS}`);

    let last = t.count - 1;
    const problem = tailProblem(line, t, last);
    if (problem) {
      // Some servers append their own address: accept exactly one extra token.
      if (t.count - 1 < MIN_TOKENS - 5 || tailProblem(line, t, last - 1) !== null) return reject(`xferlog: ${problem}`);
      server = t.text(line, last);
      last -= 1;
    }

    const seconds = Number(t.text(line, 0));
    if (!Number.isFinite(seconds) || seconds < 0) return reject(`xferlog: transfer time '${clip(t.text(line, 0))}' is not a number of seconds`);
    const bytesText = t.text(line, 2);
    if (!/^\d+$/.test(bytesText)) return reject(`xferlog: byte count '${clip(bytesText)}' is not a number`);

    const tail = last - (TAIL - 1);
    const dir = t.text(line, tail + 2);
    const complete = t.text(line, tail + 8) === 'c';
    const e = newEvent(lastIso, dir === 'd' ? 'file' : 'transfer', complete ? 'ok' : 'fail');
    e.server = server;
    e.clientIp = normalizeIp(t.text(line, 1));
    e.bytes = Number(bytesText);
    e.durationMs = Math.round(seconds * 1000);
    // The filename runs from its first token to the token before the tail, inner spaces as logged.
    e.path = line.slice(t.starts[3], t.ends[tail - 1]);
    e.command = dir === 'o' ? 'RETR' : dir === 'i' ? 'STOR' : 'DELE';
    e.direction = dir === 'o' ? 'download' : dir === 'i' ? 'upload' : null;
    e.username = t.text(line, tail + 4);
    const service = t.text(line, tail + 5);
    const action = t.text(line, tail + 1);
    e.detail = `${ACCESS[t.text(line, tail + 3)]} ${service}${t.text(line, tail) === 'a' ? ' ascii' : ''}${action === '_' ? '' : ` action=${action}`}`;
    if (!complete) e.detail += ' incomplete';
    return emit(e);
  }

  return statelessParser(parse);
}

export const xferlog: FormatDefinition = {
  name: 'xferlog',
  description: 'xferlog transfer log (wu-ftpd, ProFTPD TransferLog, vsftpd xferlog_std_format, Pure-FTPd AltLog)',
  sniff(line) {
    if (looksLikeCtime(line, 0)) return /^\S+ +\S+ +\d+ +\S+ +\d{4} +[\d.]+ +\S+ +\d+ +\S/.test(line);
    return / (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +\w{3} +\d{1,2} +\d\d:\d\d:\d\d +\d{4} +[\d.]+ +\S+ +\d+ +\S.* [ci]$/.test(line.slice(0, 4096));
  },
  createParser,
  samples: [
    {
      description: 'a complete binary download by a real user (vsftpd/ProFTPD space-padded day)',
      lines: ['Tue Mar  5 14:03:27 2024 2 203.0.113.9 52344 /pub/iso/debian.iso b _ o r alice ftp 0 * c'],
      options: { tz: 'UTC' },
      yields: [{ event: {
        ts: '2024-03-05T14:03:27Z', kind: 'transfer', command: 'RETR', direction: 'download', clientIp: '203.0.113.9',
        bytes: 52344, durationMs: 2000, path: '/pub/iso/debian.iso', username: 'alice', outcome: 'ok', server: null,
      } }],
    },
    {
      description: 'an incomplete upload with a zero-padded day (Pure-FTPd) and a filename with unescaped spaces',
      lines: ['Fri Apr 05 09:10:11 2024 0 ::ffff:198.51.100.7 0 /in/q1  report final.csv a _ i a guest@example.org ftp 1 * i'],
      options: { tz: 'Europe/Berlin' },
      yields: [{ event: {
        ts: '2024-04-05T07:10:11Z', kind: 'transfer', command: 'STOR', direction: 'upload', clientIp: '198.51.100.7',
        path: '/in/q1  report final.csv', username: 'guest@example.org', outcome: 'fail', bytes: 0,
      } }],
    },
    {
      description: 'a ProFTPD delete with an extra trailing server address, an IPv6 client',
      lines: ['Tue Mar  5 23:59:59 2024 0 2001:db8::42 1024 /tmp/old.log b _ d r bob sftp 0 * c 192.0.2.10'],
      options: { tz: 'UTC' },
      yields: [{ event: {
        kind: 'file', command: 'DELE', direction: null, clientIp: '2001:db8::42', server: '192.0.2.10', outcome: 'ok',
      } }],
    },
    {
      description: 'a line cut short and one with a bad direction',
      lines: [
        'Tue Mar  5 14:03:27 2024 2 203.0.113.9 52344 /pub/x',
        'Tue Mar  5 14:03:27 2024 2 203.0.113.9 52344 /a b _ x r alice ftp 0 * c',
      ],
      options: { tz: 'UTC' },
      yields: [
        { reject: 'xferlog: 9 fields, expected at least 18' },
        { reject: "xferlog: direction 'x' is not o, i or d" },
      ],
    },
  ],
};
