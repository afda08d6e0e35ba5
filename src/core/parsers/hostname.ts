// The host's name: `hostname` (`-f`, `-s`), `cat /etc/hostname`, `uname -n`, `hostnamectl hostname`.
// One line naming the host; it ties a snapshot to its Kubernetes node.

import type { HostnameRecord } from '../model/types';
import { basename } from '../util/argv';
import { isBlankOrElision, tokens, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

/** `hostname` options that print the name (the others print addresses or set the name). */
const HOSTNAME_PRINT_OPTIONS = new Set(['-f', '--fqdn', '--long', '-s', '--short']);
const HOSTNAME_FILES = new Set(['/etc/hostname', '/proc/sys/kernel/hostname']);
const NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;

/** `hostname: Name or service not known`, `cat: /etc/hostname: No such file or directory`, … */
const ERROR = /^[\w./-]+: .+$/;

function parseName(lines: readonly Line[], ledger: Ledger): void {
  let record: HostnameRecord | undefined;
  for (const line of lines) {
    const text = line.text;
    if (isBlankOrElision(text) || /^\s*#/.test(text)) {
      ledger.skip(line.line);
      continue;
    }
    const word = text.trim();
    if (record !== undefined) {
      ledger.report(line.line, `Extra line after the host name ${record.name}: ${truncate(word, 120)}`);
      continue;
    }
    if (NAME.test(word)) {
      record = { loc: ledger.loc(line.line), name: word };
      continue;
    }
    if (ERROR.test(word) && tokens(word).length > 1) {
      ledger.report(line.line, `The host name could not be read: ${truncate(word, 120)}`, 'warning');
      continue;
    }
    ledger.unrecognized(line, 'host name');
  }
  if (record !== undefined) ledger.facts.hostname = record;
}

export const hostnameParser: Parser = {
  id: 'hostname',
  title: 'Host name',
  commands: ['hostname', 'hostname -f', 'cat /etc/hostname', 'uname -n'],

  matchesCommand(argv: readonly string[]): boolean {
    const cmd = basename(argv[0] ?? '');
    const args = argv.slice(1);
    switch (cmd) {
      case 'hostname':
        // `hostname NAME` / `-F FILE` / `-b NAME` set the name; `-i`, `-I`, `-d`, `-A` print other things.
        return args.every((a) => HOSTNAME_PRINT_OPTIONS.has(a));
      case 'uname':
        return args.length > 0 && args.every((a) => a === '-n' || a === '--nodename');
      case 'hostnamectl':
        return (
          (args.length === 1 && args[0] === 'hostname') ||
          (args.length >= 1 && args.every((a) => a === '--static' || a === '--transient'))
        );
      case 'cat':
        return args.length === 1 && HOSTNAME_FILES.has(args[0] ?? '');
      default:
        return false;
    }
  },

  detect(): boolean {
    // One word on a line is not enough to tell a host name from anything else.
    return false;
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'hostname', (ledger) => parseName(input.lines, ledger));
  },
};
