// From parsed sections to hosts: which host each section describes, merging what several commands say
// about the same interface or bridge, which hosts are pods of which node, and what each host's snapshot
// covers (so that the analysis stays silent where there is no evidence).

import type { ParserId } from '../parsers/parser';
import type { Section } from '../snapshot/split';
import type { ParseResult } from '../parsers/parser';
import { basename, ipFamilyOption, isBlankOrElision, isElision, readIpCommand } from '../parsers/common';
import { kubectlSelection } from '../parsers/kubectl-nodes';
import type {
  Bridge,
  Coverage,
  CoverageDomain,
  Facts,
  HostModel,
  Interface,
  KernelFacts,
  KubeNode,
  SectionInfo,
} from './types';
import { appendAll } from '../util/arrays';

export interface ParsedSection {
  section: Section;
  result?: ParseResult;
}

const DOMAINS: Record<ParserId, CoverageDomain[]> = {
  'route-n': ['routes'],
  'ip-route': ['routes'],
  arp: ['neighbours'],
  'ip-neigh': ['neighbours'],
  'bridge-fdb': ['fdb'],
  brctl: ['bridges'],
  'bridge-link': ['bridges'],
  'ip-link': ['links'],
  ifconfig: ['links', 'addresses'],
  'ip-netns': ['netns'],
  'subnet-env': ['subnetEnv'],
  'cni-config': ['cniConfig'],
  'cni-bin': ['cniBinaries'],
  'kubectl-nodes': [],
  hostname: ['hostname'],
  iptables: ['netfilter'],
  nft: ['netfilter'],
  sysctl: ['sysctls'],
  ethtool: ['ethtool'],
  lsmod: ['modules'],
  'proc-net-snmp': ['snmp'],
  'kernel-log': ['kernelLog'],
  uname: [],
  conntrack: [],
};

/** Words of an `ip`/`bridge`/`brctl`/`route` command that narrow its listing to a part. */
function selection(argv: readonly string[]): string | undefined {
  const ip = readIpCommand(argv);
  if (ip !== undefined) {
    const rest = ip.rest.filter((w) => !/^(show|list|lst|sh|ls)$/.test(w));
    const familyOnly = ip.options.includes('-6') ? 'IPv6 only' : undefined;
    // `table all`/`table main` still list every route of the main table.
    const narrowing = rest.filter(
      (w, i) => !(w === 'table' || (rest[i - 1] === 'table' && /^(all|main)$/.test(w))),
    );
    if (narrowing.length > 0) return narrowing.join(' ');
    return familyOnly;
  }
  const head = basename(argv[0] ?? '');
  if (head === 'bridge') {
    const i = argv.findIndex((w) => w === 'dev' || w === 'br' || w === 'brport' || w === 'vlan');
    return i === -1 ? undefined : argv.slice(i).join(' ');
  }
  if (head === 'brctl' && argv.length > 2) return argv.slice(2).join(' ');
  const nodes = kubectlSelection(argv);
  if (nodes !== undefined) return nodes;
  if (head === 'route' && argv.some((w) => w === '-6' || w === 'inet6')) return 'IPv6 only';
  if (head === 'ifconfig') {
    const operands = argv.slice(1).filter((w) => !w.startsWith('-'));
    if (operands.length > 0) return operands.join(' ');
    if (!argv.includes('-a')) return 'up interfaces only';
  }
  return undefined;
}

/**
 * The IPv6 domain a route or neighbour listing covers, if it lists IPv6: `ip -6 route`, `route -A inet6`, and
 * `ip neigh` without `-4`. `ip route` and `route -n` list IPv4 only.
 */
function ipv6DomainOf(parserId: ParserId, argv: readonly string[]): CoverageDomain | undefined {
  if (parserId === 'ip-route' || parserId === 'ip-neigh') {
    const family = ipFamilyOption(readIpCommand(argv)?.options ?? []);
    if (parserId === 'ip-route') return family === 'inet6' ? 'routes6' : undefined;
    return family === 'inet' ? undefined : 'neighbours6';
  }
  if (parserId === 'route-n') {
    const v6 = argv.some(
      (w, i) => w === '-6' || w === '--inet6' || w === '-Ainet6' || (w === '-A' && argv[i + 1] === 'inet6'),
    );
    return v6 ? 'routes6' : undefined;
  }
  return undefined;
}

