// What an nftables rule set means for the forwarding-path evaluator, shared by the text reader
// (`nft list ruleset`) and the JSON reader (`nft -j list ruleset`): tables and chains as they are read,
// matches (interfaces, addresses, protocols, ports, conntrack state) and verdicts, named sets resolved where
// their elements are literal, and chain priorities written as names.

import type {
  NetfilterChain,
  NetfilterFamily,
  NetfilterHook,
  NetfilterMatch,
  NetfilterRule,
  NetfilterTable,
  NetfilterVerdict,
  Severity,
  SourceLocation,
} from '../model/types';
import { formatCidr, parseCidr } from '../util/ip';
import type { Ledger } from './ledger';
import { truncate } from '../util/words';

/** Notes of one kind given one by one; the rest are counted (see RulesetState.note). */
const MAX_NOTES = 20;

export const FAMILIES: ReadonlySet<string> = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

const HOOK_NAMES: ReadonlySet<string> = new Set([
  'prerouting',
  'input',
  'forward',
  'output',
  'postrouting',
  'ingress',
  'egress',
]);

export function asHook(name: string): NetfilterHook | undefined {
  return HOOK_NAMES.has(name) ? (name as NetfilterHook) : undefined;
}

// nft(8) "CHAINS": the standard priority names, and the bridge family's own.
const PRIORITY_NAMES = new Map([
  ['raw', -300],
  ['mangle', -150],
  ['dstnat', -100],
  ['filter', 0],
  ['security', 50],
  ['srcnat', 100],
]);
const BRIDGE_PRIORITY_NAMES = new Map([
  ['dstnat', -300],
  ['filter', -200],
  ['out', 100],
  ['srcnat', 300],
]);

/** `filter`, `filter + 10`, `mangle - 5`, `-110`, `10` (spaces or none) as a number; undefined when unreadable. */
export function priorityValue(family: NetfilterFamily, text: string): number | undefined {
  if (text.length > 64) return undefined;
  const m = /^([a-z]{1,10}|-?\d{1,10})(?:([+-])(\d{1,10}))?$/.exec(text.replace(/[ \t]/g, ''));
  if (m === null) return undefined;
  const base = m[1] ?? '';
  const names = family === 'bridge' ? BRIDGE_PRIORITY_NAMES : PRIORITY_NAMES;
  const value = /^-?\d/.test(base) ? Number(base) : names.get(base);
  if (value === undefined) return undefined;
  const offset = m[3] === undefined ? 0 : Number(m[3]);
  return m[2] === '-' ? value - offset : value + offset;
}

// ---------------------------------------------------------------------------------------------------
// Values

/**
 * The right-hand side of a match: literal elements (any of them matches), a named set (`@name`), or
 * something the evaluator cannot read (a concatenation, a map, a `$variable`).
 */
export type NftValue = { kind: 'list'; items: string[] } | { kind: 'set'; name: string } | { kind: 'other' };

type KnownKind = Exclude<NetfilterMatch['kind'], 'unknown'>;

interface KeyInfo {
  kind: KnownKind;
  /** Addresses: the family the selector reads. */
  family?: 'inet' | 'inet6';
  /** Ports: the protocol `tcp dport` implies (nft adds the `meta l4proto` dependency itself). */
  proto?: string;
}

/** The selectors the evaluator reads, by their `meta`/payload/`ct` key; anything else is an unknown match. */
const KEYS: ReadonlyMap<string, KeyInfo> = (() => {
  const m = new Map<string, KeyInfo>([
    ['meta iifname', { kind: 'iif' }],
    ['meta iif', { kind: 'iif' }],
    ['meta oifname', { kind: 'oif' }],
    ['meta oif', { kind: 'oif' }],
    ['ip saddr', { kind: 'saddr', family: 'inet' }],
    ['ip daddr', { kind: 'daddr', family: 'inet' }],
    ['ip6 saddr', { kind: 'saddr', family: 'inet6' }],
    ['ip6 daddr', { kind: 'daddr', family: 'inet6' }],
    ['ip protocol', { kind: 'proto' }],
    ['ip6 nexthdr', { kind: 'proto' }],
    ['meta l4proto', { kind: 'proto' }],
    ['th sport', { kind: 'sport' }],
    ['th dport', { kind: 'dport' }],
    ['ct state', { kind: 'ctstate' }],
  ]);
  for (const proto of ['tcp', 'udp', 'udplite', 'sctp', 'dccp']) {
    m.set(`${proto} sport`, { kind: 'sport', proto });
    m.set(`${proto} dport`, { kind: 'dport', proto });
  }
  return m;
})();

