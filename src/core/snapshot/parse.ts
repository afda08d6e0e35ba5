// The pipeline for one file: split into sections, run each section's parser, build the hosts.

import { buildHosts, type ParsedSection } from '../model/build';
import type { LocatedIssue, Snapshot } from '../model/types';
import { parserById } from '../parsers';
import { splitSnapshot } from './split';

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

/** Parses one `.netsnap` transcript. Accepts any text; problems become located issues, never exceptions. */
export function parseSnapshot(text: string, source = 'snapshot.netsnap'): Snapshot {
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
          section.command === undefined ? 'this output' : `the output of \`${section.command.raw}\``;
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
    const input =
      section.command === undefined
        ? { file: source, lines: section.lines }
        : { file: source, lines: section.lines, command: section.command };
    const result = parser.parse(input);
    for (const issue of result.issues) issues.push({ ...issue, file: source });
    parsed.push({ section, result });
  }
  const hosts = buildHosts(parsed, source);
  issues.sort((a, b) => a.line - b.line);
  return { file: source, lineCount: split.lineCount, ...hosts, issues };
}
