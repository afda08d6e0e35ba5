import { describe, expect, it } from 'vitest';
import { bridgeFdbParser } from '../../../src/core/parsers/bridge-fdb';
import { parseAccounted, toLines } from '../support/parse';

// cluster-healthy/flnode1.netsnap, lines 19–33 (`bridge fdb show` on a flannel node).
const FLNODE1 = `33:33:00:00:00:01 dev eth0 self permanent
01:00:5e:00:00:01 dev eth0 self permanent
33:33:ff:b7:19:ae dev eth0 self permanent
42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent
42:32:74:de:02:02 dev flannel.1 dst 10.18.19.12 self permanent
33:33:00:00:00:01 dev cni0 self permanent
01:00:5e:00:00:6a dev cni0 self permanent
33:33:00:00:00:6a dev cni0 self permanent
01:00:5e:00:00:01 dev cni0 self permanent
33:33:ff:2d:30:eb dev cni0 self permanent
02:d5:34:83:c5:70 dev veth228c5a4c master cni0 
86:29:6f:02:69:c5 dev veth228c5a4c master cni0 permanent
33:33:00:00:00:01 dev veth228c5a4c self permanent
01:00:5e:00:00:01 dev veth228c5a4c self permanent
33:33:ff:02:69:c5 dev veth228c5a4c self permanent
`;

