import { QueryError } from '../errors.js';

/** The one text form of a moment in ftplog (`2024-03-05T14:03:27Z`). */
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** `:name`, not `::` (a cast) nor part of a word. */
const PARAM = /(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Puts the values of `:name` parameters into a statement, on the client: Debian's ClickHouse 18.16
 * binds none on the server. Each value becomes a literal of its own type and nothing else: a number
 * as a number, a time in ftplog's stored form as seconds since 1970 (compared with `ts` directly,
 * and with no upper bound to overflow a DateTime), any other text as a quoted string with its quotes
 * and backslashes escaped. A parameter given no value is refused.
 */
export function bindParams(sql: string, params: Record<string, unknown>): string {
  return sql.replace(PARAM, (_all, name: string) => {
    if (!(name in params)) throw new QueryError(`:${name} has no value (give it with --param ${name}=…)`);
    return literal(params[name]);
  });
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new QueryError(`${v} is not a number ClickHouse can take`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? '1' : '0';
  const text = String(v);
  // 18.16 compares the DateTime key with unsigned numbers only: a time before 1970 is 1970.
  if (STORED_TIME.test(text)) return String(Math.max(0, Date.parse(text) / 1000));
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}
