import type { FormatName, SourceFormatName, TaggedEvent } from '../event.js';

/**
 * THE store interface: everything ingest and reports know of where events are kept. Ingest claims
 * sources, writes each source's lines with the position it has reached, and finishes; reports run
 * read-only queries. Nothing here names a storage engine: the SQLite store (src/store/sqlite/) is
 * one implementation, and another engine plugs in behind the same operations.
 */

/** A source as the store keeps it: where it was read, what identifies its content, how far it was read. */
export interface SourceRecord {
  id: number;
  path: string;
  format: string | null;
  gzip: boolean;
  size: number | null;
  headHash: string;
  headLen: number;
  /** Content that ends where the read part ended (or did once), to tell files with the same head apart. */
  mark: ContentMark | null;
  /** sha256 of the compressed file, once a .gz was read to its end: the same file again is unchanged. */
  gzHash: string | null;
  bytesRead: number;
  linesRead: number;
  events: number;
  skipped: number;
  rejected: number;
  /** Lines that, fed first to a fresh parser, restore its header state (resuming mid-file). */
  resumeLines: string[];
  /** Read to its end for good (.gz, stdin): nothing more will come. */
  complete: boolean;
  /** The server label its events take where their log names none (ingest --server), kept for later runs. */
  server: string | null;
}

/** `len` bytes of a source's content, ending at `offset`, hash to `hash` (sha256). */
export interface ContentMark {
  offset: number;
  len: number;
  hash: string;
}

/** What identifies a source being claimed: its path and its content's fingerprint. */
export interface NewSource {
  path: string;
  gzip: boolean;
  size: number | null;
  mtime: string | null;
  headHash: string;
  headLen: number;
  /** A server label to keep with the source (a later claim without one keeps it). */
  server?: string | null;
}

/**
 * How a source's last batch ended: read to its end for good, what stopped it, its size when that is
 * known only now (stdin), where the content read ends (its mark), and for a .gz read to its end, the
 * compressed file's hash.
 */
export interface SourceEnd {
  complete: boolean;
  error: string | null;
  size: number | null;
  mark: ContentMark | null;
  gzHash: string | null;
}

export interface LineCounts {
  events: number;
  skipped: number;
  rejected: number;
}

/** Lookups and changes made inside a claim: together they happen atomically, so two ingests never both create one source. */
export interface SourceClaims {
  /** The newest source read from this path. */
  byPath(path: string): SourceRecord | undefined;
  /** A source whose head is exactly these bytes, under whatever path (a file renamed by rotation, compressed, a copy). */
  byHead(headHash: string, headLen: number): SourceRecord | undefined;
  /** The source a .gz of exactly these compressed bytes was read to its end into. */
  byGzHash(gzHash: string): SourceRecord | undefined;
  create(s: NewSource): SourceRecord;
  /** Records where a known source now lives and what its head now is (it grew, or was renamed). */
  touch(id: number, s: NewSource): void;
}

/** Where one source's lines go, in order. */
export interface SourceWriter {
  event(lineNo: number, endOffset: number, format: FormatName, e: TaggedEvent): void;
  /** `ts`: the time of the last event before this line in its source, so rejects can be windowed too. */
  reject(lineNo: number, endOffset: number, ts: string | null, reason: string, raw: string): void;
  skip(lineNo: number, endOffset: number): void;
  /** True when enough lines wait for a commit. */
  readonly due: boolean;
  /**
   * Sends the lines written since the last commit, with the parser state to resume from after them
   * (and, with the source's last lines, how it ended). Resolves to their counts once they are stored
   * together with the source's new position; rejects with SourceTakenError when another ingest owns
   * the source.
   */
  commit(format: SourceFormatName | null, resumeLines: string[], end?: SourceEnd | null): Promise<LineCounts>;
  /** Leaves the lines written since the last commit unstored: the source was taken by another ingest. */
  abandon(format: SourceFormatName | null): void;
  /** A commit of this source was refused: another ingest owns the rest of it, so stop reading. */
  readonly taken: boolean;
}

/** One ingest run: its sources' writers share what the store keeps per run. */
export interface IngestSession {
  /** Runs `fn` atomically against the stored sources, once earlier commits have been made. */
  claim<T>(fn: (sources: SourceClaims) => T): Promise<T>;
  /** Where a claimed source stands now (another ingest may have read it on since the claim; so may this run). */
  current(id: number): Promise<SourceRecord>;
  /** Starts writing a source's lines from where `source` stands. */
  writer(source: SourceRecord): SourceWriter;
  /** Resolves when the store can take more lines: reading waits on it, so memory stays bounded. */
  room(): Promise<void>;
  /** Resolves when everything sent is stored. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

export interface ResultSet {
  columns: string[];
  rows: unknown[][];
}

/** Rows as they come from the store, for output of any size: read once, in order. */
export interface RowStream {
  columns: string[];
  rows: Iterable<unknown[]> | AsyncIterable<unknown[]>;
}

/** The SQL a store speaks: a report carries a text for each store it runs on. */
export type Dialect = 'sqlite' | 'clickhouse';

/** A store opened for reports and ad hoc queries: it can change nothing. */
export interface QueryStore {
  readonly dialect: Dialect;
  /** Runs one statement that returns rows, binding the named parameters (`:name`) it uses. */
  select(sql: string, params?: Record<string, unknown>): Promise<ResultSet>;
  /** As select, with the rows read as they are consumed (errors while reading are QueryErrors too). */
  stream(sql: string, params?: Record<string, unknown>): Promise<RowStream>;
  close(): Promise<void>;
}

export interface IngestSessionOptions {
  /** Lines of a source stored together with its new position (the store's default when absent). */
  linesPerCommit?: number;
}

/** What a prune deleted (or, dry, would delete): events, rejects, and rollup rows of whole hours and days. */
export interface PruneCounts {
  events: number;
  rejects: number;
  hourly: number;
  clients: number;
  users: number;
}

/** A source forgotten (or, dry, to be): its events and rejects. */
export interface ForgetResult {
  sourceId: number;
  path: string;
  format: string | null;
  events: number;
  rejects: number;
}

/** A store opened for ingest, and for the changes retention and re-reading make. */
export interface Store {
  readonly dialect: Dialect;
  /** Files that make up the store itself: never to be read as logs. */
  readonly ownFiles: readonly string[];
  startIngest(options?: IngestSessionOptions): Promise<IngestSession>;
  /** Deletes what lies before `before` (UTC, `2024-03-05T00:00:00Z`); read positions stay. `vacuum` gives the space back. */
  prune(before: string, options: { dryRun: boolean; vacuum: boolean }): Promise<PruneCounts>;
  /** Removes the sources read from `path` (or the one with that id) with all they added, so the next ingest reads them again. */
  forget(source: string | number, options: { dryRun: boolean }): Promise<ForgetResult[]>;
  close(): Promise<void>;
}

export { QueryError, SourceTakenError, StoreError } from './errors.js';
export { checkStoreName, isClickHouse, openQueryStore, openStore, storeLabel, type StoreOptions } from './open.js';
