// The commands (palette category `netsnap`) and the internal ones the tree and quick fixes call. Each
// gathers input from the editor, calls the core, and shows the result.

import { hostname } from 'node:os';
import * as vscode from 'vscode';
import {
  analysisReport,
  captureChoices,
  compareReport,
  defaultTraceSource,
  traceChoices,
  type CaptureChoice,
  type TraceChoice,
  type TraceSource,
  fixCommands,
  folderOf,
  normalizeClipboard,
  resolveFinding,
  runFix,
  tokenAtPosition,
  traceReport,
  traceSources,
  validateTraceTarget,
  type CompareInput,
  type FindingRef,
  type TreeNode,
} from '../core/language';
import { collectFromAllHosts, collectFromNode } from './collect';
import { type Controller, isSnapshotDocument } from './controller';
import type { GraphPanels } from './graph-panel';
import type { CommandId } from './ids';
import type { ReportDocuments } from './reports';
import { settings } from './settings';

const MAX_COMPARE_FILES = 2000;

function isRef(value: unknown): value is FindingRef {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['key'] === 'string' &&
    typeof v['line'] === 'number' &&
    typeof v['code'] === 'string' &&
    typeof v['node'] === 'string'
  );
}

/** A finding reference from a quick fix, or from a tree item's context menu. */
function refFrom(arg: unknown): FindingRef | undefined {
  if (isRef(arg)) return arg;
  const fix = (arg as Partial<TreeNode> | undefined)?.fix;
  return isRef(fix) ? fix : undefined;
}

async function revealLine(c: Controller, key: unknown, line: unknown): Promise<void> {
  if (typeof key !== 'string' || typeof line !== 'number') return;
  const uri = c.uriOf(key);
  if (uri === undefined) return;
  const doc = await vscode.workspace.openTextDocument(uri);
  const at = new vscode.Position(Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1)), 0);
  await vscode.window.showTextDocument(doc, {
    selection: new vscode.Range(at, at),
    preserveFocus: false,
    preview: true,
  });
  vscode.window.activeTextEditor?.revealRange(
    new vscode.Range(at, at),
    vscode.TextEditorRevealType.InCenterIfOutsideViewport,
  );
}

/** The host and IP at the cursor of the active snapshot editor, to preselect them. */
function cursorContext(c: Controller): { host?: string; ip?: string; key?: string; line?: number } {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !isSnapshotDocument(editor.document)) return {};
  const key = c.ensureFresh(editor.document);
  if (key === undefined) return {};
  const pos = editor.selection.active;
  const out: { host?: string; ip?: string; key?: string; line?: number } = { key, line: pos.line + 1 };
  const host = c.ws.hostAt(key, pos.line + 1)?.host.name;
  if (host !== undefined) out.host = host;
  const token = tokenAtPosition(c.ws, key, pos.line + 1, pos.character);
  if (token?.kind === 'ipv4') out.ip = token.text;
  else if (token?.kind === 'cidr' && !token.text.includes(':'))
    out.ip = token.text.slice(0, token.text.indexOf('/'));
  return out;
}

async function pickSource(
  c: Controller,
  placeHolder: string,
  preferred?: { host?: string; key?: string },
): Promise<{ name: string; key: string } | undefined> {
  const sources = traceSources(c.ws);
  if (sources.length === 0) {
    void vscode.window.showInformationMessage(
      'netsnap: no snapshot in this workspace names a node yet. Open or create a .netsnap file first.',
    );
    return undefined;
  }
  // A host of the preferred document's own cluster first: names repeat across captures.
  const cluster = preferred?.key === undefined ? undefined : c.ws.scope(preferred.key);
  const items = sources.map((s) => ({
    label: s.name,
    description: s.description,
    key: s.key,
    picked: s.name === preferred?.host && (cluster === undefined || cluster.has(s.key)),
  }));
  items.sort((a, b) => Number(b.picked) - Number(a.picked));
  const pick = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  return pick === undefined ? undefined : { name: pick.label, key: pick.key };
}

/** The destination box: an IPv4 address to trace to from `from`. */
async function askDestination(from: { name: string }, value: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `netsnap: trace from ${from.name}`,
    prompt: 'Destination IPv4 address (a pod, a node, a VTEP)',
    value,
    validateInput: (text) => validateTraceTarget(text) ?? null,
  });
}

