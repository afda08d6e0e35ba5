// The cluster view: every flannel node (name, subnet, public IP, health) and the VXLAN tunnels between
// them, each coloured by the route/neighbour/FDB triple on both ends; FDB entries and routes that lead to
// no known node appear as stale peers. A full mesh is n(n−1)/2 tunnels, so beyond a few dozen nodes the
// graph is a summary: every node with its health, every unhealthy tunnel, and the selected node's tunnels.

import type { Analysis } from '../analysis/analyze';
import type { Finding } from '../analysis/findings';
import { buildPeers, type Peer, type PeerIndex } from '../analysis/peers';
import { buildView, isFlannelNode, type NodeView } from '../analysis/view';
import type { Family, HostModel, Snapshot } from '../model/types';
import { chainForRoute, frameEntry } from '../analysis/chain';
import { describeEnd, endHealth, endOf, tunnelEnd, unknownEnd } from './tunnels';
import {
  type GraphEdge,
  type GraphLoc,
  type GraphModel,
  type GraphNode,
  type Health,
  type TunnelEnd,
  worst,
} from './types';
import { appendAll } from '../util/arrays';

/** Up to this many nodes the whole mesh is drawn. */
export const FULL_MESH_LIMIT = 40;
/** Stale peers drawn at most (a node full of leftovers should not bury the cluster). */
const STALE_LIMIT = 500;

export function nodeId(name: string): string {
  return `node:${name}`;
}

function tunnelId(a: string, b: string, family: Family = 'inet'): string {
  const pair = a < b ? `${a}|${b}` : `${b}|${a}`;
  return family === 'inet6' ? `tunnel6:${pair}` : `tunnel:${pair}`;
}

/** One family's overlay: its peers and the node views that hold its entries. */
interface Overlay {
  family: Family;
  peers: PeerIndex;
  viewByName: Map<string, NodeView>;
  peerByName: Map<string, Peer>;
}

function overlayOf(family: Family, views: readonly NodeView[], peers: PeerIndex): Overlay {
  const viewByName = new Map<string, NodeView>();
  for (const v of views) if (!viewByName.has(v.name)) viewByName.set(v.name, v);
  return { family, peers, viewByName, peerByName: new Map(peers.peers.map((p) => [p.name, p])) };
}

function lineKey(file: string, line: number): string {
  return `${file}\u0000${line}`;
}

function isUnhealthy(h: Health): boolean {
  return h === 'error' || h === 'warning';
}

/** One cluster's nodes, peers and analysis, computed once; graphs and tunnel lists are read from it. */
export class ClusterGraphSource {
  readonly views: NodeView[];
  readonly peers: PeerIndex;
  /** The IPv6 overlay's peers (`flannel-v6.<VNI>`), empty on an IPv4-only cluster. */
  readonly peers6: PeerIndex;
  /** Each family's overlay: IPv4, then IPv6 when any node runs it. A node pair has a tunnel in each. */
  private readonly overlays: Overlay[];
  private readonly viewByName = new Map<string, NodeView>();
  private readonly peerByName = new Map<string, Peer>();
  private readonly hostByName = new Map<string, HostModel>();
  private readonly findingsByNode = new Map<string, Finding[]>();
  /** Unhealthy tunnels, found once (the expensive pass over every pair). */
  private unhealthy?: GraphEdge[];

  constructor(
    readonly cluster: string,
    snapshots: readonly Snapshot[],
    readonly analysis: Analysis,
    /** The snapshots' flannel node views, when the caller has them already (the editor's workspace does). */
    views?: NodeView[],
  ) {
    this.views =
      views ??
      snapshots
        .flatMap((s) => s.nodes)
        .map(buildView)
        .filter(isFlannelNode);
    const kubeNodes = snapshots.flatMap((s) => s.kubeNodes);
    this.peers = buildPeers(this.views, kubeNodes);
    const views6 = this.views.flatMap((v) => (v.v6 === undefined ? [] : [v.v6]));
    this.peers6 = buildPeers(views6, kubeNodes, 'inet6');
    this.overlays = [overlayOf('inet', this.views, this.peers)];
    if (this.peers6.peers.length > 0) this.overlays.push(overlayOf('inet6', views6, this.peers6));
    for (const v of this.views) if (!this.viewByName.has(v.name)) this.viewByName.set(v.name, v);
    for (const p of this.peers.peers) this.peerByName.set(p.name, p);
    for (const h of snapshots.flatMap((s) => s.nodes))
      if (!this.hostByName.has(h.name)) this.hostByName.set(h.name, h);
    for (const f of analysis.findings) {
      if (f.severity === 'info') continue;
      const list = this.findingsByNode.get(f.node);
      if (list === undefined) this.findingsByNode.set(f.node, [f]);
      else list.push(f);
    }
  }

