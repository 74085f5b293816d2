import type { Statement } from 'better-sqlite3';
import type { TaggedEvent } from '../codes/tag.js';
import type { FormatName } from '../formats/types.js';
import { nowIso } from '../timestamp.js';
import type { Db } from './db.js';
import { DIRECTION_CODE, FORMAT_CODE, KIND_CODE, OUTCOME_CODE } from './eventCodes.js';
import { ActivityAccumulator, ActivityWriter, HourlyAccumulator, ROLLUP_HOURLY_COLUMNS, type ActivityRows } from './rollup.js';

/** The stored columns of `events`; the rest are generated from these (schema.ts). */
const EVENT_COLUMNS = ['source_id', 'line_no', 'ts', 'server', 'session', 'client_ip', 'username', 'command', 'path', 'bytes',
  'duration_ms', 'reply_code', 'win32_status', 'substatus', 'winsock_name', 'detail', 'flags', 'format_code', 'kind_code',
  'direction_code', 'outcome_code'];
const REJECT_COLUMNS = ['source_id', 'line_no', 'ts', 'reason', 'raw'];
/**
 * Event columns whose text repeats: sent to the writer thread as numbers into a string table,
 * because copying a number across threads costs a fraction of copying a string.
 */
const IS_TABLED = EVENT_COLUMNS.map((c) => ['server', 'username', 'command', 'winsock_name', 'detail', 'flags'].includes(c));
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

  event(lineNo: number, endOffset: number, format: FormatName, e: TaggedEvent): void {
    const t = this.strings;
    this.events.push(this.sourceId, lineNo, e.ts, t.code(e.server), e.session, e.clientIp, t.code(e.username), t.code(e.command),
      e.path, e.bytes, e.durationMs, e.replyCode, e.win32Status, e.substatus, t.code(e.winsockName), t.code(e.detail),
      t.code(e.flags), FORMAT_CODE[format], KIND_CODE[e.kind], e.direction === null ? null : DIRECTION_CODE[e.direction],
      OUTCOME_CODE[e.outcome]);
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

/**
 * INSERTs of one set of columns: 50 rows per statement (cuts the per-statement overhead ~1.5×) and
 * one for the rest of a batch, with positional parameters passed as arguments.
 */
class RowInserter {
  private readonly many: Statement;
  private readonly one: Statement;
  private readonly params: unknown[];

  /** `picks`: which of a row's `width` values go in, in the order of `columns`. */
  constructor(db: Db, table: string, columns: string[], private readonly picks: number[], private readonly width: number) {
    const one = `(${columns.map(() => '?').join(', ')})`;
    const insert = (rows: number) => db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(one).join(', ')}`);
    this.many = insert(ROWS_PER_STATEMENT);
    this.one = insert(1);
    this.params = new Array(ROWS_PER_STATEMENT * columns.length);
  }

  /** Inserts rows (`width` values each, one after another); returns the rowid of the last, or null when there were none. */
  run(values: unknown[]): number | null {
    const { picks, width, params } = this;
    const rows = values.length / width;
    let last: number | bigint | null = null;
    let row = 0;
    for (; row + ROWS_PER_STATEMENT <= rows; row += ROWS_PER_STATEMENT) {
      let k = 0;
      for (let base = row * width, end = base + ROWS_PER_STATEMENT * width; base < end; base += width) {
        for (let c = 0; c < picks.length; c++) params[k++] = values[base + picks[c]!];
      }
      // Spread, not an array: better-sqlite3 reads arguments faster than array elements (~15% of a load).
      last = this.many.run(...params).lastInsertRowid;
    }
    for (; row < rows; row++) last = this.one.run(...picks.map((c) => values[row * width + c])).lastInsertRowid;
    return last === null ? null : Number(last);
  }
}

/**
 * Writes batches. Each is one IMMEDIATE transaction holding its rows and the source's new offset
 * and parser state, so a run killed at any point leaves offsets that match the rows stored and the
 * next run resumes exactly there.
 *
 * Event rows go in with only the columns some row of the batch fills: a column left out costs
 * SQLite nothing, a bound NULL costs about as much as a number, and most formats leave a third of
 * the columns empty on every line.
 */
export class BatchApplier {
  private readonly eventShapes = new Map<number, RowInserter>();
  private readonly rejects: RowInserter;
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

  constructor(private readonly db: Db) {
    this.rejects = new RowInserter(db, 'rejects', REJECT_COLUMNS, REJECT_COLUMNS.map((_, i) => i), REJECT_COLUMNS.length);
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
      const filled = this.untable(b.events);
      const inserted = b.events.length ? this.eventInserter(filled).run(b.events) : null;
      const lastEventId = inserted ?? (this.lastEventOf.get(b.sourceId) as number);
      this.rejects.run(b.rejects);
      for (const row of b.hourly) this.hourly.run(row);
      if (b.activity) this.activity.flush(b.sourceId, b.activity, b.lineNo, lastEventId);
      this.advance.run(b.offset, b.lineNo, b.counts.events, b.counts.skipped, b.counts.rejected, b.format, b.resumeState,
        nowIso(), lastEventId, b.sourceId);
    }).immediate();
  }

  /** Turns string-table numbers back into text; returns a bit per column that some row fills. */
  private untable(values: unknown[]): number {
    const width = EVENT_COLUMNS.length;
    let filled = 0;
    for (let row = 0; row < values.length; row += width) {
      for (let col = 0; col < width; col++) {
        const v = values[row + col];
        if (v === null) continue;
        filled |= 1 << col;
        if (IS_TABLED[col] && typeof v === 'number') values[row + col] = this.strings[v];
      }
    }
    return filled;
  }

  private eventInserter(filled: number): RowInserter {
    let inserter = this.eventShapes.get(filled);
    if (inserter === undefined) {
      const picks = EVENT_COLUMNS.map((_, i) => i).filter((i) => filled & (1 << i));
      inserter = new RowInserter(this.db, 'events', picks.map((i) => EVENT_COLUMNS[i]!), picks, EVENT_COLUMNS.length);
      this.eventShapes.set(filled, inserter);
    }
    return inserter;
  }
}
