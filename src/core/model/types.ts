// The records every parser produces and the node model is made of. Every record keeps where it came from:
// the analysis cites these lines as evidence, the editor jumps to them.

/** A place in a snapshot file. Lines are 1-based; `endLine` is set when a record spans several lines. */
export interface SourceLocation {
  file: string;
  line: number;
  endLine?: number;
}

export type Family = 'inet' | 'inet6';

export interface Route {
  loc: SourceLocation;
  family: Family;
  /** Canonical CIDR: `10.27.1.0/24`, `0.0.0.0/0` for default, `fd00::/64`. */
  dst: string;
  gateway?: string;
  dev?: string;
  metric?: number;
  /** `unicast` unless the route says otherwise (`blackhole`, `unreachable`, `prohibit`, `local`, …). */
  type: string;
  /** `route -n` flag letters (`UG`) as printed; absent for `ip route`. */
  flags?: string;
  onlink: boolean;
  /** `linkdown`, `dead`, `pervasive`, `offload`, … as `ip route` prints them. */
  nhFlags?: string[];
  proto?: string;
  scope?: string;
  src?: string;
  table?: string;
  mtu?: number;
  nexthops?: NextHop[];
}

export interface NextHop {
  gateway?: string;
  dev?: string;
  weight?: number;
  onlink: boolean;
  loc: SourceLocation;
}

/**
 * Neighbour states as `ip neigh` prints them (`PERMANENT`, `REACHABLE`, `STALE`, `DELAY`, `PROBE`,
 * `INCOMPLETE`, `FAILED`, `NOARP`, `NONE`), plus `COMPLETE` for `arp` rows that only say the entry resolved.
 */
export type NeighState = string;

export interface Neighbour {
  loc: SourceLocation;
  family: Family;
  ip: string;
  mac?: string;
  dev?: string;
  /** Upper-case states; `ip -j neigh` may list several. */
  state: NeighState[];
  router: boolean;
  /** `arp -e` Flags column (`CM`) or the `arp -a` markers (`PERM`, `PUB`) as printed. */
  arpFlags?: string;
}

export interface FdbEntry {
  loc: SourceLocation;
  /** Lower-case MAC, as iproute2 prints it. */
  mac: string;
  dev?: string;
  dst?: string;
  vlan?: number;
  port?: number;
  vni?: number;
  srcVni?: number;
  via?: string;
  nhid?: number;
  /** The bridge whose FDB holds the entry (`master cni0`). */
  master?: string;
  /** `self`, `master`, `router`, `extern_learn`, `offload`, `sticky`, … */
  flags: string[];
  /** `permanent`, `static`, `stale`, … or absent for a learned (dynamic) entry. */
  state?: string;
}

export type InterfaceKind = 'physical' | 'bond' | 'bridge' | 'vxlan' | 'veth' | 'loopback' | 'other';

export interface Address {
  loc: SourceLocation;
  family: Family;
  address: string;
  prefixLen: number;
  broadcast?: string;
  scope?: string;
  label?: string;
  /** `ip addr` flags after the scope: `tentative`, `dynamic`, `secondary`, … */
  flags?: string[];
}

export interface VxlanInfo {
  id?: number;
  port?: number;
  local?: string;
  dev?: string;
  learning?: boolean;
  group?: string;
  remote?: string;
  /** `external` (collect metadata) devices carry the VNI per FDB entry instead. */
  external?: boolean;
}

export interface Interface {
  loc: SourceLocation;
  name: string;
  ifindex?: number;
  kind: InterfaceKind;
  /** The kernel's link kind when the output says it (`ip -d link`: `vxlan`, `bridge`, `veth`, `bond`, …). */
  linkKind?: string;
  mac?: string;
  mtu?: number;
  /** Interface flags as printed (`BROADCAST`, `UP`, `LOWER_UP`, …). */
  flags: string[];
  /** Operational state (`UP`, `DOWN`, `UNKNOWN`, …) when printed. */
  operState?: string;
  /** Administratively up (the `UP` flag). */
  up: boolean;
  master?: string;
  /** What follows `@` in `veth0@if5` / `vlan10@eth0`. */
  link?: string;
  linkNetns?: string;
  linkNetnsId?: number;
  addresses: Address[];
  vxlan?: VxlanInfo;
  /** `ip -d link` bridge_slave / `bridge link` port state (`forwarding`, `disabled`, …). */
  portState?: string;
  /** `ip -d link` bridge_id of a bridge (`8000.86:29:6f:2:69:c5`). */
  bridgeId?: string;
  /** Further places that describe the same interface (e.g. `ip addr` after `ip -d link`). */
  alsoAt?: SourceLocation[];
  /** Where another command gave this interface a different MAC, MTU or master than the first did. */
  conflicts?: InterfaceConflict[];
}

