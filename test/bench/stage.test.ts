import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/store/sqlite/db.js';
import { ROOT } from '../helpers/cli.js';
import { query, tempDir } from '../helpers/tmp.js';

/** Runs one stage of the benchmark as `npm run bench` does; returns the JSON line it prints. */
function stage(...args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench/stage.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('bench stage: insert ceiling', () => {
  // 1,013 is not a multiple of the 20 rows a statement: the rest used to be dropped while still counted.
  it('stores every row it counts', () => {
    const db = join(tempDir(), 'ceiling.db');
    const result = stage('ceiling', join(ROOT, 'fixtures/xferlog/xferlog'), db, '1013');
    expect(result.lines).toBe(1013);
    expect(query(db, 'SELECT count(*) AS n, count(DISTINCT line_no) AS lines, min(line_no) AS first, max(line_no) AS last FROM event_rows'))
      .toEqual([{ n: 1013, lines: 1013, first: 0, last: 1012 }]);
  });

  it('inserts into pages of the size ingest makes, so the two are compared like for like', () => {
    const db = join(tempDir(), 'ceiling.db');
    stage('ceiling', join(ROOT, 'fixtures/xferlog/xferlog'), db, '100');
    expect(query(db, 'PRAGMA page_size')).toEqual([{ page_size: PAGE_SIZE }]);
    // A bare table: no index kept up while it loads.
    expect(query(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'event_rows'")).toEqual([]);
  });

  it('stores text as text, as ingest does, though it binds it as bytes', () => {
    const db = join(tempDir(), 'ceiling.db');
    stage('ceiling', join(ROOT, 'fixtures/xferlog/xferlog'), db, '100');
    expect(query(db, `SELECT DISTINCT typeof(client_ip) AS ip, typeof(path) AS path FROM event_rows`)).toEqual([{ ip: 'text', path: 'text' }]);
  });
});
