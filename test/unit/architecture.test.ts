// The architecture the lint keeps (eslint.config.mjs): each rule is run through ESLint's own API on a small
// source that breaks it and on one that keeps it, so a rule that stops firing, or fires on what is allowed,
// fails here. The layer order itself is scripts/core-layers.mjs.

import { ESLint } from 'eslint';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_LAYERS, MODEL_VOCABULARY } from '../../scripts/core-layers.mjs';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, 'eslint.config.mjs');

/** The import rules need no type information: the type-aware parser stays off for speed. */
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/switch-exhaustiveness-check': 'off' },
  },
});

const IMPORT_RULES = new Set([
  'no-restricted-imports',
  '@typescript-eslint/no-restricted-imports',
  '@typescript-eslint/no-import-type-side-effects',
]);

/** The lines of `source` (as the file `path` of the repository) that an import rule rejects. */
async function rejectedLines(path: string, source: string): Promise<number[]> {
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, path) });
  const messages = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal === true)).toEqual([]);
  const lines = messages.filter((m) => IMPORT_RULES.has(m.ruleId ?? '')).map((m) => m.line);
  return [...new Set(lines)];
}

/** One side-effect import a line: line n imports specifiers[n - 1]. */
function importLines(specifiers: readonly string[]): string {
  return specifiers.map((s) => `import '${s}';\n`).join('');
}

const folders = CORE_LAYERS.flat();
const rankOf = (folder: string): number => CORE_LAYERS.findIndex((layer) => layer.includes(folder));

describe('src/core layers', () => {
  // The first lint loads the config and its plugins.
  beforeAll(() => rejectedLines('src/core/util/probe.ts', ''), 60_000);

  it('puts every folder of src/core in exactly one layer, one level deep', () => {
    const entries = readdirSync(join(ROOT, 'src', 'core'), { withFileTypes: true });
    const present = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    expect([...present].sort()).toEqual([...folders].sort());
    expect(new Set(folders).size).toBe(folders.length);
    for (const folder of present) {
      const nested = readdirSync(join(ROOT, 'src', 'core', folder), { withFileTypes: true });
      expect(nested.filter((e) => e.isDirectory()).map((e) => `${folder}/${e.name}`)).toEqual([]);
    }
  });

  it.each(folders)(
    'lets %s/ import its own and earlier layers, never a later one or a peer',
    async (folder) => {
      const targets = folders.filter((f) => f !== folder);
      const specifiers = [`./sibling`, ...targets.map((t) => `../${t}/x`), ...targets.map((t) => `../${t}`)];
      const rejected = await rejectedLines(`src/core/${folder}/probe.ts`, importLines(specifiers));
      const expected = specifiers.flatMap((s, i) => {
        const target = /^\.\.\/([^/]+)/.exec(s)?.[1];
        return target !== undefined && rankOf(target) >= rankOf(folder) ? [i + 1] : [];
      });
      expect(rejected).toEqual(expected);
    },
  );

  it(`lets every layer import the model's vocabulary (${MODEL_VOCABULARY}), only the model import the model`, async () => {
    for (const folder of folders) {
      const rejected = await rejectedLines(
        `src/core/${folder}/probe.ts`,
        importLines([`../${MODEL_VOCABULARY}`, '../model/build']),
      );
      expect(rejected, folder).toEqual(rankOf(folder) < rankOf('model') ? [2] : []);
    }
  });

  it(`keeps ${MODEL_VOCABULARY}.ts free of every import but util/`, async () => {
    const specifiers = ['../util/ip', './build', '../parsers/parser', 'jsonc-parser', 'fs'];
    expect(await rejectedLines(`src/core/${MODEL_VOCABULARY}.ts`, importLines(specifiers))).toEqual([
      2, 3, 4, 5,
    ]);
  });

  it('keeps the core from importing its own entry or anything outside src/core', async () => {
    for (const folder of folders) {
      const specifiers = ['..', '../index', '../../extension/ids', '../../../package.json', 'yaml'];
      expect(await rejectedLines(`src/core/${folder}/probe.ts`, importLines(specifiers)), folder).toEqual([
        1, 2, 3, 4,
      ]);
    }
    const entry = ['./pipeline/parse', '../cli/main', '../collect'];
    expect(await rejectedLines('src/core/probe.ts', importLines(entry))).toEqual([2, 3]);
  });
});

