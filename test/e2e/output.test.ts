import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// A million rows of the shapes a user exports (an id, a time, an address, a name, a path, a byte
// count), made by SQLite itself on a small database, so the test measures the output alone.
const MILLION = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
  SELECT i AS id, strftime('%Y-%m-%dT%H:%M:%SZ', 1709596800 + i, 'unixepoch') AS ts, '203.0.' || (i % 256) || '.' || (i / 256 % 256) AS client_ip,
         'user' || (i % 977) AS username, '/pub/dir ' || (i % 31) || '/file_' || i || '.iso' AS path, i * 1000 AS bytes FROM n`;

function smallDb(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'xferlog'), 'Tue Mar  5 14:03:27 2024 2 203.0.113.9 100 /pub/a.iso b _ o r alice ftp 0 * c\n');
  const db = join(dir, 'o.db');
  expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', join(dir, 'xferlog')]).status).toBe(0);
  return db;
}

/** Runs the CLI with its output counted (not kept) and its own peak RSS reported as it exits. */
function exportRun(args: string[]): Promise<{ status: number | null; bytes: number; lines: number; tail: string; maxRssMb: number }> {
  const preload = join(tempDir(), 'rss.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\\n`));\n");
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--require', preload, CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let bytes = 0;
    let lines = 0;
    let tail = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
      tail = (tail + b.toString()).slice(-200);
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (status) => done({ status, bytes, lines, tail, maxRssMb: Number(/maxrss (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024 }));
  });
}

