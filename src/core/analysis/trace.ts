// `trace(from, to)`: the path a packet from a node (or a pod) to an IP takes through the snapshots —
// longest-prefix route → on the VTEP: neighbour → VTEP MAC → FDB → underlay dst → the underlay route →
// the node that owns that IP → its cni0 → the pod; on cni0: the local pod. Each hop cites its line; a
// broken hop says why and names the finding code.

import type { HostModel, Route, Snapshot } from '../model/types';
import { canonicalIp, familyOf, isIP } from '../util/ip';
import type { FindingCode } from './findings';
import {
  type Chain,
  chainBreak,
  chainForRoute,
  type ChainIssue,
  type ChainStep,
  chainUnknown,
  frameEntry,
  issueAt,
  type StepState,
} from './chain';
import { acceptingCause, blockingCause } from './netfilter';
import { type Direction, DIRECTION_TEXT, type FarEnd, judgeDirection } from './firewall';
import { buildPeers, type PeerIndex } from './peers';
import {
  buildView,
  complete,
  familyViews,
  inSubnet,
  ipv6Coverage,
  isFlannelNode,
  listingLoc,
  type NodeView,
  subnetOf,
  viewOfFamily,
} from './view';

export type HopKind =
  | 'pod-route'
  | 'route'
  | 'neighbour'
  | 'fdb'
  | 'underlay-route'
  | 'remote-node'
  | 'bridge'
  | 'pod'
  | 'return-route'
  | 'firewall'
  | 'exit';

export interface TraceHop {
  kind: HopKind;
  node: string;
  /** What this hop does, naming the entries. */
  text: string;
  file?: string;
  line?: number;
  ok: boolean;
  /** The snapshot does not show this step (listing missing or filtered): not proof of a break. */
  unknown?: true;
  /** Why the path breaks here, and the finding code that reports it. */
  why?: string;
  code?: FindingCode;
}

export interface TraceResult {
  from: string;
  to: string;
  hops: TraceHop[];
  /** The packet reaches `to` (as far as the snapshots show). */
  delivered: boolean;
  /** One sentence: where it ends. */
  verdict: string;
}

const DROP_TYPES = new Set(['blackhole', 'unreachable', 'prohibit']);

function describeDirection(direction: Direction): string {
  return direction === 'inbound' ? 'into the pods on cni0' : 'out to the tunnel';
}

/** Longest-prefix match over a host's routes of the address's family (main table; lowest metric on a tie). */
export function lookupRoute(host: HostModel, ip: string): Route | undefined {
  const family = familyOf(ip);
  let best: Route | undefined;
  let bestPrefix = -1;
  for (const route of host.routes) {
    if (route.family !== family || (route.table !== undefined && route.table !== 'main')) continue;
    if (route.type !== 'unicast' && !DROP_TYPES.has(route.type)) continue;
    const subnet = subnetOf(route.dst, route.loc);
    if (subnet === undefined || !inSubnet(ip, subnet)) continue;
    if (
      subnet.prefix > bestPrefix ||
      (subnet.prefix === bestPrefix && (route.metric ?? 0) < (best?.metric ?? 0))
    ) {
      best = route;
      bestPrefix = subnet.prefix;
    }
  }
  return best;
}

function describeRoute(r: Route): string {
  return [
    r.type === 'unicast' ? r.dst : `${r.type} ${r.dst}`,
    r.gateway && `via ${r.gateway}`,
    r.dev && `dev ${r.dev}`,
    r.onlink && 'onlink',
  ]
    .filter((x) => typeof x === 'string' && x !== '')
    .join(' ');
}

function at(hop: Omit<TraceHop, 'file' | 'line'>, loc?: { file: string; line: number }): TraceHop {
  return loc === undefined ? hop : { ...hop, file: loc.file, line: loc.line };
}

/** Why a step cannot be seen: the listing is absent or filtered, and which command would show it. */
function unseen(view: NodeView, domain: 'neighbours' | 'fdb', command: string): string {
  const cov = view.coverage.get(domain);
  return cov === undefined
    ? `the snapshot has no ${command} output`
    : `the ${domain} listing is partial (${cov.scope ?? 'filtered'}); ${command} without a filter would show it`;
}

