// One iptables rule read into matches and a verdict, from either form iptables prints rules in: the
// arguments of iptables-save and `iptables -S` (`-A FORWARD -s 10.244.0.0/16 -m comment --comment "…" -j
// ACCEPT`) and the rows of `iptables -L` (`ACCEPT  all  --  10.244.0.0/16  0.0.0.0/0  /* … */`).
//
// What the evaluator can decide becomes a typed match (addresses, interfaces, protocol, ports, conntrack
// state); anything else that filters packets (marks, named sets, rates, address types, u32, ICMP types,
// fragments, modules this file does not know) becomes an `unknown` match, so that the rule's verdict is
// uncertain rather than guessed. Modules that never filter (`-m comment`, a bare `-m tcp`) add no match.

import type { NetfilterMatch, NetfilterVerdict } from '../model/types';
import { formatCidr, netmaskToPrefix, parseCidr } from '../util/ip';
import { truncate } from '../util/words';

/** A rule as read, before it joins its chain. */
export interface RuleRead {
  matches: NetfilterMatch[];
  /** The `-j`/`-g` target, or the `-L` target column; absent when the rule has none. */
  target?: string;
  goto: boolean;
  /** The target took options (`--reject-with …`, `MARK set …`): an extension target, not a chain. */
  targetOptions: boolean;
  rejectWith?: string;
  comment?: string;
  packets?: number;
  bytes?: number;
  /** An IPv6 address appears in the rule: the family when nothing else tells. */
  ipv6: boolean;
  /** What could not be read, for a note. */
  problems: string[];
}

function emptyRule(): RuleRead {
  return { matches: [], goto: false, targetOptions: false, ipv6: false, problems: [] };
}

// ---------------------------------------------------------------------------------------------------
// Verdicts

/** Targets that act on the packet and let it go on to the next rule (SNAT/DNAT end only the nat chain). */
const CONTINUE_TARGETS = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'MARK',
  'CONNMARK',
  'CT',
  'NOTRACK',
  'TRACE',
  'AUDIT',
  'TCPMSS',
  'TCPOPTSTRIP',
  'CLASSIFY',
  'DSCP',
  'TOS',
  'TTL',
  'HL',
  'ECN',
  'SNAT',
  'DNAT',
  'MASQUERADE',
  'REDIRECT',
  'NETMAP',
  'CHECKSUM',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
  'SET',
  'TEE',
  'HMARK',
  'RATEEST',
]);

/** Targets whose outcome the evaluator cannot follow: user space decides, or they accept or drop by state. */
const UNKNOWN_TARGETS = new Set(['NFQUEUE', 'QUEUE', 'TPROXY', 'SYNPROXY', 'ERROR']);

/** Is `target` an iptables target (built in or an extension this file knows), not a chain? */
export function isKnownTarget(target: string): boolean {
  return (
    target === 'ACCEPT' ||
    target === 'DROP' ||
    target === 'REJECT' ||
    target === 'RETURN' ||
    CONTINUE_TARGETS.has(target) ||
    UNKNOWN_TARGETS.has(target)
  );
}

/**
 * The verdict of a rule with `target`: a target name not known here is a chain (jump/goto); the caller turns
 * it into `unknown` when the listing shows every chain and none has that name.
 */
export function verdictOf(target: string | undefined, goto: boolean): NetfilterVerdict {
  if (target === undefined) return 'continue';
  switch (target) {
    case 'ACCEPT':
      return 'accept';
    case 'DROP':
      return 'drop';
    case 'REJECT':
      return 'reject';
    case 'RETURN':
      return 'return';
  }
  if (CONTINUE_TARGETS.has(target)) return 'continue';
  if (UNKNOWN_TARGETS.has(target)) return 'unknown';
  return goto ? 'goto' : 'jump';
}

// ---------------------------------------------------------------------------------------------------
// Match values

function unknownMatch(negate: boolean, text: string): NetfilterMatch {
  return { kind: 'unknown', negate, values: [], text };
}

/** Protocol numbers `-L -n` prints (iptables ≥ 1.8.9) for the names iptables-save prints. */
const PROTOCOL_NAMES = new Map([
  ['1', 'icmp'],
  ['2', 'igmp'],
  ['6', 'tcp'],
  ['17', 'udp'],
  ['33', 'dccp'],
  ['41', 'ipv6'],
  ['47', 'gre'],
  ['50', 'esp'],
  ['51', 'ah'],
  ['58', 'ipv6-icmp'],
  ['132', 'sctp'],
  ['136', 'udplite'],
]);

const COMMON_PROTOCOLS = new Set(PROTOCOL_NAMES.values());

