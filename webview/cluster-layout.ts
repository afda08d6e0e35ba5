// The cluster view's placement when every label is drawn (up to the full-mesh limit): the nodes on a
// ring with each label outside it, pointing away from the centre, the ring grown until no two labels or
// nodes overlap; a single captured node sits at the left with the peers its entries lead to in a list of
// columns beside it, shaped to the panel. Labels are measured (canvas text metrics), not guessed.

import type { GraphModel, GraphNode } from '../src/core/graph/types';

export interface Position {
  x: number;
  y: number;
}

/** Where a label sits relative to its node. */
export interface LabelSide {
  halign: 'left' | 'center' | 'right';
  valign: 'top' | 'center' | 'bottom';
}

export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface ClusterPlacement {
  positions: Map<string, Position>;
  sides: Map<string, LabelSide>;
  /** Everything drawn, labels included: what the first view fits. */
  extent: Rect;
}

/** Gap between a node and its label, and around each label. */
export const LABEL_GAP = 4;
const PAD = 6;

export interface ClusterLayoutInput {
  graph: GraphModel;
  /** The label's size in model units (the stylesheet's font at zoom 1). */
  measure: (text: string) => Size;
  sizeOf: (kind: string) => Size;
  /** The label text drawn for a node. */
  labelOf: (n: GraphNode) => string;
  /** Width over height of the panel. */
  aspect: number;
}

/** The rectangle a node's label takes, given its side. */
export function labelRect(at: Position, node: Size, label: Size, side: LabelSide): Rect {
  const x1 =
    side.halign === 'right'
      ? at.x + node.width / 2 + LABEL_GAP
      : side.halign === 'left'
        ? at.x - node.width / 2 - LABEL_GAP - label.width
        : at.x - label.width / 2;
  const y1 =
    side.valign === 'bottom'
      ? at.y + node.height / 2 + LABEL_GAP
      : side.valign === 'top'
        ? at.y - node.height / 2 - LABEL_GAP - label.height
        : at.y - label.height / 2;
  return { x1, y1, x2: x1 + label.width, y2: y1 + label.height };
}

function nodeRect(at: Position, node: Size): Rect {
  return {
    x1: at.x - node.width / 2,
    y1: at.y - node.height / 2,
    x2: at.x + node.width / 2,
    y2: at.y + node.height / 2,
  };
}

function hit(a: Rect, b: Rect): boolean {
  return a.x1 - PAD < b.x2 && b.x1 - PAD < a.x2 && a.y1 - PAD < b.y2 && b.y1 - PAD < a.y2;
}

function union(rects: Iterable<Rect>): Rect {
  const out = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  for (const r of rects) {
    out.x1 = Math.min(out.x1, r.x1);
    out.y1 = Math.min(out.y1, r.y1);
    out.x2 = Math.max(out.x2, r.x2);
    out.y2 = Math.max(out.y2, r.y2);
  }
  return out.x1 === Infinity ? { x1: 0, y1: 0, x2: 0, y2: 0 } : out;
}

/** The side facing away from the centre at this angle. */
function outward(angle: number): LabelSide {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return {
    halign: c > 0.35 ? 'right' : c < -0.35 ? 'left' : 'center',
    valign: s > 0.35 ? 'bottom' : s < -0.35 ? 'top' : 'center',
  };
}

interface Item {
  node: GraphNode;
  size: Size;
  label: Size;
}

/** The ring order: the nodes by name, each outside peer right after the first node that leads to it. */
function ringOrder(graph: GraphModel): GraphNode[] {
  const members = graph.nodes.filter((n) => n.kind === 'node').sort((a, b) => (a.id < b.id ? -1 : 1));
  const after = new Map<string, GraphNode[]>();
  const placed = new Set(members.map((n) => n.id));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const e of graph.edges) {
    if (placed.has(e.target) || !placed.has(e.source)) continue;
    const peer = byId.get(e.target);
    if (peer === undefined) continue;
    placed.add(e.target);
    const list = after.get(e.source);
    if (list === undefined) after.set(e.source, [peer]);
    else list.push(peer);
  }
  const out = members.flatMap((m) => [m, ...(after.get(m.id) ?? [])]);
  for (const n of graph.nodes) if (!placed.has(n.id)) out.push(n);
  return out;
}

