import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigXferlog } from '../helpers/bigLogs.js';
import { startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { CLI, runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/parse.js';
import { tempDir } from '../helpers/tmp.js';

// ftplog run as a user runs it, against a real ClickHouse server on loopback.

let server: ClickHouseServer;

beforeAll(async () => {
  server = await startClickHouse();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** A query straight to the server over HTTP, as the default user: what is stored, whatever ftplog says. */
async function direct(sql: string): Promise<string[][]> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`http://127.0.0.1:${server.httpPort}/`, { method: 'POST', body: `${sql} FORMAT TabSeparated` });
    } catch (err) {
      // A kept-alive connection the server closed as this one reused it: ask again on a new one.
      if (attempt < 3) continue;
      throw err;
    }
    const text = await res.text();
    if (!res.ok) throw new Error(text);
    return text.split('\n').filter(Boolean).map((l) => l.split('\t'));
  }
}

/** Lines, events, skipped and rejects by the sources' newest rows, and the rows really stored. */
async function stored(database: string) {
  const [[sources, lines, events, skipped, rejected]] = (await direct(`SELECT count(), sum(lines_read), sum(events), sum(skipped), sum(rejected)
    FROM (SELECT * FROM ${database}.sources ORDER BY id, version DESC LIMIT 1 BY id) WHERE forgotten = 0`)) as [[string, string, string, string, string]];
  const [[eventRows, distinctEvents]] = (await direct(`SELECT count(), uniqExact(source_id, line_no) FROM ${database}.events`)) as [[string, string]];
  const [[rejectRows]] = (await direct(`SELECT count() FROM ${database}.rejects`)) as [[string]];
  return { sources: +sources, lines: +lines, events: +events, skipped: +skipped, rejected: +rejected, eventRows: +eventRows,
    distinctEvents: +distinctEvents, rejectRows: +rejectRows };
}

const ingestArgs = (db: string, ...paths: string[]) => ['ingest', '--db', db, '--tz', 'UTC', '--year', '2023', '--quiet', ...paths];
const FIXTURES = [fixture('xferlog'), fixture('vsftpd'), fixture('iis')];

