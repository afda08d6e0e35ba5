import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/core/parsers/parser';
import { arpParser } from '../../../src/core/parsers/arp';
import { uncoveredLines } from '../support/accounting';
import { expectFixturesRead, expectMatches, parseText, toLines } from '../support/parse';

function parse(text: string, argv?: string[], first = 1): ParseResult {
  return parseText(arpParser, text, argv, { first, file: 'x.netsnap' });
}

// cluster-healthy/flnode1.netsnap (bundled examples), with the lab's incomplete entry for 10.27.1.99.
const TABLE = `Address                  HWtype  HWaddress           Flags Mask            Iface
10.18.19.12              ether   9a:4e:5f:1d:4a:8e   C                     eth0
10.27.3.0                ether   42:32:74:de:03:03   CM                    flannel.1
10.27.1.99                       (incomplete)                              cni0
10.27.1.2                ether   02:d5:34:83:c5:70   C                     cni0`;

// Scratch namespace, `arp -a` with an /etc/hosts name and published (proxy) entries.
const BSD = `? (10.50.0.52) at 02:00:00:00:00:52 [ether] on eth0
? (10.51.0.41) at 02:00:00:00:00:41 [ether] PERM on veth-long-name0
peer-ten.example (10.50.0.10) at 02:00:00:00:00:10 [ether] PERM on eth0
? (10.50.0.16) at <incomplete> on eth0
gw.example (10.50.0.254) at <incomplete> on eth0
? (10.50.0.30) at <from_interface> PERM PUB on eth0`;

