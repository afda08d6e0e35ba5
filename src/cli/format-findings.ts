// The text form of `netsnap check`: findings grouped by node, most severe first, each with its
// `file:line` and the repair command under it, then one summary line per node.

import type { Analysis } from '../core/analysis/analyze';
import type { Finding } from '../core/analysis/findings';
import { escapeDeep } from '../core/util/text';

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
  // Snapshot text reaches the terminal with every control character escaped (util/text.ts).
  const analysis = escapeDeep(unsafe, FIX_LINES);
  const out: string[] = [];
  const byNode = new Map<string, Finding[]>();
  for (const f of analysis.findings) {
    const key = `${f.node}\u0000${f.file}`;
    const list = byNode.get(key) ?? [];
    list.push(f);
    byNode.set(key, list);
  }
  for (const [key, findings] of byNode) {
    const [node] = key.split('\u0000');
    out.push(s.bold(`${node}`));
    for (const f of findings) {
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
  }
  out.push(s.bold('Summary'));
  for (const n of analysis.nodes) {
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
  }
  return `${out.join('\n')}\n`;
}
