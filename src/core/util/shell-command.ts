// Reading the command after a prompt: shell words, pipes, and the wrappers people put around the
// command that matters (`sudo`, `docker exec ID`, `kubectl exec POD --`, `ip netns exec NS`, `nsenter …`).

/** The command a section's output came from, after unwrapping `sudo`, `docker exec …`, `ip netns exec …`. */
export interface CommandLine {
  /** The command as written after the prompt. */
  raw: string;
  /** The inner command's words, e.g. `['ip', '-d', 'link', 'show', 'type', 'vxlan']`. */
  argv: string[];
  /** Piped through `grep`/`head`/…: the output may be partial. */
  filtered: boolean;
}

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

/**
 * A line that opens a shell somewhere, so the commands pasted after it ran there (until its `exit`), or a
 * line that leaves one. `node` is the node's name when the line gives one.
 */
export type ShellMove = { kind: 'enter'; node?: string } | { kind: 'leave' };

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
const SSH_WITH_VALUE = new Set('BbcDEeFIiJLlmOopQRSWw'.split('').map((letter) => `-${letter}`));
const MINIKUBE_WITH_VALUE = new Set(['-n', '--node', '-p', '--profile']);
const DEBUG_WITH_VALUE = new Set([
  ...EXEC_WITH_VALUE,
  '--image',
  '--profile',
  '--target',
  '--share-processes',
  '--custom',
]);

/**
 * Does `argv` open an interactive shell on the machine it runs on: a shell with no script or `-c`, `su`,
 * `sudo -i`/`-s`, or `sudo …` / `nsenter …` / `chroot DIR` with no command or with such a shell?
 */
function opensShell(argv: readonly string[]): boolean {
  const head = name(argv[0]);
  if (SHELLS.has(head)) return argv.slice(1).every((w) => w.startsWith('-') && w !== '-c');
  if (head === 'su') return argv.slice(1).every((w) => w.startsWith('-') || w === 'root');
  if (head === 'sudo' || head === 'doas') {
    const i = skipOptions(argv, 1, SUDO_WITH_VALUE);
    if (i < argv.length) return opensShell(argv.slice(i));
    return argv.slice(1, i).some((w) => /^-[A-Za-z]*[is]/.test(w) || w === '--login' || w === '--shell');
  }
  if (head === 'nsenter') return shellOrNothing(argv.slice(skipOptions(argv, 1, NSENTER_WITH_VALUE)));
  if (head === 'chroot') {
    const i = skipOptions(argv, 1, new Set());
    return i < argv.length && shellOrNothing(argv.slice(i + 1));
  }
  return false;
}

/** Does a wrapper given `argv` as its command open a shell (none given means the login shell)? */
function shellOrNothing(argv: readonly string[]): boolean {
  return argv.length === 0 || opensShell(argv);
}

/** `-it`, `-ti`, `-i`, `--stdin`, `--interactive`: the command stays attached to the terminal. */
function interactive(argv: readonly string[]): boolean {
  return argv.some((w) => /^-[A-Za-z]*i[A-Za-z]*$/.test(w) || /^--(stdin|interactive)(=true)?$/.test(w));
}

/** The host an ssh destination names: `[user@]host` or `ssh://[user@]host[:port]`. */
function sshHost(destination: string): string | undefined {
  const url = destination.startsWith('ssh://');
  let host = url ? destination.slice('ssh://'.length) : destination;
  host = host.slice(host.lastIndexOf('@') + 1);
  if (url) host = host.replace(/:\d+$/, '');
  // An address says where the shell runs, not what the node is called: its prompt or file name will.
  if (host === '' || host.includes(':') || host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host))
    return undefined;
  return host;
}

/** The value of an option given as `SHORT X`, `LONG X` or `LONG=X` (before any `--`). */
function optionValue(argv: readonly string[], short: string, long: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (w === '--') return undefined;
    if (w === short || w === long) return argv[i + 1];
    if (w.startsWith(`${long}=`)) return w.slice(long.length + 1);
  }
  return undefined;
}