/**
 * The first prompt: pick the host to trace from, or type the destination IP straight away (then the
 * trace starts from the active document's node). Resolves to the chosen row, undefined when dismissed.
 */
function firstTracePrompt(c: Controller, preferred: TraceSource | undefined, ip: string | undefined) {
  type Item = vscode.QuickPickItem & { choice: TraceChoice };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'netsnap: Trace Path to IP';
  pick.placeholder =
    preferred === undefined
      ? 'Type a destination IP, or pick the node or pod to trace from'
      : `Type a destination IP to trace from ${preferred.name}, or pick another node or pod`;
  pick.matchOnDescription = true;
  const fill = (typed: string) => {
    pick.items = traceChoices(c.ws, typed, preferred).map((choice) => ({
      label: choice.label,
      description: choice.description,
      // The destination row matches whatever was typed: it is made from it.
      alwaysShow: choice.kind === 'destination',
      choice,
    }));
  };
  fill(ip ?? '');
  if (ip !== undefined) pick.value = ip;
  pick.onDidChangeValue(fill);
  return new Promise<TraceChoice | undefined>((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.choice ?? pick.activeItems[0]?.choice);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

async function traceToIp(c: Controller, reports: ReportDocuments, row?: unknown): Promise<void> {
  // From a node or pod row of the tree: that host, then the destination.
  const host = (row as Partial<TreeNode> | undefined)?.host;
  if (typeof host?.name === 'string' && typeof host.key === 'string') {
    const to = await askDestination(host, '');
    if (to !== undefined) await reports.show(traceReport(c.ws, host.name, to.trim(), host.key));
    return;
  }
  if (traceSources(c.ws).length === 0) {
    void vscode.window.showInformationMessage(
      'netsnap: no snapshot in this workspace names a node yet. Open or create a .netsnap file first.',
    );
    return;
  }
  const here = cursorContext(c);
  const preferred = defaultTraceSource(c.ws, here.key, here.line);
  const choice = await firstTracePrompt(c, preferred, here.ip);
  if (choice === undefined) return;
  if (choice.kind === 'destination') {
    const from =
      choice.source ?? (await pickSource(c, `Trace to ${choice.ip} from which node or pod?`, here));
    if (from !== undefined) await reports.show(traceReport(c.ws, from.name, choice.ip, from.key));
    return;
  }
  const to = await askDestination(choice.source, here.ip ?? '');
  if (to === undefined) return;
  await reports.show(traceReport(c.ws, choice.source.name, to.trim(), choice.source.key));
}

async function traceToHere(c: Controller, reports: ReportDocuments, node: unknown): Promise<void> {
  const trace = (node as Partial<TreeNode> | undefined)?.trace;
  if (trace === undefined || typeof trace.ip !== 'string') return;
  const key = typeof trace.key === 'string' ? trace.key : undefined;
  const from =
    trace.from !== undefined && key !== undefined
      ? { name: trace.from, key }
      : await pickSource(c, `Trace to ${trace.ip} from which node or pod?`, key === undefined ? {} : { key });
  if (from === undefined) return;
  await reports.show(traceReport(c.ws, from.name, trace.ip, from.key));
}

/** "Show full analysis…" from a hover: the full analysis of a position as a read-only report. */
async function showAnalysis(
  c: Controller,
  reports: ReportDocuments,
  key: unknown,
  line: unknown,
  character: unknown,
): Promise<void> {
  if (typeof key !== 'string' || typeof line !== 'number' || typeof character !== 'number') return;
  const report = analysisReport(c.ws, key, line, character);
  if (report === undefined) {
    void vscode.window.showWarningMessage('netsnap: nothing to analyse there after the last change.');
    return;
  }
  await reports.show(report);
}

async function copyFix(c: Controller, arg: unknown): Promise<void> {
  const ref = refFrom(arg);
  const finding = ref === undefined ? undefined : resolveFinding(c.ws, ref);
  if (finding?.fix === undefined) {
    void vscode.window.showWarningMessage(
      'netsnap: that finding is gone after the last change; nothing was copied.',
    );
    return;
  }
  await vscode.env.clipboard.writeText(`${fixCommands(finding.fix).join('\n')}\n`);
  vscode.window.setStatusBarMessage(
    `netsnap: copied the fix for ${finding.code} (to run on ${finding.node})`,
    4000,
  );
}

async function runFixInTerminal(c: Controller, reports: ReportDocuments, arg: unknown): Promise<void> {
  await runFix(c.ws, refFrom(arg), {
    // Read now: trust can be granted or withdrawn while the window is open.
    trusted: vscode.workspace.isTrusted,
    // The extension host runs where the workspace is (extensionKind workspace), and so do its terminals.
    terminalHost: hostname(),
    warn: (message) => void vscode.window.showWarningMessage(message),
    show: (report) => reports.show(report),
    // The first button is the one Enter presses; the core puts the safe choice first.
    choose: (message, detail, choices) =>
      Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, ...choices)),
    copy: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    run: (name, commands) => {
      const terminal = vscode.window.createTerminal({ name });
      terminal.show();
      for (const command of commands) terminal.sendText(command, true);
    },
  });
}