/** `-p VALUE`; undefined for `all`/`0` (every protocol, no condition). */
function protoMatch(value: string, negate: boolean, text: string): NetfilterMatch | undefined {
  const lower = value.toLowerCase();
  const name = PROTOCOL_NAMES.get(lower) ?? lower;
  if (name === 'all' || name === '0') return negate ? unknownMatch(true, text) : undefined;
  // The common names are known good: no pattern test for each rule of a big listing.
  if (!COMMON_PROTOCOLS.has(name) && !/^[a-z0-9][a-z0-9.+-]{0,30}$/.test(name))
    return unknownMatch(negate, text);
  return { kind: 'proto', negate, values: [name], text };
}

/** `10.0.0.0/8`, `10.0.0.1`, `fd00::/8`, `10.0.0.0/255.0.0.0` in canonical CIDR form, else undefined. */
function readAddress(text: string): string | undefined {
  if (isCanonicalIPv4Cidr(text)) return text;
  let value = text;
  const slash = text.indexOf('/');
  if (slash !== -1 && text.includes('.', slash)) {
    const prefix = netmaskToPrefix(text.slice(slash + 1));
    if (prefix === undefined) return undefined;
    value = `${text.slice(0, slash)}/${prefix}`;
  }
  const cidr = parseCidr(value);
  return cidr === undefined ? undefined : formatCidr(cidr);
}

/**
 * `a.b.c.d/N` exactly as formatCidr(parseCidr()) writes it (what iptables-save prints): read without the
 * objects and strings of the general path.
 */
function isCanonicalIPv4Cidr(text: string): boolean {
  const slash = text.indexOf('/');
  const digits = text.length - slash - 1;
  if (slash === -1 || digits < 1 || digits > 2) return false;
  const d1 = text.charCodeAt(slash + 1) - 48;
  const d2 = digits === 2 ? text.charCodeAt(slash + 2) - 48 : 0;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 || (digits === 2 && (d1 === 0 || d1 * 10 + d2 > 32))) return false;
  // The address: four decimal octets 0..255 without leading zeros, as isIPv4 takes them.
  let i = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (text.charCodeAt(i) !== 46) return false;
      i++;
    }
    const start = i;
    let n = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57 && i < slash; c = text.charCodeAt(++i))
      n = n * 10 + c - 48;
    const len = i - start;
    if (len === 0 || len > 3 || n > 255 || (len > 1 && text.charCodeAt(start) === 48)) return false;
  }
  return i === slash;
}

const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0', 'anywhere']);

/**
 * Network names `-L` prints without `-n` that every distribution's /etc/networks defines the same way
 * (`loopback/8`). Host names (`localhost`, a node's name) stay unknown: the host's resolver decided them.
 */
const NETWORK_NAMES = new Map([
  ['loopback', '127.0.0.0'],
  ['link-local', '169.254.0.0'],
]);

function networkName(text: string): string {
  const slash = text.indexOf('/');
  const network = NETWORK_NAMES.get(slash === -1 ? text : text.slice(0, slash));
  return network === undefined || slash === -1 ? text : network + text.slice(slash);
}

/**
 * `-s`/`-d` (comma-separated in hand-written rules) or a `-L` address column: undefined for "any"; a name
 * (`-L` without `-n` prints host and network names) is an unknown match, not a guess.
 */
function addressMatch(
  kind: 'saddr' | 'daddr',
  value: string,
  negate: boolean,
  text: string,
  rule: RuleRead,
): NetfilterMatch | undefined {
  if (ANY_ADDRESS.has(value) && !negate) return undefined;
  if (!value.includes(',') && isCanonicalIPv4Cidr(value)) return { kind, negate, values: [value], text };
  const values: string[] = [];
  for (const part of value.split(',')) {
    const address = readAddress(part === 'anywhere' ? '0.0.0.0/0' : networkName(part));
    if (address === undefined) return unknownMatch(negate, text);
    if (address.includes(':')) rule.ipv6 = true;
    values.push(address);
  }
  return { kind, negate, values, text };
}

/** `-i`/`-o` or a `-L -v` interface column; undefined for any interface. */
function interfaceMatch(
  kind: 'iif' | 'oif',
  value: string,
  negate: boolean,
  text: string,
): NetfilterMatch | undefined {
  if (value === '' || ((value === '*' || value === 'any') && !negate)) return undefined;
  return { kind, negate, values: [value], text };
}

/**
 * Service names `-L` prints for ports without `-n`, those every distribution's /etc/services has. Any other
 * name makes the port an unknown match: the host's /etc/services is not here to look it up.
 */
