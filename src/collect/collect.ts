// Collecting a snapshot from a node: the collector script (collector.sh) sent on stdin to `sh -s`
// locally, over ssh, or inside a network namespace — one process, one round trip. Progress comes back
// on stderr; cancellation closes stdin (the script stops its commands when it sees that) and then
// kills the process group. Whatever arrived is kept: an unfinished transcript ends with a
// `### netsnap: incomplete (<reason>)` line, which netsnap's splitter reads as metadata.
//
// Every process is started with an argument array (never a shell command line built from input), and
// every name is validated before anything starts (validate.ts).

import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { COLLECTOR_SCRIPT } from './script';
import {
  CollectInputError,
  validateFsRoot,
  validateNetnsName,
  validateNodeName,
  validatePositiveInteger,
  validateSshHost,
} from './validate';

export type CollectTarget =
  { kind: 'local' } | { kind: 'ssh'; host: string; sshConfig?: string } | { kind: 'netns'; name: string };

export interface CollectOptions {
  /** The node's name in the transcript: default the namespace for `netns`, else the node's hostname. */
  nodeName?: string;
  /** The whole collection, connection included (default 60 000). */
  timeoutMs?: number;
  /** Each command on the node (default 10, at most the whole timeout). */
  perCommandTimeoutS?: number;
  /** Each command's output is cut after this many bytes (default 4 MiB); the cut is noted. */
  maxOutputBytes?: number;
  /** ssh `ConnectTimeout` (default 10 s, at most half the whole timeout). */
  connectTimeoutS?: number;
  /** Read the node's files below this directory (e.g. `/host` in a `kubectl debug node` pod). */
  fsRoot?: string;
  /**
   * The machine collecting, as recorded for an ssh or netns target (`### collected … via ssh HOST from
   * MACHINE`): the editor offers to run a fix through the same transport only from that machine.
   * Default this machine's host name; a name with other than letters, digits, `.`, `_`, `-` records none.
   */
  collectedOn?: string;
  /** The command the node is running now, as the script reports it. */
  onProgress?: (command: string) => void;
  /** The transcript's bytes as they arrive (to stream them to a file). */
  onData?: (chunk: Uint8Array) => void;
  signal?: AbortSignal;
  /** Environment of the process started on this machine (`sh`, `ssh` or `ip`); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface CollectResult {
  target: CollectTarget;
  /** The transcript: everything received, plus `appended`. Empty when nothing arrived. */
  text: string;
  /** What netsnap added after the received bytes (the incomplete note), '' when complete. */
  appended: string;
  /** Bytes received from the node. */
  received: number;
  /** The whole transcript arrived, ending with the script's end line. */
  complete: boolean;
  /** Why it is incomplete: one sentence for the user. */
  error?: string;
  /** The node named by the transcript's `### node` header. */
  node?: string;
  /** Commands the script ran and how many failed (from its end line), when it got that far. */
  commands?: { total: number; failed: number; cut: number };
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** stderr that was not progress (ssh's own messages, the script's complaints), last lines only. */
  stderr: string;
  durationMs: number;
}

export const DEFAULTS = {
  timeoutMs: 60_000,
  perCommandTimeoutS: 10,
  maxOutputBytes: 4 * 1024 * 1024,
  connectTimeoutS: 10,
} as const;

/** How long the script gets to stop by itself after stdin closes, and then after SIGTERM. */
const GRACE_MS = 1000;
const KILL_AFTER_MS = 2000;
const STDERR_KEEP = 40;

interface Resolved {
  nodeName?: string;
  timeoutMs: number;
  perCommandTimeoutS: number;
  maxOutputBytes: number;
  connectTimeoutS: number;
  fsRoot?: string;
  /** `ssh:HOST:MACHINE` or `netns:NAME:MACHINE`: how the node was reached, and from where. */
  via?: string;
}