export interface InterfaceConflict {
  field: 'mac' | 'mtu' | 'master';
  /** The value the first description gave (kept in the record). */
  first: string;
  /** The contradicting value and where it was read. */
  value: string;
  loc: SourceLocation;
}

export interface BridgePort {
  loc: SourceLocation;
  name: string;
  state?: string;
}

export interface Bridge {
  loc: SourceLocation;
  name: string;
  /** `brctl show` bridge id (`8000.0a580a1d0d01`). */
  bridgeId?: string;
  stp?: boolean;
  ports: BridgePort[];
}

export interface KeyValue {
  loc: SourceLocation;
  key: string;
  value: string;
}

/** `/run/flannel/subnet.env`. */
export interface SubnetEnv {
  loc: SourceLocation;
  network?: string;
  subnet?: string;
  mtu?: number;
  ipmasq?: boolean;
  ipv6Network?: string;
  ipv6Subnet?: string;
  vars: KeyValue[];
}

export interface CniPlugin {
  loc: SourceLocation;
  type?: string;
  /** The plugin object as written, for checks that need more than the type. */
  config: Record<string, unknown>;
}

export interface CniConfig {
  loc: SourceLocation;
  /** The file it was read from, when the command names it. */
  path?: string;
  name?: string;
  cniVersion?: string;
  /** `.conflist` (plugins array) or a single-plugin `.conf`. */
  isList: boolean;
  plugins: CniPlugin[];
}

/** `ls /opt/cni/bin`. */
export interface CniBinaries {
  loc: SourceLocation;
  path?: string;
  names: string[];
}

export interface FlannelAnnotations {
  backendData?: { vni?: number; vtepMac?: string };
  /** `backend-v6-data`: the IPv6 VTEP (`flannel-v6.<VNI>`) of a dual-stack or IPv6-only node. */
  backendV6Data?: { vni?: number; vtepMac?: string };
  backendType?: string;
  publicIp?: string;
  publicIpv6?: string;
  kubeSubnetManager?: boolean;
}

/** One node of `kubectl get nodes -o json|yaml`: the cluster's own record of it. */
export interface KubeNode {
  loc: SourceLocation;
  name: string;
  podCIDR?: string;
  podCIDRs?: string[];
  internalIP?: string;
  /** A dual-stack node's IPv6 InternalIP (status.addresses lists one per family). */
  internalIPv6?: string;
  externalIP?: string;
  annotations: FlannelAnnotations;
  /** Listed by a narrowed or filtered `kubectl get nodes` (`node flnode1`, `-l …`, `| grep`): not the whole cluster. */
  partial?: boolean;
}

export interface Netns {
  loc: SourceLocation;
  name: string;
  id?: number;
}

export interface HostnameRecord {
  loc: SourceLocation;
  name: string;
}

// ---- Netfilter: iptables (either backend) and nftables, read into one shape the evaluator walks ----

/** nftables' table families; iptables-save lists `ip` (iptables) or `ip6` (ip6tables) tables. */
export type NetfilterFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';

export type NetfilterHook =
  'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';

/**
 * Which program printed a rule set: iptables with its backend when the command or `iptables -V` says it
 * (`iptables-legacy-save`, `iptables-nft-save`), `iptables` when it does not, or `nft`.
 */
export type NetfilterSource = 'iptables-legacy' | 'iptables-nft' | 'iptables' | 'nft';

/**
 * One condition of a rule. `unknown` is a match the evaluator cannot decide for a packet (marks, named sets,
 * modules it does not know): a rule with one makes the verdict uncertain, never a certain DROP.
 */
