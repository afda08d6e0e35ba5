// The cytoscape side of the webview: draws a GraphModel, updates it in place after an edit (only the
// elements that changed; positions stay), filters, search, selection, trace highlighting and export.

import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';
import type { GraphLayout, TraceHopView } from '../src/core/graph/protocol';
import type { GraphEdge, GraphModel, GraphNode } from '../src/core/graph/types';
import { type Position, structuredPositions } from './layout';
import { stylesheet } from './style';
import { readTheme } from './theme';

cytoscape.use(fcose);
cytoscape.use(dagre);
cytoscape.use(svg);

/** Past this many elements the renderer trades detail for speed while panning and zooming. */
const LARGE = 400;
/**
 * Level of detail: below this zoom the many small elements (veths, pods, the nodes of a large cluster)
 * are drawn without their labels — unreadable at that size, and measuring and drawing hundreds of them
 * is most of a first render. Zooming in past it brings them back.
 */
const LABEL_ZOOM = 0.7;
const SMALL_KINDS = new Set(['veth', 'pod', 'node', 'stale-peer']);

export interface GraphViewEvents {
  /** An element was clicked (or chosen); `element` is its model. */
  onSelect(element: GraphNode | GraphEdge | undefined): void;
  /** The user dragged nodes to new positions. */
  onMoved(positions: Record<string, Position>): void;
}

export interface Filters {
  problemsOnly: boolean;
  hideVeths: boolean;
}

function displayLabel(n: GraphNode): string {
  return n.problems > 0 ? `${n.label}\n⚠ ${n.problems}` : n.label;
}

function nodeData(n: GraphNode): cytoscape.NodeDataDefinition {
  const data: cytoscape.NodeDataDefinition = {
    id: n.id,
    kind: n.kind,
    display: displayLabel(n),
    health: n.health,
    problems: n.problems,
  };
  if (n.parent !== undefined) data.parent = n.parent;
  return data;
}

function edgeData(e: GraphEdge): cytoscape.EdgeDataDefinition {
  const data: cytoscape.EdgeDataDefinition = {
    id: e.id,
    source: e.source,
    target: e.target,
    kind: e.kind,
    health: e.health,
  };
  if (e.label !== undefined && e.label !== '') data['label'] = e.label;
  return data;
}

function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const k of Object.keys(b)) if (a[k] !== b[k]) return false;
  return true;
}

