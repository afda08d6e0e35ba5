// One truth: for every ordered pair of nodes of every bundled cluster, lab capture and finding fixture,
// the findings, the trace, both graphs and the hover tell the same story about A's tunnel to B.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot, trace, type Finding, type Snapshot } from '../../src/core';
import { buildNodeGraph, ClusterGraphSource, type Health, worst } from '../../src/core/graph';
import { hoverAt, SnapshotWorkspace } from '../../src/core/language';

const ROOT = join(__dirname, '..', '..');

interface Case {
  name: string;
  files: { path: string; text: string }[];
}

function netsnapFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.netsnap'))
    .sort()
    .map((f) => join(dir, f));
}

function caseOf(dir: string): Case {
  return {
    name: relative(ROOT, dir),
    files: netsnapFiles(dir).map((path) => ({
      path: relative(ROOT, path),
      text: readFileSync(path, 'utf8'),
    })),
  };
}

/** Every folder that holds a cluster: the examples, the lab capture, every finding fixture case. */
function cases(): Case[] {
  const out = [
    caseOf(join(ROOT, 'examples', 'cluster-healthy')),
    caseOf(join(ROOT, 'examples', 'cluster-vtep-mac-changed')),
    caseOf(join(ROOT, 'test', 'fixtures', 'lab', 'healthy-3')),
  ];
  const fixtures = join(ROOT, 'test', 'fixtures', 'analysis');
  for (const code of readdirSync(fixtures)) {
    const dir = join(fixtures, code);
    if (!statSync(dir).isDirectory()) continue;
    for (const c of readdirSync(dir))
      if (statSync(join(dir, c)).isDirectory()) out.push(caseOf(join(dir, c)));
  }
  return out;
}

/** The reproduction of the issue: a wrong dst listed before the right one for flnode3's VTEP MAC. */
function wrongDstFirst(): Case {
  const base = caseOf(join(ROOT, 'examples', 'cluster-healthy'));
  const files = base.files.map((f) =>
    f.path.endsWith('flnode1.netsnap')
      ? {
          ...f,
          text: f.text.replace(
            '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13',
            '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.12 self permanent\n42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13',
          ),
        }
      : f,
  );
  return { name: 'cluster-healthy with a wrong dst first', files };
}

type Verdict = 'error' | 'warning' | 'unknown' | 'ok';

const CHAIN_CODES = new Set([
  'route-missing',
  'route-invalid',
  'neigh-missing',
  'neigh-incomplete',
  'neigh-mac-mismatch',
  'fdb-missing',
  'fdb-dst-mismatch',
]);

interface PairStory {
  pair: string;
  /** The tunnel both ways (the cluster graph's edge), which the node view's link to the peer draws too. */
  tunnel: Health;
  clusterGraph: Health;
  nodeGraph: Health | undefined;
  trace: Verdict | 'not compared';
  findings: Verdict;
  hover: Verdict | undefined;
}

