// The node view: one host as a box (the `parent` of what it holds) with its underlay interface (or bond), the flannel VTEP,
// cni0 and the other bridges with their veth ports, the pods behind those veths, and the remote VTEPs the
// FDB reaches; routes label the tunnel edges. Findings colour the elements whose lines they cite. Beyond a
// size threshold healthy veths and healthy peers are folded into one group each (expandable).

import type { Finding } from '../analysis/findings';
import { chainForRoute, frameEntry } from '../analysis/chain';
import type { Peer } from '../analysis/peers';
import type { Family, HostModel, Interface, SourceLocation } from '../model/types';
import type { ClusterGraphSource } from './cluster';
import { DIRECTION_TEXT, networkTraffic } from '../analysis/firewall';
import { type NodeView, viewOfFamily } from '../analysis/view';
import { describeEnd, tunnelEnd, unknownEnd } from './tunnels';
import {
  type GraphEdge,
  type GraphLoc,
  type GraphModel,
  type GraphNode,
  type Health,
  LineIndex,
  worst,
} from './types';

/** Veths (with their pods) drawn one by one up to this many per bridge; more are grouped unless expanded. */
export const VETH_LIMIT = 64;
/** Healthy remote VTEPs drawn one by one up to this many; more are grouped unless expanded. */
export const REMOTE_LIMIT = 48;

export interface NodeGraphOptions {
  /** Draw every veth and every peer, whatever their number. */
  expanded?: boolean;
}

function at(loc: SourceLocation): GraphLoc {
  return { file: loc.file, line: loc.line };
}

function firstAddress(i: Interface): string | undefined {
  const a = i.addresses.find((x) => x.family === 'inet') ?? i.addresses[0];
  return a === undefined ? undefined : `${a.address}/${a.prefixLen}`;
}

function mtuText(i: Interface | undefined): string | undefined {
  return i?.mtu === undefined ? undefined : `MTU ${i.mtu}`;
}

function interfaceLines(i: Interface): GraphLoc[] {
  return [i.loc, ...(i.alsoAt ?? []), ...i.addresses.map((a) => a.loc)].map(at);
}

function interfaceDetails(i: Interface): string[] {
  return [
    `${i.name} (${i.linkKind ?? i.kind})${i.up ? '' : ' — DOWN'}`,
    ...(i.mac === undefined ? [] : [`MAC ${i.mac}`]),
    ...(i.mtu === undefined ? [] : [`MTU ${i.mtu}`]),
    ...i.addresses.map((a) => `${a.family === 'inet' ? 'inet' : 'inet6'} ${a.address}/${a.prefixLen}`),
    ...(i.master === undefined
      ? []
      : [`port of ${i.master}${i.portState === undefined ? '' : ` (${i.portState})`}`]),
    ...(i.vxlan === undefined
      ? []
      : [
          `vxlan id ${i.vxlan.id ?? '?'} local ${i.vxlan.local ?? '?'} dev ${i.vxlan.dev ?? '?'} port ${i.vxlan.port ?? '?'}`,
        ]),
  ];
}

function interfaceKeys(i: Interface): string[] {
  return [i.name, i.mac, ...i.addresses.map((a) => a.address)]
    .filter((k): k is string => k !== undefined)
    .map((k) => k.toLowerCase());
}

/** The node's veth whose peer is this pod's interface (`eth0@if7` ↔ ifindex 7, and back). */
function podVeth(pod: HostModel, veths: readonly Interface[]): Interface | undefined {
  for (const i of pod.interfaces) {
    const peerIndex = i.link?.startsWith('if') === true ? Number(i.link.slice(2)) : NaN;
    const byIndex = veths.find((v) => v.ifindex !== undefined && v.ifindex === peerIndex);
    if (byIndex !== undefined) return byIndex;
    const back = veths.find(
      (v) => i.ifindex !== undefined && v.link === `if${i.ifindex}` && v.linkNetns !== undefined,
    );
    if (back !== undefined && pod.interfaces.filter((x) => x.ifindex === i.ifindex).length === 1) return back;
  }
  return undefined;
}

