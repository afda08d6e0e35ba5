// The Problems panel's link from a diagnostic's code to its entry in docs/findings.md: the controller
// (src/extension/controller.ts, bundled like the shipped main part) against a stand-in `vscode` module
// that serves the real example files and the real docs from disk and records what is published.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_BUNDLE } from '../../scripts/esbuild-options.mjs';

const root = join(__dirname, '..', '..');
const examples = join(root, 'examples', 'cluster-vtep-mac-changed');
const dir = mkdtempSync(join(tmpdir(), 'netsnap-ext-diagnostics-'));
const bundle = join(dir, 'controller.js');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class Uri {
  constructor(
    readonly scheme: string,
    readonly path: string,
    readonly fragment = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, join(base.path, ...parts));
  }
  with(change: { fragment?: string }): Uri {
    return new Uri(this.scheme, this.path, change.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.fragment === '' ? '' : `#${this.fragment}`}`;
  }
}

interface Published {
  code: string | { value: string; target: Uri };
  message: string;
}

const disposable = { dispose() {} };
const event = () => disposable;

function fakeVscode(published: Map<string, Published[]>, warnings: string[]) {
  return {
    Uri,
    FileType: { File: 1, Directory: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    Range: class {
      constructor(...args: number[]) {
        Object.assign(this, { args });
      }
    },
    Location: class {
      constructor(
        readonly uri: Uri,
        readonly range: unknown,
      ) {}
    },
    DiagnosticRelatedInformation: class {
      constructor(
        readonly location: unknown,
        readonly message: string,
      ) {}
    },
    Diagnostic: class {
      code: unknown;
      source: unknown;
      constructor(
        readonly range: unknown,
        readonly message: string,
        readonly severity: number,
      ) {}
    },
    EventEmitter: class {
      event = event;
      fire() {}
      dispose() {}
    },
    window: {
      createOutputChannel: () => ({
        info() {},
        error() {},
        warn: (m: string) => warnings.push(m),
        dispose() {},
      }),
      showWarningMessage: async () => undefined,
    },
    commands: {
      // The controller sets context keys (netsnap.loaded) once the first scan ends.
      executeCommand: async () => undefined,
    },
    languages: {
      createDiagnosticCollection: () => ({
        set: (uri: Uri, list: Published[]) => published.set(uri.toString(), list),
        delete: (uri: Uri) => published.delete(uri.toString()),
        forEach: (f: (uri: Uri) => void) => [...published.keys()].forEach((k) => f(new Uri('file', k))),
        dispose() {},
      }),
    },
    workspace: {
      textDocuments: [],
      createFileSystemWatcher: () => ({
        onDidCreate: event,
        onDidChange: event,
        onDidDelete: event,
        dispose() {},
      }),
      onDidOpenTextDocument: event,
      onDidChangeTextDocument: event,
      onDidCloseTextDocument: event,
      onDidChangeConfiguration: event,
      getConfiguration: () => ({ get: <T>(_name: string, fallback: T) => fallback }),
      asRelativePath: (uri: Uri) => relative(join(root, 'examples'), uri.path),
      findFiles: async () =>
        readdirSync(examples)
          .filter((f) => f.endsWith('.netsnap'))
          .map((f) => Uri.file(join(examples, f))),
      fs: {
        stat: async (uri: Uri) => ({ type: 1, size: statSync(uri.path).size }),
        readFile: async (uri: Uri) => new Uint8Array(readFileSync(uri.path)),
      },
    },
  };
}

type ControllerClass = new (extensionUri?: Uri) => { start(): Promise<void>; dispose(): void };

/** Runs the controller over the example cluster, with the extension installed at `extensionRoot`. */
async function publish(extensionRoot: string) {
  const published = new Map<string, Published[]>();
  const warnings: string[] = [];
  const requireHere = createRequire(bundle);
  const Module = requireHere('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = Module._load;
  const vscode = fakeVscode(published, warnings);
  Module._load = (request: string, ...rest: unknown[]) =>
    request === 'vscode' ? vscode : load(request, ...rest);
  try {
    delete requireHere.cache[bundle];
    const { Controller } = requireHere(bundle) as { Controller: ControllerClass };
    const controller = new Controller(Uri.file(extensionRoot));
    await controller.start();
    controller.dispose();
  } finally {
    Module._load = load;
  }
  return { diagnostics: [...published.values()].flat(), warnings };
}

beforeAll(async () => {
  await build({
    ...NODE_BUNDLE,
    entryPoints: [join(root, 'src/extension/controller.ts')],
    outfile: bundle,
    external: ['vscode'],
  });
});

describe('a diagnostic’s code', () => {
  it('links to the line of its section in the packaged docs/findings.md', async () => {
    const { diagnostics, warnings } = await publish(root);
    expect(warnings).toEqual([]);
    const codes = diagnostics.map((d) => (typeof d.code === 'string' ? d.code : d.code.value));
    expect(codes).toContain('neigh-mac-mismatch');
    const page = readFileSync(join(root, 'docs', 'findings.md'), 'utf8').split('\n');
    for (const d of diagnostics) {
      expect(typeof d.code, d.message).toBe('object');
      if (typeof d.code === 'string') continue;
      const { value, target } = d.code;
      expect(target.path).toBe(join(root, 'docs', 'findings.md'));
      const line = Number(/^L(\d+)$/.exec(target.fragment)?.[1]);
      expect(page[line - 1]).toBe(`## \`${value}\``);
    }
  });

  it('stays plain text when the docs are not there, and the log says why', async () => {
    const { diagnostics, warnings } = await publish(join(dir, 'no-such-extension'));
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expect(typeof d.code).toBe('string');
    expect(warnings.join('\n')).toContain('docs/findings.md not read');
  });
});
