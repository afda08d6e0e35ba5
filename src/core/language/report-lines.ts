// Reports (trace, diff, check) rendered once into lines of spans, each span with a role and, when it
// cites a record, its place. Two sinks write them: the terminal (src/cli/terminal.ts, with colour) and the
// editor's read-only report (reports.ts, with links). Builders keep snapshot text raw: each sink escapes
// every span as it writes it (util/text.ts).

import type { Analysis, NodeSummary, SkippedCheck } from '../analysis/analyze';
import type { DiffEntry, HostDiff, SnapshotDiff } from '../analysis/diff';
import type { Finding } from '../analysis/findings';
import type { TraceHop, TraceResult } from '../analysis/trace';

/** What a span means; a sink chooses how it looks (a colour, nothing). */
export type Role =
  'heading' | 'error' | 'warning' | 'info' | 'ok' | 'added' | 'removed' | 'changed' | 'fix' | 'muted';

export interface Span {
  text: string;
  role?: Role;
  /** The record the span cites (its text is `file:line`): the editor links it. */
  loc?: { file: string; line: number };
}

export type ReportLine = readonly Span[];

const span = (text: string, role?: Role): Span => (role === undefined ? { text } : { text, role });

/** A record's place, cited as `file:line`. */
export function citation(loc: { file: string; line: number }): Span {
  return { text: `${loc.file}:${loc.line}`, role: 'muted', loc: { file: loc.file, line: loc.line } };
}