function domainsOf(parserId: ParserId, argv: readonly string[]): CoverageDomain[] {
  if (parserId === 'ip-link') {
    const ip = readIpCommand(argv);
    const out: CoverageDomain[] = ['links'];
    if (ip === undefined) return ['links', 'addresses'];
    if (ip.object.startsWith('a')) out.push('addresses');
    if (ip.options.some((o) => /^-d(e(t(a(i(ls?)?)?)?)?)?$/.test(o))) out.push('linkDetails');
    return out;
  }
  return DOMAINS[parserId];
}

function sectionInfo(s: ParsedSection, partial: string | undefined): SectionInfo {
  const { section } = s;
  const info: SectionInfo = {
    loc: { file: section.file, line: section.startLine, endLine: section.endLine },
    detected: section.detected,
    partial: partial !== undefined,
  };
  if (section.command !== undefined) info.command = section.command.raw;
  if (section.parserId !== undefined) info.parser = section.parserId;
  if (section.host !== undefined) info.host = section.host;
  return info;
}

/** Why a section's listing is incomplete, or undefined when it lists everything. */
/** What cut lines out of a section's output (a `| grep`, a `...`), anywhere in it; undefined when nothing did. */
function cutBy(section: Section): string | undefined {
  if (section.command?.filtered) {
    const pipe = section.command.raw.indexOf('|');
    return pipe === -1 ? 'filtered' : section.command.raw.slice(pipe).trim();
  }
  if (section.lines.some((l) => isBlankOrElision(l.text) && isElision(l.text))) return 'elided with ...';
  return undefined;
}

/** Why a section's listing is not the whole, given what cut it (`cutBy`). */
function isPartial(s: ParsedSection, cut: string | undefined): string | undefined {
  const { section } = s;
  if (section.command?.filtered) return cut;
  if (section.parserId !== undefined && section.command !== undefined) {
    const narrowed = selection(section.command.argv);
    if (narrowed !== undefined && narrowed !== 'IPv4 only') return narrowed;
  }
  return cut ?? s.result?.partial;
}

function addCoverage(
  coverage: Map<CoverageDomain, Coverage>,
  s: ParsedSection,
  partial: string | undefined,
): void {
  const { section } = s;
  if (section.parserId === undefined) return;
  const argv = section.command?.argv ?? [];
  const domains = domainsOf(section.parserId, argv);
  const v6 = ipv6DomainOf(section.parserId, argv);
  // A listing cut to IPv6 is partial for IPv4, and whole for IPv6.
  const targets: [CoverageDomain, string | undefined][] = domains.map((d) => [d, partial]);
  if (v6 !== undefined) targets.push([v6, partial === 'IPv6 only' ? undefined : partial]);
  for (const [domain, cut] of targets) {
    const existing = coverage.get(domain);
    if (existing === undefined) {
      const c: Coverage = {
        domain,
        state: cut === undefined ? 'complete' : 'partial',
        lines: [section.startLine],
      };
      if (cut !== undefined) c.scope = cut;
      coverage.set(domain, c);
      continue;
    }
    existing.lines.push(section.startLine);
    if (cut === undefined) {
      existing.state = 'complete';
      delete existing.scope;
    } else if (existing.state === 'partial') {
      existing.scope = existing.scope === undefined ? cut : `${existing.scope}; ${cut}`;
    }
  }
}

const MERGED_FIELDS = [
  'ifindex',
  'mac',
  'mtu',
  'operState',
  'master',
  'link',
  'linkNetns',
  'linkNetnsId',
  'vxlan',
  'portState',
  'bridgeId',
  'linkKind',
] as const;

function emptyKernel(): KernelFacts {
  return {
    sysctls: [],
    features: [],
    drivers: [],
    modules: [],
    moduleErrors: [],
    snmp: [],
    log: [],
    conntrack: [],
  };
}

