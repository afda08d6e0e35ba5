// Helpers shared by the link-family parsers (ip-link, bridge-link, ifconfig, bridge-fdb, brctl): the
// `N: name@link: <FLAGS> key value …` header iproute2 prints for every link, interface-kind guessing,
// `ip`/`bridge` sub-command matching, and locating `-j` array elements on their lines.

import type { Node as JsonNode } from 'jsonc-parser';
import type { Family, InterfaceKind, SourceLocation } from '../model/types';
import {
  abbreviates,
  asRecord,
  basename,
  isBlank,
  isElision,
  jsonValue,
  type Ledger,
  parseJsonLines,
  toInt,
  tokens,
} from './common';
import { isIPv4, normalizeMac } from '../util/ip';
import type { Line } from './parser';

/** `5: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 …` split into its parts. */
export interface LinkHeader {
  ifindex: number;
  name: string;
  /** What follows `@`: `if2`, `eth0`, `NONE`. */
  link?: string;
  flags: string[];
  /** The words after `<…>`: `mtu 1450 qdisc noqueue master cni0 state UP …`. */
  rest: string;
}

/** Quick test before parsing: a link header starts with digits and has `: <`. */
export function looksLikeLinkHeader(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 48 && c <= 57 && text.includes(': <');
}

/** Reads `N: name[@link]: <FLAGS> rest` without a regex (one per link of a long dump). */
export function parseLinkHeader(text: string): LinkHeader | undefined {
  if (!looksLikeLinkHeader(text)) return undefined;
  const colon = text.indexOf(':');
  const ifindex = toInt(text.slice(0, colon));
  if (ifindex === undefined) return undefined;
  let nameStart = colon + 1;
  while (text.charCodeAt(nameStart) === 32 || text.charCodeAt(nameStart) === 9) nameStart++;
  const nameEnd = text.indexOf(': <', nameStart);
  const flagsEnd = text.indexOf('>', nameEnd + 3);
  if (nameEnd <= nameStart || flagsEnd === -1) return undefined;
  const full = text.slice(nameStart, nameEnd);
  if (full.includes(' ') || full.includes('\t')) return undefined;
  const flagText = text.slice(nameEnd + 3, flagsEnd);
  const at = full.indexOf('@');
  const header: LinkHeader = {
    ifindex,
    name: at > 0 ? full.slice(0, at) : full,
    flags: flagText === '' ? [] : flagText.split(','),
    rest: text.slice(flagsEnd + 1),
  };
  if (at > 0 && at < full.length - 1) header.link = full.slice(at + 1);
  return header;
}

/** The word starting at or after `from` (skipping blanks), read in place; '' at the end of the line. */
export function wordAt(text: string, from = 0): string {
  let start = from;
  const n = text.length;
  while (start < n && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  let end = start;
  while (end < n && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 9) end++;
  return text.slice(start, end);
}

/** The word after ` key ` in `text` (`link-netns flu`), read in place. */
export function wordAfter(text: string, key: string, from = 0): string | undefined {
  const needle = ` ${key} `;
  const i = text.indexOf(needle, from);
  if (i === -1) return undefined;
  const start = i + needle.length;
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 9) end++;
  return end > start ? text.slice(start, end) : undefined;
}

/** `name@link` → its parts. */
export function splitAt(full: string): { name: string; link?: string } {
  const at = full.indexOf('@');
  if (at <= 0 || at === full.length - 1) return { name: full };
  return { name: full.slice(0, at), link: full.slice(at + 1) };
}

const IF_PEER = /^if\d+$/;

/** The kind a link's name and `@` peer suggest when the output does not say it. */
export function guessKind(name: string, link?: string): InterfaceKind {
  if (name === 'lo') return 'loopback';
  if (name.startsWith('flannel.') || name.startsWith('vxlan')) return 'vxlan';
  if (name.startsWith('veth') || (link !== undefined && IF_PEER.test(link))) return 'veth';
  if (
    name === 'cni0' ||
    name === 'cbr0' ||
    name.startsWith('docker') ||
    name.startsWith('br') ||
    name.startsWith('virbr')
  )
    return 'bridge';
  if (name.startsWith('bond')) return 'bond';
  if (name.startsWith('eth') || name.startsWith('en') || name.startsWith('em') || name.startsWith('ib'))
    return 'physical';
  return 'other';
}

