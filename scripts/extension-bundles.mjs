// The VS Code extension's two bundles, for scripts/build.mjs and the bench: the entry dist/extension.js
// (package.json `main`: registers everything through thin proxies, so that activation is cheap) and
// dist/extension-main.js (the core, the controller and the adapters), which the entry loads with
// `import('./main')` after activation returns. Both are CommonJS with `vscode` external.
import { existsSync } from 'node:fs';

export const ENTRY = 'src/extension/extension.ts';
export const MAIN = 'src/extension/main.ts';

/** Keeps the entry's `import('./main')` a run-time require of the second bundle. */
const mainBundleExternal = {
  name: 'netsnap-extension-main',
  setup(build) {
    build.onResolve({ filter: /^\.\/main$/ }, (args) =>
      args.importer.endsWith('extension.ts') ? { path: './extension-main.js', external: true } : undefined,
    );
  },
};

/** esbuild options for both bundles (none when the extension's sources are absent). */
export function extensionBuilds(common) {
  if (!existsSync(ENTRY)) return [];
  const node = { ...common, platform: 'node', format: 'cjs', external: ['vscode'] };
  return [
    {
      ...node,
      entryPoints: [ENTRY],
      outfile: 'dist/extension.js',
      plugins: [mainBundleExternal],
      // `import()` becomes `require()`: the main part loads as CommonJS, like the entry, so that the
      // extension host's `vscode` module reaches it the same way.
      supported: { 'dynamic-import': false },
    },
    { ...node, entryPoints: [MAIN], outfile: 'dist/extension-main.js' },
  ];
}
