// What the rules need to know about one node, derived once from its model: its flannel identity (subnet,
// VTEP device, MAC, public IP, VNI, port), its VXLAN entries indexed, and what its snapshot covers.

import type {
  Coverage,
  CoverageDomain,
  Family,
  FdbEntry,
  HostModel,
  Interface,
  Neighbour,
  Route,
  SourceLocation,
} from '../model/types';
import { bigIntToIPv6, ipv4ToNumber, ipv6ToBigInt, numberToIPv4, parseCidr } from '../util/ip';

export interface Subnet {
  family: Family;
  /** Network address, e.g. `10.27.3.0`, `fd42:42:0:3::` (canonical). */
  network: string;
  prefix: number;
  /** `10.27.3.0/24`. */
  cidr: string;
  /** An IPv4 network address as a number, for containment tests without re-reading text (0 for IPv6). */
  base: number;
  /** An IPv6 network address as a number. */
  base6?: bigint;
  loc: SourceLocation;
}

/**
 * One node as one address family's flannel sees it. Every node has an IPv4 view (the one `buildView` returns);
 * a node with an IPv6 VTEP, IPv6 flannel routes or `FLANNEL_IPV6_SUBNET` also has an IPv6 view (`v6`) over
 * the same host: `flannel-v6.<VNI>`, its IPv6 routes, neighbours and FDB entries, subnet and public IPv6.
 * The chain resolver, the rules, the trace and the graphs take either, so both families get one story.
 */
export interface NodeView {
  host: HostModel;
  name: string;
  file: string;
  family: Family;
  /** The IPv6 family's view of the same node (set on the IPv4 view only). */
  v6?: NodeView;
  /** The flannel VXLAN device (`flannel.<VNI>`, `flannel-v6.<VNI>`), when the snapshot lists links. */
  vtep?: Interface;
  /** Its name: the device's, else the one flannel routes use, else `flannel.1` / `flannel-v6.1`. */
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
  /** FLANNEL_NETWORK (FLANNEL_IPV6_NETWORK). */
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

function mask6(prefix: number): bigint {
  return prefix === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefix)) - 1n);
}

/**
 * `10.27.3.0/24`, `fd42:42:0:3::/64` (or a bare address, as a host prefix) as a Subnet of its network
 * address; reuses the given strings when already canonical.
 */
export function subnetOf(text: string | undefined, loc: SourceLocation): Subnet | undefined {
  if (text === undefined) return undefined;
  if (text.includes(':')) return ipv6Subnet(text, loc);
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
  return { family: 'inet', network, prefix, cidr, loc, base };
}

function ipv6Subnet(text: string, loc: SourceLocation): Subnet | undefined {
  const parsed = parseCidr(text);
  if (parsed?.family !== 'inet6') return undefined;
  const value = ipv6ToBigInt(parsed.address);
  if (value === undefined) return undefined;
  const base6 = value & mask6(parsed.prefixLen);
  const network = base6 === value ? parsed.address : bigIntToIPv6(base6);
  return {
    family: 'inet6',
    network,
    prefix: parsed.prefixLen,
    cidr: `${network}/${parsed.prefixLen}`,
    loc,
    base: 0,
    base6,
  };
}

/** `subnetOf` for IPv4 text only. */
export function ipv4Cidr(text: string | undefined, loc: SourceLocation): Subnet | undefined {
  return text === undefined || text.includes(':') ? undefined : subnetOf(text, loc);
}

export function inSubnet(address: string, subnet: Subnet): boolean {
  if (subnet.family === 'inet6') {
    if (!address.includes(':')) return false;
    const value = ipv6ToBigInt(address);
    return value !== undefined && (value & mask6(subnet.prefix)) === subnet.base6;
  }
  const value = ipv4ToNumber(address);
  return value !== undefined && (value & maskOf(subnet.prefix)) >>> 0 === subnet.base;
}

