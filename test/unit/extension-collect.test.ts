// "Collect from Node… → Through a command…" as the extension runs it: src/extension/collect.ts bundled
// like the shipped main part, against a stand-in `vscode` module that answers the quick picks and input
// boxes as a user would, and a real collection through `sh -c 'exec sh -s'`. Also the remembered
// commands (globalState) and how a hostile one is shown.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_BUNDLE } from '../../scripts/esbuild-options.mjs';
import {
  RECENT_COMMANDS_KEY,
  RECENT_COMMANDS_MAX,
  recentCommands,
  recentLabel,
  rememberCommand,
} from '../../src/extension/recent-commands';
import { processesRunning } from './support/processes';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'netsnap-ext-collect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('remembered commands', () => {
  it('most recent first, no repeats, at most a handful; anything stored that is not a command is dropped', () => {
    let list = rememberCommand(undefined, 'kubectl exec -i a -- sh -s');
    list = rememberCommand(list, '  docker exec -i n1 sh -s ');
    list = rememberCommand(list, 'kubectl exec -i a -- sh -s');
    expect(list).toEqual(['kubectl exec -i a -- sh -s', 'docker exec -i n1 sh -s']);
    for (let i = 0; i < 20; i++) list = rememberCommand(list, `sh -c 'exit ${i}'`);
    expect(list).toHaveLength(RECENT_COMMANDS_MAX);
    expect(list[0]).toBe("sh -c 'exit 19'");
    expect(recentCommands({ 0: 'x' })).toEqual([]);
    expect(recentCommands(['a', 3, null, '', '  ', 'a', 'x'.repeat(40_000), 'b'])).toEqual(['a', 'b']);
  });

  it('are shown with control characters and icon syntax written out', () => {
    expect(recentLabel('printf \u001b]0;pwned\u0007 x\ny \u202e')).toBe(
      'printf \\x1b]0;pwned\\x07 x\\ny \\u202e',
    );
    expect(recentLabel("sh -c '$(zap) $(x~spin)' \\$(kept)")).toBe("sh -c '\\$(zap) \\$(x~spin)' \\$(kept)");
  });
});

interface Answers {
  trusted?: boolean;
  /** Picks an item of each quick pick (by its items), or undefined to dismiss it. */
  pick: (items: { label: string }[], placeHolder: string) => { label: string } | undefined;
  /** Answers each input box; `validate` is its validateInput. */
  input: (
    options: { title?: string; value?: string },
    validate?: (v: string) => unknown,
  ) => string | undefined;
  /** Cancels the progress notification after this many ms. */
  cancelAfterMs?: number;
}

interface Seen {
  messages: string[];
  shown: string[];
  quickPicks: string[][];
  progress: string[];
}

function fakeVscode(answers: Answers, seen: Seen, folder: string) {
  const message = (kind: string) => (text: string) => {
    seen.messages.push(`${kind}: ${text}`);
    return Promise.resolve(undefined);
  };
  return {
    ProgressLocation: { Notification: 15 },
    InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
    Uri: { file: (fsPath: string) => ({ scheme: 'file', fsPath }) },
    env: { remoteName: undefined },
    workspace: {
      isTrusted: answers.trusted ?? true,
      workspaceFolders: undefined,
      getConfiguration: (section?: string) => ({
        get: (key: string, fallback?: unknown) => {
          const setting = section === undefined ? key : `${section}.${key}`;
          return setting === 'netsnap.collect.folder'
            ? folder
            : setting === 'netsnap.collect.timeoutSeconds'
              ? 20
              : fallback;
        },
      }),
      openTextDocument: (what: unknown) => Promise.resolve({ what }),
      asRelativePath: (p: string) => p,
    },
    window: {
      showQuickPick: (items: { label: string }[], options: { placeHolder: string }) => {
        seen.quickPicks.push(items.map((i) => i.label));
        return Promise.resolve(answers.pick(items, options.placeHolder));
      },
      showInputBox: (options: { title?: string; value?: string; validateInput?: (v: string) => unknown }) =>
        Promise.resolve(answers.input(options, options.validateInput)),
      withProgress: async (
        _options: unknown,
        task: (
          progress: { report(v: { message?: string }): void },
          token: { onCancellationRequested(l: () => void): { dispose(): void } },
        ) => Promise<unknown>,
      ) => {
        const listeners: (() => void)[] = [];
        const timer =
          answers.cancelAfterMs === undefined
            ? undefined
            : setTimeout(() => listeners.forEach((l) => l()), answers.cancelAfterMs);
        try {
          return await task(
            { report: (v) => seen.progress.push(v.message ?? '') },
            { onCancellationRequested: (l) => (listeners.push(l), { dispose() {} }) },
          );
        } finally {
          clearTimeout(timer);
        }
      },
      showTextDocument: (doc: { what: { fsPath?: string } }) => {
        seen.shown.push(doc.what.fsPath ?? '(untitled)');
        return Promise.resolve();
      },
      showErrorMessage: message('error'),
      showWarningMessage: message('warning'),
      showInformationMessage: message('info'),
      setStatusBarMessage: (text: string) => seen.messages.push(`status: ${text}`),
    },
  };
}

type CollectFromNode = (log?: unknown, state?: unknown) => Promise<void>;

