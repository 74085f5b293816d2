import { normalizeIp } from './net.js';
import { wholeNumberAt } from '../number.js';
import { parseSyslog, SyslogYear } from './syslog.js';
import { CtimeReader, looksLikeCtime } from './time.js';
import { ZoneClock } from '../zone.js';
import {
  clip, emit, lookupTable, newEvent, reject, SKIP, statelessParser, type ServerFormat, type LineParser, type LineResult, type ParserOptions,
} from './types.js';

/**
 * xferlog: one line per transfer (wu-ftpd, ProFTPD TransferLog, vsftpd xferlog_std_format, Pure-FTPd).
 *   Tue Mar  5 14:03:27 2024 2 203.0.113.9 52344 /pub/iso/debian.iso b _ o r alice ftp 0 * c
 * Five date tokens, then seconds, host, bytes, filename, and nine fixed tokens after the filename.
 * Filenames may hold unescaped spaces, so the fixed fields are taken from both ends; one extra
 * trailing token (a server address some servers add) is kept as the server. A user name may hold
 * spaces too (ProFTPD, Pure-FTPd): then the `<a|b> <action> <o|i|d> <a|g|r>` run ends the filename.
 */

const TAIL = 9; // type, action, direction, access, user, service, auth method, auth user, completion
const MIN_TOKENS = 5 + 3 + 1 + TAIL;
const ACCESS = lookupTable({ a: 'anonymous', g: 'guest', r: 'real' });

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

  words(line: string): string[] {
    const out: string[] = new Array(this.count);
    for (let k = 0; k < this.count; k++) out[k] = line.slice(this.starts[k], this.ends[k]);
    return out;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Why the nine tokens ending at `last` are not an xferlog tail; `null` when they are. */
function tailProblem(tok: string[], last: number): string | null {
  const at = last - (TAIL - 1);
  const run = runProblem(tok, at);
  if (run !== null) return run;
  const auth = tok[at + 6];
  if (auth !== '0' && auth !== '1') return `authentication method '${clip(auth!)}' is not 0 or 1`;
  const done = tok[at + 8];
  if (done !== 'c' && done !== 'i') return `completion status '${clip(done!)}' is not c or i`;
  return null;
}

/** Why the four tokens at `at` are no `<a|b> <action> <o|i|d> <a|g|r>` run; `null` when they are. */
function runProblem(tok: string[], at: number): string | null {
  const type = tok[at]!;
  if (type !== 'b' && type !== 'a') return `transfer type '${clip(type)}' is not a or b`;
  const action = tok[at + 1]!;
  if (action !== '_' && !/^[_CUT]+$/.test(action)) return `special action '${clip(action)}' is not _, C, U or T`;
  const dir = tok[at + 2]!;
  if (dir !== 'o' && dir !== 'i' && dir !== 'd') return `direction '${clip(dir)}' is not o, i or d`;
  if (ACCESS[tok[at + 3]!] === undefined) return `access mode '${clip(tok[at + 3]!)}' is not a, g or r`;
  return null;
}

function createParser(options: ParserOptions): LineParser {
  const clock = new ZoneClock(options.tz);
  const stamps = new CtimeReader(clock);
  const years = new SyslogYear(options.referenceDate, options.year);
  const t = new Tokens();

  function parse(line: string): LineResult {
    if (line.charCodeAt(0) === 35 /* # */) return SKIP.comment;
    let server: string | null = null;
    let end = stamps.read(line, 0);
    if (end < 0) {
      // xferlog relayed through syslog: `Mar  5 14:03:27 host proftpd[12]: Tue Mar  5 … c`
      const sys = parseSyslog(line, clock, years);
      end = sys ? stamps.read(line, sys.bodyStart) : -1;
      if (!sys || end < 0) return reject('xferlog: line does not start with a date like "Tue Mar  5 14:03:27 2024"');
      server = sys.host;
    }
    const ts = stamps.iso;
    if (ts === null) return reject(`xferlog: ${stamps.problem}`);
    return fields(line, end, ts, server);
  }

  /** The fields after the stamp: nearly every line takes the simple path. */
  function fields(line: string, end: number, ts: string, server: string | null): LineResult {
    const simple = simpleFields(line, end, ts, server);
    if (simple !== null) return simple;
    // Anything else (several spaces between fields, tabs, a bad tail): token boundaries by hand.
    t.split(line, end);
    const count = t.count + 5;
    if (count < MIN_TOKENS) return reject(`xferlog: ${count} fields, expected at least ${MIN_TOKENS}`);
    const words = t.words(line);
    let last = words.length - 1;
    const problem = tailProblem(words, last);
    if (problem) {
      // Some servers append their own address: accept exactly one extra token.
      if (words.length - 1 < MIN_TOKENS - 5 || tailProblem(words, last - 1) !== null) return spacedUser(line, words, ts, server) ?? reject(`xferlog: ${problem}`);
      server = words[last]!;
      last -= 1;
    }
    const tail = last - (TAIL - 1);
    return build(ts, server, words, tail, line.slice(t.starts[3], t.ends[tail - 1]));
  }

  /**
   * A line whose user name holds spaces (ProFTPD logs an anonymous visitor's typed password there,
   * Pure-FTPd `ftp: <e-mail> `): the path ends at the last `<a|b> <action> <o|i|d> <a|g|r>` run of
   * tokens after which the rest (user words, service, method, auth user, status, perhaps a server)
   * still fits. Taken only when no one-word user fits, so paths with spaces read as before.
   */
  function spacedUser(line: string, words: string[], ts: string, server: string | null): LineResult | null {
    const last = words.length - 1;
    for (const end of [last, last - 1]) {
      const done = words[end];
      if ((done !== 'c' && done !== 'i') || (words[end - 2] !== '0' && words[end - 2] !== '1')) continue;
      // The run needs one path token before it (index 3 on) and two or more user words after it.
      for (let k = end - 9; k >= 4; k--) {
        if (runProblem(words, k) !== null) continue;
        const tok = [words[0]!, words[1]!, words[2]!, ...words.slice(k, k + 4), line.slice(t.starts[k + 4], t.ends[end - 4]), ...words.slice(end - 3, end + 1)];
        return build(ts, end === last ? server : words[last]!, tok, 3, line.slice(t.starts[3], t.ends[k - 1]));
      }
    }
    return null;
  }

  return statelessParser(parse);
}

/** Where each of the last tokens of a line starts, last first (reused across lines). */
const backStarts: number[] = [];
/** simpleFields' tokens for build: seconds, host, bytes, then a tail (reused across lines: build keeps strings, not the array). */
const simpleTok: string[] = new Array<string>(3 + TAIL).fill('');

/**
 * The fields of a line separated by single spaces, without tabs, that ends in a valid tail (with
 * or without one server address after it), found by scanning from both ends: only the tokens an
 * event keeps become strings. Null for any other line, which the token-by-token path then takes
 * (and rejects with its reason when it must).
 */
function simpleFields(line: string, end: number, ts: string, server: string | null): LineResult | null {
  if (line.charCodeAt(end) !== 32 || line.indexOf('\t', end) >= 0) return null;
  const e0 = line.indexOf(' ', end + 1);
  const e1 = e0 < 0 ? -1 : line.indexOf(' ', e0 + 1);
  const e2 = e1 < 0 ? -1 : line.indexOf(' ', e1 + 1);
  const pathStart = e2 + 1;
  if (e0 <= end + 1 || e1 <= e0 + 1 || e2 <= e1 + 1 || line.charCodeAt(pathStart) === 32) return null;
  // The last TAIL tokens, each with at least one character of filename before it; between single
  // spaces a token may be empty (a field the server left blank), but not the last.
  if (tokensFromEnd(line, pathStart, 0, TAIL) < TAIL || backStarts[0] === line.length) return null;
  const tok = simpleTok;
  tok[0] = line.slice(end + 1, e0);
  tok[1] = line.slice(e0 + 1, e1);
  tok[2] = line.slice(e1 + 1, e2);
  let skip = 0;
  tailAt(line, tok, skip);
  if (tailProblem(tok, tok.length - 1) !== null) {
    // Not a tail: perhaps one followed by a server address.
    if (tokensFromEnd(line, pathStart, TAIL, TAIL + 1) <= TAIL) return null;
    tailAt(line, tok, (skip = 1));
    if (tailProblem(tok, tok.length - 1) !== null) return null;
    server = line.slice(backStarts[0]);
  }
  // The filename ends at the space before the tail; spaces at its end belong to the separator (the
  // token-by-token path trims them).
  const pathEnd = backStarts[skip + TAIL - 1]! - 1;
  if (line.charCodeAt(pathEnd - 1) === 32) return null;
  return build(ts, server, tok, 3, line.slice(pathStart, pathEnd));
}

/**
 * Finds where the line's last tokens start, from token `have` (those before are in backStarts) up to
 * `want`, each after `pathStart`; returns how many it has.
 */
function tokensFromEnd(line: string, pathStart: number, have: number, want: number): number {
  let right = have === 0 ? line.length : backStarts[have - 1]! - 1;
  while (have < want) {
    // By hand: lastIndexOf costs a runtime call each time, several times this loop.
    let space = right - 1;
    while (space > pathStart && line.charCodeAt(space) !== 32) space--;
    if (space <= pathStart) break;
    backStarts[have++] = space + 1;
    right = space;
  }
  return have;
}

/** Puts the TAIL tokens that end `skip` tokens before the line's end into tok[3…]. */
function tailAt(line: string, tok: string[], skip: number): void {
  for (let j = 0; j < TAIL; j++) {
    const k = skip + TAIL - 1 - j;
    tok[3 + j] = line.slice(backStarts[k], k === 0 ? line.length : backStarts[k - 1]! - 1);
  }
}

/** An event from the tokens after the stamp: seconds, host, bytes, [filename …], then the tail at `tail`. */
function build(ts: string, server: string | null, tok: string[], tail: number, path: string): LineResult {
  const seconds = wholeNumberAt(tok[0]!);
  if (seconds === null) return reject(`xferlog: transfer time '${clip(tok[0]!)}' is not a whole number of seconds`);
  const bytes = wholeNumberAt(tok[2]!);
  if (bytes === null) return reject(`xferlog: byte count '${clip(tok[2]!)}' is not a whole number`);
  const dir = tok[tail + 2];
  const complete = tok[tail + 8] === 'c';
  const e = newEvent(ts, dir === 'd' ? 'file' : 'transfer', complete ? 'ok' : 'fail');
  e.server = server;
  e.clientIp = normalizeIp(tok[1]!);
  e.bytes = bytes;
  e.durationMs = Math.round(seconds * 1000);
  e.path = path;
  e.command = dir === 'o' ? 'RETR' : dir === 'i' ? 'STOR' : 'DELE';
  e.direction = dir === 'o' ? 'download' : dir === 'i' ? 'upload' : null;
  // Anonymous access logs what the visitor typed as a password (by custom an e-mail address) in the
  // user column: the login was `anonymous`, and the address is nobody's user name to store.
  // Pure-FTPd built with LOG_ANON_EMAIL writes its anonymous account as `ftp: <e-mail>`.
  const user = tok[tail + 4]!;
  e.username = tok[tail + 3] === 'a' ? 'anonymous' : user.startsWith('ftp: ') ? 'ftp' : user;
  e.detail = details.text(tok[tail + 3]!, tok[tail + 5]!, tok[tail] === 'a', tok[tail + 1]!, complete);
  return emit(e);
}

/**
 * The detail texts built lately, by their parts. A night's lines have a handful of distinct ones:
 * handing out the same string again saves building it and the string table hashing it again, line
 * after line (a twentieth of an ingest's parsing thread).
 */
class DetailTexts {
  private static readonly KEEP = 8;
  private readonly recent: Array<{ access: string; service: string; ascii: boolean; action: string; complete: boolean; text: string }> = [];

  text(access: string, service: string, ascii: boolean, action: string, complete: boolean): string {
    for (const d of this.recent) {
      if (d.access === access && d.service === service && d.ascii === ascii && d.action === action && d.complete === complete) return d.text;
    }
    const text = ACCESS[access]! + ' ' + service + (ascii ? ' ascii' : '') + (action === '_' ? '' : ' action=' + action) +
      (complete ? '' : ' incomplete');
    if (this.recent.length === DetailTexts.KEEP) this.recent.pop();
    this.recent.unshift({ access, service, ascii, action, complete, text });
    return text;
  }
}

const details = new DetailTexts();

export const xferlog: ServerFormat = {
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
        path: '/in/q1  report final.csv', username: 'anonymous', outcome: 'fail', bytes: 0,
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
      description: 'user names with spaces: a ProFTPD anonymous password and Pure-FTPd\'s `ftp: <e-mail> ` account; a relative path',
      lines: [
        'Tue Mar 05 14:03:27 2024 0 198.51.100.7 4096 /pub/README a _ o a guest at example dot org ftp 0 * c',
        'Tue Mar 05 14:03:28 2024 1 198.51.100.8 10 /pub/my file.txt b _ o r ftp: visitor@example.org  ftp 1 * c',
        'Tue Mar 05 14:03:29 2024 3 198.51.100.9 77 incoming/new.bin b _ i r carol sftp 0 * c',
      ],
      options: { tz: 'UTC' },
      yields: [
        { event: { ts: '2024-03-05T14:03:27Z', username: 'anonymous', path: '/pub/README', bytes: 4096, outcome: 'ok', detail: 'anonymous ftp ascii' } },
        { event: { username: 'ftp', path: '/pub/my file.txt', bytes: 10, outcome: 'ok', detail: 'real ftp' } },
        { event: { username: 'carol', path: 'incoming/new.bin', command: 'STOR', detail: 'real sftp' } },
      ],
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
