// The graph webview bundle in headless Chromium, fed graphs the core builds from the bundled examples:
// what it draws, the colours findings give it, click → reveal, search, filters, summary mode, updates
// that keep positions, hostile names as text, and no CSP violation anywhere.

import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type cytoscape from 'cytoscape';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { analyze, parseSnapshot, type Snapshot } from '../../src/core';
import { buildNodeGraph, ClusterGraphSource, type GraphModel } from '../../src/core/graph';
import { launchChromium, postedCount, preparePage, send, serveWebview, THEME, waitPosted } from './harness';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview');

function load(...files: string[]): Snapshot[] {
  return files.map((f) => parseSnapshot(readFileSync(join(EXAMPLES, f), 'utf8'), f));
}

function source(cluster: string, snapshots: Snapshot[]): ClusterGraphSource {
  return new ClusterGraphSource(cluster, snapshots, analyze(snapshots));
}

const macChanged = () =>
  source(
    'cluster-vtep-mac-changed',
    load(...[1, 2, 3].map((n) => `cluster-vtep-mac-changed/flnode${n}.netsnap`)),
  );

let browser: Browser;
let server: Server;
let url: string;
let page: Page;

beforeAll(async () => {
  ({ url, server } = await serveWebview());
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on('dialog', (d) => void d.dismiss());
  await preparePage(page);
  await page.goto(url);
  await waitPosted(page, 'ready');
});

/** Sends a graph and waits until the webview says it is drawn. */
async function show(graph: GraphModel, reason: 'open' | 'update' = 'open'): Promise<number> {
  const before = await postedCount(page);
  await send(page, { type: 'graph', graph, reason });
  return (await waitPosted(page, 'rendered', before)).ms;
}

interface Drawn {
  nodes: string[];
  edges: string[];
  visibleEdges: string[];
  visibleNodes: string[];
}

function drawn(): Promise<Drawn> {
  return page.evaluate(() => {
    const cy = window.__cy();
    return {
      nodes: cy.nodes().map((n) => n.id()),
      edges: cy.edges().map((e) => e.id()),
      visibleNodes: cy.nodes(':visible').map((n) => n.id()),
      visibleEdges: cy.edges(':visible').map((e) => e.id()),
    };
  });
}

function styleOf(id: string, property: string): Promise<string> {
  return page.evaluate(
    ({ id, property }) => {
      const cy = window.__cy();
      return String(cy.getElementById(id).style(property));
    },
    { id, property },
  );
}

/** Clicks an element where it is drawn on the canvas, as a user would. */
async function click(id: string, clickCount = 1): Promise<void> {
  const at = await page.evaluate((id) => {
    const container = document.getElementById('graph')!;
    const cy = window.__cy();
    const el = cy.getElementById(id);
    const box = container.getBoundingClientRect();
    const p = el.isNode() ? el.renderedPosition() : (el as cytoscape.EdgeSingular).renderedMidpoint();
    return { x: box.left + p.x, y: box.top + p.y };
  }, id);
  await page.mouse.click(at.x, at.y, { clickCount });
}

/** Clicks a control of the "⋯" menu, opening the menu first. */
async function inMenu(selector: string): Promise<void> {
  if (await page.locator('#menu').isHidden()) await page.locator('#more').click();
  await page.locator(selector).click();
}

/** Picks a layout in the toolbar and waits until it has been applied (and saved in the state). */
async function chooseLayout(layout: string): Promise<void> {
  await page.evaluate((value) => {
    const select = document.getElementById('layout') as HTMLElement & { value: string };
    select.value = value;
    select.dispatchEvent(new Event('change'));
  }, layout);
  await page.waitForFunction(
    (value) => (window.__state as { layout?: string } | undefined)?.layout === value,
    layout,
  );
}

