// Keeps the core's SnapshotWorkspace in step with the editor: open documents (their unsaved text wins),
// the workspace's `.netsnap` files on disk, edits (debounced), and file changes (a FileSystemWatcher).
// After every change it publishes diagnostics for every snapshot and tells the views to refresh.

import * as vscode from 'vscode';
import type { FindingCode } from '../core/analysis/findings';
import {
  diagnosticsByDocument,
  findingDocLines,
  FINDINGS_DOC,
  SnapshotWorkspace,
  type DiagnosticDescriptor,
} from '../core/language';
import { SNAPSHOT_SCHEMES } from './ids';
import { settings } from './settings';

/** Schemes whose documents are the user's snapshots (not a git: or diff view of an old version). */
const SCHEMES: ReadonlySet<string> = new Set(SNAPSHOT_SCHEMES);
const GLOB = '**/*.netsnap';
const EXCLUDE = '**/{node_modules,.git}/**';

const SEVERITY: Record<DiagnosticDescriptor['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function isSnapshotDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'netsnap' && SCHEMES.has(doc.uri.scheme);
}

export class Controller implements vscode.Disposable {
  readonly ws = new SnapshotWorkspace();
  /** The "netsnap" output channel: what was loaded and how long analysis took. */
  readonly log = vscode.window.createOutputChannel('netsnap', { log: true });
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly pending = new Set<string>();
  private readonly tooLarge = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly collection = vscode.languages.createDiagnosticCollection('netsnap');
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Where each code is explained: its line in the packaged docs/findings.md (a diagnostic's code links there). */
  private docTargets = new Map<FindingCode, vscode.Uri>();
  /** Fires after the set changed and diagnostics were published. */
  readonly onDidChange = this.emitter.event;

  /** `extensionUri`: the installed extension's folder, which holds docs/findings.md. */
  constructor(private readonly extensionUri?: vscode.Uri) {
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    this.disposables.push(
      this.log,
      this.collection,
      this.emitter,
      watcher,
      watcher.onDidCreate((uri) => void this.fromDisk(uri)),
      watcher.onDidChange((uri) => void this.fromDisk(uri)),
      watcher.onDidDelete((uri) => this.deleted(uri)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.opened(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => void this.closed(doc)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('netsnap')) this.publish();
      }),
    );
  }

  /** Loads the documents already open and every `.netsnap` of the workspace, then publishes once. */
  async start(): Promise<void> {
    await this.loadFindingDocs();
    // Documents already open get no open event: take them now, with the rest of the cluster from disk.
    this.log.info(
      `activated; ${vscode.workspace.textDocuments.filter(isSnapshotDocument).length} snapshot(s) open`,
    );
    for (const doc of vscode.workspace.textDocuments)
      if (isSnapshotDocument(doc)) this.setText(doc.uri, doc.getText());
    await this.scan();
    // The tree's welcome text tells "still reading" from "no snapshots" by this key.
    await vscode.commands.executeCommand('setContext', 'netsnap.loaded', true);
  }

