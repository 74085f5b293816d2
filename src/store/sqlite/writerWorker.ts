import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { BatchApplier, type Work, type WorkResult } from './batch.js';
import { closeForWrite, openForWrite } from './db.js';

/**
 * The writer thread: applies work (batches, activity flushes) from the ingest's main thread, in
 * order, on its own connection. It answers each message with one result per piece of work it took:
 * the work waiting by then goes in the same transaction (the main thread keeps at most
 * MAX_IN_FLIGHT batches in flight, see ingest.ts).
 */
export type WriterReply = { ok: true; results: WorkResult[] } | { ok: false; pieces: number; message: string };

const port = parentPort!;
const db = openForWrite((workerData as { dbPath: string }).dbPath);
const applier = new BatchApplier(db);

port.on('message', (first: Work | null) => {
  const work: Work[] = [];
  let closing = first === null;
  if (first !== null) work.push(first);
  for (let next; !closing && (next = receiveMessageOnPort(port)); ) {
    const w = next.message as Work | null;
    if (w === null) closing = true;
    else work.push(w);
  }
  if (work.length > 0) {
    let reply: WriterReply;
    try {
      reply = { ok: true, results: applier.apply(work) };
    } catch (err) {
      reply = { ok: false, pieces: work.length, message: (err as Error).message };
    }
    port.postMessage(reply);
  }
  if (closing) {
    closeForWrite(db);
    port.close();
  }
});
