// Findings: the stable codes (the catalogue every view and the docs draw on), what each one carries, and
// how they are ordered.

import type { Severity, SourceLocation } from '../model/types';
import { type Fix, isWithheld } from './fixes';

export const FINDING_CODES = {
  'route-missing': 'error',
  'route-invalid': 'error',
  'route-duplicate': 'warning',
  'route-stale': 'warning',
  'network-overlap': 'error',
  'neigh-missing': 'error',
  'neigh-incomplete': 'error',
  'neigh-stale': 'warning',
  'neigh-mac-mismatch': 'error',
  'fdb-missing': 'error',
  'fdb-stale': 'warning',
  'fdb-dst-mismatch': 'error',
  'fdb-duplicate-dst': 'warning',
  'vtep-missing': 'error',
  'vtep-down': 'error',
  'vtep-config': 'error',
  'vtep-address': 'error',
  'bridge-address': 'error',
  'mtu-mismatch': 'error',
  'veth-unattached': 'error',
  'subnet-env-invalid': 'error',
  'subnet-duplicate': 'error',
  'vtep-mac-duplicate': 'error',
  'cluster-config-mismatch': 'error',
  'annotation-mismatch': 'warning',
  'peer-asymmetry': 'error',
  'cni-config': 'error',
  'snapshot-inconsistent': 'warning',
  'forward-blocked': 'error',
  'vxlan-port-blocked': 'error',
  'firewall-uncertain': 'info',
  'firewall-backends-split': 'warning',
  'flannel-rules-missing': 'warning',
  'firewall-rule-above-flannel': 'warning',
  'forwarding-disabled': 'error',
  'bridge-netfilter-off': 'warning',
  'vxlan-module-missing': 'error',
  'conntrack-full': 'error',
  'neigh-table-overflow': 'error',
  'vtep-checksum-offload': 'info',
  'unrecognized-output': 'info',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_CODES;

/** What a finding code means, for the docs (docs/findings.md is generated from this) and their readers. */
export interface FindingDoc {
  /** What is wrong and what it breaks, in a sentence or two. */
  meaning: string;
  /** The sections a snapshot must hold (whole, not filtered) for the rule to judge; without them it stays silent. */
  evidence: string;
  /** How it is repaired; the finding's own fix carries the exact commands where netsnap can build them. */
  fix: string;
}

// The VTEP is flannel.<VNI> for IPv4 and flannel-v6.<VNI> for IPv6; each text below holds for either family.
export const FINDING_DOCS: { readonly [C in FindingCode]: FindingDoc } = {
  'route-missing': {
    meaning:
      "A peer's pod subnet is known (from another node's snapshot, the Kubernetes record, or a neighbour entry on the VTEP) but this node has no route for it: its pods cannot reach that peer's pods.",
    evidence:
      "This node's whole route listing (`route -n` or `ip route`) and the peer's subnet from its own snapshot, its `subnet.env`, or `kubectl get nodes`. Above 10 missing routes on one node they are reported as one finding with a sample.",
    fix: 'Add the route flannel writes, `ip route replace <subnet> via <subnet network> dev <VTEP> onlink`, with the neighbour and FDB entries it needs; restarting flanneld on the node re-adds every route.',
  },
  'route-invalid': {
    meaning:
      "A flannel route that does not lead where flannel's would: its gateway is not the peer subnet's network address, its prefix is not the subnet size, it leaves by another device, or it sends the node's own pod subnet into the tunnel.",
    evidence: "The route listing, and the node's subnet (`subnet.env`, cni0's address) or the peer's.",
    fix: 'Delete the wrong route and add the one flannel writes (`ip route replace <subnet> via <network> dev <VTEP> onlink`); the own subnet belongs on cni0.',
  },
  'route-duplicate': {
    meaning:
      'Two routes for one destination with the same metric and table: the kernel uses only the first, and the second is a leftover that may mislead whoever reads the table.',
    evidence: 'The route listing.',
    fix: 'Delete the route the kernel does not use.',
  },
  'route-stale': {
    meaning:
      'A route on the VTEP to a subnet outside `FLANNEL_NETWORK`, or (with the cluster record known) to a subnet no node owns: a leftover of a node that is gone.',
    evidence: 'The route listing, with `subnet.env` or `kubectl get nodes` for the network and the owners.',
    fix: '`ip route del <subnet> dev <VTEP>`.',
  },
  'network-overlap': {
    meaning:
      "A route that is not flannel's (a host route such as 10.0.0.0/8, a VPN, docker0) or a bridge's address overlaps `FLANNEL_NETWORK`: pod traffic may be sent the wrong way.",
    evidence:
      "The route or address listing and `FLANNEL_NETWORK` from `subnet.env`; a peer's DirectRouting route is not counted.",
    fix: "Delete the overlapping route, or move the other network (docker0's `bip`, the VPN) out of the pod network.",
  },
  'neigh-missing': {
    meaning:
      "A flannel route's gateway (the peer's VTEP address) has no neighbour entry on the VTEP: the VTEP answers no ARP/NDP, so packets to that peer are dropped.",
    evidence:
      'The route listing and the whole neighbour listing (`arp -e`/`ip neigh`); a filtered listing proves nothing.',
    fix: '`ip neigh replace <gateway> lladdr <peer VTEP MAC> dev <VTEP> nud permanent` (and the FDB entry when it is missing too).',
  },
  'neigh-incomplete': {
    meaning:
      "The neighbour entry for a route's gateway exists but is INCOMPLETE or FAILED (an error: it never resolved), or is not PERMANENT (a warning: it works until the kernel re-probes it, and the VTEP answers no probe).",
    evidence: 'The route and neighbour listings.',
    fix: '`ip neigh replace <gateway> lladdr <peer VTEP MAC> dev <VTEP> nud permanent`.',
  },
  'neigh-stale': {
    meaning:
      'A neighbour entry on the VTEP that no route uses (often one outside `FLANNEL_NETWORK`): a leftover of a node that left or changed.',
    evidence:
      'The neighbour listing and the whole route listing (a cut route listing may hide the route that uses it).',
    fix: '`ip neigh del <ip> dev <VTEP>`.',
  },
  'neigh-mac-mismatch': {
    meaning:
      "The neighbour entry for a peer's VTEP address holds a MAC the peer's VTEP no longer has (its MAC changed, e.g. rewritten at boot, and this node was not updated): traffic to that peer's pods goes nowhere.",
    evidence:
      "This node's neighbour entry, and the peer's live VTEP MAC from its own `ip -d link` (or the `backend-data` annotation).",
    fix: "Point the entry at the live MAC, add the FDB entry for it and delete the old MAC's: `ip neigh replace … lladdr <live MAC> … nud permanent`, `bridge fdb append <live MAC> dev <VTEP> dst <peer IP> self permanent`, `bridge fdb del <old MAC> …`.",
  },
  'fdb-missing': {
    meaning:
      'The MAC a flannel neighbour entry resolves to has no FDB entry on the VTEP: the kernel does not know which node to tunnel the frame to.',
    evidence: 'The neighbour entry and the whole FDB listing (`bridge fdb show`).',
    fix: '`bridge fdb append <MAC> dev <VTEP> dst <peer public IP> self permanent`.',
  },
  'fdb-stale': {
    meaning:
      'An FDB entry on the VTEP that no neighbour entry references and that is no live VTEP MAC: a leftover.',
    evidence: 'The whole FDB, neighbour and route listings.',
    fix: '`bridge fdb del <MAC> dev <VTEP> dst <IP> self`.',
  },
  'fdb-dst-mismatch': {
    meaning:
      "An FDB entry tunnels a peer's MAC to an address that is not that peer's public IP (or to this node itself), so the frames are dropped where they arrive. The kernel keeps the first `dst` written for a MAC, so a wrong one written first takes the traffic (an error); where several `dst`s are listed and one is right, each wrong one is a warning.",
    evidence:
      "The FDB entry, and the peer's public IP from its snapshot (`local` of its VTEP) or the `public-ip` annotation.",
    fix: 'Delete the wrong entry and append the right one: `bridge fdb del <MAC> dev <VTEP> dst <wrong IP> self`, `bridge fdb append <MAC> dev <VTEP> dst <peer IP> self permanent`.',
  },
  'fdb-duplicate-dst': {
    meaning:
      'Several MACs tunnel to one node: all but its live VTEP MAC are leftovers of an earlier VTEP MAC.',
    evidence:
      "The FDB listing; the live MAC from that node's snapshot or annotation (or the neighbour listing).",
    fix: '`bridge fdb del <old MAC> dev <VTEP> dst <IP> self`.',
  },
  'vtep-missing': {
    meaning:
      'flannel runs on the node but the link listing has no VTEP device: no pod traffic leaves or enters the node.',
    evidence:
      'A whole `ip -d link` (or `ip link`/`ifconfig -a`) listing, and no other section naming the device.',
    fix: "Restart flanneld on the node (it recreates the device); check `vxlan-module-missing` and flanneld's log.",
  },
  'vtep-down': {
    meaning: 'The VTEP is not up: the tunnel carries nothing.',
    evidence: "The VTEP's link line with its flags.",
    fix: '`ip link set <VTEP> up`.',
  },
  'vtep-config': {
    meaning:
      "The VTEP's VXLAN settings differ from flannel's: a VNI other than its name's, a UDP port other than 8472, learning on, a `local` address no interface holds, or a `dev` the node does not have.",
    evidence:
      '`ip -d link` (the `vxlan id … local … dev … dstport …` line); `local` and `dev` need the whole address and link listings.',
    fix: '`ip link set <VTEP> type vxlan nolearning` for learning; otherwise delete the device and let flanneld recreate it.',
  },
  'vtep-address': {
    meaning:
      "The VTEP's address is not its subnet's network address /32 (e.g. 10.27.9.0/32), or it has none.",
    evidence: "The VTEP's addresses (`ip addr`) and the node's subnet.",
    fix: '`ip addr del` the wrong address and `ip addr add <network>/32 dev <VTEP>`.',
  },
  'bridge-address': {
    meaning: "cni0's address is not `FLANNEL_SUBNET` (or it has none): pods get the wrong gateway, or none.",
    evidence: "cni0's addresses and `subnet.env`.",
    fix: '`ip addr add <FLANNEL_SUBNET> dev cni0` (after deleting the wrong address).',
  },
  'mtu-mismatch': {
    meaning:
      'The MTUs along the path disagree: the VTEP above the underlay MTU minus the VXLAN overhead (50 bytes over an IPv4 underlay, 70 over IPv6), the VTEP unlike `FLANNEL_MTU`, or cni0 or a pod veth above the VTEP: large packets are dropped.',
    evidence: 'The MTUs from `ip link`/`ifconfig` and `FLANNEL_MTU`.',
    fix: '`ip link set <device> mtu <value>`; for a lasting fix set the MTU flannel is given (its `--iface` device, the CNI `mtu`).',
  },
  'veth-unattached': {
    meaning: "A pod's veth is not a port of cni0 (its pod is cut off), or its port is not forwarding.",
    evidence:
      "The bridge's ports (`brctl show`, `bridge link`, `ip -d link`'s `master`); `ip -br link` shows no master and proves nothing.",
    fix: '`ip link set <veth> master cni0` / `ip link set <veth> up`; recreating the pod is the usual repair.',
  },
  'subnet-env-invalid': {
    meaning:
      "`/run/flannel/subnet.env` lacks a key, puts `FLANNEL_SUBNET` outside `FLANNEL_NETWORK`, or does not name the subnet's first address as the gateway.",
    evidence: 'The whole `subnet.env`.',
    fix: 'Restart flanneld on the node, which rewrites the file from its lease.',
  },
  'subnet-duplicate': {
    meaning: 'Two nodes hold the same pod subnet: pods on one of them are unreachable.',
    evidence: "Both nodes' subnets (`subnet.env`, cni0, or `podCIDR`).",
    fix: 'Give one node a new lease: delete its subnet lease (or fix its `podCIDR`) and restart flanneld there.',
  },
  'vtep-mac-duplicate': {
    meaning: 'Two nodes share a VTEP MAC: peers cannot tell their tunnels apart.',
    evidence: "Both nodes' VTEP MACs.",
    fix: 'Delete the VTEP on one node and restart flanneld there so it gets a new MAC.',
  },
  'cluster-config-mismatch': {
    meaning:
      'A node disagrees with the majority on `FLANNEL_NETWORK`, the VNI or the VXLAN port: it cannot talk with the rest.',
    evidence: "Several nodes' `subnet.env` and VTEP settings.",
    fix: "Align the node's flannel configuration (net-conf.json) with the cluster's and restart flanneld there.",
  },
  'annotation-mismatch': {
    meaning:
      "A node's live VTEP MAC, public IP or subnet differs from its Kubernetes record (`backend-data`, `public-ip`, `podCIDR`): peers program what the record says.",
    evidence: "`kubectl get nodes -o yaml|json` and the node's own snapshot.",
    fix: 'Restart flanneld on the node so it publishes its live values (or fix the device it should be using).',
  },
  'peer-asymmetry': {
    meaning: "A routes to B's subnet but B has no route back to A's: replies from B's pods cannot return.",
    evidence: "Both nodes' whole route listings.",
    fix: "Add the missing route on B (see B's `route-missing`), or restart flanneld on B.",
  },
  'cni-config': {
    meaning:
      'The flannel CNI config is not the first in `/etc/cni/net.d` (the runtime uses the first), flannel is not the first plugin of its conflist, it has no `cniVersion`, or it is malformed.',
    evidence: 'The CNI config files with their paths.',
    fix: 'Remove or rename the config that sorts first, or fix the conflist.',
  },
  'snapshot-inconsistent': {
    meaning:
      "Two sections of one node contradict each other (e.g. brctl's bridge id against the link's MAC): they may come from different nodes or times, so the findings built on them are in doubt.",
    evidence: 'Two sections describing the same device.',
    fix: 'Collect the node again in one go (`netsnap collect`).',
  },
  'forward-blocked': {
    meaning:
      "The filter FORWARD path (iptables, either backend, or nftables) drops or rejects pod traffic between the VTEP and cni0 for one or both directions, by a rule or the chain's policy (Docker's `FORWARD DROP`, firewalld's REJECT).",
    evidence:
      'A whole rule listing (`iptables-save`, `iptables -S`/`-L`, `nft list ruleset`) and the pod network; a filtered listing, a chain not shown or a match netsnap cannot evaluate gives `firewall-uncertain` instead.',
    fix: "Insert flannel's accepts before the blocker, in the blocking backend's own command: `iptables -I FORWARD 1 -s <network> -j ACCEPT` and `-d <network>` (or the nft equivalent).",
  },
  'vxlan-port-blocked': {
    meaning: "INPUT drops or rejects the tunnel packets (UDP to the VTEP's port from the peers' public IPs).",
    evidence: "A whole rule listing with INPUT, and the VTEP's port.",
    fix: '`iptables -I INPUT 1 -p udp --dport <port> -j ACCEPT` (or the nft equivalent) in the blocking backend.',
  },
  'firewall-uncertain': {
    meaning:
      "netsnap cannot tell whether the firewall lets flannel's traffic through: the listing is filtered, a chain it jumps to is not shown, or a match depends on what the listing cannot decide (marks, sets, unknown modules).",
    evidence: 'A rule listing; this note names what it could not decide.',
    fix: 'Collect the whole rule set (`iptables-save -c`, `nft list ruleset`) to get a verdict.',
  },
  'firewall-backends-split': {
    meaning:
      'The node has iptables rules in both the legacy and the nf_tables backend: the kernel applies both, but `iptables` shows and edits only one, so a DROP in the other is easy to miss.',
    evidence: "Both backends' listings, or the `# Warning: iptables-legacy tables present` line.",
    fix: 'Move every rule into one backend and flush the other.',
  },
  'flannel-rules-missing': {
    meaning:
      'flannel runs on the node but its iptables rules are gone (no FLANNEL-FWD chain, no "flanneld forward" accept), typically after `firewall-cmd --reload` or `iptables-restore`.',
    evidence: 'A whole filter table listing, and flannel running (the VTEP, `subnet.env`).',
    fix: 'Restart flanneld on the node; it re-adds its chains.',
  },
  'firewall-rule-above-flannel': {
    meaning:
      "A DROP/REJECT sits above flannel's accepts and matches some pod traffic between nodes: what it matches never reaches them, even if today's pings pass.",
    evidence: "A whole rule listing with flannel's accepts.",
    fix: "Move the rule below flannel's accepts, or narrow it.",
  },
  'forwarding-disabled': {
    meaning:
      '`net.ipv4.ip_forward` (or `net.ipv4.conf.all.forwarding`) is 0, or forwarding is off on the VTEP or on cni0: the kernel forwards no pod traffic between the two (in one direction, for a device).',
    evidence: 'The sysctl values (`sysctl -a`, `sysctl KEY`, `cat /proc/sys/…`).',
    fix: '`sysctl -w <key>=1`, and persist it in `/etc/sysctl.d/`.',
  },
  'bridge-netfilter-off': {
    meaning:
      "`net.bridge.bridge-nf-call-iptables` is 0, or br_netfilter is not loaded: Service traffic between pods on one bridge skips kube-proxy's rules.",
    evidence: 'The sysctl value, or a whole `sysctl -a` without any `net.bridge` key.',
    fix: '`modprobe br_netfilter`, `sysctl -w net.bridge.bridge-nf-call-iptables=1`, and persist both.',
  },
  'vxlan-module-missing': {
    meaning:
      'The kernel has no vxlan module (`modprobe: FATAL: Module vxlan not found`): flannel cannot create the VTEP.',
    evidence: 'The `modprobe`/`lsmod` output, and no VXLAN device listed.',
    fix: "Install the kernel's extra modules package (e.g. `linux-modules-extra-$(uname -r)`) and `modprobe vxlan`.",
  },
  'conntrack-full': {
    meaning:
      'The conntrack table was full (the kernel logged `nf_conntrack: table full`, an error) or is at 90 % of its limit (a warning): every new flow, pod traffic included, is dropped while it is.',
    evidence: 'The kernel log (`dmesg`, `journalctl -k`), or `nf_conntrack_count` with `nf_conntrack_max`.',
    fix: '`sysctl -w net.netfilter.nf_conntrack_max=<twice the limit>`, and persist it.',
  },
  'neigh-table-overflow': {
    meaning:
      "The neighbour table overflowed (`neighbor table overflow!` in the kernel log, an error) or is at `gc_thresh3` (a warning): new entries, the VTEP's permanent ones for new nodes included, cannot be added.",
    evidence: 'The kernel log, or a whole neighbour listing with `gc_thresh3`.',
    fix: 'Raise `net.ipv4.neigh.default.gc_thresh1/2/3` (and the IPv6 ones) with `sysctl -w`, and persist them.',
  },
  'vtep-checksum-offload': {
    meaning:
      "The VTEP leaves VXLAN UDP checksums to the NIC (`tx-checksum-ip-generic: on`, the kernel's default): a note alone, since most clusters run fine; an error once bad checksums are counted (`InCsumErrors`) or logged for the VXLAN port, here or at a peer, or the underlay is vmxnet3, which is known to corrupt them.",
    evidence:
      '`ethtool -k <VTEP>`; corroboration from `/proc/net/snmp`, the kernel log, or `ethtool -i` of the underlay.',
    fix: '`ethtool -K <VTEP> tx-checksum-ip-generic off`, made lasting with a udev rule.',
  },
  'unrecognized-output': {
    meaning:
      'Lines no parser reads (a note), or a file that is not a transcript at all (binary data, an error): kept and reported, never dropped silently.',
    evidence: 'Any section.',
    fix: 'None needed; hide the notes with `netsnap.showNotes`. A command netsnap should read is worth an issue with its output.',
  },
};

/** A message's longest: what the Problems panel shows on one line without cutting it off. */
export const MAX_MESSAGE = 100;

export interface RelatedLocation {
  file: string;
  line: number;
  message: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  node: string;
  file: string;
  line: number;
  endLine?: number;
  /**
   * The impact first, in at most 100 characters ("flnode1 cannot reach pods on flnode3: its neighbour
   * entry holds flnode3's old VTEP MAC"): what the Problems panel shows in one line.
   */
  message: string;
  /**
   * The mechanism: one or two sentences naming the entries involved and why they fail (and why no fix
   * is offered, when one is withheld). Editors show it as the first related information.
   */
  detail?: string;
  /**
   * The iproute2 command(s) that repair it, one per line, to run on `node`; every argument is
   * shell-quoted (fixes.ts). Absent when none is known or it was withheld (the message says why).
   */
  fix?: string;
  /** The other places that prove it (often on another node). */
  related?: RelatedLocation[];
}

export function related(loc: SourceLocation, message: string): RelatedLocation {
  return { file: loc.file, line: loc.line, message };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** Repairs of the device itself come before the entries that depend on it (a route needs its device up). */
const FIX_ORDER: Partial<Record<FindingCode, number>> = {
  'vtep-missing': 0,
  'vtep-down': 0,
  'vtep-config': 1,
  'vtep-address': 1,
  'bridge-address': 1,
};

/** Most severe first, then by node, then device repairs before entry repairs, then by line. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.node.localeCompare(b.node) ||
    a.file.localeCompare(b.file) ||
    (FIX_ORDER[a.code] ?? 2) - (FIX_ORDER[b.code] ?? 2) ||
    a.line - b.line ||
    a.code.localeCompare(b.code)
  );
}

export interface FindingExtra {
  /** The mechanism behind the message's impact (Finding.detail). */
  detail?: string;
  fix?: Fix | undefined;
  /** Overrides the code's usual severity (a parser's note keeps its own). */
  severity?: Severity;
  related?: RelatedLocation[];
}

/** Records a finding about `node` at `loc` (a place in that node's file). */
export type Emit = (
  code: FindingCode,
  node: { name: string; file: string },
  loc: SourceLocation | { file: string; line: number },
  message: string,
  extra?: FindingExtra,
) => void;

export function collector(out: Finding[]): Emit {
  return (code, node, loc, message, extra) => {
    const finding: Finding = {
      code,
      severity: extra?.severity ?? FINDING_CODES[code],
      node: node.name,
      file: loc.file,
      line: loc.line,
      message,
    };
    if ('endLine' in loc && loc.endLine !== undefined) finding.endLine = loc.endLine;
    const fix = extra?.fix;
    const withheld = isWithheld(fix) ? ` (No fix is offered: ${fix.withheld}.)` : '';
    if (extra?.detail !== undefined || withheld !== '')
      finding.detail = `${extra?.detail ?? message}${withheld}`;
    if (fix !== undefined && !isWithheld(fix)) finding.fix = fix;
    if (extra?.related !== undefined && extra.related.length > 0) finding.related = extra.related;
    out.push(finding);
  };
}
