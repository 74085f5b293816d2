import type Database from 'better-sqlite3';
import { referenceRows } from '../referenceRows.js';

/**
 * Rewrites the reference tables from src/codes/, so users can JOIN codes to meanings in their own
 * SQL and a newer ftplog's tables replace an older one's. One transaction; a few hundred rows.
 */
export function writeReferenceTables(db: Database.Database): void {
  db.transaction(() => {
    for (const [table, rows] of Object.entries(referenceRows())) {
      db.exec(`DELETE FROM ${table}`);
      if (rows.length === 0) continue;
      const insert = db.prepare(`INSERT INTO ${table} VALUES (${rows[0]!.map(() => '?').join(', ')})`);
      for (const row of rows) insert.run(...row);
    }
  }).immediate();
}
