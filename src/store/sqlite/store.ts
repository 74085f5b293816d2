import { resolve } from 'node:path';
import { QueryError } from '../errors.js';
import type { IngestSession, IngestSessionOptions, QueryStore, ResultSet, RowStream, Store } from '../index.js';
import { closeForWrite, openForRead, openForWrite, type Db } from './db.js';
import { SqliteIngestSession } from './ingestSession.js';
import { forget, prune, sourcesAt, vacuum } from './maintenance.js';

/** A SQLite file opened for ingest (created on first use, its schema checked). */
export function openStore(path: string): Store {
  const db = openForWrite(path);
  // The writer thread opens the same file, so the database is always a file: never read it as a log.
  const file = resolve(db.name);
  return {
    dialect: 'sqlite',
    ownFiles: ['', '-wal', '-shm', '-journal'].map((suffix) => file + suffix),
    startIngest: async (options: IngestSessionOptions = {}): Promise<IngestSession> => SqliteIngestSession.start(db, options),
    prune: async (before, { dryRun, vacuum: andVacuum }) => {
      const counts = prune(db, before, dryRun);
      if (andVacuum && !dryRun) vacuum(db);
      return counts;
    },
    forget: async (source, { dryRun }) => forget(db, typeof source === 'number' ? [source] : sourcesAt(db, source), dryRun),
    close: async () => closeForWrite(db),
  };
}

/** An existing SQLite file opened read-only: reports and ad hoc SQL can change nothing. */
export function openQueryStore(path: string): QueryStore {
  const db = openForRead(path);
  return {
    dialect: 'sqlite',
    select: async (sql, params) => select(db, sql, params),
    stream: async (sql, params) => stream(db, sql, params),
    close: async () => void db.close(),
  };
}

/** `PRAGMA [schema.]name`, and whether a value follows (`=` or `(`). */
const PRAGMA = /^\s*pragma\s+(?:\w+\.)?(\w+)\s*(=|\()?/i;
/** Pragmas whose argument says what to read, not a value to set. */
const QUERY_PRAGMAS = new Set(['table_info', 'table_xinfo', 'table_list', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list',
  'foreign_key_check', 'integrity_check', 'quick_check']);

/** One statement that returns rows; anything else (a write, ATTACH, a pragma change) is refused. */
function stream(db: Db, sql: string, params: Record<string, unknown> = {}): RowStream {
  const pragma = PRAGMA.exec(sql);
  if (pragma && (pragma[2] === '=' || (pragma[2] === '(' && !QUERY_PRAGMAS.has(pragma[1]!.toLowerCase())))) {
    throw new QueryError(`PRAGMA ${pragma[1]} with a value changes a setting, and the database is opened read-only: only reading pragmas are allowed`);
  }
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new QueryError((err as Error).message);
  }
  if (!stmt.reader) throw new QueryError('only statements that return rows (SELECT, WITH … SELECT) are allowed; the database is opened read-only');
  const reading = stmt;
  const columns = reading.columns().map((c) => c.name);
  // better-sqlite3 refuses named values the statement does not use.
  const used = Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`[:@$]${k}\\b`).test(sql)));
  return {
    columns,
    rows: (function* () {
      try {
        yield* (Object.keys(used).length ? reading.raw(true).iterate(used) : reading.raw(true).iterate()) as IterableIterator<unknown[]>;
      } catch (err) {
        throw new QueryError((err as Error).message);
      }
    })(),
  };
}

function select(db: Db, sql: string, params: Record<string, unknown> = {}): ResultSet {
  const { columns, rows } = stream(db, sql, params);
  return { columns, rows: [...(rows as Iterable<unknown[]>)] };
}
