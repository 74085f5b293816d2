import type { QueryStore } from '../store/index.js';
import { isoSeconds } from '../timestamp.js';
import type { Report } from './catalog.js';
import { bindParams, parseTime } from './params.js';
import { resultInZone, rowObjects, runReport, type ResultSet } from './run.js';
import { ZoneClock } from '../zone.js';

/** The nightly report's figures: everything the markdown and HTML renderings show. */
export interface NightlyData {
  generatedAt: string;
  /** The zone every time here is shown in (IANA name). */
  zone: string;
  dbPath: string;
  window: { since: string; until: string };
  baseline: { since: string; until: string };
  headline: Figure[];
  /** What makes the night need a look, worst first: no events, silent logs, guessed passwords, thresholds. */
  breaches: string[];
  /** Inputs of the ingest before the report that could not be read, with the reason. */
  unreadable: Array<{ path: string; error: string }>;
  /** Whether any threshold was given: without one, the report says so rather than that all hold. */
  thresholdsGiven: boolean;
  /** Window-length pieces of the baseline that hold events, of all there are: the averages are over the first. */
  baselineCoverage: { withData: number; pieces: number };
  /** Brute-force bursts followed by a successful login (the guessed-passwords report). */
  guessed: ResultSet;
  sections: Section[];
  failuresPerHour: Array<{ hour: string; events: number; failed: number }>;
  replyClasses: Array<{ label: string; events: number }>;
  /** Reply codes and error names the baseline never saw; null when the baseline has no events. */
  newThisNight: { replyCodes: string[]; errors: string[] } | null;
  dataQuality: Array<[string, string]>;
}

export interface Figure {
  key: 'events' | 'fail_pct' | 'failed_logins' | 'failed_transfers' | 'bytes' | 'rejected';
  label: string;
  value: number;
  /** The baseline's average for a window of the same length; null without baseline data. */
  baseline: number | null;
}

/** A table with the `ftplog report …` command that gives its full list. */
export interface Section {
  title: string;
  note: string;
  rows: ResultSet;
  command: string;
}

export interface Thresholds {
  failRate?: number;
  authFailures?: number;
  rejects?: number;
}

export interface NightlyOptions {
  /** Start of the window: a span back from `now` (`24h`) or a time. */
  since: string;
  /** Length of the baseline before the window: a span (`7d`). */
  baseline: string;
  now: Date;
  thresholds: Thresholds;
  /** A window without events (or a log silent since the baseline) is no breach. */
  allowEmpty?: boolean;
  dbPath: string;
  /** Facts about the ingest that preceded the report, if one did. */
  ingested?: Array<[string, string]>;
  /** Inputs that ingest could not read, with the reason. */
  unreadable?: Array<{ path: string; error: string }>;
  /** The reader's zone: --since dates are read and every time is shown there (default UTC). */
  clock?: ZoneClock;
}

const HEADLINES: Array<[Figure['key'], string]> = [
  ['events', 'Events'],
  ['fail_pct', 'Failure rate (%)'],
  ['failed_logins', 'Failed logins'],
  ['failed_transfers', 'Failed transfers'],
  ['bytes', 'Bytes moved'],
  ['rejected', 'Rejected lines'],
];

