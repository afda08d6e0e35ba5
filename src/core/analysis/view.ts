// What the rules need to know about one node, derived once from its model: its flannel identity (subnet,
// VTEP device, MAC, public IP, VNI, port), its VXLAN entries indexed, and what its snapshot covers.

import type {
  Coverage,
  CoverageDomain,
  FdbEntry,
  HostModel,
  Interface,
  Neighbour,
  Route,
  SourceLocation,
} from '../model/types';
import { ipv4InNetwork, ipv4ToNumber, numberToIPv4, parseCidr } from '../util/ip';

export interface Subnet {
  /** Network address, e.g. `10.27.3.0`. */
  network: string;
  prefix: number;
  /** `10.27.3.0/24`. */
  cidr: string;
  /** The network address as a number, for containment tests without re-reading text. */
  base: number;
  loc: SourceLocation;
}

export interface NodeView {
  host: HostModel;
  name: string;
  file: string;
  /** The flannel VXLAN device (`flannel.<VNI>`), when the snapshot lists links. */
  vtep?: Interface;
  /** Its name: the device's, else the one flannel routes use, else `flannel.1`. */
  vtepName: string;
  vtepMac?: string;
  vni?: number;
  port?: number;
  /** The underlay address VXLAN packets leave from (`local`): the node's public IP. */
  publicIp?: string;
  publicIpLoc?: SourceLocation;
  underlay?: Interface;
  /** This node's pod subnet (FLANNEL_SUBNET's network, else flannel.1's /32 with cni0's prefix). */
  subnet?: Subnet;
  /** FLANNEL_NETWORK. */
  network?: Subnet;
  cni0?: Interface;
  /** Routes whose device is the VTEP. */
  flannelRoutes: Route[];
  /** Every route by its destination (`10.27.3.0/24`), so cluster checks stay linear in the input. */
  routesByDst: Map<string, Route[]>;
  /** Neighbour entries on the VTEP, by IP. */
  vtepNeighbours: Map<string, Neighbour[]>;
  /** FDB entries on the VTEP (with a unicast MAC), by MAC. */
  vtepFdb: Map<string, FdbEntry[]>;
  coverage: Map<CoverageDomain, Coverage>;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `10.27.3.0/24` (or a bare address, as /32) as a Subnet; reuses the given strings when already canonical. */
export function ipv4Cidr(text: string | undefined, loc: SourceLocation): Subnet | undefined {
  if (text === undefined) return undefined;
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const value = ipv4ToNumber(address);
  if (value === undefined) return undefined;
  let prefix = 32;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return undefined;
    prefix = Number(p);
  }
  const base = (value & maskOf(prefix)) >>> 0;
  const network = base === value ? address : numberToIPv4(base);
  const cidr = base === value && slash !== -1 ? text : `${network}/${prefix}`;
  return { network, prefix, cidr, loc, base };
}

export function inSubnet(address: string, subnet: Subnet): boolean {
  const value = ipv4ToNumber(address);
  return value !== undefined && (value & maskOf(subnet.prefix)) >>> 0 === subnet.base;
}

/** Do two IPv4 networks share any address? */
export function overlaps(a: Subnet, b: Subnet): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return ipv4InNetwork(a.network, b.network, prefix);
}

/** `10.27.3.0` + 1 → `10.27.3.1`. */
export function addToIPv4(address: string, n: number): string | undefined {
  const v = ipv4ToNumber(address);
  return v === undefined ? undefined : numberToIPv4((v + n) >>> 0);
}

export function routeSubnet(route: Route): Subnet | undefined {
  return route.family === 'inet' ? ipv4Cidr(route.dst, route.loc) : undefined;
}

