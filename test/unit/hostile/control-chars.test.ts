// Names decoded from `ip -j` JSON may hold any character, and terminals and editors obey some of them:
// OSC 52 writes the clipboard, CSI erases lines, CR and backspace overwrite, bidi overrides reorder, a
// line break forges an output line. Every sink that shows snapshot text (the CLI's text and JSON
// output, the editor's reports, tree, hovers, diagnostics and outline) shows them escaped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildTree,
  compareReport,
  diagnosticsByDocument,
  documentSymbols,
  hoverAt,
  renderMarkdown,
  renderPlain,
  SnapshotWorkspace,
  tokensInLine,
  traceReport,
  type TreeNode,
} from '../../../src/core/language';
import { runCli } from '../support/cli';
import { FAULTS, jsonSnapshot, LAB, read } from './support';

const NAMES = {
  // OSC 52 (clipboard write), CR, erase line, backspace, a bidi override and a forged line.
  vtep: 'flannel.1\u001b]52;c;cm0gLXJmIC8=\u0007\r\u001b[2K\b\u202e\nFORGED vtep line',
  veth: 'veth\u001b[1A\u001b[2K\u2066\nFORGED veth line',
  // A C1 CSI, a line separator and a zero-width space.
  underlay: 'eth\u009b2J\u2028FORGED\u200b',
};
const HOSTILE = jsonSnapshot(NAMES, new Set(FAULTS));
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** No character a display would act on or hide, except the sink's own line breaks; no forged line. */
function expectShownSafely(text: string, lineBreaks = true): void {
  const chars = lineBreaks ? text.replaceAll('\n', '') : text;
  const bad = UNSAFE.exec(chars);
  expect(
    bad === null ? undefined : `U+${bad[0].codePointAt(0)?.toString(16)} in ${JSON.stringify(text)}`,
  ).toBe(undefined);
  for (const line of text.split('\n')) expect(line.trimStart().startsWith('FORGED'), line).toBe(false);
}

