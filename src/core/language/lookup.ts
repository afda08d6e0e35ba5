// Shared look-ups over the workspace model: who owns an address or a MAC, how to cite a record, which
// findings touch a token. Used by hover, definitions, the tree and reports.

import type { Finding } from '../analysis/findings';
import type { Peer } from '../analysis/peers';
import { addToAddress, inSubnet } from '../analysis/view';
import { describeRoute as describeModelRoute } from '../model/describe';
import type { FdbEntry, HostModel, Neighbour, Route, SourceLocation } from '../model/types';
import { bridgeIdMac, familyOf, isIP } from '../util/ip';
import type { HoverItem } from './markdown';
import { mentions, type Token } from './tokens';
import type { DocLocation, SnapshotWorkspace } from './workspace';

/** A record's place as a workspace location with a readable label (`cluster/flnode1.netsnap:14`). */
export function cite(
  ws: SnapshotWorkspace,
  loc: SourceLocation | { file: string; line: number } | undefined,
): Pick<HoverItem, 'loc' | 'locLabel'> {
  if (loc === undefined) return {};
  const key = ws.keyOf(loc.file);
  if (key === undefined) return {};
  return { loc: { key, line: loc.line }, locLabel: `${loc.file}:${loc.line}` };
}

/** A route as every view words it (model/describe.ts), with `route -n`'s flags. */
export function describeRoute(r: Route): string {
  return describeModelRoute(r, { flags: true });
}

export function describeNeighbour(n: Neighbour): string {
  const flags = n.arpFlags ?? n.state.join(',');
  return `${n.ip} → ${n.mac ?? '(no MAC)'}${n.dev === undefined ? '' : ` dev ${n.dev}`}${flags === '' ? '' : ` ${flags}`}`;
}

export function describeFdb(f: FdbEntry): string {
  return [
    f.mac,
    f.dev !== undefined ? `dev ${f.dev}` : '',
    f.dst !== undefined ? `dst ${f.dst}` : '',
    f.master !== undefined ? `master ${f.master}` : '',
    // The parser records `master` as a flag too; with the bridge named above it would read twice.
    ...f.flags.filter((flag) => flag !== 'master' || f.master === undefined),
    f.state ?? '',
  ]
    .filter((x) => x !== '')
    .join(' ');
}

export function hostLabel(host: HostModel): string {
  return host.role === 'pod' ? `pod ${host.name}` : host.name;
}

/** The peer (a node with a known subnet of the address's family) whose pod subnet holds an address. */
export function subnetOwner(ws: SnapshotWorkspace, ip: string): Peer | undefined {
  if (!isIP(ip)) return undefined;
  return ws.peers(familyOf(ip)).peers.find((p) => inSubnet(ip, p.subnet));
}

/** Everything in the workspace that owns an IP: interface addresses, public IPs, subnets. */
export function ipOwners(ws: SnapshotWorkspace, ip: string): HoverItem[] {
  const items: HoverItem[] = [];
  for (const { host } of ws.hosts()) {
    for (const itf of host.interfaces) {
      for (const a of itf.addresses) {
        if (a.address !== ip) continue;
        items.push({
          text: `address ${a.address}/${a.prefixLen} of ${itf.name} on ${hostLabel(host)}`,
          ...cite(ws, a.loc),
        });
      }
    }
  }
  const peers = ws.peers(familyOf(ip));
  const byIp = peers.byIp.get(ip);
  if (byIp?.publicIp !== undefined) {
    items.push({
      text: `public (underlay) IP of node ${byIp.name}: VXLAN packets to it leave from here`,
      ...cite(ws, byIp.publicIpLoc),
    });
  }
  const owner = subnetOwner(ws, ip);
  if (owner !== undefined) {
    const s = owner.subnet;
    const gateway = addToAddress(s.network, 1);
    const what =
      ip === s.network
        ? `network address of ${owner.name}'s pod subnet ${s.cidr}: ${owner.name}'s VTEP address, the gateway every peer routes ${s.cidr} through`
        : ip === gateway
          ? `${owner.name}'s cni0 gateway in its pod subnet ${s.cidr}`
          : `in ${owner.name}'s pod subnet ${s.cidr}`;
    items.push({ text: what, ...cite(ws, s.loc) });
  }
  return items;
}

