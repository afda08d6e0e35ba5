// The command lines "Collect from Node… → Through a command…" remembers (the extension's globalState),
// most recent first. What is stored is read back defensively (it outlives versions and may be edited by
// hand), and shown with control characters and icon syntax escaped. No `vscode` import: unit-tested.

import { escapeControls } from '../core/util/text';

export const RECENT_COMMANDS_KEY = 'netsnap.collect.recentCommands';
/** How many command lines are remembered. */
export const RECENT_COMMANDS_MAX = 8;
/** A longer stored line is dropped (the collector refuses a command this long anyway). */
const LINE_MAX = 32 * 1024;

/** The remembered command lines: strings only, not blank, not too long, no repeats, at most the max. */
export function recentCommands(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  const out: string[] = [];
  for (const item of stored as unknown[]) {
    if (out.length === RECENT_COMMANDS_MAX) break;
    if (typeof item !== 'string' || item.trim() === '' || item.length > LINE_MAX) continue;
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

/** The list after `line` was run: it first, any earlier copy of it dropped, the oldest beyond the max. */
export function rememberCommand(stored: unknown, line: string): string[] {
  const trimmed = line.trim();
  return recentCommands([trimmed, ...recentCommands(stored).filter((l) => l !== trimmed)]);
}

// VS Code draws `$(name)` in a quick pick's label as an icon; `\$(name)` as the text itself.
const ICON = /(\\)?\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/** A remembered line as a quick pick shows it: every control character and icon written out. */
export function recentLabel(line: string): string {
  return escapeControls(line).replace(ICON, (match: string, escaped?: string) =>
    escaped === undefined ? `\\${match}` : match,
  );
}
