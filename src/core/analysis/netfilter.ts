// The netfilter verdict for one kind of packet on one host: every base chain on the packet's hook, from
// every rule set listed (both iptables backends and nftables run in the kernel side by side), walked in
// rule order with jumps, gotos and returns. Check, trace, hover, tree and graph all ask this one place.
//
// Matches are judged on ranges, not on one sample address: a rule on `-s 10.244.0.0/16` surely matches a
// packet from any address of 10.244.3.0/24, surely not one from 10.99.0.0/16, and only maybe one from
// 10.0.0.0/8. A match netsnap cannot judge (marks, named sets, modules it does not know) is `maybe` too,
// so that the verdict becomes uncertain rather than a guessed DROP.

import type {
  HostModel,
  NetfilterChain,
  NetfilterFamily,
  NetfilterHook,
  NetfilterMatch,
  NetfilterRule,
  NetfilterRuleset,
  NetfilterSource,
  NetfilterTable,
  SourceLocation,
} from '../model/types';
import { ipv4ToNumber } from '../util/ip';

/** An inclusive range of IPv4 addresses as numbers. */
export interface AddressRange {
  lo: number;
  hi: number;
}

/** The packets a question is about: one direction of one kind of flannel traffic. */
export interface PacketClass {
  hook: NetfilterHook;
  family: 'ip' | 'ip6';
  /** Incoming device; absent for locally generated packets. */
  iif?: string;
  /** Outgoing device; absent for packets delivered locally. */
  oif?: string;
  saddr: AddressRange;
  daddr: AddressRange;
  /** `icmp`, `tcp`, `udp`; a port is known only where the class fixes it (the VXLAN port). */
  proto: 'icmp' | 'tcp' | 'udp';
  dport?: number;
  /** Conntrack state of the packet: flannel's traffic is judged as a new flow's first packet. */
  ctstate: 'NEW';
  /**
   * The packet's mark when known: 0 unless a rule that sets marks can reach it first (`hookVerdict`
   * settles that from the listings; absent means unknown).
   */
  mark?: number;
}

export type Truth = 'yes' | 'no' | 'maybe';

export type Outcome = 'accept' | 'drop' | 'reject';

/** Where one possible outcome of a chain comes from. */
export interface Cause {
  outcome: Outcome;
  /** The rule that gives it, or undefined for a base chain's policy. */
  rule?: NetfilterRule;
  /** The chain holding the rule or policy. */
  chain: NetfilterChain;
  /** The line to cite: the rule's, or the policy's. */
  loc: SourceLocation;
  /** The chains entered from the base chain to get there (`FORWARD`, `FLANNEL-FWD`). */
  path: string[];
  /** Every match of the rule and the jumps to it was surely true (no `maybe` on the way). */
  certain: boolean;
}

/** What one base chain does with the packet class. */
export interface ChainVerdict {
  ruleset: NetfilterRuleset;
  table: NetfilterTable;
  chain: NetfilterChain;
  /** `uncertain`: more than one outcome is possible (a `maybe` match decided between them). */
  decision: Outcome | 'uncertain';
  /** Every outcome that can happen, first-reached first. */
  causes: Cause[];
  /** Matches that could not be judged, or chains jumped to that the listing does not show. */
  unknowns: { loc: SourceLocation; why: string }[];
  /** Some rule reached matched only part of the class's addresses: a narrower class may fare otherwise. */
  addressDependent: boolean;
}

export interface HookVerdict {
  packet: PacketClass;
  /**
   * `accept` when every base chain accepts, `drop`/`reject` when one surely does (the first such by
   * priority), `uncertain` when one may, `unlisted` when no listing shows any base chain for the hook.
   */
  decision: Outcome | 'uncertain' | 'unlisted';
  /** The chain verdict that decides (for drop/reject/uncertain). */
  decidedBy?: ChainVerdict;
  chains: ChainVerdict[];
  /** Some chain's verdict depends on which addresses of the class a packet has (see ChainVerdict). */
  addressDependent: boolean;
}

