import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';

const dirs: string[] = [];

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftplog-test-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** Runs a query on a database file with a separate read-only connection. */
export function query<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export interface Totals {
  sources: number;
  lines: number;
  events: number;
  skipped: number;
  rejected: number;
  eventRows: number;
  rejectRows: number;
}

/** What the database holds, from the sources table and from counting the rows themselves. */
export function totals(dbPath: string): Totals {
  const [s] = query<Totals>(dbPath, `SELECT count(*) AS sources, coalesce(sum(lines_read), 0) AS lines,
    coalesce(sum(events), 0) AS events, coalesce(sum(skipped), 0) AS skipped, coalesce(sum(rejected), 0) AS rejected,
    (SELECT count(*) FROM events) AS eventRows, (SELECT count(*) FROM rejects) AS rejectRows FROM sources`);
  return s!;
}

/** The invariant: per source, lines = events + skipped + rejected, and the rows stored match the counts. */
export function reconciles(dbPath: string): boolean {
  const bad = query(dbPath, `SELECT s.id FROM sources s
    WHERE s.lines_read != s.events + s.skipped + s.rejected
       OR s.events != (SELECT count(*) FROM events e WHERE e.source_id = s.id)
       OR s.rejected != (SELECT count(*) FROM rejects r WHERE r.source_id = s.id)`);
  return bad.length === 0;
}

const ACTIVITY = `sum(kind = 'connect') AS c, sum(kind = 'login' AND outcome = 'ok') AS l, sum(kind = 'login' AND outcome = 'fail') AS f,
  sum(kind = 'transfer') AS t, sum(CASE WHEN kind = 'transfer' AND direction = 'upload' THEN coalesce(bytes, 0) ELSE 0 END) AS i,
  sum(CASE WHEN kind = 'transfer' AND direction = 'download' THEN coalesce(bytes, 0) ELSE 0 END) AS o, sum(outcome = 'fail') AS x,
  count(*) AS n`;

/**
 * The rollup tables agree with `events`: hourly exactly; per-day clients and users once the events
 * a source's rollup does not hold yet (past rolled_event_id) are added. Returns what disagrees.
 */
export function rollupMismatches(dbPath: string): string[] {
  const out: string[] = [];
  const values = (rows: Record<string, unknown>[]) => JSON.stringify(rows.map((r) => Object.values(r)));
  const same = (label: string, a: Record<string, unknown>[], b: Record<string, unknown>[]) => {
    if (values(a) !== values(b)) out.push(label);
  };
  same('rollup_hourly',
    query(dbPath, `SELECT * FROM rollup_hourly ORDER BY hour, format, server, source_id, kind, command, direction, outcome, reply_code`),
    query(dbPath, `SELECT substr(ts, 1, 13) AS hour, format, coalesce(server, '') AS server, source_id, kind, coalesce(command, '') AS command,
      coalesce(direction, '') AS direction, outcome, coalesce(reply_code, 0) AS reply_code, count(*) AS events,
      sum(coalesce(bytes, 0)) AS bytes, min(ts) AS first_ts, max(ts) AS last_ts FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`));
  for (const [table, column] of [['rollup_clients', 'client_ip'], ['rollup_users', 'username']]) {
    same(table,
      query(dbPath, `SELECT day, k, sum(c), sum(l), sum(f), sum(t), sum(i), sum(o), sum(x), sum(n) FROM (
          SELECT day, ${column} AS k, connections AS c, logins AS l, failed_logins AS f, transfers AS t, bytes_in AS i, bytes_out AS o,
                 failures AS x, events AS n FROM ${table}
          UNION ALL
          SELECT substr(e.ts, 1, 10), e.${column}, ${ACTIVITY} FROM sources s JOIN events e ON e.source_id = s.id
            AND e.id > s.rolled_event_id AND e.id <= s.last_event_id WHERE e.${column} IS NOT NULL GROUP BY 1, 2
        ) GROUP BY 1, 2 ORDER BY 1, 2`),
      query(dbPath, `SELECT substr(ts, 1, 10) AS day, ${column} AS k, ${ACTIVITY} FROM events WHERE ${column} IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2`));
  }
  return out;
}
