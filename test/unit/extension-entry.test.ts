// The extension's entry bundle (dist/extension.js) as esbuild builds it, run against a recording stand-in
// for the `vscode` module and a stand-in main part: activation registers every command, language feature
// and the tree without loading the main part, which loads right after activation returns and then
// serves every proxy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_BUNDLE } from '../../scripts/esbuild-options.mjs';
import { extensionBuilds } from '../../scripts/extension-bundles.mjs';
import { COMMAND_IDS, GRAPH_VIEW_TYPE, TREE_VIEW_ID } from '../../src/extension/ids';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'netsnap-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Recorded {
  commands: Map<string, (...args: unknown[]) => unknown>;
  providers: Map<string, Record<string, (...args: unknown[]) => unknown>>;
  views: Map<string, { treeDataProvider: Record<string, (...args: unknown[]) => unknown> }>;
  serializers: Map<string, Record<string, (...args: unknown[]) => unknown>>;
}

/** A `vscode` module that records what is registered. */
function fakeVscode(rec: Recorded) {
  const disposable = { dispose() {} };
  const provider = (name: string) => (_selector: unknown, p: Record<string, () => unknown>) => {
    rec.providers.set(name, p);
    return disposable;
  };
  class EventEmitter {
    private listeners: ((v: unknown) => void)[] = [];
    event = (l: (v: unknown) => void) => (this.listeners.push(l), disposable);
    fire(v: unknown) {
      for (const l of this.listeners) l(v);
    }
    dispose() {}
  }
  return {
    EventEmitter,
    CodeActionKind: { QuickFix: 'quickfix' },
    commands: {
      registerCommand(id: string, f: (...args: unknown[]) => unknown) {
        rec.commands.set(id, f);
        return disposable;
      },
    },
    window: {
      createTreeView(id: string, options: Recorded['views'] extends Map<string, infer V> ? V : never) {
        rec.views.set(id, options);
        return disposable;
      },
      showErrorMessage: () => Promise.resolve(undefined),
      registerWebviewPanelSerializer(type: string, s: Record<string, (...args: unknown[]) => unknown>) {
        rec.serializers.set(type, s);
        return disposable;
      },
    },
    languages: {
      registerHoverProvider: provider('hover'),
      registerDefinitionProvider: provider('definition'),
      registerReferenceProvider: provider('references'),
      registerDocumentSymbolProvider: provider('symbols'),
      registerCodeActionsProvider: provider('codeActions'),
    },
  };
}

/** A main part that says when it is loaded and answers each call with its name. */
const STAND_IN_MAIN = `
globalThis.__netsnapMainLoaded = (globalThis.__netsnapMainLoaded ?? 0) + 1;
exports.start = (context) => {
  context.subscriptions.push('main');
  const answer = (name) => (...args) => ({ name, args });
  const listeners = [];
  return (globalThis.__netsnapMain = {
    commands: new Proxy({}, { get: (_t, id) => answer(id) }),
    tree: {
      onDidChangeTreeData: (l) => (listeners.push(l), { dispose() {} }),
      fire: (node) => listeners.forEach((l) => l(node)),
      getChildren: answer('getChildren'),
      getTreeItem: answer('getTreeItem'),
    },
    hover: { provideHover: answer('hover') },
    definition: { provideDefinition: answer('definition') },
    references: { provideReferences: answer('references') },
    symbols: { provideDocumentSymbols: answer('symbols') },
    codeActions: { provideCodeActions: answer('codeActions') },
    graphs: { restore: answer('restore') },
  });
};
`;

describe('the extension entry', () => {
  it('registers everything at activation and loads the main part only after activation returns', async () => {
    const [entry] = extensionBuilds(NODE_BUNDLE);
    const out = await build({ ...entry, absWorkingDir: root, write: false, minify: true });
    const code = out.outputFiles?.[0]?.text ?? '';
    // The entry holds no core code: it stays small, and requires the main part by its file name.
    expect(code.length).toBeLessThan(8 * 1024);
    expect(code).toContain('require("./extension-main.js")');
    writeFileSync(join(dir, 'extension.js'), code);
    writeFileSync(join(dir, 'extension-main.js'), STAND_IN_MAIN);

    const rec: Recorded = {
      commands: new Map(),
      providers: new Map(),
      views: new Map(),
      serializers: new Map(),
    };
    const vscode = fakeVscode(rec);
    const requireHere = createRequire(join(dir, 'extension.js'));
    const Module = requireHere('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = Module._load;
    Module._load = (request: string, ...rest: unknown[]) =>
      request === 'vscode' ? vscode : load(request, ...rest);
    const g = globalThis as {
      __netsnapMainLoaded?: number;
      __netsnapMain?: { tree: { fire(node: unknown): void } };
    };
    delete g.__netsnapMainLoaded;
    delete g.__netsnapMain;
    try {
      const ext = requireHere('./extension.js') as { activate(c: { subscriptions: unknown[] }): void };
      const context = { subscriptions: [] as unknown[] };
      ext.activate(context);
      expect(g.__netsnapMainLoaded).toBeUndefined();
      expect([...rec.commands.keys()].sort()).toEqual([...COMMAND_IDS].sort());
      expect([...rec.providers.keys()].sort()).toEqual(
        ['codeActions', 'definition', 'hover', 'references', 'symbols'].sort(),
      );
      expect([...rec.views.keys()]).toEqual([TREE_VIEW_ID]);
      expect([...rec.serializers.keys()]).toEqual([GRAPH_VIEW_TYPE]);

      // After activation: the main part loads once, by itself.
      await new Promise((r) => setTimeout(r, 20));
      expect(g.__netsnapMainLoaded).toBe(1);
      expect(context.subscriptions).toContain('main');

      // Every proxy forwards to it, with its arguments.
      expect(await rec.commands.get('netsnap.revealLine')?.('k', 3)).toEqual({
        name: 'netsnap.revealLine',
        args: ['k', 3],
      });
      expect(await rec.providers.get('hover')?.['provideHover']?.('doc', 'pos')).toEqual({
        name: 'hover',
        args: ['doc', 'pos'],
      });
      // A graph panel from the last session is restored by the main part, with its saved state.
      expect(
        await rec.serializers.get(GRAPH_VIEW_TYPE)?.['deserializeWebviewPanel']?.('panel', 'state'),
      ).toEqual({ name: 'restore', args: ['panel', 'state'] });
      const tree = rec.views.get(TREE_VIEW_ID)?.treeDataProvider;
      expect(await tree?.['getChildren']?.('n')).toEqual({ name: 'getChildren', args: ['n'] });
      // The tree's refreshes reach the view.
      const refreshed: unknown[] = [];
      tree?.['onDidChangeTreeData']?.((node: unknown) => refreshed.push(node));
      (g.__netsnapMain as { tree: { fire(node: unknown): void } } | undefined)?.tree.fire('node');
      expect(refreshed).toEqual(['node']);
      expect(g.__netsnapMainLoaded).toBe(1);
    } finally {
      Module._load = load;
      delete g.__netsnapMainLoaded;
      delete g.__netsnapMain;
    }
  });

  it('registers every command package.json contributes', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[]; views: { explorer: { id: string }[] } };
    };
    const ids: readonly string[] = COMMAND_IDS;
    for (const { command } of pkg.contributes.commands) expect(ids).toContain(command);
    expect(pkg.contributes.views.explorer.map((v) => v.id)).toContain(TREE_VIEW_ID);
  });
});
