// `ip route` (iproute2): `ip r`, `ip -4/-6 route [show|list] [selectors]`, `ip route show table all`, `ip -d`
// (which prints `unicast`), `ip -o` (multipath on one line) and `ip -j [-p] route`. Multipath routes print
// their hops on `\tnexthop …` lines under the route; each hop keeps its own line.

import type { Family, NextHop, Route, SourceLocation } from '../model/types';
import { canonicalIp, familyOf, formatCidr, isIP, isIPv4, parseCidr } from '../util/ip';
import {
  abbreviates,
  asNumber,
  asRecord,
  asString,
  asStringArray,
  firstJsonObject,
  ipFamilyOption,
  isShowWord,
  leadingWords,
  type Ledger,
  NUD_STATES,
  readIpCommand,
  readJsonElements,
  reportUnknownWords,
  rowTokens,
  safeParse,
  startsLikeAddress,
} from './common';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const ROUTE_TYPES = new Set([
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'anycast',
  'xresolve',
]);

/** Next-hop flags `ip route` prints as bare words (`onlink` has its own field). */
const NH_FLAGS = new Set([
  'dead',
  'linkdown',
  'pervasive',
  'offload',
  'trap',
  'offload_failed',
  'notify',
  'unresolved',
  'rt_offload',
  'rt_trap',
  'rt_offload_failed',
]);

/** Route metrics (`RTAX_*`): `NAME [lock] VALUE`. */
const METRIC_KEYS = new Set([
  'mtu',
  'advmss',
  'hoplimit',
  'window',
  'rtt',
  'rttvar',
  'ssthresh',
  'cwnd',
  'initcwnd',
  'initrwnd',
  'quickack',
  'features',
  'rto_min',
  'reordering',
  'congctl',
  'fastopen_no_cookie',
]);

/** Other attributes that take one value and that the model does not keep. */
const IGNORED_VALUE_KEYS = new Set([
  'pref',
  'expires',
  'error',
  'tos',
  'dsfield',
  'from',
  'iif',
  'uid',
  'realm',
  'realms',
  'nhid',
  'ttl-propagate',
  'mark',
  'vrf',
  'age',
  'users',
  'used',
  'ipid',
]);

/** Words that start a route attribute: what may follow the destination on a route line. */
const ROUTE_KEYS = new Set([
  'via',
  'dev',
  'proto',
  'scope',
  'src',
  'metric',
  'table',
  'onlink',
  'encap',
  'nexthop',
  '\\',
  ...NH_FLAGS,
  ...METRIC_KEYS,
  ...IGNORED_VALUE_KEYS,
]);

/** Words only `ip neigh` puts after `<ip> dev <if>`: a line with one of them is not a route. */
const NEIGH_WORDS = new Set(['lladdr', 'router', 'proxy', 'extern_learn', ...NUD_STATES]);

/** What the command says about its output: family, and attributes its selectors leave out of every line. */
interface RouteCommand {
  family?: Family;
  dev?: string;
  table?: string;
  proto?: string;
  scope?: string;
  gateway?: string;
  src?: string;
  metric?: number;
}

function readCommand(argv: readonly string[]): RouteCommand | undefined {
  const ip = readIpCommand(argv);
  if (ip === undefined || !abbreviates(ip.object, 'route')) return undefined;
  const rest = ip.rest;
  if (!isShowWord(rest[0], 1)) return undefined;
  const cmd: RouteCommand = {};
  const family = ipFamilyOption(ip.options);
  if (family !== undefined) cmd.family = family;
  // Selectors whose attribute iproute2 then leaves out of each line (`ip route show dev eth0` prints no `dev`).
  for (let i = rest.length > 0 ? 1 : 0; i < rest.length; i++) {
    const key = rest[i] ?? '';
    const value = rest[i + 1];
    if (value === undefined) break;
    if (key === 'dev' || key === 'oif') cmd.dev = value;
    else if (key === 'table' || key === 'tab') {
      if (value !== 'all' && value !== 'main' && value !== '0') cmd.table = value;
    } else if (key === 'proto' || key === 'protocol') cmd.proto = value;
    else if (key === 'scope') cmd.scope = value;
    else if (key === 'via' && isIP(value)) cmd.gateway = canonicalIp(value);
    else if (key === 'src' && isIP(value)) cmd.src = canonicalIp(value);
    else if (key === 'metric' || key === 'priority' || key === 'preference') {
      const n = Number(value);
      if (Number.isSafeInteger(n)) cmd.metric = n;
    } else continue;
    i++;
  }
  return cmd;
}

