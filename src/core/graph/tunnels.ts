// The state of one tunnel end: does node A hold the three entries flannel writes for peer B (the route to
// B's subnet via the VTEP, the neighbour entry for B's VTEP address with B's VTEP MAC, the FDB entry for
// that MAC towards B's public IP)? Absence counts only where A's listing is complete; otherwise unknown.

import type { Peer } from '../analysis/peers';
import { complete, type NodeView } from '../analysis/view';
import type { FdbEntry, Neighbour, Route, SourceLocation } from '../model/types';
import { type EntryState, type GraphLoc, type Health, type TunnelEnd, worst } from './types';

const BROKEN_NEIGH = new Set(['INCOMPLETE', 'FAILED']);

function at(loc: SourceLocation): GraphLoc {
  return { file: loc.file, line: loc.line };
}

type State = EntryState['state'];

/** What A holds for peer B, found without building any text: the records and their states. */
interface Resolved {
  direct?: Route;
  route?: Route;
  routeState: State;
  neigh?: Neighbour;
  neighState: State;
  /** The neighbour entry is unresolved (INCOMPLETE, FAILED or no MAC), rather than pointing elsewhere. */
  neighBroken?: boolean;
  mac?: string;
  fdb?: FdbEntry;
  fdbState: State;
}

function missingOrUnknown(view: NodeView, domain: 'routes' | 'neighbours' | 'fdb'): State {
  return complete(view, domain) ? 'missing' : 'unknown';
}

function resolve(view: NodeView, peer: Peer): Resolved {
  // Plain loops, no closures: this runs for both ends of every pair of nodes.
  const routes = view.routesByDst.get(peer.subnet.cidr);
  let route: Route | undefined;
  if (routes !== undefined) {
    for (const r of routes) {
      if (r.gateway !== undefined && r.gateway === peer.publicIp)
        return { direct: r, routeState: 'ok', neighState: 'not-needed', fdbState: 'not-needed' };
      if (route === undefined && r.dev === view.vtepName) route = r;
    }
  }
  const out: Resolved = { routeState: 'ok', neighState: 'ok', fdbState: 'ok' };
  if (route === undefined) out.routeState = missingOrUnknown(view, 'routes');
  else {
    out.route = route;
    if (route.gateway !== peer.subnet.network) out.routeState = 'wrong';
  }
  const neigh = view.vtepNeighbours.get(peer.subnet.network)?.[0];
  if (neigh === undefined) out.neighState = missingOrUnknown(view, 'neighbours');
  else {
    out.neigh = neigh;
    let broken = neigh.mac === undefined;
    let stale = false;
    for (const st of neigh.state) {
      if (BROKEN_NEIGH.has(st)) broken = true;
      else if (st === 'STALE') stale = true;
    }
    if (broken) out.neighBroken = true;
    if (broken || (peer.vtepMac !== undefined && neigh.mac !== peer.vtepMac)) out.neighState = 'wrong';
    else if (stale) out.neighState = 'stale';
  }
  const mac = peer.vtepMac ?? neigh?.mac;
  if (mac === undefined) out.fdbState = 'unknown';
  else {
    out.mac = mac;
    const entries = view.vtepFdb.get(mac);
    let right: FdbEntry | undefined;
    if (entries !== undefined)
      for (const e of entries)
        if (e.dst !== undefined && e.dst === peer.publicIp) {
          right = e;
          break;
        }
    const first = right ?? entries?.[0];
    if (first === undefined) out.fdbState = missingOrUnknown(view, 'fdb');
    else {
      out.fdb = first;
      if (right === undefined && peer.publicIp !== undefined) out.fdbState = 'wrong';
    }
  }
  return out;
}

function stateHealth(state: State): Health {
  switch (state) {
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

function healthOfResolved(r: Resolved): Health {
  return worst(worst(stateHealth(r.routeState), stateHealth(r.neighState)), stateHealth(r.fdbState));
}

/** The health of A's end of the tunnel to B, without describing it (the pass over every pair). */
export function endHealth(view: NodeView, peer: Peer): Health {
  return healthOfResolved(resolve(view, peer));
}

/** A's end of the tunnel to peer B, described entry by entry. */
export function tunnelEnd(view: NodeView, peer: Peer): TunnelEnd {
  const r = resolve(view, peer);
  const cidr = peer.subnet.cidr;
  if (r.direct !== undefined) {
    const notNeeded: EntryState = { state: 'not-needed', text: 'not needed: direct route' };
    return {
      from: view.name,
      health: 'ok',
      direct: true,
      route: { state: 'ok', text: `${cidr} via ${peer.publicIp} (direct)`, loc: at(r.direct.loc) },
      neighbour: notNeeded,
      fdb: notNeeded,
    };
  }
  return {
    from: view.name,
    health: healthOfResolved(r),
    route: routeEntry(view, peer, r),
    neighbour: neighbourEntry(peer, r),
    fdb: fdbEntry(peer, r),
  };
}

function entry(state: State, text: string, loc?: SourceLocation): EntryState {
  return loc === undefined ? { state, text } : { state, text, loc: at(loc) };
}

/** An entry that is not there: missing, or not in a listing that was cut (filtered, partial). */
function absentEntry(what: string, state: State): EntryState {
  return entry(state, state === 'missing' ? `no ${what}` : `${what}: not in the snapshot's listing`);
}

function routeEntry(view: NodeView, peer: Peer, r: Resolved): EntryState {
  const { cidr, network: gateway } = peer.subnet;
  if (r.route === undefined) return absentEntry(`route for ${cidr} via ${view.vtepName}`, r.routeState);
  if (r.routeState === 'wrong')
    return entry(
      'wrong',
      `${cidr} via ${r.route.gateway ?? '(no gateway)'}, expected via ${gateway}`,
      r.route.loc,
    );
  return entry('ok', `${cidr} via ${gateway} dev ${view.vtepName}`, r.route.loc);
}

function neighbourEntry(peer: Peer, r: Resolved): EntryState {
  const gateway = peer.subnet.network;
  const n = r.neigh;
  if (n === undefined) return absentEntry(`neighbour entry for ${gateway}`, r.neighState);
  if (r.neighBroken === true) return entry('wrong', `${gateway} is ${n.state.join(' ')}`, n.loc);
  if (r.neighState === 'wrong')
    return entry(
      'wrong',
      `${gateway} → ${n.mac ?? '?'}, but ${peer.name}'s VTEP MAC is ${peer.vtepMac ?? '?'}`,
      n.loc,
    );
  return entry(r.neighState, `${gateway} → ${n.mac ?? '?'} ${n.state.join(' ')}`.trimEnd(), n.loc);
}

function fdbEntry(peer: Peer, r: Resolved): EntryState {
  if (r.mac === undefined) return entry('unknown', `${peer.name}'s VTEP MAC is not known`);
  const f = r.fdb;
  if (f === undefined) return absentEntry(`FDB entry for ${r.mac}`, r.fdbState);
  if (r.fdbState === 'wrong')
    return entry(
      'wrong',
      `${r.mac} → ${f.dst ?? '(no dst)'}, but ${peer.name}'s public IP is ${peer.publicIp ?? '?'}`,
      f.loc,
    );
  return entry('ok', `${r.mac} dst ${f.dst ?? '?'}`, f.loc);
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
