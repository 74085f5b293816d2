import type { Db } from '../store/db.js';
import { UsageError } from '../exitCodes.js';

export interface ResultSet {
  columns: string[];
  rows: unknown[][];
}

/** The rows as objects keyed by column name, values passed through `value`. */
export function rowObjects(r: ResultSet, value: (v: unknown) => unknown = (v) => v): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, value(row[i])])));
}

/** Runs one statement that returns rows; anything else (a write, ATTACH, a pragma change) is refused. */
export function runSelect(db: Db, sql: string, params: Record<string, unknown> = {}, what = 'query'): ResultSet {
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new UsageError(`${what}: ${(err as Error).message}`);
  }
  if (!stmt.reader) throw new UsageError(`${what}: only statements that return rows (SELECT, WITH … SELECT) are allowed; the database is opened read-only`);
  try {
    const columns = stmt.columns().map((c) => c.name);
    const used = Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`[:@$]${k}\\b`).test(sql)));
    const rows = (Object.keys(used).length ? stmt.raw(true).all(used) : stmt.raw(true).all()) as unknown[][];
    return { columns, rows };
  } catch (err) {
    throw new UsageError(`${what}: ${(err as Error).message}`);
  }
}
