import { wholeNumberAt } from './number.js';

const HOUR_MS = 3_600_000;
/** 10000-01-01: from here on (and before 1970) the text is left to toISOString. */
const YEAR_10000_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** The hour of the last call and its `2024-03-05T14:` text: a log's stamps stay in one hour for thousands of lines. */
let lastHour = NaN;
let lastHourText = '';

/**
 * `2024-03-05T14:03:27Z`: the one text form of a moment in ftplog. Event times, reject times,
 * ingest times and report windows all take it, so any two compare correctly as text.
 */
export function isoSeconds(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return new Date(ms).toISOString().slice(0, 19) + 'Z';
  const hour = Math.floor(ms / HOUR_MS);
  if (hour !== lastHour) {
    lastHourText = new Date(hour * HOUR_MS).toISOString().slice(0, 14);
    lastHour = hour;
  }
  const second = Math.floor((ms - hour * HOUR_MS) / 1000);
  return lastHourText + TWO_DIGITS[Math.floor(second / 60)] + ':' + TWO_DIGITS[second % 60] + 'Z';
}

/** Seconds since 1970 for a time in the form isoSeconds gives (read by position: one per event stored). */
export function unixSeconds(iso: string): number {
  const n = (at: number, digits: number) => wholeNumberAt(iso, at, at + digits) ?? NaN;
  const year = n(0, 4);
  // Date.UTC reads years 0-99 as 1900-1999; Date.parse takes years past 9999 (+010000-…).
  if (iso.length !== 20 || !(year >= 100)) return Date.parse(iso) / 1000;
  return Date.UTC(year, n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2)) / 1000;
}

export function nowIso(): string {
  return isoSeconds(Date.now());
}
