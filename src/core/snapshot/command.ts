// Reading the command after a prompt: shell words, pipes, and the wrappers people put around the
// command that matters (`sudo`, `docker exec ID`, `kubectl exec POD --`, `ip netns exec NS`, `nsenter …`).

import type { CommandLine } from '../parsers/parser';

type ShellToken = { word: string } | { op: '|' | '&&' | '||' | ';' | '&' };

/** Splits a shell command line into words and operators; quotes are honoured, nothing is expanded. */
export function shellTokens(text: string): ShellToken[] {
  const out: ShellToken[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const endWord = (): void => {
    if (inWord) out.push({ word });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i] ?? '';
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i] ?? '';
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '|' || c === ';' || c === '&') {
      // `2>&1` and `&>` belong to a redirection word, not an operator.
      if (c === '&' && (text[i - 1] === '>' || text[i + 1] === '>')) {
        word += c;
        inWord = true;
        continue;
      }
      endWord();
      const doubled = (c === '|' || c === '&') && text[i + 1] === c;
      if (doubled) i++;
      out.push({ op: doubled ? (c === '|' ? '||' : '&&') : c });
    } else if (c === '#' && !inWord) {
      break; // a shell comment
    } else {
      word += c;
      inWord = true;
    }
  }
  endWord();
  return out;
}

/** The pipeline stages of the last command in a `&&` / `||` / `;` chain: the one whose output follows. */
export function lastPipeline(text: string): string[][] {
  let stages: string[][] = [[]];
  for (const token of shellTokens(text)) {
    if ('word' in token) stages[stages.length - 1]?.push(token.word);
    else if (token.op === '|') stages.push([]);
    else if (token.op !== '&') stages = [[]];
  }
  const nonEmpty = stages.filter((stage) => stage.length > 0);
  return nonEmpty;
}

/** The words of a simple command (the first stage of the last pipeline). */
export function shellWords(text: string): string[] {
  return lastPipeline(text)[0] ?? [];
}

/** Pipeline stages that keep every line (so the output is still complete). */
const NON_FILTERING = new Set(['sort', 'column', 'cat', 'less', 'more', 'tee', 'nl']);

const REDIRECT = /^(\d?>>?|\d?<|&>|\d>&\d)/;

/** Removes redirections (`2>/dev/null`, `> out`) from a stage's words. */
function dropRedirects(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const m = REDIRECT.exec(w);
    if (m) {
      if (m[0] === w && !/&\d$/.test(w)) i++; // the target is the next word
      continue;
    }
    out.push(w);
  }
  return out;
}

export interface UnwrappedCommand {
  argv: string[];
  /** The namespace named by `ip netns exec NS` / `ip -n NS`, if any. */
  netns?: string;
  /** The container or pod named by `docker exec ID` / `kubectl exec POD`. */
  container?: string;
}

const SUDO_WITH_VALUE = new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '--user', '--group']);
const EXEC_WITH_VALUE = new Set([
  '-u',
  '--user',
  '-e',
  '--env',
  '-w',
  '--workdir',
  '--env-file',
  '--detach-keys',
  '-c',
  '--container',
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '-r',
  '--runtime-endpoint',
  '--timeout',
  '--pod-running-timeout',
]);
const NSENTER_WITH_VALUE = new Set([
  '-t',
  '--target',
  '-S',
  '--setuid',
  '-G',
  '--setgid',
  '-r',
  '-w',
  '--wd',
]);

function name(word: string | undefined): string {
  if (word === undefined) return '';
  const slash = word.lastIndexOf('/');
  return slash === -1 ? word : word.slice(slash + 1);
}

/** Skips options (and the values of those that take one) from `argv[i]`; returns the first operand's index. */
function skipOptions(argv: readonly string[], i: number, withValue: ReadonlySet<string>): number {
  while (i < argv.length) {
    const w = argv[i] ?? '';
    if (w === '--') return i + 1;
    if (!w.startsWith('-') || w === '-') return i;
    i += withValue.has(w) ? 2 : 1;
  }
  return i;
}

