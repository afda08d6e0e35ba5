// The filters (only problems, hide veths) and the search, applied to what cytoscape draws.

import type cytoscape from 'cytoscape';
import type { GraphEdge, GraphNode } from '../src/core/graph/types';
import { BOX_KINDS } from './layout';

export interface Filters {
  problemsOnly: boolean;
  hideVeths: boolean;
}

type Models = ReadonlyMap<string, GraphNode | GraphEdge>;

/** Hides what the filters leave out (an edge goes with either end); the boxes are refitted by the caller. */
export function hideFiltered(cy: cytoscape.Core, models: Models, { problemsOnly, hideVeths }: Filters): void {
  cy.batch(() => {
    const hide = (el: cytoscape.SingularElementArgument): boolean => {
      const m = models.get(el.id());
      if (m === undefined) return false;
      if (hideVeths && 'veth' in m && m.veth === true) return true;
      if (!problemsOnly) return false;
      if (BOX_KINDS.has(m.kind)) return false; // a box stays around the problems it holds
      return m.health === 'ok' || m.health === 'unknown';
    };
    const set = (el: cytoscape.SingularElementArgument, hidden: boolean) => {
      if (el.hasClass('hidden') !== hidden) el.toggleClass('hidden', hidden);
    };
    cy.nodes().forEach((n) => set(n, hide(n)));
    cy.edges().forEach((e) =>
      set(e, hide(e) || e.source().hasClass('hidden') || e.target().hasClass('hidden')),
    );
  });
}

/** Marks what matches the query (lower case) and fades the rest; returns how many matched. */
export function markMatches(cy: cytoscape.Core, models: Models, q: string): number {
  let count = 0;
  cy.batch(() => {
    cy.$('.match, .faded').removeClass('match faded');
    if (q === '') return;
    cy.elements().forEach((el) => {
      const m = models.get(el.id());
      const hit =
        m !== undefined &&
        (m.keys.some((k) => k.includes(q)) ||
          ('label' in m && typeof m.label === 'string' && m.label.toLowerCase().includes(q)));
      if (hit) count++;
      el.addClass(hit ? 'match' : 'faded');
    });
  });
  return count;
}
