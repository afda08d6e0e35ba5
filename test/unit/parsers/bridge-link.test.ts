import { describe, expect, it } from 'vitest';
import { bridgeLinkParser } from '../../../src/core/parsers/bridge-link';
import { parseAccounted, toLines } from '../support/parse';

// Captured in a scratch namespace (iproute2 6.1): vethA (peer in the same namespace) and veth228c5a4c (peer in
// another namespace, printed `@br0` by this iproute2) on br0, vxlan0 on br1.
const LINK = `4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
6: vxlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 100 
10: veth228c5a4c@br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
`;
const LINK_D = `4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
6: vxlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br1 state forwarding priority 32 cost 100 
    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
10: veth228c5a4c@br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 
    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off 
`;
const LINK_JP = `[ {
        "ifindex": 4,
        "link": "vethB",
        "ifname": "vethA",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "master": "br0",
        "state": "forwarding",
        "priority": 32,
        "cost": 2
    },{
        "ifindex": 6,
        "ifname": "vxlan0",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "master": "br1",
        "state": "forwarding",
        "priority": 32,
        "cost": 100
    },{
        "ifindex": 10,
        "link": "br0",
        "ifname": "veth228c5a4c",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "master": "br0",
        "state": "forwarding",
        "priority": 32,
        "cost": 2
    } ]
`;
const LINK_J = `[{"ifindex":4,"link":"vethB","ifname":"vethA","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"master":"br0","state":"forwarding","priority":32,"cost":2}]
`;

// The form the brief and older iproute2 print for a pod veth on a flannel node.
const FLANNEL =
  '5: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master cni0 state forwarding priority 32 cost 2 \n';

const F = 'test.netsnap';

describe('bridge-link parser', () => {
  it('reads a flannel pod veth port', () => {
    const r = parseAccounted(bridgeLinkParser, FLANNEL, 'bridge link show', { first: 12 });
    expect(r.issues).toEqual([]);
    expect(r.facts.interfaces).toEqual([
      {
        loc: { file: F, line: 12 },
        name: 'veth228c5a4c',
        ifindex: 5,
        kind: 'veth',
        flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
        up: true,
        addresses: [],
        mtu: 1450,
        master: 'cni0',
        portState: 'forwarding',
      },
    ]);
    expect(r.facts.bridges).toEqual([
      {
        loc: { file: F, line: 12 },
        name: 'cni0',
        ports: [{ loc: { file: F, line: 12 }, name: 'veth228c5a4c', state: 'forwarding' }],
      },
    ]);
  });

  it('groups ports by master; the bridge loc is its first port line', () => {
    const r = parseAccounted(bridgeLinkParser, LINK, 'bridge link show', { first: 3 });
    const bridges = r.facts.bridges ?? [];
    expect(
      bridges.map((b) => [b.name, b.loc.line, b.ports.map((p) => [p.name, p.loc.line, p.state])]),
    ).toEqual([
      [
        'br0',
        3,
        [
          ['vethA', 3, 'forwarding'],
          ['veth228c5a4c', 5, 'forwarding'],
        ],
      ],
      ['br1', 4, [['vxlan0', 4, 'forwarding']]],
    ]);
    const ifs = r.facts.interfaces ?? [];
    expect(ifs.map((i) => [i.name, i.kind, i.master, i.link])).toEqual([
      ['vethA', 'veth', 'br0', undefined],
      ['vxlan0', 'vxlan', 'br1', undefined],
      ['veth228c5a4c', 'veth', 'br0', undefined],
    ]);
  });

  it('keeps `-d` detail lines in the port record', () => {
    const r = parseAccounted(bridgeLinkParser, LINK_D, 'bridge -d link show');
    expect(r.facts.interfaces?.map((i) => i.loc)).toEqual([
      { file: F, line: 1, endLine: 2 },
      { file: F, line: 3, endLine: 4 },
      { file: F, line: 5, endLine: 6 },
    ]);
    expect(r.facts.bridges?.[0]?.ports[1]?.loc).toEqual({ file: F, line: 5, endLine: 6 });
    expect(r.facts.bridges?.[0]?.loc).toEqual({ file: F, line: 1 });
  });

  it('reads `bridge -j link show`, compact and pretty', () => {
    const text = parseAccounted(bridgeLinkParser, LINK, 'bridge link show').facts;
    const pretty = parseAccounted(bridgeLinkParser, LINK_JP, 'bridge -j -p link show').facts;
    const noLoc = (v: unknown) =>
      JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'loc' ? undefined : x))) as unknown;
    expect(noLoc(pretty)).toEqual(noLoc(text));
    expect(pretty.interfaces?.[1]?.loc).toEqual({ file: F, line: 11, endLine: 20 });
    const compact = parseAccounted(bridgeLinkParser, LINK_J, 'bridge -j link show').facts;
    expect(compact.bridges?.[0]?.ports).toEqual([
      { loc: { file: F, line: 1 }, name: 'vethA', state: 'forwarding' },
    ]);
  });

  it('reports garbage and orphan detail lines', () => {
    const r = parseAccounted(
      bridgeLinkParser,
      '    hairpin off guard off\nError: no such device\n' + FLANNEL + '...\n    hairpin on\n',
    );
    expect(r.facts.interfaces).toHaveLength(1);
    expect(r.issues.map((i) => i.line)).toEqual([1, 2, 5]);
    expect(r.skipped).toEqual([4]);
  });

  it('matches `bridge link [show]` only', () => {
    const m = (c: string) => bridgeLinkParser.matchesCommand(c.split(' '));
    for (const c of [
      'bridge link',
      'bridge link show',
      'bridge -d link show',
      'bridge -j link show',
      'bridge -j -p link',
      'bridge l sh',
    ])
      expect(m(c), c).toBe(true);
    for (const c of [
      'bridge link set dev veth0 state 3',
      'bridge link s dev veth0 cost 4',
      'bridge fdb show',
      'ip link show',
    ])
      expect(m(c), c).toBe(false);
  });

  it('detects its lines and not ip link dumps', () => {
    expect(bridgeLinkParser.detect(toLines(FLANNEL), 0)).toBe(true);
    expect(bridgeLinkParser.detect(toLines(LINK_D), 0)).toBe(true);
    expect(bridgeLinkParser.detect(toLines(LINK_JP), 0)).toBe(true);
    const ipLink =
      '5: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000\n' +
      '    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff link-netns flp1\n';
    expect(bridgeLinkParser.detect(toLines(ipLink), 0)).toBe(false);
    const ip6 =
      '4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state UP qlen 1000\n    inet6 fe80::1/64 scope link\n';
    expect(bridgeLinkParser.detect(toLines(ip6), 0)).toBe(false);
    expect(
      bridgeLinkParser.detect(
        toLines('[{"ifindex":1,"ifname":"lo","operstate":"UNKNOWN","master":"x","state":"y"}]'),
        0,
      ),
    ).toBe(false);
  });
});
