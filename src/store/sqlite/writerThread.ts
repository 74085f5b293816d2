import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SourceTakenError } from '../errors.js';
import type { Batch, Work } from './batch.js';
import type { ActivityRows } from './rollup.js';
import type { WriterReply } from './writerWorker.js';

/**
 * The main thread's side of the writer thread: parsing goes on here while SQLite inserts there,
 * so the two stages overlap on two cores. Work is applied in the order sent; `send` resolves
 * when its batch is committed and rejects with SourceTakenError when another ingest owns the source;
 * `flush` resolves when its activity totals are.
 */
export class WriterThread {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(dbPath: string) {
    // A small young generation: the worker's garbage is one batch at a time, and RSS must stay flat.
    this.worker = new Worker(workerScript(), { workerData: { dbPath }, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    this.exited = once(this.worker, 'exit').then(() => undefined);
    this.worker.on('message', (reply: WriterReply) => {
      if (reply.ok) {
        for (const result of reply.results) {
          const next = this.waiting.shift()!;
          if (result === 'ok') next.resolve();
          else next.reject(new SourceTakenError('the source is being read by another ingest'));
        }
      } else {
        for (const next of this.waiting.splice(0, reply.pieces)) next.reject(new Error(reply.message));
      }
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    });
  }

  send(batch: Batch): Promise<void> {
    return this.post(batch, [batch.cells.buffer]);
  }

  flush(rows: ActivityRows): Promise<void> {
    return this.post({ kind: 'activity', rows }, []);
  }

  private post(work: Work, transfer: ArrayBuffer[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.worker.postMessage(work, transfer);
    return done;
  }

  async close(): Promise<void> {
    if (!this.failure) this.worker.postMessage(null);
    await this.exited;
  }
}

function workerScript(): URL {
  const sibling = new URL('./writerWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  // Loaded from the TypeScript sources (the test runner): a worker needs JavaScript, so use the build.
  return new URL('../../../dist/store/sqlite/writerWorker.js', import.meta.url);
}
