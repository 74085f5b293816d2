import type { Statement } from 'better-sqlite3';
import { isoSeconds } from '../../timestamp.js';
import type { Db } from './db.js';
import { DIRECTION_NAMES, FORMAT_NAMES, KIND_NAMES, OUTCOME_NAMES, type TaggedEvent } from '../../event.js';
import { AT } from './eventRows.js';
import { RowInserter } from './rowInserter.js';

/**
 * Totals kept beside `events` so that reports summarising a whole night read thousands of rows,
 * not millions (the reports read the partial hours or days at a window's edges from `events`).
 *
 * `rollup_hourly` (per hour, format, server, source, kind, command, direction, outcome, reply
 * code) has few keys per batch and is upserted in the transaction that commits the batch. The
 * writer thread keeps it from the rows it inserts: there the server and command texts are
 * string-table strings, the same object for the same text, and its keys cost a third of what they
 * cost the parsing thread.
 *
 * `rollup_clients` and `rollup_users` (per day and client address / user name) can have a key per
 * line (a botnet of addresses), so their totals are gathered on the parsing thread across batches
 * and across the sources of a run, and written every FLUSH_LINES lines (sooner when they hold
 * FLUSH_KEYS keys) and at the end of the run (client addresses are not in the string table, so
 * their lookups would cost the writer as much as they cost the parsing thread, and the writer has
 * less time to spare; and a night of many small files from the same clients would otherwise
 * upsert every client once per file).
 * `sources.rolled_line` and `rolled_event_id` say how far they include a source; until the flush
 * that covers a source's lines, reports add its events past `rolled_event_id` (up to
 * `last_event_id`) from `events`, and a run killed before it leaves the source for the next run's
 * catchUpActivity. A flush says which lines of which sources its totals hold (spans); the writer
 * adds them only when every span starts at its source's mark and ends where this writer committed
 * the source's lines, and otherwise recounts the spans that do from `events`, so nothing is
 * counted twice or lost (see ActivityWriter.flush).
 *
 * Empty text stands for NULL in key columns, and 0 for no reply code: keys must compare equal.
 */
export const ROLLUP_HOURLY_COLUMNS = ['hour', 'format', 'server', 'source_id', 'kind', 'command', 'direction', 'outcome',
  'reply_code', 'events', 'bytes', 'first_ts', 'last_ts'];
const ACTIVITY = ['connections', 'logins', 'failed_logins', 'transfers', 'bytes_in', 'bytes_out', 'failures', 'events'];
/**
 * Each flush upserts every client and user of the lines since the last, so a night of a few
 * thousand addresses costs a flush's worth of upserts per FLUSH_LINES lines, however many files
 * they come in; the totals are held in memory until then (at most one entry per distinct client
 * and user a day).
 */
export const FLUSH_LINES = 200_000;
/**
 * The totals are written sooner than every FLUSH_LINES lines once they hold this many keys (clients
 * and users of every day): a botnet's log can bring a new address or user name on every line, and
 * each key held costs several hundred bytes (1M lines of new user names and addresses peaked at
 * 1.3 GB when only lines counted).
 */
export const FLUSH_KEYS = 10_000;

/** Lines of one source whose totals a flush holds: after `fromLine`, up to and including `toLine`. */
export interface ActivitySpan {
  sourceId: number;
  fromLine: number;
  toLine: number;
}

export interface ActivityRows {
  /** The lines the totals hold: one span per source, unless the run read two separate stretches of its lines. */
  spans: ActivitySpan[];
  /**
   * Rows of rollup_clients and rollup_users, ACTIVITY_ROW values each (day, key, the ACTIVITY
   * totals), one after another: one array crosses to the writer thread and back to the collector
   * as one object, where an array per key cost them one each (a botnet's 1M lines: 15 MB less
   * peak memory, 0.5 s less time).
   */
  clients: unknown[];
  users: unknown[];
}

/** Values per row of ActivityRows. */
export const ACTIVITY_ROW = 2 + ACTIVITY.length;

const HOUR = 3600;
const DAY = 86_400;

/**
 * Buckets keyed by a span of time (the hour, the day) of seconds since 1970, named by the first
 * `width` characters of its start's text (`2024-03-05T14`, `2024-03-05`). Consecutive rows mostly
 * share a span, so the bucket is looked up again only when it changes.
 */
class TimeBuckets<T> {
  private buckets = new Map<number, T>();
  private lastSpan = NaN;
  private last: T | undefined;

  constructor(private readonly seconds: number, private readonly width: number, private readonly create: () => T) {}

  at(ts: number): T {
    const span = Math.floor(ts / this.seconds);
    if (span !== this.lastSpan || this.last === undefined) {
      let bucket = this.buckets.get(span);
      if (bucket === undefined) this.buckets.set(span, (bucket = this.create()));
      this.lastSpan = span;
      this.last = bucket;
    }
    return this.last;
  }

