import type { Statement } from 'better-sqlite3';
import type { TaggedEvent } from '../codes/tag.js';
import { nowIso } from '../timestamp.js';
import type { Db } from './db.js';
import { ActivityAccumulator, ActivityWriter, HourlyAccumulator, ROLLUP_HOURLY_COLUMNS, type ActivityRows } from './rollup.js';

const EVENT_COLUMNS = ['source_id', 'line_no', 'format', 'ts', 'server', 'session', 'client_ip', 'username', 'kind', 'command',
  'direction', 'path', 'bytes', 'duration_ms', 'reply_code', 'reply_class', 'reply_group', 'win32_status', 'substatus',
  'winsock_name', 'outcome', 'detail', 'flags'];
const REJECT_COLUMNS = ['source_id', 'line_no', 'ts', 'reason', 'raw'];
/**
 * Event columns whose text repeats: sent to the writer thread as numbers into a string table,
 * because copying a number across threads costs a fraction of copying a string.
 */
const TABLED = ['format', 'server', 'username', 'kind', 'command', 'direction', 'winsock_name', 'outcome', 'detail', 'flags']
  .map((c) => EVENT_COLUMNS.indexOf(c));
/** Distinct strings kept in the table; past this, text goes across as it is. */
const TABLE_LIMIT = 200_000;

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
  /** Strings added to the string table since the previous batch, in order of their numbers. */
  newStrings: string[];
  /** What the batch adds to rollup_hourly. */
  hourly: unknown[][];
  /** Client and user totals since the last flush, when this batch flushes them. */
  activity: ActivityRows | null;
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

/**
 * The main thread's half of the string table. One table serves every batch of a run, in the order
 * they are sent, so the writer thread's half (in BatchApplier) rebuilds the same numbering.
 */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  code(s: string | null): string | number | null {
    if (s === null) return null;
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.ids.size >= TABLE_LIMIT) return s;
      id = this.ids.size;
      this.ids.set(s, id);
      this.fresh.push(s);
    }
    return id;
  }

  takeFresh(): string[] {
    const fresh = this.fresh;
    this.fresh = [];
    return fresh;
  }
}

/** Collects one source's rows into batches (no database access: that is the applier's job). */
export class BatchBuilder {
  private events: unknown[] = [];
  private rejects: unknown[] = [];
  private counts = { events: 0, skipped: 0, rejected: 0 };
  private readonly hourly = new HourlyAccumulator();
  private readonly activity: ActivityAccumulator;
  private lineNo: number;
  private offset: number;
  private fromOffset: number;

  constructor(
    private readonly sourceId: number,
    start: { bytesRead: number; linesRead: number },
    private readonly strings: StringTable,
    private readonly batchLines = 1000,
  ) {
    this.lineNo = start.linesRead;
    this.offset = start.bytesRead;
    this.fromOffset = start.bytesRead;
    this.activity = new ActivityAccumulator(start.linesRead);
  }

