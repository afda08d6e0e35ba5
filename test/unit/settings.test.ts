// The extension's settings are read in one module (src/extension/settings.ts) and declared in one place
// (package.json contributes.configuration): every declared setting is read there, every setting read is
// declared, defaults and bounds are the declared ones, and no other module asks VS Code for a setting.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const ROOT = join(__dirname, '..', '..');

interface Declared {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Declared> } };
};
const DECLARED = manifest.contributes.configuration.properties;

/** What the stand-in `vscode` answers (full setting keys), and the keys the module asked for. */
const state = { values: new Map<string, unknown>(), asked: new Set<string>() };

vi.mock('vscode', () => ({
  workspace: {
    getConfiguration: (section?: string) => ({
      get: (key: string, fallback?: unknown) => {
        const setting = section === undefined ? key : `${section}.${key}`;
        state.asked.add(setting);
        return state.values.has(setting) ? state.values.get(setting) : fallback;
      },
    }),
  },
}));

const settingsModule = await import('../../src/extension/settings');

/** Calls every reader the module exports (each takes no argument) and returns what they read. */
function readAll(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(settingsModule))
    if (typeof value === 'function' && value.length === 0) out[name] = (value as () => unknown)();
  return out;
}

beforeEach(() => {
  state.values.clear();
  state.asked.clear();
});

describe('settings', () => {
  it('reads every setting package.json declares, and only those (plus Remote - SSH’s config file)', () => {
    readAll();
    expect([...state.asked].filter((k) => k.startsWith('netsnap.')).sort()).toEqual(
      Object.keys(DECLARED).sort(),
    );
    expect([...state.asked].filter((k) => !k.startsWith('netsnap.'))).toEqual(['remote.SSH.configFile']);
  });

  it('falls back to the declared default when a setting is unset or of the wrong type', () => {
    const defaults = readAll();
    for (const key of Object.keys(DECLARED)) state.values.set(key, { wrong: 'type' });
    expect(readAll()).toEqual(defaults);
    expect(defaults).toEqual({
      settings: {
        debounceMs: DECLARED['netsnap.debounceMs']?.default,
        maxFileSizeMB: DECLARED['netsnap.maxFileSizeMB']?.default,
        showNotes: DECLARED['netsnap.showNotes']?.default,
      },
      collectSettings: {
        folder: DECLARED['netsnap.collect.folder']?.default,
        timeoutSeconds: DECLARED['netsnap.collect.timeoutSeconds']?.default,
      },
      remoteSshConfigFile: undefined,
    });
  });

  it('keeps every number within its declared bounds, and takes a value set within them', () => {
    const numbers = Object.entries(DECLARED).filter(([, d]) => d.type === 'number');
    expect(numbers.length).toBeGreaterThan(0);
    const readNumber = (key: string): unknown => {
      const all = readAll() as {
        settings: Record<string, unknown>;
        collectSettings: Record<string, unknown>;
      };
      const name = key.split('.').at(-1) ?? '';
      return all.settings[name] ?? all.collectSettings[name];
    };
    for (const [key, declared] of numbers) {
      state.values.set(key, -1e9);
      expect(readNumber(key), key).toBe(declared.minimum);
      state.values.set(key, 1e12);
      expect(readNumber(key), key).toBe(declared.maximum);
      state.values.set(key, (declared.minimum ?? 0) + 1);
      expect(readNumber(key), key).toBe((declared.minimum ?? 0) + 1);
    }
  });

  it('takes strings and booleans as set, a blank folder as the default', () => {
    state.values.set('netsnap.showNotes', false);
    state.values.set('netsnap.collect.folder', '  ~/captures ');
    state.values.set('remote.SSH.configFile', ' ~/.ssh/lab ');
    expect(readAll()).toMatchObject({
      settings: { showNotes: false },
      collectSettings: { folder: '~/captures' },
      remoteSshConfigFile: '~/.ssh/lab',
    });
    state.values.set('netsnap.collect.folder', '   ');
    expect(readAll()).toMatchObject({
      collectSettings: { folder: DECLARED['netsnap.collect.folder']?.default },
    });
  });

  it('is the only module of the extension that asks VS Code for a setting', () => {
    const dir = join(ROOT, 'src', 'extension');
    const asking = readdirSync(dir).filter((f) =>
      readFileSync(join(dir, f), 'utf8').includes('getConfiguration'),
    );
    expect(asking).toEqual(['settings.ts']);
  });
});
