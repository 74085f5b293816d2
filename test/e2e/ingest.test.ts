import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { bigXferlog } from '../helpers/bigLogs.js';
import { CLI, runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { query, reconciles, rollupMismatches, tempDir, totals } from '../helpers/tmp.js';

function ingestArgs(db: string, ...paths: string[]): string[] {
  return ['ingest', '--db', db, '--tz', 'UTC', '--year', '2023', '--quiet', ...paths];
}

function stderrOf(child: ReturnType<typeof spawn>): Promise<string> {
  let text = '';
  child.stderr!.on('data', (d) => (text += d));
  return new Promise((resolve) => child.on('close', () => resolve(text)));
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('ftplog ingest (built CLI)', () => {
  it('prints a JSON summary with the documented keys', () => {
    const db = join(tempDir(), 'x.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'UTC', '--year', '2023', '--json', fixture('xferlog'), fixture('vsftpd'), fixture('iis')]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['sources', 'lines', 'events', 'skipped', 'rejected', 'seconds', 'formats']));
    expect(s).toMatchObject({ sources: 5, lines: 129, events: 98, skipped: 18, rejected: 13, formats: { xferlog: 16, vsftpd: 43, iis: 39 } });
    for (const f of s.files) expect(f.lines).toBe(f.events + f.skipped + f.rejected);
    expect(r.stderr).toBe('');
  });

  it('prints a human summary on stderr, no progress without a terminal', () => {
    const db = join(tempDir(), 'x.db');
    const r = runCli(['ingest', '--db', db, '--tz', 'UTC', fixture('xferlog')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('24 lines: 16 events, 2 skipped, 6 rejected');
    expect(r.stderr).not.toContain('\r');
  });

  it('reads standard input from -', () => {
    const db = join(tempDir(), 'x.db');
    const r = runCli(['ingest', '--db', db, '--json', '-'], { input: readFileSync(fixture('iis/u_ex240305.log')) });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ events: 27, skipped: 7, rejected: 2, formats: { iis: 27 } });
  });

  it('exits 1 when a source cannot be read, after ingesting the others', () => {
    const db = join(tempDir(), 'x.db');
    const r = runCli(ingestArgs(db, join(tempDir(), 'nope.log'), fixture('xferlog')));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nope.log: no such file or directory');
    expect(totals(db).events).toBe(16);
  });

  it('exits 2 on usage errors and creates no database', () => {
    const dir = tempDir();
    expect(runCli(['ingest', '--db', join(dir, 'a.db'), '--tz', 'Mars/Base', fixture('xferlog')]).status).toBe(2);
    expect(runCli(['ingest', '--db', join(dir, 'a.db'), '--format', 'apache', fixture('xferlog')]).status).toBe(2);
    expect(runCli(['ingest', '--db', join(dir, 'a.db'), '--max-line-bytes', '-5', fixture('xferlog')]).status).toBe(2);
    expect(runCli(['ingest', '--db', join(dir, 'a.db')]).status).toBe(2);
    // A year is four digits: 26 is not taken for 1926 or 0026.
    for (const year of ['26', '0026', '0000', '20245', '2024.5']) {
      const r = runCli(['ingest', '--db', join(dir, 'a.db'), '--year', year, fixture('xferlog')]);
      expect(r.status, year).toBe(2);
      expect(r.stderr).toBe(`ftplog: --year takes a four-digit year such as 2024, not '${year}'\n`);
    }
    expect(existsSync(join(dir, 'a.db'))).toBe(false);
  });

  it('forces a log format with --log-format, and with a log format named to --format as before', () => {
    for (const flag of ['--log-format', '--format']) {
      const db = join(tempDir(), 'x.db');
      const r = runCli(['ingest', '--db', db, '--json', flag, 'iis', fixture('xferlog/xferlog')]);
      expect(JSON.parse(r.stdout), flag).toMatchObject({ events: 0, rejected: 22, skipped: 2 });
    }
  });

  it('prints its summary in the --format asked: a row per source as CSV, the JSON of --json, and says what --format takes', () => {
    const dir = tempDir();
    const csv = runCli(['ingest', '--db', join(dir, 'a.db'), '--tz', 'UTC', '--year', '2023', '--format', 'csv', fixture('xferlog/xferlog'), fixture('iis')]);
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stderr).toBe('');
    expect(csv.stdout.trim().split('\n')).toEqual([
      'path,format,status,resumed_after_line,lines,events,skipped,rejected,error',
      `${fixture('xferlog/xferlog')},xferlog,read,0,24,16,2,6,`,
      `${fixture('iis/ex240305.log')},iis,read,0,19,12,6,1,`,
      `${fixture('iis/u_ex240305.log')},iis,read,0,36,27,7,2,`,
    ]);
    const again = runCli(['ingest', '--db', join(dir, 'a.db'), '--format', 'markdown', fixture('xferlog/xferlog')]);
    expect(again.stdout.split('\n')[0]).toBe('| path | format | status | resumed\\_after\\_line | lines | events | skipped | rejected | error |');
    expect(again.stdout.split('\n')[2]).toMatch(/ \| xferlog \| unchanged \| 24 \| 0 \| 0 \| 0 \| 0 \|  \|$/);

    const viaFormat = runCli(['ingest', '--db', join(dir, 'b.db'), '--tz', 'UTC', '--year', '2023', '--format', 'json', fixture('xferlog/xferlog')]);
    const viaJson = runCli(['ingest', '--db', join(dir, 'c.db'), '--tz', 'UTC', '--year', '2023', '--json', fixture('xferlog/xferlog')]);
    const { seconds: _a, ...a } = JSON.parse(viaFormat.stdout);
    const { seconds: _b, ...b } = JSON.parse(viaJson.stdout);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ lines: 24, events: 16 });

    const bad = runCli(['ingest', '--db', join(dir, 'd.db'), '--format', 'yaml', fixture('xferlog/xferlog')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("ftplog: --format takes text, json, table, csv, markdown (the log's own format is --log-format), not 'yaml'\n");
    const both = runCli(['ingest', '--db', join(dir, 'd.db'), '--format', 'iis', '--log-format', 'vsftpd', fixture('xferlog/xferlog')]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('name two log formats');
    expect(existsSync(join(dir, 'd.db'))).toBe(false);
  });

  it("names an IIS failed login by its session's USER line when a later run reads the PASS (a file read again as it grows)", () => {
    const dir = tempDir();
    const log = join(dir, 'u_ex240305.log');
    const line = (time: string, ip: string, method: string, stem: string, status: string, session: string) =>
      `2024-03-05 ${time} ${ip} - 192.0.2.10 21 ${method} ${stem} ${status} ${session} -\r\n`;
    writeFileSync(log, '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2024-03-05 14:00:00\r\n' +
      '#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-substatus x-session x-fullpath\r\n' +
      line('14:00:01', '198.51.100.4', 'USER', 'bob', '331 0 0', '7f3c2a1e') +
      line('14:00:01', '198.51.100.5', 'USER', 'carol', '331 0 0', '9a0b1c2d'));
    const db = join(dir, 'iis.db');
    expect(runCli(ingestArgs(db, log)).status).toBe(0);
    // The cron run an hour later reads the PASS lines the server wrote since.
    appendFileSync(log, line('14:00:02', '198.51.100.4', 'PASS', '***', '530 1326 41', '7f3c2a1e') +
      line('14:00:03', '198.51.100.5', 'PASS', '***', '230 0 0', '9a0b1c2d') + line('14:00:04', '198.51.100.4', 'PASS', '***', '530 1326 41', '7f3c2a1e'));
    expect(runCli(ingestArgs(db, log)).status).toBe(0);
    expect(query(db, "SELECT line_no, username, outcome FROM events WHERE command = 'PASS' ORDER BY line_no")).toEqual([
      { line_no: 7, username: 'bob', outcome: 'fail' },
      { line_no: 8, username: 'carol', outcome: 'ok' },
      { line_no: 9, username: 'bob', outcome: 'fail' },
    ]);
  });

  it('ends with the counts of an uninterrupted run after being killed at several points', async () => {
    const dir = tempDir();
    const log = join(dir, 'big.xferlog');
    bigXferlog(log, 120_000);
    const reference = join(dir, 'ref.db');
    expect(runCli(ingestArgs(reference, log)).status).toBe(0);
    const want = totals(reference);
    expect(want.lines).toBe(120_000);

    const interrupted: number[] = [];
    for (const killAfterLines of [1, 30_000, 80_000]) {
      const db = join(dir, `killed-${killAfterLines}.db`);
      const child = spawn(process.execPath, [CLI, ...ingestArgs(db, log)], { stdio: 'ignore' });
      const done = exited(child);
      let seen = 0;
      for (let i = 0; i < 2000 && seen < killAfterLines; i++) {
        await sleep(5);
        if (!existsSync(db)) continue;
        try {
          seen = query<{ n: number }>(db, 'SELECT coalesce(max(lines_read), 0) AS n FROM sources')[0]!.n;
        } catch {
          // the schema may not be there yet
        }
      }
      child.kill('SIGKILL');
      await done;
      const partial = totals(db);
      expect(reconciles(db)).toBe(true);
      // Killed between two flushes of the per-day rollups: the reports still add up (the lag is read from events).
      expect(rollupMismatches(db)).toEqual([]);
      const topMid = runCli(['report', 'top-clients', '--db', db, '--format', 'json', '--param', 'limit=1000']);
      const directMid = query(db, `SELECT client_ip, count(*) AS events FROM events GROUP BY 1 ORDER BY 2 DESC, 1`);
      expect(new Map(JSON.parse(topMid.stdout).map((r: { client_ip: string; events: number }) => [r.client_ip, r.events])))
        .toEqual(new Map(directMid.map((r) => [r.client_ip, r.events])));
      expect(runCli(ingestArgs(db, log)).status).toBe(0);
      const after = totals(db);
      expect(after).toEqual(want);
      expect(reconciles(db)).toBe(true);
      expect(rollupMismatches(db)).toEqual([]);
      expect(query(db, 'SELECT rolled_line = lines_read AND rolled_event_id = last_event_id AS caught_up FROM sources')).toEqual([{ caught_up: 1 }]);
      if (partial.lines < want.lines) interrupted.push(partial.lines);
    }
    // The kills must really have landed mid-ingest for this to prove anything.
    expect(interrupted.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('lets two ingests run on one database at once, with correct counts', async () => {
    const dir = tempDir();
    const log = join(dir, 'big.xferlog');
    bigXferlog(log, 60_000);
    copyFileSync(fixture('vsftpd/vsftpd.log'), join(dir, 'vsftpd.log'));
    const db = join(dir, 'shared.db');
    const a = spawn(process.execPath, [CLI, ...ingestArgs(db, dir)], { stdio: ['ignore', 'ignore', 'pipe'] });
    const b = spawn(process.execPath, [CLI, ...ingestArgs(db, join(dir, 'vsftpd.log'), dir)], { stdio: ['ignore', 'ignore', 'pipe'] });
    const errors = [stderrOf(a), stderrOf(b)];
    const codes = await Promise.all([exited(a), exited(b)]);
    expect(codes, `stderr: ${await Promise.all(errors)}`).toEqual([0, 0]);
    const t = totals(db);
    expect(t).toMatchObject({ sources: 2, lines: 60_040, eventRows: t.events, rejectRows: t.rejected });
    expect(reconciles(db)).toBe(true);
    expect(rollupMismatches(db)).toEqual([]);
    const [dupes] = query<{ n: number }>(db, 'SELECT count(*) AS n FROM (SELECT source_id, line_no FROM events GROUP BY 1, 2 HAVING count(*) > 1)');
    expect(dupes!.n).toBe(0);
  }, 60_000);
});
