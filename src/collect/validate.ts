// What may reach an argv: every name that comes from a user or a config file is checked here, before
// any process starts. Names are passed as separate argv elements (never through a local shell), but an
// ssh host name that starts with `-` would still be read as an option, and the remote command line ssh
// sends is parsed by the remote user's shell — so only plain characters pass.

/** A bad target or option: nothing was started. */
export class CollectInputError extends Error {
  override name = 'CollectInputError';
}

const PLAIN = /^[A-Za-z0-9._-]+$/;

function describe(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** `[user@]host` with letters, digits, `.`, `_`, `-`; neither part may start with `-`. */
export function validateSshHost(host: string): string {
  const at = host.indexOf('@');
  const user = at === -1 ? undefined : host.slice(0, at);
  const name = at === -1 ? host : host.slice(at + 1);
  const ok = (part: string | undefined): boolean =>
    part === undefined || (PLAIN.test(part) && !part.startsWith('-'));
  if (host === '' || !ok(user) || !ok(name) || user === '' || name === '') {
    throw new CollectInputError(
      `not an ssh host: ${describe(host)} (expected [user@]host made of letters, digits, '.', '_' and '-', not starting with '-')`,
    );
  }
  return host;
}

/** A network namespace name as `ip netns` stores it under /run/netns. */
export function validateNetnsName(name: string): string {
  if (!PLAIN.test(name) || name.startsWith('-') || name === '.' || name === '..') {
    throw new CollectInputError(
      `not a network namespace name: ${describe(name)} (expected letters, digits, '.', '_' and '-', not starting with '-')`,
    );
  }
  return name;
}

/** The name written into `### node NAME`. */
export function validateNodeName(name: string): string {
  if (!PLAIN.test(name) || name.startsWith('-')) {
    throw new CollectInputError(
      `not a node name: ${describe(name)} (expected letters, digits, '.', '_' and '-', not starting with '-')`,
    );
  }
  return name;
}

/** The directory the node's files are read below (`/host` in a `kubectl debug node` pod). */
export function validateFsRoot(path: string): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(path) || path.split('/').includes('..')) {
    throw new CollectInputError(
      `not a plain absolute path: ${describe(path)} (letters, digits, '.', '_', '-' and '/' only, no '..')`,
    );
  }
  return path;
}

export function validatePositiveInteger(what: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new CollectInputError(`${what} must be a whole number from 1 to ${max}, not ${String(value)}`);
  }
  return value;
}

/** At most this many words, and this many characters in all, in an `exec` target's command. */
const COMMAND_WORDS = 256;
const COMMAND_CHARS = 32 * 1024;

/**
 * The command of an `exec` target, run as given with an argument array (never through a shell): it is
 * the user's own, so any word passes but an empty program, a NUL (no argv can carry one) or a command
 * too long for any system's argument limit.
 */
export function validateCommand(argv: readonly string[]): string[] {
  if (!Array.isArray(argv) || argv.length === 0)
    throw new CollectInputError('no command: name the program that runs sh -s on the node');
  if (argv.length > COMMAND_WORDS)
    throw new CollectInputError(`the command has ${argv.length} words, more than ${COMMAND_WORDS}`);
  let chars = 0;
  for (const word of argv) {
    if (typeof word !== 'string') throw new CollectInputError('every word of the command must be text');
    if (word.includes('\0')) throw new CollectInputError('a word of the command holds a NUL character');
    chars += word.length + 1;
  }
  if (chars > COMMAND_CHARS)
    throw new CollectInputError(`the command is ${chars} characters long, more than ${COMMAND_CHARS}`);
  if (argv[0] === '' || argv[0]?.trim() !== argv[0])
    throw new CollectInputError(
      `not a program name: ${describe(argv[0] ?? '')} (empty, or starting or ending with a space)`,
    );
  return [...argv];
}
