import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/core/parsers/parser';
import { ipNeighParser } from '../../../src/core/parsers/ip-neigh';
import { uncoveredLines } from '../support/accounting';
import { expectFixturesRead, expectMatches, parseText, toLines } from '../support/parse';

function parse(text: string, argv?: string[], first = 1): ParseResult {
  return parseText(ipNeighParser, text, argv, { first, file: 'x.netsnap' });
}

// flnode1 of the lab while 10.27.1.99 was being resolved (ip-neigh--incomplete.out).
const NODE = `10.27.1.99 dev cni0 INCOMPLETE 
10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT 
10.18.19.13 dev eth0 lladdr 0a:18:19:00:03:01 STALE 
10.27.1.2 dev cni0 lladdr 0a:27:01:00:00:02 REACHABLE `;

// Scratch namespace, `ip neigh show nud all` (+ `router`, `proxy` entries).
const NUD_ALL = `10.51.0.40 dev veth-long-name0 lladdr 02:00:00:00:00:40 extern_learn PERMANENT 
0.0.0.0 dev lo lladdr 00:00:00:00:00:00 NOARP 
10.50.0.17 dev eth0 
10.50.0.14 dev eth0 FAILED 
10.50.0.15 dev eth0 lladdr 02:00:00:00:00:15 PROBE 
10.50.0.16 dev eth0 lladdr 02:00:00:00:00:16 DELAY 
fd50::20 dev eth0 lladdr 02:00:00:00:00:20 router PERMANENT 
10.50.0.30 dev eth0 proxy `;

