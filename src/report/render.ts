import { stringify } from 'csv-stringify/sync';
import type { RowStream } from '../store/index.js';
import type { ResultSet } from './run.js';

/** `plain` (or `text`): the first column's values alone, one per line (a ban list for ipset or fail2ban). */
export const OUTPUT_FORMATS = ['table', 'csv', 'json', 'markdown', 'plain', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  /** Terminal width for `table`; no limit when absent (a pipe or a file). */
  width?: number;
  /** Neutralise spreadsheet formulas in CSV (default on). */
  csvSafe?: boolean;
  /** Prefix CSV with a UTF-8 BOM so Excel reads it as UTF-8. */
  excel?: boolean;
}

/** The whole output of a result as one string (for results known to be small, and tests). */
export function render(r: ResultSet, format: OutputFormat, opts: RenderOptions = {}): string {
  const out = renderer(r.columns, format, opts);
  let text = '';
  for (const row of r.rows) text += out.row(row);
  return text + out.end();
}

/**
 * The output of rows of any number, piece by piece as the rows are read (from a store that reads them
 * in this process or over a network): no format holds more than SAMPLE_ROWS of them at once. Table
 * widths and Markdown alignment come from the first SAMPLE_ROWS.
 */
export async function* renderChunks(r: RowStream, format: OutputFormat, opts: RenderOptions = {}): AsyncGenerator<string> {
  const out = renderer(r.columns, format, opts);
  for await (const row of r.rows) {
    const chunk = out.row(row);
    if (chunk) yield chunk;
  }
  yield out.end();
}

/** One format's writer: each row in turn gives the text it completes (often none yet), and the end the rest. */
interface Renderer {
  row(row: unknown[]): string;
  end(): string;
}

function renderer(columns: string[], format: OutputFormat, opts: RenderOptions): Renderer {
  switch (format) {
    case 'table': return sampled((head) => tableLayout(columns, head, opts.width));
    case 'csv': return csv(columns, opts.csvSafe ?? true, opts.excel ?? false);
    case 'json': return json(columns);
    case 'markdown': return sampled((head) => markdownLayout(columns, head));
    case 'plain': case 'text': return { row: plainRow, end: () => '' };
  }
}

/** The first column, a value a line; an empty value (NULL) gives no line. */
function plainRow(row: unknown[]): string {
  const v = row[0];
  return v !== null && v !== undefined && v !== '' ? `${String(v).replace(/[\r\n]+/g, ' ')}\n` : '';
}

/** Rows a table or Markdown output reads ahead to size and align its columns. */
const SAMPLE_ROWS = 2000;
/** Rows CSV formats at a time. */
const CSV_BATCH = 1000;

/** How a sampled format lays out: its header, each row's line, and what it says when there were none. */
interface Layout {
  header: string;
  line(row: unknown[]): string;
  empty: string;
}

/** A format laid out from its first SAMPLE_ROWS rows: they are held until the layout is known. */
function sampled(layout: (head: unknown[][]) => Layout): Renderer {
  let head: unknown[][] | null = [];
  let chosen: Layout | null = null;
  const start = () => {
    chosen = layout(head!);
    const text = chosen.header + head!.map((row) => chosen!.line(row)).join('');
    head = null;
    return text;
  };
  return {
    row(row) {
      if (head === null) return chosen!.line(row);
      head.push(row);
      return head.length >= SAMPLE_ROWS ? start() : '';
    },
    end() {
      if (head === null) return '';
      const none = head.length === 0;
      return start() + (none ? chosen!.empty : '');
    },
  };
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Math.round(v * 100) / 100);
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  return String(v);
}

/** A spreadsheet runs a cell that starts with one of these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csv(columns: string[], safe: boolean, excel: boolean): Renderer {
  const cell = (v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v !== 'string') return v;
    return safe && FORMULA_START.test(v) ? `'${v}` : v;
  };
  let batch: unknown[][] = [];
  let first = true;
  const flush = () => {
    const out = (first && excel ? '\ufeff' : '') + stringify(batch, { header: first, columns, quoted_match: /^\s|\s$/ });
    batch = [];
    first = false;
    return out;
  };
  return {
    row(row) {
      batch.push(row.map(cell));
      return batch.length >= CSV_BATCH ? flush() : '';
    },
    end: () => (batch.length > 0 || first ? flush() : ''),
  };
}

function json(columns: string[]): Renderer {
  let n = 0;
  return {
    row(row) {
      const obj = Object.fromEntries(columns.map((c, i) => [c, jsonValue(row[i])]));
      return (n++ === 0 ? '[\n  ' : ',\n  ') + JSON.stringify(obj, null, 2).replace(/\n/g, '\n  ');
    },
    end: () => (n === 0 ? '[]\n' : '\n]\n'),
  };
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

function markdownLayout(columns: string[], head: unknown[][]): Layout {
  const cell = markdownText;
  const numeric = columns.map((_, i) => head.length > 0 && head.every((row) => row[i] === null || typeof row[i] === 'number'));
  return {
    header: `| ${columns.map(cell).join(' | ')} |\n| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |\n`,
    line: (row) => `| ${row.map(cell).join(' | ')} |\n`,
    empty: '',
  };
}

/** Columns of free text by name: paths, reply texts, user-name lists, descriptions. */
const FREE_TEXT = /(^|_)(path|paths|detail|meaning|usernames|description|title|reason|raw|file|text|note|message)s?$/;

/** True for a column of free text (by its name, or text holding spaces): the only kind a layout may cut or wrap. */
export function isFreeText(column: string, cells: readonly string[]): boolean {
  return FREE_TEXT.test(column) || cells.some((c) => c.includes(' '));
}

/** A cut free-text cell keeps at least this much of itself. */
const MIN_FREE_WIDTH = 12;

/**
 * Aligned columns, numbers to the right. Wider than `width` (a terminal's), only free-text columns
 * (FREE_TEXT, or text holding spaces) give way, widest first, their cells cut with '…': numbers,
 * addresses, times and codes are never cut, and a table that still does not fit runs past the edge
 * (as `less -S` shows it).
 */
function tableLayout(columns: string[], head: unknown[][], width?: number): Layout {
  const show = (row: unknown[]) => row.map((v) => text(v).replace(/[\r\n\t]+/g, ' '));
  const cells = head.map(show);
  const widths = columns.map((c) => c.length);
  for (const row of cells) row.forEach((v, i) => (widths[i] = Math.max(widths[i]!, v.length)));
  const numeric = columns.map((_, i) => head.some((row) => typeof row[i] === 'number') && head.every((row) => row[i] === null || typeof row[i] === 'number'));
  const free = columns.map((c, i) => !numeric[i] && isFreeText(c, cells.map((row) => row[i]!)));
  if (width !== undefined) {
    const floor = columns.map((c) => Math.max(c.length, MIN_FREE_WIDTH));
    const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    while (total() > width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (free[i] && widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      if (widest < 0) break;
      widths[widest]!--;
    }
  }
  // Past the sample a longer cell runs over its column; only free text on a terminal is cut.
  const fit = (s: string, i: number) => {
    const w = widths[i]!;
    const cut = width !== undefined && free[i] && s.length > w ? s.slice(0, Math.max(0, w - 1)) + '…' : s;
    return numeric[i] ? cut.padStart(w) : cut.padEnd(w);
  };
  const line = (vals: string[]) => vals.map(fit).join('  ').trimEnd() + '\n';
  return {
    header: line(columns) + widths.map((w) => '-'.repeat(w)).join('  ') + '\n',
    line: (row) => line(show(row)),
    empty: '(no rows)\n',
  };
}
