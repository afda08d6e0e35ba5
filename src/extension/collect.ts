// "Collect from Node…" and "Collect from All Hosts…": run src/collect's collector on this machine, over
// ssh, in a network namespace, or through a command the user types (`kubectl exec -i … -- sh -s`: split
// into words without a shell, shown back before it runs, the recent ones remembered) — with progress
// naming the command running, and cancellation — and save each transcript as a new `.netsnap` file
// under `netsnap.collect.folder` with a timestamped name — never overwriting a file (names are chosen
// among the folder's entries and written with `wx`). Partial transcripts (marked `### netsnap:
// incomplete (…)`) are saved too. Runs processes, so both commands need a trusted workspace. With `extensionKind: workspace` "this machine" is the workspace's host (the node
// itself in a Remote-SSH window).

import { mkdir, readdir, rmdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import {
  clusterFolderName,
  collect,
  describeTarget,
  formatCommandLine,
  programName,
  runBounded,
  snapshotFileName,
  splitCommandLine,
  sshHosts,
  validateNetnsName,
  validateNodeName,
  validateSshHost,
  type CollectResult,
  type CollectTarget,
} from '../collect';
// What the node sent (ssh's and the script's stderr) is shown with control characters escaped.
import { escapeControls } from '../core/util/text';
import { RECENT_COMMANDS_KEY, recentCommands, recentLabel, rememberCommand } from './recent-commands';
import { collectSettings as readCollectSettings, remoteSshConfigFile } from './settings';

/** Hosts collected from at once by "Collect from All Hosts…". */
const PARALLEL = 4;

interface CollectSettings {
  /** Absolute folder for snapshots, or undefined when there is no workspace folder. */
  folder: string | undefined;
  timeoutMs: number;
  /** `remote.SSH.configFile`, `~` expanded; undefined for ssh's default. */
  sshConfig: string | undefined;
}

function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

/** The collect settings, resolved: the folder against the first workspace folder, `~` expanded. */
function collectSettings(): CollectSettings {
  const read = readCollectSettings();
  const relative = expandHome(read.folder);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const folder = isAbsolute(relative)
    ? relative
    : root !== undefined && root.scheme === 'file'
      ? join(root.fsPath, relative)
      : undefined;
  const configFile = remoteSshConfigFile();
  return {
    folder,
    timeoutMs: Math.round(read.timeoutSeconds * 1000),
    sshConfig: configFile === undefined ? undefined : expandHome(configFile),
  };
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Writes `text` as a new file `<node>-<timestamp>.netsnap` in `dir` (created if needed); its path. */
async function saveSnapshot(dir: string, node: string, text: string, date: Date): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 100; attempt++) {
    const path = join(dir, snapshotFileName(node, date, await entries(dir)));
    try {
      await writeFile(path, text, { encoding: 'utf8', flag: 'wx' });
      return path;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      // Another writer took the name between readdir and open: choose again.
    }
  }
  throw new Error(`could not find a free file name in ${dir}`);
}

