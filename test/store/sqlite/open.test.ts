import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openForWrite, PAGE_SIZE } from '../../../src/store/sqlite/db.js';
import { APPLICATION_ID, SCHEMA, SCHEMA_VERSION } from '../../../src/store/sqlite/schema.js';
import { tempDir } from '../../helpers/tmp.js';

/**
 * Another connection (on a worker thread, so it runs while this thread waits) takes the write lock of
 * a new database file before it is in WAL mode, holds it for `ms`, then lets go.
 */
function holdWriteLock(path: string, ms: number): Promise<Worker> {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.module);
    const db = new Database(workerData.path);
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage('held');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, workerData.ms);
  `, { eval: true, workerData: { path, ms, module: createRequire(import.meta.url).resolve('better-sqlite3') } });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

describe('openForWrite', () => {
  it('waits for a connection that holds a new file, instead of failing at once on the switch to WAL', async () => {
    const path = join(tempDir(), 'busy.db');
    const worker = await holdWriteLock(path, 300);
    const started = Date.now();
    const db = openForWrite(path);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
    await worker.terminate();
  });

  it('makes a new database with PAGE_SIZE pages, and leaves an existing one its own page size', () => {
    const dir = tempDir();
    const fresh = openForWrite(join(dir, 'new.db'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    fresh.close();

    // An ftplog database made with 4 KiB pages (SQLite's default).
    const oldPath = join(dir, 'old.db');
    const made = new Database(oldPath);
    made.pragma('page_size = 4096');
    made.exec(SCHEMA);
    made.pragma(`application_id = ${APPLICATION_ID}`);
    made.pragma(`user_version = ${SCHEMA_VERSION}`);
    made.close();
    const old = openForWrite(oldPath);
    expect(old.pragma('page_size', { simple: true })).toBe(4096);
    expect(old.pragma('journal_mode', { simple: true })).toBe('wal');
    old.prepare('INSERT INTO event_rows (source_id, line_no, ts_unix, format_code, kind_code, outcome_code) VALUES (1, 1, 0, 0, 2, 0)').run();
    expect(old.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    old.close();
  });
});
