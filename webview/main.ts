// The graph webview: a toolbar of vscode-elements controls, the cytoscape canvas and a details panel.
// Talks to the extension host only through the typed messages of src/core/graph/protocol.ts. Snapshot
// text is data: it reaches the page as textContent and canvas text, never as HTML.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type {
  GraphLayout,
  GraphViewState,
  HostToWebview,
  TraceHopView,
  WebviewToHost,
} from '../src/core/graph/protocol';
import type { GraphEdge, GraphModel, GraphNode } from '../src/core/graph/types';
import { GraphView } from './graph-view';
import { fillLegend } from './legend';
import { watchTheme } from './theme';

const vscode = acquireVsCodeApi<GraphViewState>();

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

const DEFAULT_STATE: GraphViewState = {
  cluster: '',
  view: 'cluster',
  expanded: false,
  layout: 'structured',
  problemsOnly: false,
  hideVeths: false,
  search: '',
  positions: {},
};
let state: GraphViewState = { ...DEFAULT_STATE, ...(vscode.getState() ?? {}) };

function saveState(patch: Partial<GraphViewState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

function el(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * An option of a vscode-single-select; the chosen one says so itself, as the select's value cannot be set
 * before its options are slotted.
 */
function option(value: string, label: string, chosen: string): HTMLElement {
  return el('vscode-option', value === chosen ? { value, selected: '' } : { value }, label);
}

interface ValueElement extends HTMLElement {
  value: string;
}
interface CheckElement extends HTMLElement {
  checked: boolean;
}

// --- The page -------------------------------------------------------------------------------------------
// One row of compact controls (the view picker, a search field, the problems filter and icon buttons with
// tooltips); the less-used options sit in a menu behind "⋯".
const app = document.getElementById('app') ?? document.body;
const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Graph controls' });
const viewSelect = el('vscode-single-select', {
  id: 'view',
  title: 'Cluster or node view',
  'aria-label': 'View',
}) as ValueElement;
const search = el('vscode-textfield', {
  id: 'search',
  placeholder: 'Search IP, MAC, name…',
  title: 'Search',
  'aria-label': 'Search',
}) as ValueElement;
const problemsOnly = el('vscode-checkbox', {
  id: 'problems-only',
  label: 'Problems',
  title: 'Show only what has a problem',
}) as CheckElement;

/** A compact button: a symbol, with its name as tooltip and accessible name. */
function iconButton(id: string, symbol: string, name: string): HTMLElement {
  return el('vscode-button', { id, secondary: '', title: name, 'aria-label': name, class: 'icon' }, symbol);
}
const fitButton = iconButton('fit', '⤢', 'Fit the graph to the panel');
const legendButton = iconButton('legend-toggle', '☰', 'Legend: colours, shapes and lines');
const moreButton = iconButton('more', '⋯', 'More options');
moreButton.setAttribute('aria-haspopup', 'true');
moreButton.setAttribute('aria-expanded', 'false');
toolbar.append(viewSelect, search, problemsOnly, fitButton, legendButton, moreButton);

// The menu of less-used options.
const menu = el('div', { id: 'menu', class: 'menu', role: 'menu', 'aria-label': 'More options' });
menu.hidden = true;
const hideVeths = el('vscode-checkbox', { id: 'hide-veths', label: 'Hide veths' }) as CheckElement;
const expand = el('vscode-checkbox', { id: 'expand', label: 'Expand groups' }) as CheckElement;
const layoutSelect = el('vscode-single-select', {
  id: 'layout',
  title: 'Layout',
  'aria-label': 'Layout',
}) as ValueElement;
for (const [value, label] of [
  ['structured', 'Structured'],
  ['fcose', 'Force (fcose)'],
  ['dagre', 'Layered (dagre)'],
] as const)
  layoutSelect.append(option(value, label, state.layout));
const traceTo = el('vscode-textfield', {
  id: 'trace-to',
  placeholder: 'Trace to IP…',
  title: 'Trace from the selected node to an IP',
  'aria-label': 'Trace to IP',
}) as ValueElement;
const traceButton = el('vscode-button', { id: 'trace', secondary: '' }, 'Trace');
const pngButton = el('vscode-button', { id: 'export-png', secondary: '' }, 'Export PNG');
const svgButton = el('vscode-button', { id: 'export-svg', secondary: '' }, 'Export SVG');
const row = (...children: HTMLElement[]) => {
  const r = el('div', { class: 'menu-row' });
  r.append(...children);
  return r;
};
menu.append(
  row(hideVeths),
  row(expand),
  row(el('span', { class: 'menu-label' }, 'Layout'), layoutSelect),
  row(traceTo, traceButton),
  row(pngButton, svgButton),
);

function showMenu(open: boolean): void {
  menu.hidden = !open;
  moreButton.setAttribute('aria-expanded', String(open));
  if (open) (menu.querySelector('vscode-checkbox') as HTMLElement | null)?.focus();
}
moreButton.addEventListener('click', (event) => {
  event.stopPropagation();
  showMenu(menu.hidden);
});
menu.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    showMenu(false);
    moreButton.focus();
  }
});
document.addEventListener('click', (event) => {
  if (!menu.hidden && !event.composedPath().includes(menu)) showMenu(false);
});