class Builder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  grouped = 0;

  add(node: GraphNode): GraphNode {
    this.nodes.push(node);
    return node;
  }

  edge(edge: GraphEdge): void {
    this.edges.push(edge);
  }

  /** Colours each element by the findings whose lines it stands for; the rest go to the host. */
  applyFindings(findings: readonly Finding[], hostId: string): void {
    const index = new LineIndex<GraphNode | GraphEdge>([...this.nodes, ...this.edges]);
    const host = this.nodes.find((n) => n.id === hostId);
    for (const f of findings) {
      const cited = index.at(f.file, f.line);
      const hit = cited.length > 0 || host === undefined ? cited : [host];
      for (const el of hit) {
        el.health = worst(el.health, f.severity === 'error' ? 'error' : 'warning');
        el.details.push(`${f.severity} ${f.code} (line ${f.line}): ${f.message}`);
        if ('problems' in el) el.problems++;
      }
    }
  }
}

const FORWARDING_PATH_PARSERS: ReadonlySet<string> = new Set([
  'iptables',
  'nft',
  'sysctl',
  'ethtool',
  'lsmod',
  'proc-net-snmp',
  'kernel-log',
  'conntrack',
]);

/**
 * The lines the firewall element stands for: its base chains and policies, and every line a finding cites
 * in a firewall or kernel section. Not every rule: a kube-proxy node lists 60,000 of them, and each line
 * here travels to the webview.
 */
function filterLines(host: HostModel, findings: readonly Finding[]): GraphLoc[] {
  const out: GraphLoc[] = [];
  for (const set of host.netfilter) {
    for (const t of set.tables) {
      for (const c of t.chains) {
        if (c.hook === undefined) continue;
        out.push(at(c.loc));
        if (c.policyLoc !== undefined) out.push(at(c.policyLoc));
      }
    }
  }
  const sections = host.sections.filter(
    (s) => s.parser !== undefined && FORWARDING_PATH_PARSERS.has(s.parser),
  );
  for (const f of findings) {
    const inside = sections.some(
      (s) => s.loc.file === f.file && s.loc.line <= f.line && f.line <= (s.loc.endLine ?? s.loc.line),
    );
    if (inside) out.push({ file: f.file, line: f.line });
  }
  if (out.length === 0 && sections[0] !== undefined) out.push(at(sections[0].loc));
  return out;
}

/**
 * The packet's path through the node's firewall and kernel settings, as one element: what FORWARD and
 * INPUT do with flannel's traffic (from the evaluator the check uses), coloured by the findings on it.
 */
function filterNode(
  host: HostModel,
  view: NodeView | undefined,
  parent: string,
  findings: readonly Finding[],
): GraphNode | undefined {
  const lines = filterLines(host, findings);
  if (lines.length === 0) return undefined;
  const details = ["Firewall and kernel settings on the packet's path"];
  let summary = 'firewall';
  const verb = { accept: 'lets through', uncertain: 'may stop', drop: 'stops', reject: 'stops' } as const;
  for (const t of view === undefined ? [] : networkTraffic(view)) {
    details.push(
      `${DIRECTION_TEXT[t.direction]} ${verb[t.decision]} ${t.traffic} (${t.protocols.join(', ')})`,
    );
    if (t.decision === 'drop' || t.decision === 'reject') summary = `${DIRECTION_TEXT[t.direction]} blocks`;
  }
  const forwarding = host.kernel.sysctls.find((s) => s.key === 'net.ipv4.ip_forward');
  if (forwarding !== undefined) details.push(`net.ipv4.ip_forward = ${forwarding.value}`);
  return {
    id: `filter:${host.name}`,
    kind: 'filter',
    parent,
    label: summary,
    health: 'ok',
    problems: 0,
    loc: lines[0]!,
    lines,
    keys: ['firewall', 'iptables', 'nft', 'sysctl', 'forward', 'input'],
    details,
  };
}