/** One sentence for where a chain breaks, naming the node that drops the packet. */
function breakVerdict(chain: Chain, issue: ChainIssue): string {
  const name = chain.view.name;
  const mac = chain.mac ?? '?';
  switch (issue.code) {
    case 'neigh-missing':
      return `dropped on ${name}: no neighbour entry for ${chain.gateway ?? '?'}`;
    case 'neigh-incomplete':
      return `dropped on ${name}: neighbour ${chain.gateway ?? '?'} is unresolved`;
    case 'neigh-mac-mismatch': {
      const owner = chain.peer;
      return `dropped at ${owner?.name ?? '?'}: its VTEP MAC is ${owner?.vtepMac ?? '?'}, ${name} sends to ${mac}`;
    }
    case 'fdb-missing':
      return `dropped on ${name}: no FDB entry for ${mac}`;
    case 'fdb-dst-mismatch':
      return `misdelivered: ${name} tunnels ${chain.cidr} to ${chain.fdb[0]?.dst ?? '?'}${chain.peer === undefined ? '' : `, not to ${chain.peer.name}`}`;
    default:
      return `dropped on ${name}: the route for ${chain.cidr} ${issue.why}`;
  }
}

class Tracer {
  readonly hops: TraceHop[] = [];
  constructor(
    readonly peers: PeerIndex,
    readonly to: string,
  ) {}

  fail(verdict: string): TraceResult {
    return { from: '', to: this.to, hops: this.hops, delivered: false, verdict };
  }

  /**
   * The node's netfilter verdict on this direction of the traffic, as a hop (none when the snapshot lists
   * no rules). Returns the verdict sentence when the firewall stops the packet.
   */
  firewall(view: NodeView, end: FarEnd, direction: Direction): string | undefined {
    // The evaluator reads the IPv4 rule set; an IPv6 packet meets ip6tables, which it does not judge.
    if (view.family === 'inet6') return undefined;
    const judged = judgeDirection(view, end, direction);
    if (judged === undefined) return undefined;
    const hook = DIRECTION_TEXT[direction];
    const what = direction === 'tunnel' ? `VXLAN from ${end.name}` : describeDirection(direction);
    const stop = judged.blocked[0];
    if (stop !== undefined) {
      const cause = blockingCause(stop.verdict);
      const protocols = judged.blocked.map((b) => b.proto.toUpperCase()).join(', ');
      const rule =
        cause?.rule === undefined ? `policy ${cause?.outcome.toUpperCase() ?? 'DROP'}` : cause.rule.text;
      this.hops.push(
        at(
          {
            kind: 'firewall',
            node: view.name,
            text: `${hook} (${what}): ${protocols} ${cause?.outcome === 'reject' ? 'rejected' : 'dropped'} by ${rule}`,
            ok: false,
            why: `${view.name}'s ${hook} chain stops it`,
            code: direction === 'tunnel' ? 'vxlan-port-blocked' : 'forward-blocked',
          },
          cause?.loc,
        ),
      );
      return `dropped on ${view.name} by its firewall (${hook}, ${protocols}): ${rule}`;
    }
    const unsure = judged.uncertain[0];
    if (unsure !== undefined) {
      const unknown = unsure.verdict.decidedBy?.unknowns[0];
      this.hops.push(
        at(
          {
            kind: 'firewall',
            node: view.name,
            text: `${hook} (${what}): the verdict depends on a match netsnap cannot evaluate`,
            ok: true,
            unknown: true,
            why: unknown?.why ?? 'a match netsnap cannot evaluate',
          },
          unknown?.loc ?? unsure.verdict.decidedBy?.chain.loc,
        ),
      );
      return undefined;
    }
    const decided = judged.accepted[0]?.verdict;
    const cause = decided === undefined ? undefined : acceptingCause(decided);
    this.hops.push(
      at(
        {
          kind: 'firewall',
          node: view.name,
          text: `${hook} (${what}): accepted${cause?.rule === undefined ? ' (policy ACCEPT)' : ` by ${cause.rule.text}`}`,
          ok: true,
        },
        cause?.loc ?? decided?.chains[0]?.chain.loc,
      ),
    );
    return undefined;
  }

