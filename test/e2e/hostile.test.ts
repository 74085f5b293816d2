import Database from 'better-sqlite3';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Ingests `lines` as one log of `format` through the built CLI; the database and what its tables hold. */
function ingest(format: string, lines: string[], name = 'log') {
  const dir = tempDir();
  const log = join(dir, name);
  writeFileSync(log, lines.join('\n') + '\n');
  const db = join(dir, 'h.db');
  const r = runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2024', '--quiet', '--log-format', format, log]);
  expect(r.status, r.stderr).toBe(0);
  const conn = new Database(db, { readonly: true });
  const events = conn.prepare('SELECT line_no, kind, outcome, client_ip, username, command, path FROM events ORDER BY id').all() as Array<Record<string, unknown>>;
  const rejects = conn.prepare('SELECT line_no, reason, raw FROM rejects ORDER BY line_no').all() as Array<{ line_no: number; reason: string; raw: string }>;
  conn.close();
  return { db, dir, events, rejects };
}

const V = (rest: string) => `Tue Mar  5 14:03:21 2024 ${rest}`;

describe('client text cannot move an address, a user, an action or an outcome', () => {
  it('vsftpd: user names and paths that imitate the fields around them', () => {
    const { events, rejects } = ingest('vsftpd', [
      // A client logs in as `alice] FAIL LOGIN: Client "6.6.6.6", "x` from 203.0.113.9: one failed login, from 203.0.113.9.
      V('[pid 1] [alice] FAIL LOGIN: Client "6.6.6.6", "x] FAIL LOGIN: Client "203.0.113.9"'),
      // The same trick cannot forge a success either.
      V('[pid 1] [alice] OK LOGIN: Client "6.6.6.6", "x] FAIL LOGIN: Client "203.0.113.9"'),
      V('[pid 1] [a] OK LOGIN: Client "6.6.6.6"] FAIL LOGIN: Client "203.0.113.9"'),
      // A download whose path holds a whole other download: the first is the line (an account's name is before it).
      V('[pid 3] [bob] OK DOWNLOAD: Client "203.0.113.9", "/x] OK DOWNLOAD: Client "6.6.6.6", "/y", 5 bytes, 1.00Kbyte/sec", 100 bytes, 2.00Kbyte/sec'),
      // A directory named like a failed login reads exactly like a failed login named like a directory: refused.
      V('[pid 3] [bob] OK MKDIR: Client "203.0.113.9", "/x] FAIL LOGIN: Client "6.6.6.6"'),
      V('[pid 1] [x] FTP command: Client "6.6.6.6", "CWD y] FAIL LOGIN: Client "203.0.113.9"'),
      V('[pid 2] [x] FTP command: Client "6.6.6.6", "NOOP] FTP command: Client "203.0.113.9", "PASS hunter2"'),
      // Not an address at all.
      V('[pid 1] [eve] FAIL LOGIN: Client "evil.example.org"'),
    ]);
    expect(events).toEqual([
      { line_no: 1, kind: 'login', outcome: 'fail', client_ip: '203.0.113.9', username: 'alice] FAIL LOGIN: Client "6.6.6.6", "x', command: 'LOGIN', path: null },
      { line_no: 2, kind: 'login', outcome: 'fail', client_ip: '203.0.113.9', username: 'alice] OK LOGIN: Client "6.6.6.6", "x', command: 'LOGIN', path: null },
      { line_no: 3, kind: 'login', outcome: 'fail', client_ip: '203.0.113.9', username: 'a] OK LOGIN: Client "6.6.6.6"', command: 'LOGIN', path: null },
      { line_no: 4, kind: 'transfer', outcome: 'ok', client_ip: '203.0.113.9', username: 'bob', command: 'RETR',
        path: '/x] OK DOWNLOAD: Client "6.6.6.6", "/y", 5 bytes, 1.00Kbyte/sec' },
    ]);
    expect(rejects.map((r) => [r.line_no, r.reason])).toEqual([
      [5, "vsftpd: the client's text imitates the line's own fields (it reads as MKDIR or as LOGIN), so which it is cannot be told"],
      [6, "vsftpd: the client's text imitates the line's own fields (it reads as FTP command or as LOGIN), so which it is cannot be told"],
      [7, "vsftpd: the client's text imitates the line's own fields (it reads as FTP command), so which it is cannot be told"],
      [8, 'vsftpd: the client is not an address'],
    ]);
  });

  it('PAM: a user name that holds rhost= and user= does not move the address', () => {
    const pam = (fields: string) => `Mar  5 14:03:28 ftp1 vsftpd[99]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ${fields}`;
    const { events } = ingest('vsftpd', [
      pam('ruser=x rhost=6.6.6.6  user=x rhost=203.0.113.9  user=x rhost=6.6.6.6  user=x'),
      pam('ruser=bob rhost=203.0.113.7  user=bob'),
      pam('ruser= rhost=203.0.113.8  user=carol rhost=6.6.6.6'),
      pam('ruser=dave rhost=6.6.6.6 rhost=203.0.113.10'),
    ]);
    expect(events.map((e) => [e.client_ip, e.username, e.outcome])).toEqual([
      ['203.0.113.9', 'x rhost=6.6.6.6  user=x', 'fail'],
      ['203.0.113.7', 'bob', 'fail'],
      ['203.0.113.8', 'carol rhost=6.6.6.6', 'fail'],
      ['203.0.113.10', 'dave rhost=6.6.6.6', 'fail'],
    ]);
  });

  it('ftpd (wu-ftpd, the BSDs): a user name that imitates `<host> [<ip>]` or an ident does not move the address', () => {
    const F = (host: string, body: string) => `Jun 17 07:10:04 ${host} ftpd[5501]: ${body}`;
    const { events } = ingest('ftpd', [
      F('bsd', 'FTP LOGIN FAILED FROM client.example.net, a @ b [6.6.6.6]'),
      F('bsd', 'FTP LOGIN FAILED FROM 198.51.100.4, zz [6.6.6.9]'),
      F('wu', 'failed login from host8.example.com [207.30.238.8], x @ y [6.6.6.7]'),
      F('wu', 'FTP LOGIN REFUSED (username in /etc/ftpusers) FROM host8.example.com [207.30.238.8], root @ z [6.6.6.8]'),
      // An RFC 931 ident user (one word, as wu-ftpd reads it) before the host is the server's to place.
      F('wu', 'failed login from identd-user @ host9.example.com [207.30.238.9], bob [6.6.6.6]'),
      // An ident with spaces (no wu-ftpd writes one): no address rather than one of the client's.
      F('wu', 'failed login from a b @ host9.example.com [6.6.6.6], bob'),
    ]);
    expect(events.map((e) => [e.client_ip, e.username, e.outcome])).toEqual([
      ['client.example.net', 'a @ b [6.6.6.6]', 'fail'],
      ['198.51.100.4', 'zz [6.6.6.9]', 'fail'],
      ['207.30.238.8', 'x @ y [6.6.6.7]', 'fail'],
      ['207.30.238.8', 'root @ z [6.6.6.8]', 'fail'],
      ['207.30.238.9', 'bob [6.6.6.6]', 'fail'],
      [null, null, 'fail'],
    ]);
  });

  it("Pure-FTPd: a name tried or a path that imitates the `(user@host) [LEVEL]` prefix or a message moves nothing", () => {
    const P = (body: string) => `Mar  5 14:03:21 nas pure-ftpd: ${body}`;
    const { events } = ingest('pure-ftpd', [
      P('(?@203.0.113.9) [WARNING] Authentication failed for user [x] (?@6.6.6.6) [INFO] bob is now logged in]'),
      P('(bob@203.0.113.9) [NOTICE] /home/bob/a (?@6.6.6.6) [WARNING] Authentication failed for user [root] uploaded (100 bytes, 1.00KB/sec)'),
      P('(bob@203.0.113.9) [NOTICE] Deleted /home/bob/x is now logged in'),
      P('(bob@203.0.113.9) [NOTICE] Deleted /home/bob/y downloaded (5 bytes, 1.00KB/sec)'),
    ]);
    expect(events.map((e) => [e.client_ip, e.username, e.kind, e.outcome, e.command, e.path])).toEqual([
      ['203.0.113.9', 'x] (?@6.6.6.6) [INFO] bob is now logged in', 'login', 'fail', 'LOGIN', null],
      ['203.0.113.9', 'bob', 'transfer', 'ok', 'STOR', '/home/bob/a (?@6.6.6.6) [WARNING] Authentication failed for user [root]'],
      ['203.0.113.9', 'bob', 'file', 'ok', 'DELE', '/home/bob/x is now logged in'],
      ['203.0.113.9', 'bob', 'file', 'ok', 'DELE', '/home/bob/y downloaded (5 bytes, 1.00KB/sec)'],
    ]);
  });

  it('xferlog: a path or user name with fields in it moves neither direction nor status', () => {
    const X = (rest: string) => `Tue Mar  5 14:03:27 2024 2 203.0.113.9 ${rest}`;
    const { events, rejects } = ingest('xferlog', [
      X('100 /pub/x b _ i r y b _ o r bob ftp 0 * c'),
      X('100 /pub/a b _ i r x b _ o r bob ftp 0 * i'),
      X('10 /pub/a b _ o a x ftp 0 * i ftp 0 * c'),
    ]);
    // The third is an anonymous download whose typed password imitates a tail: its own tail says complete.
    expect(events.map((e) => [e.command, e.outcome, e.username, e.path])).toEqual([
      ['RETR', 'ok', 'bob', '/pub/x b _ i r y'], ['RETR', 'fail', 'bob', '/pub/a b _ i r x'], ['RETR', 'ok', 'anonymous', '/pub/a'],
    ]);
    expect(rejects).toEqual([]);
  });

  it('IIS: a user name or path cannot add a field (IIS writes their spaces as +)', () => {
    const { events } = ingest('iis', [
      '#Fields: date time c-ip cs-username cs-method cs-uri-stem sc-status sc-win32-status sc-substatus x-session',
      '2024-03-05 14:00:01 203.0.113.9 alice+6.6.6.6+PASS PASS *** 230 0 0 s1',
      '2024-03-05 14:00:02 203.0.113.9 bob RETR /a+226+0+0 550 2 0 s1',
    ]);
    expect(events.map((e) => [e.client_ip, e.outcome, e.command])).toEqual([['203.0.113.9', 'ok', 'PASS'], ['203.0.113.9', 'fail', 'RETR']]);
  });
});

