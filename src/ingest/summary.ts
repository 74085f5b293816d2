import { relative } from 'node:path';
import type { ResultSet } from '../store/index.js';
import type { IngestSummary, SourceSummary } from './ingest.js';

/** What `ftplog ingest --format` prints: the summary as text (on stderr), as one JSON object, or a row per source. */
export const INGEST_OUTPUTS = ['text', 'json', 'table', 'csv', 'markdown'] as const;
export type IngestOutput = (typeof INGEST_OUTPUTS)[number];

/** A row per source of the run, for `--format table|csv|markdown`: the figures of the text summary, one per column. */
export function summaryRows(s: IngestSummary): ResultSet {
  return {
    columns: ['path', 'format', 'status', 'resumed_after_line', 'lines', 'events', 'skipped', 'rejected', 'error'],
    rows: s.files.map((f) => [f.path, f.format === null ? null : formatLabel(f), f.status, f.resumedAtLine, f.lines, f.events, f.skipped, f.rejected, f.error]),
  };
}

/** The short human summary `ftplog ingest` prints on stderr. */
export function renderIngestSummary(s: IngestSummary, dbPath: string): string {
  const out: string[] = [];
  const read = s.files.filter((f) => f.status !== 'failed' && f.status !== 'not-a-log').length;
  out.push(`ftplog: ${read} of ${s.sources} source${s.sources === 1 ? '' : 's'} read into ${dbPath} in ${s.seconds.toFixed(2)} s`);
  const name = (p: string) => (p === '-' ? '(stdin)' : relative(process.cwd(), p) || p);
  const width = Math.min(60, Math.max(10, ...s.files.map((f) => name(f.path).length)));
  const formatWidth = Math.min(40, Math.max(7, ...s.files.map((f) => formatLabel(f).length)));
  for (const f of s.files) {
    const label = name(f.path).padEnd(width);
    if (f.status === 'not-a-log') {
      out.push(`  ${label}  left out: ${f.error}`);
      continue;
    }
    if (f.status === 'failed' && f.sourceId === null) {
      out.push(`  ${label}  FAILED: ${f.error}`);
      continue;
    }
    const what = f.status === 'unchanged' ? 'unchanged, nothing new'
      : f.status === 'taken' ? 'being read by another ingest, left to it'
      : `${f.lines} lines: ${f.events} events, ${f.skipped} skipped, ${f.rejected} rejected${f.resumedAtLine ? ` (resumed after line ${f.resumedAtLine})` : ''}`;
    const note = (f.defaultFieldLines ? ` [${f.defaultFieldLines} lines before any #Fields: read in the default IIS layout their values fit]` : '') +
      (f.ambiguousDates ? ` [${f.ambiguousDates} lines dated day-first or month-first alike: read the way that puts them nearest before the file's time, flagged ambiguous-date]` : '') +
      (f.unfinishedBytes ? ` [an unfinished last line (${f.unfinishedBytes} bytes, no newline yet) is left for the next run]` : '');
    out.push(`  ${label}  ${formatLabel(f).padEnd(formatWidth)}  ${what}${note}${f.error ? `  FAILED: ${f.error}` : ''}`);
  }
  if (s.filteredOut) out.push(`  (${s.filteredOut} file${s.filteredOut === 1 ? '' : 's'} below the folders given left out by --include/--exclude)`);
  const formats = Object.entries(s.formats).map(([k, v]) => `${k} ${v}`).join(', ');
  out.push(`  total: ${s.lines} lines, ${s.events} events, ${s.skipped} skipped, ${s.rejected} rejected${formats ? ` (${formats})` : ''}`);
  return out.join('\n') + '\n';
}

/** A source's format; a syslog source names the servers whose lines it held. */
function formatLabel(f: SourceSummary): string {
  if (f.format === null) return 'unknown format';
  const servers = f.format === 'syslog' && f.formats ? Object.keys(f.formats).join('+') : '';
  return servers ? `${f.format} (${servers})` : f.format;
}
