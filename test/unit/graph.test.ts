// The core's graph builders on the bundled examples and on generated snapshots: tunnels coloured by both
// ends' triple, stale peers, summary past the full-mesh limit, node views with folding, trace mapping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot, trace, type Snapshot } from '../../src/core';
import {
  buildNodeGraph,
  ClusterGraphSource,
  graphCsp,
  graphPage,
  traceOnGraph,
  VETH_LIMIT,
} from '../../src/core/graph';
// @ts-expect-error -- a plain .mjs script without declarations
import { generateNodeSnapshot } from '../../scripts/generate-snapshot.mjs';

const dir = join(__dirname, '..', '..', 'examples');
const load = (...files: string[]) => files.map((f) => parseSnapshot(readFileSync(join(dir, f), 'utf8'), f));
const cluster = (set: string) => load(...[1, 2, 3].map((n) => `${set}/flnode${n}.netsnap`));
const source = (name: string, snapshots: Snapshot[]) =>
  new ClusterGraphSource(name, snapshots, analyze(snapshots));

describe('cluster graph', () => {
  it('tells peers that were merely not captured from stale leftovers (the seed snapshot)', () => {
    const g = source('', load('k8snode028.netsnap')).graph();
    const uncaptured = g.nodes.filter((n) => n.kind === 'uncaptured-peer');
    const stale = g.nodes.filter((n) => n.kind === 'stale-peer');
    // Every flannel route of the seed leads to a subnet no snapshot shows, and no finding faults them.
    expect(uncaptured.map((n) => n.id)).toContain('peer:10.27.13.0/24');
    expect(uncaptured.length).toBe(14);
    expect(uncaptured.every((n) => n.health === 'unknown')).toBe(true);
    expect(uncaptured[0]!.details.join('\n')).toContain('not captured');
    // The neighbour-stale finding cites the FDB entry to 10.18.19.129 (outside FLANNEL_NETWORK): a leftover.
    expect(stale.map((n) => n.id)).toEqual(['stale:10.18.19.129']);
    expect(g.stats).toMatchObject({ drawnTunnels: 0, uncaptured: 14, stale: 1 });
    // The tunnel to an uncaptured peer: this node's end from its own entries, the peer's end unknown.
    const tunnel = g.edges.find((e) => e.target === 'peer:10.27.13.0/24')!;
    expect(tunnel.ends!.map((e) => e.from)).toEqual(['k8snode028', '10.27.13.0/24']);
    expect(tunnel.ends![1]!.health).toBe('unknown');
  });

  it('tells the cause (the node whose VTEP MAC changed) from its victims', () => {
    const g = source('', cluster('cluster-vtep-mac-changed')).graph();
    const role = (id: string) => g.nodes.find((n) => n.id === id)!.role;
    expect(role('node:flnode3')).toBe('cause');
    expect(role('node:flnode1')).toBe('victim');
    expect(role('node:flnode2')).toBe('victim');
    expect(g.nodes.find((n) => n.id === 'node:flnode3')!.details[1]).toContain(
      "its peers' entries for it are wrong",
    );
    // A healthy cluster has no cause.
    expect(
      source('', cluster('cluster-healthy'))
        .graph()
        .nodes.some((n) => n.role !== undefined),
    ).toBe(false);
  });

  it('draws the healthy example as three healthy nodes and a full mesh of healthy tunnels', () => {
    const g = source('cluster-healthy', cluster('cluster-healthy')).graph();
    expect(g.nodes.map((n) => [n.id, n.health])).toEqual([
      ['node:flnode1', 'ok'],
      ['node:flnode2', 'ok'],
      ['node:flnode3', 'ok'],
    ]);
    expect(g.edges.map((e) => [e.id, e.health])).toEqual([
      ['tunnel:flnode1|flnode2', 'ok'],
      ['tunnel:flnode1|flnode3', 'ok'],
      ['tunnel:flnode2|flnode3', 'ok'],
    ]);
    expect(g.nodes[0]!.label).toBe('flnode1\n10.27.1.0/24\n10.18.19.11');
    expect(g.summary).toBe(false);
    expect(g.stats).toMatchObject({ nodes: 3, tunnels: 3, drawnTunnels: 3, unhealthyTunnels: 0 });
    // Each end's three entries, with the lines they were read from.
    const [ab] = g.edges[0]!.ends!;
    expect(ab!.route).toEqual({
      state: 'ok',
      text: '10.27.2.0/24 via 10.27.2.0 dev flannel.1',
      loc: { file: 'cluster-healthy/flnode1.netsnap', line: 6 },
    });
    expect(ab!.neighbour.state).toBe('ok');
    expect(ab!.fdb).toMatchObject({ state: 'ok', text: '42:32:74:de:02:02 dst 10.18.19.12' });
  });

  it('colours the tunnels to a node whose VTEP MAC changed, and shows its old MAC as a stale peer', () => {
    const g = source('x', cluster('cluster-vtep-mac-changed')).graph();
    const health = Object.fromEntries(g.edges.map((e) => [e.id, e.health]));
    expect(health).toEqual({
      'tunnel:flnode1|flnode2': 'ok',
      'tunnel:flnode1|flnode3': 'error',
      'tunnel:flnode2|flnode3': 'error',
      'stale-tunnel:flnode1|42:32:74:de:03:03': 'warning',
      'stale-tunnel:flnode2|42:32:74:de:03:03': 'warning',
    });
    const tunnel = g.edges.find((e) => e.id === 'tunnel:flnode1|flnode3')!;
    expect(tunnel.ends![0]!.neighbour).toMatchObject({
      state: 'wrong',
      text: "10.27.3.0 → 42:32:74:de:03:03, but flnode3's VTEP MAC is 42:32:74:de:33:99: flnode3 drops frames for another MAC",
    });
    // Clicking it leads to the first wrong entry.
    expect(tunnel.loc).toEqual(tunnel.ends![0]!.neighbour.loc);
    const stale = g.nodes.find((n) => n.kind === 'stale-peer')!;
    expect(stale.label).toBe('old VTEP 42:32:74:de:03:03 of flnode3');
    expect(g.nodes.filter((n) => n.kind === 'node').every((n) => n.health === 'error')).toBe(true);
  });

  it('past the full-mesh limit draws only unhealthy tunnels, plus the selected node’s on request', () => {
    const src = source('x', cluster('cluster-vtep-mac-changed'));
    const g = src.graph(undefined, 2);
    expect(g.summary).toBe(true);
    expect(g.edges.filter((e) => e.kind === 'tunnel').map((e) => e.id)).toEqual([
      'tunnel:flnode1|flnode3',
      'tunnel:flnode2|flnode3',
    ]);
    expect(g.stats.grouped).toBe(1);
    const selected = src.graph('flnode1', 2);
    expect(selected.edges.filter((e) => e.kind === 'tunnel').map((e) => e.id)).toContain(
      'tunnel:flnode1|flnode2',
    );
    expect(src.tunnelsOf('flnode2').map((e) => e.id)).toEqual([
      'tunnel:flnode1|flnode2',
      'tunnel:flnode2|flnode3',
    ]);
  });

  it('says unknown, not broken, when a listing is filtered', () => {
    // k8snode028 greps its arp and fdb listings: its routes' neighbours are unknown, never missing.
    const src = source('', load('k8snode028.netsnap'));
    const view = buildNodeGraph(src, 'k8snode028')!;
    const remotes = view.nodes.filter((n) => n.kind === 'remote-vtep' && !n.id.startsWith('remote:?'));
    expect(remotes.length).toBeGreaterThan(5);
    expect(remotes.some((n) => n.health === 'error')).toBe(false);
  });

  it('finds the tunnel state of a 60-node generated cluster with one route removed', () => {
    const n = 60;
    const texts = Array.from({ length: n }, (_, i) =>
      String(generateNodeSnapshot({ peers: n, veths: 2, self: i, host: `node${i}` })),
    );
    // node7 lost its route to node30's subnet (10.32.30.0/24).
    texts[7] = texts[7]!.replace(/^10\.32\.30\.0 .*\n/m, '');
    const snapshots = texts.map((t, i) => parseSnapshot(t, `c/node${i}.netsnap`));
    const g = source('c', snapshots).graph();
    expect(g.summary).toBe(true);
    expect(g.nodes.filter((x) => x.kind === 'node')).toHaveLength(n);
    expect(g.edges.filter((e) => e.kind === 'tunnel').map((e) => [e.id, e.health])).toEqual([
      ['tunnel:node30|node7', 'error'],
    ]);
    expect(g.stats).toMatchObject({ tunnels: (n * (n - 1)) / 2, unhealthyTunnels: 1 });
  });
});

