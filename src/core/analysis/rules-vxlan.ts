// The route → neighbour → FDB chain on the VTEP, per node, checked against each peer's live state:
// the three entries flannel writes for every remote node, and nothing left over.

import type { FdbEntry, Route, SourceLocation } from '../model/types';
import { type Chain, chainForRoute, type ChainIssue, chainToPeer, kernelRoute } from './chain';
import { count, AGGREGATE_ABOVE, SAMPLE_SIZE, sampleList } from './aggregate';
import { fdbDel, fdbFix, fdbReplace, type Fix, lines, neighDel, neighFix, routeDel, routeFix } from './fixes';
import { type Emit, related } from './findings';
import type { Peer, PeerIndex } from './peers';
import {
  complete,
  inSubnet,
  listingLoc,
  networkKey,
  type NodeView,
  routeSubnet,
  type Subnet,
  subnetOf,
} from './view';

function fdbOf(view: NodeView, mac: string): FdbEntry[] {
  return view.vtepFdb.get(mac) ?? [];
}

function loc(view: NodeView, at: SourceLocation): { file: string; line: number } {
  return { file: view.file, line: at.line };
}

/** Who takes part in a chain's findings: the route, the peer and the entries the walk found. */
interface Walked {
  view: NodeView;
  chain: Chain;
  route: Route;
}

/** Marks, among the used MACs, that some route needs a MAC no snapshot names. */
const UNKNOWN_NEED = '?';

