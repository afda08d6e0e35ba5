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
    expect(cluster?.description).toBe('3 nodes · 4 errors');
    expect(cluster?.children.map((n) => [n.label, n.description, n.severity])).toEqual([
      ['flnode1', '10.27.1.0/24 · 1 error', 'error'],
      ['flnode2', '10.27.2.0/24 · 1 error', 'error'],
      ['flnode3', '10.27.3.0/24 · 2 errors', 'error'],
    ]);
    const flnode1 = cluster?.children[0];
    expect(flnode1?.children.map((g) => `${g.label} ${g.description ?? ''}`)).toEqual([
      'Interfaces 5',
      'Routes 4',
      'Neighbours 5',
      'FDB 15',
      'Flannel config 4',
      'Findings 1',
    ]);
    const bridge = flnode1?.children[0]?.children[0];
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
    const finding = flnode1?.children.at(-1)?.children[0];
    expect(finding).toMatchObject({
      kind: 'finding',
      severity: 'error',
      loc: { line: 14 },
      fix: { key: keyOf(CLUSTER[0] ?? ''), line: 14, code: 'neigh-mac-mismatch', node: 'flnode1' },
    });
    expect(contextValue(finding as TreeNode)).toBe('netsnap:finding:fixable');
    const route = flnode1?.children[1]?.children[3];
    expect(route).toMatchObject({
      label: '10.27.3.0/24 via 10.27.3.0 dev flannel.1 (UG)',
      trace: { ip: '10.27.3.0', from: 'flnode1' },
      loc: { line: 7 },
    });
    expect(contextValue(route as TreeNode)).toBe('netsnap:route:traceable');
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
