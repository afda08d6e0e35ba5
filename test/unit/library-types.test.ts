// The library as a consumer sees it: the declarations the build emits (scripts/build-types.mjs) are laid
// out as an installed package with this package.json, and a small TypeScript program that imports
// `netsnap` must typecheck against them — through package.json's `types`/`exports`, without skipLibCheck —
// while the internals stay out of reach.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTypes } from '../../scripts/build-types.mjs';

const ROOT = join(__dirname, '..', '..');

const CONSUMER = `
import {
  analyze,
  ClusterGraphSource,
  diffSnapshots,
  FINDING_CODES,
  parseSnapshot,
  trace,
  type Finding,
  type FindingCode,
  type GraphModel,
  type HostModel,
  type HostToWebview,
  type Snapshot,
  type SnapshotDiff,
  type TraceResult,
} from 'netsnap';

const snapshot: Snapshot = parseSnapshot('### node a\\n', 'a.netsnap');
const analysis = analyze([snapshot]);
const findings: readonly Finding[] = analysis.findings;
const codes: FindingCode[] = Object.keys(FINDING_CODES) as FindingCode[];
const hosts: readonly HostModel[] = snapshot.nodes;
const path: TraceResult = trace([snapshot], 'a', '10.244.1.2');
const change: SnapshotDiff = diffSnapshots([snapshot], [snapshot]);
const graph: GraphModel = new ClusterGraphSource('', [snapshot], analysis).graph();
const message: HostToWebview = { type: 'error', message: 'x' };
export const used = [findings, codes, hosts, path.delivered, change, graph.nodes, message];

// @ts-expect-error the text is a string: the declarations carry real types, not any
parseSnapshot(42);
`;

/** Internals a consumer must not reach: each import is expected to fail. */
const INTERNALS = ['Ledger', 'readJson', 'buildHosts', 'escapeControls', 'SnapshotWorkspace'];

const dir = mkdtempSync(join(tmpdir(), 'netsnap-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The errors of compiling `files` (name → text) in `dir` with `moduleResolution`. */
function compile(files: Record<string, string>, moduleResolution: 'bundler' | 'node16'): string[] {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
    lib: ['lib.es2022.d.ts'],
    target: ts.ScriptTarget.ES2022,
    ...(moduleResolution === 'bundler'
      ? { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }
      : { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }),
  };
  const program = ts.createProgram(
    Object.keys(files).map((name) => join(dir, name)),
    options,
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file?.fileName.slice(dir.length + 1) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describe('the library declarations', () => {
  it('are emitted without errors and typecheck a consumer through package.json', () => {
    const pkg = join(dir, 'node_modules', 'netsnap');
    mkdirSync(pkg, { recursive: true });
    expect(buildTypes(join(pkg, 'dist'))).toEqual([]);
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    // The package's own dependencies, as an install would put them beside it.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies))
      symlinkSync(join(ROOT, 'node_modules', dependency), join(dir, 'node_modules', dependency), 'dir');

    // One program per resolution: the consumer, and one file per internal it must not reach.
    const internals = Object.fromEntries(
      INTERNALS.map((name) => [
        `internal-${name}.ts`,
        `import { ${name} } from 'netsnap';\nexport const x = ${name};\n`,
      ]),
    );
    expect(compile({ 'consumer.ts': CONSUMER, ...internals }, 'bundler').sort()).toEqual(
      INTERNALS.map(
        (name) => `internal-${name}.ts: Module '"netsnap"' has no exported member '${name}'.`,
      ).sort(),
    );
    expect(compile({ 'consumer.ts': CONSUMER }, 'node16')).toEqual([]);
  }, 180_000);
});