  /** Node names in the order the views list them: snapshot nodes first, then nodes only the cluster record names. */
  nodeNames(): string[] {
    const names = new Set<string>();
    for (const v of this.views) names.add(v.name);
    for (const h of this.hostByName.keys()) names.add(h);
    for (const p of this.peers.peers) names.add(p.name);
    return [...names];
  }

  /** Any host a snapshot of the cluster shows as a node, flannel or not. */
  host(name: string): HostModel | undefined {
    return this.hostByName.get(name);
  }

  peer(name: string): Peer | undefined {
    return this.peerByName.get(name);
  }

  view(name: string): NodeView | undefined {
    return this.viewByName.get(name);
  }

  findingsOf(name: string): Finding[] {
    return this.findingsByNode.get(name) ?? [];
  }

  /** `from`'s end of the tunnel to `to` (over IPv4, or the IPv6 overlay). */
  end(from: Peer, to: Peer, overlay: Overlay | undefined = this.overlays[0]): TunnelEnd {
    const view = overlay?.viewByName.get(from.name);
    return view === undefined || overlay === undefined
      ? unknownEnd(from.name)
      : tunnelEnd(view, to, overlay.peers);
  }

  /** `from`'s end of the tunnel to `to` in one family's overlay. */
  endIn(family: Family, from: Peer, to: Peer): TunnelEnd {
    return this.end(
      from,
      to,
      this.overlays.find((o) => o.family === family),
    );
  }

  private health(from: Peer, to: Peer, overlay: Overlay): Health {
    const view = overlay.viewByName.get(from.name);
    return view === undefined ? 'unknown' : endHealth(view, to, overlay.peers);
  }

  private tunnel(a: Peer, b: Peer, overlay: Overlay = this.overlays[0]!): GraphEdge {
    const ab = this.end(a, b, overlay);
    const ba = this.end(b, a, overlay);
    const health = worst(ab.health, ba.health);
    const direct = ab.direct === true && ba.direct === true;
    const v6 = overlay.family === 'inet6';
    const edge: GraphEdge = {
      id: tunnelId(a.name, b.name, overlay.family),
      kind: 'tunnel',
      source: nodeId(a.name),
      target: nodeId(b.name),
      health,
      keys: [a.name.toLowerCase(), b.name.toLowerCase()],
      details: [
        `${v6 ? 'IPv6 tunnel' : 'Tunnel'} ${a.name} ⇄ ${b.name}${direct ? ' (direct routing)' : ''}: ${health}`,
        ...describeEnd(ab),
        ...describeEnd(ba),
      ],
      ends: [ab, ba],
    };
    if (v6) edge.family = 'ipv6';
    // Clicking a tunnel leads to the first entry that is wrong, else to A's route.
    const broken = [ab, ba]
      .flatMap((e) => [e.route, e.neighbour, e.fdb])
      .find((e) => e.state !== 'ok' && e.loc !== undefined);
    const loc = broken?.loc ?? ab.route.loc ?? ba.route.loc;
    if (loc !== undefined) edge.loc = loc;
    edge.lines = [ab, ba]
      .flatMap((e) => [e.route.loc, e.neighbour.loc, e.fdb.loc])
      .filter((l) => l !== undefined);
    return edge;
  }

  /** Every tunnel (of either family) whose triple is broken or stale on either end. */
  unhealthyTunnels(): GraphEdge[] {
    if (this.unhealthy !== undefined) return this.unhealthy;
    const out: GraphEdge[] = [];
    for (const overlay of this.overlays) {
      const peers = overlay.peers.peers;
      for (let i = 0; i < peers.length; i++) {
        const a = peers[i] as Peer;
        for (let j = i + 1; j < peers.length; j++) {
          const b = peers[j] as Peer;
          // Health first, with no text built: the descriptions are made only for the tunnels drawn.
          if (isUnhealthy(this.health(a, b, overlay)) || isUnhealthy(this.health(b, a, overlay)))
            out.push(this.tunnel(a, b, overlay));
        }
      }
    }
    this.unhealthy = out;
    return out;
  }

