import type { Statement } from 'better-sqlite3';
import type { TaggedEvent } from '../codes/tag.js';
import type { Db } from './db.js';

/** Ingest times use the same second-precision form as event times, so the two compare as text. */
function nowIso(): string {
  return new Date().toISOString().slice(0, 19) + 'Z';
}

/** A row of `sources`, as the ingest sees it. */
export interface SourceRecord {
  id: number;
  path: string;
  format: string | null;
  gzip: boolean;
  size: number | null;
  headHash: string;
  headLen: number;
  bytesRead: number;
  linesRead: number;
  events: number;
  skipped: number;
  rejected: number;
  resumeLines: string[];
  complete: boolean;
}

interface SourceRow {
  id: number; path: string; format: string | null; gzip: number; size: number | null; head_hash: string; head_len: number;
  bytes_read: number; lines_read: number; events: number; skipped: number; rejected: number; resume_state: string | null;
  complete: number;
}

function toRecord(r: SourceRow): SourceRecord {
  return {
    id: r.id, path: r.path, format: r.format, gzip: r.gzip === 1, size: r.size, headHash: r.head_hash, headLen: r.head_len,
    bytesRead: r.bytes_read, linesRead: r.lines_read, events: r.events, skipped: r.skipped, rejected: r.rejected,
    resumeLines: r.resume_state ? (JSON.parse(r.resume_state) as string[]) : [], complete: r.complete === 1,
  };
}

export interface NewSource {
  path: string;
  gzip: boolean;
  size: number | null;
  mtime: string | null;
  headHash: string;
  headLen: number;
}

/** Finding, claiming and describing sources. Claims run in IMMEDIATE transactions so two ingests never both create one. */
export class SourceCatalog {
  constructor(private readonly db: Db) {}

  /** The newest source read from this path. */
  byPath(path: string): SourceRecord | undefined {
    const r = this.db.prepare('SELECT * FROM sources WHERE path = ? ORDER BY id DESC LIMIT 1').get(path) as SourceRow | undefined;
    return r && toRecord(r);
  }

  /** A source whose head is exactly these bytes, under whatever path (a file renamed by rotation, a copy). */
  byHead(headHash: string, headLen: number, gzip: boolean): SourceRecord | undefined {
    const r = this.db
      .prepare('SELECT * FROM sources WHERE head_hash = ? AND head_len = ? AND gzip = ? ORDER BY id DESC LIMIT 1')
      .get(headHash, headLen, gzip ? 1 : 0) as SourceRow | undefined;
    return r && toRecord(r);
  }

  /** Runs `fn` in an IMMEDIATE transaction: lookups and the insert it decides on happen atomically. */
  claim<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  create(s: NewSource): SourceRecord {
    const now = nowIso();
    const info = this.db
      .prepare(`INSERT INTO sources (path, gzip, size, mtime, head_hash, head_len, first_seen, last_read)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(s.path, s.gzip ? 1 : 0, s.size, s.mtime, s.headHash, s.headLen, now, now);
    return this.byId(Number(info.lastInsertRowid));
  }

  /** Records where a known source now lives and what its head now is (it grew, or was renamed). */
  touch(id: number, s: NewSource): void {
    this.db
      .prepare('UPDATE sources SET path = ?, size = ?, mtime = ?, head_hash = ?, head_len = ?, last_read = ? WHERE id = ?')
      .run(s.path, s.size, s.mtime, s.headHash, s.headLen, nowIso(), id);
  }

  byId(id: number): SourceRecord {
    return toRecord(this.db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow);
  }
}

/** Another ingest has moved this source's offset since this one started reading it. */
export class SourceTakenError extends Error {
  override name = 'SourceTakenError';
}

const EVENT_COLUMNS = ['source_id', 'line_no', 'format', 'ts', 'server', 'session', 'client_ip', 'username', 'kind', 'command',
  'direction', 'path', 'bytes', 'duration_ms', 'reply_code', 'reply_class', 'reply_group', 'win32_status', 'substatus',
  'winsock_name', 'outcome', 'detail', 'flags'];
const REJECT_COLUMNS = ['source_id', 'line_no', 'ts', 'reason', 'raw'];
/** Rows per INSERT statement: many rows per statement cut the per-statement overhead ~1.5×. */
const ROWS_PER_STATEMENT = 50;
export const RAW_LIMIT = 1024;

function multiInsert(db: Db, table: string, columns: string[], rows: number): Statement {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(one).join(', ')}`);
}

/** Prepared statements shared by every SourceWriter of one database connection. */
export class EventStatements {
  readonly eventsMany: Statement;
  readonly eventsOne: Statement;
  readonly rejectsMany: Statement;
  readonly rejectsOne: Statement;
  readonly offsetOf: Statement;
  readonly advance: Statement;

  constructor(readonly db: Db) {
    this.eventsMany = multiInsert(db, 'events', EVENT_COLUMNS, ROWS_PER_STATEMENT);
    this.eventsOne = multiInsert(db, 'events', EVENT_COLUMNS, 1);
    this.rejectsMany = multiInsert(db, 'rejects', REJECT_COLUMNS, ROWS_PER_STATEMENT);
    this.rejectsOne = multiInsert(db, 'rejects', REJECT_COLUMNS, 1);
    this.offsetOf = db.prepare('SELECT bytes_read FROM sources WHERE id = ?').pluck();
    this.advance = db.prepare(`UPDATE sources SET bytes_read = ?, lines_read = ?, events = events + ?, skipped = skipped + ?,
      rejected = rejected + ?, format = COALESCE(?, format), resume_state = ?, last_read = ? WHERE id = ?`);
  }
}

/**
 * Writes one source's rows in batches. A batch is one IMMEDIATE transaction, opened at its first
 * row and committed together with the source's new offset and parser state, so a run killed at any
 * point leaves offsets that match the rows stored and the next run resumes exactly there. Rows go
 * straight into multi-row INSERTs as they arrive, through reused parameter arrays.
 */
export class SourceWriter {
  private open = false;
  private readonly eventBuf: unknown[] = new Array(ROWS_PER_STATEMENT * EVENT_COLUMNS.length);
  private eventFill = 0;
  private readonly rejectBuf: unknown[] = new Array(ROWS_PER_STATEMENT * REJECT_COLUMNS.length);
  private rejectFill = 0;
  private pending = { events: 0, skipped: 0, rejected: 0 };
  private lineNo: number;
  private offset: number;
  private committedOffset: number;