export interface NetfilterMatch {
  kind: 'iif' | 'oif' | 'saddr' | 'daddr' | 'proto' | 'sport' | 'dport' | 'ctstate' | 'mark' | 'unknown';
  negate: boolean;
  /**
   * iif/oif: interface names, a trailing `+` (iptables) or `*` (nft) is a prefix wildcard; saddr/daddr:
   * canonical CIDRs or addresses; proto: lower-case names or numbers (`udp`, `17`); sport/dport: `N` or a
   * range `N:M`; ctstate: upper-case states (`NEW`, `ESTABLISHED`, …); mark: `VALUE/MASK` in hex or decimal
   * (the packet's mark ANDed with MASK equals VALUE). Several values: any of them matches.
   */
  values: string[];
  /** The match as printed, for messages (`-o cni0`, `ct state established,related`). */
  text: string;
}

/**
 * What a rule does when it matches: a terminal verdict, a jump/goto into `target`, `return`, `continue`
 * for a non-terminating action (LOG, MARK, counter, SNAT in nat, …), `unknown` for an action the evaluator
 * cannot follow (NFQUEUE, an extension target it does not know, a verdict map).
 */
export type NetfilterVerdict =
  'accept' | 'drop' | 'reject' | 'return' | 'jump' | 'goto' | 'continue' | 'unknown';

export interface NetfilterRule {
  loc: SourceLocation;
  /** The rule as printed (`-A FORWARD -s 10.244.0.0/16 -j ACCEPT`, `iifname "cni0" accept`). */
  text: string;
  matches: NetfilterMatch[];
  verdict: NetfilterVerdict;
  /** The chain of a jump/goto; the action's name for continue/unknown (`LOG`, `MARK`, `NFQUEUE`). */
  target?: string;
  /** `--reject-with icmp-host-prohibited`, `with icmp type host-prohibited`. */
  rejectWith?: string;
  /** `-c`/`-v`/`counter` figures when printed. */
  packets?: number;
  bytes?: number;
  /** `-m comment --comment "…"` / `comment "…"`. */
  comment?: string;
}

export interface NetfilterChain {
  loc: SourceLocation;
  name: string;
  /** A base chain's hook and numeric priority (iptables' built-in chains: their table's priority). */
  hook?: NetfilterHook;
  /** nft's chain type (`filter`, `nat`, `route`); iptables' chains take their table's kind instead. */
  type?: string;
  priority?: number;
  /** A base chain's default verdict. */
  policy?: 'accept' | 'drop';
  /** Where the policy is written (`:FORWARD DROP [0:0]`, `Chain FORWARD (policy DROP …)`, `policy drop;`). */
  policyLoc?: SourceLocation;
  /** `-P`/`:` counters of the policy, when printed. */
  policyPackets?: number;
  policyBytes?: number;
  rules: NetfilterRule[];
}

export interface NetfilterTable {
  loc: SourceLocation;
  family: NetfilterFamily;
  /** `filter`, `nat`, `mangle`, `raw`, `security` for iptables; any name for nftables (`firewalld`). */
  name: string;
  chains: NetfilterChain[];
}

/** One listing of rules: an `iptables-save`, an `iptables -L/-S`, an `nft list ruleset`. */
export interface NetfilterRuleset {
  loc: SourceLocation;
  source: NetfilterSource;
  tables: NetfilterTable[];
  /**
   * Only part of the rule set was listed (`-t nat`, one chain, `| grep`): chains it does not show are
   * unknown, not empty. The model's coverage says the same for the host.
   */
  partial?: string;
  /**
   * The listing went through a filter (`| grep`, `...`): any rule may be missing anywhere, so no verdict
   * read from it is certain. Set by the model from the section's command.
   */
  filtered?: string;
  /** `# Warning: iptables-legacy tables present, use iptables-legacy-save to see them`. */
  legacyTablesPresent?: SourceLocation;
}

/** `iptables -V`: `iptables v1.8.9 (nf_tables)` / `(legacy)`. */
export interface IptablesVersion {
  loc: SourceLocation;
  version: string;
  backend?: 'nf_tables' | 'legacy';
  family: 'ip' | 'ip6';
}