const SERVICE_PORTS = new Map([
  ['ftp', '21'],
  ['ssh', '22'],
  ['telnet', '23'],
  ['smtp', '25'],
  ['domain', '53'],
  ['bootps', '67'],
  ['bootpc', '68'],
  ['http', '80'],
  ['www', '80'],
  ['ntp', '123'],
  ['bgp', '179'],
  ['https', '443'],
  ['dhcpv6-client', '546'],
  ['dhcpv6-server', '547'],
  ['http-alt', '8080'],
]);

/** A port or `N:M` range, or a known service name, as a number; undefined when neither. */
function portValue(text: string): string | undefined {
  if (/^\d{1,5}(?::\d{1,5})?$/.test(text)) return text;
  const named = text.split(':');
  if (named.length > 2) return undefined;
  const ports = named.map((p) => (/^\d{1,5}$/.test(p) ? p : SERVICE_PORTS.get(p)));
  return ports.every((p) => p !== undefined) ? ports.join(':') : undefined;
}

function portMatch(kind: 'sport' | 'dport', list: string, negate: boolean, text: string): NetfilterMatch {
  if (!list.includes(',')) {
    const port = portValue(list);
    return port === undefined ? unknownMatch(negate, text) : { kind, negate, values: [port], text };
  }
  const values: string[] = [];
  for (const part of list.split(',')) {
    const port = portValue(part);
    if (port === undefined) return unknownMatch(negate, text);
    values.push(port);
  }
  return { kind, negate, values, text };
}

/** `--mark 0x4000/0x4000` (`mark match 0x4000/0x4000` in -L): a value, with a mask or the whole mark. */
function markMatch(value: string, negate: boolean, text: string): NetfilterMatch {
  const m = /^(0x[0-9a-fA-F]{1,8}|\d{1,10})(?:\/(0x[0-9a-fA-F]{1,8}|\d{1,10}))?$/.exec(value);
  if (!m) return unknownMatch(negate, text);
  return { kind: 'mark', negate, values: [`${m[1] ?? ''}/${m[2] ?? '0xffffffff'}`], text };
}

function ctstateMatch(list: string, negate: boolean, text: string): NetfilterMatch {
  const values = list
    .split(',')
    .filter((s) => s !== '')
    .map((s) => s.toUpperCase());
  return values.length === 0 ? unknownMatch(negate, text) : { kind: 'ctstate', negate, values, text };
}

/** Appends a match when there is one (undefined means the condition holds for every packet). */
function add(rule: RuleRead, match: NetfilterMatch | undefined): void {
  if (match !== undefined) rule.matches.push(match);
}

function addComment(rule: RuleRead, comment: string): void {
  rule.comment = rule.comment === undefined ? comment : `${rule.comment}; ${comment}`;
}

/** Packet or byte counts as printed: digits, or `-L -v`'s rounded `123K`/`99M`/`12G`/`3T` (powers of 1000). */
export function readCount(text: string): number | undefined {
  const m = /^(\d{1,20})([KMGT]?)$/.exec(text);
  if (!m) return undefined;
  const scale = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(m[1]) * scale;
}

// ---------------------------------------------------------------------------------------------------
// iptables-save / `iptables -S` arguments

/** A word of a rule line: `value` with quotes and escapes removed, `start..end` where it stands in the line. */
export interface ArgToken {
  value: string;
  start: number;
  end: number;
  quoted: boolean;
}

/**
 * iptables-restore reads at most 255 words of a rule line, so no saved rule has more than this: the words of
 * a longer (hostile) line past it are kept as one condition, not read one by one.
 */
export const MAX_RULE_WORDS = 1024;

/**
 * Splits a rule line as iptables-restore does: blanks separate words, `"…"` quotes (anywhere in a word)
 * keep blanks, and inside quotes a backslash escapes the next character (iptables-save writes `\"` and
 * `\\`). One pass over the characters. `unterminated` when a quote is left open; `rest`, where the text
 * past the first `max` words starts. With `pool`, the word objects are taken from it (and kept there for the
 * next line): a caller that keeps no token past the line saves an object per word of a big listing.
 */
export function splitArgs(
  text: string,
  from = 0,
  max = MAX_RULE_WORDS,
  pool?: ArgToken[],
): { tokens: ArgToken[]; unterminated: boolean; rest?: number } {
  const tokens: ArgToken[] = [];
  const n = text.length;
  let unterminated = false;
  let i = from;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (tokens.length === max) return { tokens, unterminated, rest: i };
    const start = i;
    let value = '';
    let segment = i;
    let inQuote = false;
    let quoted = false;
    while (i < n) {
      c = text.charCodeAt(i);
      if (!inQuote && (c === 32 || c === 9)) break;
      if (c === 34) {
        value += text.slice(segment, i);
        inQuote = !inQuote;
        quoted = true;
        segment = ++i;
      } else if (inQuote && c === 92 && i + 1 < n) {
        value += text.slice(segment, i) + text.charAt(i + 1);
        i += 2;
        segment = i;
      } else {
        i++;
      }
    }
    value += text.slice(segment, i);
    if (inQuote) unterminated = true;
    const reused = pool?.[tokens.length];
    if (reused === undefined) {
      const token = { value, start, end: i, quoted };
      pool?.push(token);
      tokens.push(token);
    } else {
      reused.value = value;
      reused.start = start;
      reused.end = i;
      reused.quoted = quoted;
      tokens.push(reused);
    }
  }
  return { tokens, unterminated };
}

