import { DIRECTION_NAMES, FORMAT_NAMES, KIND_NAMES, OUTCOME_NAMES } from '../../event.js';

/**
 * The numbers `event_rows` stores for the closed-set text columns of events (format, kind,
 * direction, outcome). Binding a number costs SQLite and better-sqlite3 a fraction of binding a
 * string, and the `events` view turns the numbers back into the names queries read (schema.ts).
 * The partial indexes are conditioned on the numbers, so a query that should use one filters by
 * them: `outcome_code = 1` (fail), `kind_code = 1` (login). A number, once stored, means its name
 * forever: the lists in event.ts only ever grow at their end. A test holds these lists and the
 * view's CASE lists to each other.
 */
function numbering<T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((n, i) => [n, i])) as Record<T, number>;
}

export const FORMAT_CODE = numbering(FORMAT_NAMES);
export const KIND_CODE = numbering(KIND_NAMES);
export const DIRECTION_CODE = numbering(DIRECTION_NAMES);
export const OUTCOME_CODE = numbering(OUTCOME_NAMES);
