// The cluster's nodes as peers: each node's subnet, live VTEP MAC and public IP, from its own snapshot
// (live state wins) and from `kubectl get nodes` (the cluster's record), indexed for the pairwise checks.

import type { KubeNode, SourceLocation } from '../model/types';
import { ipv4Cidr, type NodeView, type Subnet } from './view';

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
  peers: Peer[];
  bySubnet: Map<string, Peer>;
  byMac: Map<string, Peer>;
  byIp: Map<string, Peer>;
  /** Every VTEP MAC a node of the snapshots or the record has now, subnet known or not. */
  liveMacs: Set<string>;
  /** The whole `kubectl get nodes` was given and every node it lists has a known subnet: the cluster's record. */
  hasClusterRecord: boolean;
}

export function buildPeers(views: readonly NodeView[], kubeNodes: readonly KubeNode[]): PeerIndex {
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
    const existing = byName.get(kube.name);
    if (existing !== undefined) {
      existing.kube ??= kube;
      // Fill what the live snapshot does not show from the cluster's record.
      const mac = kube.annotations.backendData?.vtepMac;
      if (existing.vtepMac === undefined && mac !== undefined) {
        existing.vtepMac = mac;
        existing.vtepMacLoc = kube.loc;
      }
      if (existing.publicIp === undefined && kube.annotations.publicIp !== undefined) {
        existing.publicIp = kube.annotations.publicIp;
        existing.publicIpLoc = kube.loc;
      }
      continue;
    }
    const subnet = ipv4Cidr(kube.podCIDR ?? kube.podCIDRs?.find((c) => !c.includes(':')), kube.loc);
    if (subnet === undefined) continue;
    const peer: Peer = { name: kube.name, subnet, kube };
    const mac = kube.annotations.backendData?.vtepMac;
    if (mac !== undefined) {
      peer.vtepMac = mac;
      peer.vtepMacLoc = kube.loc;
    }
    const ip = kube.annotations.publicIp ?? kube.internalIP;
    if (ip !== undefined) {
      peer.publicIp = ip;
      peer.publicIpLoc = kube.loc;
    }
    byName.set(kube.name, peer);
  }
  const peers = [...byName.values()];
  const index: PeerIndex = {
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
    const mac = kube.annotations.backendData?.vtepMac;
    if (mac !== undefined) index.liveMacs.add(mac);
  }
  for (const peer of peers) {
    if (!index.bySubnet.has(peer.subnet.cidr)) index.bySubnet.set(peer.subnet.cidr, peer);
    if (peer.vtepMac !== undefined && !index.byMac.has(peer.vtepMac)) index.byMac.set(peer.vtepMac, peer);
    if (peer.publicIp !== undefined && !index.byIp.has(peer.publicIp)) index.byIp.set(peer.publicIp, peer);
  }
  return index;
}
