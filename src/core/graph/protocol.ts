// The messages between the extension host and the graph webview: one typed union per direction, declared
// once here and imported by both sides (the webview bundle takes only these types).

import type { GraphEdge, GraphLoc, GraphModel } from './types';

/** What the webview remembers across reloads (`setState`) and the panel serializer restores. */
export interface GraphViewState {
  cluster: string;
  view: 'cluster' | 'node';
  node?: string | undefined;
  expanded: boolean;
  layout: GraphLayout;
  problemsOnly: boolean;
  hideVeths: boolean;
  search: string;
  /** Positions the user dragged elements to, by element id. */
  positions: Record<string, { x: number; y: number }>;
}

/** `structured`: netsnap's own placement (instant); `fcose`: force-directed; `dagre`: layered. */
export type GraphLayout = 'structured' | 'fcose' | 'dagre';

export interface TraceHopView {
  text: string;
  ok: boolean;
  unknown: boolean;
  /** The elements of the current graph this hop passes through, in order. */
  ids: string[];
  loc?: GraphLoc;
}

export type HostToWebview =
  | { type: 'graph'; graph: GraphModel; reason: 'open' | 'update'; state?: Partial<GraphViewState> }
  | { type: 'select'; ids: string[] }
  | { type: 'tunnels'; node: string; edges: GraphEdge[] }
  | { type: 'trace'; from: string; to: string; verdict: string; delivered: boolean; hops: TraceHopView[] }
  | { type: 'error'; message: string };

export type WebviewToHost =
  | { type: 'ready'; state?: GraphViewState }
  | { type: 'reveal'; loc: GraphLoc }
  | { type: 'open'; view: 'cluster' | 'node'; node?: string; expanded: boolean }
  | { type: 'selectNode'; node: string }
  | { type: 'trace'; from: string; to: string }
  | { type: 'export'; format: 'png' | 'svg'; data: string }
  | { type: 'rendered'; reason: string; ms: number; buildMs: number; nodes: number; edges: number };