/** The model's kind for a kernel link kind (`ip -d link`: `vxlan`, `bridge`, `veth`, `bond`, `dummy`, …). */
export function kindOfLinkKind(linkKind: string): InterfaceKind {
  switch (linkKind) {
    case 'vxlan':
    case 'bridge':
    case 'veth':
    case 'bond':
      return linkKind;
    default:
      return 'other';
  }
}

const MAC_RE = /^[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}$/;

/**
 * The MAC in `text`, lower case with two digits per octet (`86:29:6f:2:69:c5` → `86:29:6f:02:69:c5`), or
 * undefined when `text` is not a MAC. Checks iproute2's own form (17 lower-case characters) without a regex.
 */
export function readMac(text: string): string | undefined {
  if (text.length === 17) {
    let upper = false;
    let ok = true;
    for (let i = 0; i < 17 && ok; i++) {
      const c = text.charCodeAt(i);
      if (i % 3 === 2) ok = c === 58;
      else if (c >= 65 && c <= 70) upper = true;
      else ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
    }
    if (ok) return upper ? text.toLowerCase() : text;
  }
  return text.length >= 11 && text.length <= 17 && MAC_RE.test(text) ? normalizeMac(text) : undefined;
}

/**
 * `10.27.1.0/32`, `fe80::1/64` or a bare address (host prefix) as iproute2 prints them, checked with a few
 * character tests instead of a full IPv6 parse (`ip addr` lists one or more per link).
 */
export function readCidr(
  text: string,
  family?: Family,
): { address: string; prefixLen: number; family: Family } | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const fam: Family = address.includes(':') ? 'inet6' : 'inet';
  if (family !== undefined && fam !== family) return undefined;
  const max = fam === 'inet' ? 32 : 128;
  let prefixLen = max;
  if (slash !== -1) {
    const p = toInt(text.slice(slash + 1));
    if (p === undefined || p < 0 || p > max) return undefined;
    prefixLen = p;
  }
  if (fam === 'inet' ? !isIPv4(address) : !looksLikeIPv6(address)) return undefined;
  return { address: fam === 'inet6' ? address.toLowerCase() : address, prefixLen, family: fam };
}

/** A cheap IPv6 syntax check (hex digits, colons, at most one `::`), enough for addresses a tool printed. */
export function looksLikeIPv6(text: string): boolean {
  if (text.length < 2 || text.length > 45) return false;
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) colons++;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46))
      return false;
  }
  if (colons < 2 || colons > 7) return false;
  const dbl = text.indexOf('::');
  return dbl === -1 ? colons === 7 || text.includes('.') : text.indexOf('::', dbl + 1) === -1;
}

/**
 * Whitespace tokens, faster than `tokens()` for the single-space lines iproute2 prints (a plain split, with
 * empty words dropped); falls back to `tokens()` when the line has tabs.
 */
export function words(text: string): string[] {
  if (text.includes('\t')) return tokens(text);
  const parts = text.split(' ');
  for (const p of parts) if (p === '') return parts.filter((w) => w !== '');
  return parts;
}

/** Is the line blank or a `...` elision? Looks at the first visible character only, unless it is a dot. */
export function isBlankOrElision(text: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n && text.charCodeAt(i) <= 32) i++;
  if (i === n) return true;
  const c = text.charCodeAt(i);
  return (c === 46 || c === 0x2026) && isElision(text);
}

/** Extends a record's location (created by this parser) to a later line. */
export function extendTo(loc: SourceLocation, line: number): void {
  if (line > loc.line) loc.endLine = line;
}

// ---------------------------------------------------------------------------------------------------
// Command matching

const BRIDGE_OPTIONS_WITH_VALUE = new Set(['-n', '-netns', '-b', '-batch']);

/** Reads `bridge [OPTIONS] OBJECT [COMMAND …]`, like `readIpCommand` does for `ip`. */
export function readBridgeCommand(
  argv: readonly string[],
): { options: string[]; object: string; rest: string[] } | undefined {
  if (argv.length === 0 || basename(argv[0] ?? '') !== 'bridge') return undefined;
  const options: string[] = [];
  let i = 1;
  while (i < argv.length && (argv[i] ?? '').startsWith('-')) {
    const opt = argv[i] ?? '';
    options.push(opt);
    i++;
    if (BRIDGE_OPTIONS_WITH_VALUE.has(opt) && i < argv.length) options.push(argv[i++] ?? '');
  }
  const object = argv[i];
  if (object === undefined) return undefined;
  return { options, object, rest: argv.slice(i + 1) };
}

