/**
 * The whole number `text.slice(start, end)` spells in plain ASCII digits (leading zeros allowed), or
 * null for anything else: a sign, a fraction, an exponent, hex, spaces, or more than 2^53 − 1, which
 * a double cannot hold exactly. Log fields that count (bytes, seconds, codes) are read this way, so
 * `1e3` or `-5` is no number rather than 1000 or a negative count. Read in place: Number() of a string
 * is a runtime call that costs several times this loop, and the slice would be one more string.
 */
export function wholeNumberAt(text: string, start = 0, end = text.length): number | null {
  if (end <= start) return null;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  // Past 2^53 the sum above is no longer exact, and the number no longer safe.
  return n <= Number.MAX_SAFE_INTEGER ? n : null;
}
