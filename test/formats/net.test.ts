import { describe, expect, it } from 'vitest';
import { isImpossibleIpv4, normalizeIp } from '../../src/formats/net.js';

describe('addresses', () => {
  it('normalises IPv4-mapped IPv6 and nothing else', () => {
    expect(normalizeIp('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(normalizeIp('::FFFF:198.51.100.4')).toBe('198.51.100.4');
    expect(normalizeIp('2001:db8::42')).toBe('2001:db8::42');
    expect(normalizeIp('::ffff:c633:6404')).toBe('::ffff:c633:6404');
    expect(normalizeIp('client7.example.net')).toBe('client7.example.net');
  });

  it.each([
    ['10.0.0.256', true], ['999.1.1.1', true], ['256.256.256.256', true],
    ['1.2.3.4', false], ['0.0.0.0', false], ['255.255.255.255', false], ['1.2.3', false], ['1.2.3.4.5', false],
    ['1..2.3', false], ['1.2.3.4.', false], ['1234.1.1.1', false], ['a.b.c.d', false], ['2001:db8::1', false], ['', false],
  ])('%s impossible: %s', (ip, impossible) => {
    expect(isImpossibleIpv4(ip)).toBe(impossible);
  });
});
