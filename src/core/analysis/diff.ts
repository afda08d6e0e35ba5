// `netsnap diff OLD NEW`: what changed between two captures of one cluster. Hosts (nodes and pods) are
// matched by name; their routes, neighbours, FDB entries, interfaces, bridge ports and subnet.env values
// by a key, and a matched pair whose other fields differ is "changed". Every entry cites where it was read
// (the new side, or the old side for what was removed). Findings are compared by code, node and message
// with line numbers and paths taken out, so a finding that merely moved is not reported.
//
// A kind of entry is compared only where both sides captured it alike: a snapshot without `arp` says
// nothing about neighbours, so its neighbours are not "removed" (the host diff says what was not compared).

import { describeInterface, describeNexthops, describeRoute } from '../model/describe';
import type {
  Bridge,
  CoverageDomain,
  FdbEntry,
  HostModel,
  HostRole,
  Interface,
  KeyValue,
  Neighbour,
  EthtoolFeature,
  Route,
  Snapshot,
  SourceLocation,
  Sysctl,
} from '../model/types';
import { statesResolve } from './chain';
import { backendOf, effectiveTables } from './netfilter';
import { analyze } from './analyze';
import type { Finding } from './findings';
import { appendAll } from '../util/arrays';

export type DiffEntryKind =
  | 'interface'
  | 'route'
  | 'neighbour'
  | 'fdb'
  | 'bridge-port'
  | 'subnet-env'
  | 'chain-policy'
  | 'firewall-rule'
  | 'sysctl'
  | 'offload';

/** One field of a matched entry that differs; `null` where that side does not have it. */
export interface FieldChange {
  field: string;
  old: string | null;
  new: string | null;
}

interface DiffEntryBase {
  kind: DiffEntryKind;
  /** What the two sides were matched by, e.g. `inet 10.27.3.0/24 table main metric 0`. */
  key: string;
  /** What the entry is, briefly: `flannel.1`, `10.27.3.0/24`, `10.27.3.0 dev flannel.1`, `FLANNEL_MTU`. */
  label: string;
  /** One line, as the command would print it (the new side; the old side for a removed entry). */
  description: string;
  /** Where it was read: the new side, or the old side for a removed entry. */
  loc: SourceLocation;
  /** `loc` and every other place that describes the same record (e.g. `ip addr` after `ip -d link`). */
  locs: SourceLocation[];
}

export interface AddedEntry extends DiffEntryBase {
  change: 'added';
}

export interface RemovedEntry extends DiffEntryBase {
  change: 'removed';
}

export interface ChangedEntry extends DiffEntryBase {
  change: 'changed';
  oldDescription: string;
  oldLoc: SourceLocation;
  oldLocs: SourceLocation[];
  fields: FieldChange[];
}

export type DiffEntry = AddedEntry | RemovedEntry | ChangedEntry;

/** A kind of entry that was not compared on a host, and why (one side did not capture it alike). */
export interface NotCompared {
  kind: DiffEntryKind | 'addresses' | 'vxlan';
  reason: string;
}

export interface HostDiff {
  name: string;
  role: HostRole;
  /** `added`/`removed`: the host is in one set only (its entries are not listed one by one). */
  status: 'added' | 'removed' | 'changed';
  /** For a pod: the node whose cni0 is its gateway, when known. */
  nodeName?: string;
  /** Where the host's first section starts: the new side, or the old side for a removed host. */
  loc: SourceLocation;
  /** Where it starts on the old side, for a host in both sets. */
  oldLoc?: SourceLocation;
  entries: DiffEntry[];
  notCompared: NotCompared[];
}

export interface DiffSummary {
  added: number;
  removed: number;
  changed: number;
  hostsAdded: number;
  hostsRemoved: number;
  findingsAppeared: number;
  findingsCleared: number;
}

export interface SnapshotDiff {
  oldFiles: string[];
  newFiles: string[];
  /** Only hosts with a difference (or something that could not be compared). */
  hosts: HostDiff[];
  findings: {
    /** In the new set, not in the old (as reported on the new side). */
    appeared: Finding[];
    /** In the old set, not in the new (as reported on the old side). */
    cleared: Finding[];
  };
  summary: DiffSummary;
}

