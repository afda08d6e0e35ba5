// The `netsnap` command. Reads files, runs the core, prints; every failure is a message and an exit code.

import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, diffSnapshots, looksBinary, parseSnapshot, trace } from '../core';
import { formatDiffText } from './format-diff';
import type { TraceResult } from '../core/analysis/trace';
import { findingsTextChunks, jsonChunks, type Style, styleFor, writeChunked } from './format-findings';
import type { Snapshot } from '../core/model/types';
import { formatSnapshotText } from './format-model';
import { COLLECT_USAGE, collectCommand } from './collect-command';
import { escapeControls, escapeDeep, escapeJsonText } from '../core/util/text';

/** The default of `--max-size`: the extension's `netsnap.maxFileSizeMB` default (package.json). */
const DEFAULT_MAX_MB = 20;

const USAGE = `usage: netsnap <command> [options]

commands:
  parse [--format json|text] FILE...   print the model of each snapshot
  check [--format json|text] FILE...   findings across the snapshots (one cluster); exit 1 on any error;
                                       a FILE may be a folder: every .netsnap in it (and below)
  trace --from NODE|POD --to IP [--format json|text] FILE...
                                       the hops a packet takes, each with its line; exit 1 when it breaks,
                                       2 when --from names no node or pod or --to is not an address
  diff [--format json|text] OLD NEW    entries and findings added and removed; OLD and NEW are each a
                                       .netsnap file or a folder of them (a cluster)
${COLLECT_USAGE}

parse, check, trace and diff read regular files only (UTF-8, or UTF-16 with a byte order mark), each at
most --max-size MB (default ${DEFAULT_MAX_MB}, as the extension's netsnap.maxFileSizeMB).

exit status: 0 on success, 1 when check finds an error or a collection is incomplete, 2 on bad usage
or unreadable input, including a file that holds no snapshot (empty or only blank lines).`;

/** A failure the user caused or can fix: printed without a stack trace. */
class UsageError extends Error {}

/** Options every reading command takes. */
const READ_OPTIONS = {
  format: { type: 'string', default: 'text' },
  'max-size': { type: 'string' },
} as const;

function maxBytes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_MB * 1024 * 1024;
  const mb = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(mb > 0))
    throw new UsageError(`--max-size wants megabytes, not '${value}'`);
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
    throw new UsageError(`${path}: no such file`);
  }
  if (!info.isFile())
    throw new UsageError(`${path}: not a regular file (a device, FIFO or socket is not read)`);
  if (info.size > limit)
    throw new UsageError(`${path}: ${info.size} bytes, larger than --max-size ${limit / 1024 / 1024} MB`);
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: Error) => {
    throw new UsageError(`${path}: cannot open: ${error.message}`);
  });
  try {
    if (!(await handle.stat()).isFile()) throw new UsageError(`${path}: not a regular file`);
    const buffer = Buffer.alloc(Math.min(limit + 1, Math.max(info.size, 64 * 1024) + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) throw new UsageError(`${path}: larger than --max-size ${limit / 1024 / 1024} MB`);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function loadSnapshot(path: string, limit: number): Promise<Snapshot> {
  const bytes = await readBounded(path, limit);
  if (bytes.length === 0) throw new UsageError(`${path}: the file is empty`);
  const text = decodeTranscript(bytes);
  if (looksBinary(text)) throw new UsageError(`${path}: looks like binary data, not a terminal transcript`);
  if (text.trim() === '') throw new UsageError(`${path}: holds only blank lines, no snapshot`);
  return parseSnapshot(text, path);
}

/** `--format` and the FILE operands every reading command takes. */
async function readInputs(
  name: string,
  args: string[],
  extra: Record<string, { type: 'string' }> = {},
): Promise<{ format: 'json' | 'text'; snapshots: Snapshot[]; options: Record<string, string | undefined> }> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...READ_OPTIONS, ...extra },
  });
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError('--format must be json or text');
  if (positionals.length === 0) throw new UsageError(`${name}: name at least one FILE`);
  const options = values as Record<string, string | undefined>;
  for (const key of Object.keys(extra)) {
    if (options[key] === undefined || options[key] === '')
      throw new UsageError(`${name}: --${key} is required`);
  }
  const limit = maxBytes(values['max-size']);
  // Folders too (every .netsnap below), as diff reads them.
  const sets = await Promise.all(positionals.map((p) => loadSet(p, limit)));
  return { format: values.format, snapshots: sets.flat(), options };
}

