// The `netsnap` command. Reads files, runs the core, prints; every failure is a message and an exit code.

import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { version } from '../../package.json';
import { analyze, diffSnapshots, looksBinary, parseSnapshot, trace } from '../core';
import type { Snapshot } from '../core/model/types';
import { escapeControls, escapeJsonText } from '../core/util/text';
import { collectCommand } from './collect-command';
import {
  type CommandName,
  commandHelp,
  DEFAULT_MAX_MB,
  EXIT,
  isCommand,
  mainHelp,
  parseCommandArgs,
  shortUsage,
  UsageError,
} from './commands';
import { jsonChunks, writeChunked } from './format-findings';
import { formatSnapshotText } from './format-model';
import { checkTextChunks, formatDiffText, formatTraceText } from './format-reports';
import { colour, plain, type Style } from './terminal';

/** An input that cannot be read (missing, not a regular file, too large, binary): one line, exit 2. */
class InputError extends Error {}

/** How the text forms are written: colour or not (`colourWanted`), and the terminal's width. */
export interface TerminalOptions {
  colour: boolean;
  columns?: number;
}

function maxBytes(value: string | undefined, command: CommandName): number {
  if (value === undefined) return DEFAULT_MAX_MB * 1024 * 1024;
  const mb = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(mb > 0))
    throw new UsageError(`--max-size wants megabytes, not '${value}'`, command);
  return Math.floor(mb * 1024 * 1024);
}

/** Text of a transcript: UTF-16 (LE or BE) when it starts with a byte order mark, else UTF-8. */
export function decodeTranscript(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads a regular file of at most `limit` bytes. A FIFO, a device (a symlink to /dev/zero) or a socket
 * is refused before it is opened (O_NONBLOCK too, so a FIFO with no writer cannot block the open), and
 * at most limit + 1 bytes are ever read, so a file that grows meanwhile cannot exhaust memory.
 */
async function readBounded(path: string, limit: number): Promise<Buffer> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file`);
  }
  if (!info.isFile())
    throw new InputError(`${path}: not a regular file (a device, FIFO or socket is not read)`);
  if (info.size > limit)
    throw new InputError(`${path}: ${info.size} bytes, larger than --max-size ${limit / 1024 / 1024} MB`);
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: Error) => {
    throw new InputError(`${path}: cannot open: ${error.message}`);
  });
  try {
    if (!(await handle.stat()).isFile()) throw new InputError(`${path}: not a regular file`);
    const buffer = Buffer.alloc(Math.min(limit + 1, Math.max(info.size, 64 * 1024) + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) throw new InputError(`${path}: larger than --max-size ${limit / 1024 / 1024} MB`);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function loadSnapshot(path: string, limit: number): Promise<Snapshot> {
  const bytes = await readBounded(path, limit);
  if (bytes.length === 0) throw new InputError(`${path}: the file is empty`);
  const text = decodeTranscript(bytes);
  if (looksBinary(text)) throw new InputError(`${path}: looks like binary data, not a terminal transcript`);
  if (text.trim() === '') throw new InputError(`${path}: holds only blank lines, no snapshot`);
  return parseSnapshot(text, path);
}

type Write = (text: string) => void;

interface Inputs {
  format: 'json' | 'text';
  /** The snapshots of each operand, in order. */
  sets: Snapshot[][];
  values: Record<string, string | boolean | undefined>;
}

/** Reads a command's options by the table, and its FILE|FOLDER operands (`count` of them, if given). */
async function readInputs(command: CommandName, args: string[], count?: number): Promise<Inputs | 'help'> {
  const { values, positionals, help } = parseCommandArgs(command, args);
  if (help) return 'help';
  if (count !== undefined && positionals.length !== count)
    throw new UsageError('name OLD and NEW (each a file or a folder)', command);
  if (positionals.length === 0) throw new UsageError('name at least one FILE or FOLDER', command);
  const limit = maxBytes(values['max-size'] as string | undefined, command);
  const sets = await Promise.all(positionals.map((p) => loadSet(p, limit)));
  return { format: values['format'] === 'json' ? 'json' : 'text', sets, values };
}

/** JSON output: the same value, with no character a terminal would act on or hide. */
const json = (value: unknown) => `${escapeJsonText(JSON.stringify(value, null, 2))}\n`;

/** A file, or every `.netsnap` in a folder (and below). */
async function loadSet(path: string, limit: number): Promise<Snapshot[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new InputError(`${path}: no such file or folder`);
  if (!info.isDirectory()) return [await loadSnapshot(path, limit)];
  const files = (await readdir(path, { recursive: true }))
    .filter((f) => f.endsWith('.netsnap'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new InputError(`${path}: no .netsnap files in this folder`);
  return Promise.all(files.map((f) => loadSnapshot(f, limit)));
}

async function run(
  command: CommandName,
  args: string[],
  out: Write,
  err: Write,
  tty: TerminalOptions,
): Promise<number> {
  if (command === 'collect') return collectCommand(args, out, err);
  const inputs = await readInputs(command, args, command === 'diff' ? 2 : undefined);
  if (inputs === 'help') {
    out(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  const { format, sets, values } = inputs;
  const snapshots = sets.flat();
  const style: Style = tty.colour ? colour : plain;
  switch (command) {
    case 'parse':
      out(format === 'json' ? json({ snapshots }) : formatSnapshotText(snapshots));
      return EXIT.ok;
    case 'check': {
      const analysis = analyze(snapshots);
      const options = { verbose: values['verbose'] === true, width: tty.columns ?? 80 };
      // Written in pieces as they are formatted: thousands of findings never make one giant string.
      writeChunked(
        format === 'json' ? jsonChunks({ ...analysis }) : checkTextChunks(analysis, style, options),
        out,
      );
      return analysis.findings.some((f) => f.severity === 'error') ? EXIT.found : EXIT.ok;
    }
    case 'trace': {
      const result = trace(snapshots, values['from'] as string, values['to'] as string);
      // No first hop: --from names no host or --to is no address. Bad usage, not a broken path.
      if (result.hops.length === 0) throw new UsageError(result.verdict, command);
      out(format === 'json' ? json(result) : formatTraceText(result, style));
      return result.delivered ? EXIT.ok : EXIT.found;
    }
    case 'diff': {
      const diff = diffSnapshots(sets[0] ?? [], sets[1] ?? []);
      out(format === 'json' ? json(diff) : formatDiffText(diff, style));
      return EXIT.ok;
    }
  }
}

export async function main(
  argv: string[],
  out: Write = (t) => void process.stdout.write(t),
  err: Write = (t) => void process.stderr.write(t),
  tty: TerminalOptions = { colour: false },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      err(`${mainHelp(version)}\n`);
      return EXIT.usage;
    }
    if (command === '--version' || command === '-V') {
      out(`netsnap ${version}\n`);
      return EXIT.ok;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      const topic = rest[0];
      if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command '${topic}'`);
      out(`${topic === undefined ? mainHelp(version) : commandHelp(topic)}\n`);
      return EXIT.ok;
    }
    if (!isCommand(command)) throw new UsageError(`unknown command '${command}'`);
    return await run(command, rest, out, err, tty);
  } catch (error) {
    // Everything netsnap shows of a name or a path is escaped: they come from the user or the snapshot.
    if (error instanceof UsageError) {
      const where = error.command === undefined ? '' : `${error.command}: `;
      err(`netsnap: ${where}${escapeControls(error.message)}\n${shortUsage(error.command)}\n`);
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      err(`netsnap: ${escapeControls(error.message)}\n`);
      return EXIT.usage;
    }
    err(
      `netsnap: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.internal;
  }
}
