// The cytoscape side of the webview — the drawing: draws a GraphModel, updates it in place after an edit
// (only the elements that changed; positions stay), selection, trace highlighting, layouts and export.
// The boxes (boxes.ts), the filters and search (filters.ts) and the elements' data (elements.ts) are
// modules of their own.

import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';
import type { GraphLayout, TraceHopView } from '../src/core/graph/protocol';
import type { GraphEdge, GraphModel, GraphNode } from '../src/core/graph/types';
import { Boxes } from './boxes';
import { displayLabel, edgeData, nodeData, sameData, sizeOfDefined } from './elements';
import { type Filters, hideFiltered, markMatches } from './filters';
import { BOX_KINDS, boxAround, type Member, type Position, structuredPositions } from './layout';
import { type ClusterPlacement, clusterPlacement, type Rect } from './cluster-layout';
import { CLUSTER_FONT_SIZE, sizeOf, stylesheet } from './style';
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
const SMALL_KINDS = new Set(['veth', 'pod', 'node', 'stale-peer', 'uncaptured-peer']);

export interface GraphViewEvents {
  /** An element was clicked (or chosen); `element` is its model. */
  onSelect(element: GraphNode | GraphEdge | undefined): void;
  /** An element was double-clicked: open its line. */
  onOpen(element: GraphNode | GraphEdge): void;
  /** The user dragged nodes to new positions. */
  onMoved(positions: Record<string, Position>): void;
}

