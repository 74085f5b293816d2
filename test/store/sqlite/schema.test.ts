import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../../src/codes/replyCodes.js';
import { openForRead, openForWrite } from '../../../src/store/sqlite/db.js';
import { DIRECTION_NAMES, FORMAT_NAMES, KIND_NAMES, OUTCOME_NAMES } from '../../../src/event.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/store/sqlite/schema.js';
import { StoreError } from '../../../src/store/index.js';
import { tempDir } from '../../helpers/tmp.js';

function fresh() {
  return openForWrite(join(tempDir(), 's.db'));
}

/** Stores an event row. */
const insert = (db: Database.Database, values: Record<string, unknown>) => {
  const row = { source_id: 1, line_no: 1, ts_unix: 1709647200, format_code: 0, kind_code: 0, outcome_code: 0, ...values };
  const columns = Object.keys(row);
  return Number(db.prepare(`INSERT INTO event_rows (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`).run(row).lastInsertRowid);
};

/** The events view, the table under it and the indexes of INDEXES, by name. */
const CURRENT_OBJECTS = ['event_rows', 'events', 'events_fail_ts', 'events_login_fail_ts', 'events_login_ok_ts', 'events_pam_ts', 'events_proftpd_transfer_ts', 'events_pureftpd_transfer_ts', 'events_repeat_ts', 'events_ts',
  'events_vsftpd_transfer_ts', 'events_win32', 'events_xferlog_transfer_ts'];
const objects = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE tbl_name IN ('events', 'event_rows') ORDER BY name").pluck().all();

describe('the events view', () => {
  it('turn every stored number back into the name it stands for', () => {
    const db = fresh();
    const lists = { format: FORMAT_NAMES, kind: KIND_NAMES, direction: DIRECTION_NAMES, outcome: OUTCOME_NAMES };
    for (const [column, names] of Object.entries(lists)) {
      names.forEach((name, code) => {
        const id = insert(db, { [`${column}_code`]: code });
        expect(db.prepare(`SELECT ${column} FROM events WHERE id = ?`).pluck().get(id)).toBe(name);
      });
    }
    // A number past a list is no name: it reads as NULL rather than as some other name.
    const id = insert(db, { kind_code: KIND_NAMES.length, direction_code: DIRECTION_NAMES.length });
    expect(db.prepare('SELECT kind, direction FROM events WHERE id = ?').get(id)).toEqual({ kind: null, direction: null });
    db.close();
  });

  it('give reply class and group by the digits for 100-699 and nothing for other numbers', () => {
    const db = fresh();
    const read = db.prepare('SELECT reply_class AS c, reply_group AS g FROM events WHERE id = ?');
    for (const code of [0, 1, 99, 100, 110, 150, 226, 331, 425, 426, 530, 550, 599, 600, 631, 699, 700, 999, 1000, 10054, -226]) {
      const info = classifyReply(code);
      expect(read.get(insert(db, { reply_code: code })), String(code)).toEqual(info ? { c: info.replyClass, g: info.group } : { c: null, g: null });
    }
    expect(read.get(insert(db, { reply_code: null }))).toEqual({ c: null, g: null });
    db.close();
  });

  it('refuses an outcome number that names no outcome', () => {
    const db = fresh();
    expect(() => insert(db, { outcome_code: 3 })).toThrow(/CHECK constraint/);
    db.close();
  });
});

/** The layout of every table and view, column by column, and every index's definition. */
function layout(db: Database.Database): unknown[] {
  const objects = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as
    Array<{ type: string; name: string; sql: string | null }>;
  return objects.map((o) => o.type === 'index'
    ? [o.type, o.name, o.sql?.replace(/\s+/g, ' ')]
    : [o.type, o.name, db.prepare(`PRAGMA table_xinfo(${o.name})`).all()]);
}

