// Collecting a snapshot from a node: the collector script (collector.sh) sent on stdin to `sh -s`
// locally, over ssh, inside a network namespace, or through any command that runs `sh -s` on the node
// (`kubectl exec -i POD -- sh -s`, `docker exec -i NODE sh -s`) — one process, one round trip. Progress comes back
// on stderr; cancellation closes stdin (the script stops its commands when it sees that) and then
// kills the process group. Whatever arrived is kept: an unfinished transcript ends with a
// `### netsnap: incomplete (<reason>)` line, which netsnap's splitter reads as metadata.
//
// Every process is started with an argument array (never a shell command line built from input), and
// every name is validated before anything starts (validate.ts).

import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { shellQuote } from '../core/analysis/fixes';
import { COLLECTOR_SCRIPT } from './script';
import {
  CollectInputError,
  validateCommand,
  validateFsRoot,
  validateNetnsName,
  validateNodeName,
  validatePositiveInteger,
  validateSshHost,
} from './validate';

export type CollectTarget =
  | { kind: 'local' }
  | { kind: 'ssh'; host: string; sshConfig?: string }
  | { kind: 'netns'; name: string }
  /**
   * A command that runs `sh -s` on the node with netsnap's stdin as its stdin, started exactly as given
   * (argv[0] looked up on PATH, never through a shell): `kubectl debug node/N -q -i … -- chroot /host
   * sh -s`, `kubectl exec -i … -- sh -s`, `docker exec -i NODE sh -s`, `vagrant ssh N -c 'sudo sh -s'`.
   */
  | { kind: 'exec'; argv: string[] };

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
   * The machine collecting, as recorded for an ssh, netns or exec target (`### collected … via ssh HOST
   * from MACHINE`): the editor offers to run a fix through the same transport only from that machine.
   * Default this machine's host name; a name with other than letters, digits, `.`, `_`, `-` records none
   * (for exec, whose record must always say so, those characters are written as `_`).
   */
  collectedOn?: string;
  /** The command the node is running now, as the script reports it. */
  onProgress?: (command: string) => void;
  /** The transcript's bytes as they arrive (to stream them to a file). */
  onData?: (chunk: Uint8Array) => void;
  signal?: AbortSignal;
  /** Environment of the process started on this machine (`sh`, `ssh`, `ip`, the exec command). */
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
  /** `ssh:HOST:MACHINE`, `netns:NAME:MACHINE`, `exec:PROGRAM:MACHINE`: how the node was reached, and from where. */
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
  } else if (target.kind === 'exec') {
    validateCommand(target.argv);
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
  // Plain names only: the script prints it, and over ssh the remote shell reads it as one word. An exec
  // capture is always recorded as one (the editor must never take it for a capture made here).
  if (target.kind === 'exec')
    resolved.via = `exec:${programName(target.argv[0] ?? '')}:${plainWord(on, 'unknown')}`;
  else if (target.kind !== 'local' && PLAIN_WORD.test(on))
    resolved.via = `${target.kind}:${target.kind === 'ssh' ? target.host : target.name}:${on}`;
  return resolved;
}

const PLAIN_WORD = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** `text` as one plain word (other characters as `_`, no leading `.` or `-`, at most 64 long). */
function plainWord(text: string, fallback: string): string {
  const word = text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 64);
  return word === '' ? fallback : word;
}

/** How an exec command is named in the transcript and in messages: its program's basename, plain. */
export function programName(argv0: string): string {
  return plainWord(argv0.slice(argv0.lastIndexOf('/') + 1), 'command');
}

/** The collector's own arguments (collector.sh's usage). */
function scriptArgs(o: Resolved): string[] {
  const args = ['-w', '-m', String(o.maxOutputBytes), '-t', String(o.perCommandTimeoutS)];
  if (o.fsRoot !== undefined) args.push('-r', o.fsRoot);
  if (o.via !== undefined) args.push('-v', o.via);
  if (o.nodeName !== undefined) args.push(o.nodeName);
  return args;
}

/**
 * What the process reads on stdin: the collector script. An exec command is run as the user gave it —
 * nothing can be appended to an arbitrary command line (`vagrant ssh N -c 'sudo sh -s'` would not pass
 * it on) — so its script is preceded by one line that sets the script's arguments, `set -- -w -m …
 * NODE`, which any `sh -s` reads first. That line only sets the positional parameters: the script
 * still runs nothing until its last line (`netsnap_main "$@"`) has arrived, so a stream cut short runs
 * no collection at all.
 */
