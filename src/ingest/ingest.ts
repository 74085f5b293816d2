import { resolve } from 'node:path';
import type { FormatName } from '../formats/types.js';
import type { Db } from '../store/db.js';
import { writeReferenceTables } from '../store/reference.js';
import { BatchBuilder, StringTable, type SourceEnd } from '../store/batch.js';
import { SourceCatalog, type NewSource, type SourceRecord } from '../store/catalog.js';
import { ActivityAccumulator, catchUpActivity } from '../store/rollup.js';
import { SourceTakenError, WriterThread } from '../store/writerThread.js';
import { LineSplitter } from './lines.js';
import { SourceParser, type LineOutcome } from './pipeline.js';
import { silentProgress, type Progress } from './progress.js';
import { describe, expandInputs, openFile, readFrom, sha256, type Fingerprint, type Input, type OpenedSource, type OpenFile } from './source.js';

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

  // Summaries in input order; a file's is known once its last batch is committed.
  const pending: Array<Promise<SourceSummary>> = [];
  try {
    for (const group of claimGroups(inputs)) {
      if (group.kind === 'missing') pending.push(Promise.resolve(failed(group.path, group.message)));
      else if (group.kind === 'stdin') pending.push((await run.stdin()).summary);
      else pending.push(...(await run.files(group.files)));
    }
    await run.finish();
  } finally {
    progress.done();
    await writer.close();
  }
  const files = await Promise.all(pending);

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

/**
 * Files claimed in one go: at most this many, of at most CLAIM_BYTES together (a bigger file is
 * claimed alone). A claim takes the database's write lock, which the writer thread holds while it
 * has batches to commit, so claiming waits until every batch sent is in, and both threads idle
 * around it. Claiming a group at once makes that wait once a group instead of once a file: 100
 * files of 10k xferlog lines took 2.64 s with a wait per file, 2.30 s in groups, and 2.05 s as one
 * file. Each file stays open from its claim to its read, so the file read is the one fingerprinted
 * even if it is rotated meanwhile.
 */
const CLAIM_FILES = 64;
const CLAIM_BYTES = 64 << 20;

type FileInput = Extract<Input, { kind: 'file' }>;
type ClaimGroup = { kind: 'files'; files: FileInput[] } | Exclude<Input, FileInput>;

/** The inputs in order, consecutive files gathered into groups to claim at once. */
function claimGroups(inputs: Input[]): ClaimGroup[] {
  const groups: ClaimGroup[] = [];
  let group: FileInput[] = [];
  let bytes = 0;
  const close = () => {
    if (group.length > 0) groups.push({ kind: 'files', files: group });
    group = [];
    bytes = 0;
  };
  for (const input of inputs) {
    if (input.kind !== 'file') {
      close();
      groups.push(input);
      continue;
    }
    if (group.length === CLAIM_FILES || bytes + input.size > CLAIM_BYTES) close();
    group.push(input);
    bytes += input.size;
  }
  close();
  return groups;
}

interface ReadProgress {
  /** Another ingest took the source: its later batches are refused, so reading it stops. */
  taken: boolean;
}

/**
 * A source being read: its summary is known once its last batch is committed (wrapped, so that
 * awaiting the reading does not wait for that).
 */
interface Reading {
  summary: Promise<SourceSummary>;
}

/** A batch on its way to the writer thread. */
interface InFlight {
  done: Promise<void>;
  counts: { events: number; skipped: number; rejected: number };
  progress: ReadProgress;
}

/** State shared by the sources of one ingest run. */
class Run {
  private readonly catalog: SourceCatalog;
  /** Shared by every source of the run: the writer thread numbers strings in the order batches arrive. */
  private readonly strings = new StringTable();
  /** Client and user totals of every source of the run, flushed every FLUSH_LINES lines and at the end. */
  private readonly activity = new ActivityAccumulator();
  private readonly flushes: Array<Promise<void>> = [];
  /** Batches of every source, oldest first. */
  private readonly inFlight: InFlight[] = [];
  /** Sources read so far in this run: one met again (the same file named twice, a copy) goes on from where the first read left it, once that is committed. */
  private readonly readSources = new Set<number>();
  private finishedBytes = 0;
  private linesSoFar = 0;

