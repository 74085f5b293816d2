/** Client and server addresses as logged, made comparable across formats. */

/** `::ffff:1.2.3.4` (any case) → `1.2.3.4`; everything else unchanged. */
export function normalizeIp(raw: string): string {
  if (raw.length > 7 && (raw.charCodeAt(0) === 58 /* : */) && /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(raw)) return raw.slice(7);
  return raw;
}

/**
 * True when a value is an IPv4 address in dotted form or has the shape of an IPv6 one (hex groups
 * and colons, at most one `::`, perhaps a dotted IPv4 end). Anonymised logs write impossible ones
 * (`10.0.0.256`, `x.x.x.x`, a word): those are kept and flagged, not rejected.
 */
export function isIpAddress(ip: string): boolean {
  if (ip.indexOf(':') < 0) return isIpv4(ip);
  if (ip.length > 45 || ip.indexOf('::') !== ip.lastIndexOf('::')) return false;
  const groups = ip.split(':');
  const last = groups[groups.length - 1]!;
  const v4End = last.includes('.');
  if (v4End && !isIpv4(last)) return false;
  if (groups.length < 3 || groups.length > (v4End ? 7 : 8) + (ip.includes('::') ? 1 : 0)) return false;
  return groups.every((g, k) => (k === groups.length - 1 && v4End) || /^[0-9a-fA-F]{0,4}$/.test(g));
}

function isIpv4(ip: string): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 46; // a final '.' closes the last octet
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else if (c === 46 && digits > 0 && value <= 255) {
      octets++;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return octets === 4;
}