const plural = (n: number, word: string, many = `${word}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;

// ── trace ────────────────────────────────────────────────────────────────────────────────────────────

function hopMark(hop: TraceHop): Span {
  if (hop.ok) return span('ok', 'ok');
  return hop.unknown === true ? span('not shown', 'warning') : span('BROKEN', 'error');
}

/** The verdict as one sentence, without "Delivered: delivered on …". */
export function traceVerdict(result: TraceResult): Span {
  const unknown = result.hops.at(-1)?.unknown === true;
  const role: Role = result.delivered ? 'ok' : unknown ? 'warning' : 'error';
  if (result.delivered && result.verdict.startsWith('delivered'))
    return span(`D${result.verdict.slice(1)}`, role);
  return span(`${result.delivered ? 'Delivered' : 'Not delivered'}: ${result.verdict}`, role);
}

export function traceTitle(result: TraceResult): string {
  return `Trace ${result.from} → ${result.to}`;
}

/** The hops a packet takes, each with the line it was read from, then the verdict. */
export function traceLines(result: TraceResult): ReportLine[] {
  const lines: ReportLine[] = [[span(traceTitle(result), 'heading')], []];
  result.hops.forEach((hop, i) => {
    const line = [span(`${String(i + 1).padStart(3)}. [${hop.node}] ${hop.text} — `), hopMark(hop)];
    if (hop.file !== undefined && hop.line !== undefined)
      line.push(span('  '), citation({ file: hop.file, line: hop.line }));
    lines.push(line);
    if (hop.why !== undefined)
      lines.push([
        span(`       ${hop.why}`),
        ...(hop.code === undefined ? [] : [span(` [${hop.code}]`, 'muted')]),
      ]);
  });
  lines.push([], [traceVerdict(result)]);
  return lines;
}

// ── diff ─────────────────────────────────────────────────────────────────────────────────────────────

const shown = (value: string | null) => (value === null ? '(none)' : value);

function entryLine(e: DiffEntry): ReportLine {
  switch (e.change) {
    case 'added':
      return [span('  '), span(`+ ${e.kind} ${e.description}`, 'added'), span('  '), citation(e.loc)];
    case 'removed':
      return [span('  '), span(`- ${e.kind} ${e.description}`, 'removed'), span('  '), citation(e.loc)];
    case 'changed': {
      const fields = e.fields.map((f) => `${f.field} ${shown(f.old)} → ${shown(f.new)}`).join(', ');
      return [
        span('  '),
        span(`~ ${e.kind} ${e.label}: ${fields}`, 'changed'),
        span('  '),
        citation(e.loc),
        span(' (was ', 'muted'),
        citation(e.oldLoc),
        span(')', 'muted'),
      ];
    }
  }
}

function hostHeader(h: HostDiff): ReportLine {
  const what =
    h.role === 'pod'
      ? `pod ${h.name}${h.nodeName === undefined ? '' : ` (on ${h.nodeName})`}`
      : `node ${h.name}`;
  if (h.status === 'added') return [span(`+ ${what} added`, 'added'), span('  '), citation(h.loc)];
  if (h.status === 'removed') return [span(`- ${what} removed`, 'removed'), span('  '), citation(h.loc)];
  return [span(what, 'heading')];
}

function diffFindingLine(sign: '+' | '-', f: Finding): ReportLine {
  return [
    span('  '),
    span(`${sign} [${f.code}]`, sign === '+' ? 'error' : 'ok'),
    span(` ${f.node} `),
    citation(f),
    span(`: ${f.message}`),
  ];
}

/** Per host the entries added (+), removed (-) and changed (~), the findings that appeared and cleared, a summary. */
export function diffLines(diff: SnapshotDiff): ReportLine[] {
  const lines: ReportLine[] = [];
  for (const h of diff.hosts) {
    lines.push(hostHeader(h));
    for (const e of h.entries) lines.push(entryLine(e));
    for (const n of h.notCompared) lines.push([span(`  not compared: ${n.kind} (${n.reason})`, 'muted')]);
    lines.push([]);
  }
  const { appeared, cleared } = diff.findings;
  if (appeared.length > 0) {
    lines.push([span('Findings appeared', 'heading')], ...appeared.map((f) => diffFindingLine('+', f)), []);
  }
  if (cleared.length > 0) {
    lines.push([span('Findings cleared', 'heading')], ...cleared.map((f) => diffFindingLine('-', f)), []);
  }
  if (lines.length === 0) lines.push([span('No differences.')], []);
  const m = diff.summary;
  const hosts =
    m.hostsAdded + m.hostsRemoved > 0
      ? `; ${plural(m.hostsAdded, 'host')} added, ${m.hostsRemoved} removed`
      : '';
  lines.push([
    span(
      `${plural(m.added, 'entry', 'entries')} added, ${m.removed} removed, ${m.changed} changed; ` +
        `${plural(m.findingsAppeared, 'finding')} appeared, ${m.findingsCleared} cleared${hosts}`,
    ),
  ]);
  return lines;
}

// ── check ────────────────────────────────────────────────────────────────────────────────────────────

export interface CheckOptions {
  /** The full text of each check that could not run, and each node's model details. */
  verbose?: boolean;
  /** Columns to fit the short form into (a terminal's width). */
  width?: number;
}

const SEVERITY_ROLE = { error: 'error', warning: 'warning', info: 'info' } as const;

function findingLines(f: Finding): ReportLine[] {
  const lines: ReportLine[] = [
    [
      span('  '),
      span(f.severity, SEVERITY_ROLE[f.severity]),
      span(' '),
      span(`[${f.code}]`, 'muted'),
      span(' '),
      citation(f),
    ],
    [span(`    ${f.message}`)],
  ];
  // The impact leads; the mechanism (which entries, why) follows, as the editor shows it.
  if (f.detail !== undefined && f.detail !== f.message) lines.push([span(`    ${f.detail}`, 'muted')]);
  for (const r of f.related ?? [])
    lines.push([span('    see ', 'muted'), citation(r), span(` (${r.message})`, 'muted')]);
  if (f.fix !== undefined) {
    lines.push([span('    fix:')]);
    for (const command of f.fix.split('\n')) lines.push([span('      '), span(command, 'fix')]);
  }
  return lines;
}

function counts(n: NodeSummary): Span[] {
  const paint = (count: number, word: string, role: Role) =>
    span(plural(count, word), count === 0 ? 'muted' : role);
  const healthy = n.errors + n.warnings === 0;
  return [
    ...(healthy ? [span('healthy', 'ok'), span(': ')] : []),
    paint(n.errors, 'error', 'error'),
    span(', '),
    paint(n.warnings, 'warning', 'warning'),
    span(', '),
    paint(n.infos, 'info', 'info'),
  ];
}

/** Cuts `text` to `room` characters at a word, marking the cut with an ellipsis. */
function fit(text: string, room: number): string {
  if (text.length <= room) return text;
  const cut = text.slice(0, Math.max(room - 1, 1));
  const word = cut.lastIndexOf(' ');
  return `${(word > cut.length / 2 ? cut.slice(0, word) : cut).replace(/[\s,;:]+$/, '')}…`;
}

/**
 * Each command that would let checks run, with the checks it enables: their names (the text before any
 * parenthesis), or with --verbose their full text (why the listing fell short).
 */
function skippedLines(skipped: readonly SkippedCheck[], options: CheckOptions): ReportLine[] {
  const width = options.width ?? 80;
  const byCommand = new Map<string, string[]>();
  for (const k of skipped) {
    const check = options.verbose === true ? k.check : (k.check.split(' (')[0] ?? k.check);
    byCommand.set(k.needs, [...(byCommand.get(k.needs) ?? []), check]);
  }
  const column = Math.min(Math.max(...skipped.map((k) => k.needs.length)), 42);
  const lines: ReportLine[] = [[span('    not checked; add to the capture:', 'muted')]];
  for (const [needs, checks] of byCommand) {
    const command = `      ${needs.padEnd(column)}  `;
    const text = checks.join('; ');
    const room = width - command.length;
    if (options.verbose === true) lines.push([span(command, 'fix'), span(text, 'muted')]);
    else if (room >= 16) lines.push([span(command, 'fix'), span(fit(text, room), 'muted')]);
    // A narrow terminal: the checks go under their command.
    else lines.push([span(command.trimEnd(), 'fix')], [span(`        ${fit(text, width - 8)}`, 'muted')]);
  }
  return lines;
}

function detailLine(n: NodeSummary): ReportLine {
  const facts = [
    n.publicIp === undefined ? '' : `public IP ${n.publicIp}`,
    n.vtepMac === undefined ? '' : `VTEP MAC ${n.vtepMac}`,
    n.vni === undefined ? '' : `VNI ${n.vni}`,
    n.pods.length === 0 ? '' : `pods ${n.pods.join(', ')}`,
  ].filter((x) => x !== '');
  return [span('    '), citation(n), ...(facts.length === 0 ? [] : [span(`  ${facts.join(', ')}`, 'muted')])];
}

/**
 * The findings grouped by node, most severe first, each with its `file:line`, message and fix; then one
 * summary line per node (name, subnet, counts) with the checks that could not run under it. Yields a
 * group of lines at a time: a cluster with many findings is never held whole (issue 11: 2,000 nodes).
 */
export function* checkLines(analysis: Analysis, options: CheckOptions = {}): Generator<ReportLine[]> {
  const byNode = new Map<string, Finding[]>();
  for (const f of analysis.findings) {
    const key = `${f.node}\u0000${f.file}`;
    const list = byNode.get(key) ?? [];
    list.push(f);
    byNode.set(key, list);
  }
  for (const findings of byNode.values()) {
    yield [[span(findings[0]!.node, 'heading')], ...findings.flatMap(findingLines), []];
  }
  const label = (n: NodeSummary) => (n.role === 'pod' ? `pod ${n.name}` : n.name);
  const nameWidth = Math.min(Math.max(0, ...analysis.nodes.map((n) => label(n).length)), 24);
  const subnetWidth = Math.min(Math.max(0, ...analysis.nodes.map((n) => (n.subnet ?? '').length)), 20);
  // Nodes that miss the same listings (the usual case: one collector for all) point to the first such.
  const firstWithSkipped = new Map<string, string>();
  yield [[span('Summary', 'heading')]];
  for (const n of analysis.nodes) {
    const lines: ReportLine[] = [
      [
        span(`  ${label(n).padEnd(nameWidth)}  `),
        span((n.subnet ?? '').padEnd(subnetWidth), 'muted'),
        span('  '),
        ...counts(n),
      ],
    ];
    if (options.verbose === true) lines.push(detailLine(n));
    if (n.skipped.length > 0) {
      const key = n.skipped.map((k) => `${k.needs}\u0000${k.check}`).join('\u0001');
      const first = firstWithSkipped.get(key);
      if (first === undefined) {
        firstWithSkipped.set(key, n.name);
        lines.push(...skippedLines(n.skipped, options));
      } else {
        lines.push([
          span(`    not checked: the same ${plural(n.skipped.length, 'check')} as ${first}`, 'muted'),
        ]);
      }
    }
    yield lines;
  }
  const total = (pick: (n: NodeSummary) => number) => analysis.nodes.reduce((sum, n) => sum + pick(n), 0);
  const errors = total((n) => n.errors);
  yield [
    [],
    [
      span(`${plural(analysis.nodes.length, 'host')}: `),
      span(plural(errors, 'error'), errors === 0 ? 'ok' : 'error'),
      span(
        `, ${plural(
          total((n) => n.warnings),
          'warning',
        )}, ${plural(
          total((n) => n.infos),
          'info',
        )}`,
      ),
    ],
  ];
}
