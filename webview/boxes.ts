// The node view's boxes (the host around its interfaces and pods, a bridge around its ports): which box
// each node is drawn in, fitting a box around its shown members, and moving its members along with it.

import type cytoscape from 'cytoscape';
import type { GraphModel } from '../src/core/graph/types';
import { BOX_KINDS, boxAround, boxesOf, type Member, type Position } from './layout';
import { sizeOf } from './style';

export class Boxes {
  /** The box each node is drawn in (see boxesOf), each box's members, and the boxes innermost first. */
  boxOf = new Map<string, string>();
  membersOf = new Map<string, string[]>();
  order: string[] = [];
  /** Where each box was last put, so that its members follow when it moves. */
  readonly at = new Map<string, Position>();

  /** `placing` runs work that moves nodes, with the handlers that keep boxes and members together aside. */
  constructor(private readonly placingNodes: <T>(work: () => T) => T) {}

  set(graph: GraphModel): void {
    this.boxOf = boxesOf(graph);
    this.membersOf = new Map();
    for (const [member, box] of this.boxOf) {
      const list = this.membersOf.get(box);
      if (list === undefined) this.membersOf.set(box, [member]);
      else list.push(member);
    }
    const depth = (id: string): number => {
      const box = this.boxOf.get(id);
      return box === undefined ? 0 : 1 + depth(box);
    };
    this.order = graph.nodes
      .filter((n) => BOX_KINDS.has(n.kind))
      .map((n) => ({ id: n.id, depth: depth(n.id) }))
      .sort((a, b) => b.depth - a.depth)
      .map((b) => b.id);
  }

  /** Fits the boxes around their shown members: all of them, or `from` and the boxes it sits in. */
  fit(cy: cytoscape.Core, from?: string): void {
    const chain: string[] = [];
    for (let id = from; id !== undefined; id = this.boxOf.get(id)) chain.push(id);
    this.placingNodes(() =>
      cy.batch(() => {
        for (const id of from === undefined ? this.order : chain) {
          const node = cy.getElementById(id);
          if (node.empty()) continue;
          const members: Member[] = [];
          for (const memberId of this.membersOf.get(id) ?? []) {
            const m = cy.getElementById(memberId);
            if (m.empty() || m.hasClass('hidden')) continue;
            const kind = m.data('kind') as string;
            members.push({
              position: m.position(),
              ...(BOX_KINDS.has(kind)
                ? { width: m.data('w') as number, height: m.data('h') as number, box: true }
                : sizeOf(kind)),
            });
          }
          const at = node.position();
          const box = boxAround(members, at);
          if (at.x !== box.x || at.y !== box.y) node.position({ x: box.x, y: box.y });
          if (node.data('w') !== box.w || node.data('h') !== box.h) node.data({ w: box.w, h: box.h });
          this.at.set(id, { x: box.x, y: box.y });
        }
      }),
    );
  }

  /**
   * Moves what a box holds along with it (dragged by hand or by a layout), boxes inside it included;
   * what is being dragged along with the box (selected too) has moved already.
   */
  follow(box: cytoscape.NodeSingular): void {
    const id = box.id();
    const now = box.position();
    const last = this.at.get(id);
    this.at.set(id, { ...now });
    if (last === undefined) return;
    const shift = { x: now.x - last.x, y: now.y - last.y };
    if (shift.x === 0 && shift.y === 0) return;
    const cy = box.cy();
    this.placingNodes(() =>
      cy.batch(() => {
        const inside = [...(this.membersOf.get(id) ?? [])];
        for (let i = 0; i < inside.length; i++) {
          const memberId = inside[i]!;
          const member = cy.getElementById(memberId);
          // Dragged too: cytoscape moved it (and a dragged box moves its own members).
          if (member.grabbed()) continue;
          member.shift(shift);
          const at = this.at.get(memberId);
          if (at !== undefined) {
            this.at.set(memberId, { x: at.x + shift.x, y: at.y + shift.y });
            for (const m of this.membersOf.get(memberId) ?? []) inside.push(m);
          }
        }
      }),
    );
  }
}
