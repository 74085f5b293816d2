/**
 * ClickHouse's TabSeparated text: how values are written into an INSERT and read back from a query.
 * Only `\`, tab and newline (and CR, so a line never ends early) need escaping; `\N` is NULL.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value as a TSV field; null is `\N`. */
export function tsvText(v: string | null): string {
  if (v === null) return '\\N';
  return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE, (c) => ESCAPES[c]!) : v;
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

/** Bytes of a chunk of an INSERT's text: an INSERT streams a few large pieces, not a write per row. */
const CHUNK_BYTES = 256 * 1024;
/**
 * Chunks of sent INSERTs kept for the rows after them, up to about two batches' worth: a Buffer's
 * memory goes back only when a full collection finds it dead, and until then a run's sent batches
 * piled up outside the heap (1M vsftpd lines: 19 MB after the first batch, 70 MB by the fifth).
 */
const spare: Buffer[] = [];
const SPARE_CHUNKS = 160;

/**
 * The rows of one INSERT, written as UTF-8 into chunks as they come: a batch waits in buffers
 * outside the JS heap, and each row's string dies young (held until the batch is sent, strings
 * would be copied into the old generation: twice the collector's time).
 */
export class TsvRows {
  private readonly chunks: Buffer[] = [];
  /** The whole buffers behind `chunks`, to hand back once the rows are sent. */
  private readonly buffers: Buffer[] = [];
  /** The buffer being written, taken at the first row that needs one (a batch's rejects mostly never do). */
  private buf: Buffer | null = null;
  private used = 0;
  length = 0;

  push(row: string): void {
    // A UTF-16 unit takes at most three bytes of UTF-8.
    const need = row.length * 3;
    const buf = this.buf !== null && this.used + need <= this.buf.length ? this.buf : this.start(need);
    this.used += buf.write(row, this.used);
    this.length++;
  }

  /** The text in chunks, to send once. */
  text(): Buffer[] {
    this.end();
    return this.chunks;
  }

  /** The rows were sent: their memory serves the rows of later inserts, and these are gone. */
  release(): void {
    this.end();
    for (const b of this.buffers) if (b.length === CHUNK_BYTES && spare.length < SPARE_CHUNKS) spare.push(b);
    this.buffers.length = 0;
    this.chunks.length = 0;
    this.length = 0;
  }

  /** Ends the chunk being written, if any. */
  private end(): void {
    if (this.buf !== null && this.used > 0) this.chunks.push(this.buf.subarray(0, this.used));
    this.buf = null;
    this.used = 0;
  }

  /** Ends the chunk being written and starts one with room for `need` bytes. */
  private start(need: number): Buffer {
    this.end();
    const b = need <= CHUNK_BYTES && spare.length > 0 ? spare.pop()! : Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
    this.buffers.push(b);
    this.buf = b;
    return b;
  }
}
