// Checks across nodes: duplicates of what must be unique, disagreement on cluster-wide settings, live
// state against the Kubernetes record, and routes that exist one way only.

import type { KubeNode, Route } from '../model/types';
import { AGGREGATE_ABOVE, count, SAMPLE_SIZE, sampleList } from './aggregate';
import { type Emit, related } from './findings';
import { type PeerIndex, recorded } from './peers';
import { complete, type NodeView } from './view';

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

/**
 * Each owner of a duplicated subnet or VTEP MAC gets a finding naming the others: all of them up to
 * AGGREGATE_ABOVE, else a sample and the count (2,000 nodes sharing one would otherwise name 2,000 × 2,000).
 */
function reportShared(
  owners: readonly NodeView[],
  report: (v: NodeView, others: string, sample: readonly NodeView[]) => void,
): void {
  if (owners.length < 2) return;
  for (const v of owners) {
    const sample: NodeView[] = [];
    for (const o of owners) {
      if (o === v) continue;
      if (sample.length === SAMPLE_SIZE && owners.length - 1 > AGGREGATE_ABOVE) break;
      sample.push(o);
    }
    const names = sample.map((o) => o.name);
    report(
      v,
      owners.length - 1 > AGGREGATE_ABOVE ? sampleList(names, owners.length - 1) : names.join(', '),
      sample,
    );
  }
}

export function checkDuplicates(views: readonly NodeView[], emit: Emit): void {
  for (const [cidr, owners] of groupBy(views, (v) => v.subnet?.cidr)) {
    reportShared(owners, (v, others, sample) =>
      emit(
        'subnet-duplicate',
        v,
        v.subnet!.loc,
        `Pods on ${v.name} or ${others} are unreachable: both hold pod subnet ${cidr}`,
        {
          detail: `${v.name} and ${others} both hold pod subnet ${cidr}: pods on one of them are unreachable.`,
          related: sample.map((o) => related(o.subnet!.loc, `${o.name}'s subnet ${cidr}`)),
        },
      ),
    );
  }
  for (const [mac, owners] of groupBy(views, (v) => v.vtepMac)) {
    reportShared(owners, (v, others, sample) =>
      emit(
        'vtep-mac-duplicate',
        v,
        v.vtep!.loc,
        `Tunnels to ${v.name} and ${others} get mixed up: both use VTEP MAC ${mac}`,
        {
          detail: `${v.name} and ${others} share VTEP MAC ${mac}: peers cannot tell their tunnels apart.`,
          related: sample.map((o) => related(o.vtep!.loc, `${o.name}'s ${o.vtepName}`)),
        },
      ),
    );
  }
}