  constructor(
    db: Db,
    private readonly writer: WriterThread,
    private readonly options: IngestOptions,
    private readonly progress: Progress,
  ) {
    this.catalog = new SourceCatalog(db);
  }

  /**
   * Opens and claims a group of files at once, then reads them one after another without waiting
   * for the writer in between. Returns each file's summary, known once its batches are committed.
   */
  async files(inputs: FileInput[]): Promise<Array<Promise<SourceSummary>>> {
    const opened: Array<{ path: string; size: number; file: OpenFile | null; error: string | null }> = [];
    for (const { path, size } of inputs) {
      try {
        opened.push({ path, size, file: await openFile(path), error: null });
      } catch (err) {
        opened.push({ path, size, file: null, error: describe(err) });
      }
    }
    const summaries: Array<Promise<SourceSummary>> = [];
    try {
      const claimed = await this.claim(() => opened.map((o) => (o.file ? this.claimFile(o.path, o.file.fp) : null)));
      for (let i = 0; i < opened.length; i++) {
        const { path, size, file, error } = opened[i]!;
        const id = claimed[i] ?? null;
        if (!file || id === null) {
          summaries.push(Promise.resolve(failed(path, error!)));
          continue;
        }
        if (this.readSources.has(id)) await this.settle(0);
        // Where the source stands now: another ingest may have read it on (or to its end) since the claim.
        const source = this.catalog.byId(id);
        opened[i]!.file = null; // from here on, the read closes it
        summaries.push((await this.file(path, file, source)).summary);
        this.finishedBytes += size;
      }
    } finally {
      await Promise.all(opened.map((o) => o.file?.handle.close()));
    }
    return summaries;
  }

