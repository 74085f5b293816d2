import type { Statement } from 'better-sqlite3';
import type { TaggedEvent } from '../codes/tag.js';
import type { Db } from './db.js';
import { DIRECTION_CODE, KIND_CODE, OUTCOME_CODE } from './eventCodes.js';

/**
 * Totals kept beside `events` so that reports summarising a whole night read thousands of rows,
 * not millions (the reports read the partial hours or days at a window's edges from `events`).
 *
 * `rollup_hourly` (per hour, format, server, source, kind, command, direction, outcome, reply
 * code) has few keys per batch and is upserted in every batch's own transaction.
 *
 * `rollup_clients` and `rollup_users` (per day and client address / user name) can have a key per
 * line (a botnet of addresses), so their totals are gathered across batches on the main thread and
 * written every FLUSH_LINES lines and at the end of a source. `sources.rolled_line` and
 * `rolled_event_id` say how far they include a source; until the next flush, reports add the
 * source's events past `rolled_event_id` (up to `last_event_id`) from `events`. A flush that finds
 * the mark moved (a run killed between flushes, then repaired) recounts its span from `events`
 * instead, so nothing is counted twice.
 *
 * Empty text stands for NULL in key columns, and 0 for no reply code: keys must compare equal.
 */
export const ROLLUP_HOURLY_COLUMNS = ['hour', 'format', 'server', 'source_id', 'kind', 'command', 'direction', 'outcome',
  'reply_code', 'events', 'bytes', 'first_ts', 'last_ts'];
const ACTIVITY = ['connections', 'logins', 'failed_logins', 'transfers', 'bytes_in', 'bytes_out', 'failures', 'events'];
/**
 * Each flush upserts every client and user of its span, so a night of a few thousand addresses
 * costs a flush's worth of upserts per FLUSH_LINES lines; the span's totals are held in memory until
 * then (at most one entry per distinct client and user a day).
 */
export const FLUSH_LINES = 200_000;

export interface ActivityRows {
  /** Lines of the source the totals start after (its `rolled_line` when they began). */
  fromLine: number;
  clients: unknown[][];
  users: unknown[][];
}

/**
 * Buckets keyed by the first `width` characters of a time stamp (the hour, the day). Consecutive
 * events mostly share a stamp, so the bucket is looked up again only when the stamp changes.
 */
class TimeBuckets<T> {
  private buckets = new Map<string, T>();
  private lastTs = '';
  private last: T | undefined;

  constructor(private readonly width: number, private readonly create: () => T) {}

  at(ts: string): T {
    if (ts !== this.lastTs || this.last === undefined) {
      const key = ts.slice(0, this.width);
      let bucket = this.buckets.get(key);
      if (bucket === undefined) this.buckets.set(key, (bucket = this.create()));
      this.lastTs = ts;
      this.last = bucket;
    }
    return this.last;
  }

  /** The buckets so far, by key; empties the set. */
  take(): Map<string, T> {
    const buckets = this.buckets;
    this.buckets = new Map();
    this.last = undefined;
    return buckets;
  }
}

/** The map under `key`, made empty when missing. */
function child<K, L, V>(map: Map<K, Map<L, V>>, key: K): Map<L, V> {
  let m = map.get(key);
  if (m === undefined) map.set(key, (m = new Map()));
  return m;
}

/**
 * Hourly totals for one batch of one source. Runs once per event on the parsing thread, so it keys
 * nested maps by values the event already holds: no key string is built per event.
 */
export class HourlyAccumulator {
  /** hour → server → command → kind/direction/outcome/reply number → row. */
  private readonly hours = new TimeBuckets(13, () => new Map<string, Map<string, Map<number, unknown[]>>>());

  add(sourceId: number, format: string, e: TaggedEvent): void {
    const server = e.server ?? '';
    const command = e.command ?? '';
    const reply = e.replyCode ?? 0;
    const bytes = e.bytes ?? 0;
    const byRest = child(child(this.hours.at(e.ts), server), command);
    // Unique for every integer reply: kind < 16, direction and outcome < 3.
    const rest = ((reply * 16 + KIND_CODE[e.kind]) * 3 + (e.direction === null ? 2 : DIRECTION_CODE[e.direction])) * 3
      + OUTCOME_CODE[e.outcome];
    const r = byRest.get(rest);
    if (r === undefined) {
      byRest.set(rest, [e.ts.slice(0, 13), format, server, sourceId, e.kind, command, e.direction ?? '', e.outcome, reply, 1, bytes,
        e.ts, e.ts]);
      return;
    }
    (r[9] as number)++;
    r[10] = (r[10] as number) + bytes;
    if (e.ts < (r[11] as string)) r[11] = e.ts;
    if (e.ts > (r[12] as string)) r[12] = e.ts;
  }