/** Peels wrappers until the command that produced the output is left. */
export function unwrapCommand(argv: readonly string[]): UnwrappedCommand {
  let words = [...argv];
  let netns: string | undefined;
  let container: string | undefined;
  for (let guard = 0; guard < 10 && words.length > 0; guard++) {
    const head = name(words[0]);
    if (head === 'sudo' || head === 'doas') {
      words = words.slice(skipOptions(words, 1, SUDO_WITH_VALUE));
    } else if (head === 'env') {
      let i = skipOptions(words, 1, new Set(['-u', '--unset', '-C', '--chdir']));
      while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] ?? '')) i++;
      words = words.slice(i);
    } else if (head === 'timeout') {
      const i = skipOptions(words, 1, new Set(['-s', '--signal', '-k', '--kill-after']));
      words = words.slice(i + 1);
    } else if (head === 'chroot') {
      words = words.slice(skipOptions(words, 1, new Set()) + 1);
    } else if (head === 'nsenter') {
      words = words.slice(skipOptions(words, 1, NSENTER_WITH_VALUE));
    } else if (head === 'sh' || head === 'bash' || head === 'ash' || head === 'zsh') {
      const c = words.indexOf('-c');
      if (c === -1 || c + 1 >= words.length) break;
      words = shellWords(words[c + 1] ?? '');
    } else if (
      (head === 'docker' || head === 'podman' || head === 'nerdctl' || head === 'crictl') &&
      words[1] === 'exec'
    ) {
      const i = skipOptions(words, 2, EXEC_WITH_VALUE);
      container = words[i];
      words = words.slice(i + 1);
    } else if ((head === 'kubectl' || head === 'oc') && words.includes('exec')) {
      const dashdash = words.indexOf('--');
      const i = skipOptions(words, words.indexOf('exec') + 1, EXEC_WITH_VALUE);
      container = words[i];
      words = dashdash !== -1 ? words.slice(dashdash + 1) : words.slice(i + 1);
    } else if (head === 'ip' && words[1] === 'netns' && words[2] === 'exec') {
      netns = words[3];
      words = words.slice(4);
    } else if (head === 'ip' && (words[1] === '-n' || words[1] === '-netns') && words[2] !== undefined) {
      netns = words[2];
      words = [words[0] ?? 'ip', ...words.slice(3)];
    } else {
      break;
    }
  }
  const out: UnwrappedCommand = { argv: words };
  if (netns !== undefined) out.netns = netns;
  if (container !== undefined) out.container = container;
  return out;
}

export interface ReadCommand extends CommandLine {
  netns?: string;
  container?: string;
}

/** `grep -A2`, `-C 3`, `-5`, `--context=2`: grep prints the lines around each match, runs apart by `--`. */
const GREP_CONTEXT = /^-[a-zA-Z]*[ABC]\d*$|^-\d+$|^--(after-|before-)?context(=|$)/;

/**
 * Does every filter of the pipeline pass on runs of adjacent lines (`head`, `tail`, `grep` with context)? Then
 * an indented line still follows the header it belongs to; after `grep X`, `awk` or `sed` it may not.
 */
export function keepsAdjacentLines(raw: string): boolean {
  return lastPipeline(raw.trim())
    .slice(1)
    .every((stage) => {
      const tool = name(stage[0]);
      if (NON_FILTERING.has(tool) || tool === 'head' || tool === 'tail') return true;
      return /^[ef]?grep$/.test(tool) && stage.some((w) => GREP_CONTEXT.test(w));
    });
}

/** Everything the splitter needs to know about the command after a prompt. */
export function readCommand(raw: string): ReadCommand {
  const pipeline = lastPipeline(raw.trim()).map(dropRedirects);
  const filtered = pipeline.slice(1).some((stage) => !NON_FILTERING.has(name(stage[0])));
  const unwrapped = unwrapCommand(pipeline[0] ?? []);
  const out: ReadCommand = { raw: raw.trim(), argv: unwrapped.argv, filtered };
  if (unwrapped.netns !== undefined) out.netns = unwrapped.netns;
  if (unwrapped.container !== undefined) out.container = unwrapped.container;
  return out;
}