export function collectorInput(target: CollectTarget, options: CollectOptions = {}): string {
  return inputFor(target, resolveOptions(target, options));
}

function inputFor(target: CollectTarget, o: Resolved): string {
  if (target.kind !== 'exec') return COLLECTOR_SCRIPT;
  return `set -- ${scriptArgs(o).map(shellQuote).join(' ')}\n${COLLECTOR_SCRIPT}`;
}

/** The process to start: the program and its arguments (collectorInput goes to its stdin). */
export function collectorCommand(
  target: CollectTarget,
  options: CollectOptions = {},
): { file: string; args: string[] } {
  return commandFor(target, resolveOptions(target, options));
}

function commandFor(target: CollectTarget, o: Resolved): { file: string; args: string[] } {
  const script = ['sh', '-s', '--', ...scriptArgs(o)];
  switch (target.kind) {
    case 'exec':
      return { file: target.argv[0] ?? '', args: target.argv.slice(1) };
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

/** How the target reads in messages: `ssh flnode2`, `netns flnode1`, `exec kubectl`, `local`. */
export function describeTarget(target: CollectTarget): string {
  switch (target.kind) {
    case 'local':
      return 'local';
    case 'ssh':
      return `ssh ${target.host}`;
    case 'netns':
      return `netns ${target.name}`;
    case 'exec':
      return `exec ${programName(target.argv[0] ?? '')}`;
  }
}

/** What an exec command that sent nothing may have got wrong. */
const EXEC_HINT =
  'does the command run sh -s on the node and pass it this stdin? kubectl exec and docker exec need -i';

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
  sawNode: boolean,
): string {
  const said = lastLines(stderr);
  const tail = said === '' ? '' : `: ${said}`;
  if (target.kind === 'ssh' && code === 255) {
    const what = received === 0 ? 'could not connect or log in' : 'the connection failed';
    return `ssh to ${target.host}: ${what}${tail}`;
  }
  // An exec command's status is its own (kubectl's, docker's), which may not be the collector's.
  const who = target.kind === 'exec' ? programName(target.argv[0] ?? '') : 'the collector';
  if (signal !== null) return `${who} was stopped by ${signal}${tail}`;
  if (code !== 0) return `${who} exited with status ${String(code)}${tail}`;
  if (target.kind === 'exec' && !sawNode)
    return `${who} exited without sending a netsnap transcript (${EXEC_HINT})${tail}`;
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
    command = commandFor(target, resolved);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const started = Date.now();
  return new Promise((resolve) => {
    // What arrived so far, handed to finish() whichever way the run ends.
    const got: Received = { chunks: [], received: 0, stderrLines: [], started, target, timedOut: false };
    const { chunks, stderrLines } = got;
    let stderrPartial = '';
    let stopReason: string | undefined;
    let timedOut = false;
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
      setTimeout(() => {
        timedOut = stopReason === undefined;
        stop(`timed out after ${Number((resolved.timeoutMs / 1000).toFixed(1))} s`);
      }, resolved.timeoutMs),
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
    child.stdin?.write(inputFor(target, resolved));

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
      got.timedOut = timedOut;
      if (spawnError !== undefined) {
        const code = (spawnError as NodeJS.ErrnoException).code;
        reason =
          code === 'ENOENT'
            ? `${command.file} is not installed (or not on PATH)`
            : code === 'EACCES'
              ? `${command.file} cannot be run (permission denied)`
              : spawnError.message;
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
  /** Stopped by the whole collection's timeout (not cancelled). */
  timedOut: boolean;
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
    let why =
      reason ?? failureReason(got.target, code, signal, got.stderrLines, got.received, node !== undefined);
    // A command that never ran the script (it never read its stdin, or is not a shell): what to check.
    if (got.timedOut && got.target.kind === 'exec' && node === undefined)
      why += `; ${got.received === 0 ? 'nothing arrived' : 'what arrived is no netsnap transcript'}: ${EXEC_HINT}`;
    result.error = why.replace(/\s+/g, ' ').trim();
    if (got.received > 0) {
      result.appended = `${body.endsWith('\n') ? '' : '\n'}### netsnap: incomplete (${result.error})\n`;
      result.text = body + result.appended;
    }
  }
  return result;
}
