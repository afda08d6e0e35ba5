// Kernel settings: `sysctl -a`, `sysctl KEY…`, `sysctl -n KEY…`, `sysctl -p FILE` / `--system` (the values
// they set), and `cat /proc/sys/…` (bare values, the key taken from the path). A key that does not exist
// (`sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory`) becomes a
// record with `missing: true`: no `net.bridge.*` key means br_netfilter is not loaded, so bridged pod
// traffic never meets iptables.
//
// Keys are dotted the way sysctl prints them. sysctl turns the path into a key by swapping `/` and `.`, so
// an interface name with a dot keeps it as a slash: flannel's VTEP flannel.1 is `net.ipv4.conf.flannel/1.
// forwarding` (checked with procps-ng 4.0.2 on a VXLAN device named flannel.1). `net.ipv4.conf.flannel.1.
// forwarding` is another key, one that does not exist (sysctl looks for /proc/sys/net/ipv4/conf/flannel/1/
// forwarding); records keep the key as printed, never "repaired".

import type { Sysctl } from '../model/types';
import { basename } from '../util/argv';
import { fileError } from './output-words';
import { isBlankOrElision, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { CommandLine, Line, Parser, ParserInput, ParseResult } from './parser';

const PROC_SYS = '/proc/sys/';

/** The top-level directories of /proc/sys: a `KEY = VALUE` line under one of them is sysctl output. */
const TOP_LEVEL: ReadonlySet<string> = new Set([
  'abi',
  'crypto',
  'debug',
  'dev',
  'fs',
  'kernel',
  'net',
  'sunrpc',
  'user',
  'vm',
]);

/** sysctl options that print names only or raw bytes (`-N`, `-b`) or nothing to read (help, version). */
const NOT_VALUES = new Set(['-N', '--names', '-b', '--binary', '-h', '--help', '-V', '--version', '-d']);
const ALL = new Set(['-a', '-A', '-X', '--all']);
const VALUES_ONLY = new Set(['-n', '--values']);
const LOAD = /^(?:-p|-f|--load)/;
const PATTERN = new Set(['-r', '--pattern']);

/**
 * The dotted key of a sysctl name or a path under /proc/sys, as procps' `slashdot` makes it: the first
 * separator decides the form; a name already dotted stays as it is, a slashed one has every `/` and `.`
 * swapped (`net/ipv4/conf/flannel.1/forwarding` → `net.ipv4.conf.flannel/1.forwarding`).
 */
export function dottedKey(name: string): string {
  const first = name.search(/[./]/);
  if (first === -1 || name[first] === '.') return name;
  let out = '';
  for (const c of name) out += c === '/' ? '.' : c === '.' ? '/' : c;
  return out;
}

/** The dotted key of a `/proc/sys/…` path, or undefined for any other path. */
function keyOfPath(path: string): string | undefined {
  return path.startsWith(PROC_SYS) && path.length > PROC_SYS.length
    ? dottedKey(path.slice(PROC_SYS.length))
    : undefined;
}

/** What the command says about its output. */
interface SysctlCommand {
  /** Bare values (`sysctl -n`, `cat`): names come from `keys`, in order. */
  valuesOnly: boolean;
  /** The keys the command names, in order; undefined for a key a glob or a directory hides. */
  keys: (string | undefined)[];
  /** Why the listing is not every key (`sysctl KEY`, a pattern, a file of settings). */
  scope?: string;
}

function readSysctlCommand(command: CommandLine | undefined): SysctlCommand | undefined {
  const argv = command?.argv ?? [];
  const tool = basename(argv[0] ?? '');
  if (tool === 'cat') {
    const paths = argv.slice(1).filter((a) => !a.startsWith('-'));
    const keys = paths.map((p) => (/[*?[]/.test(p) ? undefined : keyOfPath(p)));
    return { valuesOnly: true, keys, scope: `only ${truncate(paths.join(' '), 200)}` };
  }
  if (tool !== 'sysctl') return undefined;
  let valuesOnly = false;
  let all = false;
  let load: string | undefined;
  let fileNext = false;
  let pattern: string | undefined;
  const keys: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const takesFile = fileNext;
    fileNext = false;
    if (VALUES_ONLY.has(a)) valuesOnly = true;
    else if (ALL.has(a)) all = true;
    else if (PATTERN.has(a)) pattern = argv[++i] ?? '';
    else if (a.startsWith('--pattern=')) pattern = a.slice('--pattern='.length);
    else if (a === '--system') load = 'the sysctl.d files';
    else if (LOAD.test(a)) {
      // `-p FILE` / `-pFILE` / `--load=FILE`; a bare `-p` reads /etc/sysctl.conf unless a file follows.
      const file = a.replace(/^(?:-p|-f|--load)=?/, '');
      load = file === '' ? '/etc/sysctl.conf' : file;
      fileNext = file === '';
    } else if (a.startsWith('-')) {
      // Short options combine (`-ne`): `n` asks for bare values, `a`/`A`/`X` for every key.
      if (!a.startsWith('--') && a.includes('n')) valuesOnly = true;
      if (!a.startsWith('--') && /[aAX]/.test(a)) all = true;
    } else if (takesFile && !a.includes('=')) load = a;
    else keys.push(dottedKey(a.split('=')[0] ?? a));
  }
  const out: SysctlCommand = { valuesOnly, keys };
  if (pattern !== undefined) out.scope = `keys matching ${truncate(pattern, 100)}`;
  else if (load !== undefined) out.scope = `only the keys ${truncate(load, 100)} sets`;
  else if (!all) out.scope = `only ${truncate(keys.join(' '), 200)}`;
  return out;
}

/** `KEY = VALUE`: the key and the value as printed (a value may hold tabs, or be empty). */
function readSetting(text: string): { key: string; value: string } | undefined {
  const eq = text.indexOf(' = ');
  let key: string;
  let value: string;
  if (eq !== -1) {
    key = text.slice(0, eq).trim();
    value = text.slice(eq + 3);
  } else if (text.trimEnd().endsWith(' =')) {
    // An empty value: `kernel.panic_sys_info = ` after a trailing space was trimmed.
    key = text.trimEnd().slice(0, -2).trim();
    value = '';
  } else return undefined;
  if (key === '' || /[\s=]/.test(key)) return undefined;
  return { key, value: value.trimEnd() };
}

/** An error naming a key: a missing one (a record), one that could not be read, or none. */
type SysctlError =
  | { kind: 'missing'; key: string; message: string }
  | { kind: 'unreadable'; key: string; message: string }
  | { kind: 'other'; message: string };

const CANNOT_STAT = /^sysctl: cannot stat (\/proc\/sys\/\S.*): (.+)$/;
const SETTING_KEY = /^sysctl: setting key "(.+)"(?:, ignoring)?: (.+)$/;
const UNKNOWN_KEY = /^(?:sysctl: )?error: ["'](.+)["'] is an unknown key$/;
const PERMISSION = /^sysctl: permission denied on key ["'](.+)["']/;
const READING = /^sysctl: reading key ["'](.+)["']$/;
const BUSYBOX_CAT = /^cat: can't open '(\/proc\/sys\/.+)': (.+)$/;
const NO_SUCH = 'No such file or directory';

function readError(text: string): SysctlError | undefined {
  const t = text.trim();
  let m = CANNOT_STAT.exec(t) ?? BUSYBOX_CAT.exec(t);
  if (m) {
    const key = keyOfPath(m[1] ?? '') ?? '';
    return m[2] === NO_SUCH ? { kind: 'missing', key, message: t } : { kind: 'unreadable', key, message: t };
  }
  m = SETTING_KEY.exec(t);
  if (m) {
    const key = m[1] ?? '';
    return m[2] === NO_SUCH ? { kind: 'missing', key, message: t } : { kind: 'unreadable', key, message: t };
  }
  m = UNKNOWN_KEY.exec(t);
  if (m) return { kind: 'missing', key: dottedKey(m[1] ?? ''), message: t };
  m = PERMISSION.exec(t) ?? READING.exec(t);
  if (m) return { kind: 'unreadable', key: dottedKey(m[1] ?? ''), message: t };
  const file = fileError(t);
  if (file !== undefined && file.path.startsWith(PROC_SYS)) {
    const key = keyOfPath(file.path) ?? '';
    return file.reason === NO_SUCH
      ? { kind: 'missing', key, message: t }
      : { kind: 'unreadable', key, message: t };
  }
  if (t.startsWith('sysctl: ')) return { kind: 'other', message: t };
  return undefined;
}

/** Why a missing key matters, for the report. */
/**
 * A note for a missing key, or undefined: what a missing `net.bridge.*` key means (br_netfilter is not
 * loaded) is the analysis's to say (bridge-netfilter-off, on the record's line), not a note beside it.
 */
function missingNote(key: string): string | undefined {
  if (key.startsWith('net.bridge.')) return undefined;
  // `net.ipv4.conf.flannel.1.forwarding`: the dot of the interface name must be written as a slash.
  const m = /^net\.ipv[46]\.(?:conf|neigh)\.([^./]{1,15})\.(\d{1,5})\.[^.]+$/.exec(key);
  const hint = m
    ? ` (an interface named ${m[1] ?? ''}.${m[2] ?? ''} is written ${m[1] ?? ''}/${m[2] ?? ''} in a dotted key)`
    : '';
  return `${truncate(key, 200)} does not exist on this host${hint}`;
}

function addMissing(ledger: Ledger, list: Sysctl[], line: number, key: string): void {
  list.push({ loc: ledger.loc(line), key, value: '', missing: true });
  const note = missingNote(key);
  if (note !== undefined) ledger.report(line, note);
}

function parseLines(input: ParserInput, ledger: Ledger): void {
  const command = readSysctlCommand(input.command);
  const list: Sysctl[] = [];
  // Bare values (`sysctl -n`, `cat`) and the keys they are for, once errors have named theirs.
  const values: Line[] = [];
  const pending = [...(command?.keys ?? [])];
  const settle = (key: string): void => {
    const i = pending.indexOf(key);
    if (i !== -1) pending.splice(i, 1);
  };
  for (const line of input.lines) {
    const text = line.text;
    if (isBlankOrElision(text) || /^\* Applying /.test(text)) {
      ledger.skip(line.line);
      continue;
    }
    const error = readError(text);
    if (error !== undefined) {
      if (error.kind === 'missing') {
        addMissing(ledger, list, line.line, error.key);
        settle(error.key);
      } else if (error.kind === 'unreadable') {
        ledger.report(
          line.line,
          `${truncate(error.key, 200)} could not be read: ${truncate(error.message, 160)}`,
          'warning',
        );
        settle(error.key);
      } else {
        ledger.report(line.line, `sysctl failed: ${truncate(error.message, 160)}`, 'warning');
      }
      continue;
    }
    if (command?.valuesOnly === true) {
      values.push(line);
      continue;
    }
    const setting = readSetting(text);
    if (setting !== undefined) {
      list.push({ loc: ledger.loc(line.line), key: setting.key, value: setting.value });
      continue;
    }
    ledger.unrecognized(line, 'sysctl');
  }
  nameValues(values, pending, ledger, list);
  // The collector records sysctl's complaints as `### stderr` lines: a key it could not find is as much
  // evidence there as in a pasted terminal (the line is the header's, already accounted for).
  for (const line of input.stderr ?? []) {
    const error = readError(line.text);
    if (error?.kind === 'missing')
      list.push({ loc: ledger.loc(line.line), key: error.key, value: '', missing: true });
  }
  if (command === undefined) ledger.partial('no command: the listing may be a part of sysctl -a');
  else if (command.scope !== undefined) ledger.partial(command.scope);
  if (input.command?.filtered === true) ledger.partial('filtered');
  if (list.length > 0) ledger.facts.sysctls = list;
}

/** Bare values, named in order by the keys the command gave, when there is one key for each. */
function nameValues(
  values: readonly Line[],
  keys: readonly (string | undefined)[],
  ledger: Ledger,
  list: Sysctl[],
): void {
  const first = values[0];
  if (first === undefined) return;
  if (values.length === keys.length && keys.every((k) => k !== undefined)) {
    values.forEach((line, i) => {
      list.push({ loc: ledger.loc(line.line), key: keys[i] ?? '', value: line.text.trimEnd() });
    });
    // Kept in line order: errors and values interleave the way the command printed them.
    list.sort((a, b) => a.loc.line - b.loc.line);
    return;
  }
  ledger.partial('values without names');
  ledger.report(
    first.line,
    `${values.length} bare value(s) for ${keys.length} key(s) of the command (a glob or a directory): ` +
      'which value belongs to which key is unknown, none is read',
  );
  for (const line of values.slice(1)) ledger.unrecognized(line, 'unnamed sysctl value');
}

function isSysctlStart(text: string): boolean {
  if (text.startsWith('sysctl: cannot stat /proc/sys/')) return true;
  // `KEY = VALUE` with a key under one of /proc/sys's directories: decided by the first space.
  const space = text.indexOf(' ');
  if (space <= 0 || !text.startsWith(' = ', space)) return false;
  const dot = text.indexOf('.');
  return dot > 0 && dot < space && TOP_LEVEL.has(text.slice(0, dot)) && !/[\t=]/.test(text.slice(0, space));
}

export const sysctlParser: Parser = {
  id: 'sysctl',
  title: 'Kernel settings (sysctl)',
  commands: [
    'sysctl -a',
    'sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables',
    'sysctl -n net.ipv4.ip_forward',
    'sysctl -p /etc/sysctl.d/k8s.conf',
    'cat /proc/sys/net/ipv4/ip_forward',
  ],

  matchesCommand(argv: readonly string[]): boolean {
    const tool = basename(argv[0] ?? '');
    const args = argv.slice(1);
    if (tool === 'cat') {
      const paths = args.filter((a) => !a.startsWith('-'));
      // /proc/sys/kernel/hostname is the host name: the hostname parser reads it.
      return (
        paths.length > 0 && paths.every((p) => p.startsWith(PROC_SYS) && p !== '/proc/sys/kernel/hostname')
      );
    }
    if (tool !== 'sysctl') return false;
    if (args.some((a) => NOT_VALUES.has(a) || /^-[a-zA-Z]*[Nb]/.test(a))) return false;
    // Something to print: every key, some keys, or a file of settings.
    return args.some(
      (a) =>
        !a.startsWith('-') || ALL.has(a) || a === '--system' || LOAD.test(a) || /^-[a-zA-Z]*[aAX]/.test(a),
    );
  },

  detect(lines: readonly Line[], index: number): boolean {
    return isSysctlStart(lines[index]?.text ?? '');
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'sysctl', (ledger) => parseLines(input, ledger));
  },
};
