/** Client and server addresses as logged, made comparable across formats. */

/** `::ffff:1.2.3.4` (any case) → `1.2.3.4`; everything else unchanged. */
export function normalizeIp(raw: string): string {
  if (raw.length > 7 && (raw.charCodeAt(0) === 58 /* : */) && /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(raw)) return raw.slice(7);
  return raw;
}

/**
 * True when a value looks like a dotted IPv4 address but cannot be one (an octet over 255), as
 * anonymised logs write them (`10.0.0.256`). Such values are kept and flagged, not rejected.
 */
export function isImpossibleIpv4(ip: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  return m !== null && m.slice(1).some((o) => Number(o) > 255);
}
