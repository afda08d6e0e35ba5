// `nft -j list ruleset`: {"nftables": [{"metainfo": …}, {"table": …}, {"chain": …}, {"rule": {… "expr": […]}},
// {"set": …}, …]}, each element located on its lines. Rule expressions (libnftables-json(5)) go into the same
// RuleBuilder the text reader uses; an element this reader cannot use makes the listing partial.

import type { NetfilterChain, NetfilterFamily } from '../model/types';
import { asNumber, asRecord, asString, type JsonSpan, readJsonElements } from './json-lines';
import { truncate } from '../util/words';
import {
  asHook,
  BARE_META,
  CONTINUING_STATEMENTS,
  FAMILIES,
  NO_ELEMENTS,
  isNameKey,
  type NftValue,
  priorityValue,
  RuleBuilder,
  type RulesetState,
  type SetInfo,
  type TableState,
  xtExpression,
} from './nft-rule';
import type { Line } from './parser';

/** Object kinds an nft listing holds besides tables, chains, rules and sets: understood, nothing to read. */
const OBJECTS: ReadonlySet<string> = new Set([
  'metainfo',
  'flowtable',
  'counter',
  'quota',
  'ct helper',
  'ct timeout',
  'ct expectation',
  'limit',
  'secmark',
  'synproxy',
  'tunnel',
  'element',
]);

/** Statements that let the packet go on, by their JSON key. */
const CONTINUING: ReadonlySet<string> = new Set([
  ...CONTINUING_STATEMENTS,
  'secmark',
  'ct helper',
  'ct timeout',
  'ct expectation',
]);

function compact(value: unknown): string {
  return truncate(JSON.stringify(value) ?? String(value), 80);
}

const BINARY_OPS: readonly string[] = ['&', '|', '^', '<<', '>>'];

/** An expression written the way nft's text output writes it, for the rule text (a fallback: compact JSON). */
function exprText(value: unknown, depth = 0): string {
  const one = scalar(value);
  if (one !== undefined) return one;
  const rec = asRecord(value);
  if (rec === undefined || depth > 4) return compact(value);
  const key = leftKey(value);
  if (key !== undefined) return key.text;
  const fib = asRecord(rec['fib']);
  if (fib !== undefined) {
    const flags = Array.isArray(fib['flags']) ? fib['flags'].map(String).join(' . ') : '';
    return `fib ${flags} ${asString(fib['result']) ?? ''}`.replace(/ {2,}/g, ' ').trim();
  }
  for (const op of BINARY_OPS) {
    const pair = rec[op];
    if (Array.isArray(pair) && pair.length === 2)
      return `${exprText(pair[0], depth + 1)} ${op} ${exprText(pair[1], depth + 1)}`;
  }
  const concat = rec['concat'];
  if (Array.isArray(concat)) return concat.map((c) => exprText(c, depth + 1)).join(' . ');
  return compact(value);
}

