// `route -n` (net-tools) and its relatives: `route -ne`, `route -nee`, `route -6 -n` / `route -A inet6 -n`,
// plain `route` (names instead of addresses) and `netstat -rn`, whose table is the same. Columns are read by
// the header when there is one, else by the command's options, else by the row's shape (grep'd output).

import type { Family, Route } from '../model/types';
import { canonicalIp, ipv4ToNumberIn, isIPv4, isIPv6, parseCidr, formatCidr } from '../util/ip';
import { basename, leadingWords, type Ledger, rowTokens, safeParse } from './common';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

/**
 * Column layouts: `n` Destination Gateway Genmask Flags Metric Ref Use Iface; `e` … Flags MSS Window irtt
 * Iface; `ee` … Flags Metric Ref Use Iface MSS Window irtt; `inet6` Destination Next-Hop Flag Met Ref Use If.
 */
type Layout = 'n' | 'e' | 'ee' | 'inet6';

interface RouteOptions {
  layout: Layout;
  family: Family;
}

const FLAGS = /^[A-Za-z!]+$/;
const BANNER = /^Kernel IP(v6)? routing (table|cache)/;
const HEADER = /^Destination\s+(Gateway\s+Genmask|Next Hop\s+Flag)/;
const NO_ADDRESS = new Set(['0.0.0.0', '*', '-', '::', '[::]']);
/** `/etc/networks` names every distribution ships; others cannot be resolved from the output. */
const NETWORK_NAMES = new Map([['link-local', '169.254.0.0']]);

/** Reads `route` / `netstat -r` options; undefined when the command does not print the routing table. */
function readOptions(argv: readonly string[]): RouteOptions | undefined {
  const cmd = basename(argv[0] ?? '');
  if (cmd !== 'route' && cmd !== 'netstat') return undefined;
  let extend = 0;
  let inet6 = false;
  let routeMode = cmd === 'route';
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (w.startsWith('--')) {
      if (w === '--extend') extend++;
      else if (w === '--inet6') inet6 = true;
      else if (w === '--route') routeMode = true;
      else if (w === '--cache' || w === '--help' || w === '--version') return undefined;
      else if (w.startsWith('--family=')) inet6 = w.endsWith('inet6');
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        if (c === 'e') extend++;
        else if (c === '6') inet6 = true;
        else if (c === 'r') routeMode = true;
        else if (c === 'C' || c === 'h' || c === 'V') return undefined;
        else if (c === 'A' && k === w.length - 1) {
          inet6 = (argv[i + 1] ?? '').includes('inet6');
          i++;
        }
      }
      continue;
    }
    // An operand: `route add …`, `route del …`, `route flush` change the table instead of printing it.
    if (cmd === 'route') return undefined;
  }
  if (!routeMode) return undefined;
  if (inet6) return { layout: 'inet6', family: 'inet6' };
  // netstat prints the MSS layout by default and the Metric one with -e; route the other way round.
  const level = cmd === 'netstat' ? (extend === 0 ? 1 : extend === 1 ? 0 : 2) : extend;
  return { layout: level === 0 ? 'n' : level === 1 ? 'e' : 'ee', family: 'inet' };
}

function layoutOfHeader(t: readonly string[]): Layout {
  if (t.includes('Next') || t.includes('If')) return 'inet6';
  const mss = t.includes('MSS');
  const metric = t.includes('Metric');
  return mss && metric ? 'ee' : mss ? 'e' : 'n';
}

/** A headerless IPv4 row (its first five words): address, gateway, netmask, flag letters, a number. */
function isIPv4Row(t: readonly string[]): boolean {
  const dst = t[0] ?? '';
  const gw = t[1] ?? '';
  const mask = t[2] ?? '';
  const flags = t[3] ?? '';
  const num = t[4] ?? '';
  return (
    (isIPv4(dst) || dst === 'default') &&
    (isIPv4(gw) || gw === '*' || gw === '-') &&
    prefixOfMask(mask) !== undefined &&
    FLAGS.test(flags) &&
    (num === '-' || intOf(num) !== undefined)
  );
}