/** Builds the night's figures from the canned reports, for the window and the baseline before it. */
export async function buildNightly(db: QueryStore, reports: Map<string, Report>, o: NightlyOptions): Promise<NightlyData> {
  const clock = o.clock ?? new ZoneClock('UTC');
  const show = (t: unknown) => clock.showIso(Date.parse(String(t)));
  const local = (r: ResultSet): ResultSet => resultInZone(r, clock);
  const until = parseTime('now', o.now);
  const since = parseTime(o.since, o.now, clock);
  const spanMs = Date.parse(until) - Date.parse(since);
  const baselineMs = Date.parse(until) - Date.parse(parseTime(o.baseline, o.now));
  const baseline = { since: isoSeconds(Date.parse(since) - baselineMs), until: since };

  const run = (name: string, window: { since: string; until: string }, params: string[] = []): Promise<ResultSet> => {
    const report = reports.get(name);
    if (!report) throw new Error(`the nightly report needs the canned report '${name}'`);
    return runReport(db, report, bindParams(report, { since: window.since, until: window.until, params }, o.now));
  };
  const cmd = (name: string, params: string[] = []) =>
    `ftplog report ${name} --db ${o.dbPath} --since ${since} --until ${until}${params.map((p) => ` --param ${p}`).join('')}`;
  const window = { since, until };

  const now = rowObjects(await run('headline', window))[0]!;
  const before = rowObjects(await run('headline', baseline))[0]!;
  const haveBaseline = (before.events as number) > 0;
  const baselineCoverage = coverage(baseline, spanMs, rowObjects(await run('failure-rate', baseline, ['bucket=hour'])));
  const headline: Figure[] = HEADLINES.map(([key, label]) => {
    const value = Number(now[key] ?? 0);
    let base: number | null = null;
    // Averaged over the pieces of the baseline that hold data: a log that began yesterday has one piece, not seven.
    if (haveBaseline) base = key === 'fail_pct' ? Number(before[key] ?? 0) : Number(before[key]) / baselineCoverage.withData;
    return { key, label, value, baseline: base };
  });

  const breaches: string[] = [];
  if (Number(now.events) === 0 && !o.allowEmpty) breaches.push(`No events between ${show(since)} and ${show(until)}: did logging stop?`);
  if (!o.allowEmpty) {
    for (const log of silentLogs(rowObjects(await run('source-activity', baseline)), rowObjects(await run('source-activity', window)))) {
      breaches.push(`Silent: ${log.name} (${log.format}) had ${log.events} events in the baseline and none in the window`);
    }
  }
  const guessed = await run('guessed-passwords', window);
  for (const g of rowObjects(guessed)) {
    breaches.push(`Guessed password? ${g.client_ip} failed ${g.failures} logins from ${show(g.burst_start)} to ${show(g.burst_end)}, then `
      + `${g.login_client} logged in${g.login_user === null ? '' : ` as ${g.login_user}`} at ${show(g.login_at)} and moved `
      + `${g.transfers_after} transfer${g.transfers_after === 1 ? '' : 's'} (${g.bytes_after} bytes) after it`);
  }
  const t = o.thresholds;
  const figure = (key: Figure['key']) => headline.find((f) => f.key === key)!.value;
  if (t.failRate !== undefined && figure('fail_pct') > t.failRate) breaches.push(`Failure rate ${figure('fail_pct')}% is above ${t.failRate}%`);
  if (t.authFailures !== undefined && figure('failed_logins') > t.authFailures) breaches.push(`${figure('failed_logins')} failed logins, above ${t.authFailures}`);
  if (t.rejects !== undefined && figure('rejected') > t.rejects) breaches.push(`${figure('rejected')} rejected lines, above ${t.rejects}`);

  const top = async (name: string, column: string) => {
    const r = await run(name, window, ['sort=failures', 'limit=10']);
    const keep = ['failures', 'failed_logins', 'transfers', 'events'];
    const idx = [r.columns.indexOf(column), ...keep.map((c) => r.columns.indexOf(c))];
    return { columns: [column, ...keep], rows: r.rows.filter((row) => (row[r.columns.indexOf('failures')] as number) > 0).map((row) => idx.map((i) => row[i])) };
  };

  const transfers: ResultSet = {
    columns: ['reply_code', 'meaning', 'errors'],
    rows: largestFirst(sumBy(rowObjects(await run('transfer-errors', window, ['limit=1000000'])), ['reply_code', 'meaning'], 'errors')),
  };

  const errorRows = async (w: { since: string; until: string }) => rowObjects(await run('winsock-errors', w, ['limit=1000000']));
  const errorsNow = await errorRows(window);
  const errors: ResultSet = {
    columns: ['number', 'name', 'meaning', 'events'],
    rows: largestFirst(sumBy(errorsNow, ['number', 'name', 'meaning'], 'events')),
  };

  const codesNow = rowObjects(await run('reply-codes', window));
  const codesBefore = new Set(rowObjects(await run('reply-codes', baseline)).map((r) => r.code));
  const errorsBefore = new Set((await errorRows(baseline)).map((r) => r.name));

  const bursts = await run('brute-force', window);
  const perHour = rowObjects(await run('failure-rate', window, ['bucket=hour']));
  const classes = sumBy(codesNow, ['class'], 'events');
  const formats = sumBy(rowObjects(await run('overview', window)), ['format'], 'events');

  return {
    generatedAt: show(isoSeconds(o.now.getTime())),
    zone: clock.zone,
    dbPath: o.dbPath,
    window: { since: show(since), until: show(until) },
    baseline: { since: show(baseline.since), until: show(baseline.until) },
    headline,
    breaches,
    unreadable: o.unreadable ?? [],
    thresholdsGiven: t.failRate !== undefined || t.authFailures !== undefined || t.rejects !== undefined,
    baselineCoverage,
    guessed,
    sections: [
      { title: 'Top failing clients', note: 'Client addresses with the most failed events of any kind.', rows: local(await top('top-clients', 'client_ip')), command: cmd('top-clients', ['sort=failures']) },
      { title: 'Top failing users', note: 'User names with the most failed events of any kind.', rows: local(await top('top-users', 'username')), command: cmd('top-users', ['sort=failures']) },
      { title: 'Brute-force bursts', note: '10 or more failed logins from one address within 10 minutes.', rows: local(bursts), command: cmd('brute-force') },
      { title: 'Guessed passwords', note: 'Bursts followed by a successful login from the same address or for a user name they tried, and what was moved after it.', rows: local(guessed), command: cmd('guessed-passwords') },
      { title: 'Transfer errors by reply code', note: 'Failed and incomplete transfers, one per attempt: they add up to the failed transfers above.', rows: local(transfers), command: cmd('transfer-errors') },
      { title: 'Winsock and Win32 errors', note: 'Non-zero OS error numbers, on failures and on successes.', rows: local(errors), command: cmd('winsock-errors') },
    ],
    failuresPerHour: everyHour(since, until, perHour, clock),
    replyClasses: classes.sort((a, b) => Number(a[0]) - Number(b[0])).map(([c, n]) => ({ label: `${c}xx`, events: n as number })),
    newThisNight: haveBaseline ? {
      replyCodes: codesNow.filter((r) => !codesBefore.has(r.code)).map((r) => `${r.code} ${r.meaning}`),
      errors: errorsNow.map((r) => String(r.name)).filter((n, i, all) => !errorsBefore.has(n) && all.indexOf(n) === i),
    } : null,
    dataQuality: [
      ...(o.ingested ?? []),
      ['Sources with events in the window', String(now.sources)],
      ['Rejected lines in the window', String(now.rejected)],
      ['Events per format', formats.map(([f, n]) => `${f} ${n}`).join(', ') || 'none'],
    ],
  };
}

