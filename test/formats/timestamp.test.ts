import { describe, expect, it } from 'vitest';
import { isoSeconds, unixSeconds } from '../../src/timestamp.js';
import { parseBytes } from '../helpers/parse.js';

const reference = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

const probes = [0, 999, 1000, 3_599_999, 3_600_000, -1, -1000, -3_600_001, 951_782_400_000 /* 2000-02-29 */,
  1_709_596_800_000, 1_711_846_799_999 /* 2024-03-30T23:59:59.999 */, 253_402_300_799_999, 253_402_300_800_000,
  -62_135_596_800_000 /* 0001-01-01 */, -59_011_459_200_000 /* 0100-01-01 */, -61_000_000_000_000];
// A walk in steps that are not whole seconds, so consecutive calls share an hour, cross one, or jump back.
for (let ms = 1_709_590_000_000, step = 7_777; ms < 1_709_700_000_000; ms += step, step = (step * 13) % 9_000_000 + 1) probes.push(ms);

describe('isoSeconds', () => {
  it('writes what toISOString writes, to the second, across hour, day, year and 1970 boundaries', () => {
    for (const ms of [...probes, ...probes.slice().reverse()]) expect(isoSeconds(ms), String(ms)).toBe(reference(ms));
  });

  it('throws for a moment Date cannot hold, as toISOString does', () => {
    expect(() => isoSeconds(NaN)).toThrow(RangeError);
    expect(() => isoSeconds(8.64e15 + 1)).toThrow(RangeError);
  });
});

describe('unixSeconds', () => {
  it('reads back the second isoSeconds wrote, before 1970, in the first century and past year 9999', () => {
    for (const ms of probes) expect(unixSeconds(isoSeconds(ms)), String(ms)).toBe(Math.floor(ms / 1000));
  });
});

describe('IIS stamps', () => {
  const tsOf = (lines: string[]) => parseBytes(lines.join('\n') + '\n', { format: 'iis' }).events.map((e) => e.ts);

  it('give each line its own date and time when lines repeat one of the two', () => {
    const line = (date: string, time: string) => `${date} ${time} 203.0.113.9 - 192.0.2.10 21 NOOP - 200 0`;
    expect(tsOf([
      '#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status',
      line('2024-03-05', '23:59:59'), line('2024-03-05', '23:59:59'), line('2024-03-06', '23:59:59'),
      line('2024-03-06', '00:00:00'), line('2024-03-06', '00:00:00'), line('2024-03-05', '00:00:00'),
    ])).toEqual(['2024-03-05T23:59:59Z', '2024-03-05T23:59:59Z', '2024-03-06T23:59:59Z', '2024-03-06T00:00:00Z',
      '2024-03-06T00:00:00Z', '2024-03-05T00:00:00Z']);
  });

  it('move to the next day at midnight in a time-only layout, even when the time is one seen the day before', () => {
    const line = (time: string) => `${time} 203.0.113.9 NOOP 200`;
    expect(tsOf(['#Date: 2024-03-05 00:00:00', '#Fields: time c-ip cs-method sc-status', line('12:00:00'), line('23:59:59'),
      line('00:00:01'), line('12:00:00'), line('12:00:00')]))
      .toEqual(['2024-03-05T12:00:00Z', '2024-03-05T23:59:59Z', '2024-03-06T00:00:01Z', '2024-03-06T12:00:00Z', '2024-03-06T12:00:00Z']);
  });
});