  /** Reads the packaged findings page once; without it, diagnostics carry their code without a link. */
  private async loadFindingDocs(): Promise<void> {
    if (this.extensionUri === undefined) return;
    try {
      const doc = vscode.Uri.joinPath(this.extensionUri, ...FINDINGS_DOC.split('/'));
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc));
      // `#L<line>` is the fragment VS Code opens a file at (a name anchor would open it at the top).
      for (const [code, line] of findingDocLines(text))
        this.docTargets.set(code, doc.with({ fragment: `L${line}` }));
    } catch (e) {
      this.log.warn(`${FINDINGS_DOC} not read, finding codes are not linked: ${String(e)}`);
    }
  }

  /** Re-reads every `.netsnap` file of the workspace that is not open in an editor, then publishes. */
  async scan(): Promise<void> {
    const started = Date.now();
    try {
      const files = await vscode.workspace.findFiles(GLOB, EXCLUDE);
      const found = Date.now();
      const open = new Set(
        vscode.workspace.textDocuments.filter(isSnapshotDocument).map((d) => d.uri.toString()),
      );
      await Promise.all(files.filter((uri) => !open.has(uri.toString())).map((uri) => this.read(uri)));
      this.log.info(
        `found ${files.length} .netsnap file(s) in ${found - started} ms, read them in ${Date.now() - found} ms`,
      );
    } catch (error) {
      this.log.error(
        `scanning the workspace failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.publish();
    }
  }

  uriOf(key: string): vscode.Uri | undefined {
    return this.uris.get(key);
  }

  keyOf(doc: vscode.TextDocument): string {
    return doc.uri.toString();
  }

  /** Applies a document's pending edit now (before a hover or a command reads the model). */
  ensureFresh(doc: vscode.TextDocument): string | undefined {
    const key = this.keyOf(doc);
    if (this.pending.has(key)) this.flush();
    else if (isSnapshotDocument(doc) && !this.ws.has(key) && !this.tooLarge.has(key)) {
      this.setText(doc.uri, doc.getText());
      this.publish();
    }
    return this.ws.has(key) ? key : undefined;
  }

  private setText(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    const limit = settings().maxFileSizeMB * 1024 * 1024;
    if (text.length > limit) {
      this.refuseLarge(uri);
      return;
    }
    this.tooLarge.delete(key);
    this.uris.set(key, uri);
    this.ws.set(key, text, uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri));
  }

  /** Drops a snapshot over netsnap.maxFileSizeMB, saying so once. */
  private refuseLarge(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.tooLarge.has(key)) {
      this.tooLarge.add(key);
      void vscode.window.showWarningMessage(
        `netsnap: ${vscode.workspace.asRelativePath(uri)} is larger than netsnap.maxFileSizeMB (${settings().maxFileSizeMB} MB) and is not analysed.`,
      );
    }
    this.ws.delete(key);
  }

  private async read(uri: vscode.Uri): Promise<boolean> {
    try {
      // Only a regular file within the size limit is read: a symlink to /dev/zero or a FIFO would grow
      // memory without end or block for ever (its size says 0).
      const info = await vscode.workspace.fs.stat(uri);
      if ((info.type & vscode.FileType.File) === 0) return this.remove(uri.toString());
      if (info.size > settings().maxFileSizeMB * 1024 * 1024) {
        this.refuseLarge(uri);
        return true;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.setText(uri, new TextDecoder('utf-8').decode(bytes));
      return true;
    } catch {
      return this.remove(uri.toString());
    }
  }

  private isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
  }

  private async fromDisk(uri: vscode.Uri): Promise<void> {
    if (this.isOpen(uri)) return; // the editor's text is the truth while it is open
    if (await this.read(uri)) this.publish();
  }

  private deleted(uri: vscode.Uri): void {
    const key = uri.toString();
    let changed = false;
    // A deleted folder takes its snapshots with it.
    for (const k of this.ws.keys()) {
      if ((k === key || k.startsWith(`${key}/`)) && !this.isOpen(this.uris.get(k) ?? uri))
        changed = this.remove(k) || changed;
    }
    if (changed) this.publish();
  }

  private remove(key: string): boolean {
    this.uris.delete(key);
    this.pending.delete(key);
    return this.ws.delete(key);
  }

  private opened(doc: vscode.TextDocument): void {
    if (!isSnapshotDocument(doc)) return;
    this.setText(doc.uri, doc.getText());
    this.publish();
  }

  private edited(doc: vscode.TextDocument): void {
    if (!isSnapshotDocument(doc)) return;
    this.pending.add(this.keyOf(doc));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), settings().debounceMs);
  }

  private async closed(doc: vscode.TextDocument): Promise<void> {
    if (!isSnapshotDocument(doc)) return;
    const key = this.keyOf(doc);
    this.pending.delete(key);
    // Unsaved changes are gone with the editor: the file on disk (if any) is the snapshot again.
    if (doc.uri.scheme === 'untitled' || !(await this.read(doc.uri))) this.remove(key);
    this.publish();
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const keys = [...this.pending];
    this.pending.clear();
    let changed = false;
    for (const key of keys) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (doc === undefined) continue;
      const before = this.ws.generation;
      this.setText(doc.uri, doc.getText());
      changed = changed || this.ws.generation !== before;
    }
    if (changed) this.publish();
  }

  /** Publishes diagnostics for every snapshot (an edit to one node can change findings on another). */
  publish(): void {
    const started = Date.now();
    const byDoc = diagnosticsByDocument(this.ws, { hideNotes: !settings().showNotes });
    const analysed = Date.now();
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (!byDoc.has(uri.toString())) stale.push(uri);
    });
    for (const uri of stale) this.collection.delete(uri);
    for (const [key, list] of byDoc) {
      const uri = this.uris.get(key);
      if (uri !== undefined)
        this.collection.set(
          uri,
          list.map((d) => this.toDiagnostic(d)),
        );
    }
    const count = [...byDoc.values()].reduce((n, list) => n + list.length, 0);
    this.log.info(
      `${byDoc.size} snapshot(s), ${count} diagnostic(s): analysis ${analysed - started} ms, publishing ${Date.now() - analysed} ms`,
    );
    this.emitter.fire();
  }

  private toDiagnostic(d: DiagnosticDescriptor): vscode.Diagnostic {
    const range = new vscode.Range(d.line - 1, d.startCharacter, d.endLine - 1, d.endCharacter);
    const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
    diagnostic.source = 'netsnap';
    const target = this.docTargets.get(d.code);
    diagnostic.code = target === undefined ? d.code : { value: d.code, target };
    const related: vscode.DiagnosticRelatedInformation[] = [];
    for (const r of d.related) {
      const uri = this.uris.get(r.key);
      if (uri === undefined) continue;
      const where = new vscode.Range(r.line - 1, r.startCharacter, r.line - 1, r.endCharacter);
      related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, where), r.message));
    }
    if (related.length > 0) diagnostic.relatedInformation = related;
    return diagnostic;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
