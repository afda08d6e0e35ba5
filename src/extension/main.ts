// The extension's main part (bundled as dist/extension-main.js): the controller over the core's
// workspace, the providers, commands, tree and reports. The entry (extension.ts) loads it right after
// activation returns, or earlier if a registered feature is used first; nothing here runs at activation.

import type * as vscode from 'vscode';
import { commandHandlers } from './commands';
import { Controller } from './controller';
import { GraphPanels } from './graph-panel';
import { providers } from './providers';
import { ReportDocuments } from './reports';
import { SnapshotTree } from './tree';

export function start(context: vscode.ExtensionContext) {
  const controller = new Controller(context.extensionUri);
  const reports = new ReportDocuments(controller);
  const tree = new SnapshotTree(controller);
  const graphs = new GraphPanels(controller, context.extensionUri);
  context.subscriptions.push(controller, reports, tree, graphs);
  // Documents already open are analysed now, with the rest of the workspace's snapshots from disk.
  void controller.start();
  return {
    commands: commandHandlers(controller, reports, graphs, context.globalState),
    tree,
    graphs,
    ...providers(controller),
  };
}

export type Main = ReturnType<typeof start>;
