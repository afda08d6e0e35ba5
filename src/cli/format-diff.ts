// The text form of `netsnap diff`: per host the entries added (+), removed (-) and changed (~, old → new),
// each with the `file:line` it was read from, then the findings that appeared and cleared, then a summary.

import type { DiffEntry, HostDiff, SnapshotDiff } from '../core/analysis/diff';
import type { Finding } from '../core/analysis/findings';
import type { SourceLocation } from '../core/model/types';
import { escapeDeep } from '../core/util/text';
import type { Style } from './format-findings';

const at = (loc: SourceLocation) => `${loc.file}:${loc.line}`;
const shown = (value: string | null) => (value === null ? '(none)' : value);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function entryLine(e: DiffEntry, s: Style): string {
  switch (e.change) {
    case 'added':
      return `  ${s.green(`+ ${e.kind} ${e.description}`)}  ${s.dim(at(e.loc))}`;
    case 'removed':
      return `  ${s.red(`- ${e.kind} ${e.description}`)}  ${s.dim(at(e.loc))}`;
    case 'changed': {
      const fields = e.fields.map((f) => `${f.field} ${shown(f.old)} → ${shown(f.new)}`).join(', ');
      return `  ${s.yellow(`~ ${e.kind} ${e.label}: ${fields}`)}  ${s.dim(`${at(e.loc)} (was ${at(e.oldLoc)})`)}`;
    }
  }
}

function hostHeader(h: HostDiff, s: Style): string {
  const what =
    h.role === 'pod'
      ? `pod ${h.name}${h.nodeName === undefined ? '' : ` (on ${h.nodeName})`}`
      : `node ${h.name}`;
  if (h.status === 'added') return `${s.green(`+ ${what} added`)}  ${s.dim(at(h.loc))}`;
  if (h.status === 'removed') return `${s.red(`- ${what} removed`)}  ${s.dim(at(h.loc))}`;
  return s.bold(what);
}

function findingLine(sign: '+' | '-', f: Finding, s: Style): string {
  const paint = sign === '+' ? s.red : s.green;
  return `  ${paint(`${sign} [${f.code}]`)} ${f.node} ${s.dim(`${f.file}:${f.line}`)}: ${f.message}`;
}

export function formatDiffText(unsafe: SnapshotDiff, s: Style): string {
  // Snapshot text reaches the terminal with every control character escaped (util/text.ts).
  const diff = escapeDeep(unsafe, new Set(['fix']));
  const out: string[] = [];
  for (const h of diff.hosts) {
    out.push(hostHeader(h, s));
    for (const e of h.entries) out.push(entryLine(e, s));
    for (const n of h.notCompared) out.push(s.dim(`  not compared: ${n.kind} (${n.reason})`));
    out.push('');
  }
  const { appeared, cleared } = diff.findings;
  if (appeared.length > 0) {
    out.push(s.bold('Findings appeared'));
    for (const f of appeared) out.push(findingLine('+', f, s));
    out.push('');
  }
  if (cleared.length > 0) {
    out.push(s.bold('Findings cleared'));
    for (const f of cleared) out.push(findingLine('-', f, s));
    out.push('');
  }
  if (out.length === 0) out.push('No differences.', '');

  const m = diff.summary;
  const hosts =
    m.hostsAdded + m.hostsRemoved > 0
      ? `; ${plural(m.hostsAdded, 'host')} added, ${m.hostsRemoved} removed`
      : '';
  out.push(
    `${m.added} ${m.added === 1 ? 'entry' : 'entries'} added, ${m.removed} removed, ${m.changed} changed; ` +
      `${plural(m.findingsAppeared, 'finding')} appeared, ${m.findingsCleared} cleared${hosts}`,
  );
  return `${out.join('\n')}\n`;
}
