// The state of one tunnel end: does node A hold the three entries flannel writes for peer B (the route to
// B's subnet via the VTEP, the neighbour entry for B's VTEP address with B's VTEP MAC, the FDB entry for
// that MAC towards B's public IP)? Absence counts only where A's listing is complete; otherwise unknown.

import type { Peer } from '../analysis/peers';
import { complete, type NodeView } from '../analysis/view';
import type { SourceLocation } from '../model/types';
import { type EntryState, type GraphLoc, type Health, type TunnelEnd, worst } from './types';

const BROKEN_NEIGH = new Set(['INCOMPLETE', 'FAILED']);

function at(loc: SourceLocation): GraphLoc {
  return { file: loc.file, line: loc.line };
}

function absent(view: NodeView, domain: 'routes' | 'neighbours' | 'fdb', what: string): EntryState {
  return complete(view, domain)
    ? { state: 'missing', text: `no ${what}` }
    : { state: 'unknown', text: `${what}: not in the snapshot's listing` };
}

function entryHealth(e: EntryState): Health {
  switch (e.state) {
    case 'ok':
    case 'not-needed':
      return 'ok';
    case 'stale':
      return 'warning';
    case 'unknown':
      return 'unknown';
    default:
      return 'error';
  }
}

/** A's end of the tunnel to peer B. */
export function tunnelEnd(view: NodeView, peer: Peer): TunnelEnd {
  const cidr = peer.subnet.cidr;
  const gateway = peer.subnet.network;
  const routes = view.routesByDst.get(cidr) ?? [];
  const direct = routes.find((r) => r.gateway !== undefined && r.gateway === peer.publicIp);
  const notNeeded: EntryState = { state: 'not-needed', text: 'not needed: direct route' };
  if (direct !== undefined) {
    return {
      from: view.name,
      health: 'ok',
      direct: true,
      route: { state: 'ok', text: `${cidr} via ${peer.publicIp} (direct)`, loc: at(direct.loc) },
      neighbour: notNeeded,
      fdb: notNeeded,
    };
  }
  const viaVtep = routes.find((r) => r.dev === view.vtepName);
  let route: EntryState;
  if (viaVtep === undefined) route = absent(view, 'routes', `route for ${cidr} via ${view.vtepName}`);
  else if (viaVtep.gateway !== gateway)
    route = {
      state: 'wrong',
      text: `${cidr} via ${viaVtep.gateway ?? '(no gateway)'}, expected via ${gateway}`,
      loc: at(viaVtep.loc),
    };
  else route = { state: 'ok', text: `${cidr} via ${gateway} dev ${view.vtepName}`, loc: at(viaVtep.loc) };

  const neigh = view.vtepNeighbours.get(gateway)?.[0];
  let neighbour: EntryState;
  if (neigh === undefined) neighbour = absent(view, 'neighbours', `neighbour entry for ${gateway}`);
  else if (neigh.state.some((s) => BROKEN_NEIGH.has(s)) || neigh.mac === undefined)
    neighbour = { state: 'wrong', text: `${gateway} is ${neigh.state.join(' ')}`, loc: at(neigh.loc) };
  else if (peer.vtepMac !== undefined && neigh.mac !== peer.vtepMac)
    neighbour = {
      state: 'wrong',
      text: `${gateway} → ${neigh.mac}, but ${peer.name}'s VTEP MAC is ${peer.vtepMac}`,
      loc: at(neigh.loc),
    };
  else
    neighbour = {
      state: neigh.state.includes('STALE') ? 'stale' : 'ok',
      text: `${gateway} → ${neigh.mac} ${neigh.state.join(' ')}`.trimEnd(),
      loc: at(neigh.loc),
    };

  const mac = peer.vtepMac ?? neigh?.mac;
  let fdb: EntryState;
  if (mac === undefined) fdb = { state: 'unknown', text: `${peer.name}'s VTEP MAC is not known` };
  else {
    const entries = view.vtepFdb.get(mac) ?? [];
    const right = entries.find((e) => e.dst !== undefined && e.dst === peer.publicIp);
    const first = right ?? entries[0];
    if (first === undefined) fdb = absent(view, 'fdb', `FDB entry for ${mac}`);
    else if (right === undefined && peer.publicIp !== undefined)
      fdb = {
        state: 'wrong',
        text: `${mac} → ${first.dst ?? '(no dst)'}, but ${peer.name}'s public IP is ${peer.publicIp}`,
        loc: at(first.loc),
      };
    else fdb = { state: 'ok', text: `${mac} dst ${first.dst ?? '?'}`, loc: at(first.loc) };
  }
  const health = [route, neighbour, fdb].map(entryHealth).reduce(worst, 'ok');
  return { from: view.name, health, route, neighbour, fdb };
}

/** The end of a node the snapshots do not show: nothing is known of its entries. */
export function unknownEnd(name: string): TunnelEnd {
  const unknown: EntryState = { state: 'unknown', text: 'no snapshot of this node' };
  return { from: name, health: 'unknown', route: unknown, neighbour: unknown, fdb: unknown };
}

export function describeEnd(end: TunnelEnd): string[] {
  const word = (e: EntryState) => (e.state === 'ok' || e.state === 'not-needed' ? 'ok' : e.state);
  return [
    `${end.from}: ${end.direct === true ? 'direct route' : end.health}`,
    `  route: ${word(end.route)} — ${end.route.text}`,
    `  neighbour: ${word(end.neighbour)} — ${end.neighbour.text}`,
    `  FDB: ${word(end.fdb)} — ${end.fdb.text}`,
  ];
}
