// The one table of netsnap's commands and options: `parseArgs` reads argv by it, and every usage line,
// `--help` text and `--format` choice is written from it.

import { parseArgs } from 'node:util';

/** The default of `--max-size`: the extension's `netsnap.maxFileSizeMB` default (package.json). */
export const DEFAULT_MAX_MB = 20;

export interface OptionSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** How the value reads in help (`FILE`, `S`); a string option's `choices` are shown instead. */
  value?: string;
  choices?: readonly string[];
  default?: string;
  required?: boolean;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** The operands (and required options) after `[options]` in the usage line. */
  operands: string;
  /** One line for `netsnap --help`. */
  summary: string;
  /** Paragraphs for `netsnap COMMAND --help`. */
  details: readonly string[];
  /** Command lines shown as they are. */
  examples?: readonly string[];
  options: readonly OptionSpec[];
  /** What exit 1 means for this command, when it uses it. */
  exit1?: string;
}

export type CommandName = 'parse' | 'check' | 'trace' | 'diff' | 'collect';

const FORMAT: OptionSpec = {
  name: 'format',
  type: 'string',
  choices: ['text', 'json'],
  default: 'text',
  help: 'text for people (colour on a terminal), json for programs',
};
const MAX_SIZE: OptionSpec = {
  name: 'max-size',
  type: 'string',
  value: 'MB',
  default: String(DEFAULT_MAX_MB),
  help: "refuse a larger file, as the extension's netsnap.maxFileSizeMB does",
};
const HELP: OptionSpec = { name: 'help', short: 'h', type: 'boolean', help: 'show this help' };

const READING =
  'Reads regular files only (UTF-8, or UTF-16 with a byte order mark). A FOLDER stands for every .netsnap file in it and below.';

export const COMMANDS: Record<CommandName, CommandSpec> = {
  check: {
    name: 'check',
    operands: 'FILE|FOLDER...',
    summary: 'the findings of one cluster, with their lines and fixes',
    details: [
      'Analyses the snapshots together as one cluster. Prints each finding with the file:line it rests on, what is wrong and the commands that fix it; then one line per node (name, pod subnet, counts) with the checks that could not run and the command whose output would let them run.',
      READING,
    ],
    options: [
      FORMAT,
      {
        name: 'verbose',
        short: 'v',
        type: 'boolean',
        help: 'each check that could not run in full, and each node’s public IP, VTEP MAC and pods',
      },
      MAX_SIZE,
      HELP,
    ],
    exit1: 'a finding at error level',
  },
  trace: {
    name: 'trace',
    operands: '--from NODE|POD --to IP FILE|FOLDER...',
    summary: 'the hops a packet takes, each with its line',
    details: [
      'Follows a packet from a node or pod to an IP address through the routes, neighbour and FDB entries, VXLAN and firewall of the snapshots, and says where it ends.',
      READING,
    ],
    options: [
      { name: 'from', type: 'string', value: 'NODE|POD', required: true, help: 'where the packet starts' },
      { name: 'to', type: 'string', value: 'IP', required: true, help: 'the address it is sent to' },
      FORMAT,
      MAX_SIZE,
      HELP,
    ],
    exit1: 'the packet does not arrive',
  },
  diff: {
    name: 'diff',
    operands: 'OLD NEW',
    summary: 'entries and findings added and removed between two captures',
    details: [
      'Compares two captures of the same hosts, each a .netsnap file or a FOLDER of them (a cluster): per host the routes, neighbours, FDB entries and interfaces added (+), removed (-) and changed (~), then the findings that appeared and cleared.',
      READING,
    ],
    options: [FORMAT, MAX_SIZE, HELP],
  },
  parse: {
    name: 'parse',
    operands: 'FILE|FOLDER...',
    summary: 'the model read from each snapshot',
    details: [
      'Prints what netsnap read from each snapshot: per host its interfaces, routes, neighbours, FDB entries, bridges, and the lines it did not understand.',
      READING,
    ],
    options: [FORMAT, MAX_SIZE, HELP],
  },
  collect: {
    name: 'collect',
    operands: 'local|ssh HOST|netns NAME|exec -- CMD [ARG...]',
    summary: 'a snapshot from a node, to stdout or to a new file',
    details: [
      'Runs the read-only collector on this machine (local), over ssh, in a network namespace, or through CMD, run without a shell, which must run sh -s on the node (kubectl exec -i POD -- sh -s, docker exec -i NODE sh -s).',
      'What arrived is kept even when the collection fails or is interrupted (Ctrl-C), ending with a "### netsnap: incomplete (REASON)" line.',
    ],
    examples: [
      'netsnap collect ssh node1 -o node1.netsnap',
      'netsnap collect exec -o node1.netsnap -- \\',
      '    kubectl exec -i -n kube-flannel POD -- sh -s',
    ],
    options: [
      {
        name: 'output',
        short: 'o',
        type: 'string',
        value: 'FILE',
        help: 'write to FILE, which must not exist yet',
      },
      { name: 'node', type: 'string', value: 'NAME', help: 'the node’s name, when its hostname is not it' },
      { name: 'ssh-config', type: 'string', value: 'FILE', help: 'the ssh config to use (with ssh)' },
      {
        name: 'timeout',
        type: 'string',
        value: 'S',
        help: 'give up on the whole collection after S seconds (default 60)',
      },
      {
        name: 'command-timeout',
        type: 'string',
        value: 'S',
        help: 'give up on one command after S seconds (default 10)',
      },
      {
        name: 'max-bytes',
        type: 'string',
        value: 'N',
        help: 'cut each command’s output at N bytes (default 4 MiB)',
      },
      {
        name: 'root',
        type: 'string',
        value: 'DIR',
        help: 'read the node’s files under DIR (/host in a kubectl debug pod)',
      },
      HELP,
    ],
    exit1: 'the collection is incomplete',
  },
};