const dir = mkdtempSync(join(tmpdir(), 'netsnap-controls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hostileFile = join(dir, 'flnode1.netsnap');
writeFileSync(hostileFile, HOSTILE);
const peers = ['flnode2.netsnap', 'flnode3.netsnap'].map((f) => join(LAB, f));

const run = runCli;

describe('the CLI', () => {
  it.each([
    ['check', hostileFile, ...peers],
    ['parse', hostileFile],
    ['trace', '--from', 'flnode1', '--to', '10.27.2.2', hostileFile, ...peers],
    ['diff', join(LAB, 'flnode1.netsnap'), hostileFile],
  ])('%s prints every control character of a name escaped', async (...argv) => {
    const text = await run(...argv);
    expect(text.err).toBe('');
    expectShownSafely(text.out);
    expect(text.out).toContain('\\x1b');
    if (argv[0] !== 'trace')
      expect(text.out).toContain('flannel.1\\x1b]52;c;cm0gLXJmIC8=\\x07\\r\\x1b[2K\\x08\\u202e\\nFORGED');
  });

  it.each(['check', 'parse', 'trace', 'diff'])('%s --format json keeps the names exact', async (command) => {
    const files = command === 'diff' ? [join(LAB, 'flnode1.netsnap'), hostileFile] : [hostileFile, ...peers];
    const extra = command === 'trace' ? ['--from', 'flnode1', '--to', '10.27.2.2'] : [];
    const json = await run(command, '--format', 'json', ...extra, ...files);
    expectShownSafely(json.out);
    if (command !== 'trace') expect(json.out).toContain('\\u202e');
    const names = JSON.stringify(JSON.parse(json.out));
    if (command === 'parse')
      for (const name of Object.values(NAMES)) expect(names).toContain(JSON.stringify(name).slice(1, -1));
  });

  it('escapes a file name in an error message', async () => {
    const text = await run('parse', join(dir, 'no\u001b]52;c;eA==\u0007such\nFORGED'));
    expect(text.code).toBe(2);
    expectShownSafely(text.err.trimEnd(), false);
  });
});

describe('the editor', () => {
  const ws = new SnapshotWorkspace();
  ws.set('file:///w/flnode1.netsnap', HOSTILE, 'flnode1.netsnap');
  for (const n of [2, 3])
    ws.set(`file:///w/flnode${n}.netsnap`, read(LAB, `flnode${n}.netsnap`), `flnode${n}.netsnap`);

  it('reports (trace, compare) show control characters escaped', () => {
    for (const report of [
      traceReport(ws, 'flnode1', '10.27.2.2'),
      traceReport(ws, 'flnode1', '10.27.1.2'),
      compareReport(
        [{ key: 'a', label: 'old\u001b[2K.netsnap', text: read(LAB, 'flnode1.netsnap') }],
        [{ key: 'b', label: 'new.netsnap', text: HOSTILE }],
        'Compare \u202eold → new',
      ),
    ]) {
      expectShownSafely(report.text);
      expectShownSafely(report.title, false);
    }
    const compare = compareReport(
      [{ key: 'a', label: 'old.netsnap', text: read(LAB, 'flnode1.netsnap') }],
      [{ key: 'b', label: 'new.netsnap', text: HOSTILE }],
      'Compare',
    ).text;
    expect(compare).toContain('\\x1b]52;c;');
  });

  it('tree labels, descriptions and tooltips show them escaped', () => {
    const shown: string[] = [];
    const visit = (node: TreeNode) => {
      shown.push(node.label);
      if (node.description !== undefined) shown.push(node.description);
      if (node.tooltip !== undefined) shown.push(node.tooltip);
      node.children.forEach(visit);
    };
    buildTree(ws).forEach(visit);
    for (const text of shown) expectShownSafely(text);
    expect(shown.filter((t) => t.includes('\\x1b]52')).length).toBeGreaterThan(2);
    // Labels and descriptions are one line.
    const oneLine: string[] = [];
    const visitLabels = (node: TreeNode) => {
      oneLine.push(node.label, node.description ?? '');
      node.children.forEach(visitLabels);
    };
    buildTree(ws).forEach(visitLabels);
    for (const text of oneLine) expectShownSafely(text, false);
  });

  it('hovers render names escaped, as untrusted text', () => {
    const key = 'file:///w/flnode1.netsnap';
    const lines = HOSTILE.split('\n');
    let hovers = 0;
    lines.forEach((text, i) => {
      for (const token of tokensInLine(text, ws.interfaceNames())) {
        const hover = hoverAt(ws, key, i + 1, token.start);
        if (hover === undefined) continue;
        hovers++;
        const markdown = renderMarkdown(hover.parts, () => 'file:///w/flnode1.netsnap#L1');
        expectShownSafely(markdown);
        expect(markdown).not.toMatch(/\]\((?:command|javascript):/i);
        expectShownSafely(renderPlain(hover.parts));
      }
    });
    expect(hovers).toBeGreaterThan(10);
  });

  it('diagnostics and the outline show them escaped', () => {
    const messages = [...diagnosticsByDocument(ws).values()]
      .flat()
      .flatMap((d) => [d.message, ...d.related.map((r) => r.message)]);
    expect(messages.some((m) => m.includes('\\x1b]52'))).toBe(true);
    for (const m of messages) expectShownSafely(m, false);
    const names: string[] = [];
    const visit = (s: { name: string; detail: string; children: unknown[] }) => {
      names.push(s.name, s.detail);
      (s.children as (typeof s)[]).forEach(visit);
    };
    documentSymbols(ws, 'file:///w/flnode1.netsnap').forEach(visit);
    for (const n of names) expectShownSafely(n, false);
  });
});

describe('netsnap collect', () => {
  it('shows what the node sends on stderr (progress, its name, failures) escaped', async () => {
    // An `ssh` first on PATH that answers like a hostile node instead of running the script.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'ssh'),
      [
        '#!/bin/sh',
        `printf 'netsnap: running ip\\033]52;c;eA==\\007\\rFORGED\\n' >&2`,
        `printf '### node n1\\033[2K\\n### hostname\\nn1\\n'`,
        `printf 'oops\\033[1A\\nFORGED\\n' >&2`,
        'exit 255',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const path = process.env['PATH'];
    process.env['PATH'] = `${bin}:${path ?? ''}`;
    try {
      const r = await runCli('collect', 'ssh', 'n1', '-o', join(dir, 'n1.netsnap'));
      expect(r.err).toContain('\\x1b]52;c;eA==\\x07');
      expect(r.err).toContain('oops\\x1b[1A');
      expectShownSafely(r.err);
    } finally {
      process.env['PATH'] = path;
    }
  });
});
