import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openForWrite } from '../../src/store/db.js';
import { IdleCheckpoints } from '../../src/store/idleCheckpoints.js';
import { tempDir } from '../helpers/tmp.js';

describe('IdleCheckpoints', () => {
  it('copies the WAL into the database file once enough batches were committed, without the writer', () => {
    const path = join(tempDir(), 'c.db');
    const parsing = openForWrite(path);
    const writer = openForWrite(path);
    writer.pragma('wal_autocheckpoint = 0');
    const insert = writer.prepare("INSERT INTO event_rows (source_id, line_no, ts_unix, path, format_code, kind_code, outcome_code) VALUES (1, ?, 1709647200, ?, 0, 2, 0)");
    const fileSize = () => statSync(path).size;
    const before = fileSize();

    const checkpoints = new IdleCheckpoints(parsing, 3);
    for (let batch = 0; batch < 3; batch++) {
      writer.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run(batch * 500 + i, `/pub/file-${batch}-${i}.iso`.padEnd(100, 'x'));
      })();
      checkpoints.idle();
      // Two batches are not enough: the rows stay in the WAL, the file keeps its size.
      if (batch < 2) expect(fileSize()).toBe(before);
      checkpoints.batchCommitted();
    }
    checkpoints.idle();
    // 1,500 rows of 100+ bytes: at least 150 kB more in the file, and all of it readable from it.
    expect(fileSize()).toBeGreaterThan(before + 150_000);
    expect(parsing.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1500);
    writer.close();
    parsing.close();
  });
});