/** Runs a layout to its end. */
function run(layout: cytoscape.Layouts): Promise<void> {
  const done = new Promise<void>((resolve) => layout.one('layoutstop', () => resolve()));
  layout.run();
  return done;
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
  /** Whether the instance was made for a large graph (see LARGE). */
  private large = false;
  /** The theme the instance's stylesheet was made with (see setStyle). */
  private styleKey = '';
  /** The node view's boxes: which node is drawn in which, fitted around their members. */
  private readonly boxes = new Boxes((work) => this.placingNodes(work));
  /** Whether some element may be hidden by a filter, or marked by a search (cheaper than asking cytoscape). */
  private filtered = false;
  private highlighted = false;
  /** The viewport netsnap last fitted, while the user has not zoomed or panned away from it. */
  private fitted: { zoom: number; pan: cytoscape.Position } | undefined;
  /** The cluster's placement when drawn in full (see clusterPlacement): what a fit shows. */
  private placement: ClusterPlacement | undefined;
  /** Set while netsnap itself moves nodes: the handlers that keep boxes and members together stand aside. */
  private placing = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: GraphViewEvents,
  ) {
    // Cytoscape notices window resizes only; the panel (and the details beside it) resize on their own.
    // A view the user has not moved since netsnap fitted it is fitted again to the new size.
    new ResizeObserver(() => {
      const cy = this.cy;
      if (cy === undefined) return;
      cy.resize();
      if (
        this.fitted !== undefined &&
        cy.zoom() === this.fitted.zoom &&
        cy.pan().x === this.fitted.pan.x &&
        cy.pan().y === this.fitted.pan.y
      )
        this.fit();
    }).observe(container);
    // Made now, while the host builds the first graph, rather than after it arrives.
    this.instance(false);
  }

  model(id: string): GraphNode | GraphEdge | undefined {
    return this.models.get(id);
  }

  /** Draws a graph from scratch; `positions` (from a restored state) win over the computed ones. */
  render(graph: GraphModel, positions: Record<string, Position> = {}): void {
    // A trace still lighting up hops belongs to the graph drawn before (the instance is kept).
    for (const t of this.traceTimers) clearTimeout(t);
    this.traceTimers = [];
    this.graph = graph;
    this.models.clear();
    this.selectedTunnels.clear();
    for (const n of graph.nodes) this.models.set(n.id, n);
    for (const e of graph.edges) this.models.set(e.id, e);
    this.boxes.set(graph);
    const cluster = this.clusterPlacement(graph);
    const placed = cluster?.positions ?? structuredPositions(graph);
    const elements: cytoscape.ElementDefinition[] = [];
    const defined = new Map<string, cytoscape.ElementDefinition>();
    for (const n of graph.nodes) {
      const position = positions[n.id] ?? placed.get(n.id);
      const el: cytoscape.ElementDefinition = { group: 'nodes', data: nodeData(n) };
      const side = cluster?.sides.get(n.id);
      if (side !== undefined) Object.assign(el.data, side);
      if (position !== undefined) el.position = { ...position };
      elements.push(el);
      defined.set(n.id, el);
    }
    for (const id of this.boxes.order) {
      const el = defined.get(id)!;
      const members: Member[] = [];
      for (const m of this.boxes.membersOf.get(id) ?? []) {
        const def = defined.get(m);
        if (def?.position !== undefined) members.push({ position: def.position, ...sizeOfDefined(def) });
      }
      const box = boxAround(members, el.position ?? { x: 0, y: 0 });
      el.position = { x: box.x, y: box.y };
      el.data['w'] = box.w;
      el.data['h'] = box.h;
    }
    const restored = Object.keys(positions).length > 0;
    this.placement = restored ? undefined : cluster;
    const viewport =
      cluster !== undefined && !restored ? this.viewportOf(cluster.extent, 16) : this.viewportFor(elements);
    this.labelled = viewport.zoom >= LABEL_ZOOM;
    for (const el of elements) if (this.showsLabel(el.data['kind'] as string)) el.classes = 'labelled';
    for (const e of graph.edges) {
      const data = edgeData(e);
      // Up to the full mesh, each tunnel shows both directions' health as arrowheads (see style.ts).
      if (cluster !== undefined && data['forward'] !== undefined) data['both'] = true;
      elements.push({ group: 'edges', data });
    }
    const cy = this.instance(elements.length > LARGE);
    this.boxes.at.clear();
    this.filtered = false;
    this.highlighted = false;
    cy.batch(() => {
      cy.elements().remove();
      this.setStyle(cy);
      cy.add(elements);
      cy.viewport(viewport);
    });
    this.fitted = { zoom: cy.zoom(), pan: { ...cy.pan() } };
    for (const id of this.boxes.order) this.boxes.at.set(id, { ...defined.get(id)!.position! });
    this.applyFilters();
    this.applySearch();
  }

  /**
   * The cytoscape instance, kept from one graph to the next (its canvases, renderer and compiled style
   * cost a first frame dearly); made anew only when a graph crosses LARGE, whose rendering options are
   * fixed at construction.
   */
  private instance(large: boolean): cytoscape.Core {
    if (this.cy !== undefined && this.large === large) return this.cy;
    this.cy?.destroy();
    this.large = large;
    this.styleKey = '';
    this.cy = cytoscape({
      container: this.container,
      // The viewport comes from the positions netsnap computed: fitting would measure every label first.
      layout: { name: 'preset', fit: false },
      boxSelectionEnabled: false,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      motionBlur: false,
      pixelRatio: large ? 1 : 'auto',
      minZoom: 0.02,
      maxZoom: 4,
    });
    this.wire(this.cy);
    // The stylesheet is the same for every graph: compiled now, before a graph waits for it.
    this.setStyle(this.cy);
    return this.cy;
  }

  /** Shows or hides the small elements' labels for the current zoom (see LABEL_ZOOM). */
  private labelsFor(cy: cytoscape.Core): void {
    const want = cy.zoom() >= LABEL_ZOOM;
    if (want === this.labelled) return;
    this.labelled = want;
    cy.batch(() => {
      const small = cy.nodes().filter((n) => SMALL_KINDS.has(n.data('kind') as string));
      if (want) small.addClass('labelled');
      else small.removeClass('labelled');
    });
  }

  /** Whether a node of this kind shows its label at the current zoom (see LABEL_ZOOM). */
  private showsLabel(kind: string): boolean {
    return this.labelled || !SMALL_KINDS.has(kind);
  }

  private fitBoxes(from?: string): void {
    if (this.cy !== undefined) this.boxes.fit(this.cy, from);
  }

  /** Runs work that moves nodes itself: the handlers that keep boxes and members together stand aside. */
  private placingNodes<T>(work: () => T): T {
    const placing = this.placing;
    this.placing = true;
    try {
      return work();
    } finally {
      this.placing = placing;
    }
  }

  /** Gives the instance the stylesheet for the current theme, unless it has it already. */
  private setStyle(cy: cytoscape.Core): void {
    const theme = readTheme();
    const key = JSON.stringify(theme);
    if (key === this.styleKey) return;
    this.styleKey = key;
    cy.style(stylesheet(theme));
  }

  /**
   * The cluster drawn in full (not a summary): placed with every label measured and kept clear of the
   * others (see cluster-layout.ts).
   */
  private clusterPlacement(graph: GraphModel): ClusterPlacement | undefined {
    if (graph.view !== 'cluster' || graph.summary) return undefined;
    const font = `${CLUSTER_FONT_SIZE}px ${readTheme().font}`;
    const context = document.createElement('canvas').getContext('2d');
    if (context !== null) context.font = font;
    const measure = (text: string) => {
      const lines = text.split('\n');
      const width = Math.max(
        ...lines.map((l) => context?.measureText(l).width ?? l.length * CLUSTER_FONT_SIZE * 0.62),
      );
      // Cytoscape's line height for wrapped labels, with room for its rounding.
      return { width: Math.ceil(width) + 2, height: lines.length * CLUSTER_FONT_SIZE * 1.25 + 2 };
    };
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    return clusterPlacement({ graph, measure, sizeOf, labelOf: displayLabel, aspect: width / height });
  }

  /** Zoom (at most 1.6) and pan that show this rectangle with a margin of `margin` px. */
  private viewportOf(r: Rect, margin: number): { zoom: number; pan: cytoscape.Position } {
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    const zoom = Math.min(
      1.6,
      (width - 2 * margin) / Math.max(1, r.x2 - r.x1),
      (height - 2 * margin) / Math.max(1, r.y2 - r.y1),
    );
    return {
      zoom,
      pan: { x: width / 2 - ((r.x1 + r.x2) / 2) * zoom, y: height / 2 - ((r.y1 + r.y2) / 2) * zoom },
    };
  }

  /** Zoom and pan that show every positioned node and box (labels get a fixed margin rather than a measurement). */
  private viewportFor(elements: cytoscape.ElementDefinition[]): { zoom: number; pan: cytoscape.Position } {
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const el of elements) {
      const p = el.position;
      if (p === undefined) continue;
      // A box by its edges (its label above it comes with the margin), any other node by its centre.
      const w = ((el.data['w'] as number | undefined) ?? 0) / 2;
      const h = ((el.data['h'] as number | undefined) ?? 0) / 2;
      x1 = Math.min(x1, p.x - w);
      y1 = Math.min(y1, p.y - h);
      x2 = Math.max(x2, p.x + w);
      y2 = Math.max(y2, p.y + h);
    }
    if (x1 === Infinity) return { zoom: 1, pan: { x: 0, y: 0 } };
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
    cy.on('dbltap', 'node, edge', (event) => {
      const model = this.models.get(event.target.id());
      if (model !== undefined) this.events.onOpen(model);
    });
    cy.on('zoom', () => this.labelsFor(cy));
    // A box carries what it holds; a node moved by hand refits the boxes it sits in.
    cy.on('position', 'node', (event) => {
      if (this.placing) return;
      const node = event.target as cytoscape.NodeSingular;
      if (this.boxes.membersOf.has(node.id())) this.boxes.follow(node);
      const box = this.boxes.boxOf.get(node.id());
      if (box !== undefined) this.fitBoxes(box);
    });
    cy.on('dragfree', 'node', (event) => {
      const node = event.target as cytoscape.NodeSingular;
      // The node, what it holds, and the boxes it sits in (they were refitted).
      const moved = [node.id()];
      for (let i = 0; i < moved.length; i++)
        for (const m of this.boxes.membersOf.get(moved[i]!) ?? []) moved.push(m);
      for (let box = this.boxes.boxOf.get(node.id()); box !== undefined; box = this.boxes.boxOf.get(box))
        moved.push(box);
      const positions: Record<string, Position> = {};
      for (const id of moved) {
        const n = cy.getElementById(id);
        if (n.nonempty()) positions[id] = { ...n.position() };
      }
      this.placement = undefined;
      this.events.onMoved(positions);
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
    const boxBefore = this.boxes.boxOf;
    this.boxes.set(graph);
    const next = new Map<string, GraphNode | GraphEdge>();
    for (const n of graph.nodes) next.set(n.id, n);
    for (const e of graph.edges) next.set(e.id, e);
    let placed: Map<string, Position> | undefined;
    this.placingNodes(() =>
      cy.batch(() => {
        cy.elements().forEach((el) => {
          const id = el.id();
          if (!next.has(id) && !this.selectedTunnels.has(id)) el.remove();
        });
        for (const n of graph.nodes) {
          const data = nodeData(n);
          const existing = cy.getElementById(n.id);
          if (existing.nonempty()) {
            if (!sameData(existing.data() as Record<string, unknown>, data)) existing.data(data);
            // Now in another box (a port moved to another bridge, a pod found its veth): placed anew there.
            if (boxBefore.get(n.id) !== this.boxes.boxOf.get(n.id)) {
              placed ??= this.placed(graph);
              const position = placed.get(n.id);
              if (position !== undefined) existing.position({ ...position });
            }
            continue;
          }
          placed ??= this.placed(graph);
          const position = placed.get(n.id);
          const classes = this.showsLabel(n.kind) ? 'labelled' : '';
          // A new box's size until it is fitted below.
          if (BOX_KINDS.has(n.kind)) Object.assign(data, { w: 0, h: 0 });
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
      }),
    );
    this.fitBoxes();
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
    if (!problemsOnly && !hideVeths && !this.filtered) return;
    this.filtered = problemsOnly || hideVeths;
    hideFiltered(cy, this.models, this.filters);
    this.fitBoxes();
  }

  /** Highlights what matches a name, IP, CIDR or MAC; returns how many elements matched. */
  search(query: string): number {
    this.query = query.trim().toLowerCase();
    return this.applySearch();
  }

  private applySearch(): number {
    const cy = this.cy;
    if (cy === undefined) return 0;
    if (this.query === '' && !this.highlighted) return 0;
    this.highlighted = this.query !== '';
    return markMatches(cy, this.models, this.query);
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
  async layout(name: GraphLayout): Promise<void> {
    const cy = this.cy;
    const graph = this.graph;
    if (cy === undefined || graph === undefined) return;
    let options: cytoscape.LayoutOptions;
    if (name === 'structured') {
      const cluster = this.clusterPlacement(graph);
      const placed = cluster?.positions ?? structuredPositions(graph);
      options = {
        name: 'preset',
        positions: (n: cytoscape.NodeSingular) => placed.get(n.id()) ?? n.position(),
        fit: false,
      } as cytoscape.LayoutOptions;
    } else if (name === 'fcose') {
      options = {
        name: 'fcose',
        animate: false,
        quality: 'default',
        randomize: true,
        fit: false,
        nodeDimensionsIncludeLabels: false,
      } as cytoscape.LayoutOptions;
    } else {
      options = {
        name: 'dagre',
        rankDir: 'LR',
        animate: false,
        fit: false,
        nodeSep: 20,
        rankSep: 80,
      } as cytoscape.LayoutOptions;
    }
    const visible = cy.elements().not('.hidden');
    if (name === 'structured' || this.boxes.boxOf.size === 0) {
      this.placing = true;
      try {
        await run(visible.layout(options));
      } finally {
        this.placing = false;
      }
    } else {
      // Boxes (the node view's host and bridges) are laid out as one node each, their contents kept.
      const shadow = this.outerGraph(visible);
      try {
        await run(shadow.layout(options));
        this.placingNodes(() =>
          cy.batch(() => {
            shadow.nodes().forEach((n) => {
              cy.getElementById(n.id()).position({ ...n.position() });
            });
          }),
        );
      } finally {
        shadow.destroy();
      }
      for (const id of [...this.boxes.order].reverse()) this.boxes.follow(cy.getElementById(id));
    }
    this.fitBoxes();
    this.placement = name === 'structured' ? this.clusterPlacement(graph) : undefined;
    this.fit();
  }

  /** Where netsnap puts each node of this graph. */
  private placed(graph: GraphModel): Map<string, Position> {
    return this.clusterPlacement(graph)?.positions ?? structuredPositions(graph);
  }

  /**
   * A headless copy of what is not in a box, each box a node of its size, each edge drawn between the
   * outermost boxes (or nodes) that hold its ends: what a force or layered layout should place.
   */
  private outerGraph(visible: cytoscape.CollectionReturnValue): cytoscape.Core {
    const outermost = (id: string): string => {
      let at = id;
      for (let box = this.boxes.boxOf.get(at); box !== undefined; box = this.boxes.boxOf.get(at)) at = box;
      return at;
    };
    const elements: cytoscape.ElementDefinition[] = [];
    visible.nodes().forEach((n) => {
      if (this.boxes.boxOf.has(n.id())) return;
      elements.push({
        group: 'nodes',
        data: { id: n.id(), w: n.width(), h: n.height() },
        position: { ...n.position() },
      });
    });
    const linked = new Set<string>();
    visible.edges().forEach((e) => {
      const source = outermost(e.source().id());
      const target = outermost(e.target().id());
      const key = source < target ? `${source}\u0000${target}` : `${target}\u0000${source}`;
      if (source === target || linked.has(key)) return;
      linked.add(key);
      elements.push({ group: 'edges', data: { id: `outer:${linked.size}`, source, target } });
    });
    return cytoscape({
      headless: true,
      styleEnabled: true,
      elements,
      style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)' } }],
    });
  }

  /** Positions of every node, for the saved state after a layout. */
  positions(): Record<string, Position> {
    const out: Record<string, Position> = {};
    // No compound nodes: every node has a position of its own (boxes are refitted when restored).
    this.cy?.nodes().forEach((n) => {
      out[n.id()] = { ...n.position() };
    });
    return out;
  }

  restyle(): void {
    if (this.cy !== undefined) this.setStyle(this.cy);
  }

  /** Fits the graph to the panel: the cluster's measured placement while it is unmoved, else all that is drawn. */
  fit(): void {
    const cy = this.cy;
    if (cy === undefined) return;
    if (this.placement !== undefined) cy.viewport(this.viewportOf(this.placement.extent, 16));
    else cy.fit(undefined, 30);
    this.labelsFor(cy);
    this.fitted = { zoom: cy.zoom(), pan: { ...cy.pan() } };
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
