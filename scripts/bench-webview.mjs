// `npm run bench:webview`: the graph webview in headless Chromium (the test harness page, with the
// panel's CSP), next to plain cytoscape on the same elements measured in the same run:
//   - a cluster of 1,000 nodes with 3,000 drawn (unhealthy) tunnels: first render ≤ 1.5 s;
//   - a node view with 250 veths, all drawn, built by the core from a generated snapshot: ≤ 0.5 s;
//   - an edit that changes one node of the 1,000-node cluster, re-rendered in place: ≤ 200 ms;
//   - the webview bundle ≤ 1.5 MB.
// Each figure is the median of 3 runs in a fresh page. The issue set its targets where plain cytoscape
// drew the 1,000-node cluster in about 0.9 s with a concentric layout and 1.7 s with fcose; this run
// measures both baselines, takes the smaller of the two slow-downs as this machine's speed, and also
// gives each target scaled by it: a figure within the target or its scaled form is met (both printed). Misses are reported (fatal with --strict); a
// run that draws the wrong number of elements is broken and always fails.
/* global window, document, performance -- page.evaluate runs in the page */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { generateNodeSnapshot } from './generate-snapshot.mjs';

const require = createRequire(import.meta.url);
const core = require('../dist/core.js');
const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 1 : 3;
const TARGETS = { cluster: 1500, node: 500, edit: 200, bundleMB: 1.5 };
/** Plain cytoscape on the 1,000-node cluster, concentric and fcose layouts: ms where the targets were set. */
const REFERENCE = { concentric: 900, fcose: 1700 };

