/**
 * ClickHouse's TabSeparated text: how values are written into an INSERT and read back from a query.
 * Only `\`, tab and newline (and CR, so a line never ends early) need escaping; `\N` is NULL.
 */

const ESCAPE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value as a TSV field; null is `\N`. */
export function tsvText(v: string | null): string {
  if (v === null) return '\\N';
  return ESCAPE.test(v) ? v.replace(ESCAPE, (c) => ESCAPES[c]!) : v;
}

/** A number as a TSV field; null is `\N`. */
export function tsvNumber(v: number | null): string {
  return v === null ? '\\N' : String(v);
}

const UNESCAPE = /\\(.)/g;
const UNESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', '0': '\0', b: '\b', f: '\f', a: '\x07', v: '\v' };

/** A TSV field as the text it stands for. */
export function tsvUnescape(field: string): string {
  return field.includes('\\') ? field.replace(UNESCAPE, (_all, c: string) => UNESCAPES[c] ?? c) : field;
}

/** How a column of a ClickHouse type is read from TSV: numbers as numbers, NULL as null, the rest as text. */
export function tsvReader(type: string): (field: string) => unknown {
  const nullable = /^Nullable\((.*)\)$/.exec(type);
  if (nullable) {
    const inner = tsvReader(nullable[1]!);
    return (f) => (f === '\\N' ? null : inner(f));
  }
  const low = /^LowCardinality\((.*)\)$/.exec(type);
  if (low) return tsvReader(low[1]!);
  if (/^(U?Int\d+|Float\d+|Decimal.*)$/.test(type)) return (f) => (f === 'nan' || f === 'inf' || f === '-inf' ? null : Number(f));
  return tsvUnescape;
}

/** Rows joined into this many at a time: an INSERT streams a few large pieces, not a write per row. */
const ROWS_PER_CHUNK = 2048;

/**
 * The rows of one INSERT, gathered into chunks of UTF-8 as they come: a batch waits in buffers
 * outside the JS heap, a byte a character, and its strings die young (held, they would be copied
 * into the old generation: twice the collector's time).
 */
export class TsvRows {
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  length = 0;

  push(row: string): void {
    this.pending.push(row);
    this.length++;
    if (this.pending.length === ROWS_PER_CHUNK) this.seal();
  }

  /** The text in chunks, to send once. */
  text(): Buffer[] {
    if (this.pending.length) this.seal();
    return this.chunks;
  }

  private seal(): void {
    this.chunks.push(Buffer.from(this.pending.join('')));
    this.pending = [];
  }
}