function enter(node: string | undefined): ShellMove {
  return node === undefined || node === '' ? { kind: 'enter' } : { kind: 'enter', node };
}

/** `vagrant ssh [NAME]`, unless `-c CMD` runs one command; words after `--` go to ssh. */
function vagrantSsh(rest: readonly string[]): ShellMove | undefined {
  if (optionValue(rest, '-c', '--command') !== undefined) return undefined;
  const dashdash = rest.indexOf('--');
  return enter((dashdash === -1 ? rest : rest.slice(0, dashdash)).find((w) => !w.startsWith('-')));
}

/** `kubectl debug node/NAME -it …` (`oc debug node/NAME` opens a shell without -it), with no command or a shell. */
function debugNode(head: string, rest: readonly string[]): ShellMove | undefined {
  const dashdash = rest.indexOf('--');
  const options = dashdash === -1 ? rest : rest.slice(0, dashdash);
  const operands = options.filter(
    (w, j) => !w.startsWith('-') && !DEBUG_WITH_VALUE.has(options[j - 1] ?? ''),
  );
  const target = operands[0];
  if (operands.length !== 1 || target === undefined || !target.startsWith('node/')) return undefined;
  if (head === 'kubectl' && !interactive(options)) return undefined;
  return shellOrNothing(dashdash === -1 ? [] : rest.slice(dashdash + 1))
    ? enter(target.slice('node/'.length))
    : undefined;
}

/**
 * How people reach a node before pasting: `ssh [user@]NODE`, `vagrant ssh NAME`, `minikube ssh`,
 * `docker exec -it ID sh`, `kubectl debug node/NAME -it …`, `nsenter -t 1 -n`, `chroot /host`, and a root
 * shell on the way (`sudo -i`, `su -`); `exit` and `logout` leave. Undefined for any other command line,
 * including these wrappers running one command (`ssh NODE ip route`), whose output follows them.
 */
export function readShellMove(raw: string): ShellMove | undefined {
  const stages = lastPipeline(raw.trim());
  if (stages.length !== 1) return undefined;
  let argv = stages[0] ?? [];
  if ((argv[0] === 'exit' || argv[0] === 'logout') && argv.length <= 2) return { kind: 'leave' };
  if (opensShell(argv)) return { kind: 'enter' };
  if (argv[0] === 'sudo' || argv[0] === 'doas') argv = argv.slice(skipOptions(argv, 1, SUDO_WITH_VALUE));
  const head = name(argv[0]);
  if (head === 'ssh') {
    const i = skipOptions(argv, 1, SSH_WITH_VALUE);
    const destination = argv[i];
    // ssh joins the remote command's words with spaces, for the remote shell to read again.
    if (destination === undefined || !shellOrNothing(shellWords(argv.slice(i + 1).join(' '))))
      return undefined;
    return enter(sshHost(destination));
  }
  if (head === 'vagrant' && argv[1] === 'ssh') return vagrantSsh(argv.slice(2));
  if (head === 'minikube' && argv[1] === 'ssh') {
    const rest = argv.slice(2);
    return shellOrNothing(rest.slice(skipOptions(rest, 0, MINIKUBE_WITH_VALUE)))
      ? enter(optionValue(rest, '-n', '--node'))
      : undefined;
  }
  if (['docker', 'podman', 'nerdctl', 'crictl'].includes(head) && argv[1] === 'exec') {
    const i = skipOptions(argv, 2, EXEC_WITH_VALUE);
    const command = argv.slice(i + 1);
    const opens = i < argv.length && command.length > 0 && opensShell(command);
    return opens && interactive(argv.slice(2, i)) ? { kind: 'enter' } : undefined;
  }
  if ((head === 'kubectl' || head === 'oc') && argv[1] === 'debug') return debugNode(head, argv.slice(2));
  return undefined;
}
