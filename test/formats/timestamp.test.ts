import { describe, expect, it } from 'vitest';
import { isoSeconds } from '../../src/timestamp.js';

const reference = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

describe('isoSeconds', () => {
  it('writes what toISOString writes, to the second, across hour, day, year and 1970 boundaries', () => {
    const probes = [0, 999, 1000, 3_599_999, 3_600_000, -1, -1000, -3_600_001, 951_782_400_000 /* 2000-02-29 */,
      1_709_596_800_000, 1_711_846_799_999 /* 2024-03-30T23:59:59.999 */, 253_402_300_799_999, 253_402_300_800_000,
      -62_135_596_800_000];
    // A walk in steps that are not whole seconds, so consecutive calls share an hour, cross one, or jump back.
    for (let ms = 1_709_590_000_000, step = 7_777; ms < 1_709_700_000_000; ms += step, step = (step * 13) % 9_000_000 + 1) probes.push(ms);
    for (const ms of [...probes, ...probes.slice().reverse()]) expect(isoSeconds(ms), String(ms)).toBe(reference(ms));
  });

  it('throws for a moment Date cannot hold, as toISOString does', () => {
    expect(() => isoSeconds(NaN)).toThrow(RangeError);
    expect(() => isoSeconds(8.64e15 + 1)).toThrow(RangeError);
  });
});