const PROTO_NUMBERS: ReadonlyMap<string, string> = new Map([
  ['1', 'icmp'],
  ['6', 'tcp'],
  ['17', 'udp'],
  ['58', 'ipv6-icmp'],
]);

function protoName(value: string): string {
  const lower = value.toLowerCase();
  return PROTO_NUMBERS.get(lower) ?? (lower === 'icmpv6' ? 'ipv6-icmp' : lower);
}

/** `10.244.0.0/16` or `10.244.1.2` as a range; undefined for anything else (a host name, IPv6). */
export function ipv4Range(text: string): AddressRange | undefined {
  const slash = text.indexOf('/');
  const value = ipv4ToNumber(slash === -1 ? text : text.slice(0, slash));
  if (value === undefined) return undefined;
  let prefix = 32;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (/^\d{1,2}$/.test(p) && Number(p) <= 32) prefix = Number(p);
    else {
      // `-s 10.0.0.0/255.255.0.0`: iptables prints masks that are not prefixes this way.
      const mask = ipv4ToNumber(p);
      if (mask === undefined) return undefined;
      const lo = (value & mask) >>> 0;
      const contiguous = ((~mask >>> 0) & ((~mask >>> 0) + 1)) === 0;
      return contiguous ? { lo, hi: (lo | (~mask >>> 0)) >>> 0 } : undefined;
    }
  }
  const size = prefix === 0 ? 0x100000000 : 2 ** (32 - prefix);
  const lo = value - (value % size);
  return { lo, hi: lo + size - 1 };
}

/** Each match's values read as ranges once (undefined: a value that is no IPv4 address or prefix). */
const rangeCache = new WeakMap<NetfilterMatch, (AddressRange | undefined)[]>();

function rangesOf(match: NetfilterMatch): (AddressRange | undefined)[] {
  let ranges = rangeCache.get(match);
  if (ranges === undefined) {
    ranges = match.values.map(ipv4Range);
    rangeCache.set(match, ranges);
  }
  return ranges;
}

function addressTruth(match: NetfilterMatch, range: AddressRange): Truth {
  let truth: Truth = 'no';
  for (const r of rangesOf(match)) {
    if (r === undefined) return 'maybe';
    if (r.lo <= range.lo && range.hi <= r.hi) return 'yes';
    if (r.lo <= range.hi && range.lo <= r.hi) truth = 'maybe';
  }
  return truth;
}

function deviceTruth(values: readonly string[], dev: string | undefined): Truth {
  if (dev === undefined) return 'no';
  for (const value of values) {
    const last = value[value.length - 1];
    if (last === '+' || last === '*') {
      if (dev.startsWith(value.slice(0, -1))) return 'yes';
    } else if (value === dev) return 'yes';
  }
  return 'no';
}

function portTruth(values: readonly string[], port: number | undefined): Truth {
  if (port === undefined) return 'maybe';
  for (const value of values) {
    const m = /^(\d{1,5})(?:[:-](\d{1,5}))?$/.exec(value);
    if (m === null) return 'maybe';
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo <= port && port <= hi) return 'yes';
  }
  return 'no';
}

function rawTruth(match: NetfilterMatch, packet: PacketClass): Truth {
  switch (match.kind) {
    case 'iif':
      return deviceTruth(match.values, packet.iif);
    case 'oif':
      return deviceTruth(match.values, packet.oif);
    case 'saddr':
      return packet.family === 'ip' ? addressTruth(match, packet.saddr) : 'maybe';
    case 'daddr':
      return packet.family === 'ip' ? addressTruth(match, packet.daddr) : 'maybe';
    case 'proto': {
      const want = packet.family === 'ip6' && packet.proto === 'icmp' ? 'ipv6-icmp' : packet.proto;
      return match.values.some((v) => {
        const name = protoName(v);
        return name === want || name === 'all' || name === '0';
      })
        ? 'yes'
        : 'no';
    }
    case 'sport':
      return packet.proto === 'icmp' ? 'no' : 'maybe';
    case 'dport':
      return packet.proto === 'icmp' ? 'no' : portTruth(match.values, packet.dport);
    case 'ctstate':
      return match.values.some((v) => v.toUpperCase() === packet.ctstate) ? 'yes' : 'no';
    case 'mark':
      return packet.mark === undefined ? 'maybe' : markTruth(match.values, packet.mark);
    case 'unknown':
      return 'maybe';
  }
}

