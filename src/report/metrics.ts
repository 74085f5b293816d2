import type { Dialect } from '../store/index.js';
import type { SourceRow } from './sources.js';

/**
 * `ftplog metrics`: the database's figures in the Prometheus text exposition format (version 0.0.4),
 * for node_exporter's textfile collector. Every family is a gauge: the figures are what the database
 * holds now, and retention can make them smaller.
 */
/** Events by format and outcome, in each store's SQL. */
export const EVENTS_BY_FORMAT_SQL: Record<Dialect, string> = {
  sqlite: 'SELECT format, outcome, sum(events) AS events FROM rollup_hourly GROUP BY 1, 2 ORDER BY 1, 2',
  clickhouse: 'SELECT format, outcome, count() AS events FROM events GROUP BY format, outcome ORDER BY format, outcome',
};

export interface Figures {
  /** From the headline report over all time. */
  headline: { events: number; failed: number; failed_logins: number; failed_transfers: number; bytes: number; rejected: number };
  /** Events by their format and outcome. */
  byFormat: Array<{ format: string; outcome: string; events: number }>;
  sources: SourceRow[];
  now: Date;
}

interface Family {
  name: string;
  help: string;
  samples: Array<{ labels?: Record<string, string>; value: number }>;
}

const STATUSES = ['complete', 'growing', 'gone', 'failed'] as const;

export function renderMetrics(f: Figures): string {
  const h = f.headline;
  const families: Family[] = [
    { name: 'ftplog_events', help: 'Events in the database, by format and outcome.', samples: f.byFormat.map((r) => ({ labels: { format: r.format, outcome: r.outcome }, value: r.events })) },
    { name: 'ftplog_failed_events', help: 'Events whose outcome is a failure.', samples: [{ value: h.failed }] },
    { name: 'ftplog_failed_logins', help: 'Failed login attempts, each counted once however many lines the logs spend on it.', samples: [{ value: h.failed_logins }] },
    { name: 'ftplog_failed_transfers', help: 'Failed transfers, each counted once however many logs wrote it.', samples: [{ value: h.failed_transfers }] },
    { name: 'ftplog_transfer_bytes', help: 'Bytes moved by transfers.', samples: [{ value: h.bytes }] },
    { name: 'ftplog_rejected_lines', help: 'Lines that were read but could not be understood.', samples: [{ value: h.rejected }] },
    { name: 'ftplog_sources', help: 'Sources (files and standard-input reads) the database has read.', samples: [{ value: f.sources.length }] },
    {
      name: 'ftplog_source_lines', help: 'Lines read from each source.',
      samples: f.sources.map((s) => ({ labels: sourceLabels(s), value: s.lines })),
    },
    {
      name: 'ftplog_source_last_event_age_seconds', help: "Seconds since each source's newest event (sources with events only).",
      samples: f.sources.filter((s) => s.last_event !== null).map((s) => ({
        labels: sourceLabels(s), value: Math.max(0, Math.round((f.now.getTime() - Date.parse(s.last_event!)) / 1000)),
      })),
    },
    {
      name: 'ftplog_source_status', help: "Each source's read status: 1 for the status it has (complete, growing, gone, failed), 0 for the others.",
      samples: f.sources.flatMap((s) => STATUSES.map((status) => ({
        labels: { ...sourceLabels(s), status }, value: s.status === status || (status === 'failed' && s.status.startsWith('failed')) ? 1 : 0,
      }))),
    },
  ];
  const out: string[] = [];
  for (const fam of families) {
    out.push(`# HELP ${fam.name} ${fam.help}`, `# TYPE ${fam.name} gauge`);
    for (const s of fam.samples) out.push(`${fam.name}${labelText(s.labels)} ${s.value}`);
  }
  return out.join('\n') + '\n';
}

function sourceLabels(s: SourceRow): Record<string, string> {
  return { source: String(s.id), path: s.path, format: s.format ?? 'unknown' };
}

function labelText(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}
