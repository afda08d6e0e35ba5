// The real-kernel tier: a live flannel-style VXLAN data plane in network namespaces (lab.sh). Pods ping
// each other through it; then netsnap parses what the nodes print and must agree with the kernel's own
// JSON view of the same state (read here with JSON.parse, independently of netsnap's parsers).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/core';
import type { HostModel } from '../../src/core/model/types';

const LAB = join(__dirname, 'lab.sh');
const NODES = 4;
const captureDir = mkdtempSync(join(tmpdir(), 'netsnap-lab-'));

function lab(...args: string[]): string {
  return execFileSync('bash', [LAB, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function inNode(node: number, ...command: string[]): string {
  return execFileSync('ip', ['netns', 'exec', `flnode${node}`, ...command], { encoding: 'utf8' });
}

function captured(node: number): HostModel {
  const file = join(captureDir, `flnode${node}.netsnap`);
  const snap = parseSnapshot(readFileSync(file, 'utf8'), file);
  expect(snap.issues).toEqual([]);
  expect(snap.nodes).toHaveLength(1);
  return snap.nodes[0]!;
}

const nodes = Array.from({ length: NODES }, (_, i) => i + 1);

beforeAll(() => {
  lab('up', String(NODES));
  lab('capture', captureDir);
});

afterAll(() => {
  spawnSync('bash', [LAB, 'down'], { stdio: 'ignore' });
  rmSync(captureDir, { recursive: true, force: true });
});

describe(`a ${NODES}-node VXLAN lab`, () => {
  it('carries every pod to every other pod (the kernel says so)', () => {
    const run = spawnSync('bash', [LAB, 'ping-all'], { encoding: 'utf8' });
    expect(run.stdout).not.toContain('FAIL');
    expect(run.status).toBe(0);
  });

  it('a pod cannot reach an address no node owns', () => {
    expect(spawnSync('ip', ['netns', 'exec', 'flp1', 'ping', '-c1', '-W1', '10.27.99.2']).status).not.toBe(0);
  });

  for (const n of nodes) {
    describe(`flnode${n}`, () => {
      it("route -n agrees with the kernel's routing table", () => {
        const kernel = JSON.parse(inNode(n, 'ip', '-j', 'route')) as {
          dst: string;
          gateway?: string;
          dev: string;
        }[];
        const host = captured(n);
        const expected = kernel
          .map((r) => [
            r.dst === 'default' ? '0.0.0.0/0' : r.dst.includes('/') ? r.dst : `${r.dst}/32`,
            r.gateway,
            r.dev,
          ])
          .sort();
        expect(host.routes.map((r) => [r.dst, r.gateway, r.dev]).sort()).toEqual(expected);
      });

      it("arp -e agrees with the kernel's neighbour table", () => {
        const kernel = JSON.parse(inNode(n, 'ip', '-j', '-4', 'neigh')) as {
          dst: string;
          lladdr?: string;
          dev: string;
          state: string[];
        }[];
        const host = captured(n);
        const flannel = kernel
          .filter((k) => k.dev === 'flannel.1')
          .map((k) => [k.dst, k.lladdr, k.state.join()])
          .sort();
        expect(flannel).toHaveLength(NODES - 1);
        expect(
          host.neighbours
            .filter((h) => h.dev === 'flannel.1')
            .map((h) => [h.ip, h.mac, h.state.join()])
            .sort(),
        ).toEqual(flannel);
      });

      it("bridge fdb show agrees with the kernel's forwarding database", () => {
        const kernel = JSON.parse(inNode(n, 'bridge', '-j', 'fdb', 'show')) as {
          mac: string;
          ifname?: string;
          dst?: string;
          master?: string;
          state?: string;
          flags?: string[];
        }[];
        const host = captured(n);
        const key = (mac: string, dev: string | undefined, dst: string | undefined) =>
          `${mac} ${dev ?? ''} ${dst ?? ''}`;
        expect(host.fdb.map((f) => key(f.mac, f.dev, f.dst)).sort()).toEqual(
          kernel.map((k) => key(k.mac, k.ifname, k.dst)).sort(),
        );
        const tunnels = host.fdb.filter((f) => f.dev === 'flannel.1');
        expect(tunnels.map((f) => f.dst).sort()).toEqual(
          nodes
            .filter((p) => p !== n)
            .map((p) => `10.18.19.${10 + p}`)
            .sort(),
        );
        expect(tunnels.every((f) => f.state === 'permanent' && f.flags.includes('self'))).toBe(true);
      });

      it("ip -d link and ip addr agree with the kernel's links", () => {
        const kernel = JSON.parse(inNode(n, 'ip', '-j', '-d', 'addr')) as {
          ifname: string;
          address: string;
          mtu: number;
          master?: string;
          linkinfo?: {
            info_kind?: string;
            info_data?: { id?: number; local?: string; port?: number; learning?: boolean };
          };
          addr_info: { local: string; prefixlen: number }[];
        }[];
        const host = captured(n);
        expect(host.interfaces.map((i) => i.name).sort()).toEqual(kernel.map((k) => k.ifname).sort());
        for (const k of kernel) {
          const itf = host.interfaces.find((i) => i.name === k.ifname)!;
          expect(itf.mac).toBe(k.address);
          expect(itf.mtu).toBe(k.mtu);
          expect(itf.master).toBe(k.master);
          expect(itf.addresses.map((a) => `${a.address}/${a.prefixLen}`).sort()).toEqual(
            k.addr_info.map((a) => `${a.local}/${a.prefixlen}`).sort(),
          );
          if (k.linkinfo?.info_kind === 'vxlan') {
            const d = k.linkinfo.info_data!;
            expect(itf.vxlan).toMatchObject({ id: d.id, local: d.local, port: d.port, learning: d.learning });
          }
        }
      });

      it('brctl show and subnet.env name the pod port and the subnet', () => {
        const host = captured(n);
        const cni0 = host.bridges.find((b) => b.name === 'cni0')!;
        const ports = inNode(n, 'ls', '/sys/class/net/cni0/brif').trim().split(/\s+/);
        expect(cni0.ports.map((p) => p.name).sort()).toEqual(ports.sort());
        expect(host.subnetEnv).toMatchObject({
          network: '10.27.0.0/16',
          subnet: `10.27.${n}.1/24`,
          mtu: 1450,
          ipmasq: true,
        });
      });
    });
  }

  it('an unresolved neighbour is read as INCOMPLETE or FAILED, as the kernel holds it', () => {
    // A real ARP miss on cni0: ping an address no pod holds, then read the entry while it resolves/fails.
    spawnSync('ip', ['netns', 'exec', 'flnode1', 'ping', '-c1', '-W1', '10.27.1.77'], { stdio: 'ignore' });
    const text = inNode(1, 'ip', 'neigh', 'show', 'dev', 'cni0');
    const kernel = JSON.parse(inNode(1, 'ip', '-j', 'neigh', 'show', 'dev', 'cni0')) as {
      dst: string;
      state: string[];
    }[];
    const snap = parseSnapshot(`[root@flnode1 ~]# ip neigh show dev cni0\n${text}`, 'neigh.netsnap');
    const entry = snap.nodes[0]!.neighbours.find((e) => e.ip === '10.27.1.77')!;
    expect(entry.dev).toBe('cni0');
    expect(entry.mac).toBeUndefined();
    expect(entry.state).toEqual(kernel.find((k) => k.dst === '10.27.1.77')!.state);
    expect(['INCOMPLETE', 'FAILED']).toContain(entry.state[0]);
  });
});
