// `import text from './x.sh'`: the file's text, inlined at build time (esbuild's `text` loader in
// scripts/build.mjs, the `sh-text` plugin in vitest.config.mts).
declare module '*.sh' {
  const text: string;
  export default text;
}