/** Everything that owns a MAC: interfaces, bridge ids, the cluster record's VtepMAC annotations. */
export function macOwners(ws: SnapshotWorkspace, mac: string): HoverItem[] {
  const items: HoverItem[] = [];
  const peers = ws.peers();
  for (const { host } of ws.hosts()) {
    const view = ws.view(host);
    for (const itf of host.interfaces) {
      if (itf.mac !== mac) continue;
      const vtep =
        view !== undefined && (view.vtep === itf || view.v6?.vtep === itf)
          ? ' (VTEP MAC: what peers must use for this node)'
          : '';
      items.push({ text: `MAC of ${itf.name} on ${hostLabel(host)}${vtep}`, ...cite(ws, itf.loc) });
    }
    for (const b of host.bridges) {
      if (b.bridgeId === undefined || bridgeIdMac(b.bridgeId) !== mac) continue;
      items.push({ text: `bridge id ${b.bridgeId} of ${b.name} on ${hostLabel(host)}`, ...cite(ws, b.loc) });
    }
    for (const itf of host.interfaces) {
      if (itf.bridgeId === undefined || itf.mac === mac || bridgeIdMac(itf.bridgeId) !== mac) continue;
      items.push({
        text: `bridge id ${itf.bridgeId} of ${itf.name} on ${hostLabel(host)}`,
        ...cite(ws, itf.loc),
      });
    }
  }
  for (const s of ws.snapshots()) {
    for (const k of s.kubeNodes) {
      if (k.annotations.backendData?.vtepMac === mac)
        items.push({ text: `VtepMAC annotation of Kubernetes node ${k.name}`, ...cite(ws, k.loc) });
      if (k.annotations.backendV6Data?.vtepMac === mac)
        items.push({
          text: `backend-v6-data VtepMAC annotation of Kubernetes node ${k.name}`,
          ...cite(ws, k.loc),
        });
    }
  }
  const peer = peers.byMac.get(mac) ?? ws.peers('inet6').byMac.get(mac);
  if (peer !== undefined && !items.some((i) => i.text.includes('VTEP MAC'))) {
    items.push({ text: `VTEP MAC of node ${peer.name}`, ...cite(ws, peer.vtepMacLoc) });
  }
  return items;
}

export function severityWord(f: Finding): string {
  return f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note';
}

/**
 * Findings that touch a token: those that name it (message or fix) and those written on, or citing, the
 * line the token is on.
 */
export function findingsTouching(
  ws: SnapshotWorkspace,
  token: Pick<Token, 'kind' | 'text'>,
  at?: DocLocation,
): Finding[] {
  const source = at === undefined ? undefined : ws.sourceOf(at.key);
  return ws.analysis().findings.filter((f) => {
    if (mentions(f.message, token) || (f.fix !== undefined && mentions(f.fix, token))) return true;
    if (at === undefined || source === undefined) return false;
    if (f.file === source && f.line <= at.line && at.line <= (f.endLine ?? f.line)) return true;
    return f.related?.some((r) => r.file === source && r.line === at.line) === true;
  });
}

export function findingItem(ws: SnapshotWorkspace, f: Finding): HoverItem {
  return {
    // The message names its node as a rule; another node's finding says whose it is.
    text: `${severityWord(f)} [${f.code}] ${f.message.includes(f.node) ? '' : `${f.node}: `}${f.message}${f.detail === undefined ? '' : ` — ${f.detail}`}`,
    mark: f.severity === 'info' ? 'info' : 'broken',
    ...cite(ws, f),
  };
}
