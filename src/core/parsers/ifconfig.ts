// `ifconfig [-a] [IFACE]`, both Linux net-tools formats. One Interface per block; its loc spans the block.
//
// net-tools 2.x:
//   cni0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450
//           inet 10.27.9.1  netmask 255.255.255.0  broadcast 0.0.0.0
//           inet6 fe80::… prefixlen 64  scopeid 0x20<link>
//           ether 0a:58:0a:1b:09:01  txqueuelen 1000  (Ethernet)
// net-tools 1.60:
//   eth0      Link encap:Ethernet  HWaddr 00:0C:29:3B:45:6D
//             inet addr:10.0.0.1  Bcast:10.0.0.255  Mask:255.255.255.0
//             inet6 addr: fe80::1/64 Scope:Link
//             UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1
//
// An alias block (`br0:1`) is the same kernel link: its addresses join the base interface (label `br0:1`).

import type { Address, Interface } from '../model/types';
import { canonicalIp, isIPv4, isIPv6, netmaskToPrefix } from '../util/ip';
import { basename, isBlankOrElision, type Ledger, readMac, safeParse, toInt, tokens } from './common';
import { adjacency, extendTo, guessKind, newInterface, wordAt } from './link-common';
import type { Line, Parser, ParserInput } from './parser';
import { appendAll } from '../util/arrays';

const NEW_HEADER = /^(\S+?):\s+flags=\d+<([^>]*)>(.*)$/;
const OLD_HEADER = /^\S+\s+Link encap:/;

function matchesCommand(argv: readonly string[]): boolean {
  if (basename(argv[0] ?? '') !== 'ifconfig') return false;
  const args = argv.slice(1).filter((a) => a !== '-a' && a !== '-v');
  // `ifconfig eth0 up`, `ifconfig eth0 10.0.0.1 …` configure; `-s` prints a table.
  return args.length === 0 || (args.length === 1 && !(args[0] ?? '').startsWith('-'));
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  if (text.length === 0 || text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9) return false;
  if (text.includes(': flags=')) return NEW_HEADER.test(text);
  return text.includes('Link encap:') && OLD_HEADER.test(text);
}

interface Block {
  iface: Interface;
  /** The alias (`br0:1`) a block describes, whose addresses carry it as their label. */
  alias?: string;
  loopback: boolean;
}

function parse(input: ParserInput) {
  return safeParse(input, 'ifconfig', (ledger) => {
    const interfaces: Interface[] = [];
    ledger.facts.interfaces = interfaces;
    const byName = new Map<string, Interface>();
    let cur: Block | undefined;
    const adjacent = adjacency(input);
    const finish = (): void => {
      if (!cur) return;
      const { iface, alias } = cur;
      iface.kind = cur.loopback ? 'loopback' : guessKind(iface.name);
      const base = alias !== undefined ? byName.get(iface.name) : undefined;
      if (base) {
        // The alias block's lines are described by the base interface (alsoAt) and its addresses.
        base.alsoAt = [...(base.alsoAt ?? []), iface.loc];
        appendAll(base.addresses, iface.addresses);
        const covered = new Set(iface.addresses.map((a) => a.loc.line));
        for (let l = iface.loc.line; l <= (iface.loc.endLine ?? iface.loc.line); l++)
          if (!covered.has(l)) ledger.skip(l);
      } else {
        interfaces.push(iface);
        byName.set(iface.name, iface);
      }
      cur = undefined;
    };
    for (const line of input.lines) {
      const text = line.text;
      if (isBlankOrElision(text) || (adjacent === 'runs' && text === '--')) {
        // Blocks end at a blank line; after an elision, indented lines may belong to a block whose header was cut.
        ledger.skip(line.line);
        finish();
        continue;
      }
      const first = text.charCodeAt(0);
      if (first === 32 || first === 9) {
        // A filter (`| grep X`) may have dropped the lines between a detail line and its header.
        if (!cur || adjacent === 'none') {
          ledger.unrecognized(line, 'ifconfig (detail line without its interface header)');
          continue;
        }
        extendTo(cur.iface.loc, line.line);
        detail(text, line, cur, ledger);
        continue;
      }
      finish();
      cur = header(text, line.line, ledger);
      if (!cur) ledger.unrecognized(line, 'ifconfig');
    }
    finish();
  });
}

function header(text: string, lineNo: number, ledger: Ledger): Block | undefined {
  const m = NEW_HEADER.exec(text);
  if (m) {
    const flagText = m[2] ?? '';
    const flags = flagText === '' ? [] : flagText.split(',');
    const block = newBlock(m[1] ?? '', flags, lineNo, ledger);
    const words = tokens(m[3] ?? '');
    const mtu = words.indexOf('mtu');
    if (mtu !== -1) {
      const n = toInt(words[mtu + 1]);
      if (n !== undefined) block.iface.mtu = n;
    }
    return block;
  }
  const encap = text.indexOf('Link encap:');
  if (encap === -1) return undefined;
  const words = tokens(text.slice(0, encap));
  if (words.length !== 1) return undefined;
  // The old format prints the flags on a later line (`UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1`).
  const block = newBlock(words[0] ?? '', [], lineNo, ledger);
  const rest = text.slice(encap + 11);
  if (rest.startsWith('Local Loopback')) block.loopback = true;
  const hw = tokens(rest);
  const at = hw.indexOf('HWaddr');
  const mac = at === -1 ? undefined : readMac(hw[at + 1] ?? '');
  if (mac !== undefined) block.iface.mac = mac;
  return block;
}

