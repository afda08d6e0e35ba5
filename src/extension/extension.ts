// The VS Code extension: thin adapters from the core's language services to the editor. Activated by a
// `.netsnap` document or a workspace that contains one (never `*`).

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Controller } from './controller';
import { registerProviders } from './providers';
import { ReportDocuments } from './reports';
import { SnapshotTree } from './tree';

export function activate(context: vscode.ExtensionContext): void {
  const controller = new Controller();
  const reports = new ReportDocuments(controller);
  const tree = new SnapshotTree(controller);
  context.subscriptions.push(
    controller,
    reports,
    tree,
    vscode.window.createTreeView('netsnap.snapshots', { treeDataProvider: tree, showCollapseAll: true }),
    ...registerProviders(controller),
    ...registerCommands(controller, reports),
  );
  // Loading the workspace's snapshots runs after activation returns: activation stays fast, and
  // diagnostics appear as soon as the files are read.
  setTimeout(() => void controller.start(), 0);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
