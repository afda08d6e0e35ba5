// `netsnap collect local|ssh HOST|netns NAME [-o FILE] [--node NAME] [--ssh-config FILE] [--timeout S]`,
// or `netsnap collect exec [options] -- CMD [ARG…]` (a command that runs `sh -s` on the node): a snapshot
// from a node, streamed to stdout or to a new file (never over an existing one). What
// arrived is kept even when the collection fails or is interrupted (Ctrl-C), ending with a
// `### netsnap: incomplete (<reason>)` line; the exit status is then 1.

import { closeSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  collect,
  CollectInputError,
  type CollectOptions,
  type CollectTarget,
  describeTarget,
  resolveOptions,
} from '../collect';
import { escapeControls } from '../core/util/text';
import { commandHelp, parseCommandArgs, UsageError } from './commands';

const EXEC_EXAMPLE = 'netsnap collect exec -- kubectl exec -i -n kube-flannel POD -- sh -s';

/** A usage error of collect. */
const usage = (message: string) => new UsageError(message, 'collect');

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function seconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw usage(`--${name} wants seconds, not '${value}'`);
  return n;
}

function readTarget(
  positionals: string[],
  sshConfig: string | undefined,
  command: string[] | undefined,
): CollectTarget {
  const [kind, name, ...extra] = positionals;
  if (kind === 'exec') {
    if (positionals.length > 1)
      throw usage(`unexpected '${positionals.slice(1).join(' ')}' (the command goes after --)`);
    if (sshConfig !== undefined) throw usage('--ssh-config goes with ssh');
    if (command === undefined || command.length === 0)
      throw usage(`collect exec: put the command after --, e.g. ${EXEC_EXAMPLE}`);
    return { kind: 'exec', argv: command };
  }
  // Only exec takes a command: elsewhere what follows `--` is the host or namespace, as before.
  if (command !== undefined) return readTarget([...positionals, ...command], sshConfig, undefined);
  if (extra.length > 0) throw usage(`unexpected '${extra.join(' ')}'`);
  if (kind === 'local') {
    if (name !== undefined) throw usage(`'collect local' takes no name (got '${name}')`);
    if (sshConfig !== undefined) throw usage('--ssh-config goes with ssh');
    return { kind: 'local' };
  }
  if (kind === 'ssh') {
    if (name === undefined) throw usage('name the ssh HOST');
    if (sshConfig === undefined) return { kind: 'ssh', host: name };
    let file = false;
    try {
      file = statSync(sshConfig).isFile();
    } catch {
      // reported below
    }
    if (!file) throw usage(`--ssh-config ${sshConfig}: no such file`);
    return { kind: 'ssh', host: name, sshConfig: resolve(sshConfig) };
  }
  if (kind === 'netns') {
    if (name === undefined) throw usage('name the network namespace');
    if (sshConfig !== undefined) throw usage('--ssh-config goes with ssh');
    return { kind: 'netns', name };
  }
  throw usage(
    kind === undefined ? 'say where: local, ssh HOST, netns NAME or exec -- CMD' : `unknown target '${kind}'`,
  );
}

export async function collectCommand(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  // `-oBatchMode=no` is ssh's option syntax: parseArgs would take `BatchMode=no` as the output file.
  const end = args.indexOf('--');
  const own = end === -1 ? args : args.slice(0, end);
  const glued = own.find((a) => a.startsWith('-o') && a.length > 2);
  if (glued !== undefined)
    throw usage(
      `'${glued}' looks like an ssh option (collect takes none: put it in an ssh config and pass --ssh-config FILE); to save to a file write -o FILE`,
    );
  // Everything after the first `--` is an operand: the host or namespace, or exec's command, whose
  // own options (`-i`, `--`) are never read as netsnap's.
  const { values: read, positionals, help } = parseCommandArgs('collect', own);
  if (help) {
    out(`${commandHelp('collect')}\n`);
    return 0;
  }
  const values = read as Record<string, string | undefined>;
  const target = readTarget(positionals, values['ssh-config'], end === -1 ? undefined : args.slice(end + 1));
  const options: CollectOptions = {};
  if (values['node'] !== undefined) options.nodeName = values['node'];
  const timeout = seconds('timeout', values['timeout']);
  if (timeout !== undefined) options.timeoutMs = Math.round(timeout * 1000);
  const perCommand = seconds('command-timeout', values['command-timeout']);
  if (perCommand !== undefined) options.perCommandTimeoutS = Math.ceil(perCommand);
  const maxBytes = values['max-bytes'];
  if (maxBytes !== undefined) {
    if (!/^\d+$/.test(maxBytes)) throw usage(`--max-bytes wants a number, not '${maxBytes}'`);
    options.maxOutputBytes = Number(maxBytes);
  }
  if (values['root'] !== undefined) options.fsRoot = values['root'];
  const outputPath = values['output'];
  // A file name never starts with `-`: that is an option in the wrong place.
  if (outputPath !== undefined && (outputPath === '' || outputPath.startsWith('-')))
    throw usage(
      `-o wants a file name, not '${outputPath}' (for a file whose name starts with '-', write ./${outputPath})`,
    );
  // Every name and number is checked before a file is created or a process started.
  try {
    resolveOptions(target, options);
  } catch (error) {
    if (error instanceof CollectInputError) throw usage(error.message);
    throw error;
  }

  const where = describeTarget(target);
  let fd: number | undefined;
  if (outputPath !== undefined) {
    try {
      fd = openSync(outputPath, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      err(
        code === 'EEXIST' && isDirectory(outputPath)
          ? `netsnap: collect: ${outputPath} is a directory (-o wants a new file name, e.g. ${join(outputPath, 'node.netsnap')})\n`
          : code === 'EEXIST'
            ? `netsnap: collect: ${outputPath} already exists (collect never overwrites a file: choose another name)\n`
            : `netsnap: collect: cannot create ${outputPath}: ${(error as Error).message}\n`,
      );
      return 2;
    }
  }
  const decoder = new StringDecoder('utf8');
  const write = (chunk: Uint8Array): void => {
    if (fd !== undefined) writeSync(fd, chunk);
    else out(decoder.write(Buffer.from(chunk)));
  };

  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let result;
  try {
    result = await collect(target, {
      ...options,
      signal: controller.signal,
      onData: write,
      // Progress, the node's name and ssh's messages come from the node: shown escaped (util/text.ts).
      onProgress: (command) => err(`netsnap: ${where}: running ${escapeControls(command)}\n`),
    });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  if (result.appended !== '') write(Buffer.from(result.appended));
  if (fd === undefined) {
    const rest = decoder.end();
    if (rest !== '') out(rest);
  } else {
    closeSync(fd);
  }
  if (fd !== undefined && result.received === 0 && outputPath !== undefined) unlinkSync(outputPath);

  const saved = outputPath === undefined ? '' : ` to ${outputPath}`;
  if (result.complete) {
    const c = result.commands;
    const summary =
      c === undefined ? '' : `: ${c.total} commands, ${c.failed} failed${c.cut > 0 ? `, ${c.cut} cut` : ''}`;
    err(`netsnap: collected ${escapeControls(result.node ?? 'the node')} from ${where}${saved}${summary}\n`);
    return 0;
  }
  const kept =
    result.received === 0
      ? 'nothing was received'
      : outputPath === undefined
        ? 'the partial snapshot was printed'
        : `the partial snapshot is in ${outputPath}`;
  err(`netsnap: collect ${where} failed: ${escapeControls(result.error ?? 'incomplete')} (${kept})\n`);
  return 1;
}
