// `bridge fdb show [dev X | br X]`, text and `bridge -j fdb show`: one FdbEntry per line (per array element).
//
//   42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self permanent
//   02:d5:34:83:c5:70 dev veth228c5a4c master cni0
//   42:32:74:de:03:03 dst 10.18.19.13 port 4789 vni 5 via eth0 self permanent   (`show dev flannel.1`: no dev)
//
// A `master BR` entry also carries the `master` flag, whichever form (text or JSON) it was read from.

import type { FdbEntry } from '../model/types';
import { canonicalIp } from '../util/ip';
import {
  asNumber,
  asString,
  asStringArray,
  hasJsonOption,
  isBlankOrElision,
  type Ledger,
  readMac,
  safeParse,
  toInt,
} from './common';
import {
  accountJsonLines,
  isBridgeShow,
  isJsonOutput,
  jsonHeadHas,
  readBridgeCommand,
  readJsonItems,
  valueAfter,
} from './link-common';
import type { Line, Parser, ParserInput } from './parser';

/** What may follow the MAC on a line of `bridge fdb show` (for the raw-paste signature). */
const SECOND_WORDS = new Set(['dev', 'dst', 'vlan', 'self', 'master']);

function matchesCommand(argv: readonly string[]): boolean {
  // iproute2 tries add, append, replace, delete before show/list/lst: `s` and `l` still mean show/list.
  return isBridgeShow(argv, ['f', 'fd', 'fdb'], 1);
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  if (text.startsWith('[') || text.startsWith('{'))
    return jsonHeadHas(lines, index, ['"mac"', '"flags"']) && !jsonHeadHas(lines, index, ['"lladdr"']);
  const sp = text.indexOf(' ');
  if (sp < 11 || sp > 17 || readMac(text.slice(0, sp)) === undefined) return false;
  const rest = text.slice(sp + 1);
  const next = rest.indexOf(' ');
  return SECOND_WORDS.has(next === -1 ? rest.trim() : rest.slice(0, next));
}

function parse(input: ParserInput) {
  return safeParse(input, 'bridge fdb', (ledger) => {
    const cmd = input.command ? readBridgeCommand(input.command.argv) : undefined;
    // `bridge fdb show dev X` leaves the dev out of every line.
    const filterDev = cmd ? valueAfter(cmd.rest, 'dev') : undefined;
    const fdb: FdbEntry[] = [];
    ledger.facts.fdb = fdb;
    if ((cmd && hasJsonOption(cmd.options)) || isJsonOutput(input.lines)) {
      parseJson(input.lines, ledger, fdb, filterDev);
      return;
    }
    for (const line of input.lines) {
      const text = line.text;
      if (isBlankOrElision(text)) {
        ledger.skip(line.line);
        continue;
      }
      const entry = parseTextLine(text, line.line, input.file, filterDev);
      if (entry) fdb.push(entry);
      else ledger.unrecognized(line, 'bridge fdb');
    }
  });
}

/** Words of an FDB line that take a value (`dev X`, `dst X`, …). */
type ValueKey =
  'dev' | 'dst' | 'via' | 'master' | 'vlan' | 'port' | 'vni' | 'src_vni' | 'nhid' | 'used' | 'link-netnsid';

const VALUE_KEYS: readonly ValueKey[] = [
  'dev',
  'dst',
  'via',
  'master',
  'vlan',
  'port',
  'vni',
  'src_vni',
  'nhid',
  'used',
  'link-netnsid',
];
const STATE_WORDS = [
  'permanent',
  'static',
  'stale',
  'noarp',
  'reachable',
  'delay',
  'probe',
  'incomplete',
  'failed',
];
const FLAG_WORDS = ['self', 'router', 'extern_learn', 'offload', 'sticky', 'use', 'locked', 'blackhole'];

/** Known words keyed by length and first letter, so a word is identified without slicing it out of the line. */
const KNOWN = new Map<number, string[]>();
for (const w of [...VALUE_KEYS, ...STATE_WORDS, ...FLAG_WORDS]) {
  const key = knownKey(w.length, w.charCodeAt(0));
  const list = KNOWN.get(key);
  if (list) list.push(w);
  else KNOWN.set(key, [w]);
}
const IS_VALUE_KEY = new Set<string>(VALUE_KEYS);
const IS_STATE = new Set<string>(STATE_WORDS);

function knownKey(length: number, firstChar: number): number {
  return length * 65536 + firstChar;
}

/** The known word at `text[start..end)`, as the shared literal, or undefined. */
function knownWord(text: string, start: number, end: number): string | undefined {
  const candidates = KNOWN.get(knownKey(end - start, text.charCodeAt(start)));
  if (candidates === undefined) return undefined;
  for (const c of candidates) if (text.startsWith(c, start)) return c;
  return undefined;
}