// ---------------------------------------------------------------------------------------------------
// Hosts of a set, merged by name (one node may be spread over several files).

interface CoverageView {
  state: 'complete' | 'partial';
  scope?: string;
}

interface SideHost {
  name: string;
  role: HostRole;
  nodeName?: string;
  loc: SourceLocation;
  interfaces: Interface[];
  routes: Route[];
  neighbours: Neighbour[];
  fdb: FdbEntry[];
  bridges: Bridge[];
  subnetVars: KeyValue[];
  policies: PolicyItem[];
  rules: RuleItem[];
  sysctls: Sysctl[];
  offloads: OffloadItem[];
  coverage: Map<CoverageDomain, CoverageView>;
}

/** A chain's place: the backend it lives in, its table and name (`iptables-nft ip filter FORWARD`). */
interface ChainPlace {
  where: string;
}

interface PolicyItem extends ChainPlace {
  policy: string;
  loc: SourceLocation;
}

interface RuleItem extends ChainPlace {
  /** The rule as written, without `-c` counters: counters change all the time. */
  text: string;
  position: number;
  verdict: string;
  loc: SourceLocation;
}

interface OffloadItem {
  dev: string;
  feature: EthtoolFeature;
}

/** `[12:840] -A FORWARD …` → `-A FORWARD …`; nft's `counter packets 1 bytes 84` → `counter`. */
function withoutCounters(text: string): string {
  return text.replace(/^\[\d+:\d+\]\s+/, '').replace(/\bcounter packets \d+ bytes \d+/g, 'counter');
}

function firewallItems(h: HostModel, policies: PolicyItem[], rules: RuleItem[]): void {
  // Each kernel table once: `iptables-save` and `iptables-nft-save` list the same one.
  for (const { ruleset, table } of effectiveTables(h)) {
    const backend = ruleset.source === 'nft' ? 'nft' : (backendOf(ruleset, h) ?? 'iptables');
    for (const chain of table.chains) {
      const where = `${backend} ${table.family} ${table.name} ${chain.name}`;
      if (chain.policy !== undefined)
        policies.push({ where, policy: chain.policy, loc: chain.policyLoc ?? chain.loc });
      chain.rules.forEach((r, i) =>
        rules.push({ where, text: withoutCounters(r.text), position: i + 1, verdict: r.verdict, loc: r.loc }),
      );
    }
  }
}

function hostsOf(set: readonly Snapshot[]): Map<string, SideHost> {
  const out = new Map<string, SideHost>();
  const all: HostModel[] = set.flatMap((s) => [...s.nodes, ...s.nodes.flatMap((n) => n.pods), ...s.pods]);
  for (const h of all) {
    let side = out.get(h.name);
    if (side === undefined) {
      side = {
        name: h.name,
        role: h.role,
        loc: h.loc,
        interfaces: [],
        routes: [],
        neighbours: [],
        fdb: [],
        bridges: [],
        subnetVars: [],
        policies: [],
        rules: [],
        sysctls: [],
        offloads: [],
        coverage: new Map(),
      };
      out.set(h.name, side);
    }
    if (side.nodeName === undefined && h.nodeName !== undefined) side.nodeName = h.nodeName;
    appendAll(side.interfaces, h.interfaces);
    appendAll(side.routes, h.routes);
    appendAll(side.neighbours, h.neighbours);
    appendAll(side.fdb, h.fdb);
    appendAll(side.bridges, h.bridges);
    if (h.subnetEnv !== undefined) appendAll(side.subnetVars, h.subnetEnv.vars);
    firewallItems(h, side.policies, side.rules);
    appendAll(
      side.sysctls,
      h.kernel.sysctls.filter((x) => x.missing !== true),
    );
    for (const f of h.kernel.features)
      for (const feature of f.features) side.offloads.push({ dev: f.dev, feature });
    for (const c of h.coverage) {
      const existing = side.coverage.get(c.domain);
      if (existing === undefined)
        side.coverage.set(
          c.domain,
          c.scope === undefined ? { state: c.state } : { state: c.state, scope: c.scope },
        );
      else if (existing.state === 'complete') continue;
      else if (c.state === 'complete') side.coverage.set(c.domain, { state: 'complete' });
      else if (c.scope !== undefined)
        existing.scope = existing.scope === undefined ? c.scope : `${existing.scope}; ${c.scope}`;
    }
  }
  return out;
}

