import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StringTable } from '../../../src/store/sqlite/batch.js';
import { SourceCatalog } from '../../../src/store/sqlite/catalog.js';
import { openForWrite } from '../../../src/store/sqlite/db.js';
import { EVENT_COLUMNS } from '../../../src/store/sqlite/eventRows.js';
import { ActivityAccumulator } from '../../../src/store/sqlite/rollup.js';
import { SourceTakenError } from '../../../src/store/index.js';
import { WriterThread } from '../../../src/store/sqlite/writerThread.js';
import { batchOf } from '../../helpers/batches.js';
import { query, rollupMismatches, tempDir } from '../../helpers/tmp.js';

describe('WriterThread', () => {
  it('settles each batch it was sent in order, through the worker: committed, taken by another ingest, or failed', async () => {
    const path = join(tempDir(), 'w.db');
    const db = openForWrite(path);
    const catalog = new SourceCatalog(db);
    const mine = catalog.create({ path: '/m', gzip: false, size: 100, mtime: null, headHash: 'm', headLen: 1 });
    const theirs = catalog.create({ path: '/t', gzip: false, size: 100, mtime: null, headHash: 't', headLen: 1 });
    db.prepare('UPDATE sources SET bytes_read = 50 WHERE id = ?').run(theirs.id); // another ingest has read some of it
    const strings = new StringTable();
    const batch = (sourceId: number, from: number, lines: number) => batchOf(strings, sourceId, from, lines);
    const writer = new WriterThread(path);
    const bad = batch(mine.id, 5, 5);
    bad.cells[EVENT_COLUMNS.indexOf('ts_unix')] = NaN; // no time: the insert fails
    // Sent back to back, so the worker may take several in one transaction.
    const sent = [writer.send(batch(mine.id, 0, 5)), writer.send(batch(theirs.id, 0, 5))];
    const settled = await Promise.allSettled(sent);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(SourceTakenError);
    await expect(writer.send(bad)).rejects.toThrow(/NOT NULL/);
    await writer.send(batch(mine.id, 5, 5)); // the failed batch committed nothing: the source is still at line 5
    await writer.close();
    expect(query(path, 'SELECT path, lines_read, events FROM sources ORDER BY id')).toEqual([
      { path: '/m', lines_read: 10, events: 10 },
      { path: '/t', lines_read: 0, events: 0 },
    ]);
    db.close();
  });

  it('writes a flush of client and user totals after the batches sent before it', async () => {
    const path = join(tempDir(), 'w.db');
    const db = openForWrite(path);
    const source = new SourceCatalog(db).create({ path: '/m', gzip: false, size: 100, mtime: null, headHash: 'm', headLen: 1 });
    const strings = new StringTable();
    const activity = new ActivityAccumulator();
    const writer = new WriterThread(path);
    const sent = [writer.send(batchOf(strings, source.id, 0, 7, activity)), writer.send(batchOf(strings, source.id, 7, 5, activity))];
    sent.push(writer.flush(activity.take()!));
    await Promise.all(sent);
    await writer.close();
    expect(query(path, 'SELECT rolled_line, rolled_event_id FROM sources')).toEqual([{ rolled_line: 12, rolled_event_id: 12 }]);
    expect(query(path, 'SELECT client_ip, events FROM rollup_clients')).toEqual([{ client_ip: '192.0.2.1', events: 12 }]);
    expect(rollupMismatches(path)).toEqual([]);
    db.close();
  });
});
