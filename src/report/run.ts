import { UsageError } from '../exitCodes.js';
import { QueryError, type QueryStore, type ResultSet, type RowStream } from '../store/index.js';
import type { ZoneClock } from '../zone.js';

export type { ResultSet };

/** The rows as objects keyed by column name, values passed through `value`. */
export function rowObjects(r: ResultSet, value: (v: unknown) => unknown = (v) => v): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, value(row[i])])));
}

/** A UTC time as the stores write it: the only text a report shows in the reader's zone. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The rows with every UTC time shown in `clock`'s zone, with its offset. */
export function inZone(r: RowStream, clock: ZoneClock): RowStream {
  if (clock.zone === 'UTC') return r;
  return {
    columns: r.columns,
    rows: (function* () {
      for (const row of r.rows) yield row.map((v) => (typeof v === 'string' && UTC_TIME.test(v) ? clock.showIso(Date.parse(v)) : v));
    })(),
  };
}

/** As runSelect, with the rows read as they are consumed (an error while reading them is a QueryError). */
export function runStream(store: QueryStore, sql: string, params: Record<string, unknown> = {}, what = 'query'): RowStream {
  return asUsageError(what, () => store.stream(sql, params));
}

/** Runs one statement that returns rows; a statement the store refuses or cannot run is a usage error, named by `what`. */
export function runSelect(store: QueryStore, sql: string, params: Record<string, unknown> = {}, what = 'query'): ResultSet {
  return asUsageError(what, () => store.select(sql, params));
}

function asUsageError<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}
