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
