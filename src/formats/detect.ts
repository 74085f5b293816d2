import { FORMATS } from './index.js';
import type { FormatDefinition } from './types.js';

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