export function checkVxlanChain(view: NodeView, peers: PeerIndex, emit: Emit): void {
  const vtep = view.vtepName;
  const usedGateways = new Set<string>();
  const usedMacs = new Set<string>();
  /** FDB entries of a live MAC that tunnel to the wrong node: reported as fdb-dst-mismatch, not leftovers. */
  const misdirected = new Set<FdbEntry>();

  // 1. Every flannel route: its shape, then the chain it starts (chain.ts walks it as the kernel does).
  for (const route of view.flannelRoutes) {
    const subnet = routeSubnet(route);
    if (subnet === undefined) continue;
    const sameDst = view.routesByDst.get(route.dst);
    const previous =
      sameDst !== undefined && sameDst.length > 1
        ? sameDst.find(
            (r) =>
              r !== route &&
              r.loc.line < route.loc.line &&
              (r.metric ?? 0) === (route.metric ?? 0) &&
              r.table === route.table,
          )
        : undefined;
    if (previous !== undefined) {
      emit(
        'route-duplicate',
        view,
        route.loc,
        `${view.name} has two routes for ${route.dst}: the kernel uses only one of them`,
        {
          detail: `Two routes for ${route.dst} (also line ${previous.loc.line}): the kernel uses only one of them.`,
          related: [{ ...loc(view, previous.loc), message: 'the other route' }],
        },
      );
    }
    // A route the kernel never chooses (a later one of the same metric, or a higher metric) starts no chain.
    if (kernelRoute(sameDst, vtep) !== route) continue;
    const chain = chainForRoute(view, route, peers);
    const ownSubnet = view.subnet !== undefined && subnet.cidr === view.subnet.cidr;
    if (!ownSubnet) checkStaleRoute(view, route, subnet, chain.peer, peers, emit);
    if (chain.gateway !== undefined) usedGateways.add(chain.gateway);
    if (chain.neighbour?.mac !== undefined) usedMacs.add(chain.neighbour.mac);
    // The peer's FDB entry is not a leftover: it is what a repaired neighbour entry leads to.
    if (chain.peer?.vtepMac !== undefined) usedMacs.add(chain.peer.vtepMac);
    for (const e of chain.misdirected) misdirected.add(e);
    // A route whose peer's MAC the snapshots do not give may need any of the FDB entries.
    if (!chain.resolved && chain.mac === undefined) usedMacs.add(UNKNOWN_NEED);
    const walked: Walked = { view, chain, route };
    for (const issue of chain.issues) {
      emitIssue(walked, issue, emit);
      if (issue.severity === 'error' && issue.step !== 'route') break;
    }
  }

  // 2. Peers this node has no route for.
  if (complete(view, 'routes')) {
    const missing: MissingRoute[] = [];
    for (const peer of peers.peers) {
      if (peer.name === view.name) continue;
      if (view.subnet !== undefined && peer.subnet.cidr === view.subnet.cidr) continue;
      const chain = chainToPeer(view, peer, peers);
      const issue = chain.issues[0];
      if (chain.route !== undefined || issue?.step !== 'route') continue;
      const other = chain.otherRoute;
      if (other !== undefined) {
        emit(
          'route-invalid',
          view,
          other.loc,
          `${view.name} cannot reach pods on ${peer.name} through the tunnel: its route bypasses ${vtep}`,
          {
            detail: `Route for ${peer.name}'s subnet ${peer.subnet.cidr} uses ${other.dev ?? '?'}${other.gateway === undefined ? '' : ` via ${other.gateway}`}, not ${vtep} via ${peer.subnet.network}.`,
            fix: routeFix(peer.subnet, vtep),
            related: [related(peer.subnet.loc, `${peer.name}'s subnet ${peer.subnet.cidr}`)],
          },
        );
        continue;
      }
      const mac = peer.vtepMac;
      // The peer's neighbour and FDB entries are what the missing route needs, not leftovers: the fix
      // keeps them (rewriting a neighbour whose MAC is not the peer's), so they are not reported stale.
      usedGateways.add(peer.subnet.network);
      if (mac !== undefined) usedMacs.add(mac);
      missing.push({ peer, neighbour: chain.neighbour });
    }
    emitRouteMissing(view, missing, emit);
    // Subnets this node's own neighbour entries name, inside the network, that no route and no known node covers.
    for (const [ip, entries] of view.vtepNeighbours) {
      if (usedGateways.has(ip) || view.network === undefined || !inSubnet(ip, view.network)) continue;
      const prefix = view.subnet?.prefix;
      if (prefix === undefined || peers.bySubnet.has(`${ip}/${prefix}`)) continue;
      const entry = entries[0]!;
      usedGateways.add(ip);
      const target = subnetOf(`${ip}/${prefix}`, entry.loc);
      if (target === undefined) continue;
      emit(
        'route-missing',
        view,
        entry.loc,
        `${view.name} cannot reach pods in ${target.cidr}: it has no route for that subnet`,
        {
          detail: `${vtep} has a neighbour entry for ${ip} (a node's VTEP address) but no route for ${target.cidr}.`,
          fix: routeFix(target, vtep),
        },
      );
    }
  }

  // 3. Entries no route uses: leftovers of nodes that left or changed.
  if (complete(view, 'routes')) {
    for (const [ip, entries] of view.vtepNeighbours) {
      if (usedGateways.has(ip)) continue;
      for (const entry of entries) {
        const outside =
          view.network !== undefined && !inSubnet(ip, view.network)
            ? ` and lies outside ${networkKey(view)} ${view.network.cidr}`
            : '';
        const leadsTo = entry.mac === undefined ? [] : fdbOf(view, entry.mac);
        emit(
          'neigh-stale',
          view,
          entry.loc,
          `${view.name} keeps a leftover neighbour entry for ${ip} on ${vtep}: no route uses it`,
          {
            detail: `Neighbour ${ip}${entry.mac === undefined ? '' : ` → ${entry.mac}`} on ${vtep} is used by no route${outside}: a leftover of a node that is gone.`,
            fix: neighDel(ip, vtep),
            related: leadsTo.map((f) => related(f.loc, `the FDB entry it leads to (dst ${f.dst ?? '?'})`)),
          },
        );
        if (entry.mac !== undefined) usedMacs.add(entry.mac); // its FDB entry is covered by this finding
      }
    }
  }
  checkFdbLeftovers(view, peers, usedMacs, misdirected, emit);
}

/** A peer whose subnet this node has no route for, and the neighbour entry it has for it, if any. */
interface MissingRoute {
  peer: Peer;
  neighbour: Chain['neighbour'];
}

/** What this node needs to reach `peer`: its neighbour and FDB entries where they are not right, and the route. */
function missingRouteFix(view: NodeView, { peer, neighbour }: MissingRoute): Fix | undefined {
  const vtep = view.vtepName;
  const mac = peer.vtepMac;
  return lines(
    mac !== undefined && neighbour?.mac !== mac && neighFix(peer.subnet.network, mac, vtep),
    mac !== undefined &&
      peer.publicIp !== undefined &&
      fdbOf(view, mac).length === 0 &&
      fdbFix(mac, peer.publicIp, vtep),
    routeFix(peer.subnet, vtep),
  );
}

