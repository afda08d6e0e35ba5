// A trace (the core's hop list) laid onto a graph: each hop names the elements it passes through, so the
// webview can light the path up hop by hop. In the cluster view a hop is its node, and a change of node
// is the tunnel between them; in a node view a hop is every element that stands for its line.

import type { TraceResult } from '../analysis/trace';
import { nodeId } from './cluster';
import type { TraceHopView } from './protocol';
import { type GraphEdge, type GraphModel, type GraphNode, LineIndex } from './types';

function tunnelBetween(graph: GraphModel, a: string, b: string): string | undefined {
  const x = nodeId(a);
  const y = nodeId(b);
  return graph.edges.find((e) => (e.source === x && e.target === y) || (e.source === y && e.target === x))
    ?.id;
}

export function traceOnGraph(graph: GraphModel, result: TraceResult): TraceHopView[] {
  const index = new LineIndex<GraphNode | GraphEdge>([...graph.nodes, ...graph.edges]);
  const known = new Set(graph.nodes.map((n) => n.id));
  let previous: string | undefined;
  return result.hops.map((hop) => {
    const ids: string[] = [];
    if (graph.view === 'cluster') {
      if (previous !== undefined && previous !== hop.node) {
        const tunnel = tunnelBetween(graph, previous, hop.node);
        if (tunnel !== undefined) ids.push(tunnel);
      }
      if (known.has(nodeId(hop.node))) ids.push(nodeId(hop.node));
    } else if (hop.file !== undefined && hop.line !== undefined) {
      for (const el of index.at(hop.file, hop.line)) ids.push(el.id);
    }
    previous = hop.node;
    const view: TraceHopView = {
      text: `${hop.node}: ${hop.text}${hop.why === undefined ? '' : ` — ${hop.why}`}`,
      ok: hop.ok,
      unknown: hop.unknown === true,
      ids,
    };
    if (hop.file !== undefined && hop.line !== undefined) view.loc = { file: hop.file, line: hop.line };
    return view;
  });
}
