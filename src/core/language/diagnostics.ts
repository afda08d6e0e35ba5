// Diagnostics for the Problems panel: every finding on its document and line(s), with the related
// places (often on another node's snapshot) it cites. Every document of the workspace gets a list, empty
// ones included, so the editor can clear what an edit fixed.

import type { Finding, FindingCode } from '../analysis/findings';
import type { Severity } from '../model/types';
import { escapeControls } from '../util/text';
import type { SnapshotWorkspace } from './workspace';

export interface RelatedDescriptor {
  key: string;
  /** 1-based. */
  line: number;
  /** 0-based columns of the line's text. */
  startCharacter: number;
  endCharacter: number;
  message: string;
}

export interface DiagnosticDescriptor {
  /** 1-based, inclusive. */
  line: number;
  endLine: number;
  /** 0-based columns: the first and just past the last non-blank character. */
  startCharacter: number;
  endCharacter: number;
  severity: Severity;
  message: string;
  code: FindingCode;
  node: string;
  related: RelatedDescriptor[];
  hasFix: boolean;
}

export interface DiagnosticOptions {
  /**
   * Leave out `unrecognized-output` notes (lines no parser reads). A file that is not a transcript at
   * all (binary data) is an error, not a note, and stays.
   */
  hideNotes?: boolean;
}

function columns(text: string): { start: number; end: number } {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return end > start ? { start, end } : { start: 0, end: text.length };
}

export function describeFinding(ws: SnapshotWorkspace, key: string, f: Finding): DiagnosticDescriptor {
  const endLine = Math.max(f.line, f.endLine ?? f.line);
  const first = columns(ws.lineText(key, f.line));
  const last = endLine === f.line ? first : columns(ws.lineText(key, endLine));
  const related: RelatedDescriptor[] = [];
  // The mechanism behind the message's impact comes first, on the finding's own line.
  const own = [...(f.detail === undefined ? [] : [{ file: f.file, line: f.line, message: f.detail }])];
  for (const r of [...own, ...(f.related ?? [])]) {
    const relatedKey = ws.keyOf(r.file);
    if (relatedKey === undefined) continue;
    const c = columns(ws.lineText(relatedKey, r.line));
    related.push({
      key: relatedKey,
      line: r.line,
      startCharacter: c.start,
      endCharacter: c.end,
      message: escapeControls(r.message),
    });
  }
  return {
    line: f.line,
    endLine,
    startCharacter: first.start,
    endCharacter: last.end,
    severity: f.severity,
    // The Problems panel shows it as one line: control characters escaped (util/text.ts).
    message: escapeControls(f.message),
    code: f.code,
    node: f.node,
    related,
    hasFix: f.fix !== undefined,
  };
}

/** Diagnostics for every document of the workspace, keyed by document. */
export function diagnosticsByDocument(
  ws: SnapshotWorkspace,
  options: DiagnosticOptions = {},
): Map<string, DiagnosticDescriptor[]> {
  const out = new Map<string, DiagnosticDescriptor[]>();
  for (const key of ws.keys()) out.set(key, []);
  for (const f of ws.analysis().findings) {
    if (options.hideNotes === true && f.code === 'unrecognized-output' && f.severity === 'info') continue;
    const key = ws.keyOf(f.file);
    if (key === undefined) continue;
    out.get(key)?.push(describeFinding(ws, key, f));
  }
  return out;
}
