import { stringify } from 'csv-stringify/sync';
import { rowObjects, type ResultSet } from './run.js';

export const OUTPUT_FORMATS = ['table', 'csv', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  /** Terminal width for `table`; no limit when absent (a pipe or a file). */
  width?: number;
  /** Neutralise spreadsheet formulas in CSV (default on). */
  csvSafe?: boolean;
  /** Prefix CSV with a UTF-8 BOM so Excel reads it as UTF-8. */
  excel?: boolean;
}

export function render(r: ResultSet, format: OutputFormat, opts: RenderOptions = {}): string {
  switch (format) {
    case 'table': return table(r, opts.width);
    case 'csv': return csv(r, opts.csvSafe ?? true, opts.excel ?? false);
    case 'json': return json(r);
    case 'markdown': return markdown(r);
  }
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Math.round(v * 100) / 100);
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  return String(v);
}

/** A spreadsheet runs a cell that starts with one of these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csv(r: ResultSet, safe: boolean, excel: boolean): string {
  const rows = r.rows.map((row) => row.map((v) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v !== 'string') return v;
    return safe && FORMULA_START.test(v) ? `'${v}` : v;
  }));
  const out = stringify(rows, { header: true, columns: r.columns, quoted_match: /^\s|\s$/ });
  return (excel ? '\ufeff' : '') + out;
}

function json(r: ResultSet): string {
  return JSON.stringify(rowObjects(r, jsonValue), null, 2) + '\n';
}

function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return v ?? null;
}

/**
 * Text from a log (user names, paths, reply texts, all the client's to write) made inert in
 * Markdown: no HTML tag or entity, no table cell boundary, no emphasis, code span or link; line
 * breaks become <br>. A viewer shows the text as it was logged.
 */
export function markdownText(v: unknown): string {
  return text(v).replace(/[\\`*_[\]|]/g, '\\$&').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n|\r/g, '<br>');
}

function markdown(r: ResultSet): string {
  const cell = markdownText;
  const numeric = r.columns.map((_, i) => r.rows.length > 0 && r.rows.every((row) => row[i] === null || typeof row[i] === 'number'));
  const lines = [
    `| ${r.columns.map(cell).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...r.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

/** Columns of free text by name: paths, reply texts, user-name lists, descriptions. */
const FREE_TEXT = /(^|_)(path|paths|detail|meaning|usernames|description|title|reason|raw|file|text|note|message)s?$/;
/** A cut free-text cell keeps at least this much of itself. */
const MIN_FREE_WIDTH = 12;

/**
 * Aligned columns, numbers to the right. Wider than `width` (a terminal's), only free-text columns
 * (FREE_TEXT, or text holding spaces) give way, widest first, their cells cut with '…': numbers,
 * addresses, times and codes are never cut, and a table that still does not fit runs past the edge
 * (as `less -S` shows it).
 */
function table(r: ResultSet, width?: number): string {
  const cells = r.rows.map((row) => row.map((v) => text(v).replace(/[\r\n\t]+/g, ' ')));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const numeric = r.columns.map((_, i) => r.rows.some((row) => typeof row[i] === 'number') && r.rows.every((row) => row[i] === null || typeof row[i] === 'number'));
  if (width !== undefined) {
    const free = r.columns.map((c, i) => !numeric[i] && (FREE_TEXT.test(c) || cells.some((row) => row[i]!.includes(' '))));
    const floor = r.columns.map((c) => Math.max(c.length, MIN_FREE_WIDTH));
    const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    while (total() > width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (free[i] && widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      if (widest < 0) break;
      widths[widest]!--;
    }
  }
  const fit = (s: string, w: number, right: boolean) => {
    const cut = s.length > w ? s.slice(0, Math.max(0, w - 1)) + '…' : s;
    return right ? cut.padStart(w) : cut.padEnd(w);
  };
  const line = (vals: string[]) => vals.map((v, i) => fit(v, widths[i]!, numeric[i]!)).join('  ').trimEnd();
  const out = [line(r.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  if (r.rows.length === 0) out.push('(no rows)');
  return out.join('\n') + '\n';
}