describe('Collect from Node → Through a command…', { timeout: 60_000 }, () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = join(dir, 'collect.js');
    await build({
      ...NODE_BUNDLE,
      absWorkingDir: root,
      entryPoints: [join(root, 'src', 'extension', 'collect.ts')],
      outfile: bundle,
      external: ['vscode'],
    });
  });

  /** Runs the command against the stand-in; `state` is the globalState's content. */
  async function run(answers: Answers, state: Map<string, unknown>, folder: string): Promise<Seen> {
    const seen: Seen = { messages: [], shown: [], quickPicks: [], progress: [] };
    const vscode = fakeVscode(answers, seen, folder);
    const requireHere = createRequire(bundle);
    const Module = requireHere('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = Module._load;
    Module._load = (request: string, ...rest: unknown[]) =>
      request === 'vscode' ? vscode : load(request, ...rest);
    try {
      delete requireHere.cache[bundle];
      const { collectFromNode } = requireHere(bundle) as { collectFromNode: CollectFromNode };
      const memento = {
        get: (key: string) => state.get(key),
        update: (key: string, value: unknown) => (state.set(key, value), Promise.resolve()),
      };
      await collectFromNode(undefined, memento);
    } finally {
      Module._load = load;
    }
    return seen;
  }

  const through = (items: { label: string }[]) => items.find((i) => i.label.includes('Through a command'));

  it('shows the words back, runs them without a shell, saves the snapshot and remembers the line', async () => {
    const folder = join(dir, 'snapshots');
    const state = new Map<string, unknown>();
    const validations: unknown[] = [];
    const line = `sh -c 'exec sh -s'`;
    const seen = await run(
      {
        pick: through,
        input: (options, validate) => {
          if (options.title === 'netsnap: collect through a command') {
            expect(options.value).toBe('');
            validations.push(validate?.('kubectl exec -i pod -- sh -s | tee x'), validate?.(line));
            return line;
          }
          return 'n1';
        },
      },
      state,
      folder,
    );
    expect(validations).toEqual([
      {
        message:
          "'|' at character 30: netsnap runs the command without a shell (put it in single quotes to pass it as it is, or run sh -c '…' yourself)",
        severity: 3,
      },
      { message: "Runs 3 words, without a shell: sh -c 'exec sh -s'", severity: 1 },
    ]);
    expect(seen.quickPicks[0]).toContain('$(terminal) Through a command…');
    // No remembered command yet: straight to the input box, no second list.
    expect(seen.quickPicks).toHaveLength(1);
    expect(seen.progress).toContain('ip -d link');
    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^n1-\d{8}-\d{6}\.netsnap$/);
    const text = readFileSync(join(folder, files[0] ?? ''), 'utf8');
    expect(text).toMatch(/^### node n1\n### collected \S+ by netsnap via exec sh from \S+\n/);
    expect(text).toMatch(/### end of netsnap collection: /);
    expect(seen.shown).toEqual([join(folder, files[0] ?? '')]);
    expect(seen.messages.filter((m) => !m.startsWith('status:'))).toEqual([]);
    expect(state.get(RECENT_COMMANDS_KEY)).toEqual([line]);
  });

  it('offers the remembered commands, escaped, and puts the chosen one back in the box to edit', async () => {
    const hostile = "printf '\u001b]0;pwned\u0007' '$(zap)'";
    const state = new Map<string, unknown>([[RECENT_COMMANDS_KEY, [hostile, 'sh -s', 42]]]);
    const boxes: (string | undefined)[] = [];
    const seen = await run(
      {
        pick: (items) => (items.length > 3 ? through(items) : items[0]),
        input: (options) => {
          boxes.push(options.value);
          // Dismissing the node name box: nothing runs.
          return options.title === 'netsnap: collect through a command' ? options.value : undefined;
        },
      },
      state,
      join(dir, 'unused'),
    );
    expect(seen.quickPicks[1]).toEqual([
      "printf '\\x1b]0;pwned\\x07' '\\$(zap)'",
      'sh -s',
      '$(edit) Another command…',
    ]);
    expect(boxes[0]).toBe(hostile);
    expect(seen.progress).toEqual([]);
    expect(state.get(RECENT_COMMANDS_KEY)).toEqual([hostile, 'sh -s']);
  });

  it('cancelling stops a command that never reads its stdin, and says nothing was collected', async () => {
    const state = new Map<string, unknown>();
    const seen = await run(
      {
        pick: through,
        input: (options) => (options.title === 'netsnap: collect through a command' ? 'sleep 3929' : ''),
        cancelAfterMs: 300,
      },
      state,
      join(dir, 'cancelled'),
    );
    expect(seen.messages).toEqual(['error: netsnap: nothing was collected from exec sleep: cancelled']);
    expect(processesRunning(['sleep', '3929'])).toEqual([]);
  });

  it('runs nothing in an untrusted workspace', async () => {
    const marker = join(dir, 'ran');
    const seen = await run(
      {
        trusted: false,
        pick: through,
        input: () => `touch ${marker}`,
      },
      new Map(),
      join(dir, 'untrusted'),
    );
    expect(seen.quickPicks).toEqual([]);
    expect(seen.messages).toEqual([
      'warning: netsnap collects from nodes (it runs sh, ssh, ip or the command you give) only in a trusted workspace.',
    ]);
    expect(existsSync(marker)).toBe(false);
  });
});
