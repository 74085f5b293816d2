import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { BatchApplier, type Batch, type BatchResult } from './batch.js';
import { openForWrite } from './db.js';

/**
 * The writer thread: applies batches from the ingest's main thread, in order, on its own connection.
 * It answers each message with one reply per batch it took: the batches that were waiting by then
 * go in the same transaction (the main thread keeps at most MAX_IN_FLIGHT in flight, see ingest.ts).
 */
export type WriterReply = { ok: true; results: BatchResult[] } | { ok: false; batches: number; message: string };

const port = parentPort!;
const db = openForWrite((workerData as { dbPath: string }).dbPath);
const applier = new BatchApplier(db);

port.on('message', (first: Batch | null) => {
  const batches: Batch[] = [];
  let closing = first === null;
  if (first !== null) batches.push(first);
  for (let next; !closing && (next = receiveMessageOnPort(port)); ) {
    const batch = next.message as Batch | null;
    if (batch === null) closing = true;
    else batches.push(batch);
  }
  if (batches.length > 0) {
    let reply: WriterReply;
    try {
      reply = { ok: true, results: applier.apply(batches) };
    } catch (err) {
      reply = { ok: false, batches: batches.length, message: (err as Error).message };
    }
    port.postMessage(reply);
  }
  if (closing) {
    db.close();
    port.close();
  }
});