function emptyHost(name: string, file: string, line: number): HostModel {
  return {
    name,
    role: 'node',
    file,
    loc: { file, line },
    sections: [],
    interfaces: [],
    bridges: [],
    routes: [],
    neighbours: [],
    fdb: [],
    cniConfigs: [],
    netns: [],
    netfilter: [],
    iptablesVersions: [],
    kernel: emptyKernel(),
    coverage: [],
    pods: [],
  };
}

/** Folds what another command says about an interface into the record already held. */
function mergeInterface(into: Interface, from: Interface): void {
  for (const field of ['mac', 'mtu', 'master'] as const) {
    const a = into[field];
    const b = from[field];
    if (a !== undefined && b !== undefined && a !== b) {
      (into.conflicts ??= []).push({ field, first: String(a), value: String(b), loc: from.loc });
    }
  }
  const target = into as unknown as Record<string, unknown>;
  const source = from as unknown as Record<string, unknown>;
  for (const key of MERGED_FIELDS) {
    if (target[key] === undefined && source[key] !== undefined) target[key] = source[key];
  }
  if (from.linkKind !== undefined || into.kind === 'other')
    into.kind = from.kind === 'other' ? into.kind : from.kind;
  if (into.flags.length === 0 && from.flags.length > 0) {
    into.flags = from.flags;
    into.up = from.up;
  }
  // Keyed, not searched: an interface may list many thousands of addresses.
  const held = new Set(into.addresses.map((a) => `${a.address}/${a.prefixLen}`));
  for (const address of from.addresses) {
    const key = `${address.address}/${address.prefixLen}`;
    if (!held.has(key)) {
      held.add(key);
      into.addresses.push(address);
    }
  }
  (into.alsoAt ??= []).push(from.loc);
}

function mergeBridge(into: Bridge, from: Bridge): void {
  if (into.bridgeId === undefined && from.bridgeId !== undefined) into.bridgeId = from.bridgeId;
  if (into.stp === undefined && from.stp !== undefined) into.stp = from.stp;
  // By name, not by searching the list: a bridge may have 100,000 veths.
  const byName = new Map(into.ports.map((p) => [p.name, p]));
  for (const port of from.ports) {
    const known = byName.get(port.name);
    if (known === undefined) {
      byName.set(port.name, port);
      into.ports.push(port);
    } else if (known.state === undefined && port.state !== undefined) known.state = port.state;
  }
}

/**
 * `held` with `more` appended: a copy of `more` when nothing is held yet, one bulk copy rather than a
 * push per element (a host's routes are most often one `route -n` or `ip route` listing).
 */
function joined<T>(held: T[], more: readonly T[]): T[] {
  if (held.length === 0) return more.slice();
  appendAll(held, more);
  return held;
}

function addFacts(
  host: HostModel,
  facts: Facts,
  interfaces: Map<string, Interface>,
  bridges: Map<string, Bridge>,
): void {
  // Interfaces and bridges are merged into the first record seen: that one is a copy, so that a parser's
  // result stays as it was parsed (an editor reuses it for the next parse of an unchanged section).
  for (const itf of facts.interfaces ?? []) {
    const known = interfaces.get(itf.name);
    if (known === undefined) {
      const own: Interface = { ...itf, addresses: [...itf.addresses] };
      if (itf.alsoAt !== undefined) own.alsoAt = [...itf.alsoAt];
      if (itf.conflicts !== undefined) own.conflicts = [...itf.conflicts];
      interfaces.set(itf.name, own);
      host.interfaces.push(own);
    } else mergeInterface(known, itf);
  }
  for (const bridge of facts.bridges ?? []) {
    const known = bridges.get(bridge.name);
    if (known === undefined) {
      const own: Bridge = { ...bridge, ports: bridge.ports.map((p) => ({ ...p })) };
      bridges.set(bridge.name, own);
      host.bridges.push(own);
    } else mergeBridge(known, bridge);
  }
  if (facts.routes) host.routes = joined(host.routes, facts.routes);
  if (facts.neighbours) host.neighbours = joined(host.neighbours, facts.neighbours);
  if (facts.fdb) host.fdb = joined(host.fdb, facts.fdb);
  if (facts.cniConfigs) host.cniConfigs = joined(host.cniConfigs, facts.cniConfigs);
  if (facts.netns) host.netns = joined(host.netns, facts.netns);
  if (facts.subnetEnv && host.subnetEnv === undefined) host.subnetEnv = facts.subnetEnv;
  if (facts.cniBinaries && host.cniBinaries === undefined) host.cniBinaries = facts.cniBinaries;
  if (facts.hostname && host.hostname === undefined) host.hostname = facts.hostname;
  addKernelFacts(host, facts);
}

