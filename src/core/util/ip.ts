// Address helpers shared by parsers and analysis. Pure functions on strings and numbers; no exceptions.

import type { Family } from '../model/types';

/**
 * IPv4 dotted quad to an unsigned 32-bit number, or undefined. A hand-written scan rather than a regex:
 * the analysis calls this for every route, neighbour and FDB entry.
 */
export function ipv4ToNumber(text: string): number | undefined {
  return ipv4ToNumberIn(text, 0, text.length);
}

/** `ipv4ToNumber` of `text.slice(start, end)`, without making that string (a parser's word of a row). */
export function ipv4ToNumberIn(text: string, start: number, end: number): number | undefined {
  const length = end - start;
  if (length < 7 || length > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // No leading zeros ("01"), as iproute2 never prints them and they would mean octal elsewhere.
      if (digits === 1 && octet === 0) return undefined;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

export function isIPv4(text: string): boolean {
  return ipv4ToNumber(text) !== undefined;
}

export function numberToIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** IPv6 text (eight groups, or fewer with one `::`, optionally ending in an IPv4 dotted quad): a linear scan. */
export function isIPv6(text: string): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  let groups = 0;
  let digits = 0;
  let compressed = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) {
      if (text.charCodeAt(i + 1) === 58) {
        if (compressed || (digits === 0 && i > 0)) return false;
        compressed = true;
        if (digits > 0) groups++;
        digits = 0;
        i++;
        continue;
      }
      // A single colon ends a group: none may be empty, nor may the text start or end with one.
      if (digits === 0 || i === n - 1) return false;
      groups++;
      digits = 0;
    } else if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
      if (++digits > 4) return false;
    } else if (c === 46) {
      // An IPv4 tail: from the start of this group to the end.
      const start = i - digits;
      if (start === 0 || !isIPv4(text.slice(start))) return false;
      groups += 2;
      return compressed ? groups < 8 : groups === 8;
    } else {
      return false;
    }
  }
  if (digits > 0) groups++;
  return compressed ? groups < 8 : groups === 8;
}