/** Is the token an option (`-s`, `--dport`), as opposed to a value? Quoted words and numbers are values. */
function isOption(token: ArgToken): boolean {
  const v = token.value;
  if (token.quoted || v.length < 2 || v.charCodeAt(0) !== 45) return false;
  const c = v.charCodeAt(1);
  return c < 48 || c > 57;
}

function isBang(token: ArgToken | undefined): boolean {
  return token !== undefined && !token.quoted && token.value === '!';
}

/** The rule options of iptables itself (not of a match module), by every spelling, to one name. */
const BASE_OPTIONS = new Map([
  ['-s', 's'],
  ['--source', 's'],
  ['--src', 's'],
  ['-d', 'd'],
  ['--destination', 'd'],
  ['--dst', 'd'],
  ['-i', 'i'],
  ['--in-interface', 'i'],
  ['-o', 'o'],
  ['--out-interface', 'o'],
  ['-p', 'p'],
  ['--protocol', 'p'],
  ['-f', 'f'],
  ['--fragment', 'f'],
  ['-m', 'm'],
  ['--match', 'm'],
  ['-j', 'j'],
  ['--jump', 'j'],
  ['-g', 'g'],
  ['--goto', 'g'],
  ['-c', 'c'],
  ['--set-counters', 'c'],
  ['-4', '4'],
  ['--ipv4', '4'],
  ['-6', '6'],
  ['--ipv6', '6'],
]);

/** Module options whose value count is known: a value that looks like an option (`--comment -x`) is kept. */
const OPTION_VALUES = new Map([
  ['--comment', 1],
  ['--dport', 1],
  ['--destination-port', 1],
  ['--sport', 1],
  ['--source-port', 1],
  ['--dports', 1],
  ['--destination-ports', 1],
  ['--sports', 1],
  ['--source-ports', 1],
  ['--ports', 1],
  ['--ctstate', 1],
  ['--state', 1],
  ['--reject-with', 1],
  ['--log-prefix', 1],
  ['--match-set', 2],
  ['--tcp-flags', 2],
  ['--syn', 0],
]);

interface ModuleOption {
  name: string;
  values: string[];
  negate: boolean;
  /** The option's text in the line, `!` included. */
  text: string;
}

interface Module {
  name: string;
  /** `-m NAME` as written, absent for options after `-p tcp` with no `-m` (older iptables-save). */
  head?: string;
  start: number;
  end: number;
  options: ModuleOption[];
}

const PROTOCOL_MODULES = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);

/** The port options of the tcp/udp/… modules and of multiport, by every spelling. */
const PORT_OPTIONS = new Map<string, 'sport' | 'dport'>([
  ['--dport', 'dport'],
  ['--destination-port', 'dport'],
  ['--sport', 'sport'],
  ['--source-port', 'sport'],
]);
const MULTIPORT_OPTIONS = new Map<string, 'sport' | 'dport'>([
  ['--dports', 'dport'],
  ['--destination-ports', 'dport'],
  ['--sports', 'sport'],
  ['--source-ports', 'sport'],
]);

/** How each option of a module the evaluator models reads: a match, the rule's comment, or unknown. */
type OptionReader = (o: ModuleOption) => NetfilterMatch | 'comment' | undefined;

const readCommentOption: OptionReader = (o) => (o.name === '--comment' ? 'comment' : undefined);
const readPortOption: OptionReader = (o) => {
  const kind = PORT_OPTIONS.get(o.name);
  return kind === undefined ? undefined : portMatch(kind, o.values[0] ?? '', o.negate, o.text);
};
// multiport's --ports (either port) is no typed match: it stays unknown.
const readMultiportOption: OptionReader = (o) => {
  const kind = MULTIPORT_OPTIONS.get(o.name);
  return kind === undefined ? undefined : portMatch(kind, o.values[0] ?? '', o.negate, o.text);
};
const readMarkOption: OptionReader = (o) =>
  o.name === '--mark' ? markMatch(o.values[0] ?? '', o.negate, o.text) : undefined;
