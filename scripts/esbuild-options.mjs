// The esbuild options every Node bundle of the project shares (scripts/build.mjs, the bench, the tests
// that bundle a piece of the sources on the fly), so that a bundle built for a test is built like the
// shipped one.
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's `main` is a UMD build esbuild cannot follow; its ESM build (`module`) bundles cleanly.
  mainFields: ['module', 'main'],
  // The collector script (src/collect/collector.sh) is shipped inside the bundles as text.
  loader: { '.sh': 'text' },
  logLevel: 'warning',
};