/** Checks the target and options; throws CollectInputError (nothing has started). */
export function resolveOptions(target: CollectTarget, options: CollectOptions = {}): Resolved {
  if (target.kind === 'ssh') {
    validateSshHost(target.host);
    if (target.sshConfig !== undefined && target.sshConfig === '')
      throw new CollectInputError('the ssh config file name is empty');
  } else if (target.kind === 'netns') {
    validateNetnsName(target.name);
  } else if (target.kind !== 'local') {
    throw new CollectInputError(`unknown target kind ${JSON.stringify((target as { kind: unknown }).kind)}`);
  }
  const timeoutMs = validatePositiveInteger(
    'the timeout (ms)',
    options.timeoutMs ?? DEFAULTS.timeoutMs,
    86_400_000,
  );
  const wholeS = Math.max(1, Math.ceil(timeoutMs / 1000));
  const resolved: Resolved = {
    timeoutMs,
    perCommandTimeoutS: Math.min(
      validatePositiveInteger(
        'the per-command timeout (s)',
        options.perCommandTimeoutS ?? DEFAULTS.perCommandTimeoutS,
        86_400,
      ),
      wholeS,
    ),
    maxOutputBytes: validatePositiveInteger(
      'the output limit (bytes)',
      options.maxOutputBytes ?? DEFAULTS.maxOutputBytes,
      1 << 30,
    ),
    // Connecting gets at most half the whole time, so that ssh's own message says what went wrong.
    connectTimeoutS: Math.min(
      validatePositiveInteger(
        'the connect timeout (s)',
        options.connectTimeoutS ?? DEFAULTS.connectTimeoutS,
        3600,
      ),
      Math.max(1, Math.floor(wholeS / 2)),
    ),
  };
  const node = options.nodeName ?? (target.kind === 'netns' ? target.name : undefined);
  if (node !== undefined) resolved.nodeName = validateNodeName(node);
  if (options.fsRoot !== undefined) resolved.fsRoot = validateFsRoot(options.fsRoot);
  const on = options.collectedOn ?? hostname();
  // Plain names only: the script prints it, and over ssh the remote shell reads it as one word.
  if (target.kind !== 'local' && /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(on))
    resolved.via = `${target.kind}:${target.kind === 'ssh' ? target.host : target.name}:${on}`;
  return resolved;
}

/** The process to start: the program and its arguments (the script goes to its stdin). */
export function collectorCommand(
  target: CollectTarget,
  options: CollectOptions = {},
): { file: string; args: string[] } {
  const o = resolveOptions(target, options);
  const script = ['sh', '-s', '--', '-w', '-m', String(o.maxOutputBytes), '-t', String(o.perCommandTimeoutS)];
  if (o.fsRoot !== undefined) script.push('-r', o.fsRoot);
  if (o.via !== undefined) script.push('-v', o.via);
  if (o.nodeName !== undefined) script.push(o.nodeName);
  switch (target.kind) {
    case 'local':
      return { file: 'sh', args: script.slice(1) };
    case 'netns':
      return { file: 'ip', args: ['netns', 'exec', target.name, ...script] };
    case 'ssh': {
      const args = [
        '-o',
        'BatchMode=yes',
        '-o',
        `ConnectTimeout=${o.connectTimeoutS}`,
        // Never become a multiplexing master that outlives this collection.
        '-o',
        'ControlMaster=no',
        '-T',
        '-x',
        '-a',
      ];
      if (target.sshConfig !== undefined) args.push('-F', target.sshConfig);
      return { file: 'ssh', args: [...args, '--', target.host, ...script] };
    }
  }
}

/** How the target reads in messages: `ssh flnode2`, `netns flnode1`, `local`. */
export function describeTarget(target: CollectTarget): string {
  return target.kind === 'local'
    ? 'local'
    : target.kind === 'ssh'
      ? `ssh ${target.host}`
      : `netns ${target.name}`;
}

const PROGRESS = /^netsnap: running (.*)$/;
const END = /^### end of netsnap collection: (\d+) commands, (\d+) failed, (\d+) cut\s*$/m;

function lastLines(lines: readonly string[], n = 3): string {
  return lines
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('; ');
}

function failureReason(
  target: CollectTarget,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: readonly string[],
  received: number,
): string {
  const said = lastLines(stderr);
  if (target.kind === 'ssh' && code === 255) {
    const what = received === 0 ? 'could not connect or log in' : 'the connection failed';
    return `ssh to ${target.host}: ${what}${said === '' ? '' : `: ${said}`}`;
  }
  if (signal !== null) return `the collector was stopped by ${signal}${said === '' ? '' : `: ${said}`}`;
  if (code !== 0) return `the collector exited with status ${String(code)}${said === '' ? '' : `: ${said}`}`;
  return 'the transcript ended before the collector finished';
}

/**
 * Collects a snapshot from a node. Resolves with whatever arrived (never rejects for a failure on the
 * node or the connection: see `complete` and `error`); rejects with CollectInputError before starting
 * anything when the target or an option is unacceptable.
 */
