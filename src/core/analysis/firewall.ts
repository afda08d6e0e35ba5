// The traffic flannel carries, as the packet classes netfilter judges on a node, and that node's verdicts
// on them: a peer's pods → this node's pods (FORWARD, in on the VTEP, out on cni0), this node's pods → a
// peer's pods (FORWARD, in on cni0, out on the VTEP), and the tunnel packet itself (INPUT, UDP to the
// VXLAN port from the peer's public IP). Rules, trace, hover, tree and graph all take them from here.

import type { HostModel } from '../model/types';
import { minMax } from '../util/arrays';
import { ipv4ToNumber } from '../util/ip';
import {
  acceptingCause,
  type AddressRange,
  blockingCause,
  type Cause,
  type HookVerdict,
  hookVerdict,
  ipv4Range,
  type Outcome,
  type PacketClass,
} from './netfilter';
import type { Subnet, NodeView } from './view';

export const DEFAULT_VXLAN_PORT = 8472;

/** The three kinds of packet flannel's traffic is judged as: what `ping`, a TCP and a UDP flow send. */
export const PROBE_PROTOCOLS = ['icmp', 'tcp', 'udp'] as const;
export type ProbeProtocol = (typeof PROBE_PROTOCOLS)[number];

export type Direction = 'inbound' | 'outbound' | 'tunnel';

export const DIRECTION_TEXT: Record<Direction, string> = {
  inbound: 'FORWARD',
  outbound: 'FORWARD',
  tunnel: 'INPUT',
};

export function subnetRange(subnet: Subnet): AddressRange {
  const size = 2 ** (32 - subnet.prefix);
  return { lo: subnet.base, hi: subnet.base + size - 1 };
}

function hostRange(address: string | undefined): AddressRange | undefined {
  const n = address === undefined ? undefined : ipv4ToNumber(address);
  return n === undefined ? undefined : { lo: n, hi: n };
}

function underlayRange(view: NodeView): AddressRange | undefined {
  const a = view.underlay?.addresses.find((x) => x.family === 'inet' && x.address === view.publicIp);
  return a === undefined ? undefined : ipv4Range(`${a.address}/${a.prefixLen}`);
}

/** The far end of one direction: a peer's subnet (pod traffic) or public IP (the tunnel). */
export interface FarEnd {
  name: string;
  subnet?: Subnet;
  publicIp?: string;
}

/** The addresses of the far end a direction's packets come from or go to: its pods' subnet, or its public IP. */
function farRange(view: NodeView, peer: FarEnd, direction: Direction): AddressRange | undefined {
  if (direction !== 'tunnel') return peer.subnet === undefined ? undefined : subnetRange(peer.subnet);
  // A peer whose public IP is unknown sends from somewhere on the underlay's network.
  return hostRange(peer.publicIp) ?? underlayRange(view);
}

/** The packet class of `direction` between this node and the far addresses `far`. */
export function packetClassFor(
  view: NodeView,
  far: AddressRange,
  direction: Direction,
  proto: ProbeProtocol,
): PacketClass | undefined {
  if (direction === 'tunnel') {
    const daddr = hostRange(view.publicIp);
    if (daddr === undefined) return undefined;
    const packet: PacketClass = {
      hook: 'input',
      family: 'ip',
      saddr: far,
      daddr,
      proto: 'udp',
      dport: view.port ?? DEFAULT_VXLAN_PORT,
      ctstate: 'NEW',
    };
    const underlay = view.underlay?.name ?? view.vtep?.vxlan?.dev;
    if (underlay !== undefined) packet.iif = underlay;
    return packet;
  }
  if (view.subnet === undefined) return undefined;
  const own = subnetRange(view.subnet);
  const inbound = direction === 'inbound';
  return {
    hook: 'forward',
    family: 'ip',
    iif: inbound ? view.vtepName : 'cni0',
    oif: inbound ? 'cni0' : view.vtepName,
    saddr: inbound ? far : own,
    daddr: inbound ? own : far,
    proto,
    ctstate: 'NEW',
  };
}

/** The packet class of `direction` between this node and `peer`, when the snapshot tells enough. */
export function packetClass(
  view: NodeView,
  peer: FarEnd,
  direction: Direction,
  proto: ProbeProtocol,
): PacketClass | undefined {
  const far = farRange(view, peer, direction);
  return far === undefined ? undefined : packetClassFor(view, far, direction, proto);
}

/** The directions judged for one peer, with the protocols each is judged for. */
export const DIRECTIONS: readonly { direction: Direction; protocols: readonly ProbeProtocol[] }[] = [
  { direction: 'outbound', protocols: PROBE_PROTOCOLS },
  { direction: 'inbound', protocols: PROBE_PROTOCOLS },
  { direction: 'tunnel', protocols: ['udp'] },
];

export interface DirectionVerdict {
  direction: Direction;
  proto: ProbeProtocol;
  verdict: HookVerdict;
}

/** Does the host list any rule set at all (else there is nothing to judge and nothing to say)? */
export function hasFirewall(host: HostModel): boolean {
  return host.netfilter.length > 0;
}

function spanOf(ranges: readonly (AddressRange | undefined)[]): AddressRange | undefined {
  const known = ranges.filter((r): r is AddressRange => r !== undefined);
  if (known.length === 0) return undefined;
  const [lo] = minMax(known.map((r) => r.lo));
  const [, hi] = minMax(known.map((r) => r.hi));
  return { lo, hi };
}

/**
 * This node's verdicts on every direction and protocol of its traffic, for many far ends at once. Each
 * class is first judged for the range spanning every far end (their subnets, their public IPs): where no rule reached matched that range only
 * in part, every narrower class inside it gets the same verdict, so it is shared instead of recomputed —
 * the usual case, which keeps a 1,000-node cluster's check far below rules × peers.
 */