  /** The name of the span holding `ts`. */
  name(ts: number): string {
    return isoSeconds(Math.floor(ts / this.seconds) * this.seconds * 1000).slice(0, this.width);
  }

  /** The buckets so far, by their span's name; empties the set. */
  take(): Array<[string, T]> {
    const out: Array<[string, T]> = [];
    for (const [span, bucket] of this.buckets) out.push([this.name(span * this.seconds), bucket]);
    this.clear();
    return out;
  }

  /** Empties the set. */
  clear(): void {
    this.buckets = new Map();
    this.last = undefined;
    this.lastSpan = NaN;
  }
}

/** The map under `key`, made empty when missing. */
function child<K, L, V>(map: Map<K, Map<L, V>>, key: K): Map<L, V> {
  let m = map.get(key);
  if (m === undefined) map.set(key, (m = new Map()));
  return m;
}

/** An hour's totals for one key: events, bytes, first and last time (seconds). */
interface HourTotals {
  hour: string; format: number; server: string; sourceId: number; kind: number; command: string; direction: number; outcome: number; reply: number;
  events: number; bytes: number; first: number; last: number;
}

/**
 * Hourly totals of event rows (a batch's cells, see Batch), for the batches of one transaction (of
 * one source or several). Keyed by nested maps of values the row already holds: the string-table
 * text of server and command is the same string object for the same text, so a lookup hashes
 * nothing new.
 */
export class HourlyAccumulator {
  /** hour → source → server → command → format/kind/direction/outcome/reply number → totals. */
  private readonly hours = new TimeBuckets(HOUR, 13, () => new Map<number, Map<string, Map<string, Map<number, HourTotals>>>>());
  /** Every totals object of the maps above, in order of creation. */
  private all: HourTotals[] = [];

  /** Adds the row at `at` of `cells` (NaN for NULL), whose server and command texts are given. */
  add(cells: Float64Array, at: number, serverText: string | null, commandText: string | null): void {
    const server = serverText ?? '';
    const command = commandText ?? '';
    const ts = cells[at + AT.ts_unix]!;
    const reply = cells[at + AT.reply_code]! || 0;
    const bytes = cells[at + AT.bytes]! || 0;
    const format = cells[at + AT.format_code]!;
    const kind = cells[at + AT.kind_code]!;
    const d = cells[at + AT.direction_code]!;
    const direction = d === d ? d : -1;
    const outcome = cells[at + AT.outcome_code]!;
    // Unique for every integer reply: format < 8, kind < 16, direction + 1 < 4, outcome < 4.
    const rest = (((reply * 8 + format) * 16 + kind) * 4 + direction + 1) * 4 + outcome;
    const sourceId = cells[at + AT.source_id]!;
    const byRest = child(child(child(this.hours.at(ts), sourceId), server), command);
    const t = byRest.get(rest);
    if (t === undefined) {
      const totals = {
        hour: this.hours.name(ts), format, server, sourceId, kind, command, direction, outcome, reply, events: 1, bytes, first: ts, last: ts,
      };
      byRest.set(rest, totals);
      this.all.push(totals);
    } else {
      t.events++;
      t.bytes += bytes;
      if (ts < t.first) t.first = ts;
      if (ts > t.last) t.last = ts;
    }
  }

  /** The rows for rollup_hourly (ROLLUP_HOURLY_COLUMNS); empties the totals. */
  take(): unknown[][] {
    const rows = this.all.map((t) => [t.hour, FORMAT_NAMES[t.format], t.server, t.sourceId, KIND_NAMES[t.kind], t.command,
      t.direction < 0 ? '' : DIRECTION_NAMES[t.direction], OUTCOME_NAMES[t.outcome], t.reply, t.events, t.bytes,
      isoSeconds(t.first * 1000), isoSeconds(t.last * 1000)]);
    this.all = [];
    this.hours.clear();
    return rows;
  }
}

/**
 * A day's totals per key (ACTIVITY order). The last key's totals are kept at hand: a session's
 * lines follow one another, and comparing a key with the last one costs a fraction of hashing it
 * for a lookup among thousands.
 */
class KeyTotals {
  readonly byKey = new Map<string, number[]>();
  private lastKey: string | null = null;
  private last: number[] = [];

  /** `held` counts the keys of every KeyTotals of one accumulator. */
  constructor(private readonly held: { keys: number }) {}

  of(key: string): number[] {
    if (key === this.lastKey) return this.last;
    let totals = this.byKey.get(key);
    if (totals === undefined) {
      this.byKey.set(key, (totals = [0, 0, 0, 0, 0, 0, 0, 0]));
      this.held.keys++;
    }
    this.lastKey = key;
    this.last = totals;
    return totals;
  }
}