/** Nodes that disagree with the majority on FLANNEL_NETWORK, the VNI or the VXLAN port. */
export function checkClusterConfig(views: readonly NodeView[], emit: Emit): void {
  const settings: {
    what: string;
    value: (v: NodeView) => string | undefined;
    loc: (v: NodeView) => { file: string; line: number };
  }[] = [
    {
      what: views[0]?.family === 'inet6' ? 'FLANNEL_IPV6_NETWORK' : 'FLANNEL_NETWORK',
      value: (v) => v.network?.cidr,
      loc: (v) => v.network!.loc,
    },
    {
      what: 'VNI',
      value: (v) => (v.vtep?.vxlan?.id === undefined ? undefined : String(v.vtep.vxlan.id)),
      loc: (v) => v.vtep!.loc,
    },
    {
      what: 'VXLAN port',
      value: (v) => (v.port === undefined ? undefined : String(v.port)),
      loc: (v) => v.vtep!.loc,
    },
  ];
  for (const s of settings) {
    const groups = groupBy(views, s.value);
    if (groups.size < 2) continue;
    const [majority, majorityNodes] = [...groups.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    for (const [value, nodes] of groups) {
      if (value === majority) continue;
      for (const v of nodes) {
        emit(
          'cluster-config-mismatch',
          v,
          s.loc(v),
          `${v.name}'s tunnels to its peers may fail: ${s.what} ${value}, theirs ${majority}`,
          {
            detail: `${v.name} uses ${s.what} ${value} where ${majorityNodes.map((n) => n.name).join(', ')} use${majorityNodes.length === 1 ? 's' : ''} ${majority}.`,
            related: majorityNodes
              .slice(0, 3)
              .map((n) => ({ ...s.loc(n), message: `${n.name}: ${s.what} ${majority}` })),
          },
        );
      }
    }
  }
}

export function checkAnnotations(
  views: readonly NodeView[],
  kubeNodes: readonly KubeNode[],
  emit: Emit,
): void {
  const byName = new Map(kubeNodes.map((k) => [k.name, k]));
  for (const v of views) {
    const kube = byName.get(v.name);
    if (kube === undefined) continue;
    const record = `the Kubernetes record of ${v.name}`;
    const v6 = v.family === 'inet6';
    const recordedVtep = recorded(kube, v.family);
    const mac = recordedVtep.mac;
    const dataKey = v6 ? 'backend-v6-data' : 'backend-data';
    if (mac !== undefined && v.vtepMac !== undefined && mac !== v.vtepMac) {
      emit(
        'annotation-mismatch',
        v,
        v.vtep!.loc,
        `Peers cannot reach pods on ${v.name}: they program the annotated VTEP MAC ${mac}`,
        {
          detail: `${v.vtepName}'s MAC is ${v.vtepMac} but ${record} says ${v6 ? `${dataKey} ` : ''}VtepMAC ${mac}: peers program the annotated MAC.`,
          related: [related(kube.loc, `${dataKey} VtepMAC ${mac}`)],
        },
      );
    }
    const ip = v6 ? kube.annotations.publicIpv6 : kube.annotations.publicIp;
    const ipKey = v6 ? 'public-ipv6' : 'public-ip';
    if (ip !== undefined && v.publicIp !== undefined && ip !== v.publicIp) {
      emit(
        'annotation-mismatch',
        v,
        v.publicIpLoc ?? v.host.loc,
        `Peers cannot reach pods on ${v.name}: they tunnel to its annotated ${ip}`,
        {
          detail: `${v.vtepName} sends from ${v.publicIp} but ${record} says ${ipKey} ${ip}: peers tunnel to the annotated address.`,
          related: [related(kube.loc, `${ipKey} ${ip}`)],
        },
      );
    }
    const podCidr = recordedVtep.subnet;
    if (podCidr !== undefined && v.subnet !== undefined && podCidr !== v.subnet.cidr) {
      emit(
        'annotation-mismatch',
        v,
        v.subnet.loc,
        `Peers may route ${v.name}'s pods wrong: it uses ${v.subnet.cidr}, its podCIDR is ${podCidr}`,
        {
          detail: `This node uses subnet ${v.subnet.cidr} but ${record} gives podCIDR ${podCidr}.`,
          related: [related(kube.loc, `podCIDR ${podCidr}`)],
        },
      );
    }
  }
}

/** A routes to B's subnet while B, whose routes are all listed, has none back to A's. */
export function checkAsymmetry(views: readonly NodeView[], peers: PeerIndex, emit: Emit): void {
  for (const a of views) {
    if (a.subnet === undefined) continue;
    const oneWay: { route: Route; b: NodeView }[] = [];
    for (const route of a.flannelRoutes) {
      const b = peers.bySubnet.get(route.dst)?.view;
      if (b === undefined || b === a || !complete(b, 'routes')) continue;
      if (b.routesByDst.has(a.subnet.cidr)) continue;
      oneWay.push({ route, b });
    }
    const routesOf = (b: NodeView) => ({
      file: b.file,
      line: b.coverage.get('routes')?.lines[0] ?? b.host.loc.line,
      message: `${b.name}'s routes`,
    });
    if (oneWay.length <= AGGREGATE_ABOVE) {
      for (const { route, b } of oneWay) {
        emit(
          'peer-asymmetry',
          a,
          route.loc,
          `${a.name} gets no replies from ${b.name}'s pods: ${b.name} has no route back to ${a.subnet.cidr}`,
          {
            detail: `${a.name} routes to ${b.name}'s subnet ${route.dst}, but ${b.name} has no route back to ${a.subnet.cidr}: replies from ${b.name}'s pods cannot return.`,
            related: [routesOf(b)],
          },
        );
      }
      continue;
    }
    // Many peers without a route back: one finding at the first such route, naming a sample and the count.
    const sample = oneWay.slice(0, SAMPLE_SIZE);
    emit(
      'peer-asymmetry',
      a,
      oneWay[0]!.route.loc,
      `${a.name} gets no replies from the pods of ${count(oneWay.length)} peers: they have no route back`,
      {
        detail: `${a.name} routes to the subnets of ${count(oneWay.length)} peers that have no route back to ${a.subnet.cidr} (${sampleList(
          oneWay.map((w) => w.b.name),
        )}): replies from their pods cannot return.`,
        related: sample.map((w) => routesOf(w.b)),
      },
    );
  }
}
