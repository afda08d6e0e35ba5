// The VS Code extension's entry (dist/extension.js): activated by a `.netsnap` document or a workspace
// that contains one (never `*`). It only registers the commands, language features and tree, each
// through a thin proxy, and loads the main part (dist/extension-main.js: the core, the controller, the
// adapters) after activation returns — or as soon as a feature is used, whichever comes first. What VS
// Code counts as activation time is therefore loading this small file and registering.

import * as vscode from 'vscode';
import type { TreeNode } from '../core/language';
import { COMMAND_IDS, GRAPH_VIEW_TYPE, SELECTOR, TREE_VIEW_ID } from './ids';
import type { Main } from './main';

export function activate(context: vscode.ExtensionContext): void {
  let loading: Promise<Main> | undefined;
  const treeChanged = new vscode.EventEmitter<TreeNode | undefined>();
  const load = (): Promise<Main> =>
    (loading ??= import('./main').then(
      (m) => {
        const main = m.start(context);
        context.subscriptions.push(
          main.tree.onDidChangeTreeData((node) => {
            treeChanged.fire(node);
            revealOnce(main);
          }),
        );
        return main;
      },
      (error: unknown) => {
        void vscode.window.showErrorMessage(
          `netsnap could not load: ${error instanceof Error ? error.message : String(error)}`,
        );
        throw error;
      },
    ));

  const tree: vscode.TreeDataProvider<TreeNode> = {
    onDidChangeTreeData: treeChanged.event,
    getChildren: (node) => load().then((m) => m.tree.getChildren(node)),
    getTreeItem: (node) => load().then((m) => m.tree.getTreeItem(node)),
    getParent: (node) => load().then((m) => m.tree.getParent(node)),
  };
  const treeView = vscode.window.createTreeView(TREE_VIEW_ID, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  // The first time a snapshot is in front and the tree has rows, the view is shown (once a session,
  // without taking the focus or the selection): a person who opens a capture sees its nodes at once.
  let revealed = false;
  const revealOnce = (main: Main): void => {
    if (revealed || treeView.visible || vscode.window.activeTextEditor?.document.languageId !== 'netsnap')
      return;
    const root = main.tree.firstRoot();
    if (root === undefined) return;
    revealed = true;
    void treeView.reveal(root, { select: false, focus: false, expand: true });
  };
  context.subscriptions.push(
    treeChanged,
    treeView,
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover: (doc, pos) => load().then((m) => m.hover.provideHover(doc, pos)),
    }),
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      provideDefinition: (doc, pos) => load().then((m) => m.definition.provideDefinition(doc, pos)),
    }),
    vscode.languages.registerReferenceProvider(SELECTOR, {
      provideReferences: (doc, pos) => load().then((m) => m.references.provideReferences(doc, pos)),
    }),
    vscode.languages.registerDocumentSymbolProvider(
      SELECTOR,
      { provideDocumentSymbols: (doc) => load().then((m) => m.symbols.provideDocumentSymbols(doc)) },
      { label: 'netsnap' },
    ),
    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      {
        provideCodeActions: (doc, range, ctx) =>
          load().then((m) => m.codeActions.provideCodeActions(doc, range, ctx)),
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    // A graph panel left open in the last session comes back with the state its webview saved.
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => load().then((m) => m.graphs.restore(panel, state)),
    }),
    ...COMMAND_IDS.map((id) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) =>
        load().then((m) => m.commands[id](...args)),
      ),
    ),
  );
  // The main part loads once activation has returned: diagnostics for the documents already open and
  // the tree follow as soon as it has read the workspace's snapshots.
  setTimeout(() => void load().catch(() => undefined), 0);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
