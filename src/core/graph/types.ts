// Renderer-neutral graph elements: what the graph webview draws, built from the model and the analysis.
// Ids are stable across edits (names, MACs, IPs — never line numbers) so that an edit re-renders only the
// elements it changed and keeps the positions the user chose.

import type { Health } from '../analysis/chain';
import type { Severity } from '../model/types';

/** How an element looks: its worst finding, or the state of the entries it stands for. */
export type { Health } from '../analysis/chain';
export { worst } from '../analysis/chain';

/** A line of a snapshot, named by the snapshot's `file` (as findings name it). */
export interface GraphLoc {
  file: string;
  line: number;
}

export type GraphNodeKind =
  // cluster view
  | 'node'
  | 'stale-peer'
  // node view
  | 'host'
  | 'underlay'
  | 'vtep'
  | 'bridge'
  | 'interface'
  | 'veth'
  | 'pod'
  | 'remote-vtep'
  | 'filter'
  | 'group';

export type GraphEdgeKind = 'tunnel' | 'stale-tunnel' | 'port' | 'pod-link' | 'fdb' | 'underlay';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** First line: the name; further lines: addresses, subnet. Drawn as canvas text, never as HTML. */
  label: string;
  parent?: string;
  health: Health;
  /** Findings (errors and warnings) that touch this element. */
  problems: number;
  /** Where clicking it leads in the editor. */
  loc?: GraphLoc;
  /** Every line it stands for, so that a cursor on any of them selects it. */
  lines?: GraphLoc[];
  /** Lower-case texts search matches against: names, IPs, CIDRs, MACs. */
  keys: string[];
  /** Plain-text lines for the details panel. */
  details: string[];
  /** A veth (or group of them) the "hide veths" filter hides. */
  veth?: boolean;
}

export interface TunnelEnd {
  /** The node whose entries these are. */
  from: string;
  health: Health;
  /** Each of the three entries flannel writes for the peer, and what is wrong with it. */
  route: EntryState;
  neighbour: EntryState;
  fdb: EntryState;
  /** The peer is reached by a direct underlay route (flannel's DirectRouting): no tunnel entries needed. */
  direct?: boolean;
}

export interface EntryState {
  state: 'ok' | 'missing' | 'wrong' | 'stale' | 'unknown' | 'not-needed';
  /** What the entry says, or why it is wrong. */
  text: string;
  loc?: GraphLoc;
}

export interface GraphEdge {
  id: string;
  kind: GraphEdgeKind;
  source: string;
  target: string;
  health: Health;
  label?: string;
  loc?: GraphLoc;
  lines?: GraphLoc[];
  keys: string[];
  details: string[];
  /** For tunnels: both ends' route/neighbour/FDB triple. */
  ends?: TunnelEnd[];
  /** For tunnels: `inet6` for the IPv6 overlay's (`flannel-v6.<VNI>`); IPv4 when absent. */
  family?: 'inet' | 'inet6';
}

export interface GraphStats {
  nodes: number;
  /** Tunnels a full mesh has (n(n−1)/2) and how many are drawn. */
  tunnels: number;
  drawnTunnels: number;
  unhealthyTunnels: number;
  /** Elements folded into groups (veths, healthy peers) because there were too many to draw. */
  grouped: number;
  errors: number;
  warnings: number;
}

export interface GraphModel {
  view: 'cluster' | 'node';
  /** The cluster's folder (`` for the workspace root) and, for a node view, the node. */
  cluster: string;
  node?: string;
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  stats: GraphStats;
  /** The cluster is drawn in summary: only unhealthy tunnels and the selected node's. */
  summary: boolean;
  /** Other views one can switch to: the cluster and each node. */
  nodeNames: string[];
}

export function healthOf(severity: Severity): Health {
  return severity === 'info' ? 'ok' : severity;
}

function lineKey(file: string, line: number): string {
  return `${file}\u0000${line}`;
}

/**
 * The elements that stand for each snapshot line (their `lines`), built once per graph: findings, trace
 * hops and the editor's cursor are all looked up by line.
 */
export class LineIndex<E extends { lines?: GraphLoc[] }> {
  private readonly byLine = new Map<string, E[]>();

  constructor(elements: Iterable<E>) {
    for (const el of elements)
      for (const l of el.lines ?? []) {
        const key = lineKey(l.file, l.line);
        const list = this.byLine.get(key);
        if (list === undefined) this.byLine.set(key, [el]);
        else if (!list.includes(el)) list.push(el);
      }
  }

  at(file: string, line: number): readonly E[] {
    return this.byLine.get(lineKey(file, line)) ?? [];
  }
}