const main = el('div', { class: 'main' });
const stage = el('div', { class: 'stage' });
const canvas = el('div', { id: 'graph', class: 'graph', 'aria-label': 'Network graph' });
const legend = el('div', { id: 'legend', class: 'legend', role: 'note', 'aria-label': 'Legend' });
legend.hidden = true;
stage.append(canvas, legend, menu);
const side = el('aside', { id: 'details', class: 'details', 'aria-live': 'polite', 'aria-label': 'Details' });
main.append(stage, side);
const status = el('div', { id: 'status', class: 'status' });
app.append(toolbar, main, status);
legendButton.addEventListener('click', () => {
  legend.hidden = !legend.hidden;
  legendButton.setAttribute('aria-pressed', String(!legend.hidden));
  if (!legend.hidden && view.graph !== undefined) fillLegend(legend, view.graph.view);
});

const view = new GraphView(canvas, {
  // A click selects and shows the details; the editor moves only on a double click or the details' link.
  onSelect: (element) => {
    showDetails(element);
    if (element === undefined) return;
    if (view.graph?.view === 'cluster' && view.graph.summary && 'kind' in element && element.kind === 'node')
      post({ type: 'selectNode', node: element.id.slice('node:'.length) });
  },
  onOpen: (element) => {
    if (element.loc !== undefined) post({ type: 'reveal', loc: element.loc });
  },
  onMoved: (moved) => saveState({ positions: { ...state.positions, ...moved } }),
});

// --- Details --------------------------------------------------------------------------------------------
let selected: GraphNode | GraphEdge | undefined;

function showDetails(element: GraphNode | GraphEdge | undefined): void {
  selected = element;
  side.replaceChildren();
  if (element === undefined) {
    side.append(
      el(
        'p',
        { class: 'hint' },
        'Click a node or a tunnel to see its entries here; double-click it to open its line in the editor.',
      ),
    );
    return;
  }
  const [title, ...rest] = element.details;
  const heading = el('h2', {}, title ?? element.id);
  side.append(heading);
  const list = el('ul');
  for (const line of rest)
    list.append(
      el(
        'li',
        { class: line.startsWith('error') ? 'error' : line.startsWith('warning') ? 'warning' : '' },
        line,
      ),
    );
  side.append(list);
  const actions = el('div', { class: 'actions' });
  if (element.loc !== undefined) {
    const loc = element.loc;
    const reveal = el(
      'vscode-button',
      { secondary: '', id: 'reveal', title: 'Open this line in the editor' },
      `Open line ${loc.line}`,
    );
    reveal.addEventListener('click', () => post({ type: 'reveal', loc }));
    actions.append(reveal);
  }
  if ('kind' in element && element.kind === 'node') {
    const name = element.id.slice('node:'.length);
    const open = el('vscode-button', { secondary: '' }, 'Open node view');
    open.addEventListener('click', () => openView('node', name));
    actions.append(open);
  }
  side.append(actions);
}