describe('numbers are whole numbers', () => {
  it.each(['99999999999999999999999', '-5', '0x10', '1e3', '1.5'])('an xferlog byte count of %s is a reject with its reason', (bytes) => {
    const { events, rejects } = ingest('xferlog', [`Tue Mar  5 14:03:27 2024 2 203.0.113.9 ${bytes} /pub/a b _ o r bob ftp 0 * c`]);
    expect(events).toEqual([]);
    expect(rejects.map((r) => r.reason)).toEqual([`xferlog: byte count '${bytes}' is not a whole number`]);
  });

  it('a vsftpd byte count that is no whole number is a reject', () => {
    const { rejects } = ingest('vsftpd', [V('[pid 3] [bob] OK DOWNLOAD: Client "203.0.113.9", "/a", 1e3 bytes, 1.00Kbyte/sec')]);
    expect(rejects).toHaveLength(1);
  });
});

describe('no password reaches the database or any output', () => {
  it('masks PASS and anonymous passwords in rejects, whatever the format and the reason', () => {
    const secret = 'Tr0ub4dor&3';
    const { db, dir, rejects } = ingest('vsftpd', [
      V(`[pid 2] [x] FTP command: Client "6.6.6.6", "NOOP] FTP command: Client "203.0.113.9", "PASS ${secret}"`),
      V(`[pid 2] [bob] FTP command: Client "203.0.113.9", "PASS ${secret}"`), // an event: its detail is ***
      V(`[pid 2] [bob] FTP command: Client "203.0.113.9, "PASS ${secret} with spaces"`), // a reject: no closing quote
      V(`[pid 1] [ftp] OK LOGIN: Client "not-an-ip", anon password "${secret}"`),
      `garbage pass ${secret}`,
    ]);
    expect(rejects.map((r) => r.raw)).toEqual([
      V('[pid 2] [x] FTP command: Client "6.6.6.6", "NOOP] FTP command: Client "203.0.113.9", "PASS ***'),
      V('[pid 2] [bob] FTP command: Client "203.0.113.9, "PASS ***'),
      V('[pid 1] [ftp] OK LOGIN: Client "not-an-ip", anon password "***'),
      'garbage pass ***',
    ]);
    const outputs = [
      runCli(['sql', 'SELECT * FROM rejects', '--db', db, '--format', 'csv']).stdout,
      runCli(['sql', 'SELECT * FROM events', '--db', db, '--format', 'json']).stdout,
      ...['overview', 'headline', 'top-users', 'auth-failures'].map((r) => runCli(['report', r, '--db', db, '--format', 'markdown']).stdout),
      runCli(['nightly', '--db', db, '--now', '2024-03-06T00:00:00Z', '--quiet']).stdout,
    ];
    for (const text of outputs) expect(text).not.toContain(secret);
    for (const file of [db, db + '-wal', db + '-shm', join(dir, 'h.db-journal')].filter(existsSync)) {
      expect(readFileSync(file).includes(secret), file).toBe(false);
    }
  });
});

