import type { Statement } from 'better-sqlite3';
import type { FormatName, TaggedEvent } from '../../event.js';
import { nowIso, unixSeconds } from '../../timestamp.js';
import type { LineCounts, SourceEnd } from '../index.js';
import { rejectText } from '../rejectText.js';
import type { Db } from './db.js';
import { DIRECTION_CODE, FORMAT_CODE, KIND_CODE, OUTCOME_CODE } from './eventCodes.js';
import { AT, EVENT_COLUMNS, ROW_WIDTH as WIDTH } from './eventRows.js';
import { ActivityWriter, HourlyAccumulator, ROLLUP_HOURLY_COLUMNS, type ActivityAccumulator, type ActivityRows, type Reached } from './rollup.js';
import { RowInserter, ROWS_PER_STATEMENT } from './rowInserter.js';

const UTF8 = new TextEncoder();
const REJECT_COLUMNS = ['source_id', 'line_no', 'ts', 'reason', 'raw'];
const IS_TEXT = EVENT_COLUMNS.map((c) => ['server', 'session', 'client_ip', 'username', 'command', 'path', 'winsock_name',
  'detail', 'flags'].includes(c));
/** Text columns whose values repeat across a night: sent as numbers into a string table (see StringTable). */
const IS_TABLED = EVENT_COLUMNS.map((c) => ['server', 'username', 'command', 'winsock_name', 'detail', 'flags'].includes(c));
/**
 * What a text column's cell holds when not a string-table number: the row above's value, or the
 * next piece of the batch's `texts`, its length encoded as TEXT_OF_LENGTH - length.
 */
const SAME_AS_ABOVE = -2;
const TEXT_OF_LENGTH = -3;
/** The event_rows columns the writer keeps hourly totals by, and so needs as strings (see HourlyAccumulator). */
const IS_KEY = EVENT_COLUMNS.map((c) => c === 'server' || c === 'command');
/**
 * A text column's value in an INSERT of event rows: text is bound as its UTF-8 bytes wherever the
 * writer has them (string-table strings, encoded once; an all-ASCII batch's text), and the CAST
 * makes the blob text again, the same bytes. better-sqlite3 binds bytes with one copy, but a string
 * by measuring and converting it to UTF-8 each time: bytes take the writer 5% fewer instructions.
 */
export const TEXT_VALUE = 'CAST(? AS TEXT)';
/**
 * Distinct strings kept in the table; past this, text goes across as it is. A night's logs have a
 * few dozen (servers, user names, commands); a dictionary attack can bring a new user name on
 * every line, and each string is held by both threads for the whole run.
 */
const TABLE_LIMIT = 5_000;

/**
 * One source's rows, with where the source stands after them: both commit in one transaction (with
 * any other batches waiting for the writer). Plain data, so it can cross to the writer thread.
 */
export interface Batch {
  kind: 'batch';
  sourceId: number;
  /** The source's offset this batch continues from: if the database says otherwise, another ingest got there first. */
  fromOffset: number;
  /**
   * Event rows, EVENT_COLUMNS.length cells each: a structured clone copies one typed array at
   * memory speed, where an array of values costs it (and the writer thread) a step per value.
   * A number column holds its value (NaN for NULL); a text column a string-table number,
   * SAME_AS_ABOVE, TEXT_OF_LENGTH minus a length, or NaN for NULL. Transferred, not copied.
   */
  cells: Float64Array<ArrayBuffer>;
  rows: number;
  /**
   * The text of the cells holding a length, one after another in their order: one string crosses
   * to the writer thread faster than a thousand (each costs a structured clone a step of its own).
   */
  texts: string;
  /** Reject rows, REJECT_COLUMNS.length values each. */
  rejects: unknown[];
  /** Strings added to the string table since the previous batch, in order of their numbers. */
  newStrings: string[];
  offset: number;
  lineNo: number;
  counts: LineCounts;
  format: string | null;
  resumeState: string | null;
  /** With a source's last batch: whether it was read to its end for good (.gz, stdin), what stopped it, and its size when that is known only now (stdin). */
  end: SourceEnd | null;
}

/** Client and user totals of the batches sent before it, to add to the rollup tables (see ActivityWriter.flush). */
export interface ActivityFlush {
  kind: 'activity';
  rows: ActivityRows;
}

/** What the writer thread is given, in order. */
export type Work = Batch | ActivityFlush;

/** What became of a piece of work the writer was given (see BatchApplier.apply): only a batch can be `taken`. */
export type WorkResult = 'ok' | 'taken';

