import type { TaggedEvent } from '../../src/codes/tag.js';
import { BatchBuilder, type StringTable } from '../../src/store/sqlite/batch.js';
import { ActivityAccumulator } from '../../src/store/sqlite/rollup.js';

/** A successful download, the event the store tests fill batches with. */
export const EVENT: TaggedEvent = {
  ts: '2024-03-05T14:00:00Z', server: null, session: null, clientIp: '192.0.2.1', username: 'u', kind: 'transfer',
  command: 'RETR', direction: 'download', path: '/a', bytes: 10, durationMs: 5, replyCode: 226, win32Status: null,
  substatus: null, outcome: 'ok', detail: null, flags: null, winsockName: null,
};

/**
 * A batch of `lines` EVENTs after line `fromLine`, 10 bytes each; one ingest's batches share one string table, as a
 * run's do. Their client and user totals go into `activity`, by default one that is never flushed (as in a run killed
 * before its flush: reports count those lines from events).
 */
export function batchOf(strings: StringTable, sourceId: number, fromLine: number, lines: number, activity = new ActivityAccumulator()) {
  const bytesPerLine = 10;
  const builder = new BatchBuilder(sourceId, { bytesRead: fromLine * bytesPerLine, linesRead: fromLine }, strings, activity);
  for (let l = fromLine + 1; l <= fromLine + lines; l++) builder.event(l, l * bytesPerLine, 'xferlog', EVENT);
  return builder.take('xferlog', []);
}