/** The eight 16-bit groups of IPv6 text (an embedded IPv4 tail counts as two), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined;
  const halves = text.split('::');
  const read = (half: string | undefined): number[] => {
    if (half === undefined || half === '') return [];
    const out: number[] = [];
    for (const part of half.split(':')) {
      const v4 = part.includes('.') ? ipv4ToNumber(part) : undefined;
      if (v4 !== undefined) out.push(Math.floor(v4 / 65536), v4 % 65536);
      else out.push(parseInt(part, 16));
    }
    return out;
  };
  const head = read(halves[0]);
  const tail = read(halves[1]);
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  return [...head, ...Array<number>(zeros).fill(0), ...tail];
}

/** Eight groups in RFC 5952 form: lower-case hex, no leading zeros, the first longest run of 2+ zero groups as `::`. */
function formatIPv6Groups(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (g: readonly number[]) => g.map((n) => n.toString(16)).join(':');
  if (best === -1) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

/**
 * An IPv6 address in RFC 5952 form (lower case, no leading zeros, the longest run of two or more zero groups as
 * `::`), or undefined when `text` is not IPv6 text. `fd00:0::1`, `FD00::1` and `fd00:0000::0001` are one address;
 * the netfilter LOG target prints every group (`fd77:0001:0000:…:0002`). IPv4-mapped tails are spelled in hex.
 */
export function compressIPv6(text: string): string | undefined {
  // RFC 5952 §5: an address written with an IPv4 tail (`::ffff:10.0.0.1`) keeps it.
  if (text.includes('.')) return undefined;
  const groups = ipv6Groups(text);
  return groups === undefined ? undefined : formatIPv6Groups(groups);
}

// Text iproute2 prints is already canonical; only these shapes can be spelled another way.
const MAYBE_UNCANONICAL = /[A-F.]|(?:^|:)0[0-9a-f]|(?:^|:)0:0(?::|$)|0::|::0(?::|$)/;

/** The canonical text of an IP address: IPv6 in RFC 5952 form, anything else as given. */
export function canonicalIp(text: string): string {
  if (text.length > 45 || !text.includes(':')) return text;
  // A `::` with a zero group elsewhere may have compressed the shorter run, and with seven colons or more
  // it stands for a single zero group.
  const compressed = text.includes('::');
  if (
    !MAYBE_UNCANONICAL.test(text) &&
    !(compressed && (/(?:^|:)0(?::|$)/.test(text) || text.split(':').length > 7))
  )
    return text;
  return compressIPv6(text) ?? text.toLowerCase();
}

/** `fd00:0::/64` → `fd00::/64`; IPv4 and text that is not a CIDR as given. */
export function canonicalCidr(text: string): string {
  const slash = text.indexOf('/');
  if (slash === -1) return canonicalIp(text);
  const address = text.slice(0, slash);
  const canonical = canonicalIp(address);
  return canonical === address ? text : `${canonical}${text.slice(slash)}`;
}

/** IPv6 text as a 128-bit number, or undefined. */
export function ipv6ToBigInt(text: string): bigint | undefined {
  const groups = ipv6Groups(text);
  if (groups === undefined) return undefined;
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

export function bigIntToIPv6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  return formatIPv6Groups(groups);
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

export function familyOf(address: string): Family {
  return address.includes(':') ? 'inet6' : 'inet';
}

/** `255.255.255.0` → 24; undefined when not a contiguous mask. */
export function netmaskToPrefix(mask: string): number | undefined {
  const n = ipv4ToNumber(mask);
  if (n === undefined) return undefined;
  const inverted = ~n >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  let bits = 0;
  for (let m = n; m !== 0; m = (m << 1) >>> 0) bits++;
  return bits;
}

export function prefixToNetmask(prefix: number): string {
  return numberToIPv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

/** The network address of an IPv4 address under a prefix length. */
export function ipv4Network(address: string, prefix: number): string | undefined {
  const n = ipv4ToNumber(address);
  if (n === undefined || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return numberToIPv4((n & mask) >>> 0);
}

export interface Cidr {
  address: string;
  prefixLen: number;
  family: Family;
}

/** Parses `10.27.1.0/24`, `fd00::/64`, a bare address (host prefix) or `default`. */
export function parseCidr(text: string, familyHint: Family = 'inet'): Cidr | undefined {
  if (text === 'default') {
    return familyHint === 'inet6'
      ? { address: '::', prefixLen: 0, family: 'inet6' }
      : { address: '0.0.0.0', prefixLen: 0, family: 'inet' };
  }
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const family = familyOf(address);
  if (family === 'inet' ? !isIPv4(address) : !isIPv6(address)) return undefined;
  const max = family === 'inet' ? 32 : 128;
  let prefixLen = max;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefixLen = Number(p);
    if (prefixLen > max) return undefined;
  }
  return { address: family === 'inet6' ? canonicalIp(address) : address, prefixLen, family };
}

/** Canonical `address/prefix` (an IPv6 address in RFC 5952 form). */
export function formatCidr(cidr: Cidr): string {
  return `${cidr.family === 'inet6' ? canonicalIp(cidr.address) : cidr.address}/${cidr.prefixLen}`;
}

/** `10.27.1.0/32`, `fe80::1/64` or a bare address (host prefix) as iproute2 prints them, of `family` if given. */
export function readCidr(text: string, family?: Family): Cidr | undefined {
  if (text === 'default') return undefined;
  const cidr = parseCidr(text);
  return cidr === undefined || (family !== undefined && cidr.family !== family) ? undefined : cidr;
}

/** Does IPv4 `address` fall inside `network/prefix`? */
export function ipv4InNetwork(address: string, network: string, prefix: number): boolean {
  const a = ipv4ToNumber(address);
  const n = ipv4ToNumber(network);
  if (a === undefined || n === undefined) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (a & mask) >>> 0 === (n & mask) >>> 0;
}

const MAC = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

export function isMac(text: string): boolean {
  return MAC.test(text);
}

/** Lower case, two digits per octet: `86:29:6f:2:69:c5` → `86:29:6f:02:69:c5`. */
export function normalizeMac(text: string): string {
  return text
    .toLowerCase()
    .split(':')
    .map((octet) => (octet.length === 1 ? `0${octet}` : octet))
    .join(':');
}

/** `brctl` bridge id `8000.0a580a1d0d01` → its MAC `0a:58:0a:1d:0d:01`. */
export function bridgeIdMac(bridgeId: string): string | undefined {
  const m = /^[0-9a-fA-F]{4}\.([0-9a-fA-F]{12})$/.exec(bridgeId);
  if (m) return (m[1] ?? '').toLowerCase().replace(/(..)(?!$)/g, '$1:');
  const d = /^[0-9a-fA-F]{4}\.([0-9a-fA-F:]+)$/.exec(bridgeId);
  if (d && isMac(d[1] ?? '')) return normalizeMac(d[1] ?? '');
  return undefined;
}
