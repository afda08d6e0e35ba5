// The proof on real kernels: break a live flannel-style VXLAN lab (lab.sh) one fault at a time with the
// commands an operator (or a bug) would run, and check that the kernel's verdict (a pod ping fails, or
// still works) and netsnap's findings on fresh captures agree: right code, node, file and line. Where a
// finding carries a fix, its commands are run on that node (argv, never a shell) and must repair it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../src/core';
import type { Finding, FindingCode } from '../../src/core';
import {
  applyFix,
  type Capture,
  FaultLab,
  fixesOn,
  inNs,
  lab,
  LAB,
  LAB_DIR,
  onNode,
  ping,
  pingAll,
  problems,
} from './support';

const NODES = 4;
const work = mkdtempSync(join(tmpdir(), 'netsnap-faults-'));

/** A DF ping of `size` payload bytes from pod flpA to pod 10.27.B.2 (path-MTU trouble shows here). */
function pingDf(a: number, b: number, size: number): boolean {
  const argv = [
    'netns',
    'exec',
    `flp${a}`,
    'ping',
    '-c1',
    '-W1',
    '-M',
    'do',
    '-s',
    String(size),
    `10.27.${b}.2`,
  ];
  return spawnSync('ip', argv, { stdio: 'ignore' }).status === 0;
}

let captures = 0;

/** `lab.sh capture` into a fresh directory, then parse every node's transcript and analyze them together. */
function capture(): Capture {
  const dir = join(work, `capture-${++captures}`);
  lab('capture', dir);
  const file = (n: number) => join(dir, `flnode${n}.netsnap`);
  const texts = new Map<number, string>();
  for (let n = 1; n <= NODES; n++) texts.set(n, readFileSync(file(n), 'utf8'));
  const snapshots = [...texts].map(([n, text]) => parseSnapshot(text, file(n)));
  return { file, text: (n) => texts.get(n)!, analysis: analyze(snapshots) };
}

/** The 1-based line of the first line matching `pattern` in the `command` section of a transcript. */
function lineOf(text: string, command: string, pattern: RegExp): number {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\[root@\S+ ~\]# /.test(l) && l.endsWith(`]# ${command}`));
  if (start < 0) throw new Error(`no "${command}" section in the transcript`);
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('[root@'); i++) {
    if (pattern.test(lines[i]!)) return i + 1;
  }
  throw new Error(`no line matching ${String(pattern)} in the "${command}" section`);
}

/** The finding with this code on flnodeN, at that node's file and this line. */
function finding(cap: Capture, code: FindingCode, n: number, line: number): Finding {
  const node = `flnode${n}`;
  const candidates = cap.analysis.findings.filter((f) => f.code === code && f.node === node);
  expect(candidates.map((f) => ({ file: f.file, line: f.line }))).toContainEqual({ file: cap.file(n), line });
  return candidates.find((f) => f.line === line)!;
}

/** The kernel and netsnap both say the lab is whole again. */
function expectRepaired(): void {
  const all = pingAll();
  expect(all.ok, all.out).toBe(true);
  expect(problems(capture())).toEqual([]);
}

// Every fault test changes the lab; the next one rebuilds it and checks it is healthy.
const faults = new FaultLab(NODES);

function healthyLab(): void {
  const all = faults.healthy();
  expect(all.ok, all.out).toBe(true);
}

const inject = (n: number, ...argv: string[]) => faults.inject(n, ...argv);

/** The host side of pod flpN's veth: the one port of cni0, as the kernel lists it. */
function podVeth(n: number): string {
  const ports = JSON.parse(onNode(n, 'ip', '-j', 'link', 'show', 'master', 'cni0')) as { ifname: string }[];
  expect(ports).toHaveLength(1);
  return ports[0]!.ifname;
}

const vtepMac = (n: number) => `42:32:74:de:0${n}:0${n}`;
const underlayIp = (n: number) => `10.18.19.${10 + n}`;
const esc = (s: string) => s.replace(/[.]/g, '\\.');
/** The `arp -e` row of a peer's VTEP address on flannel.1. */
const neighRow = (peer: number) => new RegExp(`^10\\.27\\.${peer}\\.0\\s.*\\sflannel\\.1$`);
/** The `route -n` row of the flannel route to a peer's subnet. */
const routeRow = (peer: number) =>
  new RegExp(`^10\\.27\\.${peer}\\.0\\s+10\\.27\\.${peer}\\.0\\s+255\\.255\\.255\\.0\\s+UG\\s.*flannel\\.1$`);