export function buildNodeGraph(
  source: ClusterGraphSource,
  name: string,
  options: NodeGraphOptions = {},
): GraphModel | undefined {
  const host = source.host(name);
  if (host === undefined) return undefined;
  const view = source.view(name);
  const b = new Builder();
  const hostId = `host:${name}`;
  const ifId = (n: string) => `if:${n}`;
  b.add({
    id: hostId,
    kind: 'host',
    label: [name, view?.subnet?.cidr].filter((x) => x !== undefined).join('  '),
    health: 'ok',
    problems: 0,
    loc: at(host.loc),
    lines: [at(host.loc)],
    keys: [name.toLowerCase()],
    details: [
      `Node ${name}`,
      `file ${host.file}`,
      ...host.sections.map((s) => `line ${s.loc.line}: ${s.command ?? s.parser ?? 'section'}`),
    ],
  });

  // Bridges: from links (kind bridge) and from `brctl show` (which may list ports no link listing shows).
  const bridgeNames = new Set([
    ...host.interfaces.filter((i) => i.kind === 'bridge').map((i) => i.name),
    ...host.bridges.map((x) => x.name),
  ]);
  const byName = new Map(host.interfaces.map((i) => [i.name, i]));
  const portsOf = new Map<string, Interface[]>();
  for (const bridge of bridgeNames) {
    const itf = byName.get(bridge);
    const record = host.bridges.find((x) => x.name === bridge);
    const lines = [
      ...(itf === undefined ? [] : interfaceLines(itf)),
      ...(record === undefined ? [] : [at(record.loc)]),
    ];
    const addr = itf === undefined ? undefined : firstAddress(itf);
    b.add({
      id: ifId(bridge),
      kind: 'bridge',
      parent: hostId,
      label: [bridge, addr, mtuText(itf)].filter((x) => x !== undefined).join('  '),
      health: 'ok',
      problems: 0,
      ...(lines[0] === undefined ? {} : { loc: lines[0] }),
      lines,
      keys: itf === undefined ? [bridge.toLowerCase()] : interfaceKeys(itf),
      details: itf === undefined ? [`${bridge} (bridge, from brctl show)`] : interfaceDetails(itf),
    });
    const ports = host.interfaces.filter((i) => i.master === bridge);
    for (const p of record?.ports ?? []) {
      if (ports.some((x) => x.name === p.name)) continue;
      ports.push({
        loc: p.loc,
        name: p.name,
        kind: 'veth',
        flags: [],
        up: true,
        master: bridge,
        addresses: [],
        ...(p.state === undefined ? {} : { portState: p.state }),
      });
    }
    portsOf.set(bridge, ports);
  }

  // The node's own interfaces.
  for (const i of host.interfaces) {
    if (
      i.kind === 'loopback' ||
      bridgeNames.has(i.name) ||
      (i.master !== undefined && bridgeNames.has(i.master))
    )
      continue;
    const isVtep = view?.vtep === i;
    const isUnderlay = view?.underlay === i;
    const addr = firstAddress(i);
    b.add({
      id: ifId(i.name),
      kind: isVtep ? 'vtep' : isUnderlay ? 'underlay' : 'interface',
      parent: hostId,
      // What matters on the packet's path: the VTEP's MAC (its peers' entries name it), addresses, MTUs.
      label: [i.name, isVtep ? i.mac : undefined, addr, isVtep || isUnderlay ? mtuText(i) : undefined]
        .filter((x) => x !== undefined)
        .join('\n'),
      health: i.up ? 'ok' : 'warning',
      problems: 0,
      loc: at(i.loc),
      lines: interfaceLines(i),
      keys: interfaceKeys(i),
      details: interfaceDetails(i),
    });
  }
  const filter = filterNode(host, view, hostId, source.findingsOf(name));
  if (filter !== undefined) b.add(filter);
  if (view !== undefined && view.vtep !== undefined && view.underlay !== undefined) {
    b.edge({
      id: `underlay:${name}`,
      kind: 'underlay',
      source: ifId(view.vtep.name),
      target: ifId(view.underlay.name),
      health: 'ok',
      label: `local ${view.publicIp ?? '?'}`,
      keys: [],
      details: [
        `${view.vtep.name} sends VXLAN (UDP ${view.port ?? 8472}) from ${view.publicIp ?? '?'} over ${view.underlay.name}`,
      ],
    });
  }

  // Ports with their pods; many healthy ones fold into one group per bridge.
  const pods = [...host.pods];
  const placedPods = new Set<HostModel>();
  const findingLines = new Set(source.findingsOf(name).map((f) => `${f.file}\u0000${f.line}`));
  const troubled = (lines: readonly GraphLoc[]) =>
    lines.some((l) => findingLines.has(`${l.file}\u0000${l.line}`));
  for (const [bridge, ports] of portsOf) {
    const fold = options.expanded !== true && ports.length > VETH_LIMIT;
    let folded = 0;
    for (const port of ports) {
      const pod = pods.find((p) => !placedPods.has(p) && podVeth(p, [port]) !== undefined);
      const portLines = interfaceLines(port);
      const podLines = pod === undefined ? [] : [at(pod.loc), ...pod.interfaces.flatMap(interfaceLines)];
      if (fold && !troubled([...portLines, ...podLines]) && port.up && port.portState !== 'disabled') {
        folded++;
        if (pod !== undefined) placedPods.add(pod);
        continue;
      }
      b.add({
        id: ifId(port.name),
        kind: 'veth',
        parent: ifId(bridge),
        label: port.name,
        health: port.up && port.portState !== 'disabled' ? 'ok' : 'warning',
        problems: 0,
        loc: at(port.loc),
        lines: portLines,
        keys: interfaceKeys(port),
        details: interfaceDetails(port),
        veth: true,
      });
      if (pod !== undefined) {
        placedPods.add(pod);
        addPod(b, pod, hostId, podLines);
        b.edge({
          id: `pod-link:${pod.name}`,
          kind: 'pod-link',
          source: `pod:${pod.name}`,
          target: ifId(port.name),
          health: 'ok',
          keys: [],
          details: [`${pod.name} ⇄ ${port.name}`],
        });
      }
    }
    if (folded > 0) {
      b.grouped += folded;
      b.add({
        id: `group:${bridge}`,
        kind: 'group',
        parent: ifId(bridge),
        label: `${folded} more veth port${folded === 1 ? '' : 's'}`,
        health: 'ok',
        problems: 0,
        keys: [],
        details: [
          `${folded} healthy veth ports (and their pods) of ${bridge}, folded: choose "Expand groups" to draw them`,
        ],
        veth: true,
      });
    }
  }
  // Pods whose veth is not known hang off cni0 (their gateway).
  for (const pod of pods) {
    if (placedPods.has(pod)) continue;
    addPod(b, pod, hostId, [at(pod.loc), ...pod.interfaces.flatMap(interfaceLines)]);
    if (bridgeNames.has('cni0'))
      b.edge({
        id: `pod-link:${pod.name}`,
        kind: 'pod-link',
        source: `pod:${pod.name}`,
        target: ifId('cni0'),
        health: 'ok',
        keys: [],
        details: [`${pod.name}: gateway ${pod.gateway ?? '?'} on cni0`],
      });
  }

  if (view !== undefined) {
    addRemotes(b, source, view.vtep?.name ?? view.vtepName, name, options, ifId);
    const v6 = view.v6;
    if (v6 !== undefined) addRemotes(b, source, v6.vtep?.name ?? v6.vtepName, name, options, ifId, 'inet6');
  }
  b.applyFindings(source.findingsOf(name), hostId);
  const host0 = b.nodes[0] as GraphNode;
  for (const n of b.nodes)
    if (n !== host0) host0.health = worst(host0.health, n.health === 'unknown' ? 'ok' : n.health);
  const errors = source.findingsOf(name).filter((f) => f.severity === 'error').length;
  return {
    view: 'node',
    cluster: source.cluster,
    node: name,
    title: `${name}${view?.subnet === undefined ? '' : ` (${view.subnet.cidr})`}`,
    nodes: b.nodes,
    edges: b.edges,
    summary: b.grouped > 0,
    nodeNames: source.nodeNames(),
    stats: {
      nodes: b.nodes.length,
      tunnels: source.peers.peers.length - 1,
      drawnTunnels: b.edges.filter((e) => e.kind === 'fdb').length,
      unhealthyTunnels: b.edges.filter(
        (e) => e.kind === 'fdb' && (e.health === 'error' || e.health === 'warning'),
      ).length,
      grouped: b.grouped,
      errors,
      warnings: source.findingsOf(name).length - errors,
    },
  };
}

