// What the cursor is on: an IPv4/IPv6 address, a CIDR, a MAC (also inside a bridge id) or an interface
// name. Pure string work on one line; columns are 0-based UTF-16 offsets, as editors count them.

import { bridgeIdMac, isIPv4, isIPv6, isMac, normalizeMac, parseCidr } from '../util/ip';

/** `rule`: a whole firewall rule or chain line (hovered where no other token is). */
export type TokenKind = 'ipv4' | 'ipv6' | 'cidr' | 'mac' | 'interface' | 'rule';

export interface Token {
  kind: TokenKind;
  /** Normalised: MACs lower case with two digits per octet, IPv6 lower case, bridge ids as their MAC. */
  text: string;
  /** 0-based start (inclusive) and end (exclusive) column in the line. */
  start: number;
  end: number;
  /** As written in the line. */
  raw: string;
}

/** Names that are interfaces whatever the snapshot says (the usual Linux and CNI device names). */
const INTERFACE_NAME =
  /^(?:flannel[.-][\w.-]+|cni\d+|docker\d+|eth\d+(?:\.\d+)?|bond\d+(?:\.\d+)?|veth[0-9a-z]+|en[a-z][A-Za-z_]*\d\w*|em\d+|lo|br-[0-9a-f]+|br\d+|virbr\d+|vxlan[\w.-]*|tunl\d+|tun\d+|tap[\w-]+|wlan\d+|cali[0-9a-f]+|cilium_\w+|kube-ipvs\d+|nodelocaldns|weave|ib\d+|team\d+|dummy\d+|vlan\d+)$/;

/** Characters a token may be made of; everything else (spaces, `@`, `=`, quotes, brackets, `,`) ends it. */
const WORD = /[A-Za-z0-9_.:/-]+/g;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78M]/g;

/** Replaces ANSI escape sequences by spaces of the same length, so columns stay where the editor has them. */
export function maskAnsi(line: string): string {
  return line.includes('\x1b') ? line.replace(ANSI, (m) => ' '.repeat(m.length)) : line;
}

/** What a word is, if it is one of the token kinds; `known` adds the interface names the snapshots list. */
export function classify(
  word: string,
  known?: ReadonlySet<string>,
): { kind: TokenKind; text: string } | undefined {
  if (word === '') return undefined;
  if (known?.has(word) === true) return { kind: 'interface', text: word };
  if (word.includes(':') || word.includes('.')) {
    if (isMac(word)) return { kind: 'mac', text: normalizeMac(word) };
    const bridge = /^[0-9a-fA-F]{4}\./.test(word) ? bridgeIdMac(word) : undefined;
    if (bridge !== undefined) return { kind: 'mac', text: bridge };
    if (isIPv4(word)) return { kind: 'ipv4', text: word };
    if (isIPv6(word)) return { kind: 'ipv6', text: word.toLowerCase() };
    if (word.includes('/')) {
      const cidr = parseCidr(word);
      if (cidr !== undefined && /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(word)) {
        return {
          kind: 'cidr',
          text: `${cidr.family === 'inet6' ? cidr.address.toLowerCase() : cidr.address}/${cidr.prefixLen}`,
        };
      }
    }
  }
  if (INTERFACE_NAME.test(word)) return { kind: 'interface', text: word };
  return undefined;
}

/** `:` `.` `,` `/` `-`: punctuation that may end a sentence or a `key:` rather than belong to a token. */
function isPunctuation(c: number): boolean {
  return c === 58 || c === 46 || c === 44 || c === 47 || c === 45;
}

/** The word as written, then with trailing and leading punctuation (`flannel.1:`, `10.27.9.0.`) taken off. */
function candidates(word: string, start: number): { word: string; start: number }[] {
  const out = [{ word, start }];
  // Scanned by hand: `/[:.,/-]+$/` retries from every character of a long run of `:` (quadratic).
  let end = word.length;
  while (end > 0 && isPunctuation(word.charCodeAt(end - 1))) end--;
  const trailing = word.slice(0, end);
  if (trailing !== word && trailing !== '') out.push({ word: trailing, start });
  let lead = 0;
  while (lead < trailing.length && isPunctuation(trailing.charCodeAt(lead))) lead++;
  if (lead > 0 && lead < trailing.length) out.push({ word: trailing.slice(lead), start: start + lead });
  return out;
}

function classifyWord(word: string, start: number, known?: ReadonlySet<string>): Token | undefined {
  for (const c of candidates(word, start)) {
    const hit = classify(c.word, known);
    if (hit !== undefined) return { ...hit, start: c.start, end: c.start + c.word.length, raw: c.word };
  }
  return undefined;
}

/** Every token in a line, left to right. */
export function tokensInLine(lineText: string, known?: ReadonlySet<string>): Token[] {
  const text = maskAnsi(lineText);
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const token = classifyWord(m[0], m.index, known);
    if (token !== undefined) out.push(token);
  }
  return out;
}

/**
 * The token at `character` (0-based; the position just after a token also counts, as editors place the
 * cursor there). Interface names the snapshots list are found even when they contain characters no other
 * token may (`known`).
 */
export function tokenAt(lineText: string, character: number, known?: ReadonlySet<string>): Token | undefined {
  const text = maskAnsi(lineText);
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    const end = start + m[0].length;
    if (character < start || character > end) continue;
    const token = classifyWord(m[0], start, known);
    if (token !== undefined && character >= token.start && character <= token.end) return token;
  }
  if (known !== undefined) {
    // Names with characters outside WORD (a hostile `<img …>` included) are still the interface they name.
    for (const name of known) {
      if (name === '' || /^[A-Za-z0-9_.:/-]+$/.test(name)) continue;
      let from = 0;
      for (;;) {
        const at = text.indexOf(name, from);
        if (at === -1) break;
        if (character >= at && character <= at + name.length)
          return { kind: 'interface', text: name, start: at, end: at + name.length, raw: name };
        from = at + 1;
      }
    }
  }
  return undefined;
}

/** Does `text` mention `token` as a whole token (not as part of a longer address or name)? */
export function mentions(text: string, token: Pick<Token, 'kind' | 'text'>): boolean {
  const needle = token.kind === 'mac' || token.kind === 'ipv6' ? token.text.toLowerCase() : token.text;
  const hay = token.kind === 'mac' || token.kind === 'ipv6' ? text.toLowerCase() : text;
  let from = 0;
  for (;;) {
    const at = hay.indexOf(needle, from);
    if (at === -1) return false;
    const before = hay.charAt(at - 1);
    const after = hay.charAt(at + needle.length);
    const afterNext = hay.charAt(at + needle.length + 1);
    const boundaryBefore = before === '' || !/[A-Za-z0-9_.:-]/.test(before);
    // `10.27.3.0` is mentioned by `10.27.3.0/24` and by `10.27.3.0.` at a sentence's end, not by `10.27.3.01`.
    const boundaryAfter =
      after === '' ||
      !/[A-Za-z0-9_.:-]/.test(after) ||
      ((after === '.' || after === ':') && !/[A-Za-z0-9]/.test(afterNext));
    if (boundaryBefore && boundaryAfter) return true;
    from = at + 1;
  }
}
