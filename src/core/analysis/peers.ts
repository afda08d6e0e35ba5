// The cluster's nodes as peers: each node's subnet, live VTEP MAC and public IP, from its own snapshot
// (live state wins) and from `kubectl get nodes` (the cluster's record), indexed for the pairwise checks.

import type { Family, KubeNode, SourceLocation } from '../model/types';
import { type NodeView, type Subnet, subnetOf } from './view';

export interface Peer {
  name: string;
  subnet: Subnet;
  vtepMac?: string;
  vtepMacLoc?: SourceLocation;
  publicIp?: string;
  publicIpLoc?: SourceLocation;
  view?: NodeView;
  kube?: KubeNode;
}

export interface PeerIndex {
  /** The address family of these subnets, VTEPs and public IPs. */
  family: Family;
  peers: Peer[];
  bySubnet: Map<string, Peer>;
  byMac: Map<string, Peer>;
  byIp: Map<string, Peer>;
  /** Every VTEP MAC a node of the snapshots or the record has now, subnet known or not. */
  liveMacs: Set<string>;
  /** The whole `kubectl get nodes` was given and every node it lists has a known subnet: the cluster's record. */
  hasClusterRecord: boolean;
}

/** What the cluster's record says of one node's VTEP of one family. */
export function recorded(
  kube: KubeNode,
  family: Family,
): { mac?: string; publicIp?: string; subnet?: string } {
  const a = kube.annotations;
  if (family === 'inet6')
    return {
      ...(a.backendV6Data?.vtepMac === undefined ? {} : { mac: a.backendV6Data.vtepMac }),
      ...(a.publicIpv6 === undefined ? {} : { publicIp: a.publicIpv6 }),
      ...(kube.podCIDRs?.find((c) => c.includes(':')) === undefined
        ? {}
        : { subnet: kube.podCIDRs.find((c) => c.includes(':'))! }),
    };
  const subnet =
    kube.podCIDR?.includes(':') === false ? kube.podCIDR : kube.podCIDRs?.find((c) => !c.includes(':'));
  const publicIp = a.publicIp !== undefined && !a.publicIp.includes(':') ? a.publicIp : kube.internalIP;
  return {
    ...(a.backendData?.vtepMac === undefined ? {} : { mac: a.backendData.vtepMac }),
    ...(publicIp === undefined ? {} : { publicIp }),
    ...(subnet === undefined ? {} : { subnet }),
  };
}

/**
 * The cluster's nodes as peers of one family: `views` are the node views of that family (`NodeView.v6` for
 * IPv6), `kubeNodes` the cluster's record, read for that family (`podCIDRs`' IPv6 entry, `backend-v6-data`,
 * `public-ipv6`).
 */
export function buildPeers(
  views: readonly NodeView[],
  kubeNodes: readonly KubeNode[],
  family: Family = 'inet',
): PeerIndex {
  const byName = new Map<string, Peer>();
  for (const view of views) {
    if (view.subnet === undefined || byName.has(view.name)) continue;
    const peer: Peer = { name: view.name, subnet: view.subnet, view };
    if (view.vtepMac !== undefined && view.vtep !== undefined) {
      peer.vtepMac = view.vtepMac;
      peer.vtepMacLoc = view.vtep.loc;
    }
    if (view.publicIp !== undefined && view.publicIpLoc !== undefined) {
      peer.publicIp = view.publicIp;
      peer.publicIpLoc = view.publicIpLoc;
    }
    byName.set(view.name, peer);
  }
  for (const kube of kubeNodes) {
    const record = recorded(kube, family);
    const existing = byName.get(kube.name);
    if (existing !== undefined) {
      existing.kube ??= kube;
      // Fill what the live snapshot does not show from the cluster's record.
      if (existing.vtepMac === undefined && record.mac !== undefined) {
        existing.vtepMac = record.mac;
        existing.vtepMacLoc = kube.loc;
      }
      const annotated = family === 'inet6' ? kube.annotations.publicIpv6 : kube.annotations.publicIp;
      if (existing.publicIp === undefined && annotated !== undefined) {
        existing.publicIp = annotated;
        existing.publicIpLoc = kube.loc;
      }
      continue;
    }
    const subnet = subnetOf(record.subnet, kube.loc);
    if (subnet === undefined) continue;
    const peer: Peer = { name: kube.name, subnet, kube };
    if (record.mac !== undefined) {
      peer.vtepMac = record.mac;
      peer.vtepMacLoc = kube.loc;
    }
    const ip = record.publicIp ?? (family === 'inet6' ? kube.internalIPv6 : undefined);
    if (ip !== undefined) {
      peer.publicIp = ip;
      peer.publicIpLoc = kube.loc;
    }
    byName.set(kube.name, peer);
  }
  const peers = [...byName.values()];
  const index: PeerIndex = {
    family,
    peers,
    bySubnet: new Map(),
    byMac: new Map(),
    byIp: new Map(),
    liveMacs: new Set(),
    // Only the whole record can say that no node owns a subnet: not `kubectl get node flnode1` nor `… | grep`,
    // nor `kubectl get nodes -o wide`, which names every node but not its podCIDR.
    hasClusterRecord: kubeNodes.some((k) => k.partial !== true) && kubeNodes.every((k) => byName.has(k.name)),
  };
  for (const view of views) if (view.vtepMac !== undefined) index.liveMacs.add(view.vtepMac);
  for (const kube of kubeNodes) {
    const mac = recorded(kube, family).mac;
    if (mac !== undefined) index.liveMacs.add(mac);
  }
  for (const peer of peers) {
    if (!index.bySubnet.has(peer.subnet.cidr)) index.bySubnet.set(peer.subnet.cidr, peer);
    if (peer.vtepMac !== undefined && !index.byMac.has(peer.vtepMac)) index.byMac.set(peer.vtepMac, peer);
    if (peer.publicIp !== undefined && !index.byIp.has(peer.publicIp)) index.byIp.set(peer.publicIp, peer);
  }
  return index;
}
