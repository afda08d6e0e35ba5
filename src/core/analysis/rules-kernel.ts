// Kernel settings and counters on the packet's path: forwarding, bridge netfilter, the vxlan module, a
// full conntrack table, an overflowing neighbour table, and the VXLAN TX checksum offload bug. Each
// finding stands on a value or log line the snapshot shows; a setting it does not list proves nothing.

import type { HostModel, KernelLogLine, Sysctl } from '../model/types';
import { count } from './aggregate';
import { DEFAULT_VXLAN_PORT } from './firewall';
import { type Emit, related, type RelatedLocation } from './findings';
import { ethtoolOff, lines, modprobe, sysctlSet } from './fixes';
import type { PeerIndex } from './peers';
import { complete, familyViews, type NodeView } from './view';

/**
 * sysctl writes a dot inside an interface name as `/` in the dotted key (`net.ipv4.conf.flannel/1.forwarding`):
 * the key for a device, in the form sysctl prints.
 */
export function deviceKey(prefix: string, dev: string, setting: string): string {
  return `${prefix}.${dev.replaceAll('.', '/')}.${setting}`;
}

/** The value a snapshot shows for a setting: the last listed, as that is the latest reading. */
export function sysctl(host: HostModel, key: string): Sysctl | undefined {
  const list = host.kernel.sysctls;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i]!;
    if (s.key === key && s.missing !== true) return s;
  }
  return undefined;
}

function sysctlMissing(host: HostModel, key: string): Sysctl | undefined {
  return host.kernel.sysctls.find((s) => s.key === key && s.missing === true);
}

function numeric(s: Sysctl | undefined): number | undefined {
  if (s === undefined || !/^\d{1,15}$/.test(s.value.trim())) return undefined;
  return Number(s.value.trim());
}

const PERSIST =
  'and persist it in a file under /etc/sysctl.d/ (a network-service restart or reboot turns it back)';

/** IPv6 forwarding has one switch for a dual-stack or IPv6-only node's pod traffic: `net.ipv6.conf.all.forwarding`. */
function checkIPv6Forwarding(view: NodeView, emit: Emit): void {
  const v6 = view.v6;
  const off = v6 === undefined ? undefined : sysctl(view.host, 'net.ipv6.conf.all.forwarding');
  if (v6 === undefined || off?.value.trim() !== '0') return;
  emit(
    'forwarding-disabled',
    view,
    off.loc,
    `${off.key} = 0 on ${view.name}: the kernel forwards no IPv6 packet, so no IPv6 pod traffic passes between ${v6.vtepName} and cni0 in either direction. Set it to 1 ${PERSIST}.`,
    { fix: sysctlSet(off.key, '1') },
  );
}

function checkForwarding(view: NodeView, emit: Emit): void {
  checkIPv6Forwarding(view, emit);
  // An IPv6-only node forwards no IPv4 pod traffic: its IPv4 switches are not on the pod path.
  if (!familyViews(view).includes(view)) return;
  const host = view.host;
  const global = [sysctl(host, 'net.ipv4.ip_forward'), sysctl(host, 'net.ipv4.conf.all.forwarding')].find(
    (s) => s?.value.trim() === '0',
  );
  if (global !== undefined) {
    emit(
      'forwarding-disabled',
      view,
      global.loc,
      `No pod traffic crosses ${view.name}: ${global.key} = 0 turns forwarding off`,
      {
        detail: `${global.key} = 0 on ${view.name}: the kernel forwards no packet between interfaces, so no pod traffic passes between ${view.vtepName} and cni0 in either direction. Set it to 1 ${PERSIST}.`,
        fix: sysctlSet('net.ipv4.ip_forward', '1'),
      },
    );
    return;
  }
  // IPv4 forwarding is decided by the device a packet comes in on: both ends of the pod path count.
  for (const dev of [view.vtepName, 'cni0']) {
    const s = sysctl(host, deviceKey('net.ipv4.conf', dev, 'forwarding'));
    if (s?.value.trim() !== '0') continue;
    emit(
      'forwarding-disabled',
      view,
      s.loc,
      `${dev === 'cni0' ? `Pods on ${view.name} cannot reach other nodes` : `Other nodes cannot reach pods on ${view.name}`}: ${s.key} = 0`,
      {
        detail: `${s.key} = 0 on ${view.name}: packets arriving on ${dev} are not forwarded, so pod traffic ${dev === 'cni0' ? `from this node's pods to other nodes` : `from other nodes to this node's pods`} stops here. Set it to 1 ${PERSIST}.`,
        fix: sysctlSet(s.key, '1'),
      },
    );
  }
}