/** `meta` keys nft prints without `meta`. */
export const BARE_META: ReadonlySet<string> = new Set([
  'iifname',
  'oifname',
  'iif',
  'oif',
  'iiftype',
  'oiftype',
  'iifgroup',
  'oifgroup',
  'mark',
  'pkttype',
  'skuid',
  'skgid',
  'cpu',
  'cgroup',
  'rtclassid',
  'ibrname',
  'obrname',
  'ibriport',
  'obriport',
  'ibrpvid',
  'ibrvproto',
  'iifkind',
  'oifkind',
  'sdif',
  'sdifname',
  'nftrace',
  'secpath',
]);

/** Is `key` a selector whose values are interface names (so the text shows them quoted)? */
export function isNameKey(key: string): boolean {
  const info = KEYS.get(key);
  return info?.kind === 'iif' || info?.kind === 'oif';
}

// Service names nft prints for ports with `-S` (and older versions by default); the ones a node's rules use.
const SERVICES = new Map([
  ['ftp-data', 20],
  ['ftp', 21],
  ['ssh', 22],
  ['telnet', 23],
  ['smtp', 25],
  ['domain', 53],
  ['bootps', 67],
  ['bootpc', 68],
  ['tftp', 69],
  ['http', 80],
  ['kerberos', 88],
  ['pop3', 110],
  ['sunrpc', 111],
  ['ntp', 123],
  ['imap', 143],
  ['imap2', 143],
  ['snmp', 161],
  ['bgp', 179],
  ['ldap', 389],
  ['https', 443],
  ['microsoft-ds', 445],
  ['submission', 587],
  ['ldaps', 636],
  ['imaps', 993],
  ['pop3s', 995],
  ['openvpn', 1194],
  ['nfs', 2049],
  ['etcd-client', 2379],
  ['etcd-server', 2380],
  ['mysql', 3306],
  ['vxlan', 4789],
  ['postgresql', 5432],
  ['http-alt', 8080],
  ['webcache', 8080],
  ['otv', 8472],
]);

// `ct state` bits, as `nft -n` prints them (`0x2,0x4`).
const CT_STATE_BITS: readonly [number, string][] = [
  [0x1, 'INVALID'],
  [0x2, 'ESTABLISHED'],
  [0x4, 'RELATED'],
  [0x8, 'NEW'],
  [0x40, 'UNTRACKED'],
];
const CT_STATES: ReadonlySet<string> = new Set(CT_STATE_BITS.map(([, name]) => name));

function portNumber(text: string): number | undefined {
  if (/^\d{1,5}$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : undefined;
  }
  return SERVICES.get(text);
}

/** One element as the match kind writes it (see NetfilterMatch.values), or undefined when it cannot be. */
function normalizeItem(info: KeyInfo, item: string): string[] | undefined {
  switch (info.kind) {
    case 'iif':
    case 'oif':
      return item.length > 0 && item.length <= 256 ? [item] : undefined;
    case 'saddr':
    case 'daddr': {
      if (item.length > 64) return undefined;
      const cidr = parseCidr(item, info.family);
      return cidr !== undefined && cidr.family === info.family ? [formatCidr(cidr)] : undefined;
    }
    case 'proto':
      return /^(?:[a-z][a-z0-9-]{0,19}|\d{1,3})$/.test(item) ? [item] : undefined;
    case 'sport':
    case 'dport': {
      const dash = item.indexOf('-');
      if (dash === -1) {
        const n = portNumber(item);
        return n === undefined ? undefined : [String(n)];
      }
      const from = portNumber(item.slice(0, dash));
      const to = portNumber(item.slice(dash + 1));
      return from === undefined || to === undefined || from > to ? undefined : [`${from}:${to}`];
    }
    case 'ctstate': {
      const upper = item.toUpperCase();
      if (CT_STATES.has(upper)) return [upper];
      if (!/^0x[0-9a-f]{1,8}$/i.test(item)) return undefined;
      const bits = Number(item);
      const out = CT_STATE_BITS.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
      return out.length === 0 ? undefined : out;
    }
    default:
      // Marks are read elsewhere (`meta mark & MASK == VALUE`), never as a keyed list.
      return undefined;
  }
}

function normalizeItems(info: KeyInfo, items: readonly string[]): string[] | undefined {
  if (items.length === 0) return undefined;
  const seen = new Set<string>();
  for (const item of items) {
    const values = normalizeItem(info, item);
    if (values === undefined) return undefined;
    for (const v of values) seen.add(v);
  }
  return [...seen];
}

