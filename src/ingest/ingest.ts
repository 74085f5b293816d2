import { resolve } from 'node:path';
import type { FormatName } from '../formats/types.js';
import type { Db } from '../store/db.js';
import { writeReferenceTables } from '../store/reference.js';
import { BatchBuilder, StringTable } from '../store/batch.js';
import { finishSource, SourceCatalog, type NewSource, type SourceRecord } from '../store/catalog.js';
import { ActivityAccumulator, catchUpActivity } from '../store/rollup.js';
import { SourceTakenError, WriterThread } from '../store/writerThread.js';
import { LineSplitter } from './lines.js';
import { SourceParser, type LineOutcome } from './pipeline.js';
import { silentProgress, type Progress } from './progress.js';
import { describe, expandInputs, fingerprint, openAt, sha256, type Fingerprint, type OpenedSource } from './source.js';

export interface IngestOptions {
  format: 'auto' | FormatName;
  tz: string;
  year?: number;
  maxLineBytes: number;
  /** Lines per transaction. */
  batchLines?: number;
  /** Builds the progress display once the total size is known. */
  progress?: (totalBytes: number) => Progress;
  stdin?: AsyncIterable<Buffer>;
}

/**
 * `read`: lines were read; `unchanged`: nothing new since the last ingest; `taken`: another ingest
 * running at the same time is reading it; `failed`: it could not be read (or not to its end).
 */
export type SourceStatus = 'read' | 'unchanged' | 'taken' | 'failed';

export interface SourceSummary {
  path: string;
  sourceId: number | null;
  format: string | null;
  status: SourceStatus;
  /** Where this run started in the source (0 for a new one). */
  resumedAtLine: number;
  lines: number;
  events: number;
  skipped: number;
  rejected: number;
  error: string | null;
  /** IIS data lines read with the default field list (before any #Fields:). */
  defaultFieldLines?: number;
  /** Bytes of a last line without a newline in a recently written file, left for the next run. */
  unfinishedBytes?: number;
}

export interface IngestSummary {
  sources: number;
  lines: number;
  events: number;
  skipped: number;
  rejected: number;
  seconds: number;
  /** Events per format. */
  formats: Record<string, number>;
  /** Sources that could not be read, or not to the end. */
  failed: number;
  files: SourceSummary[];
}

/** Ingests files, directories and stdin into the database, each line exactly once across runs. */
export async function ingest(db: Db, paths: string[], options: IngestOptions): Promise<IngestSummary> {
  const started = process.hrtime.bigint();
  writeReferenceTables(db);
  // The writer thread opens the same file, so the database is always a file: never read it as a log.
  const dbFile = resolve(db.name);
  const inputs = await expandInputs(paths, new Set(['', '-wal', '-shm', '-journal'].map((suffix) => dbFile + suffix)));
  const progress = options.progress?.(inputs.reduce((sum, i) => sum + (i.kind === 'file' ? i.size : 0), 0)) ?? silentProgress;
  catchUpActivity(db);
  const writer = new WriterThread(db.name);
  const run = new Run(db, writer, options, progress);

  const files: SourceSummary[] = [];
  try {
    for (const input of inputs) {
      if (input.kind === 'missing') files.push(failed(input.path, input.message));
      else if (input.kind === 'stdin') files.push(await run.stdin());
      else {
        files.push(await run.file(input.path));
        run.finishedBytes += input.size;
      }
    }
    await run.finish();
  } finally {
    progress.done();
    await writer.close();
  }

  const summary: IngestSummary = {
    sources: files.length, lines: 0, events: 0, skipped: 0, rejected: 0, seconds: 0, formats: {}, failed: 0, files,
  };
  for (const f of files) {
    summary.lines += f.lines;
    summary.events += f.events;
    summary.skipped += f.skipped;
    summary.rejected += f.rejected;
    if (f.status === 'failed') summary.failed++;
    if (f.format && f.events) summary.formats[f.format] = (summary.formats[f.format] ?? 0) + f.events;
  }
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summary;
}

function failed(path: string, error: string): SourceSummary {
  return { path, sourceId: null, format: null, status: 'failed', resumedAtLine: 0, lines: 0, events: 0, skipped: 0, rejected: 0, error };
}

/** A file untouched this long is finished: a last line without a newline is read as it is. */
export const SETTLED_MS = 5 * 60_000;