function checkBridgeNetfilter(view: NodeView, emit: Emit): void {
  const host = view.host;
  const key = 'net.bridge.bridge-nf-call-iptables';
  const off = sysctl(host, key);
  const why =
    "kube-proxy's rules then miss traffic between pods on the same bridge, so a Service whose endpoint is on this node fails for pods on this node";
  if (off?.value.trim() === '0') {
    emit('bridge-netfilter-off', view, off.loc, `Services may fail for ${view.name}'s own pods: ${key} = 0`, {
      detail: `${key} = 0 on ${view.name}: ${why}.`,
      fix: sysctlSet(key, '1'),
    });
    return;
  }
  if (off !== undefined) return;
  const missing = sysctlMissing(host, key);
  const modulesListed = complete(view, 'modules') && host.kernel.modules.length > 0;
  const loaded = host.kernel.modules.some((m) => m.name === 'br_netfilter');
  // A complete `sysctl -a` without any net.bridge key says the same as the error naming the key.
  const noBridgeKeys =
    complete(view, 'sysctls') && !host.kernel.sysctls.some((s) => s.key.startsWith('net.bridge.'));
  if (missing !== undefined || (modulesListed && !loaded && noBridgeKeys)) {
    const at = missing?.loc ?? {
      file: view.file,
      line: view.coverage.get('modules')?.lines[0] ?? view.host.loc.line,
    };
    emit(
      'bridge-netfilter-off',
      view,
      at,
      `Services may fail for ${view.name}'s own pods: br_netfilter is not loaded`,
      {
        detail: `br_netfilter is not loaded on ${view.name} (no ${key}): ${why}. Load it and list it in /etc/modules-load.d/.`,
        fix: lines(modprobe('br_netfilter'), sysctlSet(key, '1')),
      },
    );
  }
}

function mentionsVxlan(text: string): boolean {
  return /\bvxlan\b/i.test(text);
}

function checkVxlanModule(view: NodeView, emit: Emit): void {
  const host = view.host;
  const error =
    host.kernel.moduleErrors.find(
      (e) => e.module === 'vxlan' || (e.module === undefined && mentionsVxlan(e.message)),
    ) ?? host.kernel.log.find((l) => l.kind === 'module-missing' && mentionsVxlan(l.text));
  if (error === undefined) return;
  // A VTEP the kernel lists as a VXLAN device proves vxlan is there (built in: modprobe finds no file).
  if (view.vtep?.linkKind === 'vxlan' || view.vtep?.vxlan !== undefined) return;
  const vtepAbsent = view.vtep === undefined;
  emit(
    'vxlan-module-missing',
    view,
    error.loc,
    `${view.name} cannot create its VXLAN tunnel: the kernel has no vxlan module`,
    {
      detail: `The kernel of ${view.name} has no vxlan module${host.kernel.release === undefined ? '' : ` (${host.kernel.release.release})`}: flannel cannot create ${view.vtepName}${vtepAbsent ? ', which is why it is missing' : ''}. Install the kernel's extra modules package (e.g. linux-modules-extra-$(uname -r)), then restart flanneld.`,
    },
  );
}