/** The first of `domains` this side covers fully, else the first it covers partly. */
function coverageFor(host: SideHost, domains: readonly CoverageDomain[]): CoverageView | undefined {
  const found = domains.map((d) => host.coverage.get(d)).filter((c) => c !== undefined);
  return found.find((c) => c.state === 'complete') ?? found[0];
}

/** Undefined when both sides captured `domains` alike; otherwise why not (undefined reason: neither did). */
function incomparable(
  oldHost: SideHost,
  newHost: SideHost,
  domains: readonly CoverageDomain[],
): { reason: string } | 'neither' | undefined {
  const o = coverageFor(oldHost, domains);
  const n = coverageFor(newHost, domains);
  if (o === undefined && n === undefined) return 'neither';
  if (o === undefined) return { reason: 'not captured in the old snapshot' };
  if (n === undefined) return { reason: 'not captured in the new snapshot' };
  if (o.state === 'complete' && n.state === 'complete') return undefined;
  if (o.state === 'partial' && n.state === 'partial' && o.scope === n.scope) return undefined;
  const scope = (c: CoverageView) =>
    c.state === 'complete' ? 'complete' : `partial: ${c.scope ?? 'filtered'}`;
  return { reason: `listed differently (old ${scope(o)}, new ${scope(n)})` };
}

// ---------------------------------------------------------------------------------------------------
// Entry kinds: how each is keyed, described and compared.

interface EntrySpec<T> {
  kind: DiffEntryKind;
  key(item: T): string;
  label(item: T): string;
  describe(item: T): string;
  compare(oldItem: T, newItem: T): FieldChange[];
  locs(item: T): SourceLocation[];
}

const str = (v: string | number | boolean | undefined): string | null => (v === undefined ? null : String(v));
const lower = (v: string | undefined): string | undefined => v?.toLowerCase();

function field(
  name: string,
  o: string | number | boolean | undefined,
  n: string | number | boolean | undefined,
) {
  const a = str(o);
  const b = str(n);
  return a === b ? [] : [{ field: name, old: a, new: b }];
}

const words = (...parts: (string | false | undefined)[]): string =>
  parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');

// `route -n` leaves the table and (for ip route) the metric implicit: main, 0.
const routeTable = (r: Route) => r.table ?? 'main';
const routeMetric = (r: Route) => r.metric ?? 0;

const routeSpec: EntrySpec<Route> = {
  kind: 'route',
  key: (r) => `${r.family} ${r.dst} table ${routeTable(r)} metric ${routeMetric(r)}`,
  label: (r) =>
    words(
      r.dst,
      r.metric !== undefined && r.metric !== 0 && `metric ${r.metric}`,
      r.table !== undefined && r.table !== 'main' && `table ${r.table}`,
    ),
  describe: (r) => describeRoute(r),
  compare: (o, n) => [
    ...field('gateway', o.gateway, n.gateway),
    ...field('dev', o.dev, n.dev),
    ...field('type', o.type, n.type),
    // `route -n` (which prints flags) cannot show onlink: compare it only between `ip route` listings.
    ...(o.flags === undefined && n.flags === undefined ? field('onlink', o.onlink, n.onlink) : []),
    ...field('nexthops', describeNexthops(o), describeNexthops(n)),
  ],
  locs: (r) => [r.loc],
};

/** `arp` only says COMPLETE; against any resolved `ip neigh` state that is no change. */
function neighStates(o: Neighbour, n: Neighbour): [string, string] {
  const a = o.state.join(',');
  const b = n.state.join(',');
  if ((a === 'COMPLETE' || b === 'COMPLETE') && statesResolve(o.state) && statesResolve(n.state))
    return [a, a];
  return [a, b];
}

