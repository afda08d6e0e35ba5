// The iproute2 link dump family: `ip link`, `ip -d link`, `ip link show [dev X] [type bridge|veth|vxlan]`,
// `ip addr` / `ip a` / `ip -4|-6 addr`, the brief format (`ip -br link|addr`) and JSON (`ip -j [-p] [-d] link|addr`).
// One Interface per link; its loc spans the header and every indented line under it.
//
//   3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT …
//       link/ether 42:32:74:de:01:01 brd ff:ff:ff:ff:ff:ff promiscuity 0 …
//       vxlan id 1 local 10.18.19.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto …   (-d)
//       inet 10.27.1.0/32 scope global flannel.1                                                  (addr)
//          valid_lft forever preferred_lft forever

import type { Address, Family, Interface, InterfaceKind, VxlanInfo } from '../model/types';
import { canonicalIp, isIPv4, isIPv6, readCidr } from '../util/ip';
import {
  abbreviates,
  asNumber,
  asRecord,
  asString,
  asStringArray,
  hasJsonOption,
  isBlankOrElision,
  isShowWord,
  type Ledger,
  readIpCommand,
  readMac,
  safeParse,
  toInt,
  tokens,
} from './common';
import {
  accountJsonLines,
  adjacency,
  extendTo,
  guessKind,
  hasOption,
  isJsonOutput,
  jsonHeadHas,
  kindOfLinkKind,
  newInterface,
  parseLinkHeader,
  readHeaderRest,
  readJsonItems,
  readJsonLinkFields,
  splitAt,
  valueAfter,
  wordAfter,
  wordAt,
} from './link-common';
import type { Line, Parser, ParserInput } from './parser';

/** Kernel link kinds `ip -d link` prints as the first word of a detail line. */
const LINK_KINDS = new Set([
  'vxlan',
  'bridge',
  'veth',
  'bond',
  'dummy',
  'macvlan',
  'macvtap',
  'ipvlan',
  'ipvtap',
  'vlan',
  'ipip',
  'sit',
  'gre',
  'gretap',
  'ip6gre',
  'ip6gretap',
  'ip6tnl',
  'vti',
  'vti6',
  'geneve',
  'bareudp',
  'tun',
  'tap',
  'team',
  'vrf',
  'wireguard',
  'openvswitch',
  'nlmon',
  'ifb',
  'xfrm',
  'netkit',
  'erspan',
  'ip6erspan',
  'hsr',
  'macsec',
  'can',
  'vcan',
  'vxcan',
  'batadv',
  'rmnet',
  'gtp',
]);

const OPER_STATES = new Set(['UP', 'DOWN', 'UNKNOWN', 'LOWERLAYERDOWN', 'DORMANT', 'NOTPRESENT', 'TESTING']);

/** Address flags `ip addr` prints between the scope and the label. */
const ADDR_FLAGS = new Set([
  'secondary',
  'primary',
  'temporary',
  'tentative',
  'deprecated',
  'dadfailed',
  'home',
  'nodad',
  'optimistic',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'dynamic',
  'permanent',
  'stable-privacy',
]);

/** JSON address keys that are not flags. */
const ADDR_FIELDS = new Set([
  'family',
  'local',
  'address',
  'prefixlen',
  'broadcast',
  'scope',
  'label',
  'valid_life_time',
  'preferred_life_time',
  'metric',
  'protocol',
  'anycast',
]);

function matchesCommand(argv: readonly string[]): boolean {
  const cmd = readIpCommand(argv);
  if (!cmd) return false;
  // `ip link s` is `set` (iproute2 tries set first); `ip addr s` is `show`.
  if (abbreviates(cmd.object, 'link')) return isShowWord(cmd.rest[0], 2);
  if (abbreviates(cmd.object, 'address')) return isShowWord(cmd.rest[0], 1);
  return false;
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  if (text.startsWith('[') || text.startsWith('{'))
    return jsonHeadHas(lines, index, ['"ifname"', '"operstate"']);
  const header = parseLinkHeader(text);
  if (!header) return false;
  if (header.rest.includes(' qdisc ')) return true;
  // `ip -6 addr` prints no qdisc: its next line is the address (or link/…) line.
  const next = (lines[index + 1]?.text ?? '').trimStart();
  return next.startsWith('link/') || next.startsWith('inet');
}