/**
 * A rule set read from a filtered listing is marked so (a copy: the parser's result stays as parsed),
 * since a rule that decides may be one the filter left out.
 */
function filteredFacts(facts: Facts, reason: string | undefined): Facts {
  const sets = facts.netfilter;
  if (reason === undefined || sets === undefined || sets.length === 0) return facts;
  return { ...facts, netfilter: sets.map((set) => ({ ...set, filtered: reason })) };
}

/** Firewall and kernel facts: kept as listed; the analysis decides which listing answers a question. */
function addKernelFacts(host: HostModel, facts: Facts): void {
  const kernel = host.kernel;
  if (facts.netfilter) host.netfilter = joined(host.netfilter, facts.netfilter);
  if (facts.iptablesVersion) host.iptablesVersions.push(facts.iptablesVersion);
  if (facts.sysctls) kernel.sysctls = joined(kernel.sysctls, facts.sysctls);
  if (facts.ethtoolFeatures) kernel.features = joined(kernel.features, facts.ethtoolFeatures);
  if (facts.ethtoolDrivers) kernel.drivers = joined(kernel.drivers, facts.ethtoolDrivers);
  if (facts.modules) kernel.modules = joined(kernel.modules, facts.modules);
  if (facts.moduleErrors) kernel.moduleErrors = joined(kernel.moduleErrors, facts.moduleErrors);
  if (facts.snmp) kernel.snmp = joined(kernel.snmp, facts.snmp);
  if (facts.kernelLog) kernel.log = joined(kernel.log, facts.kernelLog);
  if (facts.kernelRelease && kernel.release === undefined) kernel.release = facts.kernelRelease;
  if (facts.conntrackStats) kernel.conntrack = joined(kernel.conntrack, facts.conntrackStats);
}

/** Bridges that only `ip link` shows (no `brctl show`): the bridge device and the links mastered by it. */
function bridgesFromLinks(host: HostModel, bridges: Map<string, Bridge>): void {
  for (const itf of host.interfaces) {
    if (itf.kind === 'bridge' && !bridges.has(itf.name)) {
      const bridge: Bridge = { loc: itf.loc, name: itf.name, ports: [] };
      bridges.set(itf.name, bridge);
      host.bridges.push(bridge);
    }
  }
  // Each bridge's port names, once: searching the port list per link is quadratic in veths when both
  // `brctl show` and `ip -d link` list them.
  const portNames = new Map<Bridge, Set<string>>();
  for (const itf of host.interfaces) {
    const bridge = itf.master === undefined ? undefined : bridges.get(itf.master);
    if (bridge === undefined) continue;
    let names = portNames.get(bridge);
    if (names === undefined) {
      names = new Set(bridge.ports.map((p) => p.name));
      portNames.set(bridge, names);
    }
    if (!names.has(itf.name)) {
      names.add(itf.name);
      const port = { loc: itf.loc, name: itf.name };
      bridge.ports.push(itf.portState === undefined ? port : { ...port, state: itf.portState });
    }
  }
}

/** Pod names as Kubernetes makes them: `name-<replicaset hash>-<5 chars>`, `name-<5 chars>`. */
const POD_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?-([a-z0-9]{6,10}-)?[a-z0-9]{5}$/;

function looksLikeNode(host: HostModel): boolean {
  return (
    host.subnetEnv !== undefined ||
    host.fdb.some((f) => f.dst !== undefined) ||
    host.interfaces.some((i) => i.name === 'cni0' || i.name.startsWith('flannel.') || i.kind === 'bridge') ||
    host.routes.some((r) => r.dev?.startsWith('flannel.') === true || r.dev === 'cni0')
  );
}

