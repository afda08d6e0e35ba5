// netsnap's own placement, computed in one pass (no force simulation): the cluster on a circle — or, past
// the full-mesh limit, on concentric rings with the unhealthy nodes innermost — and a node's data plane
// in columns (VTEP and underlay, bridges with a grid of ports and their pods, remote VTEPs). Force and
// layered layouts stay available on demand; the first render never waits for one.

import type { GraphModel, GraphNode, Health } from '../src/core/graph/types';

export interface Position {
  x: number;
  y: number;
}

const HEALTH_ORDER: Record<Health, number> = { error: 0, warning: 1, unknown: 2, ok: 3 };

function byHealthThenName(a: GraphNode, b: GraphNode): number {
  return HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function clusterPositions(graph: GraphModel): Map<string, Position> {
  const out = new Map<string, Position>();
  const members = graph.nodes.filter((n) => n.kind === 'node');
  const spacing = 80;
  let outer: number;
  if (!graph.summary) {
    members.sort((a, b) => (a.id < b.id ? -1 : 1));
    const radius = Math.max(120, (members.length * spacing) / (2 * Math.PI));
    members.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, members.length) - Math.PI / 2;
      out.set(n.id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    });
    outer = radius;
  } else {
    members.sort(byHealthThenName);
    let ring = 0;
    let radius = 0;
    let capacity = 1;
    let placed = 0;
    for (const n of members) {
      if (placed === capacity) {
        ring++;
        radius = 110 * ring;
        capacity = Math.max(1, Math.floor((2 * Math.PI * radius) / spacing));
        placed = 0;
      }
      const angle = (2 * Math.PI * placed) / capacity + ring * 0.3;
      out.set(n.id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
      placed++;
    }
    outer = radius;
  }
  // Stale peers sit outside the ring, beside the first node that points at them.
  const firstSource = new Map<string, string>();
  for (const e of graph.edges)
    if (e.kind === 'stale-tunnel' && !firstSource.has(e.target)) firstSource.set(e.target, e.source);
  let k = 0;
  for (const n of graph.nodes) {
    if (n.kind !== 'stale-peer') continue;
    const from = out.get(firstSource.get(n.id) ?? '') ?? { x: 0, y: -outer };
    const angle = Math.atan2(from.y, from.x) + (k++ % 5) * 0.08;
    const r = outer + 140 + (k % 3) * 40;
    out.set(n.id, { x: r * Math.cos(angle), y: r * Math.sin(angle) });
  }
  return out;
}

function nodeViewPositions(graph: GraphModel): Map<string, Position> {
  const out = new Map<string, Position>();
  const children = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    if (n.parent === undefined) continue;
    const list = children.get(n.parent);
    if (list === undefined) children.set(n.parent, [n]);
    else list.push(n);
  }
  const podOf = new Map<string, string>();
  for (const e of graph.edges) if (e.kind === 'pod-link') podOf.set(e.target, e.source);
  const hostId = graph.nodes.find((n) => n.kind === 'host')?.id ?? '';
  const own = children.get(hostId) ?? [];

  // Column 1: the VTEP above the underlay, then the other interfaces.
  const vtep = own.find((n) => n.kind === 'vtep');
  const underlay = own.find((n) => n.kind === 'underlay');
  if (vtep !== undefined) out.set(vtep.id, { x: 0, y: 0 });
  if (underlay !== undefined) out.set(underlay.id, { x: 0, y: 150 });
  let y = 260;
  for (const n of own) {
    if (n.kind !== 'interface') continue;
    out.set(n.id, { x: 0, y });
    y += 60;
  }
  // Column 2: each bridge's ports in a grid, each pod under its veth.
  const cellW = 120;
  const cellH = 96;
  let top = -40;
  const placedPods = new Set<string>();
  for (const bridge of own.filter((n) => n.kind === 'bridge')) {
    const ports = (children.get(bridge.id) ?? []).filter((n) => n.kind !== 'pod');
    if (ports.length === 0) {
      out.set(bridge.id, { x: 260, y: top });
      top += 110;
      continue;
    }
    const cols = Math.min(16, Math.max(1, Math.ceil(Math.sqrt(ports.length * 1.5))));
    ports.forEach((p, i) => {
      const x = 260 + (i % cols) * cellW;
      const py = top + Math.floor(i / cols) * cellH;
      out.set(p.id, { x, y: py });
      const pod = podOf.get(p.id);
      if (pod !== undefined) {
        out.set(pod, { x, y: py + 44 });
        placedPods.add(pod);
      }
    });
    top += Math.ceil(ports.length / cols) * cellH + 90;
  }
  // Pods whose veth is unknown: a row under the bridges.
  let x = 260;
  for (const n of own) {
    if (n.kind !== 'pod' || placedPods.has(n.id)) continue;
    out.set(n.id, { x, y: top });
    x += cellW;
  }
  // Remote VTEPs: columns to the left of the VTEP, centred on it.
  const remotes = graph.nodes.filter(
    (n) => n.parent === undefined && (n.kind === 'remote-vtep' || n.kind === 'group'),
  );
  remotes.sort(byHealthThenName);
  const perColumn = 18;
  remotes.forEach((n, i) => {
    const col = Math.floor(i / perColumn);
    const row = i % perColumn;
    const inColumn = Math.min(perColumn, remotes.length - col * perColumn);
    out.set(n.id, { x: -300 - col * 170, y: (row - (inColumn - 1) / 2) * 78 });
  });
  return out;
}

export function structuredPositions(graph: GraphModel): Map<string, Position> {
  return graph.view === 'cluster' ? clusterPositions(graph) : nodeViewPositions(graph);
}