// Inside the repo, so that the bundled harness finds playwright-core in node_modules.
mkdirSync('node_modules/.cache', { recursive: true });
const work = mkdtempSync(join(process.cwd(), 'node_modules', '.cache', 'bench-webview-'));
// The harness (TypeScript) bundled for Node, and plain cytoscape with fcose bundled for the page.
await build({
  entryPoints: ['test/webview/harness.ts'],
  outfile: join(work, 'harness.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  external: ['playwright-core'],
  define: { __dirname: JSON.stringify(join(process.cwd(), 'test', 'webview')) },
  logLevel: 'warning',
});
writeFileSync(
  join(work, 'baseline-entry.mjs'),
  "import cytoscape from 'cytoscape'; import fcose from 'cytoscape-fcose'; cytoscape.use(fcose); window.cytoscape = cytoscape;\n",
);
await build({
  entryPoints: [join(work, 'baseline-entry.mjs')],
  outfile: join(work, 'baseline.js'),
  bundle: true,
  minify: true,
  platform: 'browser',
  format: 'iife',
  nodePaths: [join(process.cwd(), 'node_modules')],
  logLevel: 'warning',
});
writeFileSync(
  join(work, 'baseline.html'),
  '<!DOCTYPE html><html><body style="margin:0"><div id="cy" style="width:1200px;height:800px"></div><script src="/baseline.js"></script></body></html>',
);
const harness = await import(pathToFileURL(join(work, 'harness.mjs')).href);

/** The 1,000-node cluster in summary: node i's tunnels to i+1, i+2, i+3 are broken (3,000 drawn). */
function clusterGraph(n, changed = -1) {
  const nodes = [];
  const edges = [];
  for (let i = 0; i < n; i++) {
    const name = `node${String(i).padStart(4, '0')}`;
    const health = i === changed ? 'warning' : 'error';
    nodes.push({
      id: `node:${name}`,
      kind: 'node',
      label: `${name}\n10.${32 + (i >> 8)}.${i & 255}.0/24\n172.16.${i >> 8}.${i & 255}`,
      health,
      problems: i === changed ? 4 : 3,
      keys: [name],
      details: [`Node ${name}`],
      loc: { file: `${name}.netsnap`, line: 1 },
    });
  }
  for (let i = 0; i < n; i++)
    for (let k = 1; k <= 3; k++) {
      const a = `node${String(i).padStart(4, '0')}`;
      const b = `node${String((i + k) % n).padStart(4, '0')}`;
      edges.push({
        id: `tunnel:${a}|${b}`,
        kind: 'tunnel',
        source: `node:${a}`,
        target: `node:${b}`,
        health: 'error',
        keys: [],
        details: [],
      });
    }
  const tunnels = (n * (n - 1)) / 2;
  return {
    view: 'cluster',
    cluster: 'bench',
    title: `bench: ${n} nodes`,
    nodes,
    edges,
    summary: true,
    nodeNames: nodes.map((x) => x.id.slice(5)),
    stats: {
      nodes: n,
      tunnels,
      drawnTunnels: edges.length,
      unhealthyTunnels: edges.length,
      grouped: tunnels - edges.length,
      errors: 3 * n,
      warnings: 0,
    },
  };
}

/**
 * A node with 250 veths on cni0, through the core: parse → analysis → node graph. The target is for
 * every veth drawn (Expand groups); the view as it first opens folds the healthy ones past 64.
 */
function nodeGraph(expanded = true) {
  const text = generateNodeSnapshot({ peers: 40, veths: 250 });
  const snapshot = core.parseSnapshot(text, 'bignode.netsnap');
  const source = new core.ClusterGraphSource('', [snapshot], core.analyze([snapshot]));
  return core.buildNodeGraph(source, snapshot.nodes[0].name, { expanded });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The host's side for scale: a generated 300-node cluster (full mesh, one route removed) through the
 * core — analysis, then the cluster graph (every pair's triple checked on both ends).
 */
function hostSide(n = 300) {
  const snapshots = Array.from({ length: n }, (_, i) => {
    let text = generateNodeSnapshot({ peers: n, veths: 2, self: i, host: `node${i}` });
    if (i === 7) text = text.replace(/^10\.32\.30\.0 .*\n/m, '');
    return core.parseSnapshot(text, `c/node${i}.netsnap`);
  });
  let t = performance.now();
  const analysis = core.analyze(snapshots);
  const analysed = performance.now() - t;
  t = performance.now();
  const graph = new core.ClusterGraphSource('c', snapshots, analysis).graph();
  return { n, analysed, graphed: performance.now() - t, unhealthy: graph.stats.unhealthyTunnels };
}

const { url, server } = await harness.serveWebview({
  '/baseline.js': join(work, 'baseline.js'),
  '/baseline.html': join(work, 'baseline.html'),
});
const browser = await harness.launchChromium();

/**
 * Closes a page and lets the browser finish tearing it down (a page of thousands of elements keeps a core
 * busy for a while after it closes), so that it does not run into the next measurement on 2 cores.
 */
async function closeAndSettle(page) {
  await page.close();
  await delay(1000);
}

/** netsnap's webview: ms from the graph message to the first frame drawn, and what it drew. */
async function ours(graph, edit) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await harness.preparePage(page);
  await page.goto(url);
  await harness.waitPosted(page, 'ready');
  const count = await harness.postedCount(page);
  await harness.send(page, { type: 'graph', graph, reason: 'open' });
  const first = await harness.waitPosted(page, 'rendered', count);
  let update;
  if (edit !== undefined) {
    const after = await harness.postedCount(page);
    await harness.send(page, { type: 'graph', graph: edit, reason: 'update' });
    update = await harness.waitPosted(page, 'rendered', after);
  }
  await closeAndSettle(page);
  return { first, update };
}

/** Plain cytoscape with default style and the given layout on the same elements. */
async function plain(graph, layout) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(`${url}baseline.html`);
  const ms = await page.evaluate(
    async ({ graph, layout }) => {
      const elements = [
        ...graph.nodes.map((n) => ({
          data:
            n.parent === undefined
              ? { id: n.id, label: n.label }
              : { id: n.id, label: n.label, parent: n.parent },
        })),
        ...graph.edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target } })),
      ];
      const t0 = performance.now();
      const cy = window.cytoscape({
        container: document.getElementById('cy'),
        elements,
        layout: { name: layout, animate: false },
        style: [{ selector: 'node', style: { label: 'data(label)' } }],
      });
      // Measured as the webview measures itself: until cytoscape's first drawn frame (its `render` event).
      await new Promise((resolve) => cy.one('render', resolve));
      return performance.now() - t0;
    },
    { graph, layout },
  );
  await closeAndSettle(page);
  return ms;
}

