import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/core/parsers/parser';
import { ipRouteParser } from '../../../src/core/parsers/ip-route';
import { uncoveredLines } from '../support/accounting';
import { expectFixturesRead, expectMatches, parseText, toLines } from '../support/parse';

function parse(text: string, argv?: string[], first = 1): ParseResult {
  return parseText(ipRouteParser, text, argv, { first, file: 'x.netsnap' });
}

// flnode1 of the lab (`ip route`): flannel's onlink routes. Trailing blanks as iproute2 prints them.
const NODE = `10.18.19.0/24 dev eth0 proto kernel scope link src 10.18.19.11 
10.27.1.0/24 dev cni0 proto kernel scope link src 10.27.1.1 
10.27.2.0/24 via 10.27.2.0 dev flannel.1 onlink 
10.27.3.0/24 via 10.27.3.0 dev flannel.1 onlink `;

// Scratch namespace (iproute2 6.1): linkdown, mtu lock, multipath, reject types.
const SCRATCH = [
  'default via 10.50.0.254 dev eth0 metric 100 ',
  '10.50.0.0/24 dev eth0 proto kernel scope link src 10.50.0.1 ',
  '10.51.0.0/24 dev veth-long-name0 proto kernel scope link src 10.51.0.1 linkdown ',
  '10.60.0.0/16 via 10.51.0.2 dev veth-long-name0 linkdown mtu lock 1400 ',
  '10.61.0.0/16 via 10.50.0.3 dev eth0 proto static mtu 1300 ',
  '10.62.0.0/16 ',
  '\tnexthop via 10.50.0.4 dev eth0 weight 3 ',
  '\tnexthop via 10.51.0.4 dev veth-long-name0 weight 1 linkdown ',
  'unreachable 10.63.0.0/16 ',
  'prohibit 10.64.0.0/16 ',
  'blackhole 10.65.0.0/16 ',
].join('\n');

const SCRATCH_6 = `fd50::/64 dev eth0 proto kernel metric 256 pref medium
fd60::/64 via fd50::2 dev eth0 metric 1024 expires 411sec pref medium
fe80::/64 dev veth-long-name0 proto kernel metric 256 linkdown pref medium
default via fd50::fe dev eth0 metric 1024 pref high`;

const TABLE_ALL = `10.66.0.0/16 via 10.50.0.5 dev eth0 table 200 
default via 10.50.0.254 dev eth0 metric 100 
local 10.50.0.1 dev eth0 table local proto kernel scope host src 10.50.0.1 
broadcast 10.50.0.255 dev eth0 table local proto kernel scope link src 10.50.0.1 
local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 
local ::1 dev lo table local proto kernel metric 0 pref medium
multicast ff00::/8 dev eth0 table local proto kernel metric 256 pref medium`;

// `ip -j -p route` on flnode1 (lab fixture ip-route--node-json-pretty.out, first two routes).
const JSON_PRETTY = `[ {
        "dst": "10.18.19.0/24",
        "dev": "eth0",
        "protocol": "kernel",
        "scope": "link",
        "prefsrc": "10.18.19.11",
        "flags": [ ]
    },{
        "dst": "10.27.2.0/24",
        "gateway": "10.27.2.0",
        "dev": "flannel.1",
        "flags": [ "onlink" ]
    } ]`;

// `ip -j route` in the scratch namespace: multipath, metrics, types, default.
const JSON_ONE_LINE =
  '[{"dst":"default","gateway":"10.50.0.254","dev":"eth0","metric":100,"flags":[]},' +
  '{"dst":"10.60.0.0/16","gateway":"10.51.0.2","dev":"veth-long-name0","flags":["linkdown"],"metrics":[{"mtu":1400}]},' +
  '{"dst":"10.62.0.0/16","flags":[],"nexthops":[{"gateway":"10.50.0.4","dev":"eth0","weight":3,"flags":[]},{"gateway":"10.51.0.4","dev":"veth-long-name0","weight":1,"flags":["linkdown"]}]},' +
  '{"type":"unreachable","dst":"10.63.0.0/16","flags":[]},' +
  '{"dst":"10.66.0.0/16","gateway":"10.50.0.5","dev":"eth0","table":"200","flags":[]},' +
  '{"dst":"default","gateway":"fd50::fe","dev":"eth0","metric":1024,"flags":[],"pref":"high"}]';

