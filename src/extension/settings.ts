// The extension's settings (contributed in package.json), read fresh each time.

import * as vscode from 'vscode';

export interface Settings {
  debounceMs: number;
  maxFileSizeMB: number;
  showNotes: boolean;
}

export function settings(): Settings {
  const c = vscode.workspace.getConfiguration('netsnap');
  const number = (name: string, fallback: number, min: number, max: number) => {
    const v = c.get<number>(name, fallback);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  return {
    debounceMs: number('debounceMs', 200, 0, 5000),
    maxFileSizeMB: number('maxFileSizeMB', 20, 1, 500),
    showNotes: c.get<boolean>('showNotes', true) !== false,
  };
}
