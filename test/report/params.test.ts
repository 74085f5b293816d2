import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/report/params.js';
import { ZoneClock } from '../../src/zone.js';

describe('parseTime in the reader\'s zone', () => {
  const berlin = new ZoneClock('Europe/Berlin');
  const ny = new ZoneClock('America/New_York');

  it('reads a date, and a date-time without offset, as wall-clock time there; an offset or Z as given', () => {
    expect(parseTime('2026-12-02', new Date(), berlin)).toBe('2026-12-01T23:00:00Z');
    expect(parseTime('2026-07-02', new Date(), berlin)).toBe('2026-07-01T22:00:00Z');
    expect(parseTime('2026-12-02T14:30', new Date(), ny)).toBe('2026-12-02T19:30:00Z');
    expect(parseTime('2026-12-02T14:30Z', new Date(), ny)).toBe('2026-12-02T14:30:00Z');
    expect(parseTime('2026-12-02T14:30+01:00', new Date(), ny)).toBe('2026-12-02T13:30:00Z');
    expect(parseTime('2026-12-02')).toBe('2026-12-02T00:00:00Z');
  });

  it('takes today and yesterday as midnights there, across a DST change and a month end', () => {
    // 2026-03-29 is the spring-forward day in Berlin: yesterday's midnight was at +01:00, today's at +02:00.
    const now = new Date('2026-03-30T10:00:00Z');
    expect(parseTime('today', now, berlin)).toBe('2026-03-29T22:00:00Z');
    expect(parseTime('yesterday', now, berlin)).toBe('2026-03-28T23:00:00Z');
    // 02:00 UTC on Dec 1 is still Nov 30 in New York.
    const late = new Date('2026-12-01T02:00:00Z');
    expect(parseTime('today', late, ny)).toBe('2026-11-30T05:00:00Z');
    expect(parseTime('yesterday', late, ny)).toBe('2026-11-29T05:00:00Z');
  });

  it('shows an instant with the zone\'s offset', () => {
    expect(berlin.showIso(Date.parse('2026-12-02T00:00:00Z'))).toBe('2026-12-02T01:00:00+01:00');
    expect(ny.showIso(Date.parse('2026-07-02T12:00:00Z'))).toBe('2026-07-02T08:00:00-04:00');
    expect(new ZoneClock('Asia/Kolkata').showIso(Date.parse('2026-12-02T00:00:00Z'))).toBe('2026-12-02T05:30:00+05:30');
    expect(new ZoneClock('UTC').showIso(Date.parse('2026-12-02T00:00:00Z'))).toBe('2026-12-02T00:00:00Z');
  });
});
