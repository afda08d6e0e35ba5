// The one walk of flannel's tunnel chain, as the kernel follows it: the route for a peer's subnet → the
// neighbour entry for its gateway on the VTEP → the FDB entries for that neighbour's MAC → the node at
// each FDB dst, which accepts the frame only if it is addressed to its own VTEP MAC. The rules, the trace,
// both graphs, the hover and the diff ask this module, so that every view tells the same story.
//
// Kernel facts the verdicts rest on (checked in the lab, test/lab/faults.test.ts):
// - A unicast MAC keeps the first `dst` written: `bridge fdb append` of the same MAC with another `dst` is
//   accepted but not kept, so a wrong `dst` written first takes the traffic.
// - A listing with several `dst`s for one unicast MAC (older kernels, or an entry made another way) means
//   the VXLAN driver sends a copy of every frame to each of them (vxlan_xmit walks the entry's remotes):
//   the peer is reached if one of them is its address; the others receive copies they drop.
// - Flannel writes permanent neighbour entries; the VTEP answers no ARP, so an entry that is INCOMPLETE,
//   FAILED or without a MAC never resolves, and a STALE/DELAY/PROBE one works only until it is re-probed.

import type { FdbEntry, Neighbour, Route, SourceLocation } from '../model/types';
import type { FindingCode } from './findings';
import type { Peer, PeerIndex } from './peers';
import { complete, type NodeView, routeSubnet } from './view';

/** How a chain (or any element drawn from one) looks: `unknown` when the snapshots cannot tell. */
export type Health = 'ok' | 'warning' | 'error' | 'unknown';

const HEALTH_RANK: Record<Health, number> = { ok: 0, unknown: 1, warning: 2, error: 3 };

export function worst(a: Health, b: Health): Health {
  return HEALTH_RANK[a] >= HEALTH_RANK[b] ? a : b;
}

/**
 * One step's state: `ok`; `missing` (a complete listing lacks it); `unknown` (the listing is absent or
 * filtered); `wrong` (present but breaks the path); `stale` (works now, but is a leftover or will stop
 * working); `not-needed` (a direct route needs no tunnel entries).
 */
export type StepState = 'ok' | 'missing' | 'wrong' | 'stale' | 'unknown' | 'not-needed';

export type ChainStep = 'route' | 'neighbour' | 'fdb' | 'receiver';

export type NeighbourCondition = 'resolved' | 'transient' | 'unresolved';

const UNRESOLVED_STATES = new Set(['INCOMPLETE', 'FAILED', 'NONE']);
const TRANSIENT_STATES = new Set(['STALE', 'DELAY', 'PROBE']);

/** Do these states (as `ip neigh` or `arp` print them) say the entry resolved, for now or for good? */
export function statesResolve(states: readonly string[]): boolean {
  return states.length > 0 && states.every((s) => !UNRESOLVED_STATES.has(s));
}

/** Whether a neighbour entry gives the kernel a MAC to use, for good or only until it is re-probed. */
export function neighbourCondition(n: Pick<Neighbour, 'mac' | 'state'>): NeighbourCondition {
  if (n.mac === undefined || n.state.some((s) => UNRESOLVED_STATES.has(s))) return 'unresolved';
  return n.state.some((s) => TRANSIENT_STATES.has(s)) ? 'transient' : 'resolved';
}

/** A step where the path certainly breaks (or degrades), the finding code that reports it, and why. */
export interface ChainIssue {
  step: ChainStep;
  code: FindingCode;
  /** `error`: the packet does not get through; `warning`: it does, but the entry is wrong. */
  severity: 'error' | 'warning';
  why: string;
  loc?: SourceLocation;
}

export interface Chain {
  view: NodeView;
  /** The destination subnet (`10.27.3.0/24`). */
  cidr: string;
  /** The node that owns it, when the snapshots or the cluster record say. */
  peer?: Peer;
  /** A route straight to the peer's public IP (flannel's DirectRouting): no tunnel entries needed. */
  direct?: Route;
  /** The route on the VTEP the kernel uses for the subnet. */
  route?: Route;
  /** A route for the subnet that does not use the VTEP (when there is none that does). */
  otherRoute?: Route;
  routeState: StepState;
  /** The address whose neighbour entry the kernel looks up: the route's gateway, else the peer's VTEP address. */
  gateway?: string;
  neighbour?: Neighbour;
  neighbourState: StepState;
  /** The MAC the frame carries: the neighbour's, else (no usable neighbour) the peer's live VTEP MAC. */
  mac?: string;
  /** A usable neighbour entry gave `mac`: the kernel goes on to the FDB (else it stops at the neighbour). */
  resolved: boolean;
  /** Every FDB entry for `mac` on the VTEP, in listing order. */
  fdb: FdbEntry[];
  /** Those whose `dst` is not the peer (or is this node itself). */
  misdirected: FdbEntry[];
  fdbState: StepState;
  /** The node at the FDB `dst` the frame reaches, when known. */
  receiver?: Peer;
  receiverState: StepState;
  /** Where the path breaks (errors) or degrades (warnings), in path order. */
  issues: ChainIssue[];
  health: Health;
}