  take(): unknown[][] {
    const rows: unknown[][] = [];
    for (const byServer of this.hours.take().values()) {
      for (const byCommand of byServer.values()) for (const byRest of byCommand.values()) rows.push(...byRest.values());
    }
    return rows;
  }
}

interface DayActivity {
  clients: Map<string, number[]>;
  users: Map<string, number[]>;
}

/** Per-day totals per client address and per user name, gathered until the next flush. */
export class ActivityAccumulator {
  private readonly days = new TimeBuckets<DayActivity>(10, () => ({ clients: new Map(), users: new Map() }));
  private lines = 0;

  constructor(private fromLine: number) {}

  add(e: TaggedEvent): void {
    const day = this.days.at(e.ts);
    if (e.clientIp !== null) count(day.clients, e.clientIp, e);
    if (e.username !== null) count(day.users, e.username, e);
  }

  /** Counts lines (events or not) towards the next flush. */
  line(): void {
    this.lines++;
  }

  get due(): boolean {
    return this.lines >= FLUSH_LINES;
  }

  /** Hands over the totals since `fromLine`; the next span starts after `toLine`. */
  take(toLine: number): ActivityRows {
    const rows: ActivityRows = { fromLine: this.fromLine, clients: [], users: [] };
    for (const [day, { clients, users }] of this.days.take()) {
      for (const [key, totals] of clients) rows.clients.push([day, key, ...totals]);
      for (const [key, totals] of users) rows.users.push([day, key, ...totals]);
    }
    this.lines = 0;
    this.fromLine = toLine;
    return rows;
  }
}

function count(map: Map<string, number[]>, key: string, e: TaggedEvent): void {
  let c = map.get(key);
  if (c === undefined) {
    c = [0, 0, 0, 0, 0, 0, 0, 0];
    map.set(key, c);
  }
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

/** Writes activity totals: upserts of ready totals, or a recount of an id range from `events`. */
export class ActivityWriter {
  private readonly upsertClient: Statement;
  private readonly upsertUser: Statement;
  private readonly recountClients: Statement;
  private readonly recountUsers: Statement;
  private readonly mark: Statement;
  private readonly markOf: Statement;

  constructor(private readonly db: Db) {
    const sums = ACTIVITY.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
    const values = `(${['?', '?', ...ACTIVITY.map(() => '?')].join(', ')})`;
    this.upsertClient = db.prepare(`INSERT INTO rollup_clients VALUES ${values} ON CONFLICT DO UPDATE SET ${sums}`);
    this.upsertUser = db.prepare(`INSERT INTO rollup_users VALUES ${values} ON CONFLICT DO UPDATE SET ${sums}`);
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
   * Within the caller's transaction: adds the totals of a span of lines ending at `toLine` (whose
   * last event has id `lastEventId`). If the source's mark is not where the span starts, the totals
   * are dropped and the source is recounted from `events` up to `lastEventId`.
   */
  flush(sourceId: number, rows: ActivityRows, toLine: number, lastEventId: number): void {
    const mark = this.markOf.get(sourceId) as { line: number; id: number };
    if (mark.line === rows.fromLine) {
      for (const r of rows.clients) this.upsertClient.run(r);
      for (const r of rows.users) this.upsertUser.run(r);
    } else {
      this.recount(sourceId, mark.id, lastEventId);
    }
    this.mark.run(toLine, lastEventId, sourceId);
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

/** Brings every source whose activity totals lag (a run killed between flushes) up to date. */
export function catchUpActivity(db: Db): void {
  const lagging = db.prepare('SELECT id FROM sources WHERE rolled_line < lines_read OR rolled_event_id < last_event_id').pluck().all() as number[];
  if (lagging.length === 0) return;
  const writer = new ActivityWriter(db);
  db.transaction(() => {
    for (const id of lagging) writer.catchUp(id);
  }).immediate();
}