  /** The tunnels of one node to every other, in each family it runs. */
  tunnelsOf(name: string): GraphEdge[] {
    const out: GraphEdge[] = [];
    for (const overlay of this.overlays) {
      const a = overlay.peerByName.get(name);
      if (a === undefined) continue;
      for (const b of overlay.peers.peers) if (b !== a) out.push(this.tunnel(a, b, overlay));
    }
    return out;
  }

  /**
   * Lines a finding cites (as its place or as related evidence): an entry cited there is a leftover or
   * wrong, as the analysis says; an entry to an unknown peer that no finding cites leads to a node that
   * simply was not captured.
   */
  private citedLines(): Set<string> {
    const out = new Set<string>();
    for (const f of this.analysis.findings) {
      if (f.severity === 'info') continue;
      out.add(lineKey(f.file, f.line));
      for (const r of f.related ?? []) out.add(lineKey(r.file, r.line));
    }
    return out;
  }

  /**
   * What a node's VTEP leads to beyond the nodes the snapshots show: peers that were not captured (a
   * route, neighbour and FDB entry no finding faults, to a subnet or VTEP no snapshot holds) and stale
   * leftovers (entries a finding calls stale or wrong: an old VTEP MAC, a subnet no node owns).
   */
  private outsidePeers(nodes: GraphNode[], edges: GraphEdge[]): void {
    const seen = new Set<string>();
    const cited = this.citedLines();
    for (const { view, peers } of this.overlays.flatMap((o) =>
      [...o.viewByName.values()].map((view) => ({ view, peers: o.peers })),
    )) {
      const leftover = (key: string, label: string, detail: string, loc: { file: string; line: number }) => {
        if (seen.size >= STALE_LIMIT) return;
        const id = `stale:${key}`;
        if (!seen.has(id)) {
          seen.add(id);
          nodes.push({
            id,
            kind: 'stale-peer',
            label,
            health: 'warning',
            problems: 0,
            keys: [key.toLowerCase()],
            details: [
              `${label}: a leftover — no node of the cluster owns it`,
              'Stale: a finding faults the entries that lead here (see its line); remove them with its fix.',
            ],
          });
        }
        edges.push({
          id: `stale-tunnel:${view.name}|${key}`,
          kind: 'stale-tunnel',
          source: nodeId(view.name),
          target: id,
          health: 'warning',
          loc,
          lines: [loc],
          keys: [view.name.toLowerCase(), key.toLowerCase()],
          details: [`${view.name}: ${detail}`],
        });
      };
      const uncaptured = (
        key: string,
        label: string,
        end: TunnelEnd,
        detail: string[],
        lines: GraphLoc[],
      ) => {
        if (seen.size >= STALE_LIMIT) return;
        const id = `peer:${key}`;
        if (!seen.has(id)) {
          seen.add(id);
          nodes.push({
            id,
            kind: 'uncaptured-peer',
            label,
            health: 'unknown',
            problems: 0,
            keys: label.split('\n').map((k) => k.toLowerCase()),
            details: [
              `Peer ${label.replace('\n', ' at ')} (not captured)`,
              'No snapshot of this node: its own entries are unknown. Collect it to check both directions.',
            ],
          });
        }
        const edge: GraphEdge = {
          id: `tunnel:${view.name}|${id}`,
          kind: 'tunnel',
          source: nodeId(view.name),
          target: id,
          health: end.health,
          keys: [view.name.toLowerCase(), key.toLowerCase()],
          details: [
            `Tunnel ${view.name} → ${label.replace('\n', ' at ')} (peer not captured): ${end.health}`,
            ...detail,
          ],
          ends: [end, unknownEnd(key)],
          lines,
        };
        if (lines[0] !== undefined) edge.loc = lines[0];
        edges.push(edge);
      };
      // Routes first: the peer they lead to is named by its subnet, and its neighbour's MAC is then known.
      const chainedMacs = new Set<string>();
      for (const route of view.flannelRoutes) {
        if (peers.bySubnet.has(route.dst) || (view.subnet !== undefined && route.dst === view.subnet.cidr))
          continue;
        const loc = { file: route.loc.file, line: route.loc.line };
        if (cited.has(lineKey(loc.file, loc.line))) {
          leftover(
            route.dst,
            `no node owns ${route.dst}`,
            `route ${route.dst} via ${view.vtepName} leads to no node's subnet`,
            loc,
          );
          continue;
        }
        const chain = chainForRoute(view, route, peers);
        if (chain.neighbour?.mac !== undefined) chainedMacs.add(chain.neighbour.mac);
        const end = endOf(chain);
        const dst = frameEntry(chain)?.dst;
        const lines = [end.route.loc, end.neighbour.loc, end.fdb.loc].filter((l) => l !== undefined);
        uncaptured(
          route.dst,
          dst === undefined ? route.dst : `${route.dst}\n${dst}`,
          end,
          describeEnd(end),
          lines,
        );
      }
      for (const [mac, entries] of view.vtepFdb) {
        if (peers.byMac.has(mac) || chainedMacs.has(mac)) continue;
        for (const e of entries) {
          const owner = e.dst === undefined ? undefined : peers.byIp.get(e.dst);
          const loc = { file: e.loc.file, line: e.loc.line };
          // A known node's address under an unknown MAC is that node's old VTEP MAC: a stale entry, drawn
          // as such rather than as a tunnel to the node.
          if (owner !== undefined || cited.has(lineKey(loc.file, loc.line))) {
            const key = owner === undefined && e.dst !== undefined ? e.dst : mac;
            leftover(
              key,
              owner === undefined ? `unknown peer ${key}` : `old VTEP ${mac} of ${owner.name}`,
              `FDB ${mac} dst ${e.dst ?? '?'} leads to no known VTEP`,
              loc,
            );
            continue;
          }
          const key = e.dst ?? mac;
          const end: TunnelEnd = {
            from: view.name,
            health: 'unknown',
            route: { state: 'unknown', text: 'no route in the snapshot leads here' },
            neighbour: { state: 'unknown', text: `no neighbour entry in the snapshot has ${mac}` },
            fdb: { state: 'ok', text: `${mac} dst ${e.dst ?? '?'}`, loc },
          };
          uncaptured(key, `VTEP ${mac}\n${e.dst ?? '?'}`, end, describeEnd(end), [loc]);
        }
      }
    }
  }