async function newFromClipboard(): Promise<void> {
  const text = await vscode.env.clipboard.readText();
  if (text.trim() === '') {
    void vscode.window.showInformationMessage(
      'netsnap: the clipboard is empty. Copy the output of route -n, arp -e, bridge fdb show… first.',
    );
    return;
  }
  const normalized = normalizeClipboard(text);
  const doc = await vscode.workspace.openTextDocument({ language: 'netsnap', content: normalized.text });
  await vscode.window.showTextDocument(doc, { preview: false });
  const added = normalized.added.length;
  const note =
    added === 0
      ? ''
      : `Added ${added} header${added === 1 ? '' : 's'} (${normalized.added.map((a) => a.command).join(', ')}). `;
  if (normalized.unnamed)
    void vscode.window.showInformationMessage(
      `netsnap: ${note}Add a line "### node NAME" at the top to name the node these outputs come from.`,
    );
  else if (note !== '') vscode.window.setStatusBarMessage(`netsnap: ${note}`, 6000);
}

/** A file's snapshots, or every `.netsnap` below a folder. */
async function readSide(uri: vscode.Uri): Promise<CompareInput[]> {
  const limit = settings().maxFileSizeMB * 1024 * 1024;
  const out: CompareInput[] = [];
  const visit = async (u: vscode.Uri, depth: number): Promise<void> => {
    if (out.length >= MAX_COMPARE_FILES) return;
    const stat = await vscode.workspace.fs.stat(u);
    if ((stat.type & vscode.FileType.Directory) !== 0) {
      if (depth > 8) return;
      const entries = await vscode.workspace.fs.readDirectory(u);
      for (const [name, type] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (name === 'node_modules' || name === '.git') continue;
        if ((type & vscode.FileType.Directory) !== 0 || name.endsWith('.netsnap'))
          await visit(vscode.Uri.joinPath(u, name), depth + 1);
      }
      return;
    }
    // A device or FIFO (size 0, endless or blocking) is never read.
    if ((stat.type & vscode.FileType.File) === 0)
      throw new Error(`${vscode.workspace.asRelativePath(u)} is not a regular file`);
    if (stat.size > limit)
      throw new Error(`${vscode.workspace.asRelativePath(u)} is larger than netsnap.maxFileSizeMB`);
    const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(u));
    out.push({ key: u.toString(), label: vscode.workspace.asRelativePath(u), text });
  };
  await visit(uri, 0);
  return out;
}

async function pickCapture(openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel,
    title: `netsnap: ${openLabel} (a .netsnap file, or a folder of them)`,
    ...(vscode.workspace.workspaceFolders?.[0] === undefined
      ? {}
      : { defaultUri: vscode.workspace.workspaceFolders[0].uri }),
  });
  return picked?.[0];
}

/**
 * A capture to compare: the workspace's known folders and files (Enter takes the highlighted one), or
 * "Browse…" for any other. `not` is left out (the capture already picked for the other side).
 */
async function pickKnownCapture(
  c: Controller,
  label: string,
  not?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [];
  for (const choice of captureChoices(c.ws)) {
    const uri = captureUri(c, choice);
    if (uri === undefined || uri.toString() === not?.toString()) continue;
    items.push({
      label: `${choice.kind === 'folder' ? '$(folder)' : '$(file)'} ${choice.label === '' ? '(top folder)' : choice.label}`,
      description: choice.description,
      uri,
    });
  }
  const browse: Item = { label: '$(folder-opened) Browse…', description: 'another file or folder' };
  const picked = await vscode.window.showQuickPick([...items, browse], {
    title: `netsnap: Compare — ${label}`,
    placeHolder: `${label}: a folder of snapshots (one cluster) or one .netsnap file`,
    matchOnDescription: true,
  });
  if (picked === undefined) return undefined;
  return picked.uri ?? (await pickCapture(label));
}

