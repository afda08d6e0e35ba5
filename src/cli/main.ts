// The `netsnap` command. Reads files, runs the core, prints; every failure is a message and an exit code.

import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyze, looksBinary, parseSnapshot } from '../core';
import { formatFindingsText, styleFor } from './format-findings';
import type { Snapshot } from '../core/model/types';
import { formatSnapshotText } from './format-model';

const USAGE = `usage: netsnap <command> [options]

commands:
  parse [--format json|text] FILE...   print the model of each snapshot
  check [--format json|text] FILE...   findings across the snapshots (one cluster); exit 1 on any error

exit status: 0 on success, 1 when check finds an error, 2 on bad usage or unreadable input.`;

/** A failure the user caused or can fix: printed without a stack trace. */
class UsageError extends Error {}

async function loadSnapshot(path: string): Promise<Snapshot> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`${path}: no such file`);
  }
  if (info.isDirectory()) throw new UsageError(`${path}: is a directory (name the .netsnap files in it)`);
  const bytes = await readFile(path);
  if (bytes.length === 0) throw new UsageError(`${path}: the file is empty`);
  const text = bytes.toString('utf8');
  if (looksBinary(text)) throw new UsageError(`${path}: looks like binary data, not a terminal transcript`);
  return parseSnapshot(text, path);
}

/** `--format` and the FILE operands every reading command takes. */
async function readInputs(
  name: string,
  args: string[],
): Promise<{ format: 'json' | 'text'; snapshots: Snapshot[] }> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' } },
  });
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError('--format must be json or text');
  if (positionals.length === 0) throw new UsageError(`${name}: name at least one FILE`);
  return { format: values.format, snapshots: await Promise.all(positionals.map(loadSnapshot)) };
}

async function parseCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { format, snapshots } = await readInputs('parse', args);
  out(format === 'json' ? `${JSON.stringify({ snapshots }, null, 2)}\n` : formatSnapshotText(snapshots));
  return 0;
}

async function checkCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { format, snapshots } = await readInputs('check', args);
  const analysis = analyze(snapshots);
  out(
    format === 'json'
      ? `${JSON.stringify(analysis, null, 2)}\n`
      : formatFindingsText(analysis, styleFor(process.stdout, process.env)),
  );
  return analysis.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export async function main(
  argv: string[],
  out = (t: string) => void process.stdout.write(t),
  err = (t: string) => void process.stderr.write(t),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'parse':
        return await parseCommand(rest, out);
      case 'check':
        return await checkCommand(rest, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      err(
        `netsnap: ${error.message}\n${error instanceof UsageError && error.message.startsWith('unknown') ? `${USAGE}\n` : ''}`,
      );
      return 2;
    }
    err(
      `netsnap: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 70;
  }
}