/** An `ip -d link` / `ip addr` header line of a device. */
const linkRow = (dev: string) => new RegExp(`^\\d+: ${esc(dev)}(@\\S+)?: <`);

beforeAll(() => {
  lab('up', String(NODES));
});

afterAll(() => {
  spawnSync('bash', [LAB, 'down'], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
});

describe(`faults injected into a live ${NODES}-node VXLAN lab`, () => {
  it('healthy: every pod reaches every pod, and netsnap finds nothing wrong', () => {
    healthyLab();
    const cap = capture();
    expect(cap.analysis.nodes.map((n) => n.name).sort()).toEqual([
      'flnode1',
      'flnode2',
      'flnode3',
      'flnode4',
    ]);
    expect(problems(cap)).toEqual([]);
  });

  it('route-missing: a deleted flannel route', () => {
    healthyLab();
    inject(1, 'ip', 'route', 'del', '10.27.2.0/24');
    expect(ping(1, 2)).toBe(false);
    expect(ping(1, 3)).toBe(true);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode1 route-missing', 'flnode2 peer-asymmetry']);
    // Pointed at the neighbour entry that names the peer whose route is gone.
    const f = finding(cap, 'route-missing', 1, lineOf(cap.text(1), 'arp -e', neighRow(2)));
    expect(f.message).toContain('10.27.2.0/24');
    finding(cap, 'peer-asymmetry', 2, lineOf(cap.text(2), 'route -n', routeRow(1)));

    applyFix(1, f);
    expect(ping(1, 2)).toBe(true);
    expectRepaired();
  });

  it('neigh-missing: a deleted neighbour entry for a peer VTEP', () => {
    healthyLab();
    inject(3, 'ip', 'neigh', 'del', '10.27.4.0', 'dev', 'flannel.1');

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode3 neigh-missing']);
    // Pointed at the route whose gateway has no entry.
    const f = finding(cap, 'neigh-missing', 3, lineOf(cap.text(3), 'route -n', routeRow(4)));
    expect(ping(3, 4)).toBe(false);
    expect(ping(3, 1)).toBe(true);

    // The failed ping leaves the kernel's own ARP attempt behind: an entry that never resolves.
    const after = capture();
    expect(problems(after)).toEqual(['flnode3 neigh-incomplete']);
    const g = finding(after, 'neigh-incomplete', 3, lineOf(after.text(3), 'arp -e', neighRow(4)));
    expect(g.fix).toBe(f.fix);

    applyFix(3, g);
    expect(ping(3, 4)).toBe(true);
    expectRepaired();
  });

  it('fdb-missing: a deleted FDB entry for a peer VTEP MAC', () => {
    healthyLab();
    inject(2, 'bridge', 'fdb', 'del', vtepMac(1), 'dev', 'flannel.1', 'dst', underlayIp(1));
    expect(ping(2, 1)).toBe(false);
    expect(ping(2, 3)).toBe(true);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode2 fdb-missing']);
    // Pointed at the neighbour entry whose MAC leads nowhere.
    const f = finding(cap, 'fdb-missing', 2, lineOf(cap.text(2), 'arp -e', neighRow(1)));

    applyFix(2, f);
    expect(ping(2, 1)).toBe(true);
    expectRepaired();
  });

  it("fdb-dst-mismatch: an FDB entry tunnelling a peer's MAC to another node", () => {
    healthyLab();
    // flnode1's VTEP MAC sent to flnode2's address: flnode2 drops frames that are not for its MAC.
    inject(
      4,
      'bridge',
      'fdb',
      'replace',
      vtepMac(1),
      'dev',
      'flannel.1',
      'dst',
      underlayIp(2),
      'self',
      'permanent',
    );
    expect(ping(4, 1)).toBe(false);
    expect(ping(4, 2)).toBe(true);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode4 fdb-dst-mismatch']);
    const row = new RegExp(`^${vtepMac(1)} dev flannel\\.1 dst ${esc(underlayIp(2))} `);
    const f = finding(cap, 'fdb-dst-mismatch', 4, lineOf(cap.text(4), 'bridge fdb show', row));

    applyFix(4, f);
    expect(ping(4, 1)).toBe(true);
    expectRepaired();
  });

  it('fdb-dst-mismatch: a wrong dst written first keeps the traffic; appending the right one is not kept', () => {
    healthyLab();
    const fdb = (verb: string, dst: string) =>
      inject(4, 'bridge', 'fdb', verb, vtepMac(1), 'dev', 'flannel.1', 'dst', dst, 'self', 'permanent');
    fdb('replace', underlayIp(2));
    // The kernel accepts the append of the same unicast MAC with another dst, but keeps only the first.
    fdb('append', underlayIp(1));
    const listed = onNode(4, 'bridge', 'fdb', 'show', 'dev', 'flannel.1')
      .split('\n')
      .filter((l) => l.startsWith(`${vtepMac(1)} `));
    expect(listed).toEqual([`${vtepMac(1)} dst ${underlayIp(2)} self permanent`]);
    expect(ping(4, 1)).toBe(false);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode4 fdb-dst-mismatch']);
    const row = new RegExp(`^${vtepMac(1)} dev flannel\\.1 dst ${esc(underlayIp(2))} `);
    const f = finding(cap, 'fdb-dst-mismatch', 4, lineOf(cap.text(4), 'bridge fdb show', row));
    expect(f.severity).toBe('error');
    applyFix(4, f);
    expect(ping(4, 1)).toBe(true);
    expectRepaired();
  });

  it("neigh-mac-mismatch: a node's VTEP MAC changed without updating its peers", () => {
    healthyLab();
    // The kernel also flushes flnode2's own neighbour entries when its flannel.1 MAC changes.
    inject(2, 'ip', 'link', 'set', 'flannel.1', 'address', '42:32:74:de:22:22');

    // Captured before any traffic: a failed ping would add the kernel's own unresolved ARP attempts.
    const cap = capture();
    expect(problems(cap)).toEqual([
      'flnode1 neigh-mac-mismatch',
      'flnode2 neigh-missing',
      'flnode2 neigh-missing',
      'flnode2 neigh-missing',
      'flnode3 neigh-mac-mismatch',
      'flnode4 neigh-mac-mismatch',
    ]);
    const peers = [1, 3, 4];
    const stale = peers.map((p) =>
      finding(cap, 'neigh-mac-mismatch', p, lineOf(cap.text(p), 'arp -e', neighRow(2))),
    );
    for (const p of [1, 3, 4]) finding(cap, 'neigh-missing', 2, lineOf(cap.text(2), 'route -n', routeRow(p)));
    expect(ping(1, 2)).toBe(false);
    expect(ping(2, 3)).toBe(false);
    expect(ping(1, 3)).toBe(true);

    // flnode2's own entries back: its pod still cannot talk to anyone, because the peers answer to the old MAC.
    for (const f of fixesOn(cap, 2, 'neigh-missing')) applyFix(2, f);
    expect(ping(2, 1)).toBe(false);
    // The peers' fixes repair the rest.
    peers.forEach((p, i) => applyFix(p, stale[i]!));
    expect(ping(1, 2)).toBe(true);
    expect(ping(2, 3)).toBe(true);
    expectRepaired();
  });

  it('fdb-duplicate-dst: an extra FDB MAC left tunnelling to a live node (traffic unaffected)', () => {
    healthyLab();
    const extra = '42:32:74:de:99:99';
    inject(
      3,
      'bridge',
      'fdb',
      'append',
      extra,
      'dev',
      'flannel.1',
      'dst',
      underlayIp(4),
      'self',
      'permanent',
    );
    expect(ping(3, 4)).toBe(true);
    expect(ping(4, 3)).toBe(true);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode3 fdb-duplicate-dst']);
    const row = new RegExp(`^${extra} dev flannel\\.1 dst ${esc(underlayIp(4))} `);
    const f = finding(cap, 'fdb-duplicate-dst', 3, lineOf(cap.text(3), 'bridge fdb show', row));

    applyFix(3, f);
    expect(ping(3, 4)).toBe(true);
    expectRepaired();
  });

  it('vtep-down: flannel.1 set down', () => {
    healthyLab();
    // The kernel drops the routes and neighbour entries of a device that goes down; the FDB stays.
    inject(4, 'ip', 'link', 'set', 'flannel.1', 'down');
    expect(ping(4, 1)).toBe(false);
    expect(ping(1, 4)).toBe(false);
    expect(ping(1, 2)).toBe(true);

    const cap = capture();
    expect(problems(cap)).toEqual([
      'flnode1 peer-asymmetry',
      'flnode2 peer-asymmetry',
      'flnode3 peer-asymmetry',
      'flnode4 route-missing',
      'flnode4 route-missing',
      'flnode4 route-missing',
      'flnode4 vtep-down',
    ]);
    const down = finding(cap, 'vtep-down', 4, lineOf(cap.text(4), 'ip -d link', linkRow('flannel.1')));

    // The device first (a route cannot be added through a device that is down), then the routes.
    applyFix(4, down);
    for (const f of fixesOn(cap, 4, 'route-missing')) applyFix(4, f);
    expect(ping(4, 1)).toBe(true);
    expectRepaired();
  });

  it("bridge-address: cni0 given an address other than FLANNEL_SUBNET's", () => {
    healthyLab();
    inject(2, 'ip', 'addr', 'del', '10.27.2.1/24', 'dev', 'cni0');
    onNode(2, 'ip', 'addr', 'add', '10.27.2.5/24', 'dev', 'cni0');

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode2 bridge-address']);
    const f = finding(
      cap,
      'bridge-address',
      2,
      lineOf(cap.text(2), 'ip addr', /^\s+inet 10\.27\.2\.5\/24 .*cni0$/),
    );
    // Pod flp2's gateway 10.27.2.1 is gone: once its ARP cache forgets cni0's MAC (flushed here rather
    // than waited for), its replies never leave the pod.
    inNs('flp2', 'ip', 'neigh', 'flush', 'all');
    expect(ping(1, 2)).toBe(false);
    expect(ping(1, 3)).toBe(true);

    applyFix(2, f);
    expect(ping(1, 2)).toBe(true);
    expectRepaired();
  });

  it('bridge-address: cni0 left without any IPv4 address', () => {
    healthyLab();
    inject(2, 'ip', 'addr', 'del', '10.27.2.1/24', 'dev', 'cni0');

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode2 bridge-address']);
    // No address line to point at: the finding names cni0 itself, where the links are listed.
    const f = finding(cap, 'bridge-address', 2, lineOf(cap.text(2), 'ip -d link', linkRow('cni0')));
    expect(ping(1, 2)).toBe(false);
    expect(ping(1, 3)).toBe(true);

    applyFix(2, f);
    expect(ping(1, 2)).toBe(true);
    expectRepaired();
  });

  it("mtu-mismatch: cni0 and the pod's link raised above flannel.1's MTU", () => {
    healthyLab();
    const veth = podVeth(1);
    // Healthy: a DF packet as big as the pod's MTU (1450) allows crosses the tunnel.
    expect(pingDf(1, 2, 1450 - 28)).toBe(true);
    inject(1, 'ip', 'link', 'set', 'cni0', 'mtu', '9000');
    onNode(1, 'ip', 'link', 'set', veth, 'mtu', '9000');
    inNs('flp1', 'ip', 'link', 'set', 'eth0', 'mtu', '9000');
    // Small packets still pass; a DF packet the pod's link allows no longer fits the tunnel.
    expect(ping(1, 2)).toBe(true);
    expect(pingDf(1, 2, 2000)).toBe(false);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode1 mtu-mismatch', 'flnode1 mtu-mismatch']);
    const cni0 = finding(cap, 'mtu-mismatch', 1, lineOf(cap.text(1), 'ip -d link', linkRow('cni0')));
    const port = finding(cap, 'mtu-mismatch', 1, lineOf(cap.text(1), 'ip -d link', linkRow(veth)));

    // The pod's own eth0 is outside the node's snapshot; the node side is what the fixes repair.
    applyFix(1, cni0);
    applyFix(1, port);
    expect(problems(capture())).toEqual([]);
  });

  it("veth-unattached: a pod's veth detached from cni0", () => {
    healthyLab();
    const veth = podVeth(3);
    inject(3, 'ip', 'link', 'set', veth, 'nomaster');
    expect(ping(1, 3)).toBe(false);
    expect(ping(1, 2)).toBe(true);

    const cap = capture();
    // A bridge without ports falls back to MTU 1500: the kernel's doing, and rightly reported too.
    expect(problems(cap)).toEqual(['flnode3 mtu-mismatch', 'flnode3 veth-unattached']);
    const f = finding(cap, 'veth-unattached', 3, lineOf(cap.text(3), 'ip -d link', linkRow(veth)));
    const mtu = finding(cap, 'mtu-mismatch', 3, lineOf(cap.text(3), 'ip -d link', linkRow('cni0')));

    applyFix(3, f);
    applyFix(3, mtu);
    expect(ping(1, 3)).toBe(true);
    expectRepaired();
  });

  it("subnet-duplicate: a node given another node's subnet", () => {
    healthyLab();
    // flnode4 takes flnode3's subnet: subnet.env, flannel.1 and cni0 (new address first, so the
    // device never loses its last address and with it its routes).
    const env = join(LAB_DIR, 'flnode4', 'subnet.env');
    faults.changed();
    writeFileSync(
      env,
      readFileSync(env, 'utf8').replace('FLANNEL_SUBNET=10.27.4.1/24', 'FLANNEL_SUBNET=10.27.3.1/24'),
    );
    onNode(4, 'ip', 'addr', 'add', '10.27.3.0/32', 'dev', 'flannel.1');
    onNode(4, 'ip', 'addr', 'del', '10.27.4.0/32', 'dev', 'flannel.1');
    onNode(4, 'ip', 'addr', 'add', '10.27.3.1/24', 'dev', 'cni0');
    onNode(4, 'ip', 'addr', 'del', '10.27.4.1/24', 'dev', 'cni0');
    expect(ping(1, 4)).toBe(false);
    expect(ping(4, 1)).toBe(false);
    expect(ping(1, 3)).toBe(true);

    const cap = capture();
    // Also: flnode4 now tunnels its "own" subnet to flnode3, and that route's neighbour looks unused.
    expect(problems(cap)).toEqual([
      'flnode3 subnet-duplicate',
      'flnode4 neigh-stale',
      'flnode4 route-invalid',
      'flnode4 subnet-duplicate',
    ]);
    for (const n of [3, 4]) {
      const f = finding(
        cap,
        'subnet-duplicate',
        n,
        lineOf(cap.text(n), 'cat /run/flannel/subnet.env', /^FLANNEL_SUBNET=/),
      );
      expect(f.message).toContain('10.27.3.0/24');
    }
    finding(cap, 'route-invalid', 4, lineOf(cap.text(4), 'route -n', routeRow(3)));
  });

  it('network-overlap: a host route covering the whole pod network (more specific routes still win)', () => {
    healthyLab();
    inject(2, 'ip', 'route', 'add', '10.27.0.0/16', 'dev', 'eth0');
    expect(ping(2, 1)).toBe(true);
    expect(ping(2, 3)).toBe(true);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode2 network-overlap']);
    const row = /^10\.27\.0\.0\s+0\.0\.0\.0\s+255\.255\.0\.0\s.*eth0$/;
    const f = finding(cap, 'network-overlap', 2, lineOf(cap.text(2), 'route -n', row));

    applyFix(2, f);
    expectRepaired();
  });

  it("network-overlap: a more specific host route stealing part of a peer's subnet", () => {
    healthyLab();
    inject(1, 'ip', 'route', 'add', '10.27.3.0/25', 'dev', 'eth0');
    expect(ping(1, 3)).toBe(false);
    expect(ping(1, 2)).toBe(true);

    const cap = capture();
    expect(problems(cap)).toEqual(['flnode1 network-overlap']);
    const row = /^10\.27\.3\.0\s+0\.0\.0\.0\s+255\.255\.255\.128\s.*eth0$/;
    const f = finding(cap, 'network-overlap', 1, lineOf(cap.text(1), 'route -n', row));

    applyFix(1, f);
    expect(ping(1, 3)).toBe(true);
    expectRepaired();
  });
});