// ---- Kernel settings and counters on the packet's path ----

/** `sysctl -a`, `sysctl KEY`, `cat /proc/sys/…`: keys in dotted form (`net.ipv4.ip_forward`). */
export interface Sysctl {
  loc: SourceLocation;
  key: string;
  value: string;
  /**
   * The key does not exist on this host (`sysctl: cannot stat /proc/sys/…: No such file or directory`);
   * `value` is ''. Evidence of absence, e.g. no `net.bridge.*` means br_netfilter is not loaded.
   */
  missing?: true;
}

export interface EthtoolFeature {
  loc: SourceLocation;
  name: string;
  on: boolean;
  /** `[fixed]`: the driver does not let it change. */
  fixed: boolean;
  /** `[requested on]`/`[requested off]` when printed. */
  requested?: boolean;
}

/** `ethtool -k DEV`. */
export interface EthtoolFeatures {
  loc: SourceLocation;
  dev: string;
  features: EthtoolFeature[];
}

/** `ethtool -i DEV`. */
export interface EthtoolDriver {
  loc: SourceLocation;
  dev?: string;
  driver: string;
  version?: string;
  firmwareVersion?: string;
  busInfo?: string;
}

/** `lsmod` / `cat /proc/modules`. */
export interface KernelModule {
  loc: SourceLocation;
  name: string;
  usedBy: string[];
}

/** `modprobe: FATAL: Module vxlan not found in directory /lib/modules/…`, `modprobe: ERROR: …`. */
export interface ModuleError {
  loc: SourceLocation;
  module?: string;
  message: string;
}

export interface Counter {
  name: string;
  value: number;
}

/** One protocol's line pair of `/proc/net/snmp` (`Udp: InDatagrams … InCsumErrors …`). */
export interface SnmpCounters {
  loc: SourceLocation;
  protocol: string;
  counters: Counter[];
}

/** A kernel log line that matters on the packet's path (`dmesg`, `dmesg -T`, `journalctl -k`). */
export type KernelLogKind =
  'udp-bad-checksum' | 'netfilter-log' | 'conntrack-full' | 'neighbour-overflow' | 'module-missing' | 'other';

export interface KernelLogLine {
  loc: SourceLocation;
  kind: KernelLogKind;
  /** The message after the timestamp. */
  text: string;
  /** udp-bad-checksum: `UDP: bad checksum. From SRC:SPORT to DST:DPORT ulen N`. */
  src?: string;
  sport?: number;
  dst?: string;
  dport?: number;
  /** netfilter-log: the `LOG` prefix and its `IN= OUT= SRC= DST= PROTO= SPT= DPT=` fields. */
  prefix?: string;
  in?: string;
  out?: string;
  proto?: string;
  /** neighbour-overflow: the table (`arp_cache`, `ndisc_cache`). */
  table?: string;
  /** module-missing: the module the message names (`request_module: … for module vxlan`, `modprobe: FATAL: Module vxlan not found …`). */
  module?: string;
}

/** `uname -r` / `uname -a`. */
export interface KernelRelease {
  loc: SourceLocation;
  release: string;
  machine?: string;
}

/** `conntrack -S`: one line per CPU (`cpu=0 found=0 invalid=3 … drop=0 early_drop=0 …`), or `conntrack -C`. */
export interface ConntrackStats {
  loc: SourceLocation;
  cpu?: number;
  counters: Counter[];
}

/** What the kernel-side commands of one host said. Every list is empty when nothing was read. */
export interface KernelFacts {
  sysctls: Sysctl[];
  features: EthtoolFeatures[];
  drivers: EthtoolDriver[];
  modules: KernelModule[];
  moduleErrors: ModuleError[];
  snmp: SnmpCounters[];
  log: KernelLogLine[];
  release?: KernelRelease;
  conntrack: ConntrackStats[];
}

