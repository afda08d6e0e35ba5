// The hosts a user's ssh config names, for a host picker: every `Host` entry that is not a pattern,
// following `Include` the way ssh does (globs; relative paths are relative to ~/.ssh; `~` is home).

import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface SshHost {
  /** The alias to pass to ssh. */
  name: string;
  /** The `HostName` its block sets, if any. */
  hostName?: string;
  /** The `User` its block sets, if any. */
  user?: string;
  /** Where the `Host` line is (1-based). */
  file: string;
  line: number;
}

export interface SshHostsOptions {
  /** The user's home, for `~` (default os.homedir()). */
  home?: string;
  /** Where relative `Include` paths are looked up (default `<home>/.ssh`). */
  sshDir?: string;
}

/** ssh's own limit on nested includes. */
const MAX_DEPTH = 16;

/** Splits a config line into its keyword and arguments (`Key value`, `Key=value`, quoted words). */
function readLine(text: string): { key: string; args: string[] } | undefined {
  const line = text.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  const m = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
  if (m === null) return undefined;
  const args: string[] = [];
  const rest = m[2] ?? '';
  const word = /"([^"]*)"|(\S+)/g;
  for (let w = word.exec(rest); w !== null; w = word.exec(rest)) {
    const value = w[1] ?? w[2] ?? '';
    if (w[2] !== undefined && value.startsWith('#')) break; // a trailing comment
    args.push(value);
  }
  return { key: (m[1] ?? '').toLowerCase(), args };
}

function isPattern(name: string): boolean {
  return /[*?!]/.test(name);
}

function globToRegExp(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        const body = segment
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The files a pattern names, sorted like glob(3); hidden files only when the pattern says so. */
async function expandGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split('/');
  let paths = [pattern.startsWith('/') ? '/' : '.'];
  for (const part of parts) {
    if (part === '') continue;
    if (!/[*?[]/.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = globToRegExp(part);
    const next: string[] = [];
    for (const dir of paths) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) next.push(join(dir, name));
      }
    }
    paths = next;
  }
  return paths;
}

/**
 * The concrete hosts in an ssh config file (default `~/.ssh/config`) and the files it includes, in
 * order, each name once. A missing or unreadable file contributes nothing.
 */
export async function sshHosts(configPath?: string, options: SshHostsOptions = {}): Promise<SshHost[]> {
  const home = options.home ?? homedir();
  const sshDir = options.sshDir ?? join(home, '.ssh');
  const hosts: SshHost[] = [];
  const byName = new Map<string, SshHost>();
  const visiting = new Set<string>();

  const tilde = (p: string): string => (p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p);

  async function readConfig(file: string, depth: number): Promise<void> {
    if (depth > MAX_DEPTH || visiting.has(file)) return;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return;
    }
    visiting.add(file);
    let block: SshHost[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const parsed = readLine(lines[i] ?? '');
      if (parsed === undefined) continue;
      const { key, args } = parsed;
      if (key === 'host') {
        block = [];
        for (const name of args) {
          if (isPattern(name)) continue;
          // Like ssh, the first value given for a host wins, wherever its blocks are.
          let host = byName.get(name);
          if (host === undefined) {
            host = { name, file, line: i + 1 };
            byName.set(name, host);
            hosts.push(host);
          }
          block.push(host);
        }
      } else if (key === 'match') {
        block = [];
      } else if (key === 'hostname' && args[0] !== undefined) {
        for (const h of block) h.hostName ??= args[0];
      } else if (key === 'user' && args[0] !== undefined) {
        for (const h of block) h.user ??= args[0];
      } else if (key === 'include') {
        for (const arg of args) {
          const expanded = tilde(arg);
          const pattern = isAbsolute(expanded) ? expanded : join(sshDir, expanded);
          for (const included of await expandGlob(pattern)) await readConfig(included, depth + 1);
        }
      }
    }
    visiting.delete(file);
  }

  await readConfig(configPath ?? join(sshDir, 'config'), 0);
  return hosts;
}
