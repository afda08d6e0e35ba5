import { describe, expect, it } from 'vitest';
import { ifconfigParser } from '../../../src/core/parsers/ifconfig';
import { parseAccounted, toLines } from '../support/parse';

// k8snode028.netsnap, lines 25–32: a partial `ifconfig` paste with `...` elisions.
const K8SNODE028 = `...
cni0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450
        inet 10.27.9.1  netmask 255.255.255.0  broadcast 0.0.0.0
...

flannel.1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450
        inet 10.27.9.0  netmask 255.255.255.255  broadcast 0.0.0.0
...
`;

// Captured in a scratch namespace (net-tools 2.10): an alias br0:1, a down bridge, loopback.
const SCRATCH = `br0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.27.1.1  netmask 255.255.255.0  broadcast 0.0.0.0
        inet6 fe80::6025:8ff:fed0:4214  prefixlen 64  scopeid 0x20<link>
        inet6 fd00::1  prefixlen 64  scopeid 0x0<global>
        ether 62:25:08:d0:42:14  txqueuelen 1000  (Ethernet)
        RX packets 8  bytes 544 (544.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 12  bytes 1136 (1.1 KiB)
        TX errors 0  dropped 1 overruns 0  carrier 0  collisions 0

br0:1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.27.1.5  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 62:25:08:d0:42:14  txqueuelen 1000  (Ethernet)

br1: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether 7a:be:18:aa:48:9d  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.18.19.11  netmask 255.255.255.0  broadcast 0.0.0.0
        inet6 fe80::8c13:f5ff:febf:d495  prefixlen 64  scopeid 0x20<link>
        ether 8e:13:f5:bf:d4:95  txqueuelen 1000  (Ethernet)
        RX packets 6  bytes 516 (516.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 12  bytes 768 (768.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth0p: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet6 fe80::201d:72ff:fe5a:a84b  prefixlen 64  scopeid 0x20<link>
        ether 22:1d:72:5a:a8:4b  txqueuelen 1000  (Ethernet)
        RX packets 12  bytes 768 (768.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 6  bytes 516 (516.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

flannel.1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450
        inet 10.27.1.0  netmask 255.255.255.255  broadcast 0.0.0.0
        inet6 fe80::d0af:aeff:fe32:acfb  prefixlen 64  scopeid 0x20<link>
        ether d2:af:ae:32:ac:fb  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 9  bytes 636 (636.0 B)
        TX errors 0  dropped 1 overruns 0  carrier 0  collisions 0

lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536
        inet 127.0.0.1  netmask 255.0.0.0
        inet6 ::1  prefixlen 128  scopeid 0x10<host>
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 9  bytes 1338 (1.3 KiB)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 9  bytes 1338 (1.3 KiB)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

vethA: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet6 fe80::6025:8ff:fed0:4214  prefixlen 64  scopeid 0x20<link>
        ether 62:25:08:d0:42:14  txqueuelen 1000  (Ethernet)
        RX packets 8  bytes 656 (656.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 20  bytes 1792 (1.7 KiB)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

vethB: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet6 fe80::e804:68ff:fe81:1180  prefixlen 64  scopeid 0x20<link>
        ether ea:04:68:81:11:80  txqueuelen 1000  (Ethernet)
        RX packets 20  bytes 1792 (1.7 KiB)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 8  bytes 656 (656.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

vxlan0: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether be:56:62:fa:69:9f  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

`;

// net-tools 1.60 has no binary here. This is the widely posted Ubuntu 12.04-era output (Mininet mailing list,
// `ifconfig` on a Mininet host), with an `eth1` block in the same format from an Ubuntu forum post.
const OLD = `lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:16436  Metric:1
          RX packets:111 errors:0 dropped:0 overruns:0 frame:0
          TX packets:111 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:6529 (6.5 KB)  TX bytes:6529 (6.5 KB)

qh-eth1   Link encap:Ethernet  HWaddr 00:00:00:00:00:02  
          inet addr:192.168.20.101  Bcast:0.0.0.0  Mask:255.255.255.0
          inet6 addr: fe80::200:ff:fe00:2/64 Scope:Link
          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1
          RX packets:19780 errors:0 dropped:6656 overruns:0 frame:0
          TX packets:14 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:1048 (1.0 KB)  TX bytes:1344 (1.3 KB)

eth1      Link encap:Ethernet  HWaddr 00:48:54:84:54:C8
          inet addr:192.168.4.2  Bcast:192.168.4.255  Mask:255.255.255.0
          BROADCAST MULTICAST  MTU:1500  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          Interrupt:19 Base address:0x2000
`;

const F = 'test.netsnap';

