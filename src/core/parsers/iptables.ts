// iptables listings, both backends (legacy and nf_tables) and both families: `iptables-save [-c] [-t T]`
// and its ip6tables/-legacy/-nft variants, `iptables -S [CHAIN] [-v]`, `iptables -L [CHAIN] [-n] [-v] [-x]
// [--line-numbers] [-t T]`, and `iptables -V`. Each listing becomes a NetfilterRuleset (tables → chains →
// rules, see iptables-rules.ts for one rule); `-V` becomes an IptablesVersion.
//
// A listing that does not show everything says so in NetfilterRuleset.partial (and the ledger): one chain,
// a table other than filter, `| grep`, `...`, a table iptables-nft cannot show, rule lines that could not be
// read, jumps into chains it does not list. A rule line that cannot be read at all (an `-L` row without its
// columns, `-A` without a chain) is a warning and makes the rule set partial rather than becoming a guessed
// rule: the chain may hold a rule the evaluator does not see, so nothing it lacks proves absence.

import type {
  IptablesVersion,
  NetfilterChain,
  NetfilterFamily,
  NetfilterHook,
  NetfilterRule,
  NetfilterRuleset,
  NetfilterSource,
  NetfilterTable,
  SourceLocation,
} from '../model/types';
import { basename } from '../util/argv';
import { isBlankOrElision, isElision, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import {
  type ArgToken,
  isKnownTarget,
  MAX_RULE_WORDS,
  type ListLayout,
  readCount,
  readListHeader,
  readListRow,
  readRuleArgs,
  type RuleRead,
  splitArgs,
  verdictOf,
} from './iptables-rules';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

// ---------------------------------------------------------------------------------------------------
// Tables

type Hook = readonly [NetfilterHook, number];

/** The built-in chains of each iptables table: their hook and the table's priority there. */
const TABLES: ReadonlyMap<string, ReadonlyMap<string, Hook>> = new Map<string, Map<string, Hook>>([
  [
    'filter',
    new Map<string, Hook>([
      ['INPUT', ['input', 0]],
      ['FORWARD', ['forward', 0]],
      ['OUTPUT', ['output', 0]],
    ]),
  ],
  [
    'nat',
    new Map<string, Hook>([
      ['PREROUTING', ['prerouting', -100]],
      ['INPUT', ['input', 100]],
      ['OUTPUT', ['output', -100]],
      ['POSTROUTING', ['postrouting', 100]],
    ]),
  ],
  [
    'mangle',
    new Map<string, Hook>([
      ['PREROUTING', ['prerouting', -150]],
      ['INPUT', ['input', -150]],
      ['FORWARD', ['forward', -150]],
      ['OUTPUT', ['output', -150]],
      ['POSTROUTING', ['postrouting', -150]],
    ]),
  ],
  [
    'raw',
    new Map<string, Hook>([
      ['PREROUTING', ['prerouting', -300]],
      ['OUTPUT', ['output', -300]],
    ]),
  ],
  [
    'security',
    new Map<string, Hook>([
      ['INPUT', ['input', 50]],
      ['FORWARD', ['forward', 50]],
      ['OUTPUT', ['output', 50]],
    ]),
  ],
]);

const BUILTIN_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/**
 * The table a listing that does not name it shows, from its built-in chains: only mangle has all five, nat has
 * POSTROUTING (and INPUT), raw only PREROUTING and OUTPUT; INPUT/FORWARD/OUTPUT alone is filter.
 */
function guessTable(builtins: ReadonlySet<string>): string {
  if (builtins.has('PREROUTING') || builtins.has('POSTROUTING')) {
    if (builtins.has('FORWARD')) return 'mangle';
    if (builtins.has('POSTROUTING') || builtins.has('INPUT')) return 'nat';
    return 'raw';
  }
  return 'filter';
}

// ---------------------------------------------------------------------------------------------------
// Commands

/** What an iptables command line asks for. */
export interface IptablesCommand {
  family: 'ip' | 'ip6';
  /** The backend the program's name says (`iptables-nft`, `iptables-legacy-save`), else `iptables`. */
  source: NetfilterSource;
  mode: 'save' | 'list' | 'rules' | 'version';
  table?: string;
  /** `-L CHAIN` / `-S CHAIN`, and a rule number after it. */
  chain?: string;
  ruleNumber?: string;
}

const PROGRAM = /^(ip6?)tables(?:-(legacy|nft))?(-save)?$/;
const MULTI = /^xtables-(legacy|nft)-multi$/;

/** Commands of the listing tools that change rules (or print help): not a listing. */
const CHANGING_LETTERS = new Set('AIDRFNXPECh'.split(''));
const CHANGING_LONG = new Set([
  'append',
  'insert',
  'delete',
  'replace',
  'flush',
  'new-chain',
  'delete-chain',
  'policy',
  'rename-chain',
  'check',
  'help',
]);

export function readIptablesCommand(argv: readonly string[]): IptablesCommand | undefined {
  let words = argv;
  let backend: string | undefined;
  const multi = MULTI.exec(basename(words[0] ?? ''));
  if (multi) {
    backend = multi[1];
    words = words.slice(1);
  }
  const program = PROGRAM.exec(basename(words[0] ?? ''));
  if (!program) return undefined;
  backend = program[2] ?? backend;
  const source: NetfilterSource =
    backend === 'nft' ? 'iptables-nft' : backend === 'legacy' ? 'iptables-legacy' : 'iptables';
  const save = program[3] !== undefined;
  const out: IptablesCommand = { family: program[1] === 'ip6' ? 'ip6' : 'ip', source, mode: 'save' };
  let mode: IptablesCommand['mode'] | undefined = save ? 'save' : undefined;
  const operands: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = w.slice(2, eq === -1 ? undefined : eq);
      const value = (): string | undefined => (eq !== -1 ? w.slice(eq + 1) : words[++i]);
      if (name === 'table') {
        const table = value();
        if (table !== undefined) out.table = table;
      } else if (name === 'version') mode = 'version';
      else if (!save && name === 'list') mode = 'list';
      else if (!save && name === 'list-rules') mode = 'rules';
      else if (name === 'modprobe' || name === 'file' || name === 'wait-interval') value();
      else if (name === 'wait' && eq === -1 && /^\d+$/.test(words[i + 1] ?? '')) i++;
      else if (CHANGING_LONG.has(name) || name === '') return undefined;
      continue;
    }
    if (w.length > 1 && w.startsWith('-')) {
      for (let k = 1; k < w.length; k++) {
        const letter = w.charAt(k);
        if (letter === 't' || letter === 'M' || letter === 'W' || (save && letter === 'f')) {
          const value = k + 1 < w.length ? w.slice(k + 1) : words[++i];
          if (letter === 't' && value !== undefined) out.table = value;
          break;
        }
        if (letter === 'w') {
          if (k + 1 === w.length && /^\d+$/.test(words[i + 1] ?? '')) i++;
          break;
        }
        if (letter === 'V') mode = 'version';
        else if (!save && letter === 'L') mode = 'list';
        else if (!save && letter === 'S') mode = 'rules';
        else if (CHANGING_LETTERS.has(letter)) return undefined;
      }
      continue;
    }
    operands.push(w);
  }
  if (mode === undefined) return undefined;
  out.mode = mode;
  if (!save && operands[0] !== undefined) out.chain = operands[0];
  if (!save && operands[1] !== undefined) out.ruleNumber = operands[1];
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Line shapes

