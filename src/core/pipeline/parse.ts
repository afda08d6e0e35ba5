// The pipeline for one file: split into sections, run each section's parser, build the hosts.

import { buildHosts, type ParsedSection } from '../model/build';
import type { LocatedIssue, Snapshot } from '../model/types';
import { parserById } from '../parsers';
import { truncate } from '../util/words';
import type { ParseResult, ParserInput } from '../parsers/parser';
import { type Section, splitSnapshot } from '../snapshot/split';

/** Does the text look like a binary file rather than a transcript? */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32 && c !== 27) || c === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

/**
 * What one parse of a document leaves for the next parse of the same document: each section's parser
 * result, and the text it was read from. An editor re-parses a document on every edit; the sections an
 * edit did not touch (same lines, same text, same command) keep their results, and only the others are
 * parsed again. It holds no line objects: the document's own text and a line index are enough.
 */
export interface SectionMemo {
  readonly source: string;
  readonly lines: TextLines;
  readonly results: ReadonlyMap<string, ParseResult>;
}

/**
 * Where each line of a text starts (1-based line n at index n-1): CR, LF and CRLF all end a line, as in
 * the parser, and a final line break does not start another line (the parser drops the empty tail alike).
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    // The common case: indexOf is much faster than a loop over every character.
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
  }
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop();
  return starts;
}

/** A text with its line starts, found on first use: a parse with nothing to reuse never pays for them. */
export class TextLines {
  private found: number[] | undefined;
  constructor(readonly text: string) {}

  starts(): number[] {
    return (this.found ??= lineStarts(this.text));
  }

  /** Lines `first..last` (1-based) as they stand in the text, line ends included. */
  region(first: number, last: number): string {
    const starts = this.starts();
    return this.text.slice(starts[first - 1] ?? this.text.length, starts[last] ?? this.text.length);
  }
}

function memoKey(section: Section): string {
  return `${section.parserId ?? ''}\u0000${section.startLine}\u0000${section.endLine}\u0000${section.command?.raw ?? ''}`;
}

/** Parses one `.netsnap` transcript. Accepts any text; problems become located issues, never exceptions. */
export function parseSnapshot(text: string, source = 'snapshot.netsnap'): Snapshot {
  return parseSnapshotReusing(text, source, undefined, false).snapshot;
}

/**
 * `parseSnapshot`, reusing the results of `previous` (the last parse of the same document) for the
 * sections that did not change; returns the snapshot and the memo for the next parse. The snapshot is
 * the same as a fresh parse gives: parser results are never modified after parsing (the model copies
 * what it merges), so a reused one is as good as new.
 */
export function parseSnapshotReusing(
  text: string,
  source: string,
  previous: SectionMemo | undefined,
  /**
   * Remember this parse's results for the next one (the editor's path). A one-off parse (the CLI, the
   * library) does not: holding every parser result in a memo cost a quarter of the pipeline's throughput
   * in garbage collection (`npm run bench`: 0.38× against 0.55× baseline).
   */
  keep = true,
): { snapshot: Snapshot; memo: SectionMemo } {
  const reusable = previous?.source === source ? previous : undefined;
  const lines = new TextLines(text);
  const results = new Map<string, ParseResult>();
  const issues: LocatedIssue[] = [];
  if (looksBinary(text)) {
    issues.push({
      file: source,
      line: 1,
      severity: 'error',
      message: 'This looks like binary data, not a terminal transcript; unreadable lines are reported below.',
    });
  }
  const split = splitSnapshot(text, source);
  for (const issue of split.issues) issues.push({ ...issue, file: source });
  const parsed: ParsedSection[] = [];
  for (const section of split.sections) {
    const parser = section.parserId === undefined ? undefined : parserById(section.parserId);
    if (parser === undefined) {
      const content = section.lines.filter((l) => l.text.trim() !== '');
      const first = content[0];
      const last = content[content.length - 1];
      if (first !== undefined && last !== undefined) {
        const what =
          section.command === undefined
            ? 'this output'
            : `the output of \`${truncate(section.command.raw, 200)}\``;
        const issue: LocatedIssue = {
          file: source,
          line: first.line,
          severity: 'info',
          message: `No parser reads ${what} (${content.length} line${content.length === 1 ? '' : 's'} kept as text).`,
        };
        if (last.line !== first.line) issue.endLine = last.line;
        issues.push(issue);
      }
      parsed.push({ section });
      continue;
    }
    const key = reusable === undefined && !keep ? '' : memoKey(section);
    // A section's lines are a function of their raw text: the same text on the same lines, under the
    // same command, is the same parser input.
    const before = reusable?.results.get(key);
    let result: ParseResult;
    if (
      before !== undefined &&
      reusable !== undefined &&
      reusable.lines.region(section.startLine, section.endLine) ===
        lines.region(section.startLine, section.endLine)
    )
      result = before;
    else {
      const input: ParserInput = { file: source, lines: section.lines };
      if (section.command !== undefined) input.command = section.command;
      if (section.stderr !== undefined) input.stderr = section.stderr;
      result = parser.parse(input);
    }
    if (keep) results.set(key, result);
    for (const issue of result.issues) issues.push({ ...issue, file: source });
    parsed.push({ section, result });
  }
  const hosts = buildHosts(parsed, source);
  issues.sort((a, b) => a.line - b.line);
  return {
    snapshot: { file: source, lineCount: split.lineCount, ...hosts, issues },
    memo: { source, lines, results },
  };
}
