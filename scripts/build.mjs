// Builds every bundle with esbuild: the extension (its entry and main part, see extension-bundles.mjs),
// the CLI, the core library, and the webview (browser). The library's type declarations are
// scripts/build-types.mjs (`npm run build` runs both).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { NODE_BUNDLE } from './esbuild-options.mjs';
import { extensionBuilds } from './extension-bundles.mjs';

const production = process.argv.includes('--production');
const common = { ...NODE_BUNDLE, sourcemap: !production, minify: production };

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
builds.push(...extensionBuilds(common));
if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // The graph's browser bundle is always minified: it is what the panel loads (budget 1.5 MB).
    minify: true,
  });
  builds.push({
    ...common,
    entryPoints: ['webview/webview.css'],
    outfile: 'dist/webview/main.css',
    target: 'chrome120',
  });
}
await Promise.all(builds.map((options) => build(options)));