describe('the core and the webview run without Node', () => {
  const names = builtinModules.filter((name) => !name.startsWith('node:'));
  const forms = [...names, ...names.map((name) => `node:${name}`), 'node:sqlite', 'node:test'];

  it.each(['src/core/probe.ts', ...folders.map((f) => `src/core/${f}/probe.ts`), 'webview/probe.ts'])(
    '%s: every Node builtin, bare and node:, is rejected',
    async (path) => {
      const rejected = await rejectedLines(path, importLines(forms));
      expect(rejected).toEqual(forms.map((_, i) => i + 1));
    },
  );

  it('keeps vscode out of every part of the core', async () => {
    for (const path of ['src/core/probe.ts', ...folders.map((f) => `src/core/${f}/probe.ts`)])
      expect(
        await rejectedLines(path, `import * as vscode from 'vscode';\nexport const v = vscode;\n`),
        path,
      ).toEqual([1]);
  });

  it('lets the webview take only types from the core, and nothing from the host side', async () => {
    const source = [
      `import type { HostToWebview } from '../src/core/graph/protocol';`,
      `import { type GraphModel } from '../src/core/graph/types';`,
      `import { buildClusterGraph } from '../src/core/graph';`,
      `import { parseSnapshot } from '../src/core';`,
      `import type { Settings } from '../src/extension/settings';`,
      `import cytoscape from 'cytoscape';`,
      `export type T = [HostToWebview, GraphModel, Settings];`,
      `export const used = [buildClusterGraph, parseSnapshot, cytoscape];`,
    ].join('\n');
    expect(await rejectedLines('webview/probe.ts', source)).toEqual([2, 3, 4, 5]);
  });
});

describe('typed messages', () => {
  // A small project of its own (the probes and the protocol they import): type-aware linting of the whole
  // repository would cost a minute.
  const dir = mkdtempSync(join(tmpdir(), 'netsnap-lint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a switch over a message union that misses a message type, on both sides', async () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          noEmit: true,
        },
        include: ['webview', 'src'],
      }),
    );
    const protocol = join(ROOT, 'src', 'core', 'graph', 'protocol');
    const probe = (union: string, cases: readonly string[]): string =>
      `import type { ${union} } from '${protocol}';\n` +
      `export function handle(m: ${union}): number {\n  switch (m.type) {\n` +
      cases.map((c) => `    case '${c}':\n      return 1;\n`).join('') +
      `  }\n  return 0;\n}\n`;
    const files: Record<string, string> = {
      'webview/missing.ts': probe('HostToWebview', ['graph', 'select', 'tunnels', 'trace']),
      'webview/complete.ts': probe('HostToWebview', ['graph', 'select', 'tunnels', 'trace', 'error']),
      'src/extension/missing.ts': probe('WebviewToHost', [
        'ready',
        'reveal',
        'open',
        'selectNode',
        'trace',
        'export',
      ]),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const typed = new ESLint({
      cwd: dir,
      overrideConfigFile: CONFIG,
      overrideConfig: { languageOptions: { parserOptions: { tsconfigRootDir: dir } } },
    });
    const results = await typed.lintFiles(Object.keys(files).map((p) => join(dir, p)));
    const reports = Object.fromEntries(
      results.map((r) => [
        r.filePath.slice(dir.length + 1),
        r.messages.map((m) => (m.ruleId === null ? `fatal: ${m.message}` : `${m.ruleId}: ${m.message}`)),
      ]),
    );
    expect(reports).toEqual({
      'webview/missing.ts': [
        '@typescript-eslint/switch-exhaustiveness-check: Switch is not exhaustive. Cases not matched: "error"',
      ],
      'webview/complete.ts': [],
      'src/extension/missing.ts': [
        '@typescript-eslint/switch-exhaustiveness-check: Switch is not exhaustive. Cases not matched: "rendered"',
      ],
    });
  }, 120_000);
});
