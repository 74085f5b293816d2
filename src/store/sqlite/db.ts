import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { StoreError } from '../errors.js';
import { APPLICATION_ID, EVENTS_VIEW, INDEXES, MIGRATIONS, SCHEMA, SCHEMA_VERSION } from './schema.js';

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
 * schema created in a new file. A file that is not an ftplog database of this layout is refused.
 */
export function openForWrite(path: string): Db {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    // Before anything writes to it: a file that is not ours is left exactly as it was.
    usableLayout(db, path, true);
    // Before the switch to WAL, which fixes the page size of an empty file; ignored by one with tables.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    switchToWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -16384');
    prepareSchema(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Closes a connection opened by openForWrite. The last one to close takes the file out of WAL mode,
 * so that a user who may read the file but not write beside it (another owner's folder, a read-only
 * mount) can read it: in WAL mode every reader must create or write its `-shm` file. The next
 * ingest switches back to WAL. While another connection has the file open the switch is refused,
 * and that one, closing later, makes it.
 */
export function closeForWrite(db: Db): void {
  try {
    db.pragma('journal_mode = DELETE');
  } catch {
    // Busy: another connection is open on the file (see above).
  }
  db.close();
}

/** Opens an existing database read-only: reports and ad hoc SQL can change nothing. */
export function openForRead(path: string): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    if (!existsSync(path)) throw new StoreError(`no database at ${path} yet: ftplog ingest --db ${path} LOGS creates it`);
    throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`);
  }
  try {
    const layout = layoutOf(db);
    if (typeof layout === 'object' && layout.kind === 'earlier') {
      // Brought up to date once by a connection that may write; then read as usual.
      db.close();
      try {
        closeForWrite(openForWrite(path));
      } catch (err) {
        if (err instanceof StoreError) throw err;
        throw new StoreError(`${path} was written by an earlier ftplog (layout ${layout.version}); it is brought up to date the first time a user `
          + `who may write it opens it (any ftplog command), and this one may not: ${(err as Error).message}`);
      }
      return openForRead(path);
    }
    if (usableLayout(db, path) === 'empty') throw new StoreError(`${path} holds no ftplog data yet (run ftplog ingest first)`);
    return db;
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB') throw new StoreError(`${path} is not an SQLite database, so no ftplog database (ftplog ingest --db NEW-FILE makes one)`);
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
      throw new StoreError(`cannot read ${path}: it is in WAL mode (an ingest is writing it, or one was stopped before its end), `
        + `and reading it then needs ${path}-shm, which this user may not create or write; read it when the ingest is done, `
        + 'or run ftplog ingest --db on it once as a user who may write its folder');
    }
    throw err;
  }
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

/** `earlier`: an earlier released layout, which MIGRATIONS bring up to date; `older`: a development build's. */
type Layout = 'empty' | 'current' | { kind: 'earlier' | 'older' | 'newer' | 'foreign'; version: number };

/** What a database file holds, by its application_id, its user_version and whether it has tables. */
function layoutOf(db: Db): Layout {
  const application = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (application === APPLICATION_ID) {
    if (version === SCHEMA_VERSION) return 'current';
    if (version >= 1 && version < SCHEMA_VERSION) return { kind: 'earlier', version };
    return { kind: version > SCHEMA_VERSION ? 'newer' : 'foreign', version };
  }
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0 && version === 0 && application === 0) return 'empty';
  // Development builds before 0.1.0 numbered their layouts 1-5 in user_version and set no application_id.
  if (application === 0 && version >= 1 && version <= 5 && tables.includes('sources')) return { kind: 'older', version };
  return { kind: 'foreign', version };
}

function refusal(path: string, layout: { kind: 'earlier' | 'older' | 'newer' | 'foreign'; version: number }): string {
  switch (layout.kind) {
    case 'earlier':
      return `${path} was written by an earlier ftplog (layout ${layout.version}) and is brought up to date when opened for writing`;
    case 'older':
      return `${path} was made by a development build of ftplog (layout ${layout.version}) that this version does not read; `
        + 'ingest the logs again into a new database file (--db with a new name) and remove the old one';
    case 'newer':
      return `${path} was written by a newer ftplog (schema ${layout.version}, this one knows ${SCHEMA_VERSION}); use that version`;
    case 'foreign':
      return `${path} is not an ftplog database (ftplog ingest --db NEW-FILE makes one)`;
  }
}

/** The file's layout when ftplog can use it: a new file or its own layout (an earlier one, to write: it is brought up to date). Any other is refused. */
function usableLayout(db: Db, path: string, earlierToo = false): 'empty' | 'current' | number {
  const layout = layoutOf(db);
  if (layout === 'empty' || layout === 'current') return layout;
  if (earlierToo && layout.kind === 'earlier') return layout.version;
  throw new StoreError(refusal(path, layout));
}

/** Creates the layout in a new file (checked again here: another ingest may have made it meanwhile); then makes sure of the indexes. */
function prepareSchema(db: Db): void {
  db.transaction(() => {
    const layout = usableLayout(db, db.name, true);
    if (layout === 'empty') {
      db.exec(SCHEMA);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } else if (typeof layout === 'number') {
      for (let v = layout; v < SCHEMA_VERSION; v++) for (const sql of MIGRATIONS[v]!) db.exec(sql);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    // A file made when fewer formats were known names only those: the view is re-made with all of them.
    const view = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'events'").pluck().get() as string | undefined;
    if (view?.trim() !== EVENTS_VIEW.trim().replace(/;$/, '')) {
      db.exec('DROP VIEW IF EXISTS events');
      db.exec(EVENTS_VIEW);
    }
    // Before any load: inserts keep them up (see INDEXES).
    for (const sql of INDEXES) db.exec(sql);
  }).immediate();
}
