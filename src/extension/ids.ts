// What the extension registers at activation, shared by the small entry (extension.ts) and the main
// bundle (main.ts): plain data, no runtime import, so that it costs the entry nothing.

import type * as vscode from 'vscode';

/** Every command the extension registers (package.json contributes them all). */
export const COMMAND_IDS = [
  'netsnap.traceToIp',
  'netsnap.traceToHere',
  'netsnap.newFromClipboard',
  'netsnap.compare',
  'netsnap.copyFix',
  'netsnap.runFixInTerminal',
  'netsnap.revealLine',
  'netsnap.showAnalysis',
  'netsnap.refresh',
  'netsnap.collectFromNode',
  'netsnap.collectFromAllHosts',
  'netsnap.openGraph',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** The documents the language features serve: the user's snapshots, not git: or diff views of them. */
export const SNAPSHOT_SCHEMES = ['file', 'untitled', 'vscode-remote', 'vscode-vfs'] as const;

export const SELECTOR: vscode.DocumentSelector = SNAPSHOT_SCHEMES.map((scheme) => ({
  language: 'netsnap',
  scheme,
}));

export const TREE_VIEW_ID = 'netsnap.snapshots';

/** The graph webview panel's type (its serializer restores it after a reload). */
export const GRAPH_VIEW_TYPE = 'netsnap.graph';