  /** Delivery on a node whose cni0 holds the destination's subnet. */
  deliverLocally(view: NodeView): TraceResult {
    const host = view.host;
    const pod = host.pods.find((p) =>
      p.interfaces.some((i) => i.addresses.some((a) => a.address === this.to)),
    );
    const arp = host.neighbours.find((n) => n.ip === this.to && n.dev === 'cni0');
    const port =
      arp?.mac === undefined ? undefined : host.fdb.find((f) => f.mac === arp.mac && f.master === 'cni0');
    if (arp !== undefined) {
      this.hops.push(
        at(
          {
            kind: 'bridge',
            node: view.name,
            text: `cni0 resolves ${this.to} to ${arp.mac ?? '(no MAC)'}${port?.dev === undefined ? '' : ` on port ${port.dev}`}`,
            ok: arp.mac !== undefined,
          },
          arp.loc,
        ),
      );
    } else {
      this.hops.push(
        at(
          {
            kind: 'bridge',
            node: view.name,
            text: `cni0 delivers to ${this.to} on its own subnet`,
            ok: true,
          },
          view.cni0?.loc,
        ),
      );
    }
    if (pod !== undefined)
      this.hops.push(
        at({ kind: 'pod', node: view.name, text: `pod ${pod.name} holds ${this.to}`, ok: true }, pod.loc),
      );
    return {
      from: '',
      to: this.to,
      hops: this.hops,
      delivered: true,
      verdict: `delivered on ${view.name} through cni0${pod === undefined ? '' : ` to pod ${pod.name}`}`,
    };
  }

  fromNode(view: NodeView): TraceResult {
    const route = lookupRoute(view.host, this.to);
    if (
      !complete(view, 'routes') &&
      (route === undefined || (route.dev !== view.vtepName && route.dev !== 'cni0'))
    ) {
      // A cut route listing may lack the route that would match: what it shows proves nothing.
      this.hops.push(
        at(
          {
            kind: 'route',
            node: view.name,
            text: `the route for ${this.to} is not in the snapshot`,
            ok: false,
            unknown: true,
            why: `the route listing is ${view.coverage.has('routes') ? 'partial' : 'missing'}; route -n (or ip route) without a filter would show it`,
          },
          listingLoc(view, 'routes'),
        ),
      );
      return this.fail(
        `cannot follow past ${view.name}: the snapshot does not show its route for ${this.to}`,
      );
    }
    if (route === undefined) {
      const owner = [...this.peers.bySubnet.values()].find((p) => inSubnet(this.to, p.subnet));
      this.hops.push(
        at(
          {
            kind: 'route',
            node: view.name,
            text: `no route for ${this.to}`,
            ok: false,
            why:
              owner === undefined
                ? 'no route and no default route'
                : `no route for ${owner.name}'s subnet ${owner.subnet.cidr}`,
            ...(owner !== undefined ? { code: 'route-missing' as const } : {}),
          },
          { file: view.file, line: view.coverage.get('routes')?.lines[0] ?? view.host.loc.line },
        ),
      );
      return this.fail(`dropped on ${view.name}: no route for ${this.to}`);
    }
    const routeHop = { kind: 'route' as const, node: view.name, text: `route ${describeRoute(route)}` };
    if (DROP_TYPES.has(route.type)) {
      this.hops.push(at({ ...routeHop, ok: false, why: `a ${route.type} route drops it` }, route.loc));
      return this.fail(`dropped on ${view.name} by a ${route.type} route`);
    }
    if (
      route.dev === 'cni0' ||
      (view.subnet !== undefined && inSubnet(this.to, view.subnet) && route.dev !== view.vtepName)
    ) {
      this.hops.push(at({ ...routeHop, ok: true }, route.loc));
      return this.deliverLocally(view);
    }
    if (route.dev !== view.vtepName) {
      const inPodNetwork = view.network !== undefined && inSubnet(this.to, view.network);
      if (inPodNetwork) {
        this.hops.push(
          at(
            {
              ...routeHop,
              ok: false,
              why: `pod address ${this.to} takes a non-flannel route`,
              code: 'network-overlap',
            },
            route.loc,
          ),
        );
        return this.fail(
          `misrouted on ${view.name}: ${this.to} leaves by ${route.dev ?? 'another route'} instead of ${view.vtepName}`,
        );
      }
      this.hops.push(at({ ...routeHop, ok: true }, route.loc));
      this.hops.push({
        kind: 'exit',
        node: view.name,
        text: `leaves ${view.name} by ${route.dev ?? '?'} (outside the pod network)`,
        ok: true,
      });
      return {
        from: '',
        to: this.to,
        hops: this.hops,
        delivered: true,
        verdict: `leaves ${view.name} through ${route.dev ?? '?'}: not pod-network traffic`,
      };
    }
    return this.overTunnel(view, route, routeHop);
  }

