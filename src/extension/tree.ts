// The "Network Snapshots" view in the Explorer: the core's tree, refreshed after every change.

import * as vscode from 'vscode';
import { buildTree, contextValue, type TreeKind, type TreeNode } from '../core/language';
import type { Controller } from './controller';

const ICON: Record<TreeKind, string> = {
  cluster: 'server-environment',
  node: 'server',
  pod: 'package',
  group: 'list-tree',
  interface: 'plug',
  bridge: 'type-hierarchy',
  port: 'debug-disconnect',
  address: 'location',
  route: 'arrow-right',
  neighbour: 'link',
  fdb: 'table',
  config: 'settings-gear',
  finding: 'info',
  empty: 'circle-slash',
};

const SEVERITY_ICON = { error: 'error', warning: 'warning', info: 'info' } as const;
const SEVERITY_COLOR = {
  error: 'list.errorForeground',
  warning: 'list.warningForeground',
  info: 'foreground',
} as const;

export class SnapshotTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: TreeNode[] | undefined;
  /** Each row's parent, for `getParent` (which `TreeView.reveal` needs). */
  private readonly parents = new Map<TreeNode, TreeNode>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly c: Controller) {
    this.subscription = c.onDidChange(() => {
      this.roots = undefined;
      this.emitter.fire(undefined);
    });
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (element !== undefined) return element.children;
    return this.rootNodes();
  }

  private rootNodes(): TreeNode[] {
    if (this.roots === undefined) {
      const name = vscode.workspace.name ?? 'Cluster';
      this.roots = buildTree(this.c.ws, `Cluster: ${name}`);
      this.parents.clear();
      const visit = (node: TreeNode) => {
        for (const child of node.children) {
          this.parents.set(child, node);
          visit(child);
        }
      };
      this.roots.forEach(visit);
    }
    return this.roots;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node);
  }

  /** The first cluster row once there is a snapshot: what the view reveals when a snapshot opens. */
  firstRoot(): TreeNode | undefined {
    return this.rootNodes()[0];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.expanded === true
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip !== undefined) item.tooltip = node.tooltip;
    item.contextValue = contextValue(node);
    const icon =
      node.kind === 'finding' && node.severity !== undefined ? SEVERITY_ICON[node.severity] : ICON[node.kind];
    item.iconPath =
      node.severity !== undefined && node.severity !== 'info'
        ? new vscode.ThemeIcon(icon, new vscode.ThemeColor(SEVERITY_COLOR[node.severity]))
        : new vscode.ThemeIcon(icon);
    if (node.loc !== undefined) {
      item.command = {
        command: 'netsnap.revealLine',
        title: 'Reveal line',
        arguments: [node.loc.key, node.loc.line],
      };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
