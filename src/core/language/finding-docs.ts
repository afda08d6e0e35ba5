// Where each finding code is explained in docs/findings.md (generated from the catalogue by
// scripts/docs.mjs), so that an editor can link a diagnostic's code to its place there. The heading's
// form is defined here once: the generator writes it, the editor looks for it.

import { FINDING_CODES, type FindingCode } from '../analysis/findings';

/** The docs path of the findings page, relative to the package root (shipped in the .vsix). */
export const FINDINGS_DOC = 'docs/findings.md';

/** The Markdown heading of a code's section; GitHub and VS Code's preview give it the anchor `#<code>`. */
export function findingHeading(code: FindingCode): string {
  return `## \`${code}\``;
}

function isFindingCode(word: string): word is FindingCode {
  return Object.hasOwn(FINDING_CODES, word);
}

/** The 1-based line of each code's heading in the findings page's text; codes it lacks are left out. */
export function findingDocLines(markdown: string): Map<FindingCode, number> {
  const lines = new Map<FindingCode, number>();
  const texts = markdown.split('\n');
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!.trimEnd();
    if (!text.startsWith('## `') || !text.endsWith('`')) continue;
    const code = text.slice(4, -1);
    if (isFindingCode(code) && text === findingHeading(code) && !lines.has(code)) lines.set(code, i + 1);
  }
  return lines;
}
