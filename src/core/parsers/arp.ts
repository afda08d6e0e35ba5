// `arp` (net-tools): the table of `arp`, `arp -n`, `arp -e`, `arp -en` (`Address HWtype HWaddress Flags Mask
// Iface`) and the BSD style of `arp -a` / `arp -an` (`? (10.27.3.0) at 42:32:74:de:03:03 [ether] PERM on
// flannel.1`). Rows without the header (`arp -e | grep …`) parse the same.

import type { Neighbour } from '../model/types';
import { isIPv4, isMac } from '../util/ip';
import { basename } from '../util/argv';
import { leadingWords } from '../util/words';
import { type Ledger, rowTokens, safeParse } from './ledger';
import { PROXY_STATE, readMac } from './output-words';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const HEADER = /^Address\s+HWtype\s+HWaddress/;
/** `arp -e` Flags column letters: C complete, M permanent, P published, A auto, ! don't publish, T trailers. */
const FLAGS = /^[CMPAT!]+$/;
/** `arp -a` markers after the hardware address. */
const MARKERS = new Set(['PERM', 'PUB', 'AUTO', 'DONTPUB', 'TRAIL']);
const INCOMPLETE = '(incomplete)';
const INCOMPLETE_A = '<incomplete>';
const FROM_INTERFACE = '<from_interface>';

/** Options that change the table instead of printing it. */
const MODIFYING = new Set(['-s', '--set', '-d', '--delete', '-f', '--file']);

function matchesCommand(argv: readonly string[]): boolean {
  if (basename(argv[0] ?? '') !== 'arp') return false;
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (MODIFYING.has(w) || w === '-V' || w === '--version' || w === '-h' || w === '--help') return false;
    // combined short options: `-ns` / `-is` sets an entry
    if (/^-[a-zA-Z]+$/.test(w) && /[sdf]/.test(w)) return false;
  }
  return true;
}

/** The address inside `(10.27.3.0)`, or undefined. */
function parenthesized(word: string | undefined): string | undefined {
  if (word === undefined || word.length < 3 || word[0] !== '(' || word[word.length - 1] !== ')')
    return undefined;
  return word.slice(1, -1);
}

function isBsdRow(t: readonly string[]): boolean {
  return t[2] === 'at' && t.length >= 4 && isIPv4(parenthesized(t[1]) ?? '');
}

/** A headerless `arp -e` row: an address then `(incomplete)`, or a hardware type and address. */
function isTableRow(t: readonly string[]): boolean {
  if (t.length < 3 || !isIPv4(t[0] ?? '')) return false;
  if (t[1] === INCOMPLETE) return true;
  if (t[1] === 'lladdr' || t[1] === 'dev' || t.length < 4) return false;
  return isMac(t[2] ?? '') || t[2] === FROM_INTERFACE;
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text;
  if (text === undefined) return false;
  const s = text.trimStart();
  const c = s.charCodeAt(0);
  if (c === 65 /* A */) return HEADER.test(s);
  const digit = c >= 48 && c <= 57;
  // Table rows start with an address; `arp -a` lines read `name (address) at …`.
  if (!digit && !s.includes(') at ')) return false;
  const t = leadingWords(s, 4);
  return isBsdRow(t) || (digit && isTableRow(t));
}

function stateOf(incomplete: boolean, proxy: boolean, permanent: boolean, complete: boolean): string[] {
  if (proxy) return [PROXY_STATE];
  if (incomplete) return ['INCOMPLETE'];
  if (permanent) return ['PERMANENT'];
  return complete ? ['COMPLETE'] : [];
}

function neighbour(ledger: Ledger, line: number, ip: string, state: string[]): Neighbour {
  return { loc: ledger.loc(line), family: 'inet', ip, state, router: false };
}

