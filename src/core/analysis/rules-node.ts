// Checks of one node on its own: the VTEP device, cni0, the MTU chain, pod veths, subnet.env, the CNI
// config, routes that overlap the pod network, and sections of the snapshot that contradict each other.

import type { Interface } from '../model/types';
import { readIpCommand } from '../util/argv';
import { hasOption } from '../parsers/link-common';
import { readCommand } from '../util/shell-command';
import { bridgeIdMac, familyOf } from '../util/ip';
import { type Emit, related } from './findings';
import type { PeerIndex } from './peers';
import {
  addrAdd,
  addrDel,
  allLines,
  linkMaster,
  linkMtu,
  linkUp,
  lines,
  routeDel,
  vxlanNoLearning,
} from './fixes';
import {
  addToAddress,
  complete,
  deviceNamed,
  familyViews,
  inSubnet,
  isFlannelNode,
  listingLoc,
  networkKey,
  type NodeView,
  overlaps,
  routeHeldAddresses,
  type Subnet,
  subnetOf,
  vxlanOverhead,
} from './view';

const DEFAULT_PORT = 8472;

/** A global address of the view's family (an IPv6 device also holds its fe80:: link-local one). */
function ownFamily(view: NodeView, a: { family: string; address: string }): boolean {
  return a.family === view.family && !(a.family === 'inet6' && /^fe[89ab]/i.test(a.address));
}

export function checkVtep(view: NodeView, emit: Emit): void {
  const vtep = view.vtep;
  if (vtep === undefined) {
    // Only a full link listing proves the device is absent, and only while no other section names it.
    if (complete(view, 'links') && isFlannelNode(view) && !deviceNamed(view, view.vtepName)) {
      emit(
        'vtep-missing',
        view,
        listingLoc(view, 'links'),
        `No pod traffic leaves or enters ${view.name}: it has no ${view.vtepName} device`,
        {
          detail: `No ${view.vtepName} device in the link listing: this node has no VXLAN tunnel, so no pod traffic leaves or enters it (restarting flanneld on the node recreates it).`,
        },
      );
    }
    return;
  }
  if (!vtep.up && vtep.flags.length > 0) {
    emit('vtep-down', view, vtep.loc, `No pod traffic leaves or enters ${view.name}: ${vtep.name} is down`, {
      detail: `${vtep.name} is down (flags <${vtep.flags.join(',')}>): the tunnel carries nothing.`,
      fix: linkUp(vtep.name),
    });
  }
  const vx = vtep.vxlan;
  if (vx !== undefined) {
    const problems: string[] = [];
    const nameVni = Number(/^flannel(?:-v6)?\.(\d+)$/.exec(vtep.name)?.[1] ?? NaN);
    if (vx.id !== undefined && Number.isFinite(nameVni) && vx.id !== nameVni)
      problems.push(`VNI ${vx.id} where its name says ${nameVni}`);
    if (vx.port !== undefined && vx.port !== DEFAULT_PORT && vx.port !== 0)
      problems.push(`UDP port ${vx.port} (flannel's default is ${DEFAULT_PORT})`);
    if (vx.learning === true)
      problems.push('learning on (flannel programs every entry itself and sets nolearning)');
    if (
      vx.local !== undefined &&
      complete(view, 'addresses') &&
      !view.host.interfaces.some((i) => i.addresses.some((a) => a.address === vx.local)) &&
      !routeHeldAddresses(view).includes(vx.local)
    ) {
      problems.push(`local ${vx.local}, an address no interface of this node holds`);
    }
    // A link listing filtered to the VTEP (`ip -d link show flannel.1`) shows no other device.
    if (vx.dev !== undefined && complete(view, 'links') && !deviceNamed(view, vx.dev)) {
      problems.push(`dev ${vx.dev}, an interface this node does not have`);
    }
    if (problems.length > 0) {
      emit(
        'vtep-config',
        view,
        vtep.loc,
        `${view.name}'s tunnel may not work with its peers: ${vtep.name} is misconfigured`,
        {
          detail: `${vtep.name} is configured with ${problems.join('; ')}.`,
          fix: vx.learning === true && problems.length === 1 ? vxlanNoLearning(vtep.name) : undefined,
        },
      );
    }
  }
  const subnet = view.subnet;
  const own = vtep.addresses.filter((a) => ownFamily(view, a));
  const host = view.family === 'inet6' ? 128 : 32;
  const familyName = view.family === 'inet6' ? 'IPv6' : 'IPv4';
  if (subnet !== undefined && own.length > 0) {
    const right = own.some((a) => a.address === subnet.network && a.prefixLen === host);
    if (!right) {
      const have = own.map((a) => `${a.address}/${a.prefixLen}`).join(', ');
      emit(
        'vtep-address',
        view,
        own[0]!.loc,
        `Traffic from ${view.name} itself to other nodes' pods may fail: ${vtep.name} has the wrong address`,
        {
          detail: `${vtep.name} holds ${have}; flannel gives it its subnet's network address ${subnet.network}/${host}.`,
          // One joined argument: spreading every address overflows the stack on a huge `ip addr`.
          fix: lines(
            allLines(own.map((a) => addrDel(`${a.address}/${a.prefixLen}`, vtep.name))),
            addrAdd(`${subnet.network}/${host}`, vtep.name),
          ),
          related: [related(subnet.loc, `this node's subnet ${subnet.cidr}`)],
        },
      );
    }
  } else if (
    subnet !== undefined &&
    complete(view, 'addresses') &&
    own.length === 0 &&
    !routeHeldAddresses(view, vtep.name).some((a) => familyOf(a) === view.family)
  ) {
    emit(
      'vtep-address',
      view,
      vtep.loc,
      `Traffic from ${view.name} itself to other nodes' pods may fail: ${vtep.name} has no address`,
      {
        detail: `${vtep.name} has no ${familyName} address; flannel gives it ${subnet.network}/${host}.`,
        fix: addrAdd(`${subnet.network}/${host}`, vtep.name),
      },
    );
  }
}