function markTruth(values: readonly string[], mark: number): Truth {
  for (const v of values) {
    const [value, mask] = v.split('/');
    const want = Number(value);
    const bits = mask === undefined ? 0xffffffff : Number(mask);
    if (!Number.isFinite(want) || !Number.isFinite(bits)) return 'maybe';
    if ((mark & bits) >>> 0 === want >>> 0) return 'yes';
  }
  return 'no';
}

/** Does `match` hold for every, no, or only some packets of the class? */
export function matchTruth(match: NetfilterMatch, packet: PacketClass): Truth {
  const truth = rawTruth(match, packet);
  if (!match.negate || truth === 'maybe') return truth;
  return truth === 'yes' ? 'no' : 'yes';
}

/** Every match of a rule must hold. */
export function ruleTruth(rule: NetfilterRule, packet: PacketClass): Truth {
  let truth: Truth = 'yes';
  for (const match of rule.matches) {
    const t = matchTruth(match, packet);
    if (t === 'no') return 'no';
    if (t === 'maybe') truth = 'maybe';
  }
  return truth;
}

/**
 * Would a narrower address range have judged this rule differently? Only when one of its address
 * matches overlaps the class's range in part (a `maybe` a single peer's subnet could settle).
 */
function dependsOnAddress(rule: NetfilterRule, packet: PacketClass): boolean {
  for (const match of rule.matches) {
    if (match.kind !== 'saddr' && match.kind !== 'daddr') continue;
    if (packet.family !== 'ip') continue;
    const range = match.kind === 'saddr' ? packet.saddr : packet.daddr;
    const partly = rangesOf(match).some(
      (r) =>
        r !== undefined && r.lo <= range.hi && range.lo <= r.hi && !(r.lo <= range.lo && range.hi <= r.hi),
    );
    if (partly) return true;
  }
  return false;
}

/** What walking a chain can end in: outcomes, and whether it may fall off its end (or RETURN). */
interface Walk {
  causes: Cause[];
  /** `yes`: always returns to the caller; `maybe`: sometimes; `no`: never. */
  returns: Truth;
  unknowns: { loc: SourceLocation; why: string }[];
  /**
   * The packet may reach something whose outcome is unknown (a chain the listing does not show, an action
   * netsnap cannot follow, a loop): whatever it does may come first, so no drop after it is sure.
   */
  opaque: boolean;
}

const TERMINAL: ReadonlySet<string> = new Set(['accept', 'drop', 'reject']);

class ChainWalker {
  private readonly memo = new Map<NetfilterChain, Walk>();
  private readonly active = new Set<NetfilterChain>();
  /** A rule reached was only partly matched by the class's address range. */
  addressDependent = false;

  constructor(
    private readonly table: NetfilterTable,
    private readonly packet: PacketClass,
    private readonly partial: boolean,
  ) {}

  walk(chain: NetfilterChain, path: readonly string[]): Walk {
    const known = this.memo.get(chain);
    if (known !== undefined) return known;
    if (this.active.has(chain)) {
      return {
        causes: [],
        returns: 'maybe',
        unknowns: [{ loc: chain.loc, why: `a loop through ${chain.name}` }],
        opaque: true,
      };
    }
    this.active.add(chain);
    const result = this.walkRules(chain, [...path, chain.name]);
    this.active.delete(chain);
    this.memo.set(chain, result);
    return result;
  }