  /** Writes the client and user totals still held; resolves when everything sent is committed. */
  async finish(): Promise<void> {
    await this.settle(0);
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

  /** Runs `fn` in an IMMEDIATE transaction on this thread's connection, once the writer thread has let go of the write lock. */
  private async claim<T>(fn: () => T): Promise<T> {
    await this.settle(0);
    await Promise.all(this.flushes);
    return this.catalog.claim(fn);
  }

  /** Within a claim: the id of the file's source, found (and updated to where the file now is) or created. */
  private claimFile(path: string, fp: Fingerprint): number {
    const fresh: NewSource = {
      path, gzip: fp.gzip, size: fp.size, mtime: fp.mtime.toISOString(),
      headHash: fp.gzip ? fp.wholeHash! : sha256(fp.head), headLen: fp.gzip ? fp.size : fp.head.length,
    };
    const known = this.known(path, fp, fresh);
    if (!known) return this.catalog.create(fresh).id;
    this.catalog.touch(known.id, fresh);
    return known.id;
  }

  /** Waits until at most `max` batches are uncommitted. A refused batch marks its source taken; any other failure throws. */
  private async settle(max: number): Promise<void> {
    while (this.inFlight.length > max) {
      const s = this.inFlight.shift()!;
      try {
        await s.done;
      } catch (err) {
        if (!(err instanceof SourceTakenError)) throw err;
        s.progress.taken = true;
      }
    }
  }

  /** Reads a claimed file from where its source stands. */
  private async file(path: string, file: OpenFile, source: SourceRecord): Promise<Reading> {
    const { fp } = file;
    if (fp.gzip ? source.complete : fp.size <= source.bytesRead) {
      await file.handle.close();
      return {
        summary: Promise.resolve({
          path, sourceId: source.id, format: source.format, status: 'unchanged', resumedAtLine: source.linesRead,
          lines: 0, events: 0, skipped: 0, rejected: 0, error: null,
        }),
      };
    }
    // A plain file written to in the last few minutes may end in a line its server is still writing.
    const settled = fp.gzip || Date.now() - fp.mtime.getTime() >= SETTLED_MS;
    return this.read(source, readFrom(file, source.bytesRead), {
      referenceDate: fp.mtime, complete: fp.gzip, lastLineAtEnd: settled, lastLineOnError: fp.gzip,
    });
  }

  async stdin(): Promise<Reading> {
    const source = await this.claim(() =>
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
      close: () => {},
    };
    return this.read(source, counted, {
      referenceDate: new Date(), complete: true, lastLineAtEnd: true, lastLineOnError: true, size: () => bytes,
    });
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
   * goes on, and the next source's reading starts without waiting for them. A last line without a
   * newline is taken as it is at the end of a .gz, stdin or a file untouched for SETTLED_MS, else
   * left for the next run. A read error keeps what was committed; the line it cut is taken only
   * where the source cannot be re-read from the middle (.gz, stdin). Resolves, once every batch is
   * committed, to the source's summary.
   */
  private async read(
    source: SourceRecord,
    opened: OpenedSource,
    how: { referenceDate: Date; complete: boolean; lastLineAtEnd: boolean; lastLineOnError: boolean; size?: () => number },
  ): Promise<Reading> {
    this.readSources.add(source.id);
    const o = this.options;
    const builder = new BatchBuilder(source.id, source, this.strings, this.activity, o.batchLines);
    const progress: ReadProgress = { taken: false };
    const sent: InFlight[] = [];
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
    const take = (end: SourceEnd | null = null) => builder.take(parser.detected?.name ?? null, parser.resumeLines(), end);
    const send = (end: SourceEnd | null = null) => {
      const batch = take(end);
      const done = this.writer.send(batch);
      done.catch(() => {}); // observed in settle(); this only keeps an early failure from counting as unhandled
      const flight = { done, counts: batch.counts, progress };
      sent.push(flight);
      this.inFlight.push(flight);
      if (this.activity.due) this.flushActivity();
    };
    const splitter = new LineSplitter(o.maxLineBytes, (l) => parser.line(l), { offset: source.bytesRead, lineNo: source.linesRead });

    let error: string | null = null;
    let unfinished = 0;
    const chunks = opened.data[Symbol.asyncIterator]();
    try {
      for (;;) {
        // Only reading (and splitting) fails the source; a failure to write throws out of the run.
        try {
          const next = await chunks.next();
          if (next.done) {
            if (how.lastLineAtEnd) splitter.end();
            else unfinished = splitter.endLeavingUnfinished();
            break;
          }
          splitter.push(next.value);
        } catch (err) {
          error = describe(err);
          if (how.lastLineOnError) splitter.end();
          break;
        }
        this.progress.update(this.finishedBytes + opened.fileBytesRead(), this.linesSoFar + parser.counts.lines, source.path);
        await this.settle(MAX_IN_FLIGHT);
        if (progress.taken) break;
      }
    } finally {
      opened.close();
    }
    // Taken: stop here. The lines parsed since the last batch are in the run's totals; their span tells the next flush so.
    if (progress.taken) take();
    else {
      parser.end();
      send({ complete: how.complete, error, size: how.size?.() ?? null });
    }
    this.linesSoFar += parser.counts.lines;
    const defaults = parser.formatCounters().iisDefaultFieldLines;
    const summary = Promise.allSettled(sent.map((s) => s.done)).then((results) => {
      const counts = { lines: 0, events: 0, skipped: 0, rejected: 0 };
      let taken = false;
      results.forEach((r, i) => {
        if (r.status === 'rejected') taken ||= r.reason instanceof SourceTakenError;
        else {
          const c = sent[i]!.counts;
          counts.lines += c.events + c.skipped + c.rejected;
          counts.events += c.events;
          counts.skipped += c.skipped;
          counts.rejected += c.rejected;
        }
      });
      const status: SourceStatus = taken ? 'taken' : error !== null ? 'failed' : 'read';
      return {
        path: source.path, sourceId: source.id, format: parser.detected?.name ?? source.format, status,
        resumedAtLine: source.linesRead, ...counts, error, ...(defaults ? { defaultFieldLines: defaults } : {}),
        ...(unfinished ? { unfinishedBytes: unfinished } : {}),
      };
    });
    return { summary };
  }
}