/**
 * The main thread's half of the string table. One table serves every batch of a run, in the order
 * they are sent, so the writer thread's half (in BatchApplier) rebuilds the same numbering.
 */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  constructor(private readonly limit = TABLE_LIMIT) {}

  /** The string's number, or null when the table is full and the string new to it. */
  code(s: string): number | null {
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.ids.size >= this.limit) return null;
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
  private cells: Float64Array<ArrayBuffer>;
  private rows = 0;
  private texts: string[] = [];
  /** Each text column's value on the row before, for SAME_AS_ABOVE. */
  private readonly above: Array<string | null | undefined> = new Array(WIDTH).fill(undefined);
  /** The last event's time and its ts_unix: parsers hand out one string per stamp, so most lines compare equal. */
  private lastTs = '';
  private lastUnix = NaN;
  private rejects: unknown[] = [];
  private counts: LineCounts = { events: 0, skipped: 0, rejected: 0 };
  private lineNo: number;
  private offset: number;
  private fromOffset: number;
  private fromLine: number;

  /** `strings` and `activity` are the run's, shared by the builders of all its sources. */
  constructor(
    private readonly sourceId: number,
    start: { bytesRead: number; linesRead: number },
    private readonly strings: StringTable,
    private readonly activity: ActivityAccumulator,
    private readonly batchLines = 1000,
  ) {
    this.lineNo = start.linesRead;
    this.fromLine = start.linesRead;
    this.offset = start.bytesRead;
    this.fromOffset = start.bytesRead;
    this.cells = new Float64Array(batchLines * WIDTH);
  }

  event(lineNo: number, endOffset: number, format: FormatName, e: TaggedEvent): void {
    const c = this.cells;
    const at = this.rows++ * WIDTH;
    c[at] = this.sourceId;
    c[at + 1] = lineNo;
    if (e.ts !== this.lastTs) {
      this.lastTs = e.ts;
      this.lastUnix = unixSeconds(e.ts);
    }
    c[at + 2] = this.lastUnix;
    this.text(at, 3, e.server);
    this.text(at, 4, e.session);
    this.text(at, 5, e.clientIp);
    this.text(at, 6, e.username);
    this.text(at, 7, e.command);
    this.text(at, 8, e.path);
    c[at + 9] = e.bytes ?? NaN;
    c[at + 10] = e.durationMs ?? NaN;
    c[at + 11] = e.replyCode ?? NaN;
    c[at + 12] = e.win32Status ?? NaN;
    c[at + 13] = e.substatus ?? NaN;
    this.text(at, 14, e.winsockName);
    this.text(at, 15, e.detail);
    this.text(at, 16, e.flags);
    c[at + 17] = FORMAT_CODE[format];
    c[at + 18] = KIND_CODE[e.kind];
    c[at + 19] = e.direction === null ? NaN : DIRECTION_CODE[e.direction];
    c[at + 20] = OUTCOME_CODE[e.outcome];
    this.activity.add(e, this.lastUnix);
    this.activity.line();
    this.counts.events++;
    this.lineNo = lineNo;
    this.offset = endOffset;
  }

  /** Puts text column `col` of the row at `at` into its cell (see Batch.cells). */
  private text(at: number, col: number, s: string | null): void {
    let cell: number | null = null;
    if (s === null) cell = NaN;
    else if (s === this.above[col]) cell = SAME_AS_ABOVE;
    else if (IS_TABLED[col]) cell = this.strings.code(s);
    if (cell === null) {
      this.texts.push(s!);
      cell = TEXT_OF_LENGTH - s!.length;
    }
    this.above[col] = s;
    this.cells[at + col] = cell;
  }

  /** `ts`: the time of the last event before this line in its source, so rejects can be windowed too. */
  reject(lineNo: number, endOffset: number, ts: string | null, reason: string, raw: string): void {
    this.rejects.push(this.sourceId, lineNo, ts, reason, rejectText(raw));
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
   * batch. Its lines' client and user totals stay in the run's ActivityAccumulator, which learns
   * which lines they were: call it even for a batch that will not be sent.
   */
  take(format: string | null, resumeLines: string[], end: SourceEnd | null = null): Batch {
    const { events, skipped, rejected } = this.counts;
    if (events + skipped + rejected > 0) this.activity.reach(this.sourceId, this.fromLine, this.lineNo);
    const batch: Batch = {
      // A batch of skipped and rejected lines only (a run of blank lines) sends no cells, and keeps its own for the next.
      kind: 'batch', sourceId: this.sourceId, fromOffset: this.fromOffset, cells: this.rows ? this.cells : new Float64Array(0), rows: this.rows,
      texts: this.texts.join(''),
      rejects: this.rejects, newStrings: this.strings.takeFresh(), offset: this.offset, lineNo: this.lineNo, counts: this.counts, format,
      resumeState: resumeLines.length ? JSON.stringify(resumeLines) : null, end,
    };
    this.fromLine = this.lineNo;
    this.fromOffset = this.offset;
    if (this.rows) this.cells = new Float64Array(this.batchLines * WIDTH);
    this.rows = 0;
    this.texts = [];
    this.above.fill(undefined);
    this.rejects = [];
    this.counts = { events: 0, skipped: 0, rejected: 0 };
    return batch;
  }
}

