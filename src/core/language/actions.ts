// Quick fixes for findings that carry a repair: copy the commands, or run them in a terminal after a
// confirmation that shows them. Commands only ever come from a finding's `fix` (every argument
// shell-quoted, fixes.ts), only commands free of shell syntax may be sent to a terminal, and only to a
// terminal on the machine the finding is about.

import type { Finding, FindingCode } from '../analysis/findings';
import { shellQuote } from '../analysis/fixes';
import type { HostModel } from '../model/types';
import { escapeControls, escapeLines } from '../util/text';
import type { Report } from './reports';
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

/** How a collected snapshot's node was reached (`ssh HOST`, `ip netns exec NAME`), and from which machine. */
export interface RunTransport {
  kind: 'ssh' | 'netns';
  target: string;
  from: string;
}

/**
 * A node reached through a command the user gave (`netsnap collect exec -- kubectl exec -i …`), named
 * by its program's basename. netsnap cannot tell where that command led (a pod, a container, another
 * namespace of this machine), so a fix is never run through it, nor here.
 */
export interface ExecTransport {
  kind: 'exec';
  target: string;
  from: string;
}

export type Transport = RunTransport | ExecTransport;

/** Where a fix may be run from this editor, and why (one sentence for the user). */
export interface RunPlace {
  /** The editor's terminals open on the finding's node: Run may be offered. */
  here: boolean;
  /** Not here, but this machine collected the node through this transport: Run may go through it. */
  through?: RunTransport;
  why: string;
}

/** May Run be offered at all? */
export function canRun(place: RunPlace): boolean {
  return place.here || place.through !== undefined;
}

const PLAIN_NAME = '[A-Za-z0-9_][A-Za-z0-9._-]*';
// What collect.ts records (src/collect/collector.sh, -v): plain names only, none starting with `-`.
const COLLECTED_VIA = new RegExp(
  `^### collected \\S+ by netsnap via (?:ssh ((?:${PLAIN_NAME}@)?${PLAIN_NAME})|netns (${PLAIN_NAME})|exec (${PLAIN_NAME})) from (${PLAIN_NAME})\\s*$`,
);

/**
 * The transport a collected transcript records for `node`: the collector writes `### node NAME` and
 * `### collected DATE by netsnap via ssh HOST from MACHINE` as its first two lines. Only those lines
 * are read, so a line further down (in pasted output) records nothing.
 */
export function collectedVia(text: string, node: string): Transport | undefined {
  const [first, second] = text.slice(0, 600).split('\n', 2);
  if (first?.replace(/\r$/, '').trim() !== `### node ${node}` || second === undefined) return undefined;
  const m = COLLECTED_VIA.exec(second.replace(/\r$/, ''));
  if (m === null) return undefined;
  const from = m[4] ?? '';
  if (m[1] !== undefined) return { kind: 'ssh', target: m[1], from };
  if (m[2] !== undefined) return { kind: 'netns', target: m[2], from };
  return { kind: 'exec', target: m[3] ?? '', from };
}

/** How the transport reads: `ssh root@node7`, `ip netns exec flnode1`. */
function transportWords(t: RunTransport): string {
  return t.kind === 'ssh' ? `ssh ${t.target}` : `ip netns exec ${t.target}`;
}

/**
 * The commands to type for a fix run where the place says: as they are on the node itself; through a
 * transport, each wrapped, every word quoted: `ssh -- HOST 'COMMAND'` (ssh hands the command line to
 * the node's shell, which reads the fix's own quoting), `ip netns exec NAME COMMAND`.
 */
export function commandsFor(place: RunPlace, commands: readonly string[]): string[] {
  const t = place.here ? undefined : place.through;
  if (t === undefined) return [...commands];
  return commands.map((c) =>
    t.kind === 'ssh'
      ? `ssh -- ${shellQuote(t.target)} ${shellQuote(c)}`
      : `ip netns exec ${shellQuote(t.target)} ${c}`,
  );
}