interface Pending {
  iface: Interface;
  linkType?: string;
}

interface Options {
  /** `ip link show type bridge`: every link listed has that kind. */
  typeKind?: InterfaceKind;
  /** `-br` given (true), another `ip` command (false), or no command: read brief lines by their shape. */
  brief: boolean | undefined;
}

function commandOptions(input: ParserInput): Options & { json: boolean } {
  const cmd = input.command ? readIpCommand(input.command.argv) : undefined;
  const opts: Options & { json: boolean } = {
    brief: cmd ? hasOption(cmd.options, 'brief', 2) : undefined,
    json: cmd ? hasJsonOption(cmd.options) : false,
  };
  const type = cmd ? valueAfter(cmd.rest, 'type') : undefined;
  // `type bridge_slave` lists ports, whatever their kind.
  if (type !== undefined && !type.endsWith('_slave')) opts.typeKind = kindOfLinkKind(type);
  return opts;
}

function parse(input: ParserInput) {
  return safeParse(input, 'ip link/addr', (ledger) => {
    const opts = commandOptions(input);
    const interfaces: Interface[] = [];
    ledger.facts.interfaces = interfaces;
    if (opts.json || isJsonOutput(input.lines)) parseJson(input.lines, ledger, interfaces, opts);
    else parseText(input.lines, ledger, interfaces, opts, adjacency(input));
  });
}

// ---------------------------------------------------------------------------------------------------
// Text

function parseText(
  lines: readonly Line[],
  ledger: Ledger,
  out: Interface[],
  opts: Options,
  adjacent: 'all' | 'runs' | 'none',
): void {
  let cur: Pending | undefined;
  let lastAddr: Address | undefined;
  const finish = (): void => {
    if (cur) out.push(finalize(cur, opts));
    cur = undefined;
    lastAddr = undefined;
  };
  for (const line of lines) {
    const raw = line.text;
    if (isBlankOrElision(raw) || (adjacent === 'runs' && raw === '--')) {
      // After an elision (or grep's `--` between runs), indented lines may belong to a link whose header
      // was cut: do not guess.
      ledger.skip(line.line);
      finish();
      continue;
    }
    // `ip -o` joins a link's lines with `\`.
    const segments = raw.includes('\\') ? raw.split('\\') : undefined;
    const count = segments ? segments.length : 1;
    for (let s = 0; s < count; s++) {
      const text = segments ? (segments[s] ?? '') : raw;
      if (s > 0 && text.trim() === '') continue;
      const first = text.charCodeAt(0);
      if (first === 32 || first === 9) {
        // `ip -o` segments of one line belong together, whatever a filter dropped around the line.
        if (!cur || (adjacent === 'none' && s === 0)) {
          ledger.unrecognized(line, 'ip link (detail line without its link header)');
          break;
        }
        extendTo(cur.iface.loc, line.line);
        lastAddr = continuation(text, line.line, cur, lastAddr, ledger);
        continue;
      }
      finish();
      const header = parseLinkHeader(text);
      if (header) {
        const iface: Interface = {
          loc: ledger.loc(line.line),
          name: header.name,
          ifindex: header.ifindex,
          kind: 'other',
          flags: header.flags,
          up: header.flags.includes('UP'),
          addresses: [],
        };
        if (header.link !== undefined) iface.link = header.link;
        headerFields(iface, header.rest);
        cur = { iface };
        continue;
      }
      const brief = parseBrief(text, line.line, ledger, opts);
      if (brief) {
        out.push(finalize({ iface: brief }, opts));
        continue;
      }
      ledger.unrecognized(line, 'ip link');
      break;
    }
  }
  finish();
}

