/**
 * The ClickHouse layout. Events, rejects and sources are ReplacingMergeTree tables, so a row that got
 * in twice all the same (ingest sees to it that none does) collapses into one when parts merge.
 * Events are ordered by time and source and partitioned
 * by month, so one batch within one month is one part: all or nothing. With a cluster, each table
 * is `<name>_local` on every shard and `<name>` a Distributed table over them, sharded by the
 * source, so a source's lines and its bookkeeping live on one shard.
 */

export type Column = readonly [name: string, type: string];

/** The events' columns in the order an INSERT carries them; the names are those of SQLite's `events` view. */
export const EVENT_COLUMNS: readonly Column[] = [
  ['source_id', 'UInt64'], ['line_no', 'UInt64'], ['ts', "DateTime('UTC')"], ['format', 'String'], ['server', 'Nullable(String)'],
  ['session', 'Nullable(String)'], ['client_ip', 'Nullable(String)'], ['username', 'Nullable(String)'], ['kind', 'String'],
  ['command', 'Nullable(String)'], ['direction', 'Nullable(String)'], ['path', 'Nullable(String)'], ['bytes', 'Nullable(Int64)'],
  ['duration_ms', 'Nullable(Int64)'], ['reply_code', 'Nullable(Int64)'], ['win32_status', 'Nullable(Int64)'], ['substatus', 'Nullable(Int64)'],
  ['winsock_name', 'Nullable(String)'], ['outcome', 'String'], ['detail', 'Nullable(String)'], ['flags', 'Nullable(String)'],
];

export const REJECT_COLUMNS: readonly Column[] = [
  ['source_id', 'UInt64'], ['line_no', 'UInt64'], ['ts', "Nullable(DateTime('UTC'))"], ['reason', 'String'], ['raw', 'String'],
];

/**
 * A source's bookkeeping, one row per change: the row with the highest version is the source now.
 * `pending_*` say which lines a batch being sent holds (0 when none is): a run that finds them set
 * checks what of that batch landed before it reads on (see ingestSession.ts).
 */
export const SOURCE_COLUMNS: readonly Column[] = [
  ['id', 'UInt64'], ['version', 'UInt64'], ['path', 'String'], ['format', 'Nullable(String)'], ['gzip', 'UInt8'], ['size', 'Nullable(Int64)'],
  ['mtime', 'Nullable(String)'], ['head_hash', 'String'], ['head_len', 'UInt64'], ['mark_offset', 'UInt64'], ['mark_len', 'UInt64'],
  ['mark_hash', 'Nullable(String)'], ['gz_hash', 'Nullable(String)'], ['bytes_read', 'UInt64'], ['lines_read', 'UInt64'], ['events', 'UInt64'],
  ['skipped', 'UInt64'], ['rejected', 'UInt64'], ['resume_state', 'String'], ['complete', 'UInt8'], ['error', 'Nullable(String)'],
  ['first_seen', "DateTime('UTC')"], ['last_read', "DateTime('UTC')"], ['server', 'Nullable(String)'], ['forgotten', 'UInt8'],
  ['pending_from', 'UInt64'], ['pending_to', 'UInt64'], ['pending_min_ts', 'UInt32'], ['pending_max_ts', 'UInt32'],
  ['pending_events', 'UInt64'], ['pending_rejects', 'UInt64'], ['created_ms', 'UInt64'],
];

const columnsDdl = (cols: readonly Column[]) => cols.map(([n, t]) => `${n} ${t}`).join(', ');

/** The sharded tables: their columns, engine clause and sharding key. */
const SHARDED: ReadonlyArray<{ name: string; columns: readonly Column[]; engine: string; key: string }> = [
  { name: 'events', columns: EVENT_COLUMNS, engine: 'ReplacingMergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (ts, source_id, line_no)', key: 'source_id' },
  { name: 'rejects', columns: REJECT_COLUMNS, engine: 'ReplacingMergeTree() ORDER BY (source_id, line_no)', key: 'source_id' },
  { name: 'sources', columns: SOURCE_COLUMNS, engine: 'ReplacingMergeTree(version) ORDER BY id', key: 'id' },
];

/** The reference tables' columns, in referenceRows()'s order: every server holds all of them. */
export const REFERENCE_COLUMNS: Readonly<Record<string, readonly Column[]>> = {
  reply_codes: [['code', 'Int64'], ['class', 'Int64'], ['class_name', 'String'], ['grp', 'Int64'], ['group_name', 'String'], ['meaning', 'String'],
    ['meaning_seed000', 'Nullable(String)'], ['meaning_seed001', 'Nullable(String)']],
  reply_classes: [['class', 'Int64'], ['name', 'String'], ['description', 'String']],
  reply_groups: [['grp', 'Int64'], ['name', 'String'], ['description', 'String']],
  winsock_errors: [['name', 'String'], ['number', 'Nullable(Int64)'], ['meaning', 'String'], ['meaning_seed000', 'Nullable(String)'],
    ['meaning_seed001', 'Nullable(String)'], ['explanation', 'String']],
  win32_statuses: [['number', 'Int64'], ['name', 'String'], ['meaning', 'String'], ['winsock', 'UInt8']],
  iis_substatus: [['substatus', 'Int64'], ['meaning', 'String']],
};

/** Where the store's rows are kept: each shard's local table under a Distributed one, or the table itself. */
export function localName(table: string, distributed: boolean): string {
  return distributed ? `${table}_local` : table;
}

/** The statements that create what one server holds (IF NOT EXISTS: running them again changes nothing). */
export function serverDdl(database: string, cluster: string | null): string[] {
  const out = [`CREATE DATABASE IF NOT EXISTS ${database}`];
  for (const t of SHARDED) {
    out.push(`CREATE TABLE IF NOT EXISTS ${database}.${localName(t.name, cluster !== null)} (${columnsDdl(t.columns)}) ENGINE = ${t.engine}`);
    if (cluster !== null) {
      out.push(`CREATE TABLE IF NOT EXISTS ${database}.${t.name} AS ${database}.${t.name}_local ENGINE = Distributed(${cluster}, ${database}, ${t.name}_local, ${t.key})`);
    }
  }
  return out;
}

/** Creates a reference table afresh (its rows are written after). */
export function referenceDdl(database: string, table: string): string[] {
  return [`DROP TABLE IF EXISTS ${database}.${table}`, `CREATE TABLE ${database}.${table} (${columnsDdl(REFERENCE_COLUMNS[table]!)}) ENGINE = TinyLog`];
}
