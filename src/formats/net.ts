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
  let octets = 0;
  let value = 0;
  let digits = 0;
  let tooBig = false;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 46; // a final '.' closes the last octet
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else if (c === 46 && digits > 0) {
      if (value > 255) tooBig = true;
      octets++;
      value = 0;
      digits = 0;
    } else {
      return false; // not a dotted IPv4 address at all
    }
  }
  return octets === 4 && tooBig;
}