function showTraceResult(message: Extract<HostToWebview, { type: 'trace' }>): void {
  side.replaceChildren(
    el('h2', {}, `Trace ${message.from} → ${message.to}`),
    el('p', { class: message.delivered ? 'ok' : 'error' }, message.verdict),
  );
  const list = el('ol', { class: 'hops' });
  message.hops.forEach((hop: TraceHopView) => {
    const item = el('li', { class: hop.ok ? 'ok' : hop.unknown ? 'unknown' : 'error' }, hop.text);
    if (hop.loc !== undefined) {
      const loc = hop.loc;
      item.tabIndex = 0;
      item.addEventListener('click', () => post({ type: 'reveal', loc }));
    }
    list.append(item);
  });
  side.append(list);
  view.showTrace(message.hops);
}

function showStatus(graph: GraphModel, ms?: number): void {
  const s = graph.stats;
  const parts = [graph.title];
  if (graph.view === 'cluster') {
    parts.push(`${s.drawnTunnels} of ${s.tunnels} tunnels drawn`, `${s.unhealthyTunnels} unhealthy`);
    if ((s.uncaptured ?? 0) > 0) parts.push(`${s.uncaptured} peers not captured`);
    if ((s.stale ?? 0) > 0) parts.push(`${s.stale} stale leftovers`);
    if (graph.summary) parts.push('summary: click a node for its tunnels');
  } else {
    parts.push(`${s.drawnTunnels} remote VTEPs drawn`, `${s.unhealthyTunnels} unhealthy`);
    if (s.grouped > 0) parts.push(`${s.grouped} folded into groups`);
  }
  parts.push(`${s.errors} errors, ${s.warnings} warnings`);
  if (ms !== undefined) parts.push(`drawn in ${Math.round(ms)} ms`);
  status.textContent = parts.join(' · ');
}

// --- Controls -------------------------------------------------------------------------------------------
function fillViewSelect(graph: GraphModel): void {
  const current = graph.view === 'cluster' ? '' : (graph.node ?? '');
  viewSelect.replaceChildren(
    option('', 'Cluster', current),
    ...graph.nodeNames.map((n) => option(n, n, current)),
  );
}

function openView(kind: 'cluster' | 'node', node?: string): void {
  saveState({ view: kind, positions: {}, ...(node === undefined ? { node: undefined } : { node }) });
  post(
    node === undefined
      ? { type: 'open', view: kind, expanded: state.expanded }
      : { type: 'open', view: kind, node, expanded: state.expanded },
  );
}