describe('ftplog with --db clickhouse://… (built CLI, real server)', () => {
  it('ingests each line once, reads nothing twice, and answers reports, sources and metrics', async () => {
    const db = server.url('e2e');
    const first = runCli([...ingestArgs(db, ...FIXTURES), '--json']);
    expect(first.status, first.stderr).toBe(0);
    const s = JSON.parse(first.stdout);
    expect(s).toMatchObject({ sources: 5, lines: 129, events: 98, skipped: 18, rejected: 13 });
    const again = runCli([...ingestArgs(db, ...FIXTURES), '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ lines: 0, events: 0 });
    expect(await stored('e2e')).toEqual({ sources: 5, lines: 129, events: 98, skipped: 18, rejected: 13, eventRows: 98, distinctEvents: 98, rejectRows: 13 });

    // The same figures as the SQLite store's report tests: 39 failed of 98, failed logins once per attempt.
    const headline = runCli(['report', 'headline', '--db', db, '--format', 'json']);
    expect(headline.status, headline.stderr).toBe(0);
    expect(JSON.parse(headline.stdout)).toEqual([expect.objectContaining({ events: 98, failed: 39, fail_pct: 39.8, failed_logins: 22, failed_transfers: 10, rejected: 13, sources: 5 })]);
    const brute = runCli(['report', 'brute-force', '--db', db, '--format', 'csv']);
    expect(brute.stdout.split('\n')[1]).toBe('198.51.100.23,2024-03-05T01:10:00Z,2024-03-05T01:13:40Z,12,12,3.7,3,"admin,bob,root"');
    // Times are shown in the reader's zone, as from SQLite.
    const berlin = runCli(['report', 'brute-force', '--db', db, '--format', 'json', '--tz', 'Europe/Berlin']);
    expect(JSON.parse(berlin.stdout)[0].burst_start).toBe('2024-03-05T02:10:00+01:00');

    const sources = runCli(['sources', '--db', db, '--format', 'json']);
    expect(sources.status, sources.stderr).toBe(0);
    const rows = JSON.parse(sources.stdout) as Array<{ path: string; lines: number; events: number; status: string; first_event: string }>;
    expect(rows.map((r) => [r.path.split('/fixtures/')[1], r.lines, r.events, r.status]).sort()).toEqual([
      ['iis/ex240305.log', 19, 12, 'complete'], ['iis/u_ex240305.log', 36, 27, 'complete'], ['vsftpd/auth-syslog.log', 10, 7, 'complete'],
      ['vsftpd/vsftpd.log', 40, 36, 'complete'], ['xferlog/xferlog', 24, 16, 'complete'],
    ]);
    const metrics = runCli(['metrics', '--db', db]);
    expect(metrics.status, metrics.stderr).toBe(0);
    expect(metrics.stdout).toContain('ftplog_failed_logins 22\n');
    expect(metrics.stdout).toContain('ftplog_events{format="xferlog",outcome="ok"}');
  }, 60_000);

  it('runs sql read-only: a write is refused with exit 2 and changes nothing', async () => {
    const db = server.url('ro');
    expect(runCli(ingestArgs(db, fixture('xferlog'))).status).toBe(0);
    const ok = runCli(['sql', '--db', db, "SELECT count() AS n FROM events WHERE kind = :k", '--param', 'k=transfer', '--format', 'json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([{ n: 15 }]);
    for (const write of ['INSERT INTO rejects (source_id, line_no, reason, raw) VALUES (1, 1, \'x\', \'y\')', 'DROP TABLE events', 'ALTER TABLE events DELETE WHERE 1']) {
      const r = runCli(['sql', '--db', db, write]);
      expect(r.status, write).toBe(2);
      expect(r.stderr).toMatch(/readonly/i);
    }
    expect(await direct('SELECT count() FROM ro.events')).toEqual([['16']]);
    // A text parameter is a quoted literal: it cannot end the string and add SQL.
    const sneaky = runCli(['sql', '--db', db, 'SELECT count() AS n FROM events WHERE username = :u', '--param', "u=x' OR '1'='1", '--format', 'json']);
    expect(JSON.parse(sneaky.stdout)).toEqual([{ n: 0 }]);
  });

  it('runs a report of yours on ClickHouse when it has a text for it, and says so when it has none', () => {
    const db = server.url('e2e');
    const dir = tempDir();
    mkdirSync(join(dir, 'clickhouse'));
    const head = ['-- param: since (time) = 1970-01-01', '-- param: until (time) = 9999-12-31'];
    writeFileSync(join(dir, 'both.sql'), ['-- name: both', '-- stores: sqlite, clickhouse', ...head,
      "SELECT format, count(*) AS n FROM events WHERE kind = 'login' GROUP BY format ORDER BY format"].join('\n'));
    writeFileSync(join(dir, 'lite.sql'), ['-- name: lite', ...head, 'SELECT count(*) AS n FROM event_rows'].join('\n'));
    writeFileSync(join(dir, 'split.sql'), ['-- name: split', ...head, 'SELECT count(*) AS n FROM event_rows WHERE ts_unix >= unixepoch(:since)'].join('\n'));
    writeFileSync(join(dir, 'clickhouse', 'split.sql'), 'SELECT count() AS n FROM events WHERE ts >= :since AND ts < :until');
    const sqlite = join(dir, 'x.db');
    expect(runCli(ingestArgs(sqlite, ...FIXTURES)).status).toBe(0);
    for (const name of ['both', 'split']) {
      const here = runCli(['report', name, '--db', db, '--queries', dir, '--format', 'json', '--since', '2024-03-05']);
      expect(here.status, here.stderr).toBe(0);
      expect(here.stdout).toBe(runCli(['report', name, '--db', sqlite, '--queries', dir, '--format', 'json', '--since', '2024-03-05']).stdout);
    }
    const lite = runCli(['report', 'lite', '--db', db, '--queries', dir]);
    expect(lite.status).toBe(2);
    expect(lite.stderr).toContain("report 'lite' has no text for clickhouse (it runs on sqlite)");
  }, 60_000);

  it('takes the password from the URL or the environment and never prints it', async () => {
    const dir = tempDir();
    const withUrl = `clickhouse://ftplog:s3cret-pw@127.0.0.1:${server.httpPort}/secret`;
    const outputs = [
      runCli(ingestArgs(withUrl, fixture('xferlog')).filter((a) => a !== '--quiet')),
      runCli(['report', 'overview', '--db', withUrl]),
      runCli(['nightly', '--db', withUrl, '--now', '2024-03-06', '--since', '2024-03-05']),
      runCli(['nightly', '--db', withUrl, '--now', '2024-03-06', '--since', '2024-03-05', '--out', join(dir, 'n.html')]),
      runCli(['report', 'overview', '--db', `clickhouse://ftplog@127.0.0.1:${server.httpPort}/secret`], { env: { FTPLOG_CLICKHOUSE_PASSWORD: 's3cret-pw' } }),
      runCli(['report', 'overview', '--db', `clickhouse://127.0.0.1:${server.httpPort}/secret`],
        { env: { FTPLOG_CLICKHOUSE_USER: 'ftplog', FTPLOG_CLICKHOUSE_PASSWORD: 's3cret-pw' } }),
      runCli(['report', 'overview', '--db', `clickhouse://ftplog:wrong-pw@127.0.0.1:${server.httpPort}/secret`]),
    ];
    expect(outputs.slice(0, 6).map((o) => o.status)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(outputs[4]!.stdout).toBe(outputs[1]!.stdout);
    expect(outputs[6]!.status).not.toBe(0);
    for (const o of outputs) expect(o.stdout + o.stderr).not.toContain('s3cret-pw');
    expect(readFileSync(join(dir, 'n.html'), 'utf8')).not.toContain('s3cret-pw');
    expect(outputs[0]!.stderr).toContain(`clickhouse://ftplog@127.0.0.1:${server.httpPort}/secret`);
  }, 60_000);

  it('forget and prune: a forgotten file is read again once, pruned events are gone, and reports agree', async () => {
    const db = server.url('ops');
    expect(runCli(ingestArgs(db, ...FIXTURES)).status).toBe(0);
    const forget = runCli(['forget', '--db', db, fixture('xferlog/xferlog'), '--format', 'json']);
    expect(forget.status, forget.stderr).toBe(0);
    expect(JSON.parse(forget.stdout)).toEqual([expect.objectContaining({ events: 16, rejects: 6, dry_run: false })]);
    expect(await stored('ops')).toMatchObject({ sources: 4, lines: 105, eventRows: 82, rejectRows: 7 });
    expect(JSON.parse(runCli([...ingestArgs(db, ...FIXTURES), '--json']).stdout)).toMatchObject({ lines: 24, events: 16 });
    expect(await stored('ops')).toMatchObject({ sources: 5, lines: 129, eventRows: 98, distinctEvents: 98, rejectRows: 13 });

    const dry = runCli(['prune', '--db', db, '--before', '2024-03-05T02:00:00Z', '--dry-run', '--format', 'json']);
    const [counts] = JSON.parse(dry.stdout);
    expect(counts.events).toBeGreaterThan(0);
    expect((await stored('ops')).eventRows).toBe(98);
    const after = runCli(['report', 'headline', '--db', db, '--since', '2024-03-05T02:00:00Z', '--format', 'json']).stdout;
    expect(runCli(['prune', '--db', db, '--before', '2024-03-05T02:00:00Z']).status).toBe(0);
    expect((await stored('ops')).eventRows).toBe(98 - counts.events);
    expect(await direct("SELECT count() FROM ops.events WHERE ts < toDateTime('2024-03-05 02:00:00')")).toEqual([['0']]);
    expect(runCli(['report', 'headline', '--db', db, '--since', '2024-03-05T02:00:00Z', '--format', 'json']).stdout).toBe(after);
    // Read positions stay: nothing pruned is read again.
    expect(JSON.parse(runCli([...ingestArgs(db, ...FIXTURES), '--json']).stdout)).toMatchObject({ lines: 0 });
  }, 60_000);

  it('says what is wrong with a URL, a server that is not there and a database without events', () => {
    for (const command of [['report', 'overview'], ['ingest', fixture('xferlog')]]) {
      const bad = runCli([...command, '--db', 'clickhouse://127.0.0.1:8123']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('clickhouse://[user[:password]@]host[:port]');
    }
    const unreachable = runCli(['ingest', '--db', 'clickhouse://127.0.0.1:1/x', fixture('xferlog')]);
    expect(unreachable.status).toBe(1);
    const none = runCli(['report', 'overview', '--db', `clickhouse://127.0.0.1:${server.httpPort}/nothing_here`]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("no ftplog events in ClickHouse database 'nothing_here'");
    const gone = runCli(['report', 'overview', '--db', 'clickhouse://127.0.0.1:1/x']);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toContain('cannot reach ClickHouse at clickhouse://default@127.0.0.1:1/x');
    expect(runCli(ingestArgs(join(tempDir(), 'a.db'), fixture('xferlog')).concat(['--cluster', 'two'])).status).toBe(2);
    // A store made on one server is not turned into a cluster's half-way.
    const spread = runCli(ingestArgs(server.url('e2e'), fixture('xferlog')).concat(['--cluster', 'two']));
    expect(spread.status).toBe(1);
    expect(spread.stderr).toContain("ClickHouse database 'e2e' holds events of one server already");
  });

  it('ends with the counts of an uninterrupted run after being killed at random points', async () => {
    const dir = tempDir();
    const log = join(dir, 'big.xferlog');
    bigXferlog(log, 450_000);
    expect(runCli(ingestArgs(server.url('whole'), log)).status).toBe(0);
    const want = await stored('whole');
    expect(want).toMatchObject({ sources: 1, lines: 450_000, eventRows: want.events, distinctEvents: want.events, rejectRows: want.rejected });

    const db = server.url('killed');
    const interrupted: number[] = [];
    // Past each of these many lines, plus a random pause, so kills land at every stage of a batch.
    for (const killAfterLines of [1, 100_000, 200_000, 300_000]) {
      const child = spawn(process.execPath, [CLI, ...ingestArgs(db, log)], { stdio: 'ignore' });
      const exit = new Promise((done) => child.on('exit', done));
      let seen = 0;
      for (let i = 0; i < 3000 && seen < killAfterLines && child.exitCode === null; i++) {
        await sleep(5);
        try {
          seen = Number((await direct('SELECT max(lines_read) FROM killed.sources'))[0]?.[0] ?? 0);
        } catch {
          // the tables may not be there yet
        }
      }
      await sleep(Math.floor(Math.random() * 150));
      child.kill('SIGKILL');
      await exit;
      const partial = await stored('killed');
      // Whatever was stored when it died is stored once.
      expect(partial.distinctEvents).toBe(partial.eventRows);
      if (partial.lines < want.lines) interrupted.push(partial.lines);
    }
    expect(runCli(ingestArgs(db, log)).status).toBe(0);
    expect(await stored('killed')).toEqual(want);
    expect(interrupted.length).toBeGreaterThanOrEqual(2);
    // Reports agree with the uninterrupted run's.
    for (const report of ['headline', 'top-clients', 'transfer-errors']) {
      const a = runCli(['report', report, '--db', server.url('whole'), '--format', 'json']).stdout;
      expect(runCli(['report', report, '--db', db, '--format', 'json']).stdout).toBe(a);
    }
  }, 180_000);
});