interface DayActivity {
  clients: KeyTotals;
  users: KeyTotals;
}

/**
 * Per-day totals per client address and per user name of the batches of a run (of every source),
 * gathered on the parsing thread until the next flush, with the spans of lines they hold.
 */
export class ActivityAccumulator {
  /** Keys held across every day's totals, for FLUSH_KEYS. */
  private readonly held = { keys: 0 };
  private readonly days = new TimeBuckets<DayActivity>(DAY, 10, () => ({
    clients: new KeyTotals(this.held),
    users: new KeyTotals(this.held),
  }));
  private spans: ActivitySpan[] = [];
  /** Each source's last span, to extend when its next batch follows on. */
  private lastSpan = new Map<number, ActivitySpan>();
  private lines = 0;

  /** `flushLines`: how many lines (of any source) make the totals due; `flushKeys`: how many keys. */
  constructor(private readonly flushLines = FLUSH_LINES, private readonly flushKeys = FLUSH_KEYS) {}

  /** `ts`: the event's time in seconds since 1970. */
  add(e: TaggedEvent, ts: number): void {
    if (e.clientIp === null && e.username === null) return;
    const day = this.days.at(ts);
    if (e.clientIp !== null) count(day.clients.of(e.clientIp), e);
    if (e.username !== null) count(day.users.of(e.username), e);
  }

  /** Counts lines (events or not) towards the next flush. */
  line(): void {
    this.lines++;
  }

  /**
   * The lines of a source after `fromLine` up to `toLine` were added (one batch's): every line
   * added must belong to a span, or a flush could not tell whether its totals were committed.
   */
  reach(sourceId: number, fromLine: number, toLine: number): void {
    const last = this.lastSpan.get(sourceId);
    if (last !== undefined && last.toLine === fromLine) last.toLine = toLine;
    else {
      const span = { sourceId, fromLine, toLine };
      this.spans.push(span);
      this.lastSpan.set(sourceId, span);
    }
  }

  get due(): boolean {
    return this.lines >= this.flushLines || this.held.keys >= this.flushKeys;
  }

  /** Hands over the totals and their spans, or null when no lines were added since the last. */
  take(): ActivityRows | null {
    if (this.spans.length === 0) return null;
    const rows: ActivityRows = { spans: this.spans, clients: [], users: [] };
    // In key order: the upserts then walk the tables' b-trees from one end to the other instead of
    // jumping about them, which for a log of many addresses is most of what a flush costs.
    for (const [day, { clients, users }] of [...this.days.take()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      for (const key of [...clients.byKey.keys()].sort()) rows.clients.push(day, key, ...clients.byKey.get(key)!);
      for (const key of [...users.byKey.keys()].sort()) rows.users.push(day, key, ...users.byKey.get(key)!);
    }
    this.spans = [];
    this.lastSpan = new Map();
    this.lines = 0;
    this.held.keys = 0;
    return rows;
  }
}

/** Adds an event to totals in ACTIVITY order (the same rules as ACTIVITY_SQL). */
function count(c: number[], e: TaggedEvent): void {
  const bytes = e.bytes ?? 0;
  if (e.kind === 'connect') c[0]!++;
  else if (e.kind === 'login') {
    if (e.outcome === 'ok') c[1]!++;
    else if (e.outcome === 'fail') c[2]!++;
  } else if (e.kind === 'transfer') {
    c[3]!++;
    if (e.direction === 'upload') c[4]! += bytes;
    else if (e.direction === 'download') c[5]! += bytes;
  }
  if (e.outcome === 'fail') c[6]!++;
  c[7]!++;
}

/** The SQL expressions that compute the activity totals from `events` rows: one place for the rules. */
export const ACTIVITY_SQL = `sum(kind = 'connect'), sum(kind = 'login' AND outcome = 'ok'), sum(kind = 'login' AND outcome = 'fail'),
  sum(kind = 'transfer'), sum(CASE WHEN kind = 'transfer' AND direction = 'upload' THEN coalesce(bytes, 0) ELSE 0 END),
  sum(CASE WHEN kind = 'transfer' AND direction = 'download' THEN coalesce(bytes, 0) ELSE 0 END), sum(outcome = 'fail'), count(*)`;

/** Where the lines of a source that a writer committed end: the last line, and the id of its last event. */
export interface Reached {
  line: number;
  eventId: number;
}

/** Writes activity totals: upserts of ready totals, or a recount of an id range from `events`. */
export class ActivityWriter {
  private readonly upsertClients: RowInserter;
  private readonly upsertUsers: RowInserter;
  private readonly recountClients: Statement;
  private readonly recountUsers: Statement;
  private readonly mark: Statement;
  private readonly markOf: Statement;

