import { basename } from 'node:path';
import { headKind } from './content.js';
import { maskSecrets } from './secrets.js';
import type { FormatName, SourceFormatName } from '../event.js';
import {
  SourceTakenError, type ContentMark, type IngestSession, type LineCounts, type NewSource, type SourceClaims, type SourceEnd, type SourceRecord, type Store,
} from '../store/index.js';
import { LineSplitter, utf16Order, Utf16LineSplitter } from './lines.js';
import { SourceParser, type LineOutcome } from './pipeline.js';
import { silentProgress, type Progress } from './progress.js';
import { ContentTail } from './mark.js';
import {
  describe, expandInputs, holdsMark, MARK_BYTES, openFile, readFrom, sha256, type Fingerprint, type Input, type OpenedSource, type OpenFile,
} from './source.js';

export interface IngestOptions {
  format: 'auto' | SourceFormatName;
  tz: string;
  year?: number;
  maxLineBytes: number;
  /** Lines of a source stored together with its new position (the store's default when absent). */
  linesPerCommit?: number;
  /** The server of every event whose log names none (xferlog, vsftpd files), kept with the source for later runs. */
  server?: string;
  /** Shell patterns on the names of files found below a directory: only these are read, and never those. */
  include?: string[];
  exclude?: string[];
  /** Builds the progress display once the total size is known. */
  progress?: (totalBytes: number) => Progress;
  stdin?: AsyncIterable<Buffer>;
}

/**
 * `read`: lines were read; `unchanged`: nothing new since the last ingest; `taken`: another ingest
 * running at the same time is reading it; `failed`: it could not be read (or not to its end).
 */
export type SourceStatus = 'read' | 'unchanged' | 'taken' | 'failed' | 'not-a-log';

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
  /** FileZilla 0.9 lines whose date reads both day-first and month-first: read the way that puts them nearest before the file's time. */
  ambiguousDates?: number;
  /** This run's events by their own format: a `syslog` source holds several servers' lines. */
  formats?: Partial<Record<FormatName, number>>;
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
  /** Files below the directories given that --include/--exclude left out. */
  filteredOut: number;
  files: SourceSummary[];
}