/** `# Generated by iptables-nft-save v1.8.9 (nf_tables) on Wed Dec  2 12:46:49 2026` */
const GENERATED = /^# Generated by ((?:ip6?tables|xtables)(?:-legacy|-nft)?-save) (.*)$/;
const COMPLETED = /^# Completed on /;
/** iptables-nft, when the namespace also has legacy tables (to stderr; `-L`/`-S` say `iptables-legacy`). */
const LEGACY_WARNING =
  /^# Warning: ip6?tables-legacy tables present, use ip6?tables-legacy(?:-save)? to see them\s*$/;
/** iptables-nft, for nftables tables it cannot show in full. */
const INCOMPATIBLE = /^# Table `([^']{1,64})' (?:is incompatible|contains incompatible base-chains)/;
const TABLE_LINE = /^\*(\S+)\s*$/;
const CHAIN_DECLARATION = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/;

/** `[packets:bytes] ` before a rule of `iptables-save -c`: where its `:`, `]` and the rule stand. */
function countersPrefix(text: string): { colon: number; close: number; end: number } | undefined {
  let i = 1;
  while (isDigit(text.charCodeAt(i))) i++;
  const colon = i;
  if (colon === 1 || text.charCodeAt(colon) !== 58) return undefined;
  i++;
  while (isDigit(text.charCodeAt(i))) i++;
  const close = i;
  if (close === colon + 1 || text.charCodeAt(close) !== 93) return undefined;
  i++;
  // `\s+` as the pattern it replaces had it: at least one white space character.
  while (i < text.length && /\s/.test(text.charAt(i))) i++;
  return i === close + 1 ? undefined : { colon, close, end: i };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** `Chain FORWARD (policy DROP 12 packets, 840 bytes)` / `Chain DOCKER (1 references)` */
const LIST_CHAIN =
  /^Chain (\S+) \((?:policy (\S+)(?: (\d+[KMGT]?) packets, (\d+[KMGT]?) bytes)?|(\d+) references)\)\s*$/;
/** `iptables v1.8.9 (nf_tables)`, `ip6tables v1.8.7 (legacy)`, `iptables-save v1.8.9`, `iptables v1.4.21`. */
const VERSION =
  /^(ip6?tables|xtables)(?:-(?:legacy|nft))?(?:-save|-restore)?(?:-multi)? v(\d+(?:\.\d+){1,3})(?: \((nf_tables|legacy)\))?\s*$/;
/** What iptables prints when it fails (the listing then shows less, or nothing). */
const ERRORS = [
  /^(?:ip6?tables|xtables)[\w-]*(?: v[\d.]+(?: \(\w+\))?)?: \S/,
  /^(?:Fatal: |Another app is currently holding the xtables lock|Perhaps ip6?tables or your kernel needs to be upgraded|Try `ip6?tables|can't initialize ip6?tables table|modprobe: )/,
  /^\S+: (?:line \d+: )?(?:ip6?tables|xtables)[\w-]*: (?:command )?not found/,
];

function isError(text: string): boolean {
  return ERRORS.some((re) => re.test(text));
}

// ---------------------------------------------------------------------------------------------------
// Reading

interface TableDraft {
  table: NetfilterTable;
  /** The name comes from the listing (`*nat`) or the command, not from a guess. */
  named: boolean;
  chains: Map<string, NetfilterChain>;
  first: number;
  last: number;
  /** `COMMIT` seen (save form). */
  closed: boolean;
}

interface RulesetDraft {
  form: 'save' | 'rules' | 'list';
  /** The program of the `# Generated by` line, and whether it says nf_tables. */
  program?: string;
  nftables?: boolean;
  ipv6: boolean;
  legacyTablesPresent?: SourceLocation;
  tables: TableDraft[];
  first: number;
  last: number;
  reasons: string[];
  /** `-L`: the chain whose rows follow, and the columns of its header. */
  listChain?: NetfilterChain;
  layout?: ListLayout;
}

class Reader {
  private readonly drafts: RulesetDraft[] = [];
  private current: RulesetDraft | undefined;
  /** A `# Generated by` line not yet used: it heads the next `*table`. */
  private generator: { program: string; nftables: boolean; line: number } | undefined;
  private pendingWarning: SourceLocation | undefined;
  private readonly sectionReasons: string[] = [];
  private version: IptablesVersion | undefined;
  private readonly reportedTargets = new Set<string>();
  /** The word objects of rule lines, reused line after line (no token outlives its line). */
  private readonly tokenPool: ArgToken[] = [];

  constructor(
    private readonly ledger: Ledger,
    private readonly command: IptablesCommand | undefined,
  ) {}

  read(lines: readonly Line[]): void {
    for (const line of lines) this.readLine(line);
  }

  private readLine(line: Line): void {
    const text = line.text;
    if (isBlankOrElision(text)) {
      // A `...` leaves rules out; a blank line ends an -L chain block (rows follow their header unbroken).
      if (isElision(text)) this.reason('elided with ...');
      else if (this.current !== undefined) delete this.current.listChain;
      this.ledger.skip(line.line);
      return;
    }
    const trimmed = text.trim();
    const c = trimmed.charCodeAt(0);
    if (c === 35 /* # */) return this.comment(line, trimmed);
    if (c === 42 /* * */ && TABLE_LINE.test(trimmed)) return this.saveTable(line, trimmed.slice(1));
    if (c === 58 /* : */ && this.chainDeclaration(line, trimmed)) return;
    if (trimmed === 'COMMIT') return this.commit(line);
    if (c === 45 /* - */ || c === 91 /* [ */) {
      if (this.argsLine(line, trimmed)) return;
    }
    if (c === 67 /* C */ && this.listChain(line, trimmed)) return;
    if (this.listHeader(line, text)) return;
    if (this.versionLine(line, trimmed)) return;
    if (isError(trimmed)) {
      this.ledger.report(line.line, `iptables error: ${truncate(trimmed, 160)}`, 'warning');
      this.reason('iptables reported an error');
      return;
    }
    const draft = this.current;
    if (draft?.listChain !== undefined) return this.listRow(line, draft, draft.listChain);
    this.ledger.unrecognized(line, 'iptables');
  }

  private reason(reason: string, draft: RulesetDraft | undefined = undefined): void {
    const list = draft?.reasons ?? this.sectionReasons;
    if (!list.includes(reason)) list.push(reason);
  }

  // --- comments ---

  private comment(line: Line, text: string): void {
    const generated = GENERATED.exec(text);
    if (generated) {
      this.generator = {
        program: generated[1] ?? '',
        nftables: (generated[2] ?? '').includes('(nf_tables)'),
        line: line.line,
      };
      this.ledger.skip(line.line);
      return;
    }
    if (LEGACY_WARNING.test(text)) {
      const loc = this.ledger.loc(line.line);
      // iptables-save prints it after its tables; -L and -S before theirs.
      const draft = this.current;
      if (draft?.form === 'save' && draft.legacyTablesPresent === undefined) {
        draft.legacyTablesPresent = loc;
        draft.last = Math.max(draft.last, line.line);
      } else {
        this.pendingWarning = loc;
      }
      this.ledger.skip(line.line);
      return;
    }
    const incompatible = INCOMPATIBLE.exec(text);
    if (incompatible) {
      const table = incompatible[1] ?? '';
      this.ledger.report(
        line.line,
        `iptables-nft cannot show all of table ${table}: it holds nftables rules or chains only \`nft list ruleset\` shows`,
        'warning',
      );
      this.reason(`table ${table} holds nftables rules iptables cannot show`);
      return;
    }
    // `# Completed on …` ends a save's table; other comments (kept in saved rules files) say nothing.
    const draft = this.current;
    if (COMPLETED.test(text) && draft?.form === 'save' && draft.tables.at(-1)?.closed === true) {
      draft.last = Math.max(draft.last, line.line);
    }
    this.ledger.skip(line.line);
  }

  // --- rule sets and tables ---

  private newDraft(form: RulesetDraft['form'], line: number): RulesetDraft {
    const draft: RulesetDraft = { form, ipv6: false, tables: [], first: line, last: line, reasons: [] };
    if (this.pendingWarning !== undefined) {
      draft.legacyTablesPresent = this.pendingWarning;
      draft.first = Math.min(draft.first, this.pendingWarning.line);
      this.pendingWarning = undefined;
    }
    this.drafts.push(draft);
    this.current = draft;
    return draft;
  }

  private newTable(draft: RulesetDraft, name: string | undefined, line: number): TableDraft {
    const table: TableDraft = {
      table: { loc: this.ledger.loc(line), family: 'ip', name: name ?? 'filter', chains: [] },
      named: name !== undefined,
      chains: new Map(),
      first: line,
      last: line,
      closed: false,
    };
    draft.tables.push(table);
    return table;
  }

  private touch(draft: RulesetDraft, table: TableDraft, line: number): void {
    draft.last = Math.max(draft.last, line);
    table.last = Math.max(table.last, line);
  }

  /**
   * The table `-A`/`-P`/`-N` lines go into: the open `*table` of a save, else the one of an `-S` listing, or
   * a new one when the line cannot continue it (`clash`: a second `-P FORWARD`, a second `-N X`).
   */
  private argsTable(line: number, clash?: (table: TableDraft) => boolean): [RulesetDraft, TableDraft] {
    const draft = this.current;
    const open = draft?.tables.at(-1);
    if (draft?.form === 'save' && open !== undefined && !open.closed) return [draft, open];
    if (draft?.form === 'rules' && open !== undefined && clash?.(open) !== true) return [draft, open];
    const fresh = this.newDraft('rules', line);
    return [fresh, this.newTable(fresh, this.commandTable(), line)];
  }

  /** The table a `-L`/`-S` command names (`-t nat`), filter when it names none; undefined without a command. */
  private commandTable(): string | undefined {
    return this.command === undefined ? undefined : (this.command.table ?? 'filter');
  }

  private saveTable(line: Line, name: string): void {
    let draft = this.current;
    const generator = this.generator;
    if (
      draft === undefined ||
      draft.form !== 'save' ||
      (generator !== undefined && draft.program !== generator.program) ||
      draft.tables.some((t) => t.table.name === name)
    ) {
      draft = this.newDraft('save', line.line);
    }
    const previous = draft.tables.at(-1);
    if (previous !== undefined && !previous.closed) {
      this.ledger.report(previous.last, `Table ${previous.table.name} has no COMMIT: its listing may be cut`);
      this.reason(`table ${previous.table.name} is cut (no COMMIT)`, draft);
    }
    const table = this.newTable(draft, name, line.line);
    this.touch(draft, table, line.line);
    // The `# Generated by` line before the table names the program and belongs to the rule set; each
    // table has its own, so it is used once.
    if (generator !== undefined) {
      draft.program = generator.program;
      draft.nftables = generator.nftables;
      draft.first = Math.min(draft.first, generator.line);
      this.generator = undefined;
    }
  }

  private commit(line: Line): void {
    const draft = this.current;
    const table = draft?.tables.at(-1);
    if (draft?.form !== 'save' || table === undefined || table.closed) {
      this.ledger.report(line.line, 'COMMIT without a *table line before it');
      return;
    }
    table.closed = true;
    this.touch(draft, table, line.line);
  }

  // --- chains ---

  /** A chain of `table`, created when first named. */
  private chain(table: TableDraft, name: string, line: number): NetfilterChain {
    let chain = table.chains.get(name);
    if (chain === undefined) {
      chain = { loc: this.ledger.loc(line), name, rules: [] };
      table.chains.set(name, chain);
      table.table.chains.push(chain);
    }
    return chain;
  }

  private setPolicy(
    chain: NetfilterChain,
    policy: string,
    line: number,
    packets: number | undefined,
    bytes: number | undefined,
  ): void {
    if (policy === 'ACCEPT' || policy === 'DROP') {
      chain.policy = policy === 'ACCEPT' ? 'accept' : 'drop';
      chain.policyLoc = this.ledger.loc(line);
    } else {
      this.ledger.report(
        line,
        `Chain ${chain.name}: policy ${truncate(policy, 40)} is neither ACCEPT nor DROP`,
      );
    }
    if (packets !== undefined) chain.policyPackets = packets;
    if (bytes !== undefined) chain.policyBytes = bytes;
  }

  /** `:FORWARD DROP [0:0]` / `:DOCKER - [0:0]` in a save. */
  private chainDeclaration(line: Line, text: string): boolean {
    const m = CHAIN_DECLARATION.exec(text);
    if (!m) return false;
    const name = m[1] ?? '';
    const policy = m[2] ?? '';
    let draft = this.current;
    let table = draft?.tables.at(-1);
    if (draft?.form !== 'save' || table === undefined || table.closed) {
      // A declaration with no `*table` before it (a cut or filtered save).
      draft = this.newDraft('save', line.line);
      table = this.newTable(draft, undefined, line.line);
    }
    if (table.chains.has(name))
      this.ledger.report(line.line, `Chain ${truncate(name, 60)} is declared again`);
    const chain = this.chain(table, name, line.line);
    chain.loc = this.ledger.loc(line.line);
    // `-`: a user chain, no policy (its `[0:0]` counts nothing).
    if (policy !== '-')
      this.setPolicy(chain, policy, line.line, readCount(m[3] ?? ''), readCount(m[4] ?? ''));
    this.touch(draft, table, line.line);
    return true;
  }

  // --- save / -S lines ---

  /** `[p:b] -A …`, `-A …`, `-P CHAIN POLICY [-c p b]`, `-N CHAIN`. */
  private argsLine(line: Line, text: string): boolean {
    let from = 0;
    let packets: number | undefined;
    let bytes: number | undefined;
    const counters = text.charCodeAt(0) === 91 ? countersPrefix(text) : undefined;
    if (counters !== undefined) {
      packets = readCount(text.slice(1, counters.colon));
      bytes = readCount(text.slice(counters.colon + 1, counters.close));
      from = counters.end;
    }
    const { tokens, unterminated, rest } = splitArgs(text, from, MAX_RULE_WORDS, this.tokenPool);
    const head = tokens[0]?.value;
    const name = tokens[1]?.value;
    if (head === '-P' || head === '--policy') {
      if (name === undefined || counters) return false;
      const [draft, table] = this.argsTable(line.line, (t) => t.chains.get(name)?.policy !== undefined);
      const chain = this.chain(table, name, line.line);
      const c =
        tokens[3]?.value === '-c'
          ? [readCount(tokens[4]?.value ?? ''), readCount(tokens[5]?.value ?? '')]
          : [];
      this.setPolicy(chain, tokens[2]?.value ?? '', line.line, c[0], c[1]);
      chain.loc = this.ledger.loc(line.line);
      this.touch(draft, table, line.line);
      return true;
    }
    if (head === '-N' || head === '--new-chain') {
      if (name === undefined || counters || tokens.length > 2) return false;
      const [draft, table] = this.argsTable(line.line, (t) => t.chains.has(name));
      if (table.chains.has(name))
        this.ledger.report(line.line, `Chain ${truncate(name, 60)} is created again`);
      this.chain(table, name, line.line).loc = this.ledger.loc(line.line);
      this.touch(draft, table, line.line);
      return true;
    }
    if (head !== '-A' && head !== '--append') return false;
    if (name === undefined || name.startsWith('-')) {
      this.ledger.report(line.line, `A rule without its chain: ${truncate(text, 120)}`, 'warning');
      this.reason('a rule line names no chain');
      return true;
    }
    const [draft, table] = this.argsTable(line.line);
    const rule = readRuleArgs(text, tokens, 2, rest);
    if (unterminated) rule.problems.push('a quote is not closed');
    if (packets !== undefined) rule.packets = packets;
    if (bytes !== undefined) rule.bytes = bytes;
    const chain = this.chain(table, name, line.line);
    this.addRule(draft, chain, rule, line, text.slice(from).trim());
    this.touch(draft, table, line.line);
    return true;
  }

  private addRule(
    draft: RulesetDraft,
    chain: NetfilterChain,
    read: RuleRead,
    line: Line,
    text: string,
  ): void {
    const rule: NetfilterRule = {
      loc: this.ledger.loc(line.line),
      text,
      // An array grown by push keeps spare room; a copy of the exact size is what the model keeps.
      matches: read.matches.slice(),
      verdict: verdictOf(read.target, read.goto),
    };
    if (read.target !== undefined) rule.target = read.target;
    if (read.rejectWith !== undefined) rule.rejectWith = read.rejectWith;
    if (read.packets !== undefined) rule.packets = read.packets;
    if (read.bytes !== undefined) rule.bytes = read.bytes;
    if (read.comment !== undefined) rule.comment = read.comment;
    if (read.ipv6) draft.ipv6 = true;
    // An unknown target with options (`-j FOO --opt`) is an extension target, not a chain.
    if ((rule.verdict === 'jump' || rule.verdict === 'goto') && read.targetOptions) rule.verdict = 'unknown';
    if (read.problems.length > 0) {
      this.ledger.report(
        line.line,
        `Rule in ${truncate(chain.name, 60)}: ${read.problems.slice(0, 3).join('; ')} (kept as a condition the evaluator cannot decide)`,
      );
    }
    chain.rules.push(rule);
  }

  // --- -L ---

  private listChain(line: Line, text: string): boolean {
    const m = LIST_CHAIN.exec(text);
    if (!m) return false;
    const name = m[1] ?? '';
    let draft = this.current;
    let table = draft?.tables.at(-1);
    if (draft?.form !== 'list' || table === undefined || table.chains.has(name)) {
      draft = this.newDraft('list', line.line);
      table = this.newTable(draft, this.commandTable(), line.line);
    }
    const chain = this.chain(table, name, line.line);
    if (m[2] !== undefined) {
      this.setPolicy(chain, m[2], line.line, readCount(m[3] ?? ''), readCount(m[4] ?? ''));
    }
    draft.listChain = chain;
    // Without a header yet, the chain line tells whether counters (-v) are printed.
    draft.layout ??= {
      num: false,
      counters: m[3] !== undefined,
      interfaces: m[3] !== undefined,
      targetColumn: 0,
    };
    this.touch(draft, table, line.line);
    return true;
  }

  private listHeader(line: Line, text: string): boolean {
    const draft = this.current;
    if (draft?.form !== 'list') return false;
    const layout = readListHeader(text);
    if (layout === undefined) return false;
    draft.layout = layout;
    this.ledger.skip(line.line);
    return true;
  }

  private listRow(line: Line, draft: RulesetDraft, chain: NetfilterChain): void {
    const layout = draft.layout ?? { num: false, counters: false, interfaces: false, targetColumn: 0 };
    const read = readListRow(line.text, layout);
    if (typeof read === 'string') {
      this.ledger.report(
        line.line,
        `A row of chain ${truncate(chain.name, 60)} could not be read (${read}): ${truncate(line.text.trim(), 120)}`,
        'warning',
      );
      this.reason('rule lines that could not be read', draft);
      return;
    }
    const table = draft.tables.at(-1);
    this.addRule(draft, chain, read, line, line.text.trim());
    if (table !== undefined) this.touch(draft, table, line.line);
  }

  // --- -V ---

  private versionLine(line: Line, text: string): boolean {
    const m = VERSION.exec(text);
    if (!m) return false;
    if (this.version !== undefined) {
      this.ledger.report(
        line.line,
        `Another version line (the first, on line ${this.version.loc.line}, is kept)`,
      );
      return true;
    }
    const version: IptablesVersion = {
      loc: this.ledger.loc(line.line),
      version: m[2] ?? '',
      family: m[1] === 'ip6tables' ? 'ip6' : 'ip',
    };
    if (m[3] === 'nf_tables' || m[3] === 'legacy') version.backend = m[3];
    this.version = version;
    return true;
  }

  // --- the end ---

  finish(filtered: string | undefined): void {
    // What the command narrowed the listing to comes first, then what the output itself shows.
    const command = this.command;
    const narrowing: string[] = [];
    if (command?.chain !== undefined) {
      narrowing.push(
        command.ruleNumber === undefined
          ? `chain ${command.chain} only`
          : `rule ${command.ruleNumber} of chain ${command.chain} only`,
      );
    }
    if (command?.table !== undefined && command.table !== 'filter')
      narrowing.push(`table ${command.table} only`);
    if (filtered !== undefined) narrowing.push(`filtered: ${filtered}`);
    this.sectionReasons.unshift(...narrowing);
    const rulesets = this.drafts.map((d) => this.ruleset(d));
    const reasons = new Set<string>();
    for (const r of rulesets) if (r.partial !== undefined) reasons.add(r.partial);
    if (rulesets.length > 0) this.ledger.facts.netfilter = rulesets;
    if (this.version !== undefined) this.ledger.facts.iptablesVersion = this.version;
    if (this.pendingWarning !== undefined) {
      this.ledger.report(
        this.pendingWarning.line,
        'iptables-legacy tables are present: iptables-legacy-save lists them',
      );
    }
    if (rulesets.length === 0) {
      for (const r of this.sectionReasons) reasons.add(r);
      if (this.version !== undefined) reasons.add('the version only, no rules');
    }
    if (reasons.size > 0) this.ledger.partial([...reasons].join('; '));
  }

  private ruleset(draft: RulesetDraft): NetfilterRuleset {
    const command = this.command;
    const family: NetfilterFamily =
      command?.family ?? (draft.program?.startsWith('ip6') === true || draft.ipv6 ? 'ip6' : 'ip');
    const reasons = [...this.sectionReasons, ...draft.reasons];
    const guessed: string[] = [];
    for (const t of draft.tables) {
      t.table.family = family;
      t.table.loc = this.ledger.loc(t.first, t.last);
      const builtins = new Set([...t.chains.keys()].filter((n) => BUILTIN_CHAINS.has(n)));
      if (!t.named) {
        t.table.name = guessTable(builtins);
        guessed.push(t.table.name);
      }
      const hooks = TABLES.get(t.table.name);
      for (const chain of t.table.chains) {
        const hook = hooks?.get(chain.name);
        if (hook !== undefined) {
          chain.hook = hook[0];
          chain.priority = hook[1];
        }
      }
      // Built-in chains a listing of the whole table would show (not asked of `-L CHAIN`/`-S CHAIN`).
      const missing = [...(hooks?.keys() ?? [])].filter((n) => !builtins.has(n));
      if (command?.chain === undefined && missing.length > 0 && hooks !== undefined) {
        reasons.push(`${t.table.name} chains ${missing.join(', ')} not listed`);
      }
    }
    if (guessed.length > 0) {
      this.ledger.report(
        draft.first,
        `The listing does not name its table: taken as ${guessed.join(', ')} from its built-in chains`,
      );
    }
    this.resolveJumps(draft, reasons);
    const record: NetfilterRuleset = {
      loc: this.ledger.loc(draft.first, draft.last),
      source: this.sourceOf(draft),
      tables: draft.tables.map((t) => t.table),
    };
    if (reasons.length > 0) record.partial = [...new Set(reasons)].join('; ');
    if (draft.legacyTablesPresent !== undefined) record.legacyTablesPresent = draft.legacyTablesPresent;
    return record;
  }

  /**
   * A jump to a chain the listing does not show: when the listing shows every chain (a whole table), the
   * name is an extension target this parser does not know (`unknown`); when it shows part, the chain is
   * simply not listed, and the rule set says so.
   */
  private resolveJumps(draft: RulesetDraft, reasons: string[]): void {
    const narrowed = reasons.length > 0;
    const unlisted = new Set<string>();
    for (const t of draft.tables) {
      for (const chain of t.table.chains) {
        for (const rule of chain.rules) {
          if ((rule.verdict !== 'jump' && rule.verdict !== 'goto') || rule.target === undefined) continue;
          if (t.chains.has(rule.target)) continue;
          if (narrowed || BUILTIN_CHAINS.has(rule.target)) {
            unlisted.add(rule.target);
            continue;
          }
          rule.verdict = 'unknown';
          const key = `${t.table.name}\u0000${rule.target}`;
          if (!this.reportedTargets.has(key) && !isKnownTarget(rule.target)) {
            this.reportedTargets.add(key);
            this.ledger.report(
              rule.loc.line,
              `Target ${truncate(rule.target, 60)} is no chain of table ${t.table.name}: an extension target whose effect is not known`,
            );
          }
        }
      }
    }
    if (unlisted.size > 0) {
      const names = [...unlisted];
      const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
      reasons.push(`chains ${shown} jumped to but not listed`);
    }
  }

  /** The backend: the command's name, else the `# Generated by` line, else iptables-nft's legacy warning. */
  private sourceOf(draft: RulesetDraft): NetfilterSource {
    const command = this.command;
    if (command !== undefined && command.source !== 'iptables') return command.source;
    if (draft.program !== undefined) {
      // xtables-save was iptables-nft-save's name in 1.8.0–1.8.2; legacy never prints a backend marker.
      if (draft.nftables === true || draft.program.includes('-nft') || draft.program.startsWith('xtables'))
        return 'iptables-nft';
      return 'iptables-legacy';
    }
    return draft.legacyTablesPresent !== undefined ? 'iptables-nft' : 'iptables';
  }
}

function parseIptables(input: ParserInput, ledger: Ledger): void {
  const command = readIptablesCommand(input.command?.argv ?? []);
  const reader = new Reader(ledger, command);
  reader.read(input.lines);
  let filtered: string | undefined;
  if (input.command?.filtered === true) {
    const pipe = input.command.raw.indexOf('|');
    filtered = pipe === -1 ? 'piped' : input.command.raw.slice(pipe).trim();
  }
  reader.finish(filtered);
}

// ---------------------------------------------------------------------------------------------------
// Raw pastes

const DETECT_TABLE = /^\*(?:filter|nat|mangle|raw|security)\s*$/;
const DETECT_POLICY = /^-P (?:INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) (?:ACCEPT|DROP)\b/;
const DETECT_RULE = /^(?:\[\d{1,20}:\d{1,20}\] )?-A [A-Za-z0-9_.-]{1,64} /;

function detectAt(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  switch (text.charCodeAt(0)) {
    case 35: // #
      return GENERATED.test(text) || LEGACY_WARNING.test(text);
    case 42: {
      // `*filter` followed by its `:CHAIN POLICY` lines
      if (!DETECT_TABLE.test(text)) return false;
      const next = lines[index + 1]?.text ?? '';
      return CHAIN_DECLARATION.test(next);
    }
    case 67: // C
      return LIST_CHAIN.test(text);
    case 45: // -
      return DETECT_POLICY.test(text) || (DETECT_RULE.test(text) && / -[jg] \S/.test(text));
    case 91: // [
      return DETECT_RULE.test(text) && / -[jg] \S/.test(text);
    case 105: // i
      return VERSION.test(text);
    default:
      return false;
  }
}

export const iptablesParser: Parser = {
  id: 'iptables',
  title: 'iptables rules (iptables-save, iptables -S, iptables -L), both backends, and iptables -V',
  commands: [
    'iptables-save',
    'iptables-save -c',
    'ip6tables-save',
    'iptables-legacy-save',
    'iptables-nft-save',
    'iptables -S',
    'iptables -S -v',
    'iptables -L -n -v',
    'iptables -L -n -v -x --line-numbers',
    'iptables -t nat -L -n -v',
    'iptables -V',
  ],

  matchesCommand(argv: readonly string[]): boolean {
    return readIptablesCommand(argv) !== undefined;
  },

  detect(lines: readonly Line[], index: number): boolean {
    return detectAt(lines, index);
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'iptables', (ledger) => parseIptables(input, ledger));
  },
};