/** `tcp dport < 1024` and the like, as a port range `0-1023`. */
function portComparison(op: string, value: NftValue): string | undefined {
  if (value.kind !== 'list' || value.items.length !== 1) return undefined;
  const n = portNumber(value.items[0] ?? '');
  if (n === undefined) return undefined;
  switch (op) {
    case '<':
    case 'lt':
      return n > 0 ? `0-${n - 1}` : undefined;
    case '<=':
    case 'le':
      return `0-${n}`;
    case '>':
    case 'gt':
      return n < 65535 ? `${n + 1}-65535` : undefined;
    case '>=':
    case 'ge':
      return `${n}-65535`;
    default:
      return undefined;
  }
}

const EQUAL_OPS: ReadonlySet<string> = new Set(['', '==', 'eq', 'in']);
const NOT_EQUAL_OPS: ReadonlySet<string> = new Set(['!=', 'ne']);
export const RELATIONAL_OPS: ReadonlySet<string> = new Set([
  '==',
  '!=',
  'eq',
  'ne',
  '<',
  '>',
  '<=',
  '>=',
  'lt',
  'gt',
  'le',
  'ge',
]);

/** Statements that change or copy the packet and let it go on (NAT included: nat chains do not filter). */
export const CONTINUING_STATEMENTS: readonly string[] = [
  'masquerade',
  'snat',
  'dnat',
  'redirect',
  'tproxy',
  'notrack',
  'dup',
];

// ---------------------------------------------------------------------------------------------------
// Tables, chains, sets

/** Why a set with no elements cannot stand in for them (an `add element` may still give it some). */
export const NO_ELEMENTS = 'lists no elements';

/** A named set, as far as it can stand for its elements in a match. */
export interface SetInfo {
  name: string;
  /** Literal elements; undefined when they cannot stand in for the set (a map, dynamic, concatenated …). */
  elements: string[] | undefined;
  /** Why the elements cannot stand in, for the note on a match that names the set. */
  why?: string;
}

export interface TableState {
  record: NetfilterTable;
  sets: Map<string, SetInfo>;
  chains: Map<string, NetfilterChain>;
  /** `flags dormant`: the table's chains see no packets. */
  dormant?: number;
}

interface SetRef {
  match: NetfilterMatch;
  info: KeyInfo;
  negate: boolean;
  name: string;
  table: TableState;
  line: number;
}

/** What one listing holds as it is read: its tables in order, and the matches waiting on named sets. */
export class RulesetState {
  readonly tables: NetfilterTable[] = [];
  private readonly byKey = new Map<string, TableState>();
  private readonly refs: SetRef[] = [];
  private partialReason: string | undefined;
  private readonly unresolvedNoted = new Set<string>();
  private readonly notes = new Map<string, { count: number; severity: Severity }>();

  constructor(readonly ledger: Ledger) {}

  /**
   * A note of one kind. Past MAX_NOTES of a kind its lines are only skipped and `finishNotes` counts them:
   * a million garbled lines make a few dozen notes, not a million.
   */
  note(kind: string, line: number, message: string, severity: Severity = 'info'): void {
    const seen = this.notes.get(kind) ?? { count: 0, severity };
    seen.count++;
    if (severity === 'warning') seen.severity = severity;
    this.notes.set(kind, seen);
    if (seen.count <= MAX_NOTES) this.ledger.report(line, message, severity);
    else this.ledger.skip(line);
  }

  /** One note, at `line`, for each kind that had more than MAX_NOTES. */
  finishNotes(line: number): void {
    for (const [kind, seen] of this.notes) {
      if (seen.count <= MAX_NOTES) continue;
      this.ledger.report(
        line,
        `nft: ${seen.count - MAX_NOTES} more notes of the kind "${kind}" (not noted one by one)`,
        seen.severity,
      );
    }
  }

  /** A new table record (a later listing of the same table is found by `find` from then on). */
  addTable(family: NetfilterFamily, name: string, loc: SourceLocation): TableState {
    const state: TableState = {
      record: { loc, family, name, chains: [] },
      sets: new Map(),
      chains: new Map(),
    };
    this.tables.push(state.record);
    this.byKey.set(`${family} ${name}`, state);
    return state;
  }

  find(family: NetfilterFamily, name: string): TableState | undefined {
    return this.byKey.get(`${family} ${name}`);
  }

  addChain(table: TableState, name: string, loc: SourceLocation): NetfilterChain {
    const chain: NetfilterChain = { loc, name, rules: [] };
    table.record.chains.push(chain);
    table.chains.set(name, chain);
    return chain;
  }