/**
 * Batches sent to the writer thread and not yet committed, before reading pauses for it. Enough to
 * ride out either side's pauses (a checkpoint on the writer, a collection on the parser) without
 * the other waiting: 16 made a 1M-line ingest ~5% faster than 8; 32 another 2%, but peak memory
 * then grew with the input (5M lines: +15-30 MB).
 */
const MAX_IN_FLIGHT = 16;

/** State shared by the sources of one ingest run. */
class Run {
  private readonly catalog: SourceCatalog;
  /** Shared by every source of the run: the writer thread numbers strings in the order batches arrive. */
  private readonly strings = new StringTable();
  /** Client and user totals of every source of the run, flushed every FLUSH_LINES lines and at the end. */
  private readonly activity = new ActivityAccumulator();
  private readonly flushes: Array<Promise<void>> = [];
  finishedBytes = 0;
  private linesSoFar = 0;

  constructor(
    private readonly db: Db,
    private readonly writer: WriterThread,
    private readonly options: IngestOptions,
    private readonly progress: Progress,
  ) {
    this.catalog = new SourceCatalog(db);
  }

  async file(path: string): Promise<SourceSummary> {
    let fp: Fingerprint;
    try {
      fp = await fingerprint(path);
    } catch (err) {
      return failed(path, describe(err));
    }
    const fresh: NewSource = {
      path, gzip: fp.gzip, size: fp.size, mtime: fp.mtime.toISOString(),
      headHash: fp.gzip ? fp.wholeHash! : sha256(fp.head), headLen: fp.gzip ? fp.size : fp.head.length,
    };
    const source = this.catalog.claim(() => {
      const known = this.known(path, fp, fresh);
      if (!known) return this.catalog.create(fresh);
      this.catalog.touch(known.id, fresh);
      return this.catalog.byId(known.id);
    });
    const base = { path, sourceId: source.id, format: source.format, resumedAtLine: source.linesRead };
    if (fp.gzip ? source.complete : fp.size <= source.bytesRead) {
      return { ...base, status: 'unchanged', lines: 0, events: 0, skipped: 0, rejected: 0, error: null };
    }
    let opened: OpenedSource;
    try {
      opened = openAt(path, fp.gzip, source.bytesRead);
    } catch (err) {
      return { ...failed(path, describe(err)), sourceId: source.id };
    }
    // A plain file written to in the last few minutes may end in a line its server is still writing.
    const settled = fp.gzip || Date.now() - fp.mtime.getTime() >= SETTLED_MS;
    return this.read(source, opened, { referenceDate: fp.mtime, complete: fp.gzip, lastLineAtEnd: settled, lastLineOnError: fp.gzip });
  }

  /** Writes the client and user totals still held; resolves when every flush of the run is committed. */
  async finish(): Promise<void> {
    this.flushActivity();
    await Promise.all(this.flushes);
  }

  private flushActivity(): void {
    const rows = this.activity.take();
    if (rows === null) return;
    const done = this.writer.flush(rows);
    done.catch(() => {}); // observed in finish(); a failure also fails the batches committed with it
    this.flushes.push(done);
  }

  async stdin(): Promise<SourceSummary> {
    const source = this.catalog.claim(() =>
      this.catalog.create({ path: '-', gzip: false, size: null, mtime: null, headHash: 'stdin', headLen: -1 }),
    );
    let bytes = 0;
    const data = this.options.stdin ?? (process.stdin as AsyncIterable<Buffer>);
    const counted: OpenedSource = {
      data: (async function* () {
        for await (const chunk of data) {
          bytes += chunk.length;
          yield chunk;
        }
      })(),
      fileBytesRead: () => bytes,
    };
    const summary = await this.read(source, counted, { referenceDate: new Date(), complete: true, lastLineAtEnd: true, lastLineOnError: true });
    this.db.prepare('UPDATE sources SET size = ? WHERE id = ?').run(bytes, source.id);
    return summary;
  }

  /** A source already in the database holding the same bytes (by path first, then by head: a renamed file). */
  private known(path: string, fp: Fingerprint, fresh: NewSource): SourceRecord | undefined {
    const same = (s: SourceRecord | undefined): boolean => {
      if (!s) return false;
      if (s.gzip || fp.gzip) return s.gzip && fp.gzip && s.headHash === fp.wholeHash;
      return fp.size >= s.bytesRead && s.headLen <= fp.head.length && sha256(fp.head.subarray(0, s.headLen)) === s.headHash;
    };
    const byPath = this.catalog.byPath(path);
    if (same(byPath)) return byPath;
    const byHead = this.catalog.byHead(fresh.headHash, fresh.headLen, fresh.gzip);
    return same(byHead) ? byHead : undefined;
  }

