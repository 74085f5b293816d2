import type { ForgetResult, PruneCounts } from '../index.js';
import type { Db } from './db.js';
import { catchUpActivity, subtractActivity } from './rollup.js';

/**
 * Retention and re-reading, in IMMEDIATE transactions (an ingest running beside waits, and so do they).
 *
 * Pruning before T deletes the events and rejects before T, and the rollup rows of hours and days
 * that end by T. The hour and the day T falls in keep their rollup rows: reports read a window's
 * partial hours and days from `events`, so any window from T on is exact. Sources keep their read
 * positions: a pruned file is never read again.
 */
export function prune(db: Db, before: string, dryRun: boolean): PruneCounts {
  // Totals a killed run left behind are brought up to date first, while their events are there.
  if (!dryRun) catchUpActivity(db);
  const cutoff = Date.parse(before) / 1000;
  const run = () => {
    const counts: PruneCounts = {
      events: count(db, 'SELECT count(*) FROM event_rows WHERE ts_unix < ?', cutoff),
      rejects: count(db, 'SELECT count(*) FROM rejects r JOIN sources s ON s.id = r.source_id WHERE coalesce(r.ts, s.first_seen) < ?', before),
      hourly: count(db, "SELECT count(*) FROM rollup_hourly WHERE unixepoch(hour || ':00:00Z') + 3600 <= ?", cutoff),
      clients: count(db, 'SELECT count(*) FROM rollup_clients WHERE unixepoch(day) + 86400 <= ?', cutoff),
      users: count(db, 'SELECT count(*) FROM rollup_users WHERE unixepoch(day) + 86400 <= ?', cutoff),
    };
    if (dryRun) return counts;
    db.prepare('DELETE FROM event_rows WHERE ts_unix < ?').run(cutoff);
    db.prepare('DELETE FROM rejects WHERE id IN (SELECT r.id FROM rejects r JOIN sources s ON s.id = r.source_id WHERE coalesce(r.ts, s.first_seen) < ?)').run(before);
    db.prepare("DELETE FROM rollup_hourly WHERE unixepoch(hour || ':00:00Z') + 3600 <= ?").run(cutoff);
    db.prepare('DELETE FROM rollup_clients WHERE unixepoch(day) + 86400 <= ?').run(cutoff);
    db.prepare('DELETE FROM rollup_users WHERE unixepoch(day) + 86400 <= ?').run(cutoff);
    return counts;
  };
  return db.transaction(run).immediate();
}

/** Gives the file's space back (after a prune); needs as much free space again as the database. */
export function vacuum(db: Db): void {
  db.exec('VACUUM');
}

/**
 * Removes sources (by id, or every source read from a path) with their events, rejects and rollup
 * contributions, and their read positions: the next ingest reads them again, once.
 */
export function forget(db: Db, ids: number[], dryRun: boolean): ForgetResult[] {
  return db.transaction(() => ids.map((id) => {
    const s = db.prepare('SELECT id, path, format FROM sources WHERE id = ?').get(id) as { id: number; path: string; format: string | null } | undefined;
    if (!s) return null;
    const result: ForgetResult = {
      sourceId: s.id, path: s.path, format: s.format,
      events: count(db, 'SELECT count(*) FROM event_rows WHERE source_id = ?', id),
      rejects: count(db, 'SELECT count(*) FROM rejects WHERE source_id = ?', id),
    };
    if (dryRun) return result;
    subtractActivity(db, id);
    db.prepare('DELETE FROM rollup_hourly WHERE source_id = ?').run(id);
    db.prepare('DELETE FROM event_rows WHERE source_id = ?').run(id);
    db.prepare('DELETE FROM rejects WHERE source_id = ?').run(id);
    db.prepare('DELETE FROM sources WHERE id = ?').run(id);
    return result;
  }).filter((r): r is ForgetResult => r !== null)).immediate();
}

/** The ids of the sources read from `path` (the newest last). */
export function sourcesAt(db: Db, path: string): number[] {
  return db.prepare('SELECT id FROM sources WHERE path = ? ORDER BY id').pluck().all(path) as number[];
}

function count(db: Db, sql: string, ...params: unknown[]): number {
  return db.prepare(sql).pluck().get(...params) as number;
}