/** The issue of a step, or of one FDB entry (its line), if the chain has one there. */
export function issueAt(
  chain: Chain,
  step: ChainStep,
  entry?: { loc: SourceLocation },
): ChainIssue | undefined {
  return chain.issues.find((i) => i.step === step && (entry === undefined || i.loc === entry.loc));
}

/** The FDB entry whose dst the frame goes to: the first that reaches the peer, else the first listed. */
export function frameEntry(chain: Chain): FdbEntry | undefined {
  return chain.fdb.find((f) => !chain.misdirected.includes(f)) ?? chain.fdb[0];
}

/** The first certain break on the path, if any. */
export function chainBreak(chain: Chain): ChainIssue | undefined {
  return chain.issues.find((i) => i.severity === 'error');
}

/** The first step the snapshots cannot show, if the path is not already broken before it. */
export function chainUnknown(chain: Chain): ChainStep | undefined {
  if (chain.routeState === 'unknown') return 'route';
  if (chain.neighbourState === 'unknown') return 'neighbour';
  if (chain.fdbState === 'unknown') return 'fdb';
  if (chain.receiverState === 'unknown') return 'receiver';
  return undefined;
}

function healthOf(chain: Chain): Health {
  if (chain.issues.some((i) => i.severity === 'error')) return 'error';
  if (chain.issues.length > 0) return 'warning';
  return chainUnknown(chain) === undefined ? 'ok' : 'unknown';
}

function absent(view: NodeView, domain: 'routes' | 'neighbours' | 'fdb'): StepState {
  return complete(view, domain) ? 'missing' : 'unknown';
}

/**
 * The route the kernel uses among those listed for one destination on one device: the lowest metric,
 * the first listed on a tie (a later one with the same metric is never chosen).
 */
export function kernelRoute(routes: readonly Route[] | undefined, dev: string): Route | undefined {
  let best: Route | undefined;
  for (const r of routes ?? [])
    if (r.dev === dev && (best === undefined || (r.metric ?? 0) < (best.metric ?? 0))) best = r;
  return best;
}

/** A's tunnel to peer B: the route A holds for B's subnet, and the rest of the chain from it. */
export function chainToPeer(view: NodeView, peer: Peer, peers: PeerIndex): Chain {
  const chain = resolvePeer(view, peer, peers);
  const owner = peers.bySubnet.get(peer.subnet.cidr);
  if (owner !== undefined && owner !== peer) {
    // Two nodes claim one subnet: traffic for it goes to the first, never to this one.
    chain.issues.unshift({
      step: 'route',
      code: 'subnet-duplicate',
      severity: 'error',
      why: `${owner.name} holds the same subnet ${peer.subnet.cidr}: traffic for it goes to ${owner.name}, not ${peer.name}`,
    });
    chain.health = healthOf(chain);
  }
  return chain;
}

function resolvePeer(view: NodeView, peer: Peer, peers: PeerIndex): Chain {
  const routes = view.routesByDst.get(peer.subnet.cidr);
  let other: Route | undefined;
  for (const r of routes ?? []) {
    if (peer.publicIp !== undefined && r.gateway === peer.publicIp) return directChain(view, peer, r);
    if (r.dev !== view.vtepName) other ??= r;
  }
  const route = kernelRoute(routes, view.vtepName);
  if (route !== undefined) return walk(view, peers, peer.subnet.cidr, peer, route);
  const chain = walk(view, peers, peer.subnet.cidr, peer, undefined);
  if (other !== undefined) {
    chain.otherRoute = other;
    chain.routeState = 'wrong';
    chain.issues.unshift({
      step: 'route',
      code: 'route-invalid',
      severity: 'error',
      why: `${peer.subnet.cidr} goes by ${other.dev ?? '?'}${other.gateway === undefined ? '' : ` via ${other.gateway}`}, not ${view.vtepName} via ${peer.subnet.network}`,
      loc: other.loc,
    });
  } else {
    chain.routeState = absent(view, 'routes');
    if (chain.routeState === 'missing')
      chain.issues.unshift({
        step: 'route',
        code: 'route-missing',
        severity: 'error',
        why: `no route for ${peer.name}'s pod subnet ${peer.subnet.cidr}`,
      });
  }
  chain.health = healthOf(chain);
  return chain;
}