export function collect(target: CollectTarget, options: CollectOptions = {}): Promise<CollectResult> {
  let command: { file: string; args: string[] };
  let resolved: Resolved;
  try {
    resolved = resolveOptions(target, options);
    command = collectorCommand(target, options);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const started = Date.now();
  return new Promise((resolve) => {
    // What arrived so far, handed to finish() whichever way the run ends.
    const got: Received = { chunks: [], received: 0, stderrLines: [], started, target };
    const { chunks, stderrLines } = got;
    let stderrPartial = '';
    let stopReason: string | undefined;
    let spawnError: Error | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    if (options.signal?.aborted === true) {
      resolve(finish(null, null, 'cancelled before it started', got));
      return;
    }

    let child: ChildProcess;
    try {
      // Its own process group, so that stopping it reaches everything it started.
      child = spawn(command.file, command.args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        env: options.env ?? process.env,
      });
    } catch (error) {
      resolve(finish(null, null, `could not start ${command.file}: ${String(error)}`, got));
      return;
    }

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          // already gone
        }
      }
    };

    const stop = (reason: string): void => {
      if (stopReason !== undefined || settled) return;
      stopReason = reason;
      // The script (-w) stops its commands when stdin closes; over ssh the remote side sees it too.
      child.stdin?.end();
      timers.push(
        setTimeout(() => {
          killGroup('SIGTERM');
          timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_AFTER_MS));
        }, GRACE_MS),
      );
    };

    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(
        () => stop(`timed out after ${Number((resolved.timeoutMs / 1000).toFixed(1))} s`),
        resolved.timeoutMs,
      ),
    );

    child.stdout?.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got.received += chunk.length;
      options.onData?.(chunk);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      const parts = (stderrPartial + text).split('\n');
      stderrPartial = parts.pop() ?? '';
      for (const raw of parts) {
        const line = raw.replace(/\r$/, '');
        const progress = PROGRESS.exec(line);
        if (progress !== null) options.onProgress?.(progress[1] ?? '');
        else {
          stderrLines.push(line);
          if (stderrLines.length > STDERR_KEEP) stderrLines.shift();
        }
      }
    });
    // The child may exit before reading all of the script (e.g. ssh failing to connect).
    child.stdin?.on('error', () => undefined);
    child.stdin?.write(COLLECTOR_SCRIPT);

    child.on('error', (error) => {
      spawnError = error;
      // 'close' follows when the stdio streams were opened; make sure we settle anyway.
      setImmediate(() => done(null, null));
    });
    child.on('close', (code, signal) => done(code, signal));

    function done(code: number | null, signal: NodeJS.Signals | null): void {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdin?.destroy();
      if (stderrPartial !== '') stderrLines.push(stderrPartial);
      let reason = stopReason;
      if (spawnError !== undefined) {
        const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        reason = missing ? `${command.file} is not installed (or not on PATH)` : spawnError.message;
      }
      resolve(finish(code, signal, reason, got));
    }
  });
}

interface Received {
  chunks: Buffer[];
  received: number;
  stderrLines: string[];
  started: number;
  target: CollectTarget;
}

function finish(
  code: number | null,
  signal: NodeJS.Signals | null,
  reason: string | undefined,
  got: Received,
): CollectResult {
  const body = Buffer.concat(got.chunks).toString('utf8');
  const end = END.exec(body);
  const complete = reason === undefined && code === 0 && end !== null;
  const result: CollectResult = {
    target: got.target,
    text: body,
    appended: '',
    received: got.received,
    complete,
    exitCode: code,
    exitSignal: signal,
    stderr: got.stderrLines.join('\n'),
    durationMs: Date.now() - got.started,
  };
  const node = /^### node (\S+)/m.exec(body)?.[1];
  if (node !== undefined) result.node = node;
  if (end !== null) result.commands = { total: Number(end[1]), failed: Number(end[2]), cut: Number(end[3]) };
  if (!complete) {
    const why = reason ?? failureReason(got.target, code, signal, got.stderrLines, got.received);
    result.error = why.replace(/\s+/g, ' ').trim();
    if (got.received > 0) {
      result.appended = `${body.endsWith('\n') ? '' : '\n'}### netsnap: incomplete (${result.error})\n`;
      result.text = body + result.appended;
    }
  }
  return result;
}