/** Ingests files, directories and stdin into the store, each line exactly once across runs. */
export async function ingest(store: Store, paths: string[], options: IngestOptions): Promise<IngestSummary> {
  const started = process.hrtime.bigint();
  const { inputs, filteredOut } = await expandInputs(paths, new Set(store.ownFiles), { include: options.include ?? [], exclude: options.exclude ?? [] });
  const progress = options.progress?.(inputs.reduce((sum, i) => sum + (i.kind === 'file' ? i.size : 0), 0)) ?? silentProgress;
  const session = await store.startIngest({ linesPerCommit: options.linesPerCommit });
  const run = new Run(session, options, progress);

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
    await session.close();
  }
  const files = await Promise.all(pending);

  const summary: IngestSummary = {
    sources: files.length, lines: 0, events: 0, skipped: 0, rejected: 0, seconds: 0, formats: {}, failed: 0, filteredOut, files,
  };
  for (const f of files) {
    summary.lines += f.lines;
    summary.events += f.events;
    summary.skipped += f.skipped;
    summary.rejected += f.rejected;
    if (f.status === 'failed') summary.failed++;
    for (const [format, n] of Object.entries(f.formats ?? {})) summary.formats[format] = (summary.formats[format] ?? 0) + n;
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
/** A file of a claimed group: open until its read starts (which closes it), or why it could not be opened. */
type Opened = { path: string; size: number; file: OpenFile | null; error: string | null };
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

/**
 * A source being read: its summary is known once its last batch is committed (wrapped, so that
 * awaiting the reading does not wait for that).
 */
interface Reading {
  summary: Promise<SourceSummary>;
}

/**
 * The known source a file's content continues, by path first, then by head (a file renamed or
 * compressed by rotation, a copy): its head must be the source's head, and the file no shorter than
 * what was read of it. A .gz whose compressed bytes were read to their end before is that source as it is.
 * Whether the file also holds the source's mark is for the caller to check (it takes reading).
 */
function candidate(sources: SourceClaims, path: string, fp: Fingerprint): { source: SourceRecord; whole: boolean } | null {
  if (fp.gzip) {
    const read = sources.byGzHash(fp.wholeHash!);
    if (read) return { source: read, whole: true };
  }
  const continues = (s: SourceRecord | undefined): s is SourceRecord =>
    s !== undefined && s.headLen <= fp.head.length && sha256(fp.head.subarray(0, s.headLen)) === s.headHash
    && (fp.gzip || fp.size >= s.bytesRead);
  const byPath = sources.byPath(path);
  if (continues(byPath)) return { source: byPath, whole: false };
  // A source smaller than a head when last seen has a shorter head: try the file's head cut at each line end too.
  for (const len of headLengths(fp.head)) {
    const byHead = sources.byHead(sha256(fp.head.subarray(0, len)), len);
    if (continues(byHead)) return { source: byHead, whole: false };
  }
  return null;
}

/** The head's whole length, then the length up to each of its line ends, longest first. */
function headLengths(head: Buffer): number[] {
  const lengths = [head.length];
  for (let nl = head.lastIndexOf(10, head.length - 2); nl >= 0; nl = nl > 0 ? head.lastIndexOf(10, nl - 1) : -1) lengths.push(nl + 1);
  return lengths;
}

/** What reading a file showed about its candidate source: whether it holds the source's mark as it was then. */
interface MarkCheck {
  sourceId: number;
  mark: ContentMark;
  held: boolean;
}

const sameMark = (a: ContentMark, b: ContentMark) => a.offset === b.offset && a.hash === b.hash;

type Claim = { id: number } | { refused: string } | { later: true };

/**
 * Within a claim: the file's source, found (and updated to where the file now is) or created. A file
 * with a known source's head but not its mark is a source of its own. When the candidate is no longer
 * the one checked (another ingest read it on meanwhile), the file is left for the next run. When it
 * is a source another file of the same claim (`here`: source ids and their paths) was given, the file
 * is claimed again once that one is read and has its mark: two files with one head may still differ.
 */
function claimFile(sources: SourceClaims, path: string, fp: Fingerprint, check: MarkCheck | null, here: Map<number, string>, server: string | undefined): Claim {
  const fresh: NewSource = { path, gzip: fp.gzip, size: fp.size, mtime: fp.mtime.toISOString(), headHash: sha256(fp.head), headLen: fp.head.length, server };
  const found = candidate(sources, path, fp);
  const claim = (id: number) => {
    here.set(id, path);
    return { id };
  };
  if (found === null) return claim(sources.create(fresh).id);
  const { source, whole } = found;
  if (here.has(source.id) && here.get(source.id) !== path) return { later: true };
  if (!whole && source.mark !== null) {
    if (check === null || check.sourceId !== source.id || !sameMark(check.mark, source.mark)) {
      return { refused: 'another ingest is reading this source; the next run goes on with it' };
    }
    if (!check.held) return claim(sources.create(fresh).id);
  }
  sources.touch(source.id, fresh);
  return claim(source.id);
}

/** State shared by the sources of one ingest run. */
class Run {
  private finishedBytes = 0;
  private linesSoFar = 0;

  constructor(
    private readonly session: IngestSession,
    private readonly options: IngestOptions,
    private readonly progress: Progress,
  ) {}

  /**
   * Opens and claims a group of files at once, then reads them one after another without waiting
   * for the writer in between. Returns each file's summary, known once its batches are committed.
   */
  async files(inputs: FileInput[]): Promise<Array<Promise<SourceSummary>>> {
    const opened: Opened[] = [];
    // Files left out before any claim, by their place among the inputs.
    const left = new Map<number, SourceSummary>();
    for (const [i, { path, size }] of inputs.entries()) {
      try {
        const file = await openFile(path);
        const kind = headKind(file.fp.head);
        if (kind.kind === 'text') {
          opened.push({ path, size, file, error: null });
          continue;
        }
        await file.handle.close();
        if (kind.kind === 'unreadable') opened.push({ path, size, file: null, error: kind.message });
        else left.set(i, { ...failed(path, kind.reason), status: 'not-a-log' });
      } catch (err) {
        opened.push({ path, size, file: null, error: describe(err) });
      }
    }
    try {
      const read = await this.claimAndRead(opened);
      return inputs.map((_, i) => (left.has(i) ? Promise.resolve(left.get(i)!) : read.shift()!));
    } finally {
      await Promise.all(opened.map((o) => o.file?.handle.close()));
    }
  }

  /** Claims opened files at once and reads them in order; a file whose read closes it is taken out of `opened`. */
  private async claimAndRead(opened: Opened[]): Promise<Array<Promise<SourceSummary>>> {
    // Which known source each file continues, and whether it holds that source's mark (reading, outside the claim).
    const found = await this.session.claim((sources) => opened.map((o) => (o.file ? candidate(sources, o.path, o.file.fp) : null)));
    const checks: Array<MarkCheck | null> = [];
    for (let i = 0; i < opened.length; i++) {
      const f = found[i];
      const mark = f && !f.whole ? f.source.mark : null;
      checks.push(mark ? { sourceId: f!.source.id, mark, held: await holdsMark(opened[i]!.file!, mark) } : null);
    }
    const here = new Map<number, string>();
    const claimed = await this.session.claim((sources) =>
      opened.map((o, i): Claim => (o.file ? claimFile(sources, o.path, o.file.fp, checks[i] ?? null, here, this.options.server) : { refused: o.error! })));
    const summaries: Array<Promise<SourceSummary>> = [];
    const later: number[] = [];
    for (let i = 0; i < opened.length; i++) {
      const { path, size, file } = opened[i]!;
      const claim = claimed[i]!;
      if ('later' in claim) {
        later.push(i);
        continue;
      }
      // A file that could not be opened is refused with the reason.
      if ('refused' in claim) {
        summaries[i] = Promise.resolve(failed(path, claim.refused));
        continue;
      }
      // Where the source stands now: another ingest may have read it on (or to its end) since the claim.
      const source = await this.session.current(claim.id);
      opened[i]!.file = null; // from here on, the read closes it
      summaries[i] = (await this.file(path, file!, source)).summary;
      this.finishedBytes += size;
    }
    if (later.length > 0) {
      // The same entries as in `opened`: a read they start takes their file out of it too.
      const read = await this.claimAndRead(later.map((i) => opened[i]!));
      later.forEach((i, k) => (summaries[i] = read[k]!));
    }
    return summaries;
  }

  /** Reads a claimed file from where its source stands. */
  private async file(path: string, file: OpenFile, source: SourceRecord): Promise<Reading> {
    const { fp } = file;
    if (fp.gzip ? source.complete && source.gzHash === fp.wholeHash : fp.size <= source.bytesRead) {
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
    const lead = Math.min(source.bytesRead, MARK_BYTES);
    return this.read(source, readFrom(file, source.bytesRead, lead), {
      // A file can be read again: the line a damaged .gz cut is left for a complete copy to finish.
      referenceDate: fp.mtime, complete: fp.gzip, lastLineAtEnd: settled, lastLineOnError: false, lead,
      gzHash: fp.wholeHash, utf16: utf16Order(fp.head),
    });
  }

  /** Writes what is still held; resolves when everything sent is stored. */
  finish(): Promise<void> {
    return this.session.finish();
  }

  async stdin(): Promise<Reading> {
    const source = await this.session.claim((sources) =>
      sources.create({ path: '-', gzip: false, size: null, mtime: null, headHash: 'stdin', headLen: -1, server: this.options.server }),
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
      shrank: async () => false,
      close: () => {},
    };
    return this.read(source, counted, {
      referenceDate: new Date(), complete: true, lastLineAtEnd: true, lastLineOnError: true, size: () => bytes, lead: 0, gzHash: null, utf16: null,
    });
  }

  /**
   * Reads a source from its stored offset to the end; batches go to the writer thread while parsing
   * goes on, and the next source's reading starts without waiting for them. A last line without a
   * newline is taken as it is at the end of a .gz, stdin or a file untouched for SETTLED_MS, else
   * left for the next run (and so is one in a file that shrank under the reader: copytruncate cut
   * it). A read error keeps what was committed; the line it cut is taken only where the source
   * cannot be read again (stdin). The source's mark is taken where its lines end. Resolves, once
   * every batch is committed, to the source's summary.
   */
  private async read(
    source: SourceRecord,
    opened: OpenedSource,
    how: {
      referenceDate: Date; complete: boolean; lastLineAtEnd: boolean; lastLineOnError: boolean; size?: () => number;
      /** Bytes before the source's offset that the data starts with, for the mark only. */
      lead: number;
      gzHash: string | null;
      /** A UTF-16 source's byte order (by its byte order mark); null for UTF-8 and ASCII. */
      utf16: 'le' | 'be' | null;
    },
  ): Promise<Reading> {
    const o = this.options;
    const tail = new ContentTail(source.bytesRead - how.lead, o.maxLineBytes);
    let lead = how.lead;
    const writer = this.session.writer(source);
    const sent: Array<Promise<LineCounts>> = [];
    let lastTs: string | null = null;
    const format = o.format !== 'auto' ? o.format : ((source.format as SourceFormatName | null) ?? 'auto');
    const label = o.server ?? source.server;
    const parser = new SourceParser(
      {
        format, tz: o.tz, year: o.year, referenceDate: how.referenceDate, maxLineBytes: o.maxLineBytes, resumeLines: source.resumeLines,
        sourceName: source.path === '-' ? undefined : basename(source.path),
      },
      (out: LineOutcome) => {
        const { line } = out;
        if (out.type === 'event') {
          if (label !== null && out.event.server === null) out.event.server = label;
          writer.event(line.lineNo, line.endOffset, out.format, out.event);
          lastTs = out.event.ts;
        } else if (out.type === 'reject') writer.reject(line.lineNo, line.endOffset, lastTs, maskSecrets(out.reason), maskSecrets(line.text));
        else writer.skip(line.lineNo, line.endOffset);
        if (writer.due) commit();
      },
    );
    const commit = (end: SourceEnd | null = null) => {
      const done = writer.commit(parser.detected?.name ?? null, parser.resumeLines(), end);
      done.catch(() => {}); // observed below; this only keeps an early failure from counting as unhandled
      sent.push(done);
    };
    const start = { offset: source.bytesRead, lineNo: source.linesRead };
    const splitter = how.utf16
      ? new Utf16LineSplitter(o.maxLineBytes, (l) => parser.line(l), start, how.utf16 === 'be')
      : new LineSplitter(o.maxLineBytes, (l) => parser.line(l), start);

    let error: string | null = null;
    let unfinished = 0;
    const chunks = opened.data[Symbol.asyncIterator]();
    try {
      for (;;) {
        // Only reading (and splitting) fails the source; a failure to write throws out of the run.
        try {
          const next = await chunks.next();
          if (next.done) {
            if (how.lastLineAtEnd && !(await opened.shrank(tail.end))) splitter.end();
            else unfinished = splitter.endLeavingUnfinished();
            break;
          }
          let chunk: Buffer = next.value;
          tail.push(chunk);
          if (lead > 0) {
            const skip = Math.min(lead, chunk.length);
            chunk = chunk.subarray(skip);
            lead -= skip;
          }
          if (chunk.length > 0) splitter.push(chunk);
        } catch (err) {
          error = describe(err);
          if (how.lastLineOnError) splitter.end();
          break;
        }
        this.progress.update(this.finishedBytes + opened.fileBytesRead(), this.linesSoFar + parser.counts.lines, source.path);
        await this.session.room();
        if (writer.taken) break;
      }
    } finally {
      opened.close();
    }
    if (writer.taken) writer.abandon(parser.detected?.name ?? null);
    else {
      parser.end();
      const whole = how.complete && error === null;
      commit({ complete: whole, error, size: how.size?.() ?? null, mark: tail.markAt(splitter.position), gzHash: whole ? how.gzHash : null });
    }
    this.linesSoFar += parser.counts.lines;
    const { iisDefaultFieldLines: defaults, ambiguousDates } = parser.formatCounters();
    const summary = Promise.allSettled(sent).then((results) => {
      const counts = { lines: 0, events: 0, skipped: 0, rejected: 0 };
      let taken = false;
      results.forEach((r) => {
        if (r.status === 'rejected') taken ||= r.reason instanceof SourceTakenError;
        else {
          const c = r.value;
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
        ...(ambiguousDates ? { ambiguousDates } : {}),
        ...(taken || counts.events === 0 ? {} : { formats: parser.eventsByFormat }),
        ...(unfinished ? { unfinishedBytes: unfinished } : {}),
      };
    });
    return { summary };
  }
}