/** JSON output: the same value, with no character a terminal would act on or hide. */
const json = (value: unknown) => `${escapeJsonText(JSON.stringify(value, null, 2))}\n`;

function formatTraceText(unsafe: TraceResult, s: Style): string {
  // Snapshot text reaches the terminal with every control character escaped (util/text.ts).
  const result = escapeDeep(unsafe);
  const out = [s.bold(`trace ${result.from} → ${result.to}`)];
  result.hops.forEach((hop, i) => {
    const mark = hop.ok ? s.green('ok') : hop.unknown === true ? s.yellow('?') : s.red('BROKEN');
    const where = hop.file === undefined ? '' : s.dim(`  ${hop.file}:${hop.line ?? ''}`);
    out.push(`${String(i + 1).padStart(3)}. [${hop.node}] ${hop.text} ${mark}${where}`);
    if (hop.why !== undefined)
      out.push(`       ${hop.why}${hop.code === undefined ? '' : s.dim(` [${hop.code}]`)}`);
  });
  const unknown = result.hops.at(-1)?.unknown === true;
  out.push(
    result.delivered ? s.green(result.verdict) : unknown ? s.yellow(result.verdict) : s.red(result.verdict),
  );
  return `${out.join('\n')}\n`;
}

async function traceCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { format, snapshots, options } = await readInputs('trace', args, {
    from: { type: 'string' },
    to: { type: 'string' },
  });
  const result = trace(snapshots, options['from'] ?? '', options['to'] ?? '');
  // No first hop: --from names no host or --to is no address. Bad usage, not a broken path.
  if (result.hops.length === 0) throw new UsageError(`trace: ${escapeControls(result.verdict)}`);
  out(format === 'json' ? json(result) : formatTraceText(result, styleFor(process.stdout, process.env)));
  return result.delivered ? 0 : 1;
}

async function parseCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { format, snapshots } = await readInputs('parse', args);
  out(format === 'json' ? json({ snapshots }) : formatSnapshotText(snapshots));
  return 0;
}

/** A file, or every `.netsnap` in a folder (and below): one side of a diff. */
async function loadSet(path: string, limit: number): Promise<Snapshot[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new UsageError(`${path}: no such file or folder`);
  if (!info.isDirectory()) return [await loadSnapshot(path, limit)];
  const files = (await readdir(path, { recursive: true }))
    .filter((f) => f.endsWith('.netsnap'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new UsageError(`${path}: no .netsnap files in this folder`);
  return Promise.all(files.map((f) => loadSnapshot(f, limit)));
}

async function diffCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: READ_OPTIONS,
  });
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError('--format must be json or text');
  if (positionals.length !== 2) throw new UsageError('diff: name OLD and NEW (each a file or a folder)');
  const limit = maxBytes(values['max-size']);
  const [oldSet, newSet] = await Promise.all(positionals.map((p) => loadSet(p, limit)));
  const diff = diffSnapshots(oldSet ?? [], newSet ?? []);
  out(values.format === 'json' ? json(diff) : formatDiffText(diff, styleFor(process.stdout, process.env)));
  return 0;
}

async function checkCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { format, snapshots } = await readInputs('check', args);
  const analysis = analyze(snapshots);
  // Written in pieces as they are formatted: thousands of findings never make one giant string.
  writeChunked(
    format === 'json'
      ? jsonChunks({ ...analysis })
      : findingsTextChunks(analysis, styleFor(process.stdout, process.env)),
    out,
  );
  return analysis.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export async function main(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'parse':
        return await parseCommand(rest, out);
      case 'check':
        return await checkCommand(rest, out);
      case 'trace':
        return await traceCommand(rest, out);
      case 'diff':
        return await diffCommand(rest, out);
      case 'collect':
        return await collectCommand(rest, out, err);
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
        `netsnap: ${escapeControls(error.message)}\n${error instanceof UsageError && error.message.startsWith('unknown') ? `${USAGE}\n` : ''}`,
      );
      return 2;
    }
    err(
      `netsnap: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 70;
  }
}
