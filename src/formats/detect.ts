import { FORMATS } from './index.js';
import { isJournalMarker, looksLikeSyslog } from './syslog.js';
import type { FormatDefinition } from './types.js';
import { syslogMix } from './syslogMix.js';

/** How many non-blank lines detection looks at before it decides. */
export const SNIFF_LINES = 20;

/**
 * Picks the format most of a source's first lines look like; `null` when none of them matches any
 * format. Ties go to the format listed first in FORMATS.
 */
export function detectFormat(lines: readonly string[]): FormatDefinition | null {
  let best: FormatDefinition | null = null;
  let bestScore = 0;
  for (const format of FORMATS) {
    let score = 0;
    for (const line of lines) if (line.length > 0 && format.sniff(line)) score++;
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return best;
}

/**
 * A syslog file holds the lines of many programs, and its first lines may all be other programs'
 * (cron, sshd): when the first lines show no format and every one of them is a syslog line (or
 * journalctl's `-- Boot … --`), detection waits for a line of a format it knows.
 */
export function worthWaiting(lines: readonly string[]): boolean {
  return lines.every((l) => l.length === 0 || looksLikeSyslog(l) || isJournalMarker(l));
}

/** Does any format read this line? */
export function anyFormatSniffs(line: string): boolean {
  return FORMATS.some((f) => f.sniff(line));
}

/**
 * The format for the lines detection held: the one most of them look like; else, when every one is a
 * syslog line (a syslog file whose FTP lines come later, or never), the syslog mix, which reads each FTP
 * server's lines among other programs' and skips those; else none.
 */
export function decideFormat(lines: readonly string[]): FormatDefinition | null {
  return detectFormat(lines) ?? (lines.some((l) => l.length > 0) && worthWaiting(lines) ? syslogMix : null);
}
