// The route → neighbour → FDB chain on the VTEP, per node, checked against each peer's live state:
// the three entries flannel writes for every remote node, and nothing left over.

import type { FdbEntry, Neighbour, SourceLocation } from '../model/types';
import { fdbDel, fdbFix, fdbReplace, lines, neighDel, neighFix, routeDel, routeFix } from './fixes';
import { type Emit, related } from './findings';
import type { Peer, PeerIndex } from './peers';
import { complete, inSubnet, ipv4Cidr, listingLoc, type NodeView, routeSubnet, type Subnet } from './view';

const BROKEN_STATES = new Set(['INCOMPLETE', 'FAILED']);

function neighbourOf(view: NodeView, ip: string): Neighbour | undefined {
  return view.vtepNeighbours.get(ip)?.[0];
}

function fdbOf(view: NodeView, mac: string): FdbEntry[] {
  return view.vtepFdb.get(mac) ?? [];
}

function hasTunnelRoute(view: NodeView, cidr: string): boolean {
  return view.routesByDst.get(cidr)?.some((r) => r.dev === view.vtepName) === true;
}

/** Does this route reach the peer directly over the underlay (flannel's DirectRouting)? */
function directRoute(view: NodeView, peer: Peer): boolean {
  const routes = view.routesByDst.get(peer.subnet.cidr) ?? [];
  return routes.some((r) => r.gateway !== undefined && r.gateway === peer.publicIp);
}

function loc(view: NodeView, at: SourceLocation): { file: string; line: number } {
  return { file: view.file, line: at.line };
}

