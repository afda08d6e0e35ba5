// `nft list ruleset` text (and `list table`/`list chain`, `-a`, `-n`, `-s`, `-t`), and nft -f script syntax
// (`add rule …`, `define`, `include`): a hand-written tokenizer (quoted strings, braces, semicolons,
// `#` comments) feeding statements to the block they belong to. Every step is linear in the input; block
// nesting is bounded (a header line closes what is left open), value braces are a counter.

import type { NetfilterChain, NetfilterFamily } from '../model/types';
import { isBlankOrElision, truncate } from '../util/words';
import {
  asHook,
  BARE_META,
  CONTINUING_STATEMENTS,
  FAMILIES,
  NO_ELEMENTS,
  type NftValue,
  priorityValue,
  RELATIONAL_OPS,
  RuleBuilder,
  type RulesetState,
  type SetInfo,
  type TableState,
  xtExpression,
  xtHintType,
} from './nft-rule';
import type { Line } from './parser';

export type TokKind = 'word' | 'string' | '{' | '}' | ';' | 'xt';

export interface Tok {
  kind: TokKind;
  /** A word, a string's content without its quotes, a bracket, or the NAME of a `# xt_NAME` hint. */
  text: string;
  line: number;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Ends a word: white space, a quote, a brace, a semicolon or a comment. */
function endsWord(c: number): boolean {
  return isSpace(c) || c === 34 || c === 123 || c === 125 || c === 59 || c === 35;
}

/** Appends the tokens of one line to `out`; false when a quoted string runs to the end of the line. */
export function tokenizeLine(text: string, line: number, out: Tok[]): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 34) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === 34) break;
        else j++;
      }
      out.push({ kind: 'string', text: text.slice(i + 1, Math.min(j, n)), line });
      if (j >= n) return false;
      i = j + 1;
    } else if (c === 123 || c === 125 || c === 59) {
      const ch = c === 123 ? '{' : c === 125 ? '}' : ';';
      out.push({ kind: ch, text: ch, line });
      i++;
    } else if (c === 35) {
      // nft without libxtables prints iptables-nft's compat expressions as `# xt_NAME` in mid-rule.
      if (!text.startsWith(' xt_', i + 1)) return true; // a comment: `# handle 4`, `# Warning: …`
      let j = i + 5;
      while (j < n && !isSpace(text.charCodeAt(j))) j++;
      out.push({ kind: 'xt', text: text.slice(i + 5, j), line });
      i = j;
    } else {
      const start = i;
      while (i < n && !endsWord(text.charCodeAt(i))) i++;
      out.push({ kind: 'word', text: text.slice(start, i), line });
    }
  }
  return true;
}

/**
 * The tokens as text, strings quoted again: a rule's or a match's text. Joined from an array: a string built
 * by `+=` is a rope that keeps every piece (and 1.6 KB a rule).
 */
export function joinTokens(toks: readonly Tok[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to && i < toks.length; i++) {
    const t = toks[i] as Tok;
    const text = t.kind === 'string' ? `"${t.text}"` : t.kind === 'xt' ? `# xt_${t.text}` : t.text;
    // `"a", "b"`: a comma after a string is a word of its own, written back without the space.
    if (parts.length > 0 && t.kind === 'word' && t.text.startsWith(',')) parts[parts.length - 1] += text;
    else parts.push(text);
  }
  return parts.join(' ');
}

function wordAt(toks: readonly Tok[], i: number): string | undefined {
  const t = toks[i];
  return t?.kind === 'word' ? t.text : undefined;
}