  /**
   * A hop for an entry the chain needs and the snapshot lacks: missing from a whole listing (a break,
   * blamed on the chain's issue) or not shown (unknown: no finding is blamed).
   */
  absentHop(
    view: NodeView,
    domain: 'neighbours' | 'fdb',
    state: StepState,
    entry: string,
    issue: ChainIssue | undefined,
  ): TraceHop {
    const kind = domain === 'fdb' ? 'fdb' : 'neighbour';
    const where = listingLoc(view, domain);
    if (state !== 'unknown')
      return at(
        {
          kind,
          node: view.name,
          text: `no ${entry} on ${view.vtepName}`,
          ok: false,
          ...(issue === undefined ? {} : { why: issue.why, code: issue.code }),
        },
        where,
      );
    const command = domain === 'fdb' ? 'bridge fdb show' : 'ip neigh show';
    return at(
      {
        kind,
        node: view.name,
        text: `${entry} not in the snapshot`,
        ok: false,
        unknown: true,
        why: unseen(view, domain, command),
      },
      where,
    );
  }

  /** The tunnel part of the path, hop by hop from the one chain resolution every view shares. */
  overTunnel(view: NodeView, route: Route, routeHop: Omit<TraceHop, 'ok'>): TraceResult {
    const chain = chainForRoute(view, route, this.peers);
    const vtep = view.vtepName;
    const issueOf = (step: ChainStep) => issueAt(chain, step);
    const blame = (issue: ChainIssue | undefined) =>
      issue === undefined ? {} : { why: issue.why, code: issue.code };
    const routeIssue = issueOf('route');
    this.hops.push(at({ ...routeHop, ok: routeIssue === undefined, ...blame(routeIssue) }, route.loc));
    // FORWARD sees the packet once the route is chosen, before the VTEP resolves anything.
    const far: FarEnd = { name: chain.peer?.name ?? route.dst };
    const farSubnet = chain.peer?.subnet ?? subnetOf(route.dst, route.loc);
    if (farSubnet !== undefined) far.subnet = farSubnet;
    if (routeIssue === undefined) {
      const stopped = this.firewall(view, far, 'outbound');
      if (stopped !== undefined) return this.fail(stopped);
    }
    const gateway = chain.gateway;
    if (gateway !== undefined && chain.neighbourState !== 'not-needed') {
      const n = chain.neighbour;
      const issue = issueOf('neighbour');
      if (n === undefined) {
        this.hops.push(
          this.absentHop(view, 'neighbours', chain.neighbourState, `neighbour entry for ${gateway}`, issue),
        );
      } else {
        const text =
          n.mac === undefined || issue?.code === 'neigh-incomplete'
            ? `neighbour ${gateway} on ${vtep} is ${n.state.join(',') || 'unresolved'}`
            : `neighbour ${gateway} → ${n.mac}`;
        this.hops.push(
          at(
            { kind: 'neighbour', node: view.name, text, ok: issue?.severity !== 'error', ...blame(issue) },
            n.loc,
          ),
        );
      }
    }
    const mac = chain.mac;
    // Without a usable neighbour entry the kernel never looks further; the trace stops where it does.
    const noMac = !chain.resolved;
    if (mac !== undefined && chain.fdbState !== 'not-needed' && !noMac) {
      if (chain.fdb.length === 0)
        this.hops.push(this.absentHop(view, 'fdb', chain.fdbState, `FDB entry for ${mac}`, issueOf('fdb')));
      for (const f of chain.fdb) {
        const issue = issueAt(chain, 'fdb', f);
        this.hops.push(
          at(
            {
              kind: 'fdb',
              node: view.name,
              text: `FDB ${mac} → dst ${f.dst ?? '(none)'}`,
              ok: issue?.severity !== 'error',
              ...blame(issue),
            },
            f.loc,
          ),
        );
      }
    }
    const sent = noMac ? undefined : frameEntry(chain);
    const dst = sent?.dst;
    if (dst !== undefined) {
      const underlay = isIP(dst) ? lookupRoute(view.host, dst) : undefined;
      if (underlay !== undefined)
        this.hops.push(
          at(
            {
              kind: 'underlay-route',
              node: view.name,
              text: `VXLAN (UDP ${view.port ?? 8472}) to ${dst} by route ${describeRoute(underlay)}`,
              ok: !DROP_TYPES.has(underlay.type),
            },
            underlay.loc,
          ),
        );
      this.remoteHop(chain, dst);
    }
    const broken = chainBreak(chain);
    if (broken !== undefined) return this.fail(breakVerdict(chain, broken));
    const unknownAt = chainUnknown(chain);
    if (unknownAt !== undefined)
      return this.fail(
        unknownAt === 'receiver'
          ? `tunnelled to ${dst ?? '?'}, which no snapshot or cluster record names: cannot follow further`
          : `cannot follow past ${view.name}: the snapshot does not show the ${unknownAt === 'fdb' ? `FDB entry for ${mac ?? '?'}` : `neighbour entry for ${gateway ?? '?'}`}`,
      );
    const remote = chain.receiver?.view;
    if (remote === undefined) {
      return {
        from: '',
        to: this.to,
        hops: this.hops,
        delivered: true,
        verdict: `tunnelled to ${chain.receiver?.name ?? dst ?? '?'}; no snapshot of it to follow further`,
      };
    }
    const result = this.onRemote(remote, view);
    this.checkReturn(view, remote, result);
    return result;
  }