/** The chain a route on the VTEP starts (the peer is whoever owns its subnet, if anyone is known to). */
export function chainForRoute(view: NodeView, route: Route, peers: PeerIndex): Chain {
  const subnet = routeSubnet(route);
  const cidr = subnet?.cidr ?? route.dst;
  return walk(view, peers, cidr, peers.bySubnet.get(cidr), route);
}

function directChain(view: NodeView, peer: Peer, route: Route): Chain {
  return {
    view,
    cidr: peer.subnet.cidr,
    peer,
    direct: route,
    routeState: 'ok',
    neighbourState: 'not-needed',
    resolved: false,
    fdb: [],
    misdirected: [],
    fdbState: 'not-needed',
    receiver: peer,
    receiverState: 'ok',
    issues: [],
    health: 'ok',
  };
}

function walk(
  view: NodeView,
  peers: PeerIndex,
  cidr: string,
  peer: Peer | undefined,
  route: Route | undefined,
): Chain {
  const vtep = view.vtepName;
  const issues: ChainIssue[] = [];
  const chain: Chain = {
    view,
    cidr,
    routeState: 'ok',
    neighbourState: 'ok',
    resolved: false,
    fdb: [],
    misdirected: [],
    fdbState: 'ok',
    receiverState: 'ok',
    issues,
    health: 'ok',
  };
  if (peer !== undefined) chain.peer = peer;
  const subnet = route === undefined ? peer?.subnet : routeSubnet(route);

  // The route: flannel's shape is `<subnet> via <subnet's network address> dev <vtep> onlink`.
  if (route !== undefined) {
    chain.route = route;
    const expectedPrefix = view.subnet?.prefix;
    if (view.subnet !== undefined && subnet?.cidr === view.subnet.cidr) {
      // Nothing past this route belongs to the tunnel: the subnet is this node's own.
      issues.push({
        step: 'route',
        code: 'route-invalid',
        severity: 'error',
        why: "sends this node's own pod subnet into the tunnel",
        loc: route.loc,
      });
      chain.routeState = 'wrong';
      chain.neighbourState = 'not-needed';
      chain.fdbState = 'not-needed';
      chain.receiverState = 'not-needed';
      chain.health = 'error';
      return chain;
    }
    if (route.gateway === undefined) {
      issues.push({
        step: 'route',
        code: 'route-invalid',
        severity: 'error',
        why: 'has no gateway',
        loc: route.loc,
      });
    } else if (subnet !== undefined && route.gateway !== subnet.network) {
      issues.push({
        step: 'route',
        code: 'route-invalid',
        severity: 'error',
        why: `goes via ${route.gateway} instead of the subnet's network address ${subnet.network}`,
        loc: route.loc,
      });
    } else if (subnet !== undefined && expectedPrefix !== undefined && subnet.prefix !== expectedPrefix) {
      issues.push({
        step: 'route',
        code: 'route-invalid',
        severity: 'error',
        why: `has prefix /${subnet.prefix} where node subnets are /${expectedPrefix}`,
        loc: route.loc,
      });
    }
    if (issues.length > 0) chain.routeState = 'wrong';
  }

  // The neighbour entry for the gateway.
  const gateway = route === undefined ? peer?.subnet.network : (route.gateway ?? subnet?.network);
  if (gateway !== undefined) chain.gateway = gateway;
  const neighbour = gateway === undefined ? undefined : view.vtepNeighbours.get(gateway)?.[0];
  let usable: string | undefined;
  if (neighbour === undefined) {
    chain.neighbourState = absent(view, 'neighbours');
    if (chain.neighbourState === 'missing' && gateway !== undefined)
      issues.push({
        step: 'neighbour',
        code: 'neigh-missing',
        severity: 'error',
        why: `${vtep} has no neighbour entry for ${gateway}${peer === undefined ? '' : ` (${peer.name}'s VTEP)`}`,
      });
  } else {
    chain.neighbour = neighbour;
    const condition = neighbourCondition(neighbour);
    if (condition === 'unresolved') {
      chain.neighbourState = 'wrong';
      issues.push({
        step: 'neighbour',
        code: 'neigh-incomplete',
        severity: 'error',
        why: `the neighbour entry for ${gateway ?? '?'} is ${neighbour.state.join(',') || 'unresolved'}: it never resolved`,
        loc: neighbour.loc,
      });
    } else if (peer?.vtepMac !== undefined && neighbour.mac !== peer.vtepMac) {
      chain.neighbourState = 'wrong';
      usable = neighbour.mac;
      issues.push({
        step: 'neighbour',
        code: 'neigh-mac-mismatch',
        severity: 'error',
        why: `${gateway ?? '?'} → ${neighbour.mac ?? '?'}, but ${peer.name}'s VTEP MAC is ${peer.vtepMac}: ${peer.name} drops frames for another MAC`,
        loc: neighbour.loc,
      });
    } else {
      usable = neighbour.mac;
      if (condition === 'transient') {
        chain.neighbourState = 'stale';
        issues.push({
          step: 'neighbour',
          code: 'neigh-incomplete',
          severity: 'warning',
          why: `the neighbour entry for ${gateway ?? '?'} is ${neighbour.state.join(',')}, not PERMANENT: it works until it is re-probed, which the VTEP cannot answer`,
          loc: neighbour.loc,
        });
      }
    }
  }

  // The FDB entries for the MAC the frame carries. With the neighbour entry unseen, that MAC is unknown:
  // the FDB is shown for the peer's MAC, but proves nothing either way.
  const mac = usable ?? peer?.vtepMac;
  chain.resolved = usable !== undefined;
  if (chain.neighbourState === 'unknown') {
    if (mac !== undefined) {
      chain.mac = mac;
      chain.fdb = view.vtepFdb.get(mac) ?? [];
    }
    chain.fdbState = 'unknown';
  } else if (mac === undefined) {
    chain.fdbState = 'unknown';
  } else {
    chain.mac = mac;
    const entries = view.vtepFdb.get(mac) ?? [];
    chain.fdb = entries;
    if (entries.length === 0) {
      chain.fdbState = absent(view, 'fdb');
      if (chain.fdbState === 'missing')
        issues.push({
          step: 'fdb',
          code: 'fdb-missing',
          severity: 'error',
          why: `the FDB has no entry for ${mac}: the kernel does not know which node to tunnel to`,
        });
    } else {
      judgeDestinations(chain, peers, entries);
    }
  }
  chain.issues.sort((a, b) => STEP_ORDER[a.step] - STEP_ORDER[b.step]);
  chain.health = healthOf(chain);
  return chain;
}

const STEP_ORDER: Record<ChainStep, number> = { route: 0, neighbour: 1, fdb: 2, receiver: 3 };

/** Which of the MAC's FDB destinations reach the peer; and who receives the frame. */
function judgeDestinations(chain: Chain, peers: PeerIndex, entries: FdbEntry[]): void {
  const { view, peer } = chain;
  const own = view.publicIp;
  let reaching: FdbEntry | undefined;
  for (const e of entries) {
    const dst = e.dst;
    const receiver = dst === undefined ? undefined : peers.byIp.get(dst);
    const wrong =
      dst === undefined ||
      (own !== undefined && dst === own) ||
      (peer?.publicIp !== undefined
        ? dst !== peer.publicIp
        : peer !== undefined && receiver !== undefined && receiver !== peer);
    if (wrong) chain.misdirected.push(e);
    else reaching ??= e;
  }
  const mac = chain.mac ?? '?';
  const where = (e: FdbEntry): string =>
    e.dst === undefined
      ? 'no dst'
      : own !== undefined && e.dst === own
        ? `${e.dst}, this node's own address`
        : `${e.dst}${peers.byIp.get(e.dst) === undefined ? '' : ` (${peers.byIp.get(e.dst)?.name ?? ''})`}`;
  const target =
    peer === undefined ? `no known node owns ${chain.cidr}` : `${peer.name} is at ${peer.publicIp ?? '?'}`;
  if (reaching === undefined) {
    chain.fdbState = 'wrong';
    for (const e of chain.misdirected)
      chain.issues.push({
        step: 'fdb',
        code: 'fdb-dst-mismatch',
        severity: 'error',
        why: `FDB ${mac} tunnels to ${where(e)}, but ${target}`,
        loc: e.loc,
      });
    return;
  }
  for (const e of chain.misdirected) {
    chain.fdbState = 'stale';
    chain.issues.push({
      step: 'fdb',
      code: 'fdb-dst-mismatch',
      severity: 'warning',
      why: `FDB ${mac} also tunnels to ${where(e)}: the kernel sends a copy of every frame to each dst listed for a MAC, and that node drops it`,
      loc: e.loc,
    });
  }
  const dst = reaching.dst!;
  const receiver = peers.byIp.get(dst) ?? (peer?.publicIp === dst ? peer : undefined);
  if (receiver === undefined) {
    chain.receiverState = 'unknown';
    return;
  }
  chain.receiver = receiver;
  // The receiving VTEP accepts only frames addressed to its own MAC. (When the receiver is the peer,
  // the neighbour step has already compared the MAC.)
  if (receiver !== peer && receiver.vtepMac !== undefined && receiver.vtepMac !== chain.mac) {
    chain.receiverState = 'wrong';
    chain.misdirected.push(reaching);
    chain.issues.push({
      step: 'receiver',
      code: 'fdb-dst-mismatch',
      severity: 'error',
      why: `FDB ${mac} tunnels to ${dst} (${receiver.name}), whose VTEP MAC is ${receiver.vtepMac}: ${receiver.name} drops these frames`,
      loc: reaching.loc,
    });
  }
}
