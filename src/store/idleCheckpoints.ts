import type { Db } from './db.js';

/**
 * Who copies the WAL into the database file during an ingest. By default SQLite has the committing
 * connection do it every 1,000 pages, inside its commit: on the writer thread, the busier of the
 * two, that is a sixth of its time (the copy and two fsyncs). Instead the parsing thread checkpoints
 * when it is about to wait for the writer anyway, and the writer checkpoints only as a backstop,
 * when the WAL reaches WRITER_AUTOCHECKPOINT_PAGES: when the parsing thread never has to wait, and
 * because a WAL starts again from its beginning only after a checkpoint by its writer.
 */
export const WRITER_AUTOCHECKPOINT_PAGES = 10_000;
/**
 * 25 batches of 1,000 events are about 1,000 WAL pages, SQLite's own interval: checkpointing more
 * often adds fsyncs, which a busy disk makes slow.
 */
const BATCHES_PER_CHECKPOINT = 25;

export class IdleCheckpoints {
  private committed = 0;

  constructor(private readonly db: Db, private readonly every = BATCHES_PER_CHECKPOINT) {}

  batchCommitted(): void {
    this.committed++;
  }

  /** The parsing thread is about to wait for the writer: copies the WAL into the database if enough was committed since last time. */
  idle(): void {
    if (this.committed < this.every) return;
    // PASSIVE never waits for, nor blocks, the writer: it copies what was committed when it began.
    this.db.pragma('wal_checkpoint(PASSIVE)');
    this.committed = 0;
  }
}