  event(lineNo: number, endOffset: number, format: string, e: TaggedEvent): void {
    const t = this.strings;
    this.events.push(this.sourceId, lineNo, t.code(format), e.ts, t.code(e.server), e.session, e.clientIp, t.code(e.username),
      t.code(e.kind), t.code(e.command), t.code(e.direction), e.path, e.bytes, e.durationMs, e.replyCode, e.replyClass,
      e.replyGroup, e.win32Status, e.substatus, t.code(e.winsockName), t.code(e.outcome), t.code(e.detail), t.code(e.flags));
    this.hourly.add(this.sourceId, format, e);
    this.activity.add(e);
    this.activity.line();
    this.counts.events++;
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  /** `ts`: the time of the last event before this line in its source, so rejects can be windowed too. */
  reject(lineNo: number, endOffset: number, ts: string | null, reason: string, raw: string): void {
    this.rejects.push(this.sourceId, lineNo, ts, reason, raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) : raw);
    this.counts.rejected++;
    this.activity.line();
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  skip(lineNo: number, endOffset: number): void {
    this.counts.skipped++;
    this.activity.line();
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  /** True when enough lines are waiting for a batch. */
  get due(): boolean {
    return this.counts.events + this.counts.skipped + this.counts.rejected >= this.batchLines;
  }

  /**
   * Hands over what is waiting, with the parser state to resume from after it, and starts a new
   * batch. The client and user totals go along every FLUSH_LINES lines and with the `last` batch.
   */
  take(format: string | null, resumeLines: string[], last = false): Batch {
    const batch: Batch = {
      sourceId: this.sourceId, fromOffset: this.fromOffset, events: this.events, rejects: this.rejects,
      newStrings: this.strings.takeFresh(),
      hourly: this.hourly.take(), activity: last || this.activity.due ? this.activity.take(this.lineNo) : null, offset: this.offset,
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
  private readonly hourly: Statement;
  private readonly lastEventOf: Statement;
  private readonly activity: ActivityWriter;
  /**
   * Sources another ingest took from this one. Their later batches are refused too, even when their
   * offsets happen to line up again: the other ingest owns the rest of the source.
   */
  private readonly taken = new Set<number>();
  /** The writer thread's half of the string table (see StringTable). */
  private readonly strings: string[] = [];
  private readonly eventParams: unknown[] = new Array(ROWS_PER_STATEMENT * EVENT_COLUMNS.length);
  private readonly rejectParams: unknown[] = new Array(ROWS_PER_STATEMENT * REJECT_COLUMNS.length);

  constructor(private readonly db: Db) {
    this.eventsMany = multiInsert(db, 'events', EVENT_COLUMNS, ROWS_PER_STATEMENT);
    this.eventsOne = multiInsert(db, 'events', EVENT_COLUMNS, 1);
    this.rejectsMany = multiInsert(db, 'rejects', REJECT_COLUMNS, ROWS_PER_STATEMENT);
    this.rejectsOne = multiInsert(db, 'rejects', REJECT_COLUMNS, 1);
    this.offsetOf = db.prepare('SELECT bytes_read FROM sources WHERE id = ?').pluck();
    this.hourly = db.prepare(`INSERT INTO rollup_hourly (${ROLLUP_HOURLY_COLUMNS.join(', ')})
      VALUES (${ROLLUP_HOURLY_COLUMNS.map(() => '?').join(', ')})
      ON CONFLICT DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes,
        first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)`);
    this.lastEventOf = db.prepare('SELECT last_event_id FROM sources WHERE id = ?').pluck();
    this.activity = new ActivityWriter(db);
    this.advance = db.prepare(`UPDATE sources SET bytes_read = ?, lines_read = ?, events = events + ?, skipped = skipped + ?,
      rejected = rejected + ?, format = COALESCE(?, format), resume_state = ?, last_read = ?, last_event_id = ? WHERE id = ?`);
  }

  /** Commits a batch; throws SourceTakenError (committing nothing) when the source's offset is not where the batch starts. */
  apply(b: Batch): void {
    // Every batch extends the table, refused or not, or the numbering would drift.
    for (const str of b.newStrings) this.strings.push(str);
    const takenError = () => new SourceTakenError(`source ${b.sourceId} is being read by another ingest`);
    if (this.taken.has(b.sourceId)) throw takenError();
    this.db.transaction(() => {
      if (this.offsetOf.get(b.sourceId) !== b.fromOffset) {
        this.taken.add(b.sourceId);
        throw takenError();
      }
      this.untable(b.events);
      const inserted = this.insert(b.events, EVENT_COLUMNS.length, this.eventParams, this.eventsMany, this.eventsOne);
      const lastEventId = inserted ?? (this.lastEventOf.get(b.sourceId) as number);
      this.insert(b.rejects, REJECT_COLUMNS.length, this.rejectParams, this.rejectsMany, this.rejectsOne);
      for (const row of b.hourly) this.hourly.run(row);
      if (b.activity) this.activity.flush(b.sourceId, b.activity, b.lineNo, lastEventId);
      this.advance.run(b.offset, b.lineNo, b.counts.events, b.counts.skipped, b.counts.rejected, b.format, b.resumeState,
        nowIso(), lastEventId, b.sourceId);
    }).immediate();
  }

  private untable(values: unknown[]): void {
    const width = EVENT_COLUMNS.length;
    for (let row = 0; row < values.length; row += width) {
      for (const col of TABLED) {
        const v = values[row + col];
        if (typeof v === 'number') values[row + col] = this.strings[v];
      }
    }
  }

  /** Inserts rows; returns the rowid of the last one, or null when there were none. */
  private insert(values: unknown[], width: number, params: unknown[], many: Statement, one: Statement): number | null {
    const chunk = params.length;
    let last: number | bigint | null = null;
    let i = 0;
    for (; i + chunk <= values.length; i += chunk) {
      for (let k = 0; k < chunk; k++) params[k] = values[i + k];
      last = many.run(params).lastInsertRowid;
    }
    for (; i < values.length; i += width) last = one.run(values.slice(i, i + width)).lastInsertRowid;
    return last === null ? null : Number(last);
  }
}
