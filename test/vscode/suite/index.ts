// Extension-host suite, run inside a desktop VS Code by test/vscode/run.mjs (@vscode/test-electron calls
// `run()`). A small sequential runner with node:assert, so no test framework has to be bundled.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

type Test = { name: string; fn: () => Promise<void> };
const tests: Test[] = [];
const test = (name: string, fn: () => Promise<void>) => tests.push({ name, fn });

const folder = process.env['NETSNAP_TEST_WORKSPACE'] ?? '';
const uri = (name: string) => vscode.Uri.file(join(folder, name));

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const netsnap = (u: vscode.Uri) => vscode.languages.getDiagnostics(u).filter((d) => d.source === 'netsnap');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

test('opening an example activates the extension and publishes its diagnostics', async () => {
  const doc = await vscode.workspace.openTextDocument(uri('flnode1.netsnap'));
  assert.equal(doc.languageId, 'netsnap');
  await vscode.window.showTextDocument(doc);
  const diagnostic = await waitFor('neigh-mac-mismatch on flnode1', () =>
    netsnap(doc.uri).find((d) => codeOf(d) === 'neigh-mac-mismatch'),
  );
  assert.equal(diagnostic.range.start.line, 13);
  assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
  const related = diagnostic.relatedInformation ?? [];
  assert.ok(
    related.some(
      (r) => r.location.uri.fsPath === uri('flnode3.netsnap').fsPath && r.location.range.start.line === 37,
    ),
  );
  // The cluster's other snapshots are analysed too, open or not.
  await waitFor('neigh-missing on flnode3', () =>
    netsnap(uri('flnode3.netsnap')).length === 2 ? true : undefined,
  );
});

test('hover explains the stale MAC with its chain', async () => {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri('flnode1.netsnap'),
    new vscode.Position(13, 40),
  );
  const text = hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
  assert.match(text, /MAC address 42\\:32\\:74\\:de\\:03\\:03/);
  assert.match(text, /frames dropped/);
  assert.match(text, /\]\(command:netsnap\.showAnalysis\?/);
  // The only command a hover link may run is netsnap's own "Show full analysis…".
  for (const h of hovers)
    for (const c of h.contents)
      if (c instanceof vscode.MarkdownString)
        assert.deepEqual(c.isTrusted, { enabledCommands: ['netsnap.showAnalysis'] });
});

test('references, definitions, outline and quick fixes', async () => {
  const refs = await vscode.commands.executeCommand<vscode.Location[]>(
    'vscode.executeReferenceProvider',
    uri('flnode1.netsnap'),
    new vscode.Position(13, 40),
  );
  assert.equal(refs.length, 4);
  const defs = await vscode.commands.executeCommand<vscode.Location[]>(
    'vscode.executeDefinitionProvider',
    uri('flnode1.netsnap'),
    new vscode.Position(6, 2),
  );
  assert.ok(defs.some((d) => d.uri.fsPath === uri('flnode3.netsnap').fsPath && d.range.start.line === 62));
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
    'vscode.executeDocumentSymbolProvider',
    uri('flnode1.netsnap'),
  );
  assert.equal(symbols[0]?.name, 'flnode1');
  assert.equal(symbols[0]?.children.length, 7);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri('flnode1.netsnap'),
    new vscode.Range(13, 0, 13, 10),
  );
  assert.ok(actions.some((a) => a.title === 'Copy fix for neigh-mac-mismatch: 3 commands'));
});

test('an unsaved edit that repairs flnode1 clears its diagnostic', async () => {
  const doc = await vscode.workspace.openTextDocument(uri('flnode1.netsnap'));
  const edit = new vscode.WorkspaceEdit();
  for (const line of [13, 21]) {
    const at = doc.lineAt(line).text.indexOf('42:32:74:de:03:03');
    edit.replace(doc.uri, new vscode.Range(line, at, line, at + 17), '42:32:74:de:33:99');
  }
  assert.ok(await vscode.workspace.applyEdit(edit));
  await waitFor('flnode1 clean', () => (netsnap(doc.uri).length === 0 ? true : undefined));
  assert.ok(doc.isDirty, 'the edit is not saved');
});

test('the palette commands are registered', async () => {
  const all = await vscode.commands.getCommands(true);
  for (const id of [
    'netsnap.traceToIp',
    'netsnap.newFromClipboard',
    'netsnap.compare',
    'netsnap.collectFromNode',
    'netsnap.collectFromAllHosts',
    'netsnap.openGraph',
  ])
    assert.ok(all.includes(id), id);
});

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const t of tests) {
    const started = Date.now();
    try {
      await t.fn();
      console.log(`  ok    ${t.name} (${Date.now() - started} ms)`);
    } catch (error) {
      console.log(
        `  FAIL  ${t.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      failures.push(t.name);
    }
  }
  if (failures.length > 0)
    throw new Error(`${failures.length} of ${tests.length} extension-host tests failed`);
}