/**
 * Writes batches in IMMEDIATE transactions (several batches to one, see apply): a batch's rows
 * commit together with its source's new offset and parser state, so a run killed at any point
 * leaves offsets that match the rows stored and the next run resumes exactly there.
 *
 * Event rows go in with only the columns some row of the batch fills: a column left out costs
 * SQLite nothing, a bound NULL costs about as much as a number, and most formats leave a third of
 * the columns empty on every line.
 */
export class BatchApplier {
  private readonly eventShapes = new Map<number, EventShape>();
  private readonly rejects: RowInserter;
  private readonly offsetOf: Statement;
  private readonly advance: Statement;
  private readonly finish: Statement;
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
  /** The same strings in UTF-8, as the INSERTs take them (see TEXT_VALUE). */
  private readonly bytes: Uint8Array[] = [];
  /** Each text column's value on the row before, for SAME_AS_ABOVE: as bound, and as a string where the hourly totals need it (IS_KEY). */
  private readonly above: Array<string | Uint8Array | null> = new Array(WIDTH).fill(null);
  private readonly aboveText: Array<string | null> = new Array(WIDTH).fill(null);
  /** The server and command texts of the rows waiting for their INSERT. */
  private readonly servers: Array<string | null> = new Array(ROWS_PER_STATEMENT).fill(null);
  private readonly commands: Array<string | null> = new Array(ROWS_PER_STATEMENT).fill(null);
  /** Where the lines this applier committed of each source end, for activity flushes (see ActivityWriter.flush). */
  private readonly reached = new Map<number, Reached>();

  constructor(private readonly db: Db) {
    this.rejects = new RowInserter(db, 'rejects', REJECT_COLUMNS);
    this.offsetOf = db.prepare('SELECT bytes_read FROM sources WHERE id = ?').pluck();
    this.hourly = db.prepare(`INSERT INTO rollup_hourly (${ROLLUP_HOURLY_COLUMNS.join(', ')})
      VALUES (${ROLLUP_HOURLY_COLUMNS.map(() => '?').join(', ')})
      ON CONFLICT DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes,
        first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)`);
    this.lastEventOf = db.prepare('SELECT last_event_id FROM sources WHERE id = ?').pluck();
    this.activity = new ActivityWriter(db);
    this.advance = db.prepare(`UPDATE sources SET bytes_read = ?, lines_read = ?, events = events + ?, skipped = skipped + ?,
      rejected = rejected + ?, format = COALESCE(?, format), resume_state = ?, last_read = ?, last_event_id = ? WHERE id = ?`);
    this.finish = db.prepare(`UPDATE sources SET complete = MAX(complete, ?), error = ?, size = COALESCE(?, size),
      mark_offset = COALESCE(?, mark_offset), mark_len = COALESCE(?, mark_len), mark_hash = COALESCE(?, mark_hash),
      gz_hash = COALESCE(?, gz_hash) WHERE id = ?`);
  }

  /**
   * Commits work in one transaction: `taken` for a batch whose source's offset is not where it
   * starts (another ingest owns the source; nothing of that batch is written), `ok` for the rest.
   * Any other failure throws, and then none of it is committed. One commit for several batches:
   * a commit costs the writer about a sixth of a 1000-line batch's time, and batches queue up only
   * when it is behind.
   */
  apply(work: Work[]): WorkResult[] {
    // Every batch extends the table, refused or not, or the numbering would drift.
    for (const w of work) {
      if (w.kind !== 'batch') continue;
      for (const str of w.newStrings) {
        this.strings.push(str);
        this.bytes.push(UTF8.encode(str));
      }
    }
    const results: WorkResult[] = [];
    const hourly = new HourlyAccumulator();
    /** What this transaction reaches: known to `reached` once it commits. */
    const reaching = new Map<number, Reached>();
    const reached = (sourceId: number) => reaching.get(sourceId) ?? this.reached.get(sourceId);
    this.db.transaction(() => {
      for (const w of work) {
        if (w.kind === 'activity') {
          this.activity.flush(w.rows, reached);
          results.push('ok');
        } else if (this.taken.has(w.sourceId) || this.offsetOf.get(w.sourceId) !== w.fromOffset) {
          this.taken.add(w.sourceId);
          results.push('taken');
        } else {
          reaching.set(w.sourceId, { line: w.lineNo, eventId: this.write(w, hourly) });
          results.push('ok');
        }
      }
      for (const row of hourly.take()) this.hourly.run(row);
    }).immediate();
    for (const [sourceId, r] of reaching) this.reached.set(sourceId, r);
    return results;
  }