/** A headerless `route -6` row (its first four words): prefix, next hop, flags, metric. */
function isIPv6Row(t: readonly string[]): boolean {
  const dst = t[0] ?? '';
  const hop = t[1] ?? '';
  const flags = t[2] ?? '';
  const met = t[3] ?? '';
  return (
    dst.includes('/') &&
    dst.includes(':') &&
    parseCidr(unbracket(dst), 'inet6') !== undefined &&
    isIPv6(unbracket(hop)) &&
    FLAGS.test(flags) &&
    intOf(met) !== undefined
  );
}

/**
 * `255.255.255.0` → 24 without a regular expression or a split (every row has a Genmask); undefined when
 * not a contiguous dotted-quad mask. Agrees with `netmaskToPrefix`.
 */
function prefixOfMask(mask: string, start = 0, end = mask.length): number | undefined {
  const n = end - start;
  if (n < 7 || n > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 : mask.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || octet > 255) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits === 1 && octet === 0)) return undefined;
    octet = octet * 10 + d;
    digits++;
  }
  if (dots !== 4) return undefined;
  const inverted = 0xffffffff - value;
  // contiguous: the inverted mask is 2^k - 1
  if ((inverted & (inverted + 1)) !== 0 && inverted !== 0xffffffff) return undefined;
  let bits = 0;
  for (let v = inverted; v > 0; v = Math.floor(v / 2)) bits++;
  return 32 - bits;
}

/** A decimal integer (optionally negative), without a regular expression: rows have several. */
function intOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : intIn(text, 0, text.length);
}

/** `intOf(text.slice(start, end))` without making the string. */
function intIn(text: string, start: number, end: number): number | undefined {
  if (end - start === 0 || end - start > 15) return undefined;
  const negative = text.charCodeAt(start) === 45;
  let i = negative ? start + 1 : start;
  if (i === end) return undefined;
  let n = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return negative ? -n : n;
}

function unbracket(text: string): string {
  return text.replace('[', '').replace(']', '');
}

function metricOf(text: string | undefined): number | undefined {
  return unsignedMetric(intOf(text));
}

/** route prints the kernel's unsigned 32-bit metric as a signed number (`-1` for 4294967295). */
function unsignedMetric(n: number | undefined): number | undefined {
  return n !== undefined && n < 0 ? n + 2 ** 32 : n;
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text;
  if (text === undefined) return false;
  const s = text.trimStart();
  const c = s.charAt(0);
  if (c === 'K') return BANNER.test(s) && !s.includes('cache');
  if (c === 'D') return HEADER.test(s);
  if ((c >= '0' && c <= '9') || c === 'd' || c === 'f' || c === ':' || c === '[') {
    const t = leadingWords(s, 5);
    return t.length === 5 && (isIPv4Row(t) || isIPv6Row(t));
  }
  return false;
}

interface State {
  ledger: Ledger;
  routes: Route[];
  layout: Layout | undefined;
  truncationNoted: boolean;
  /** The last flags, gateway and device read by readPlainIPv4Row: rows repeat them, routes share them. */
  flags: string;
  gateway: string;
  dev: string;
  /** The last netmask readPlainIPv4Row read, and its prefix length: rows repeat it too. */
  mask: string;
  prefix: number;
}

/** The most words readPlainIPv4Row reads: the `-ee` layout's. */
const PLAIN_WORDS = 11;
/** Where the words of the row readPlainIPv4Row reads start and end: reused, not made for every row. */
const wordStart = new Int32Array(PLAIN_WORDS);
const wordEnd = new Int32Array(PLAIN_WORDS);

