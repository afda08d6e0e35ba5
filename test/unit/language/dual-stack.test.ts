// Dual-stack in every view, from real collected captures of the lab's dual-stack mode (test/fixtures/lab/
// collected-dualstack: `netsnap collect netns` of three nodes with flannel.1 and flannel-v6.1;
// collected-dualstack-v6mac: the same after flnode3's flannel-v6.1 MAC changed without its peers being told).
// The IPv6 chain goes through the one resolver the IPv4 chain uses, so check, trace, hover, tree and the
// graphs tell one story per family. Variants of the captures drop or edit real lines, never invent them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, buildNodeGraph, parseSnapshot, trace } from '../../../src/core';
import { buildView } from '../../../src/core/analysis/view';
import { ClusterGraphSource } from '../../../src/core/graph/cluster';
import { hoverAt, renderPlain } from '../../../src/core/language';
import { columnOf, keyOf, workspaceOf } from './support';

const HEALTHY = [1, 2, 3].map((n) => `test/fixtures/lab/collected-dualstack/flnode${n}.netsnap`);
const V6MAC = [1, 2, 3].map((n) => `test/fixtures/lab/collected-dualstack-v6mac/flnode${n}.netsnap`);
const read = (path: string) => readFileSync(path, 'utf8');
const parse = (texts: readonly { path: string; text: string }[]) =>
  texts.map(({ path, text }) => parseSnapshot(text, path));
const snapshots = (paths: readonly string[]) => parse(paths.map((path) => ({ path, text: read(path) })));
const serious = (paths: readonly { path: string; text: string }[]) =>
  analyze(parse(paths)).findings.filter((f) => f.severity !== 'info');

