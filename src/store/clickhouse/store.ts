import type { ForgetResult, IngestSession, IngestSessionOptions, PruneCounts, QueryStore, Store } from '../index.js';
import { StoreError } from '../errors.js';
import { referenceRows } from '../referenceRows.js';
import { ClickHouseCatalog } from './catalog.js';
import { Connection } from './connection.js';
import { ClickHouseIngestSession } from './ingestSession.js';
import { bindParams } from './params.js';
import { deleteRows, type Layout } from './mutations.js';
import { REFERENCE_COLUMNS, referenceDdl, serverDdl } from './schema.js';
import { tsvNumber, tsvText } from './tsv.js';
import { parseTarget, type ClickHouseTarget } from './url.js';

/** Writes through a Distributed table land on their shard before the INSERT returns, so a batch that returned is stored. */
const WRITE_SETTINGS = { insert_distributed_sync: 1 } as const;
/**
 * Reports join and filter events by events (a PAM line and the server's own line of one attempt come
 * from two sources, and so maybe two shards): over Distributed tables such subqueries run once on the
 * server asked and their result goes to every shard. A LEFT JOIN's unmatched columns are NULL, as in SQL.
 */
const READ_SETTINGS = { distributed_product_mode: 'global', join_use_nulls: 1 } as const;

/** A ClickHouse database opened for ingest: its tables are created on first use (on every server named, with a cluster). */
export async function openClickHouseStore(url: string, options: { cluster?: string } = {}): Promise<Store> {
  const target = parseTarget(url);
  const cluster = options.cluster ?? null;
  if (cluster !== null && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster)) throw new StoreError(`--cluster takes a cluster name from the servers' remote_servers, not '${cluster}'`);
  const conn = new Connection(target, target.servers[0]!, { ...WRITE_SETTINGS, ...READ_SETTINGS });
  const probe = conn.withoutDatabase();
  const existing = await tableEngines(probe, target.database).finally(() => probe.close());
  if (cluster !== null && existing.has('events') && existing.get('events') !== 'Distributed') {
    throw new StoreError(`ClickHouse database '${target.database}' holds events of one server already: --cluster spreads a new store only (use another database)`);
  }
  await createTables(target, cluster);
  // A store made over a cluster stays one: later runs name any one of its servers and no cluster.
  const distributed = existing.has('events') ? existing.get('events') === 'Distributed' : cluster !== null;
  const layout: Layout = { distributed, servers: distributed ? target.servers : [target.servers[0]!] };
  return {
    dialect: 'clickhouse',
    ownFiles: [],
    startIngest: async (o: IngestSessionOptions = {}): Promise<IngestSession> =>
      ClickHouseIngestSession.start(conn, layout, await ClickHouseCatalog.load(conn), o.linesPerCommit),
    prune: (before, { dryRun }) => prune(conn, layout, before, dryRun),
    forget: (source, { dryRun }) => forget(conn, layout, source, dryRun),
    close: () => conn.close(),
  };
}

/** A ClickHouse database opened for reports: every query runs with readonly=1, so it can change nothing. */
export async function openClickHouseQueryStore(url: string): Promise<QueryStore> {
  const target = parseTarget(url);
  const conn = new Connection(target, target.servers[0]!, { readonly: '1', ...READ_SETTINGS });
  // Asked in the server's own database: one named in the URL may not be there.
  const probe = conn.withoutDatabase();
  const tables = await tableEngines(probe, target.database).finally(() => probe.close());
  if (!tables.has('events')) throw new StoreError(`no ftplog events in ClickHouse database '${target.database}': ftplog ingest --db ${url.replace(/\/\/[^@/]*@/, '//')} creates them`);
  return {
    dialect: 'clickhouse',
    select: (sql, params = {}) => conn.select(bindParams(sql, params)),
    stream: (sql, params = {}) => conn.stream(bindParams(sql, params)),
    close: () => conn.close(),
  };
}

async function tableEngines(conn: Connection, database = conn.target.database): Promise<Map<string, string>> {
  const r = await conn.select(`SELECT name, engine FROM system.tables WHERE database = '${database}'`);
  return new Map(r.rows.map((row) => [String(row[0]), String(row[1])]));
}

/** The tables on every server named (each a shard of `cluster`, if one is given), and the reference tables written where they are not current. */
async function createTables(target: ClickHouseTarget, cluster: string | null): Promise<void> {
  const reference = referenceRows();
  for (const server of cluster === null ? [target.servers[0]!] : target.servers) {
    const conn = new Connection(target, server).withoutDatabase();
    try {
      if (cluster !== null && (await conn.count(`SELECT count() FROM system.clusters WHERE cluster = '${cluster}'`)) === 0) {
        throw new StoreError(`the server ${server} has no cluster '${cluster}' in its remote_servers`);
      }
      for (const ddl of serverDdl(target.database, cluster)) await conn.command(ddl);
      const tables = await tableEngines(conn, target.database);
      for (const [table, rows] of Object.entries(reference)) {
        if (tables.has(table) && (await conn.count(`SELECT count() FROM ${target.database}.${table}`)) === rows.length) continue;
        for (const ddl of referenceDdl(target.database, table)) await conn.command(ddl);
        const columns = REFERENCE_COLUMNS[table]!.map(([n]) => n);
        const tsv = rows.map((row) => row.map((v) => (typeof v === 'number' ? tsvNumber(v) : tsvText(v as string | null))).join('\t') + '\n');
        await conn.insert(`${target.database}.${table}`, columns, tsv, `ftplog-reference-${table}-${Date.now()}`);
      }
    } finally {
      await conn.close();
    }
  }
}

/** Events and rejects before `before` go; sources keep their read positions, so nothing is read again. ClickHouse keeps no rollups. */
async function prune(conn: Connection, layout: Layout, before: string, dryRun: boolean): Promise<PruneCounts> {
  const t = Date.parse(before) / 1000;
  const events = await conn.count(`SELECT count() FROM events WHERE ts < ${t}`);
  const rejects = await conn.count(`SELECT count() FROM rejects WHERE ts IS NOT NULL AND ts < ${t}`);
  if (!dryRun) {
    await deleteRows(conn, layout, 'events', `ts < ${t}`);
    await deleteRows(conn, layout, 'rejects', `ts IS NOT NULL AND ts < ${t}`);
  }
  return { events, rejects, hourly: 0, clients: 0, users: 0 };
}

/** The sources read from a path (or the one with an id) lose their events and rejects, and their row says forgotten, so the next ingest reads them again. */
async function forget(conn: Connection, layout: Layout, source: string | number, dryRun: boolean): Promise<ForgetResult[]> {
  const catalog = await ClickHouseCatalog.load(conn);
  const found = catalog.sources().filter((s) => (typeof source === 'number' ? s.id === source : s.path === source));
  const out: ForgetResult[] = [];
  for (const s of found) {
    out.push({
      sourceId: s.id, path: s.path, format: s.format, events: await conn.count(`SELECT count() FROM events WHERE source_id = ${s.id}`),
      rejects: await conn.count(`SELECT count() FROM rejects WHERE source_id = ${s.id}`),
    });
  }
  if (!dryRun && found.length > 0) {
    await catalog.write(found.map((s) => ({ ...s, forgotten: true, pending: null })));
    const ids = found.map((s) => s.id).join(', ');
    await deleteRows(conn, layout, 'events', `source_id IN (${ids})`);
    await deleteRows(conn, layout, 'rejects', `source_id IN (${ids})`);
  }
  return out;
}
