// The running kernel: `uname -r`, `uname -a`, any `uname` that prints the release (`-srm`, `--kernel-release`),
// and `cat /proc/version`. The release says which kernel bugs and features apply (VXLAN checksum offload
// fixes, br_netfilter as a module since 3.18). `uname -n` alone prints the host name: the hostname parser
// reads it.
//
// GNU uname prints the fields asked for in a fixed order — kernel name, node name, release, version,
// machine, processor, hardware platform, operating system — whatever the order of the flags. The version
// (`#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)`) has spaces, so fields before it are read from
// the front and those after it from the back. `-a` leaves out processor and platform when they are
// `unknown`; RHEL prints them (`x86_64 x86_64 x86_64 GNU/Linux`).

import type { KernelRelease } from '../model/types';
import { basename } from '../util/argv';
import { isBlankOrElision, leadingWords, tokens, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { CommandLine, Line, Parser, ParserInput, ParseResult } from './parser';

/** uname's fields, in the order it prints them. */
type Field = 's' | 'n' | 'r' | 'v' | 'm' | 'p' | 'i' | 'o';
const ORDER: readonly Field[] = ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'];
const LONG: ReadonlyMap<string, Field | 'a'> = new Map([
  ['--all', 'a'],
  ['--kernel-name', 's'],
  ['--nodename', 'n'],
  ['--kernel-release', 'r'],
  ['--kernel-version', 'v'],
  ['--machine', 'm'],
  ['--processor', 'p'],
  ['--hardware-platform', 'i'],
  ['--operating-system', 'o'],
]);

const RELEASE = /^\d{1,4}\.\d{1,4}[^\s]{0,200}$/;
const MACHINE =
  /^(?:x86_64|amd64|i[3-6]86|aarch64|arm64|armv\d\w{0,8}|ppc64(?:le)?|s390x|riscv64|mips\w{0,8}|loongarch64)$/;
const OS = /^(?:GNU\/Linux|Linux|Android|Toybox)$/;

/** The fields a `uname` command prints, or undefined when its words are not uname's (or print no release). */
function unameFields(argv: readonly string[]): Set<Field | 'a'> | undefined {
  if (basename(argv[0] ?? '') !== 'uname') return undefined;
  const fields = new Set<Field | 'a'>();
  for (const a of argv.slice(1)) {
    const long = LONG.get(a);
    if (long !== undefined) fields.add(long);
    else if (/^-[asnrvmpio]+$/.test(a)) for (const c of a.slice(1)) fields.add(c as Field | 'a');
    else return undefined;
  }
  return fields.has('a') || fields.has('r') ? fields : undefined;
}

/** Release and machine from a `uname` line whose fields are `fields` (`-a` when undefined: a raw paste). */
function readUname(
  words: readonly string[],
  fields: Set<Field | 'a'> | undefined,
): KernelReleaseFields | string {
  const all = fields === undefined || fields.has('a');
  const has = (f: Field): boolean => all || (fields?.has(f) ?? false);
  const before = ORDER.slice(0, 2).filter(has).length;
  const release = words[before];
  if (release === undefined || !RELEASE.test(release)) return 'no kernel release where uname prints it';
  const out: KernelReleaseFields = { release };
  if (!has('m')) return out;
  // From the back: the operating system, then processor/platform when printed, then the machine.
  let end = words.length;
  if (has('o') && OS.test(words[end - 1] ?? '')) end--;
  let first = end;
  while (first - 1 > before && MACHINE.test(words[first - 1] ?? '')) first--;
  const machine = words[first];
  if (first < end && machine !== undefined) out.machine = machine;
  else if (!has('v') && !all) {
    // No version before it: the machine's place is known even when the name is not one listed here.
    const at = words.length - 1 - ORDER.slice(5).filter(has).length;
    const word = words[at];
    if (at > before && word !== undefined && word !== 'unknown') out.machine = word;
  }
  return out;
}

interface KernelReleaseFields {
  release: string;
  machine?: string;
}

/** `Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 …) #1 SMP …` (/proc/version). */
function readProcVersion(words: readonly string[]): KernelReleaseFields | string {
  const release = words[2];
  return words[0] === 'Linux' && words[1] === 'version' && release !== undefined && RELEASE.test(release)
    ? { release }
    : 'not a /proc/version line';
}

function isProcVersion(command: CommandLine | undefined): boolean {
  const argv = command?.argv ?? [];
  return basename(argv[0] ?? '') === 'cat' && argv.slice(1).includes('/proc/version');
}

function parseLines(input: ParserInput, ledger: Ledger): void {
  const fields = input.command === undefined ? undefined : unameFields(input.command.argv);
  const procVersion = isProcVersion(input.command);
  let record: KernelRelease | undefined;
  for (const line of input.lines) {
    const text = line.text;
    if (isBlankOrElision(text)) {
      ledger.skip(line.line);
      continue;
    }
    if (record !== undefined) {
      ledger.report(
        line.line,
        `Extra line after the kernel release ${record.release}: ${truncate(text.trim(), 120)}`,
      );
      continue;
    }
    const words = tokens(text);
    const read =
      procVersion || (fields === undefined && words[1] === 'version')
        ? readProcVersion(words)
        : fields === undefined && words.length === 1
          ? readUname(words, new Set<Field>(['r']))
          : readUname(words, fields);
    if (typeof read === 'string') {
      ledger.report(
        line.line,
        `The kernel release could not be read (${read}): ${truncate(text.trim(), 120)}`,
      );
      continue;
    }
    record = { loc: ledger.loc(line.line), ...read };
  }
  if (record !== undefined) ledger.facts.kernelRelease = record;
}

export const unameParser: Parser = {
  id: 'uname',
  title: 'Kernel release (uname)',
  commands: ['uname -a', 'uname -r', 'uname -srm', 'cat /proc/version'],

  matchesCommand(argv: readonly string[]): boolean {
    if (basename(argv[0] ?? '') === 'cat') return argv.length === 2 && argv[1] === '/proc/version';
    return unameFields(argv) !== undefined;
  },

  detect(lines: readonly Line[], index: number): boolean {
    const text = lines[index]?.text ?? '';
    if (!text.startsWith('Linux ')) return false;
    const [, second, third, fourth] = leadingWords(text, 4);
    if (second === 'version') return RELEASE.test(third ?? '') && (fourth ?? '').startsWith('(');
    // `uname -a`: `Linux HOST RELEASE #BUILD …`.
    return RELEASE.test(third ?? '') && /^#\d+/.test(fourth ?? '');
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'uname', (ledger) => parseLines(input, ledger));
  },
};
