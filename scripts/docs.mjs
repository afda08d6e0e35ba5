// `npm run docs`: writes the generated parts of the docs — the tables between `<!-- generated:NAME -->` and
// `<!-- /generated:NAME -->` markers and the whole of docs/findings.md — from the sources that own them
// (scripts/docs-content.ts renders them). test/unit/docs.test.ts runs generatedDocs() and fails when a file
// on disk is stale.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';

/** Each generated file: its regions (marker name → renderer) or, for a whole file, `whole`. */
export const TARGETS = [
  {
    path: 'README.md',
    regions: { commands: (c, pkg) => c.commandTable(pkg), settings: (c, pkg) => c.settingTable(pkg) },
  },
  { path: 'docs/snapshot-format.md', regions: { parsers: (c) => c.parserTable() } },
  { path: 'docs/findings.md', whole: (c) => c.findingsPage() },
];

export const REFRESH = 'npm run docs';

/** Replaces the text between a region's markers; a file without the markers is an error, not a skip. */
export function fillRegion(text, name, body) {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`missing markers ${open} … ${close}`);
  return `${text.slice(0, start + open.length)}\n\n${body}\n\n${text.slice(end)}`;
}

/** What every target file should hold, formatted as `prettier --check` wants it. */
export async function generatedDocs(root, content) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = [];
  for (const target of TARGETS) {
    const file = join(root, target.path);
    let text;
    if (target.whole !== undefined) text = target.whole(content, pkg);
    else {
      text = readFileSync(file, 'utf8');
      for (const [name, render] of Object.entries(target.regions)) {
        try {
          text = fillRegion(text, name, render(content, pkg));
        } catch (e) {
          throw new Error(`${target.path}: ${e.message}`, { cause: e });
        }
      }
    }
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    out.push({ path: target.path, text: await prettier.format(text, options) });
  }
  return out;
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { build } = await import('esbuild');
  const { NODE_BUNDLE } = await import('./esbuild-options.mjs');
  // The renderers import the core's TypeScript: bundle them like the shipped bundles and load the result.
  const bundle = await build({
    ...NODE_BUNDLE,
    entryPoints: [join(root, 'scripts/docs-content.ts')],
    write: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'netsnap-docs-'));
  let content;
  try {
    const file = join(dir, 'docs-content.cjs');
    writeFileSync(file, bundle.outputFiles[0].contents);
    content = await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const { path, text } of await generatedDocs(root, content)) {
    const file = join(root, path);
    let before = '';
    try {
      before = readFileSync(file, 'utf8');
    } catch {
      // a whole generated file may not exist yet
    }
    if (before === text) continue;
    writeFileSync(file, text);
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