/** `mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000`, read in place. */
function headerFields(iface: Interface, rest: string): void {
  const state = readHeaderRest(iface, rest);
  if (state !== undefined) iface.operState = state;
  const nsid = toInt(wordAfter(rest, 'link-netnsid'));
  if (nsid !== undefined) iface.linkNetnsId = nsid;
}

/** Reads one indented line of the current link; returns the address a following `valid_lft` line extends. */
function continuation(
  text: string,
  lineNo: number,
  cur: Pending,
  lastAddr: Address | undefined,
  ledger: Ledger,
): Address | undefined {
  const word = wordAt(text);
  const iface = cur.iface;
  if (word.startsWith('link/')) {
    cur.linkType = word.slice(5);
    const mac = readMac(wordAt(text, text.indexOf(word) + word.length));
    if (mac !== undefined) iface.mac = mac;
    const netns = wordAfter(text, 'link-netns');
    if (netns !== undefined) iface.linkNetns = netns;
    const nsid = toInt(wordAfter(text, 'link-netnsid'));
    if (nsid !== undefined) iface.linkNetnsId = nsid;
    return undefined;
  }
  switch (word) {
    case 'inet':
    case 'inet6': {
      const addr = parseTextAddress(tokens(text), lineNo, ledger);
      if (!addr) {
        ledger.report(lineNo, `Unreadable address line: ${text.trim()}`);
        return undefined;
      }
      iface.addresses.push(addr);
      return addr;
    }
    case 'valid_lft':
    case 'preferred_lft':
      if (lastAddr) extendTo(lastAddr.loc, lineNo);
      return undefined;
    case 'vxlan':
      iface.linkKind ??= 'vxlan';
      iface.vxlan = parseTextVxlan(tokens(text));
      return undefined;
    case 'bridge': {
      iface.linkKind ??= 'bridge';
      const id = wordAfter(text, 'bridge_id');
      if (id !== undefined) iface.bridgeId = id;
      return undefined;
    }
    case 'bridge_slave': {
      const state = wordAfter(text, 'state');
      if (state !== undefined) iface.portState = state;
      return undefined;
    }
    default:
      // altname, alias, RX:/TX: counters (-s), prop list, vf …, and the kind line of other link kinds.
      if (iface.linkKind === undefined && LINK_KINDS.has(word)) iface.linkKind = word;
      return undefined;
  }
}

function parseTextAddress(words: readonly string[], lineNo: number, ledger: Ledger): Address | undefined {
  const family: Family = words[0] === 'inet6' ? 'inet6' : 'inet';
  const cidr = readCidr(words[1] ?? '', family);
  if (!cidr) return undefined;
  const addr: Address = { loc: ledger.loc(lineNo), family, address: cidr.address, prefixLen: cidr.prefixLen };
  const flags: string[] = [];
  let lastBare = -1;
  for (let i = 2; i < words.length; i++) {
    const w = words[i] ?? '';
    switch (w) {
      case 'brd':
        if (i + 1 < words.length) addr.broadcast = words[++i] ?? '';
        break;
      case 'scope':
        if (i + 1 < words.length) addr.scope = words[++i] ?? '';
        break;
      case 'peer': {
        const peer = readCidr(words[++i] ?? '', family);
        if (peer) addr.prefixLen = peer.prefixLen;
        break;
      }
      case 'metric':
      case 'proto':
      case 'any':
        i++;
        break;
      default:
        flags.push(w);
        lastBare = i;
    }
  }
  // IPv4 lines end with the label (`eth0`, `br0:1`) unless the last word is a flag.
  if (family === 'inet' && lastBare === words.length - 1) {
    const last = words[lastBare] ?? '';
    if (!ADDR_FLAGS.has(last)) {
      addr.label = last;
      flags.pop();
    }
  }
  if (flags.length > 0) addr.flags = flags;
  return addr;
}

