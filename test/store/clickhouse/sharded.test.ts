import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../src/ingest/ingest.js';
import { loadCatalog } from '../../../src/report/catalog.js';
import { bindParams } from '../../../src/report/params.js';
import { runReport } from '../../../src/report/run.js';
import { openQueryStore, openStore, type QueryStore } from '../../../src/store/index.js';
import { serverPorts, startClickHouse, type ClickHouseServer } from '../../helpers/clickhouse.js';
import { runCli } from '../../helpers/cli.js';
import { fixture } from '../../helpers/parse.js';
import { tempDir } from '../../helpers/tmp.js';

// Two ClickHouse servers on loopback, each a shard of the cluster `two`: ftplog creates a local table
// on each and a Distributed table over them, a source's lines land on one shard, and every report
// read through either server gives SQLite's rows.

const FIXTURES = ['xferlog', 'vsftpd', 'iis', 'dual-log', 'neighbours', 'same-night', 'vsftpd-envelopes'];
let servers: ClickHouseServer[] = [];
let sqlite: QueryStore;

/** Rows of a query on one server, over HTTP. */
async function on(server: ClickHouseServer, sql: string): Promise<string[][]> {
  const res = await fetch(`http://127.0.0.1:${server.httpPort}/`, { method: 'POST', body: `${sql} FORMAT TabSeparated` });
  const text = await res.text();
  if (!res.ok) throw new Error(text);
  return text.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

beforeAll(async () => {
  const ports = [await serverPorts(), await serverPorts()];
  const cluster = { name: 'two', tcpPorts: ports.map((p) => p.tcp) };
  servers = await Promise.all(ports.map((p) => startClickHouse(p, [cluster])));
  const db = join(tempDir(), 'one.db');
  const store = await openStore(db);
  await ingest(store, FIXTURES.map(fixture), { format: 'auto', tz: 'UTC', year: 2023, maxLineBytes: 65536 });
  await store.close();
  sqlite = await openQueryStore(db);
}, 60_000);

afterAll(async () => {
  await sqlite?.close();
  await Promise.all(servers.map((s) => s.stop()));
});

const url = () => `clickhouse://${servers.map((s) => `127.0.0.1:${s.httpPort}`).join(',')}/sharded`;

describe('ClickHouse over two shards', () => {
  it('creates the tables on both, spreads the sources over them, and reads nothing twice', async () => {
    const args = ['ingest', '--db', url(), '--cluster', 'two', '--tz', 'UTC', '--year', '2023', '--json', ...FIXTURES.map(fixture)];
    const first = runCli(args);
    expect(first.status, first.stderr).toBe(0);
    const s = JSON.parse(first.stdout);
    for (const server of servers) {
      expect(await on(server, "SELECT name, engine FROM system.tables WHERE database = 'sharded' AND name IN ('events', 'events_local') ORDER BY name"))
        .toEqual([['events', 'Distributed'], ['events_local', 'ReplacingMergeTree']]);
    }
    const perShard = await Promise.all(servers.map(async (server) => Number((await on(server, 'SELECT count() FROM sharded.events_local'))[0]![0])));
    expect(perShard.every((n) => n > 0)).toBe(true);
    expect(perShard[0]! + perShard[1]!).toBe(s.events);
    // A source's lines and its bookkeeping live on one shard.
    for (const server of servers) {
      const stray = await on(server, 'SELECT count() FROM sharded.events_local WHERE source_id NOT IN (SELECT id FROM sharded.sources_local)');
      expect(stray).toEqual([['0']]);
    }
    // Again, through the second server alone (as an FTP host that knows one node would): nothing new.
    const again = runCli(['ingest', '--db', `clickhouse://127.0.0.1:${servers[1]!.httpPort}/sharded`, '--tz', 'UTC', '--year', '2023', '--json', ...FIXTURES.map(fixture)]);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ lines: 0, events: 0 });
  }, 60_000);

  it('gives every report the same rows as SQLite, asked through either server', async () => {
    const reports = loadCatalog();
    for (const server of servers) {
      const store = await openQueryStore(`clickhouse://127.0.0.1:${server.httpPort}/sharded`);
      try {
        for (const report of reports.values()) {
          const params = report.name === 'ban-list' ? ['threshold=3', 'window=5', 'failures=2'] : [];
          const values = bindParams(report, { since: '1970-01-01', until: '9999-12-31', params }, new Date('2024-03-07T00:00:00Z'));
          const want = await runReport(sqlite, report, values);
          const got = await runReport(store, report, values);
          const at = want.columns.indexOf('source_id');
          const plain = (rows: unknown[][]) => rows.map((row) => row.filter((_, i) => i !== at));
          expect(plain(got.rows), report.name).toEqual(plain(want.rows));
        }
      } finally {
        await store.close();
      }
    }
  }, 60_000);

  it('refuses a cluster the servers do not define', () => {
    const r = runCli(['ingest', '--db', url().replace('/sharded', '/other'), '--cluster', 'nosuch', fixture('xferlog')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("has no cluster 'nosuch' in its remote_servers");
  });
});
