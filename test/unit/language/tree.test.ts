import { describe, expect, it } from 'vitest';
import { buildTree, contextValue, type TreeNode } from '../../../src/core/language';
import { CLUSTER, K8SNODE, keyOf, workspaceOf } from './support';

function walk(node: TreeNode, visit: (n: TreeNode) => void): void {
  visit(node);
  for (const c of node.children) walk(c, visit);
}

describe('tree', () => {
  it('shows cluster → nodes → interfaces, routes, neighbours, FDB, flannel config, findings', () => {
    const ws = workspaceOf(CLUSTER);
    const [cluster] = buildTree(ws, 'Cluster: examples');
    expect(cluster?.label).toBe('Cluster: examples');
    // The counts lead (a narrow sidebar cuts the end of a description).
    expect(cluster?.description).toBe('4 errors · 3 nodes');
    expect(cluster?.children.map((n) => [n.label, n.description, n.severity])).toEqual([
      ['flnode1', '1 error · 10.27.1.0/24', 'error'],
      ['flnode2', '1 error · 10.27.2.0/24', 'error'],
      ['flnode3', '2 errors · 10.27.3.0/24', 'error'],
    ]);
    const flnode1 = cluster?.children[0];
    // Findings first; the lists holding the offending entries say how many carry a finding.
    expect(flnode1?.children.map((g) => `${g.label} ${g.description ?? ''}`)).toEqual([
      'Findings 1',
      'Interfaces 5',
      'Routes 4 · 1 ✗',
      'Neighbours 5 · 1 ✗',
      'FDB 15 · 1 ✗',
      'Flannel config 4',
    ]);
    const bridge = flnode1?.children[1]?.children[0];
    expect(bridge).toMatchObject({
      kind: 'bridge',
      label: 'cni0',
      loc: { key: keyOf(CLUSTER[0] ?? ''), line: 43 },
    });
    expect(bridge?.children.map((c) => [c.kind, c.label])).toEqual([
      ['address', '10.27.1.1/24'],
      ['address', 'fe80::5019:35ff:fe2d:30eb/64'],
      ['port', 'veth228c5a4c'],
    ]);
    expect(bridge?.children.map((c) => contextValue(c))).toEqual([
      'netsnap:address:traceable',
      'netsnap:address',
      'netsnap:port',
    ]);
    const finding = flnode1?.children[0]?.children[0];
    expect(finding).toMatchObject({
      kind: 'finding',
      severity: 'error',
      loc: { line: 14 },
      fix: { key: keyOf(CLUSTER[0] ?? ''), line: 14, code: 'neigh-mac-mismatch', node: 'flnode1' },
    });
    expect(contextValue(finding as TreeNode)).toBe('netsnap:finding:fixable');
    const route = flnode1?.children[2]?.children[3];
    expect(route).toMatchObject({
      label: '10.27.3.0/24 via 10.27.3.0 dev flannel.1 (UG)',
      trace: { ip: '10.27.3.0', from: 'flnode1' },
      loc: { line: 7 },
    });
    expect(contextValue(route as TreeNode)).toBe('netsnap:route:traceable');
  });

  it('marks the offending route, neighbour and FDB rows with the finding written on or citing them', () => {
    const ws = workspaceOf(CLUSTER);
    const [cluster] = buildTree(ws);
    const marked: [string, string | undefined, string | undefined][] = [];
    walk(cluster as TreeNode, (n) => {
      if (['route', 'neighbour', 'fdb'].includes(n.kind) && n.severity !== undefined)
        marked.push([n.id.slice(n.id.indexOf('#') + 1), n.label, n.description]);
    });
    expect(marked).toEqual([
      ['flnode1/r3', '10.27.3.0/24 via 10.27.3.0 dev flannel.1 (UG)', '✗ neigh-mac-mismatch'],
      ['flnode1/n1', '10.27.3.0 → 42:32:74:de:03:03 dev flannel.1 CM', '✗ neigh-mac-mismatch'],
      [
        'flnode1/f3',
        '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent',
        '✗ neigh-mac-mismatch',
      ],
      ['flnode2/r3', '10.27.3.0/24 via 10.27.3.0 dev flannel.1 (UG)', '✗ neigh-mac-mismatch'],
      ['flnode2/n2', '10.27.3.0 → 42:32:74:de:03:03 dev flannel.1 CM', '✗ neigh-mac-mismatch'],
      [
        'flnode2/f3',
        '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent',
        '✗ neigh-mac-mismatch',
      ],
      ['flnode3/r1', '10.27.1.0/24 via 10.27.1.0 dev flannel.1 (UG)', '✗ neigh-missing'],
      ['flnode3/r2', '10.27.2.0/24 via 10.27.2.0 dev flannel.1 (UG)', '✗ neigh-missing'],
    ]);
    const fdb = cluster?.children[0]?.children.find((g) => g.label === 'FDB');
    // A bridge port's entry names its bridge once ("master cni0", not "master cni0 master").
    expect(fdb?.children.map((f) => f.label).filter((l) => l.includes('master'))).toEqual([
      '02:d5:34:83:c5:70 dev veth228c5a4c master cni0',
      '86:29:6f:02:69:c5 dev veth228c5a4c master cni0 permanent',
    ]);
  });

  it('gives cluster and node rows what their context menus need', () => {
    const ws = workspaceOf(CLUSTER);
    const [cluster] = buildTree(ws);
    expect(cluster).toMatchObject({ cluster: 'examples/cluster-vtep-mac-changed' });
    expect(contextValue(cluster as TreeNode)).toBe('netsnap:cluster');
    const node = cluster?.children[2];
    expect(node?.host).toEqual({ name: 'flnode3', key: keyOf(CLUSTER[2] ?? '') });
    expect(contextValue(node as TreeNode)).toBe('netsnap:node:host');
    expect(node?.tooltip).toBe(`node flnode3 — ${CLUSTER[2]}\npod subnet 10.27.3.0/24\n2 errors, 0 warnings`);
  });

  it('nests pods under their node, and every id is unique', () => {
    const ws = workspaceOf([K8SNODE, ...CLUSTER]);
    const clusters = buildTree(ws);
    // Two folders, two clusters, each named by its folder.
    expect(clusters.map((c) => c.label).sort()).toEqual(['examples', 'examples/cluster-vtep-mac-changed']);
    const cluster = clusters.find((c) => c.children.some((n) => n.label === 'k8snode028'));
    const node = cluster?.children.find((n) => n.label === 'k8snode028');
    const pods = node?.children.find((g) => g.label === 'Pods');
    expect(pods?.children.map((p) => [p.kind, p.label])).toEqual([['pod', 'backend-6b7b58986c-jdnhn']]);
    const ids = new Set<string>();
    let count = 0;
    for (const c of clusters) {
      walk(c, (n) => {
        ids.add(n.id);
        count++;
      });
    }
    expect(ids.size).toBe(count);
    expect(buildTree(workspaceOf([]))).toEqual([]);
  });
});