/** A word or a string: a name (table, chain, set), a comment. */
function nameAt(toks: readonly Tok[], i: number): string | undefined {
  const t = toks[i];
  return t?.kind === 'word' || t?.kind === 'string' ? t.text : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Rule expressions

const VERDICTS: ReadonlySet<string> = new Set(['accept', 'drop', 'continue', 'return']);

/** Words that start a statement: what NAT and queue arguments run up to. */
const STATEMENTS: ReadonlySet<string> = new Set([
  ...VERDICTS,
  ...CONTINUING_STATEMENTS,
  'jump',
  'goto',
  'reject',
  'queue',
  'counter',
  'log',
  'comment',
  'limit',
  'quota',
  'fwd',
  'flow',
  'xt',
  'synproxy',
  'last',
]);

/** Payload protocols: `PROTO FIELD` reads a header field. */
const PAYLOAD: ReadonlySet<string> = new Set([
  'ip',
  'ip6',
  'tcp',
  'udp',
  'udplite',
  'sctp',
  'dccp',
  'th',
  'icmp',
  'icmpv6',
  'igmp',
  'ether',
  'vlan',
  'arp',
  'ah',
  'esp',
  'comp',
  'gre',
  'gretap',
  'geneve',
  'vxlan',
  'ipcomp',
]);

const EXTHDR: ReadonlySet<string> = new Set([
  'hbh',
  'rt0',
  'rt2',
  'rt4',
  'srh',
  'frag',
  'dst',
  'mh',
  'exthdr',
]);
const FIB_FLAGS: ReadonlySet<string> = new Set(['saddr', 'daddr', 'mark', 'iif', 'oif']);
const BINOPS: ReadonlySet<string> = new Set([
  '.',
  '&',
  '|',
  '^',
  'and',
  'or',
  'xor',
  '<<',
  '>>',
  'lshift',
  'rshift',
]);
const SUBFIELDS: ReadonlySet<string> = new Set([
  'kind',
  'length',
  'size',
  'value',
  'count',
  'left',
  'right',
  'tsval',
  'tsecr',
  'subtype',
  'type',
  'flags',
  'addr',
  'ptr',
]);
const LOG_OPTIONS: ReadonlySet<string> = new Set([
  'prefix',
  'level',
  'group',
  'snaplen',
  'queue-threshold',
  'flags',
]);
const LIMIT_WORDS: ReadonlySet<string> = new Set([
  'rate',
  'over',
  'until',
  'burst',
  'packets',
  'bytes',
  'kbytes',
  'mbytes',
  'gbytes',
  'used',
]);

const IDENT = /^[a-z][a-z0-9_-]{0,31}$/;

/** Reads the tokens of one rule into a RuleBuilder. */
class RuleReader {
  constructor(
    private readonly toks: readonly Tok[],
    private readonly rule: RuleBuilder,
    private readonly unknownWords: string[],
  ) {}

  private word(i: number): string | undefined {
    return wordAt(this.toks, i);
  }

  private name(i: number): string | undefined {
    return nameAt(this.toks, i);
  }

  private text(from: number, to: number): string {
    return joinTokens(this.toks, from, to);
  }

  /** The index after the `{ … }` group opening at `i` (the end of the tokens when it is not closed). */
  private afterGroup(i: number): number {
    let depth = 0;
    for (let j = i; j < this.toks.length; j++) {
      const k = this.toks[j]?.kind;
      if (k === '{') depth++;
      else if (k === '}' && --depth === 0) return j + 1;
    }
    return this.toks.length;
  }

  private afterToken(i: number): number {
    return this.toks[i]?.kind === '{' ? this.afterGroup(i) : i + 1;
  }

  read(from: number): void {
    let i = from;
    let unreadFrom = -1;
    const flush = (to: number): void => {
      if (unreadFrom === -1) return;
      const text = this.text(unreadFrom, to);
      this.rule.unreadableWords(text);
      this.unknownWords.push(text);
      unreadFrom = -1;
    };
    while (i < this.toks.length) {
      const next = this.piece(i);
      if (next === undefined) {
        if (unreadFrom === -1) unreadFrom = i;
        i = this.afterToken(i);
        continue;
      }
      flush(i);
      i = next;
    }
    flush(this.toks.length);
  }

  /** One match or statement at `i`: the index after it, or undefined when it is none. */
  private piece(i: number): number | undefined {
    const t = this.toks[i];
    if (t?.kind === 'xt') {
      xtExpression(this.rule, xtHintType(t.text), t.text, `# xt_${t.text}`);
      return i + 1;
    }
    const w = this.word(i);
    if (w === undefined) return undefined;
    const rule = this.rule;
    if (VERDICTS.has(w)) {
      rule.terminal(w as 'accept' | 'drop' | 'continue' | 'return');
      return i + 1;
    }
    switch (w) {
      case 'jump':
      case 'goto': {
        const target = this.name(i + 1);
        if (target === undefined) return undefined;
        rule.terminal(w, target);
        return i + 2;
      }
      case 'reject':
        return this.reject(i);
      case 'counter':
        return this.counter(i);
      case 'log': {
        let j = i + 1;
        while (LOG_OPTIONS.has(this.word(j) ?? '') && j + 1 < this.toks.length) j += 2;
        rule.statement('log');
        return j;
      }
      case 'comment': {
        const text = this.name(i + 1);
        if (text === undefined) return undefined;
        rule.setComment(text);
        return i + 2;
      }
      case 'limit':
      case 'quota': {
        let j = i + 1;
        while (j < this.toks.length) {
          const a = this.word(j) ?? '';
          if (a === 'name')
            j++; // `quota name "q1"`: the name is any word or string
          else if (!LIMIT_WORDS.has(a) && !/^\d/.test(a)) break;
          j++;
        }
        rule.unknownMatch(this.text(i, j), false);
        return j;
      }
      case 'queue':
      case 'fwd':
      case 'synproxy': {
        const j = this.untilStatement(i + 1);
        rule.terminal('unknown', w);
        return j;
      }
      case 'flow':
        rule.statement('flow offload');
        return this.untilStatement(i + 1);
      case 'last': {
        // `last used never` / `last used 3s ago`: when the rule last matched, no effect on the packet.
        let j = i + 1;
        while (/^(used|never|ago|\d.*)$/.test(this.word(j) ?? '')) j++;
        rule.read++;
        return j;
      }
      case 'xt': {
        const type = this.word(i + 1);
        const name = this.name(i + 2);
        if (type === undefined || name === undefined) return undefined;
        let j = i + 3;
        // Some versions append the extension's data in base64.
        if (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(this.word(j) ?? '')) j++;
        xtExpression(rule, type, name, this.text(i, j));
        return j;
      }
      case 'add':
      case 'update':
      case 'delete': {
        if (!(this.name(i + 1) ?? '').startsWith('@')) return undefined;
        const j = this.toks[i + 2]?.kind === '{' ? this.afterGroup(i + 2) : i + 2;
        rule.statement('set update');
        return j;
      }
      case 'meter': {
        let j = i + 2;
        if (this.word(j) === 'size') j += 2;
        j = this.toks[j]?.kind === '{' ? this.afterGroup(j) : j;
        rule.unknownMatch(this.text(i, j), false);
        return j;
      }
      default:
        if (CONTINUING_STATEMENTS.includes(w)) {
          rule.statement(w);
          return this.untilStatement(i + 1);
        }
        return this.expression(i);
    }
  }

  private reject(i: number): number {
    if (this.word(i + 1) !== 'with') {
      this.rule.reject(undefined);
      return i + 1;
    }
    const kind = this.word(i + 2);
    if (kind === 'tcp' && this.word(i + 3) === 'reset') {
      this.rule.reject('tcp reset');
      return i + 4;
    }
    // `with icmp host-prohibited` (nft ≥ 1.0) or `with icmp type host-prohibited` (older, iptables-nft).
    let j = i + 3;
    if (this.word(j) === 'type') j++;
    const code = this.word(j);
    if (kind === undefined || code === undefined || STATEMENTS.has(code)) {
      this.rule.reject(kind);
      return Math.min(j, i + 3);
    }
    this.rule.reject(`${kind} ${code}`);
    return j + 1;
  }

  private counter(i: number): number {
    const num = (j: number): number | undefined => {
      const w = this.word(j);
      if (w === undefined || !/^\d{1,20}$/.test(w)) return undefined;
      const n = Number(w);
      return Number.isSafeInteger(n) ? n : undefined;
    };
    if (this.word(i + 1) === 'packets' && this.word(i + 3) === 'bytes') {
      this.rule.counter(num(i + 2), num(i + 4));
      return i + 5;
    }
    this.rule.counter(undefined, undefined);
    // `counter name "x"`: a named counter, no figures here.
    return this.word(i + 1) === 'name' ? i + 3 : i + 1;
  }

  /** Arguments of a statement (NAT targets, queue numbers) run up to the next statement. */
  private untilStatement(i: number): number {
    let j = i;
    while (j < this.toks.length && !STATEMENTS.has(this.word(j) ?? '') && this.toks[j]?.kind !== 'xt') {
      j = this.afterToken(j);
    }
    return j;
  }

  /** The key of a selector at `i` (`ip saddr`, `meta iifname`, `ct state`, `fib daddr type`) and its end. */
  private selector(i: number): { key: string; end: number } | undefined {
    const w = this.word(i);
    if (w === undefined) return undefined;
    const next = this.word(i + 1);
    if (PAYLOAD.has(w)) {
      if (next === undefined || !IDENT.test(next)) return undefined;
      if (next === 'option' || next === 'chunk') {
        let j = i + 3;
        if (SUBFIELDS.has(this.word(j) ?? '')) j++;
        return { key: this.text(i, j), end: j };
      }
      return { key: `${w} ${next}`, end: i + 2 };
    }
    if (w === 'meta') {
      return next !== undefined && IDENT.test(next) ? { key: `meta ${next}`, end: i + 2 } : undefined;
    }
    if (BARE_META.has(w)) return { key: `meta ${w}`, end: i + 1 };
    switch (w) {
      case 'ct': {
        let j = i + 1;
        if (this.word(j) === 'original' || this.word(j) === 'reply') j++;
        if (this.word(j) === 'ip' || this.word(j) === 'ip6') j++;
        const key = this.word(j);
        if (key === undefined || !IDENT.test(key)) return undefined;
        return { key: this.text(i, j + 1), end: j + 1 };
      }
      case 'fib': {
        let j = i + 1;
        if (!FIB_FLAGS.has(this.word(j) ?? '')) return undefined;
        j++;
        while (this.word(j) === '.' && FIB_FLAGS.has(this.word(j + 1) ?? '')) j += 2;
        const result = this.word(j);
        if (result === 'oif' || result === 'oifname' || result === 'type') j++;
        return { key: 'fib', end: j };
      }
      case 'socket':
        return { key: 'socket', end: next === 'cgroupv2' ? i + 4 : i + 2 };
      case 'rt': {
        let j = i + 1;
        if (this.word(j) === 'ip' || this.word(j) === 'ip6') j++;
        return { key: 'rt', end: j + 1 };
      }
      case 'numgen':
      case 'symhash':
      case 'jhash': {
        // `numgen random mod 2 offset 1`, `jhash ip saddr . tcp dport mod 2 seed 0x1`: up to the modulus.
        let j = i + 1;
        while (j < this.toks.length && j < i + 64 && this.word(j) !== 'mod') j++;
        if (this.word(j) !== 'mod') return undefined;
        j += 2;
        while (this.word(j) === 'seed' || this.word(j) === 'offset') j += 2;
        return { key: w, end: j };
      }
      case 'osf': {
        let j = i + 1;
        if (this.word(j) === 'ttl') j += 2;
        return { key: 'osf', end: j + 1 };
      }
      case 'ipsec': {
        let j = i + 2;
        if (this.word(j) === 'spnum') j += 2;
        if (this.word(j) === 'ip' || this.word(j) === 'ip6') j++;
        return { key: 'ipsec', end: j + 1 };
      }
      default:
        if (EXTHDR.has(w)) return { key: w, end: w === 'exthdr' ? i + 3 : i + 2 };
        // Raw payload: `@th,16,16`, `@nh,96,32`.
        if (w.startsWith('@') && w.includes(',')) return { key: 'raw payload', end: i + 1 };
        return undefined;
    }
  }

  /** An operand of an expression: a selector, a `{ … }` group or one value. */
  private operand(i: number): number {
    const sel = this.selector(i);
    if (sel !== undefined) return sel.end;
    return this.afterToken(i);
  }

  /** `SELECTOR [op] VALUE`, `SELECTOR set VALUE`, `SELECTOR vmap { … }` at `i`. */
  private expression(i: number): number | undefined {
    const sel = this.selector(i);
    if (sel === undefined) return undefined;
    let j = sel.end;
    let compound = false;
    while (BINOPS.has(this.word(j) ?? '') && j + 1 < this.toks.length) {
      j = this.operand(j + 1);
      compound = true;
    }
    const w = this.word(j);
    if (w === 'set') {
      j = this.operand(j + 1);
      while (BINOPS.has(this.word(j) ?? '') || this.word(j) === 'map') j = this.operand(j + 1);
      this.rule.statement(`${sel.key} set`);
      return j;
    }
    if (w === 'vmap' || w === 'map') {
      const end = this.afterToken(j + 1);
      if (w === 'vmap') this.rule.terminal('unknown', 'vmap');
      else this.rule.unknownMatch(this.text(i, end), false);
      return end;
    }
    let op = '';
    if (w !== undefined && RELATIONAL_OPS.has(w)) {
      op = w;
      j++;
    }
    // `ct status dnat`: status bits share their names with statements.
    const value = this.value(j, sel.key === 'ct status');
    if (value === undefined) {
      // A selector with no value: nothing nft prints; keep it as a condition the evaluator cannot decide.
      this.rule.unknownMatch(this.text(i, j), false);
      return j;
    }
    const text = this.text(i, value.end);
    if (compound) this.rule.unknownMatch(text, false);
    else this.rule.match(sel.key, op, value.value, text);
    return value.end;
  }

  /** The value at `i`: a string, a word (a comma list, `@set`), or a `{ … }` group. */
  private value(i: number, anyWord = false): { value: NftValue; end: number } | undefined {
    const t = this.toks[i];
    if (t === undefined) return undefined;
    let value: NftValue;
    let end = i + 1;
    if (t.kind === 'string') value = { kind: 'list', items: [t.text] };
    else if (t.kind === '{') {
      end = this.afterGroup(i);
      const items = this.toks[end - 1]?.kind === '}' ? groupItems(this.toks, i + 1, end - 1) : undefined;
      value = items === undefined ? { kind: 'other' } : { kind: 'list', items };
    } else if (t.kind === 'word') {
      if (!anyWord && STATEMENTS.has(t.text)) return undefined;
      if (t.text.startsWith('@')) value = { kind: 'set', name: t.text.slice(1) };
      else if (t.text.startsWith('$')) value = { kind: 'other' };
      else value = { kind: 'list', items: t.text.split(',').filter((s) => s !== '') };
    } else return undefined;
    // `10.0.0.1 . 80` (a concatenation), `syn / syn,ack` (flags under a mask).
    while ((this.word(end) === '.' || this.word(end) === '/') && end + 1 < this.toks.length) {
      end = this.afterToken(end + 1);
      value = { kind: 'other' };
    }
    return { value, end };
  }
}

/** The elements of a `{ … }` group between `from` and `to` (exclusive), or undefined when one is not a literal. */
export function groupItems(toks: readonly Tok[], from: number, to: number): string[] | undefined {
  const items: string[] = [];
  let current: string | undefined;
  for (let k = from; k < to; k++) {
    const t = toks[k] as Tok;
    if (t.kind === 'string') {
      if (current !== undefined) return undefined;
      current = t.text;
    } else if (t.kind === 'word') {
      const parts = t.text.split(',');
      for (let p = 0; p < parts.length; p++) {
        if (p > 0) {
          if (current !== undefined) items.push(current);
          current = undefined;
        }
        const part = parts[p] ?? '';
        if (part === '') continue;
        // Two words in one element: `10.0.0.1 . 80`, `"eth0" : accept`, `10.0.0.1 timeout 1h`.
        if (current !== undefined) return undefined;
        current = part;
      }
    } else return undefined;
  }
  if (current !== undefined) items.push(current);
  return items;
}

// ---------------------------------------------------------------------------------------------------
// Blocks and statements

interface SetBuilder {
  info: SetInfo;
  map: boolean;
  dynamic: boolean;
  concat: boolean;
  items: string[] | undefined;
  complex: boolean;
}

type Block =
  | { kind: 'table'; table: TableState; line: number }
  | { kind: 'chain'; chain: NetfilterChain; table: TableState; line: number }
  | { kind: 'set'; set: SetBuilder; line: number }
  | { kind: 'object'; line: number };

const OBJECTS: ReadonlySet<string> = new Set([
  'flowtable',
  'counter',
  'quota',
  'limit',
  'secmark',
  'synproxy',
  'tunnel',
]);
const CT_OBJECTS: ReadonlySet<string> = new Set(['helper', 'timeout', 'expectation']);
const SCRIPT_ADD: ReadonlySet<string> = new Set(['add', 'create', 'insert', 'replace']);
const SCRIPT_OTHER: ReadonlySet<string> = new Set([
  'delete',
  'destroy',
  'flush',
  'reset',
  'rename',
  'list',
  'monitor',
  'describe',
  'export',
  'import',
]);
const SET_STATEMENTS: ReadonlySet<string> = new Set([
  'type',
  'typeof',
  'flags',
  'elements',
  'timeout',
  'gc-interval',
  'size',
  'policy',
  'auto-merge',
  'comment',
  'counter',
  'devices',
  'hook',
]);

/** `nft -n` error lines and `nft: command not found`, told apart from output. */
function errorMessage(text: string): string | undefined {
  const at = text.indexOf('Error: ');
  if (at !== -1 && at < 200 && /^[\w./:-]*\s?(?:netlink: )?$/.test(text.slice(0, at))) {
    return text.slice(at + 7).trim();
  }
  // Tested only on lines that can hold it: trimming every rule line of a big ruleset costs a string each.
  if (text.includes('nft: ') && /^\S{0,100}:? ?nft: (?:command )?not found\s*$/.test(text.trim()))
    return 'nft: command not found';
  return undefined;
}

const CARETS = /^\s*\^[\^~]*\s*$/;

export interface TextOptions {
  /** `-t`/`--terse`: sets are listed without their elements. */
  terse: boolean;
}

/** Reads nft text lines into `state`. */
export class TextReader {
  private readonly blocks: Block[] = [];
  private stmt: Tok[] = [];
  private stmtLine: Line | undefined;
  private depth = 0;
  private scriptNoted = false;
  private readonly definesNoted = new Set<string>();
  private readonly unknownReported = new Set<string>();
  private strayBraceLine: number | undefined;
  private readonly inserted = new Map<NetfilterChain, ReturnType<RuleBuilder['build']>[]>();
  private readonly implicitChains = new Set<string>();
  /** The last line that held content: where blocks left open end. */
  private last: number | undefined;
  /** An nft error message was read: the listing failed, at least in part. */
  failed = false;

  constructor(
    private readonly state: RulesetState,
    private readonly options: TextOptions,
  ) {}

  private get ledger(): RulesetState['ledger'] {
    return this.state.ledger;
  }

  read(lines: readonly Line[]): void {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as Line;
      if (isBlankOrElision(line.text)) {
        if (line.text.trim() !== '') this.state.partial('elided with ...');
        this.ledger.skip(line.line);
        continue;
      }
      if (this.stmt.length === 0) {
        const error = errorMessage(line.text);
        if (error !== undefined) {
          this.failed = true;
          this.state.note('nft error', line.line, `nft failed: ${truncate(error, 200)}`, 'warning');
          // nft echoes the command it could not run and marks the place with carets.
          const echo = lines[i + 1];
          const carets = lines[i + 2];
          if (echo !== undefined && carets !== undefined && CARETS.test(carets.text)) {
            this.ledger.skip(echo.line);
            this.ledger.skip(carets.line);
            i += 2;
          }
          continue;
        }
        if (line.text.includes('^') && CARETS.test(line.text)) {
          this.ledger.skip(line.line);
          continue;
        }
      }
      this.readLine(line);
    }
    this.finish();
  }

  private readLine(line: Line): void {
    const toks: Tok[] = [];
    if (!tokenizeLine(line.text, line.line, toks)) {
      this.state.note('open quote', line.line, 'nft: a quoted string is not closed on its line');
    }
    if (toks.length === 0) {
      this.ledger.skip(line.line);
      return;
    }
    // A line of nothing but `;` ends a statement and says nothing itself.
    if (toks.every((t) => t.kind === ';')) this.ledger.skip(line.line);
    this.closeLeftOpen(toks);
    this.last = line.line;
    for (const tok of toks) {
      if (this.stmt.length === 0) this.stmtLine = line;
      switch (tok.kind) {
        case '{':
          if (this.depth > 0) {
            this.depth++;
            this.stmt.push(tok);
          } else if (this.opensBlock()) {
            this.openBlock(tok.line);
          } else {
            this.depth = 1;
            this.stmt.push(tok);
          }
          break;
        case '}':
          if (this.depth > 0) {
            this.depth--;
            this.stmt.push(tok);
          } else {
            this.endStatement();
            this.closeBlock(tok.line);
          }
          break;
        case ';':
          this.endStatement();
          break;
        default:
          this.stmt.push(tok);
      }
    }
    if (this.depth === 0 || !this.continues()) this.endStatement();
  }

  /** May a statement with a `{` still open go on past the end of its line (`elements = { a,` …)? */
  private continues(): boolean {
    const inner = this.blocks[this.blocks.length - 1];
    if (inner !== undefined) return inner.kind === 'set' || inner.kind === 'object';
    const first = this.stmt[0]?.text;
    return first === 'add' || first === 'create' || first === 'define' || first === 'redefine';
  }

  /**
   * A `table F N {` line, or a `chain`/`set`/`map` header inside a chain or set, means the block before it was
   * never closed (a cut or garbled listing): close what is open so that the rest is read in its place.
   */
  private closeLeftOpen(toks: readonly Tok[]): void {
    const head = toks[0]?.kind === 'word' ? toks[0].text : undefined;
    if (head === undefined || toks[toks.length - 1]?.kind !== '{') return;
    const endLine = this.last ?? toks[0]?.line ?? 1;
    if (head === 'table' && toks.length <= 4) {
      if (this.blocks.length === 0 && this.depth === 0) return;
      this.endStatement();
      this.closeAll(endLine, 'the next table starts before it is closed');
      return;
    }
    if ((head !== 'chain' && head !== 'set' && head !== 'map') || toks.length !== 3) return;
    const inner = this.blocks[this.blocks.length - 1];
    if (inner === undefined || (inner.kind === 'table' && this.depth === 0)) return;
    this.endStatement();
    while (this.blocks.length > 0 && this.blocks[this.blocks.length - 1]?.kind !== 'table') {
      this.closeUnclosed(endLine, 'the next block starts before it is closed');
    }
  }

  private closeAll(endLine: number, why: string): void {
    while (this.blocks.length > 0) this.closeUnclosed(endLine, why);
  }

  private closeUnclosed(endLine: number, why: string): void {
    const block = this.blocks[this.blocks.length - 1];
    if (block === undefined) return;
    const what =
      block.kind === 'table'
        ? `table ${block.table.record.family} ${truncate(block.table.record.name, 60)}`
        : block.kind === 'chain'
          ? `chain ${truncate(block.chain.name, 60)}`
          : block.kind === 'set'
            ? `set ${truncate(block.set.info.name, 60)}`
            : 'block';
    this.state.note(
      'unclosed block',
      block.line,
      `nft: ${what} is not closed (${why}): the listing is cut or garbled`,
      'warning',
    );
    this.state.partial(`${what} is not closed`);
    this.closeBlock(Math.max(endLine, block.line));
  }

  private finish(): void {
    this.endStatement();
    this.closeAll(this.last ?? 1, 'the output ends');
    for (const [chain, rules] of this.inserted) chain.rules = [...rules.reverse(), ...chain.rules];
  }

  private word(i: number): string | undefined {
    return wordAt(this.stmt, i);
  }

  private nameAt(i: number): string | undefined {
    return nameAt(this.stmt, i);
  }

  /** `[FAMILY] NAME…` at `i`: the family (ip when none is written) and the index after it. */
  private family(i: number): { family: NetfilterFamily; next: number } {
    const w = this.word(i);
    return w !== undefined && FAMILIES.has(w) && this.stmt.length > i + 1
      ? { family: w as NetfilterFamily, next: i + 1 }
      : { family: 'ip', next: i };
  }

  private opensBlock(): boolean {
    const first = this.word(0);
    const inner = this.blocks[this.blocks.length - 1];
    if (inner === undefined) {
      if (first === 'table') return true;
      if (first !== 'add' && first !== 'create') return false;
      const what = this.word(1) ?? '';
      return (
        what === 'table' ||
        what === 'chain' ||
        what === 'set' ||
        what === 'map' ||
        OBJECTS.has(what) ||
        what === 'ct'
      );
    }
    if (inner.kind !== 'table') return false;
    return (
      first === 'chain' ||
      first === 'set' ||
      first === 'map' ||
      OBJECTS.has(first ?? '') ||
      (first === 'ct' && CT_OBJECTS.has(this.word(1) ?? ''))
    );
  }

  private openBlock(braceLine: number): void {
    const start = this.stmt[0]?.line ?? braceLine;
    const inner = this.blocks[this.blocks.length - 1];
    const first = this.word(0);
    const loc = this.ledger.loc(start);
    let block: Block | undefined;
    if (inner === undefined && first === 'table') {
      const table = this.tableHeader(1, start);
      if (table !== undefined) block = { kind: 'table', table, line: start };
    } else if (inner === undefined) {
      block = this.scriptBlock(start);
    } else if (inner.kind === 'table') {
      const name = this.nameAt(1);
      if (first === 'chain' && name !== undefined && this.stmt.length === 2) {
        // A script declares a chain again to add to it; a listing lists each chain once.
        const known = this.scriptNoted ? inner.table.chains.get(name) : undefined;
        const chain = known ?? this.state.addChain(inner.table, name, loc);
        block = { kind: 'chain', chain, table: inner.table, line: start };
      } else if ((first === 'set' || first === 'map') && name !== undefined && this.stmt.length === 2) {
        block = { kind: 'set', set: this.newSet(inner.table, name, first === 'map'), line: start };
      } else if (first !== 'chain' && first !== 'set' && first !== 'map') {
        block = { kind: 'object', line: start };
      }
    }
    if (block === undefined) {
      this.state.note(
        'block header',
        start,
        `nft: unreadable block header: ${truncate(joinTokens(this.stmt, 0, 8), 120)}`,
      );
      block = { kind: 'object', line: start };
    }
    if (block.kind === 'object') this.skipStatementLines();
    this.blocks.push(block);
    this.stmt = [];
    this.depth = 0;
  }

  /** `table [FAMILY] NAME` from word `i`: a new table (in a script, the one of that name so far). */
  private tableHeader(i: number, line: number): TableState | undefined {
    const { family, next } = this.family(i);
    const name = this.nameAt(next);
    if (name === undefined || this.stmt.length !== next + 1) return undefined;
    if (this.scriptNoted) return this.scriptTable(family, name, line);
    return this.state.addTable(family, name, this.ledger.loc(line));
  }

  /** `add table|chain|set … {` in an nft -f script. */
  private scriptBlock(start: number): Block | undefined {
    this.noteScript(start);
    const what = this.word(1);
    if (what === 'table') {
      const table = this.tableHeader(2, start);
      return table === undefined ? undefined : { kind: 'table', table, line: start };
    }
    if (what === 'chain' || what === 'set' || what === 'map') {
      const { family, next } = this.family(2);
      const tableName = this.nameAt(next);
      const name = this.nameAt(next + 1);
      if (tableName === undefined || name === undefined || this.stmt.length !== next + 2) return undefined;
      const table = this.scriptTable(family, tableName, start);
      if (what !== 'chain')
        return { kind: 'set', set: this.newSet(table, name, what === 'map'), line: start };
      const chain = table.chains.get(name) ?? this.state.addChain(table, name, this.ledger.loc(start));
      return { kind: 'chain', chain, table, line: start };
    }
    return { kind: 'object', line: start };
  }

  private scriptTable(family: NetfilterFamily, name: string, line: number): TableState {
    return this.state.find(family, name) ?? this.state.addTable(family, name, this.ledger.loc(line));
  }

  private newSet(table: TableState, name: string, map: boolean): SetBuilder {
    const info: SetInfo = { name, elements: undefined, why: 'is not closed' };
    table.sets.set(name, info);
    return { info, map, dynamic: false, concat: false, items: undefined, complex: false };
  }

  private closeBlock(line: number): void {
    const block = this.blocks.pop();
    if (block === undefined) {
      // One note a line, however many braces it holds.
      if (this.strayBraceLine !== line)
        this.state.note('stray brace', line, 'nft: a closing brace with no block open');
      this.strayBraceLine = line;
      return;
    }
    const loc = this.ledger.loc(block.line, line);
    switch (block.kind) {
      case 'table':
        if (block.table.record.loc.line === block.line) block.table.record.loc = loc;
        else this.skipLines(block.line, line);
        break;
      case 'chain':
        if (block.chain.loc.line === block.line) block.chain.loc = loc;
        else this.skipLines(block.line, line);
        break;
      case 'set':
        this.settleSet(block.set);
        if (this.blocks.length === 0) this.skipLines(block.line, line);
        break;
      case 'object':
        this.ledger.skip(line);
        break;
    }
  }

  private settleSet(set: SetBuilder): void {
    const info = set.info;
    delete info.why;
    if (set.map) info.why = 'is a map';
    else if (set.dynamic) info.why = 'is filled from the packet path (dynamic, timeout)';
    else if (set.concat) info.why = 'holds concatenations';
    else if (set.complex) info.why = 'holds elements that are not literals';
    else if (set.items === undefined || set.items.length === 0) {
      info.why = this.options.terse ? 'is listed without its elements (-t)' : NO_ELEMENTS;
    } else info.elements = set.items;
  }

  private skipStatementLines(): void {
    const first = this.stmt[0]?.line;
    const last = this.stmt[this.stmt.length - 1]?.line;
    if (first !== undefined && last !== undefined) this.skipLines(first, last);
  }

  private skipLines(first: number, last: number): void {
    for (let l = first; l <= last; l++) this.ledger.skip(l);
  }

  private endStatement(): void {
    const toks = this.stmt;
    if (toks.length === 0) return;
    if (this.depth > 0) {
      this.state.note('open brace', toks[0]?.line ?? 1, 'nft: a brace is not closed in this statement');
      this.depth = 0;
    }
    const inner = this.blocks[this.blocks.length - 1];
    if (inner === undefined) this.topStatement();
    else if (inner.kind === 'table') this.tableStatement(inner.table);
    else if (inner.kind === 'chain') this.chainStatement(inner.chain, inner.table);
    else if (inner.kind === 'set') this.setStatement(inner.set);
    else this.skipStatementLines();
    // A statement over several lines: its first line holds its record or note, the others go with it.
    const first = toks[0]?.line;
    const last = toks[toks.length - 1]?.line;
    if (first !== undefined && last !== undefined && last > first) this.skipLines(first + 1, last);
    this.stmt = [];
  }

  private unrecognized(what: string): void {
    const line = this.stmtLine;
    const first = this.stmt[0]?.line;
    if (line !== undefined && line.line === first) this.ledger.unrecognized(line, what);
    else
      this.state.note(
        'unrecognized',
        first ?? 1,
        `Unrecognized ${what} line: ${truncate(joinTokens(this.stmt, 0, 20), 120)}`,
      );
  }

  private topStatement(): void {
    const first = this.word(0);
    const start = this.stmt[0]?.line ?? 1;
    if (first === 'table') {
      // `nft list tables`: a name, no contents (in a script: a table declared with nothing in it yet).
      const table = this.tableHeader(1, start);
      if (table === undefined) this.unrecognized('nft');
      else if (this.scriptNoted) {
        if (table.record.loc.line !== start) this.skipStatementLines();
      } else this.state.partial('table names only (nft list tables)');
      return;
    }
    if (first === undefined) {
      this.unrecognized('nft');
      return;
    }
    if (SCRIPT_ADD.has(first)) {
      this.scriptAdd(first, start);
      return;
    }
    if (first === 'define' || first === 'redefine' || first === 'undefine') {
      this.noteScript(start);
      const name = this.nameAt(1) ?? '';
      if (!this.definesNoted.has(name)) {
        this.definesNoted.add(name);
        this.state.note(
          'define',
          start,
          `nft script: ${first} ${truncate(name, 60)}: rules using $${truncate(name, 60)} are read as unknown matches`,
        );
      } else this.skipStatementLines();
      return;
    }
    if (first === 'include') {
      this.noteScript(start);
      const file = this.nameAt(1) ?? '';
      this.state.note(
        'include',
        start,
        `nft script: include ${truncate(file, 100)}: the rules it holds are not shown here`,
      );
      this.state.partial(`include ${truncate(file, 100)}`);
      return;
    }
    if (first === 'flush' && this.word(1) === 'ruleset' && this.stmt.length === 2) {
      this.noteScript(start);
      this.skipStatementLines();
      return;
    }
    if (SCRIPT_OTHER.has(first)) {
      this.noteScript(start);
      this.state.note(
        'script not applied',
        start,
        `nft script: \`${truncate(joinTokens(this.stmt, 0, 8), 100)}\` is not applied: the rule set may differ`,
      );
      return;
    }
    this.unrecognized('nft');
  }

  private noteScript(line: number): void {
    if (this.scriptNoted) return;
    this.scriptNoted = true;
    this.ledger.report(
      line,
      'nft script (nft -f) syntax: the rules it would load, not necessarily those in the kernel',
    );
  }

  /** `add|insert|create|replace rule|chain|table|element …` with no block. */
  private scriptAdd(verb: string, start: number): void {
    this.noteScript(start);
    const what = this.word(1);
    const { family, next } = this.family(2);
    if (what === 'table' && this.nameAt(next) !== undefined && this.stmt.length === next + 1) {
      if (this.state.find(family, this.nameAt(next) ?? '') === undefined)
        this.scriptTable(family, this.nameAt(next) ?? '', start);
      else this.skipStatementLines();
      return;
    }
    const tableName = this.nameAt(next);
    const name = this.nameAt(next + 1);
    if (tableName === undefined || name === undefined) {
      this.unrecognized('nft script');
      return;
    }
    if (what === 'chain' && this.stmt.length === next + 2) {
      const table = this.scriptTable(family, tableName, start);
      if (!table.chains.has(name)) this.state.addChain(table, name, this.ledger.loc(start));
      else this.skipStatementLines();
      return;
    }
    if (what === 'element') {
      const table = this.scriptTable(family, tableName, start);
      const set = table.sets.get(name);
      const open = next + 2;
      const items =
        this.stmt[open]?.kind === '{' ? groupItems(this.stmt, open + 1, this.stmt.length - 1) : undefined;
      if (
        set !== undefined &&
        items !== undefined &&
        (set.elements !== undefined || set.why === NO_ELEMENTS)
      ) {
        const elements = set.elements ?? [];
        for (const item of items) elements.push(item);
        set.elements = elements;
        delete set.why;
      } else if (set !== undefined) {
        set.elements = undefined;
        set.why ??= 'holds elements that are not literals';
      }
      this.skipStatementLines();
      return;
    }
    if (what !== 'rule' || verb === 'replace' || verb === 'create') {
      this.state.note(
        'script not applied',
        start,
        `nft script: \`${truncate(joinTokens(this.stmt, 0, 8), 100)}\` is not applied: the rule set may differ`,
      );
      return;
    }
    const table = this.scriptTable(family, tableName, start);
    let chain = table.chains.get(name);
    if (chain === undefined) {
      chain = this.state.addChain(table, name, this.ledger.loc(start));
      const key = `${family} ${tableName} ${name}`;
      if (!this.implicitChains.has(key)) {
        this.implicitChains.add(key);
        this.state.note(
          'script chain',
          start,
          `nft script: chain ${truncate(name, 60)} is used before it is added`,
        );
      }
    }
    let from = next + 2;
    if (['position', 'index', 'handle'].includes(this.word(from) ?? '')) {
      this.state.note(
        'script position',
        start,
        `nft script: ${verb} rule at a ${this.word(from) ?? ''}: placed at the ${verb === 'insert' ? 'start' : 'end'} of the chain`,
      );
      from += 2;
    }
    const rule = this.readRule(from, table, start);
    if (rule === undefined) return;
    if (verb === 'insert') {
      const list = this.inserted.get(chain) ?? [];
      list.push(rule);
      this.inserted.set(chain, list);
    } else chain.rules.push(rule);
  }

  private tableStatement(table: TableState): void {
    const first = this.word(0);
    if (first === 'comment') {
      this.skipStatementLines();
      return;
    }
    if (first === 'flags') {
      if (this.stmt.some((t) => t.kind === 'word' && t.text.split(',').includes('dormant'))) {
        table.dormant = this.stmt[0]?.line ?? 1;
      }
      this.skipStatementLines();
      return;
    }
    this.unrecognized('nft table');
  }

  private chainStatement(chain: NetfilterChain, table: TableState): void {
    const first = this.word(0);
    const start = this.stmt[0]?.line ?? 1;
    if (first === 'type') {
      this.chainType(chain, table);
      return;
    }
    if (first === 'policy') {
      this.policy(chain, 0);
      return;
    }
    if (
      (first === 'comment' && this.stmt.length === 2) ||
      first === 'devices' ||
      first === 'device' ||
      first === 'flags'
    ) {
      this.skipStatementLines();
      return;
    }
    const rule = this.readRule(0, table, start);
    if (rule !== undefined) chain.rules.push(rule);
  }

  /** `type filter hook forward [device D] priority filter + 10 [policy drop]`. */
  private chainType(chain: NetfilterChain, table: TableState): void {
    const start = this.stmt[0]?.line ?? 1;
    const hookAt = this.stmt.findIndex((t) => t.kind === 'word' && t.text === 'hook');
    const priorityAt = this.stmt.findIndex((t) => t.kind === 'word' && t.text === 'priority');
    const policyAt = this.stmt.findIndex((t) => t.kind === 'word' && t.text === 'policy');
    const hookName = hookAt === -1 ? undefined : this.word(hookAt + 1);
    const hook = hookName === undefined ? undefined : asHook(hookName);
    if (hook === undefined) {
      this.state.note(
        'chain hook',
        start,
        `nft: chain ${truncate(chain.name, 60)} has no hook this reader knows: ${truncate(joinTokens(this.stmt, 0, 12), 120)}`,
      );
    } else chain.hook = hook;
    // `type nat` chains rewrite addresses; only `filter` (and `route`) chains filter.
    const type = this.word(1);
    if (type === 'filter' || type === 'nat' || type === 'route') chain.type = type;
    if (priorityAt !== -1) {
      const end = policyAt > priorityAt ? policyAt : this.stmt.length;
      const text = joinTokens(this.stmt, priorityAt + 1, end);
      const priority = priorityValue(table.record.family, text);
      if (priority === undefined) {
        this.state.note(
          'chain priority',
          start,
          `nft: chain ${truncate(chain.name, 60)}: unreadable priority ${truncate(text, 60)}`,
        );
      } else chain.priority = priority;
    }
    if (policyAt !== -1) this.policy(chain, policyAt);
  }

  private policy(chain: NetfilterChain, at: number): void {
    const value = this.word(at + 1);
    const line = this.stmt[at]?.line ?? 1;
    if (value === 'accept' || value === 'drop') {
      chain.policy = value;
      chain.policyLoc = this.ledger.loc(line);
    } else {
      this.state.note(
        'chain policy',
        line,
        `nft: chain ${truncate(chain.name, 60)}: unreadable policy ${truncate(value ?? '', 60)}`,
      );
    }
  }

  private setStatement(set: SetBuilder): void {
    const first = this.word(0) ?? '';
    if (!SET_STATEMENTS.has(first)) {
      this.unrecognized('nft set');
      return;
    }
    if (first === 'type' || first === 'typeof') {
      if (this.stmt.some((t) => t.kind === 'word' && t.text === '.')) set.concat = true;
    } else if (first === 'flags') {
      const flags = this.stmt.slice(1).flatMap((t) => t.text.split(','));
      if (flags.includes('dynamic') || flags.includes('timeout')) set.dynamic = true;
    } else if (first === 'timeout') {
      set.dynamic = true;
    } else if (first === 'elements') {
      const open = this.stmt.findIndex((t) => t.kind === '{');
      const close = this.stmt.length - 1;
      const items =
        open !== -1 && this.stmt[close]?.kind === '}' ? groupItems(this.stmt, open + 1, close) : undefined;
      if (items === undefined) set.complex = true;
      else {
        set.items ??= [];
        for (const item of items) set.items.push(item);
      }
    }
    this.skipStatementLines();
  }

  /** One rule from the statement's tokens at `from`: undefined (and reported) when nothing in it is nft. */
  private readRule(
    from: number,
    table: TableState,
    start: number,
  ): ReturnType<RuleBuilder['build']> | undefined {
    const builder = new RuleBuilder(this.state, table, start);
    const unknown: string[] = [];
    new RuleReader(this.stmt, builder, unknown).read(from);
    if (builder.read === 0) {
      this.unrecognized('nft rule');
      return undefined;
    }
    const fresh = unknown.filter((w) => !this.unknownReported.has(w));
    if (fresh.length > 0) {
      for (const w of fresh) this.unknownReported.add(w);
      const shown = fresh.slice(0, 10).map((w) => `"${truncate(w, 80)}"`);
      this.state.note(
        'unknown words',
        start,
        `nft rule: unrecognized ${shown.join(', ')}: read as an unknown match, the verdict may be unknown`,
      );
    }
    const end = this.stmt[this.stmt.length - 1]?.line ?? start;
    return builder.build(this.ledger.loc(start, end), joinTokens(this.stmt, from, this.stmt.length));
  }
}
