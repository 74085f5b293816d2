import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { INDEXES, MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

const BUSY_TIMEOUT_MS = 30_000;

/**
 * The page size of a new database (one already made keeps its own). Every page an ingest changes is
 * written twice, into the WAL and then into the database, one write call per page and a frame
 * header each: 16 KiB pages make a quarter of the calls, and cut the writer thread's commit CPU on
 * disk by 40% (400 -> 250 ms per 1M xferlog lines); 64 KiB pages made its inserts slower.
 */
export const PAGE_SIZE = 16_384;

/**
 * Opens (creating when missing) a database for writing: WAL so readers and a second writer can work
 * alongside, a busy timeout so concurrent ingests wait for each other instead of failing, and the
 * schema brought up to date.
 */
export function openForWrite(path: string): Db {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    // Before the switch to WAL, which fixes the page size of an empty file; ignored by one with tables.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    switchToWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -16384');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens an existing database read-only: reports and ad hoc SQL can change nothing. A database of
 * an older schema is brought up to date first (reports read the newest columns), as the next
 * ingest would do.
 */
export function openForRead(path: string): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0 || version > SCHEMA_VERSION) {
    db.close();
    throw new StoreError(version === 0
      ? `${path} is not an ftplog database (run ftplog ingest first)`
      : `${path} was written by a newer ftplog (schema ${version}, this one knows ${SCHEMA_VERSION})`);
  }
  if (version < SCHEMA_VERSION) {
    db.close();
    try {
      openForWrite(path).close();
    } catch (err) {
      throw new StoreError(`${path} has schema ${version} and this ftplog reads schema ${SCHEMA_VERSION}; upgrading it failed: ${(err as Error).message}`);
    }
    return openForRead(path);
  }
  return db;
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * SQLite refuses the switch to WAL with SQLITE_BUSY at once, without calling the busy handler, while
 * another connection holds the not-yet-WAL file (two ingests creating one database at the same
 * moment): so wait and retry here, as long as the busy timeout would have waited.
 */
function switchToWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!(err instanceof Database.SqliteError && err.code === 'SQLITE_BUSY') || Date.now() >= deadline) throw err;
      Atomics.wait(PAUSE, 0, 0, 10);
    }
  }
}

function migrate(db: Db): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(`database was written by a newer ftplog (schema ${version}, this one knows ${SCHEMA_VERSION})`);
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    // Before any load: inserts keep them up (see INDEXES).
    for (const sql of INDEXES) db.exec(sql);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

