import { UsageError } from '../exitCodes.js';
import { isoSeconds } from '../timestamp.js';
import { ZoneClock } from '../zone.js';
import type { Report, ReportParam } from './catalog.js';

const UNITS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, w: 604_800 };
const UTC = new ZoneClock('UTC');
/** A span back from now: `90m`, `24h`, `7d`, `2w`. */
const SPAN = /^(\d+)\s*(s|m|min|h|d|w)$/i;

export function isSpan(value: string): boolean {
  return SPAN.test(value.trim());
}

/**
 * A time for `--since`/`--until`: `now`, a span back from now (`90m`, `24h`, `7d`, `2w`), `today` or
 * `yesterday` (midnight on `clock`), a date (`2024-03-05`, midnight on `clock`) or an ISO date-time
 * (`2024-03-05T14:00`, on `clock` unless it names an offset). Returned in the form event times are
 * stored in (UTC), so they compare as text.
 */
export function parseTime(value: string, now: Date = new Date(), clock: ZoneClock = UTC): string {
  const v = value.trim();
  let ms: number;
  const span = SPAN.exec(v);
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  const word = v.toLowerCase();
  if (word === 'now') ms = now.getTime();
  else if (word === 'today' || word === 'yesterday') {
    // Midnight of the reader's today, or of the day before (its date by calendar arithmetic in UTC).
    const today = Date.parse(`${clock.dateOf(now.getTime())}T00:00:00Z`);
    const day = new Date(today - (word === 'yesterday' ? 86_400_000 : 0));
    ms = clock.toUtcMs(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 0, 0, 0);
  } else if (span) ms = now.getTime() - Number(span[1]) * UNITS[span[2]!.toLowerCase()]! * 1000;
  // A date, or a date-time naming no offset, is wall-clock time in the reader's zone.
  else if (local) ms = clock.toUtcMs(+local[1]!, +local[2]!, +local[3]!, +(local[4] ?? 0), +(local[5] ?? 0), +(local[6] ?? 0));
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(v)) ms = Date.parse(v.replace(' ', 'T'));
  else ms = NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(`'${value}' is not a time: use an ISO date or date-time (2024-03-05, 2024-03-05T14:00, 2024-03-05T14:00Z), today, yesterday, now or a span like 24h, 7d`);
  }
  return isoSeconds(ms);
}

export interface ParamInput {
  since?: string;
  until?: string;
  /** `--param key=value`, repeatable. */
  params?: string[];
  /** Reads a file an `addresses` parameter names (the CLI's; none, and such a parameter given is refused). */
  readFile?: (path: string) => string;
}

/** `--param key=value` options as [key, value] pairs, split at the first `=`. */
export function splitKeyValues(list: string[]): Array<[string, string]> {
  return list.map((kv) => {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param takes key=value, not '${kv}'`);
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  });
}

/** Checks and converts the user's values against the report's parameters; the rest take their defaults. */
export function bindParams(report: Report, input: ParamInput, now: Date = new Date(), clock: ZoneClock = UTC): Record<string, string | number> {
  const given = new Map(splitKeyValues(input.params ?? []).map(([k, v]) => [k.trim(), v.trim()]));
  if (input.since !== undefined) given.set('since', input.since);
  if (input.until !== undefined) given.set('until', input.until);
  for (const key of given.keys()) {
    if (!report.params.some((p) => p.name === key)) {
      const known = report.params.map((p) => p.name).join(', ') || 'none';
      throw new UsageError(`report '${report.name}' has no parameter '${key}' (it takes: ${known})`);
    }
  }
  const out: Record<string, string | number> = {};
  const read = input.readFile ?? (() => { throw new UsageError('reading files is not possible here'); });
  for (const p of report.params) out[p.name] = convert(report, p, given.get(p.name) ?? p.default, now, clock, read);
  return out;
}

/**
 * The addresses in an allow-list file: one a line, `#` starts a comment, blank lines are none;
 * `::ffff:1.2.3.4` is `1.2.3.4`, as events store it. A range (`10.0.0.0/8`) is refused: only
 * addresses are compared.
 */
function addressList(report: Report, p: ReportParam, path: string, read: (path: string) => string): string[] {
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    throw new UsageError(`report '${report.name}': ${p.name}: cannot read ${path}: ${(err as Error).message}`);
  }
  const out: string[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    if (line.includes('/') || /\s/.test(line)) throw new UsageError(`${path}:${i + 1}: '${line}' is not one address (ranges are not read)`);
    out.push(line.toLowerCase().startsWith('::ffff:') && line.includes('.') ? line.slice(7) : line.toLowerCase());
  }
  return out;
}

function convert(report: Report, p: ReportParam, value: string, now: Date, clock: ZoneClock, read: (path: string) => string): string | number {
  switch (p.type.kind) {
    case 'time':
      return parseTime(value, now, clock);
    case 'int': {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new UsageError(`report '${report.name}': ${p.name} takes a whole number, not '${value}'`);
      return n;
    }
    case 'choice':
      if (!p.type.choices.includes(value)) {
        throw new UsageError(`report '${report.name}': ${p.name} is one of ${p.type.choices.join(', ')}, not '${value}'`);
      }
      return value;
    case 'text':
      return value;
    case 'addresses':
      return JSON.stringify(value === '' ? [] : addressList(report, p, value, read));
  }
}
