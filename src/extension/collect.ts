// "Collect from Node…": runs src/collect's collector on this machine, over ssh, or in a network namespace
// (with progress and cancellation) and opens the transcript as a new untitled snapshot. Runs a process,
// so it needs a trusted workspace. With `extensionKind: workspace` "this machine" is the workspace's host
// (the node itself in a Remote-SSH window).

import * as vscode from 'vscode';
import {
  collect,
  describeTarget,
  sshHosts,
  validateNetnsName,
  validateNodeName,
  validateSshHost,
  type CollectTarget,
} from '../collect';

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
  const hosts = await sshHosts().catch(() => []);
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
  return host === undefined ? undefined : { kind: 'ssh', host: host.trim() };
}

async function pickNetns(): Promise<CollectTarget | undefined> {
  const name = await vscode.window.showInputBox({
    title: 'netsnap: collect inside a network namespace',
    prompt: 'The namespace name (as `ip netns list` shows it); needs root.',
    validateInput: check(validateNetnsName),
  });
  return name === undefined ? undefined : { kind: 'netns', name: name.trim() };
}

export async function collectFromNode(): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'netsnap collects from nodes (it runs sh, ssh or ip) only in a trusted workspace.',
    );
    return;
  }
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
        return await collect(target, {
          ...(nodeName.trim() === '' ? {} : { nodeName: nodeName.trim() }),
          signal: abort.signal,
          onProgress: (command) => progress.report({ message: command }),
        });
      } catch (error) {
        void vscode.window.showErrorMessage(
          `netsnap: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (result === undefined) return;
  if (result.text === '') {
    void vscode.window.showErrorMessage(
      `netsnap: nothing was collected from ${describeTarget(target)}: ${result.error ?? 'no output'}`,
    );
    return;
  }
  // A new untitled document: the extension never writes a user's file; saving is the user's choice.
  const doc = await vscode.workspace.openTextDocument({ language: 'netsnap', content: result.text });
  await vscode.window.showTextDocument(doc, { preview: false });
  if (!result.complete)
    void vscode.window.showWarningMessage(
      `netsnap: the snapshot from ${describeTarget(target)} is incomplete: ${result.error ?? 'stopped early'}`,
    );
  else if (result.commands !== undefined && result.commands.failed > 0)
    vscode.window.setStatusBarMessage(
      `netsnap: collected ${result.commands.total} commands from ${result.node ?? describeTarget(target)}, ${result.commands.failed} failed (their errors are in the snapshot)`,
      8000,
    );
}
