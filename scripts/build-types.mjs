// Emits the library's type declarations with the TypeScript compiler, from tsconfig.core.json: the
// declarations of every module src/core/index.ts reaches go to OUT/types/, and OUT/core.d.ts (beside the
// dist/core.js bundle, where package.json's `types` points) re-exports the entry's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Writes the declarations into `outDir` (default dist/) and returns the compiler's errors, formatted; an
 * empty list means the declarations are complete.
 */
export function buildTypes(outDir = join(ROOT, 'dist')) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.core.json'), {}, host);
  if (config === undefined) return ['tsconfig.core.json could not be read'];
  const typesDir = join(outDir, 'types');
  const program = ts.createProgram(config.fileNames, { ...config.options, declarationDir: typesDir });
  const emitted = program.emit();
  // The sources are typechecked by \`npm run typecheck\`: here only what stops the declarations.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...emitted.diagnostics,
  ];
  const errors = diagnostics.map((d) =>
    ts.formatDiagnostic(d, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => '\n',
    }),
  );
  mkdirSync(outDir, { recursive: true });
  const entry = relative(outDir, join(typesDir, 'index')).replaceAll('\\', '/');
  writeFileSync(
    join(outDir, 'core.d.ts'),
    `// The types of core.js (see types/).\nexport * from './${entry}';\n`,
  );
  return errors;
}

// `node scripts/build-types.mjs` (part of `npm run build`): into dist/, failing on any error.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const errors = buildTypes();
  if (errors.length > 0) {
    process.stderr.write(errors.join(''));
    process.exit(1);
  }
}