const peerSubnet = ({ peer }: MissingRoute) =>
  related(peer.subnet.loc, `${peer.name}'s subnet ${peer.subnet.cidr}`);

/**
 * One finding per missing route; above AGGREGATE_ABOVE, one for them all at the route listing, naming the
 * count and a sample, with the sample's fixes (a node missing every route is better served by flanneld
 * re-adding them than by thousands of pasted commands).
 */
function emitRouteMissing(view: NodeView, missing: readonly MissingRoute[], emit: Emit): void {
  if (missing.length <= AGGREGATE_ABOVE) {
    for (const m of missing) {
      const { peer } = m;
      emit(
        'route-missing',
        view,
        m.neighbour?.loc ?? listingLoc(view, 'routes'),
        `${view.name} cannot reach pods on ${peer.name}: no route for ${peer.subnet.cidr}`,
        {
          detail: `No route for ${peer.name}'s pod subnet ${peer.subnet.cidr}: pods here cannot reach pods on ${peer.name}.`,
          fix: missingRouteFix(view, m),
          related: [peerSubnet(m)],
        },
      );
    }
    return;
  }
  const sample = missing.slice(0, SAMPLE_SIZE);
  emit(
    'route-missing',
    view,
    listingLoc(view, 'routes'),
    `${view.name} cannot reach pods on ${count(missing.length)} peers: no route for their subnets`,
    {
      detail: `No route for the pod subnets of ${count(missing.length)} peers (${sampleList(
        missing.map((m) => m.peer.name),
      )}): pods here cannot reach pods on them. The fix adds the first ${sample.length}; flanneld re-adds the route of every node it knows when it restarts on ${view.name}.`,
      fix: lines(...sample.map((m) => missingRouteFix(view, m))),
      related: sample.map(peerSubnet),
    },
  );
}

/** A flannel route to a subnet outside FLANNEL_NETWORK, or that no node of the cluster record owns. */
function checkStaleRoute(
  view: NodeView,
  route: Route,
  subnet: Subnet,
  peer: Peer | undefined,
  peers: PeerIndex,
  emit: Emit,
): void {
  const vtep = view.vtepName;
  if (view.network !== undefined && !inSubnet(subnet.network, view.network)) {
    emit(
      'route-stale',
      view,
      route.loc,
      `${view.name} routes ${route.dst} into the tunnel, outside the pod network: no node owns it`,
      {
        detail: `Route for ${route.dst} via ${vtep} lies outside ${networkKey(view)} ${view.network.cidr}: no flannel node owns it.`,
        fix: routeDel(route.dst, vtep),
        related: [related(view.network.loc, `${networkKey(view)}=${view.network.cidr}`)],
      },
    );
  } else if (peer === undefined && peers.hasClusterRecord) {
    emit(
      'route-stale',
      view,
      route.loc,
      `${view.name} routes ${route.dst} into the tunnel, but no node in the cluster record owns it`,
      {
        detail: `Route for ${route.dst} via ${vtep} leads to a subnet no node in the cluster record owns.`,
        fix: routeDel(route.dst, vtep),
      },
    );
  }
}