/** `? (10.27.3.0) at 42:32:74:de:03:03 [ether] PERM on flannel.1`, `… at <incomplete> on eth0`. */
function parseBsdRow(ledger: Ledger, line: Line, t: readonly string[]): Neighbour | undefined {
  const ip = parenthesized(t[1]) ?? '';
  const hw = t[3] ?? '';
  const markers: string[] = [];
  let dev: string | undefined;
  for (let i = 4; i < t.length; i++) {
    const w = t[i] ?? '';
    if (w === 'on') {
      dev = t[i + 1];
      break; // BSD/macOS add `ifscope [ethernet]` after the interface
    }
    if (w === 'netmask') i++;
    else if (MARKERS.has(w)) markers.push(w);
  }
  const incomplete = hw === INCOMPLETE_A;
  const proxy = hw === FROM_INTERFACE || markers.includes('PUB');
  const n = neighbour(ledger, line.line, ip, stateOf(incomplete, proxy, markers.includes('PERM'), true));
  if (!incomplete && hw !== FROM_INTERFACE) {
    const mac = readMac(hw);
    if (mac !== undefined) n.mac = mac;
    else ledger.report(line.line, `Hardware address "${hw}" is not a MAC address: not recorded`);
  }
  if (dev !== undefined) n.dev = dev;
  else ledger.report(line.line, 'arp entry without "on <interface>": device unknown');
  if (markers.length > 0) n.arpFlags = markers.join(' ');
  return n;
}

/** `10.27.3.0  ether  42:32:74:de:03:03  CM  flannel.1`, `10.27.1.99  (incomplete)  cni0`. */
function parseTableRow(ledger: Ledger, line: Line, t: readonly string[]): Neighbour | undefined {
  const address = t[0] ?? '';
  if (!isIPv4(address)) {
    if (t.length >= 3 && (t[1] === INCOMPLETE || isMac(t[2] ?? '') || t[2] === FROM_INTERFACE)) {
      ledger.report(line.line, `arp entry address "${address}" is a host name (use arp -n): entry not read`);
    } else {
      ledger.unrecognized(line, 'arp');
    }
    return undefined;
  }
  const incomplete = t[1] === INCOMPLETE;
  const hw = incomplete ? undefined : t[2];
  if (t.length < 3 || (!incomplete && t.length < 4)) {
    ledger.unrecognized(line, 'arp');
    return undefined;
  }
  // After the hardware address: optional Flags, optional Mask, then the interface (always last).
  const from = incomplete ? 2 : 3;
  const dev = t.length > from ? t[t.length - 1] : undefined;
  let flags: string | undefined;
  for (let i = from; i < t.length - 1; i++) {
    const w = t[i] ?? '';
    if (FLAGS.test(w)) flags = w;
    else if (!isIPv4(w)) {
      ledger.unrecognized(line, 'arp');
      return undefined;
    }
  }
  const f = flags ?? '';
  const proxy = hw === FROM_INTERFACE || f.includes('P');
  const n = neighbour(
    ledger,
    line.line,
    address,
    stateOf(incomplete, proxy, f.includes('M'), f.includes('C') || (hw !== undefined && isMac(hw))),
  );
  if (hw !== undefined && hw !== FROM_INTERFACE) {
    const mac = readMac(hw);
    if (mac !== undefined) n.mac = mac;
    else ledger.report(line.line, `Hardware address "${hw}" is not a MAC address: not recorded`);
  }
  if (dev !== undefined) n.dev = dev;
  if (flags !== undefined) n.arpFlags = flags;
  return n;
}

function parse(input: ParserInput): ParseResult {
  return safeParse(input, 'arp', (ledger) => {
    const out: Neighbour[] = [];
    for (const line of input.lines) {
      const t = rowTokens(line, ledger);
      if (t === undefined) continue;
      const first = t[0];
      if (first === 'Address' && t[1] === 'HWtype') {
        ledger.skip(line.line);
        continue;
      }
      // `arp: in 3 entries no match found.`, `Entries: 5  Skipped: 0  Found: 5`, `10.9.9.9 (10.9.9.9) -- no entry`
      if (
        (first === 'arp:' && line.text.includes('no match found')) ||
        first === 'Entries:' ||
        (t[2] === '--' && t[3] === 'no')
      ) {
        ledger.skip(line.line);
        continue;
      }
      const n = isBsdRow(t) ? parseBsdRow(ledger, line, t) : parseTableRow(ledger, line, t);
      if (n !== undefined) out.push(n);
    }
    if (out.length > 0) ledger.facts.neighbours = out;
  });
}

export const arpParser: Parser = {
  id: 'arp',
  title: 'ARP table (arp -e, arp -a)',
  commands: ['arp -e', 'arp -en', 'arp -n', 'arp', 'arp -a', 'arp -an'],
  matchesCommand,
  detect,
  parse,
};