describe('ip-neigh parser', () => {
  it('reads flannel PERMANENT entries, resolving and resolved neighbours', () => {
    const r = parse(NODE, ['ip', 'neigh'], 40);
    expect(r.issues).toEqual([]);
    const ns = r.facts.neighbours ?? [];
    expect(ns[0]).toEqual({
      loc: { file: 'x.netsnap', line: 40 },
      family: 'inet',
      ip: '10.27.1.99',
      dev: 'cni0',
      state: ['INCOMPLETE'],
      router: false,
    });
    expect(ns[1]).toEqual({
      loc: { file: 'x.netsnap', line: 41 },
      family: 'inet',
      ip: '10.27.3.0',
      mac: '42:32:74:de:03:03',
      dev: 'flannel.1',
      state: ['PERMANENT'],
      router: false,
    });
    expect(ns.map((n) => n.state[0])).toEqual(['INCOMPLETE', 'PERMANENT', 'STALE', 'REACHABLE']);
  });

  it('reads every NUD state, router, extern_learn, proxy and state-less (NONE) entries', () => {
    const r = parse(NUD_ALL, ['ip', 'neigh', 'show', 'nud', 'all']);
    expect(r.issues).toEqual([]);
    const ns = r.facts.neighbours ?? [];
    expect(ns.map((n) => [n.ip, n.mac, n.state, n.router, n.family])).toEqual([
      ['10.51.0.40', '02:00:00:00:00:40', ['PERMANENT'], false, 'inet'],
      ['0.0.0.0', '00:00:00:00:00:00', ['NOARP'], false, 'inet'],
      ['10.50.0.17', undefined, ['NONE'], false, 'inet'],
      ['10.50.0.14', undefined, ['FAILED'], false, 'inet'],
      ['10.50.0.15', '02:00:00:00:00:15', ['PROBE'], false, 'inet'],
      ['10.50.0.16', '02:00:00:00:00:16', ['DELAY'], false, 'inet'],
      ['fd50::20', '02:00:00:00:00:20', ['PERMANENT'], true, 'inet6'],
      ['10.50.0.30', undefined, ['PROXY'], false, 'inet'],
    ]);
  });

  it('takes the device from `ip neigh show dev X`, which leaves it out', () => {
    const text = `10.50.0.11 lladdr 02:00:00:00:00:11 STALE 
10.50.0.16 INCOMPLETE `;
    const r = parse(text, ['ip', 'neigh', 'show', 'dev', 'eth0']);
    expect(r.issues).toEqual([]);
    expect(r.facts.neighbours?.map((n) => [n.ip, n.dev, n.state])).toEqual([
      ['10.50.0.11', 'eth0', ['STALE']],
      ['10.50.0.16', 'eth0', ['INCOMPLETE']],
    ]);
  });

  it('reads `ip -s neigh` statistics without mistaking them for states', () => {
    const text = `10.50.0.11 dev eth0 lladdr 02:00:00:00:00:11  used 211/271/211probes 0 STALE 
10.50.0.15 dev eth0  used 211/271/208probes 3 FAILED `;
    const r = parse(text, ['ip', '-s', 'neigh']);
    expect(r.issues).toEqual([]);
    expect(r.facts.neighbours?.map((n) => [n.ip, n.state])).toEqual([
      ['10.50.0.11', ['STALE']],
      ['10.50.0.15', ['FAILED']],
    ]);
  });

  it('reads `ip -br neigh` (no state printed)', () => {
    const text = `10.51.0.41                              veth-long-name0  02:00:00:00:00:41
10.50.0.16                              eth0             `;
    const r = parse(text, ['ip', '-br', 'neigh']);
    expect(r.issues).toEqual([]);
    expect(r.facts.neighbours?.map((n) => [n.ip, n.dev, n.mac, n.state])).toEqual([
      ['10.51.0.41', 'veth-long-name0', '02:00:00:00:00:41', []],
      ['10.50.0.16', 'eth0', undefined, []],
    ]);
  });

  it('normalizes MACs and IPv6 addresses', () => {
    const r = parse('FD50::21 dev eth0 lladdr 2:0:0:0:0:AB router STALE');
    expect(r.facts.neighbours?.[0]).toMatchObject({ ip: 'fd50::21', mac: '02:00:00:00:00:ab', router: true });
  });

  it('reads one-line JSON', () => {
    const text =
      '[{"dst":"10.27.1.99","dev":"cni0","state":["FAILED"]},{"dst":"10.27.3.0","dev":"flannel.1","lladdr":"42:32:74:de:03:03","state":["PERMANENT"]},' +
      '{"dst":"10.51.0.40","dev":"veth-long-name0","lladdr":"02:00:00:00:00:40","extern_learn":null,"state":["PERMANENT"]},' +
      '{"dst":"10.50.0.17","dev":"eth0"},{"dst":"10.50.0.30","dev":"eth0","proxy":null}]';
    const r = parse(text, ['ip', '-j', 'neigh']);
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.facts.neighbours?.map((n) => [n.loc.line, n.ip, n.dev, n.mac, n.state])).toEqual([
      [1, '10.27.1.99', 'cni0', undefined, ['FAILED']],
      [1, '10.27.3.0', 'flannel.1', '42:32:74:de:03:03', ['PERMANENT']],
      [1, '10.51.0.40', 'veth-long-name0', '02:00:00:00:00:40', ['PERMANENT']],
      [1, '10.50.0.17', 'eth0', undefined, ['NONE']],
      [1, '10.50.0.30', 'eth0', undefined, ['PROXY']],
    ]);
  });

  it('reads pretty JSON of `ip -6 -j -p neigh show dev eth0`', () => {
    const text = `[ {
        "dst": "fd50::20",
        "lladdr": "02:00:00:00:00:20",
        "router": null,
        "state": [ "PERMANENT" ]
    },{
        "dst": "fd50::21",
        "lladdr": "02:00:00:00:00:21",
        "router": null,
        "state": [ "STALE" ]
    } ]`;
    const r = parse(text, ['ip', '-6', '-j', '-p', 'neigh', 'show', 'dev', 'eth0']);
    expect(r.issues).toEqual([]);
    const ns = r.facts.neighbours ?? [];
    expect(ns[0]).toEqual({
      loc: { file: 'x.netsnap', line: 1, endLine: 6 },
      family: 'inet6',
      ip: 'fd50::20',
      mac: '02:00:00:00:00:20',
      dev: 'eth0',
      state: ['PERMANENT'],
      router: true,
    });
    expect(ns[1]?.loc).toEqual({ file: 'x.netsnap', line: 6, endLine: 11 });
    expect(uncoveredLines(toLines(text), r)).toEqual([]);
  });

  it('reports garbage, keeps going, and accounts for every line', () => {
    const text = [
      '10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT ',
      '',
      '...',
      'Device "flannel.9" does not exist.',
      '10.27.2.0 dev flannel.1 lladdr 42:32:74:de:02:02 wobbly PERMANENT',
      '10.27.4.0 dev gre1 lladdr 10.0.0.1 REACHABLE',
    ].join('\n');
    const r = parse(text);
    expect(r.facts.neighbours?.map((n) => [n.ip, n.mac])).toEqual([
      ['10.27.3.0', '42:32:74:de:03:03'],
      ['10.27.2.0', '42:32:74:de:02:02'],
      ['10.27.4.0', undefined],
    ]);
    expect(r.skipped).toEqual([2, 3]);
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [4, 'info'],
      [5, 'info'],
      [6, 'info'],
    ]);
    expect(uncoveredLines(toLines(text), r)).toEqual([]);
  });

  it('matches ip neigh listing commands only', () => {
    const yes = [
      ['ip', 'neigh'],
      ['ip', 'n'],
      ['ip', 'ne'],
      ['ip', 'nei'],
      ['ip', 'neighbor'],
      ['ip', 'neighbour', 'show'],
      ['ip', 'n', 'l'],
      ['ip', '-4', 'neigh', 'show', 'dev', 'flannel.1'],
      ['ip', '-6', 'neigh'],
      ['ip', '-j', 'neigh'],
    ];
    const no = [
      ['ip', 'neigh', 'add', '10.0.0.1', 'lladdr', '02:00:00:00:00:01', 'dev', 'eth0'],
      ['ip', 'neigh', 'del', '10.0.0.1', 'dev', 'eth0'],
      ['ip', 'neigh', 'flush', 'dev', 'eth0'],
      ['ip', 'netns'],
      ['ip', 'route'],
      ['arp', '-n'],
    ];
    expectMatches(ipNeighParser, yes, no);
  });

  it('detects neighbour lines and JSON, not routes, FDB, links or arp rows', () => {
    const at = (text: string): boolean => ipNeighParser.detect(toLines(text), 0);
    expect(at('10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT ')).toBe(true);
    expect(at('10.27.1.99 dev cni0 FAILED ')).toBe(true);
    expect(at('10.27.1.99 dev cni0 INCOMPLETE ')).toBe(true);
    expect(at('fd50::20 dev eth0 lladdr 02:00:00:00:00:20 router PERMANENT ')).toBe(true);
    expect(at('10.50.0.30 dev eth0 proxy ')).toBe(true);
    expect(at('10.50.0.11 lladdr 02:00:00:00:00:11 STALE ')).toBe(true);
    expect(
      at('[{"dst":"10.27.3.0","dev":"flannel.1","lladdr":"42:32:74:de:03:03","state":["PERMANENT"]}]'),
    ).toBe(true);
    expect(at('10.27.2.0/24 via 10.27.2.0 dev flannel.1 onlink ')).toBe(false);
    expect(at('10.50.0.1 dev eth0 proto kernel scope link')).toBe(false);
    expect(at('[{"dst":"10.18.19.0/24","dev":"eth0","protocol":"kernel","flags":[]}]')).toBe(false);
    expect(at('42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent')).toBe(false);
    expect(at('3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450')).toBe(false);
    expect(at('10.27.3.0                ether   42:32:74:de:03:03   CM                    flannel.1')).toBe(
      false,
    );
  });

  it('reads every captured ip-neigh fixture completely and without issues', () => {
    expectFixturesRead(ipNeighParser, 'neighbours');
  });
});
