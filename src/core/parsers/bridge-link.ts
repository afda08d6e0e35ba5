// `bridge link [show]`, `bridge -d link show`, `bridge -j link show`: one line per bridge port.
//
//   5: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master cni0 state forwarding priority 32 cost 2
//       hairpin off guard off root_block off fastleave off learning on flood on …          (-d)
//
// Produces the ports grouped into Bridge records by master (the bridge's loc is its first port's line) and an
// Interface per port (master, mtu, flags, port state).
//
// The name after `@` is not kept as `link`: iproute2 6.1 resolves the peer's ifindex in the local namespace,
// so a pod veth prints as `veth228c5a4c@br0` when ifindex 2 here happens to be br0. It still hints the kind.

import type { Bridge, BridgePort, Interface } from '../model/types';
import { asString, asStringArray } from './json-lines';
import { hasJsonOption } from '../util/argv';
import { isBlankOrElision, tokens } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import {
  accountJsonLines,
  extendTo,
  guessKind,
  isBridgeShow,
  isJsonOutput,
  jsonHeadHas,
  newInterface,
  parseLinkHeader,
  readBridgeCommand,
  readHeaderRest,
  readJsonItems,
  readJsonLinkFields,
} from './link-common';
import type { Line, Parser, ParserInput } from './parser';

/** STP port states as `bridge link` prints them. */
const PORT_STATES = new Set(['disabled', 'listening', 'learning', 'forwarding', 'blocking']);

function matchesCommand(argv: readonly string[]): boolean {
  // `bridge link s` is `set`.
  return isBridgeShow(argv, ['l', 'li', 'lin', 'link'], 2);
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text ?? '';
  if (text.startsWith('[') || text.startsWith('{'))
    return (
      jsonHeadHas(lines, index, ['"ifname"', '"master"', '"state"']) &&
      !jsonHeadHas(lines, index, ['"operstate"'])
    );
  const header = parseLinkHeader(text);
  if (!header || header.rest.includes(' qdisc ') || header.rest.startsWith('qdisc ')) return false;
  const words = tokens(header.rest);
  const state = words.indexOf('state');
  if (state === -1 || !PORT_STATES.has(words[state + 1] ?? '') || !words.includes('master')) return false;
  const next = (lines[index + 1]?.text ?? '').trimStart();
  return !next.startsWith('link/') && !next.startsWith('inet');
}

interface Port {
  iface: Interface;
  port?: BridgePort;
}

function parse(input: ParserInput) {
  return safeParse(input, 'bridge link', (ledger) => {
    const cmd = input.command ? readBridgeCommand(input.command.argv) : undefined;
    const interfaces: Interface[] = [];
    const bridges: Bridge[] = [];
    ledger.facts.interfaces = interfaces;
    ledger.facts.bridges = bridges;
    const byName = new Map<string, Bridge>();
    const add = (iface: Interface, state: string | undefined): Port => {
      interfaces.push(iface);
      const master = iface.master;
      if (master === undefined || master === iface.name) return { iface };
      let bridge = byName.get(master);
      if (!bridge) {
        bridge = { loc: ledger.loc(iface.loc.line), name: master, ports: [] };
        byName.set(master, bridge);
        bridges.push(bridge);
      }
      const port: BridgePort = { loc: ledger.loc(iface.loc.line, iface.loc.endLine), name: iface.name };
      if (state !== undefined) port.state = state;
      bridge.ports.push(port);
      return { iface, port };
    };
    if ((cmd && hasJsonOption(cmd.options)) || isJsonOutput(input.lines)) parseJson(input.lines, ledger, add);
    else parseText(input.lines, ledger, add);
    // A bridge that lists itself (`bridge link show … self`) is a bridge.
    for (const iface of interfaces) if (byName.has(iface.name)) iface.kind = 'bridge';
  });
}

type Add = (iface: Interface, state: string | undefined) => Port;

function parseText(lines: readonly Line[], ledger: Ledger, add: Add): void {
  let cur: Port | undefined;
  for (const line of lines) {
    const text = line.text;
    if (isBlankOrElision(text)) {
      ledger.skip(line.line);
      cur = undefined;
      continue;
    }
    const first = text.charCodeAt(0);
    if (first === 32 || first === 9) {
      // `-d` detail line (hairpin off guard off …): part of the port above.
      if (cur) {
        extendTo(cur.iface.loc, line.line);
        if (cur.port) extendTo(cur.port.loc, line.line);
      } else ledger.unrecognized(line, 'bridge link (detail line without its port)');
      continue;
    }
    const header = parseLinkHeader(text);
    if (!header) {
      ledger.unrecognized(line, 'bridge link');
      cur = undefined;
      continue;
    }
    const iface = newInterface(
      ledger.loc(line.line),
      header.name,
      header.flags,
      guessKind(header.name, header.link),
    );
    iface.ifindex = header.ifindex;
    const state = readHeaderRest(iface, header.rest);
    if (state !== undefined) iface.portState = state;
    cur = add(iface, state);
  }
}

function parseJson(lines: readonly Line[], ledger: Ledger, add: Add): void {
  const { items, issueLines } = readJsonItems(lines, ledger);
  const locs: Interface['loc'][] = [];
  for (const item of items) {
    const v = item.value;
    const name = asString(v['ifname']);
    if (name === undefined) {
      ledger.report(item.line, 'bridge -j link element without an ifname');
      issueLines.add(item.line);
      continue;
    }
    const link = asString(v['link']);
    const iface = newInterface(
      ledger.loc(item.line, item.endLine),
      name,
      asStringArray(v['flags']),
      guessKind(name, link),
    );
    readJsonLinkFields(iface, v);
    const state = asString(v['state']);
    if (state !== undefined) iface.portState = state;
    add(iface, state);
    locs.push(iface.loc);
  }
  accountJsonLines(lines, ledger, locs, issueLines);
}

export const bridgeLinkParser: Parser = {
  id: 'bridge-link',
  title: 'bridge ports and their STP state (bridge link show)',
  commands: ['bridge link show', 'bridge link', 'bridge -d link show', 'bridge -j link show'],
  matchesCommand,
  detect,
  parse,
};