function logLines(host: HostModel, kind: KernelLogLine['kind']): KernelLogLine[] {
  return host.kernel.log.filter((l) => l.kind === kind);
}

function checkConntrack(view: NodeView, emit: Emit): void {
  const host = view.host;
  const full = logLines(host, 'conntrack-full');
  const max = numeric(sysctl(host, 'net.netfilter.nf_conntrack_max'));
  const fix = max === undefined ? undefined : sysctlSet('net.netfilter.nf_conntrack_max', String(max * 2));
  if (full.length > 0) {
    const first = full[0]!;
    emit(
      'conntrack-full',
      view,
      first.loc,
      `${view.name} dropped new flows, pod traffic included: its conntrack table was full`,
      {
        detail: `${view.name}'s conntrack table was full: the kernel logged "${first.text}"${full.length > 1 ? ` ${count(full.length)} times` : ''}, and every new flow, pod traffic included, is dropped while it is.`,
        fix,
        related: full.slice(1, 10).map((l) => related(l.loc, 'logged again')),
      },
    );
    return;
  }
  const used = sysctl(host, 'net.netfilter.nf_conntrack_count');
  const n = numeric(used);
  if (used !== undefined && n !== undefined && max !== undefined && max > 0 && n >= max * 0.9) {
    emit(
      'conntrack-full',
      view,
      used.loc,
      `${view.name} is close to dropping new flows: conntrack holds ${count(n)} of ${count(max)}`,
      {
        detail: `${view.name}'s conntrack table holds ${count(n)} of at most ${count(max)} flows: at the limit the kernel drops every new flow.`,
        fix,
        severity: 'warning',
      },
    );
  }
}

function checkNeighbourOverflow(view: NodeView, emit: Emit): void {
  const host = view.host;
  const overflow = logLines(host, 'neighbour-overflow');
  const thresh3 = sysctl(host, 'net.ipv4.neigh.default.gc_thresh3');
  const t3 = numeric(thresh3);
  const fix =
    t3 === undefined
      ? undefined
      : lines(
          sysctlSet('net.ipv4.neigh.default.gc_thresh1', String(t3)),
          sysctlSet('net.ipv4.neigh.default.gc_thresh2', String(t3 * 2)),
          sysctlSet('net.ipv4.neigh.default.gc_thresh3', String(t3 * 4)),
        );
  if (overflow.length > 0) {
    const first = overflow[0]!;
    emit(
      'neigh-table-overflow',
      view,
      first.loc,
      `${view.name} cannot add neighbour entries, new nodes' included: its neighbour table overflowed`,
      {
        detail: `${view.name}'s neighbour table overflowed ("${first.text}"${overflow.length > 1 ? `, ${count(overflow.length)} times` : ''}): new entries, the VTEP's permanent ones for new nodes included, cannot be added.`,
        fix,
        related: thresh3 === undefined ? [] : [related(thresh3.loc, 'the table limit')],
      },
    );
    return;
  }
  const entries = host.neighbours.filter((n) => n.family === 'inet').length;
  if (thresh3 !== undefined && t3 !== undefined && complete(view, 'neighbours') && entries >= t3) {
    emit(
      'neigh-table-overflow',
      view,
      thresh3.loc,
      `${view.name} cannot add more neighbour entries: the table is at gc_thresh3 (${count(t3)})`,
      {
        detail: `${view.name} holds ${count(entries)} IPv4 neighbour entries, at its limit gc_thresh3 = ${count(t3)}: the next ones cannot be added.`,
        fix,
        severity: 'warning',
      },
    );
  }
}

function inCsumErrors(host: HostModel): { value: number; loc: RelatedLocation } | undefined {
  for (const snmp of host.kernel.snmp) {
    if (snmp.protocol !== 'Udp') continue;
    const c = snmp.counters.find((x) => x.name === 'InCsumErrors');
    if (c !== undefined && c.value > 0)
      return { value: c.value, loc: related(snmp.loc, `InCsumErrors ${c.value}`) };
  }
  return undefined;
}

