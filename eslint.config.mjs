// @ts-check
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import { CORE_LAYERS, MODEL_VOCABULARY } from './scripts/core-layers.mjs';

/**
 * Every Node builtin, as `fs` and as `node:fs`, and anything else under `node:` (builtins newer than the
 * Node running the lint, such as `node:sqlite`).
 */
function noNodeBuiltins(message) {
  const names = builtinModules.flatMap((name) =>
    name.startsWith('node:') ? [name] : [name, `node:${name}`],
  );
  return {
    paths: [...new Set(names)].map((name) => ({ name, message })),
    patterns: [{ regex: '^node:', message }],
  };
}

const CORE_IS_PURE =
  'src/core is pure TypeScript (plain Node and a browser bundle): no Node builtin, no vscode.';

const LAYER_ORDER = CORE_LAYERS.map((layer) => layer.join('|')).join(' → ');

/**
 * The import rules of one folder of `src/core` (`undefined`: the entry files at its root): no Node
 * builtin, no `vscode`, nothing outside the core, and no later layer of CORE_LAYERS nor a peer of its own.
 */
function coreImportRules(folder) {
  const builtins = noNodeBuiltins(CORE_IS_PURE);
  const paths = [...builtins.paths, { name: 'vscode', message: CORE_IS_PURE }];
  const outside = { message: 'src/core imports nothing outside src/core.' };
  if (folder === undefined)
    return ['error', { paths, patterns: [...builtins.patterns, { regex: '^\\.\\.(?:/|$)', ...outside }] }];
  const rank = CORE_LAYERS.findIndex((layer) => layer.includes(folder));
  const later = CORE_LAYERS.flatMap((layer, i) => (i >= rank ? layer.filter((f) => f !== folder) : []));
  const [vocabularyFolder, vocabularyFile] = MODEL_VOCABULARY.split('/');
  const patterns = [
    ...builtins.patterns,
    { regex: '^\\.\\./\\.\\.(?:/|$)', ...outside },
    // The entry (`src/core/index.ts`) re-exports the layers: nothing inside imports it.
    { regex: '^\\.\\.(?:/index)?/?$', message: 'src/core/index.ts is the entry: import the module itself.' },
  ];
  const banned = later.filter((f) => f !== vocabularyFolder);
  if (banned.length > 0)
    patterns.push({
      regex: `^\\.\\./(?:${banned.join('|')})(?:/|$)`,
      message: `Layering (${LAYER_ORDER}): ${folder}/ imports no later layer and no peer.`,
    });
  if (later.includes(vocabularyFolder))
    patterns.push({
      regex: `^\\.\\./${vocabularyFolder}(?:/(?!${vocabularyFile}$)|$)`,
      message: `Layering (${LAYER_ORDER}): ${folder}/ may import the model's vocabulary (${MODEL_VOCABULARY}), not the model.`,
    });
  return ['error', { paths, patterns }];
}

const coreLayerConfigs = [
  { files: ['src/core/*.ts'], rules: { 'no-restricted-imports': coreImportRules(undefined) } },
  ...CORE_LAYERS.flat().map((folder) => ({
    files: [`src/core/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': coreImportRules(folder) },
  })),
  {
    files: [`src/core/${MODEL_VOCABULARY}.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\./util/)',
              message: `${MODEL_VOCABULARY}.ts is the vocabulary under every layer: it imports nothing but util/.`,
            },
          ],
        },
      ],
    },
  },
];

const webviewBuiltins = noNodeBuiltins('The webview runs in a browser: no Node builtin.');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'out/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...coreLayerConfigs,
  {
    // The webview is a browser bundle: from the core it takes only types (the message protocol and the
    // graph model), and nothing from the extension host, the CLI or Node.
    files: ['webview/**/*.ts'],
    rules: {
      // `import { type X }` keeps an import of the module in the bundle; `import type` leaves none.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: webviewBuiltins.paths,
          patterns: [
            ...webviewBuiltins.patterns,
            {
              regex: '^\\.\\./src/core(?:/|$)',
              allowTypeImports: true,
              message:
                'The webview imports only types from src/core (`import type`): its bundle carries no core code.',
            },
            {
              regex: '^\\.\\./src/(?!core(?:/|$))',
              message:
                'The webview talks to the host only through the typed messages of src/core/graph/protocol.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Typed messages (src/core/graph/protocol.ts): a handler that forgets a message type is a lint error,
    // not a message silently dropped. A `default` counts as handling the rest.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