function parseTextVxlan(words: readonly string[]): VxlanInfo {
  const info: VxlanInfo = { learning: true, external: false };
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    switch (w) {
      case 'id': {
        const n = toInt(words[++i]);
        if (n !== undefined) info.id = n;
        break;
      }
      case 'dstport': {
        const n = toInt(words[++i]);
        if (n !== undefined) info.port = n;
        break;
      }
      case 'local':
        info.local = canonicalIp(words[++i] ?? '');
        break;
      case 'remote':
        info.remote = words[++i] ?? '';
        break;
      case 'group':
        info.group = words[++i] ?? '';
        break;
      case 'dev':
        info.dev = words[++i] ?? '';
        break;
      case 'srcport':
        i += 2;
        break;
      case 'nolearning':
        info.learning = false;
        break;
      case 'learning':
        info.learning = true;
        break;
      case 'external':
        info.external = true;
        break;
      default:
        break;
    }
  }
  return info;
}

/** `ip -br link`: `name STATE MAC <FLAGS>`; `ip -br addr`: `name STATE ADDR/LEN …`. */
function parseBrief(text: string, lineNo: number, ledger: Ledger, opts: Options): Interface | undefined {
  if (opts.brief === false) return undefined;
  const words = tokens(text);
  const [full, state] = words;
  if (full === undefined || state === undefined || !OPER_STATES.has(state)) return undefined;
  const third = words[2];
  // Without a command, only a line shaped like brief output (a MAC, flags or an address after the state) is one.
  if (
    opts.brief === undefined &&
    (third === undefined ||
      (!third.startsWith('<') && readMac(third) === undefined && readCidr(third) === undefined))
  )
    return undefined;
  const { name, link } = splitAt(full);
  const iface = newInterface(ledger.loc(lineNo), name, []);
  if (link !== undefined) iface.link = link;
  iface.operState = state;
  let sawFlags = false;
  for (let i = 2; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w.startsWith('<') && w.endsWith('>')) {
      const inner = w.slice(1, -1);
      iface.flags = inner === '' ? [] : inner.split(',');
      sawFlags = true;
    } else if (readMac(w) !== undefined) {
      iface.mac = readMac(w) ?? w;
    } else {
      const cidr = readCidr(w);
      if (!cidr || !w.includes('/')) return undefined;
      iface.addresses.push({
        loc: ledger.loc(lineNo),
        family: cidr.family,
        address: cidr.address,
        prefixLen: cidr.prefixLen,
      });
    }
  }
  // `ip -br addr` prints no flags: the operational state is the best evidence of an up link.
  iface.up = sawFlags ? iface.flags.includes('UP') : state !== 'DOWN';
  return iface;
}

function finalize(p: Pending, opts: Options): Interface {
  const iface = p.iface;
  if (p.linkType === 'loopback' || iface.flags.includes('LOOPBACK')) iface.kind = 'loopback';
  else if (iface.linkKind !== undefined) iface.kind = kindOfLinkKind(iface.linkKind);
  else if (opts.typeKind !== undefined) iface.kind = opts.typeKind;
  else iface.kind = guessKind(iface.name, iface.link);
  return iface;
}

// ---------------------------------------------------------------------------------------------------
// JSON

