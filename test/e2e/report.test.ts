import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/report/catalog.js';
import { CLI, runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { query, tempDir } from '../helpers/tmp.js';

let db: string;
const suiteDir = mkdtempSync(join(tmpdir(), 'ftplog-e2e-report-'));
afterAll(() => rmSync(suiteDir, { recursive: true, force: true }));

beforeAll(() => {
  db = join(suiteDir, 'e2e.db');
  const r = runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2023', '--quiet', fixture('xferlog'), fixture('vsftpd'), fixture('iis')]);
  expect(r.status).toBe(0);
});

describe('ftplog reports / report / sql (built CLI)', () => {
  it('lists the reports with titles and parameters', () => {
    const r = runCli(['reports']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('brute-force      Brute-force bursts of failed logins');
    expect(r.stdout).toContain('--param threshold=<int>  default 10');
    expect(r.stdout).toContain('--param bucket=<day|hour>  default day');
    expect(r.stdout).toContain('runs on: sqlite, clickhouse');
  });

  it('lists the reports as rows with --format, and to a file with --out', () => {
    const csv = parse(runCli(['reports', '--format', 'csv']).stdout, { columns: true }) as Array<Record<string, string>>;
    const brute = csv.find((r) => r.name === 'brute-force')!;
    expect(brute.title).toBe('Brute-force bursts of failed logins');
    expect(brute.parameters).toContain('threshold=<int> default 10');
    expect(brute.file.endsWith('brute-force.sql')).toBe(true);
    expect(brute.stores).toBe('sqlite, clickhouse');
    const json = JSON.parse(runCli(['reports', '--format', 'json']).stdout) as Array<{ name: string }>;
    expect(json.map((r) => r.name)).toEqual(csv.map((r) => r.name));
    const out = join(tempDir(), 'reports.md');
    expect(runCli(['reports', '--out', out]).status).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('| name | title | description | parameters | stores | file |');
  });

  it('stops quietly, with success, when the reader of its output goes away (| head)', async () => {
    const many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i, 'some text to fill the pipe' FROM n";
    const child = spawn(process.execPath, [CLI, 'sql', '--db', db, many, '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it.each(['table', 'csv', 'json', 'markdown'])('prints the overview as %s', (format) => {
    const r = runCli(['report', 'overview', '--db', db, '--format', format]);
    expect(r.status).toBe(0);
    if (format === 'json') expect(JSON.parse(r.stdout)).toHaveLength(9);
    if (format === 'csv') expect(parse(r.stdout, { columns: true })).toHaveLength(9);
    if (format === 'markdown') expect(r.stdout.split('\n')[1]).toMatch(/^\| --- \| --- \|/);
    if (format === 'table') expect(r.stdout.split('\n')[0]).toMatch(/^format\s+server\s+first_ts/);
    expect(r.stdout).toContain('192.0.2.10');
  });

  it('writes to --out, picking the format from the extension', () => {
    const dir = tempDir();
    expect(runCli(['report', 'reply-codes', '--db', db, '--out', join(dir, 'codes.json')]).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'codes.json'), 'utf8'))[0]).toMatchObject({ code: 331, events: 10 });
    expect(runCli(['report', 'reply-codes', '--db', db, '--out', join(dir, 'codes.csv'), '--excel']).status).toBe(0);
    expect(readFileSync(join(dir, 'codes.csv'), 'utf8').startsWith('\ufeffcode,class,')).toBe(true);
  });

  it('keeps hostile user names inert in CSV', () => {
    const dir = tempDir();
    const hostile = join(dir, 'hostile.db');
    const log = join(dir, 'vsftpd.log');
    writeFileSync(log, [
      'Tue Mar  5 14:04:02 2024 [pid 1] [=HYPERLINK("http://x","y")] FAIL LOGIN: Client "198.51.100.4"',
      'Tue Mar  5 14:04:03 2024 [pid 2] [@SUM(1)] FAIL LOGIN: Client "198.51.100.4"',
    ].join('\n') + '\n');
    expect(runCli(['ingest', '--db', hostile, '--tz', 'UTC', '--quiet', log]).status).toBe(0);
    const r = runCli(['report', 'auth-failures', '--db', hostile, '--format', 'csv']);
    const users = (parse(r.stdout, { columns: true }) as Array<Record<string, string>>).filter((x) => x.by === 'username').map((x) => x.key);
    expect(users.sort()).toEqual(["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)"]);
  });

  it('takes --since, --until and --param', () => {
    const r = runCli(['report', 'brute-force', '--db', db, '--since', '2024-03-05T02:00:00Z', '--param', 'threshold=3', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ client_ip: '198.51.100.23', failures: 3, burst_start: '2024-03-05T02:10:01Z' })]);
  });

  it('runs a user report from --queries', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'by-kind.sql'), [
      '-- name: by-kind',
      '-- title: Events per kind',
      '-- param: outcome (ok|fail|pending) = fail : which outcome to count',
      'SELECT kind, count(*) AS n FROM events WHERE outcome = :outcome GROUP BY kind ORDER BY n DESC, kind',
    ].join('\n'));
    expect(runCli(['reports', '--queries', dir]).stdout).toContain('by-kind          Events per kind');
    const r = runCli(['report', 'by-kind', '--db', db, '--queries', dir, '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual([
      // 23 failed logins: vsftpd.log 13 + syslog 3 + u_ex 5 + ex 2
      { kind: 'login', n: 23 }, { kind: 'transfer', n: 10 }, { kind: 'reply', n: 2 }, { kind: 'connect', n: 1 },
      { kind: 'data-channel', n: 1 }, { kind: 'disconnect', n: 1 }, { kind: 'file', n: 1 },
    ]);
  });

  it('exits 2 with a clear message on unknown reports, bad parameters and missing databases', () => {
    const unknown = runCli(['report', 'nope', '--db', db]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("no report named 'nope'");
    const bad = runCli(['report', 'failure-rate', '--db', db, '--param', 'bucket=week']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bucket is one of day, hour');
    const missing = runCli(['report', 'overview', '--db', join(tempDir(), 'none.db')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('ftplog ingest --db');
    expect(missing.stderr).not.toContain('    at ');
  });

  it('refuses a database made by a development build, saying that a new file fixes it, and leaves it alone', () => {
    const old = join(tempDir(), 'dev.db');
    const made = new Database(old);
    made.exec("CREATE TABLE sources (id INTEGER PRIMARY KEY); CREATE TABLE events (id INTEGER PRIMARY KEY, ts TEXT); INSERT INTO events VALUES (1, 'x')");
    made.pragma('user_version = 5');
    made.close();
    const before = readFileSync(old);
    const report = runCli(['report', 'overview', '--db', old]);
    expect(report.status).toBe(2);
    expect(report.stderr).toBe(`ftplog: ${old} was made by a development build of ftplog (layout 5) that this version does not read; `
      + 'ingest the logs again into a new database file (--db with a new name) and remove the old one\n');
    const ingest = runCli(['ingest', '--db', old, '--quiet', fixture('xferlog')]);
    expect(ingest.status).toBe(1);
    expect(ingest.stderr).toContain('was made by a development build of ftplog (layout 5)');
    expect(readFileSync(old).equals(before)).toBe(true);
  });

  it('sql: runs a SELECT in every format', () => {
    const r = runCli(['sql', "SELECT outcome, count(*) AS n FROM events GROUP BY outcome ORDER BY outcome", '--db', db, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ outcome: 'fail', n: 39 }, { outcome: 'ok', n: 49 }, { outcome: 'pending', n: 10 }]);
    const p = runCli(['sql', 'SELECT count(*) AS n FROM events WHERE username = :u', '--param', 'u=alice', '--db', db, '--format', 'csv']);
    expect(p.stdout).toBe('n\n22\n');
  });

  it.each([
    'DELETE FROM events',
    'DROP TABLE events',
    "ATTACH DATABASE 'x.db' AS x",
    "UPDATE events SET username = 'x'",
    'PRAGMA journal_mode = DELETE',
    'SELECT 1; DELETE FROM events',
  ])('sql: refuses %s and changes nothing', (statement) => {
    const before = query(db, 'SELECT count(*) AS n FROM events');
    const r = runCli(['sql', statement, '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ftplog: sql: /);
    expect(query(db, 'SELECT count(*) AS n FROM events')).toEqual(before);
  });

  it('sql: reports SQL errors without a stack trace', () => {
    const r = runCli(['sql', 'SELECT nope FROM events', '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('ftplog: sql: no such column: nope\n');
  });

  it('serves the failure-centred reports from partial indexes', () => {
    const conn = new Database(db, { readonly: true });
    const plan = (sql: string, params: Record<string, unknown>) =>
      (conn.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    // The reports as the catalog hands them to SQLite: fragments put in.
    const reports = loadCatalog();
    const body = (name: string) => reports.get(name)!.sql.sqlite!;
    const window = { since: '1970-01-01T00:00:00Z', until: '9999-12-31T00:00:00Z' };
    // Failed logins come from either partial index over failures; events_fail_ts covers what these reports read.
    const failures = /USING (COVERING )?INDEX events_(login_)?fail_ts/;
    expect(plan(body('auth-failures'), { ...window, limit: 50 })).toMatch(failures);
    expect(plan(body('auth-failures'), { ...window, limit: 50 })).toContain('USING INDEX events_login_ok_ts');
    expect(plan(body('brute-force'), { ...window, threshold: 10, window: 10 })).toMatch(failures);
    // The PAM copies of failed logins are found among PAM's own rows, not by reading every failed login.
    expect(plan(body('headline'), window)).toContain('USING INDEX events_pam_ts');
    expect(plan(body('auth-failures'), { ...window, limit: 50 })).toContain('USING INDEX events_pam_ts');
    // and the servers' summaries of failures (REPEAT) among their own.
    expect(plan(body('headline'), window)).toContain('USING INDEX events_repeat_ts');
    expect(plan(body('transfer-errors'), { ...window, limit: 10 })).toContain('USING COVERING INDEX events_fail_ts');
    // A dual-logged transfer's copy: vsftpd's transfers through theirs, each probing xferlog's by time and address
    // (not an automatic index over every xferlog transfer, built anew for each query).
    for (const name of ['headline', 'top-clients', 'transfer-errors']) {
      const p = plan(body(name), { ...window, limit: 10, sort: 'bytes' });
      expect(p).toContain('USING INDEX events_vsftpd_transfer_ts');
      expect(p).toContain('USING INDEX events_xferlog_transfer_ts (ts_unix=? AND client_ip=?)');
      expect(p).not.toMatch(/SEARCH x .*AUTOMATIC/);
    }
    expect(plan(body('winsock-errors'), { ...window, limit: 10 })).toContain('USING INDEX events_win32');
    conn.close();
  });

  it('transfer-errors: rows tied on count and last time come in path order, so a limit cuts the same rows every run', () => {
    const dir = tempDir();
    const log = join(dir, 'xferlog');
    // Three incomplete downloads in the same second, logged in reverse path order, and one complete.
    writeFileSync(log, ['/pub/c.iso', '/pub/b.iso', '/pub/a.iso', '/pub/ok.iso'].map((path, i) =>
      `Tue Mar  5 14:03:27 2024 1 203.0.113.9 10 ${path} b _ o r alice ftp 0 * ${i < 3 ? 'i' : 'c'}`).join('\n') + '\n');
    const tied = join(dir, 'tied.db');
    expect(runCli(['ingest', '--db', tied, '--tz', 'UTC', '--quiet', log]).status).toBe(0);
    const paths = (limit: number) => (JSON.parse(runCli(['report', 'transfer-errors', '--db', tied, '--format', 'json',
      '--param', `limit=${limit}`]).stdout) as Array<{ path: string }>).map((row) => row.path);
    expect(paths(10)).toEqual(['/pub/a.iso', '/pub/b.iso', '/pub/c.iso']);
    expect(paths(2)).toEqual(['/pub/a.iso', '/pub/b.iso']);
  });
});