/** Bad usage: a one-line message, then the command's usage; exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, found: 1, usage: 2, internal: 70 } as const;

const COMMAND_ORDER: readonly CommandName[] = ['check', 'trace', 'diff', 'parse', 'collect'];

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export function usageLine(spec: CommandSpec): string {
  return `netsnap ${spec.name} [options] ${spec.operands}`;
}

/** What a usage error prints under its message. */
export function shortUsage(command: CommandName | undefined): string {
  if (command === undefined)
    return `usage: netsnap COMMAND [options] ...  (commands: ${COMMAND_ORDER.join(', ')})\nSee 'netsnap --help'.`;
  return `usage: ${usageLine(COMMANDS[command])}\nSee 'netsnap ${command} --help'.`;
}

/** Help is written for an 80-column terminal. */
const WIDTH = 79;

/** Wraps `text` at `width` columns, each line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lead = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

function optionLabel(o: OptionSpec): string {
  const name = `${o.short === undefined ? '    ' : `-${o.short}, `}--${o.name}`;
  if (o.type === 'boolean') return name;
  return `${name} ${o.choices?.join('|') ?? o.value ?? 'VALUE'}`;
}

const EXIT_CODES = (exit1: string | undefined) =>
  [
    'exit status:',
    '  0   success',
    ...(exit1 === undefined ? [] : [`  1   ${exit1}`]),
    '  2   bad usage, or an input that cannot be read (missing, not a regular file, too large, empty, binary)',
    '  70  an internal error (a bug: please report it)',
  ].map((l) => wrap(l, WIDTH, '      '));

export function commandHelp(command: CommandName): string {
  const spec = COMMANDS[command];
  const labels = spec.options.map(optionLabel);
  const column = Math.max(...labels.map((l) => l.length)) + 2;
  const options = spec.options.map((o, i) => {
    const notes = [
      o.required === true ? 'required' : '',
      o.default === undefined ? '' : `default ${o.default}`,
    ]
      .filter((n) => n !== '')
      .join(', ');
    const help = `${o.help}${notes === '' ? '' : ` (${notes})`}`;
    return wrap(`  ${labels[i]!.padEnd(column)}${help}`, WIDTH, ' '.repeat(column + 2));
  });
  return [
    `usage: ${usageLine(spec)}`,
    '',
    ...spec.details.flatMap((d) => [wrap(d, WIDTH, ''), '']),
    ...(spec.examples === undefined ? [] : ['e.g.', ...spec.examples.map((e) => `  ${e}`), '']),
    'options:',
    ...options,
    '',
    ...EXIT_CODES(spec.exit1),
  ].join('\n');
}

export function mainHelp(version: string): string {
  const column = Math.max(...COMMAND_ORDER.map((c) => c.length)) + 2;
  const exit1 = COMMAND_ORDER.flatMap((c) => {
    const e = COMMANDS[c].exit1;
    return e === undefined ? [] : [`${c}: ${e}`];
  }).join('; ');
  return [
    `netsnap ${version} — flannel VXLAN network snapshots: findings with their lines and fixes`,
    '',
    'usage: netsnap COMMAND [options] ...',
    '       netsnap COMMAND --help     the options of COMMAND',
    '       netsnap --version',
    '',
    'commands:',
    ...COMMAND_ORDER.map((c) => `  ${c.padEnd(column)}${COMMANDS[c].summary}`),
    '',
    wrap(
      `check, trace, diff and parse read regular files (a FOLDER: every .netsnap in it), each at most --max-size MB (default ${DEFAULT_MAX_MB}, as the extension's netsnap.maxFileSizeMB).`,
      WIDTH,
      '',
    ),
    '',
    'e.g.  netsnap collect ssh node1 -o node1.netsnap',
    '      netsnap check cluster/',
    '      netsnap trace --from node1 --to 10.244.2.5 cluster/',
    '',
    ...EXIT_CODES(exit1),
  ].join('\n');
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Reads `args` by the command's table row: unknown options, a missing value, a `--format` outside its
 * choices and a missing required option are usage errors. `--help` is answered before anything is required.
 */
export function parseCommandArgs(command: CommandName, args: string[]): ParsedArgs & { help: boolean } {
  const spec = COMMANDS[command];
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        spec.options.map((o) => [
          o.name,
          {
            type: o.type,
            ...(o.short === undefined ? {} : { short: o.short }),
            ...(o.default === undefined ? {} : { default: o.default }),
          },
        ]),
      ),
    });
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
      // Node's advice on `--` follows the first sentence; the usage printed under it says more.
      throw new UsageError(error.message.split('. To specify')[0] ?? error.message, command);
    throw error;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) return { values, positionals: parsed.positionals, help: true };
  for (const o of spec.options) {
    const value = values[o.name];
    if (o.choices !== undefined && typeof value === 'string' && !o.choices.includes(value))
      throw new UsageError(`--${o.name} must be ${o.choices.join(' or ')}, not '${value}'`, command);
    if (o.required === true && (value === undefined || value === ''))
      throw new UsageError(`--${o.name} is required`, command);
  }
  return { values, positionals: parsed.positionals, help: false };
}