  /**
   * Reads a source from its stored offset to the end; batches go to the writer thread while parsing
   * goes on. A last line without a newline is taken as it is at the end of a .gz, stdin or a file
   * untouched for SETTLED_MS, else left for the next run. A read error keeps what was committed; the
   * line it cut is taken only where the source cannot be re-read from the middle (.gz, stdin).
   */
  private async read(
    source: SourceRecord,
    opened: OpenedSource,
    how: { referenceDate: Date; complete: boolean; lastLineAtEnd: boolean; lastLineOnError: boolean },
  ): Promise<SourceSummary> {
    const o = this.options;
    const builder = new BatchBuilder(source.id, source, this.strings, this.activity, o.batchLines);
    const counts = { lines: 0, events: 0, skipped: 0, rejected: 0 };
    const sent: Array<{ done: Promise<void>; counts: { events: number; skipped: number; rejected: number } }> = [];
    let lastTs: string | null = null;
    const format = o.format !== 'auto' ? o.format : ((source.format as FormatName | null) ?? 'auto');
    const parser = new SourceParser(
      { format, tz: o.tz, year: o.year, referenceDate: how.referenceDate, maxLineBytes: o.maxLineBytes, resumeLines: source.resumeLines },
      (out: LineOutcome) => {
        const { line } = out;
        if (out.type === 'event') {
          builder.event(line.lineNo, line.endOffset, parser.detected!.name, out.event);
          lastTs = out.event.ts;
        } else if (out.type === 'reject') builder.reject(line.lineNo, line.endOffset, lastTs, out.reason, line.text);
        else builder.skip(line.lineNo, line.endOffset);
        if (builder.due) send();
      },
    );
    const take = () => builder.take(parser.detected?.name ?? null, parser.resumeLines());
    const send = () => {
      const batch = take();
      const done = this.writer.send(batch);
      done.catch(() => {}); // observed in settle(); this only keeps an early failure from counting as unhandled
      sent.push({ done, counts: batch.counts });
      if (this.activity.due) this.flushActivity();
    };
    /** Waits until at most `max` batches are uncommitted, counting what was committed. */
    const settle = async (max: number) => {
      while (sent.length > max) {
        const s = sent.shift()!;
        await s.done;
        counts.lines += s.counts.events + s.counts.skipped + s.counts.rejected;
        counts.events += s.counts.events;
        counts.skipped += s.counts.skipped;
        counts.rejected += s.counts.rejected;
      }
    };
    const splitter = new LineSplitter(o.maxLineBytes, (l) => parser.line(l), { offset: source.bytesRead, lineNo: source.linesRead });

    let error: string | null = null;
    let status: SourceStatus = 'read';
    let unfinished = 0;
    try {
      try {
        for await (const chunk of opened.data) {
          splitter.push(chunk);
          this.progress.update(this.finishedBytes + opened.fileBytesRead(), this.linesSoFar + parser.counts.lines, source.path);
          await settle(MAX_IN_FLIGHT);
        }
        if (how.lastLineAtEnd) splitter.end();
        else unfinished = splitter.endLeavingUnfinished();
      } catch (err) {
        if (err instanceof SourceTakenError) throw err;
        error = describe(err);
        if (how.lastLineOnError) splitter.end();
      }
      parser.end();
      send();
      await settle(0);
      finishSource(this.db, source.id, { complete: how.complete, error });
    } catch (err) {
      await Promise.allSettled(sent.map((s) => s.done));
      if (!(err instanceof SourceTakenError)) throw err;
      // The lines parsed since the last batch are in the run's totals: their span tells the next flush so.
      take();
      status = 'taken';
    }
    if (error !== null) status = 'failed';
    this.linesSoFar += counts.lines;
    const defaults = parser.formatCounters().iisDefaultFieldLines;
    return {
      path: source.path, sourceId: source.id, format: parser.detected?.name ?? source.format, status,
      resumedAtLine: source.linesRead, ...counts, error, ...(defaults ? { defaultFieldLines: defaults } : {}),
      ...(unfinished ? { unfinishedBytes: unfinished } : {}),
    };
  }
}
