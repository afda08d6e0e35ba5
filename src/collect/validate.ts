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
