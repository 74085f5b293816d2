import type { Statement } from 'better-sqlite3';
import type { TaggedEvent } from '../codes/tag.js';
import type { Db } from './db.js';

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
    const now = new Date().toISOString();
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
      .run(s.path, s.size, s.mtime, s.headHash, s.headLen, new Date().toISOString(), id);
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
const REJECT_COLUMNS = ['source_id', 'line_no', 'reason', 'raw'];
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
 * Collects one source's rows and commits them in batches. Each batch and the source's new offset
 * are one transaction, so a run killed at any point leaves offsets that match the rows stored, and
 * the next run resumes exactly there.
 */
export class SourceWriter {
  private eventValues: unknown[] = [];
  private eventRows = 0;
  private rejectValues: unknown[] = [];
  private rejectRows = 0;
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
    this.eventValues.push(this.sourceId, lineNo, format, e.ts, e.server, e.session, e.clientIp, e.username, e.kind, e.command,
      e.direction, e.path, e.bytes, e.durationMs, e.replyCode, e.replyClass, e.replyGroup, e.win32Status, e.substatus,
      e.winsockName, e.outcome, e.detail, e.flags);
    this.eventRows++;
    this.pending.events++;
    this.moveTo(lineNo, endOffset);
  }

  reject(lineNo: number, endOffset: number, reason: string, raw: string): void {
    this.rejectValues.push(this.sourceId, lineNo, reason, raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) : raw);
    this.rejectRows++;
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

  /**
   * Commits what is waiting together with the source's new offset and parser state. Throws
   * SourceTakenError (and commits nothing) when another ingest has advanced the source meanwhile.
   */
  commit(format: string | null, resumeLines: string[]): void {
    const { db } = this.st;
    db.transaction(() => {
      const stored = this.st.offsetOf.get(this.sourceId) as number;
      if (stored !== this.committedOffset) throw new SourceTakenError(`source ${this.sourceId} is being read by another ingest`);
      this.insert(this.eventValues, this.eventRows, EVENT_COLUMNS.length, this.st.eventsMany, this.st.eventsOne);
      this.insert(this.rejectValues, this.rejectRows, REJECT_COLUMNS.length, this.st.rejectsMany, this.st.rejectsOne);
      this.st.advance.run(this.offset, this.lineNo, this.pending.events, this.pending.skipped, this.pending.rejected, format,
        resumeLines.length ? JSON.stringify(resumeLines) : null, new Date().toISOString(), this.sourceId);
    }).immediate();
    this.committedOffset = this.offset;
    this.eventValues = [];
    this.eventRows = 0;
    this.rejectValues = [];
    this.rejectRows = 0;
    this.pending = { events: 0, skipped: 0, rejected: 0 };
  }

  private moveTo(lineNo: number, endOffset: number): void {
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  private insert(values: unknown[], rows: number, width: number, many: Statement, one: Statement): void {
    const chunk = ROWS_PER_STATEMENT * width;
    let i = 0;
    for (; i + chunk <= values.length; i += chunk) many.run(values.slice(i, i + chunk));
    for (; i < rows * width; i += width) one.run(values.slice(i, i + width));
  }
}

/** Marks a source read to its end (.gz, stdin) or stopped by an error, with the reason. */
export function finishSource(db: Db, id: number, fields: { complete?: boolean; error?: string | null }): void {
  db.prepare('UPDATE sources SET complete = MAX(complete, ?), error = ? WHERE id = ?').run(fields.complete ? 1 : 0, fields.error ?? null, id);
}
