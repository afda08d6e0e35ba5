import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/core/parsers/parser';
import { routeNParser } from '../../../src/core/parsers/route-n';
import { uncoveredLines } from '../support/accounting';
import { expectFixturesRead, expectMatches, parseText, toLines } from '../support/parse';

function parse(text: string, argv?: string[], first = 1): ParseResult {
  return parseText(routeNParser, text, argv, { first, file: 'x.netsnap' });
}

// k8snode028.netsnap (bundled examples): the node's `route -n`.
const NODE = `Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         10.18.19.1      0.0.0.0         UG    0      0        0 bond0
10.18.19.0      0.0.0.0         255.255.255.0   U     0      0        0 bond0
10.27.0.0       10.27.0.0       255.255.255.0   UG    0      0        0 flannel.1
10.27.9.0       0.0.0.0         255.255.255.0   U     0      0        0 cni0
169.254.0.0     0.0.0.0         255.255.0.0     U     1006   0        0 bond0`;

// Scratch namespace capture (iproute2 6.1 / net-tools 2.10): unreachable, prohibit and blackhole routes.
const SCRATCH_NE = `Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
0.0.0.0         10.50.0.254     0.0.0.0         UG        0 0          0 eth0
10.51.0.0       0.0.0.0         255.255.255.0   U         0 0          0 veth-long-name0
10.63.0.0       -               255.255.0.0     !         - -          - -
10.65.0.0       0.0.0.0         255.255.0.0     U         0 0          0 *`;

const SCRATCH_NEE = `Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt
0.0.0.0         10.50.0.254     0.0.0.0         UG    100    0        0 eth0     0     0      0
10.60.0.0       10.51.0.2       255.255.0.0     UG    0      0        0 veth-l   0     0      0
10.63.0.0       -               255.255.0.0     !     0      -        0 -        -     -      -`;

// `route` without -n, with /etc/hosts and /etc/networks names in the scratch namespace.
const NAMES = `Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
default         gw.example      0.0.0.0         UG    100    0        0 eth0
10.50.0.0       0.0.0.0         255.255.255.0   U     0      0        0 eth0
podnet          10.51.0.2       255.255.0.0     UG    0      0        0 veth-long-name0
link-local      0.0.0.0         255.255.0.0     U     1000   0        0 eth0`;

const IPV6 = `Kernel IPv6 routing table
Destination                    Next Hop                   Flag Met Ref  Use If
fd50::/64                      ::                         U    256 2      0 eth0
fd60::/64                      fd50::2                    UGe  1024 1      0 eth0
::/0                           fd50::fe                   UG   1024 1      0 eth0
::1/128                        ::                         Un   0   2      0 lo
::/0                           ::                         !n   -1  1      0 lo`;