/**
 * Finds the words of `text` (into wordStart/wordEnd) and returns how many; -1 when there are more than
 * PLAIN_WORDS or a character other than printable ASCII, space and tab, which `tokens` (`\s+`) might
 * split differently.
 */
function scanPlainWords(text: string): number {
  const n = text.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (count === PLAIN_WORDS) return -1;
    wordStart[count] = i;
    do {
      if (c < 33 || c > 126) return -1;
      c = ++i < n ? text.charCodeAt(i) : 32;
    } while (c !== 32 && c !== 9);
    wordEnd[count++] = i;
  }
  return count;
}

/** `text.slice(start, end)`, or `last` when it holds the same characters (one string for many rows). */
function sameOrSlice(last: string, text: string, start: number, end: number): string {
  return last.length === end - start && text.startsWith(last, start) ? last : text.slice(start, end);
}

/** `/0` … `/32`: a route's CIDR is its address and one of these. */
const PREFIX_SUFFIX = Array.from({ length: 33 }, (_, p) => `/${p}`);

/** Flag letters (FLAGS) of `text.slice(start, end)`: 1 when they are, 2 when one is `!`, 0 when not. */
function flagsIn(text: string, start: number, end: number): 0 | 1 | 2 {
  let reject = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 33) reject = true;
    else if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return 0;
  }
  return reject ? 2 : 1;
}

/**
 * The common IPv4 row (every column there, addresses rather than names, nothing to report) read from
 * its text without splitting it into words: the same Route parseIPv4Row makes of it, with fewer strings
 * made and kept (a 130,000-route table spent half its time collecting them). False, having done
 * nothing, for any other row: parseIPv4Row reads those and says what is wrong with them.
 */
function readPlainIPv4Row(state: State, line: Line): boolean {
  const text = line.text;
  const count = scanPlainWords(text);
  // As parse and parseIPv4Row choose it: 11 words are -ee, 8 follow the header (-ee's header: -n).
  if (count !== 8 && count !== PLAIN_WORDS) return false;
  const rowLayout: Layout = count === PLAIN_WORDS ? 'ee' : state.layout === 'e' ? 'e' : 'n';
  // Word k runs from wordStart[k] to wordEnd[k]: destination 0, gateway 1, mask 2, flags 3, metric 4,
  // device 7.
  const d0 = wordStart[0] ?? 0;
  const d1 = wordEnd[0] ?? 0;
  const g0 = wordStart[1] ?? 0;
  const g1 = wordEnd[1] ?? 0;
  const v0 = wordStart[7] ?? 0;
  const v1 = wordEnd[7] ?? 0;
  const named = d1 - d0 === 7 && text.startsWith('default', d0);
  if (!named && ipv4ToNumberIn(text, d0, d1) === undefined) return false;
  const m0 = wordStart[2] ?? 0;
  const m1 = wordEnd[2] ?? 0;
  const sameMask = state.mask.length === m1 - m0 && text.startsWith(state.mask, m0);
  const prefix = sameMask ? state.prefix : prefixOfMask(text, m0, m1);
  const f0 = wordStart[3] ?? 0;
  const f1 = wordEnd[3] ?? 0;
  const flagKind = flagsIn(text, f0, f1);
  if (prefix === undefined || flagKind === 0) return false;
  const dstAddr = named ? '0.0.0.0' : text.slice(d0, d1);
  // A flannel route's gateway is its destination address: read once, one string for both.
  const gwIsDst = !named && g1 - g0 === d1 - d0 && text.startsWith(dstAddr, g0);
  const gwAddress = gwIsDst || ipv4ToNumberIn(text, g0, g1) !== undefined;
  const gwNone = g1 - g0 === 1 && (text.charCodeAt(g0) === 42 || text.charCodeAt(g0) === 45);
  if (!gwAddress && !gwNone) return false;
  const devNone = v1 - v0 === 1 && (text.charCodeAt(v0) === 42 || text.charCodeAt(v0) === 45);
  if (rowLayout === 'ee' && !devNone && v1 - v0 === 6 && !state.truncationNoted) return false;

  if (!sameMask) {
    state.mask = text.slice(m0, m1);
    state.prefix = prefix;
  }
  let gateway: string | undefined;
  if (gwAddress && !(g1 - g0 === 7 && text.startsWith('0.0.0.0', g0))) {
    gateway = gwIsDst ? dstAddr : (state.gateway = sameOrSlice(state.gateway, text, g0, g1));
  }
  const flags = (state.flags = sameOrSlice(state.flags, text, f0, f1));
  const metric =
    rowLayout === 'e' ? undefined : unsignedMetric(intIn(text, wordStart[4] ?? 0, wordEnd[4] ?? 0));
  const dev = devNone ? undefined : (state.dev = sameOrSlice(state.dev, text, v0, v1));
  const loc = state.ledger.loc(line.line);
  const dst = dstAddr + (PREFIX_SUFFIX[prefix] as string);
  const type = flagKind === 2 ? 'unreachable' : 'unicast';
  // Keys in parseIPv4Row's order; the usual row in one literal, so that no field is added afterwards.
  let route: Route;
  if (gateway !== undefined && metric !== undefined && dev !== undefined) {
    route = { loc, family: 'inet', dst, type, flags, onlink: false, gateway, metric, dev };
  } else {
    route = { loc, family: 'inet', dst, type, flags, onlink: false };
    if (gateway !== undefined) route.gateway = gateway;
    if (metric !== undefined) route.metric = metric;
    if (dev !== undefined) route.dev = dev;
  }
  state.routes.push(route);
  return true;
}