export function checkBridge(view: NodeView, emit: Emit): void {
  const cni0 = view.cni0;
  const env = view.host.subnetEnv;
  if (cni0 === undefined || env?.subnet === undefined) return;
  const v4 = cni0.addresses.filter((a) => a.family === 'inet');
  const want = env.subnet;
  const subnetLoc = env.vars.find((v) => v.key === 'FLANNEL_SUBNET')?.loc ?? env.loc;
  if (v4.length === 0) {
    // Only a full address listing proves cni0 has none (deleting its primary address takes the rest), and
    // only while no route holds an IPv4 address on it (`… dev cni0 proto kernel scope link src 10.27.1.1`).
    const routed = routeHeldAddresses(view, 'cni0').some((a) => !a.includes(':'));
    if (complete(view, 'addresses') && !routed) {
      emit(
        'bridge-address',
        view,
        cni0.loc,
        `Pods on ${view.name} have no gateway: cni0 has no IPv4 address`,
        {
          detail: `cni0 has no IPv4 address but FLANNEL_SUBNET is ${want}: pods have no gateway.`,
          fix: addrAdd(want, 'cni0'),
          related: [related(subnetLoc, `FLANNEL_SUBNET=${want}`)],
        },
      );
    }
    return;
  }
  if (v4.some((a) => `${a.address}/${a.prefixLen}` === want)) return;
  emit(
    'bridge-address',
    view,
    v4[0]!.loc,
    `Pods on ${view.name} cannot reach their gateway: cni0 does not hold ${want}`,
    {
      detail: `cni0 holds ${v4.map((a) => `${a.address}/${a.prefixLen}`).join(', ')} but FLANNEL_SUBNET is ${want}: pods get the wrong gateway.`,
      fix: lines(
        allLines(v4.map((a) => addrDel(`${a.address}/${a.prefixLen}`, 'cni0'))),
        addrAdd(want, 'cni0'),
      ),
      related: [related(subnetLoc, `FLANNEL_SUBNET=${want}`)],
    },
  );
}

/** `ip -br link`: one line per link, without its master. */
function isBrief(command: string | undefined): boolean {
  const ip = command === undefined ? undefined : readIpCommand(readCommand(command).argv);
  return ip !== undefined && hasOption(ip.options, 'brief', 2);
}

