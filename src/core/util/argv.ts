// Reading the argv of `ip`, `bridge` and similar tools: options, object and command words, iproute2's
// abbreviations.

import type { Family } from '../model/types';

/** `TOOL [OPTIONS] OBJECT [COMMAND …]` (`ip`, `bridge`): options before the object, the object, the rest. */
export interface ToolCommand {
  options: string[];
  object: string;
  rest: string[];
}

/** Reads `ip [OPTIONS] OBJECT [COMMAND …]`. */
export type IpCommand = ToolCommand;

/** Reads `TOOL [OPTIONS] OBJECT [COMMAND …]`; `optionsWithValue` take the next word as their value. */
export function readToolCommand(
  argv: readonly string[],
  tool: string,
  optionsWithValue: ReadonlySet<string>,
): ToolCommand | undefined {
  if (argv.length === 0 || basename(argv[0] ?? '') !== tool) return undefined;
  const options: string[] = [];
  let i = 1;
  while (i < argv.length && (argv[i] ?? '').startsWith('-')) {
    const opt = argv[i] ?? '';
    options.push(opt);
    i++;
    if (optionsWithValue.has(opt) && i < argv.length) options.push(argv[i++] ?? '');
  }
  const object = argv[i];
  if (object === undefined) return undefined;
  return { options, object, rest: argv.slice(i + 1) };
}

const IP_OPTIONS_WITH_VALUE = new Set(['-n', '-netns', '-f', '-family', '-rc', '-rcvbuf', '-b', '-batch']);

export function readIpCommand(argv: readonly string[]): IpCommand | undefined {
  return readToolCommand(argv, 'ip', IP_OPTIONS_WITH_VALUE);
}

/** The family `ip` options ask for (`-4`, `-6`, `-f inet6`), the last one winning. */
export function ipFamilyOption(options: readonly string[]): Family | undefined {
  let family: Family | undefined;
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (o === '-4') family = 'inet';
    else if (o === '-6') family = 'inet6';
    else if (o === '-f' || o === '-family' || o === '--family') {
      const v = options[i + 1];
      if (v === 'inet' || v === 'inet6') family = v;
    }
  }
  return family;
}

/**
 * Is `word` the `show` command of an iproute2 object (no word at all means show too)? `show`/`list`/`lst`
 * abbreviate, but iproute2 tries `set` (link) before `show`, so for those objects a lone `s` means set:
 * `minShow` says how long a `show` abbreviation must be.
 */
export function isShowWord(word: string | undefined, minShow: number): boolean {
  if (word === undefined) return true;
  return abbreviates(word, 'show', minShow) || abbreviates(word, 'list') || abbreviates(word, 'lst');
}

/** Does `word` abbreviate `full` the way iproute2 accepts (`ro` → `route`)? */
export function abbreviates(word: string, full: string, minLength = 1): boolean {
  return word.length >= minLength && full.startsWith(word);
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

/** iproute2 accepts any prefix of `-json` (and `--json`). */
export function hasJsonOption(options: readonly string[]): boolean {
  return options.some((o) => /^--?j(s(on?)?)?$/.test(o) || o === '-json');
}