  /** The listing lacks something (`reason`): absence from it proves nothing. */
  partial(reason: string): void {
    this.partialReason ??= reason;
    this.ledger.partial(reason);
  }

  get partialWhy(): string | undefined {
    return this.partialReason;
  }

  /** A match on `@name`, kept unknown until the set is known. */
  setRef(
    match: NetfilterMatch,
    info: KeyInfo,
    negate: boolean,
    name: string,
    table: TableState,
    line: number,
  ): void {
    this.refs.push({ match, info, negate, name, table, line });
  }

  /**
   * Matches on named sets whose elements are literal take the elements as values (`ip saddr @allowed` →
   * saddr any of them); the others stay unknown, with one note per set.
   */
  resolveSets(): void {
    // Each set's elements are read once per kind of match: a set of 100,000 addresses named by 1,000 rules.
    const read = new Map<SetInfo, Map<string, string[] | undefined>>();
    const valuesOf = (set: SetInfo, info: KeyInfo): string[] | undefined => {
      if (set.elements === undefined) return undefined;
      let byKind = read.get(set);
      if (byKind === undefined) {
        byKind = new Map();
        read.set(set, byKind);
      }
      const kind = `${info.kind} ${info.family ?? ''}`;
      if (!byKind.has(kind)) byKind.set(kind, normalizeItems(info, set.elements));
      return byKind.get(kind);
    };
    for (const ref of this.refs) {
      const set = ref.table.sets.get(ref.name);
      const values = set === undefined ? undefined : valuesOf(set, ref.info);
      if (values !== undefined) {
        ref.match.kind = ref.info.kind;
        ref.match.negate = ref.negate;
        ref.match.values = values;
        continue;
      }
      const key = `${ref.table.record.family} ${ref.table.record.name} ${ref.name}`;
      if (this.unresolvedNoted.has(key)) continue;
      this.unresolvedNoted.add(key);
      const where = `table ${ref.table.record.family} ${truncate(ref.table.record.name, 60)}`;
      const why =
        set === undefined
          ? `is not listed in ${where}`
          : (set.why ?? `holds elements that are not ${ref.info.kind} values`);
      this.note(
        'unresolved set',
        ref.line,
        `nft: set @${truncate(ref.name, 60)} ${why}: matches on it are unknown`,
      );
    }
  }