describe('node graph', () => {
  it('holds the host’s VTEP, underlay, cni0 with its veth, and the remote VTEPs of its peers', () => {
    const g = buildNodeGraph(source('c', cluster('cluster-healthy')), 'flnode1')!;
    const byId = Object.fromEntries(g.nodes.map((n) => [n.id, n]));
    expect(byId['host:flnode1']!.kind).toBe('host');
    expect(byId['if:flannel.1']).toMatchObject({ kind: 'vtep', parent: 'host:flnode1' });
    expect(byId['if:eth0']).toMatchObject({ kind: 'underlay', parent: 'host:flnode1' });
    expect(byId['if:cni0']).toMatchObject({ kind: 'bridge', label: 'cni0  10.27.1.1/24  MTU 1450' });
    // Labelled with what matters on the packet's path: the VTEP's MAC, address and MTU; the underlay's.
    expect(byId['if:flannel.1']!.label).toMatch(
      /^flannel\.1\n([0-9a-f]{2}:){5}[0-9a-f]{2}\n10\.27\.1\.0\/32\nMTU 1450$/,
    );
    expect(byId['if:eth0']!.label).toMatch(/^eth0\n10\.18\.19\.11\/\d+\nMTU 1500$/);
    expect(byId['if:veth228c5a4c']).toMatchObject({ kind: 'veth', parent: 'if:cni0', veth: true });
    expect(byId['remote:flnode2']).toMatchObject({ kind: 'remote-vtep', health: 'ok' });
    // Drawn as the packet travels: VTEP → underlay (the underlay edge) → the peer's VTEP.
    expect(g.edges.find((e) => e.id === 'fdb:flnode3')).toMatchObject({
      source: 'if:eth0',
      target: 'remote:flnode3',
      label: '10.27.3.0/24',
    });
    expect(g.edges.find((e) => e.id === 'underlay:flnode1')?.label).toBe('local 10.18.19.11');
  });

  it('folds healthy veths past the limit into one group, unless expanded', () => {
    const text = String(generateNodeSnapshot({ peers: 5, veths: 100 }));
    const src = source('', [parseSnapshot(text, 'big.netsnap')]);
    const name = src.nodeNames()[0]!;
    const folded = buildNodeGraph(src, name)!;
    const group = folded.nodes.find((n) => n.kind === 'group')!;
    expect(group.label).toBe('100 more veth ports');
    expect(folded.nodes.filter((n) => n.kind === 'veth')).toHaveLength(0);
    expect(folded.stats.grouped).toBe(100);
    const expanded = buildNodeGraph(src, name, { expanded: true })!;
    expect(expanded.nodes.filter((n) => n.kind === 'veth')).toHaveLength(100);
    expect(100).toBeGreaterThan(VETH_LIMIT);
  });

  it('marks the elements whose lines a finding cites', () => {
    const g = buildNodeGraph(source('x', cluster('cluster-vtep-mac-changed')), 'flnode1')!;
    const remote = g.nodes.find((n) => n.id === 'remote:flnode3')!;
    expect(remote.health).toBe('error');
    expect(remote.problems).toBeGreaterThan(0);
    expect(remote.details.some((d) => d.startsWith('error neigh-mac-mismatch'))).toBe(true);
  });
});

