// `nft list ruleset` (text, `-a`/`--handle`, `-n`, `-s`, `-t`), `nft list table …`, `nft list chain …` and
// `nft -j list ruleset` (JSON): one NetfilterRuleset (source nft) holding a table per `table FAMILY NAME {…}`,
// chains with their hook, numeric priority and policy, rules with matches and a verdict. The text is read by
// nft-text.ts, the JSON by nft-json.ts; both fill the RulesetState of nft-rule.ts.

import type { NetfilterRuleset } from '../model/types';
import { basename } from '../util/argv';
import { isBlank } from '../util/words';
import { jsonDocumentEnd } from './json-lines';
import { type Ledger, safeParse } from './ledger';
import { readNftJson } from './nft-json';
import { FAMILIES, RulesetState } from './nft-rule';
import { TextReader } from './nft-text';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

/** nft options that take a value. */
const OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '-I',
  '--includepath',
  '-d',
  '--debug',
  '-D',
  '--define',
]);
/** Options after which nft prints no listing (it loads a file, checks, or goes interactive). */
const NOT_LISTING: ReadonlySet<string> = new Set(['-f', '--file', '-i', '--interactive', '-c', '--check']);

export interface NftCommand {
  json: boolean;
  terse: boolean;
  /** What the listing leaves out (`table inet firewalld only`); undefined for the whole rule set. */
  scope?: string;
}

/** Reads `nft [OPTIONS] list ruleset|table|chain|tables|chains …`; undefined for any other command. */
export function readNftCommand(argv: readonly string[]): NftCommand | undefined {
  if (basename(argv[0] ?? '') !== 'nft') return undefined;
  let json = false;
  let terse = false;
  const words: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('-') && a.length > 1) {
      if (NOT_LISTING.has(a)) return undefined;
      if (OPTIONS_WITH_VALUE.has(a)) i++;
      else if (a === '--json') json = true;
      else if (a === '--terse') terse = true;
      else if (/^-[a-zA-Z]{1,12}$/.test(a)) {
        // Short options run together: `-nn`, `-aj`.
        if (/[fic]/.test(a)) return undefined;
        if (a.includes('j')) json = true;
        if (a.includes('t')) terse = true;
      }
      continue;
    }
    // `nft 'list ruleset'`: nft joins its arguments into one command.
    for (const w of a.split(/[ \t]+/)) if (w !== '') words.push(w);
  }
  if (words[0] !== 'list') return undefined;
  const what = words[1];
  const rest = words.slice(2).join(' ');
  const out: NftCommand = { json, terse };
  switch (what) {
    case 'ruleset':
      if (words[2] !== undefined && FAMILIES.has(words[2])) out.scope = `${words[2]} tables only`;
      return out;
    case 'table':
      out.scope = `table ${rest} only`;
      return out;
    case 'chain':
      out.scope = `chain ${rest} only`;
      return out;
    case 'tables':
      out.scope = 'table names only (nft list tables)';
      return out;
    case 'chains':
      out.scope = 'chains without their rules (nft list chains)';
      return out;
    default:
      return undefined;
  }
}

const TABLE_HEADER =
  /^table (?:ip6?|inet|arp|bridge|netdev) (?:"[^"]{1,256}"|[^\s{}"#;]{1,256}) \{(?: # handle \d{1,10})?\s*$/;
