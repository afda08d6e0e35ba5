// Builds every bundle with esbuild: the extension (node, cjs, `vscode` external), the CLI, the core
// library, and the webview (browser).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
// jsonc-parser's `main` is a UMD build esbuild cannot follow; its ESM build (`module`) bundles cleanly.
const common = {
  mainFields: ['module', 'main'],
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  target: 'node20',
  // The collector script (src/collect/collector.sh) is shipped inside the bundles as text.
  loader: { '.sh': 'text' },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/cli/index.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  { ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js', platform: 'node', format: 'cjs' },
];
if (existsSync('src/extension/extension.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  });
}
if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}
await Promise.all(builds.map((options) => build(options)));
