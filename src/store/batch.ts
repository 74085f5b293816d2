import type { Statement } from 'better-sqlite3';
import type { TaggedEvent } from '../codes/tag.js';
import type { Db } from './db.js';

const EVENT_COLUMNS = ['source_id', 'line_no', 'format', 'ts', 'server', 'session', 'client_ip', 'username', 'kind', 'command',
  'direction', 'path', 'bytes', 'duration_ms', 'reply_code', 'reply_class', 'reply_group', 'win32_status', 'substatus',
  'winsock_name', 'outcome', 'detail', 'flags'];
const REJECT_COLUMNS = ['source_id', 'line_no', 'ts', 'reason', 'raw'];
/** Rows per INSERT statement: many rows per statement cut the per-statement overhead ~1.5×. */
const ROWS_PER_STATEMENT = 50;
export const RAW_LIMIT = 1024;

/**
 * One source's rows for one transaction, with where the source stands after them. Plain data, so
 * it can cross to the writer thread.
 */
export interface Batch {
  sourceId: number;
  /** The source's offset this batch continues from: if the database says otherwise, another ingest got there first. */
  fromOffset: number;
  /** Event rows, EVENT_COLUMNS.length values each. */
  events: unknown[];
  /** Reject rows, REJECT_COLUMNS.length values each. */
  rejects: unknown[];
  offset: number;
  lineNo: number;
  counts: { events: number; skipped: number; rejected: number };
  format: string | null;
  resumeState: string | null;
}

/** Another ingest has moved this source's offset since this one started reading it. */
export class SourceTakenError extends Error {
  override name = 'SourceTakenError';
}

/** Collects one source's rows into batches (no database access: that is the applier's job). */
export class BatchBuilder {
  private events: unknown[] = [];
  private rejects: unknown[] = [];
  private counts = { events: 0, skipped: 0, rejected: 0 };
  private lineNo: number;
  private offset: number;
  private fromOffset: number;

  constructor(
    private readonly sourceId: number,
    start: { bytesRead: number; linesRead: number },
    private readonly batchLines = 1000,
  ) {
    this.lineNo = start.linesRead;
    this.offset = start.bytesRead;
    this.fromOffset = start.bytesRead;
  }

  event(lineNo: number, endOffset: number, format: string, e: TaggedEvent): void {
    this.events.push(this.sourceId, lineNo, format, e.ts, e.server, e.session, e.clientIp, e.username, e.kind, e.command,
      e.direction, e.path, e.bytes, e.durationMs, e.replyCode, e.replyClass, e.replyGroup, e.win32Status, e.substatus,
      e.winsockName, e.outcome, e.detail, e.flags);
    this.counts.events++;
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  /** `ts`: the time of the last event before this line in its source, so rejects can be windowed too. */
  reject(lineNo: number, endOffset: number, ts: string | null, reason: string, raw: string): void {
    this.rejects.push(this.sourceId, lineNo, ts, reason, raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) : raw);
    this.counts.rejected++;
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  skip(lineNo: number, endOffset: number): void {
    this.counts.skipped++;
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  /** True when enough lines are waiting for a batch. */
  get due(): boolean {
    return this.counts.events + this.counts.skipped + this.counts.rejected >= this.batchLines;
  }

  /** Hands over what is waiting, with the parser state to resume from after it, and starts a new batch. */
  take(format: string | null, resumeLines: string[]): Batch {
    const batch: Batch = {
      sourceId: this.sourceId, fromOffset: this.fromOffset, events: this.events, rejects: this.rejects, offset: this.offset,
      lineNo: this.lineNo, counts: this.counts, format, resumeState: resumeLines.length ? JSON.stringify(resumeLines) : null,
    };
    this.fromOffset = this.offset;
    this.events = [];
    this.rejects = [];
    this.counts = { events: 0, skipped: 0, rejected: 0 };
    return batch;
  }
}

function multiInsert(db: Db, table: string, columns: string[], rows: number): Statement {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(one).join(', ')}`);
}

/**
 * Writes batches. Each is one IMMEDIATE transaction holding its rows and the source's new offset
 * and parser state, so a run killed at any point leaves offsets that match the rows stored and the
 * next run resumes exactly there. Prepared 50-row INSERTs with positional parameters.
 */
export class BatchApplier {
  private readonly eventsMany: Statement;
  private readonly eventsOne: Statement;
  private readonly rejectsMany: Statement;
  private readonly rejectsOne: Statement;
  private readonly offsetOf: Statement;
  private readonly advance: Statement;
  private readonly eventParams: unknown[] = new Array(ROWS_PER_STATEMENT * EVENT_COLUMNS.length);
  private readonly rejectParams: unknown[] = new Array(ROWS_PER_STATEMENT * REJECT_COLUMNS.length);

  constructor(private readonly db: Db) {
    this.eventsMany = multiInsert(db, 'events', EVENT_COLUMNS, ROWS_PER_STATEMENT);
    this.eventsOne = multiInsert(db, 'events', EVENT_COLUMNS, 1);
    this.rejectsMany = multiInsert(db, 'rejects', REJECT_COLUMNS, ROWS_PER_STATEMENT);
    this.rejectsOne = multiInsert(db, 'rejects', REJECT_COLUMNS, 1);
    this.offsetOf = db.prepare('SELECT bytes_read FROM sources WHERE id = ?').pluck();
    this.advance = db.prepare(`UPDATE sources SET bytes_read = ?, lines_read = ?, events = events + ?, skipped = skipped + ?,
      rejected = rejected + ?, format = COALESCE(?, format), resume_state = ?, last_read = ? WHERE id = ?`);
  }

  /** Commits a batch; throws SourceTakenError (committing nothing) when the source's offset is not where the batch starts. */
  apply(b: Batch): void {
    this.db.transaction(() => {
      if (this.offsetOf.get(b.sourceId) !== b.fromOffset) {
        throw new SourceTakenError(`source ${b.sourceId} is being read by another ingest`);
      }
      this.insert(b.events, EVENT_COLUMNS.length, this.eventParams, this.eventsMany, this.eventsOne);
      this.insert(b.rejects, REJECT_COLUMNS.length, this.rejectParams, this.rejectsMany, this.rejectsOne);
      this.advance.run(b.offset, b.lineNo, b.counts.events, b.counts.skipped, b.counts.rejected, b.format, b.resumeState,
        new Date().toISOString().slice(0, 19) + 'Z', b.sourceId);
    }).immediate();
  }

  private insert(values: unknown[], width: number, params: unknown[], many: Statement, one: Statement): void {
    const chunk = params.length;
    let i = 0;
    for (; i + chunk <= values.length; i += chunk) {
      for (let k = 0; k < chunk; k++) params[k] = values[i + k];
      many.run(params);
    }
    for (; i < values.length; i += width) one.run(values.slice(i, i + width));
  }
}
