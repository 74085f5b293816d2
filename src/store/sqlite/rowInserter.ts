import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/**
 * Rows per INSERT statement: many rows per statement cut the per-statement overhead ~1.5×; past
 * about 20, the longer argument lists cost more than they save (measured here: 20 rows 3-5% faster
 * than 50, 10 rows 10% slower).
 */
export const ROWS_PER_STATEMENT = 20;

/**
 * INSERTs of one set of columns: ROWS_PER_STATEMENT rows per statement and one for the rest, with
 * positional parameters passed as arguments.
 */
export class RowInserter {
  private readonly many: Statement;
  private readonly one: Statement;
  /** The parameters of ROWS_PER_STATEMENT rows, one row's columns after another: filled by the caller, then run. */
  readonly params: unknown[];

  /**
   * OR ROLLBACK: a statement that fails takes the whole transaction with it, as the writer wants
   * anyway, so SQLite keeps no statement journal (a copy of each page a multi-row INSERT changes,
   * 2-3% of a load). `values`: each column's value in a row, an expression of one parameter (`?`
   * by default); `onConflict`: an upsert clause, applied to each row in turn.
   */
  constructor(
    db: Db,
    table: string,
    private readonly columns: readonly string[],
    { values = columns.map(() => '?'), onConflict = '' }: { values?: readonly string[]; onConflict?: string } = {},
  ) {
    const one = `(${values.join(', ')})`;
    const insert = (rows: number) =>
      db.prepare(`INSERT OR ROLLBACK INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(one).join(', ')} ${onConflict}`);
    this.many = insert(ROWS_PER_STATEMENT);
    this.one = insert(1);
    this.params = new Array(ROWS_PER_STATEMENT * columns.length);
  }

  /**
   * Inserts the first `rows` rows of `params`: ROWS_PER_STATEMENT in one statement, fewer one by one.
   * Returns the rowid of the last.
   */
  insert(rows: number): number {
    // Spread, not an array: better-sqlite3 reads arguments faster than array elements (~15% of a load).
    if (rows === ROWS_PER_STATEMENT) return Number(this.many.run(...this.params).lastInsertRowid);
    const width = this.columns.length;
    let last = 0;
    for (let row = 0; row < rows; row++) {
      last = Number(this.one.run(...this.params.slice(row * width, (row + 1) * width)).lastInsertRowid);
    }
    return last;
  }

  /** Inserts rows of plain values, one row's columns after another. */
  run(values: unknown[]): void {
    const per = this.params.length;
    for (let from = 0; from < values.length; from += per) {
      const chunk = Math.min(per, values.length - from);
      for (let k = 0; k < chunk; k++) this.params[k] = values[from + k];
      this.insert(chunk / this.columns.length);
    }
  }
}
