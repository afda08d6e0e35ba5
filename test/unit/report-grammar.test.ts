// The reports' TextMate grammar (syntaxes/netsnap-report.tmLanguage.json), tokenized by the engine VS Code
// uses, over real reports of the bundled examples: verdicts, marks, signs and codes get their colours.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as textmate from 'vscode-textmate';
import { loadGrammar } from './support/textmate';
import { analysisReport, compareReport, traceReport } from '../../src/core/language';
import { CLUSTER, HEALTHY, keyOf, workspaceOf } from './language/support';

let grammar: textmate.IGrammar;

beforeAll(async () => {
  grammar = await loadGrammar('syntaxes/netsnap-report.tmLanguage.json', 'text.netsnap-report');
});

/** The scopes (root left out) of the first token of `line` that includes `text`. */
function scopesOf(line: string, text: string): string[] {
  const tokens = grammar.tokenizeLine(line, textmate.INITIAL).tokens;
  const at = line.indexOf(text);
  const token = tokens.find((t) => t.startIndex <= at && at < t.endIndex);
  if (at < 0 || token === undefined) throw new Error(`"${text}" not in "${line}"`);
  return token.scopes.slice(1);
}

const lineWith = (text: string, part: string) => {
  const line = text.split('\n').find((l) => l.includes(part));
  if (line === undefined) throw new Error(`no line with "${part}" in\n${text}`);
  return line;
};

describe('report grammar', () => {
  it('colours a trace: title, hosts, marks, codes, citations and the verdict', () => {
    const text = traceReport(workspaceOf(CLUSTER), 'flnode1', '10.27.3.2').text;
    expect(scopesOf(lineWith(text, 'Trace flnode1'), 'Trace')).toContain(
      'markup.heading.title.netsnap-report',
    );
    const broken = lineWith(text, '— BROKEN');
    expect(scopesOf(broken, 'BROKEN')).toContain('markup.deleted.mark.netsnap-report');
    expect(scopesOf(broken, 'flnode1]')).toContain('entity.name.section.host.netsnap-report');
    expect(scopesOf(broken, '42:32:74:de:03:03')).toContain('constant.numeric.mac.netsnap-report');
    expect(scopesOf(broken, 'flnode1.netsnap:14')).toContain('markup.underline.link.location.netsnap-report');
    const ok = lineWith(text, '— ok');
    expect(scopesOf(ok, 'ok  ')).toContain('markup.inserted.mark.netsnap-report');
    expect(scopesOf(lineWith(text, '[neigh-mac-mismatch]'), '[neigh-mac-mismatch]')).toContain(
      'entity.name.tag.finding-code.netsnap-report',
    );
    expect(scopesOf(lineWith(text, 'Not delivered'), 'Not delivered')).toContain(
      'markup.deleted.verdict.netsnap-report',
    );
    const delivered = traceReport(workspaceOf(HEALTHY), 'flnode1', '10.27.3.2').text;
    expect(scopesOf(lineWith(delivered, 'Delivered on'), 'Delivered')).toContain(
      'markup.inserted.verdict.netsnap-report',
    );
  });

  it("colours a comparison's added, removed and changed lines", () => {
    const side = (paths: string[]) =>
      paths.map((p) => ({ key: keyOf(p), label: p, text: readFileSync(p, 'utf8') }));
    const text = compareReport(side(HEALTHY), side(CLUSTER), 'Compare healthy → changed').text;
    expect(scopesOf(lineWith(text, '~ interface flannel.1'), 'interface')).toContain(
      'markup.changed.netsnap-report',
    );
    expect(scopesOf(lineWith(text, 'Findings appeared'), 'Findings')).toContain(
      'markup.heading.section.netsnap-report',
    );
    expect(scopesOf(lineWith(text, '+ [neigh-mac-mismatch]'), 'flnode1')).toContain(
      'markup.inserted.added.netsnap-report',
    );
    const removed = text.split('\n').find((l) => /^\s+- /.test(l));
    if (removed !== undefined)
      expect(scopesOf(removed, '-')).toContain('markup.deleted.removed.netsnap-report');
  });

  it('colours the full analysis: its verdict, and list items that are not read as removed lines', () => {
    const ws = workspaceOf(CLUSTER);
    const flnode1 = CLUSTER[0] ?? '';
    const column = ws.lineText(keyOf(flnode1), 14).indexOf('42:32:74:de:03:03');
    const text = analysisReport(ws, keyOf(flnode1), 14, column)?.text ?? '';
    expect(scopesOf(lineWith(text, 'Verdict:'), 'Verdict')).toContain(
      'markup.deleted.verdict.netsnap-report',
    );
    const item = lineWith(text, '• [ok] route');
    expect(scopesOf(item, '[ok]')).toContain('markup.inserted.mark.netsnap-report');
    expect(scopesOf(item, 'route')).not.toContain('markup.deleted.removed.netsnap-report');
  });
});