const JSON_START = /^\s*\{\s*"nftables"\s*:\s*\[/;
const JSON_KEY = /^\s*"nftables"\s*:\s*\[/;
const IPTABLES_NFT_WARNING =
  /^# Warning: table \S{1,64} \S{1,256} is managed by iptables-nft, do not touch!$/;

/** Does an `nft -j` document start at `lines[index]` (`{"nftables": [`, or `{` with the key on the next line)? */
function jsonStartsAt(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  if (JSON_START.test(text)) return true;
  if (text.trim() !== '{') return false;
  // `nft -j … | jq`: the key on a line of its own.
  for (let i = index + 1; i < lines.length && i < index + 4; i++) {
    const next = lines[i]?.text ?? '';
    if (!isBlank(next)) return JSON_KEY.test(next);
  }
  return false;
}

function detectAt(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  // Most lines are decided by their first character: every line of every paste comes through here.
  const first = text.charCodeAt(0);
  if (first === 116 /* t */) return text.startsWith('table ') && TABLE_HEADER.test(text);
  if (first === 35 /* # */) return text.startsWith('# Warning: ') && IPTABLES_NFT_WARNING.test(text);
  if (first !== 123 /* { */ && first !== 32 && first !== 9) return false;
  return jsonStartsAt(lines, index);
}

interface Segment {
  json: boolean;
  lines: Line[];
}

/**
 * The listings in a section: runs of text and `nft -j` documents. A paste with no prompt joins the outputs
 * of several nft commands into one section; each becomes a rule set of its own.
 */
function segments(lines: readonly Line[]): Segment[] {
  const out: Segment[] = [];
  let text: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (jsonStartsAt(lines, i)) {
      if (text.length > 0) out.push({ json: false, lines: text });
      text = [];
      const end = jsonDocumentEnd(lines, i);
      out.push({ json: true, lines: lines.slice(i, end + 1) });
      i = end;
    } else text.push(lines[i] as Line);
  }
  if (text.length > 0) out.push({ json: false, lines: text });
  return out;
}

/** One listing's rule set, or undefined when it holds none (no table, no nft -j document). */
function readSegment(
  segment: Segment,
  ledger: Ledger,
  command: NftCommand | undefined,
  input: ParserInput,
): { ruleset?: NetfilterRuleset; failed: boolean } {
  const state = new RulesetState(ledger);
  let failed = false;
  let document = false;
  let first: number | undefined;
  let last: number | undefined;
  if (segment.json) {
    const read = readNftJson(segment.lines, state);
    document = read.document;
    first = read.first;
    last = read.last;
  } else {
    const reader = new TextReader(state, { terse: command?.terse === true });
    reader.read(segment.lines);
    failed = reader.failed;
  }
  state.resolveSets();
  state.settleDormant();
  state.finishNotes(segment.lines[segment.lines.length - 1]?.line ?? 1);
  if (state.tables.length === 0 && !document) return { failed };
  if (failed) state.partial('nft reported an error');
  if (command?.scope !== undefined) state.partial(command.scope);
  const raw = input.command?.raw ?? '';
  if (input.command?.filtered === true) state.partial(raw.slice(raw.indexOf('|')).trim() || 'filtered');
  let start = first ?? state.tables[0]?.loc.line ?? segment.lines[0]?.line ?? 1;
  let end = last ?? start;
  for (const t of state.tables) {
    start = Math.min(start, t.loc.line);
    end = Math.max(end, t.loc.endLine ?? t.loc.line);
  }
  const ruleset: NetfilterRuleset = { loc: ledger.loc(start, end), source: 'nft', tables: state.tables };
  const partial = state.partialWhy;
  if (partial !== undefined) ruleset.partial = partial;
  return { ruleset, failed };
}

function parseNft(input: ParserInput, ledger: Ledger): void {
  const command = input.command === undefined ? undefined : readNftCommand(input.command.argv);
  const rulesets: NetfilterRuleset[] = [];
  let failed = false;
  for (const segment of segments(input.lines)) {
    const read = readSegment(segment, ledger, command, input);
    if (read.ruleset !== undefined) rulesets.push(read.ruleset);
    failed ||= read.failed;
  }
  if (
    rulesets.length === 0 &&
    command !== undefined &&
    !failed &&
    input.lines.every((l) => isBlank(l.text))
  ) {
    // `nft list ruleset` with no tables prints nothing: an empty rule set, which is a fact.
    const ruleset: NetfilterRuleset = {
      loc: ledger.loc(input.lines[0]?.line ?? 1),
      source: 'nft',
      tables: [],
    };
    if (command.scope !== undefined) {
      ruleset.partial = command.scope;
      ledger.partial(command.scope);
    }
    rulesets.push(ruleset);
  }
  if (rulesets.length > 0) ledger.facts.netfilter = rulesets;
  // No rule set from output that is not empty: the host's rules are not known from this section.
  else if (failed) ledger.partial('nft reported an error');
  else if (input.lines.some((l) => !isBlank(l.text))) ledger.partial('no nft rule set read');
}

export const nftParser: Parser = {
  id: 'nft',
  title: 'nftables rule set',
  commands: [
    'nft list ruleset',
    'nft -a list ruleset',
    'nft -j list ruleset',
    'nft list table inet filter',
    'nft list chain inet filter forward',
  ],

  matchesCommand(argv: readonly string[]): boolean {
    return readNftCommand(argv) !== undefined;
  },

  detect(lines: readonly Line[], index: number): boolean {
    return detectAt(lines, index);
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'nft', (ledger) => parseNft(input, ledger));
  },
};
