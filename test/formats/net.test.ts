import { describe, expect, it } from 'vitest';
import { isIpAddress, normalizeIp } from '../../src/formats/net.js';

describe('addresses', () => {
  it('normalises IPv4-mapped IPv6 and nothing else', () => {
    expect(normalizeIp('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(normalizeIp('::FFFF:198.51.100.4')).toBe('198.51.100.4');
    expect(normalizeIp('2001:db8::42')).toBe('2001:db8::42');
    expect(normalizeIp('::ffff:c633:6404')).toBe('::ffff:c633:6404');
    expect(normalizeIp('client7.example.net')).toBe('client7.example.net');
  });

  it.each([
    ['10.0.0.256', false], ['999.1.1.1', false], ['256.256.256.256', false], ['x.x.x.x', false], ['ANONYMIZED', false], ['-', false],
    ['1.2.3.4', true], ['0.0.0.0', true], ['255.255.255.255', true], ['1.2.3', false], ['1.2.3.4.5', false],
    ['1..2.3', false], ['1.2.3.4.', false], ['1234.1.1.1', false], ['a.b.c.d', false], ['', false],
    ['2001:db8::1', true], ['::1', true], ['::', true], ['fe80::1:2:3:4', true], ['::ffff:198.51.100.4', true], ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7:8:9', false], ['2001:db8::1::2', false], ['2001:dg8::1', false], ['::ffff:198.51.100.400', false], ['12345::1', false],
  ])('%s is an address: %s', (ip, valid) => {
    expect(isIpAddress(ip)).toBe(valid);
  });
});