  private walkRules(chain: NetfilterChain, path: string[]): Walk {
    const causes: Cause[] = [];
    const unknowns: { loc: SourceLocation; why: string }[] = [];
    let opaque = false;
    // Whether every earlier rule surely let the packet reach this one.
    let surelyReached = true;
    for (const rule of chain.rules) {
      const truth = ruleTruth(rule, this.packet);
      if (truth === 'no') continue;
      const sure = truth === 'yes';
      if (!sure) {
        if (!this.addressDependent && dependsOnAddress(rule, this.packet)) this.addressDependent = true;
        const why = rule.matches.find((m) => matchTruth(m, this.packet) === 'maybe');
        if (why?.kind === 'unknown')
          unknowns.push({ loc: rule.loc, why: `netsnap cannot evaluate \`${why.text}\`` });
      }
      const verdict = rule.verdict;
      if (TERMINAL.has(verdict)) {
        causes.push({
          outcome: verdict as Outcome,
          rule,
          chain,
          loc: rule.loc,
          path,
          certain: sure && surelyReached,
        });
        if (sure) return { causes, returns: 'no', unknowns, opaque };
        surelyReached = false;
        continue;
      }
      if (verdict === 'return') {
        if (sure)
          return {
            causes,
            returns: surelyReached && causes.length === 0 ? 'yes' : 'maybe',
            unknowns,
            opaque,
          };
        surelyReached = false;
        continue;
      }
      if (verdict === 'jump' || verdict === 'goto') {
        const target = rule.target === undefined ? undefined : chainNamed(this.table, rule.target);
        if (target === undefined) {
          unknowns.push({
            loc: rule.loc,
            why: this.partial
              ? `the listing does not show chain ${rule.target ?? '?'}`
              : `${rule.target ?? '?'} is not a chain netsnap knows`,
          });
          opaque = true;
          surelyReached = false;
          continue;
        }
        const sub = this.walk(target, path);
        for (const cause of sub.causes) {
          causes.push({ ...cause, certain: cause.certain && sure && surelyReached });
        }
        for (const unknown of sub.unknowns) unknowns.push(unknown);
        if (sub.opaque) opaque = true;
        if (verdict === 'goto') {
          // A goto'd chain's RETURN returns to this chain's caller.
          if (sure) return { causes, returns: sub.returns === 'no' ? 'no' : 'maybe', unknowns, opaque };
          surelyReached = false;
          continue;
        }
        if (sure && sub.returns === 'no') return { causes, returns: 'no', unknowns, opaque };
        if (!sure || sub.returns === 'maybe') surelyReached = false;
        continue;
      }
      if (verdict === 'unknown') {
        unknowns.push({ loc: rule.loc, why: `netsnap cannot follow the action ${rule.target ?? rule.text}` });
        opaque = true;
        surelyReached = false;
      }
      // `continue`: LOG, MARK, counters… the packet goes on.
    }
    return { causes, returns: surelyReached ? 'yes' : 'maybe', unknowns, opaque };
  }
}

/** Each table's chains by name, built once (a kube-proxy nat table holds thousands of chains). */
const chainIndex = new WeakMap<NetfilterTable, Map<string, NetfilterChain>>();

export function chainNamed(table: NetfilterTable, name: string): NetfilterChain | undefined {
  let index = chainIndex.get(table);
  if (index === undefined) {
    index = new Map();
    for (const c of table.chains) if (!index.has(c.name)) index.set(c.name, c);
    chainIndex.set(table, index);
  }
  return index.get(name);
}

/** Does a table of this family see packets of that family? */
function tableSees(family: NetfilterFamily, packet: PacketClass): boolean {
  return family === packet.family || family === 'inet';
}

/** nat chains change addresses; they do not filter (iptables' nat table, nft `type nat`). */
function filters(table: NetfilterTable, chain: NetfilterChain, ruleset: NetfilterRuleset): boolean {
  if (chain.type !== undefined) return chain.type !== 'nat';
  return !(ruleset.source !== 'nft' && table.name === 'nat');
}

