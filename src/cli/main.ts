// The `netsnap` command. Reads files, runs the core, prints; every failure is a message and an exit code.

import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { looksBinary, parseSnapshot } from '../core';
import type { Snapshot } from '../core/model/types';
import { formatSnapshotText } from './format-model';

const USAGE = `usage: netsnap <command> [options]

commands:
  parse [--format json|text] FILE...   print the model of each snapshot

exit status: 0 on success, 2 on bad usage or unreadable input.`;

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

async function parseCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' } },
  });
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`--format must be json or text`);
  if (positionals.length === 0) throw new UsageError('parse: name at least one FILE');
  const snapshots = await Promise.all(positionals.map(loadSnapshot));
  if (values.format === 'json') {
    out(`${JSON.stringify({ snapshots }, null, 2)}\n`);
  } else {
    out(formatSnapshotText(snapshots));
  }
  return 0;
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