/** A capture without its `-j` sections: the collector lists every table twice (text and JSON). */
function textOnly(text: string): string {
  return text.replace(/^### [^\n]* -j [^\n]*\n(?:(?!### ).*\n)*/gm, '');
}

/** The captures with one node's text (its text listings only) changed by `edit`; every other node as captured. */
function edited(node: number, edit: (text: string) => string): { path: string; text: string }[] {
  return HEALTHY.map((path, i) => ({ path, text: i === node - 1 ? edit(textOnly(read(path))) : read(path) }));
}

/** Removes the one line that matches `pattern` (failing if none or several do). */
function withoutLine(pattern: RegExp): (text: string) => string {
  return (text) => {
    const lines = text.split('\n');
    const hits = lines.filter((l) => pattern.test(l));
    if (hits.length !== 1) throw new Error(`${hits.length} lines match ${String(pattern)}`);
    return lines.filter((l) => !pattern.test(l)).join('\n');
  };
}

/**
 * The capture as an IPv6-only node would list it: its text listings without flannel.1 (its link block, the
 * sections about it), without the IPv4 pod network's lines and without FLANNEL_NETWORK/FLANNEL_SUBNET.
 */
function ipv6Only(text: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of textOnly(text)
    .replace(/^### [^\n]*flannel\.1\b[^\n]*\n(?:(?!### ).*\n)*/gm, '')
    .split('\n')) {
    if (/^\d+: flannel\.1[:@]/.test(line)) skipping = true;
    else if (!/^\s/.test(line)) skipping = false;
    if (skipping || /flannel\.1\b|10\.27\.|FLANNEL_NETWORK=|FLANNEL_SUBNET=/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n');
}

function lineOf(path: string, pattern: RegExp): number {
  const i = read(path)
    .split('\n')
    .findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`no line matching ${String(pattern)} in ${path}`);
  return i + 1;
}

describe('dual-stack: the IPv6 overlay on flannel-v6.1, from real captures', () => {
  it('model: each node has an IPv6 view with its VTEP, subnet, public IPv6 and three peers’ entries', () => {
    const [flnode1] = snapshots(HEALTHY);
    const view = buildView(flnode1!.nodes[0]!);
    expect(view.vtepName).toBe('flannel.1');
    const v6 = view.v6!;
    expect(v6.vtepName).toBe('flannel-v6.1');
    expect(v6.family).toBe('inet6');
    expect(v6.subnet?.cidr).toBe('fd27:42:0:1::/64');
    expect(v6.network?.cidr).toMatch(/^fd27:42::\/\d+$/);
    expect(v6.publicIp).toBe('fd00:18:19::11');
    expect(v6.vtep?.mtu).toBe(1430);
    // Only flannel's routes: not fe80::/64 nor the kernel's route for the VTEP's own /128.
    expect(v6.flannelRoutes.map((r) => r.dst)).toEqual(['fd27:42:0:2::/64', 'fd27:42:0:3::/64']);
    expect([...v6.vtepNeighbours.keys()].sort()).toEqual(['fd27:42:0:2::', 'fd27:42:0:3::']);
    expect(v6.vtepFdb.size).toBe(2);
  });

  it('check: the healthy dual-stack cluster is clean, flannel-v6.1 at MTU 1430 included', () => {
    expect(serious(HEALTHY.map((path) => ({ path, text: read(path) })))).toEqual([]);
    const summary = analyze(snapshots(HEALTHY)).nodes[0]!;
    expect(summary.ipv6).toEqual({
      vtep: 'flannel-v6.1',
      subnet: 'fd27:42:0:1::/64',
      publicIp: 'fd00:18:19::11',
      vtepMac: expect.stringMatching(/^[0-9a-f:]{17}$/),
    });
  });

  it("check: flnode3's changed flannel-v6.1 MAC is a neigh-mac-mismatch on each peer's IPv6 neighbour line", () => {
    const findings = analyze(snapshots(V6MAC)).findings.filter((f) => f.code === 'neigh-mac-mismatch');
    expect(findings.map((f) => [f.node, f.line])).toEqual([
      ['flnode1', lineOf(V6MAC[0]!, /^fd27:42:0:3:: dev flannel-v6\.1 lladdr/)],
      ['flnode2', lineOf(V6MAC[1]!, /^fd27:42:0:3:: dev flannel-v6\.1 lladdr/)],
    ]);
    const fix = findings[0]!.fix as string;
    expect(fix).toMatch(/^ip -6 neigh replace fd27:42:0:3:: lladdr \S+ dev flannel-v6\.1 nud permanent$/m);
    expect(fix).toMatch(/^bridge fdb append \S+ dev flannel-v6\.1 dst fd00:18:19::13 self permanent$/m);
    // The IPv4 tunnel to flnode3 is untouched: nothing on flannel.1.
    expect(
      analyze(snapshots(V6MAC)).findings.some((f) =>
        `${f.message} ${f.detail ?? ''}`.includes('flannel.1 has no'),
      ),
    ).toBe(false);
  });

  it('check: a deleted IPv6 route, neighbour or FDB entry is its own finding, with an ip -6 fix', () => {
    const route = serious(edited(1, withoutLine(/^fd27:42:0:3::\/64 via fd27:42:0:3:: dev flannel-v6\.1/)));
    // flnode3 still routes to flnode1's IPv6 subnet: replies from there have no way back.
    expect(route.map((f) => [f.code, f.node])).toEqual([
      ['route-missing', 'flnode1'],
      ['peer-asymmetry', 'flnode3'],
    ]);
    expect(route[0]!.fix).toContain(
      'ip -6 route replace fd27:42:0:3::/64 via fd27:42:0:3:: dev flannel-v6.1 onlink',
    );

    const neigh = serious(edited(1, withoutLine(/^fd27:42:0:3:: dev flannel-v6\.1 lladdr/)));
    expect(neigh.map((f) => f.code)).toEqual(['neigh-missing']);
    expect(neigh[0]!.fix).toContain('ip -6 neigh replace fd27:42:0:3:: lladdr');

    const mac3 = buildView(snapshots([HEALTHY[2]!])[0]!.nodes[0]!).v6!.vtepMac!;
    const fdb = serious(edited(1, withoutLine(new RegExp(`^${mac3} dev flannel-v6\\.1 dst`))));
    expect(fdb.map((f) => f.code)).toEqual(['fdb-missing']);
    expect(fdb[0]!.fix).toContain(
      `bridge fdb append ${mac3} dev flannel-v6.1 dst fd00:18:19::13 self permanent`,
    );
  });

  it('check: without `ip -6 route` nothing on the IPv6 side is called missing; the summary says what to run', () => {
    const noV6Routes = edited(1, (t) => t.replace(/### ip -6 route\n(?:.*\n)*?(?=### )/, ''));
    expect(serious(noV6Routes)).toEqual([]);
    const skipped = analyze(parse(noV6Routes)).nodes[0]!.skipped;
    expect(skipped).toContainEqual({ check: 'IPv6 routes on the IPv6 VTEP', needs: 'ip -6 route' });
  });

  it('check: net.ipv6.conf.all.forwarding = 0 stops the IPv6 overlay: forwarding-disabled on that line', () => {
    const off = serious(
      edited(2, (t) => t.replace('net.ipv6.conf.all.forwarding = 1', 'net.ipv6.conf.all.forwarding = 0')),
    );
    expect(off.map((f) => [f.code, f.node, f.fix])).toEqual([
      ['forwarding-disabled', 'flnode2', "sysctl -w 'net.ipv6.conf.all.forwarding=1'"],
    ]);
    expect(off[0]!.message).toContain('no IPv6 pod traffic passes between flannel-v6.1 and cni0');
  });

  it('check: an IPv6 route spelled another way (RFC 5952) is the same route', () => {
    const spelled = edited(1, (t) =>
      t.replace(
        'fd27:42:0:3::/64 via fd27:42:0:3:: dev flannel-v6.1',
        'FD27:42:0:3:0::/64 via fd27:0042:0:3:: dev flannel-v6.1',
      ),
    );
    expect(serious(spelled)).toEqual([]);
  });

  it('check: an IPv6 VTEP MTU that ignores the 70 bytes VXLAN costs over IPv6 is an mtu-mismatch', () => {
    const high = serious(edited(2, (t) => t.replace(/(flannel-v6\.1: <[^>]*> mtu )1430/g, '$11450')));
    expect(high.map((f) => [f.code, f.node])).toEqual([['mtu-mismatch', 'flnode2']]);
    expect(high[0]!.detail).toContain('+ 70 bytes');
    expect(high[0]!.fix).toBe('ip link set flannel-v6.1 mtu 1430');
  });

  it('IPv6-only: without flannel.1 and the IPv4 network, the node is checked through flannel-v6.1 alone', () => {
    const only = HEALTHY.map((path) => ({ path, text: ipv6Only(read(path)) }));
    expect(analyze(parse(only)).findings).toEqual([]);
    const summary = analyze(parse(only)).nodes[0]!;
    expect(summary.subnet).toBeUndefined();
    expect(summary.ipv6?.subnet).toBe('fd27:42:0:1::/64');
    // No IPv4 listing is asked for: only what the IPv6 overlay and the kernel checks need.
    expect(summary.skipped.map((s) => s.needs)).not.toContain('route -n (or ip route)');
    const broken = only.map(({ path, text }, i) => ({
      path,
      text: i === 0 ? withoutLine(/^fd27:42:0:2::\/64 via/)(text) : text,
    }));
    expect(serious(broken).map((f) => [f.code, f.node])).toEqual([
      ['route-missing', 'flnode1'],
      ['peer-asymmetry', 'flnode2'],
    ]);
    expect(trace(parse(only), 'flnode1', 'fd27:42:0:2::2').delivered).toBe(true);
  });

  it('VNI 4096 (rke2, Windows-compatible clusters): flannel.4096 and flannel-v6.4096 found by what they are', () => {
    const vni = HEALTHY.map((path) => ({
      path,
      text: textOnly(read(path))
        .replace(/flannel\.1\b/g, 'flannel.4096')
        .replace(/flannel-v6\.1\b/g, 'flannel-v6.4096')
        .replace(/flannel\/1\b/g, 'flannel/4096')
        .replace(/flannel-v6\/1\b/g, 'flannel-v6/4096')
        .replace(/vxlan id 1 /g, 'vxlan id 4096 '),
    }));
    expect(serious(vni)).toEqual([]);
    const view = buildView(parse(vni)[0]!.nodes[0]!);
    expect([view.vtepName, view.vni, view.v6?.vtepName, view.v6?.vni]).toEqual([
      'flannel.4096',
      4096,
      'flannel-v6.4096',
      4096,
    ]);
  });

  it('trace: an IPv6 pod address goes through flannel-v6.1 and its own neighbour, FDB entry and peer', () => {
    const ok = trace(snapshots(HEALTHY), 'flnode1', 'fd27:42:0:3::2');
    expect(ok.delivered).toBe(true);
    expect(ok.hops.map((h) => h.kind)).toContain('fdb');
    expect(ok.hops.find((h) => h.kind === 'route')!.text).toContain('dev flannel-v6.1');
    expect(ok.hops.find((h) => h.kind === 'fdb')!.text).toContain('dst fd00:18:19::13');
    const broken = trace(snapshots(V6MAC), 'flnode1', 'FD27:42:0:3::2');
    expect(broken.delivered).toBe(false);
    expect(broken.hops.some((h) => h.code === 'neigh-mac-mismatch')).toBe(true);
    // The IPv4 path to the same node still works.
    expect(trace(snapshots(V6MAC), 'flnode1', '10.27.3.2').delivered).toBe(true);
  });

  it('hover: an IPv6 route line shows its chain; the peer’s IPv6 subnet is named as its pod subnet', () => {
    const ws = workspaceOf(V6MAC);
    const line = lineOf(V6MAC[0]!, /^fd27:42:0:3::\/64 via/);
    const text = renderPlain(hoverAt(ws, keyOf(V6MAC[0]!), line, 0)!.parts);
    expect(text).toContain('IPv6 network fd27:42:0:3::/64');
    expect(text).toContain('pod subnet of node flnode3');
    expect(text).toContain('Path from flnode1: BROKEN at the neighbour entry (neigh-mac-mismatch)');
    expect(text).toContain('ip -6 neigh replace fd27:42:0:3:: lladdr');
    const healthy = workspaceOf(HEALTHY);
    const gw = columnOf(healthy, HEALTHY[0]!, line, 'fd27:42:0:3::');
    const ip = renderPlain(
      hoverAt(healthy, keyOf(HEALTHY[0]!), line, gw + 'fd27:42:0:3:'.length + 20)!.parts,
    );
    expect(ip).toMatch(/IPv6 (address|network)/);
  });

  it('graphs: a tunnel per family between each pair, the IPv6 one broken only where flannel-v6.1 is', () => {
    const snaps = snapshots(V6MAC);
    const source = new ClusterGraphSource('v6mac', snaps, analyze(snaps));
    const graph = source.graph();
    const tunnels = graph.edges.filter((e) => e.kind === 'tunnel');
    const v4 = tunnels.filter((e) => e.family !== 'ipv6');
    const v6 = tunnels.filter((e) => e.family === 'ipv6');
    expect(v6.length).toBe(v4.length);
    expect(v4.every((e) => e.health === 'ok')).toBe(true);
    expect(v6.some((e) => e.health === 'error')).toBe(true);
    const node = buildNodeGraph(source, 'flnode1')!;
    expect(node.nodes.some((n) => n.label.includes('flannel-v6.1'))).toBe(true);
    // The node view draws each overlay's peers: flnode3 over IPv6 is broken, over IPv4 it is not.
    const remote = (id: string) => node.nodes.find((n) => n.id === id);
    expect(remote('remote:flnode3')?.health).toBe('ok');
    expect(remote('remote6:flnode3')?.health).toBe('error');
    expect(remote('remote6:flnode3')?.label).toContain('fd00:18:19::13');
    expect(node.edges.find((e) => e.id === 'fdb6:flnode3')?.label).toBe('fd27:42:0:3::/64');
  });
});