/** The backend a ruleset's rules live in, as far as the listing or `iptables -V` says. */
export function backendOf(ruleset: NetfilterRuleset, host: HostModel): 'legacy' | 'nf_tables' | undefined {
  const source: NetfilterSource = ruleset.source;
  if (source === 'iptables-legacy') return 'legacy';
  if (source === 'iptables-nft' || source === 'nft') return 'nf_tables';
  const family = ruleset.tables[0]?.family === 'ip6' ? 'ip6' : 'ip';
  const versions = host.iptablesVersions.filter((v) => v.family === family);
  const backend = versions[0]?.backend;
  return versions.every((v) => v.backend === backend) ? backend : undefined;
}

/**
 * The rule sets whose base chains run, without counting one kernel table twice: `nft list ruleset` also
 * shows the tables iptables-nft made (`table ip filter`), so those nft tables are left to the iptables
 * listing of the same backend, which reads its matches natively.
 */
const effectiveCache = new WeakMap<HostModel, { ruleset: NetfilterRuleset; table: NetfilterTable }[]>();

export function effectiveTables(host: HostModel): { ruleset: NetfilterRuleset; table: NetfilterTable }[] {
  let known = effectiveCache.get(host);
  if (known === undefined) {
    known = listEffectiveTables(host);
    effectiveCache.set(host, known);
  }
  return known;
}

function listEffectiveTables(host: HostModel): { ruleset: NetfilterRuleset; table: NetfilterTable }[] {
  const iptablesNft = new Set<string>();
  for (const ruleset of host.netfilter) {
    if (ruleset.source === 'nft' || backendOf(ruleset, host) !== 'nf_tables') continue;
    for (const table of ruleset.tables) iptablesNft.add(`${table.family} ${table.name}`);
  }
  const seen = new Set<string>();
  const out: { ruleset: NetfilterRuleset; table: NetfilterTable }[] = [];
  for (const ruleset of host.netfilter) {
    const backend = ruleset.source === 'nft' ? 'nft' : (backendOf(ruleset, host) ?? 'iptables');
    for (const table of ruleset.tables) {
      const key = `${table.family} ${table.name}`;
      if (ruleset.source === 'nft' && iptablesNft.has(key)) continue;
      // The same table listed twice (iptables-save and iptables -L): the first listing answers.
      const listed = `${backend} ${key}`;
      if (seen.has(listed)) continue;
      seen.add(listed);
      out.push({ ruleset, table });
    }
  }
  return out;
}

function chainVerdict(
  ruleset: NetfilterRuleset,
  table: NetfilterTable,
  chain: NetfilterChain,
  packet: PacketClass,
): ChainVerdict {
  const walker = new ChainWalker(table, packet, ruleset.partial !== undefined);
  const walk = walker.walk(chain, []);
  const causes = [...walk.causes];
  if (walk.returns !== 'no') {
    const outcome: Outcome = chain.policy === 'drop' ? 'drop' : 'accept';
    causes.push({
      outcome,
      chain,
      loc: chain.policyLoc ?? chain.loc,
      path: [chain.name],
      certain: walk.returns === 'yes',
    });
  }
  const outcomes = new Set(causes.map((c) => c.outcome));
  let decision: Outcome | 'uncertain' =
    outcomes.size === 1 ? causes[0]!.outcome : outcomes.size === 0 ? 'accept' : 'uncertain';
  const unknowns = walk.unknowns;
  // A chain the listing does not show (`iptables -S FORWARD`) may accept before the drop: not proven.
  if (walk.opaque && decision !== 'accept') decision = 'uncertain';
  if (ruleset.filtered !== undefined && decision !== 'accept') {
    // A rule the filter left out may accept first: what the listing shows cannot decide a drop.
    decision = 'uncertain';
    for (const c of causes) c.certain = false;
    unknowns.push({ loc: ruleset.loc, why: `the listing is filtered (${ruleset.filtered})` });
  }
  return { ruleset, table, chain, decision, causes, unknowns, addressDependent: walker.addressDependent };
}

const blocks = (d: Outcome | 'uncertain') => d === 'drop' || d === 'reject';

/** Targets and nft statements (`meta mark set`, `ct mark set`) that set a packet's or its connection's mark. */
function setsMark(target: string): boolean {
  return target === 'MARK' || target === 'CONNMARK' || target.endsWith('mark set');
}