  /** Base chains of dormant tables see no packets: they are kept without their hooks. */
  settleDormant(): void {
    for (const state of this.byKey.values()) {
      if (state.dormant === undefined) continue;
      const hooked = state.record.chains.filter((c) => c.hook !== undefined);
      if (hooked.length === 0) continue;
      for (const chain of hooked) {
        delete chain.hook;
        delete chain.priority;
      }
      this.note(
        'dormant table',
        state.dormant,
        `nft: table ${state.record.family} ${truncate(state.record.name, 60)} is dormant: its ${hooked.length} base chain(s) see no packets and are read without their hooks`,
        'warning',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Rules

/**
 * Builds one rule from its matches and statements, in the order nft prints them: matches, then statements
 * (counter, log, NAT, mark …) and at most one verdict.
 */
export class RuleBuilder {
  readonly matches: NetfilterMatch[] = [];
  private verdict: NetfilterVerdict | undefined;
  private verdictTarget: string | undefined;
  private action: string | undefined;
  private rejectWith: string | undefined;
  private packets: number | undefined;
  private bytes: number | undefined;
  private comment: string | undefined;
  /** Something in the rule was not understood: it may have been a verdict. */
  private unreadable = false;
  /** Pieces read (matches, statements): a statement of nothing but unknown words is no rule. */
  read = 0;

  constructor(
    private readonly state: RulesetState,
    private readonly table: TableState | undefined,
    private readonly line: number,
  ) {}

  /** `key op value` (`meta iifname == "cni0"`, `ip saddr != 10.0.0.0/8`, `ct state in established`). */
  match(key: string, op: string, value: NftValue, text: string): void {
    this.read++;
    const info = KEYS.get(key);
    if (info === undefined) {
      this.unknownMatch(text, false);
      return;
    }
    let negate = false;
    let values: NftValue = value;
    if (NOT_EQUAL_OPS.has(op)) negate = true;
    else if (!EQUAL_OPS.has(op)) {
      const range = info.kind === 'sport' || info.kind === 'dport' ? portComparison(op, value) : undefined;
      if (range === undefined) {
        this.unknownMatch(text, false);
        return;
      }
      values = { kind: 'list', items: [range] };
    }
    if (info.proto !== undefined) this.impliedProto(info.proto, text);
    if (values.kind === 'set') {
      const match: NetfilterMatch = { kind: 'unknown', negate: false, values: [], text };
      this.matches.push(match);
      if (this.table !== undefined)
        this.state.setRef(match, info, negate, values.name, this.table, this.line);
      return;
    }
    const normalized = values.kind === 'list' ? normalizeItems(info, values.items) : undefined;
    if (normalized === undefined) {
      this.unknownMatch(text, false);
      return;
    }
    this.matches.push({ kind: info.kind, negate, values: normalized, text });
  }

  /** `tcp dport 80` matches TCP only: nft adds that dependency itself. */
  private impliedProto(proto: string, text: string): void {
    for (let i = this.matches.length - 1; i >= 0; i--) {
      const m = this.matches[i];
      if (m?.kind === 'proto' && !m.negate && m.values.length === 1 && m.values[0] === proto) return;
    }
    this.matches.push({ kind: 'proto', negate: false, values: [proto], text });
  }

  /** A condition the evaluator cannot decide (marks, fib, limits, xt matches …). */
  unknownMatch(text: string, unreadable: boolean): void {
    if (unreadable) this.unreadable = true;
    else this.read++;
    this.matches.push({ kind: 'unknown', negate: false, values: [], text });
  }

  /** Words that are no known match or statement. */
  unreadableWords(text: string): void {
    this.unknownMatch(text, true);
  }

  terminal(verdict: NetfilterVerdict, target?: string): void {
    this.read++;
    if (this.verdict !== undefined) return;
    this.verdict = verdict;
    if (target !== undefined) this.verdictTarget = target;
  }

  reject(withWhat: string | undefined): void {
    this.terminal('reject');
    if (withWhat !== undefined && withWhat !== '') this.rejectWith ??= withWhat;
  }

  /** A statement that lets the packet go on (log, counter-less NAT in nat chains, mark, notrack …). */
  statement(name: string): void {
    this.read++;
    this.action ??= name;
  }

  counter(packets: number | undefined, bytes: number | undefined): void {
    this.read++;
    if (packets !== undefined) this.packets = packets;
    if (bytes !== undefined) this.bytes = bytes;
  }

  setComment(text: string): void {
    this.read++;
    this.comment = text;
  }

  build(loc: SourceLocation, text: string): NetfilterRule {
    const verdict = this.verdict ?? (this.unreadable ? 'unknown' : 'continue');
    const rule: NetfilterRule = { loc, text, matches: this.matches, verdict };
    const target = this.verdict === undefined ? this.action : this.verdictTarget;
    if (target !== undefined) rule.target = target;
    if (this.rejectWith !== undefined) rule.rejectWith = this.rejectWith;
    if (this.packets !== undefined) rule.packets = this.packets;
    if (this.bytes !== undefined) rule.bytes = this.bytes;
    if (this.comment !== undefined) rule.comment = this.comment;
    return rule;
  }
}

/**
 * iptables-nft's targets nft cannot translate, listed as `xt target NAME`: the ones that let the packet go on,
 * and REJECT; any other (NFQUEUE, a target the evaluator does not know) leaves the verdict unknown.
 */
const XT_CONTINUING_TARGETS: ReadonlySet<string> = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'MARK',
  'CONNMARK',
  'CLASSIFY',
  'DSCP',
  'TOS',
  'TTL',
  'HL',
  'TCPMSS',
  'CHECKSUM',
  'NOTRACK',
  'CT',
  'TRACE',
  'AUDIT',
  'MASQUERADE',
  'SNAT',
  'DNAT',
  'NETMAP',
  'REDIRECT',
  'SET',
  'CONNSECMARK',
  'SECMARK',
  'IDLETIMER',
  'LED',
]);

/** An `xt match NAME` / `xt target NAME` (iptables-nft's compat expressions), into the rule. */
export function xtExpression(rule: RuleBuilder, type: string, name: string, text: string): void {
  if (type === 'target') {
    if (name === 'REJECT') rule.reject(undefined);
    else if (XT_CONTINUING_TARGETS.has(name)) rule.statement(name);
    else rule.terminal('unknown', name);
    return;
  }
  // `-m comment` never decides anything.
  if (name === 'comment') {
    rule.read++;
    return;
  }
  rule.unknownMatch(text, false);
}

/** The unit of an `xt_NAME` hint (`# xt_physdev`, `# xt_MASQUERADE`): upper-case names are targets. */
export function xtHintType(name: string): 'match' | 'target' {
  return /^[A-Z][A-Z0-9_]*$/.test(name) ? 'target' : 'match';
}