describe('output of any size', () => {

  it.each([
    ['csv', 1_000_001], ['json', 8_000_002], ['markdown', 1_000_002], ['table', 1_000_002],
  ] as const)('a million rows as %s stream out within 200 MB', async (format, lines) => {
    const r = await exportRun(['sql', MILLION, '--db', smallDb(), '--format', format]);
    expect(r.status).toBe(0);
    expect(r.lines).toBe(lines);
    expect(r.maxRssMb).toBeLessThan(200);
    if (format === 'json') expect(r.tail).toMatch(/"bytes": 1000000000\n {2}\}\n\]\n$/);
    const last = new Date((1709596800 + 1_000_000) * 1000).toISOString().replace('.000', '');
    if (format === 'csv') expect(r.tail.endsWith(`\n1000000,${last},203.0.64.66,user${1_000_000 % 977},/pub/dir ${1_000_000 % 31}/file_1000000.iso,1000000000\n`)).toBe(true);
  }, 120_000);

  it('ends quietly, and at once, when the reader stops early (| head)', async () => {
    const db = smallDb();
    const started = Date.now();
    const r = await new Promise<{ status: number | null; stderr: string; out: string }>((done) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${CLI}" sql "$Q" --db "${db}" --format csv | head -2`], { env: { ...process.env, Q: MILLION } });
      let out = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('close', (status) => done({ status, stderr, out }));
    });
    expect(r.out).toBe('id,ts,client_ip,username,path,bytes\n1,2024-03-05T00:00:01Z,203.0.1.0,user1,/pub/dir 1/file_1.iso,1000\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // A million rows take seconds to write; stopping after two is a fraction of that (no timing is asserted beyond it).
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('keeps a valid JSON array for an empty result and for a few rows', () => {
    const db = smallDb();
    expect(JSON.parse(runCli(['sql', 'SELECT 1 AS a WHERE 0', '--db', db, '--format', 'json']).stdout)).toEqual([]);
    expect(JSON.parse(runCli(['sql', 'SELECT 1 AS a UNION ALL SELECT 2', '--db', db, '--format', 'json']).stdout)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe('times in the reader\'s zone', () => {
  it('report --tz: dates mean midnight there, times carry its offset; --utc and sql keep UTC', () => {
    const dir = tempDir();
    // 23:30 UTC on Mar 4 is 00:30 on Mar 5 in Berlin; 23:30 UTC on Mar 5 is Mar 6 there.
    writeFileSync(join(dir, 'xferlog'), [
      'Mon Mar  4 23:30:00 2024 2 203.0.113.9 100 /pub/a.iso b _ o r alice ftp 0 * i',
      'Tue Mar  5 23:30:00 2024 2 203.0.113.9 200 /pub/b.iso b _ o r alice ftp 0 * i',
    ].join('\n') + '\n');
    const db = join(dir, 'z.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', join(dir, 'xferlog')]).status).toBe(0);
    const errors = (...args: string[]) => runCli(['report', 'transfer-errors', '--db', db, '--format', 'csv', ...args]).stdout;
    const berlin = errors('--since', '2024-03-05', '--until', '2024-03-06', '--tz', 'Europe/Berlin');
    expect(berlin).toContain(',/pub/a.iso,1,100,2024-03-05T00:30:00+01:00,2024-03-05T00:30:00+01:00');
    expect(berlin).not.toContain('/pub/b.iso');
    const utc = errors('--since', '2024-03-05', '--until', '2024-03-06', '--utc');
    expect(utc).toContain(',/pub/b.iso,1,200,2024-03-05T23:30:00Z,2024-03-05T23:30:00Z');
    expect(utc).not.toContain('/pub/a.iso');
    // The machine's zone is the default (TZ here).
    expect(runCli(['report', 'transfer-errors', '--db', db, '--format', 'csv', '--since', '2024-03-05', '--until', '2024-03-06'],
      { env: { TZ: 'Europe/Berlin' } }).stdout).toBe(berlin);
    expect(runCli(['sql', 'SELECT min(ts) AS t FROM events', '--db', db, '--format', 'csv'], { env: { TZ: 'Europe/Berlin' } }).stdout)
      .toBe('t\n2024-03-04T23:30:00Z\n');
    expect(runCli(['report', 'headline', '--db', db, '--since', 'yesterday', '--tz', 'Mars/Base']).status).toBe(2);
  });
});

describe('the nightly report in the reader\'s zone', () => {
  it('shows its window with the zone\'s offset and names the zone; --utc keeps UTC', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'xferlog'), 'Tue Mar  5 23:30:00 2024 2 203.0.113.9 200 /pub/b.iso b _ o r alice ftp 0 * i\n');
    const db = join(dir, 'n.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', join(dir, 'xferlog')]).status).toBe(0);
    const berlin = runCli(['nightly', '--db', db, '--quiet', '--now', '2024-03-06T12:00:00Z', '--tz', 'Europe/Berlin']).stdout;
    expect(berlin).toContain('Window 2024-03-05T13:00:00+01:00 to 2024-03-06T13:00:00+01:00');
    expect(berlin).toContain('Times in Europe/Berlin.');
    const utc = runCli(['nightly', '--db', db, '--quiet', '--now', '2024-03-06T12:00:00Z', '--utc']).stdout;
    expect(utc).toContain('Window 2024-03-05T12:00:00Z to 2024-03-06T12:00:00Z');
  });
});

describe('long cells in the nightly HTML', () => {
  it('never break inside an address or a command (free text alone may wrap, after / and ,)', () => {
    const dir = tempDir();
    const path = '/srv/ftp/incoming/partners/quarterly-reports/2024/march/final-final-v2.tar.gz';
    writeFileSync(join(dir, 'xferlog'), `Tue Mar  5 23:30:00 2024 2 2001:db8:ffff:ffff:ffff:ffff:ffff:1234 200 ${path} b _ o r alice ftp 0 * i\n`);
    const db = join(dir, 'h.db');
    expect(runCli(['ingest', '--db', db, '--tz', 'UTC', '--quiet', join(dir, 'xferlog')]).status).toBe(0);
    const out = join(dir, 'r.html');
    runCli(['nightly', '--db', db, '--quiet', '--now', '2024-03-06T12:00:00Z', '--utc', '--out', out]);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<td class="keep">2001:db8:ffff:ffff:ffff:ffff:ffff:1234</td>');
    expect(html).toContain('class="muted cmd">Full list: <code>');
    expect(html).toMatch(/white-space:nowrap/);
  });
});