  constructor(
    private readonly st: EventStatements,
    private readonly sourceId: number,
    start: { bytesRead: number; linesRead: number },
    private readonly batchLines = 1000,
  ) {
    this.lineNo = start.linesRead;
    this.offset = start.bytesRead;
    this.committedOffset = start.bytesRead;
  }

  event(lineNo: number, endOffset: number, format: string, e: TaggedEvent): void {
    if (!this.open) this.begin();
    const b = this.eventBuf;
    let i = this.eventFill;
    b[i++] = this.sourceId; b[i++] = lineNo; b[i++] = format; b[i++] = e.ts; b[i++] = e.server; b[i++] = e.session;
    b[i++] = e.clientIp; b[i++] = e.username; b[i++] = e.kind; b[i++] = e.command; b[i++] = e.direction; b[i++] = e.path;
    b[i++] = e.bytes; b[i++] = e.durationMs; b[i++] = e.replyCode; b[i++] = e.replyClass; b[i++] = e.replyGroup;
    b[i++] = e.win32Status; b[i++] = e.substatus; b[i++] = e.winsockName; b[i++] = e.outcome; b[i++] = e.detail; b[i++] = e.flags;
    this.eventFill = i;
    if (i === b.length) {
      this.st.eventsMany.run(b);
      this.eventFill = 0;
    }
    this.pending.events++;
    this.moveTo(lineNo, endOffset);
  }

  /** `ts`: the time of the last event before this line in its source, so rejects can be windowed too. */
  reject(lineNo: number, endOffset: number, ts: string | null, reason: string, raw: string): void {
    if (!this.open) this.begin();
    const b = this.rejectBuf;
    let i = this.rejectFill;
    b[i++] = this.sourceId; b[i++] = lineNo; b[i++] = ts; b[i++] = reason; b[i++] = raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) : raw;
    this.rejectFill = i;
    if (i === b.length) {
      this.st.rejectsMany.run(b);
      this.rejectFill = 0;
    }
    this.pending.rejected++;
    this.moveTo(lineNo, endOffset);
  }

  skip(lineNo: number, endOffset: number): void {
    this.pending.skipped++;
    this.moveTo(lineNo, endOffset);
  }

  /** Lines read but not yet committed, by what became of them. */
  get waiting(): { events: number; skipped: number; rejected: number } {
    return { ...this.pending };
  }

  /** True when enough lines are waiting that the caller should commit (with its current parser state). */
  get due(): boolean {
    return this.pending.events + this.pending.skipped + this.pending.rejected >= this.batchLines;
  }

  /** Commits the batch together with the source's new offset and the parser state to resume with. */
  commit(format: string | null, resumeLines: string[]): void {
    if (!this.open) this.begin();
    for (let i = 0; i < this.eventFill; i += EVENT_COLUMNS.length) this.st.eventsOne.run(this.eventBuf.slice(i, i + EVENT_COLUMNS.length));
    for (let i = 0; i < this.rejectFill; i += REJECT_COLUMNS.length) this.st.rejectsOne.run(this.rejectBuf.slice(i, i + REJECT_COLUMNS.length));
    this.st.advance.run(this.offset, this.lineNo, this.pending.events, this.pending.skipped, this.pending.rejected, format,
      resumeLines.length ? JSON.stringify(resumeLines) : null, nowIso(), this.sourceId);
    this.st.db.exec('COMMIT');
    this.open = false;
    this.committedOffset = this.offset;
    this.eventFill = 0;
    this.rejectFill = 0;
    this.pending = { events: 0, skipped: 0, rejected: 0 };
  }

  /** Drops an open batch (on an error the caller cannot recover from). */
  abort(): void {
    if (this.open) this.st.db.exec('ROLLBACK');
    this.open = false;
  }

  /**
   * Opens a batch. Throws SourceTakenError (holding no transaction) when another ingest has
   * advanced the source since this one last committed: that ingest owns the rest of it.
   */
  private begin(): void {
    this.st.db.exec('BEGIN IMMEDIATE');
    const stored = this.st.offsetOf.get(this.sourceId) as number;
    if (stored !== this.committedOffset) {
      this.st.db.exec('ROLLBACK');
      throw new SourceTakenError(`source ${this.sourceId} is being read by another ingest`);
    }
    this.open = true;
  }

  private moveTo(lineNo: number, endOffset: number): void {
    this.lineNo = lineNo;
    this.offset = endOffset;
  }
}

/** Marks a source read to its end (.gz, stdin) or stopped by an error, with the reason. */
export function finishSource(db: Db, id: number, fields: { complete?: boolean; error?: string | null }): void {
  db.prepare('UPDATE sources SET complete = MAX(complete, ?), error = ? WHERE id = ?').run(fields.complete ? 1 : 0, fields.error ?? null, id);
}