describe('route-n parser', () => {
  it('reads the node table of the k8snode028 walkthrough', () => {
    const r = parse(NODE, ['route', '-n'], 74);
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([74, 75]);
    const routes = r.facts.routes ?? [];
    expect(routes).toHaveLength(5);
    expect(routes[0]).toEqual({
      loc: { file: 'x.netsnap', line: 76 },
      family: 'inet',
      dst: '0.0.0.0/0',
      gateway: '10.18.19.1',
      dev: 'bond0',
      metric: 0,
      type: 'unicast',
      flags: 'UG',
      onlink: false,
    });
    expect(routes[2]).toMatchObject({
      dst: '10.27.0.0/24',
      gateway: '10.27.0.0',
      dev: 'flannel.1',
      flags: 'UG',
    });
    expect(routes[3]).toMatchObject({ dst: '10.27.9.0/24', dev: 'cni0', flags: 'U' });
    expect(routes[3]).not.toHaveProperty('gateway');
    expect(routes[4]).toMatchObject({ dst: '169.254.0.0/16', metric: 1006 });
    expect(routes[4]?.loc.line).toBe(80);
  });

  it('reads route -ne (no metric column) and reject / device-less routes', () => {
    const r = parse(SCRATCH_NE, ['route', '-ne']);
    expect(r.issues).toEqual([]);
    const [def, veth, reject, blackhole] = r.facts.routes ?? [];
    expect(def).toMatchObject({ dst: '0.0.0.0/0', gateway: '10.50.0.254', dev: 'eth0' });
    expect(def).not.toHaveProperty('metric');
    expect(veth).toMatchObject({ dst: '10.51.0.0/24', dev: 'veth-long-name0' });
    expect(reject).toMatchObject({ dst: '10.63.0.0/16', type: 'unreachable', flags: '!' });
    expect(reject).not.toHaveProperty('gateway');
    expect(reject).not.toHaveProperty('dev');
    expect(blackhole).toMatchObject({ dst: '10.65.0.0/16', type: 'unicast', flags: 'U' });
    expect(blackhole).not.toHaveProperty('dev');
  });

  it('reads route -nee and notes its 6-character interface names', () => {
    const r = parse(SCRATCH_NEE, ['route', '-nee']);
    const routes = r.facts.routes ?? [];
    expect(routes.map((x) => [x.dst, x.metric, x.dev])).toEqual([
      ['0.0.0.0/0', 100, 'eth0'],
      ['10.60.0.0/16', 0, 'veth-l'],
      ['10.63.0.0/16', 0, undefined],
    ]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ line: 4, severity: 'info' });
    expect(r.issues[0]?.message).toContain('6 characters');
  });

  it('reads plain `route`: names kept out, each reported', () => {
    const r = parse(NAMES, ['route']);
    const routes = r.facts.routes ?? [];
    expect(routes.map((x) => x.dst)).toEqual(['0.0.0.0/0', '10.50.0.0/24', '169.254.0.0/16']);
    expect(routes[0]).toMatchObject({ dev: 'eth0', flags: 'UG', metric: 100 });
    expect(routes[0]).not.toHaveProperty('gateway');
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [3, 'info'],
      [5, 'info'],
    ]);
    expect(r.issues[0]?.message).toContain('gw.example');
    expect(r.issues[1]?.message).toContain('podnet');
    expect(uncoveredLines(toLines(NAMES), r)).toEqual([]);
  });

  it('reads route -6 -n', () => {
    const r = parse(IPV6, ['route', '-6', '-n']);
    expect(r.issues).toEqual([]);
    const routes = r.facts.routes ?? [];
    expect(routes.every((x) => x.family === 'inet6')).toBe(true);
    expect(routes.map((x) => [x.dst, x.gateway, x.flags, x.metric, x.dev, x.type])).toEqual([
      ['fd50::/64', undefined, 'U', 256, 'eth0', 'unicast'],
      ['fd60::/64', 'fd50::2', 'UGe', 1024, 'eth0', 'unicast'],
      ['::/0', 'fd50::fe', 'UG', 1024, 'eth0', 'unicast'],
      ['::1/128', undefined, 'Un', 0, 'lo', 'unicast'],
      ['::/0', undefined, '!n', 4294967295, 'lo', 'unreachable'],
    ]);
  });

  it('reads `route -6` without -n ([::] for the unspecified address)', () => {
    const text = `Kernel IPv6 routing table
Destination                    Next Hop                   Flag Met Ref  Use If
fd50::/64                      [::]                       U    256 2      0 eth0
[::]/0                         fd50::fe                   UG   1024 1      0 eth0`;
    const r = parse(text, ['route', '-6']);
    expect(r.issues).toEqual([]);
    expect(r.facts.routes?.map((x) => [x.dst, x.gateway])).toEqual([
      ['fd50::/64', undefined],
      ['::/0', 'fd50::fe'],
    ]);
  });

  it('reads netstat -rn (the MSS layout)', () => {
    const text = `Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
0.0.0.0         10.50.0.254     0.0.0.0         UG        0 0          0 eth0`;
    const r = parse(text, ['netstat', '-rn']);
    expect(r.facts.routes?.[0]).toMatchObject({ dst: '0.0.0.0/0', gateway: '10.50.0.254', dev: 'eth0' });
    expect(r.facts.routes?.[0]).not.toHaveProperty('metric');
  });

  it('reads headerless, grep-filtered rows (no banner) by their shape', () => {
    const text = `10.27.13.0      10.27.13.0      255.255.255.0   UG    0      0        0 flannel.1
10.27.14.0      10.27.14.0      255.255.255.0   UG    0      0        0 flannel.1   `;
    const r = parse(text, ['route', '-n']);
    expect(r.issues).toEqual([]);
    expect(r.facts.routes?.map((x) => [x.loc.line, x.dst, x.gateway, x.dev])).toEqual([
      [1, '10.27.13.0/24', '10.27.13.0', 'flannel.1'],
      [2, '10.27.14.0/24', '10.27.14.0', 'flannel.1'],
    ]);
    // without any command either
    expect(parse(text).facts.routes).toHaveLength(2);
    // a headerless -nee row is recognised by its column count
    const ee = parse(
      '10.27.2.0       10.27.2.0       255.255.255.0   UG    0      0        0 flanne   0     0      0',
    );
    expect(ee.facts.routes?.[0]).toMatchObject({ dst: '10.27.2.0/24', metric: 0, dev: 'flanne' });
  });

  it('reads truncated rows and reports garbage, blanks and elisions', () => {
    const text = [
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         10.18.19.1      0.0.0.0         UG    0      0',
      '...',
      '',
      'this is not a route',
      '10.27.1.0       10.27.1.0       255.255.0.255   UG    0      0        0 flannel.1',
      '10.27.2.0\t10.27.2.0\t255.255.255.0\tUG\t0\t0\t0\tflannel.1\t ',
    ].join('\n');
    const r = parse(text);
    expect(r.facts.routes?.map((x) => [x.loc.line, x.dst, x.dev])).toEqual([
      [3, '0.0.0.0/0', undefined],
      [8, '10.27.2.0/24', 'flannel.1'],
    ]);
    expect(r.skipped).toEqual([1, 2, 4, 5]);
    expect(r.issues.map((i) => i.line)).toEqual([3, 6, 7]);
    expect(r.issues.every((i) => i.severity === 'info')).toBe(true);
    expect(uncoveredLines(toLines(text), r)).toEqual([]);
  });

  it('never throws on arbitrary text', () => {
    for (const text of [
      '',
      '\t\t',
      'Destination',
      'Kernel IP routing cache\nSource x y',
      '- - - - - - - -',
    ]) {
      const r = parse(text);
      expect(uncoveredLines(toLines(text), r)).toEqual([]);
      expect(r.issues.every((i) => i.severity !== 'error')).toBe(true);
    }
  });

  it('matches route / netstat -r commands that print the table, not those that change it', () => {
    const yes = [
      ['route', '-n'],
      ['route'],
      ['route', '-ne'],
      ['route', '-nee'],
      ['route', '-6', '-n'],
      ['route', '-A', 'inet6', '-n'],
      ['/sbin/route', '-n'],
      ['netstat', '-rn'],
      ['netstat', '-nr'],
    ];
    const no = [
      ['route', 'add', 'default', 'gw', '10.0.0.1'],
      ['route', 'del', '-net', '10.0.0.0/8'],
      ['route', '-C', '-n'],
      ['netstat', '-tn'],
      ['ip', 'route'],
      ['arp', '-n'],
    ];
    expectMatches(routeNParser, yes, no);
  });

  it('detects the banner, the header and bare rows, and nothing of other commands', () => {
    const at = (text: string): boolean => routeNParser.detect(toLines(text), 0);
    expect(at('Kernel IP routing table')).toBe(true);
    expect(at('Kernel IPv6 routing table')).toBe(true);
    expect(at('Destination     Gateway         Genmask         Flags Metric Ref    Use Iface')).toBe(true);
    expect(at('Destination                    Next Hop                   Flag Met Ref  Use If')).toBe(true);
    expect(at('10.27.3.0       10.27.3.0       255.255.255.0   UG    0      0        0 flannel.1')).toBe(
      true,
    );
    expect(at('fd50::/64                      ::                         U    256 2      0 eth0')).toBe(true);
    expect(at('Kernel IP routing cache')).toBe(false);
    expect(at('10.27.3.0/24 via 10.27.3.0 dev flannel.1 onlink')).toBe(false);
    expect(at('10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT')).toBe(false);
    expect(at('10.27.3.0                ether   42:32:74:de:03:03   CM                    flannel.1')).toBe(
      false,
    );
    expect(at('42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent')).toBe(false);
    expect(at('3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN')).toBe(
      false,
    );
  });

  // Plain IPv4 rows are read from their characters, without splitting them into words; any other row
  // is split and read field by field. A no-break space at the end of a row (white space to `tokens`, but
  // not plain ASCII) sends a row the second way: both must make the same routes and notes.
  it('reads plain rows as it reads them split into words', () => {
    const rows = [
      '0.0.0.0         10.18.19.1      0.0.0.0         UG    0      0        0 bond0',
      'default         10.18.19.1      0.0.0.0         UG    -1     0        0 bond0',
      'default         0.0.0.0         0.0.0.0         U!    -0     0        0 -',
      '10.1.0.0        10.1.0.0        255.255.0.0     UG    4294967295 0  0 flannel.1',
      '10.1.0.0        *               255.255.0.0     !     -      -        - -',
      '10.1.0.0        -               255.255.0.0     !     0      -        0 *',
      '10.2.0.0        ::              255.255.0.0     U     0      0        0 eth0',
      '10.3.0.0        gw.example      255.255.0.0     UG    0      0        0 eth0',
      'link-local      0.0.0.0         255.255.0.0     U     1000   0        0 eth0',
      '10.4.0.0        0.0.0.0         255.0.255.0     U     0      0        0 eth0',
      '10.4.0.0        0.0.0.0         255.255.255.0   U1    0      0        0 eth0',
      '10.4.0.0        0.0.0.0         255.255.255.0   U     x      0        0 eth0',
      '10.4.0.0        0.0.0.0         255.255.255.0   U     0      0        0',
      '10.4.0.0        0.0.0.0         255.255.255.0   U     0      0        0 eth0 a b c',
      '10.4.0.0\t0.0.0.0\t255.255.255.0\tU\t0\t0\t0\teth0',
      '  10.4.0.0        0.0.0.0         255.255.255.0   U     0      0        0 eth0   ',
      '10.4.0.0        0.0.0.0         255.255.255.0   U     0      0        0 veth-l   0     0      0',
      '10.5.0.0        0.0.0.0         255.255.255.0   U     0      0        0 veth-m   0     0      0',
      '10.4.0.0        0.0.0.0         255.255.255.0   U     123456789012345678 0    0 eth0',
      '010.4.0.0       0.0.0.0         255.255.255.0   U     0      0        0 eth0',
      '10.4.0.1        10.4.0.1        255.255.255.255 UGH   0      0        0 eth0',
      '10.4.0.2        10.4.0.20       255.255.255.255 UGH   0      0        0 eth0',
    ];
    for (const argv of [
      ['route', '-n'],
      ['route', '-ne'],
      ['route', '-nee'],
      ['netstat', '-rn'],
      undefined,
    ]) {
      const plain = parse(rows.join('\n'), argv);
      const split = parse(rows.map((r) => `${r}\u00a0`).join('\n'), argv);
      expect(plain.facts.routes?.length).toBeGreaterThan(10);
      expect(JSON.stringify(plain)).toBe(JSON.stringify(split));
    }
  });

  it('reads every captured route-n fixture completely and without issues', () => {
    expectFixturesRead(routeNParser, 'routes', (i) => i.message.includes('6 characters'));
  });
});
