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

export function isIPv6(text: string): boolean {
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text) || text.includes(':::')) return false;
  if ((text.startsWith(':') && !text.startsWith('::')) || (text.endsWith(':') && !text.endsWith('::')))
    return false;
  const double = text.split('::').length - 1;
  if (double > 1) return false;
  const parts = text.split(':');
  let groups = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '') continue;
    if (i === parts.length - 1 && part.includes('.')) {
      if (!isIPv4(part)) return false;
      groups += 2;
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return false;
    groups += 1;
  }
  return double === 1 ? groups < 8 : groups === 8;
}

/**
 * An IPv6 address in RFC 5952 form (lower case, no leading zeros, the longest run of two or more zero groups as
 * `::`), or undefined when `text` is not eight-group IPv6 text: the netfilter LOG target prints every group
 * (`fd77:0001:0000:…:0002`), the rest of the model uses the short form.
 */
export function compressIPv6(text: string): string | undefined {
  if (!isIPv6(text) || text.includes('.')) return undefined;
  const halves = text.toLowerCase().split('::');
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? (halves[1] ?? '').split(':') : [];
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(zeros).fill('0'), ...tail].map((g) => g.replace(/^0+(?=.)/, ''));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best === -1) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
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
  return { address, prefixLen, family };
}

/** Canonical `address/prefix` (the IPv6 address is kept as written but lower-cased). */
export function formatCidr(cidr: Cidr): string {
  return `${cidr.family === 'inet6' ? cidr.address.toLowerCase() : cidr.address}/${cidr.prefixLen}`;
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
