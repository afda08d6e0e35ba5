// Every bundled example and lab capture opens readable: at the initial fit no two labels overlap and
// every label is at least 10 px high on screen, measured from cytoscape's own bounding boxes, in a panel
// beside the editor (600 px) and in a wide one; screenshots of each in the light, dark and high-contrast
// themes land in test-results/webview/.

import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../src/core';
import { buildNodeGraph, ClusterGraphSource, type GraphModel } from '../../src/core/graph';
import {
  launchChromium,
  postedCount,
  preparePage,
  send,
  serveWebview,
  THEMES,
  type ThemeName,
  waitPosted,
} from './harness';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'webview');

/** The captures a user opens: each bundled example (a file or a folder) and each lab capture folder. */
function captures(): { name: string; files: string[] }[] {
  const out: { name: string; files: string[] }[] = [];
  const add = (dir: string, entry: string) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const files = readdirSync(path)
        .filter((f) => f.endsWith('.netsnap'))
        .map((f) => join(path, f));
      if (files.length > 0) out.push({ name: relative(ROOT, path), files });
    } else if (entry.endsWith('.netsnap')) out.push({ name: relative(ROOT, path), files: [path] });
  };
  const examples = join(ROOT, 'examples');
  for (const e of readdirSync(examples)) add(examples, e);
  const lab = join(ROOT, 'test', 'fixtures', 'lab');
  for (const e of readdirSync(lab)) if (e.startsWith('collected-')) add(lab, e);
  return out;
}

function sourceOf(files: string[]): ClusterGraphSource {
  const snapshots = files.map((f) => parseSnapshot(readFileSync(f, 'utf8'), relative(ROOT, f)));
  return new ClusterGraphSource('', snapshots, analyze(snapshots));
}

let browser: Browser;
let server: Server;
let url: string;

beforeAll(async () => {
  ({ url, server } = await serveWebview());
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function open(width: number, height: number, theme: ThemeName = 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await preparePage(page, undefined, theme);
  await page.goto(url);
  await waitPosted(page, 'ready');
  return page;
}

async function show(page: Page, graph: GraphModel): Promise<void> {
  const before = await postedCount(page);
  await send(page, { type: 'graph', graph, reason: 'open' });
  await waitPosted(page, 'rendered', before);
}

interface Label {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** On-screen height of one line of the label. */
  lineHeight: number;
}

/** Every label drawn, as cytoscape measures it on screen (rendered coordinates). */
function labels(page: Page): Promise<Label[]> {
  return page.evaluate(() => {
    const cy = window.__cy();
    const out: Label[] = [];
    cy.elements(':visible').forEach((el) => {
      // A label at the middle, and one by an edge's target end.
      for (const [property, which] of [
        ['label', { includeMainLabels: true, includeSourceLabels: false, includeTargetLabels: false }],
        ['target-label', { includeMainLabels: false, includeSourceLabels: false, includeTargetLabels: true }],
      ] as const) {
        const text = String(el.style(property) ?? '');
        if (text === '') continue;
        // Text cytoscape skips as too small to read still counts: it is a label the user cannot read.
        const box = el.renderedBoundingBox({
          includeNodes: false,
          includeEdges: false,
          includeLabels: true,
          includeOverlays: false,
          ...which,
        } as never);
        if (box.w === 0 || box.h === 0) continue;
        const lines = text.split('\n').length;
        out.push({ id: el.id(), x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2, lineHeight: box.h / lines });
      }
    });
    return out;
  });
}

function overlaps(list: Label[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push(`${a.id} × ${b.id}`);
    }
  return out;
}

describe('every capture opens readable', () => {
  for (const capture of captures()) {
    for (const [width, height] of [
      [600, 700],
      [1200, 800],
    ] as const) {
      it(`${capture.name}: cluster view at ${width}×${height}`, async () => {
        const source = sourceOf(capture.files);
        const graph = source.graph();
        const page = await open(width, height);
        try {
          await show(page, graph);
          const drawn = await labels(page);
          await page.screenshot({
            path: join(SHOTS, `readable-${capture.name.replaceAll('/', '_')}-${width}.png`),
          });
          expect(drawn.length).toBeGreaterThanOrEqual(graph.nodes.length);
          expect(overlaps(drawn)).toEqual([]);
          expect(drawn.filter((l) => l.lineHeight < 10).map((l) => `${l.id}: ${l.lineHeight}`)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }
});

describe('the node view reads left to right as the packet travels', () => {
  for (const theme of Object.keys(THEMES) as ThemeName[]) {
    it(`pods → veths → cni0 → the VTEP → the underlay → the peers' VTEPs (${theme} theme)`, async () => {
      const source = sourceOf(captures().find((c) => c.name.endsWith('k8snode028.netsnap'))!.files);
      const graph = buildNodeGraph(source, 'k8snode028')!;
      const page = await open(1200, 800, theme);
      try {
        await show(page, graph);
        const x = await page.evaluate(() => {
          const cy = window.__cy();
          const at = (selector: string) => cy.nodes(selector).map((n) => n.position('x'));
          return {
            pods: at('node[kind = "pod"]'),
            veths: at('node[kind = "veth"]'),
            cni0: cy.getElementById('if:cni0').boundingBox({}).x2,
            vtep: at('node[kind = "vtep"]'),
            underlay: at('node[kind = "underlay"]'),
            remotes: at('node[kind = "remote-vtep"]'),
          };
        });
        expect(x.pods.length).toBeGreaterThan(0);
        expect(Math.max(...x.pods)).toBeLessThan(Math.min(...x.veths));
        expect(Math.max(...x.veths)).toBeLessThan(x.cni0);
        expect(x.cni0).toBeLessThan(Math.min(...x.vtep));
        expect(Math.max(...x.vtep)).toBeLessThan(Math.min(...x.underlay));
        expect(Math.max(...x.underlay)).toBeLessThan(Math.min(...x.remotes));
        expect(overlaps(await labels(page))).toEqual([]);
        await page.locator('#legend-toggle').click();
        await page.screenshot({ path: join(SHOTS, `theme-${theme}-node-k8snode028.png`) });
        await send(page, { type: 'graph', graph: source.graph(), reason: 'open' });
        await page.waitForFunction(() => window.__cy().$('node[kind = "uncaptured-peer"]').length > 0);
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(SHOTS, `theme-${theme}-cluster.png`) });
      } finally {
        await page.close();
      }
    });
  }
});