/** Whether any two of these labels or nodes overlap (a label may not cover another node either). */
function crowded(items: Item[], at: Position[], sides: LabelSide[]): boolean {
  const labels = items.map((it, i) => labelRect(at[i]!, it.size, it.label, sides[i]!));
  const nodes = items.map((it, i) => nodeRect(at[i]!, it.size));
  for (let i = 0; i < items.length; i++)
    for (let j = 0; j < items.length; j++) {
      if (i === j) continue;
      if (j > i && hit(labels[i]!, labels[j]!)) return true;
      if (hit(labels[i]!, nodes[j]!)) return true;
    }
  return false;
}

function ring(items: Item[]): { at: Position[]; sides: LabelSide[] } {
  const n = items.length;
  const angles = items.map((_, i) => (2 * Math.PI * i) / Math.max(1, n) - Math.PI / 2);
  const sides = angles.map(outward);
  const perimeter = items.reduce((sum, it) => sum + Math.min(it.label.width, it.label.height * 2) + 30, 0);
  let radius = Math.max(60, perimeter / (2 * Math.PI));
  let at = angles.map((a) => ({ x: radius * Math.cos(a), y: radius * Math.sin(a) }));
  for (let step = 0; step < 60 && n > 1 && crowded(items, at, sides); step++) {
    radius *= 1.08;
    at = angles.map((a) => ({ x: radius * Math.cos(a), y: radius * Math.sin(a) }));
  }
  return { at, sides };
}

/**
 * One node with the peers it leads to: the node at the left, its peers in columns to its right, as many
 * columns as make the block about as wide as the panel is, for its height.
 */
function list(centre: Item, peers: Item[], aspect: number): { at: Position[]; sides: LabelSide[] } {
  const rowH = Math.max(...peers.map((p) => Math.max(p.label.height, p.size.height))) + 2 * PAD + 2;
  const colW = Math.max(...peers.map((p) => p.size.width + LABEL_GAP + p.label.width)) + 3 * PAD + 8;
  const lead = centre.size.width / 2 + 90;
  let cols = 1;
  for (; cols < peers.length; cols++) {
    const rows = Math.ceil(peers.length / cols);
    if ((lead + cols * colW) / (rows * rowH) >= aspect) break;
  }
  const rows = Math.ceil(peers.length / cols);
  const at: Position[] = [{ x: 0, y: 0 }];
  const sides: LabelSide[] = [{ halign: 'center', valign: 'bottom' }];
  peers.forEach((p, i) => {
    const col = Math.floor(i / rows);
    const row = i % rows;
    at.push({ x: lead + col * colW + p.size.width / 2, y: (row - (rows - 1) / 2) * rowH });
    sides.push({ halign: 'right', valign: 'center' });
  });
  return { at, sides };
}

export function clusterPlacement(input: ClusterLayoutInput): ClusterPlacement {
  const { graph, measure, sizeOf, labelOf } = input;
  const order = ringOrder(graph);
  const items = order.map((node) => ({ node, size: sizeOf(node.kind), label: measure(labelOf(node)) }));
  const members = items.filter((it) => it.node.kind === 'node');
  const centre = members.length === 1 ? members[0] : undefined;
  const placed =
    centre !== undefined && items.length > 2
      ? (() => {
          const peers = items.filter((it) => it !== centre);
          const laid = list(centre, peers, input.aspect);
          items.splice(0, items.length, centre, ...peers);
          return laid;
        })()
      : ring(items);
  const positions = new Map<string, Position>();
  const sides = new Map<string, LabelSide>();
  const rects: Rect[] = [];
  items.forEach((it, i) => {
    const at = placed.at[i]!;
    const side = placed.sides[i]!;
    positions.set(it.node.id, at);
    sides.set(it.node.id, side);
    rects.push(nodeRect(at, it.size), labelRect(at, it.size, it.label, side));
  });
  return { positions, sides, extent: union(rects) };
}
