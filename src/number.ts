/**
 * The number `text.slice(start, end)` is, as Number() reads it. Plain digits (nearly every number a
 * log holds) are read in place: Number() of a string is a runtime call that costs several times a
 * short loop, and the slice would be one more string.
 */
export function numberAt(text: string, start = 0, end = text.length): number {
  if (end - start > 15 || end === start) return Number(text.slice(start, end));
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(text.slice(start, end));
    n = n * 10 + d;
  }
  return n;
}
