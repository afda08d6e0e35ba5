import { describe, expect, it } from 'vitest';
import { mentions, tokenAt, tokensInLine } from '../../../src/core/language';

describe('tokenAt', () => {
  const route = '10.27.13.0      10.27.13.0      255.255.255.0   UG    0      0        0 flannel.1';

  it('finds IPv4 addresses, anywhere in the token and just after it', () => {
    expect(tokenAt(route, 0)).toMatchObject({ kind: 'ipv4', text: '10.27.13.0', start: 0, end: 10 });
    expect(tokenAt(route, 10)).toMatchObject({ kind: 'ipv4', start: 0 });
    expect(tokenAt(route, 20)).toMatchObject({ kind: 'ipv4', text: '10.27.13.0', start: 16 });
    expect(tokenAt(route, 12)).toBeUndefined();
    expect(tokenAt(route, 50)).toBeUndefined(); // UG
  });

  it('finds interface names, without trailing punctuation or @peer', () => {
    expect(tokenAt(route, route.length - 2)).toMatchObject({ kind: 'interface', text: 'flannel.1' });
    expect(tokenAt('3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450', 5)).toMatchObject({
      kind: 'interface',
      text: 'flannel.1',
      start: 3,
      end: 12,
    });
    expect(tokenAt('25: veth7443cee@if24: <BROADCAST>', 6)).toMatchObject({
      kind: 'interface',
      text: 'veth7443cee',
    });
    expect(tokenAt('    inet 127.0.0.1/8 scope host lo', 33)).toMatchObject({
      kind: 'interface',
      text: 'lo',
    });
  });

  it('finds CIDRs and IPv6', () => {
    expect(tokenAt('    inet 10.27.1.1/24 scope global cni0', 12)).toMatchObject({
      kind: 'cidr',
      text: '10.27.1.1/24',
    });
    expect(tokenAt('FLANNEL_NETWORK=10.27.0.0/16', 20)).toMatchObject({
      kind: 'cidr',
      text: '10.27.0.0/16',
      start: 16,
    });
    expect(tokenAt('    inet6 FE80::9811:71ff:feb7:19ae/64 scope link', 12)).toMatchObject({
      kind: 'cidr',
      text: 'fe80::9811:71ff:feb7:19ae/64',
    });
    expect(tokenAt('default via fe80::1 dev eth0', 14)).toMatchObject({ kind: 'ipv6', text: 'fe80::1' });
    expect(tokenAt('? (10.27.3.0) at 42:32:74:de:03:03 [ether] PERM on flannel.1', 5)).toMatchObject({
      kind: 'ipv4',
      text: '10.27.3.0',
    });
  });

  it('finds MACs, normalised, also inside bridge ids', () => {
    expect(tokenAt('42:32:74:DE:24:50 dev flannel.1', 3)).toMatchObject({
      kind: 'mac',
      text: '42:32:74:de:24:50',
    });
    const bridge = '... bridge_id 8000.86:29:6f:2:69:c5 designated_root';
    expect(tokenAt(bridge, 20)).toMatchObject({
      kind: 'mac',
      text: '86:29:6f:02:69:c5',
      raw: '8000.86:29:6f:2:69:c5',
    });
    expect(tokenAt('cni0\t\t8000.0a580a1d0d01\tno', 10)).toMatchObject({
      kind: 'mac',
      text: '0a:58:0a:1d:0d:01',
    });
  });

  it('keeps columns right through ANSI colour codes', () => {
    const line = '\x1b[32m10.27.1.0\x1b[0m dev flannel.1';
    expect(tokenAt(line, 7)).toMatchObject({ kind: 'ipv4', text: '10.27.1.0', start: 5, end: 14 });
  });

  it('finds interface names the snapshots list, even hostile ones', () => {
    const known = new Set(['<img/src=x/onerror=alert(1)>', 'weird0']);
    const line = '7: <img/src=x/onerror=alert(1)>@if2: <BROADCAST,UP> mtu 1500';
    expect(tokenAt(line, 6, known)).toMatchObject({
      kind: 'interface',
      text: '<img/src=x/onerror=alert(1)>',
      start: 3,
    });
    expect(tokenAt('dev weird0 x', 5, known)).toMatchObject({ kind: 'interface', text: 'weird0' });
    expect(tokenAt('dev weird0 x', 5)).toBeUndefined();
  });

  it('lists every token of a line', () => {
    expect(
      tokensInLine('42:32:74:de:24:50 dev flannel.1 dst 10.18.19.129 self permanent').map((t) => t.kind),
    ).toEqual(['mac', 'interface', 'ipv4']);
  });
});

describe('mentions', () => {
  it('matches whole tokens only', () => {
    expect(mentions('route for 10.27.3.0/24 via 10.27.3.0.', { kind: 'ipv4', text: '10.27.3.0' })).toBe(true);
    expect(mentions('10.27.3.01 and 110.27.3.0', { kind: 'ipv4', text: '10.27.3.0' })).toBe(false);
    expect(mentions('MAC 42:32:74:DE:24:50 is stale', { kind: 'mac', text: '42:32:74:de:24:50' })).toBe(true);
    expect(mentions("cni0's address", { kind: 'interface', text: 'cni0' })).toBe(true);
    expect(mentions('cni01', { kind: 'interface', text: 'cni0' })).toBe(false);
  });
});
