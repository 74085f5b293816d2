import type { FormatName, SourceFormatName, TaggedEvent } from '../../event.js';
import { SourceTakenError } from '../errors.js';
import type { IngestSession, IngestSessionOptions, LineCounts, SourceClaims, SourceEnd, SourceRecord, SourceWriter } from '../index.js';
import { BatchBuilder, StringTable } from './batch.js';
import { SourceCatalog } from './catalog.js';
import type { Db } from './db.js';
import { writeReferenceTables } from './reference.js';
import { ActivityAccumulator, catchUpActivity } from './rollup.js';
import { WriterThread } from './writerThread.js';

/**
 * Batches sent to the writer thread and not yet committed, before reading pauses for it. Enough to
 * ride out either side's pauses (a checkpoint on the writer, a collection on the parser) without
 * the other waiting: 16 made a 1M-line ingest ~5% faster than 8; 32 another 2%, but peak memory
 * then grew with the input (5M lines: +15-30 MB).
 */
const MAX_IN_FLIGHT = 16;

/** A batch on its way to the writer thread. */
interface InFlight {
  done: Promise<unknown>;
  writer: BatchWriter;
}

/**
 * One ingest run into a SQLite file: parsing goes on in the caller's thread while a writer thread
 * inserts, so the two overlap on two cores. A claim takes the database's write lock, which the
 * writer thread holds while it has batches to commit, so claiming waits until every batch sent is in.
 */
export class SqliteIngestSession implements IngestSession {
  private readonly catalog: SourceCatalog;
  /** Shared by every source of the run: the writer thread numbers strings in the order batches arrive. */
  private readonly strings = new StringTable();
  /** Client and user totals of every source of the run, flushed every FLUSH_LINES lines and at the end. */
  private readonly activity = new ActivityAccumulator();
  private readonly flushes: Array<Promise<void>> = [];
  /** Batches of every source, oldest first. */
  private readonly inFlight: InFlight[] = [];
  /** Sources written so far in this run: one met again (the same file named twice, a copy) goes on from where the first read left it, once that is committed. */
  private readonly written = new Set<number>();

  private constructor(db: Db, private readonly writerThread: WriterThread, private readonly batchLines: number | undefined) {
    this.catalog = new SourceCatalog(db);
  }

  static start(db: Db, options: IngestSessionOptions): SqliteIngestSession {
    writeReferenceTables(db);
    catchUpActivity(db);
    return new SqliteIngestSession(db, new WriterThread(db.name), options.linesPerCommit);
  }

  async claim<T>(fn: (sources: SourceClaims) => T): Promise<T> {
    await this.settle(0);
    await Promise.all(this.flushes);
    return this.catalog.claim(() => fn(this.catalog));
  }

  async current(id: number): Promise<SourceRecord> {
    if (this.written.has(id)) await this.settle(0);
    return this.catalog.byId(id);
  }

  writer(source: SourceRecord): SourceWriter {
    this.written.add(source.id);
    const builder = new BatchBuilder(source.id, source, this.strings, this.activity, this.batchLines);
    return new BatchWriter(builder, (batch, writer) => {
      const done = this.writerThread.send(batch);
      done.catch(() => {}); // observed in settle(); this only keeps an early failure from counting as unhandled
      this.inFlight.push({ done, writer });
      if (this.activity.due) this.flushActivity();
      return done.then(() => batch.counts);
    });
  }

  room(): Promise<void> {
    return this.settle(MAX_IN_FLIGHT);
  }

  /** Writes the client and user totals still held; resolves when everything sent is committed. */
  async finish(): Promise<void> {
    await this.settle(0);
    this.flushActivity();
    await Promise.all(this.flushes);
  }

  close(): Promise<void> {
    return this.writerThread.close();
  }

  private flushActivity(): void {
    const rows = this.activity.take();
    if (rows === null) return;
    const done = this.writerThread.flush(rows);
    done.catch(() => {}); // observed in finish(); a failure also fails the batches committed with it
    this.flushes.push(done);
  }

  /** Waits until at most `max` batches are uncommitted. A refused batch marks its source taken; any other failure throws. */
  private async settle(max: number): Promise<void> {
    while (this.inFlight.length > max) {
      const s = this.inFlight.shift()!;
      try {
        await s.done;
      } catch (err) {
        if (!(err instanceof SourceTakenError)) throw err;
        s.writer.taken = true;
      }
    }
  }
}

type Send = (batch: ReturnType<BatchBuilder['take']>, writer: BatchWriter) => Promise<LineCounts>;

class BatchWriter implements SourceWriter {
  taken = false;

  constructor(private readonly builder: BatchBuilder, private readonly send: Send) {}

  event(lineNo: number, endOffset: number, format: FormatName, e: TaggedEvent): void {
    this.builder.event(lineNo, endOffset, format, e);
  }

  reject(lineNo: number, endOffset: number, ts: string | null, reason: string, raw: string): void {
    this.builder.reject(lineNo, endOffset, ts, reason, raw);
  }

  skip(lineNo: number, endOffset: number): void {
    this.builder.skip(lineNo, endOffset);
  }

  get due(): boolean {
    return this.builder.due;
  }

  commit(format: SourceFormatName | null, resumeLines: string[], end: SourceEnd | null = null): Promise<LineCounts> {
    return this.send(this.builder.take(format, resumeLines, end), this);
  }

  abandon(format: SourceFormatName | null): void {
    // The lines' client and user totals are in the run's totals: taking the batch tells the next flush which lines they were.
    this.builder.take(format, []);
  }
}