const neighbourSpec: EntrySpec<Neighbour> = {
  kind: 'neighbour',
  key: (x) => `${x.ip} dev ${x.dev ?? '-'}`,
  label: (x) => words(x.ip, x.dev !== undefined && `dev ${x.dev}`),
  describe: (x) =>
    words(
      x.ip,
      x.dev !== undefined && `dev ${x.dev}`,
      x.mac !== undefined && `lladdr ${x.mac}`,
      x.router && 'router',
      x.state.join(','),
    ),
  compare: (o, n) => {
    const [a, b] = neighStates(o, n);
    return [...field('mac', lower(o.mac), lower(n.mac)), ...field('state', a, b)];
  },
  locs: (x) => [x.loc],
};

const fdbFlags = (e: FdbEntry) => [...e.flags].sort().join(',');

const fdbSpec: EntrySpec<FdbEntry> = {
  kind: 'fdb',
  key: (e) => `${e.mac.toLowerCase()} dev ${e.dev ?? '-'} dst ${e.dst ?? '-'} master ${e.master ?? '-'}`,
  label: (e) =>
    words(
      e.mac,
      e.dev !== undefined && `dev ${e.dev}`,
      e.dst !== undefined && `dst ${e.dst}`,
      e.master !== undefined && `master ${e.master}`,
    ),
  describe: (e) =>
    words(
      e.mac,
      e.dev !== undefined && `dev ${e.dev}`,
      e.dst !== undefined && `dst ${e.dst}`,
      e.vlan !== undefined && `vlan ${e.vlan}`,
      e.vni !== undefined && `vni ${e.vni}`,
      e.master !== undefined && `master ${e.master}`,
      e.flags.join(' '),
      e.state,
    ),
  compare: (o, n) => [...field('state', o.state, n.state), ...field('flags', fdbFlags(o), fdbFlags(n))],
  locs: (e) => [e.loc],
};

const addresses = (i: Interface) =>
  i.addresses
    .map((a) => `${a.address}/${a.prefixLen}`)
    .sort()
    .join(', ');

function interfaceSpec(compareAddresses: boolean, compareVxlan: boolean): EntrySpec<Interface> {
  return {
    kind: 'interface',
    key: (i) => i.name,
    label: (i) => i.name,
    describe: describeInterface,
    compare: (o, n) => [
      ...field('mac', lower(o.mac), lower(n.mac)),
      ...field('mtu', o.mtu, n.mtu),
      ...field('up', o.up ? 'up' : 'down', n.up ? 'up' : 'down'),
      ...field('master', o.master, n.master),
      ...(compareAddresses ? field('addresses', addresses(o) || undefined, addresses(n) || undefined) : []),
      ...(compareVxlan
        ? [
            ...field('vxlan id', o.vxlan?.id, n.vxlan?.id),
            ...field('vxlan port', o.vxlan?.port, n.vxlan?.port),
            ...field('vxlan local', o.vxlan?.local, n.vxlan?.local),
            ...field('vxlan learning', o.vxlan?.learning, n.vxlan?.learning),
          ]
        : []),
    ],
    locs: (i) => [i.loc, ...(i.alsoAt ?? [])],
  };
}

interface BridgePortItem {
  bridge: string;
  port: string;
  state?: string;
  loc: SourceLocation;
}

const bridgePorts = (bridges: readonly Bridge[]): BridgePortItem[] =>
  bridges.flatMap((b) =>
    b.ports.map((p) =>
      p.state === undefined
        ? { bridge: b.name, port: p.name, loc: p.loc }
        : { bridge: b.name, port: p.name, state: p.state, loc: p.loc },
    ),
  );

const bridgePortSpec: EntrySpec<BridgePortItem> = {
  kind: 'bridge-port',
  key: (p) => `${p.bridge} ${p.port}`,
  label: (p) => `${p.port} on ${p.bridge}`,
  describe: (p) => words(p.port, `on ${p.bridge}`, p.state !== undefined && `state ${p.state}`),
  // `brctl show` does not print the port state: compare it only when both sides do.
  compare: (o, n) => (o.state !== undefined && n.state !== undefined ? field('state', o.state, n.state) : []),
  locs: (p) => [p.loc],
};

