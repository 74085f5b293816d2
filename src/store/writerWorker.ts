import { parentPort, workerData } from 'node:worker_threads';
import { BatchApplier, SourceTakenError, type Batch } from './batch.js';
import { openForWrite } from './db.js';

/** The writer thread: applies batches from the ingest's main thread, in order, on its own connection. */
export type WriterReply = { ok: true } | { ok: false; taken: boolean; message: string };

const db = openForWrite((workerData as { dbPath: string }).dbPath);
const applier = new BatchApplier(db);

parentPort!.on('message', (batch: Batch | null) => {
  if (batch === null) {
    db.close();
    parentPort!.close();
    return;
  }
  let reply: WriterReply;
  try {
    applier.apply(batch);
    reply = { ok: true };
  } catch (err) {
    reply = { ok: false, taken: err instanceof SourceTakenError, message: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
