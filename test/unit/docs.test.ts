// The docs: their generated parts match the sources they come from (the parser registry, the finding
// catalogue, package.json), every relative link and anchor in them resolves, and the README stays short.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, type FindingCode } from '../../src/core/analysis/findings';
import { findingDocLines, FINDINGS_DOC } from '../../src/core/language';
import { parsers } from '../../src/core/parsers';
import * as content from '../../scripts/docs-content';
import { generatedDocs, REFRESH } from '../../scripts/docs.mjs';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The README, CHANGELOG and every Markdown file under docs/. */
function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', 'CHANGELOG.md', ...docs];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6} (.+)$/.exec(line);
    if (heading !== null) out.add(slug(heading[1]!));
  }
  return out;
}

/** Inline links and images outside code: `[text](target)`. */
function links(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1]!);
  }
  return out;
}

describe('generated docs', () => {
  it(`match their sources (else run \`${REFRESH}\`)`, async () => {
    const stale: string[] = [];
    for (const { path, text } of await generatedDocs(ROOT, content)) {
      const onDisk = existsSync(join(ROOT, path)) ? read(path) : '';
      if (onDisk !== text) stale.push(path);
    }
    expect(stale, `stale generated docs: run \`${REFRESH}\``).toEqual([]);
  });

  it('list every parser of the registry, with a | inside a cell escaped', () => {
    const table = content.parserTable();
    const rows = table.split('\n').slice(2);
    expect(rows).toHaveLength(parsers.length);
    for (const [i, p] of parsers.entries()) expect(rows[i]).toContain(`\`${p.id}\``);
    // A row splits into exactly its three cells when every | of the text is escaped.
    const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;
    for (const row of rows) expect(cells(row), row).toBe(3);
    expect(content.cell('ip link show type bridge|veth')).toBe('ip link show type bridge\\|veth');
    expect(cells(`| ${content.cell('a|b')} | c | d |`)).toBe(3);
  });

  it('give every finding code its section, at the line the editor links to', () => {
    const page = read(FINDINGS_DOC);
    const lines = findingDocLines(page);
    const codes = Object.keys(FINDING_CODES) as FindingCode[];
    expect([...lines.keys()].sort()).toEqual([...codes].sort());
    const texts = page.split('\n');
    for (const [code, line] of lines) expect(texts[line - 1]).toBe(`## \`${code}\``);
    const slugs = anchors(page);
    for (const code of codes) expect(slugs.has(code), code).toBe(true);
  });

  it('ship docs/findings.md in the .vsix', () => {
    const ignore = read('.vscodeignore').split('\n');
    expect(ignore).toContain(`!${FINDINGS_DOC}`);
  });
});

describe('docs links', () => {
  it.each(docFiles())('%s: every relative link and anchor resolves', (file) => {
    const text = read(file);
    const broken: string[] = [];
    for (const target of links(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), decodeURI(path));
      if (!existsSync(resolved)) {
        broken.push(`${target} (no ${relative(ROOT, resolved)})`);
        continue;
      }
      if (anchor === undefined || statSync(resolved).isDirectory()) continue;
      if (!anchors(readFileSync(resolved, 'utf8')).has(anchor))
        broken.push(`${target} (no heading #${anchor})`);
    }
    expect(broken).toEqual([]);
  });

  it('the README stays within 10 KB', () => {
    expect(Buffer.byteLength(read('README.md'))).toBeLessThanOrEqual(10 * 1024);
  });
});
