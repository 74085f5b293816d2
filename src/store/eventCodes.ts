import type { Direction, EventKind, FormatName, Outcome } from '../formats/types.js';

/**
 * The numbers `event_rows` stores for the closed-set text columns of events (format, kind,
 * direction, outcome). Binding a number costs SQLite and better-sqlite3 a fraction of binding a
 * string, and the `events` view turns the numbers back into the names queries read (schema.ts).
 * The partial indexes are conditioned on the numbers, so a query that should use one filters by
 * them: `outcome_code = 1` (fail), `kind_code = 1` (login). A number, once stored, means its name
 * forever: append new names, never reorder. A test holds these lists and the view's CASE lists to
 * each other.
 */
export const FORMAT_NAMES: readonly FormatName[] = ['xferlog', 'vsftpd', 'iis'];
export const KIND_NAMES: readonly EventKind[] = ['connect', 'login', 'transfer', 'file', 'command', 'reply', 'data-channel',
  'disconnect', 'debug'];
export const DIRECTION_NAMES: readonly Direction[] = ['upload', 'download'];
export const OUTCOME_NAMES: readonly Outcome[] = ['ok', 'fail', 'pending'];

function numbering<T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((n, i) => [n, i])) as Record<T, number>;
}

export const FORMAT_CODE = numbering(FORMAT_NAMES);
export const KIND_CODE = numbering(KIND_NAMES);
export const DIRECTION_CODE = numbering(DIRECTION_NAMES);
export const OUTCOME_CODE = numbering(OUTCOME_NAMES);