  constructor(private readonly db: Db) {
    const sums = ACTIVITY.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
    const onConflict = `ON CONFLICT DO UPDATE SET ${sums}`;
    this.upsertClients = new RowInserter(db, 'rollup_clients', ['day', 'client_ip', ...ACTIVITY], { onConflict });
    this.upsertUsers = new RowInserter(db, 'rollup_users', ['day', 'username', ...ACTIVITY], { onConflict });
    const recount = (table: string, column: string) => db.prepare(`INSERT INTO ${table}
      SELECT substr(ts, 1, 10), ${column}, ${ACTIVITY_SQL} FROM events
      WHERE id > ? AND id <= ? AND source_id = ? AND ${column} IS NOT NULL GROUP BY 1, 2
      ON CONFLICT DO UPDATE SET ${sums}`);
    this.recountClients = recount('rollup_clients', 'client_ip');
    this.recountUsers = recount('rollup_users', 'username');
    this.mark = db.prepare('UPDATE sources SET rolled_line = ?, rolled_event_id = ? WHERE id = ?');
    this.markOf = db.prepare('SELECT rolled_line AS line, rolled_event_id AS id FROM sources WHERE id = ?');
  }

  /**
   * Within the caller's transaction: adds totals, and moves each span's source's mark to its end.
   * `reached` says where the lines this writer committed of a source end, and its last event's id.
   * The totals go in when every span starts at its source's mark and ends where this writer's
   * lines of it end. Otherwise some of the totals were never committed (a batch refused because
   * another ingest took the source) or are counted already (another ingest recounted the source):
   * the totals are dropped, the spans that do line up are recounted from `events`, and the others
   * are left to whichever flush or catch-up finds their mark next.
   */
  flush(rows: ActivityRows, reached: (sourceId: number) => Reached | undefined): void {
    const valid: Array<{ span: ActivitySpan; mark: { line: number; id: number }; end: Reached }> = [];
    for (const span of rows.spans) {
      const mark = this.markOf.get(span.sourceId) as { line: number; id: number };
      const end = reached(span.sourceId);
      if (mark.line === span.fromLine && end?.line === span.toLine) valid.push({ span, mark, end });
    }
    if (valid.length === rows.spans.length) {
      this.upsertClients.run(rows.clients);
      this.upsertUsers.run(rows.users);
    } else {
      for (const { span, mark, end } of valid) this.recount(span.sourceId, mark.id, end.eventId);
    }
    for (const { span, end } of valid) this.mark.run(span.toLine, end.eventId, span.sourceId);
  }

  /** Within the caller's transaction: brings a source's totals up to date from `events`. */
  catchUp(sourceId: number): void {
    const s = this.db.prepare('SELECT rolled_event_id AS rolled, last_event_id AS last, lines_read AS lines FROM sources WHERE id = ?')
      .get(sourceId) as { rolled: number; last: number; lines: number };
    if (s.rolled < s.last) this.recount(sourceId, s.rolled, s.last);
    this.mark.run(s.lines, s.last, sourceId);
  }

  private recount(sourceId: number, afterId: number, lastId: number): void {
    this.recountClients.run(afterId, lastId, sourceId);
    this.recountUsers.run(afterId, lastId, sourceId);
  }
}

/**
 * Within the caller's transaction: takes a source's events out of the per-day client and user
 * totals (those up to its `rolled_event_id`, which the totals hold), dropping rows left empty.
 */
export function subtractActivity(db: Db, sourceId: number): void {
  const rolled = (db.prepare('SELECT rolled_event_id FROM sources WHERE id = ?').pluck().get(sourceId) as number | undefined) ?? 0;
  const sums = ACTIVITY.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  for (const [table, column] of [['rollup_clients', 'client_ip'], ['rollup_users', 'username']] as const) {
    db.prepare(`WITH g(day, k, ${ACTIVITY.join(', ')}) AS (
        SELECT substr(ts, 1, 10), ${column}, ${ACTIVITY_SQL} FROM events WHERE source_id = ? AND id <= ? AND ${column} IS NOT NULL GROUP BY 1, 2)
      INSERT INTO ${table} SELECT day, k, ${ACTIVITY.map((c) => `-${c}`).join(', ')} FROM g WHERE true
      ON CONFLICT DO UPDATE SET ${sums}`).run(sourceId, rolled);
    db.prepare(`DELETE FROM ${table} WHERE events <= 0`).run();
  }
}

/** Brings every source whose activity totals lag (a run killed between flushes) up to date. */
export function catchUpActivity(db: Db): void {
  const lagging = db.prepare('SELECT id FROM sources WHERE rolled_line < lines_read OR rolled_event_id < last_event_id').pluck().all() as number[];
  if (lagging.length === 0) return;
  const writer = new ActivityWriter(db);
  db.transaction(() => {
    for (const id of lagging) writer.catchUp(id);
  }).immediate();
}
