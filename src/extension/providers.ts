// Language feature adapters: each converts positions and results between VS Code and the core's language
// services (1-based lines there, 0-based here) and does nothing else.

import { hostname } from 'node:os';
import * as vscode from 'vscode';
import {
  definitionsOf,
  documentSymbols,
  fixActions,
  hoverAt,
  referencesOf,
  renderMarkdown,
  SHOW_ANALYSIS_COMMAND,
  tokenAtPosition,
  type RangeLocation,
  type SymbolNode,
} from '../core/language';
import type { Controller } from './controller';

/** A link to a line, for Markdown and document links (`file:///…#L14` opens the file at line 14). */
export function lineLink(c: Controller, key: string, line: number): vscode.Uri | undefined {
  return c.uriOf(key)?.with({ fragment: `L${line}` });
}

function toLocation(c: Controller, r: RangeLocation): vscode.Location | undefined {
  const uri = c.uriOf(r.key);
  return uri === undefined
    ? undefined
    : new vscode.Location(uri, new vscode.Range(r.line - 1, r.start, r.line - 1, r.end));
}

class HoverProvider implements vscode.HoverProvider {
  constructor(private readonly c: Controller) {}
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const key = this.c.ensureFresh(doc);
    if (key === undefined) return undefined;
    const result = hoverAt(this.c.ws, key, pos.line + 1, pos.character);
    if (result === undefined) return undefined;
    // The compact hover; "Show full analysis…" opens the rest (result.parts) as a report.
    const markdown = new vscode.MarkdownString(
      renderMarkdown(result.brief, (loc) => lineLink(this.c, loc.key, loc.line)?.toString()),
      false,
    );
    // Built from escaped text; never HTML, and the only command a link may run is netsnap's own
    // "Show full analysis…" (the renderer never makes a command link of snapshot text).
    markdown.isTrusted = { enabledCommands: [SHOW_ANALYSIS_COMMAND] };
    markdown.supportHtml = false;
    return new vscode.Hover(
      markdown,
      new vscode.Range(pos.line, result.token.start, pos.line, result.token.end),
    );
  }
}

/** Where a MAC, IP, CIDR or interface name under the cursor is defined, or used, across the workspace. */
class LocationProvider implements vscode.DefinitionProvider, vscode.ReferenceProvider {
  constructor(private readonly c: Controller) {}

  provideDefinition(doc: vscode.TextDocument, pos: vscode.Position): vscode.Location[] | undefined {
    return this.locate(doc, pos, (token, key) =>
      definitionsOf(this.c.ws, token, { key, line: pos.line + 1 }),
    );
  }

  provideReferences(doc: vscode.TextDocument, pos: vscode.Position): vscode.Location[] | undefined {
    return this.locate(doc, pos, (token, key) => referencesOf(this.c.ws, token, { key }));
  }

  private locate(
    doc: vscode.TextDocument,
    pos: vscode.Position,
    find: (token: NonNullable<ReturnType<typeof tokenAtPosition>>, key: string) => RangeLocation[],
  ): vscode.Location[] | undefined {
    const key = this.c.ensureFresh(doc);
    if (key === undefined) return undefined;
    const token = tokenAtPosition(this.c.ws, key, pos.line + 1, pos.character);
    if (token === undefined) return undefined;
    return find(token, key)
      .map((r) => toLocation(this.c, r))
      .filter((l): l is vscode.Location => l !== undefined);
  }
}

const SYMBOL_KIND: Record<SymbolNode['kind'], vscode.SymbolKind> = {
  node: vscode.SymbolKind.Module,
  pod: vscode.SymbolKind.Object,
  section: vscode.SymbolKind.Function,
};

class SymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly c: Controller) {}
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    const key = this.c.ensureFresh(doc);
    if (key === undefined) return [];
    const last = Math.max(0, doc.lineCount - 1);
    const line = (n: number) => Math.min(last, Math.max(0, n - 1));
    const convert = (s: SymbolNode): vscode.DocumentSymbol => {
      const range = new vscode.Range(
        line(s.line),
        0,
        line(s.endLine),
        doc.lineAt(line(s.endLine)).text.length,
      );
      const selection = new vscode.Range(
        line(s.selectionLine),
        0,
        line(s.selectionLine),
        doc.lineAt(line(s.selectionLine)).text.length,
      );
      const symbol = new vscode.DocumentSymbol(s.name, s.detail, SYMBOL_KIND[s.kind], range, selection);
      symbol.children = s.children.map(convert);
      return symbol;
    };
    return documentSymbols(this.c.ws, key).map(convert);
  }
}

class CodeActionProvider implements vscode.CodeActionProvider {
  constructor(private readonly c: Controller) {}
  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const key = this.c.ensureFresh(doc);
    if (key === undefined) return [];
    const out: vscode.CodeAction[] = [];
    // Run is offered only where this editor's terminals open on the finding's node (runPlace).
    const here = hostname();
    for (const action of fixActions(this.c.ws, key, range.start.line + 1, range.end.line + 1, here)) {
      // Running anything needs a trusted workspace; copying does not.
      if (action.kind === 'run' && !vscode.workspace.isTrusted) continue;
      const codeAction = new vscode.CodeAction(action.title, vscode.CodeActionKind.QuickFix);
      codeAction.command = {
        command: action.kind === 'copy' ? 'netsnap.copyFix' : 'netsnap.runFixInTerminal',
        title: action.title,
        arguments: [action.ref],
      };
      codeAction.diagnostics = context.diagnostics.filter(
        (d) =>
          d.source === 'netsnap' && d.code === action.ref.code && d.range.start.line === action.ref.line - 1,
      );
      out.push(codeAction);
    }
    return out;
  }
}

/** The language features; the entry (extension.ts) registers them and calls these once loaded. */
export function providers(c: Controller) {
  const locations = new LocationProvider(c);
  return {
    hover: new HoverProvider(c),
    definition: locations,
    references: locations,
    symbols: new SymbolProvider(c),
    codeActions: new CodeActionProvider(c),
  };
}