describe('arp parser', () => {
  it('reads the arp -e table: flags, states, incomplete rows', () => {
    const r = parse(TABLE, ['arp', '-e'], 20);
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([20]);
    const ns = r.facts.neighbours ?? [];
    expect(ns[1]).toEqual({
      loc: { file: 'x.netsnap', line: 22 },
      family: 'inet',
      ip: '10.27.3.0',
      mac: '42:32:74:de:03:03',
      dev: 'flannel.1',
      state: ['PERMANENT'],
      router: false,
      arpFlags: 'CM',
    });
    expect(ns.map((n) => [n.ip, n.state, n.arpFlags, n.dev])).toEqual([
      ['10.18.19.12', ['COMPLETE'], 'C', 'eth0'],
      ['10.27.3.0', ['PERMANENT'], 'CM', 'flannel.1'],
      ['10.27.1.99', ['INCOMPLETE'], undefined, 'cni0'],
      ['10.27.1.2', ['COMPLETE'], 'C', 'cni0'],
    ]);
    expect(ns[2]).not.toHaveProperty('mac');
  });

  it('reads the grep-filtered, headerless line of the k8snode028 walkthrough', () => {
    const text = '10.29.13.0               ether   42:32:74:de:24:50   CM                    flannel.1';
    const r = parse(text, ['arp', '-e'], 110);
    expect(r.issues).toEqual([]);
    expect(r.facts.neighbours).toEqual([
      {
        loc: { file: 'x.netsnap', line: 110 },
        family: 'inet',
        ip: '10.29.13.0',
        mac: '42:32:74:de:24:50',
        dev: 'flannel.1',
        state: ['PERMANENT'],
        router: false,
        arpFlags: 'CM',
      },
    ]);
  });

  it('reads arp -a: names, PERM, incomplete and published entries', () => {
    const r = parse(BSD, ['arp', '-a']);
    expect(r.issues).toEqual([]);
    expect(r.facts.neighbours?.map((n) => [n.ip, n.mac, n.state, n.arpFlags, n.dev])).toEqual([
      ['10.50.0.52', '02:00:00:00:00:52', ['COMPLETE'], undefined, 'eth0'],
      ['10.51.0.41', '02:00:00:00:00:41', ['PERMANENT'], 'PERM', 'veth-long-name0'],
      ['10.50.0.10', '02:00:00:00:00:10', ['PERMANENT'], 'PERM', 'eth0'],
      ['10.50.0.16', undefined, ['INCOMPLETE'], undefined, 'eth0'],
      ['10.50.0.254', undefined, ['INCOMPLETE'], undefined, 'eth0'],
      ['10.50.0.30', undefined, ['PROXY'], 'PERM PUB', 'eth0'],
    ]);
  });

  it('reads the flannel entry of arp -an on a lab node', () => {
    const r = parse('? (10.27.3.0) at 42:32:74:de:03:03 [ether] PERM on flannel.1', ['arp', '-an']);
    expect(r.facts.neighbours?.[0]).toEqual({
      loc: { file: 'x.netsnap', line: 1 },
      family: 'inet',
      ip: '10.27.3.0',
      mac: '42:32:74:de:03:03',
      dev: 'flannel.1',
      state: ['PERMANENT'],
      router: false,
      arpFlags: 'PERM',
    });
  });

  it('reads published entries of arp -e and skips the -v summary', () => {
    const text = [
      'Address                  HWtype  HWaddress           Flags Mask            Iface',
      '10.50.0.51               ether   02:00:00:00:00:51   CM                    eth0',
      '10.50.0.30               *       <from_interface>    MP                    eth0',
      'Entries: 14\tSkipped: 0\tFound: 14',
    ].join('\n');
    const r = parse(text, ['arp', '-v']);
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([1, 4]);
    expect(r.facts.neighbours?.map((n) => [n.ip, n.mac, n.state, n.arpFlags])).toEqual([
      ['10.50.0.51', '02:00:00:00:00:51', ['PERMANENT'], 'CM'],
      ['10.50.0.30', undefined, ['PROXY'], 'MP'],
    ]);
  });

  it('reports host names in the Address column (plain `arp`) instead of guessing', () => {
    const text = `Address                  HWtype  HWaddress           Flags Mask            Iface
peer-ten.example         ether   02:00:00:00:00:10   CM                    eth0
gw.example                       (incomplete)                              eth0
10.50.0.12               ether   02:00:00:00:00:12   C                     eth0`;
    const r = parse(text, ['arp']);
    expect(r.facts.neighbours?.map((n) => n.ip)).toEqual(['10.50.0.12']);
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'info'],
      [3, 'info'],
    ]);
    expect(r.issues[0]?.message).toContain('peer-ten.example');
    expect(uncoveredLines(toLines(text), r)).toEqual([]);
  });

  it('skips "no match" and "no entry" messages, reports other garbage', () => {
    const text = [
      'arp: in 3 entries no match found.',
      '10.9.9.9 (10.9.9.9) -- no entry',
      '',
      '...',
      'arp: cannot open /proc/net/arp',
      'hello world',
      '10.27.3.0   ether   not-a-mac   CM   flannel.1',
      '10.27.2.0\tether\t42:32:74:DE:2:2\tCM\tflannel.1\t',
    ].join('\n');
    const r = parse(text);
    expect(r.skipped).toEqual([1, 2, 3, 4]);
    expect(r.issues.map((i) => i.line)).toEqual([5, 6, 7]);
    expect(r.facts.neighbours?.map((n) => [n.ip, n.mac, n.dev])).toEqual([
      ['10.27.3.0', undefined, 'flannel.1'],
      ['10.27.2.0', '42:32:74:de:02:02', 'flannel.1'],
    ]);
    expect(uncoveredLines(toLines(text), r)).toEqual([]);
  });

  it('matches arp listing commands, not those that change the table', () => {
    const yes = [
      ['arp'],
      ['arp', '-e'],
      ['arp', '-n'],
      ['arp', '-en'],
      ['arp', '-a'],
      ['arp', '-an'],
      ['arp', '-e', '-i', 'flannel.1'],
      ['/usr/sbin/arp', '-n'],
    ];
    const no = [
      ['arp', '-s', '10.0.0.1', '02:00:00:00:00:01'],
      ['arp', '-d', '10.0.0.1'],
      ['arp', '-i', 'eth0', '-s', '10.0.0.1', '02:00:00:00:00:01', 'pub'],
      ['arp', '-f', '/etc/ethers'],
      ['arping', '10.0.0.1'],
      ['ip', 'neigh'],
    ];
    expectMatches(arpParser, yes, no);
  });

  it('detects the header, arp -a lines and bare table rows only', () => {
    const at = (text: string): boolean => arpParser.detect(toLines(text), 0);
    expect(at('Address                  HWtype  HWaddress           Flags Mask            Iface')).toBe(true);
    expect(at('? (10.27.3.0) at 42:32:74:de:03:03 [ether] PERM on flannel.1')).toBe(true);
    expect(at('gw.example (10.50.0.254) at <incomplete> on eth0')).toBe(true);
    expect(at('10.29.13.0               ether   42:32:74:de:24:50   CM                    flannel.1')).toBe(
      true,
    );
    expect(at('10.27.1.99                       (incomplete)                              cni0')).toBe(true);
    expect(at('10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT ')).toBe(false);
    expect(at('10.50.0.11 lladdr 02:00:00:00:00:11 STALE ')).toBe(false);
    expect(at('10.51.0.41                              veth-long-name0  02:00:00:00:00:41')).toBe(false);
    expect(at('42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent')).toBe(false);
    expect(at('10.27.2.0/24 via 10.27.2.0 dev flannel.1 onlink ')).toBe(false);
    expect(at('3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450')).toBe(false);
  });

  it('reads every captured arp fixture completely and without issues', () => {
    expectFixturesRead(arpParser, 'neighbours');
  });
});
