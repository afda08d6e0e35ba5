// Checks across nodes: duplicates of what must be unique, disagreement on cluster-wide settings, live
// state against the Kubernetes record, and routes that exist one way only.

import type { KubeNode } from '../model/types';
import { type Emit, related } from './findings';
import type { PeerIndex } from './peers';
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

export function checkDuplicates(views: readonly NodeView[], emit: Emit): void {
  for (const [cidr, owners] of groupBy(views, (v) => v.subnet?.cidr)) {
    if (owners.length < 2) continue;
    for (const v of owners) {
      const others = owners.filter((o) => o !== v);
      emit(
        'subnet-duplicate',
        v,
        v.subnet!.loc,
        `${v.name} and ${others.map((o) => o.name).join(', ')} both hold pod subnet ${cidr}: pods on one of them are unreachable.`,
        {
          related: others.map((o) => related(o.subnet!.loc, `${o.name}'s subnet ${cidr}`)),
        },
      );
    }
  }
  for (const [mac, owners] of groupBy(views, (v) => v.vtepMac)) {
    if (owners.length < 2) continue;
    for (const v of owners) {
      const others = owners.filter((o) => o !== v);
      emit(
        'vtep-mac-duplicate',
        v,
        v.vtep!.loc,
        `${v.name} and ${others.map((o) => o.name).join(', ')} share VTEP MAC ${mac}: peers cannot tell their tunnels apart.`,
        {
          related: others.map((o) => related(o.vtep!.loc, `${o.name}'s ${o.vtepName}`)),
        },
      );
    }
  }
}

/** Nodes that disagree with the majority on FLANNEL_NETWORK, the VNI or the VXLAN port. */
export function checkClusterConfig(views: readonly NodeView[], emit: Emit): void {
  const settings: {
    what: string;
    value: (v: NodeView) => string | undefined;
    loc: (v: NodeView) => { file: string; line: number };
  }[] = [
    { what: 'FLANNEL_NETWORK', value: (v) => v.network?.cidr, loc: (v) => v.network!.loc },
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
          `${v.name} uses ${s.what} ${value} where ${majorityNodes.map((n) => n.name).join(', ')} use${majorityNodes.length === 1 ? 's' : ''} ${majority}.`,
          {
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
    const mac = kube.annotations.backendData?.vtepMac;
    if (mac !== undefined && v.vtepMac !== undefined && mac !== v.vtepMac) {
      emit(
        'annotation-mismatch',
        v,
        v.vtep!.loc,
        `${v.vtepName}'s MAC is ${v.vtepMac} but ${record} says VtepMAC ${mac}: peers program the annotated MAC.`,
        {
          related: [related(kube.loc, `backend-data VtepMAC ${mac}`)],
        },
      );
    }
    const ip = kube.annotations.publicIp;
    if (ip !== undefined && v.publicIp !== undefined && ip !== v.publicIp) {
      emit(
        'annotation-mismatch',
        v,
        v.publicIpLoc ?? v.host.loc,
        `${v.vtepName} sends from ${v.publicIp} but ${record} says public-ip ${ip}: peers tunnel to the annotated address.`,
        {
          related: [related(kube.loc, `public-ip ${ip}`)],
        },
      );
    }
    const podCidr = kube.podCIDR ?? kube.podCIDRs?.find((c) => !c.includes(':'));
    if (podCidr !== undefined && v.subnet !== undefined && podCidr !== v.subnet.cidr) {
      emit(
        'annotation-mismatch',
        v,
        v.subnet.loc,
        `This node uses subnet ${v.subnet.cidr} but ${record} gives podCIDR ${podCidr}.`,
        {
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
    for (const route of a.flannelRoutes) {
      const b = peers.bySubnet.get(route.dst)?.view;
      if (b === undefined || b === a || !complete(b, 'routes')) continue;
      if (b.routesByDst.has(a.subnet.cidr)) continue;
      emit(
        'peer-asymmetry',
        a,
        route.loc,
        `${a.name} routes to ${b.name}'s subnet ${route.dst}, but ${b.name} has no route back to ${a.subnet.cidr}: replies from ${b.name}'s pods cannot return.`,
        {
          related: [
            {
              file: b.file,
              line: b.coverage.get('routes')?.lines[0] ?? b.host.loc.line,
              message: `${b.name}'s routes`,
            },
          ],
        },
      );
    }
  }
}