export function checkVxlanChain(view: NodeView, peers: PeerIndex, emit: Emit): void {
  const vtep = view.vtepName;
  const usedGateways = new Set<string>();
  const usedMacs = new Set<string>();
  /** FDB entries of a live MAC that tunnel to the wrong node: reported as fdb-dst-mismatch, not leftovers. */
  const misdirected = new Set<FdbEntry>();

  // 1. Every flannel route: its shape, then its neighbour, then the FDB entry that neighbour leads to.
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
        `Two routes for ${route.dst} (also line ${previous.loc.line}): the kernel uses only one of them.`,
        {
          related: [{ ...loc(view, previous.loc), message: 'the other route' }],
        },
      );
    }
    const peer = peers.bySubnet.get(subnet.cidr);

    if (view.subnet !== undefined && subnet.cidr === view.subnet.cidr) {
      emit(
        'route-invalid',
        view,
        route.loc,
        `Route for ${route.dst} sends this node's own pod subnet into the tunnel (${vtep}); it belongs on cni0.`,
        {
          fix: routeDel(route.dst, vtep),
        },
      );
      continue;
    }
    if (view.network !== undefined && !inSubnet(subnet.network, view.network)) {
      emit(
        'route-stale',
        view,
        route.loc,
        `Route for ${route.dst} via ${vtep} lies outside FLANNEL_NETWORK ${view.network.cidr}: no flannel node owns it.`,
        {
          fix: routeDel(route.dst, vtep),
          related: [related(view.network.loc, `FLANNEL_NETWORK=${view.network.cidr}`)],
        },
      );
    } else if (peer === undefined && peers.hasClusterRecord) {
      emit(
        'route-stale',
        view,
        route.loc,
        `Route for ${route.dst} via ${vtep} leads to a subnet no node in the cluster record owns.`,
        {
          fix: routeDel(route.dst, vtep),
        },
      );
    }
    const expectedPrefix = view.subnet?.prefix;
    const shapeWrong =
      route.gateway !== subnet.network || (expectedPrefix !== undefined && subnet.prefix !== expectedPrefix);
    if (shapeWrong) {
      const why =
        route.gateway === undefined
          ? 'has no gateway'
          : route.gateway !== subnet.network
            ? `goes via ${route.gateway} instead of the subnet's network address ${subnet.network}`
            : `has prefix /${subnet.prefix} where node subnets are /${expectedPrefix}`;
      const target: Subnet =
        expectedPrefix !== undefined && subnet.prefix !== expectedPrefix
          ? (ipv4Cidr(`${subnet.network}/${expectedPrefix}`, route.loc) ?? subnet)
          : subnet;
      emit('route-invalid', view, route.loc, `Flannel route for ${route.dst} ${why}.`, {
        fix: lines(target.cidr !== route.dst && routeDel(route.dst, vtep), routeFix(target, vtep)),
      });
    }
    const gateway = route.gateway ?? subnet.network;
    usedGateways.add(gateway);
    const neighbour = neighbourOf(view, gateway);
    if (neighbour === undefined) {
      if (complete(view, 'neighbours')) {
        const mac = peer?.vtepMac;
        // The peer's FDB entry is not a leftover: it waits for this neighbour entry to come back.
        if (mac !== undefined) usedMacs.add(mac);
        emit(
          'neigh-missing',
          view,
          route.loc,
          `Route for ${route.dst} goes via ${gateway}, but ${vtep} has no neighbour entry for ${gateway}${peer === undefined ? '' : ` (${peer.name}'s VTEP)`}: packets to it are dropped.`,
          {
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
      }
      continue;
    }
    if (neighbour.mac === undefined || neighbour.state.some((s) => BROKEN_STATES.has(s))) {
      // As for a missing entry: the peer's FDB entry is what the fixed neighbour will lead to.
      if (peer?.vtepMac !== undefined) usedMacs.add(peer.vtepMac);
      emit(
        'neigh-incomplete',
        view,
        neighbour.loc,
        `Neighbour entry for ${gateway} on ${vtep} is ${neighbour.state.join(',') || 'unresolved'}: flannel's entries are permanent, this one never resolved.`,
        {
          ...(peer?.vtepMac !== undefined ? { fix: neighFix(gateway, peer.vtepMac, vtep) } : {}),
          related: [related(route.loc, `route for ${route.dst}`)],
        },
      );
      continue;
    }
    const mac = neighbour.mac;
    usedMacs.add(mac);
    const fdb = fdbOf(view, mac);
    if (peer?.vtepMac !== undefined && peer.vtepMac !== mac) {
      const old = fdb.map((f) => fdbDel(mac, f.dst, vtep));
      emit(
        'neigh-mac-mismatch',
        view,
        neighbour.loc,
        `Neighbour ${gateway} on ${vtep} points to ${mac}, but ${peer.name}'s VTEP MAC is now ${peer.vtepMac}${fdb.length > 0 ? ` (the FDB entry for ${mac} still tunnels to ${fdb.map((f) => f.dst ?? '?').join(', ')})` : ''}: traffic to ${route.dst} goes nowhere.`,
        {
          fix: lines(
            neighFix(gateway, peer.vtepMac, vtep),
            peer.publicIp !== undefined && fdbFix(peer.vtepMac, peer.publicIp, vtep),
            ...old,
          ),
          related: [
            ...(peer.vtepMacLoc !== undefined
              ? [related(peer.vtepMacLoc, `${peer.name}'s live VTEP MAC ${peer.vtepMac}`)]
              : []),
            ...fdb.map((f) => related(f.loc, `FDB entry for the old MAC ${mac}`)),
            related(route.loc, `route for ${route.dst}`),
          ],
        },
      );
      // The FDB entries of the old MAC are part of this finding; the new MAC's are the fix.
      continue;
    }
    if (fdb.length === 0) {
      if (complete(view, 'fdb')) {
        emit(
          'fdb-missing',
          view,
          neighbour.loc,
          `Neighbour ${gateway} on ${vtep} resolves to ${mac}, but the FDB has no entry for ${mac}: the kernel does not know which node to tunnel to.`,
          {
            ...(peer?.publicIp !== undefined ? { fix: fdbFix(mac, peer.publicIp, vtep) } : {}),
            related: [
              { ...listingLoc(view, 'fdb'), message: 'the FDB listing' },
              ...(peer?.publicIpLoc !== undefined
                ? [related(peer.publicIpLoc, `${peer.name}'s public IP ${peer.publicIp ?? ''}`)]
                : []),
            ],
          },
        );
      }
      continue;
    }
    for (const entry of fdb) if (checkFdbDst(view, entry, peer, emit)) misdirected.add(entry);
  }

  // 2. Peers this node has no route for.
  if (complete(view, 'routes')) {
    for (const peer of peers.peers) {
      if (peer.name === view.name || hasTunnelRoute(view, peer.subnet.cidr) || directRoute(view, peer))
        continue;
      if (view.subnet !== undefined && peer.subnet.cidr === view.subnet.cidr) continue;
      const other = view.routesByDst.get(peer.subnet.cidr)?.[0];
      if (other !== undefined) {
        emit(
          'route-invalid',
          view,
          other.loc,
          `Route for ${peer.name}'s subnet ${peer.subnet.cidr} uses ${other.dev ?? '?'}${other.gateway === undefined ? '' : ` via ${other.gateway}`}, not ${vtep} via ${peer.subnet.network}.`,
          {
            fix: routeFix(peer.subnet, vtep),
            related: [related(peer.subnet.loc, `${peer.name}'s subnet ${peer.subnet.cidr}`)],
          },
        );
        continue;
      }
      const neighbour = neighbourOf(view, peer.subnet.network);
      const mac = peer.vtepMac;
      // The peer's neighbour and FDB entries are what the missing route needs, not leftovers: the fix
      // keeps them (rewriting a neighbour whose MAC is not the peer's), so they are not reported stale.
      usedGateways.add(peer.subnet.network);
      if (mac !== undefined) usedMacs.add(mac);
      emit(
        'route-missing',
        view,
        neighbour?.loc ?? listingLoc(view, 'routes'),
        `No route for ${peer.name}'s pod subnet ${peer.subnet.cidr}: pods here cannot reach pods on ${peer.name}.`,
        {
          fix: lines(
            mac !== undefined && neighbour?.mac !== mac && neighFix(peer.subnet.network, mac, vtep),
            mac !== undefined &&
              peer.publicIp !== undefined &&
              fdbOf(view, mac).length === 0 &&
              fdbFix(mac, peer.publicIp, vtep),
            routeFix(peer.subnet, vtep),
          ),
          related: [related(peer.subnet.loc, `${peer.name}'s subnet ${peer.subnet.cidr}`)],
        },
      );
    }
    // Subnets this node's own neighbour entries name, inside the network, that no route and no known node covers.
    for (const [ip, entries] of view.vtepNeighbours) {
      if (usedGateways.has(ip) || view.network === undefined || !inSubnet(ip, view.network)) continue;
      const prefix = view.subnet?.prefix;
      if (prefix === undefined || peers.bySubnet.has(`${ip}/${prefix}`)) continue;
      const entry = entries[0]!;
      usedGateways.add(ip);
      const target = ipv4Cidr(`${ip}/${prefix}`, entry.loc);
      if (target === undefined) continue;
      emit(
        'route-missing',
        view,
        entry.loc,
        `${vtep} has a neighbour entry for ${ip} (a node's VTEP address) but no route for ${target.cidr}.`,
        { fix: routeFix(target, vtep) },
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
            ? ` and lies outside FLANNEL_NETWORK ${view.network.cidr}`
            : '';
        const leadsTo = entry.mac === undefined ? [] : fdbOf(view, entry.mac);
        emit(
          'neigh-stale',
          view,
          entry.loc,
          `Neighbour ${ip}${entry.mac === undefined ? '' : ` → ${entry.mac}`} on ${vtep} is used by no route${outside}: a leftover of a node that is gone.`,
          {
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

/** Reports an FDB entry whose dst is not its owner's public IP; true when it did. */
function checkFdbDst(view: NodeView, entry: FdbEntry, peer: Peer | undefined, emit: Emit): boolean {
  const vtep = view.vtepName;
  if (entry.dst === undefined) return false;
  if (view.publicIp !== undefined && entry.dst === view.publicIp) {
    emit(
      'fdb-dst-mismatch',
      view,
      entry.loc,
      `FDB entry ${entry.mac} on ${vtep} tunnels to ${entry.dst}, this node's own address.`,
      {
        ...(peer?.publicIp !== undefined ? { fix: fdbReplace(entry.mac, peer.publicIp, vtep) } : {}),
      },
    );
    return true;
  }
  if (peer?.publicIp !== undefined && entry.dst !== peer.publicIp) {
    emit(
      'fdb-dst-mismatch',
      view,
      entry.loc,
      `FDB entry ${entry.mac} on ${vtep} tunnels to ${entry.dst}, but ${peer.name} (subnet ${peer.subnet.cidr}) is at ${peer.publicIp}.`,
      {
        fix: lines(fdbDel(entry.mac, entry.dst, vtep), fdbFix(entry.mac, peer.publicIp, vtep)),
        related:
          peer.publicIpLoc === undefined
            ? []
            : [related(peer.publicIpLoc, `${peer.name}'s public IP ${peer.publicIp}`)],
      },
    );
    return true;
  }
  return false;
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
        `FDB entries ${e.mac} and ${others} both tunnel to ${dst}${owner === undefined ? '' : ` (${owner.name})`}; ${e.mac} is ${live === false ? 'not its live VTEP MAC' : 'one of them'}: a leftover of an earlier VTEP MAC.`,
        {
          ...(live === false ? { fix: fdbDel(e.mac, dst, vtep) } : {}),
          related: entries.filter((x) => x !== e).map((x) => related(x.loc, `also tunnels to ${dst}`)),
        },
      );
    }
  }
  if (!neighboursKnown) return;
  for (const [mac, entries] of view.vtepFdb) {
    if (usedMacs.has(mac)) continue;
    for (const e of entries) {
      if (reported.has(e)) continue;
      const owner = e.dst === undefined ? undefined : peers.byIp.get(e.dst);
      emit(
        'fdb-stale',
        view,
        e.loc,
        `FDB entry ${mac} on ${vtep}${e.dst === undefined ? '' : ` (dst ${e.dst}${owner === undefined ? '' : `, ${owner.name}`})`} is referenced by no neighbour entry.`,
        {
          fix: fdbDel(mac, e.dst, vtep),
        },
      );
    }
  }
}
