// Every view on the forwarding path, from real collected captures of the lab (test/fixtures/lab/
// collected-3: `netsnap collect netns` of three nodes with Docker's, kube-proxy's and flannel's rules;
// collected-3-fwd-flushed: the same after `iptables -F FLANNEL-FWD` on flnode2). The check, trace, tree,
// hover, node view and diff must tell the same story, since they all ask the one evaluator.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, buildNodeGraph, diffSnapshots, parseSnapshot, trace } from '../../../src/core';
import { ClusterGraphSource } from '../../../src/core/graph/cluster';
import { buildTree, hoverAt, renderPlain, type TreeNode } from '../../../src/core/language';
import { keyOf, workspaceOf } from './support';

const HEALTHY = [1, 2, 3].map((n) => `test/fixtures/lab/collected-3/flnode${n}.netsnap`);
const FLUSHED = [1, 2, 3].map((n) => `test/fixtures/lab/collected-3-fwd-flushed/flnode${n}.netsnap`);
const snapshots = (paths: string[]) => paths.map((p) => parseSnapshot(readFileSync(p, 'utf8'), p));

function lineOf(path: string, pattern: RegExp, after = 0): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const i = lines.findIndex((l, k) => k >= after && pattern.test(l));
  if (i < 0) throw new Error(`no line matching ${String(pattern)} in ${path}`);
  return i + 1;
}

const policyLine = (path: string) => lineOf(path, /^:FORWARD DROP /);

function find(nodes: readonly TreeNode[], label: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.label === label) return n;
    const inner = find(n.children, label);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

describe('the forwarding path in every view (collected lab captures)', () => {
  it('check: the healthy cluster has no error or warning; the flushed FLANNEL-FWD is one error on the policy line', () => {
    expect(analyze(snapshots(HEALTHY)).findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const serious = analyze(snapshots(FLUSHED)).findings.filter((f) => f.severity !== 'info');
    expect(serious.map((f) => [f.code, f.node, f.file, f.line])).toEqual([
      ['forward-blocked', 'flnode2', FLUSHED[1], policyLine(FLUSHED[1]!)],
    ]);
    expect(serious[0]!.detail).toContain('both ways');
    expect(serious[0]!.fix).toBe(
      [
        "iptables-nft -I FORWARD 1 -d 10.27.0.0/16 -m comment --comment 'flanneld forward' -j ACCEPT",
        "iptables-nft -I FORWARD 1 -s 10.27.0.0/16 -m comment --comment 'flanneld forward' -j ACCEPT",
      ].join('\n'),
    );
  });

  it('trace: accepted by FLANNEL-FWD when healthy; dropped by the policy on flnode2 once it is flushed', () => {
    const ok = trace(snapshots(HEALTHY), 'flnode1', '10.27.2.2');
    expect(ok.delivered).toBe(true);
    const forward = ok.hops.filter((h) => h.kind === 'firewall');
    expect(forward.map((h) => [h.node, h.ok])).toEqual([
      ['flnode1', true],
      ['flnode2', true],
      ['flnode2', true],
    ]);
    expect(forward[0]!.text).toContain('FLANNEL-FWD');
    const broken = trace(snapshots(FLUSHED), 'flnode1', '10.27.2.2');
    expect(broken.delivered).toBe(false);
    const stop = broken.hops.find((h) => h.kind === 'firewall' && !h.ok)!;
    expect([stop.node, stop.code, stop.line]).toEqual([
      'flnode2',
      'forward-blocked',
      policyLine(FLUSHED[1]!),
    ]);
    expect(broken.verdict).toContain('dropped on flnode2 by its firewall (FORWARD');
  });

  it('tree: Firewall and Kernel sections, the FORWARD verdicts first, red on the flushed node', () => {
    const healthy = buildTree(workspaceOf(HEALTHY));
    const firewall = find(healthy, 'Firewall');
    expect(firewall).toBeDefined();
    expect(firewall!.children[0]!.label).toMatch(/^FORWARD accepts pod traffic from other nodes/);
    expect(firewall!.children[0]!.severity).toBeUndefined();
    expect(find(healthy, 'Kernel')?.children.some((k) => k.label === 'net.ipv4.ip_forward = 1')).toBe(true);
    const flushed = buildTree(workspaceOf([FLUSHED[1]!]));
    const verdict = find(flushed, 'Firewall')!.children[0]!;
    expect(verdict.label).toMatch(/^FORWARD drops /);
    expect(verdict.severity).toBe('error');
  });

  it("hover on flannel's accept says which traffic it decides; on the policy line, that it drops it", () => {
    const ws = workspaceOf(HEALTHY);
    const accept = lineOf(HEALTHY[1]!, /^\[\d+:\d+\] -A FLANNEL-FWD -s 10\.27\.0\.0\/16 /);
    const text = renderPlain(hoverAt(ws, keyOf(HEALTHY[1]!), accept, 0)!.parts);
    expect(text).toContain('Firewall rule in ip filter FLANNEL-FWD (iptables-nft)');
    expect(text).toMatch(/FORWARD: ACCEPT for pod traffic from other nodes .* \(ICMP, TCP, UDP\)/);
    const broken = workspaceOf(FLUSHED);
    const policy = renderPlain(hoverAt(broken, keyOf(FLUSHED[1]!), policyLine(FLUSHED[1]!), 0)!.parts);
    expect(policy).toContain('Chain ip filter FORWARD (iptables-nft), policy DROP');
    expect(policy).toMatch(/FORWARD: DROP for pod traffic/);
    expect(policy).toContain('forward-blocked');
  });

  it('node view: the firewall element is on the path, coloured by the finding on its policy line', () => {
    const flushed = snapshots(FLUSHED);
    const source = new ClusterGraphSource('flushed', flushed, analyze(flushed));
    const graph = buildNodeGraph(source, 'flnode2')!;
    const filter = graph.nodes.find((n) => n.kind === 'filter')!;
    expect(filter.health).toBe('error');
    expect(filter.label).toBe('FORWARD blocks');
    const whole = snapshots(HEALTHY);
    const healthy = buildNodeGraph(new ClusterGraphSource('healthy', whole, analyze(whole)), 'flnode2')!;
    expect(healthy.nodes.find((n) => n.kind === 'filter')?.health).toBe('ok');
  });

  it('diff: the two FLANNEL-FWD rules removed on flnode2, the forward-blocked finding appeared', () => {
    const d = diffSnapshots(snapshots(HEALTHY), snapshots(FLUSHED));
    const flnode2 = d.hosts.find((h) => h.name === 'flnode2')!;
    const removed = flnode2.entries.filter((e) => e.kind === 'firewall-rule' && e.change === 'removed');
    expect(removed.map((e) => e.label)).toEqual([
      '-A FLANNEL-FWD -s 10.27.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
      '-A FLANNEL-FWD -d 10.27.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    ]);
    expect(d.findings.appeared.map((f) => f.code)).toContain('forward-blocked');
  });
});