function parseIPv4Row(state: State, line: Line, t: readonly string[], layout: Layout): void {
  const { ledger } = state;
  const dstText = t[0] ?? '';
  const gwText = t[1] ?? '';
  const maskText = t[2] ?? '';
  const flags = t[3] ?? '';
  const prefix = prefixOfMask(maskText);
  if (t.length < 4 || prefix === undefined || !FLAGS.test(flags)) {
    ledger.unrecognized(line, 'route');
    return;
  }
  const dstAddr = isIPv4(dstText) ? dstText : dstText === 'default' ? '0.0.0.0' : NETWORK_NAMES.get(dstText);
  if (dstAddr === undefined) {
    ledger.report(
      line.line,
      `Route destination "${dstText}" is a name, not an address (use route -n): route not read`,
    );
    return;
  }
  // 11 columns is the -ee layout whatever the header said; 8 is -n or -e (which the header or option tells).
  const rowLayout: Layout = t.length >= 11 ? 'ee' : layout === 'ee' ? 'n' : layout;
  const expected = rowLayout === 'ee' ? 11 : 8;
  const route: Route = {
    loc: ledger.loc(line.line),
    family: 'inet',
    dst: `${dstAddr}/${prefix}`,
    type: flags.includes('!') ? 'unreachable' : 'unicast',
    flags,
    onlink: false,
  };
  if (isIPv4(gwText)) {
    if (gwText !== '0.0.0.0') route.gateway = gwText;
  } else if (!NO_ADDRESS.has(gwText)) {
    ledger.report(
      line.line,
      `Route gateway "${gwText}" is a name, not an address (use route -n): gateway not recorded`,
    );
  }
  if (rowLayout !== 'e') {
    const metric = metricOf(t[4]);
    if (metric !== undefined) route.metric = metric;
  }
  const dev = t[7];
  if (dev !== undefined && dev !== '*' && dev !== '-') {
    route.dev = dev;
    if (rowLayout === 'ee' && dev.length === 6 && !state.truncationNoted) {
      state.truncationNoted = true;
      ledger.report(
        line.line,
        `route -ee cuts interface names to 6 characters ("${dev}"): device names here may be truncated`,
      );
    }
  }
  if (t.length < expected) {
    ledger.report(line.line, `Route line has ${t.length} of ${expected} columns: read what is there`);
  } else if (t.length > expected) {
    ledger.report(line.line, `Route line has ${t.length} columns, expected ${expected}: extra ignored`);
  }
  state.routes.push(route);
}