/** The address pods on this node use as gateway: cni0's address, else FLANNEL_SUBNET's. */
export function podGateway(host: HostModel): string | undefined {
  const cni0 = host.interfaces.find((i) => i.name === 'cni0');
  const fromLink = cni0?.addresses.find((a) => a.family === 'inet')?.address;
  if (fromLink !== undefined) return fromLink;
  const subnet = host.subnetEnv?.subnet;
  return subnet === undefined ? undefined : subnet.split('/')[0];
}

function defaultGateway(host: HostModel): string | undefined {
  return host.routes.find((r) => r.dst === '0.0.0.0/0' && r.gateway !== undefined)?.gateway;
}

export interface BuiltHosts {
  nodes: HostModel[];
  pods: HostModel[];
  kubeNodes: KubeNode[];
}

/** Which host a section describes when its prompt does not say. */
function primaryHost(sections: readonly ParsedSection[], file: string): string {
  const counts = new Map<string, number>();
  for (const { section } of sections) {
    if (section.host !== undefined) counts.set(section.host, (counts.get(section.host) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [host, count] of counts) {
    if (count > bestCount) {
      best = host;
      bestCount = count;
    }
  }
  if (best !== undefined) return best;
  for (const { result } of sections) {
    const name = result?.facts.hostname?.name;
    if (name !== undefined) return name;
  }
  const base = basename(file.replace(/\\/g, '/'));
  return base.replace(/\.(netsnap|txt|log|out)$/i, '') || 'node';
}

export function buildHosts(parsed: readonly ParsedSection[], file: string): BuiltHosts {
  const fallback = primaryHost(parsed, file);
  const hosts = new Map<
    string,
    {
      host: HostModel;
      interfaces: Map<string, Interface>;
      bridges: Map<string, Bridge>;
      coverage: Map<CoverageDomain, Coverage>;
      pod: boolean;
    }
  >();
  const kubeNodes: KubeNode[] = [];
  for (const s of parsed) {
    const name = s.section.host ?? fallback;
    let entry = hosts.get(name);
    if (entry === undefined) {
      entry = {
        host: emptyHost(name, file, s.section.startLine),
        interfaces: new Map(),
        bridges: new Map(),
        coverage: new Map(),
        pod: false,
      };
      hosts.set(name, entry);
    }
    entry.pod ||= s.section.hostIsPod;
    // Whether the listing is partial reads every line of the section: once.
    const cut = cutBy(s.section);
    const partial = isPartial(s, cut);
    entry.host.sections.push(sectionInfo(s, partial));
    if (s.result !== undefined) {
      addFacts(entry.host, filteredFacts(s.result.facts, cut), entry.interfaces, entry.bridges);
      const listed = s.result.facts.kubeNodes ?? [];
      // Copies, so that the parser's result stays as parsed.
      appendAll(kubeNodes, partial === undefined ? listed : listed.map((k) => ({ ...k, partial: true })));
    }
    addCoverage(entry.coverage, s, partial);
  }
  const all = [...hosts.values()];
  for (const entry of all) {
    bridgesFromLinks(entry.host, entry.bridges);
    entry.host.coverage = [...entry.coverage.values()];
  }
  // Nodes first: their cni0 addresses are the gateways that tell which node a pod lives on.
  const gateways = new Map<string, HostModel>();
  const candidates: typeof all = [];
  const nodes: HostModel[] = [];
  const pods: HostModel[] = [];
  for (const entry of all) {
    if (!entry.pod && looksLikeNode(entry.host)) {
      nodes.push(entry.host);
      const gw = podGateway(entry.host);
      if (gw !== undefined) gateways.set(gw, entry.host);
    } else candidates.push(entry);
  }
  for (const { host, pod } of candidates) {
    const gw = defaultGateway(host);
    const node = gw === undefined ? undefined : gateways.get(gw);
    if (!pod && node === undefined && !POD_NAME.test(host.name)) {
      nodes.push(host);
      continue;
    }
    host.role = 'pod';
    if (gw !== undefined) host.gateway = gw;
    if (node !== undefined) {
      host.nodeName = node.name;
      node.pods.push(host);
    } else pods.push(host);
  }
  nodes.sort((a, b) => a.loc.line - b.loc.line);
  return { nodes, pods, kubeNodes };
}