describe('trace on the graph', () => {
  it('names the nodes and the tunnel each hop passes through', () => {
    const snapshots = cluster('cluster-healthy');
    const g = source('cluster-healthy', snapshots).graph();
    const hops = traceOnGraph(g, trace(snapshots, 'flnode1', '10.27.3.2'));
    const ids = hops.flatMap((h) => h.ids);
    expect(ids).toContain('node:flnode1');
    expect(ids).toContain('tunnel:flnode1|flnode3');
    expect(ids).toContain('node:flnode3');
    expect(hops.every((h) => h.text.length > 0)).toBe(true);
  });
});

describe('the webview page', () => {
  it('allows scripts only with the page’s nonce and styles only from the bundle’s origin', () => {
    const csp = graphCsp({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abc' });
    expect(csp).toBe(
      "default-src 'none'; img-src https://x.vscode-cdn.net data: blob:; style-src https://x.vscode-cdn.net; font-src https://x.vscode-cdn.net; script-src 'nonce-abc'",
    );
    const page = graphPage({ cspSource: 'o', nonce: 'n"<', scriptUri: 'a.js', styleUri: 'b"c.css' });
    expect(page).toContain('<script nonce="n&quot;&lt;" src="a.js"></script>');
    expect(page).toContain('id="__________cytoscape_stylesheet" href="b&quot;c.css"');
    expect(page).not.toContain('unsafe-inline');
  });
});