describe('ip-route parser', () => {
  it('reads flannel onlink routes with their lines', () => {
    const r = parse(NODE, ['ip', 'route'], 10);
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([]);
    const routes = r.facts.routes ?? [];
    expect(routes[0]).toEqual({
      loc: { file: 'x.netsnap', line: 10 },
      family: 'inet',
      dst: '10.18.19.0/24',
      dev: 'eth0',
      proto: 'kernel',
      scope: 'link',
      src: '10.18.19.11',
      type: 'unicast',
      onlink: false,
    });
    expect(routes[2]).toEqual({
      loc: { file: 'x.netsnap', line: 12 },
      family: 'inet',
      dst: '10.27.2.0/24',
      gateway: '10.27.2.0',
      dev: 'flannel.1',
      type: 'unicast',
      onlink: true,
    });
    expect(routes[2]).not.toHaveProperty('flags');
  });

  it('reads default, linkdown, mtu lock, multipath and reject routes', () => {
    const r = parse(SCRATCH, ['ip', 'r']);
    expect(r.issues).toEqual([]);
    const routes = r.facts.routes ?? [];
    expect(routes).toHaveLength(9);
    expect(routes[0]).toMatchObject({
      dst: '0.0.0.0/0',
      family: 'inet',
      gateway: '10.50.0.254',
      metric: 100,
    });
    expect(routes[2]).toMatchObject({ dst: '10.51.0.0/24', nhFlags: ['linkdown'] });
    expect(routes[3]).toMatchObject({ gateway: '10.51.0.2', nhFlags: ['linkdown'], mtu: 1400 });
    expect(routes[4]).toMatchObject({ proto: 'static', mtu: 1300 });
    const multi = routes[5];
    expect(multi?.loc).toEqual({ file: 'x.netsnap', line: 6, endLine: 8 });
    expect(multi).not.toHaveProperty('gateway');
    expect(multi?.nexthops).toEqual([
      { gateway: '10.50.0.4', dev: 'eth0', weight: 3, onlink: false, loc: { file: 'x.netsnap', line: 7 } },
      {
        gateway: '10.51.0.4',
        dev: 'veth-long-name0',
        weight: 1,
        onlink: false,
        loc: { file: 'x.netsnap', line: 8 },
      },
    ]);
    expect(routes.slice(6).map((x) => [x.type, x.dst])).toEqual([
      ['unreachable', '10.63.0.0/16'],
      ['prohibit', '10.64.0.0/16'],
      ['blackhole', '10.65.0.0/16'],
    ]);
    expect(uncoveredLines(toLines(SCRATCH), r)).toEqual([]);
  });

  it('reads `ip -o route` (multipath on one line)', () => {
    const text =
      '10.62.0.0/16 \\\tnexthop via 10.50.0.4 dev eth0 weight 3 \\\tnexthop via 10.51.0.4 dev veth-long-name0 weight 1 linkdown ';
    const r = parse(text, ['ip', '-o', 'route']);
    expect(r.issues).toEqual([]);
    expect(r.facts.routes?.[0]?.nexthops?.map((h) => [h.gateway, h.dev, h.weight, h.loc.line])).toEqual([
      ['10.50.0.4', 'eth0', 3, 1],
      ['10.51.0.4', 'veth-long-name0', 1, 1],
    ]);
  });

  it('reads IPv6 routes: family, expires, pref, default', () => {
    const r = parse(SCRATCH_6, ['ip', '-6', 'route']);
    expect(r.issues).toEqual([]);
    const routes = r.facts.routes ?? [];
    expect(routes.every((x) => x.family === 'inet6')).toBe(true);
    expect(routes.map((x) => [x.dst, x.gateway, x.metric])).toEqual([
      ['fd50::/64', undefined, 256],
      ['fd60::/64', 'fd50::2', 1024],
      ['fe80::/64', undefined, 256],
      ['::/0', 'fd50::fe', 1024],
    ]);
    expect(routes[2]?.nhFlags).toEqual(['linkdown']);
    // a gateway-less default takes its family from -6 or from `pref`
    expect(parse('unreachable default dev lo metric 1024 pref medium').facts.routes?.[0]).toMatchObject({
      dst: '::/0',
      family: 'inet6',
      type: 'unreachable',
    });
    expect(parse('blackhole default', ['ip', '-6', 'route']).facts.routes?.[0]?.dst).toBe('::/0');
    expect(parse('blackhole default', ['ip', 'route']).facts.routes?.[0]?.dst).toBe('0.0.0.0/0');
  });

  it('reads `ip route show table all`: tables and local/broadcast/multicast types', () => {
    const r = parse(TABLE_ALL, ['ip', 'route', 'show', 'table', 'all']);
    expect(r.issues).toEqual([]);
    expect(r.facts.routes?.map((x) => [x.type, x.dst, x.table, x.family])).toEqual([
      ['unicast', '10.66.0.0/16', '200', 'inet'],
      ['unicast', '0.0.0.0/0', undefined, 'inet'],
      ['local', '10.50.0.1/32', 'local', 'inet'],
      ['broadcast', '10.50.0.255/32', 'local', 'inet'],
      ['local', '127.0.0.0/8', 'local', 'inet'],
      ['local', '::1/128', 'local', 'inet6'],
      ['multicast', 'ff00::/8', 'local', 'inet6'],
    ]);
  });

  it('takes what a selector leaves out of each line from the command', () => {
    const text = `default via 10.50.0.254 metric 100 
10.61.0.0/16 via 10.50.0.3 proto static mtu 1300 `;
    const r = parse(text, ['ip', 'route', 'show', 'dev', 'eth0']);
    expect(r.facts.routes?.map((x) => x.dev)).toEqual(['eth0', 'eth0']);
    const t = parse('10.66.0.0/16 via 10.50.0.5 dev eth0 ', ['ip', 'route', 'show', 'table', '200']);
    expect(t.facts.routes?.[0]?.table).toBe('200');
    const v = parse('10.61.0.0/16 dev eth0 proto static mtu 1300 ', ['ip', 'ro', 'sh', 'via', '10.50.0.3']);
    expect(v.facts.routes?.[0]?.gateway).toBe('10.50.0.3');
  });

  it('reads `ip -d route` (explicit unicast type)', () => {
    const r = parse(
      'unicast 10.60.0.0/16 via 10.51.0.2 dev veth-long-name0 proto boot scope global linkdown mtu lock 1400 ',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.routes?.[0]).toMatchObject({ type: 'unicast', proto: 'boot', scope: 'global', mtu: 1400 });
  });

  it('reads pretty JSON with each route spanning its lines', () => {
    const r = parse(JSON_PRETTY, ['ip', '-j', '-p', 'route']);
    expect(r.issues).toEqual([]);
    const routes = r.facts.routes ?? [];
    expect(routes[0]).toEqual({
      loc: { file: 'x.netsnap', line: 1, endLine: 8 },
      family: 'inet',
      dst: '10.18.19.0/24',
      dev: 'eth0',
      proto: 'kernel',
      scope: 'link',
      src: '10.18.19.11',
      type: 'unicast',
      onlink: false,
    });
    expect(routes[1]).toMatchObject({
      loc: { line: 8, endLine: 13 },
      gateway: '10.27.2.0',
      dev: 'flannel.1',
      onlink: true,
    });
    expect(uncoveredLines(toLines(JSON_PRETTY), r)).toEqual([]);
  });

  it('reads one-line JSON: multipath, metrics, types, tables, IPv6 default', () => {
    const r = parse(JSON_ONE_LINE, ['ip', '-j', 'route']);
    expect(r.issues).toEqual([]);
    const routes = r.facts.routes ?? [];
    expect(routes.map((x) => [x.dst, x.family, x.type])).toEqual([
      ['0.0.0.0/0', 'inet', 'unicast'],
      ['10.60.0.0/16', 'inet', 'unicast'],
      ['10.62.0.0/16', 'inet', 'unicast'],
      ['10.63.0.0/16', 'inet', 'unreachable'],
      ['10.66.0.0/16', 'inet', 'unicast'],
      ['::/0', 'inet6', 'unicast'],
    ]);
    expect(routes[1]).toMatchObject({ mtu: 1400, nhFlags: ['linkdown'] });
    expect(routes[2]?.nexthops?.map((h) => [h.gateway, h.dev, h.weight])).toEqual([
      ['10.50.0.4', 'eth0', 3],
      ['10.51.0.4', 'veth-long-name0', 1],
    ]);
    expect(routes[4]?.table).toBe('200');
    expect(routes.every((x) => x.loc.line === 1)).toBe(true);
  });

  it('reports broken JSON and JSON elements that are not routes', () => {
    const text =
      '[{"dst":"10.1.0.0/16","dev":"eth0","flags":[]},{"gateway":"10.0.0.1"},{"dst":"10.2.0.0/16",';
    const r = parse(text);
    expect(r.facts.routes?.map((x) => x.dst)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(r.issues.length).toBeGreaterThan(0);
    expect(uncoveredLines(toLines(text), r)).toEqual([]);
  });

  it('reports garbage lines and stray nexthops, skips blanks and elisions', () => {
    const text = [
      '10.27.2.0/24 via 10.27.2.0 dev flannel.1 onlink ',
      '...',
      '\tnexthop via 10.0.0.1 dev eth0 weight 1',
      'RTNETLINK answers: Operation not permitted',
      '',
      '10.27.3.0/24 via 10.27.3.0 dev flannel.1 onlink frobnicate',
    ].join('\n');
    const r = parse(text);
    expect(r.facts.routes?.map((x) => x.dst)).toEqual(['10.27.2.0/24', '10.27.3.0/24']);
    expect(r.skipped).toEqual([2, 5]);
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [3, 'info'],
      [4, 'info'],
      [6, 'info'],
    ]);
    expect(r.issues[2]?.message).toContain('frobnicate');
    expect(uncoveredLines(toLines(text), r)).toEqual([]);
  });

  it('matches ip route listing commands only', () => {
    const yes = [
      ['ip', 'route'],
      ['ip', 'r'],
      ['ip', 'ro'],
      ['ip', 'rou', 'show'],
      ['ip', 'route', 'list'],
      ['ip', 'route', 's'],
      ['ip', '-4', 'route', 'show', 'table', 'all'],
      ['ip', '-6', 'route'],
      ['ip', '-j', 'route'],
      ['ip', '-j', '-p', 'route', 'show', 'table', 'all'],
      ['/sbin/ip', '-d', 'route'],
    ];
    const no = [
      ['ip', 'route', 'get', '10.27.2.5'],
      ['ip', 'route', 'add', '10.0.0.0/8', 'dev', 'eth0'],
      ['ip', 'route', 'del', 'default'],
      ['ip', 'route', 'flush', 'cache'],
      ['ip', 'rule'],
      ['ip', 'neigh'],
      ['route', '-n'],
    ];
    expectMatches(ipRouteParser, yes, no);
  });

  it('detects route lines and route JSON, not neighbours, FDB or link lines', () => {
    const at = (text: string, next?: string): boolean =>
      ipRouteParser.detect(toLines(next === undefined ? text : `${text}\n${next}`), 0);
    expect(at('default via 10.27.1.1 dev eth0 ')).toBe(true);
    expect(at('10.27.2.0/24 via 10.27.2.0 dev flannel.1 onlink ')).toBe(true);
    expect(at('10.18.19.0/24 dev eth0 proto kernel scope link src 10.18.19.11 ')).toBe(true);
    expect(at('unreachable 10.63.0.0/16 ')).toBe(true);
    expect(at('local 10.50.0.1 dev eth0 table local proto kernel scope host src 10.50.0.1 ')).toBe(true);
    expect(at('fd60::/64 via fd50::2 dev eth0 metric 1024 expires 411sec pref medium')).toBe(true);
    expect(at('10.62.0.0/16 ', '\tnexthop via 10.50.0.4 dev eth0 weight 3 ')).toBe(true);
    expect(at(JSON_ONE_LINE)).toBe(true);
    expect(
      at('[ {', '        "dst": "10.18.19.0/24",\n        "dev": "eth0",\n        "flags": [ ]\n    } ]'),
    ).toBe(true);
    expect(at('10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT ')).toBe(false);
    expect(at('10.27.1.99 dev cni0 FAILED ')).toBe(false);
    expect(
      at('[{"dst":"10.27.3.0","dev":"flannel.1","lladdr":"42:32:74:de:03:03","state":["PERMANENT"]}]'),
    ).toBe(false);
    expect(at('42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent')).toBe(false);
    expect(at('3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN')).toBe(
      false,
    );
    expect(at('10.27.3.0       10.27.3.0       255.255.255.0   UG    0      0        0 flannel.1')).toBe(
      false,
    );
    expect(at('Kernel IP routing table')).toBe(false);
  });

  it('reads every captured ip-route fixture completely and without issues', () => {
    expectFixturesRead(ipRouteParser, 'routes');
  });
});
