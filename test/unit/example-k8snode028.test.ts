// The bundled real transcript: everything examples/README.md says it holds, on the
// lines where it stands.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/core';

const file = join(__dirname, '..', '..', 'examples', 'k8snode028.netsnap');
const snap = parseSnapshot(readFileSync(file, 'utf8'), 'k8snode028.netsnap');
const node = snap.nodes[0]!;

describe('k8snode028.netsnap', () => {
  it('holds one node with its pod attached through cni0', () => {
    expect(snap.nodes.map((n) => n.name)).toEqual(['k8snode028']);
    expect(snap.pods).toEqual([]);
    expect(node.pods.map((p) => p.name)).toEqual(['backend-6b7b58986c-jdnhn']);
    const pod = node.pods[0]!;
    expect(pod.role).toBe('pod');
    expect(pod.gateway).toBe('10.27.9.1');
    expect(pod.nodeName).toBe('k8snode028');
    expect(pod.routes.map((r) => [r.dst, r.gateway, r.dev, r.loc.line])).toEqual([
      ['0.0.0.0/0', '10.27.9.1', 'eth0', 36],
      ['10.27.0.0/16', '10.27.9.1', 'eth0', 37],
      ['10.27.9.0/24', undefined, 'eth0', 38],
    ]);
  });

  it('reads the CNI conflist and the plugin binaries', () => {
    expect(node.cniConfigs).toHaveLength(1);
    const conf = node.cniConfigs[0]!;
    expect(conf.path).toBe('/etc/cni/net.d/10-flannel.conflist');
    expect(conf.loc).toMatchObject({ line: 2, endLine: 21 });
    expect(conf.plugins.map((p) => p.type)).toEqual(['flannel', 'portmap']);
    expect(node.cniBinaries?.names).toContain('flannel');
    expect(node.cniBinaries?.names).toHaveLength(13);
    expect(node.cniBinaries?.loc.line).toBe(23);
  });

  it('reads the partial ifconfig', () => {
    const cni0 = node.interfaces.find((i) => i.name === 'cni0')!;
    expect(cni0.loc.line).toBe(26);
    expect(cni0.mtu).toBe(1450);
    expect(cni0.addresses.map((a) => [a.address, a.prefixLen, a.loc.line])).toEqual([['10.27.9.1', 24, 27]]);
    const vtep = node.interfaces.find((i) => i.name === 'flannel.1')!;
    expect(vtep.loc.line).toBe(30);
    expect(vtep.addresses.map((a) => [a.address, a.prefixLen])).toEqual([['10.27.9.0', 32]]);
    expect(node.coverage.find((c) => c.domain === 'links')?.state).toBe('partial');
  });

  it('reads brctl show: 31 veths on cni0, docker0 empty', () => {
    const cni0 = node.bridges.find((b) => b.name === 'cni0')!;
    expect(cni0.loc.line).toBe(41);
    expect(cni0.bridgeId).toBe('8000.0a580a1d0d01');
    expect(cni0.ports.filter((p) => p.name.startsWith('veth'))).toHaveLength(31);
    expect(cni0.ports[0]).toMatchObject({ name: 'veth0985a0b8', loc: { line: 41 } });
    expect(cni0.ports[30]).toMatchObject({ name: 'vethfec66a08', loc: { line: 71 } });
    const docker0 = node.bridges.find((b) => b.name === 'docker0')!;
    expect(docker0.loc.line).toBe(72);
    // brctl shows docker0 empty; `ip link show type veth` shows veth7443cee mastered by it.
    expect(docker0.ports.map((p) => p.name)).toEqual(['veth7443cee']);
  });

  it("reads every route of the node's route -n", () => {
    expect(node.routes).toHaveLength(19);
    expect(node.routes[0]).toMatchObject({
      dst: '0.0.0.0/0',
      gateway: '10.18.19.1',
      dev: 'bond0',
      flags: 'UG',
      loc: { line: 76 },
    });
    const flannelRoutes = node.routes.filter((r) => r.dev === 'flannel.1');
    expect(flannelRoutes).toHaveLength(14);
    expect(flannelRoutes.find((r) => r.dst === '10.27.13.0/24')).toMatchObject({
      gateway: '10.27.13.0',
      loc: { line: 91 },
    });
    expect(node.routes.find((r) => r.dst === '10.27.9.0/24')).toMatchObject({
      dev: 'cni0',
      loc: { line: 87 },
    });
    expect(node.coverage.find((c) => c.domain === 'routes')?.state).toBe('complete');
  });

  it('reads the bridges and veths from ip link', () => {
    const cni0 = node.interfaces.find((i) => i.name === 'cni0')!;
    expect(cni0.mac).toBe('0a:58:0a:1b:09:01');
    expect(cni0.kind).toBe('bridge');
    expect(cni0.alsoAt?.map((l) => l.line)).toEqual([98]);
    const veth = node.interfaces.find((i) => i.name === 'veth7443cee')!;
    expect(veth).toMatchObject({ kind: 'veth', master: 'docker0', mtu: 1500, loc: { line: 101 } });
  });

  it('reads subnet.env through docker exec', () => {
    expect(node.subnetEnv).toMatchObject({
      network: '10.27.0.0/16',
      subnet: '10.27.9.1/24',
      mtu: 1450,
      ipmasq: true,
      loc: { line: 105, endLine: 108 },
    });
    expect(node.sections.find((s) => s.loc.line === 104)?.parser).toBe('subnet-env');
  });

  it('reads the filtered neighbour and FDB lines, and marks them partial', () => {
    expect(node.neighbours).toEqual([
      expect.objectContaining({
        ip: '10.29.13.0',
        mac: '42:32:74:de:24:50',
        dev: 'flannel.1',
        state: ['PERMANENT'],
        arpFlags: 'CM',
        loc: { file: 'k8snode028.netsnap', line: 110 },
      }),
    ]);
    expect(node.fdb).toEqual([
      expect.objectContaining({
        mac: '42:32:74:de:24:50',
        dev: 'flannel.1',
        dst: '10.18.19.129',
        flags: ['self'],
        state: 'permanent',
        loc: { file: 'k8snode028.netsnap', line: 112 },
      }),
    ]);
    expect(node.coverage.find((c) => c.domain === 'neighbours')).toMatchObject({
      state: 'partial',
      scope: '| grep 10.29.13.0',
    });
    expect(node.coverage.find((c) => c.domain === 'fdb')).toMatchObject({
      state: 'partial',
      scope: '| grep 42:32:74:de:24:50',
    });
  });

  it('accounts for the elisions without complaint', () => {
    expect(snap.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(snap.issues).toEqual([]);
  });
});