const readStateOption: OptionReader = (o) =>
  o.name === '--state' ? ctstateMatch(o.values[0] ?? '', o.negate, o.text) : undefined;
const readCtstateOption: OptionReader = (o) =>
  o.name === '--ctstate' ? ctstateMatch(o.values[0] ?? '', o.negate, o.text) : undefined;

/** The option reader of a module by its (lower-case) name; undefined for modules not modelled. */
function optionReader(name: string): OptionReader | undefined {
  if (name === 'comment') return readCommentOption;
  if (PROTOCOL_MODULES.has(name)) return readPortOption;
  if (name === 'multiport') return readMultiportOption;
  if (name === 'mark') return readMarkOption;
  if (name === 'conntrack') return readCtstateOption;
  if (name === 'state') return readStateOption;
  return undefined;
}

/** The matches of one `-m NAME --opt …` group. */
function addModule(module: Module, rule: RuleRead, line: string): void {
  const read = optionReader(module.name.toLowerCase());
  const options = module.options;
  if (read === undefined) {
    // A module that filters on something the evaluator does not model: one unknown match for all of it.
    let negate = false;
    for (const o of options) negate ||= o.negate;
    rule.matches.push(unknownMatch(negate, line.slice(module.start, module.end)));
    return;
  }
  // A module with one option is shown whole (`-m tcp --dport 80`), else each option on its own.
  if (options.length === 1 && module.head !== undefined) {
    const only = options[0] as ModuleOption;
    only.text = line.slice(module.start, module.end);
  }
  for (const o of options) {
    const m = read(o);
    if (m === 'comment')
      addComment(rule, o.values.length === 1 ? (o.values[0] as string) : o.values.join(' '));
    else if (m !== undefined) rule.matches.push(m);
    else rule.matches.push(unknownMatch(o.negate, o.text));
  }
}

/** A target option: `--reject-with` is kept, any option marks an extension target (a chain takes none). */
function addTargetOption(rule: RuleRead, option: ModuleOption): void {
  rule.targetOptions = true;
  if (option.name === '--reject-with' && option.values[0] !== undefined) rule.rejectWith = option.values[0];
}

/**
 * Reads the rule words from `tokens[from]` on (after `-A CHAIN`): base options, `-m` modules with their
 * options, the target and its options, `-c` counters. `!` negates the option after it (or, in iptables
 * before 1.4.3, the value after it). Words where no option fits become unknown matches.
 */
