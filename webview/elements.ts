// What cytoscape is given for each model element: its data (label with its marks, health, each tunnel
// direction's health, the family) and the size a box is fitted around.

import type cytoscape from 'cytoscape';
import type { GraphEdge, GraphNode } from '../src/core/graph/types';
import { BOX_KINDS, type Member } from './layout';
import { sizeOf } from './style';

/** The label drawn: the model's, then the problems (✖ errors, ⚠ warnings only) and the cause's mark. */
export function displayLabel(n: GraphNode): string {
  const marks: string[] = [];
  if (n.problems > 0) marks.push(`${n.health === 'error' ? '✖' : '⚠'} ${n.problems}`);
  if (n.role === 'cause') marks.push('◎ cause');
  return marks.length === 0 ? n.label : `${n.label}\n${marks.join('  ')}`;
}

/** No cytoscape parent: a node's box is drawn around it (see boxesOf). */
export function nodeData(n: GraphNode): cytoscape.NodeDataDefinition {
  const data: cytoscape.NodeDataDefinition = {
    id: n.id,
    kind: n.kind,
    display: displayLabel(n),
    health: n.health,
    problems: n.problems,
  };
  if (n.role !== undefined) data['role'] = n.role;
  return data;
}

export function edgeData(e: GraphEdge): cytoscape.EdgeDataDefinition {
  const data: cytoscape.EdgeDataDefinition = {
    id: e.id,
    source: e.source,
    target: e.target,
    kind: e.kind,
    health: e.health,
  };
  if (e.label !== undefined && e.label !== '') data['label'] = e.label;
  // Each direction's health: the source's entries carry A → B (the arrow at B), the target's B → A.
  if (e.ends !== undefined && e.ends.length === 2) {
    data['forward'] = e.ends[0]!.health;
    data['back'] = e.ends[1]!.health;
  }
  if (e.family !== undefined) data['family'] = e.family;
  return data;
}

export function sizeOfDefined(def: cytoscape.ElementDefinition): Omit<Member, 'position'> {
  const kind = def.data['kind'] as string;
  return BOX_KINDS.has(kind)
    ? { width: def.data['w'] as number, height: def.data['h'] as number, box: true }
    : sizeOf(kind);
}

/** Whether `a` already holds every value of `b`. */
export function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const k of Object.keys(b)) if (a[k] !== b[k]) return false;
  return true;
}