function parseJson(lines: readonly Line[], ledger: Ledger, out: Interface[], opts: Options): void {
  const { items, issueLines } = readJsonItems(lines, ledger, 'addr_info');
  for (const item of items) {
    const v = item.value;
    const name = asString(v['ifname']);
    if (name === undefined) {
      // `ip -4 -j addr` lists `{}` for links without IPv4 addresses.
      if (Object.keys(v).length > 0) {
        ledger.report(item.line, 'ip -j link element without an ifname');
        issueLines.add(item.line);
      }
      continue;
    }
    const iface = newInterface(ledger.loc(item.line, item.endLine), name, asStringArray(v['flags']));
    readJsonLinkFields(iface, v);
    const oper = asString(v['operstate']);
    if (oper !== undefined) iface.operState = oper;
    const mac = readMac(asString(v['address']) ?? '');
    if (mac !== undefined) iface.mac = mac;
    const nsid = asNumber(v['link_netnsid']);
    if (nsid !== undefined) iface.linkNetnsId = nsid;
    const link = v['link'];
    const linkIndex = asNumber(v['link_index']);
    if (typeof link === 'string') iface.link = link;
    else if (link === null) iface.link = 'NONE';
    else if (linkIndex !== undefined) iface.link = `if${linkIndex}`;
    const info = asRecord(v['linkinfo']);
    if (info) {
      const kind = asString(info['info_kind']);
      if (kind !== undefined) iface.linkKind = kind;
      const data = asRecord(info['info_data']);
      if (data && kind === 'vxlan') iface.vxlan = jsonVxlan(data);
      if (data && kind === 'bridge') {
        const id = asString(data['bridge_id']);
        if (id !== undefined) iface.bridgeId = id;
      }
      const slave = asRecord(info['info_slave_data']);
      if (slave && asString(info['info_slave_kind']) === 'bridge') {
        const state = asString(slave['state']);
        if (state !== undefined) iface.portState = state;
      }
    }
    const addrInfo = v['addr_info'];
    (Array.isArray(addrInfo) ? addrInfo : []).forEach((a: unknown, k) => {
      const rec = asRecord(a);
      const at = item.nested[k] ?? item;
      const addr = rec ? jsonAddress(rec, ledger.loc(at.line, at.endLine)) : undefined;
      if (addr) iface.addresses.push(addr);
      else {
        ledger.report(at.line, 'ip -j addr element without a readable address');
        issueLines.add(at.line);
      }
    });
    const pending: Pending = { iface };
    const linkType = asString(v['link_type']);
    if (linkType !== undefined) pending.linkType = linkType;
    out.push(finalize(pending, opts));
  }
  accountJsonLines(
    lines,
    ledger,
    out.map((i) => i.loc),
    issueLines,
  );
}

function jsonVxlan(d: Record<string, unknown>): VxlanInfo {
  const info: VxlanInfo = { learning: d['learning'] !== false, external: d['external'] === true };
  const id = asNumber(d['id']);
  if (id !== undefined) info.id = id;
  const port = asNumber(d['port']);
  if (port !== undefined) info.port = port;
  const local = asString(d['local']) ?? asString(d['local6']);
  if (local !== undefined) info.local = canonicalIp(local);
  const dev = asString(d['link']);
  if (dev !== undefined) info.dev = dev;
  const group = asString(d['group']) ?? asString(d['group6']);
  if (group !== undefined) info.group = group;
  const remote = asString(d['remote']) ?? asString(d['remote6']);
  if (remote !== undefined) info.remote = remote;
  return info;
}

function jsonAddress(a: Record<string, unknown>, loc: Address['loc']): Address | undefined {
  const local = asString(a['local']);
  const prefixLen = asNumber(a['prefixlen']);
  if (local === undefined || prefixLen === undefined) return undefined;
  const family: Family = asString(a['family']) === 'inet6' || local.includes(':') ? 'inet6' : 'inet';
  if (family === 'inet' ? !isIPv4(local) : !isIPv6(local)) return undefined;
  const addr: Address = { loc, family, address: canonicalIp(local), prefixLen };
  const brd = asString(a['broadcast']);
  if (brd !== undefined) addr.broadcast = brd;
  const scope = asString(a['scope']);
  if (scope !== undefined) addr.scope = scope;
  const label = asString(a['label']);
  if (label !== undefined) addr.label = label;
  const flags = Object.keys(a).filter((k) => a[k] === true && !ADDR_FIELDS.has(k));
  if (flags.length > 0) addr.flags = flags;
  return addr;
}

export const ipLinkParser: Parser = {
  id: 'ip-link',
  title: 'links and addresses (ip link / ip addr)',
  commands: [
    'ip link',
    'ip -d link',
    'ip link show type bridge',
    'ip -d link show type vxlan',
    'ip addr',
    'ip -4 addr show',
    'ip -br link',
    'ip -br addr',
    'ip -j link',
    'ip -d -j link',
    'ip -j addr',
  ],
  matchesCommand,
  detect,
  parse,
};