export function readRuleArgs(
  line: string,
  tokens: readonly ArgToken[],
  from: number,
  rest?: number,
): RuleRead {
  const rule = emptyRule();
  let proto: string | undefined;
  let module: Module | undefined;
  let inTarget = false;
  let bang = -1; // where a pending `!` stands
  let i = from;
  while (i < tokens.length) {
    const token = tokens[i] as ArgToken;
    if (isBang(token)) {
      if (bang === -1) bang = token.start;
      i++;
      continue;
    }
    const negated = bang !== -1;
    const start = negated ? bang : token.start;
    bang = -1;
    if (!isOption(token)) {
      if (module !== undefined) addModule(module, rule, line);
      module = undefined;
      inTarget = false;
      rule.matches.push(unknownMatch(negated, line.slice(start, token.end)));
      rule.problems.push(`unexpected word "${truncate(token.value, 40)}"`);
      i++;
      continue;
    }
    const base = BASE_OPTIONS.get(token.value);
    if (base === undefined && token.value.startsWith('--') && (module !== undefined || inTarget || proto)) {
      // An option of the open module, of the target, or of the protocol's implicit module.
      const count = OPTION_VALUES.get(token.value);
      let j = i + 1;
      let negate = negated;
      if (count !== 0 && isBang(tokens[j]) && tokens[j + 1] !== undefined && !isOption(tokens[j + 1]!)) {
        negate = true;
        j++;
      }
      const values: string[] = [];
      while (j < tokens.length) {
        const t = tokens[j] as ArgToken;
        if (count === undefined ? isOption(t) || isBang(t) : values.length >= count) break;
        values.push(t.value);
        j++;
      }
      const end = (tokens[j - 1] ?? token).end;
      const option: ModuleOption = { name: token.value, values, negate, text: line.slice(start, end) };
      if (inTarget) addTargetOption(rule, option);
      else {
        module ??= { name: proto ?? '', start, end, options: [] };
        module.options.push(option);
        module.end = end;
      }
      i = j;
      continue;
    }
    if (module !== undefined) addModule(module, rule, line);
    module = undefined;
    inTarget = false;
    // The value after the option: `-s ! x` (iptables before 1.4.3) negates it too.
    const next = tokens[i + 1];
    const oldNegate = isBang(next) && tokens[i + 2] !== undefined;
    const value = oldNegate ? tokens[i + 2]?.value : next?.value;
    const after = oldNegate ? i + 3 : next === undefined ? i + 1 : i + 2;
    const negate = negated || oldNegate;
    const text = line.slice(start, (tokens[after - 1] ?? token).end);
    switch (base) {
      case 's':
      case 'd':
        if (value === undefined) break;
        add(rule, addressMatch(base === 's' ? 'saddr' : 'daddr', value, negate, text, rule));
        i = after;
        continue;
      case 'i':
      case 'o':
        if (value === undefined) break;
        add(rule, interfaceMatch(base === 'i' ? 'iif' : 'oif', value, negate, text));
        i = after;
        continue;
      case 'p':
        if (value === undefined) break;
        proto = value.toLowerCase();
        add(rule, protoMatch(value, negate, text));
        i = after;
        continue;
      case 'f':
        rule.matches.push(unknownMatch(negated, line.slice(start, token.end)));
        i++;
        continue;
      case 'm': {
        const name = tokens[i + 1];
        if (name === undefined) break;
        module = { name: name.value, head: name.value, start, end: name.end, options: [] };
        if (negated) rule.problems.push(`"!" before -m ${truncate(name.value, 40)}`);
        i += 2;
        continue;
      }
      case 'j':
      case 'g': {
        const target = tokens[i + 1];
        if (target === undefined) break;
        rule.target = target.value;
        rule.goto = base === 'g';
        inTarget = true;
        i += 2;
        continue;
      }
      case 'c': {
        const packets = readCount(tokens[i + 1]?.value ?? '');
        const bytes = readCount(tokens[i + 2]?.value ?? '');
        if (packets === undefined || bytes === undefined) break;
        rule.packets = packets;
        rule.bytes = bytes;
        i += 3;
        continue;
      }
      case '4':
      case '6':
        // iptables-restore files shared by both tools: the rule applies to one family only.
        rule.problems.push(`${token.value}: a rule for one address family only`);
        i++;
        continue;
      default: {
        // An option iptables does not have (or one out of place): keep it and its values as unknown.
        let j = i + 1;
        while (j < tokens.length && !isOption(tokens[j]!) && !isBang(tokens[j])) j++;
        rule.matches.push(unknownMatch(negated, line.slice(start, (tokens[j - 1] ?? token).end)));
        rule.problems.push(`unknown option ${truncate(token.value, 40)}`);
        i = j;
        continue;
      }
    }
    // An option at the end of the line without its value.
    rule.matches.push(unknownMatch(negated, line.slice(start, token.end)));
    rule.problems.push(`${truncate(token.value, 40)} without a value`);
    i++;
  }
  if (module !== undefined) addModule(module, rule, line);
  if (bang !== -1) rule.problems.push('a "!" negates nothing');
  if (rest !== undefined) {
    rule.matches.push(unknownMatch(false, line.slice(rest)));
    rule.problems.push(`more than ${MAX_RULE_WORDS} words, the rest kept as one condition`);
  }
  return rule;
}

// ---------------------------------------------------------------------------------------------------
// `iptables -L` rows

/** The columns of a `-L` listing, from its header line (`num`, `pkts bytes`, `in out` are optional). */
export interface ListLayout {
  num: boolean;
  counters: boolean;
  interfaces: boolean;
  /** Where the header's `target` column starts: tells a blank target when no `opt` column is printed. */
  targetColumn: number;
}

/** `target prot opt source destination`, with `num`, `pkts bytes` and `in out` when asked for. */
const LIST_HEADER =
  /^\s*(num\s+)?(pkts\s+bytes\s+)?target\s+prot\s+opt\s+(in\s+out\s+)?source\s+destination\s*$/;

export function readListHeader(text: string): ListLayout | undefined {
  const m = LIST_HEADER.exec(text);
  if (!m) return undefined;
  return {
    num: m[1] !== undefined,
    counters: m[2] !== undefined,
    interfaces: m[3] !== undefined,
    targetColumn: text.indexOf('target'),
  };
}

/** The `opt` column: `--`, `-f` (fragments), `!f`. */
function isOptColumn(word: string | undefined): boolean {
  return word !== undefined && word.length === 2 && /^[-!][-f]$/.test(word);
}

const PROT_WORD = /^!?[A-Za-z0-9][A-Za-z0-9._+-]{0,30}$/;
const ADDRESS_WORD = /^!?[A-Za-z0-9:.][A-Za-z0-9:._/-]*$/;

/**
 * Reads a `-L` row: `[num] [pkts bytes] target prot opt [in out] source destination [extras]`. The target is
 * blank for a rule with no `-j`. A string says why the row cannot be read.
 */
