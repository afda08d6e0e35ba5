// The proof on real kernels, IPv6 half: a dual-stack flannel lab (`lab.sh up N --dual-stack`: a second
// VTEP flannel-v6.1 with an IPv6 `local`, permanent v6 neighbours, FDB entries with an IPv6 dst, onlink
// v6 routes, IPv6 pods). Every pod reaches every pod over both families; what netsnap reads from the
// nodes agrees with the kernel's own JSON; and each fault on the IPv6 chain, injected with the command an
// operator (or a bug) would run, is judged by the kernel (`ping -6`) and then found by `netsnap check`
// on fresh `netsnap collect netns` captures: the right code, node and a line naming flannel-v6.1. Where a
// finding carries a fix, its commands are run on that node and must repair it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/collect';
import { analyze, parseSnapshot } from '../../src/core';
import type { Finding, FindingCode } from '../../src/core';
import { runCli } from '../unit/support/cli';
import {
  applyFix,
  type Capture,
  FaultLab,
  fixesOn,
  lab,
  LAB,
  makeFsRoot,
  onNode,
  ping,
  ping6,
  problems,
} from './support';

const NODES = 3;
const nodes = Array.from({ length: NODES }, (_, i) => i + 1);
const work = mkdtempSync(join(tmpdir(), 'netsnap-dualstack-'));

const VTEP6 = 'flannel-v6.1';
/** Node n's IPv6 pod subnet, its network address (flannel-v6.1's own /128 and its peers' gateway). */
const v6Net = (n: number) => `fd27:42:0:${n}::`;
const v6Subnet = (n: number) => `${v6Net(n)}/64`;
const vtep6Mac = (n: number) => `42:36:74:de:0${n}:0${n}`;
const underlayIp6 = (n: number) => `fd00:18:19::${10 + n}`;

let captures = 0;

/** `netsnap collect netns` of every node into a fresh directory, parsed and analyzed together. */
async function capture(): Promise<Capture> {
  const dir = join(work, `capture-${++captures}`);
  mkdirSync(dir);
  const file = (n: number) => join(dir, `flnode${n}.netsnap`);
  const texts = new Map<number, string>();
  for (const n of nodes) {
    const root = join(dir, `root${n}`);
    makeFsRoot(root, n);
    const result = await collect({ kind: 'netns', name: `flnode${n}` }, { fsRoot: root });
    expect(result.error).toBeUndefined();
    expect(result.complete).toBe(true);
    writeFileSync(file(n), result.text);
    texts.set(n, result.text);
  }
  const snapshots = [...texts].map(([n, text]) => parseSnapshot(text, file(n)));
  for (const snapshot of snapshots) expect(snapshot.issues).toEqual([]);
  return { file, text: (n) => texts.get(n)!, analysis: analyze(snapshots) };
}

/** Every finding, in full, for a failing assertion's message. */
const told = (cap: Capture) =>
  cap.analysis.findings
    .map((f) => `${f.severity} ${f.node} ${f.code} line ${f.line}: ${f.message}`)
    .join('\n');

/**
 * The finding with this code on flnodeN whose evidence line (in that node's file) names flannel-v6.1 and
 * the peer: its v6 subnet address, its flannel-v6.1 MAC or its public IPv6.
 */
function v6Finding(cap: Capture, code: FindingCode, n: number, peer: number): Finding {
  const lines = cap.text(n).split('\n');
  const names = [v6Net(peer), vtep6Mac(peer), underlayIp6(peer)];
  const found = cap.analysis.findings.find((f) => {
    if (f.code !== code || f.node !== `flnode${n}` || f.file !== cap.file(n)) return false;
    const text = lines[(f.line ?? 0) - 1] ?? '';
    return text.includes(VTEP6) && names.some((name) => text.includes(name));
  });
  expect(
    found,
    `no ${code} on flnode${n} at a ${VTEP6} line naming flnode${peer}:\n${told(cap)}`,
  ).toBeDefined();
  return found!;
}

const faults = new FaultLab(NODES, ['--dual-stack']);

function healthyLab(): void {
  const all = faults.healthy();
  expect(all.ok, all.out).toBe(true);
  expect(all.out).toContain('IPv6');
}

/** The kernel and netsnap both say the lab is whole again. */
async function expectRepaired(): Promise<void> {
  healthyLab();
  const cap = await capture();
  expect(problems(cap), told(cap)).toEqual([]);
}

