import { UsageError } from '../exitCodes.js';
import { QueryError, type QueryStore, type ResultSet, type RowStream } from '../store/index.js';

export type { ResultSet };

/** The rows as objects keyed by column name, values passed through `value`. */
export function rowObjects(r: ResultSet, value: (v: unknown) => unknown = (v) => v): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, value(row[i])])));
}

/** As runSelect, with the rows read as they are consumed (an error while reading them is a QueryError). */
export function runStream(store: QueryStore, sql: string, params: Record<string, unknown> = {}, what = 'query'): RowStream {
  try {
    return store.stream(sql, params);
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}

/** Runs one statement that returns rows; a statement the store refuses or cannot run is a usage error, named by `what`. */
export function runSelect(store: QueryStore, sql: string, params: Record<string, unknown> = {}, what = 'query'): ResultSet {
  try {
    return store.select(sql, params);
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}
