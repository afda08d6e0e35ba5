// Helpers shared by the link-family parsers (ip-link, bridge-link, ifconfig, bridge-fdb, brctl): the
// `N: name@link: <FLAGS> key value …` header iproute2 prints for every link, new Interface records and
// interface-kind guessing, `bridge` command and option matching, and `-j` array elements read and located on
// their lines (with `readJson` from common.ts).

import type { Interface, InterfaceKind, SourceLocation } from '../model/types';
import {
  asNumber,
  asRecord,
  asString,
  isBlankOrElision,
  isShowWord,
  type JsonElement,
  type Ledger,
  readJson,
  readToolCommand,
  type ToolCommand,
  toInt,
} from './common';
import type { Line, ParserInput } from './parser';
import { keepsAdjacentLines } from '../snapshot/command';

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

/** A new Interface record, with no addresses yet: up when its flags say UP. */
export function newInterface(
  loc: SourceLocation,
  name: string,
  flags: string[],
  kind: InterfaceKind = 'other',
): Interface {
  return { loc, name, kind, flags, up: flags.includes('UP'), addresses: [] };
}

/** Reads `mtu N` and `master BR` from the words after a link header's flags; returns the word after `state`. */
export function readHeaderRest(iface: Interface, rest: string): string | undefined {
  const mtu = toInt(wordAfter(rest, 'mtu'));
  if (mtu !== undefined) iface.mtu = mtu;
  const master = wordAfter(rest, 'master');
  if (master !== undefined) iface.master = master;
  return wordAfter(rest, 'state');
}

/** Reads `ifindex`, `mtu` and `master` of a `-j` link element (`ip -j link`, `bridge -j link`). */
export function readJsonLinkFields(iface: Interface, v: Record<string, unknown>): void {
  const ifindex = asNumber(v['ifindex']);
  if (ifindex !== undefined) iface.ifindex = ifindex;
  const mtu = asNumber(v['mtu']);
  if (mtu !== undefined) iface.mtu = mtu;
  const master = asString(v['master']);
  if (master !== undefined) iface.master = master;
}

/** Extends a record's location (created by this parser) to a later line. */
export function extendTo(loc: SourceLocation, line: number): void {
  if (line > loc.line) loc.endLine = line;
}

// ---------------------------------------------------------------------------------------------------
// Command matching

const BRIDGE_OPTIONS_WITH_VALUE = new Set(['-n', '-netns', '-b', '-batch']);

/** Reads `bridge [OPTIONS] OBJECT [COMMAND …]`, like `readIpCommand` does for `ip`. */
export function readBridgeCommand(argv: readonly string[]): ToolCommand | undefined {
  return readToolCommand(argv, 'bridge', BRIDGE_OPTIONS_WITH_VALUE);
}

/** Is `argv` a `bridge OBJECT show` (`objects`: the spellings of OBJECT; `minShow` as for `isShowWord`)? */
export function isBridgeShow(argv: readonly string[], objects: readonly string[], minShow: number): boolean {
  const cmd = readBridgeCommand(argv);
  return cmd !== undefined && objects.includes(cmd.object) && isShowWord(cmd.rest[0], minShow);
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
    if (isBlankOrElision(l.text)) continue;
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

/** An element of `-j` output that is an object. */
export interface JsonItem extends JsonElement {
  value: Record<string, unknown>;
}

export interface JsonItems {
  items: JsonItem[];
  /** Lines already reported (invalid JSON); callers add the lines they report. */
  issueLines: Set<number>;
}

/**
 * Reads a JSON array of objects (or a single object) and locates each element on its lines, and the elements of
 * the array under `nestedKey` in each (`readJson`); reports invalid JSON on its lines. Elements that are not
 * objects are passed over. The caller turns items into records, then calls `accountJsonLines` with the records'
 * locations.
 */
export function readJsonItems(lines: readonly Line[], ledger: Ledger, nestedKey?: string): JsonItems {
  const json = readJson(lines, nestedKey);
  const issueLines = new Set<number>();
  for (const e of json.errors) {
    issueLines.add(e.line);
    ledger.report(e.line, e.message);
    ledger.partial('invalid JSON');
  }
  const items: JsonItem[] = [];
  for (const element of json.elements) {
    const value = asRecord(element.value);
    if (value !== undefined)
      items.push({ value, line: element.line, endLine: element.endLine, nested: element.nested });
    else {
      // `[1, "x", null]` is no empty listing: elements that are not records make it partial.
      ledger.partial('JSON elements not read');
      if (!issueLines.has(element.line)) {
        issueLines.add(element.line);
        ledger.report(
          element.line,
          `JSON element is not an object (${describeJson(element.value)}): not read`,
        );
      }
    }
  }
  return { items, issueLines };
}

function describeJson(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
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

/**
 * Can an indented line be read as a detail of the header above it? `all`: the output is whole. `runs`: a
 * filter kept runs of adjacent lines (`head`, `grep -A2`), and grep marks the gaps between runs with `--`.
 * `none`: a filter (`| grep X`) may have dropped the lines between them — `ip addr | grep fl` keeps eth0's
 * `link/ether … link-netns flu` line right under `3: flannel.1:`.
 */
export function adjacency(input: ParserInput): 'all' | 'runs' | 'none' {
  if (input.command?.filtered !== true) return 'all';
  return keepsAdjacentLines(input.command.raw) ? 'runs' : 'none';
}