function stories(c: Case): PairStory[] {
  const snapshots: Snapshot[] = c.files.map((f) => parseSnapshot(f.text, f.path));
  const analysis = analyze(snapshots);
  const source = new ClusterGraphSource(c.name, snapshots, analysis);
  const graph = source.graph(undefined, 1000);
  const ws = new SnapshotWorkspace();
  for (const f of c.files) ws.set(`file:///${f.path}`, f.text, f.path);
  const out: PairStory[] = [];
  const severity = (fs: Finding[]): Health =>
    fs.some((f) => f.severity === 'error')
      ? 'error'
      : fs.some((f) => f.severity === 'warning')
        ? 'warning'
        : 'ok';
  for (const edge of graph.edges) {
    if (edge.kind !== 'tunnel' || edge.ends === undefined) continue;
    const [a, b] = edge.id.slice('tunnel:'.length).split('|') as [string, string];
    for (const end of edge.ends) {
      const from = end.from;
      const to = from === a ? b : a;
      const view = source.view(from);
      const peer = source.peer(to);
      if (view === undefined || peer === undefined) continue;
      const nodeGraph = buildNodeGraph(source, from, { expanded: true });
      const remote = nodeGraph?.edges.find((e) => e.id === `fdb:${to}`);
      // The tunnel part of a trace to an address in B's subnet: the hops before B's own route.
      const target = peer.view?.host.pods[0]?.interfaces.flatMap((i) => i.addresses)[0]?.address;
      const ip = target ?? peer.subnet.network.replace(/\.0$/, '.2');
      const hops = trace(snapshots, from, ip).hops;
      const cut = hops.findIndex((h, i) => i > 0 && (h.kind === 'route' || h.kind === 'bridge'));
      const tunnelHops = cut === -1 ? hops : hops.slice(0, cut);
      const traceVerdict: Verdict = tunnelHops.some((h) => !h.ok && h.unknown !== true)
        ? 'error'
        : tunnelHops.some((h) => h.unknown === true)
          ? 'unknown'
          : 'ok';
      const lines = new Set(
        [end.route.loc, end.neighbour.loc, end.fdb.loc]
          .filter((l) => l !== undefined && l.file === view.file)
          .map((l) => l!.line),
      );
      for (const f of view.vtepFdb.get(peer.vtepMac ?? '') ?? []) lines.add(f.loc.line);
      const owned = source.peers.bySubnet.get(peer.subnet.cidr) === peer;
      const mine = analysis.findings.filter(
        (f: Finding) =>
          (f.node === from &&
            f.file === view.file &&
            CHAIN_CODES.has(f.code) &&
            (lines.has(f.line) || f.message.includes(peer.subnet.cidr))) ||
          (!owned && f.code === 'subnet-duplicate' && f.node === to),
      );
      // The node view also colours its link by any finding on the lines it stands for.
      const onLink = analysis.findings.filter(
        (f) => f.severity !== 'info' && remote?.lines?.some((l) => l.file === f.file && l.line === f.line),
      );
      const findings: Verdict = mine.some((f) => f.severity === 'error')
        ? 'error'
        : mine.some((f) => f.severity === 'warning')
          ? 'warning'
          : 'ok';
      // The hover on the route's first word (the destination) tells the chain's verdict in its title.
      let hover: Verdict | undefined;
      const route = view.routesByDst.get(peer.subnet.cidr)?.find((r) => r.dev === view.vtepName);
      if (route !== undefined) {
        const parts = hoverAt(ws, `file:///${view.file}`, route.loc.line, 0)?.parts ?? [];
        const title = parts.find((p) => p.kind === 'list' && p.title.startsWith(`Path from ${from}`));
        const text = title?.kind === 'list' ? title.title : '';
        hover = text.includes('BROKEN')
          ? 'error'
          : text.includes('cannot tell')
            ? 'unknown'
            : text.includes('with a warning')
              ? 'warning'
              : text.includes('reached')
                ? 'ok'
                : undefined;
      }
      out.push({
        pair: `${c.name}: ${from} → ${to}`,
        tunnel: [edge.health, severity(onLink)].reduce(worst),
        clusterGraph: end.health,
        nodeGraph: remote?.health,
        // A subnet two nodes claim is traced and hovered by address, which leads to its first owner.
        trace: owned ? traceVerdict : 'not compared',
        findings,
        hover: owned ? hover : undefined,
      });
    }
  }
  return out;
}

/** What every view must say, given the cluster graph's health for that end. */
function agreed(s: PairStory): Omit<PairStory, 'pair'> {
  const h = s.clusterGraph;
  return {
    tunnel: s.tunnel,
    clusterGraph: h,
    nodeGraph: s.nodeGraph === undefined ? undefined : s.tunnel,
    trace:
      s.trace === 'not compared' ? s.trace : h === 'error' ? 'error' : h === 'unknown' ? 'unknown' : 'ok',
    findings: h === 'error' ? 'error' : h === 'warning' ? 'warning' : 'ok',
    hover: s.hover === undefined ? undefined : h,
  };
}

describe('one truth across views', () => {
  const all = [...cases(), wrongDstFirst()];
  // Each case's stories are told once: by its own test, then read again by the coverage test below, which
  // would otherwise redo every case at once (and outgrow a test's time as fixtures are added).
  const told = new Map<Case, PairStory[]>();
  const storiesOf = (c: Case): PairStory[] => {
    let s = told.get(c);
    if (s === undefined) {
      s = stories(c);
      told.set(c, s);
    }
    return s;
  };

  for (const c of all) {
    it(`agrees on every tunnel of ${c.name}`, () => {
      for (const s of storiesOf(c)) {
        const { pair, ...said } = s;
        expect({ pair, ...said }).toEqual({ pair, ...agreed(s) });
      }
    });
  }

  it('covers the clusters it claims to', () => {
    expect(all.length).toBeGreaterThan(60);
    const verdicts = all.flatMap(storiesOf).map((s) => s.clusterGraph);
    // Every kind of verdict occurs, so no view can pass by always answering the same.
    expect(new Set(verdicts)).toEqual(new Set(['ok', 'error', 'warning', 'unknown']));
  });

  it('the reproduction: a wrong dst listed first is one warning everywhere, and the peer is reached', () => {
    const told = stories(wrongDstFirst()).find((s) => s.pair.endsWith('flnode1 → flnode3'))!;
    expect(told).toMatchObject({
      clusterGraph: 'warning',
      nodeGraph: 'warning',
      trace: 'ok',
      findings: 'warning',
      hover: 'warning',
    });
  });
});