function addPod(b: Builder, pod: HostModel, hostId: string, lines: GraphLoc[]): void {
  const eth = pod.interfaces.find((i) => i.kind !== 'loopback' && i.addresses.length > 0);
  const addr = eth === undefined ? undefined : firstAddress(eth);
  b.add({
    id: `pod:${pod.name}`,
    kind: 'pod',
    parent: hostId,
    label: [pod.name, addr].filter((x) => x !== undefined).join('\n'),
    health: 'ok',
    problems: 0,
    loc: at(pod.loc),
    lines,
    keys: [pod.name.toLowerCase(), ...pod.interfaces.flatMap(interfaceKeys)],
    details: [
      `Pod ${pod.name}`,
      ...(pod.gateway === undefined ? [] : [`gateway ${pod.gateway}`]),
      ...pod.interfaces.filter((i) => i.kind !== 'loopback').flatMap(interfaceDetails),
    ],
    veth: true,
  });
}

/** The remote VTEPs: every peer with this node's end of the tunnel, and FDB entries to unknown VTEPs. */
function addRemotes(
  b: Builder,
  source: ClusterGraphSource,
  vtep: string,
  name: string,
  options: NodeGraphOptions,
  ifId: (n: string) => string,
  family: Family = 'inet',
): void {
  const base = source.view(name);
  const view = base === undefined ? undefined : viewOfFamily(base, family);
  if (view === undefined) return;
  // A dual-stack node has a second overlay: its elements carry the family in their ids.
  const tag = family === 'inet6' ? '6' : '';
  const peers = family === 'inet6' ? source.peers6 : source.peers;
  // Drawn as the packet travels: the VTEP → the underlay device → the peer's VTEP.
  const exit = view.vtep !== undefined && view.underlay !== undefined ? ifId(view.underlay.name) : ifId(vtep);
  const others = peers.peers.filter((p) => p.name !== name);
  const fold = options.expanded !== true && others.length > REMOTE_LIMIT;
  let folded = 0;
  const self = peers.peers.find((p) => p.name === name);
  for (const peer of others) {
    // The tunnel as the cluster view draws it: this node's end and the peer's end back.
    const end = tunnelEnd(view, peer, peers);
    const back = self === undefined ? unknownEnd(peer.name) : source.endIn(family, peer, self);
    const health = worst(end.health, back.health);
    if (fold && health === 'ok') {
      folded++;
      continue;
    }
    addRemote(
      b,
      tag,
      peer,
      health,
      exit,
      [...describeEnd(end), ...describeEnd(back)],
      [end.route.loc, end.neighbour.loc, end.fdb.loc].filter((l): l is GraphLoc => l !== undefined),
      end.direct === true,
    );
  }
  if (folded > 0) {
    b.grouped += folded;
    b.add({
      id: `group${tag}:remotes`,
      kind: 'group',
      label: `${folded} healthy peers`,
      health: 'ok',
      problems: 0,
      keys: [],
      details: [
        `${folded} peers whose route, neighbour and FDB entries are all in place, folded: choose "Expand groups" to draw them`,
      ],
    });
    b.edge({
      id: `fdb${tag}:group`,
      kind: 'fdb',
      source: exit,
      target: `group${tag}:remotes`,
      health: 'ok',
      keys: [],
      details: [],
    });
  }
  // Routes to subnets of nodes no snapshot or cluster record shows: the remote VTEP is what this node's
  // own chain (route → neighbour → FDB) leads to.
  const chained = new Set<string>();
  for (const route of view.flannelRoutes) {
    if (peers.bySubnet.has(route.dst) || route.dst === view.subnet?.cidr || route.gateway === undefined)
      continue;
    const chain = chainForRoute(view, route, peers);
    const neigh = chain.neighbour;
    const fdb = frameEntry(chain);
    if (neigh?.mac !== undefined) chained.add(neigh.mac);
    const health = chain.health;
    const lines = [route.loc, neigh?.loc, ...chain.fdb.map((f) => f.loc)]
      .filter((l): l is SourceLocation => l !== undefined)
      .map(at);
    const id = `remote${tag}:${route.dst}`;
    if (b.nodes.some((n) => n.id === id)) continue;
    b.add({
      id,
      kind: 'remote-vtep',
      label: [`VTEP for ${route.dst}`, neigh?.mac, fdb?.dst].filter((x) => x !== undefined).join('\n'),
      health,
      problems: 0,
      loc: at(route.loc),
      lines,
      keys: [route.dst, route.gateway, neigh?.mac, fdb?.dst].filter((k): k is string => k !== undefined),
      details: [
        `Remote VTEP for ${route.dst} (no snapshot of its node)`,
        `route: ${route.dst} via ${route.gateway} dev ${vtep}`,
        neigh === undefined
          ? `neighbour: none for ${route.gateway}`
          : `neighbour: ${route.gateway} → ${neigh.mac ?? '(no MAC)'} ${neigh.state.join(' ')}`,
        fdb === undefined ? 'FDB: none for that MAC' : `FDB: ${fdb.mac} dst ${fdb.dst ?? '?'}`,
        ...chain.issues.map((i) => `${i.severity}: ${i.why} (${i.code})`),
      ],
    });
    b.edge({
      id: `fdb${tag}:${route.dst}`,
      kind: 'fdb',
      source: exit,
      target: id,
      health,
      label: route.dst,
      loc: at(route.loc),
      lines,
      keys: [route.dst],
      details: [],
    });
  }
  // FDB entries whose MAC is no peer's VTEP MAC: leftovers of a node that went away or changed its MAC.
  for (const [mac, entries] of view.vtepFdb) {
    if (peers.byMac.has(mac) || chained.has(mac)) continue;
    for (const e of entries) {
      const owner = e.dst === undefined ? undefined : peers.byIp.get(e.dst);
      const id = `remote${tag}:?${mac}`;
      if (b.nodes.some((n) => n.id === id)) continue;
      b.add({
        id,
        kind: 'remote-vtep',
        label: `${owner === undefined ? 'unknown VTEP' : `old VTEP of ${owner.name}`}\n${mac}\n${e.dst ?? '?'}`,
        health: 'warning',
        problems: 0,
        loc: at(e.loc),
        lines: [at(e.loc)],
        keys: [mac, e.dst].filter((k): k is string => k !== undefined),
        details: [`FDB ${mac} dst ${e.dst ?? '?'}: no node of the cluster has this VTEP MAC`],
      });
      b.edge({
        id: `fdb${tag}:?${mac}`,
        kind: 'fdb',
        source: exit,
        target: id,
        health: 'warning',
        label: e.dst ?? '',
        loc: at(e.loc),
        lines: [at(e.loc)],
        keys: [mac],
        details: [`FDB ${mac} dst ${e.dst ?? '?'}`],
      });
    }
  }
}

function addRemote(
  b: Builder,
  tag: string,
  peer: Peer,
  health: Health,
  exit: string,
  details: string[],
  lines: GraphLoc[],
  direct: boolean,
): void {
  const id = `remote${tag}:${peer.name}`;
  b.add({
    id,
    kind: 'remote-vtep',
    label: [peer.name, peer.vtepMac, peer.publicIp].filter((x) => x !== undefined).join('\n'),
    health,
    problems: 0,
    ...(lines[0] === undefined ? {} : { loc: lines[0] }),
    lines,
    keys: [peer.name, peer.vtepMac, peer.publicIp, peer.subnet.cidr]
      .filter((k): k is string => k !== undefined)
      .map((k) => k.toLowerCase()),
    details: [`Peer ${peer.name}: subnet ${peer.subnet.cidr}`, ...details],
  });
  b.edge({
    id: `fdb${tag}:${peer.name}`,
    kind: 'fdb',
    source: exit,
    target: id,
    health,
    label: direct ? `${peer.subnet.cidr} (direct)` : peer.subnet.cidr,
    ...(lines[0] === undefined ? {} : { loc: lines[0] }),
    lines,
    keys: [peer.subnet.cidr],
    details,
  });
}
