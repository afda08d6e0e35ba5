// Go to Definition and Find All References for an IP, CIDR, MAC or interface name, across every
// snapshot of the workspace. A reference is every place the token occurs as a token (a MAC also inside a
// bridge id, an IP also as the address of a CIDR); the definition is the record that owns it: the
// interface with that MAC or address, the bridge with that id, the node whose subnet it is.

import type { SourceLocation } from '../model/types';
import { bridgeIdMac, ipv4Network, parseCidr } from '../util/ip';
import { tokenAt, tokensInLine, type Token } from './tokens';
import type { DocLocation, SnapshotWorkspace } from './workspace';
import { appendAll } from '../util/arrays';

export interface RangeLocation {
  key: string;
  /** 1-based line. */
  line: number;
  /** 0-based columns. */
  start: number;
  end: number;
}

/** The spellings a token may have in a line, for a quick substring test before tokenising the line. */
function spellings(token: Pick<Token, 'kind' | 'text'>): string[] {
  switch (token.kind) {
    case 'mac': {
      const octets = token.text.split(':');
      return [token.text, octets.map((o) => o.replace(/^0(?=.)/, '')).join(':'), octets.join('')];
    }
    case 'cidr': {
      const cidr = parseCidr(token.text);
      return cidr === undefined ? [token.text] : [cidr.address];
    }
    default:
      return [token.text];
  }
}

/** Does a token found in a line refer to the same thing as `target`? Returns the columns that do. */
function matchRange(
  found: Token,
  target: Pick<Token, 'kind' | 'text'>,
): { start: number; end: number } | undefined {
  if (found.kind === target.kind && found.text === target.text) return { start: found.start, end: found.end };
  // `10.27.9.1/24` names the address 10.27.9.1.
  if ((target.kind === 'ipv4' || target.kind === 'ipv6') && found.kind === 'cidr') {
    const slash = found.raw.indexOf('/');
    const address = found.text.slice(0, found.text.indexOf('/'));
    if (address === target.text) return { start: found.start, end: found.start + slash };
  }
  return undefined;
}

/** Every occurrence of a token as a token, in every document of the workspace. */
export function referencesOf(
  workspace: SnapshotWorkspace,
  token: Pick<Token, 'kind' | 'text'>,
  at?: Pick<DocLocation, 'key'>,
): RangeLocation[] {
  // Within the cluster of the document asked from: another capture's lines are not references.
  const ws = at === undefined ? workspace : workspace.scope(at.key);
  const out: RangeLocation[] = [];
  const names = ws.interfaceNames();
  const caseless = token.kind === 'mac' || token.kind === 'ipv6';
  const needles = spellings(token).map((s) => (caseless ? s.toLowerCase() : s));
  for (const key of ws.keys().sort()) {
    const text = ws.text(key) ?? '';
    const hay = caseless ? text.toLowerCase() : text;
    if (!needles.some((n) => hay.includes(n))) continue;
    const count = ws.lineCount(key);
    for (let line = 1; line <= count; line++) {
      const lineText = ws.lineText(key, line);
      const lower = caseless ? lineText.toLowerCase() : lineText;
      if (!needles.some((n) => lower.includes(n))) continue;
      for (const found of tokensInLine(lineText, names)) {
        const range = matchRange(found, token);
        if (range !== undefined) out.push({ key, line, ...range });
      }
      if (token.kind === 'interface' && !/^[A-Za-z0-9_.:/-]+$/.test(token.text)) {
        // Names outside the token alphabet are matched as written.
        for (let at = lineText.indexOf(token.text); at !== -1; at = lineText.indexOf(token.text, at + 1))
          out.push({ key, line, start: at, end: at + token.text.length });
      }
    }
  }
  return out;
}