/** A host name as people compare them: case-insensitive, without a trailing dot. */
function normalHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** `flnode1` names `flnode1.example.com` (a short name and its FQDN); two FQDNs must be equal. */
function sameHost(a: string, b: string): boolean {
  const x = normalHost(a);
  const y = normalHost(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  if (x.includes('.') && y.includes('.')) return false;
  return x.split('.')[0] === y.split('.')[0];
}

/**
 * Is the machine this editor's terminals open on the node a finding is about? It compares that
 * machine's host name (`os.hostname()` in the extension host, which runs where the workspace is: on the
 * node itself in a Remote-SSH window) with what the snapshot says of the node: the `hostname` output
 * when it has one (the machine's own word), else the node's name (`### node`, which the collector sets
 * to the host name unless told another). A pod, or a node the workspace no longer has, is never here.
 * Otherwise, when this machine collected the snapshot through ssh or a namespace (`collectedVia`),
 * the fix may run through that same transport; a namespace capture only through it. A snapshot collected through a command (`via exec`) is
 * copy-only: that command may have led into a container or a namespace whose host name is this
 * machine's, so neither the host name nor the transport says where a terminal's commands would land.
 */
export function runPlace(node: HostModel | undefined, terminalHost: string, via?: Transport): RunPlace {
  if (node === undefined) return { here: false, why: 'The snapshot no longer names this node.' };
  if (node.role === 'pod')
    return { here: false, why: `${node.name} is a pod: run its fix inside the pod's network namespace.` };
  if (via?.kind === 'exec')
    return {
      here: false,
      why: `Node ${node.name} was collected through a command (${via.target}), which netsnap does not repeat and which may have led into a container or namespace: copy the commands and run them on ${node.name}, as root.`,
    };
  const recorded = node.hostname?.name ?? node.name;
  const said = node.hostname === undefined ? 'node name' : 'host name';
  // A network namespace shares its machine's host name (`ip netns exec NS hostname` prints the
  // machine's), so for a namespace capture a matching name says nothing: only the transport counts.
  if (via?.kind !== 'netns' && sameHost(recorded, terminalHost))
    return {
      here: true,
      why: `This editor's terminals open on ${terminalHost}, the snapshot's ${said} for node ${node.name}.`,
    };
  // The transport means something only on the machine that used it (its ssh config, its namespaces).
  if (via !== undefined && sameHost(via.from, terminalHost))
    return {
      here: false,
      through: via,
      why: `This machine (${terminalHost}) collected node ${node.name} through ${transportWords(via)}: the commands go the same way.`,
    };
  return {
    here: false,
    why: `This fix is for node ${node.name} (${said} ${recorded}), but this editor's terminals open on ${terminalHost}: copy the commands and run them on ${node.name}, as root.`,
  };
}

/** Where a finding's fix may run from a terminal on `terminalHost`, as the workspace has it now. */
function placeOf(ws: SnapshotWorkspace, f: Finding, terminalHost: string): RunPlace {
  const node = ws.hosts().find((h) => h.host.name === f.node && h.host.file === f.file);
  const text = node === undefined ? undefined : ws.text(node.key);
  return runPlace(node?.host, terminalHost, text === undefined ? undefined : collectedVia(text, f.node));
}

/**
 * The quick fixes for the findings on lines `line..endLine` (1-based) of a document. Run is offered only
 * when `terminalHost` (the machine the editor's terminals open on) is the finding's node.
 */
export function fixActions(
  ws: SnapshotWorkspace,
  key: string,
  line: number,
  endLine = line,
  terminalHost?: string,
): FixAction[] {
  const out: FixAction[] = [];
  for (const f of ws.findingsIn(key)) {
    if (f.fix === undefined || (f.endLine ?? f.line) < line || f.line > endLine) continue;
    const ref = refOf(ws, f);
    if (ref === undefined) continue;
    const commands = fixCommands(f.fix);
    const what = commands.length === 1 ? `\`${commands[0] ?? ''}\`` : `${commands.length} commands`;
    out.push({ kind: 'copy', title: `Copy fix for ${f.code}: ${what}`, ref, commands });
    if (terminalHost !== undefined && isSafeToRun(commands) && canRun(placeOf(ws, f, terminalHost)))
      out.push({ kind: 'run', title: `Run fix for ${f.code} in a terminal…`, ref, commands });
  }
  return out;
}

/** The commands as a read-only document (the editor shows it in a monospace font) beside the question. */
export function fixReport(f: Finding, place: RunPlace): Report {
  const commands = commandsFor(place, fixCommands(f.fix ?? ''));
  const title = `Fix for ${f.code} on ${f.node}`;
  return {
    title: escapeControls(title),
    text: escapeLines(
      [`# ${title}: run as root on ${f.node} only.`, `# ${place.why}`, '', ...commands, ''].join('\n'),
    ),
    links: [],
  };
}

/** What the confirmation shows: the node the fix is for, where it would run, and every command verbatim. */
export function runConfirmation(f: Finding, place: RunPlace): { message: string; detail: string } {
  const commands = commandsFor(place, fixCommands(f.fix ?? ''));
  const these = commands.length === 1 ? 'this command' : `these ${commands.length} commands`;
  const through =
    place.here || place.through === undefined ? '' : ` through ${transportWords(place.through)}`;
  // Names in the question are shown escaped like every other snapshot text (util/text.ts).
  return {
    message: escapeControls(
      canRun(place)
        ? `Run ${these} in a new terminal${through}? They repair ${f.code} on node ${f.node}, as root.`
        : `Copy ${these}? They repair ${f.code} on node ${f.node}; they are not run here.`,
    ),
    detail: escapeLines(`${escapeControls(place.why)}\n\n${commands.join('\n')}`),
  };
}

/** What running a fix needs from the editor. */
export interface RunFixHost {
  /** Is the workspace trusted? Nothing is started in one that is not. */
  readonly trusted: boolean;
  /** The host name of the machine the editor's terminals open on (`os.hostname()` in the extension host). */
  readonly terminalHost: string;
  warn(message: string): void;
  /** Shows the commands as a read-only document. */
  show(report: Report): Promise<void>;
  /**
   * A modal question showing `detail`, with `choices` as its buttons: the first is what Enter picks.
   * Resolves to the chosen one, or undefined when dismissed.
   */
  choose(message: string, detail: string, choices: readonly string[]): Promise<string | undefined>;
  copy(text: string): Promise<void>;
  /** Opens a new terminal named `name` and types each command into it. */
  run(name: string, commands: readonly string[]): void;
}

export type RunFixOutcome = 'untrusted' | 'gone' | 'unsafe' | 'cancelled' | 'copied' | 'ran';

export const COPY_FIX_ACTION = 'Copy Commands';
export const RUN_FIX_ACTION = 'Run in Terminal';

/**
 * "Run fix in terminal": only in a trusted workspace, only a finding that still exists after the last
 * change, and only commands free of shell syntax. The commands are shown in a document and a modal asks
 * what to do. Run is a choice only when this editor's terminals open on the finding's node (runPlace),
 * and never the default: Enter copies. Then exactly those commands are typed into a new terminal.
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
  const place = placeOf(ws, finding, host.terminalHost);
  await host.show(fixReport(finding, place));
  const { message, detail } = runConfirmation(finding, place);
  const choice = await host.choose(
    message,
    detail,
    canRun(place) ? [COPY_FIX_ACTION, RUN_FIX_ACTION] : [COPY_FIX_ACTION],
  );
  if (choice === COPY_FIX_ACTION) {
    await host.copy(`${commands.join('\n')}\n`);
    return 'copied';
  }
  if (choice !== RUN_FIX_ACTION || !canRun(place)) return 'cancelled';
  host.run(escapeControls(`netsnap fix: ${finding.node}`), commandsFor(place, commands));
  return 'ran';
}