function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255})`;
}

async function noViolations(): Promise<void> {
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
}

describe('cluster view', () => {
  it('draws every node, tunnel and stale peer, coloured by the health of each tunnel', async () => {
    await show(macChanged().graph());
    const d = await drawn();
    expect(d.nodes.sort()).toEqual([
      'node:flnode1',
      'node:flnode2',
      'node:flnode3',
      'stale:42:32:74:de:03:03',
    ]);
    expect(d.edges.filter((e) => e.startsWith('tunnel:')).sort()).toEqual([
      'tunnel:flnode1|flnode2',
      'tunnel:flnode1|flnode3',
      'tunnel:flnode2|flnode3',
    ]);
    expect(d.edges.filter((e) => e.startsWith('stale-tunnel:'))).toHaveLength(2);
    // The MAC change broke the tunnels to flnode3 (error colour); flnode1 ⇄ flnode2 is healthy.
    expect(await styleOf('tunnel:flnode1|flnode3', 'line-color')).toBe(rgb(THEME['--vscode-charts-red']));
    expect(await styleOf('tunnel:flnode2|flnode3', 'line-color')).toBe(rgb(THEME['--vscode-charts-red']));
    expect(await styleOf('tunnel:flnode1|flnode2', 'line-color')).toBe(rgb(THEME['--vscode-charts-green']));
    // Each direction's health as an arrowhead: flnode1's entries for flnode3 are wrong (flnode1 → flnode3).
    expect(await styleOf('tunnel:flnode1|flnode3', 'target-arrow-color')).toBe(
      rgb(THEME['--vscode-charts-red']),
    );
    expect(await styleOf('tunnel:flnode1|flnode2', 'target-arrow-shape')).toBe('triangle');
    expect(await styleOf('stale-tunnel:flnode1|42:32:74:de:03:03', 'line-color')).toBe(
      rgb(THEME['--vscode-charts-yellow']),
    );
    expect(await page.locator('#status').textContent()).toContain('3 of 3 tunnels drawn · 2 unhealthy');
    await page.screenshot({ path: join(SHOTS, 'cluster-vtep-mac-changed.png') });
    await noViolations();
  });

  it('shows a clicked tunnel in the details, and reveals its evidence line on a double click', async () => {
    await show(macChanged().graph());
    const before = await postedCount(page);
    await click('tunnel:flnode1|flnode3');
    await expect.poll(() => page.locator('#details').textContent()).toContain('Tunnel flnode1 ⇄ flnode3');
    // A click moves no editor.
    expect((await page.evaluate(() => window.__posted)).slice(before).map((m) => m.type)).not.toContain(
      'reveal',
    );
    await click('tunnel:flnode1|flnode3', 2);
    const reveal = await waitPosted(page, 'reveal', before);
    // The first wrong entry: flnode1's neighbour entry for 10.27.3.0 still has the old MAC.
    expect(reveal.loc).toEqual({ file: 'cluster-vtep-mac-changed/flnode1.netsnap', line: 14 });
    const details = await page.locator('#details').textContent();
    expect(details).toContain('Tunnel flnode1 ⇄ flnode3: error');
    expect(details).toContain("flnode3's VTEP MAC is 42:32:74:de:33:99");
  });

  it('finds elements by IP, MAC or name, and filters to the problems', async () => {
    await show(macChanged().graph());
    await page.locator('#search input').fill('10.18.19.12');
    const matched = await page.evaluate(() => {
      const cy = window.__cy();
      return cy.$('.match').map((e) => e.id());
    });
    expect(matched).toEqual(['node:flnode2']);
    await page.locator('#search input').fill('');
    await page.locator('#problems-only').click();
    const d = await drawn();
    expect(d.visibleEdges).not.toContain('tunnel:flnode1|flnode2');
    expect(d.visibleEdges).toContain('tunnel:flnode1|flnode3');
    await noViolations();
  });

  it('in summary mode draws only unhealthy tunnels, and a clicked node asks for its own', async () => {
    const src = macChanged();
    await show(src.graph(undefined, 2));
    let d = await drawn();
    expect(d.edges.filter((e) => e.startsWith('tunnel:')).sort()).toEqual([
      'tunnel:flnode1|flnode3',
      'tunnel:flnode2|flnode3',
    ]);
    const before = await postedCount(page);
    await click('node:flnode1');
    const asked = await waitPosted(page, 'selectNode', before);
    expect(asked.node).toBe('flnode1');
    await send(page, { type: 'tunnels', node: 'flnode1', edges: src.tunnelsOf('flnode1') });
    await page.waitForFunction(() => document.querySelector('#graph') !== null);
    d = await drawn();
    expect(d.edges).toContain('tunnel:flnode1|flnode2');
  });

  it('re-renders an edit in place: a moved node keeps its position, a changed tunnel its new colour', async () => {
    const healthy = source(
      'cluster-healthy',
      load(...[1, 2, 3].map((n) => `cluster-healthy/flnode${n}.netsnap`)),
    );
    await show(healthy.graph());
    // Drag flnode2 somewhere else.
    const from = await page.evaluate(() => {
      const container = document.getElementById('graph')!;
      const cy = window.__cy();
      const p = cy.getElementById('node:flnode2').renderedPosition();
      const box = container.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 80, from.y + 60, { steps: 8 });
    await page.mouse.up();
    const position = () =>
      page.evaluate(() => {
        const cy = window.__cy();
        return cy.getElementById('node:flnode2').position();
      });
    const moved = await position();
    // The same cluster after an edit that deleted flnode1's route to flnode3.
    const text = readFileSync(join(EXAMPLES, 'cluster-healthy/flnode1.netsnap'), 'utf8').replace(
      /^10\.27\.3\.0 .*\n/m,
      '',
    );
    const edited = [
      parseSnapshot(text, 'cluster-healthy/flnode1.netsnap'),
      ...load('cluster-healthy/flnode2.netsnap', 'cluster-healthy/flnode3.netsnap'),
    ];
    await show(source('cluster-healthy', edited).graph(), 'update');
    expect(await position()).toEqual(moved);
    expect(await styleOf('tunnel:flnode1|flnode3', 'line-color')).toBe(rgb(THEME['--vscode-charts-red']));
    // The drag is remembered in the webview state (restored when the panel comes back).
    const state = (await page.evaluate(() => window.__state)) as { positions: Record<string, unknown> };
    expect(state.positions['node:flnode2']).toEqual(moved);
    // An edit that names another node (a snapshot added to the folder): the view picker lists it.
    const options = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('#view vscode-option')).map((o) => o.getAttribute('value')),
      );
    expect(await options()).not.toContain('flnode4');
    const more = source('cluster-healthy', edited).graph();
    more.nodeNames = [...more.nodeNames, 'flnode4'];
    await show(more, 'update');
    expect(await options()).toContain('flnode4');
  });
});

describe('controls', () => {
  it('exports the drawing as PNG and SVG through the host', async () => {
    await show(macChanged().graph());
    let before = await postedCount(page);
    await inMenu('#export-png');
    const png = await waitPosted(page, 'export', before);
    expect(png.format).toBe('png');
    expect(png.data.startsWith('data:image/png;base64,')).toBe(true);
    expect(png.data.length).toBeGreaterThan(2000);
    before = await postedCount(page);
    await inMenu('#export-svg');
    const svg = await waitPosted(page, 'export', before);
    expect(svg.format).toBe('svg');
    expect(svg.data).toContain('<svg');
    expect(svg.data).toContain('flnode3');
    await noViolations();
  });

  it('lays the graph out with fcose and dagre on demand, and back', async () => {
    await show(macChanged().graph());
    const positions = () =>
      page.evaluate(() => {
        const cy = window.__cy();
        return cy
          .nodes()
          .map((n) => `${n.id()}@${Math.round(n.position('x'))},${Math.round(n.position('y'))}`);
      });
    const structured = await positions();
    for (const layout of ['fcose', 'dagre', 'structured']) {
      await chooseLayout(layout);
      const now = await positions();
      if (layout === 'structured') expect(now).toEqual(structured);
      else expect(now).not.toEqual(structured);
    }
    await noViolations();
  });

  it('follows a theme change (high contrast) without a reload', async () => {
    await show(macChanged().graph());
    await page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-charts-red', '#ff0000');
      document.body.classList.remove('vscode-dark');
      document.body.classList.add('vscode-high-contrast');
    });
    await page.waitForFunction(() => {
      const cy = window.__cy();
      return cy.getElementById('tunnel:flnode1|flnode3').style('line-color') === 'rgb(255,0,0)';
    });
  });
});

describe('node view', () => {
  it('draws the host with its VTEP, bridges, veths, pods and remote VTEPs; hide veths hides them', async () => {
    const snapshots = load('k8snode028.netsnap');
    const graph = buildNodeGraph(source('', snapshots), 'k8snode028')!;
    await show(graph);
    const d = await drawn();
    expect(d.nodes).toContain('host:k8snode028');
    expect(d.nodes).toContain('if:flannel.1');
    expect(d.nodes).toContain('if:cni0');
    const veths = d.nodes.filter((n) => n.startsWith('if:veth'));
    expect(veths.length).toBe(graph.nodes.filter((n) => n.kind === 'veth').length);
    expect(veths.length).toBeGreaterThan(20);
    await page.screenshot({ path: join(SHOTS, 'node-k8snode028.png') });
    await inMenu('#hide-veths');
    const after = await drawn();
    expect(after.visibleNodes.filter((n) => n.startsWith('if:veth'))).toEqual([]);
    expect(after.visibleNodes).toContain('if:flannel.1');
    await noViolations();
  });

  it('keeps each interface, veth and pod inside its bridge and host: as drawn, dragged, filtered and laid out', async () => {
    const graph = buildNodeGraph(source('', load('k8snode028.netsnap')), 'k8snode028')!;
    await show(graph);
    // Every node the model puts in a box (its parent) is drawn inside that box.
    const pairsOf = (g: GraphModel) =>
      g.nodes.filter((n) => n.parent !== undefined).map((n) => [n.id, n.parent!]);
    const pairs = pairsOf(graph);
    const outside = (of = pairs) =>
      page.evaluate((pairs) => {
        const cy = window.__cy();
        return pairs.flatMap(([id, box]) => {
          const n = cy.getElementById(id!);
          if (n.hasClass('hidden')) return [];
          const a = n.boundingBox({ includeLabels: false });
          const b = cy.getElementById(box!).boundingBox({ includeLabels: false });
          return a.x1 >= b.x1 && a.x2 <= b.x2 && a.y1 >= b.y1 && a.y2 <= b.y2 ? [] : [`${id} outside ${box}`];
        });
      }, of);
    const geometry = () =>
      page.evaluate(() => {
        const cy = window.__cy();
        const at = (id: string) => ({ ...cy.getElementById(id).renderedPosition() });
        return {
          host: at('host:k8snode028'),
          vtep: at('if:flannel.1'),
          veth: at('if:veth0985a0b8'),
          cni0: at('if:cni0'),
          cni0Width: cy.getElementById('if:cni0').renderedWidth(),
          box: cy.getElementById('host:k8snode028').renderedBoundingBox({ includeLabels: false }),
        };
      });
    const drag = async (from: { x: number; y: number }, by: { x: number; y: number }) => {
      const box = (await page.locator('#graph').boundingBox())!;
      await page.mouse.move(box.x + from.x, box.y + from.y);
      await page.mouse.down();
      await page.mouse.move(box.x + from.x + by.x, box.y + from.y + by.y, { steps: 8 });
      await page.mouse.up();
    };
    expect(pairs.length).toBeGreaterThan(30);
    expect(await outside()).toEqual([]);

    // An edit moves a port from cni0 to docker0: it is placed anew in docker0, whose box stays clear of cni0.
    const edited = structuredClone(graph);
    const port = edited.nodes.filter((n) => n.kind === 'veth' && n.parent === 'if:cni0').at(-1)!;
    port.parent = 'if:docker0';
    await show(edited, 'update');
    expect(await outside(pairsOf(edited))).toEqual([]);
    expect(
      await page.evaluate(() => {
        const cy = window.__cy();
        const a = cy.getElementById('if:cni0').boundingBox({ includeLabels: false });
        const b = cy.getElementById('if:docker0').boundingBox({ includeLabels: false });
        return a.x2 < b.x1 || b.x2 < a.x1 || a.y2 < b.y1 || b.y2 < a.y1;
      }),
    ).toBe(true);
    await show(graph);
    expect(await outside()).toEqual([]);

    // The host dragged by an empty spot inside it: everything in it moves along.
    const before = await geometry();
    await drag({ x: before.box.x1 + 6, y: before.box.y2 - 6 }, { x: 40, y: -30 });
    const moved = await geometry();
    for (const key of ['host', 'vtep', 'veth', 'cni0'] as const) {
      expect(moved[key].x - before[key].x).toBeCloseTo(40, 0);
      expect(moved[key].y - before[key].y).toBeCloseTo(-30, 0);
    }
    expect(await outside()).toEqual([]);

    // Dragged with a node inside it selected too (cytoscape drags every selected node): each moves once.
    await page.evaluate(() => {
      const cy = window.__cy();
      cy.getElementById('host:k8snode028').select();
      cy.getElementById('if:flannel.1').select();
    });
    await drag({ x: moved.box.x1 + 6, y: moved.box.y2 - 6 }, { x: 20, y: 20 });
    const together = await geometry();
    for (const key of ['host', 'vtep', 'veth', 'cni0'] as const) {
      expect(together[key].x - moved[key].x).toBeCloseTo(20, 0);
      expect(together[key].y - moved[key].y).toBeCloseTo(20, 0);
    }
    await page.evaluate(() => {
      window.__cy().elements().unselect();
    });

    // A veth dragged out to the right: cni0 and the host grow around it.
    await drag(together.veth, { x: together.box.x2 - together.veth.x + 60, y: 0 });
    const grown = await geometry();
    expect(grown.cni0Width).toBeGreaterThan(together.cni0Width);
    expect(grown.box.x2).toBeGreaterThan(together.box.x2);
    expect(await outside()).toEqual([]);

    // Veths hidden: cni0 shrinks around what is left.
    await inMenu('#hide-veths');
    await page.waitForFunction(() => {
      const cy = window.__cy();
      return cy.getElementById('if:veth0985a0b8').hasClass('hidden');
    });
    expect((await geometry()).cni0Width).toBeLessThan(grown.cni0Width);
    expect(await outside()).toEqual([]);
    await inMenu('#hide-veths');

    // Force and layered layouts place the host as one block: its veths keep their place in cni0's grid.
    for (const layout of ['fcose', 'dagre']) {
      const offset = (g: Awaited<ReturnType<typeof geometry>>) => ({
        x: Math.round(g.veth.x - g.cni0.x),
        y: Math.round(g.veth.y - g.cni0.y),
      });
      const was = offset(await geometry());
      await chooseLayout(layout);
      expect(await outside()).toEqual([]);
      const now = await geometry();
      // The same offset at the new zoom.
      const scale = now.cni0Width / grown.cni0Width;
      expect(Math.abs(offset(now).x - was.x * scale)).toBeLessThan(2);
      expect(Math.abs(offset(now).y - was.y * scale)).toBeLessThan(2);
      grown.cni0Width = now.cni0Width;
    }
  });

  it('lets a click on a link inside the host reach the link, not the box around it', async () => {
    const graph = buildNodeGraph(macChanged(), 'flnode1')!;
    const underlay = graph.edges.find((e) => e.kind === 'underlay')!;
    await show(graph);
    // The node view's links are straight, with their labels (routes, addresses) along them.
    expect(await styleOf(underlay.id, 'curve-style')).toBe('straight');
    await click(underlay.id);
    await expect
      .poll(() => page.locator('#details').textContent())
      .toContain('flannel.1 sends VXLAN (UDP 8472) from 10.18.19.11 over eth0');
  });

  it('lights up a trace hop by hop', async () => {
    const src = macChanged();
    const graph = buildNodeGraph(src, 'flnode1')!;
    await show(graph);
    await send(page, {
      type: 'trace',
      from: 'flnode1',
      to: '10.27.3.5',
      delivered: false,
      verdict: 'Dropped',
      hops: [
        { text: 'route', ok: true, unknown: false, ids: ['if:flannel.1'] },
        { text: 'neighbour', ok: false, unknown: false, ids: ['remote:flnode3'] },
      ],
    });
    await page.waitForFunction(() => {
      const cy = window.__cy();
      return cy.getElementById('remote:flnode3').hasClass('trace-broken');
    });
    expect(await page.locator('#details').textContent()).toContain('Trace flnode1 → 10.27.3.5');
  });
});

describe('hostile input', () => {
  it('renders HTML and script in names as text, runs nothing, and breaks no CSP rule', async () => {
    const evil = `<img/src=x/onerror=window.__pwned=1>"q'${'x'.repeat(400)}`;
    const text = readFileSync(join(EXAMPLES, 'cluster-healthy/flnode1.netsnap'), 'utf8')
      .replaceAll('[root@flnode1 ~]#', `[root@${evil} ~]#`)
      .replaceAll('veth228c5a4c', 'v<script>window.__pwned=2</script>');
    const src = source('', [parseSnapshot(text, 'evil.netsnap')]);
    const cluster = src.graph();
    expect(cluster.nodeNames).toEqual([evil]);
    await show(cluster);
    await click(`node:${evil}`);
    expect(await page.locator('#details').textContent()).toContain(`Node ${evil}`);
    await show(buildNodeGraph(src, evil)!);
    await click('if:v<script>window.__pwned=2</script>');
    expect(await page.locator('#details').textContent()).toContain(
      'v<script>window.__pwned=2</script> (veth)',
    );
    await page.screenshot({ path: join(SHOTS, 'hostile.png') });
    // An exported SVG carries the names as escaped text, never as markup.
    const before = await postedCount(page);
    await inMenu('#export-svg');
    const svg = (await waitPosted(page, 'export', before)).data;
    expect(svg).toContain('v&lt;script&gt;window.__pwned=2&lt;/script&gt;');
    expect(svg).not.toContain('<script');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#app script').count()).toBe(0);
    await noViolations();
  });
});

