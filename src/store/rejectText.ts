/** A reject keeps this much of its line (passwords are masked before it reaches a store). */
export const REJECT_RAW_CHARS = 1024;

/** A rejected line's text as every store keeps it. */
export function rejectText(raw: string): string {
  return raw.length > REJECT_RAW_CHARS ? raw.slice(0, REJECT_RAW_CHARS) : raw;
}