  /**
   * One batch's rows and the source's new position (and how it ended, with its last batch); its
   * hourly totals go into `hourly`. Returns the id of the source's last event.
   */
  private write(b: Batch, hourly: HourlyAccumulator): number {
    const lastEventId = b.rows ? this.insertEvents(b, hourly) : (this.lastEventOf.get(b.sourceId) as number);
    this.rejects.run(b.rejects);
    this.advance.run(b.offset, b.lineNo, b.counts.events, b.counts.skipped, b.counts.rejected, b.format, b.resumeState,
      nowIso(), lastEventId, b.sourceId);
    const end = b.end;
    if (end) {
      this.finish.run(end.complete ? 1 : 0, end.error, end.size, end.mark?.offset ?? null, end.mark?.len ?? null, end.mark?.hash ?? null,
        end.gzHash, b.sourceId);
    }
    return lastEventId;
  }

  /**
   * Inserts a batch's event rows, turning its cells back into values straight into the statement's
   * parameters (only the columns some row fills), and adds the rows to `hourly` as they go in.
   * Returns the id of the last row.
   */
  private insertEvents(b: Batch, hourly: HourlyAccumulator): number {
    const { cells, texts, rows } = b;
    const { strings, bytes, servers, commands } = this;
    const above = this.above.fill(null);
    const aboveText = this.aboveText.fill(null);
    // Offsets in the text are offsets in its bytes when it is all ASCII (as logs mostly are).
    const textBytes = UTF8.encode(texts);
    const ascii = textBytes.length === texts.length;
    const { inserter, picks } = this.eventShape(filledColumns(cells, rows));
    const params = inserter.params;
    let next = 0;
    let last = 0;
    for (let first = 0; first < rows; first += ROWS_PER_STATEMENT) {
      const count = Math.min(ROWS_PER_STATEMENT, rows - first);
      let k = 0;
      for (let r = 0; r < count; r++) {
        const at = (first + r) * WIDTH;
        for (let p = 0; p < picks.length; p++) {
          const col = picks[p]!;
          const v = cells[at + col]!;
          if (!IS_TEXT[col]) params[k++] = v === v ? v : null;
          else {
            if (v !== v) above[col] = aboveText[col] = null;
            else if (v >= 0) {
              above[col] = bytes[v]!;
              aboveText[col] = strings[v]!;
            } else if (v !== SAME_AS_ABOVE) {
              const from = next;
              next += TEXT_OF_LENGTH - v;
              const text = ascii && !IS_KEY[col] ? null : texts.slice(from, next);
              above[col] = ascii ? textBytes.subarray(from, next) : text;
              aboveText[col] = text;
            }
            params[k++] = above[col];
          }
        }
        servers[r] = aboveText[AT.server]!;
        commands[r] = aboveText[AT.command]!;
      }
      last = inserter.insert(count);
      for (let r = 0; r < count; r++) hourly.add(cells, (first + r) * WIDTH, servers[r]!, commands[r]!);
    }
    return last;
  }

  private eventShape(filled: number): EventShape {
    let shape = this.eventShapes.get(filled);
    if (shape === undefined) {
      const picks = EVENT_COLUMNS.map((_, i) => i).filter((i) => filled & (1 << i));
      const columns = picks.map((i) => EVENT_COLUMNS[i]!);
      shape = { inserter: new RowInserter(this.db, 'event_rows', columns, { values: picks.map((i) => (IS_TEXT[i] ? TEXT_VALUE : '?')) }), picks };
      this.eventShapes.set(filled, shape);
    }
    return shape;
  }
}

/** The inserter of event rows for one set of columns, and which cell of a row each column's value is. */
interface EventShape {
  inserter: RowInserter;
  picks: number[];
}

/** A bit per column that some of the first `rows` rows of `cells` fills (not NaN). */
function filledColumns(cells: Float64Array, rows: number): number {
  let filled = 0;
  for (let col = 0; col < WIDTH; col++) {
    for (let at = col, end = rows * WIDTH; at < end; at += WIDTH) {
      const v = cells[at]!;
      if (v === v) {
        filled |= 1 << col;
        break;
      }
    }
  }
  return filled;
}
