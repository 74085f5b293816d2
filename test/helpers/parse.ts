import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../src/ingest/lines.js';
import { SourceParser, type LineOutcome, type SourceParserOptions } from '../../src/ingest/pipeline.js';

export function fixture(rel: string): string {
  return fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
}

/** Runs bytes through the splitter and a SourceParser, as ingest does, without a database. */
export function parseBytes(data: Buffer | string, opts: Partial<SourceParserOptions> = {}, chunkSize = 65536) {
  const outcomes: LineOutcome[] = [];
  const options: SourceParserOptions = {
    format: 'auto', tz: 'UTC', referenceDate: new Date('2024-06-01T00:00:00Z'), maxLineBytes: 65536, ...opts,
  };
  const sp = new SourceParser(options, (o) => outcomes.push(o));
  const splitter = new LineSplitter(options.maxLineBytes, (l) => sp.line(l));
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  for (let i = 0; i < buf.length; i += chunkSize) splitter.push(buf.subarray(i, i + chunkSize));
  splitter.end();
  sp.end();
  const events = outcomes.flatMap((o) => (o.type === 'event' ? [o.event] : []));
  const rejects = outcomes.flatMap((o) => (o.type === 'reject' ? [{ lineNo: o.line.lineNo, reason: o.reason }] : []));
  return { format: sp.detected?.name ?? null, counts: sp.counts, counters: sp.formatCounters(), outcomes, events, rejects };
}

export function parseFixture(rel: string, opts: Partial<SourceParserOptions> = {}) {
  return parseBytes(readFileSync(fixture(rel)), { sourceName: basename(rel), ...opts });
}

export function countBy<T>(items: T[], key: (t: T) => string | number | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) {
    const k = String(key(t));
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