function parseIPv6Row(state: State, line: Line, t: readonly string[]): void {
  const { ledger } = state;
  const dstText = t[0] ?? '';
  const hopText = t[1] ?? '';
  const flags = t[2] ?? '';
  const cidr = parseCidr(unbracket(dstText), 'inet6');
  if (t.length < 3 || cidr === undefined || !FLAGS.test(flags)) {
    ledger.unrecognized(line, 'IPv6 route');
    return;
  }
  const route: Route = {
    loc: ledger.loc(line.line),
    family: cidr.family,
    dst: formatCidr(cidr),
    type: flags.includes('!') ? 'unreachable' : 'unicast',
    flags,
    onlink: false,
  };
  const hop = unbracket(hopText);
  if (!NO_ADDRESS.has(hop)) {
    if (isIPv6(hop) || isIPv4(hop)) route.gateway = canonicalIp(hop);
    else
      ledger.report(
        line.line,
        `Route next hop "${hopText}" is a name, not an address (use route -n): next hop not recorded`,
      );
  }
  const metric = metricOf(t[3]);
  if (metric !== undefined) route.metric = metric;
  const dev = t[6];
  if (dev !== undefined && dev !== '*' && dev !== '-') route.dev = dev;
  if (t.length !== 7) {
    ledger.report(line.line, `IPv6 route line has ${t.length} columns, expected 7`);
  }
  state.routes.push(route);
}

function parse(input: ParserInput): ParseResult {
  return safeParse(input, 'route', (ledger) => {
    const options = input.command ? readOptions(input.command.argv) : undefined;
    const state: State = {
      ledger,
      routes: [],
      layout: options?.layout,
      truncationNoted: false,
      flags: '',
      gateway: '',
      dev: '',
      mask: '',
      prefix: 0,
    };
    let cache = false;
    for (const line of input.lines) {
      if (!cache && readPlainIPv4Row(state, line)) continue;
      const t = rowTokens(line, ledger);
      if (t === undefined) continue;
      const first = t[0];
      if (first === 'Kernel' && BANNER.test(line.text.trimStart())) {
        cache = line.text.includes('cache');
        if (line.text.includes('IPv6')) state.layout = 'inet6';
        ledger.skip(line.line);
        continue;
      }
      if (first === 'Destination' || first === 'Source') {
        cache = first === 'Source';
        state.layout = layoutOfHeader(t);
        ledger.skip(line.line);
        continue;
      }
      if (cache) {
        ledger.report(line.line, 'Routing cache entry (route -C): not a route, not read');
        continue;
      }
      // The row's own destination says its family (a section may hold `route -n` and `route -6 -n`);
      // IPv4 columns follow the header or option, else the row's length.
      const v6 =
        first.includes(':') ||
        first.charCodeAt(0) === 91 ||
        (state.layout === 'inet6' && first.includes('/'));
      if (v6) parseIPv6Row(state, line, t);
      else {
        const layout =
          state.layout === undefined || state.layout === 'inet6'
            ? t.length >= 11
              ? 'ee'
              : 'n'
            : state.layout;
        parseIPv4Row(state, line, t, layout);
      }
    }
    if (state.routes.length > 0) ledger.facts.routes = state.routes;
  });
}

export const routeNParser: Parser = {
  id: 'route-n',
  title: 'Kernel routing table (route -n)',
  commands: [
    'route -n',
    'route -ne',
    'route -nee',
    'route -6 -n',
    'route -A inet6 -n',
    'route',
    'netstat -rn',
  ],
  matchesCommand: (argv) => readOptions(argv) !== undefined,
  detect,
  parse,
};