/** The token's place on a record's lines (`loc.line..endLine`), or the line's first column. */
function onRecord(
  ws: SnapshotWorkspace,
  loc: SourceLocation,
  token: Pick<Token, 'kind' | 'text'>,
): RangeLocation | undefined {
  const key = ws.keyOf(loc.file);
  if (key === undefined) return undefined;
  const names = ws.interfaceNames();
  for (let line = loc.line; line <= (loc.endLine ?? loc.line); line++) {
    for (const found of tokensInLine(ws.lineText(key, line), names)) {
      const range = matchRange(found, token);
      if (range !== undefined) return { key, line, ...range };
    }
  }
  return { key, line: loc.line, start: 0, end: 0 };
}

/**
 * Where a token is defined: the interface that has the MAC or address (or the bridge whose id it is), the
 * node whose pod subnet a CIDR is, the interface record of a name on the host of `at` (else any host).
 */
export function definitionsOf(
  workspace: SnapshotWorkspace,
  token: Pick<Token, 'kind' | 'text'>,
  at?: DocLocation,
): RangeLocation[] {
  const ws = at === undefined ? workspace : workspace.scope(at.key);
  const locs: SourceLocation[] = [];
  const hosts = ws.hosts();
  switch (token.kind) {
    case 'mac':
      for (const { host } of hosts) {
        for (const itf of host.interfaces) if (itf.mac === token.text) locs.push(itf.loc);
        for (const b of host.bridges)
          if (b.bridgeId !== undefined && bridgeIdMac(b.bridgeId) === token.text) locs.push(b.loc);
      }
      if (locs.length === 0) {
        for (const s of ws.snapshots())
          for (const k of s.kubeNodes)
            if (k.annotations.backendData?.vtepMac === token.text) locs.push(k.loc);
      }
      break;
    case 'ipv4':
    case 'ipv6': {
      for (const { host } of hosts)
        for (const itf of host.interfaces)
          for (const a of itf.addresses) if (a.address.toLowerCase() === token.text) locs.push(a.loc);
      if (locs.length === 0) {
        // A pod IP no pod snapshot shows: its node's subnet is what defines it.
        const owner = ws
          .peers()
          .peers.find((p) => ipv4Network(token.text, p.subnet.prefix) === p.subnet.network);
        if (owner !== undefined) locs.push(owner.subnet.loc);
      }
      break;
    }
    case 'cidr': {
      for (const p of ws.peers().peers) if (p.subnet.cidr === token.text) locs.push(p.subnet.loc);
      if (locs.length === 0) {
        const cidr = parseCidr(token.text);
        if (cidr !== undefined)
          for (const { host } of hosts)
            for (const itf of host.interfaces)
              for (const a of itf.addresses)
                if (a.address === cidr.address && a.prefixLen === cidr.prefixLen) locs.push(a.loc);
      }
      break;
    }
    case 'interface': {
      const here = at === undefined ? undefined : ws.hostAt(at.key, at.line)?.host;
      const own = (h: typeof here) =>
        h === undefined
          ? []
          : [
              ...h.interfaces.filter((i) => i.name === token.text).map((i) => i.loc),
              ...h.bridges.filter((b) => b.name === token.text).map((b) => b.loc),
            ];
      appendAll(locs, own(here));
      if (locs.length === 0) for (const { host } of hosts) appendAll(locs, own(host));
      break;
    }
    case 'rule':
      // A whole firewall rule line names no value that is defined elsewhere.
      break;
  }
  const out: RangeLocation[] = [];
  const seen = new Set<string>();
  for (const loc of locs) {
    const r = onRecord(ws, loc, token);
    if (r === undefined) continue;
    const id = `${r.key}\u0000${r.line}\u0000${r.start}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(r);
    }
  }
  return out;
}

/** The token at a position of a workspace document (1-based line, 0-based character). */
export function tokenAtPosition(
  ws: SnapshotWorkspace,
  key: string,
  line: number,
  character: number,
): Token | undefined {
  return ws.has(key) ? tokenAt(ws.lineText(key, line), character, ws.interfaceNames()) : undefined;
}
