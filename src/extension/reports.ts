// Reports (trace, compare) as read-only virtual documents whose `file:line` citations are links.

import * as vscode from 'vscode';
import type { Report } from '../core/language';
import type { Controller } from './controller';

export const REPORT_SCHEME = 'netsnap-report';
/** The language package.json contributes for reports, with its grammar. */
export const REPORT_LANGUAGE = 'netsnap-report';

export class ReportDocuments
  implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable
{
  private readonly reports = new Map<
    string,
    { report: Report; resolve: (key: string) => vscode.Uri | undefined }
  >();
  private counter = 0;
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly c: Controller) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: REPORT_SCHEME }, this),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === REPORT_SCHEME) this.reports.delete(doc.uri.toString());
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.reports.get(uri.toString())?.report.text ??
      'This report is no longer available; run the command again.\n'
    );
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const entry = this.reports.get(doc.uri.toString());
    if (entry === undefined) return [];
    const out: vscode.DocumentLink[] = [];
    for (const link of entry.report.links) {
      const target = entry.resolve(link.target.key)?.with({ fragment: `L${link.target.line}` });
      if (target === undefined) continue;
      const item = new vscode.DocumentLink(
        new vscode.Range(link.line, link.start, link.line, link.end),
        target,
      );
      item.tooltip = 'Open the line';
      out.push(item);
    }
    return out;
  }

  /**
   * Shows a report. `resolve` maps its link keys to URIs (defaults to the workspace's documents; a
   * comparison passes the files it read).
   */
  async show(
    report: Report,
    resolve: (key: string) => vscode.Uri | undefined = (key) => this.c.uriOf(key),
  ): Promise<void> {
    const name = report.title.replace(/[/\\:*?"<>|#%]/g, '_').slice(0, 120);
    const uri = vscode.Uri.from({
      scheme: REPORT_SCHEME,
      path: `/${name}.txt`,
      query: String(++this.counter),
    });
    this.reports.set(uri.toString(), { report, resolve });
    // Coloured by the report grammar (syntaxes/netsnap-report.tmLanguage.json): verdicts, marks, codes.
    const doc = await vscode.languages.setTextDocumentLanguage(
      await vscode.workspace.openTextDocument(uri),
      REPORT_LANGUAGE,
    );
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
  }
}