/** A scalar element as nft writes it; undefined for anything else. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const rec = asRecord(value);
  const prefix = asRecord(rec?.['prefix']);
  if (prefix !== undefined) {
    const addr = asString(prefix['addr']);
    const len = asNumber(prefix['len']);
    return addr === undefined || len === undefined ? undefined : `${addr}/${len}`;
  }
  const range = rec?.['range'];
  if (Array.isArray(range) && range.length === 2) {
    const from = scalar(range[0]);
    const to = scalar(range[1]);
    return from === undefined || to === undefined ? undefined : `${from}-${to}`;
  }
  return undefined;
}

/** Scalars of a list, or undefined when one is not. */
function scalars(list: readonly unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const item of list) {
    const s = scalar(item);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** The right-hand side of a `match`. */
function rightValue(right: unknown, quote: boolean): { value: NftValue; text: string } {
  const show = (s: string): string => (quote ? `"${s}"` : s);
  if (typeof right === 'string' && right.startsWith('@')) {
    return { value: { kind: 'set', name: right.slice(1) }, text: right };
  }
  if (Array.isArray(right)) {
    // Flags (`ct state established,related`).
    const items = scalars(right);
    return items === undefined
      ? { value: { kind: 'other' }, text: compact(right) }
      : { value: { kind: 'list', items }, text: items.map(show).join(',') };
  }
  const set = asRecord(right)?.['set'];
  if (Array.isArray(set)) {
    const items = scalars(set);
    return items === undefined
      ? { value: { kind: 'other' }, text: compact(right) }
      : { value: { kind: 'list', items }, text: `{ ${items.map(show).join(', ')} }` };
  }
  const one = scalar(right);
  return one === undefined
    ? { value: { kind: 'other' }, text: compact(right) }
    : { value: { kind: 'list', items: [one] }, text: show(one) };
}

/** The selector on the left of a `match` (`meta iifname`, `ip saddr`, `ct state`) and its text. */
function leftKey(left: unknown): { key: string; text: string } | undefined {
  const rec = asRecord(left);
  const meta = asString(asRecord(rec?.['meta'])?.['key']);
  if (meta !== undefined) return { key: `meta ${meta}`, text: BARE_META.has(meta) ? meta : `meta ${meta}` };
  const payload = asRecord(rec?.['payload']);
  const protocol = asString(payload?.['protocol']);
  const field = asString(payload?.['field']);
  if (protocol !== undefined && field !== undefined)
    return { key: `${protocol} ${field}`, text: `${protocol} ${field}` };
  const ct = asRecord(rec?.['ct']);
  const ctKey = asString(ct?.['key']);
  if (ctKey !== undefined) {
    const dir = asString(ct?.['dir']);
    const key = dir === undefined ? `ct ${ctKey}` : `ct ${dir} ${ctKey}`;
    return { key, text: key };
  }
  return undefined;
}

class JsonReader {
  private readonly unknownKinds = new Set<string>();
  private readonly implicit = new Set<string>();
  first: number | undefined;
  last: number | undefined;
  /** A root with an `nftables` array was read. */
  document = false;

  constructor(private readonly state: RulesetState) {}

  private get ledger(): RulesetState['ledger'] {
    return this.state.ledger;
  }

  read(lines: readonly Line[]): void {
    readJsonElements(
      lines,
      this.ledger,
      'nft -j',
      (element) => {
        const list = element.value['nftables'];
        if (!Array.isArray(list)) return 'not nft -j output (no "nftables" array)';
        this.document = true;
        this.first ??= element.line;
        this.last = element.endLine;
        list.forEach((item, i) => this.item(item, element.nested[i] ?? element));
        return true;
      },
      'nftables',
    );
  }

  /** An element nothing can be read from: noted, and the listing is partial. */
  private unusable(line: number, message: string): void {
    this.state.note('unusable element', line, `nft -j: ${message}`);
    this.state.partial('nft -j elements not read');
  }

  private item(value: unknown, span: JsonSpan): void {
    const rec = asRecord(value);
    const kind = rec === undefined ? undefined : Object.keys(rec)[0];
    const body = kind === undefined ? undefined : asRecord(rec?.[kind]);
    if (kind === undefined || body === undefined || Object.keys(rec ?? {}).length !== 1) {
      this.unusable(span.line, `an element that is not {"KIND": {…}}: ${compact(value)}`);
      return;
    }
    switch (kind) {
      case 'table':
        this.table(body, span);
        return;
      case 'chain':
        this.chain(body, span);
        return;
      case 'rule':
        this.rule(body, span);
        return;
      case 'set':
      case 'map':
        this.set(body, kind === 'map', span);
        return;
      default:
        if (OBJECTS.has(kind)) return;
        if (!this.unknownKinds.has(kind)) {
          this.unknownKinds.add(kind);
          this.unusable(span.line, `unknown element "${truncate(kind, 40)}"`);
        } else this.state.partial('nft -j elements not read');
    }
  }

  private family(body: Record<string, unknown>): NetfilterFamily | undefined {
    const family = asString(body['family']);
    return family !== undefined && FAMILIES.has(family) ? (family as NetfilterFamily) : undefined;
  }

  private table(body: Record<string, unknown>, span: JsonSpan): void {
    const family = this.family(body);
    const name = asString(body['name']);
    if (family === undefined || name === undefined) {
      this.unusable(span.line, `a table without family or name: ${compact(body)}`);
      return;
    }
    const table = this.state.addTable(family, name, this.ledger.loc(span.line, span.endLine));
    const flags = body['flags'];
    if (flags === 'dormant' || (Array.isArray(flags) && flags.includes('dormant'))) table.dormant = span.line;
  }

  /** The table a chain, rule or set names; made up (and the listing partial) when it was not listed. */
  private tableOf(body: Record<string, unknown>, span: JsonSpan): TableState | undefined {
    const family = this.family(body);
    const name = asString(body['table']);
    if (family === undefined || name === undefined) return undefined;
    const known = this.state.find(family, name);
    if (known !== undefined) return known;
    this.unusable(span.line, `table ${family} ${truncate(name, 60)} is not listed`);
    return this.state.addTable(family, name, this.ledger.loc(span.line, span.endLine));
  }

  private chain(body: Record<string, unknown>, span: JsonSpan): void {
    const table = this.tableOf(body, span);
    const name = asString(body['name']);
    if (table === undefined || name === undefined) {
      this.unusable(span.line, `a chain without family, table or name: ${compact(body)}`);
      return;
    }
    const loc = this.ledger.loc(span.line, span.endLine);
    const chain = this.state.addChain(table, name, loc);
    const hookName = asString(body['hook']);
    if (hookName !== undefined) {
      const hook = asHook(hookName);
      if (hook === undefined) {
        this.state.note(
          'chain hook',
          span.line,
          `nft -j: chain ${truncate(name, 60)} has a hook this reader does not know: ${truncate(hookName, 40)}`,
        );
      } else chain.hook = hook;
    }
    const type = asString(body['type']);
    if (type === 'filter' || type === 'nat' || type === 'route') chain.type = type;
    const prio = body['prio'];
    const priority =
      typeof prio === 'number' && Number.isSafeInteger(prio)
        ? prio
        : typeof prio === 'string'
          ? priorityValue(table.record.family, prio)
          : undefined;
    if (priority !== undefined) chain.priority = priority;
    else if (prio !== undefined)
      this.state.note(
        'chain priority',
        span.line,
        `nft -j: chain ${truncate(name, 60)}: unreadable priority ${compact(prio)}`,
      );
    const policy = body['policy'];
    if (policy === 'accept' || policy === 'drop') {
      chain.policy = policy;
      chain.policyLoc = loc;
    } else if (policy !== undefined) {
      this.state.note(
        'chain policy',
        span.line,
        `nft -j: chain ${truncate(name, 60)}: unreadable policy ${compact(policy)}`,
      );
    }
  }

  private chainOf(table: TableState, name: string, span: JsonSpan): NetfilterChain {
    const known = table.chains.get(name);
    if (known !== undefined) return known;
    const key = `${table.record.family} ${table.record.name} ${name}`;
    if (!this.implicit.has(key)) {
      this.implicit.add(key);
      this.unusable(span.line, `chain ${truncate(name, 60)} is not listed: its hook and policy are unknown`);
    }
    return this.state.addChain(table, name, this.ledger.loc(span.line, span.endLine));
  }

  private rule(body: Record<string, unknown>, span: JsonSpan): void {
    const table = this.tableOf(body, span);
    const chainName = asString(body['chain']);
    const expr = body['expr'];
    if (table === undefined || chainName === undefined || !Array.isArray(expr)) {
      this.unusable(span.line, `a rule without family, table, chain or expressions: ${compact(body)}`);
      return;
    }
    const chain = this.chainOf(table, chainName, span);
    const builder = new RuleBuilder(this.state, table, span.line);
    const texts: string[] = [];
    for (const e of expr) this.expression(e, builder, texts, span.line);
    const comment = asString(body['comment']);
    if (comment !== undefined) {
      builder.setComment(comment);
      texts.push(`comment ${JSON.stringify(comment)}`);
    }
    chain.rules.push(builder.build(this.ledger.loc(span.line, span.endLine), texts.join(' ')));
  }

  private expression(e: unknown, rule: RuleBuilder, texts: string[], line: number): void {
    const rec = asRecord(e);
    const kind = rec === undefined ? undefined : Object.keys(rec)[0];
    if (rec === undefined || kind === undefined) {
      rule.unreadableWords(compact(e));
      texts.push(compact(e));
      return;
    }
    const body = rec[kind];
    const b = asRecord(body);
    switch (kind) {
      case 'match': {
        const op = asString(b?.['op']) ?? '==';
        const left = leftKey(b?.['left']);
        const leftText = left?.text ?? exprText(b?.['left']);
        const right = rightValue(b?.['right'], left !== undefined && isNameKey(left.key));
        // nft writes `==` only where it is not implied (after a mask).
        const implied = op === 'in' || (op === '==' && left !== undefined);
        const text = `${leftText} ${implied ? '' : `${op} `}${right.text}`;
        texts.push(text);
        if (left === undefined) rule.unknownMatch(text, false);
        else rule.match(left.key, op, right.value, text);
        return;
      }
      case 'counter': {
        const packets = asNumber(b?.['packets']);
        const bytes = asNumber(b?.['bytes']);
        rule.counter(packets, bytes);
        texts.push(packets === undefined ? 'counter' : `counter packets ${packets} bytes ${bytes ?? 0}`);
        return;
      }
      case 'accept':
      case 'drop':
      case 'continue':
      case 'return':
        rule.terminal(kind);
        texts.push(kind);
        return;
      case 'jump':
      case 'goto': {
        const target = asString(b?.['target']);
        if (target === undefined) rule.terminal('unknown', kind);
        else rule.terminal(kind, target);
        texts.push(`${kind} ${target ?? '?'}`);
        return;
      }
      case 'reject': {
        const type = asString(b?.['type']);
        const code =
          asString(b?.['expr']) ?? (asNumber(b?.['expr']) === undefined ? undefined : String(b?.['expr']));
        const withWhat = type === undefined ? undefined : code === undefined ? type : `${type} ${code}`;
        rule.reject(withWhat);
        texts.push(withWhat === undefined ? 'reject' : `reject with ${withWhat}`);
        return;
      }
      case 'log': {
        rule.statement('log');
        const prefix = asString(b?.['prefix']);
        texts.push(prefix === undefined ? 'log' : `log prefix ${JSON.stringify(prefix)}`);
        return;
      }
      case 'xt': {
        const type = asString(b?.['type']) ?? 'match';
        const name = asString(b?.['name']) ?? '?';
        const text = `xt ${type} ${name}`;
        xtExpression(rule, type, name, text);
        texts.push(text);
        return;
      }
      case 'vmap':
        rule.terminal('unknown', 'vmap');
        texts.push(`${exprText(b?.['key'])} vmap ${exprText(b?.['data'])}`);
        return;
      case 'queue':
      case 'fwd':
      case 'synproxy':
        rule.terminal('unknown', kind);
        texts.push(kind);
        return;
      case 'mangle': {
        const name = `${leftKey(b?.['key'])?.key ?? exprText(b?.['key'])} set`;
        rule.statement(name);
        texts.push(`${name} ${exprText(b?.['value'])}`);
        return;
      }
      case 'flow':
        rule.statement('flow offload');
        texts.push(`flow ${compact(body)}`);
        return;
      case 'set':
        rule.statement('set update');
        texts.push(`set ${compact(body)}`);
        return;
      case 'limit':
      case 'quota':
      case 'ct count':
      case 'meter': {
        const text = `${kind} ${compact(body)}`;
        rule.unknownMatch(text, false);
        texts.push(text);
        return;
      }
      case 'last':
        rule.read++;
        return;
      default:
        if (CONTINUING.has(kind)) {
          rule.statement(kind);
          const addr = b?.['addr'];
          const port = b?.['port'];
          const to =
            addr === undefined
              ? port === undefined
                ? ''
                : ` to :${exprText(port)}`
              : ` to ${exprText(addr)}${port === undefined ? '' : `:${exprText(port)}`}`;
          texts.push(`${kind}${to}`);
          return;
        }
        rule.unreadableWords(`${kind} ${compact(body)}`);
        texts.push(`${kind} ${compact(body)}`);
        if (!this.unknownKinds.has(`expr ${kind}`)) {
          this.unknownKinds.add(`expr ${kind}`);
          this.state.note(
            'unknown expression',
            line,
            `nft -j: unknown expression "${truncate(kind, 40)}": read as an unknown match, the verdict may be unknown`,
          );
        }
    }
  }

  private set(body: Record<string, unknown>, map: boolean, span: JsonSpan): void {
    const table = this.tableOf(body, span);
    const name = asString(body['name']);
    if (table === undefined || name === undefined) {
      this.unusable(span.line, `a set without family, table or name: ${compact(body)}`);
      return;
    }
    const info: SetInfo = { name, elements: undefined };
    const flags = Array.isArray(body['flags']) ? body['flags'] : [];
    const elem = body['elem'];
    const items = Array.isArray(elem) ? scalars(elem) : undefined;
    if (map) info.why = 'is a map';
    else if (flags.includes('dynamic') || flags.includes('timeout') || body['timeout'] !== undefined) {
      info.why = 'is filled from the packet path (dynamic, timeout)';
    } else if (Array.isArray(body['type'])) info.why = 'holds concatenations';
    else if (elem === undefined || (Array.isArray(elem) && elem.length === 0)) info.why = NO_ELEMENTS;
    else if (items === undefined) info.why = 'holds elements that are not literals';
    else info.elements = items;
    table.sets.set(name, info);
  }
}

/** Reads `nft -j` output into `state`; what it found of the document. */
export function readNftJson(
  lines: readonly Line[],
  state: RulesetState,
): { document: boolean; first?: number; last?: number } {
  const reader = new JsonReader(state);
  reader.read(lines);
  const out: { document: boolean; first?: number; last?: number } = { document: reader.document };
  if (reader.first !== undefined) out.first = reader.first;
  if (reader.last !== undefined) out.last = reader.last;
  return out;
}
