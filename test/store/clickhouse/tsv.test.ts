import { describe, expect, it } from 'vitest';
import { tsvReader, tsvText, tsvUnescape, TsvRows } from '../../../src/store/clickhouse/tsv.js';

const joined = (rows: TsvRows) => Buffer.concat(rows.text()).toString('utf8');

describe('TabSeparated values', () => {
  it('escapes what would end a field or a row, and reads it back', () => {
    const nasty = 'a\tb\nc\rd\\e';
    expect(tsvText(nasty)).toBe('a\\tb\\nc\\rd\\\\e');
    expect(tsvText(null)).toBe('\\N');
    expect(tsvUnescape(tsvText(nasty))).toBe(nasty);
    expect(tsvText('/pub/ünïcode file.txt')).toBe('/pub/ünïcode file.txt');
  });

  it('reads columns by their type', () => {
    expect(tsvReader('Nullable(Int64)')('\\N')).toBeNull();
    expect(tsvReader('Nullable(Int64)')('42')).toBe(42);
    expect(tsvReader('LowCardinality(String)')('x\\ty')).toBe('x\ty');
    expect(tsvReader('Float64')('nan')).toBeNull();
  });
});

describe('TsvRows', () => {
  it('keeps every row, in order, across chunks and multi-byte text', () => {
    const rows = new TsvRows();
    const expected: string[] = [];
    // 3,000 rows of ~300 bytes: several 256 KiB chunks; one row longer than a chunk.
    for (let i = 0; i < 3000; i++) {
      const row = `${i}\t${'é'.repeat(i % 7)}${'x'.repeat(280)}\n`;
      rows.push(row);
      expected.push(row);
    }
    const long = `long\t${'ß'.repeat(200_000)}\n`;
    rows.push(long);
    expected.push(long);
    expect(rows.length).toBe(3001);
    expect(rows.text().length).toBeGreaterThan(3);
    expect(joined(rows)).toBe(expected.join(''));
  });

  it('hands its memory to later rows once sent, without touching what they write', () => {
    const first = new TsvRows();
    for (let i = 0; i < 2000; i++) first.push(`first\t${i}\t${'a'.repeat(200)}\n`);
    const firstText = joined(first);
    const firstBuffers = new Set(first.text().map((c) => c.buffer));
    first.release();
    expect(first.length).toBe(0);
    expect(first.text()).toEqual([]);

    const second = new TsvRows();
    const expected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const row = `second\t${i}\t${'b'.repeat(150)}\n`;
      second.push(row);
      expected.push(row);
    }
    const chunks = second.text();
    // The second batch's rows went into the first's buffers, and read back whole.
    expect(chunks.some((c) => firstBuffers.has(c.buffer))).toBe(true);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected.join(''));
    expect(firstText.startsWith('first\t0\t')).toBe(true);
  });
});