const subnetEnvSpec: EntrySpec<KeyValue> = {
  kind: 'subnet-env',
  key: (v) => v.key,
  label: (v) => v.key,
  describe: (v) => `${v.key}=${v.value}`,
  compare: (o, n) => field('value', o.value, n.value),
  locs: (v) => [v.loc],
};

const policySpec: EntrySpec<PolicyItem> = {
  kind: 'chain-policy',
  key: (p) => p.where,
  label: (p) => p.where,
  describe: (p) => `${p.where} policy ${p.policy.toUpperCase()}`,
  compare: (o, n) => field('policy', o.policy, n.policy),
  locs: (p) => [p.loc],
};

const ruleSpec: EntrySpec<RuleItem> = {
  kind: 'firewall-rule',
  key: (r) => `${r.where} ${r.text}`,
  label: (r) => r.text,
  describe: (r) => `${r.text} (rule ${r.position} of ${r.where})`,
  // Inserting one rule moves every rule below it: the rule itself, not its number, is what changed.
  compare: () => [],
  locs: (r) => [r.loc],
};

const sysctlSpec: EntrySpec<Sysctl> = {
  kind: 'sysctl',
  key: (s) => s.key,
  label: (s) => s.key,
  describe: (s) => `${s.key} = ${s.value}`,
  compare: (o, n) => field('value', o.value.trim(), n.value.trim()),
  locs: (s) => [s.loc],
};

const offloadSpec: EntrySpec<OffloadItem> = {
  kind: 'offload',
  key: (o) => `${o.dev} ${o.feature.name}`,
  label: (o) => `${o.feature.name} on ${o.dev}`,
  describe: (o) =>
    `${o.dev} ${o.feature.name}: ${o.feature.on ? 'on' : 'off'}${o.feature.fixed ? ' [fixed]' : ''}`,
  compare: (o, n) => field('on', o.feature.on ? 'on' : 'off', n.feature.on ? 'on' : 'off'),
  locs: (o) => [o.feature.loc],
};

/** Settings listed on both sides only: a setting one side did not ask for was not added or removed. */
function onBothSides<T>(spec: EntrySpec<T>, olds: readonly T[], news: readonly T[]): DiffEntry[] {
  const oldKeys = new Set(olds.map((x) => spec.key(x)));
  const newKeys = new Set(news.map((x) => spec.key(x)));
  return diffList(
    spec,
    olds.filter((x) => newKeys.has(spec.key(x))),
    news.filter((x) => oldKeys.has(spec.key(x))),
  );
}

/** Pairs the two lists by key (identical records first, then in order); what is left was added or removed. */
function diffList<T>(spec: EntrySpec<T>, olds: readonly T[], news: readonly T[]): DiffEntry[] {
  const group = (items: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const item of items) {
      const k = spec.key(item);
      const list = m.get(k);
      if (list === undefined) m.set(k, [item]);
      else list.push(item);
    }
    return m;
  };
  const oldByKey = group(olds);
  const newByKey = group(news);
  const keys = [...new Set([...newByKey.keys(), ...oldByKey.keys()])];
  const out: DiffEntry[] = [];
  const base = (item: T) => {
    const locs = spec.locs(item);
    return {
      kind: spec.kind,
      label: spec.label(item),
      description: spec.describe(item),
      loc: locs[0] as SourceLocation,
      locs,
    };
  };
  for (const key of keys) {
    const o = [...(oldByKey.get(key) ?? [])];
    const n = [...(newByKey.get(key) ?? [])];
    // Identical records pair off silently.
    for (let i = n.length - 1; i >= 0; i--) {
      const j = o.findIndex((x) => spec.compare(x, n[i] as T).length === 0);
      if (j !== -1) {
        o.splice(j, 1);
        n.splice(i, 1);
      }
    }
    while (o.length > 0 && n.length > 0) {
      const a = o.shift() as T;
      const b = n.shift() as T;
      const before = base(a);
      out.push({
        change: 'changed',
        key,
        ...base(b),
        oldDescription: before.description,
        oldLoc: before.loc,
        oldLocs: before.locs,
        fields: spec.compare(a, b),
      });
    }
    for (const b of n) out.push({ change: 'added', key, ...base(b) });
    for (const a of o) out.push({ change: 'removed', key, ...base(a) });
  }
  return out;
}