  /**
   * When one node is on every broken tunnel (two at least), it is the cause and the others its victims:
   * its peers' entries for it are wrong (its VTEP changed under them), or its own are (it lost its routes).
   */
  private markCause(nodes: GraphNode[], broken: readonly GraphEdge[]): void {
    const between = broken.filter((e) => e.kind === 'tunnel' && e.ends?.length === 2);
    if (between.length < 2) return;
    const common = [between[0]!.source, between[0]!.target].filter((id) =>
      between.every((e) => e.source === id || e.target === id),
    );
    if (common.length !== 1) return;
    const causeId = common[0]!;
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const cause = byId.get(causeId);
    if (cause === undefined) return;
    const causeName = causeId.slice('node:'.length);
    let ownBroken = 0;
    let peersBroken = 0;
    for (const e of between)
      for (const end of e.ends ?? []) {
        if (end.health !== 'error' && end.health !== 'warning') continue;
        if (end.from === causeName) ownBroken++;
        else peersBroken++;
      }
    cause.role = 'cause';
    cause.roleText =
      peersBroken >= ownBroken
        ? `Cause: every broken tunnel ends here — its peers' entries for it are wrong (its VTEP MAC or address changed under them)`
        : `Cause: every broken tunnel ends here — its own entries for its peers are wrong or missing (it lost its routes)`;
    cause.details.splice(1, 0, cause.roleText);
    for (const e of between) {
      const other = byId.get(e.source === causeId ? e.target : e.source);
      if (other === undefined || other.role === 'cause') continue;
      other.role = 'victim';
      other.roleText = `Victim: its tunnel to ${causeName} is broken because of ${causeName}`;
      if (!other.details.includes(other.roleText)) other.details.splice(1, 0, other.roleText);
    }
  }

