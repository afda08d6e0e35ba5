// The text form of `netsnap check`: findings grouped by node, most severe first, each with its
// `file:line` and the repair command under it, then one summary line per node.

import type { Analysis } from '../core/analysis/analyze';
import type { Finding } from '../core/analysis/findings';
import { escapeControls, escapeDeep, escapeJsonText } from '../core/util/text';

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  green(text: string): string;
}

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;

export const colour: Style = {
  red: ansi(31),
  yellow: ansi(33),
  dim: ansi(2),
  bold: ansi(1),
  green: ansi(32),
};
export const plain: Style = {
  red: (t) => t,
  yellow: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
  green: (t) => t,
};

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): Style {
  return stream.isTTY === true && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '') ? colour : plain;
}

function severityLabel(f: Finding, s: Style): string {
  return f.severity === 'error'
    ? s.red('error')
    : f.severity === 'warning'
      ? s.yellow('warning')
      : s.dim('info');
}

/** Fixes keep their one-command-a-line breaks; every other string is one line. */
const FIX_LINES: ReadonlySet<string> = new Set(['fix']);

export function formatFindingsText(unsafe: Analysis, s: Style): string {
  return [...findingsTextChunks(unsafe, s)].join('');
}

/**
 * The text form a node's findings at a time, to be written as it comes: a cluster with many findings
 * is never held as one string (issue 11: 2,000 nodes crashed building one with "Invalid string length").
 */
export function* findingsTextChunks(analysis: Analysis, s: Style): Generator<string> {
  const byNode = new Map<string, Finding[]>();
  for (const f of analysis.findings) {
    const key = `${f.node}\u0000${f.file}`;
    const list = byNode.get(key) ?? [];
    list.push(f);
    byNode.set(key, list);
  }
  for (const findings of byNode.values()) {
    // Snapshot text reaches the terminal with every control character escaped (util/text.ts).
    const out = [s.bold(escapeControls(findings[0]!.node))];
    for (const unsafe of findings) {
      const f = escapeDeep(unsafe, FIX_LINES);
      const where = `${f.file}:${f.line}`;
      out.push(`  ${severityLabel(f, s)} ${s.dim(`[${f.code}]`)} ${where}`);
      out.push(`    ${f.message}`);
      for (const r of f.related ?? []) out.push(s.dim(`    see ${r.file}:${r.line} (${r.message})`));
      if (f.fix !== undefined) {
        out.push('    fix:');
        for (const command of f.fix.split('\n')) out.push(`      ${s.green(command)}`);
      }
    }
    out.push('');
    yield `${out.join('\n')}\n`;
  }
  const out = [s.bold('Summary')];
  for (const unsafe of analysis.nodes) {
    const n = escapeDeep(unsafe);
    const counts =
      n.errors + n.warnings === 0
        ? s.green('healthy')
        : [
            n.errors > 0 ? s.red(`${n.errors} error${n.errors === 1 ? '' : 's'}`) : '',
            n.warnings > 0 ? s.yellow(`${n.warnings} warning${n.warnings === 1 ? '' : 's'}`) : '',
          ]
            .filter((x) => x !== '')
            .join(', ');
    const identity = [n.subnet, n.publicIp, n.vtepMac].filter((x) => x !== undefined).join(' ');
    const notes = n.infos > 0 ? `, ${n.infos} note${n.infos === 1 ? '' : 's'}` : '';
    const skipped =
      n.skipped.length === 0
        ? ''
        : `; not checked: ${n.skipped.map((k) => `${k.check} (needs ${k.needs})`).join('; ')}`;
    out.push(`  ${n.name} (${n.file}${identity === '' ? '' : `, ${identity}`}): ${counts}${notes}${skipped}`);
    yield `${out.join('\n')}\n`;
    out.length = 0;
  }
  if (out.length > 0) yield `${out.join('\n')}\n`;
}

/**
 * `JSON.stringify(value, null, 2)` and a line end, as `escapeJsonText` writes it, an element of each
 * top-level array at a time: the same text, never held whole.
 */
export function* jsonChunks(value: Record<string, unknown>): Generator<string> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  // A nested value's lines get its depth's indent; JSON strings hold no raw line break, so this is exact.
  const nested = (v: unknown, indent: string) =>
    escapeJsonText(JSON.stringify(v, null, 2).replaceAll('\n', `\n${indent}`));
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i]!;
    const end = i < entries.length - 1 ? ',\n' : '\n';
    if (!Array.isArray(v) || v.length === 0) {
      yield `  ${escapeJsonText(JSON.stringify(key))}: ${nested(v, '  ')}${end}`;
      continue;
    }
    yield `  ${escapeJsonText(JSON.stringify(key))}: [\n`;
    for (let j = 0; j < v.length; j++) {
      // Array holes and undefined elements are written as null, as JSON.stringify does.
      const item: unknown = v[j] === undefined ? null : v[j];
      yield `    ${nested(item, '    ')}${j < v.length - 1 ? ',' : ''}\n`;
    }
    yield `  ]${end}`;
  }
  yield '}\n';
}

/** Writes chunks joined into pieces of about `size` characters: few writes, none of them huge. */
export function writeChunked(chunks: Iterable<string>, write: (text: string) => void, size = 1 << 16): void {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      write(pending.join(''));
      pending = [];
      length = 0;
    }
  }
  if (length > 0) write(pending.join(''));
}
