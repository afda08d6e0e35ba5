import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {
  bridgeIdMac,
  canonicalCidr,
  canonicalIp,
  compressIPv6,
  ipv4ToNumber,
  isIPv4,
  isIPv6,
  netmaskToPrefix,
  normalizeMac,
  numberToIPv4,
  parseCidr,
  readCidr,
} from '../../src/core/util/ip';

describe('IPv4', () => {
  it('round-trips every address', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => ipv4ToNumber(numberToIPv4(n)) === n),
    );
  });

  it.each(['10.27.1.0', '0.0.0.0', '255.255.255.255', '192.168.1.10'])('accepts %s', (a) => {
    expect(isIPv4(a)).toBe(true);
  });

  it.each([
    '10.27.1',
    '10.27.1.0.1',
    '256.1.1.1',
    '1..1.1',
    '01.1.1.1',
    '1.1.1.1 ',
    '',
    'a.b.c.d',
    '1.1.1.',
    '.1.1.1',
    '1234.1.1.1',
  ])('rejects %j', (a) => {
    expect(isIPv4(a)).toBe(false);
  });

  it('reads netmasks and CIDRs', () => {
    expect(netmaskToPrefix('255.255.255.0')).toBe(24);
    expect(netmaskToPrefix('255.255.0.255')).toBeUndefined();
    expect(netmaskToPrefix('0.0.0.0')).toBe(0);
    expect(parseCidr('10.27.1.0/24')).toEqual({ address: '10.27.1.0', prefixLen: 24, family: 'inet' });
    expect(parseCidr('default')).toEqual({ address: '0.0.0.0', prefixLen: 0, family: 'inet' });
    expect(parseCidr('10.27.1.0/33')).toBeUndefined();
    expect(parseCidr('fd00::/64', 'inet6')).toEqual({ address: 'fd00::', prefixLen: 64, family: 'inet6' });
  });
});

describe('IPv6 and MAC', () => {
  it.each(['::1', 'fe80::4032:74ff:fede:101', '2001:db8::', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8'])(
    'accepts %s',
    (a) => {
      expect(isIPv6(a)).toBe(true);
    },
  );
  it.each(['1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80:::1', 'g::1', '10.0.0.1'])('rejects %s', (a) => {
    expect(isIPv6(a)).toBe(false);
  });
  it.each([
    ['fd77:0001:0000:0000:0000:0000:0000:0002', 'fd77:1::2'],
    ['FE80:0000:0000:0000:0000:0000:0000:0001', 'fe80::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0db8::0001', '2001:db8::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
  ])('compresses %s to %s (RFC 5952)', (a, b) => {
    expect(compressIPv6(a)).toBe(b);
  });
  it('compresses only IPv6 text, and keeps an address it compresses equal to itself', () => {
    expect(compressIPv6('10.0.0.1')).toBeUndefined();
    expect(compressIPv6('::ffff:10.0.0.1')).toBeUndefined();
    expect(compressIPv6('fd77::1::2')).toBeUndefined();
    fc.assert(
      fc.property(fc.ipV6(), (a) => {
        const c = compressIPv6(a);
        if (c === undefined) return a.includes('.');
        return isIPv6(c) && compressIPv6(c) === c;
      }),
    );
  });
  it('normalizes MACs and bridge ids', () => {
    expect(normalizeMac('86:29:6F:2:69:C5')).toBe('86:29:6f:02:69:c5');
    expect(bridgeIdMac('8000.0a580a1d0d01')).toBe('0a:58:0a:1d:0d:01');
    expect(bridgeIdMac('8000.86:29:6f:2:69:c5')).toBe('86:29:6f:02:69:c5');
    expect(bridgeIdMac('nonsense')).toBeUndefined();
  });
});

describe('one canonical form for IPv6 (checked against ipaddr.js)', () => {
  const reference = (a: string): string => ipaddr.IPv6.parse(a).toRFC5952String();
  it('canonicalIp agrees with ipaddr.js on every IPv6 address, however it is spelled', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.boolean(), (a, upper) => {
        if (a.includes('.')) return;
        const spelled = upper ? a.toUpperCase() : a;
        expect(canonicalIp(spelled)).toBe(reference(a));
      }),
      { numRuns: 2000 },
    );
  });
  it('canonicalIp agrees with ipaddr.js on addresses written in full, with leading zeros', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(fc.oneof(group, fc.constant(0)), { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
        expect(canonicalIp(full)).toBe(reference(full));
      }),
      { numRuns: 2000 },
    );
  });
  it('isIPv6 accepts exactly what ipaddr.js parses as IPv6 text without a zone', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.ipV6(), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.g') })),
        (a) => {
          expect(isIPv6(a)).toBe(ipaddr.IPv6.isValid(a) && !a.includes('%'));
        },
      ),
      { numRuns: 3000 },
    );
  });
  it.each([
    ['fd00:0::/64', 'fd00::/64'],
    ['2001:DB8::1', '2001:db8::1'],
    ['10.27.3.0/24', '10.27.3.0/24'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['1::2:0:0:0:3', '1:0:0:2::3'],
  ])('canonicalCidr(%s) is %s', (a, b) => {
    expect(canonicalCidr(a)).toBe(b);
  });
  it('parseCidr and readCidr give the canonical address', () => {
    expect(parseCidr('FD00:0:0::1/64')?.address).toBe('fd00::1');
    expect(readCidr('fd00:0::1/64', 'inet6')).toEqual({ address: 'fd00::1', prefixLen: 64, family: 'inet6' });
    expect(readCidr('fd00::1/64', 'inet')).toBeUndefined();
    expect(readCidr('default')).toBeUndefined();
  });
});