  /** The node at the FDB dst, and whether its VTEP takes the frame. */
  remoteHop(chain: Chain, dst: string): void {
    const receiver = chain.receiver;
    if (receiver === undefined) {
      this.hops.push({
        kind: 'remote-node',
        node: chain.view.name,
        text: `${dst} is no known node`,
        ok: false,
        unknown: true,
        why: 'no snapshot or cluster record names this address',
      });
      return;
    }
    const mac = chain.mac;
    const rejected = chain.issues.find((i) => i.severity === 'error' && i.code === 'neigh-mac-mismatch');
    const vtepName = receiver.view?.vtepName ?? 'VTEP';
    const loc = receiver.view?.vtep?.loc ?? receiver.vtepMacLoc ?? receiver.publicIpLoc;
    if (rejected !== undefined && receiver.vtepMac !== undefined) {
      this.hops.push(
        at(
          {
            kind: 'remote-node',
            node: receiver.name,
            text: `${receiver.name}'s ${vtepName} has MAC ${receiver.vtepMac}, not ${mac ?? '?'}`,
            ok: false,
            why: 'frames for another MAC are dropped by the receiving VTEP',
            code: 'neigh-mac-mismatch',
          },
          loc,
        ),
      );
      return;
    }
    const misdelivered = chain.peer !== undefined && receiver !== chain.peer;
    this.hops.push(
      at(
        {
          kind: 'remote-node',
          node: receiver.name,
          text:
            receiver.view === undefined
              ? `${dst} is ${receiver.name} (no snapshot of it)`
              : `${dst} is ${receiver.name}; its ${vtepName} decapsulates`,
          ok: !misdelivered && chainBreak(chain)?.step !== 'fdb',
        },
        loc ?? receiver.view?.host.loc,
      ),
    );
  }

  onRemote(remote: NodeView, source: NodeView): TraceResult {
    const sender: FarEnd = { name: source.name };
    if (source.subnet !== undefined) sender.subnet = source.subnet;
    if (source.publicIp !== undefined) sender.publicIp = source.publicIp;
    // The tunnel packet meets INPUT before the VTEP decapsulates it.
    const tunnelStopped = this.firewall(remote, sender, 'tunnel');
    if (tunnelStopped !== undefined) return this.fail(tunnelStopped);
    const route = lookupRoute(remote.host, this.to);
    if (route === undefined || route.dev === remote.vtepName) {
      this.hops.push(
        at(
          {
            kind: 'route',
            node: remote.name,
            text:
              route === undefined
                ? `no route for ${this.to}`
                : `route ${describeRoute(route)} sends it back into the tunnel`,
            ok: false,
            why: `${remote.name} does not hold ${this.to}'s subnet on cni0`,
            code: route === undefined ? 'route-missing' : 'route-invalid',
          },
          route?.loc,
        ),
      );
      return this.fail(`dropped on ${remote.name}`);
    }
    this.hops.push(
      at({ kind: 'route', node: remote.name, text: `route ${describeRoute(route)}`, ok: true }, route.loc),
    );
    const stopped = this.firewall(remote, sender, 'inbound');
    if (stopped !== undefined) return this.fail(stopped);
    return this.deliverLocally(remote);
  }