function isPodVeth(itf: Interface): boolean {
  return itf.kind === 'veth' && itf.name.startsWith('veth');
}

/**
 * The VTEP's MTU against its underlay: VXLAN costs 50 bytes over an IPv4 underlay and 70 over an IPv6 one
 * (the kernel's default for `flannel-v6.1` on a 1500 underlay is 1430). FLANNEL_MTU is the underlay's MTU less
 * IPv4's 50 even on a dual-stack node, so only the IPv4 VTEP is held to it.
 */
export function checkVtepMtu(view: NodeView, emit: Emit): void {
  const vtep = view.vtep;
  const vtepMtu = vtep?.mtu;
  if (vtep === undefined || vtepMtu === undefined) return;
  const underlay = view.underlay;
  const overhead = vxlanOverhead(view.publicIp === undefined ? view.family : familyOf(view.publicIp));
  if (underlay?.mtu !== undefined && vtepMtu + overhead > underlay.mtu) {
    emit(
      'mtu-mismatch',
      view,
      vtep.loc,
      `Large packets between ${view.name} and other nodes are dropped: ${vtep.name}'s MTU is too high`,
      {
        detail: `${vtep.name} MTU ${vtepMtu} + ${overhead} bytes of VXLAN overhead exceeds ${underlay.name}'s MTU ${underlay.mtu}: large packets are dropped.`,
        fix: linkMtu(vtep.name, underlay.mtu - overhead),
        related: [related(underlay.loc, `${underlay.name} mtu ${underlay.mtu}`)],
      },
    );
  }
  const env = view.host.subnetEnv;
  if (view.family === 'inet' && env?.mtu !== undefined && env.mtu !== vtepMtu) {
    const envMtuLoc = env.vars.find((v) => v.key === 'FLANNEL_MTU')?.loc;
    emit(
      'mtu-mismatch',
      view,
      vtep.loc,
      `Pods on ${view.name} may get a wrong MTU: ${vtep.name} has ${vtepMtu}, FLANNEL_MTU ${env.mtu}`,
      {
        detail: `${vtep.name} MTU ${vtepMtu} differs from FLANNEL_MTU ${env.mtu}.`,
        fix: linkMtu(vtep.name, env.mtu),
        related: envMtuLoc === undefined ? [] : [related(envMtuLoc, `FLANNEL_MTU=${env.mtu}`)],
      },
    );
  }
}

/** cni0 and the pods' veths against the tunnel: the IPv4 VTEP's MTU, else FLANNEL_MTU. */
export function checkPodMtu(view: NodeView, emit: Emit): void {
  const vtep = view.vtep;
  const env = view.host.subnetEnv;
  const envMtuLoc = env?.vars.find((v) => v.key === 'FLANNEL_MTU')?.loc;
  const vtepMtu = vtep?.mtu;
  const ceiling = vtepMtu ?? env?.mtu;
  if (ceiling === undefined) return;
  const ceilingWhat = vtepMtu !== undefined ? `${vtep!.name}'s MTU ${vtepMtu}` : `FLANNEL_MTU ${ceiling}`;
  const ceilingLoc = vtepMtu !== undefined ? vtep!.loc : envMtuLoc;
  for (const itf of view.host.interfaces) {
    const onCni0 = itf.name === 'cni0' || (isPodVeth(itf) && itf.master === 'cni0');
    if (!onCni0 || itf.mtu === undefined || itf.mtu <= ceiling) continue;
    emit(
      'mtu-mismatch',
      view,
      itf.loc,
      `Large packets from pods on ${view.name} are dropped: ${itf.name} MTU ${itf.mtu} exceeds the tunnel's`,
      {
        detail: `${itf.name} MTU ${itf.mtu} is above ${ceilingWhat}: pods send packets the tunnel cannot carry.`,
        fix: linkMtu(itf.name, ceiling),
        related: ceilingLoc === undefined ? [] : [related(ceilingLoc, ceilingWhat)],
      },
    );
  }
}