/**
 * The baseline cut into pieces of the window's length, back from its end, and how many of them hold
 * events (at least one counts, so an empty baseline divides by one). `perHour`: failure-rate rows by hour.
 */
function coverage(baseline: { since: string; until: string }, spanMs: number, perHour: Array<Record<string, unknown>>) {
  const end = Date.parse(baseline.until);
  const pieces = Math.max(1, Math.ceil((end - Date.parse(baseline.since)) / spanMs));
  const withData = new Set(perHour.filter((r) => Number(r.events) > 0).map((r) => Math.floor((end - 1 - Date.parse(String(r.period))) / spanMs)));
  return { withData: Math.max(1, withData.size), pieces };
}

/**
 * A log is a file and its rotations (`xferlog`, `xferlog.1`, `xferlog.2.gz`, `xferlog-20240305.gz`) in one
 * folder, in one format: after a rotation the old file goes quiet while the log goes on in the new one.
 * Silent: a log with events in the baseline and none in the window.
 */
export function silentLogs(before: Array<Record<string, unknown>>, now: Array<Record<string, unknown>>) {
  const logOf = (r: Record<string, unknown>) => ({
    name: String(r.path).replace(/([.-]\d{8})?(\.\d+)?(\.(gz|bz2|xz|zst))?$/, ''), format: String(r.format),
  });
  const live = new Set(now.map((r) => JSON.stringify(logOf(r))));
  const quiet = new Map<string, { name: string; format: string; events: number }>();
  for (const r of before) {
    const log = logOf(r);
    const key = JSON.stringify(log);
    if (live.has(key)) continue;
    const entry = quiet.get(key) ?? { ...log, events: 0 };
    entry.events += Number(r.events);
    quiet.set(key, entry);
  }
  return [...quiet.values()];
}

/** One entry per hour of the window (at most a week of them), hours without events at zero, each labelled on `clock`. */
function everyHour(since: string, until: string, rows: Array<Record<string, unknown>>, clock: ZoneClock): NightlyData['failuresPerHour'] {
  const byHour = new Map(rows.map((r) => [String(r.period), r]));
  const out: NightlyData['failuresPerHour'] = [];
  const first = Math.floor(Date.parse(since) / 3_600_000) * 3_600_000;
  for (let t = first; t < Date.parse(until) && out.length < 168; t += 3_600_000) {
    // failure-rate names an hour by its UTC start: 2024-03-08T01:00Z.
    const r = byHour.get(new Date(t).toISOString().slice(0, 13) + ':00Z');
    out.push({ hour: clock.showIso(t), events: r ? Number(r.events) : 0, failed: r ? Number(r.failed) : 0 });
  }
  return out;
}

/**
 * One row per distinct value of the `keys` columns, in order of first appearance: the key's values,
 * then the sum of the `value` column over its rows.
 */
function sumBy(rows: Array<Record<string, unknown>>, keys: string[], value: string): unknown[][] {
  const out = new Map<string, unknown[]>();
  for (const r of rows) {
    const key = keys.map((k) => r[k]);
    const id = JSON.stringify(key);
    const row = out.get(id);
    if (row === undefined) out.set(id, [...key, Number(r[value])]);
    else row[keys.length] = (row[keys.length] as number) + Number(r[value]);
  }
  return [...out.values()];
}

/** Rows whose last cell is a total, largest total first (ties keep their order). */
function largestFirst(rows: unknown[][]): unknown[][] {
  return rows.sort((a, b) => (b[b.length - 1] as number) - (a[a.length - 1] as number));
}
