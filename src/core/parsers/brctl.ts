// `brctl show [BRIDGE]` (bridge-utils): a tab-separated table, one row per bridge with its first port,
// then one row per further port with only the port name after leading tabs.
//
//   bridge name<TAB>bridge id<TAB><TAB>STP enabled<TAB>interfaces
//   cni0<TAB><TAB>8000.0a580a1d0d01<TAB>no<TAB><TAB>veth0985a0b8
//   <TAB>…<TAB>veth1253dd53
//   docker0<TAB><TAB>8000.0242fbd0e139<TAB>no
//
// Errors brctl prints in the table (`can't get info Operation not supported`, `bridge X does not exist!`)
// become issues. A `...` elision keeps the bridge open: ports after it are still that bridge's.

import type { Bridge } from '../model/types';
import { basename } from '../util/argv';
import { isBlankOrElision, tokens } from '../util/words';
import { safeParse } from './ledger';
import type { Line, Parser, ParserInput } from './parser';

const BRIDGE_ID = /^[0-9a-fA-F]{4}\.[0-9a-fA-F]{12}$/;

function isHeader(text: string): boolean {
  return text.startsWith('bridge name') && text.includes('bridge id');
}

function matchesCommand(argv: readonly string[]): boolean {
  return basename(argv[0] ?? '') === 'brctl' && argv[1] === 'show' && argv.length <= 3;
}

function detect(lines: readonly Line[], index: number): boolean {
  return isHeader(lines[index]?.text.trimStart() ?? '');
}

function isBrctlError(text: string): boolean {
  return (
    text.includes("can't get") ||
    text.includes('does not exist') ||
    text.includes('is not a bridge') ||
    text.includes('Operation not supported') ||
    text.includes('No such device')
  );
}

function parse(input: ParserInput) {
  return safeParse(input, 'brctl show', (ledger) => {
    const bridges: Bridge[] = [];
    ledger.facts.bridges = bridges;
    let current: Bridge | undefined;
    for (const line of input.lines) {
      const text = line.text;
      if (isBlankOrElision(text)) {
        ledger.skip(line.line);
        continue;
      }
      const first = text.charCodeAt(0);
      if (first === 98 /* b */ && isHeader(text)) {
        ledger.skip(line.line);
        current = undefined;
        continue;
      }
      const words = tokens(text);
      const indented = first === 9 || first === 32;
      if (indented && current !== undefined && words.length === 1) {
        // A continuation row: one more port of the bridge above.
        current.ports.push({ loc: { file: input.file, line: line.line }, name: words[0] ?? '' });
        current.loc.endLine = line.line;
        continue;
      }
      if (isBrctlError(text)) {
        // The bridge's ports are unknown: no record, so nothing is taken as proof a port is missing.
        ledger.report(line.line, `brctl could not read a bridge: ${text.trim()}`, 'warning');
        current = undefined;
        continue;
      }
      if (indented) {
        ledger.unrecognized(line, current === undefined ? 'brctl port (no bridge row above)' : 'brctl');
        continue;
      }
      const [name, id, stp, port] = words;
      if (
        name === undefined ||
        id === undefined ||
        !BRIDGE_ID.test(id) ||
        (stp !== 'yes' && stp !== 'no') ||
        words.length > 4
      ) {
        ledger.unrecognized(line, 'brctl');
        current = undefined;
        continue;
      }
      current = {
        loc: ledger.loc(line.line),
        name,
        bridgeId: id.toLowerCase(),
        stp: stp === 'yes',
        ports: [],
      };
      if (port !== undefined) current.ports.push({ loc: ledger.loc(line.line), name: port });
      bridges.push(current);
    }
  });
}

export const brctlParser: Parser = {
  id: 'brctl',
  title: 'Linux bridges and their ports (brctl show)',
  commands: ['brctl show', 'brctl show cni0'],
  matchesCommand,
  detect,
  parse,
};