describe('Markdown output is inert', () => {
  it('escapes <, >, & and | in log text, in reports and in the nightly report, so no HTML renders and no table breaks', () => {
    const name = '<img src=x onerror=alert(1)>|a&amp;b_[x](javascript:1)';
    const { db } = ingest('vsftpd', Array.from({ length: 3 }, () => V(`[pid 1] [${name}] FAIL LOGIN: Client "203.0.113.9"`)));
    const report = runCli(['report', 'auth-failures', '--db', db, '--format', 'markdown']).stdout;
    const nightly = runCli(['nightly', '--db', db, '--now', '2024-03-06T00:00:00Z', '--quiet']).stdout;
    for (const text of [report, nightly]) {
      expect(text).not.toMatch(/<img|<\/?[a-z]/i);
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;\\|a&amp;amp;b\\_\\[x\\](javascript:1)');
    }
    // Every row of the table has as many cells as its header: no | of the name ends a cell.
    const rows = report.trim().split('\n');
    const cells = (row: string) => row.split(/(?<!\\)\|/).length;
    expect(rows.every((r) => cells(r) === cells(rows[0]!))).toBe(true);
  });
});

describe('line endings, compressions and files that are no logs', () => {
  const XFER = (i: number) => `Tue Mar  5 14:03:${String(i % 60).padStart(2, '0')} 2024 2 203.0.113.9 ${100 + i} /pub/f${i}.iso b _ o r alice ftp 0 * c`;

  it('ends records at a lone CR: 50 CR-separated xferlog records are 50 events', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'xferlog'), Array.from({ length: 50 }, (_, i) => XFER(i)).join('\r') + '\r');
    const db = join(dir, 'cr.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'UTC', join(dir, 'xferlog')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('50 lines: 50 events, 0 skipped, 0 rejected');
  });

  it('fails a bzip2, xz or zstd file with how to read it, reads UTF-16, and leaves out an image with one reason', () => {
    const dir = tempDir();
    const files: Array<[string, Buffer]> = [
      ['a.log.bz2', Buffer.from('BZh91AY&SY\x00\x01', 'latin1')],
      ['b.log.xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04])],
      ['c.log.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58])],
      ['d.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(XFER(1) + '\n', 'utf16le')])],
      ['e.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 0x41)])],
      ['f.log', Buffer.from(XFER(2) + '\n')],
    ];
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    const db = join(dir, 'c.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'UTC', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('a.log.bz2: bzip2-compressed, which ftplog does not decompress: read it with bzcat FILE | ftplog ingest -');
    expect(r.stderr).toContain('b.log.xz: xz-compressed, which ftplog does not decompress: read it with xzcat FILE | ftplog ingest -');
    expect(r.stderr).toContain('c.log.zst: zstd-compressed, which ftplog does not decompress: read it with zstdcat FILE | ftplog ingest -');
    expect(r.stderr).toMatch(/d\.log +xferlog +1 lines: 1 events/);
    expect(r.stderr).toMatch(/e\.png +left out: not a log: a PNG image/);
    expect(r.stderr).toContain('total: 2 lines, 2 events, 0 skipped, 0 rejected');
    // With only the image beside a log, nothing failed.
    const ok = tempDir();
    writeFileSync(join(ok, 'e.png'), files[4]![1]);
    writeFileSync(join(ok, 'f.log'), files[5]![1]);
    expect(runCli(['ingest', '--db', join(ok, 'o.db'), '--tz', 'UTC', ok]).status).toBe(0);
  });

  it('keeps memory bounded for millions of blank lines before the first line that shows the format', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blank.log'), Buffer.concat([Buffer.alloc(6_000_000, 10), Buffer.from(XFER(1) + '\n')]));
    // The child reports its own peak RSS as it exits.
    const preload = join(dir, 'rss.cjs');
    writeFileSync(preload, "process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\\n`));\n");
    const r = runCli(['ingest', '--db', join(dir, 'b.db'), '--tz', 'UTC', join(dir, 'blank.log')], { env: { NODE_OPTIONS: `--require ${preload}` } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('6000001 lines: 1 events, 6000000 skipped, 0 rejected');
    const kb = Number(/maxrss (\d+)/.exec(r.stderr)![1]);
    expect(kb / 1024).toBeLessThan(200);
  });
});

describe('databases as users find them', () => {
  const XFER = 'Tue Mar  5 14:03:27 2024 2 203.0.113.9 100 /pub/a.iso b _ o r alice ftp 0 * c\n';

  it('report, sql and nightly read a database in a folder the reader may not write', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'xferlog'), XFER);
    const db = join(dir, 'f.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', join(dir, 'xferlog')]).status).toBe(0);
    // Root writes anywhere: read as nobody then. Anyone else: a folder of their own they may not write.
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, asRoot ? 0o755 : 0o555);
    chmodSync(db, 0o444);
    const as = asRoot ? { uid: 65534, gid: 65534, cwd: tmpdir() } : { cwd: tmpdir() };
    try {
      const headline = runCli(['report', 'headline', '--db', db, '--format', 'csv'], as);
      expect(headline.stderr).toBe('');
      expect(headline.stdout).toMatch(/^events,.*\n1,0,0,0,0,100,0,1\n$/);
      expect(runCli(['sql', 'SELECT count(*) AS n FROM events', '--db', db, '--format', 'csv'], as).stdout).toBe('n\n1\n');
      const nightly = runCli(['nightly', '--db', db, '--now', '2024-03-06T00:00:00Z', '--quiet'], as);
      expect(nightly.status, nightly.stderr).toBe(0);
      expect(existsSync(db + '-shm')).toBe(false);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('says what is wrong with the database or the --out folder, with the documented exit code', () => {
    const dir = tempDir();
    const notDb = join(dir, 'notes.db');
    writeFileSync(notDb, 'hello, this is text\n'.repeat(50));
    const r1 = runCli(['report', 'headline', '--db', notDb]);
    expect([r1.status, r1.stderr]).toEqual([2, `ftplog: ${notDb} is not an SQLite database, so no ftplog database (ftplog ingest --db NEW-FILE makes one)\n`]);
    const missing = join(dir, 'none.db');
    const r2 = runCli(['sql', 'SELECT 1', '--db', missing]);
    expect([r2.status, r2.stderr]).toEqual([2, `ftplog: no database at ${missing} yet: ftplog ingest --db ${missing} LOGS creates it\n`]);
    expect(existsSync(missing)).toBe(false);

    writeFileSync(join(dir, 'xferlog'), XFER);
    const db = join(dir, 'f.db');
    runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', join(dir, 'xferlog')]);
    const out = join(dir, 'no', 'such', 'x.csv');
    const r3 = runCli(['report', 'headline', '--db', db, '--out', out]);
    expect([r3.status, r3.stderr]).toEqual([2, `ftplog: --out ${out}: the folder ${join(dir, 'no', 'such')} does not exist\n`]);
    for (const q of ['PRAGMA journal_mode = DELETE', 'pragma main.user_version=7', 'PRAGMA cache_size(5)']) {
      const r = runCli(['sql', q, '--db', db]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^ftplog: sql: PRAGMA \w+ with a value changes a setting, and the database is opened read-only/);
    }
    expect(runCli(['sql', 'PRAGMA table_info(events)', '--db', db, '--format', 'csv']).stdout).toMatch(/^cid,name,type/);
  });
});