// ---------------------------------------------------------------------------------------------------------
// Detection

/** Does this text line look like an `ip route` line (and not an `ip neigh` one)? */
function isRouteLine(t: readonly string[], next: string | undefined): boolean {
  let i = 0;
  const typed = ROUTE_TYPES.has(t[0] ?? '');
  if (typed) i = 1;
  const dst = t[i] ?? '';
  if (dst !== 'default' && !(startsLikeAddress(dst) && parseCidr(dst) !== undefined)) return false;
  const key = t[i + 1];
  // `10.94.0.0/16` alone heads a multipath route; `unreachable 10.97.0.0/16` stands alone.
  if (key === undefined) return typed || (next ?? '').trimStart().startsWith('nexthop');
  if (!ROUTE_KEYS.has(key)) return false;
  if (key === 'dev') {
    const after = t[i + 3];
    // `10.1.2.3 dev eth0` with nothing else is as much a neighbour (NUD NONE) as a route: claim neither.
    if (after === undefined) return typed || dst.includes('/') || dst === 'default';
    return !NEIGH_WORDS.has(after);
  }
  return true;
}

function detectJson(lines: readonly Line[], index: number): boolean {
  const obj = firstJsonObject(lines, index);
  if (obj === undefined || !obj.trimStart().startsWith('[')) return false;
  // `ip -j neigh` objects carry lladdr/state, `bridge -j fdb` ones mac/ifname: neither is a route.
  if (!obj.includes('"dst"') || obj.includes('"lladdr"') || obj.includes('"state"')) return false;
  if (obj.includes('"mac"') || obj.includes('"ifname"')) return false;
  return (
    obj.includes('"flags"') ||
    obj.includes('"gateway"') ||
    obj.includes('"protocol"') ||
    obj.includes('"prefsrc"') ||
    obj.includes('"nexthops"')
  );
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text;
  if (text === undefined) return false;
  const s = text.trimStart();
  if (s.startsWith('[')) return detectJson(lines, index);
  const c = s.charCodeAt(0);
  // an address, `default` or a route type: all start with a digit, a lower-case letter or ':'
  if (!((c >= 48 && c <= 58) || (c >= 97 && c <= 122))) return false;
  return isRouteLine(leadingWords(s, 5), lines[index + 1]?.text);
}

// ---------------------------------------------------------------------------------------------------------
// Text

/** `via [inet|inet6] ADDR` at t[i]: how many words it takes (the address is the last). */
function viaLength(t: readonly string[], i: number): number {
  const v = t[i + 1];
  return v === 'inet' || v === 'inet6' ? 3 : 2;
}

/** Reads one `nexthop …` group from t[i] (the word after `nexthop`) up to the next `nexthop` or the end. */
function readHop(
  t: readonly string[],
  i: number,
  loc: SourceLocation,
  unknown: string[],
): { hop: NextHop; next: number } {
  const hop: NextHop = { onlink: false, loc };
  while (i < t.length) {
    const w = t[i] ?? '';
    if (w === 'nexthop') break;
    if (w === 'via') {
      const len = viaLength(t, i);
      const gw = t[i + len - 1];
      if (gw !== undefined) hop.gateway = canonicalIp(gw);
      i += len;
      continue;
    }
    if (w === 'dev') hop.dev = t[++i] ?? '';
    else if (w === 'weight') {
      const n = Number(t[++i]);
      if (Number.isSafeInteger(n)) hop.weight = n;
    } else if (w === 'onlink') hop.onlink = true;
    else if (IGNORED_VALUE_KEYS.has(w) || w === 'encap') i++;
    else if (!NH_FLAGS.has(w) && w !== '\\') unknown.push(w);
    i++;
  }
  return { hop, next: i };
}