/** Where a known capture is on disk: a file's URI, or its folder's (the parent of the files it holds). */
function captureUri(c: Controller, choice: CaptureChoice): vscode.Uri | undefined {
  const first = choice.keys[0] === undefined ? undefined : c.uriOf(choice.keys[0]);
  // Unsaved (untitled) snapshots have no file to read again.
  if (first === undefined || first.scheme === 'untitled') return undefined;
  return choice.kind === 'file' ? first : vscode.Uri.joinPath(first, '..');
}

async function compare(
  c: Controller,
  reports: ReportDocuments,
  clicked?: unknown,
  selected?: unknown,
): Promise<void> {
  // From the Explorer with two items selected: (clicked, [first, second]).
  const pair =
    Array.isArray(selected) && selected.length === 2 && selected.every((u) => u instanceof vscode.Uri)
      ? (selected as vscode.Uri[])
      : undefined;
  void clicked;
  const oldUri = pair?.[0] ?? (await pickKnownCapture(c, 'Old capture'));
  if (oldUri === undefined) return;
  const newUri = pair?.[1] ?? (await pickKnownCapture(c, 'New capture', oldUri));
  if (newUri === undefined) return;
  try {
    const [oldSide, newSide] = await Promise.all([readSide(oldUri), readSide(newUri)]);
    if (oldSide.length === 0 || newSide.length === 0) {
      void vscode.window.showWarningMessage(
        `netsnap: no .netsnap files in ${vscode.workspace.asRelativePath(oldSide.length === 0 ? oldUri : newUri)}.`,
      );
      return;
    }
    const title = `Compare ${vscode.workspace.asRelativePath(oldUri)} → ${vscode.workspace.asRelativePath(newUri)}`;
    const uris = new Map([...oldSide, ...newSide].map((i) => [i.key, vscode.Uri.parse(i.key)]));
    await reports.show(compareReport(oldSide, newSide, title), (key) => uris.get(key));
  } catch (error) {
    void vscode.window.showErrorMessage(
      `netsnap: cannot compare: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The graph of the active snapshot's cluster, or of the cluster or node row it was asked from. */
function openGraph(c: Controller, graphs: GraphPanels, row: unknown): void {
  const node = row as Partial<TreeNode> | undefined;
  if (typeof node?.cluster === 'string') return graphs.open({ cluster: node.cluster });
  const source = typeof node?.host?.key === 'string' ? c.ws.sourceOf(node.host.key) : undefined;
  if (source !== undefined && node?.kind === 'node' && typeof node.host?.name === 'string')
    return graphs.open({ cluster: folderOf(source), node: node.host.name });
  graphs.open();
}

/** What each command does; the entry (extension.ts) registers them and calls these once loaded. */
export function commandHandlers(
  c: Controller,
  reports: ReportDocuments,
  graphs: GraphPanels,
  /** The extension's globalState: what Collect from Node remembers (recent commands). */
  state?: vscode.Memento,
): Record<CommandId, (...args: unknown[]) => unknown> {
  return {
    'netsnap.traceToIp': (row) => traceToIp(c, reports, row),
    'netsnap.traceToHere': (node) => traceToHere(c, reports, node),
    'netsnap.newFromClipboard': () => newFromClipboard(),
    'netsnap.compare': (clicked, selected) => compare(c, reports, clicked, selected),
    'netsnap.copyFix': (arg) => copyFix(c, arg),
    'netsnap.runFixInTerminal': (arg) => runFixInTerminal(c, reports, arg),
    'netsnap.revealLine': (key, line) => revealLine(c, key, line),
    'netsnap.showAnalysis': (key, line, character) => showAnalysis(c, reports, key, line, character),
    'netsnap.refresh': () => c.scan(),
    'netsnap.collectFromNode': () => collectFromNode(c.log, state),
    'netsnap.collectFromAllHosts': () => collectFromAllHosts(c.log),
    'netsnap.openGraph': (row) => openGraph(c, graphs, row),
  };
}
