import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../../src/codes/replyCodes.js';
import { openForRead, openForWrite } from '../../../src/store/sqlite/db.js';
import { DIRECTION_NAMES, FORMAT_NAMES, KIND_NAMES, OUTCOME_NAMES } from '../../../src/event.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/store/sqlite/schema.js';
import { tempDir } from '../../helpers/tmp.js';

function fresh() {
  return openForWrite(join(tempDir(), 's.db'));
}

/**
 * Stores an event. A `ts` among the values is for a database of schema 4 or older, whose events
 * table stored the text; from schema 5 on, rows go into event_rows with the time in seconds.
 */
const insert = (db: Database.Database, values: Record<string, unknown>) => {
  const [table, time] = 'ts' in values ? ['events', {}] : ['event_rows', { ts_unix: 1709647200 }];
  const row = { source_id: 1, line_no: 1, format_code: 0, kind_code: 0, outcome_code: 0, ...time, ...values };
  const columns = Object.keys(row);
  return Number(db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`).run(row).lastInsertRowid);
};

/** The events view, the table under it and the indexes of INDEXES, by name. */
const CURRENT_OBJECTS = ['event_rows', 'events', 'events_fail_ts', 'events_login_fail_ts', 'events_login_ok_ts', 'events_ts', 'events_win32'];
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

/** A database file as ftplog left it at schema `version`: its migrations only, no indexes. */
function databaseAt(path: string, version: number): Database.Database {
  const db = new Database(path);
  for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration);
  db.pragma(`user_version = ${version}`);
  return db;
}

/** An old-schema events row with every stored column that the other sample rows leave empty filled in. */
const FAILED_UPLOAD = { kind_code: 2, outcome_code: 1, path: '/pub/a b.iso', client_ip: '2001:db8::7', bytes: 42, ts: '2024-03-05T14:00:00Z',
  server: 'FTP01', session: '7f3c', command: 'STOR', duration_ms: 1500, win32_status: 10054, substatus: 3, detail: 'real ftp',
  flags: 'ok-with-win32-error', source_id: 4, line_no: 9, format_code: 2 };

/**
 * Closes `old` (an events table with every stored column filled on some row, so a column a copy
 * left out would read back as NULL) and opens it as the current schema; expects every column it had
 * to read back the same, row for row.
 */
function upgradeKeepingRows(old: Database.Database, path: string): Database.Database {
  const columns = (old.prepare('PRAGMA table_xinfo(events)').all() as Array<{ name: string; hidden: number }>).filter((c) => c.hidden === 0);
  for (const { name: column } of columns) {
    expect(old.prepare(`SELECT count(*) FROM events WHERE ${column} IS NOT NULL`).pluck().get(), column).toBeGreaterThan(0);
  }
  const before = old.prepare('SELECT * FROM events ORDER BY id').all();
  old.close();
  const db = openForWrite(path);
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  expect(db.prepare(`SELECT ${Object.keys(before[0] as object).join(', ')} FROM events ORDER BY id`).all()).toEqual(before);
  return db;
}

describe('migration 2', () => {
  it('moves a schema-1 database to stored numbers, keeping every row, id and column value', () => {
    const path = join(tempDir(), 'old.db');
    const old = databaseAt(path, 1);
    const columns = ['id', 'source_id', 'line_no', 'format', 'ts', 'server', 'session', 'client_ip', 'username', 'kind', 'command',
      'direction', 'path', 'bytes', 'duration_ms', 'reply_code', 'reply_class', 'reply_group', 'win32_status', 'substatus',
      'winsock_name', 'outcome', 'detail', 'flags'];
    const rows = [
      [7, 1, 3, 'iis', '2024-03-05T14:00:01Z', '192.0.2.10', '7f3c', '10.0.0.1', 'bob', 'login', 'PASS', null, null, null, null,
        530, 5, 3, 1326, 41, null, 'fail', null, null],
      [9, 1, 4, 'xferlog', '2024-03-05T14:00:02Z', null, null, '2001:db8::1', 'alice', 'transfer', 'RETR', 'download',
        '/pub/a b.iso', 123456789, 2000, null, null, null, null, null, null, 'ok', 'real ftp', null],
      [12, 2, 1, 'vsftpd', '2024-03-05T14:00:03Z', null, '4242', '198.51.100.7', null, 'data-channel', null, 'upload', null, null,
        null, 426, 4, 2, 10054, null, 'WSAECONNRESET', 'pending', 'Failure writing', 'ok-with-win32-error'],
    ];
    const put = old.prepare(`INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const r of rows) put.run(r);
    old.exec('CREATE INDEX events_ts ON events(ts)');
    old.close();

    const db = openForWrite(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare(`SELECT ${columns.join(', ')} FROM events ORDER BY id`).raw().all()).toEqual(rows);
    expect(db.prepare('SELECT format_code, kind_code, direction_code, outcome_code FROM events ORDER BY id').raw().all())
      .toEqual([[2, 1, null, 1], [0, 2, 1, 0], [1, 6, 0, 2]]);
    // The old table and its indexes are gone, and the indexes of INDEXES are there.
    expect(objects(db)).toEqual(CURRENT_OBJECTS);
    db.close();
  });
});

