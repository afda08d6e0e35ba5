// Read-only reports the editor shows as virtual documents: a trace (each hop with a link to its line) and
// a comparison of two captures. Text plus link ranges; the adapter makes the ranges clickable.

import { diffSnapshots, type SnapshotDiff } from '../analysis/diff';
import { trace, type TraceResult } from '../analysis/trace';
import { looksBinary, parseSnapshot } from '../pipeline/parse';
import { isIP } from '../util/ip';
import { escapeControls } from '../util/text';
import { diffLines, type ReportLine, traceLines, traceTitle } from './report-lines';
import { hoverAt } from './hover';
import type { HoverPart, Mark } from './markdown';
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

const REPORT_MARK: Record<Mark, string> = {
  ok: '[ok] ',
  warning: '[WARNING] ',
  broken: '[BROKEN] ',
  unknown: '[unknown] ',
  info: '',
};

/** Lines with citations, for the full analysis (the trace and comparison reports go through report-lines). */
class Writer {
  readonly lines: string[] = [];
  readonly links: ReportLink[] = [];
  constructor(private readonly resolve: (file: string) => string | undefined) {}

  /**
   * Appends a line; `loc` is cited at its end as `file:line`, linked. Every control character in either
   * is shown escaped (`\x1b`, `\n`): snapshot text cannot add lines or act on the editor's display.
   */
  line(unsafe: string, loc?: { file: string; line: number }): void {
    const text = escapeControls(unsafe);
    if (loc === undefined) {
      this.lines.push(text);
      return;
    }
    const label = escapeControls(`${loc.file}:${loc.line}`);
    const key = this.resolve(loc.file);
    const prefix = `${text}  `;
    if (key !== undefined)
      this.links.push({
        line: this.lines.length,
        start: prefix.length,
        end: prefix.length + label.length,
        target: { key, line: loc.line },
      });
    this.lines.push(`${prefix}${label}`);
  }

  report(title: string): Report {
    return { title: escapeControls(title), text: `${this.lines.join('\n')}\n`, links: this.links };
  }
}

/**
 * "Show full analysis…" of a hover: everything the hover at a position knows (the brief hover shows its
 * verdict, path and first fix), as a report whose citations link to their lines.
 */
export function analysisReport(
  ws: SnapshotWorkspace,
  key: string,
  line: number,
  character: number,
): Report | undefined {
  const hover = hoverAt(ws, key, line, character);
  if (hover === undefined) return undefined;
  const source = ws.sourceOf(key) ?? key;
  const w = new Writer((file) => ws.keyOf(file));
  const title = `Analysis of ${hover.token.text} (${source}:${line})`;
  w.line(title);
  w.line('');
  const file = (loc: DocLocation) => {
    const f = ws.sourceOf(loc.key);
    return f === undefined ? undefined : { file: f, line: loc.line };
  };
  const verdict = hover.brief.find((p): p is Extract<HoverPart, { kind: 'verdict' }> => p.kind === 'verdict');
  if (verdict !== undefined) w.line(`Verdict: ${REPORT_MARK[verdict.mark]}${verdict.text}`);
  for (const part of hover.parts) {
    w.line('');
    switch (part.kind) {
      case 'title':
      case 'text':
      case 'verdict':
        w.line(part.text);
        break;
      case 'list':
        w.line(`${part.title}:`);
        for (const item of part.items)
          w.line(
            // `•`, not `-`: the report grammar reads a leading `-` as a comparison's removed line.
            `  • ${item.mark === undefined ? '' : REPORT_MARK[item.mark]}${item.text}`,
            item.loc === undefined ? undefined : file(item.loc),
          );
        break;
      case 'code':
        for (const command of part.text.split('\n')) w.line(`    ${command}`);
        break;
      case 'command':
        break;
    }
  }
  return w.report(title);
}
