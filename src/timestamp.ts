/**
 * `2024-03-05T14:03:27Z`: the one text form of a moment in ftplog. Event times, reject times,
 * ingest times and report windows all take it, so any two compare correctly as text.
 */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

export function nowIso(): string {
  return isoSeconds(Date.now());
}
