// `npm run test:vscode`: the extension-host suites in a desktop VS Code, through @vscode/test-electron.
// It needs a VS Code binary named by VSCODE_EXECUTABLE (test-electron would otherwise download one, which
// CI — offline, with no desktop VS Code — cannot do). Not part of `npm test`; CI runs the same extension
// in code-server instead (the e2e tier).
//
//   VSCODE_EXECUTABLE=/usr/share/code/code npm run test:vscode
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const executable = process.env.VSCODE_EXECUTABLE;
if (executable === undefined || executable === '') {
  console.log(
    'VS Code extension-host tests NOT RUN: set VSCODE_EXECUTABLE to a desktop VS Code binary to run them.\n' +
      'Why: @vscode/test-electron would have to download VS Code, and this machine (like CI) has no internet and no\n' +
      'desktop VS Code. The same extension is tested in a real VS Code workbench by the e2e tier (code-server).',
  );
  process.exit(0);
}

const { runTests } = await import('@vscode/test-electron');
const out = join(repo, 'out', 'test', 'vscode');
await build({
  entryPoints: [join(repo, 'test', 'vscode', 'suite', 'index.ts')],
  outfile: join(out, 'suite.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'warning',
});

// The suites open and edit (never save) copies of the examples, in a profile of their own.
const scratch = mkdtempSync(join(tmpdir(), 'netsnap-vscode-'));
const workspace = join(scratch, 'workspace');
cpSync(join(repo, 'examples', 'cluster-vtep-mac-changed'), workspace, { recursive: true });
try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(out, 'suite.js'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${join(scratch, 'user-data')}`,
    ],
    extensionTestsEnv: { NETSNAP_TEST_WORKSPACE: workspace },
  });
} catch (error) {
  console.error(
    `VS Code extension-host tests FAILED: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