describe('ifconfig parser', () => {
  it('reads the partial paste of k8snode028', () => {
    const r = parseAccounted(ifconfigParser, K8SNODE028, 'ifconfig', { first: 25 });
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([25, 28, 29, 32]);
    const [cni0, flannel] = r.facts.interfaces ?? [];
    expect(cni0).toEqual({
      loc: { file: F, line: 26, endLine: 27 },
      name: 'cni0',
      kind: 'bridge',
      flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
      up: true,
      mtu: 1450,
      addresses: [
        {
          loc: { file: F, line: 27 },
          family: 'inet',
          address: '10.27.9.1',
          prefixLen: 24,
          broadcast: '0.0.0.0',
        },
      ],
    });
    expect(flannel).toMatchObject({
      name: 'flannel.1',
      kind: 'vxlan',
      mtu: 1450,
      loc: { line: 30, endLine: 31 },
    });
    expect(flannel?.addresses[0]).toMatchObject({ address: '10.27.9.0', prefixLen: 32 });
  });

  it('reads net-tools 2.x blocks: ether, inet6 scope, loopback, down links, aliases', () => {
    const r = parseAccounted(ifconfigParser, SCRATCH, 'ifconfig -a');
    expect(r.issues).toEqual([]);
    const ifs = r.facts.interfaces ?? [];
    expect(ifs.map((i) => [i.name, i.kind, i.up])).toEqual([
      ['br0', 'bridge', true],
      ['br1', 'bridge', false],
      ['eth0', 'physical', true],
      ['eth0p', 'physical', true],
      ['flannel.1', 'vxlan', true],
      ['lo', 'loopback', true],
      ['vethA', 'veth', true],
      ['vethB', 'veth', true],
      ['vxlan0', 'vxlan', false],
    ]);
    const br0 = ifs[0];
    expect(br0?.loc).toEqual({ file: F, line: 1, endLine: 9 });
    expect(br0?.mac).toBe('62:25:08:d0:42:14');
    expect(br0?.addresses).toEqual([
      {
        loc: { file: F, line: 2 },
        family: 'inet',
        address: '10.27.1.1',
        prefixLen: 24,
        broadcast: '0.0.0.0',
      },
      {
        loc: { file: F, line: 3 },
        family: 'inet6',
        address: 'fe80::6025:8ff:fed0:4214',
        prefixLen: 64,
        scope: 'link',
      },
      { loc: { file: F, line: 4 }, family: 'inet6', address: 'fd00::1', prefixLen: 64, scope: 'global' },
      // The alias block `br0:1` (lines 11–13) is the same link: its address joins br0 with the alias as label.
      {
        loc: { file: F, line: 12 },
        family: 'inet',
        address: '10.27.1.5',
        prefixLen: 24,
        broadcast: '0.0.0.0',
        label: 'br0:1',
      },
    ]);
    expect(br0?.alsoAt).toEqual([{ file: F, line: 11, endLine: 13 }]);
    expect(ifs[5]?.addresses.map((a) => [a.address, a.prefixLen, a.scope])).toEqual([
      ['127.0.0.1', 8, undefined],
      ['::1', 128, 'host'],
    ]);
  });

  it('reads the net-tools 1.60 format (documented sample)', () => {
    const r = parseAccounted(ifconfigParser, OLD, 'ifconfig', { first: 100 });
    expect(r.issues).toEqual([]);
    const [lo, qh, eth1] = r.facts.interfaces ?? [];
    expect(lo).toMatchObject({
      name: 'lo',
      kind: 'loopback',
      up: true,
      mtu: 16436,
      flags: ['UP', 'LOOPBACK', 'RUNNING'],
    });
    expect(lo?.loc).toEqual({ file: F, line: 100, endLine: 107 });
    expect(lo?.addresses).toEqual([
      { loc: { file: F, line: 101 }, family: 'inet', address: '127.0.0.1', prefixLen: 8 },
      { loc: { file: F, line: 102 }, family: 'inet6', address: '::1', prefixLen: 128, scope: 'host' },
    ]);
    expect(qh).toMatchObject({
      name: 'qh-eth1',
      mac: '00:00:00:00:00:02',
      mtu: 1500,
      up: true,
      kind: 'other',
    });
    expect(qh?.addresses[0]).toMatchObject({
      address: '192.168.20.101',
      prefixLen: 24,
      broadcast: '0.0.0.0',
    });
    expect(qh?.addresses[1]).toMatchObject({ address: 'fe80::200:ff:fe00:2', prefixLen: 64, scope: 'link' });
    expect(eth1).toMatchObject({
      name: 'eth1',
      mac: '00:48:54:84:54:c8',
      up: false,
      flags: ['BROADCAST', 'MULTICAST'],
    });
    expect(eth1?.loc).toEqual({ file: F, line: 118, endLine: 122 });
  });

  it('reports garbage, orphan lines and non-contiguous netmasks', () => {
    const r = parseAccounted(
      ifconfigParser,
      '        inet 10.0.0.1  netmask 255.0.0.0\n' +
        'eth0: error fetching interface information: Device not found\n' +
        'eth1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n' +
        '        inet 10.0.0.2  netmask 255.0.255.0  broadcast 10.255.255.255\n' +
        '        inet nonsense\n',
    );
    expect(r.facts.interfaces?.[0]?.addresses[0]).toMatchObject({ address: '10.0.0.2', prefixLen: 32 });
    expect(r.issues.map((i) => i.line)).toEqual([1, 2, 4, 5]);
  });

  it('matches display commands only, and detects both formats', () => {
    const m = (c: string) => ifconfigParser.matchesCommand(c.split(' '));
    for (const c of ['ifconfig', 'ifconfig -a', 'ifconfig cni0', '/sbin/ifconfig -a flannel.1'])
      expect(m(c), c).toBe(true);
    for (const c of [
      'ifconfig eth0 up',
      'ifconfig eth0 10.0.0.1 netmask 255.0.0.0',
      'ifconfig -s',
      'ip addr',
    ])
      expect(m(c), c).toBe(false);
    expect(ifconfigParser.detect(toLines(K8SNODE028), 1)).toBe(true);
    expect(ifconfigParser.detect(toLines(K8SNODE028), 0)).toBe(false);
    expect(ifconfigParser.detect(toLines(K8SNODE028), 2)).toBe(false);
    expect(ifconfigParser.detect(toLines(OLD), 0)).toBe(true);
    expect(ifconfigParser.detect(toLines(OLD), 9)).toBe(true);
  });
});