/** What one parser read from one section. Every list is optional: a parser fills only what its command shows. */
export interface Facts {
  interfaces?: Interface[];
  routes?: Route[];
  neighbours?: Neighbour[];
  fdb?: FdbEntry[];
  bridges?: Bridge[];
  subnetEnv?: SubnetEnv;
  cniConfigs?: CniConfig[];
  cniBinaries?: CniBinaries;
  kubeNodes?: KubeNode[];
  netns?: Netns[];
  hostname?: HostnameRecord;
  netfilter?: NetfilterRuleset[];
  iptablesVersion?: IptablesVersion;
  sysctls?: Sysctl[];
  ethtoolFeatures?: EthtoolFeatures[];
  ethtoolDrivers?: EthtoolDriver[];
  modules?: KernelModule[];
  moduleErrors?: ModuleError[];
  snmp?: SnmpCounters[];
  kernelLog?: KernelLogLine[];
  kernelRelease?: KernelRelease;
  conntrackStats?: ConntrackStats[];
}

export type Severity = 'error' | 'warning' | 'info';

/** A line a parser could not read, or read with a caveat: always located, never thrown. */
export interface ParseIssue {
  line: number;
  /** Set when one issue stands for a run of lines (e.g. the output of a command no parser reads). */
  endLine?: number;
  severity: Severity;
  message: string;
}

/** What a host's snapshot says about one kind of state; the analysis stays silent without evidence. */
export type CoverageDomain =
  | 'routes'
  | 'neighbours'
  /** IPv6 routes and neighbours: `ip -6 route`, `route -A inet6`; `ip neigh` lists both families. */
  | 'routes6'
  | 'neighbours6'
  | 'fdb'
  | 'links'
  | 'linkDetails'
  | 'addresses'
  | 'bridges'
  | 'subnetEnv'
  | 'cniConfig'
  | 'cniBinaries'
  | 'netns'
  | 'hostname'
  | 'netfilter'
  | 'sysctls'
  | 'ethtool'
  | 'modules'
  | 'snmp'
  | 'kernelLog';

export interface Coverage {
  domain: CoverageDomain;
  /** `complete`: an unfiltered listing; `partial`: only filtered (`| grep`) or selected (`dev X`) listings. */
  state: 'complete' | 'partial';
  /** Why it is partial, e.g. `| grep 10.29.13.0`, `dev flannel.1`, `type bridge`, `IPv6 only`. */
  scope?: string;
  /** The header lines of the sections that gave it. */
  lines: number[];
}

/** One section of a snapshot, as the model remembers it. */
export interface SectionInfo {
  loc: SourceLocation;
  /** The command as written, when a prompt or header named it. */
  command?: string;
  parser?: string;
  /** The parser was chosen by content (no prompt, or a command no parser claims). */
  detected: boolean;
  partial: boolean;
  host?: string;
}

export type HostRole = 'node' | 'pod';

/** Everything one snapshot says about one host (a node, or a pod seen from inside). */
export interface HostModel {
  name: string;
  role: HostRole;
  file: string;
  /** Where this host's first section starts. */
  loc: SourceLocation;
  sections: SectionInfo[];
  interfaces: Interface[];
  bridges: Bridge[];
  routes: Route[];
  neighbours: Neighbour[];
  fdb: FdbEntry[];
  subnetEnv?: SubnetEnv;
  cniConfigs: CniConfig[];
  cniBinaries?: CniBinaries;
  netns: Netns[];
  hostname?: HostnameRecord;
  /** Every rule set listed for this host, in the order listed (both iptables backends and nft apply). */
  netfilter: NetfilterRuleset[];
  iptablesVersions: IptablesVersion[];
  kernel: KernelFacts;
  coverage: Coverage[];
  /** Pods whose gateway is this node's cni0 (nodes only). */
  pods: HostModel[];
  /** For a pod: its default gateway, and the node that gateway belongs to when known. */
  gateway?: string;
  nodeName?: string;
}

export interface LocatedIssue extends ParseIssue {
  file: string;
}

/** One parsed `.netsnap` file. */
export interface Snapshot {
  file: string;
  lineCount: number;
  nodes: HostModel[];
  /** Pods whose node is not in this snapshot. */
  pods: HostModel[];
  /** `kubectl get nodes` output: the cluster's own record. */
  kubeNodes: KubeNode[];
  issues: LocatedIssue[];
}