/** Do two networks of one family share any address? */
export function overlaps(a: Subnet, b: Subnet): boolean {
  if (a.family !== b.family) return false;
  const shorter = a.prefix <= b.prefix ? a : b;
  return inSubnet((shorter === a ? b : a).network, shorter);
}

/** `10.27.3.0` + 1 → `10.27.3.1`; `fd42:42:0:3::` + 1 → `fd42:42:0:3::1`. */
export function addToAddress(address: string, n: number): string | undefined {
  if (address.includes(':')) {
    const v = ipv6ToBigInt(address);
    return v === undefined ? undefined : bigIntToIPv6((v + BigInt(n)) & ((1n << 128n) - 1n));
  }
  const v = ipv4ToNumber(address);
  return v === undefined ? undefined : numberToIPv4((v + n) >>> 0);
}

export function routeSubnet(route: Route): Subnet | undefined {
  return subnetOf(route.dst, route.loc);
}

/** VXLAN's own headers: outer Ethernet, IP, UDP and VXLAN — 50 bytes over IPv4, 70 over IPv6. */
export function vxlanOverhead(underlay: Family): number {
  return underlay === 'inet6' ? 70 : 50;
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

const V6_PREFIX = 'flannel-v6.';

/** The family a flannel VTEP device serves: its VXLAN `local` address's, else its name's. */
function vtepFamily(i: Interface): Family | undefined {
  const local = i.vxlan?.local;
  if (local !== undefined && local !== '') return local.includes(':') ? 'inet6' : 'inet';
  if (i.name.startsWith(V6_PREFIX)) return 'inet6';
  if (i.name.startsWith('flannel.') && i.name !== 'flannel.ipip') return 'inet';
  return undefined;
}

/** Is this the name of one family's flannel VTEP (`flannel.<VNI>`, `flannel-v6.<VNI>`)? */
function isVtepName(name: string | undefined, family: Family): boolean {
  if (name === undefined) return false;
  return family === 'inet6'
    ? name.startsWith(V6_PREFIX)
    : name.startsWith('flannel.') && name !== 'flannel.ipip';
}

/** The flannel VXLAN device of one family: found by what it is (type vxlan, its `local`), not by its name. */
function findVtep(host: HostModel, family: Family): Interface | undefined {
  let named: Interface | undefined;
  let vxlan: Interface | undefined;
  for (const i of host.interfaces) {
    const fam = vtepFamily(i);
    if (isVtepName(i.name, family) && (fam === undefined || fam === family)) named ??= i;
    else if (i.kind === 'vxlan' && i.name.startsWith('flannel') && fam === family) vxlan ??= i;
  }
  return named ?? vxlan;
}

/** A link-local or multicast IPv6 destination: the kernel's own entries on every IPv6 device, never flannel's. */
function isLinkScoped(address: string): boolean {
  const a = address.toLowerCase();
  return (
    a.startsWith('fe8') ||
    a.startsWith('fe9') ||
    a.startsWith('fea') ||
    a.startsWith('feb') ||
    a.startsWith('ff')
  );
}

function emptyView(
  host: HostModel,
  family: Family,
  vtepName: string,
  coverage: NodeView['coverage'],
): NodeView {
  return {
    host,
    name: host.name,
    file: host.file,
    family,
    vtepName,
    flannelRoutes: [],
    routesByDst: new Map(),
    vtepNeighbours: new Map(),
    vtepFdb: new Map(),
    coverage,
  };
}

/** The VTEP's identity: MAC, VNI, port, public IP (its `local`) and the underlay device. */
function readVtep(view: NodeView, vtep: Interface | undefined): void {
  const host = view.host;
  if (vtep !== undefined) {
    view.vtep = vtep;
    if (vtep.mac !== undefined) view.vtepMac = vtep.mac;
    const vni = vtep.vxlan?.id ?? Number(/^flannel(?:-v6)?\.(\d+)$/.exec(vtep.name)?.[1] ?? NaN);
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
}

/** The pod subnet and network: subnet.env's, else cni0's gateway address, else the VTEP's with cni0's route. */
function readSubnets(view: NodeView): void {
  const { host, family, cni0, vtep } = view;
  const env = host.subnetEnv;
  const [networkKey, subnetKey] =
    family === 'inet6'
      ? ['FLANNEL_IPV6_NETWORK', 'FLANNEL_IPV6_SUBNET']
      : ['FLANNEL_NETWORK', 'FLANNEL_SUBNET'];
  if (env !== undefined) {
    const loc = env.vars.find((v) => v.key === networkKey)?.loc ?? env.loc;
    const network = subnetOf(family === 'inet6' ? env.ipv6Network : env.network, loc);
    if (network !== undefined) view.network = network;
    const subnetLoc = env.vars.find((v) => v.key === subnetKey)?.loc ?? env.loc;
    const subnet = subnetOf(family === 'inet6' ? env.ipv6Subnet : env.subnet, subnetLoc);
    if (subnet !== undefined) view.subnet = subnet;
  }
  if (view.subnet !== undefined) return;
  // Without subnet.env: cni0 holds the subnet's gateway address with the subnet's prefix.
  const global = (a: { family: Family; address: string }) => a.family === family && !isLinkScoped(a.address);
  const gw = cni0?.addresses.find(global);
  const fromBridge = gw === undefined ? undefined : subnetOf(`${gw.address}/${gw.prefixLen}`, gw.loc);
  if (fromBridge !== undefined) {
    view.subnet = fromBridge;
    return;
  }
  const own = vtep?.addresses.find(global);
  const local = host.routes.find((r) => r.dev === 'cni0' && r.gateway === undefined && r.family === family);
  const prefix = local === undefined ? undefined : parseCidr(local.dst)?.prefixLen;
  if (own !== undefined && prefix !== undefined) {
    const s = subnetOf(`${own.address}/${prefix}`, own.loc);
    if (s !== undefined) view.subnet = s;
  }
}

/** Coverage as the IPv6 family sees it: its routes and neighbours are those of the IPv6 listings. */
export function ipv6Coverage(coverage: NodeView['coverage']): NodeView['coverage'] {
  const out = new Map(coverage);
  for (const [domain, own] of [
    ['routes', 'routes6'],
    ['neighbours', 'neighbours6'],
  ] as const) {
    const c = coverage.get(own);
    if (c === undefined) out.delete(domain);
    else out.set(domain, { ...c, domain });
  }
  return out;
}

/** Does the host show flannel IPv6 at all: a `flannel-v6` VTEP, its routes or neighbours, or subnet.env's IPv6 keys? */
function hasIPv6Flannel(host: HostModel, vtep6: Interface | undefined): boolean {
  return (
    vtep6 !== undefined ||
    host.subnetEnv?.ipv6Subnet !== undefined ||
    host.subnetEnv?.ipv6Network !== undefined ||
    host.routes.some((r) => r.family === 'inet6' && isVtepName(r.dev, 'inet6')) ||
    host.neighbours.some((n) => n.family === 'inet6' && isVtepName(n.dev, 'inet6'))
  );
}

export function buildView(host: HostModel): NodeView {
  const coverage = new Map(host.coverage.map((c) => [c.domain, c]));
  const vtep = findVtep(host, 'inet');
  const vtepName =
    vtep?.name ??
    host.routes.find((r) => r.family === 'inet' && isVtepName(r.dev, 'inet'))?.dev ??
    host.neighbours.find((n) => isVtepName(n.dev, 'inet'))?.dev ??
    'flannel.1';
  const view = emptyView(host, 'inet', vtepName, coverage);
  readVtep(view, vtep);
  readSubnets(view);

  const vtep6 = findVtep(host, 'inet6');
  let v6: NodeView | undefined;
  if (hasIPv6Flannel(host, vtep6)) {
    const name6 =
      vtep6?.name ??
      host.routes.find((r) => r.family === 'inet6' && isVtepName(r.dev, 'inet6'))?.dev ??
      host.neighbours.find((n) => n.family === 'inet6' && isVtepName(n.dev, 'inet6'))?.dev ??
      `${V6_PREFIX}${view.vni ?? 1}`;
    v6 = emptyView(host, 'inet6', name6, ipv6Coverage(coverage));
    readVtep(v6, vtep6);
    readSubnets(v6);
    // Both families share one index of routes by destination: their keys never collide.
    v6.routesByDst = view.routesByDst;
    view.v6 = v6;
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
  const v6Name = v6?.vtepName;
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
    else if (
      v6 !== undefined &&
      r.dev === v6Name &&
      r.family === 'inet6' &&
      r.type === 'unicast' &&
      (r.table === undefined || r.table === 'main') &&
      // The kernel's own routes: fe80::/64 on every device, and one for the VTEP's /128 address.
      r.proto !== 'kernel' &&
      !isLinkScoped(r.dst)
    )
      v6.flannelRoutes.push(r);
  }
  for (const n of host.neighbours) {
    const target =
      n.dev === vtepName && n.family === 'inet'
        ? view
        : n.dev === v6Name && n.family === 'inet6'
          ? v6
          : undefined;
    if (target === undefined || (target === v6 && isLinkScoped(n.ip))) continue;
    if (dedupeNeighbours && !first(`n ${n.ip} ${n.mac ?? ''}`)) continue;
    push(target.vtepNeighbours, n.ip, n);
  }
  for (const f of host.fdb) {
    const target = f.dev === vtepName ? view : f.dev === v6Name && v6 !== undefined ? v6 : undefined;
    if (target === undefined || !isUnicastMac(f.mac)) continue;
    if (dedupeFdb && !first(`f ${f.dev ?? ''} ${f.mac} ${f.dst ?? ''}`)) continue;
    push(target.vtepFdb, f.mac, f);
  }
  return view;
}

/** The views of the families this node runs flannel for: IPv4 (unless it is IPv6-only), then IPv6. */
export function familyViews(view: NodeView): NodeView[] {
  const v6 = view.v6;
  if (v6 === undefined) return [view];
  return runsIPv4(view) ? [view, v6] : [v6];
}

/** Does the node run flannel over IPv4: an IPv4 VTEP, subnet, route or neighbour (an IPv6-only node has none)? */
function runsIPv4(view: NodeView): boolean {
  const env = view.host.subnetEnv;
  return (
    view.vtep !== undefined ||
    view.subnet !== undefined ||
    env?.network !== undefined ||
    view.flannelRoutes.length > 0 ||
    view.vtepNeighbours.size > 0 ||
    view.vtepFdb.size > 0
  );
}

/** The view of one family (the node's IPv4 view for `inet`, its IPv6 view, if any, for `inet6`). */
export function viewOfFamily(view: NodeView, family: Family): NodeView | undefined {
  return family === 'inet6' ? view.v6 : view;
}

/** The family view whose VTEP this device is, if any. */
export function viewOfDevice(view: NodeView, dev: string | undefined): NodeView | undefined {
  if (dev === undefined) return undefined;
  if (dev === view.vtepName) return view;
  return view.v6?.vtepName === dev ? view.v6 : undefined;
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
    (view.vtep !== undefined ||
      view.host.subnetEnv !== undefined ||
      view.flannelRoutes.length > 0 ||
      view.v6 !== undefined)
  );
}

/** The subnet.env key that holds this family's cluster network. */
export function networkKey(view: NodeView): 'FLANNEL_NETWORK' | 'FLANNEL_IPV6_NETWORK' {
  return view.family === 'inet6' ? 'FLANNEL_IPV6_NETWORK' : 'FLANNEL_NETWORK';
}