/**
 * One line, scanned in place: this is the hot path (a node may hold tens of thousands of entries), so words are
 * found with indexOf and identified where they stand; only values are sliced out.
 */
function parseTextLine(
  line: string,
  lineNo: number,
  file: string,
  filterDev: string | undefined,
): FdbEntry | undefined {
  const text = line.includes('\t') ? line.replace(/\t/g, ' ') : line;
  const n = text.length;
  let p = 0;
  let q = wordEnd(text, p);
  while (q === p && p < n) q = wordEnd(text, ++p);
  const mac = readMac(p === 0 && q === n ? text : text.slice(p, q));
  if (mac === undefined) return undefined;
  const entry: FdbEntry = { loc: { file, line: lineNo }, mac, flags: [] };
  if (filterDev !== undefined) entry.dev = filterDev;
  let key: string | undefined;
  while (q < n) {
    p = q + 1;
    q = wordEnd(text, p);
    if (q === p) continue;
    if (key !== undefined) {
      setValue(entry, key, text.slice(p, q));
      key = undefined;
      continue;
    }
    const word = knownWord(text, p, q);
    if (word === undefined) addFlag(entry, text.slice(p, q));
    else if (IS_VALUE_KEY.has(word)) {
      key = word;
      if (word === 'master') addFlag(entry, 'master');
    } else if (IS_STATE.has(word)) entry.state = word;
    else addFlag(entry, word);
  }
  return entry;
}

function wordEnd(text: string, from: number): number {
  const i = text.indexOf(' ', from);
  return i === -1 ? text.length : i;
}

function setValue(entry: FdbEntry, key: string, value: string): void {
  switch (key) {
    case 'dev':
      entry.dev = value;
      break;
    case 'dst':
      entry.dst = canonicalIp(value);
      break;
    case 'via':
      entry.via = value;
      break;
    case 'master':
      entry.master = value;
      break;
    case 'vlan':
    case 'port':
    case 'vni':
    case 'nhid':
      setNumber(entry, key, value);
      break;
    case 'src_vni':
      setNumber(entry, 'srcVni', value);
      break;
    default:
      // `used 3/10` (-s) and `link-netnsid 0`: not modelled.
      break;
  }
}

function addFlag(entry: FdbEntry, flag: string): void {
  if (!entry.flags.includes(flag)) entry.flags.push(flag);
}

function setNumber(
  entry: FdbEntry,
  key: 'vlan' | 'port' | 'vni' | 'srcVni' | 'nhid',
  text: string | undefined,
): void {
  const n = toInt(text);
  if (n !== undefined) entry[key] = n;
}

/** Numeric fields of `bridge -j fdb` and their FdbEntry names. */
const JSON_NUMBERS = [
  ['vlan', 'vlan'],
  ['port', 'port'],
  ['vni', 'vni'],
  ['src_vni', 'srcVni'],
  ['nhid', 'nhid'],
] as const;

function parseJson(
  lines: readonly Line[],
  ledger: Ledger,
  fdb: FdbEntry[],
  filterDev: string | undefined,
): void {
  const { items, issueLines } = readJsonItems(lines, ledger);
  for (const item of items) {
    const v = item.value;
    const mac = readMac(asString(v['mac']) ?? '');
    if (mac === undefined) {
      ledger.report(item.line, 'bridge fdb JSON element without a MAC address');
      ledger.partial('JSON elements not read');
      issueLines.add(item.line);
      continue;
    }
    const entry: FdbEntry = { loc: ledger.loc(item.line, item.endLine), mac, flags: [] };
    const dev = asString(v['ifname']) ?? filterDev;
    if (dev !== undefined) entry.dev = dev;
    const dst = asString(v['dst']);
    if (dst !== undefined) entry.dst = canonicalIp(dst);
    const via = asString(v['viaIf']) ?? asString(v['via']);
    if (via !== undefined) entry.via = via;
    for (const [json, key] of JSON_NUMBERS) {
      const n = asNumber(v[json]);
      if (n !== undefined) entry[key] = n;
    }
    for (const f of asStringArray(v['flags'])) addFlag(entry, f);
    const master = asString(v['master']);
    if (master !== undefined) {
      entry.master = master;
      addFlag(entry, 'master');
    }
    const state = asString(v['state']);
    if (state !== undefined && state !== '') entry.state = state;
    fdb.push(entry);
  }
  accountJsonLines(
    lines,
    ledger,
    fdb.map((e) => e.loc),
    issueLines,
  );
}

export const bridgeFdbParser: Parser = {
  id: 'bridge-fdb',
  title: 'bridge forwarding database (bridge fdb show)',
  commands: [
    'bridge fdb show',
    'bridge fdb show dev flannel.1',
    'bridge fdb show br cni0',
    'bridge -j fdb show',
  ],
  matchesCommand,
  detect,
  parse,
};
