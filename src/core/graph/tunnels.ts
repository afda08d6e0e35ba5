// One tunnel end as the graphs draw it: node A's three entries for peer B (route, neighbour, FDB) and the
// end's health, all read from the chain resolution in analysis/chain.ts that the rules and trace share.

import { type Chain, chainToPeer, type ChainStep, frameEntry, issueAt } from '../analysis/chain';
import type { Peer, PeerIndex } from '../analysis/peers';
import type { NodeView } from '../analysis/view';
import type { SourceLocation } from '../model/types';
import type { EntryState, GraphLoc, Health, TunnelEnd } from './types';

function at(loc: SourceLocation): GraphLoc {
  return { file: loc.file, line: loc.line };
}

/** The health of A's end of the tunnel to B, without describing it (the pass over every pair). */
export function endHealth(view: NodeView, peer: Peer, peers: PeerIndex): Health {
  return chainToPeer(view, peer, peers).health;
}

/** A's end of the tunnel to peer B, described entry by entry from the shared chain resolution. */
export function tunnelEnd(view: NodeView, peer: Peer, peers: PeerIndex): TunnelEnd {
  return endOf(chainToPeer(view, peer, peers));
}

/** A chain as the graph shows it: its health and each of its three entries. */
export function endOf(chain: Chain): TunnelEnd {
  const { view, peer } = chain;
  const cidr = chain.cidr;
  if (chain.direct !== undefined) {
    const notNeeded: EntryState = { state: 'not-needed', text: 'not needed: direct route' };
    return {
      from: view.name,
      health: 'ok',
      direct: true,
      route: {
        state: 'ok',
        text: `${cidr} via ${chain.direct.gateway ?? '?'} (direct)`,
        loc: at(chain.direct.loc),
      },
      neighbour: notNeeded,
      fdb: notNeeded,
    };
  }
  return {
    from: view.name,
    health: chain.health,
    route: routeEntry(chain),
    neighbour: neighbourEntry(chain),
    fdb: fdbEntry(chain, peer),
  };
}

function entry(state: EntryState['state'], text: string, loc?: SourceLocation): EntryState {
  return loc === undefined ? { state, text } : { state, text, loc: at(loc) };
}

/** An entry that is not there: missing, or not in a listing that was cut (filtered, partial). */
function absentEntry(what: string, state: EntryState['state']): EntryState {
  return entry(state, state === 'missing' ? `no ${what}` : `${what}: not in the snapshot's listing`);
}

function issueText(chain: Chain, step: ChainStep): string | undefined {
  return issueAt(chain, step)?.why;
}

function routeEntry(chain: Chain): EntryState {
  const vtep = chain.view.vtepName;
  const gateway = chain.peer?.subnet.network ?? chain.gateway ?? '?';
  const route = chain.route ?? chain.otherRoute;
  if (route === undefined) return absentEntry(`route for ${chain.cidr} via ${vtep}`, chain.routeState);
  if (chain.routeState === 'wrong')
    return entry(
      'wrong',
      issueText(chain, 'route') ?? `${chain.cidr}: not the route flannel writes`,
      route.loc,
    );
  return entry('ok', `${chain.cidr} via ${gateway} dev ${vtep}`, route.loc);
}

function neighbourEntry(chain: Chain): EntryState {
  const gateway = chain.gateway ?? '?';
  const n = chain.neighbour;
  if (n === undefined) return absentEntry(`neighbour entry for ${gateway}`, chain.neighbourState);
  const why = issueText(chain, 'neighbour');
  if (chain.neighbourState === 'wrong' || chain.neighbourState === 'stale')
    return entry(chain.neighbourState, why ?? `${gateway} → ${n.mac ?? '?'}`, n.loc);
  return entry('ok', `${gateway} → ${n.mac ?? '?'} ${n.state.join(' ')}`.trimEnd(), n.loc);
}

function fdbEntry(chain: Chain, peer: Peer | undefined): EntryState {
  const mac = chain.mac;
  if (mac === undefined) return entry('unknown', `${peer?.name ?? 'the peer'}'s VTEP MAC is not known`);
  const first = frameEntry(chain);
  if (first === undefined) return absentEntry(`FDB entry for ${mac}`, chain.fdbState);
  const why = issueText(chain, 'fdb');
  const dsts = chain.fdb.map((f) => f.dst ?? '(no dst)').join(', ');
  if (chain.fdbState === 'wrong' || chain.fdbState === 'stale')
    return entry(chain.fdbState, why ?? `${mac} → ${dsts}`, (chain.misdirected[0] ?? first).loc);
  const receiver = issueText(chain, 'receiver');
  if (receiver !== undefined) return entry('wrong', receiver, first.loc);
  return entry(chain.fdbState === 'ok' ? 'ok' : chain.fdbState, `${mac} dst ${dsts}`, first.loc);
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