const EARLIER_HOOKS: Record<NetfilterHook, readonly NetfilterHook[]> = {
  prerouting: ['prerouting'],
  input: ['prerouting', 'input'],
  forward: ['prerouting', 'forward'],
  output: ['output'],
  postrouting: ['prerouting', 'forward', 'output', 'postrouting'],
  ingress: ['ingress'],
  egress: ['egress'],
};

/**
 * The mark a packet of this class carries when it meets the hook's filter chains: 0 when no rule that
 * sets a mark can reach it on the way (every chain reachable from the base chains of this and earlier
 * hooks, through rules that may match), else unknown.
 */
function markOnArrival(
  tables: readonly { ruleset: NetfilterRuleset; table: NetfilterTable }[],
  packet: PacketClass,
): number | undefined {
  const hooks = EARLIER_HOOKS[packet.hook];
  for (const { ruleset, table } of tables) {
    if (!tableSees(table.family, packet)) continue;
    const queue = table.chains.filter((c) => c.hook !== undefined && hooks.includes(c.hook));
    const seen = new Set(queue);
    while (queue.length > 0) {
      const chain = queue.pop()!;
      for (const rule of chain.rules) {
        if (ruleTruth(rule, packet) === 'no') continue;
        if (rule.target !== undefined && setsMark(rule.target)) return undefined;
        if (rule.verdict === 'unknown') return undefined;
        if (rule.verdict === 'jump' || rule.verdict === 'goto') {
          const next = rule.target === undefined ? undefined : chainNamed(table, rule.target);
          // A chain the listing does not show may set marks.
          if (next === undefined) return undefined;
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
    }
    // Rules the filter left out may set marks too.
    if (ruleset.filtered !== undefined) return undefined;
  }
  return 0;
}

/** The host's netfilter verdict on a packet class (see the file comment). */
export function hookVerdict(host: HostModel, given: PacketClass): HookVerdict {
  const tables = effectiveTables(host);
  const packet: PacketClass = given.mark === undefined ? { ...given } : given;
  if (given.mark === undefined) {
    const mark = markOnArrival(tables, given);
    if (mark !== undefined) packet.mark = mark;
  }
  const chains: ChainVerdict[] = [];
  for (const { ruleset, table } of tables) {
    if (!tableSees(table.family, packet)) continue;
    for (const chain of table.chains) {
      if (chain.hook !== packet.hook || !filters(table, chain, ruleset)) continue;
      chains.push(chainVerdict(ruleset, table, chain, packet));
    }
  }
  chains.sort((a, b) => (a.chain.priority ?? 0) - (b.chain.priority ?? 0));
  const verdict: HookVerdict = {
    packet,
    decision: 'accept',
    chains,
    addressDependent: chains.some((c) => c.addressDependent),
  };
  if (chains.length === 0) {
    verdict.decision = 'unlisted';
    return verdict;
  }
  // A drop in any base chain ends the packet; an accept only ends its own chain.
  const sure = chains.find((c) => blocks(c.decision));
  if (sure !== undefined) {
    verdict.decision = sure.decision;
    verdict.decidedBy = sure;
    return verdict;
  }
  const maybe = chains.find((c) => c.decision === 'uncertain');
  if (maybe !== undefined) {
    verdict.decision = 'uncertain';
    verdict.decidedBy = maybe;
  }
  return verdict;
}

/** The cause of a blocking or uncertain verdict to cite: the first drop or reject it can end in. */
export function blockingCause(verdict: HookVerdict): Cause | undefined {
  return verdict.decidedBy?.causes.find((c) => c.outcome !== 'accept');
}

/** The rule to cite for an accept: one that surely applies rather than one that may (a mark, a set). */
export function acceptingCause(verdict: HookVerdict): Cause | undefined {
  let first: Cause | undefined;
  for (const chain of verdict.chains) {
    for (const c of chain.causes) {
      if (c.outcome !== 'accept' || c.rule === undefined) continue;
      if (c.certain) return c;
      first ??= c;
    }
  }
  return first;
}