function newBlock(full: string, flags: string[], lineNo: number, ledger: Ledger): Block {
  const colon = full.indexOf(':');
  const name = colon > 0 ? full.slice(0, colon) : full;
  const block: Block = {
    iface: newInterface(ledger.loc(lineNo), name, flags),
    loopback: flags.includes('LOOPBACK'),
  };
  if (colon > 0) block.alias = full;
  return block;
}

function detail(text: string, line: Line, block: Block, ledger: Ledger): void {
  const word = wordAt(text);
  const iface = block.iface;
  switch (word) {
    case 'RX':
    case 'TX':
      // Counters: part of the block.
      return;
    case 'inet':
    case 'inet6': {
      const words = tokens(text);
      const addr = word === 'inet' ? inet(words, line.line, ledger) : inet6(words, line.line, ledger);
      if (!addr) {
        ledger.report(line.line, `Unreadable ifconfig address line: ${text.trim()}`);
        return;
      }
      if (block.alias !== undefined) addr.label = block.alias;
      iface.addresses.push(addr);
      return;
    }
    case 'ether': {
      const mac = readMac(tokens(text)[1] ?? '');
      if (mac !== undefined) iface.mac = mac;
      return;
    }
    case 'loop':
      block.loopback = true;
      return;
    default:
      // net-tools 1.60 flag line: `UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1`.
      if (text.includes('MTU:')) {
        const flags: string[] = [];
        for (const w of tokens(text)) {
          if (w.startsWith('MTU:')) {
            const n = toInt(w.slice(4));
            if (n !== undefined) iface.mtu = n;
          } else if (!w.includes(':')) flags.push(w);
        }
        iface.flags = flags;
        iface.up = flags.includes('UP');
        if (flags.includes('LOOPBACK')) block.loopback = true;
      }
      // RX/TX counters, collisions, Interrupt, device …: part of the block.
      return;
  }
}

/** `inet 10.27.9.1  netmask 255.255.255.0  broadcast 0.0.0.0` or `inet addr:10.0.0.1  Bcast:…  Mask:…`. */
function inet(words: readonly string[], lineNo: number, ledger: Ledger): Address | undefined {
  let address: string | undefined;
  let mask: string | undefined;
  let broadcast: string | undefined;
  const w1 = words[1] ?? '';
  if (w1.startsWith('addr:')) {
    address = w1.slice(5);
    for (let i = 2; i < words.length; i++) {
      const w = words[i] ?? '';
      if (w.startsWith('Mask:')) mask = w.slice(5);
      else if (w.startsWith('Bcast:')) broadcast = w.slice(6);
    }
  } else {
    address = w1;
    for (let i = 2; i + 1 < words.length; i++) {
      const w = words[i];
      if (w === 'netmask') mask = words[++i];
      else if (w === 'broadcast') broadcast = words[++i];
    }
  }
  if (!isIPv4(address)) return undefined;
  let prefixLen = 32;
  if (mask !== undefined) {
    const p = netmaskToPrefix(mask);
    if (p === undefined) ledger.report(lineNo, `Netmask ${mask} is not contiguous; read as /32`);
    else prefixLen = p;
  }
  const addr: Address = { loc: ledger.loc(lineNo), family: 'inet', address, prefixLen };
  if (broadcast !== undefined) addr.broadcast = broadcast;
  return addr;
}

/** `inet6 fe80::1  prefixlen 64  scopeid 0x20<link>` or `inet6 addr: fe80::1/64 Scope:Link`. */
function inet6(words: readonly string[], lineNo: number, ledger: Ledger): Address | undefined {
  let address: string;
  let prefixLen: number | undefined;
  let scope: string | undefined;
  if (words[1] === 'addr:') {
    const cidr = words[2] ?? '';
    const slash = cidr.indexOf('/');
    address = slash === -1 ? cidr : cidr.slice(0, slash);
    prefixLen = slash === -1 ? 128 : toInt(cidr.slice(slash + 1));
    const sc = words.find((w) => w.startsWith('Scope:'));
    if (sc !== undefined) scope = sc.slice(6).toLowerCase();
  } else {
    address = words[1] ?? '';
    for (let i = 2; i + 1 < words.length; i++) {
      const w = words[i];
      if (w === 'prefixlen') prefixLen = toInt(words[++i]);
      else if (w === 'scopeid') {
        const v = words[++i] ?? '';
        const lt = v.indexOf('<');
        if (lt !== -1 && v.endsWith('>')) scope = v.slice(lt + 1, -1);
      }
    }
  }
  if (!isIPv6(address) || prefixLen === undefined || prefixLen > 128) return undefined;
  const addr: Address = {
    loc: ledger.loc(lineNo),
    family: 'inet6',
    address: canonicalIp(address),
    prefixLen,
  };
  if (scope !== undefined) addr.scope = scope;
  return addr;
}

export const ifconfigParser: Parser = {
  id: 'ifconfig',
  title: 'interfaces (ifconfig, net-tools 2.x and 1.60)',
  commands: ['ifconfig', 'ifconfig -a', 'ifconfig cni0'],
  matchesCommand,
  detect,
  parse,
};