/**
 * Is `word` the `show` command of an iproute2 object? `show`/`list`/`lst` abbreviate, but iproute2 tries
 * `set` (link) before `show`, so for those objects a lone `s` means set: `minShow` says how long a `show`
 * abbreviation must be.
 */
export function isShowWord(word: string | undefined, minShow: number): boolean {
  if (word === undefined) return true;
  return abbreviates(word, 'show', minShow) || abbreviates(word, 'list') || abbreviates(word, 'lst');
}

/** Does the command carry an option abbreviating `full` (`-d`, `-det`, `-details`; `--details` too)? */
export function hasOption(options: readonly string[], full: string, minLength: number): boolean {
  for (const o of options) {
    const word = o.startsWith('--') ? o.slice(2) : o.slice(1);
    if (word.length >= minLength && full.startsWith(word)) return true;
  }
  return false;
}

/** The value following `key` in `words` (`type bridge` → `bridge`). */
export function valueAfter(words: readonly string[], key: string): string | undefined {
  const i = words.indexOf(key);
  return i === -1 ? undefined : words[i + 1];
}

// ---------------------------------------------------------------------------------------------------
// JSON output (`ip -j`, `bridge -j`)

/** Does the output look like JSON (first meaningful line starts with `[` or `{`)? */
export function isJsonOutput(lines: readonly Line[]): boolean {
  for (const l of lines) {
    if (isBlank(l.text) || isElision(l.text)) continue;
    const t = l.text.trimStart();
    return t.startsWith('[') || t.startsWith('{');
  }
  return false;
}

/** Does a JSON paste starting at `lines[index]` name all of `keys` in its first few lines? */
export function jsonHeadHas(lines: readonly Line[], index: number, keys: readonly string[]): boolean {
  const first = lines[index]?.text.trimStart() ?? '';
  if (!first.startsWith('[') && !first.startsWith('{')) return false;
  let head = '';
  for (let i = index; i < lines.length && i < index + 16 && head.length < 4000; i++)
    head += lines[i]?.text ?? '';
  return keys.every((k) => head.includes(k));
}

export interface JsonSpan {
  line: number;
  endLine: number;
}

export interface JsonItem extends JsonSpan {
  value: Record<string, unknown>;
  /** Where the elements of the array under `nestedKey` (e.g. `addr_info`) sit, in order. */
  nested: JsonSpan[];
}

export interface JsonItems {
  items: JsonItem[];
  /** Lines already reported (invalid JSON); callers add the lines they report. */
  issueLines: Set<number>;
}

/**
 * Parses a JSON array of objects (or a single object) and locates each element on its lines, and the elements of
 * the array under `nestedKey` in each. Valid JSON takes the fast road (`JSON.parse` and one scan of the text);
 * invalid JSON is read tolerantly by jsonc-parser and its errors are reported on their lines. The caller turns
 * items into records, then calls `accountJsonLines` with the records' locations.
 */
export function readJsonItems(lines: readonly Line[], ledger: Ledger, nestedKey?: string): JsonItems {
  const starts: number[] = [];
  let text = '';
  for (const l of lines) {
    starts.push(text.length);
    text += `${l.text}\n`;
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return readJsonItemsTolerant(lines, ledger, nestedKey);
  }
  const lineOf = (offset: number): number => lines[lastAtOrBefore(starts, offset)]?.line ?? 1;
  const values = Array.isArray(root) ? root : [root];
  const items: JsonItem[] = [];
  const contentLines = lines.filter((l) => !isBlank(l.text));
  if (contentLines.length <= 1) {
    // Compact output (`ip -j`): every element is on the one line.
    const line = contentLines[0]?.line ?? lines[0]?.line ?? 1;
    for (const v of values) {
      const value = asRecord(v);
      if (!value) continue;
      const inner = nestedKey === undefined ? undefined : value[nestedKey];
      const nested = Array.isArray(inner) ? inner.map(() => ({ line, endLine: line })) : [];
      items.push({ value, line, endLine: line, nested });
    }
    return { items, issueLines: new Set() };
  }
  const spans = scanJson(text, Array.isArray(root), nestedKey);
  values.forEach((v, i) => {
    const value = asRecord(v);
    const span = spans[i];
    if (!value || !span) return;
    items.push({
      value,
      line: lineOf(span.start),
      endLine: lineOf(span.end),
      nested: span.nested.map(([a, b]) => ({ line: lineOf(a), endLine: lineOf(b) })),
    });
  });
  return { items, issueLines: new Set() };
}

