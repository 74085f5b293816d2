import type { Dialect, ResultSet } from '../store/index.js';

/**
 * `ftplog sources`: what the database has read. One row per source, with the time span of its events,
 * and its status on disk now. SQLite takes the span from the hourly rollup (kept in step with the
 * events); ClickHouse reads it from the events, and each source's newest row of its bookkeeping.
 */
export const SOURCES_SQL: Record<Dialect, string> = {
  sqlite: `
SELECT s.id, s.path, s.format, s.server AS label, r.servers, r.first_event, r.last_event, s.last_read, s.lines_read AS lines,
       s.events, s.skipped, s.rejected, s.size, s.gzip, s.complete, s.error
FROM sources s
LEFT JOIN (
  SELECT source_id, group_concat(DISTINCT nullif(server, '')) AS servers, min(first_ts) AS first_event, max(last_ts) AS last_event
  FROM rollup_hourly GROUP BY source_id
) r ON r.source_id = s.id
ORDER BY s.id`,
  clickhouse: `
SELECT id, path, format, server AS label, servers, first_event, last_event, concat(replaceOne(toString(last_read), ' ', 'T'), 'Z') AS last_read,
       lines_read AS lines, events, skipped, rejected, size, gzip, complete, error
FROM (SELECT * FROM sources ORDER BY id, version DESC LIMIT 1 BY id) AS s
ANY LEFT JOIN (
  SELECT source_id AS id, nullIf(arrayStringConcat(arraySort(groupUniqArrayIf(ifNull(server, ''), ifNull(server, '') != '')), ','), '') AS servers,
         concat(replaceOne(toString(min(ts)), ' ', 'T'), 'Z') AS first_event, concat(replaceOne(toString(max(ts)), ' ', 'T'), 'Z') AS last_event
  FROM events GROUP BY source_id
) AS r USING id
WHERE forgotten = 0
ORDER BY id`,
};

/** What is on disk at a source's path now: nothing, or a file of this size. */
export type OnDisk = { exists: false } | { exists: true; size: number };

/**
 * `complete`: read to the end of what is there; `growing`: the file holds more than was read (the
 * next ingest reads it); `gone`: no file at the path any more (rotated away, deleted); `failed: …`:
 * the last read stopped early, and why.
 */
export function sourceStatus(s: { size: number | null; gzip: number; error: string | null }, disk: OnDisk | null): string {
  if (s.error !== null) return `failed: ${s.error}`;
  if (disk === null) return 'complete';
  if (!disk.exists) return 'gone';
  return s.gzip === 0 && s.size !== null && disk.size > s.size ? 'growing' : 'complete';
}

export interface SourceRow {
  id: number;
  path: string;
  format: string | null;
  /** The --server label kept with it. */
  label: string | null;
  servers: string | null;
  first_event: string | null;
  last_event: string | null;
  last_read: string;
  lines: number;
  events: number;
  skipped: number;
  rejected: number;
  status: string;
  days_since_last_event: number | null;
}

export const SOURCE_COLUMNS: ReadonlyArray<keyof SourceRow> = [
  'id', 'path', 'format', 'label', 'servers', 'first_event', 'last_event', 'last_read', 'lines', 'events', 'skipped', 'rejected', 'status', 'days_since_last_event',
];

/** The rows of `ftplog sources`, `disk` telling what is at each path now (null for stdin). */
export function sourceRows(r: ResultSet, disk: (path: string) => OnDisk | null, now: Date): SourceRow[] {
  const at = (name: string) => r.columns.indexOf(name);
  return r.rows.map((row) => {
    const v = (name: string) => row[at(name)] as never;
    const last = v('last_event') as string | null;
    const path = v('path') as string;
    return {
      id: v('id'), path, format: v('format'), label: v('label'), servers: v('servers'), first_event: v('first_event'), last_event: last,
      last_read: v('last_read'), lines: v('lines'), events: v('events'), skipped: v('skipped'), rejected: v('rejected'),
      status: sourceStatus({ size: v('size'), gzip: v('gzip'), error: v('error') }, path === '-' ? null : disk(path)),
      days_since_last_event: last === null ? null : Math.floor((now.getTime() - Date.parse(last)) / 864_000) / 100,
    };
  });
}

/** Sources whose newest event is older than `before` (a source without events is not stale: it never said anything). */
export function staleRows(rows: SourceRow[], before: string): SourceRow[] {
  return rows.filter((s) => s.last_event !== null && s.last_event < before);
}