const KIND_ORDER: DiffEntryKind[] = [
  'interface',
  'route',
  'neighbour',
  'fdb',
  'bridge-port',
  'subnet-env',
  'chain-policy',
  'firewall-rule',
  'sysctl',
  'offload',
];
const CHANGE_ORDER = { removed: 0, added: 1, changed: 2 } as const;

function compareEntries(a: DiffEntry, b: DiffEntry): number {
  return (
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] ||
    a.loc.file.localeCompare(b.loc.file) ||
    a.loc.line - b.loc.line
  );
}

function diffHost(oldHost: SideHost, newHost: SideHost): HostDiff {
  const entries: DiffEntry[] = [];
  const notCompared: NotCompared[] = [];
  /** Whether both sides captured `domains` alike; notes why not when only one side did. */
  const comparable = (kind: NotCompared['kind'], domains: CoverageDomain[]): boolean => {
    const why = incomparable(oldHost, newHost, domains);
    if (why !== undefined && why !== 'neither') notCompared.push({ kind, reason: why.reason });
    return why === undefined;
  };
  const when = (kind: DiffEntryKind, domains: CoverageDomain[], run: () => void) => {
    if (comparable(kind, domains)) run();
  };

  when('interface', ['links'], () => {
    // Addresses and VXLAN details come from other listings (`ip addr`, `ip -d link`) than the link itself.
    const spec = interfaceSpec(comparable('addresses', ['addresses']), comparable('vxlan', ['linkDetails']));
    appendAll(entries, diffList(spec, oldHost.interfaces, newHost.interfaces));
  });
  when('route', ['routes'], () => appendAll(entries, diffList(routeSpec, oldHost.routes, newHost.routes)));
  when('neighbour', ['neighbours'], () =>
    appendAll(entries, diffList(neighbourSpec, oldHost.neighbours, newHost.neighbours)),
  );
  when('fdb', ['fdb'], () => appendAll(entries, diffList(fdbSpec, oldHost.fdb, newHost.fdb)));
  when('bridge-port', ['bridges', 'links'], () =>
    appendAll(entries, diffList(bridgePortSpec, bridgePorts(oldHost.bridges), bridgePorts(newHost.bridges))),
  );
  when('subnet-env', ['subnetEnv'], () =>
    appendAll(entries, diffList(subnetEnvSpec, oldHost.subnetVars, newHost.subnetVars)),
  );
  when('firewall-rule', ['netfilter'], () => {
    appendAll(entries, diffList(policySpec, oldHost.policies, newHost.policies));
    appendAll(entries, diffList(ruleSpec, oldHost.rules, newHost.rules));
  });
  appendAll(entries, onBothSides(sysctlSpec, oldHost.sysctls, newHost.sysctls));
  appendAll(entries, onBothSides(offloadSpec, oldHost.offloads, newHost.offloads));
  entries.sort(compareEntries);

  const diff: HostDiff = {
    name: newHost.name,
    role: newHost.role,
    status: 'changed',
    loc: newHost.loc,
    oldLoc: oldHost.loc,
    entries,
    notCompared,
  };
  const nodeName = newHost.nodeName ?? oldHost.nodeName;
  if (nodeName !== undefined) diff.nodeName = nodeName;
  return diff;
}

function onlyOnOneSide(host: SideHost, status: 'added' | 'removed'): HostDiff {
  const diff: HostDiff = {
    name: host.name,
    role: host.role,
    status,
    loc: host.loc,
    entries: [],
    notCompared: [],
  };
  if (host.nodeName !== undefined) diff.nodeName = host.nodeName;
  return diff;
}

// ---------------------------------------------------------------------------------------------------
// Findings.

/**
 * A word ending in a `.netsnap` name (`dir/x.netsnap:12`) with the name replaced by `<file>`: found by
 * a scan, since a pattern that backtracks from each start of a long word takes quadratic time.
 */