const failures = [];
const broken = [];
const results = [];
try {
  const cluster = clusterGraph(1000);
  const edited = clusterGraph(1000, 17);
  const node = nodeGraph();
  const veths = node.nodes.filter((n) => n.kind === 'veth').length;
  if (veths < 250) broken.push(`the generated node view has ${veths} veths, not 250`);

  const clusterRuns = [];
  const editRuns = [];
  const nodeRuns = [];
  const foldedRuns = [];
  const folded = nodeGraph(false);
  const base = { concentric: [], fcose: [], node: [] };
  for (let r = 0; r < RUNS; r++) {
    const { first, update } = await ours(cluster, edited);
    if (first.nodes !== 1000 || first.edges !== 3000)
      broken.push(`cluster drew ${first.nodes} nodes, ${first.edges} edges`);
    clusterRuns.push(first.ms);
    editRuns.push(update.ms);
    if (QUICK) console.log('cluster', first, 'edit', update);
    base.concentric.push(QUICK ? 1 : await plain(cluster, 'concentric'));
    base.fcose.push(QUICK ? 1 : await plain(cluster, 'fcose'));
    const n = await ours(node);
    if (n.first.nodes !== node.nodes.length)
      broken.push(`node view drew ${n.first.nodes} of ${node.nodes.length} nodes`);
    nodeRuns.push(n.first.ms);
    foldedRuns.push((await ours(folded)).first.ms);
    if (QUICK) console.log('node', n.first);
    base.node.push(QUICK ? 1 : await plain(node, 'fcose'));
  }
  const c = median(clusterRuns);
  const e = median(editRuns);
  const nv = median(nodeRuns);
  const bc = median(base.concentric);
  const bf = median(base.fcose);
  const bn = median(base.node);
  const bundle = statSync('dist/webview/main.js').size / (1024 * 1024);
  // How much slower (or faster) than where the targets were set; no scaling without a baseline (--quick).
  const speed = QUICK ? 1 : Math.min(bc / REFERENCE.concentric, bf / REFERENCE.fcose);
  const judge = (name, ms, target) => {
    const scaled = target * speed;
    if (ms > target && ms > scaled)
      failures.push(`${name} ${ms.toFixed(0)} ms > ${target} (scaled to this machine: ${scaled.toFixed(0)})`);
    return `target ≤ ${target}; scaled to this machine ≤ ${scaled.toFixed(0)}: ${ms <= target ? 'met' : ms <= scaled ? 'met scaled only' : 'MISSED'}`;
  };
  results.push(
    `this machine: plain cytoscape draws the 1,000-node cluster in ${bc.toFixed(0)} ms (concentric) and ${bf.toFixed(0)} ms (fcose) against ${REFERENCE.concentric} and ${REFERENCE.fcose} ms where the targets were set: targets scaled by ${speed.toFixed(2)}`,
    `cluster 1,000 nodes / 3,000 edges, first render: ${c.toFixed(0)} ms (${judge('cluster first render', c, TARGETS.cluster)}); plain cytoscape: concentric ${bc.toFixed(0)} ms (${(c / bc).toFixed(2)}×), fcose ${bf.toFixed(0)} ms (${(c / bf).toFixed(2)}×)`,
    `node view, ${veths} veths all drawn (${node.nodes.length} nodes, ${node.edges.length} edges): ${nv.toFixed(0)} ms (${judge('node view', nv, TARGETS.node)}); plain cytoscape fcose ${bn.toFixed(0)} ms (${(nv / bn).toFixed(2)}×), ${(nv / bc).toFixed(2)}× the concentric cluster baseline (target ${(TARGETS.node / REFERENCE.concentric).toFixed(2)}×)`,
    `node view of the same node as it first opens (healthy veths folded into one group, ${folded.nodes.length} nodes): ${median(foldedRuns).toFixed(0)} ms`,
    `edit of one node in the 1,000-node cluster, re-rendered: ${e.toFixed(0)} ms (${judge('edit re-render', e, TARGETS.edit)}); ${(e / c).toFixed(2)}× a first render`,
    `webview bundle: ${bundle.toFixed(2)} MB (target ≤ ${TARGETS.bundleMB})`,
  );
  const host = hostSide();
  results.push(
    `host side, ${host.n}-node cluster: cluster graph built in ${host.graphed.toFixed(0)} ms after an analysis of ${host.analysed.toFixed(0)} ms (${(host.graphed / host.analysed).toFixed(2)}×)`,
  );
  if (host.unhealthy !== 1)
    broken.push(`the 300-node cluster with one route removed has ${host.unhealthy} unhealthy tunnels, not 1`);
  if (bundle > TARGETS.bundleMB) broken.push(`webview bundle ${bundle.toFixed(2)} MB > ${TARGETS.bundleMB}`);
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}

console.log(`\nwebview (headless Chromium, median of ${RUNS}):`);
for (const line of results) console.log(`  ${line}`);
const strict = process.argv.includes('--strict');
if (failures.length > 0) {
  console.log(
    `\nMISSED: ${failures.join('; ')}${strict ? '' : ' (reported; --strict makes a miss fail the run)'}`,
  );
  if (strict) process.exitCode = 1;
} else console.log('\nall webview targets met');
if (broken.length > 0) {
  console.log(`\nBROKEN: ${broken.join('; ')}`);
  process.exitCode = 1;
}
