// The text forms of `netsnap trace`, `diff` and `check`: the report lines the editor shows too
// (core/language/report-lines.ts), written by the terminal's sink.

import type { Analysis } from '../core/analysis/analyze';
import type { SnapshotDiff } from '../core/analysis/diff';
import type { TraceResult } from '../core/analysis/trace';
import { type CheckOptions, checkLines, diffLines, traceLines } from '../core/language/report-lines';
import { renderLines, type Style } from './terminal';

export function formatTraceText(result: TraceResult, style: Style): string {
  return renderLines(traceLines(result), style);
}

export function formatDiffText(diff: SnapshotDiff, style: Style): string {
  return renderLines(diffLines(diff), style);
}

/** `check`'s text a node's lines at a time, to be written as it comes (never one giant string). */
export function* checkTextChunks(analysis: Analysis, style: Style, options: CheckOptions): Generator<string> {
  for (const lines of checkLines(analysis, options)) yield renderLines(lines, style);
}