/** Creates a new `cluster-<timestamp>` folder in `parent`; its path. */
async function makeClusterFolder(parent: string, date: Date): Promise<string> {
  await mkdir(parent, { recursive: true });
  for (let attempt = 0; attempt < 100; attempt++) {
    const path = join(parent, clusterFolderName(date, await entries(parent)));
    try {
      await mkdir(path);
      return path;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
  throw new Error(`could not find a free folder name in ${parent}`);
}

/** The name a target's file gets when the transcript names no node. */
function fallbackNode(target: CollectTarget): string {
  switch (target.kind) {
    case 'ssh':
      return target.host;
    case 'netns':
      return target.name;
    case 'exec':
      return programName(target.argv[0] ?? '');
    case 'local':
      return 'local';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(
    'netsnap collects from nodes (it runs sh, ssh, ip or the command you give) only in a trusted workspace.',
  );
  return false;
}

/** A validator for an input box: the collector's own message, or null when the name is fine. */
function check(validate: (value: string) => string): (value: string) => string | null {
  return (value) => {
    try {
      validate(value.trim());
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
}

type TargetItem = vscode.QuickPickItem & { pick: () => Promise<CollectTarget | undefined> };

async function pickSshHost(): Promise<CollectTarget | undefined> {
  const { sshConfig } = collectSettings();
  const hosts = await sshHosts(sshConfig).catch(() => []);
  const other = { label: '$(edit) Another host…', description: '[user@]host' };
  const items = [
    ...hosts.map((h) => ({
      label: h.name,
      description: [h.user === undefined ? '' : `${h.user}@`, h.hostName ?? ''].join(''),
      detail: `${h.file}:${h.line}`,
    })),
    other,
  ];
  const chosen =
    hosts.length === 0
      ? other
      : await vscode.window.showQuickPick(items, { placeHolder: 'Which host of ~/.ssh/config?' });
  if (chosen === undefined) return undefined;
  const host =
    chosen === other
      ? await vscode.window.showInputBox({
          title: 'netsnap: collect over ssh',
          prompt:
            'The node as ssh knows it ([user@]host); ssh runs in batch mode, so a key or agent must log in.',
          validateInput: check(validateSshHost),
        })
      : chosen.label;
  if (host === undefined) return undefined;
  return sshConfig === undefined
    ? { kind: 'ssh', host: host.trim() }
    : { kind: 'ssh', host: host.trim(), sshConfig };
}

async function pickNetns(): Promise<CollectTarget | undefined> {
  const name = await vscode.window.showInputBox({
    title: 'netsnap: collect inside a network namespace',
    prompt: 'The namespace name (as `ip netns list` shows it); needs root.',
    validateInput: check(validateNetnsName),
  });
  return name === undefined ? undefined : { kind: 'netns', name: name.trim() };
}

const EXEC_EXAMPLE = 'kubectl exec -i -n kube-flannel POD -c kube-flannel -- sh -s';

/** The words a command line runs as, shown back (no shell) while it is typed; an error stops Enter. */
function showCommand(value: string): vscode.InputBoxValidationMessage | null {
  if (value.trim() === '') return null;
  try {
    const argv = splitCommandLine(value);
    return {
      message: `Runs ${argv.length} word${argv.length === 1 ? '' : 's'}, without a shell: ${formatCommandLine(argv)}`,
      severity: vscode.InputBoxValidationSeverity.Info,
    };
  } catch (error) {
    return { message: message(error), severity: vscode.InputBoxValidationSeverity.Error };
  }
}

async function pickCommand(state: vscode.Memento | undefined): Promise<CollectTarget | undefined> {
  const recent = recentCommands(state?.get<unknown>(RECENT_COMMANDS_KEY));
  const other = { label: '$(edit) Another command…', description: EXEC_EXAMPLE, line: '' };
  const chosen =
    recent.length === 0
      ? other
      : await vscode.window.showQuickPick(
          [...recent.map((line) => ({ label: recentLabel(line), line })), other],
          { placeHolder: 'Collect through which command? (most recent first; you can edit it next)' },
        );
  if (chosen === undefined) return undefined;
  const line = await vscode.window.showInputBox({
    title: 'netsnap: collect through a command',
    prompt:
      'A command that runs sh -s on the node and passes it netsnap’s input (kubectl exec -i, kubectl debug node/N -i … -- chroot /host sh -s, docker exec -i N sh -s, vagrant ssh N -c "sudo sh -s"). It runs as typed, without a shell.',
    placeHolder: EXEC_EXAMPLE,
    value: chosen.line,
    ignoreFocusOut: true,
    validateInput: showCommand,
  });
  if (line === undefined || line.trim() === '') return undefined;
  let argv: string[];
  try {
    argv = splitCommandLine(line);
  } catch (error) {
    void vscode.window.showErrorMessage(`netsnap: ${message(error)}`);
    return undefined;
  }
  await state?.update(RECENT_COMMANDS_KEY, rememberCommand(state.get<unknown>(RECENT_COMMANDS_KEY), line));
  return { kind: 'exec', argv };
}

export async function collectFromNode(log?: vscode.LogOutputChannel, state?: vscode.Memento): Promise<void> {
  if (!requireTrust()) return;
  const targets: TargetItem[] = [
    {
      label: '$(vm) This machine',
      description:
        vscode.env.remoteName === undefined ? 'local' : `the ${vscode.env.remoteName} host of this window`,
      pick: () => Promise.resolve({ kind: 'local' }),
    },
    { label: '$(remote) A node over SSH…', description: 'ssh HOST sh -s', pick: pickSshHost },
    {
      label: '$(symbol-namespace) A network namespace…',
      description: 'ip netns exec NAME sh -s',
      pick: pickNetns,
    },
    {
      label: '$(terminal) Through a command…',
      description: 'kubectl exec -i …, docker exec -i …: any command that runs sh -s on the node',
      pick: () => pickCommand(state),
    },
  ];
  const choice = await vscode.window.showQuickPick(targets, {
    placeHolder: 'netsnap: collect a snapshot from…',
  });
  const target = await choice?.pick();
  if (target === undefined) return;
  const nodeName = await vscode.window.showInputBox({
    title: `netsnap: collect from ${describeTarget(target)}`,
    prompt: 'Node name for the snapshot (empty: the node’s own hostname)',
    validateInput: (value) => (value.trim() === '' ? null : check(validateNodeName)(value)),
  });
  if (nodeName === undefined) return;

  const settings = collectSettings();
  const started = new Date();
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `netsnap: collecting from ${describeTarget(target)}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: 'starting…' });
        return await collect(target, {
          ...(nodeName.trim() === '' ? {} : { nodeName: nodeName.trim() }),
          timeoutMs: settings.timeoutMs,
          signal: abort.signal,
          onProgress: (command) => progress.report({ message: command }),
        });
      } catch (error) {
        void vscode.window.showErrorMessage(`netsnap: ${message(error)}`);
        return undefined;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (result === undefined) return;
  if (result.text === '') {
    void vscode.window.showErrorMessage(
      `netsnap: nothing was collected from ${describeTarget(target)}: ${escapeControls(result.error ?? 'no output')}`,
    );
    return;
  }
  const node = result.node ?? (nodeName.trim() || fallbackNode(target));
  let doc: vscode.TextDocument;
  if (settings.folder === undefined) {
    // No folder to save into (no workspace folder and a relative setting): an untitled document.
    doc = await vscode.workspace.openTextDocument({ language: 'netsnap', content: result.text });
  } else {
    let path: string;
    try {
      path = await saveSnapshot(settings.folder, node, result.text, started);
    } catch (error) {
      void vscode.window.showErrorMessage(`netsnap: could not save the snapshot: ${message(error)}`);
      doc = await vscode.workspace.openTextDocument({ language: 'netsnap', content: result.text });
      await vscode.window.showTextDocument(doc, { preview: false });
      return;
    }
    log?.info(
      `collect: ${describeTarget(target)} → ${path}${result.complete ? '' : ` (incomplete: ${escapeControls(result.error ?? '')})`}`,
    );
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  }
  await vscode.window.showTextDocument(doc, { preview: false });
  if (!result.complete)
    void vscode.window.showWarningMessage(
      `netsnap: the snapshot from ${describeTarget(target)} is incomplete (saved as far as it got): ${escapeControls(result.error ?? 'stopped early')}`,
    );
  else if (result.commands !== undefined && result.commands.failed > 0)
    vscode.window.setStatusBarMessage(
      `netsnap: collected ${result.commands.total} commands from ${node}, ${result.commands.failed} failed (their errors are in the snapshot)`,
      8000,
    );
}

type HostItem = vscode.QuickPickItem & { target: CollectTarget };

interface HostOutcome {
  target: CollectTarget;
  result?: CollectResult;
  path?: string;
  error?: string;
}

export async function collectFromAllHosts(log?: vscode.LogOutputChannel): Promise<void> {
  if (!requireTrust()) return;
  const settings = collectSettings();
  if (settings.folder === undefined) {
    void vscode.window.showErrorMessage(
      'netsnap: Collect from All Hosts saves into a folder of the workspace: open a folder first (or set netsnap.collect.folder to an absolute path).',
    );
    return;
  }
  const hosts = await sshHosts(settings.sshConfig).catch(() => []);
  const items: HostItem[] = [
    {
      label: '$(vm) This machine',
      description:
        vscode.env.remoteName === undefined ? 'local' : `the ${vscode.env.remoteName} host of this window`,
      target: { kind: 'local' },
    },
    ...hosts.map((h): HostItem => ({
      label: h.name,
      description: [h.user === undefined ? '' : `${h.user}@`, h.hostName ?? ''].join(''),
      detail: `${h.file}:${h.line}`,
      target:
        settings.sshConfig === undefined
          ? { kind: 'ssh', host: h.name }
          : { kind: 'ssh', host: h.name, sshConfig: settings.sshConfig },
    })),
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    placeHolder:
      hosts.length === 0
        ? 'No hosts in the ssh config: only this machine'
        : `Collect from which hosts? (${PARALLEL} at a time)`,
  });
  if (chosen === undefined || chosen.length === 0) return;
  const targets = chosen.map((c) => c.target);
  const started = new Date();
  let cluster: string;
  try {
    cluster = await makeClusterFolder(settings.folder, started);
  } catch (error) {
    void vscode.window.showErrorMessage(`netsnap: could not create the cluster folder: ${message(error)}`);
    return;
  }

  const outcomes = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `netsnap: collecting from ${targets.length} host${targets.length === 1 ? '' : 's'}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      let done = 0;
      let failed = 0;
      const running = new Map<string, string>();
      const report = () => {
        const now = [...running].map(([host, command]) => `${host}: ${command}`).join(', ');
        progress.report({
          message: `${done}/${targets.length} done${failed === 0 ? '' : `, ${failed} failed`}${now === '' ? '' : ` — ${now}`}`,
        });
      };
      report();
      try {
        const settled = await runBounded(targets, PARALLEL, async (target): Promise<HostOutcome> => {
          const name = describeTarget(target);
          running.set(name, 'connecting…');
          report();
          const outcome: HostOutcome = { target };
          try {
            const result = await collect(target, {
              timeoutMs: settings.timeoutMs,
              signal: abort.signal,
              onProgress: (command) => {
                running.set(name, command);
                report();
              },
            });
            outcome.result = result;
            if (!result.complete) outcome.error = result.error ?? 'incomplete';
            if (result.text !== '')
              outcome.path = await saveSnapshot(
                cluster,
                result.node ?? fallbackNode(target),
                result.text,
                started,
              );
          } catch (error) {
            outcome.error = message(error);
          } finally {
            running.delete(name);
            done++;
            if (outcome.error !== undefined) failed++;
            report();
          }
          return outcome;
        });
        return settled.map((s, i): HostOutcome =>
          s.ok ? s.value : { target: targets[i] as CollectTarget, error: message(s.error) },
        );
      } finally {
        subscription.dispose();
      }
    },
  );

  const ok = outcomes.filter((o) => o.error === undefined);
  const bad = outcomes.filter((o) => o.error !== undefined);
  for (const o of outcomes)
    log?.info(
      `collect: ${describeTarget(o.target)} → ${o.path ?? '(nothing saved)'}${o.error === undefined ? '' : ` (failed: ${escapeControls(o.error)})`}`,
    );
  const saved = outcomes.filter((o) => o.path !== undefined).length;
  if (saved === 0) await rmdir(cluster).catch(() => undefined); // nothing arrived: no empty folder left
  const folderName = vscode.workspace.asRelativePath(cluster);
  if (bad.length === 0) {
    void vscode.window.showInformationMessage(
      `netsnap: collected ${ok.length} snapshot${ok.length === 1 ? '' : 's'} into ${folderName}.`,
    );
  } else {
    const reasons = bad
      .map(
        (o) =>
          `${describeTarget(o.target)}: ${escapeControls(o.error ?? '')}${o.path === undefined ? '' : ' (partial file kept)'}`,
      )
      .join('; ');
    void vscode.window.showWarningMessage(
      `netsnap: ${ok.length} of ${outcomes.length} hosts collected into ${folderName} (${saved} file${saved === 1 ? '' : 's'} saved); failed: ${reasons}`,
    );
  }
  const first = outcomes.find((o) => o.path !== undefined)?.path;
  if (first !== undefined)
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(first)), {
      preview: false,
    });
}