export function checkVeths(view: NodeView, emit: Emit): void {
  const bridges = view.host.bridges;
  const portOf = new Map<string, { bridge: string; state?: string }>();
  for (const b of bridges)
    for (const p of b.ports)
      portOf.set(p.name, p.state === undefined ? { bridge: b.name } : { bridge: b.name, state: p.state });
  // A bridge's FDB entry on a port (`… dev veth228c5a4c master cni0`) proves the port, too.
  for (const f of view.host.fdb)
    if (f.dev !== undefined && f.master !== undefined && !portOf.has(f.dev))
      portOf.set(f.dev, { bridge: f.master });
  // Membership is known from a bridge listing, or from links listed with their master (ip link; its brief
  // form prints no master).
  const membershipKnown =
    complete(view, 'bridges') ||
    view.host.sections.some((s) => s.parser === 'ip-link' && !s.partial && !isBrief(s.command));
  if (!membershipKnown) return;
  const cni0 = bridges.find((b) => b.name === 'cni0');
  for (const itf of view.host.interfaces) {
    if (!isPodVeth(itf)) continue;
    const port = portOf.get(itf.name);
    const master = itf.master ?? port?.bridge;
    if (master === undefined) {
      if (cni0 === undefined && view.cni0 === undefined) continue;
      emit(
        'veth-unattached',
        view,
        itf.loc,
        `A pod on ${view.name} is cut off: its veth ${itf.name} is on no bridge`,
        {
          detail: `Pod veth ${itf.name} is not a port of cni0 (nor of any bridge): its pod is cut off.`,
          fix: linkMaster(itf.name, 'cni0'),
        },
      );
      continue;
    }
    const state = itf.portState ?? port?.state;
    if (master === 'cni0' && state !== undefined && state !== 'forwarding') {
      emit(
        'veth-unattached',
        view,
        itf.loc,
        `A pod on ${view.name} is cut off: its veth ${itf.name} is ${state} on cni0`,
        {
          detail: `Pod veth ${itf.name} is a port of cni0 but its port state is ${state}, not forwarding.`,
          fix: linkUp(itf.name),
        },
      );
    }
  }
}

const IPV4_KEYS = ['FLANNEL_NETWORK', 'FLANNEL_SUBNET'];
const IPV6_KEYS = ['FLANNEL_IPV6_NETWORK', 'FLANNEL_IPV6_SUBNET'];

export function checkSubnetEnv(view: NodeView, emit: Emit): void {
  const env = view.host.subnetEnv;
  if (env === undefined) return;
  const has = (k: string) => env.vars.some((v) => v.key === k);
  // flanneld writes the IPv4 keys unless the cluster is IPv6-only, and the IPv6 keys as a pair.
  const required = [
    ...(IPV6_KEYS.some(has) && !IPV4_KEYS.some(has) ? [] : IPV4_KEYS),
    ...(IPV6_KEYS.some(has) ? IPV6_KEYS : []),
    'FLANNEL_MTU',
    'FLANNEL_IPMASQ',
  ];
  const missing = required.filter((k) => !has(k));
  // `cat subnet.env | grep SUBNET` shows one variable: only the whole file proves the others absent.
  if (missing.length > 0 && env.vars.length > 0 && complete(view, 'subnetEnv')) {
    emit(
      'subnet-env-invalid',
      view,
      env.loc,
      `Pods on ${view.name} may get a broken network config: subnet.env lacks ${missing.join(', ')}`,
      { detail: `subnet.env lacks ${missing.join(', ')}.` },
    );
  }
  for (const fv of familyViews(view)) checkSubnetPair(fv, emit);
}