function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

interface Span {
  start: number;
  end: number;
  nested: [number, number][];
}

/**
 * The offsets of the top-level elements of valid JSON text (the root itself when it is not an array), and of the
 * objects in the array under `nestedKey` of each element. One pass over the characters.
 */
function scanJson(text: string, rootIsArray: boolean, nestedKey: string | undefined): Span[] {
  const spans: Span[] = [];
  const elementDepth = rootIsArray ? 1 : 0; // containers open around an element's first character
  let depth = 0;
  let current: Span | undefined;
  let lastStringIsKey = false;
  let nestedDepth = -1; // depth inside the nested array, when in one
  let nestedStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const from = i + 1;
      for (i = from; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      lastStringIsKey =
        nestedKey !== undefined &&
        depth === elementDepth + 1 &&
        i - from === nestedKey.length &&
        text.startsWith(nestedKey, from);
      continue;
    }
    if (c === 123 || c === 91) {
      if (depth === elementDepth) current = { start: i, end: i, nested: [] };
      else if (c === 91 && depth === elementDepth + 1 && lastStringIsKey) nestedDepth = depth + 1;
      else if (c === 123 && depth === nestedDepth) nestedStart = i;
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === elementDepth && current) {
        current.end = i;
        spans.push(current);
        current = undefined;
      } else if (c === 125 && depth === nestedDepth) current?.nested.push([nestedStart, i]);
      else if (c === 93 && depth === nestedDepth - 1) nestedDepth = -1;
    } else if (depth === elementDepth && c > 32 && c !== 44) {
      // A bare value at element level (number, true, null …): an element that is not a record.
      const start = i;
      while (i + 1 < n && !isJsonDelimiter(text.charCodeAt(i + 1))) i++;
      spans.push({ start, end: i, nested: [] });
    }
  }
  return spans;
}

function isJsonDelimiter(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c <= 32;
}

/** Invalid JSON: read what can be read, report the errors. */
function readJsonItemsTolerant(
  lines: readonly Line[],
  ledger: Ledger,
  nestedKey: string | undefined,
): JsonItems {
  const doc = parseJsonLines(lines);
  const issueLines = new Set<number>();
  for (const e of doc.errors) {
    if (issueLines.has(e.line)) continue;
    issueLines.add(e.line);
    ledger.report(e.line, e.message);
  }
  const spanOf = (node: JsonNode): JsonSpan => ({
    line: doc.lineOf(node.offset),
    endLine: doc.lineOf(node.offset + Math.max(0, node.length - 1)),
  });
  const items: JsonItem[] = [];
  const root = doc.root;
  const nodes = root === undefined ? [] : root.type === 'array' ? (root.children ?? []) : [root];
  for (const node of nodes) {
    if (node.type !== 'object') continue;
    const value = asRecord(jsonValue(node));
    if (value === undefined) continue;
    const inner = nestedKey === undefined ? undefined : childNode(node, nestedKey);
    const nested = inner?.type === 'array' ? (inner.children ?? []).map(spanOf) : [];
    items.push({ value, ...spanOf(node), nested });
  }
  return { items, issueLines };
}

/** Skips every JSON line no record covers and no issue names (brackets, empty objects, blanks). */
export function accountJsonLines(
  lines: readonly Line[],
  ledger: Ledger,
  covered: readonly SourceLocation[],
  issueLines: ReadonlySet<number>,
): void {
  const ranges = covered.map((l) => [l.line, l.endLine ?? l.line] as const).sort((a, b) => a[0] - b[0]);
  let r = 0;
  let maxEnd = -Infinity;
  for (const l of lines) {
    while (r < ranges.length && (ranges[r]?.[0] ?? Infinity) <= l.line) {
      maxEnd = Math.max(maxEnd, ranges[r]?.[1] ?? -Infinity);
      r++;
    }
    if (l.line <= maxEnd) continue;
    if (!issueLines.has(l.line)) ledger.skip(l.line);
  }
}

/** The node under `key` of an object node. */
function childNode(node: JsonNode, key: string): JsonNode | undefined {
  for (const prop of node.children ?? []) {
    const k = prop.children?.[0];
    if (k && k.value === key) return prop.children?.[1];
  }
  return undefined;
}

export function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