export function readListRow(text: string, layout: ListLayout): RuleRead | string {
  const n = text.length;
  let i = 0;
  const word = (): [string, number] | undefined => {
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= n) return undefined;
    const start = i;
    while (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
    return [text.slice(start, i), start];
  };
  const rule = emptyRule();
  if (layout.num && !/^\d+$/.test(word()?.[0] ?? '')) return 'no rule number';
  if (layout.counters) {
    const packets = readCount(word()?.[0] ?? '');
    const bytes = readCount(word()?.[0] ?? '');
    if (packets === undefined || bytes === undefined) return 'no packet and byte counts';
    rule.packets = packets;
    rule.bytes = bytes;
  }
  const columns: [string, number][] = [];
  for (let k = 0; k < 3; k++) {
    const w = word();
    if (w !== undefined) columns.push(w);
  }
  // A blank target: `prot opt …`, or (no opt column, old ip6tables) nothing under the header's `target`.
  let target: string | undefined;
  let rest: [string, number][];
  if (isOptColumn(columns[1]?.[0])) {
    rest = columns;
  } else if (isOptColumn(columns[2]?.[0])) {
    target = columns[0]?.[0];
    rest = columns.slice(1);
  } else {
    const blank = (columns[0]?.[1] ?? 0) > layout.targetColumn;
    target = blank ? undefined : columns[0]?.[0];
    rest = blank ? columns : columns.slice(1);
  }
  // The words after prot (and opt) still to read, in order.
  const prot = rest[0]?.[0];
  const optWord = isOptColumn(rest[1]?.[0]) ? rest[1]?.[0] : undefined;
  const pending = rest.slice(optWord === undefined ? 1 : 2).map((w) => w[0]);
  const take = (): string | undefined => pending.shift() ?? word()?.[0];
  const inIf = layout.interfaces ? take() : undefined;
  const outIf = layout.interfaces ? take() : undefined;
  const source = take();
  const destination = take();
  if (prot === undefined || source === undefined || destination === undefined) return 'too few columns';
  if (!PROT_WORD.test(prot)) return `"${truncate(prot, 40)}" is no protocol`;
  if (!ADDRESS_WORD.test(source) || !ADDRESS_WORD.test(destination)) return 'no source and destination';
  if (layout.interfaces && (inIf === undefined || outIf === undefined)) return 'too few columns';
  if (target !== undefined) rule.target = target;

  const negated = (w: string): [string, boolean] => (w.startsWith('!') ? [w.slice(1), true] : [w, false]);
  const [protName, protNegate] = negated(prot);
  add(rule, protoMatch(protName, protNegate, `prot ${prot}`));
  if (optWord !== undefined && optWord !== '--')
    rule.matches.push(unknownMatch(optWord[0] === '!', `opt ${optWord}`));
  if (inIf !== undefined) {
    const [name, negate] = negated(inIf);
    add(rule, interfaceMatch('iif', name, negate, `in ${inIf}`));
  }
  if (outIf !== undefined) {
    const [name, negate] = negated(outIf);
    add(rule, interfaceMatch('oif', name, negate, `out ${outIf}`));
  }
  const [src, srcNegate] = negated(source);
  add(rule, addressMatch('saddr', src, srcNegate, `source ${source}`, rule));
  const [dst, dstNegate] = negated(destination);
  add(rule, addressMatch('daddr', dst, dstNegate, `destination ${destination}`, rule));
  readListExtras(text.slice(i), rule);
  return rule;
}

interface ExtraWord {
  text: string;
  /** A `/* … *\/` comment, `text` being what is inside. */
  comment: boolean;
}

/**
 * The words after the destination column: blanks separate them, a `/* … *\/` comment is one word and a
 * `"…"` (a LOG prefix, a u32 test) stays inside its word. Linear: each search starts where the last ended.
 */
function extraWords(text: string): ExtraWord[] {
  const out: ExtraWord[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (out.length === MAX_RULE_WORDS) {
      // A hostile row: the rest is one word, read as one condition.
      out.push({ text: text.slice(i), comment: false });
      break;
    }
    if (c === 47 && text.startsWith('/* ', i)) {
      const close = text.indexOf(' */', i + 2);
      const end = close === -1 ? n : close;
      out.push({ text: text.slice(i + 3, end), comment: true });
      i = close === -1 ? n : close + 3;
      continue;
    }
    const start = i;
    let inQuote = false;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (!inQuote && (d === 32 || d === 9)) break;
      if (d === 34) inQuote = !inQuote;
      i++;
    }
    out.push({ text: text.slice(start, i), comment: false });
  }
  return out;
}