/** FLANNEL_SUBNET inside FLANNEL_NETWORK, and naming the subnet's first address (the same for the IPv6 pair). */
function checkSubnetPair(view: NodeView, emit: Emit): void {
  const env = view.host.subnetEnv;
  if (env === undefined) return;
  const [networkKey, subnetKey] = view.family === 'inet6' ? IPV6_KEYS : IPV4_KEYS;
  const given = view.family === 'inet6' ? env.ipv6Subnet : env.subnet;
  const network = view.network;
  const subnetVar = env.vars.find((v) => v.key === subnetKey);
  const subnet = subnetOf(given, subnetVar?.loc ?? env.loc);
  if (network !== undefined && subnet !== undefined && !inSubnet(subnet.network, network)) {
    emit(
      'subnet-env-invalid',
      view,
      subnet.loc,
      `Pods on ${view.name} get addresses outside the pod network ${network.cidr}`,
      {
        detail: `${subnetKey} ${given ?? ''} lies outside ${networkKey} ${network.cidr}.`,
        related: [related(network.loc, `${networkKey}=${network.cidr}`)],
      },
    );
  }
  if (subnet !== undefined && given !== undefined) {
    const gateway = addToAddress(subnet.network, 1);
    if (given.split('/')[0] !== gateway) {
      emit(
        'subnet-env-invalid',
        view,
        subnet.loc,
        `Pods on ${view.name} get the wrong gateway: ${subnetKey} is not ${gateway}/${subnet.prefix}`,
        {
          detail: `${subnetKey} ${given} should name the subnet's first address ${gateway}/${subnet.prefix} (the cni0 gateway).`,
        },
      );
    }
  }
}

/**
 * flannel's DirectRouting: a peer's subnet via that peer's underlay address. With the cluster known, the
 * gateway must be the public IP of the node owning that subnet; a lone snapshot cannot tell, so a
 * subnet-sized route via an underlay address is given the benefit of the doubt.
 */
function isDirectRoute(gateway: string | undefined, dst: Subnet, view: NodeView, peers: PeerIndex): boolean {
  if (gateway === undefined || dst.prefix !== view.subnet?.prefix) return false;
  const owner = peers.bySubnet.get(dst.cidr);
  if (owner !== undefined) return owner.publicIp === gateway;
  const knowsCluster = peers.hasClusterRecord || peers.peers.some((p) => p.name !== view.name);
  return !knowsCluster && view.network !== undefined && !inSubnet(gateway, view.network);
}

export function checkOverlap(view: NodeView, peers: PeerIndex, emit: Emit): void {
  const network = view.network;
  if (network === undefined) return;
  const own = view.subnet?.cidr;
  for (const route of view.host.routes) {
    if (
      route.family !== view.family ||
      route.dev === view.vtepName ||
      route.dst === '0.0.0.0/0' ||
      route.dst === '::/0'
    )
      continue;
    if (
      route.type !== 'unicast' &&
      route.type !== 'blackhole' &&
      route.type !== 'unreachable' &&
      route.type !== 'prohibit'
    )
      continue;
    const dst = subnetOf(route.dst, route.loc);
    if (
      dst === undefined ||
      dst.cidr === own ||
      (route.dev === 'cni0' && own !== undefined && dst.cidr === own)
    )
      continue;
    if (route.dev === 'cni0' && view.subnet !== undefined && inSubnet(dst.network, view.subnet)) continue;
    // Without this node's subnet (FLANNEL_SUBNET filtered out, no cni0 address), a cni0 route is presumably it.
    if (route.dev === 'cni0' && view.subnet === undefined) continue;
    if (!overlaps(dst, network)) continue;
    if (isDirectRoute(route.gateway, dst, view, peers)) continue;
    emit(
      'network-overlap',
      view,
      route.loc,
      `Pod traffic from ${view.name} may leave the wrong way: route ${route.dst} overlaps the pod network`,
      {
        detail: `Route ${route.dst}${route.dev === undefined ? '' : ` dev ${route.dev}`} overlaps the pod network ${network.cidr}: pod traffic to ${dst.cidr} ${dst.prefix > network.prefix ? 'is' : 'may be'} sent the wrong way.`,
        fix: routeDel(route.dst, route.dev),
        related: [related(network.loc, `${networkKey(view)}=${network.cidr}`)],
      },
    );
  }
  for (const itf of view.host.interfaces) {
    if (itf.kind !== 'bridge' || itf.name === 'cni0') continue;
    for (const a of itf.addresses) {
      if (a.family !== view.family || !inSubnet(a.address, network)) continue;
      emit(
        'network-overlap',
        view,
        a.loc,
        `Pod traffic from ${view.name} may go to ${itf.name}: it holds an address in the pod network`,
        {
          detail: `Bridge ${itf.name} holds ${a.address}/${a.prefixLen}, inside the pod network ${network.cidr}.`,
          related: [related(network.loc, `${networkKey(view)}=${network.cidr}`)],
        },
      );
    }
  }
}