/** A route's family: from its destination, else (for `default`) its gateway, source, `pref` or the command. */
function familyOfRoute(
  dst: string,
  gateway: string | undefined,
  src: string | undefined,
  pref: boolean,
  hint: Family | undefined,
): Family {
  if (dst !== 'default') return familyOf(dst);
  if (gateway !== undefined) return familyOf(gateway);
  if (src !== undefined) return familyOf(src);
  if (pref) return 'inet6';
  return hint ?? 'inet';
}

function defaultDst(family: Family): string {
  return family === 'inet6' ? '::/0' : '0.0.0.0/0';
}

/** The canonical CIDR of a destination other than `default` (`10.89.0.1` → `10.89.0.1/32`), or undefined. */
function canonicalDst(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (!text.includes(':')) {
    // IPv4, the common case: no parseCidr/formatCidr round trip.
    if (slash === -1) return isIPv4(text) ? `${text}/32` : undefined;
    const digits = text.length - slash - 1;
    const d1 = text.charCodeAt(slash + 1) - 48;
    const d2 = digits === 2 ? text.charCodeAt(slash + 2) - 48 : 0;
    if (digits < 1 || digits > 2 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
    const n = digits === 2 ? d1 * 10 + d2 : d1;
    if (n > 32 || !isIPv4(text.slice(0, slash))) return undefined;
    return digits === 2 && d1 === 0 ? `${text.slice(0, slash)}/${n}` : text;
  }
  const cidr = parseCidr(text);
  return cidr === undefined ? undefined : formatCidr(cidr);
}

interface TextState {
  ledger: Ledger;
  cmd: RouteCommand | undefined;
  routes: Route[];
  /** The route the next `nexthop` line belongs to. */
  open: Route | undefined;
  /** The open route is `default` and its family is still a guess. */
  openGuess: boolean;
  reportedUnknown: Set<string>;
}

function noteUnknown(state: TextState, line: Line, unknown: readonly string[]): void {
  reportUnknownWords(state.ledger, line.line, 'ip route', unknown, state.reportedUnknown);
}

/** Attributes the command's selectors left out of every line (`ip route show dev eth0` prints no `dev`). */
function applySelectors(route: Route, cmd: RouteCommand, multipath: boolean): void {
  if (!multipath) {
    if (route.dev === undefined && cmd.dev !== undefined) route.dev = cmd.dev;
    if (route.gateway === undefined && cmd.gateway !== undefined) route.gateway = cmd.gateway;
  }
  if (route.src === undefined && cmd.src !== undefined) route.src = cmd.src;
  if (route.table === undefined && cmd.table !== undefined) route.table = cmd.table;
  if (route.proto === undefined && cmd.proto !== undefined) route.proto = cmd.proto;
  if (route.scope === undefined && cmd.scope !== undefined) route.scope = cmd.scope;
  if (route.metric === undefined && cmd.metric !== undefined) route.metric = cmd.metric;
}

function parseRouteLine(state: TextState, line: Line, t: readonly string[]): void {
  const { ledger, cmd } = state;
  let i = 0;
  let type = 'unicast';
  const first = t[0] ?? '';
  // Types are lower-case words; checking the first letter spares hashing every IPv4 address.
  const c = first.charCodeAt(0);
  if (c >= 97 && c <= 122 && ROUTE_TYPES.has(first)) {
    type = first;
    i = 1;
  }
  const dstText = t[i++] ?? '';
  const isDefault = dstText === 'default';
  const dst = isDefault ? '' : canonicalDst(dstText);
  if (dst === undefined) {
    state.open = undefined;
    ledger.unrecognized(line, 'ip route');
    return;
  }
  const route: Route = {
    loc: ledger.loc(line.line),
    family: 'inet',
    dst,
    type,
    onlink: false,
  };
  let pref = false;
  let unknown: string[] | undefined;
  let hops: NextHop[] | undefined;
  const n = t.length;
  while (i < n) {
    const w = t[i] ?? '';
    const v = t[i + 1];
    switch (w) {
      case 'via': {
        const len = viaLength(t, i);
        const gw = t[i + len - 1];
        if (gw !== undefined) route.gateway = canonicalIp(gw);
        i += len;
        continue;
      }
      case 'dev':
        if (v !== undefined) route.dev = v;
        i += 2;
        continue;
      case 'proto':
        if (v !== undefined) route.proto = v;
        i += 2;
        continue;
      case 'scope':
        if (v !== undefined) route.scope = v;
        i += 2;
        continue;
      case 'src':
        if (v !== undefined) route.src = canonicalIp(v);
        i += 2;
        continue;
      case 'table':
        if (v !== undefined) route.table = v;
        i += 2;
        continue;
      case 'metric': {
        const m = Number(v);
        if (Number.isSafeInteger(m)) route.metric = m;
        i += 2;
        continue;
      }
      case 'onlink':
        route.onlink = true;
        i++;
        continue;
      case 'pref':
        pref = true;
        i += 2;
        continue;
      case 'nexthop': {
        const read = readHop(t, i + 1, ledger.loc(line.line), (unknown ??= []));
        (hops ??= []).push(read.hop);
        i = read.next;
        continue;
      }
      case 'encap':
        // `encap mpls 200`, `encap ip id 1 dst 10.0.0.1 ttl 64`, …: skip to the next route attribute.
        i += 2;
        while (i < n && !ROUTE_KEYS.has(t[i] ?? '')) i++;
        continue;
      case '\\':
        i++;
        continue;
    }
    if (NH_FLAGS.has(w)) {
      (route.nhFlags ??= []).push(w);
      i++;
    } else if (METRIC_KEYS.has(w)) {
      const lock = v === 'lock';
      if (w === 'mtu') {
        const m = Number(lock ? t[i + 2] : v);
        if (Number.isSafeInteger(m)) route.mtu = m;
      }
      i += lock ? 3 : 2;
    } else if (IGNORED_VALUE_KEYS.has(w)) {
      i += 2;
    } else {
      (unknown ??= []).push(w);
      i++;
    }
  }
  if (hops !== undefined) route.nexthops = hops;
  if (cmd !== undefined) applySelectors(route, cmd, hops !== undefined);
  if (isDefault) {
    const hopGw = hops?.find((h) => h.gateway !== undefined)?.gateway;
    route.family = familyOfRoute(dstText, route.gateway ?? hopGw, route.src, pref, cmd?.family);
    route.dst = defaultDst(route.family);
    state.openGuess =
      route.gateway === undefined &&
      route.src === undefined &&
      !pref &&
      hopGw === undefined &&
      cmd?.family === undefined;
  } else {
    if (dst.includes(':')) route.family = 'inet6';
    state.openGuess = false;
  }
  state.routes.push(route);
  state.open = route;
  if (unknown !== undefined) noteUnknown(state, line, unknown);
}

function parseNexthopLine(state: TextState, line: Line, t: readonly string[]): void {
  const route = state.open;
  if (route === undefined) {
    state.ledger.unrecognized(line, 'ip route (nexthop without a route)');
    return;
  }
  const unknown: string[] = [];
  let i = 0;
  while (i < t.length && t[i] === 'nexthop') {
    const read = readHop(t, i + 1, state.ledger.loc(line.line), unknown);
    const hop = read.hop;
    (route.nexthops ??= []).push(hop);
    i = read.next;
    if (state.openGuess && hop.gateway !== undefined) {
      route.family = familyOf(hop.gateway);
      route.dst = defaultDst(route.family);
      state.openGuess = false;
    }
  }
  route.loc.endLine = line.line;
  noteUnknown(state, line, unknown);
}

function parseText(state: TextState, lines: readonly Line[]): void {
  const { ledger } = state;
  for (const line of lines) {
    const t = rowTokens(line, ledger);
    if (t === undefined) {
      state.open = undefined;
      continue;
    }
    if (t[0] === 'nexthop') parseNexthopLine(state, line, t);
    else parseRouteLine(state, line, t);
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON

function jsonGateway(o: Record<string, unknown>): string | undefined {
  const gw = asString(o['gateway']) ?? asString(asRecord(o['via'])?.['host']);
  return gw === undefined ? undefined : canonicalIp(gw);
}

function jsonMtu(metrics: unknown): number | undefined {
  const list = Array.isArray(metrics) ? metrics : [metrics];
  for (const m of list) {
    const rec = asRecord(m);
    const mtu = rec === undefined ? undefined : asNumber(rec['mtu']);
    if (mtu !== undefined) return mtu;
  }
  return undefined;
}

function parseJson(state: TextState, lines: readonly Line[]): void {
  const { ledger, cmd } = state;
  readJsonElements(
    lines,
    ledger,
    'ip -j route',
    ({ value: o, line, endLine, nested }) => {
      const dstText = asString(o['dst']);
      if (dstText === undefined) return 'element without "dst"';
      const cidr0 = dstText === 'default' ? undefined : parseCidr(dstText);
      if (dstText !== 'default' && cidr0 === undefined)
        return `route destination "${dstText}" is not an address`;
      const hopValues: unknown[] = Array.isArray(o['nexthops']) ? o['nexthops'] : [];
      const hops: NextHop[] = [];
      for (const [k, hv] of hopValues.entries()) {
        const h = asRecord(hv);
        if (h === undefined) continue;
        const at = nested[k] ?? { line, endLine };
        const hop: NextHop = {
          onlink: asStringArray(h['flags']).includes('onlink'),
          loc: ledger.loc(at.line, at.endLine),
        };
        const gw = jsonGateway(h);
        if (gw !== undefined) hop.gateway = gw;
        const dev = asString(h['dev']);
        if (dev !== undefined) hop.dev = dev;
        const weight = asNumber(h['weight']);
        if (weight !== undefined) hop.weight = weight;
        hops.push(hop);
      }
      let gateway = jsonGateway(o);
      let dev = asString(o['dev']);
      if (hops.length === 0) {
        gateway ??= cmd?.gateway;
        dev ??= cmd?.dev;
      }
      const prefsrc = asString(o['prefsrc']);
      const src = prefsrc === undefined ? cmd?.src : canonicalIp(prefsrc);
      const family = familyOfRoute(
        dstText,
        gateway ?? hops.find((h) => h.gateway !== undefined)?.gateway,
        src,
        o['pref'] !== undefined,
        cmd?.family,
      );
      const cidr = cidr0 ?? parseCidr(defaultDst(family)) ?? { address: '0.0.0.0', prefixLen: 0, family };
      const flags = asStringArray(o['flags']);
      const route: Route = {
        loc: ledger.loc(line, endLine),
        family,
        dst: formatCidr(cidr),
        type: asString(o['type']) ?? 'unicast',
        onlink: flags.includes('onlink'),
      };
      if (gateway !== undefined) route.gateway = gateway;
      if (dev !== undefined) route.dev = dev;
      const metric = asNumber(o['metric']) ?? cmd?.metric;
      if (metric !== undefined) route.metric = metric;
      const nhFlags = flags.filter((f) => f !== 'onlink');
      if (nhFlags.length > 0) route.nhFlags = nhFlags;
      const proto = asString(o['protocol']) ?? cmd?.proto;
      if (proto !== undefined) route.proto = proto;
      const scope = asString(o['scope']) ?? cmd?.scope;
      if (scope !== undefined) route.scope = scope;
      if (src !== undefined) route.src = src;
      const table =
        asString(o['table']) ?? (typeof o['table'] === 'number' ? String(o['table']) : cmd?.table);
      if (table !== undefined) route.table = table;
      const mtu = jsonMtu(o['metrics']);
      if (mtu !== undefined) route.mtu = mtu;
      if (hops.length > 0) route.nexthops = hops;
      state.routes.push(route);
      return true;
    },
    'nexthops',
  );
}

function parse(input: ParserInput): ParseResult {
  return safeParse(input, 'ip route', (ledger) => {
    const cmd = input.command ? readCommand(input.command.argv) : undefined;
    const state: TextState = {
      ledger,
      cmd,
      routes: [],
      open: undefined,
      openGuess: false,
      reportedUnknown: new Set(),
    };
    const firstText = input.lines.find((l) => l.text.trim() !== '')?.text.trimStart() ?? '';
    if (firstText.startsWith('[') || firstText.startsWith('{')) parseJson(state, input.lines);
    else parseText(state, input.lines);
    if (state.routes.length > 0) ledger.facts.routes = state.routes;
  });
}

export const ipRouteParser: Parser = {
  id: 'ip-route',
  title: 'Routing table (ip route)',
  commands: ['ip route', 'ip r', 'ip -6 route', 'ip route show table all', 'ip -j route', 'ip -j -p route'],
  matchesCommand: (argv) => readCommand(argv) !== undefined,
  detect,
  parse,
};
