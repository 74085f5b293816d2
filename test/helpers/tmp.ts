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