/**
 * `tx-checksum-ip-generic: on` on the VTEP is the kernel's default and harmless on most NICs: a note. With
 * evidence of the bug (bad UDP checksums counted or logged for the VXLAN port, here or at a peer from this
 * node, or a vmxnet3 underlay) it is the error that breaks every tunnelled packet.
 */
function checkChecksumOffload(view: NodeView, peers: PeerIndex, emit: Emit): void {
  const host = view.host;
  const features = host.kernel.features.find((f) => f.dev === view.vtepName);
  const feature = features?.features.find((f) => f.name === 'tx-checksum-ip-generic');
  if (feature === undefined || !feature.on) return;
  const port = view.port ?? DEFAULT_VXLAN_PORT;
  const evidence: RelatedLocation[] = [];
  const counted = inCsumErrors(host);
  if (counted !== undefined) evidence.push(counted.loc);
  for (const line of host.kernel.log) {
    if (line.kind === 'udp-bad-checksum' && line.dport === port) {
      evidence.push(related(line.loc, `a bad checksum on the VXLAN port from ${line.src ?? '?'}`));
      break;
    }
  }
  for (const peer of peers.peers) {
    const other = peer.view?.host;
    if (other === undefined || other === host || view.publicIp === undefined) continue;
    const line = other.kernel.log.find(
      (l) => l.kind === 'udp-bad-checksum' && l.src === view.publicIp && l.dport === port,
    );
    if (line !== undefined)
      evidence.push(related(line.loc, `${peer.name} got a bad checksum from ${view.name}`));
  }
  const underlay = view.underlay?.name ?? view.vtep?.vxlan?.dev;
  const driver = host.kernel.drivers.find((d) => d.dev === underlay && d.driver === 'vmxnet3');
  if (driver !== undefined) evidence.push(related(driver.loc, `${underlay ?? 'the underlay'} uses vmxnet3`));
  const udev = `ACTION=="add", SUBSYSTEM=="net", KERNEL=="${view.vtepName}", RUN+="/sbin/ethtool -K ${view.vtepName} tx-checksum-ip-generic off"`;
  const message =
    evidence.length > 0
      ? `${view.vtepName} on ${view.name} leaves VXLAN UDP checksums to the NIC (tx-checksum-ip-generic: on) ${evidence.length === 1 && driver !== undefined ? 'over a vmxnet3 NIC, which is known to corrupt them' : 'and bad UDP checksums are counted or logged on the path'}: receivers drop such packets, so pod traffic between nodes fails. Turn the offload off; to keep it off across reboots, a udev rule: ${udev}`
      : `${view.vtepName} on ${view.name} has tx-checksum-ip-generic on (the kernel's default). Some NICs and hypervisors (vmxnet3) corrupt VXLAN checksums with it: if pods on different nodes cannot talk and receivers count InCsumErrors, turn it off.`;
  emit(
    'vtep-checksum-offload',
    view,
    feature.loc,
    `${evidence.length > 0 ? `Pod traffic between nodes fails at ${view.name}: VXLAN checksums are corrupted` : `${view.vtepName} on ${view.name} offloads TX checksums, which breaks VXLAN on some NICs`}`,
    {
      detail: message,
      fix: ethtoolOff(view.vtepName, 'tx-checksum-ip-generic'),
      related: evidence,
      severity: evidence.length > 0 ? 'error' : 'info',
    },
  );
}

export function checkKernel(view: NodeView, peers: PeerIndex, emit: Emit): void {
  checkForwarding(view, emit);
  checkBridgeNetfilter(view, emit);
  checkVxlanModule(view, emit);
  checkConntrack(view, emit);
  checkNeighbourOverflow(view, emit);
  checkChecksumOffload(view, peers, emit);
}
