// The graph webview's host side: opens (or restores) the panel, sends it the graph the core builds for
// the cluster of the active snapshot, and keeps it tied to the editor — a click reveals the line, the
// cursor selects the element, an edit re-renders. Messages are the typed unions of core/graph/protocol.

import * as vscode from 'vscode';
import { webcrypto } from 'node:crypto';
import { trace } from '../core/analysis/trace';
import {
  buildNodeGraph,
  ClusterGraphSource,
  graphPage,
  LineIndex,
  makeNonce,
  nodeId,
  traceOnGraph,
  type GraphEdge,
  type GraphModel,
  type GraphNode,
  type GraphViewState,
  type HostToWebview,
  type WebviewToHost,
} from '../core/graph';
import { folderOf } from '../core/language/workspace';
import { type Controller, isSnapshotDocument } from './controller';
import { GRAPH_VIEW_TYPE } from './ids';

/** What a panel shows: a cluster (a workspace folder of snapshots) as a whole or one of its nodes. */
interface Target {
  cluster: string;
  view: 'cluster' | 'node';
  node?: string | undefined;
  expanded: boolean;
}

function isWebviewMessage(value: unknown): value is WebviewToHost {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

class GraphPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private source: { generation: number; cluster: string; value: ClusterGraphSource } | undefined;
  private graph: GraphModel | undefined;
  private lineIndex: LineIndex<GraphNode | GraphEdge> | undefined;
  /** The node whose tunnels a summary cluster view shows. */
  private selectedNode: string | undefined;
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly controller: Controller,
    private target: Target,
    extensionUri: vscode.Uri,
    private readonly onDispose: () => void,
  ) {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.webview.html = graphPage({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce((bytes) => webcrypto.getRandomValues(bytes)),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css')).toString(),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      controller.onDidChange(() => this.send('update')),
      vscode.window.onDidChangeTextEditorSelection((e) => this.cursorMoved(e)),
    );
  }

  show(target: Target): void {
    const changed = target.cluster !== this.target.cluster;
    if (changed) this.target = target;
    this.panel.reveal(undefined, true);
    if (changed) this.send('open');
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private clusterSource(): ClusterGraphSource | undefined {
    const ws = this.controller.ws;
    if (this.source?.generation === ws.generation && this.source.cluster === this.target.cluster)
      return this.source.value;
    const snapshots = ws.snapshots().filter((s) => folderOf(s.file) === this.target.cluster);
    if (snapshots.length === 0) return undefined;
    const files = new Set(snapshots.map((s) => s.file));
    const all = ws.analysis();
    const analysis = {
      nodes: all.nodes.filter((n) => files.has(n.file)),
      findings: all.findings.filter((f) => files.has(f.file)),
    };
    // The flannel node views the workspace already derived for this change, this folder's only.
    const views = ws.views().filter((v) => files.has(v.file));
    const value = new ClusterGraphSource(this.target.cluster, snapshots, analysis, views);
    this.source = { generation: ws.generation, cluster: this.target.cluster, value };
    return value;
  }

  private build(): GraphModel | undefined {
    const source = this.clusterSource();
    if (source === undefined) return undefined;
    const t = this.target;
    if (t.view === 'node' && t.node !== undefined) {
      const graph = buildNodeGraph(source, t.node, { expanded: t.expanded });
      if (graph !== undefined) return graph;
      this.target = { ...t, view: 'cluster', node: undefined };
    }
    return source.graph(this.selectedNode);
  }

  private send(reason: 'open' | 'update'): void {
    if (!this.ready) return;
    const started = Date.now();
    const graph = this.build();
    if (graph === undefined) {
      this.post({
        type: 'error',
        message: `No snapshots in ${this.target.cluster === '' ? 'the workspace folder' : this.target.cluster} any more.`,
      });
      return;
    }
    this.graph = graph;
    this.lineIndex = undefined;
    this.panel.title = `netsnap: ${graph.title}`;
    this.controller.log.info(
      `graph ${graph.view} ${graph.node ?? graph.cluster}: ${graph.nodes.length} nodes, ${graph.edges.length} edges built in ${Date.now() - started} ms`,
    );
    this.post({ type: 'graph', graph, reason });
  }

  private async receive(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) return;
    const m = raw;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (m.state !== undefined && m.state.cluster === this.target.cluster)
          this.target = {
            ...this.target,
            view: m.state.view,
            node: m.state.node,
            expanded: m.state.expanded,
          };
        this.send('open');
        break;
      case 'open':
        this.target = { ...this.target, view: m.view, node: m.node, expanded: m.expanded };
        this.selectedNode = undefined;
        this.send('open');
        break;
      case 'reveal': {
        await this.reveal(m.loc.file, m.loc.line);
        break;
      }
      case 'selectNode': {
        this.selectedNode = m.node;
        const source = this.clusterSource();
        if (source !== undefined)
          this.post({ type: 'tunnels', node: m.node, edges: source.tunnelsOf(m.node) });
        break;
      }
      case 'trace': {
        const snapshots = this.controller.ws
          .snapshots()
          .filter((s) => folderOf(s.file) === this.target.cluster);
        const result = trace(snapshots, m.from, m.to);
        const graph = this.graph;
        this.post({
          type: 'trace',
          from: m.from,
          to: m.to,
          verdict: result.verdict,
          delivered: result.delivered,
          hops: graph === undefined ? [] : traceOnGraph(graph, result),
        });
        break;
      }
      case 'export':
        await this.export(m.format, m.data);
        break;
      case 'rendered':
        this.controller.log.info(
          `graph drawn (${m.reason}): ${m.nodes} nodes, ${m.edges} edges in ${Math.round(m.ms)} ms`,
        );
        break;
    }
  }

  /** Shows a snapshot line in the editor beside the graph (where the document is already open, if it is). */
  private async reveal(file: string, line: number): Promise<void> {
    const key = this.controller.ws.keyOf(file);
    const uri = key === undefined ? undefined : this.controller.uriOf(key);
    if (uri === undefined) return;
    const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
    const doc = open?.document ?? (await vscode.workspace.openTextDocument(uri));
    const at = new vscode.Position(Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1)), 0);
    const column =
      open?.viewColumn ??
      (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: column,
      selection: new vscode.Range(at, at),
      preserveFocus: true,
    });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Saves an export where the user chooses; the save dialog itself asks before replacing a file. */
  private async export(format: 'png' | 'svg', data: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `netsnap-${(this.graph?.node ?? this.target.cluster) || 'cluster'}.${format}`.replace(
      /[^\w.-]+/g,
      '_',
    );
    const uri = await vscode.window.showSaveDialog({
      ...(folder === undefined ? {} : { defaultUri: vscode.Uri.joinPath(folder, name) }),
      filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      title: `Export graph as ${format.toUpperCase()}`,
    });
    if (uri === undefined) return;
    const bytes =
      format === 'png'
        ? Buffer.from(data.slice(data.indexOf(',') + 1), 'base64')
        : new TextEncoder().encode(data);
    await vscode.workspace.fs.writeFile(uri, bytes);
    void vscode.window.showInformationMessage(
      `netsnap: graph saved to ${vscode.workspace.asRelativePath(uri)}.`,
    );
  }

  /** The editor's cursor on a snapshot line selects what that line stands for. */
  private cursorMoved(e: vscode.TextEditorSelectionChangeEvent): void {
    const graph = this.graph;
    if (graph === undefined || !isSnapshotDocument(e.textEditor.document)) return;
    const key = e.textEditor.document.uri.toString();
    const file = this.controller.ws.sourceOf(key);
    if (file === undefined || folderOf(file) !== this.target.cluster) return;
    const line = e.selections[0]!.active.line + 1;
    // The index is built once per graph: this runs on every cursor move.
    this.lineIndex ??= new LineIndex<GraphNode | GraphEdge>([...graph.nodes, ...graph.edges]);
    const ids = this.lineIndex.at(file, line).map((el) => el.id);
    if (ids.length === 0) {
      const host = this.controller.ws.hostAt(key, line);
      const name = host?.node?.name ?? host?.host.name;
      if (name !== undefined) ids.push(graph.view === 'cluster' ? nodeId(name) : `host:${name}`);
    }
    if (ids.length > 0) this.post({ type: 'select', ids });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.onDispose();
  }
}

