// The Outline of a snapshot: each node (and the pods seen on it) with its sections, one per command.

import type { HostModel, SectionInfo } from '../model/types';
import { parserById } from '../parsers';
import type { ParserId } from '../parsers/parser';
import type { SnapshotWorkspace } from './workspace';
import { escapeControls } from '../util/text';
import { minMax } from '../util/arrays';

export type SymbolKind = 'node' | 'pod' | 'section';

export interface SymbolNode {
  name: string;
  detail: string;
  kind: SymbolKind;
  /** 1-based, inclusive. */
  line: number;
  endLine: number;
  /** The line to select (the header or prompt). */
  selectionLine: number;
  children: SymbolNode[];
}

/** Does the section's command line run the parser's command (`sudo ip -d link show` runs `ip link`)? */
function sameCommand(command: string, known: string): boolean {
  const words = command.split(/\s+/);
  return known.split(/\s+/).every((w) => w.startsWith('-') || words.includes(w));
}

function sectionSymbol(s: SectionInfo): SymbolNode {
  // The registry's first command for the parser that recognised the output.
  const known = s.parser === undefined ? undefined : parserById(s.parser as ParserId)?.commands[0];
  const name = s.command ?? `${known ?? 'output'} (pasted output)`;
  // The detail speaks in commands, as the name does: what output it was read as when that is not the
  // command named (`ip addr` read as `ip link` output), never the parser's id (`ip-link`).
  const commands = s.parser === undefined ? [] : (parserById(s.parser as ParserId)?.commands ?? []);
  const command = s.command;
  const readAs =
    known === undefined || command === undefined || commands.some((k) => sameCommand(command, k))
      ? ''
      : `read as ${known}`;
  const detail = [
    s.parser === undefined ? 'not read' : readAs,
    s.partial ? 'partial' : '',
    s.detected && s.command !== undefined ? 'recognised by content' : '',
  ]
    .filter((x) => x !== '')
    .join(', ');
  const end = s.loc.endLine ?? s.loc.line;
  return {
    // The outline shows names as one line of text: control characters escaped (util/text.ts).
    name: escapeControls(name),
    detail,
    kind: 'section',
    line: s.loc.line,
    endLine: end,
    selectionLine: s.loc.line,
    children: [],
  };
}

function hostSymbol(host: HostModel, file: string, extraChildren: SymbolNode[] = []): SymbolNode | undefined {
  const sections = host.sections.filter((s) => s.loc.file === file).map(sectionSymbol);
  const children = [...sections, ...extraChildren].sort((a, b) => a.line - b.line);
  if (children.length === 0) return undefined;
  const [line] = minMax(children.map((c) => c.line));
  const [, endLine] = minMax(children.map((c) => c.endLine));
  const detail =
    host.role === 'pod'
      ? `pod${host.gateway === undefined ? '' : `, gateway ${host.gateway}`}`
      : `node, ${host.sections.length} section${host.sections.length === 1 ? '' : 's'}${host.pods.length > 0 ? `, ${host.pods.length} pod${host.pods.length === 1 ? '' : 's'}` : ''}`;
  return {
    name: escapeControls(host.name),
    detail,
    kind: host.role,
    line,
    endLine,
    selectionLine: line,
    children,
  };
}

/** The outline of one document: nodes with their sections and pods, then pods whose node is elsewhere. */
export function documentSymbols(ws: SnapshotWorkspace, key: string): SymbolNode[] {
  const snapshot = ws.snapshot(key);
  if (snapshot === undefined) return [];
  const file = snapshot.file;
  const out: SymbolNode[] = [];
  for (const node of snapshot.nodes) {
    const pods = node.pods.map((p) => hostSymbol(p, file)).filter((p): p is SymbolNode => p !== undefined);
    const symbol = hostSymbol(node, file, pods);
    if (symbol !== undefined) out.push(symbol);
  }
  for (const pod of snapshot.pods) {
    const symbol = hostSymbol(pod, file);
    if (symbol !== undefined) out.push(symbol);
  }
  return out.sort((a, b) => a.line - b.line);
}