function isUnicastMac(mac: string): boolean {
  // The least significant bit of the first octet marks multicast/broadcast; all-zero is the default entry.
  const first = parseInt(mac.slice(0, 2), 16);
  return (first & 1) === 0 && mac !== '00:00:00:00:00:00';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * `route -ee` cuts device names to 6 characters (`flanne`): each cut name read as the one device whose name
 * it begins, when the other sections name exactly one, so that the route is the same as `ip route`'s.
 */
function cutDeviceNames(host: HostModel): Map<string, string> {
  const out = new Map<string, string>();
  const cut = host.routes.filter((r) => r.flags !== undefined && r.dev?.length === 6);
  if (cut.length === 0) return out;
  const names = new Set<string>();
  for (const i of host.interfaces) names.add(i.name);
  for (const r of host.routes) if (r.dev !== undefined) names.add(r.dev);
  for (const n of host.neighbours) if (n.dev !== undefined) names.add(n.dev);
  for (const f of host.fdb) if (f.dev !== undefined) names.add(f.dev);
  for (const { dev } of cut) {
    if (dev === undefined || out.has(dev) || host.interfaces.some((i) => i.name === dev)) continue;
    const longer = [...names].filter((n) => n.length > 6 && n.startsWith(dev));
    if (longer.length === 1) out.set(dev, longer[0]!);
  }
  return out;
}

export function buildView(host: HostModel): NodeView {
  const vtep =
    host.interfaces.find((i) => i.name.startsWith('flannel.') && i.name !== 'flannel.ipip') ??
    host.interfaces.find((i) => i.kind === 'vxlan' && i.name.startsWith('flannel'));
  const routeDev = host.routes.find((r) => r.dev?.startsWith('flannel.') === true)?.dev;
  const vtepName =
    vtep?.name ??
    routeDev ??
    host.neighbours.find((n) => n.dev?.startsWith('flannel.') === true)?.dev ??
    'flannel.1';
  const coverage = new Map(host.coverage.map((c) => [c.domain, c]));
  const view: NodeView = {
    host,
    name: host.name,
    file: host.file,
    vtepName,
    flannelRoutes: [],
    routesByDst: new Map(),
    vtepNeighbours: new Map(),
    vtepFdb: new Map(),
    coverage,
  };
  if (vtep !== undefined) {
    view.vtep = vtep;
    if (vtep.mac !== undefined) view.vtepMac = vtep.mac;
    const vni = vtep.vxlan?.id ?? Number(/^flannel\.(\d+)$/.exec(vtep.name)?.[1] ?? NaN);
    if (Number.isFinite(vni)) view.vni = vni;
    if (vtep.vxlan?.port !== undefined) view.port = vtep.vxlan.port;
    if (vtep.vxlan?.local !== undefined) {
      view.publicIp = vtep.vxlan.local;
      view.publicIpLoc = vtep.loc;
    }
  }
  const underlayName = vtep?.vxlan?.dev;
  const underlay =
    (underlayName === undefined ? undefined : host.interfaces.find((i) => i.name === underlayName)) ??
    (view.publicIp === undefined
      ? undefined
      : host.interfaces.find((i) => i.addresses.some((a) => a.address === view.publicIp)));
  if (underlay !== undefined) view.underlay = underlay;
  const cni0 = host.interfaces.find((i) => i.name === 'cni0');
  if (cni0 !== undefined) view.cni0 = cni0;

  const env = host.subnetEnv;
  if (env !== undefined) {
    const loc = env.vars.find((v) => v.key === 'FLANNEL_NETWORK')?.loc ?? env.loc;
    const network = ipv4Cidr(env.network, loc);
    if (network !== undefined) view.network = network;
    const subnetLoc = env.vars.find((v) => v.key === 'FLANNEL_SUBNET')?.loc ?? env.loc;
    const subnet = ipv4Cidr(env.subnet, subnetLoc);
    if (subnet !== undefined) view.subnet = subnet;
  }
  if (view.subnet === undefined) {
    // Without subnet.env: cni0 holds the subnet's gateway address with the subnet's prefix.
    const gw = cni0?.addresses.find((a) => a.family === 'inet');
    const fromBridge = gw === undefined ? undefined : ipv4Cidr(`${gw.address}/${gw.prefixLen}`, gw.loc);
    if (fromBridge !== undefined) view.subnet = fromBridge;
    else {
      const own = vtep?.addresses.find((a) => a.family === 'inet');
      const local = host.routes.find(
        (r) => r.dev === 'cni0' && r.gateway === undefined && r.family === 'inet',
      );
      const prefix = local === undefined ? undefined : parseCidr(local.dst)?.prefixLen;
      if (own !== undefined && prefix !== undefined) {
        const s = ipv4Cidr(`${own.address}/${prefix}`, own.loc);
        if (s !== undefined) view.subnet = s;
      }
    }
  }

  // One entry listed by several commands (`ip route` and `route -n`, `ip neigh` and `arp -en`, text and
  // `-j`) is one entry: the rules see it once, at the first place it was read. Keys are built only when
  // a kind was listed more than once (the common snapshot lists each once).
  const seen = new Set<string>();
  const listedTwice = (domain: CoverageDomain) => (coverage.get(domain)?.lines.length ?? 0) > 1;
  const dedupeRoutes = listedTwice('routes');
  const dedupeNeighbours = listedTwice('neighbours');
  const dedupeFdb = listedTwice('fdb');
  const first = (key: string): boolean => !seen.has(key) && seen.add(key) !== undefined;
  const fullNames = cutDeviceNames(host);
  for (const listed of host.routes) {
    const fullDev = listed.dev === undefined ? undefined : fullNames.get(listed.dev);
    const r = fullDev === undefined ? listed : { ...listed, dev: fullDev };
    if (
      dedupeRoutes &&
      !first(`r ${r.dst} ${r.gateway ?? ''} ${r.dev ?? ''} ${r.metric ?? 0} ${r.table ?? ''} ${r.type}`)
    )
      continue;
    push(view.routesByDst, r.dst, r);
    if (r.dev === vtepName && r.family === 'inet') view.flannelRoutes.push(r);
  }
  for (const n of host.neighbours) {
    if (n.dev !== vtepName || n.family !== 'inet') continue;
    if (dedupeNeighbours && !first(`n ${n.ip} ${n.mac ?? ''}`)) continue;
    push(view.vtepNeighbours, n.ip, n);
  }
  for (const f of host.fdb) {
    if (f.dev !== vtepName || !isUnicastMac(f.mac)) continue;
    if (dedupeFdb && !first(`f ${f.mac} ${f.dst ?? ''}`)) continue;
    push(view.vtepFdb, f.mac, f);
  }
  return view;
}

/** Is this domain listed in full (so that absence in it is evidence)? */
export function complete(view: NodeView, domain: CoverageDomain): boolean {
  return view.coverage.get(domain)?.state === 'complete';
}

/** Is anything at all known about this domain? */
export function present(view: NodeView, domain: CoverageDomain): boolean {
  return view.coverage.has(domain);
}

/**
 * Does any section name this device: its link, a link it masters, a route, neighbour or FDB entry on it, a
 * bridge or bridge port? Each proves the device exists, whatever a (possibly filtered) link listing shows.
 */
export function deviceNamed(view: NodeView, name: string): boolean {
  const host = view.host;
  return (
    host.interfaces.some((i) => i.name === name || i.master === name) ||
    host.routes.some((r) => r.dev === name || r.nexthops?.some((n) => n.dev === name) === true) ||
    host.neighbours.some((n) => n.dev === name) ||
    host.fdb.some((f) => f.dev === name || f.master === name) ||
    host.bridges.some((b) => b.name === name || b.ports.some((p) => p.name === name))
  );
}

/**
 * Addresses the routes prove this node holds (on `dev`, when given): a route's `src` (the kernel accepts only
 * a local address) and the local table's `local` routes.
 */
export function routeHeldAddresses(view: NodeView, dev?: string): string[] {
  const out: string[] = [];
  for (const r of view.host.routes) {
    if (dev !== undefined && r.dev !== dev) continue;
    if (r.src !== undefined) out.push(r.src);
    if (r.type === 'local') out.push(r.dst.replace(/\/\d+$/, ''));
  }
  return out;
}

/** The line to point at when something is missing from a listing: the listing's own first line. */
export function listingLoc(view: NodeView, domain: CoverageDomain): SourceLocation {
  const line = view.coverage.get(domain)?.lines[0] ?? view.host.loc.line;
  return { file: view.file, line };
}

/** Is this a flannel node at all (as opposed to a host that merely appears in a snapshot)? */
export function isFlannelNode(view: NodeView): boolean {
  return (
    view.host.role === 'node' &&
    (view.vtep !== undefined || view.host.subnetEnv !== undefined || view.flannelRoutes.length > 0)
  );
}