export function checkCniConfig(view: NodeView, emit: Emit): void {
  const configs = view.host.cniConfigs;
  if (configs.length === 0) return;
  const flannel = configs.filter((c) => c.plugins.some((p) => p.type === 'flannel'));
  const sorted = configs
    .filter((c) => c.path !== undefined)
    .sort((a, b) => basename(a.path!).localeCompare(basename(b.path!)));
  const first = sorted[0];
  if (flannel.length > 0 && first !== undefined && !flannel.includes(first)) {
    emit(
      'cni-config',
      view,
      first.loc,
      `Pods on ${view.name} do not get flannel networking: another CNI config sorts before flannel's`,
      {
        detail: `${first.path} sorts before the flannel config ${flannel[0]!.path ?? ''}: the container runtime uses the first config in the directory, so pods do not get flannel networking.`,
        related: [related(flannel[0]!.loc, 'the flannel config')],
      },
    );
  }
  for (const c of flannel) {
    const index = c.plugins.findIndex((p) => p.type === 'flannel');
    if (c.isList && index > 0) {
      emit(
        'cni-config',
        view,
        c.plugins[index]!.loc,
        `Pods on ${view.name} may not get flannel networking: flannel is not the first plugin`,
        {
          detail: `The flannel plugin is plugin ${index + 1} of ${c.path ?? 'the conflist'}; it must come first (the others chain after it).`,
        },
      );
    }
    if (c.cniVersion === undefined)
      emit(
        'cni-config',
        view,
        c.loc,
        `The container runtime may refuse ${view.name}'s flannel config: it has no cniVersion`,
        { detail: `${c.path ?? 'The flannel config'} has no cniVersion.` },
      );
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Two commands of one node that describe the same thing differently. */
export function checkConsistency(view: NodeView, emit: Emit): void {
  for (const bridge of view.host.bridges) {
    if (bridge.bridgeId === undefined) continue;
    const idMac = bridgeIdMac(bridge.bridgeId);
    const link = view.host.interfaces.find((i) => i.name === bridge.name);
    if (idMac === undefined || link?.mac === undefined || idMac === link.mac) continue;
    emit(
      'snapshot-inconsistent',
      view,
      bridge.loc,
      `${view.name}'s sections may come from different nodes or times: ${bridge.name}'s MACs differ`,
      {
        detail: `brctl says ${bridge.name}'s bridge id is ${bridge.bridgeId} (MAC ${idMac}), but the link listing gives ${bridge.name} MAC ${link.mac}: these sections may come from different nodes or times.`,
        related: [
          related(
            link.alsoAt?.find((l) => l.line !== link.loc.line) ?? link.loc,
            `${bridge.name} link/ether ${link.mac}`,
          ),
        ],
      },
    );
  }
  for (const itf of view.host.interfaces) {
    for (const c of itf.conflicts ?? []) {
      emit(
        'snapshot-inconsistent',
        view,
        c.loc,
        `${view.name}'s sections may come from different nodes or times: ${itf.name}'s ${c.field} differs`,
        {
          detail: `${itf.name}'s ${c.field} is ${c.value} here but ${c.first} at line ${itf.loc.line}: these sections may come from different nodes or times.`,
          related: [related(itf.loc, `${itf.name} ${c.field} ${c.first}`)],
        },
      );
    }
  }
}

/** The checks of the node itself (its IPv4 view): cni0, pods, subnet.env, the CNI config. */
export function checkNode(view: NodeView, emit: Emit): void {
  checkBridge(view, emit);
  checkPodMtu(view, emit);
  checkVeths(view, emit);
  checkSubnetEnv(view, emit);
  checkCniConfig(view, emit);
  checkConsistency(view, emit);
}

/** The checks of one family's VTEP and routes (run for the IPv4 view and, on a dual-stack node, the IPv6 one). */
export function checkFamily(view: NodeView, peers: PeerIndex, emit: Emit): void {
  checkVtep(view, emit);
  checkVtepMtu(view, emit);
  checkOverlap(view, peers, emit);
}