describe('a narrow panel beside the editor', () => {
  it('keeps the toolbar to one row at 600 px and the details readable at 570 px', async () => {
    await page.setViewportSize({ width: 600, height: 700 });
    await show(macChanged().graph());
    const tops = await page.evaluate(() =>
      Array.from(document.querySelector('.toolbar')!.children).map((c) => {
        const r = c.getBoundingClientRect();
        return { id: c.id, top: Math.round(r.top), right: Math.round(r.right), height: r.height };
      }),
    );
    expect(tops.map((t) => t.id)).toEqual([
      'view',
      'search',
      'problems-only',
      'fit',
      'legend-toggle',
      'more',
    ]);
    expect(new Set(tops.map((t) => t.top)).size).toBe(1);
    expect(Math.max(...tops.map((t) => t.right))).toBeLessThanOrEqual(600);
    // Every icon button has a tooltip and a name.
    for (const id of ['fit', 'legend-toggle', 'more'])
      expect(await page.locator(`#${id}`).getAttribute('title')).toBeTruthy();

    await page.setViewportSize({ width: 570, height: 700 });
    await click('node:flnode3');
    await expect.poll(() => page.locator('#details').textContent()).toContain('Node flnode3');
    const sheet = (await page.locator('#details').boundingBox())!;
    expect(sheet.height).toBeGreaterThanOrEqual(150);
    expect(sheet.width).toBeGreaterThan(500);
    // The cause is told apart in its details, and the details' link reveals the line.
    expect(await page.locator('#details').textContent()).toContain('Cause:');
    const before = await postedCount(page);
    await page.locator('#reveal').click();
    expect((await waitPosted(page, 'reveal', before)).loc.file).toBe(
      'cluster-vtep-mac-changed/flnode3.netsnap',
    );
    await page.screenshot({ path: join(SHOTS, 'narrow-570.png') });
    await noViolations();
  });

  it('re-fits the graph when the panel is resized, unless the user moved the view', async () => {
    await page.setViewportSize({ width: 600, height: 700 });
    await show(macChanged().graph());
    const zoom = () => page.evaluate(() => window.__cy().zoom());
    const wide = await zoom();
    await page.setViewportSize({ width: 400, height: 420 });
    await expect.poll(zoom, { timeout: 10_000 }).toBeLessThan(wide * 0.8);
    // Zoomed by the user: a resize leaves the view alone.
    await page.evaluate(() => {
      window.__cy().zoom(0.5);
    });
    await page.setViewportSize({ width: 700, height: 700 });
    await page.waitForTimeout(300);
    expect(await zoom()).toBe(0.5);
  });

  it('switches views from the keyboard, and shows a legend for each view', async () => {
    await show(macChanged().graph());
    const before = await postedCount(page);
    await page.locator('#search input').focus();
    await page.keyboard.press('Alt+ArrowDown');
    const open = await waitPosted(page, 'open', before);
    expect(open).toMatchObject({ view: 'node', node: 'flnode1' });
    // The picker itself: focus, open with Enter, move with the arrows, pick with Enter.
    const after = await postedCount(page);
    await page.locator('#view').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect((await waitPosted(page, 'open', after)).view).toBe('node');

    await page.locator('#legend-toggle').click();
    const legend = await page.locator('#legend').textContent();
    expect(legend).toContain('peer not captured');
    expect(legend).toContain('stale leftover');
    expect(legend).toContain('cause');
    expect(legend).toContain('✖');
    expect(legend).toContain('⚠');
    await noViolations();
  });
});
