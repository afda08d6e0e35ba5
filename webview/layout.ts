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

  // Left to right as the packet travels: each bridge's pods and their veths (a grid of pod → veth cells),
  // then the VTEP, the underlay device, and the peers' VTEPs.
  const cellW = 170;
  const cellH = 72;
  /** A pod sits left of its veth in a cell. */
  const podOffset = -70;
  const bridges = own.filter((n) => n.kind === 'bridge');
  const grids = bridges.map((bridge) => {
    const ports = (children.get(bridge.id) ?? []).filter((n) => n.kind !== 'pod');
    const cols = Math.min(12, Math.max(1, Math.ceil(Math.sqrt(ports.length / 3))));
    return { bridge, ports, cols, rows: Math.ceil(ports.length / cols) };
  });
  const gridWidth = Math.max(cellW, ...grids.map((g) => g.cols * cellW));
  let top = -40;
  const placedPods = new Set<string>();
  for (const { bridge, ports, cols, rows } of grids) {
    if (ports.length === 0) {
      out.set(bridge.id, { x: gridWidth - cellW / 2, y: top });
      top += 110;
      continue;
    }
    ports.forEach((p, i) => {
      // Column-major and right-aligned: the veths nearest the VTEP fill first.
      const col = cols - 1 - Math.floor(i / rows);
      const x = gridWidth - cellW * (cols - col) + cellW - 30;
      const py = top + (i % rows) * cellH;
      out.set(p.id, { x, y: py });
      const pod = podOf.get(p.id);
      if (pod !== undefined) {
        out.set(pod, { x: x + podOffset, y: py });
        placedPods.add(pod);
      }
    });
    top += rows * cellH + 90;
  }
  // Pods whose veth is unknown: a row under the bridges.
  let x = 0;
  for (const n of own) {
    if (n.kind !== 'pod' || placedPods.has(n.id)) continue;
    out.set(n.id, { x, y: top });
    x += cellW;
  }
  // The VTEP, then the underlay device to its right; other interfaces and the firewall under the VTEP.
  const vtepX = gridWidth + 150;
  const underlayX = vtepX + 190;
  const vtep = own.find((n) => n.kind === 'vtep');
  const underlay = own.find((n) => n.kind === 'underlay');
  if (vtep !== undefined) out.set(vtep.id, { x: vtepX, y: 0 });
  if (underlay !== undefined) out.set(underlay.id, { x: underlayX, y: 0 });
  let y = 140;
  for (const n of own) {
    if (n.kind !== 'interface' && n.kind !== 'filter') continue;
    out.set(n.id, { x: vtepX, y });
    y += 70;
  }
  // Remote VTEPs: columns to the right of the underlay, centred on it.
  const remotes = graph.nodes.filter(
    (n) => n.parent === undefined && (n.kind === 'remote-vtep' || n.kind === 'group'),
  );
  remotes.sort(byHealthThenName);
  const perColumn = 18;
  remotes.forEach((n, i) => {
    const col = Math.floor(i / perColumn);
    const row = i % perColumn;
    const inColumn = Math.min(perColumn, remotes.length - col * perColumn);
    out.set(n.id, { x: underlayX + 330 + col * 190, y: (row - (inColumn - 1) / 2) * 78 });
  });
  return out;
}

export function structuredPositions(graph: GraphModel): Map<string, Position> {
  return graph.view === 'cluster' ? clusterPositions(graph) : nodeViewPositions(graph);
}

/** Kinds drawn as a box around other nodes: the host around its interfaces and pods, a bridge around its ports. */
export const BOX_KINDS = new Set<string>(['host', 'bridge']);

/**
 * The box each node is drawn in (node id → box id): its parent in the model, except that a pod on a
 * bridge's port sits in that bridge's box, under its veth. Boxes are plain nodes fitted around their
 * members, not cytoscape compound nodes: with any compound in the graph, cytoscape walks a compound's
 * descendants and parents again for every style property of every element, which made the first render
 * of a node with 250 veths take about twice as long.
 */
export function boxesOf(graph: GraphModel): Map<string, string> {
  const boxes = new Set(graph.nodes.filter((n) => BOX_KINDS.has(n.kind)).map((n) => n.id));
  const out = new Map<string, string>();
  for (const n of graph.nodes) if (n.parent !== undefined && boxes.has(n.parent)) out.set(n.id, n.parent);
  const kindOf = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  for (const e of graph.edges) {
    if (e.kind !== 'pod-link') continue;
    const box = out.get(e.target);
    if (box !== undefined && kindOf.get(box) === 'bridge') out.set(e.source, box);
  }
  return out;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A node a box is fitted around. */
export interface Member {
  position: Position;
  width: number;
  height: number;
  /** A box inside the box: its label is drawn above it. */
  box?: boolean;
}

/** A box with nothing shown in it. */
const EMPTY_BOX = { w: 44, h: 26 };
const BOX_PADDING = 14;
/** Room for two lines of a member's label: under the bottom row, or above a box inside the box. */
const LABEL_ROOM = 28;

/** A box fitted around its members; a small one at `at` when none is shown. */
export function boxAround(members: Iterable<Member>, at: Position): Box {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const m of members) {
    x1 = Math.min(x1, m.position.x - m.width / 2);
    y1 = Math.min(y1, m.position.y - m.height / 2 - (m.box === true ? LABEL_ROOM : 0));
    x2 = Math.max(x2, m.position.x + m.width / 2);
    y2 = Math.max(y2, m.position.y + m.height / 2);
  }
  if (x1 === Infinity) return { x: at.x, y: at.y, ...EMPTY_BOX };
  x1 -= BOX_PADDING;
  y1 -= BOX_PADDING;
  x2 += BOX_PADDING;
  y2 += BOX_PADDING + LABEL_ROOM;
  return { x: (x1 + x2) / 2, y: (y1 + y2) / 2, w: x2 - x1, h: y2 - y1 };
}
