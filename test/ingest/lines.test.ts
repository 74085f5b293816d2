import { describe, expect, it } from 'vitest';
import { LineSplitter, REJECT_PREVIEW_BYTES, Utf16LineSplitter, type Line } from '../../src/ingest/lines.js';

function split(data: Buffer | string, max = 100, chunk = 3, start?: { offset: number; lineNo: number }): Line[] {
  const out: Line[] = [];
  const s = new LineSplitter(max, (l) => out.push(l), start);
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('gives exact byte offsets whatever the chunking', () => {
    for (const chunk of [1, 2, 3, 7, 1000]) {
      const lines = split('ab\r\ncdé\n\nlast', 100, chunk);
      expect(lines.map((l) => [l.text, l.lineNo, l.bytes, l.endOffset])).toEqual([
        ['ab', 1, 2, 4], ['cdé', 2, 4, 9], ['', 3, 0, 10], ['last', 4, 4, 14],
      ]);
    }
  });

  it('continues numbering and offsets from a resume point', () => {
    const lines = split('x\ny\n', 100, 3, { offset: 500, lineNo: 41 });
    expect(lines.map((l) => [l.lineNo, l.endOffset])).toEqual([[42, 502], [43, 504]]);
  });

  it('drops a BOM only at the very start of a source', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(split(Buffer.concat([bom, Buffer.from('a\n')]))[0]!.text).toBe('a');
    expect(split(Buffer.concat([bom, Buffer.from('a\n')]), 100, 3, { offset: 10, lineNo: 1 })[0]!.text).toBe('\ufeffa');
  });

  it('does not take a first line shorter than a BOM and the next line\'s bytes for one, whatever the chunking', () => {
    for (const chunk of [1, 2, 3, 1000]) {
      const lines = split(Buffer.from([0xef, 0x0a, 0xbb, 0xbf, 0x61, 0x0a, 0xef, 0xbb, 0x0d, 0x0a]), 100, chunk);
      expect(lines.map((l) => [l.text, l.bytes, l.endOffset])).toEqual([['\ufffd', 1, 2], ['\ufffd\ufffda', 3, 6], ['\ufffd', 2, 10]]);
    }
  });

  it('keeps only a preview of an overlong line and counts all of its bytes', () => {
    const long = 'z'.repeat(5000);
    const lines = split(`ok\n${long}\nnext\n`, 100, 64);
    expect(lines.map((l) => [l.overlong, l.bytes, l.endOffset])).toEqual([[false, 2, 3], [true, 5000, 5004], [false, 4, 5009]]);
    expect(lines[1]!.text).toBe('z'.repeat(REJECT_PREVIEW_BYTES));
  });

  it('handles a huge last line without a newline in bounded memory', () => {
    const s = new LineSplitter(65536, (l) => out.push(l));
    const out: Line[] = [];
    const chunk = Buffer.alloc(1 << 20, 0x41);
    for (let i = 0; i < 50; i++) s.push(chunk);
    s.end();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ overlong: true, bytes: 50 << 20, endOffset: 50 << 20 });
  });

  it('ends lines at a lone CR in a source that has no LF, whatever the chunking', () => {
    const records = Array.from({ length: 50 }, (_, i) => `record ${i}`);
    for (const chunk of [1, 7, 4096]) {
      const lines = split(records.join('\r') + '\r', 100, chunk);
      expect(lines.map((l) => l.text)).toEqual(records);
      expect(lines.at(-1)!.endOffset).toBe(records.join('\r').length + 1);
    }
    // A CRLF among CR-ended lines leaves no LF at the start of the next; a CRLF first makes a CRLF file.
    expect(split('a\rb\r\nc\r', 100, 4096).map((l) => l.text)).toEqual(['a', 'b', 'c']);
    for (const chunk of [1, 2, 3]) expect(split('a\r\nb\r\n', 100, chunk).map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('accepts a line of exactly the limit with CRLF as with LF, and one byte more as neither', () => {
    for (const chunk of [1, 3, 64]) {
      for (const eol of ['\n', '\r\n']) {
        const lines = split(`${'x'.repeat(10)}${eol}${'y'.repeat(11)}${eol}`, 10, chunk);
        expect(lines.map((l) => [l.overlong, l.bytes]), `${JSON.stringify(eol)} in chunks of ${chunk}`).toEqual([[false, 10], [true, 11]]);
        expect(lines[0]!.text).toBe('x'.repeat(10));
      }
    }
  });

  it('emits nothing for empty input', () => {
    expect(split('')).toEqual([]);
  });
});

describe('Utf16LineSplitter', () => {
  const split16 = (data: Buffer, bigEndian: boolean, chunk: number, max = 100, start = { offset: 0, lineNo: 0 }) => {
    const out: Line[] = [];
    const s = new Utf16LineSplitter(max, (l) => out.push(l), start, bigEndian);
    for (let i = 0; i < data.length; i += chunk) s.push(data.subarray(i, i + chunk));
    s.end();
    return out;
  };
  const le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = (text: string) => Buffer.from(le(text)).swap16();

  it('reads little- and big-endian files with their BOM, CRLF and non-ASCII text, with offsets in the file\'s bytes, whatever the chunking', () => {
    const text = 'café ☕\r\nsecond\n\nlast';
    for (const [data, bigEndian] of [[le(text), false], [be(text), true]] as const) {
      for (const chunk of [1, 3, 4, 7, 1000]) {
        const lines = split16(data, bigEndian, chunk);
        expect(lines.map((l) => [l.text, l.lineNo, l.bytes, l.endOffset])).toEqual([
          ['café ☕', 1, 14, 2 + 16], ['second', 2, 12, 18 + 14], ['', 3, 0, 32 + 2], ['last', 4, 8, 34 + 8],
        ]);
      }
    }
  });

  it('resumes at a stored offset and marks a line past the limit as overlong', () => {
    const lines = split16(Buffer.from('ab\n' + 'x'.repeat(60) + '\n', 'utf16le'), false, 5, 100, { offset: 200, lineNo: 9 });
    expect(lines.map((l) => [l.text.length, l.lineNo, l.overlong, l.endOffset])).toEqual([[2, 10, false, 206], [60, 11, true, 328]]);
  });

  it('does not count the CR of an overlong line\'s CRLF, whatever the chunking', () => {
    for (const chunk of [1, 2, 3, 5, 120, 122, 1000]) {
      const lines = split16(Buffer.from('x'.repeat(60) + '\r\nab\r\n', 'utf16le'), false, chunk);
      expect(lines.map((l) => [l.bytes, l.overlong, l.endOffset]), `chunks of ${chunk}`).toEqual([[120, true, 124], [4, false, 132]]);
    }
  });
});