// Captured in a scratch namespace (iproute2 6.1): bridge br0 with veth ports, flannel.1 and an external vxlan0.
const SCRATCH = `33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
33:33:ff:d0:42:14 dev br0 self permanent
33:33:ff:00:00:01 dev br0 self permanent
33:33:00:00:00:01 dev vethB self permanent
01:00:5e:00:00:01 dev vethB self permanent
33:33:ff:81:11:80 dev vethB self permanent
02:11:22:33:44:58 dev vethA extern_learn master br0 
02:11:22:33:44:56 dev vethA sticky master br0 static
02:11:22:33:44:55 dev vethA master br0 static
ea:04:68:81:11:80 dev vethA master br0 
62:25:08:d0:42:14 dev vethA master br0 permanent
33:33:00:00:00:01 dev vethA self permanent
01:00:5e:00:00:01 dev vethA self permanent
33:33:ff:d0:42:14 dev vethA self permanent
33:33:00:00:00:01 dev br1 self permanent
7a:be:18:aa:48:9d dev br1 master br1 permanent
02:11:22:33:44:57 dev vxlan0 dst 10.0.0.9 vni 9 src_vni 7 self permanent
33:33:00:00:00:01 dev eth0p self permanent
01:00:5e:00:00:01 dev eth0p self permanent
33:33:ff:5a:a8:4b dev eth0p self permanent
33:33:00:00:00:01 dev eth0 self permanent
01:00:5e:00:00:01 dev eth0 self permanent
33:33:ff:bf:d4:95 dev eth0 self permanent
42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 port 4789 vni 5 via eth0 self permanent
42:32:74:de:02:02 dev flannel.1 dst 10.18.19.12 self permanent
00:00:00:00:00:00 dev flannel.1 dst 10.18.19.12 self permanent
00:00:00:00:00:00 dev flannel.1 dst 10.18.19.13 self permanent
`;
const SCRATCH_DEV = `42:32:74:de:03:03 dst 10.18.19.13 port 4789 vni 5 via eth0 self permanent
42:32:74:de:02:02 dst 10.18.19.12 self permanent
00:00:00:00:00:00 dst 10.18.19.12 self permanent
00:00:00:00:00:00 dst 10.18.19.13 self permanent
`;
const SCRATCH_JSON = `[{"mac":"33:33:00:00:00:01","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:6a","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:6a","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:d0:42:14","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:00:00:01","ifname":"br0","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"vethB","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"vethB","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:81:11:80","ifname":"vethB","flags":["self"],"state":"permanent"},{"mac":"02:11:22:33:44:58","ifname":"vethA","flags":["extern_learn"],"master":"br0","state":""},{"mac":"02:11:22:33:44:56","ifname":"vethA","flags":["sticky"],"master":"br0","state":"static"},{"mac":"02:11:22:33:44:55","ifname":"vethA","flags":[],"master":"br0","state":"static"},{"mac":"ea:04:68:81:11:80","ifname":"vethA","flags":[],"master":"br0","state":""},{"mac":"62:25:08:d0:42:14","ifname":"vethA","flags":[],"master":"br0","state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"vethA","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"vethA","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:d0:42:14","ifname":"vethA","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"br1","flags":["self"],"state":"permanent"},{"mac":"7a:be:18:aa:48:9d","ifname":"br1","flags":[],"master":"br1","state":"permanent"},{"mac":"02:11:22:33:44:57","ifname":"vxlan0","dst":"10.0.0.9","vni":9,"src_vni":7,"flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"eth0p","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"eth0p","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:5a:a8:4b","ifname":"eth0p","flags":["self"],"state":"permanent"},{"mac":"33:33:00:00:00:01","ifname":"eth0","flags":["self"],"state":"permanent"},{"mac":"01:00:5e:00:00:01","ifname":"eth0","flags":["self"],"state":"permanent"},{"mac":"33:33:ff:bf:d4:95","ifname":"eth0","flags":["self"],"state":"permanent"},{"mac":"42:32:74:de:03:03","ifname":"flannel.1","dst":"10.18.19.13","port":4789,"vni":5,"viaIf":"eth0","flags":["self"],"state":"permanent"},{"mac":"42:32:74:de:02:02","ifname":"flannel.1","dst":"10.18.19.12","flags":["self"],"state":"permanent"},{"mac":"00:00:00:00:00:00","ifname":"flannel.1","dst":"10.18.19.12","flags":["self"],"state":"permanent"},{"mac":"00:00:00:00:00:00","ifname":"flannel.1","dst":"10.18.19.13","flags":["self"],"state":"permanent"}]
`;
const SCRATCH_PRETTY = `[ {
        "mac": "33:33:00:00:00:01",
        "ifname": "br0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "01:00:5e:00:00:6a",
        "ifname": "br0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:00:00:00:6a",
        "ifname": "br0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "01:00:5e:00:00:01",
        "ifname": "br0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:ff:d0:42:14",
        "ifname": "br0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:ff:00:00:01",
        "ifname": "br0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:00:00:00:01",
        "ifname": "vethB",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "01:00:5e:00:00:01",
        "ifname": "vethB",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:ff:81:11:80",
        "ifname": "vethB",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "02:11:22:33:44:58",
        "ifname": "vethA",
        "flags": [ "extern_learn" ],
        "master": "br0",
        "state": ""
    },{
        "mac": "02:11:22:33:44:56",
        "ifname": "vethA",
        "flags": [ "sticky" ],
        "master": "br0",
        "state": "static"
    },{
        "mac": "02:11:22:33:44:55",
        "ifname": "vethA",
        "flags": [ ],
        "master": "br0",
        "state": "static"
    },{
        "mac": "ea:04:68:81:11:80",
        "ifname": "vethA",
        "flags": [ ],
        "master": "br0",
        "state": ""
    },{
        "mac": "62:25:08:d0:42:14",
        "ifname": "vethA",
        "flags": [ ],
        "master": "br0",
        "state": "permanent"
    },{
        "mac": "33:33:00:00:00:01",
        "ifname": "vethA",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "01:00:5e:00:00:01",
        "ifname": "vethA",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:ff:d0:42:14",
        "ifname": "vethA",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:00:00:00:01",
        "ifname": "br1",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "7a:be:18:aa:48:9d",
        "ifname": "br1",
        "flags": [ ],
        "master": "br1",
        "state": "permanent"
    },{
        "mac": "02:11:22:33:44:57",
        "ifname": "vxlan0",
        "dst": "10.0.0.9",
        "vni": 9,
        "src_vni": 7,
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:00:00:00:01",
        "ifname": "eth0p",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "01:00:5e:00:00:01",
        "ifname": "eth0p",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:ff:5a:a8:4b",
        "ifname": "eth0p",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:00:00:00:01",
        "ifname": "eth0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "01:00:5e:00:00:01",
        "ifname": "eth0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "33:33:ff:bf:d4:95",
        "ifname": "eth0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "42:32:74:de:03:03",
        "ifname": "flannel.1",
        "dst": "10.18.19.13",
        "port": 4789,
        "vni": 5,
        "viaIf": "eth0",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "42:32:74:de:02:02",
        "ifname": "flannel.1",
        "dst": "10.18.19.12",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "00:00:00:00:00:00",
        "ifname": "flannel.1",
        "dst": "10.18.19.12",
        "flags": [ "self" ],
        "state": "permanent"
    },{
        "mac": "00:00:00:00:00:00",
        "ifname": "flannel.1",
        "dst": "10.18.19.13",
        "flags": [ "self" ],
        "state": "permanent"
    } ]
`;

