import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../../src/ingest/ingest.js';
import { loadCatalog } from '../../../src/report/catalog.js';
import { bindParams } from '../../../src/report/params.js';
import { runReport } from '../../../src/report/run.js';
import { openQueryStore, openStore, type QueryStore } from '../../../src/store/index.js';
import { startClickHouse, type ClickHouseServer } from '../../helpers/clickhouse.js';
import { fixture } from '../../helpers/parse.js';
import { tempDir } from '../../helpers/tmp.js';

// Every fixture ingested into SQLite and into a real ClickHouse server: every canned report must give
// the same rows from both, for the whole time and for windows whose edges cut hours and days.

const FIXTURES = ['xferlog', 'vsftpd', 'iis', 'dual-log', 'proftpd-dual', 'iis-headerless', 'neighbours', 'nightly', 'same-night', 'verdict', 'vsftpd-envelopes'];
const OPTIONS = { format: 'auto', tz: 'UTC', year: 2023, maxLineBytes: 65536 } as const;

let server: ClickHouseServer;
let sqlite: QueryStore;
let clickhouse: QueryStore;
const summaries: IngestSummary[] = [];

async function fill(db: string): Promise<void> {
  const store = await openStore(db);
  try {
    summaries.push(await ingest(store, FIXTURES.map(fixture), OPTIONS));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  server = await startClickHouse();
  const dir = tempDir();
  await fill(join(dir, 'parity.db'));
  await fill(server.url('parity'));
  sqlite = await openQueryStore(join(dir, 'parity.db'));
  clickhouse = await openQueryStore(server.url('parity'));
}, 60_000);

afterAll(async () => {
  await sqlite?.close();
  await clickhouse?.close();
  await server?.stop();
});

const reports = loadCatalog();
const WINDOWS: Array<[string, string]> = [
  ['1970-01-01', '9999-12-31'],
  ['2024-03-05T01:00:30Z', '2024-03-05T02:10:00Z'],
  ['2024-03-05T00:59:59Z', '2024-03-05T01:00:02Z'],
  ['2023-12-31T23:30:00Z', '2024-03-05T01:00:10Z'],
  ['2024-03-05T03:00:00Z', '2024-03-06T00:00:05Z'],
];
/** Each report's parameter sets beyond the windows. */
const PARAMS: Record<string, string[][]> = {
  'failure-rate': [[], ['bucket=hour']],
  'brute-force': [[], ['threshold=3', 'window=5'], ['threshold=2', 'window=1']],
  'guessed-passwords': [[], ['threshold=3', 'window=5'], ['threshold=2', 'window=1']],
  'ban-list': [['threshold=3', 'window=5', 'failures=2'], ['threshold=3', 'window=5', 'failures=2', 'allow=allow.txt'], ['threshold=100', 'failures=4']],
  'top-clients': [[], ['sort=failures', 'limit=5'], ['sort=events', 'limit=3']],
  'top-users': [[], ['sort=failures', 'limit=5'], ['sort=events', 'limit=3']],
  'auth-failures': [[], ['limit=2']],
  'transfer-errors': [[], ['limit=3']],
  'winsock-errors': [[], ['limit=2']],
};

describe('ClickHouse gives every report the same rows as SQLite', () => {
  it('ingested the same lines into both', () => {
    const [a, b] = summaries;
    expect(b!.files.map((f) => [f.path, f.lines, f.events, f.skipped, f.rejected])).toEqual(a!.files.map((f) => [f.path, f.lines, f.events, f.skipped, f.rejected]));
    expect(a!.events).toBeGreaterThan(300);
  });

  const cases = [...reports.values()].flatMap((r) => WINDOWS.flatMap(([since, until]) =>
    (PARAMS[r.name] ?? [[]]).map((params) => [r.name, since, until, params.join(' ')] as const)));

  it.each(cases)('%s from %s to %s %s', async (name, since, until, params) => {
    const report = reports.get(name)!;
    const values = bindParams(report, { since, until, params: params ? params.split(' ') : [], readFile: () => '# ours\n203.0.113.9\n' },
      new Date('2024-03-07T00:00:00Z'));
    const want = await runReport(sqlite, report, values);
    const got = await runReport(clickhouse, report, values);
    expect(got.columns).toEqual(want.columns);
    // Source ids are the stores' own: the paths say which source a row is about.
    const at = want.columns.indexOf('source_id');
    const plain = (rows: unknown[][]) => rows.map((row) => row.filter((_, i) => i !== at));
    expect(plain(got.rows)).toEqual(plain(want.rows));
  });
});