/** Words that start what a target prints after the matches (`MARK or 0x4000`, `to:10.0.0.1:53`, …). */
const TARGET_PRINT_WORDS = new Map([
  ['DNAT', ['to:']],
  ['SNAT', ['to:']],
  ['NETMAP', ['to:']],
  ['MASQUERADE', ['masq', 'random', 'persistent']],
  ['REDIRECT', ['redir', 'random']],
  ['NFLOG', ['nflog-']],
  ['NOTRACK', ['CT']],
  ['SET', ['add-set', 'del-set', 'map-set']],
  ['IDLETIMER', ['timeout:']],
]);

function startsTargetText(word: string, target: string | undefined): boolean {
  if (target === undefined || verdictOf(target, false) === 'jump') return false;
  if (word === target) return true;
  return (TARGET_PRINT_WORDS.get(target) ?? []).some((p) => word.startsWith(p));
}

const LIST_PROTOCOLS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);

/** `spt:80`, `dpt:!53`, `spts:1024:65535`, `dpts:!1:1023`: kind, value, negated; undefined otherwise. */
function listPort(word: string): ['sport' | 'dport', string, boolean] | undefined {
  const m = /^([sd])pts?:(!?)(.+)$/.exec(word);
  if (!m) return undefined;
  return [m[1] === 's' ? 'sport' : 'dport', m[3] ?? '', m[2] === '!'];
}

/** Reads what the matches and the target print after the address columns. */
function readListExtras(text: string, rule: RuleRead): void {
  const words = extraWords(text);
  const target = rule.target;
  let unknown: string[] = [];
  const flush = (): void => {
    if (unknown.length > 0) rule.matches.push(unknownMatch(false, unknown.join(' ')));
    unknown = [];
  };
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as ExtraWord;
    const t = w.text;
    const next = words[k + 1]?.text;
    if (w.comment) {
      flush();
      addComment(rule, t);
      continue;
    }
    if (t === '[goto]') {
      flush();
      rule.goto = true;
      continue;
    }
    if (LIST_PROTOCOLS.has(t)) {
      // `tcp dpt:80` (the tcp match); a bare `tcp` is `-m tcp` with no option: nothing to decide.
      flush();
      while (k + 1 < words.length) {
        const port = listPort(words[k + 1]?.text ?? '');
        if (port === undefined) break;
        k++;
        rule.matches.push(portMatch(port[0], port[1], port[2], `${t} ${words[k]?.text ?? ''}`));
      }
      continue;
    }
    if (t === 'multiport' && (next === 'dports' || next === 'sports' || next === 'ports')) {
      flush();
      let list = words[k + 2]?.text ?? '';
      let negate = false;
      let used = 2;
      if (list === '!') {
        negate = true;
        list = words[k + 3]?.text ?? '';
        used = 3;
      } else if (list.startsWith('!')) {
        negate = true;
        list = list.slice(1);
      }
      const shown = words
        .slice(k, k + used + 1)
        .map((x) => x.text)
        .join(' ');
      rule.matches.push(
        next === 'ports'
          ? unknownMatch(negate, shown)
          : portMatch(next === 'dports' ? 'dport' : 'sport', list, negate, shown),
      );
      k += used;
      continue;
    }
    if (t === 'mark' && next === 'match') {
      // `mark match 0x4000/0x4000`, `mark match ! 0x4000/0x4000`.
      flush();
      const negate = words[k + 2]?.text === '!';
      const value = words[k + (negate ? 3 : 2)]?.text ?? '';
      const shown = words
        .slice(k, k + (negate ? 4 : 3))
        .map((x) => x.text)
        .join(' ');
      rule.matches.push(markMatch(value, negate, shown));
      k += negate ? 3 : 2;
      continue;
    }
    const negatedState = t === '!' && (next === 'ctstate' || next === 'state');
    if (negatedState || t === 'ctstate' || t === 'state') {
      flush();
      const at = negatedState ? k + 1 : k;
      const list = words[at + 1]?.text ?? '';
      rule.matches.push(
        ctstateMatch(list, negatedState, `${negatedState ? '! ' : ''}${words[at]?.text ?? ''} ${list}`),
      );
      k = at + 1;
      continue;
    }
    if (t === 'reject-with' && target === 'REJECT') {
      flush();
      if (next !== undefined) rule.rejectWith = next;
      rule.targetOptions = true;
      k++;
      continue;
    }
    if (startsTargetText(t, target)) {
      // What the target prints (`MARK or 0x4000`, `LOG flags 0 level 4`): options of the action, no match.
      flush();
      rule.targetOptions = true;
      return;
    }
    unknown.push(t);
  }
  flush();
}