export class GraphView {
  cy: cytoscape.Core | undefined;
  graph: GraphModel | undefined;
  private readonly models = new Map<string, GraphNode | GraphEdge>();
  /** Edges added for the selected node in a summary cluster view. */
  private selectedTunnels = new Set<string>();
  private filters: Filters = { problemsOnly: false, hideVeths: false };
  private query = '';
  private traceTimers: ReturnType<typeof setTimeout>[] = [];
  /** Whether the small elements show their labels at the current zoom (see LABEL_ZOOM). */
  private labelled = true;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: GraphViewEvents,
  ) {
    // Cytoscape notices window resizes only; the panel (and the details beside it) resize on their own.
    new ResizeObserver(() => this.cy?.resize()).observe(container);
  }

  model(id: string): GraphNode | GraphEdge | undefined {
    return this.models.get(id);
  }

  /** Draws a graph from scratch; `positions` (from a restored state) win over the computed ones. */
  render(graph: GraphModel, positions: Record<string, Position> = {}): void {
    this.cy?.destroy();
    this.graph = graph;
    this.models.clear();
    this.selectedTunnels.clear();
    for (const n of graph.nodes) this.models.set(n.id, n);
    for (const e of graph.edges) this.models.set(e.id, e);
    const placed = structuredPositions(graph);
    const elements: cytoscape.ElementDefinition[] = [];
    for (const n of graph.nodes) {
      const position = positions[n.id] ?? placed.get(n.id);
      elements.push(
        position === undefined
          ? { group: 'nodes', data: nodeData(n) }
          : { group: 'nodes', data: nodeData(n), position: { ...position } },
      );
    }
    const viewport = this.viewportFor(elements);
    this.labelled = (viewport.zoom ?? 1) >= LABEL_ZOOM;
    if (!this.labelled)
      for (const el of elements) if (SMALL_KINDS.has(el.data['kind'] as string)) el.classes = 'quiet';
    for (const e of graph.edges) elements.push({ group: 'edges', data: edgeData(e) });
    const large = elements.length > LARGE;
    this.cy = cytoscape({
      container: this.container,
      elements,
      style: stylesheet(readTheme(), { large, nodeView: graph.view === 'node' }),
      // The viewport comes from the positions netsnap computed: fitting would measure every label first.
      layout: { name: 'preset', fit: false },
      ...viewport,
      boxSelectionEnabled: false,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      motionBlur: false,
      pixelRatio: large ? 1 : 'auto',
      minZoom: 0.02,
      maxZoom: 4,
    });
    this.wire(this.cy);
    this.applyFilters();
    this.applySearch();
  }

  /** Zoom and pan that show every positioned node (labels get a fixed margin rather than a measurement). */
  private viewportFor(elements: cytoscape.ElementDefinition[]): { zoom?: number; pan?: cytoscape.Position } {
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const el of elements) {
      const p = el.position;
      if (p === undefined) continue;
      x1 = Math.min(x1, p.x);
      y1 = Math.min(y1, p.y);
      x2 = Math.max(x2, p.x);
      y2 = Math.max(y2, p.y);
    }
    if (x1 === Infinity) return {};
    const margin = 70;
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    const zoom = Math.min(2, width / (x2 - x1 + 2 * margin), height / (y2 - y1 + 2 * margin));
    return {
      zoom,
      pan: { x: width / 2 - ((x1 + x2) / 2) * zoom, y: height / 2 - ((y1 + y2) / 2) * zoom },
    };
  }

  private wire(cy: cytoscape.Core): void {
    cy.on('tap', 'node, edge', (event) => {
      this.events.onSelect(this.models.get(event.target.id()));
    });
    cy.on('tap', (event) => {
      if (event.target === cy) this.events.onSelect(undefined);
    });
    cy.on('zoom', () => {
      const want = cy.zoom() >= LABEL_ZOOM;
      if (want === this.labelled) return;
      this.labelled = want;
      cy.batch(() => {
        const small = cy.nodes().filter((n) => SMALL_KINDS.has(n.data('kind') as string));
        if (want) small.removeClass('quiet');
        else small.addClass('quiet');
      });
    });
    cy.on('dragfree', 'node', (event) => {
      const moved: Record<string, Position> = {};
      const node = event.target as cytoscape.NodeSingular;
      for (const n of node.union(node.descendants()).nodes()) moved[n.id()] = { ...n.position() };
      this.events.onMoved(moved);
    });
  }

  /** Re-renders after an edit: removes, adds and changes only what differs; kept nodes keep their place. */
  update(graph: GraphModel): void {
    const cy = this.cy;
    if (
      cy === undefined ||
      this.graph === undefined ||
      this.graph.view !== graph.view ||
      this.graph.node !== graph.node
    ) {
      this.render(graph);
      return;
    }
    this.graph = graph;
    const next = new Map<string, GraphNode | GraphEdge>();
    for (const n of graph.nodes) next.set(n.id, n);
    for (const e of graph.edges) next.set(e.id, e);
    let placed: Map<string, Position> | undefined;
    cy.batch(() => {
      cy.elements().forEach((el) => {
        const id = el.id();
        if (!next.has(id) && !this.selectedTunnels.has(id)) el.remove();
      });
      for (const n of graph.nodes) {
        const data = nodeData(n);
        const existing = cy.getElementById(n.id);
        if (existing.nonempty() && (existing.data('parent') ?? undefined) === data.parent) {
          if (!sameData(existing.data() as Record<string, unknown>, data)) existing.data(data);
          continue;
        }
        existing.remove();
        placed ??= structuredPositions(graph);
        const position = placed.get(n.id);
        const classes = !this.labelled && SMALL_KINDS.has(n.kind) ? 'quiet' : '';
        cy.add(
          position === undefined
            ? { group: 'nodes', data, classes }
            : { group: 'nodes', data, classes, position: { ...position } },
        );
      }
      for (const e of graph.edges) {
        const data = edgeData(e);
        const existing = cy.getElementById(e.id);
        if (
          existing.nonempty() &&
          existing.data('source') === e.source &&
          existing.data('target') === e.target
        ) {
          if (!sameData(existing.data() as Record<string, unknown>, data)) existing.data(data);
          continue;
        }
        existing.remove();
        cy.add({ group: 'edges', data });
      }
    });
    this.models.clear();
    for (const [id, m] of next) this.models.set(id, m);
    for (const id of this.selectedTunnels)
      if (!next.has(id) && cy.getElementById(id).empty()) this.selectedTunnels.delete(id);
    this.applyFilters();
    this.applySearch();
  }

  /** In a summary cluster view: shows the selected node's tunnels (and drops the previous node's). */
  showTunnels(edges: GraphEdge[]): void {
    const cy = this.cy;
    if (cy === undefined) return;
    cy.batch(() => {
      for (const id of this.selectedTunnels) cy.getElementById(id).remove();
      this.selectedTunnels.clear();
      for (const e of edges) {
        if (cy.getElementById(e.id).nonempty()) continue;
        if (cy.getElementById(e.source).empty() || cy.getElementById(e.target).empty()) continue;
        cy.add({ group: 'edges', data: edgeData(e) });
        this.models.set(e.id, e);
        this.selectedTunnels.add(e.id);
      }
    });
    this.applyFilters();
  }

  setFilters(filters: Filters): void {
    this.filters = filters;
    this.applyFilters();
  }

  private applyFilters(): void {
    const cy = this.cy;
    if (cy === undefined) return;
    const { problemsOnly, hideVeths } = this.filters;
    // Nothing to hide and nothing hidden: touching every element's classes would restyle them all.
    if (!problemsOnly && !hideVeths && cy.$('.hidden').empty()) return;
    cy.batch(() => {
      const hide = (el: cytoscape.SingularElementArgument): boolean => {
        const m = this.models.get(el.id());
        if (m === undefined) return false;
        if (hideVeths && 'veth' in m && m.veth === true) return true;
        if (!problemsOnly) return false;
        if (el.isNode() && el.isParent()) return false;
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

  /** Highlights what matches a name, IP, CIDR or MAC; returns how many elements matched. */
  search(query: string): number {
    this.query = query.trim().toLowerCase();
    return this.applySearch();
  }

  private applySearch(): number {
    const cy = this.cy;
    if (cy === undefined) return 0;
    const q = this.query;
    let count = 0;
    if (q === '' && cy.$('.match, .faded').empty()) return 0;
    cy.batch(() => {
      cy.$('.match, .faded').removeClass('match faded');
      if (q === '') return;
      cy.elements().forEach((el) => {
        const m = this.models.get(el.id());
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

  fitMatches(): void {
    const matches = this.cy?.$('.match');
    if (matches !== undefined && matches.nonempty()) this.cy?.fit(matches, 60);
  }

  /** Selects the elements the editor's cursor stands on, and brings them into view. */
  select(ids: string[]): GraphNode | GraphEdge | undefined {
    const cy = this.cy;
    if (cy === undefined) return undefined;
    cy.$(':selected').unselect();
    const elements = cy.collection();
    for (const id of ids) elements.merge(cy.getElementById(id));
    if (elements.empty()) return undefined;
    elements.select();
    const box = elements.renderedBoundingBox();
    if (box.x2 < 0 || box.y2 < 0 || box.x1 > cy.width() || box.y1 > cy.height()) cy.center(elements);
    return this.models.get(elements[0]!.id());
  }

  /** Lights the path up hop by hop; broken hops in the error colour. */
  showTrace(hops: TraceHopView[]): void {
    const cy = this.cy;
    if (cy === undefined) return;
    for (const t of this.traceTimers) clearTimeout(t);
    this.traceTimers = [];
    cy.elements().removeClass('trace trace-broken');
    hops.forEach((hop, i) => {
      this.traceTimers.push(
        setTimeout(() => {
          for (const id of hop.ids)
            cy.getElementById(id).addClass(hop.ok || hop.unknown ? 'trace' : 'trace-broken');
        }, 120 * i),
      );
    });
  }

  clearTrace(): void {
    for (const t of this.traceTimers) clearTimeout(t);
    this.cy?.elements().removeClass('trace trace-broken');
  }

  /** Runs a layout over what is drawn; `structured` puts everything back where netsnap places it. */
  layout(name: GraphLayout): Promise<void> {
    const cy = this.cy;
    const graph = this.graph;
    if (cy === undefined || graph === undefined) return Promise.resolve();
    let options: cytoscape.LayoutOptions;
    if (name === 'structured') {
      const placed = structuredPositions(graph);
      options = {
        name: 'preset',
        positions: (n: cytoscape.NodeSingular) => placed.get(n.id()) ?? n.position(),
        fit: true,
        padding: 30,
      } as cytoscape.LayoutOptions;
    } else if (name === 'fcose') {
      options = {
        name: 'fcose',
        animate: false,
        quality: 'default',
        randomize: true,
        fit: true,
        padding: 30,
        nodeDimensionsIncludeLabels: false,
      } as cytoscape.LayoutOptions;
    } else {
      options = {
        name: 'dagre',
        rankDir: 'LR',
        animate: false,
        fit: true,
        padding: 30,
        nodeSep: 20,
        rankSep: 80,
      } as cytoscape.LayoutOptions;
    }
    const visible = cy.elements().not('.hidden');
    const layout = visible.layout(options);
    const done = new Promise<void>((resolve) => layout.one('layoutstop', () => resolve()));
    layout.run();
    return done;
  }

  /** Positions of every node, for the saved state after a layout. */
  positions(): Record<string, Position> {
    const out: Record<string, Position> = {};
    this.cy?.nodes().forEach((n) => {
      if (!n.isParent()) out[n.id()] = { ...n.position() };
    });
    return out;
  }

  restyle(): void {
    const cy = this.cy;
    if (cy === undefined || this.graph === undefined) return;
    cy.style(
      stylesheet(readTheme(), { large: cy.elements().length > LARGE, nodeView: this.graph.view === 'node' }),
    );
  }

  fit(): void {
    this.cy?.fit(undefined, 30);
  }

  png(): string {
    return (
      this.cy?.png({
        output: 'base64uri',
        full: true,
        bg: readTheme().background,
        maxWidth: 8000,
        maxHeight: 8000,
      }) ?? ''
    );
  }

  svg(): string {
    const cy = this.cy as (cytoscape.Core & { svg(options: object): string }) | undefined;
    return cy?.svg({ full: true, bg: readTheme().background }) ?? '';
  }
}