const inject = (n: number, ...argv: string[]) => faults.inject(n, ...argv);

beforeAll(() => {
  lab('up', String(NODES), '--dual-stack');
});

afterAll(() => {
  spawnSync('bash', [LAB, 'down'], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
});

describe(`a live ${NODES}-node dual-stack lab`, () => {
  it('carries every pod to every other pod over IPv4 and IPv6 (the kernel says so)', () => {
    healthyLab();
    for (const a of nodes) {
      for (const b of nodes) {
        expect(ping6(a, b), `flp${a} -> flp${b} over IPv6`).toBe(true);
        expect(ping(a, b), `flp${a} -> flp${b} over IPv4`).toBe(true);
      }
    }
    // An IPv6 address no node owns is not reached.
    const stray = spawnSync('ip', ['netns', 'exec', 'flp1', 'ping', '-6', '-c1', '-W1', 'fd27:42:0:99::2']);
    expect(stray.status).not.toBe(0);
  });

  it("what netsnap collects of flannel-v6.1 agrees with the kernel's own JSON", async () => {
    healthyLab();
    const cap = await capture();
    for (const n of nodes) {
      const host = parseSnapshot(cap.text(n), cap.file(n)).nodes[0]!;
      const peers = nodes.filter((p) => p !== n);

      const routes = JSON.parse(onNode(n, 'ip', '-j', '-6', 'route', 'show', 'dev', VTEP6)) as {
        dst: string;
        gateway?: string;
        flags: string[];
      }[];
      const kernelRoutes = routes
        .filter((r) => r.gateway !== undefined)
        .map((r) => `${r.dst} via ${r.gateway} ${r.flags.includes('onlink') ? 'onlink' : ''}`)
        .sort();
      expect(kernelRoutes).toEqual(peers.map((p) => `${v6Subnet(p)} via ${v6Net(p)} onlink`).sort());
      const modelRoutes = host.routes
        .filter((r) => r.dev === VTEP6 && r.gateway !== undefined)
        .map((r) => `${r.dst} via ${r.gateway} ${r.onlink ? 'onlink' : ''}`);
      expect([...new Set(modelRoutes)].sort()).toEqual(kernelRoutes);

      const neighbours = JSON.parse(onNode(n, 'ip', '-j', '-6', 'neigh', 'show', 'dev', VTEP6)) as {
        dst: string;
        lladdr: string;
        state: string[];
      }[];
      const kernelNeighbours = neighbours.map((k) => `${k.dst} ${k.lladdr} ${k.state.join()}`).sort();
      expect(kernelNeighbours).toEqual(peers.map((p) => `${v6Net(p)} ${vtep6Mac(p)} PERMANENT`).sort());
      const modelNeighbours = host.neighbours
        .filter((h) => h.dev === VTEP6)
        .map((h) => `${h.ip} ${h.mac} ${h.state.join()}`);
      expect([...new Set(modelNeighbours)].sort()).toEqual(kernelNeighbours);

      const fdb = JSON.parse(onNode(n, 'bridge', '-j', 'fdb', 'show', 'dev', VTEP6)) as {
        mac: string;
        dst: string;
        state: string;
      }[];
      const kernelFdb = fdb.map((k) => `${k.mac} ${k.dst} ${k.state}`).sort();
      expect(kernelFdb).toEqual(peers.map((p) => `${vtep6Mac(p)} ${underlayIp6(p)} permanent`).sort());
      const modelFdb = host.fdb.filter((f) => f.dev === VTEP6).map((f) => `${f.mac} ${f.dst} ${f.state}`);
      expect([...new Set(modelFdb)].sort()).toEqual(kernelFdb);

      const vtep = host.interfaces.find((i) => i.name === VTEP6)!;
      expect(vtep.mtu).toBe(1430);
      expect(vtep.mac).toBe(vtep6Mac(n));
      expect(vtep.vxlan).toMatchObject({
        id: 1,
        local: underlayIp6(n),
        dev: 'eth0',
        port: 8472,
        learning: false,
      });
      expect(vtep.addresses.map((a) => `${a.address}/${a.prefixLen}`)).toContain(`${v6Net(n)}/128`);
      expect(host.subnetEnv).toMatchObject({
        network: '10.27.0.0/16',
        subnet: `10.27.${n}.1/24`,
        ipv6Network: 'fd27:42::/56',
        ipv6Subnet: `${v6Net(n)}1/64`,
      });
      // The collector reads the v6 VTEP's offloads and the IPv6 forwarding switch.
      expect(host.kernel.features.map((f) => f.dev)).toContain(VTEP6);
      expect(host.kernel.sysctls.find((s) => s.key === 'net.ipv6.conf.all.forwarding')?.value).toBe('1');
    }
  });

  it('healthy: netsnap check of the collected nodes is clean (no error, no warning)', async () => {
    healthyLab();
    const cap = await capture();
    expect(problems(cap), told(cap)).toEqual([]);
    const check = await runCli('check', ...nodes.map((n) => cap.file(n)));
    expect(check.err).toBe('');
    expect(check.code).toBe(0);
  });

  it('route-missing: a deleted v6 flannel route', async () => {
    healthyLab();
    inject(1, 'ip', '-6', 'route', 'del', v6Subnet(2));
    expect(ping6(1, 2)).toBe(false);
    expect(ping6(1, 3)).toBe(true);
    expect(ping(1, 2)).toBe(true);

    const cap = await capture();
    expect(problems(cap), told(cap)).toEqual(['flnode1 route-missing', 'flnode2 peer-asymmetry']);
    const f = v6Finding(cap, 'route-missing', 1, 2);
    expect(f.message).toContain(v6Subnet(2));

    applyFix(1, f);
    expect(ping6(1, 2)).toBe(true);
    await expectRepaired();
  });

  it('neigh-missing: a deleted v6 neighbour entry for a peer VTEP', async () => {
    healthyLab();
    inject(3, 'ip', '-6', 'neigh', 'del', v6Net(1), 'dev', VTEP6);

    // Collected before any traffic: a failed ping leaves the kernel's own neighbour solicitation behind.
    const cap = await capture();
    expect(ping6(3, 1)).toBe(false);
    expect(ping6(3, 2)).toBe(true);
    expect(ping(3, 1)).toBe(true);

    expect(problems(cap), told(cap)).toEqual(['flnode3 neigh-missing']);
    const f = v6Finding(cap, 'neigh-missing', 3, 1);

    applyFix(3, f);
    expect(ping6(3, 1)).toBe(true);
    await expectRepaired();
  });

  it('fdb-missing: a deleted v6 FDB entry for a peer VTEP MAC', async () => {
    healthyLab();
    inject(2, 'bridge', 'fdb', 'del', vtep6Mac(1), 'dev', VTEP6, 'dst', underlayIp6(1));
    expect(ping6(2, 1)).toBe(false);
    expect(ping6(2, 3)).toBe(true);
    expect(ping(2, 1)).toBe(true);

    const cap = await capture();
    expect(problems(cap), told(cap)).toEqual(['flnode2 fdb-missing']);
    const f = v6Finding(cap, 'fdb-missing', 2, 1);

    applyFix(2, f);
    expect(ping6(2, 1)).toBe(true);
    await expectRepaired();
  });

  it("neigh-mac-mismatch: a node's flannel-v6.1 MAC changed without updating its peers", async () => {
    healthyLab();
    // The kernel also flushes flnode3's own neighbour entries on flannel-v6.1 when its MAC changes.
    inject(3, 'ip', 'link', 'set', VTEP6, 'address', '42:36:74:de:33:33');

    // Captured before any traffic: a failed ping would add the kernel's own unresolved attempts.
    const cap = await capture();
    expect(ping6(1, 3)).toBe(false);
    expect(ping6(3, 2)).toBe(false);
    expect(ping6(1, 2)).toBe(true);
    expect(ping(1, 3)).toBe(true);

    expect(problems(cap), told(cap)).toEqual([
      'flnode1 neigh-mac-mismatch',
      'flnode2 neigh-mac-mismatch',
      'flnode3 neigh-missing',
      'flnode3 neigh-missing',
    ]);
    const stale = [1, 2].map((p) => v6Finding(cap, 'neigh-mac-mismatch', p, 3));
    for (const p of [1, 2]) v6Finding(cap, 'neigh-missing', 3, p);

    for (const f of fixesOn(cap, 3, 'neigh-missing')) applyFix(3, f);
    stale.forEach((f, i) => applyFix(i + 1, f));
    expect(ping6(1, 3)).toBe(true);
    expect(ping6(3, 2)).toBe(true);
    await expectRepaired();
  });
});