viewSelect.addEventListener('change', () => {
  const value = viewSelect.value;
  if (value === '' && view.graph?.view !== 'cluster') openView('cluster');
  else if (value !== '' && value !== view.graph?.node) openView('node', value);
});
search.addEventListener('input', () => {
  const count = view.search(search.value);
  saveState({ search: search.value });
  search.title = search.value === '' ? 'Search' : `${count} match${count === 1 ? '' : 'es'}`;
});
search.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') view.fitMatches();
});
const applyFilters = () => {
  saveState({ problemsOnly: problemsOnly.checked, hideVeths: hideVeths.checked });
  view.setFilters({ problemsOnly: problemsOnly.checked, hideVeths: hideVeths.checked });
};
problemsOnly.addEventListener('change', applyFilters);
hideVeths.addEventListener('change', applyFilters);
expand.addEventListener('change', () => {
  saveState({ expanded: expand.checked });
  const graph = view.graph;
  if (graph !== undefined)
    post(
      graph.node === undefined
        ? { type: 'open', view: graph.view, expanded: expand.checked }
        : { type: 'open', view: graph.view, node: graph.node, expanded: expand.checked },
    );
});
layoutSelect.addEventListener('change', () => {
  const layout = layoutSelect.value as GraphLayout;
  void view
    .layout(layout)
    .then(() => saveState({ layout, positions: layout === 'structured' ? {} : view.positions() }));
});
function runTrace(): void {
  const to = traceTo.value.trim();
  const graph = view.graph;
  if (to === '' || graph === undefined) return;
  const from =
    graph.view === 'node'
      ? graph.node
      : selected !== undefined && 'kind' in selected && selected.kind === 'node'
        ? selected.id.slice('node:'.length)
        : undefined;
  if (from === undefined) {
    status.textContent = 'Select the node to trace from, then trace.';
    return;
  }
  post({ type: 'trace', from, to });
}
traceButton.addEventListener('click', runTrace);
traceTo.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') runTrace();
});
fitButton.addEventListener('click', () => view.fit());
// The view picker from the keyboard: Enter or Space opens it, the arrows move, Enter picks (the element's
// own); Alt+Up/Down anywhere steps to the previous or next view without opening it.
document.addEventListener('keydown', (event) => {
  if (!event.altKey || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
  const names = view.graph?.nodeNames ?? [];
  const views = ['', ...names];
  const at = views.indexOf(view.graph?.view === 'cluster' ? '' : (view.graph?.node ?? ''));
  const next = views[(at + (event.key === 'ArrowDown' ? 1 : views.length - 1)) % views.length];
  event.preventDefault();
  if (next === undefined) return;
  if (next === '') openView('cluster');
  else openView('node', next);
});
pngButton.addEventListener('click', () => post({ type: 'export', format: 'png', data: view.png() }));
svgButton.addEventListener('click', () => post({ type: 'export', format: 'svg', data: view.svg() }));
watchTheme(() => view.restyle());

// --- Messages from the host -----------------------------------------------------------------------------
/**
 * Resolves once cytoscape has drawn what it was given: its `render` event, emitted when a frame has been
 * drawn onto its canvases (the browser composites them with its next frame).
 */
function drawn(): Promise<void> {
  return new Promise((resolve) => {
    const cy = view.cy;
    if (cy === undefined) return resolve();
    // An update that changed nothing visible draws no frame: then the next animation frame will do.
    const timer = setTimeout(() => requestAnimationFrame(() => resolve()), 1000);
    cy.one('render', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Counts graphs received: a render still waiting for its frame must not report over a newer one. */
let graphsReceived = 0;

async function onGraph(message: Extract<HostToWebview, { type: 'graph' }>): Promise<void> {
  const started = performance.now();
  const mine = ++graphsReceived;
  const graph = message.graph;
  // What the view picker lists now (the view is about to hold the new graph).
  const listed = view.graph?.nodeNames;
  if (message.state !== undefined) saveState(message.state);
  const sameView =
    view.graph !== undefined &&
    view.graph.view === graph.view &&
    view.graph.node === graph.node &&
    view.graph.cluster === graph.cluster;
  if (message.reason === 'update' && sameView) view.update(graph);
  else {
    const restored =
      state.view === graph.view && state.node === graph.node && state.cluster === graph.cluster;
    view.setFilters({ problemsOnly: state.problemsOnly, hideVeths: state.hideVeths });
    view.render(graph, restored ? state.positions : {});
    if (!restored) saveState({ cluster: graph.cluster, view: graph.view, node: graph.node, positions: {} });
    if (state.search !== '') view.search(state.search);
    showDetails(undefined);
  }
  const built = performance.now();
  await drawn();
  if (mine !== graphsReceived) return;
  const ms = performance.now() - started;
  // The view picker lists every node: filled once the graph is on screen, so it never delays it; an edit
  // refills it only when the nodes changed.
  const sameNames =
    listed !== undefined &&
    listed.length === graph.nodeNames.length &&
    listed.every((name, i) => name === graph.nodeNames[i]);
  if (message.reason === 'open' || !sameView || !sameNames) fillViewSelect(graph);
  if (!legend.hidden) fillLegend(legend, graph.view);
  showStatus(graph, ms);
  post({
    type: 'rendered',
    reason: message.reason,
    ms,
    buildMs: built - started,
    nodes: view.cy?.nodes().length ?? 0,
    edges: view.cy?.edges().length ?? 0,
  });
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'graph':
      void onGraph(message);
      break;
    case 'select': {
      const element = view.select(message.ids);
      if (element !== undefined) showDetails(element);
      break;
    }
    case 'tunnels':
      view.showTunnels(message.edges);
      break;
    case 'trace':
      showTraceResult(message);
      break;
    case 'error':
      status.textContent = message.message;
      break;
  }
});

// Restore the controls, then ask for the graph.
problemsOnly.checked = state.problemsOnly;
hideVeths.checked = state.hideVeths;
expand.checked = state.expanded;
search.value = state.search;
showDetails(undefined);
post({ type: 'ready', state });
