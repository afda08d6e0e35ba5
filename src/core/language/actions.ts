// Quick fixes for findings that carry a repair: copy the commands, or run them in a terminal after a
// confirmation that shows them. Commands only ever come from a finding's `fix`, and only commands made of
// the characters iproute2 arguments need (no shell syntax at all) may be sent to a terminal.

import type { Finding, FindingCode } from '../analysis/findings';
import type { SnapshotWorkspace } from './workspace';

/** Names a finding across edits that do not change it (the adapter passes this, never command text). */
export interface FindingRef {
  key: string;
  line: number;
  code: FindingCode;
  node: string;
}

export interface FixAction {
  kind: 'copy' | 'run';
  title: string;
  ref: FindingRef;
  commands: string[];
}

// A word is bare characters, single-quoted runs (anything but a quote, a control or a format
// character) and `\'`, as fixes.ts's shellQuote writes them: the shell reads it as one literal word.
const SAFE_COMMAND =
  /^(?:ip|bridge|sysctl|systemctl|brctl)(?: (?:[A-Za-z0-9_.:/@,+=-]|'[^'\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]*'|\\')+)+$/u;

/** Splits a fix into its commands (one per line). */
export function fixCommands(fix: string): string[] {
  return fix
    .split(/\r?\n/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/**
 * May these commands be typed into a shell as they are? Only iproute2/bridge-style commands whose words
 * are plain or single-quoted as fixes.ts quotes them: no unquoted `;`, `|`, `&`, `$`, double quotes,
 * backticks, redirections or globs, and no control or format character anywhere (not even quoted).
 * Anything else can only be copied.
 */
export function isSafeToRun(commands: readonly string[]): boolean {
  return commands.length > 0 && commands.every((c) => c.length <= 512 && SAFE_COMMAND.test(c));
}

export function refOf(ws: SnapshotWorkspace, f: Finding): FindingRef | undefined {
  const key = ws.keyOf(f.file);
  return key === undefined ? undefined : { key, line: f.line, code: f.code, node: f.node };
}

/** The finding a ref names, in the current analysis (undefined when an edit removed it). */
export function resolveFinding(ws: SnapshotWorkspace, ref: FindingRef): Finding | undefined {
  const source = ws.sourceOf(ref.key);
  if (source === undefined) return undefined;
  return ws
    .analysis()
    .findings.find(
      (f) => f.file === source && f.line === ref.line && f.code === ref.code && f.node === ref.node,
    );
}

/** The quick fixes for the findings on lines `line..endLine` (1-based) of a document. */
export function fixActions(ws: SnapshotWorkspace, key: string, line: number, endLine = line): FixAction[] {
  const out: FixAction[] = [];
  for (const f of ws.findingsIn(key)) {
    if (f.fix === undefined || (f.endLine ?? f.line) < line || f.line > endLine) continue;
    const ref = refOf(ws, f);
    if (ref === undefined) continue;
    const commands = fixCommands(f.fix);
    const what = commands.length === 1 ? `\`${commands[0] ?? ''}\`` : `${commands.length} commands`;
    out.push({ kind: 'copy', title: `Copy fix for ${f.code}: ${what}`, ref, commands });
    if (isSafeToRun(commands))
      out.push({ kind: 'run', title: `Run fix for ${f.code} in a terminal…`, ref, commands });
  }
  return out;
}

/** What the confirmation before running shows: the node the fix is for, and every command verbatim. */
export function runConfirmation(f: Finding): { message: string; detail: string } {
  const commands = fixCommands(f.fix ?? '');
  return {
    message: `Run ${commands.length === 1 ? 'this command' : `these ${commands.length} commands`} in a new terminal? They repair ${f.code} on node ${f.node}: run them only on that node, as root.`,
    detail: commands.join('\n'),
  };
}

/** What running a fix needs from the editor. */
export interface RunFixHost {
  /** Is the workspace trusted? Nothing is started in one that is not. */
  readonly trusted: boolean;
  warn(message: string): void;
  /** A modal confirmation showing `detail`; true only when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Opens a new terminal named `name` and types each command into it. */
  run(name: string, commands: readonly string[]): void;
}

export type RunFixOutcome = 'untrusted' | 'gone' | 'unsafe' | 'cancelled' | 'ran';

export const RUN_FIX_ACTION = 'Run in Terminal';

/**
 * "Run fix in terminal": only in a trusted workspace, only a finding that still exists after the last
 * change, only commands free of shell syntax, and only after a modal confirmation that shows the node
 * and every command verbatim. Then exactly those commands are typed into a new terminal.
 */
export async function runFix(
  ws: SnapshotWorkspace,
  ref: FindingRef | undefined,
  host: RunFixHost,
): Promise<RunFixOutcome> {
  if (!host.trusted) {
    host.warn('netsnap runs repair commands only in a trusted workspace. Copy the fix instead.');
    return 'untrusted';
  }
  const finding = ref === undefined ? undefined : resolveFinding(ws, ref);
  if (finding?.fix === undefined) {
    host.warn('netsnap: that finding is gone after the last change; nothing was run.');
    return 'gone';
  }
  const commands = fixCommands(finding.fix);
  if (!isSafeToRun(commands)) {
    host.warn('netsnap: this fix holds characters a shell would interpret; copy it and check it instead.');
    return 'unsafe';
  }
  const { message, detail } = runConfirmation(finding);
  if (!(await host.confirm(message, detail, RUN_FIX_ACTION))) return 'cancelled';
  host.run(`netsnap fix: ${finding.node}`, commands);
  return 'ran';
}
