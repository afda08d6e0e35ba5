// The extension's settings, read fresh each time. Every `getConfiguration` of the extension is here, and
// each setting's default and bounds come from its declaration in package.json (contributes.configuration),
// so the manifest and the code cannot disagree; test/unit/settings.test.ts holds both sides to the same
// list of settings.

import * as vscode from 'vscode';
import { contributes } from '../../package.json';

const CONTRIBUTED = contributes.configuration.properties;

type Contributed = typeof CONTRIBUTED;
/** The settings declared with a numeric default and bounds. */
type NumberKey = {
  [K in keyof Contributed]: Contributed[K] extends { default: number; minimum: number; maximum: number }
    ? K
    : never;
}[keyof Contributed];

/** The value of a setting as the user (or the workspace) set it; undefined when unset. */
function userValue(key: keyof Contributed): unknown {
  return vscode.workspace.getConfiguration().get<unknown>(key);
}

/** A number setting within its declared bounds; its declared default when unset or not a number. */
function numberSetting(key: NumberKey): number {
  const { default: fallback, minimum, maximum } = CONTRIBUTED[key];
  const value = userValue(key);
  return typeof value === 'number' && Number.isFinite(value)
    ? Math.min(maximum, Math.max(minimum, value))
    : fallback;
}

function booleanSetting(key: 'netsnap.showNotes'): boolean {
  const value = userValue(key);
  return typeof value === 'boolean' ? value : CONTRIBUTED[key].default;
}

/** A string setting, trimmed; its declared default when unset, blank or not a string. */
function stringSetting(key: 'netsnap.collect.folder'): string {
  const value = userValue(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : CONTRIBUTED[key].default;
}

export interface Settings {
  debounceMs: number;
  maxFileSizeMB: number;
  showNotes: boolean;
}

export function settings(): Settings {
  return {
    debounceMs: numberSetting('netsnap.debounceMs'),
    maxFileSizeMB: numberSetting('netsnap.maxFileSizeMB'),
    showNotes: booleanSetting('netsnap.showNotes'),
  };
}

export interface CollectSettings {
  /** Where collected snapshots go: relative to the first workspace folder, or absolute (`~` not expanded). */
  folder: string;
  /** How long one host's whole collection may take. */
  timeoutSeconds: number;
}

export function collectSettings(): CollectSettings {
  return {
    folder: stringSetting('netsnap.collect.folder'),
    timeoutSeconds: numberSetting('netsnap.collect.timeoutSeconds'),
  };
}

/** Remote - SSH's `remote.SSH.configFile` (not ours: read, never declared), trimmed; undefined when unset. */
export function remoteSshConfigFile(): string | undefined {
  const value = vscode.workspace.getConfiguration('remote.SSH').get<unknown>('configFile');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