/** Reports one place where a route's chain breaks or degrades, with the commands that repair it. */
function emitIssue(walked: Walked, issue: ChainIssue, emit: Emit): void {
  const { view, chain, route } = walked;
  const vtep = view.vtepName;
  const peer = chain.peer;
  const gateway = chain.gateway ?? '?';
  const neighbour = chain.neighbour;
  const severity = issue.severity === 'warning' ? { severity: 'warning' as const } : {};
  switch (issue.code) {
    case 'route-invalid': {
      if (view.subnet !== undefined && routeSubnet(route)?.cidr === view.subnet.cidr) {
        emit(
          'route-invalid',
          view,
          route.loc,
          `${view.name} sends traffic for its own pods into the tunnel: route ${route.dst} belongs on cni0`,
          {
            detail: `Route for ${route.dst} sends this node's own pod subnet into the tunnel (${vtep}); it belongs on cni0.`,
            fix: routeDel(route.dst, vtep),
          },
        );
        return;
      }
      const subnet = routeSubnet(route);
      const expectedPrefix = view.subnet?.prefix;
      const target: Subnet | undefined =
        subnet !== undefined && expectedPrefix !== undefined && subnet.prefix !== expectedPrefix
          ? (subnetOf(`${subnet.network}/${expectedPrefix}`, route.loc) ?? subnet)
          : subnet;
      emit(
        'route-invalid',
        view,
        route.loc,
        `${view.name} may not reach pods in ${route.dst}: its flannel route is malformed`,
        {
          detail: `Flannel route for ${route.dst} ${issue.why}.`,
          fix: lines(
            target !== undefined && target.cidr !== route.dst && routeDel(route.dst, vtep),
            target !== undefined && routeFix(target, vtep),
          ),
        },
      );
      return;
    }
    case 'neigh-missing': {
      const mac = peer?.vtepMac;
      emit(
        'neigh-missing',
        view,
        route.loc,
        `${view.name} cannot reach pods ${peer === undefined ? `in ${route.dst}` : `on ${peer.name}`}: no neighbour entry for ${gateway}`,
        {
          detail: `Route for ${route.dst} goes via ${gateway}, but ${vtep} has no neighbour entry for ${gateway}${peer === undefined ? '' : ` (${peer.name}'s VTEP)`}: packets to it are dropped.`,
          ...(mac !== undefined
            ? {
                fix: lines(
                  neighFix(gateway, mac, vtep),
                  peer?.publicIp !== undefined &&
                    fdbOf(view, mac).length === 0 &&
                    fdbFix(mac, peer.publicIp, vtep),
                ),
              }
            : {}),
          related: [
            { ...listingLoc(view, 'neighbours'), message: 'the neighbour listing' },
            ...(peer?.vtepMacLoc !== undefined
              ? [related(peer.vtepMacLoc, `${peer.name}'s VTEP MAC ${mac ?? ''}`)]
              : []),
          ],
        },
      );
      return;
    }
    case 'neigh-incomplete': {
      if (neighbour === undefined) return;
      const message =
        issue.severity === 'error'
          ? `Neighbour entry for ${gateway} on ${vtep} is ${neighbour.state.join(',') || 'unresolved'}: flannel's entries are permanent, this one never resolved.`
          : `Neighbour entry for ${gateway} on ${vtep} is ${neighbour.state.join(',')}, not PERMANENT: it works until the kernel re-probes it, and the VTEP answers no probe.`;
      const mac = peer?.vtepMac ?? (issue.severity === 'warning' ? neighbour.mac : undefined);
      emit(
        'neigh-incomplete',
        view,
        neighbour.loc,
        `${issue.severity === 'error' ? `${view.name} cannot reach pods in ${route.dst}: the neighbour entry for ${gateway} never resolved` : `${view.name} may lose pods in ${route.dst}: the neighbour entry for ${gateway} is not permanent`}`,
        {
          detail: message,
          ...severity,
          ...(mac !== undefined ? { fix: neighFix(gateway, mac, vtep) } : {}),
          related: [related(route.loc, `route for ${route.dst}`)],
        },
      );
      return;
    }
    case 'neigh-mac-mismatch': {
      if (neighbour?.mac === undefined) return;
      const mac = neighbour.mac;
      const owner = peer;
      if (owner?.vtepMac === undefined) return;
      const fdb = fdbOf(view, mac);
      const old = fdb.map((f) => fdbDel(mac, f.dst, vtep));
      const ownerIp = owner.publicIp;
      emit(
        'neigh-mac-mismatch',
        view,
        neighbour.loc,
        `${view.name} cannot reach pods on ${owner.name}: its neighbour entry holds ${owner.name}'s old VTEP MAC`,
        {
          detail: `Neighbour ${gateway} on ${vtep} points to ${mac}, but ${owner.name}'s VTEP MAC is now ${owner.vtepMac}${fdb.length > 0 ? ` (the FDB entry for ${mac} still tunnels to ${fdb.map((f) => f.dst ?? '?').join(', ')})` : ''}: traffic to ${route.dst} goes nowhere.`,
          fix: lines(
            neighFix(gateway, owner.vtepMac, vtep),
            ownerIp !== undefined &&
              fdbOf(view, owner.vtepMac).length === 0 &&
              fdbFix(owner.vtepMac, ownerIp, vtep),
            ...old,
          ),
          related: [
            ...(owner.vtepMacLoc !== undefined
              ? [related(owner.vtepMacLoc, `${owner.name}'s live VTEP MAC ${owner.vtepMac}`)]
              : []),
            ...fdb.map((f) => related(f.loc, `FDB entry for the old MAC ${mac}`)),
            related(route.loc, `route for ${route.dst}`),
          ],
        },
      );
      return;
    }
    case 'fdb-missing': {
      const mac = chain.mac ?? '?';
      const peerIp = peer?.publicIp;
      const fix = peerIp === undefined ? {} : { fix: fdbFix(mac, peerIp, vtep) };
      const evidence = [
        { ...listingLoc(view, 'fdb'), message: 'the FDB listing' },
        ...(peer?.publicIpLoc !== undefined
          ? [related(peer.publicIpLoc, `${peer.name}'s public IP ${peerIp ?? ''}`)]
          : []),
      ];
      if (neighbour === undefined) return;
      emit(
        'fdb-missing',
        view,
        neighbour.loc,
        `${view.name} cannot reach pods in ${route.dst}: no FDB entry says where ${mac} is`,
        {
          detail: `Neighbour ${gateway} on ${vtep} resolves to ${mac}, but the FDB has no entry for ${mac}: the kernel does not know which node to tunnel to.`,
          ...fix,
          related: evidence,
        },
      );
      return;
    }
    case 'fdb-dst-mismatch': {
      const entry = chain.fdb.find((e) => e.loc === issue.loc);
      if (entry === undefined) return;
      emitMisdirected(walked, entry, issue, emit);
      return;
    }
    default:
      return;
  }
}

/** An FDB entry whose dst is not its owner's public IP (an error, or a warning when another dst is right). */
function emitMisdirected({ view, chain }: Walked, entry: FdbEntry, issue: ChainIssue, emit: Emit): void {
  const peer = chain.peer;
  const cidr = chain.cidr;
  const vtep = view.vtepName;
  const severity = issue.severity === 'warning' ? { severity: 'warning' as const } : {};
  if (issue.severity === 'warning') {
    emit(
      'fdb-dst-mismatch',
      view,
      entry.loc,
      `${view.name} sends copies of frames for ${entry.mac} to ${entry.dst ?? '(no dst)'}, where they are dropped`,
      {
        detail: `FDB entry ${entry.mac} on ${vtep} also tunnels to ${entry.dst ?? '(no dst)'}${peer === undefined ? '' : `, not ${peer.name}`}: the kernel sends a copy of every frame for ${entry.mac} to each dst listed, and that one is dropped there.`,
        ...severity,
        fix: fdbDel(entry.mac, entry.dst, vtep),
      },
    );
    return;
  }
  if (view.publicIp !== undefined && entry.dst === view.publicIp) {
    emit(
      'fdb-dst-mismatch',
      view,
      entry.loc,
      `${view.name} tunnels frames for ${entry.mac} to itself (${entry.dst}): they never reach the peer`,
      {
        detail: `FDB entry ${entry.mac} on ${vtep} tunnels to ${entry.dst}, this node's own address.`,
        ...(peer?.publicIp !== undefined ? { fix: fdbReplace(entry.mac, peer.publicIp, vtep) } : {}),
      },
    );
    return;
  }
  if (issue.step === 'receiver' || peer === undefined) {
    const receiver = chain.receiver;
    if (receiver === undefined) return;
    emit(
      'fdb-dst-mismatch',
      view,
      entry.loc,
      `${view.name} cannot reach pods in ${cidr}: its FDB entry sends them to ${receiver.name}`,
      {
        detail: `FDB entry ${entry.mac} on ${vtep} tunnels to ${entry.dst ?? '?'}, which is ${receiver.name}, whose VTEP MAC is ${receiver.vtepMac ?? '?'}: ${receiver.name} drops these frames, so traffic to ${cidr} goes nowhere.`,
        fix: fdbDel(entry.mac, entry.dst, vtep),
        ...(receiver.vtepMacLoc === undefined
          ? {}
          : {
              related: [
                related(receiver.vtepMacLoc, `${receiver.name}'s VTEP MAC ${receiver.vtepMac ?? ''}`),
              ],
            }),
      },
    );
    return;
  }
  emit(
    'fdb-dst-mismatch',
    view,
    entry.loc,
    `${view.name} cannot reach pods on ${peer.name}: its FDB entry tunnels to the wrong address`,
    {
      detail: `FDB entry ${entry.mac} on ${vtep} tunnels to ${entry.dst ?? '(no dst)'}, but ${peer.name} (subnet ${peer.subnet.cidr}) is at ${peer.publicIp ?? 'another address'}.`,
      fix: lines(
        fdbDel(entry.mac, entry.dst, vtep),
        peer.publicIp !== undefined && fdbFix(entry.mac, peer.publicIp, vtep),
      ),
      related:
        peer.publicIpLoc === undefined || peer.publicIp === undefined
          ? []
          : [related(peer.publicIpLoc, `${peer.name}'s public IP ${peer.publicIp}`)],
    },
  );
}

/** FDB entries on the VTEP that no neighbour entry leads to; several MACs for one dst are named as such. */
function checkFdbLeftovers(
  view: NodeView,
  peers: PeerIndex,
  usedMacs: ReadonlySet<string>,
  misdirected: ReadonlySet<FdbEntry>,
  emit: Emit,
): void {
  const vtep = view.vtepName;
  // Most dsts have one MAC: remember the first entry per dst and list only those that have more.
  const firstByDst = new Map<string, FdbEntry>();
  const byDst = new Map<string, FdbEntry[]>();
  for (const entries of view.vtepFdb.values()) {
    for (const e of entries) {
      if (e.dst === undefined || misdirected.has(e)) continue;
      const first = firstByDst.get(e.dst);
      if (first === undefined) firstByDst.set(e.dst, e);
      else {
        const list = byDst.get(e.dst);
        if (list === undefined) byDst.set(e.dst, [first, e]);
        else list.push(e);
      }
    }
  }
  const neighboursKnown = complete(view, 'neighbours');
  const reported = new Set<FdbEntry>();
  for (const [dst, entries] of byDst) {
    const macs = [...new Set(entries.map((e) => e.mac))];
    if (macs.length < 2) continue;
    const owner = peers.byIp.get(dst);
    for (const e of entries) {
      const live =
        owner?.vtepMac !== undefined
          ? e.mac === owner.vtepMac
          : neighboursKnown
            ? usedMacs.has(e.mac)
            : undefined;
      if (live === true) continue;
      reported.add(e);
      const others = macs.filter((m) => m !== e.mac).join(', ');
      emit(
        'fdb-duplicate-dst',
        view,
        e.loc,
        `${view.name} keeps a leftover FDB entry ${e.mac} for ${dst}: an earlier VTEP MAC`,
        {
          detail: `FDB entries ${e.mac} and ${others} both tunnel to ${dst}${owner === undefined ? '' : ` (${owner.name})`}; ${e.mac} is ${live === false ? 'not its live VTEP MAC' : 'one of them'}: a leftover of an earlier VTEP MAC.`,
          ...(live === false ? { fix: fdbDel(e.mac, dst, vtep) } : {}),
          related: entries.filter((x) => x !== e).map((x) => related(x.loc, `also tunnels to ${dst}`)),
        },
      );
    }
  }
  // A leftover is an entry no neighbour entry and no route can lead to: both listings must be whole.
  if (!neighboursKnown || !complete(view, 'routes')) return;
  // An entry some neighbour entry points to is referenced, whether or not the routes were listed.
  const referenced = new Set<string>();
  for (const entries of view.vtepNeighbours.values())
    for (const n of entries) if (n.mac !== undefined) referenced.add(n.mac);
  for (const [mac, entries] of view.vtepFdb) {
    // A node's live VTEP MAC is needed, not a leftover: what lacks is the neighbour entry, which the
    // chain of the route reports where the routes are known.
    if (usedMacs.has(mac) || usedMacs.has(UNKNOWN_NEED) || referenced.has(mac) || peers.liveMacs.has(mac))
      continue;
    for (const e of entries) {
      if (reported.has(e)) continue;
      const owner = e.dst === undefined ? undefined : peers.byIp.get(e.dst);
      emit(
        'fdb-stale',
        view,
        e.loc,
        `${view.name} keeps a leftover FDB entry ${mac} on ${vtep}: no neighbour entry uses it`,
        {
          detail: `FDB entry ${mac} on ${vtep}${e.dst === undefined ? '' : ` (dst ${e.dst}${owner === undefined ? '' : `, ${owner.name}`})`} is referenced by no neighbour entry.`,
          fix: fdbDel(mac, e.dst, vtep),
        },
      );
    }
  }
}