export function verdictsForAll(view: NodeView, ends: readonly FarEnd[]): Map<FarEnd, DirectionVerdict[]> {
  const out = new Map<FarEnd, DirectionVerdict[]>(ends.map((e) => [e, []]));
  if (!hasFirewall(view.host) || ends.length === 0) return out;
  for (const { direction, protocols } of DIRECTIONS) {
    const fars = ends.map((end) => farRange(view, end, direction));
    // The smallest range covering every far end of this direction.
    const wide = spanOf(fars);
    for (const proto of protocols) {
      const wideClass = wide === undefined ? undefined : packetClassFor(view, wide, direction, proto);
      const wideVerdict = wideClass === undefined ? undefined : hookVerdict(view.host, wideClass);
      const shared = wideVerdict?.addressDependent === false ? wideVerdict : undefined;
      ends.forEach((end, i) => {
        const far = fars[i];
        const packet = far === undefined ? undefined : packetClassFor(view, far, direction, proto);
        if (packet === undefined || far === undefined) return;
        // Every far end lies inside `wide`, so a verdict that did not depend on addresses is theirs too.
        const verdict = shared ?? hookVerdict(view.host, packet);
        out.get(end)!.push({ direction, proto, verdict });
      });
    }
  }
  return out;
}

/** One line for people: "pod traffic from flnode2's pods (10.27.2.0/24) to this node's pods". */
export function describeTraffic(view: NodeView, peer: FarEnd, direction: Direction): string {
  switch (direction) {
    case 'inbound':
      return `pod traffic from ${peer.name}${peer.subnet === undefined ? '' : ` (${peer.subnet.cidr})`} to ${view.name}'s pods (${view.vtepName} → cni0)`;
    case 'outbound':
      return `pod traffic from ${view.name}'s pods to ${peer.name}${peer.subnet === undefined ? '' : ` (${peer.subnet.cidr})`} (cni0 → ${view.vtepName})`;
    case 'tunnel':
      return `VXLAN packets from ${peer.name}${peer.publicIp === undefined ? '' : ` (${peer.publicIp})`} to UDP port ${view.port ?? DEFAULT_VXLAN_PORT}`;
  }
}

/** What a node's firewall does with one direction of its traffic with one far end, over every protocol. */
export interface DirectionJudgement {
  direction: Direction;
  /** The protocols surely stopped, each with its verdict (the cause: `blockingCause`). */
  blocked: DirectionVerdict[];
  /** Protocols whose fate depends on a match netsnap cannot evaluate. */
  uncertain: DirectionVerdict[];
  /** The protocols surely let through. */
  accepted: DirectionVerdict[];
}

/** The judgement of one direction, or undefined when the host lists no rules or the far end is unknown. */
export function judgeDirection(
  view: NodeView,
  end: FarEnd,
  direction: Direction,
): DirectionJudgement | undefined {
  if (!hasFirewall(view.host)) return undefined;
  const spec = DIRECTIONS.find((d) => d.direction === direction)!;
  const out: DirectionJudgement = { direction, blocked: [], uncertain: [], accepted: [] };
  for (const proto of spec.protocols) {
    const packet = packetClass(view, end, direction, proto);
    if (packet === undefined) return undefined;
    const verdict = hookVerdict(view.host, packet);
    const dv = { direction, proto, verdict };
    if (verdict.decision === 'drop' || verdict.decision === 'reject') out.blocked.push(dv);
    else if (verdict.decision === 'uncertain') out.uncertain.push(dv);
    else if (verdict.decision === 'accept') out.accepted.push(dv);
  }
  return out;
}

/** What a node's firewall does with one direction of its traffic with the rest of the pod network. */
export interface TrafficSummary {
  direction: Direction;
  /** "pod traffic from other nodes (10.27.0.0/16) to flnode2's pods (flannel.1 → cni0)". */
  traffic: string;
  decision: Outcome | 'uncertain';
  /** The rule or policy that decides (for an accept, one that surely applies when there is one). */
  cause?: Cause;
  /** The protocols that share `decision`, upper-case. */
  protocols: string[];
  judged: DirectionJudgement;
}

const summaries = new WeakMap<NodeView, TrafficSummary[]>();

/**
 * Each direction of the node's traffic with the pod network at large, judged once per view: the tree,
 * the node view and the hover show these, the check and trace judge each peer.
 */
export function networkTraffic(view: NodeView): TrafficSummary[] {
  const known = summaries.get(view);
  if (known !== undefined) return known;
  const out: TrafficSummary[] = [];
  if (view.network !== undefined) {
    const others: FarEnd = { name: 'other nodes', subnet: view.network };
    // Traffic into the node's pods first: what "pods cannot reach pods on this node" is about.
    for (const direction of ['inbound', 'outbound', 'tunnel'] as const) {
      const judged = judgeDirection(view, others, direction);
      if (judged === undefined) continue;
      const [shared, decision] =
        judged.blocked.length > 0
          ? [judged.blocked, judged.blocked[0]!.verdict.decision]
          : judged.uncertain.length > 0
            ? [judged.uncertain, 'uncertain' as const]
            : [judged.accepted, 'accept' as const];
      const first = shared[0];
      if (first === undefined || decision === 'unlisted') continue;
      const cause = decision === 'accept' ? acceptingCause(first.verdict) : blockingCause(first.verdict);
      const summary: TrafficSummary = {
        direction,
        traffic: describeTraffic(view, others, direction),
        decision,
        protocols: shared.map((d) => d.proto.toUpperCase()),
        judged,
      };
      if (cause !== undefined) summary.cause = cause;
      out.push(summary);
    }
  }
  summaries.set(view, out);
  return out;
}
