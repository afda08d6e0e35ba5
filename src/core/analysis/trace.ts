// `trace(from, to)`: the path a packet from a node (or a pod) to an IP takes through the snapshots —
// longest-prefix route → on the VTEP: neighbour → VTEP MAC → FDB → underlay dst → the underlay route →
// the node that owns that IP → its cni0 → the pod; on cni0: the local pod. Each hop cites its line; a
// broken hop says why and names the finding code.

import type { HostModel, Route, Snapshot } from '../model/types';
import { ipv4InNetwork, ipv4ToNumber, isIPv4, parseCidr } from '../util/ip';
import type { FindingCode } from './findings';
import { buildPeers, type Peer, type PeerIndex } from './peers';
import { buildView, isFlannelNode, type NodeView } from './view';

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

/** Longest-prefix match over a host's IPv4 routes (main table; lowest metric on a tie). */
export function lookupRoute(host: HostModel, ip: string): Route | undefined {
  let best: Route | undefined;
  let bestPrefix = -1;
  for (const route of host.routes) {
    if (route.family !== 'inet' || (route.table !== undefined && route.table !== 'main')) continue;
    if (route.type !== 'unicast' && !DROP_TYPES.has(route.type)) continue;
    const cidr = parseCidr(route.dst);
    if (cidr === undefined || !ipv4InNetwork(ip, cidr.address, cidr.prefixLen)) continue;
    if (
      cidr.prefixLen > bestPrefix ||
      (cidr.prefixLen === bestPrefix && (route.metric ?? 0) < (best?.metric ?? 0))
    ) {
      best = route;
      bestPrefix = cidr.prefixLen;
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

class Tracer {
  readonly hops: TraceHop[] = [];
  constructor(
    readonly peers: PeerIndex,
    readonly to: string,
  ) {}

  fail(verdict: string): TraceResult {
    return { from: '', to: this.to, hops: this.hops, delivered: false, verdict };
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
    if (route === undefined) {
      const owner = [...this.peers.bySubnet.values()].find((p) =>
        ipv4InNetwork(this.to, p.subnet.network, p.subnet.prefix),
      );
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
      (view.subnet !== undefined &&
        ipv4InNetwork(this.to, view.subnet.network, view.subnet.prefix) &&
        route.dev !== view.vtepName)
    ) {
      this.hops.push(at({ ...routeHop, ok: true }, route.loc));
      return this.deliverLocally(view);
    }
    if (route.dev !== view.vtepName) {
      const inPodNetwork =
        view.network !== undefined && ipv4InNetwork(this.to, view.network.network, view.network.prefix);
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
    this.hops.push(at({ ...routeHop, ok: true }, route.loc));
    const subnet = parseCidr(route.dst);
    const peer =
      subnet === undefined ? undefined : this.peers.bySubnet.get(`${subnet.address}/${subnet.prefixLen}`);
    return this.overTunnel(view, route, peer);
  }

  /**
   * An entry the path needs is not in the snapshot: a break when the listing is complete, and only an
   * unknown (no finding blamed) when it is missing or filtered, since partial evidence proves no absence.
   */
  absent(
    view: NodeView,
    domain: 'neighbours' | 'fdb',
    fallbackLine: number,
    what: { entry: string; missing: string; why: string; code: FindingCode },
  ): TraceResult {
    const kind = domain === 'fdb' ? 'fdb' : 'neighbour';
    const where = { file: view.file, line: view.coverage.get(domain)?.lines[0] ?? fallbackLine };
    if (view.coverage.get(domain)?.state !== 'complete') {
      const command = domain === 'fdb' ? 'bridge fdb show' : 'ip neigh show';
      this.hops.push(
        at(
          {
            kind,
            node: view.name,
            text: `${what.entry} not in the snapshot`,
            ok: false,
            unknown: true,
            why: unseen(view, domain, command),
          },
          where,
        ),
      );
      return this.fail(`cannot follow past ${view.name}: the snapshot does not show the ${what.entry}`);
    }
    this.hops.push(
      at({ kind, node: view.name, text: what.missing, ok: false, why: what.why, code: what.code }, where),
    );
    return this.fail(`dropped on ${view.name}: ${what.missing.replace(/ on \S+$/, '')}`);
  }

  overTunnel(view: NodeView, route: Route, peer: Peer | undefined): TraceResult {
    const vtep = view.vtepName;
    const gateway = route.gateway;
    if (gateway === undefined) {
      this.hops.push({
        kind: 'neighbour',
        node: view.name,
        text: `route on ${vtep} has no gateway`,
        ok: false,
        why: 'flannel routes go via the peer subnet address',
        code: 'route-invalid',
      });
      return this.fail(`dropped on ${view.name}: the route has no gateway`);
    }
    const neighbour = view.vtepNeighbours.get(gateway)?.[0];
    if (neighbour === undefined) {
      return this.absent(view, 'neighbours', route.loc.line, {
        entry: `neighbour entry for ${gateway}`,
        missing: `no neighbour entry for ${gateway} on ${vtep}`,
        why: `${vtep} cannot resolve ${gateway}`,
        code: 'neigh-missing',
      });
    }
    if (neighbour.mac === undefined) {
      this.hops.push(
        at(
          {
            kind: 'neighbour',
            node: view.name,
            text: `neighbour ${gateway} on ${vtep} is ${neighbour.state.join(',')}`,
            ok: false,
            why: 'the entry never resolved',
            code: 'neigh-incomplete',
          },
          neighbour.loc,
        ),
      );
      return this.fail(`dropped on ${view.name}: neighbour ${gateway} is unresolved`);
    }
    const mac = neighbour.mac;
    const macWrong = peer?.vtepMac !== undefined && peer.vtepMac !== mac;
    this.hops.push(
      at(
        {
          kind: 'neighbour',
          node: view.name,
          text: `neighbour ${gateway} → ${mac}`,
          ok: !macWrong,
          ...(macWrong
            ? { why: `${peer.name}'s VTEP MAC is ${peer.vtepMac}`, code: 'neigh-mac-mismatch' as const }
            : {}),
        },
        neighbour.loc,
      ),
    );
    const fdb = view.vtepFdb.get(mac)?.find((f) => f.dst !== undefined);
    if (fdb === undefined || fdb.dst === undefined) {
      return this.absent(view, 'fdb', neighbour.loc.line, {
        entry: `FDB entry for ${mac}`,
        missing: `no FDB entry for ${mac} on ${vtep}`,
        why: 'the kernel does not know where to tunnel',
        code: 'fdb-missing',
      });
    }
    const dst = fdb.dst;
    const dstWrong = peer?.publicIp !== undefined && peer.publicIp !== dst;
    this.hops.push(
      at(
        {
          kind: 'fdb',
          node: view.name,
          text: `FDB ${mac} → dst ${dst}`,
          ok: !dstWrong,
          ...(dstWrong
            ? { why: `${peer.name} is at ${peer.publicIp}`, code: 'fdb-dst-mismatch' as const }
            : {}),
        },
        fdb.loc,
      ),
    );
    const underlay = isIPv4(dst) ? lookupRoute(view.host, dst) : undefined;
    if (underlay !== undefined) {
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
    }
    const remotePeer = this.peers.byIp.get(dst);
    const remote = remotePeer?.view;
    if (remotePeer === undefined) {
      this.hops.push({
        kind: 'remote-node',
        node: view.name,
        text: `${dst} is no known node`,
        ok: false,
        why: 'the FDB tunnels to an address no snapshot or cluster record owns',
        code: peer === undefined ? 'fdb-stale' : 'fdb-dst-mismatch',
      });
      return this.fail(`lost after ${view.name}: ${dst} is no known node`);
    }
    if (remote === undefined) {
      this.hops.push(
        at(
          {
            kind: 'remote-node',
            node: remotePeer.name,
            text: `${dst} is ${remotePeer.name} (no snapshot of it)`,
            ok: true,
          },
          remotePeer.publicIpLoc,
        ),
      );
      return {
        from: '',
        to: this.to,
        hops: this.hops,
        delivered: !macWrong && !dstWrong,
        verdict: `tunnelled to ${remotePeer.name}; no snapshot of it to follow further`,
      };
    }
    if (remote.vtepMac !== undefined && remote.vtepMac !== mac) {
      this.hops.push(
        at(
          {
            kind: 'remote-node',
            node: remote.name,
            text: `${remote.name}'s ${remote.vtepName} has MAC ${remote.vtepMac}, not ${mac}`,
            ok: false,
            why: 'frames for another MAC are dropped by the receiving VTEP',
            code: 'neigh-mac-mismatch',
          },
          remote.vtep?.loc,
        ),
      );
      return this.fail(
        `dropped at ${remote.name}: its VTEP MAC is ${remote.vtepMac}, the sender used ${mac}`,
      );
    }
    this.hops.push(
      at(
        {
          kind: 'remote-node',
          node: remote.name,
          text: `${dst} is ${remote.name}; its ${remote.vtepName} decapsulates`,
          ok: !dstWrong,
        },
        remote.vtep?.loc ?? remote.host.loc,
      ),
    );
    if (dstWrong || macWrong) return this.fail(`misdelivered: see the broken hop above`);
    const result = this.onRemote(remote);
    this.checkReturn(view, remote, result);
    return result;
  }

  onRemote(remote: NodeView): TraceResult {
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

/** Traces a packet from node or pod `from` to IPv4 address `to` across the snapshots (one cluster). */
export function trace(snapshots: readonly Snapshot[], from: string, to: string): TraceResult {
  const views = new Map<string, NodeView>();
  const all: NodeView[] = [];
  for (const s of snapshots) {
    for (const node of s.nodes) {
      const view = buildView(node);
      all.push(view);
      if (!views.has(node.name)) views.set(node.name, view);
    }
  }
  const peers = buildPeers(
    all.filter(isFlannelNode),
    snapshots.flatMap((s) => s.kubeNodes),
  );
  const tracer = new Tracer(peers, to);
  const finish = (r: TraceResult): TraceResult => ({ ...r, from });
  if (ipv4ToNumber(to) === undefined) {
    return finish({ ...tracer.fail(`${to} is not an IPv4 address`) });
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
