// Loaded kernel modules and why one is missing: `lsmod` (`Module  Size  Used by` then `bridge  307200  1
// br_netfilter`), `cat /proc/modules` (`bridge 307200 1 br_netfilter, Live 0x…`), and the errors of
// `modprobe vxlan` / `insmod` / `modinfo` (`modprobe: FATAL: Module vxlan not found in directory …`), which
// become ModuleErrors naming the module. flannel's VXLAN backend needs `vxlan`; kube-proxy and flannel need
// `br_netfilter` for bridged traffic to reach iptables. When lsmod itself fails (`libkmod: ERROR … could not
// open /proc/modules`, a kernel without module support) there is no list: a warning, and the listing is
// partial, so no module counts as absent.

import type { KernelModule, ModuleError } from '../model/types';
import { basename } from '../util/argv';
import { fileError } from './output-words';
import { isBlankOrElision, toInt, tokens, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const READERS = new Set(['cat', 'head', 'tail', 'grep', 'egrep', 'less', 'more']);
const HEADER = /^Module\s+Size\s+Used by\s*$/;
/** A loaded module's name: the kernel turns `-` into `_`, but a pasted name may keep it. */
const MODULE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const STATES = new Set(['Live', 'Loading', 'Unloading']);
/** `modprobe -c` / `--show-depends` / `-D` print configuration, not modules or errors. */
const MODPROBE_OTHER_OUTPUT = new Set(['-c', '--showconfig', '-D', '--show-depends', '--dump-modversions']);

/** Where a module's name sits in the messages of modprobe, insmod, modinfo, systemd and the kernel. */
const MODULE_IN_MESSAGE: readonly RegExp[] = [
  /\bModule ([\w.-]{1,64}) (?:not found|is builtin|is in use)/,
  /\bcould not insert '([\w.-]{1,64})'/,
  /\bcould not insert module ([\w./-]{1,255}?)(?:\.ko(?:\.[a-z]{1,4})?)?:/,
  /\bmodule ([\w.-]{1,64}) not found in modules\.dep/,
  /\bFailed to (?:find|insert|load) module '([\w.-]{1,64})'/,
  /\bfor module ([\w.-]{1,64}),/,
  /\bmodprobe ([\w.-]{1,64}) cannot be processed/,
];

/** The module a modprobe/insmod/modinfo/systemd-modules-load/request_module message is about. */
export function moduleInMessage(text: string): string | undefined {
  for (const re of MODULE_IN_MESSAGE) {
    const m = re.exec(text);
    const name = m?.[1];
    if (name === undefined) continue;
    const bare = basename(name).replace(/\.$/, '');
    if (bare !== '') return bare;
  }
  return undefined;
}

/** `modprobe: FATAL: …`, `modprobe: ERROR: …`, old module-init-tools' bare `FATAL: Module vxlan not found.` */
const TOOL_ERROR = /^(?:(?:modprobe|insmod|rmmod|modinfo|depmod): |FATAL: )/;
/** lsmod's own failure: it could not read /proc/modules. */
const LSMOD_FAILURE =
  /^(?:libkmod: ERROR .*could not open \/proc\/modules|Error: could not get list of modules)/;

function parseModules(input: ParserInput, ledger: Ledger): void {
  const modules: KernelModule[] = [];
  const errors: ModuleError[] = [];
  const modinfo = basename(input.command?.argv[0] ?? '') === 'modinfo';
  for (const line of input.lines) {
    const text = line.text;
    if (isBlankOrElision(text) || HEADER.test(text)) {
      ledger.skip(line.line);
      continue;
    }
    const trimmed = text.trim();
    if (LSMOD_FAILURE.test(trimmed)) {
      ledger.report(
        line.line,
        `lsmod could not list the loaded modules: ${truncate(trimmed, 160)} (a kernel without module support, or /proc not mounted)`,
        'warning',
      );
      ledger.partial('lsmod failed');
      continue;
    }
    if (TOOL_ERROR.test(trimmed)) {
      const error: ModuleError = { loc: ledger.loc(line.line), message: trimmed };
      const module = moduleInMessage(trimmed);
      if (module !== undefined) error.module = module;
      errors.push(error);
      continue;
    }
    const missing = fileError(trimmed);
    if (missing !== undefined) {
      ledger.report(line.line, `${missing.path}: ${missing.reason} (no module list)`, 'warning');
      ledger.partial('no module list');
      continue;
    }
    const module = readRow(tokens(trimmed));
    if (module !== undefined) {
      modules.push({ loc: ledger.loc(line.line), ...module });
      continue;
    }
    // `modinfo vxlan`: `filename: …`, `alias: …`, `depends: …` describe a module that exists, not one loaded.
    if (modinfo && /^[a-z][\w.]{0,40}:(?:\s|$)/.test(trimmed)) {
      ledger.skip(line.line);
      continue;
    }
    // `modprobe -v` says what it runs (`insmod /lib/modules/…/br_netfilter.ko`).
    if (/^(?:insmod|rmmod) \//.test(trimmed)) {
      ledger.skip(line.line);
      continue;
    }
    ledger.unrecognized(line, 'lsmod');
  }
  if (modules.length > 0) ledger.facts.modules = modules;
  if (errors.length > 0) ledger.facts.moduleErrors = errors;
}

/** A row of lsmod (`name size count [holders]`) or of /proc/modules (`name size count deps state addr [taint]`). */
function readRow(words: string[]): Omit<KernelModule, 'loc'> | undefined {
  const [name, size, count, deps, state, address, taint] = words;
  if (name === undefined || !MODULE_NAME.test(name) || toInt(size) === undefined) return undefined;
  if (count === undefined || (toInt(count) === undefined && count !== '-')) return undefined;
  if (words.length <= 4) return { name, usedBy: holders(deps) };
  const procRow =
    (words.length === 6 || (words.length === 7 && /^\([A-Z]{1,20}\)$/.test(taint ?? ''))) &&
    STATES.has(state ?? '') &&
    /^0x[0-9a-fA-F]{1,16}$/.test(address ?? '');
  return procRow ? { name, usedBy: holders(deps) } : undefined;
}

/** `br_netfilter`, `nfs,lockd,` (/proc/modules ends the list with a comma), `-` or `[permanent]`: none. */
function holders(list: string | undefined): string[] {
  if (list === undefined || list === '-') return [];
  return list.split(',').filter((h) => h !== '' && h !== '-' && h !== '[permanent]');
}

export const lsmodParser: Parser = {
  id: 'lsmod',
  title: 'Loaded kernel modules (lsmod, /proc/modules) and modprobe errors',
  commands: ['lsmod', 'cat /proc/modules', 'modprobe vxlan', 'modprobe br_netfilter', 'modinfo vxlan'],

  matchesCommand(argv: readonly string[]): boolean {
    const cmd = basename(argv[0] ?? '');
    const args = argv.slice(1);
    switch (cmd) {
      case 'lsmod':
        return true;
      case 'modprobe':
        return !args.some((a) => MODPROBE_OTHER_OUTPUT.has(a) || a === '-h' || a === '--help');
      case 'insmod':
      case 'modinfo':
        return args.some((a) => !a.startsWith('-'));
      default:
        return READERS.has(cmd) && args.some((a) => a === '/proc/modules');
    }
  },

  detect(lines: readonly Line[], index: number): boolean {
    return HEADER.test(lines[index]?.text ?? '');
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'lsmod', (ledger) => parseModules(input, ledger));
  },
};
