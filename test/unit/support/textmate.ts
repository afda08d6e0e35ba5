// A TextMate grammar loaded into the engine VS Code uses (vscode-textmate + the Oniguruma WASM), for
// the grammar tests.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);
let wasmLoaded: Promise<void> | undefined;

export async function loadGrammar(path: string, scopeName: string): Promise<textmate.IGrammar> {
  wasmLoaded ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(
      wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
    );
  })();
  await wasmLoaded;
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (name: string) =>
      name === scopeName ? textmate.parseRawGrammar(readFileSync(path, 'utf8'), path) : null,
  });
  const loaded = await registry.loadGrammar(scopeName);
  if (loaded === null) throw new Error(`grammar ${scopeName} did not load`);
  return loaded;
}