describe('the one schema', () => {
  it('marks a new database as ftplog\'s, layout 2, with every table, the events view and its indexes', () => {
    const db = fresh();
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(2);
    expect(objects(db)).toEqual(CURRENT_OBJECTS);
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").pluck().all();
    expect(names).toEqual(['event_rows', 'events', 'iis_substatus', 'rejects', 'reply_classes', 'reply_codes', 'reply_groups',
      'rollup_clients', 'rollup_hourly', 'rollup_users', 'sources', 'win32_statuses', 'winsock_errors']);
    db.close();
  });

  it('opens its own database again unchanged, for writing and for reading', () => {
    const path = join(tempDir(), 'again.db');
    const first = openForWrite(path);
    const before = layout(first);
    first.close();
    const again = openForWrite(path);
    expect(layout(again)).toEqual(before);
    again.close();
    const read = openForRead(path);
    expect(read.readonly).toBe(true);
    expect(layout(read)).toEqual(before);
    read.close();
  });
});

describe("a file of 0.1.0's layout 1", () => {
  /** A database as 0.1.0 wrote it: layout 1, whose sources had no server label. */
  function layout1(path: string): void {
    openForWrite(path).close();
    const db = new Database(path);
    db.exec("INSERT INTO sources (path, head_hash, head_len, first_seen, last_read) VALUES ('/var/log/xferlog', 'h', 10, '2024-03-05T00:00:00Z', '2024-03-05T00:00:00Z')");
    db.exec('ALTER TABLE sources DROP COLUMN server');
    db.pragma('user_version = 1');
    db.close();
  }

  it('is brought up to date when opened for writing, and keeps what it held', () => {
    const path = join(tempDir(), 'v1.db');
    layout1(path);
    const db = openForWrite(path);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT path, server FROM sources').all()).toEqual([{ path: '/var/log/xferlog', server: null }]);
    const fresh = openForWrite(join(tempDir(), 'new.db'));
    expect(layout(db)).toEqual(layout(fresh));
    fresh.close();
    db.close();
  });

  it('is brought up to date by a reader that may write it, then read', () => {
    const path = join(tempDir(), 'v1.db');
    layout1(path);
    const read = openForRead(path);
    expect(read.readonly).toBe(true);
    expect(read.pragma('user_version', { simple: true })).toBe(2);
    read.close();
  });
});

describe('a file that is not a database of this layout is refused, never misread or changed', () => {
  /** A file as a development build before 0.1.0 left it: its own layout numbered in user_version, no application_id. */
  function developmentBuild(path: string, version: number): void {
    const db = new Database(path);
    db.exec('CREATE TABLE sources (id INTEGER PRIMARY KEY, path TEXT NOT NULL); CREATE TABLE events (id INTEGER PRIMARY KEY, ts TEXT NOT NULL)');
    db.exec("INSERT INTO events (ts) VALUES ('2024-03-05T14:00:00Z')");
    db.pragma(`user_version = ${version}`);
    db.close();
  }

  const bytesOf = (path: string) => readFileSync(path).toString('hex');

  it.each([1, 2, 3, 4, 5])('a development build\'s layout %i: says what it is and that a new file fixes it', (version) => {
    const path = join(tempDir(), `dev${version}.db`);
    developmentBuild(path, version);
    const before = bytesOf(path);
    const message = new RegExp(`development build of ftplog \\(layout ${version}\\).*ingest the logs again into a new database file`);
    expect(() => openForWrite(path)).toThrow(StoreError);
    expect(() => openForWrite(path)).toThrow(message);
    expect(() => openForRead(path)).toThrow(message);
    expect(bytesOf(path)).toBe(before);
  });

  it('a newer ftplog\'s database', () => {
    const path = join(tempDir(), 'newer.db');
    openForWrite(path).close();
    const db = new Database(path);
    db.pragma('user_version = 3');
    db.close();
    expect(() => openForWrite(path)).toThrow(/written by a newer ftplog \(schema 3, this one knows 2\)/);
    expect(() => openForRead(path)).toThrow(/written by a newer ftplog/);
  });

  it('another program\'s SQLite database, and an empty one to read', () => {
    const path = join(tempDir(), 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const before = bytesOf(path);
    expect(() => openForWrite(path)).toThrow(/is not an ftplog database/);
    expect(() => openForRead(path)).toThrow(/is not an ftplog database/);
    expect(bytesOf(path)).toBe(before);

    const empty = join(tempDir(), 'empty.db');
    new Database(empty).close();
    expect(() => openForRead(empty)).toThrow(/holds no ftplog data yet \(run ftplog ingest first\)/);
  });
});