/** One graph panel at a time; "Open Graph" reveals it and points it at the active snapshot's cluster. */
export class GraphPanels implements vscode.Disposable {
  private current: GraphPanel | undefined;
  /** The snapshot last shown in a text editor: the graph panel itself takes focus from the editor. */
  private lastSnapshot: string | undefined;
  private readonly tracking: vscode.Disposable;

  constructor(
    private readonly controller: Controller,
    private readonly extensionUri: vscode.Uri,
  ) {
    const note = (editor: vscode.TextEditor | undefined) => {
      if (editor !== undefined && isSnapshotDocument(editor.document))
        this.lastSnapshot = editor.document.uri.toString();
    };
    note(vscode.window.activeTextEditor);
    this.tracking = vscode.window.onDidChangeActiveTextEditor(note);
  }

  /** The cluster (workspace folder) of the active snapshot, else of the last one active, else the first. */
  private activeCluster(): string | undefined {
    const ws = this.controller.ws;
    const doc = vscode.window.activeTextEditor?.document;
    // The tab in front of the active group, when it is a snapshot (the graph itself may hold the focus).
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const tabKey =
      tab instanceof vscode.TabInputText && tab.uri.path.endsWith('.netsnap')
        ? tab.uri.toString()
        : undefined;
    const key =
      doc !== undefined && isSnapshotDocument(doc) ? doc.uri.toString() : (tabKey ?? this.lastSnapshot);
    const source = (key === undefined ? undefined : ws.sourceOf(key)) ?? ws.snapshots()[0]?.file;
    return source === undefined ? undefined : folderOf(source);
  }

  /** Opens the graph of the active snapshot's cluster, or of `at` (a tree row's cluster or node). */
  open(at?: { cluster: string; node?: string }): void {
    const cluster = at?.cluster ?? this.activeCluster();
    if (cluster === undefined) {
      void vscode.window.showInformationMessage('netsnap: open a .netsnap snapshot to see its graph.');
      return;
    }
    const target: Target =
      at?.node === undefined
        ? { cluster, view: 'cluster', expanded: false }
        : { cluster, view: 'node', node: at.node, expanded: false };
    if (this.current !== undefined) {
      this.current.show(target);
      return;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'netsnap: graph', {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    this.attach(panel, target);
  }

  /** Restores a panel VS Code kept from the last session (its webview state names what it showed). */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<GraphViewState>;
    const cluster = typeof s.cluster === 'string' ? s.cluster : (this.activeCluster() ?? '');
    this.current?.panel.dispose();
    this.attach(panel, {
      cluster,
      view: s.view === 'node' ? 'node' : 'cluster',
      node: typeof s.node === 'string' ? s.node : undefined,
      expanded: s.expanded === true,
    });
  }

  private attach(panel: vscode.WebviewPanel, target: Target): void {
    const created: GraphPanel = new GraphPanel(panel, this.controller, target, this.extensionUri, () => {
      if (this.current === created) this.current = undefined;
    });
    this.current = created;
  }

  dispose(): void {
    this.tracking.dispose();
    this.current?.panel.dispose();
  }
}
