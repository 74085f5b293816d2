import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/formats/index.js';
import type { ParserOptions } from '../../src/formats/types.js';

const DEFAULTS: ParserOptions = { tz: 'UTC', referenceDate: new Date('2024-06-01T00:00:00Z') };

// Each format documents itself with sample lines and what they must yield (as lnav formats do).
describe.each(FORMATS.map((f) => [f.name, f] as const))('%s samples', (_name, format) => {
  it('has samples', () => expect(format.samples.length).toBeGreaterThan(0));

  it.each(format.samples.map((s) => [s.description, s] as const))('%s', (_d, sample) => {
    const parser = format.createParser({ ...DEFAULTS, ...sample.options });
    expect(sample.lines).toHaveLength(sample.yields.length);
    sample.lines.forEach((line, i) => {
      const got = parser.parse(line);
      const want = sample.yields[i]!;
      if ('event' in want) {
        expect(got.type, `line ${i + 1}: ${JSON.stringify(got)}`).toBe('event');
        if (got.type === 'event') expect(got.event, `line ${i + 1}`).toMatchObject(want.event);
        if (got.type === 'event' && want.format) expect(got.format, `line ${i + 1}`).toBe(want.format);
      } else if ('skip' in want) {
        expect(got, `line ${i + 1}`).toEqual({ type: 'skip', reason: want.skip });
      } else {
        expect(got, `line ${i + 1}`).toEqual({ type: 'reject', reason: want.reject });
      }
    });
  });

  it('sniffs its own sample lines as its format', () => {
    const lines = format.samples.flatMap((s) => s.lines);
    expect(lines.some((l) => format.sniff(l))).toBe(true);
  });
});