  private node(name: string): GraphNode {
    const view = this.viewByName.get(name);
    const peer = this.peerByName.get(name);
    const findings = this.findingsOf(name);
    let health: Health = findings.reduce<Health>(
      (h, f) => worst(h, f.severity === 'error' ? 'error' : 'warning'),
      'ok',
    );
    if (view === undefined) health = worst(health, 'unknown');
    const subnet = peer?.subnet.cidr ?? view?.subnet?.cidr;
    const publicIp = peer?.publicIp ?? view?.publicIp;
    const summary = this.analysis.nodes.find((n) => n.name === name && n.role === 'node');
    const lines = [name, subnet, publicIp].filter((x): x is string => x !== undefined);
    const node: GraphNode = {
      id: nodeId(name),
      kind: 'node',
      label: lines.join('\n'),
      health,
      problems: findings.length,
      keys: [name, subnet, publicIp, peer?.vtepMac ?? view?.vtepMac]
        .filter((x): x is string => x !== undefined)
        .map((k) => k.toLowerCase()),
      details: [
        `Node ${name}${view === undefined ? ' (known only from the cluster record: no snapshot)' : ''}`,
        subnet === undefined ? 'subnet: unknown' : `subnet: ${subnet}`,
        publicIp === undefined ? 'public IP: unknown' : `public IP: ${publicIp}`,
        `VTEP: ${view?.vtepName ?? 'flannel.1'} ${peer?.vtepMac ?? view?.vtepMac ?? '(MAC unknown)'}`,
        ...(summary === undefined
          ? []
          : [
              `pods: ${summary.pods.length}`,
              ...summary.skipped.map((s) => `not checked: ${s.check} (needs ${s.needs})`),
            ]),
        ...findings.map((f) => `${f.severity} ${f.code} (line ${f.line}): ${f.message}`),
      ],
    };
    const hostLoc = view?.host.loc ?? peer?.kube?.loc;
    if (hostLoc !== undefined) {
      node.loc = { file: hostLoc.file, line: hostLoc.line };
      node.lines = [node.loc];
    }
    return node;
  }

  /** The cluster graph; in summary mode the tunnels of `selected` are added to the unhealthy ones. */
  graph(selected?: string, fullMeshLimit = FULL_MESH_LIMIT): GraphModel {
    const names = this.nodeNames();
    const nodes = names.map((n) => this.node(n));
    const peers = this.peers.peers;
    const summary = peers.length > fullMeshLimit;
    const edges: GraphEdge[] = [];
    const unhealthy = this.unhealthyTunnels();
    if (!summary) {
      const bad = new Map(unhealthy.map((e) => [e.id, e]));
      for (const overlay of this.overlays) {
        const members = overlay.peers.peers;
        for (let i = 0; i < members.length; i++)
          for (let j = i + 1; j < members.length; j++) {
            const a = members[i] as Peer;
            const b = members[j] as Peer;
            edges.push(bad.get(tunnelId(a.name, b.name, overlay.family)) ?? this.tunnel(a, b, overlay));
          }
      }
    } else {
      appendAll(edges, unhealthy);
      if (selected !== undefined) {
        const drawn = new Set(unhealthy.map((e) => e.id));
        for (const e of this.tunnelsOf(selected)) if (!drawn.has(e.id)) edges.push(e);
      }
    }
    // A node whose tunnels are broken is unhealthy even when the findings sit on its peers.
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const e of unhealthy) {
      for (const id of [e.source, e.target]) {
        const n = byId.get(id);
        if (n !== undefined && n.health === 'ok') n.health = e.health;
      }
    }
    this.markCause(nodes, unhealthy);
    this.outsidePeers(nodes, edges);
    const errors = this.analysis.findings.filter((f) => f.severity === 'error').length;
    const warnings = this.analysis.findings.filter((f) => f.severity === 'warning').length;
    const tunnels = (peers.length * (peers.length - 1)) / 2;
    return {
      view: 'cluster',
      cluster: this.cluster,
      title: `${this.cluster === '' ? 'cluster' : this.cluster}: ${names.length} node${names.length === 1 ? '' : 's'}`,
      nodes,
      edges,
      summary,
      nodeNames: names,
      stats: {
        nodes: names.length,
        tunnels,
        drawnTunnels: edges.filter((e) => e.kind === 'tunnel' && !e.target.startsWith('peer:')).length,
        uncaptured: nodes.filter((n) => n.kind === 'uncaptured-peer').length,
        stale: nodes.filter((n) => n.kind === 'stale-peer').length,
        unhealthyTunnels: unhealthy.length,
        grouped: summary
          ? tunnels - edges.filter((e) => e.kind === 'tunnel' && !e.target.startsWith('peer:')).length
          : 0,
        errors,
        warnings,
      },
    };
  }
}