function fileNamesOut(word: string): string {
  const suffix = '.netsnap';
  for (let i = word.lastIndexOf(suffix); i > 0; i = word.lastIndexOf(suffix, i - 1)) {
    const after = word.charAt(i + suffix.length);
    if (after === '' || !/\w/.test(after)) return `<file>${word.slice(i + suffix.length)}`;
  }
  return word;
}

/**
 * A finding's identity across captures: its code, node, message and detail (the entries it names)
 * without line numbers or paths.
 */
function findingKey(f: Finding, files: readonly string[]): string {
  let message = f.detail === undefined ? f.message : `${f.message}\u0000${f.detail}`;
  for (const file of [...files].sort((a, b) => b.length - a.length)) {
    if (file === '') continue;
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    message = message.replace(new RegExp(`(?<![\\w./-])${escaped}(?![\\w/-])`, 'g'), '<file>');
  }
  message = message
    .replace(/[^\s'"(),]+/g, fileNamesOut)
    .replace(/<file>(:\d+(-\d+)?)+/g, '<file>')
    .replace(/\b(lines?|column|col|position|offset)\s+\d+(\s*(?:[-–,]|and)\s*\d+)*/gi, '$1 #');
  return `${f.code}\u0000${f.node}\u0000${message}`;
}

function diffFindings(
  oldFindings: readonly Finding[],
  newFindings: readonly Finding[],
  oldFiles: readonly string[],
  newFiles: readonly string[],
): { appeared: Finding[]; cleared: Finding[] } {
  const remaining = new Map<string, number>();
  for (const f of oldFindings) {
    const k = findingKey(f, oldFiles);
    remaining.set(k, (remaining.get(k) ?? 0) + 1);
  }
  const appeared: Finding[] = [];
  const matched = new Map<string, number>();
  for (const f of newFindings) {
    const k = findingKey(f, newFiles);
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      matched.set(k, (matched.get(k) ?? 0) + 1);
    } else appeared.push(f);
  }
  const cleared: Finding[] = [];
  for (const f of oldFindings) {
    const k = findingKey(f, oldFiles);
    const used = matched.get(k) ?? 0;
    if (used > 0) matched.set(k, used - 1);
    else cleared.push(f);
  }
  return { appeared, cleared };
}

// ---------------------------------------------------------------------------------------------------

const byName = new Intl.Collator('en', { numeric: true });

function compareHosts(a: HostDiff, b: HostDiff): number {
  return (
    byName.compare(a.nodeName ?? a.name, b.nodeName ?? b.name) ||
    (a.role === b.role ? 0 : a.role === 'node' ? -1 : 1) ||
    byName.compare(a.name, b.name)
  );
}

/** What changed from `oldSet` to `newSet`, each the snapshots of one cluster (one file or several). */
export function diffSnapshots(oldSet: readonly Snapshot[], newSet: readonly Snapshot[]): SnapshotDiff {
  const oldHosts = hostsOf(oldSet);
  const newHosts = hostsOf(newSet);
  const hosts: HostDiff[] = [];
  for (const [name, newHost] of newHosts) {
    const oldHost = oldHosts.get(name);
    if (oldHost === undefined) {
      hosts.push(onlyOnOneSide(newHost, 'added'));
      continue;
    }
    const d = diffHost(oldHost, newHost);
    if (d.entries.length > 0 || d.notCompared.length > 0) hosts.push(d);
  }
  for (const [name, oldHost] of oldHosts) {
    if (!newHosts.has(name)) hosts.push(onlyOnOneSide(oldHost, 'removed'));
  }
  hosts.sort(compareHosts);

  const oldFiles = oldSet.map((s) => s.file);
  const newFiles = newSet.map((s) => s.file);
  const findings = diffFindings(analyze(oldSet).findings, analyze(newSet).findings, oldFiles, newFiles);
  const entries = hosts.flatMap((h) => h.entries);
  const count = (change: DiffEntry['change']) => entries.filter((e) => e.change === change).length;
  return {
    oldFiles,
    newFiles,
    hosts,
    findings,
    summary: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      hostsAdded: hosts.filter((h) => h.status === 'added').length,
      hostsRemoved: hosts.filter((h) => h.status === 'removed').length,
      findingsAppeared: findings.appeared.length,
      findingsCleared: findings.cleared.length,
    },
  };
}
