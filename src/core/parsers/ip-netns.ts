// `ip netns list`: the named network namespaces (one per pod sandbox under containerd/CRI-O, `cni-…`),
// `name (id: 3)` when the namespace has a peer id, plain `name` otherwise; `ip -j netns list` prints
// `[{"name":"x","id":0}]`.

import type { Netns } from '../model/types';
import { abbreviates, isShowWord, readIpCommand } from '../util/argv';
import { asNumber, asRecord, asString, readJson, startsJson } from './json-lines';
import { isBlank, isBlankOrElision } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const ROW = /^(\S+)(?:\s+\(id:\s*(\d+)\))?\s*$/;

function parseJson(lines: readonly Line[], ledger: Ledger): Netns[] {
  const json = readJson(lines);
  const out: Netns[] = [];
  if (json.errors.length > 0) {
    const reported = new Set<number>();
    for (const error of json.errors) {
      reported.add(error.line);
      ledger.report(error.line, error.message, 'error');
    }
    for (const l of lines) if (!reported.has(l.line)) ledger.skip(l.line);
    return out;
  }
  if (!Array.isArray(json.value)) {
    ledger.report(lines[0]?.line ?? 1, 'ip -j netns output is not a JSON array', 'error');
    for (const l of lines.slice(1)) ledger.skip(l.line);
    return out;
  }
  const covered = new Set<number>();
  for (const { value: element, line, endLine } of json.elements) {
    const value = asRecord(element);
    const name = asString(value?.['name']);
    if (name === undefined) {
      ledger.report(line, 'Namespace entry without a "name"', 'warning');
      continue;
    }
    const ns: Netns = { loc: ledger.loc(line, endLine), name };
    const id = asNumber(value?.['id']);
    if (id !== undefined) ns.id = id;
    out.push(ns);
    for (let l = line; l <= endLine; l++) covered.add(l);
  }
  for (const l of lines) if (!covered.has(l.line)) ledger.skip(l.line);
  return out;
}

function parseText(lines: readonly Line[], ledger: Ledger): Netns[] {
  const out: Netns[] = [];
  for (const line of lines) {
    const text = line.text;
    if (isBlankOrElision(text)) {
      ledger.skip(line.line);
      continue;
    }
    if (/^(Error|RTNETLINK answers|Cannot open)\b/.test(text.trim())) {
      ledger.report(line.line, text.trim(), 'warning');
      continue;
    }
    const m = ROW.exec(text.trim());
    if (!m) {
      ledger.unrecognized(line, 'ip netns');
      continue;
    }
    const ns: Netns = { loc: ledger.loc(line.line), name: m[1] ?? '' };
    if (m[2] !== undefined) ns.id = Number(m[2]);
    out.push(ns);
  }
  return out;
}

export const ipNetnsParser: Parser = {
  id: 'ip-netns',
  title: 'Network namespaces (ip netns list)',
  commands: ['ip netns list', 'ip netns', 'ip -j netns list'],

  matchesCommand(argv: readonly string[]): boolean {
    const ip = readIpCommand(argv);
    if (ip === undefined || !abbreviates(ip.object, 'netns', 3)) return false;
    return isShowWord(ip.rest[0], 1);
  },

  detect(): boolean {
    // Bare namespace names are indistinguishable from other one-word output.
    return false;
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'ip netns', (ledger) => {
      const { lines } = input;
      const first = lines.findIndex((l) => !isBlank(l.text));
      // `ip -j netns` prints a JSON array; anything else (an `Error:` line) is read as text.
      const netns =
        first !== -1 && startsJson(lines, first, '[') ? parseJson(lines, ledger) : parseText(lines, ledger);
      // An empty listing is a finding too: the node has no named namespaces.
      ledger.facts.netns = netns;
    });
  },
};
