// Read-only reports the editor shows as virtual documents: a trace (each hop with a link to its line) and
// a comparison of two captures. Text plus link ranges; the adapter makes the ranges clickable.

import { diffSnapshots, type SnapshotDiff } from '../analysis/diff';
import { trace, type TraceResult } from '../analysis/trace';
import { looksBinary, parseSnapshot } from '../pipeline/parse';
import { isIP } from '../util/ip';
import { escapeControls } from '../util/text';
import { diffLines, type ReportLine, traceLines, traceTitle } from './report-lines';
import type { DocLocation, SnapshotWorkspace } from './workspace';

export interface ReportLink {
  /** 0-based line of the report, and columns. */
  line: number;
  start: number;
  end: number;
  target: DocLocation;
}

export interface Report {
  title: string;
  text: string;
  links: ReportLink[];
}

/**
 * The editor's sink of a report's lines: text, and a link on every cited `file:line` whose file is open
 * in the workspace. Every control character is shown escaped (`\x1b`, `\n`): snapshot text cannot add
 * lines or act on the editor's display.
 */
function editorReport(
  title: string,
  body: readonly ReportLine[],
  resolve: (file: string) => string | undefined,
): Report {
  const lines: string[] = [];
  const links: ReportLink[] = [];
  for (const spans of body) {
    let text = '';
    for (const s of spans) {
      const shown = escapeControls(s.text);
      const key = s.loc === undefined ? undefined : resolve(s.loc.file);
      if (s.loc !== undefined && key !== undefined)
        links.push({
          line: lines.length,
          start: text.length,
          end: text.length + shown.length,
          target: { key, line: s.loc.line },
        });
      text += shown;
    }
    lines.push(text);
  }
  return { title: escapeControls(title), text: `${lines.join('\n')}\n`, links };
}

/** Checks a trace target typed by a person: undefined when fine, else what is wrong. */
export function validateTraceTarget(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return 'Type an IP address, e.g. 10.27.3.2 or, on a dual-stack cluster, fd27:42:0:3::2';
  if (!isIP(t)) return `${t} is not an IPv4 or IPv6 address`;
  return undefined;
}

/** The hosts a trace may start from: nodes first, then pods. */
export function traceSources(
  ws: SnapshotWorkspace,
): { name: string; role: 'node' | 'pod'; description: string; key: string }[] {
  const hosts = ws.hosts();
  return [...hosts.filter((h) => h.host.role === 'node'), ...hosts.filter((h) => h.host.role === 'pod')].map(
    (h) => ({
      name: h.host.name,
      role: h.host.role,
      key: h.key,
      description: [
        h.host.role === 'pod'
          ? `pod${h.node === undefined ? '' : ` on ${h.node.name}`}`
          : (ws.view(h.host)?.subnet?.cidr ?? 'node'),
        h.host.file,
      ].join(' · '),
    }),
  );
}

export function formatTrace(result: TraceResult, resolve: (file: string) => string | undefined): Report {
  return editorReport(traceTitle(result), traceLines(result), resolve);
}

/**
 * Traces from a host to an IP within the cluster of `key` (the document the host was found in); without
 * a key, over the whole workspace (which is then expected to be one cluster).
 */
export function traceReport(ws: SnapshotWorkspace, from: string, to: string, key?: string): Report {
  const cluster = key === undefined ? ws : ws.scope(key);
  return formatTrace(trace(cluster.snapshots(), from, to.trim()), (file) => ws.keyOf(file));
}

export interface CompareInput {
  key: string;
  /** How the file reads in the report (a path). */
  label: string;
  text: string;
}

export function formatDiff(
  diff: SnapshotDiff,
  title: string,
  resolve: (file: string) => string | undefined,
): Report {
  return editorReport(title, [[{ text: title, role: 'heading' }], [], ...diffLines(diff)], resolve);
}

/**
 * Compares two captures (each one file or a folder's files). Binary inputs are refused by name. Sources
 * are prefixed `old/`, `new/` only when the two sides share a label.
 */
export function compareReport(
  oldSide: readonly CompareInput[],
  newSide: readonly CompareInput[],
  title: string,
): Report {
  const bad = [...oldSide, ...newSide].filter((i) => looksBinary(i.text)).map((i) => i.label);
  if (bad.length > 0) {
    return {
      title: escapeControls(title),
      text: `${escapeControls(title)}\n\nNot compared: ${escapeControls(bad.join(', '))} look${bad.length === 1 ? 's' : ''} like binary data, not terminal transcripts.\n`,
      links: [],
    };
  }
  const keys = new Map<string, string>();
  const labels = new Set(oldSide.map((i) => i.label));
  const clash = newSide.some((i) => labels.has(i.label));
  const parse = (side: readonly CompareInput[], prefix: string) =>
    side.map((i) => {
      const source = clash ? `${prefix}${i.label}` : i.label;
      keys.set(source, i.key);
      return parseSnapshot(i.text, source);
    });
  const diff = diffSnapshots(parse(oldSide, 'old/'), parse(newSide, 'new/'));
  return formatDiff(diff, title, (file) => keys.get(file));
}
