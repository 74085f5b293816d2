import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchApplier, BatchBuilder, SourceTakenError, StringTable } from '../../src/store/batch.js';
import { SourceCatalog } from '../../src/store/catalog.js';
import { openForWrite } from '../../src/store/db.js';
import { query, tempDir } from '../helpers/tmp.js';

const EVENT = {
  ts: '2024-03-05T14:00:00Z', server: null, session: null, clientIp: '192.0.2.1', username: 'u', kind: 'transfer' as const,
  command: 'RETR', direction: 'download' as const, path: '/a', bytes: 10, durationMs: 5, replyCode: 226, win32Status: null,
  substatus: null, outcome: 'ok' as const, detail: null, flags: null, replyClass: 2, replyGroup: 2, winsockName: null,
};

function setup() {
  const path = join(tempDir(), 'b.db');
  const a = openForWrite(path);
  const b = openForWrite(path);
  const source = new SourceCatalog(a).create({ path: '/x', gzip: false, size: 100, mtime: null, headHash: 'h', headLen: 1 });
  return { path, a, b, source };
}

/** One ingest's batches: one string table for all of them, as a run has. */
function batchOf(strings: StringTable, sourceId: number, fromLine: number, lines: number, bytesPerLine = 10) {
  const builder = new BatchBuilder(sourceId, { bytesRead: fromLine * bytesPerLine, linesRead: fromLine }, strings);
  for (let l = fromLine + 1; l <= fromLine + lines; l++) builder.event(l, l * bytesPerLine, 'xferlog', EVENT);
  return builder.take('xferlog', []);
}

describe('BatchApplier', () => {
  it('commits rows and the new offset together', () => {
    const { path, a, source } = setup();
    const strings = new StringTable();
    const applier = new BatchApplier(a);
    applier.apply(batchOf(strings, source.id, 0, 60));
    applier.apply(batchOf(strings, source.id, 60, 60));
    expect(query(path, 'SELECT bytes_read, lines_read, events, last_event_id FROM sources')).toEqual([
      { bytes_read: 1200, lines_read: 120, events: 120, last_event_id: 120 },
    ]);
    expect(query(path, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 120 }]);
    // Text sent as string-table numbers comes back as the text.
    expect(query(path, `SELECT DISTINCT format, username, kind, command, direction, outcome FROM events`)).toEqual([
      { format: 'xferlog', username: 'u', kind: 'transfer', command: 'RETR', direction: 'download', outcome: 'ok' },
    ]);
  });

  it('keeps the string table in step when a batch is refused', () => {
    const { path, a, b, source } = setup();
    const mineStrings = new StringTable();
    const theirsStrings = new StringTable();
    const mine = new BatchApplier(a);
    new BatchApplier(b).apply(batchOf(theirsStrings, source.id, 0, 10));
    expect(() => mine.apply(batchOf(mineStrings, source.id, 0, 10))).toThrow(SourceTakenError); // carried the first strings
    const other = new SourceCatalog(a).create({ path: '/y', gzip: false, size: 100, mtime: null, headHash: 'h2', headLen: 1 });
    mine.apply(batchOf(mineStrings, other.id, 0, 5)); // no new strings: all numbers from the refused batch
    expect(query(path, `SELECT DISTINCT kind, username FROM events WHERE source_id = ${other.id}`)).toEqual([{ kind: 'transfer', username: 'u' }]);
  });

  it('refuses a batch whose source moved on, and every later batch of that source, even when offsets line up again', () => {
    const { path, a, b, source } = setup();
    const mine = new BatchApplier(a);
    const theirs = new BatchApplier(b);
    const mineStrings = new StringTable();
    const theirsStrings = new StringTable();
    theirs.apply(batchOf(theirsStrings, source.id, 0, 10)); // another ingest got there first
    expect(() => mine.apply(batchOf(mineStrings, source.id, 0, 10))).toThrow(SourceTakenError);
    // Our next batch starts exactly where theirs ended: without the memory of the first refusal it would commit.
    expect(() => mine.apply(batchOf(mineStrings, source.id, 10, 10))).toThrow(SourceTakenError);
    theirs.apply(batchOf(theirsStrings, source.id, 10, 10));
    expect(query(path, 'SELECT lines_read, events FROM sources')).toEqual([{ lines_read: 20, events: 20 }]);
    expect(query(path, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 20 }]);
  });
});