  /** The reply needs a route back: a missing one breaks the connection even though the packet arrived. */
  checkReturn(source: NodeView, remote: NodeView, result: TraceResult): void {
    if (source.subnet === undefined || remote.coverage.get('routes')?.state !== 'complete') return;
    const back = lookupRoute(remote.host, source.subnet.network);
    const ok = back !== undefined && back.dev === remote.vtepName;
    this.hops.push(
      at(
        {
          kind: 'return-route',
          node: remote.name,
          text:
            back === undefined
              ? `no route back to ${source.subnet.cidr}`
              : `replies go back by route ${describeRoute(back)}`,
          ok,
          ...(ok
            ? {}
            : { why: `replies to ${source.name}'s pods cannot return`, code: 'route-missing' as const }),
        },
        back?.loc ?? {
          file: remote.file,
          line: remote.coverage.get('routes')?.lines[0] ?? remote.host.loc.line,
        },
      ),
    );
    if (!ok) {
      result.delivered = false;
      result.verdict = `${result.verdict}, but ${remote.name} has no route back to ${source.subnet.cidr}`;
    }
  }
}

/**
 * Traces a packet from node or pod `from` to address `to` across the snapshots (one cluster): an IPv4 address
 * through each node's `flannel.<VNI>`, an IPv6 one through its `flannel-v6.<VNI>`.
 */
export function trace(snapshots: readonly Snapshot[], from: string, target: string): TraceResult {
  const to = isIP(target) ? canonicalIp(target) : target;
  const family = familyOf(to);
  const views = new Map<string, NodeView>();
  const all: NodeView[] = [];
  for (const s of snapshots) {
    for (const node of s.nodes) {
      const base = buildView(node);
      // A node without an IPv6 overlay is traced with what its IPv6 listings (if any) show: `ip route` is
      // no evidence about IPv6 routes.
      const view =
        viewOfFamily(base, family) ??
        (family === 'inet6' ? { ...base, family, coverage: ipv6Coverage(base.coverage) } : base);
      if (isFlannelNode(base) && familyViews(base).includes(view)) all.push(view);
      if (!views.has(node.name)) views.set(node.name, view);
    }
  }
  const peers = buildPeers(
    all,
    snapshots.flatMap((s) => s.kubeNodes),
    family,
  );
  const tracer = new Tracer(peers, to);
  const finish = (r: TraceResult): TraceResult => ({ ...r, from });
  if (!isIP(to)) {
    return finish({ ...tracer.fail(`${to} is not an IP address`) });
  }
  const start = views.get(from);
  if (start !== undefined) return finish(tracer.fromNode(start));
  const pod = snapshots
    .flatMap((s) => [...s.pods, ...s.nodes.flatMap((n) => n.pods)])
    .find((p) => p.name === from);
  if (pod === undefined) {
    const known = [...views.keys()].join(', ');
    return finish(
      tracer.fail(`no node or pod named ${from} in the snapshots${known === '' ? '' : ` (nodes: ${known})`}`),
    );
  }
  const route = lookupRoute(pod, to);
  if (route === undefined) {
    tracer.hops.push(
      at(
        {
          kind: 'pod-route',
          node: pod.name,
          text: `no route for ${to}`,
          ok: false,
          why: 'the pod has no route (nor a default route)',
        },
        pod.loc,
      ),
    );
    return finish(tracer.fail(`dropped in pod ${pod.name}: no route`));
  }
  tracer.hops.push(
    at({ kind: 'pod-route', node: pod.name, text: `route ${describeRoute(route)}`, ok: true }, route.loc),
  );
  const node = pod.nodeName === undefined ? undefined : views.get(pod.nodeName);
  if (route.gateway === undefined) {
    // On-link in the pod's own subnet: the bridge on its node delivers it.
    return finish(
      node === undefined
        ? tracer.fail(`${to} is on the pod's own link; its node is not in the snapshots`)
        : tracer.deliverLocally(node),
    );
  }
  if (node === undefined)
    return finish(tracer.fail(`the pod's gateway ${route.gateway} is no node in the snapshots`));
  return finish(tracer.fromNode(node));
}