describe('bridge-fdb parser', () => {
  it('reads the flannel FDB of a node, with file line numbers', () => {
    const r = parseAccounted(bridgeFdbParser, FLNODE1, 'bridge fdb show', { first: 19 });
    const fdb = r.facts.fdb ?? [];
    expect(fdb).toHaveLength(15);
    expect(r.issues).toEqual([]);
    expect(fdb[3]).toEqual({
      loc: { file: 'test.netsnap', line: 22 },
      mac: '42:32:74:de:03:03',
      dev: 'flannel.1',
      dst: '10.18.19.13',
      flags: ['self'],
      state: 'permanent',
    });
    // `02:d5:34:83:c5:70 dev veth228c5a4c master cni0 ` (trailing blank): a learned entry, no state.
    expect(fdb[10]).toEqual({
      loc: { file: 'test.netsnap', line: 29 },
      mac: '02:d5:34:83:c5:70',
      dev: 'veth228c5a4c',
      master: 'cni0',
      flags: ['master'],
    });
    expect(fdb[11]).toMatchObject({ mac: '86:29:6f:02:69:c5', master: 'cni0', state: 'permanent' });
  });

  it('reads every field iproute2 prints', () => {
    const fdb = parseAccounted(bridgeFdbParser, SCRATCH, 'bridge fdb show').facts.fdb ?? [];
    expect(fdb).toHaveLength(30);
    const byMac = (mac: string) => fdb.filter((e) => e.mac === mac);
    expect(byMac('42:32:74:de:03:03')[0]).toMatchObject({
      dev: 'flannel.1',
      dst: '10.18.19.13',
      port: 4789,
      vni: 5,
      via: 'eth0',
      flags: ['self'],
      state: 'permanent',
    });
    expect(byMac('02:11:22:33:44:57')[0]).toMatchObject({
      dev: 'vxlan0',
      dst: '10.0.0.9',
      vni: 9,
      srcVni: 7,
    });
    expect(byMac('02:11:22:33:44:58')[0]).toMatchObject({ flags: ['extern_learn', 'master'], master: 'br0' });
    expect(byMac('02:11:22:33:44:58')[0]?.state).toBeUndefined();
    expect(byMac('02:11:22:33:44:56')[0]).toMatchObject({ flags: ['sticky', 'master'], state: 'static' });
    expect(byMac('00:00:00:00:00:00').map((e) => e.dst)).toEqual(['10.18.19.12', '10.18.19.13']);
  });

  it('reads fields it has no capture for (vlan, nhid, router, offload)', () => {
    const fdb =
      parseAccounted(
        bridgeFdbParser,
        '00:00:00:00:00:00 dev vxlan0 dst 10.0.0.2 via eth0 self permanent\n' +
          'aa:bb:cc:dd:ee:ff dev eth1 vlan 100 master br0 router offload static\n' +
          'AA:BB:CC:DD:EE:1 dev vx0 nhid 7 self\n',
      ).facts.fdb ?? [];
    expect(fdb[0]).toMatchObject({
      mac: '00:00:00:00:00:00',
      via: 'eth0',
      dst: '10.0.0.2',
      state: 'permanent',
    });
    expect(fdb[1]).toMatchObject({
      vlan: 100,
      master: 'br0',
      flags: ['master', 'router', 'offload'],
      state: 'static',
    });
    expect(fdb[2]).toMatchObject({ mac: 'aa:bb:cc:dd:ee:01', nhid: 7, flags: ['self'] });
  });

  it('takes the dev from `show dev X`, which leaves it out of each line', () => {
    const fdb = parseAccounted(bridgeFdbParser, SCRATCH_DEV, 'bridge fdb show dev flannel.1').facts.fdb ?? [];
    expect(fdb).toHaveLength(4);
    expect(fdb.every((e) => e.dev === 'flannel.1')).toBe(true);
    expect(fdb[0]).toMatchObject({ dst: '10.18.19.13', port: 4789, vni: 5, via: 'eth0' });
  });

  it('reads `bridge -j fdb show` like the text form', () => {
    const text = parseAccounted(bridgeFdbParser, SCRATCH, 'bridge fdb show').facts.fdb ?? [];
    for (const [json, cmd] of [
      [SCRATCH_JSON, 'bridge -j fdb show'],
      [SCRATCH_PRETTY, 'bridge -j -p fdb show'],
    ] as const) {
      const fdb = parseAccounted(bridgeFdbParser, json, cmd).facts.fdb ?? [];
      expect(fdb.map(({ loc: _loc, ...rest }) => rest)).toEqual(text.map(({ loc: _loc, ...rest }) => rest));
    }
    const pretty = parseAccounted(bridgeFdbParser, SCRATCH_PRETTY, 'bridge -j -p fdb show', { first: 10 });
    expect(pretty.facts.fdb?.[1]?.loc).toEqual({ file: 'test.netsnap', line: 15, endLine: 20 });
    expect(pretty.skipped).toEqual([]);
  });

  it('reports garbage and invalid JSON, never throws', () => {
    const r = parseAccounted(
      bridgeFdbParser,
      'Error: Unknown device.\n42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent\n...\n\n',
    );
    expect(r.facts.fdb).toHaveLength(1);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ line: 1, severity: 'info' });
    expect(r.skipped).toEqual([3, 4]);
    const j = parseAccounted(
      bridgeFdbParser,
      '[{"mac":"42:32:74:de:03:03","ifname":"flannel.1","flags":["self"],"state":"permanent"},\n{"mac":',
      'bridge -j fdb show',
    );
    expect(j.facts.fdb).toHaveLength(1);
    expect(j.issues.length).toBeGreaterThan(0);
  });

  it('matches its commands only', () => {
    const m = (c: string) => bridgeFdbParser.matchesCommand(c.split(' '));
    expect(m('bridge fdb show')).toBe(true);
    expect(m('bridge fdb')).toBe(true);
    expect(m('bridge -j fdb show')).toBe(true);
    expect(m('bridge -d fdb show br cni0')).toBe(true);
    expect(m('/usr/sbin/bridge fdb s dev flannel.1')).toBe(true);
    expect(m('bridge fdb add 00:00:00:00:00:00 dev flannel.1 dst 10.0.0.1')).toBe(false);
    expect(m('bridge fdb append 00:00:00:00:00:00 dev vxlan0')).toBe(false);
    expect(m('bridge fdb del 00:00:00:00:00:00 dev vxlan0')).toBe(false);
    expect(m('bridge link show')).toBe(false);
    expect(m('ip neigh show')).toBe(false);
  });

  it('detects a raw paste by its first line', () => {
    expect(bridgeFdbParser.detect(toLines(FLNODE1), 0)).toBe(true);
    expect(bridgeFdbParser.detect(toLines(SCRATCH_DEV), 0)).toBe(true);
    expect(bridgeFdbParser.detect(toLines(SCRATCH_JSON), 0)).toBe(true);
    expect(bridgeFdbParser.detect(toLines(SCRATCH_PRETTY), 0)).toBe(true);
    expect(
      bridgeFdbParser.detect(toLines('10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT'), 0),
    ).toBe(false);
    expect(bridgeFdbParser.detect(toLines('42:32:74:de:03:03 is a MAC'), 0)).toBe(false);
    expect(
      bridgeFdbParser.detect(
        toLines(
          '[ {\n  "dst": "10.27.3.0",\n  "lladdr": "42:32:74:de:03:03",\n  "mac": "x", "flags": []\n} ]',
        ),
        0,
      ),
    ).toBe(false);
  });
});