describe('migration 3', () => {
  it('replaces a schema-2 database\'s thin failure index with the one transfer-errors reads its rows from', () => {
    const path = join(tempDir(), 'v2.db');
    const old = databaseAt(path, 2);
    old.exec("CREATE INDEX events_fail_ts ON events(ts) WHERE outcome = 'fail'");
    insert(old, { kind_code: 2, outcome_code: 1, path: '/pub/a.iso', client_ip: '203.0.113.9', ts: '2024-03-05T14:00:00Z' });
    insert(old, { kind_code: 2, outcome_code: 0, path: '/pub/b.iso', ts: '2024-03-05T14:00:01Z' });
    old.close();

    const db = openForWrite(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_fail_ts'").pluck().get() as string;
    expect(sql).toContain('path, client_ip, username');
    expect(sql).toContain('WHERE outcome_code = 1');
    // Built from the rows already there: the failed transfer is found through it, the good one is not in it.
    const q = "SELECT path FROM event_rows INDEXED BY events_fail_ts WHERE outcome_code = 1 AND ts_unix >= 0 ORDER BY ts_unix";
    expect(db.prepare(q).pluck().all()).toEqual(['/pub/a.iso']);
    db.close();
  });
});

describe('migration 4', () => {
  it('moves a schema-3 database to the events table with the cheaper outcome CHECK, keeping every row and index', () => {
    const path = join(tempDir(), 'v3.db');
    const old = databaseAt(path, 3);
    // Every stored column filled on some row: a column the copy left out would read back as NULL.
    const a = insert(old, FAILED_UPLOAD);
    const b = insert(old, { kind_code: 1, outcome_code: 0, username: 'alice', reply_code: 230, ts: '2024-03-05T14:00:01Z' });
    const c = insert(old, { kind_code: 6, outcome_code: 2, direction_code: 0, winsock_name: 'WSAECONNRESET', ts: '2024-03-05T14:00:02Z' });
    const db = upgradeKeepingRows(old, path);
    expect(db.prepare('SELECT id FROM events ORDER BY id').pluck().all()).toEqual([a, b, c]);
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'event_rows'").pluck().get() as string;
    expect(sql).toContain('CHECK (outcome_code = 0 OR outcome_code = 1 OR outcome_code = 2)');
    expect(objects(db)).toEqual(CURRENT_OBJECTS);
    // The indexes are built from the copied rows, and the CHECK still refuses what names no outcome.
    expect(db.prepare("SELECT path FROM event_rows INDEXED BY events_fail_ts WHERE outcome_code = 1 AND ts_unix >= 0").pluck().all())
      .toEqual(['/pub/a b.iso']);
    for (const bad of [3, -1, 1.5]) expect(() => insert(db, { outcome_code: bad })).toThrow(/CHECK constraint/);
    db.close();
  });
});

describe('migration 5', () => {
  it('moves a schema-4 database into event_rows with times in seconds, the events view showing every row, id and column as before', () => {
    const path = join(tempDir(), 'v4.db');
    const old = databaseAt(path, 4);
    // Every stored column filled on some row, and times at both ends of what a parser can give.
    const ids = [
      insert(old, FAILED_UPLOAD),
      insert(old, { kind_code: 1, outcome_code: 0, username: 'alice', reply_code: 230, ts: '1969-12-31T23:59:59Z' }),
      insert(old, { kind_code: 6, outcome_code: 2, direction_code: 0, winsock_name: 'WSAECONNRESET', ts: '9999-12-31T23:59:59Z' }),
    ];
    const db = upgradeKeepingRows(old, path);
    expect(db.prepare('SELECT id, ts_unix FROM events ORDER BY id').raw().all())
      .toEqual([[ids[0], 1709647200], [ids[1], -1], [ids[2], 253402300799]]);
    expect(objects(db)).toEqual(CURRENT_OBJECTS);
    // The time indexes are keyed by the stored seconds and built from the copied rows.
    expect(db.prepare('SELECT id FROM event_rows INDEXED BY events_ts WHERE ts_unix >= 0 ORDER BY ts_unix').pluck().all())
      .toEqual([ids[0], ids[2]]);
    expect(db.prepare("SELECT username FROM event_rows INDEXED BY events_login_ok_ts WHERE kind_code = 1 AND outcome_code = 0 AND ts_unix < 0")
      .pluck().all()).toEqual(['alice']);
    // Rows are stored once, in event_rows; events is the view of them that queries read.
    expect(db.prepare("SELECT type FROM sqlite_master WHERE name = 'events'").pluck().get()).toBe('view');
    db.close();
  });
});

describe('opening an older database to read it', () => {
  it('upgrades it first, so reports find the columns they read', () => {
    const path = join(tempDir(), 'v4read.db');
    const old = databaseAt(path, 4);
    insert(old, { kind_code: 1, outcome_code: 1, client_ip: '203.0.113.9', ts: '2024-03-05T14:00:00Z' });
    old.close();

    const db = openForRead(path);
    expect(db.readonly).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT client_ip, ts, ts_unix FROM events WHERE outcome = 'fail'").raw().all())
      .toEqual([['203.0.113.9', '2024-03-05T14:00:00Z', 1709647200]]);
    db.close();
  });
});
