import { UsageError } from '../exitCodes.js';
import { QueryError, type Dialect, type QueryStore, type ResultSet, type RowStream } from '../store/index.js';
import type { ZoneClock } from '../zone.js';
import type { Report } from './catalog.js';

export type { ResultSet };

/** The rows as objects keyed by column name, values passed through `value`. */
export function rowObjects(r: ResultSet, value: (v: unknown) => unknown = (v) => v): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, value(row[i])])));
}

/** A UTC time as the stores write it: the only text a report shows in the reader's zone. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A row with every UTC time shown in `clock`'s zone, with its offset. */
function rowInZone(row: unknown[], clock: ZoneClock): unknown[] {
  return row.map((v) => (typeof v === 'string' && UTC_TIME.test(v) ? clock.showIso(Date.parse(v)) : v));
}

/** The rows with every UTC time shown in `clock`'s zone, as they are read. */
export function inZone(r: RowStream, clock: ZoneClock): RowStream {
  if (clock.zone === 'UTC') return r;
  const rows = r.rows;
  return {
    columns: r.columns,
    rows: (async function* () {
      for await (const row of rows) yield rowInZone(row, clock);
    })(),
  };
}

/** As inZone, for rows already read. */
export function resultInZone(r: ResultSet, clock: ZoneClock): ResultSet {
  return clock.zone === 'UTC' ? r : { columns: r.columns, rows: r.rows.map((row) => rowInZone(row, clock)) };
}

/** A report's text for the store it runs on; a report written for other stores only is a usage error that says which it has. */
export function reportSql(report: Report, dialect: Dialect): string {
  const sql = report.sql[dialect];
  if (sql === undefined) {
    throw new UsageError(`report '${report.name}' has no text for ${dialect} (it runs on ${Object.keys(report.sql).join(', ')}): `
      + `add ${dialect}/${report.name}.sql beside ${report.file}, or '-- stores: …' to its header if the same SQL runs on both`);
  }
  return sql;
}

/** As runSelect, with the rows read as they are consumed (an error while reading them is a QueryError). */
export async function runStream(store: QueryStore, sql: string, params: Record<string, unknown> = {}, what = 'query'): Promise<RowStream> {
  return asUsageError(what, () => store.stream(sql, params));
}

/** Runs one statement that returns rows; a statement the store refuses or cannot run is a usage error, named by `what`. */
export async function runSelect(store: QueryStore, sql: string, params: Record<string, unknown> = {}, what = 'query'): Promise<ResultSet> {
  return asUsageError(what, () => store.select(sql, params));
}

/** Runs a report on the store, in the store's own SQL. */
export async function runReport(store: QueryStore, report: Report, params: Record<string, unknown>): Promise<ResultSet> {
  return runSelect(store, reportSql(report, store.dialect), params, `report '${report.name}'`);
}

async function asUsageError<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof QueryError) throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}
