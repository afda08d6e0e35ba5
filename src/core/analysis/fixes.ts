// The repair commands, exactly as flannel itself would program the entries. People paste them into a
// root shell, and every name in them comes from a snapshot (an `ip -j` listing may name an interface
// anything), so each argument is shell-quoted here, where commands are built, and a name no pasted
// command can carry safely withholds the whole fix with a note saying why.

import { escapeControls, firstUnsafeChar } from '../util/text';
import type { Subnet } from './view';

/** A fix that is not given, and why (the finding's message says so). */
export interface WithheldFix {
  readonly withheld: string;
}

/** The command(s) of a fix, one per line, or the reason there is none. */
export type Fix = string | WithheldFix;

export function isWithheld(fix: Fix | undefined | false): fix is WithheldFix {
  return typeof fix === 'object';
}

// Characters that mean nothing to bash, dash or zsh in an unquoted word (not even at its start: no
// `~`, `=`, `%`, `#`, `!`, braces or globs), so ordinary fixes read as people type them.
const BARE_WORD = /^[A-Za-z0-9_@+:,./-]+$/;

/** One argument as a POSIX shell reads it back unchanged: bare when it can be, else in single quotes. */
export function shellQuote(word: string): string {
  if (BARE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * A command line from its argv, each word quoted; withheld when a word holds a character that a
 * terminal, an editor or a line-by-line paste would act on (a line break, ESC, NUL, a bidi override):
 * quotes keep it from the shell, not from the display or the paste.
 */
export function command(...argv: readonly string[]): Fix {
  for (const word of argv) {
    const bad = firstUnsafeChar(word);
    if (bad !== undefined)
      return {
        withheld: `${escapeControls(word)} holds the character ${bad}, which a pasted command cannot carry safely`,
      };
  }
  return argv.map(shellQuote).join(' ');
}

/** `ip` for an address's family: `ip -6` for IPv6, as flannel's dual-stack entries are listed and written. */
function ip(address: string): string[] {
  return address.includes(':') ? ['ip', '-6'] : ['ip'];
}

export function routeFix(subnet: Subnet, vtep: string): Fix {
  return command(
    ...ip(subnet.cidr),
    'route',
    'replace',
    subnet.cidr,
    'via',
    subnet.network,
    'dev',
    vtep,
    'onlink',
  );
}

export function routeDel(dst: string, dev: string | undefined): Fix {
  return dev === undefined
    ? command(...ip(dst), 'route', 'del', dst)
    : command(...ip(dst), 'route', 'del', dst, 'dev', dev);
}

export function neighFix(address: string, mac: string, vtep: string): Fix {
  return command(...ip(address), 'neigh', 'replace', address, 'lladdr', mac, 'dev', vtep, 'nud', 'permanent');
}

export function neighDel(address: string, dev: string): Fix {
  return command(...ip(address), 'neigh', 'del', address, 'dev', dev);
}

export function fdbFix(mac: string, dst: string, vtep: string): Fix {
  return command('bridge', 'fdb', 'append', mac, 'dev', vtep, 'dst', dst, 'self', 'permanent');
}

export function fdbReplace(mac: string, dst: string, vtep: string): Fix {
  return command('bridge', 'fdb', 'replace', mac, 'dev', vtep, 'dst', dst, 'self', 'permanent');
}

export function fdbDel(mac: string, dst: string | undefined, vtep: string): Fix {
  return dst === undefined
    ? command('bridge', 'fdb', 'del', mac, 'dev', vtep, 'self')
    : command('bridge', 'fdb', 'del', mac, 'dev', vtep, 'dst', dst, 'self');
}

/** Brings a device up (the VTEP, or a pod veth whose bridge port is not forwarding). */
export function linkUp(dev: string): Fix {
  return command('ip', 'link', 'set', dev, 'up');
}

export function linkMtu(dev: string, mtu: number): Fix {
  return command('ip', 'link', 'set', dev, 'mtu', String(mtu));
}

/** Makes a device a port of a bridge (a pod veth of cni0). */
export function linkMaster(dev: string, bridge: string): Fix {
  return command('ip', 'link', 'set', dev, 'master', bridge);
}

/** Turns off source-address learning on a VXLAN device (flannel programs every entry itself). */
export function vxlanNoLearning(dev: string): Fix {
  return command('ip', 'link', 'set', dev, 'type', 'vxlan', 'nolearning');
}

/** `cidr` is ADDRESS/PREFIX. */
export function addrAdd(cidr: string, dev: string): Fix {
  return command(...ip(cidr), 'addr', 'add', cidr, 'dev', dev);
}

export function addrDel(cidr: string, dev: string): Fix {
  return command(...ip(cidr), 'addr', 'del', cidr, 'dev', dev);
}

/**
 * Several commands as one fix, in order; `undefined`/`false` leave a command out. When any command is
 * withheld the whole fix is: a part of a repair (a delete without its add) would do harm.
 */
export function lines(...commands: (Fix | undefined | false)[]): Fix | undefined {
  return allLines(commands);
}

/** `lines` over a list of any length (a spread of a huge list would overflow the stack). */
export function allLines(commands: readonly (Fix | undefined | false)[]): Fix | undefined {
  const withheld = commands.find(isWithheld);
  if (withheld !== undefined) return withheld;
  const kept = commands.filter((c): c is string => typeof c === 'string' && c !== '');
  return kept.length === 0 ? undefined : kept.join('\n');
}

/** The iptables program that edits the rules of a backend (`iptables-legacy`, `ip6tables-nft`, …). */
export function iptablesProgram(backend: 'legacy' | 'nf_tables' | undefined, family: 'ip' | 'ip6'): string {
  const base = family === 'ip6' ? 'ip6tables' : 'iptables';
  return backend === 'legacy' ? `${base}-legacy` : backend === 'nf_tables' ? `${base}-nft` : base;
}

/** Inserts a rule at the top of an iptables chain: `-I CHAIN 1 MATCHES… -j ACCEPT`. */
export function iptablesInsertAccept(
  program: string,
  table: string,
  chain: string,
  matches: readonly string[],
): Fix {
  const tableArgs = table === 'filter' ? [] : ['-t', table];
  return command(program, ...tableArgs, '-I', chain, '1', ...matches, '-j', 'ACCEPT');
}

/** Inserts an accept at the top of an nftables chain. */
export function nftInsertAccept(
  family: string,
  table: string,
  chain: string,
  matches: readonly string[],
): Fix {
  return command('nft', 'insert', 'rule', family, table, chain, ...matches, 'accept');
}

/** Sets a kernel setting now (persisting it is a file under /etc/sysctl.d, which the message names). */
export function sysctlSet(key: string, value: string): Fix {
  return command('sysctl', '-w', `${key}=${value}`);
}

export function modprobe(module: string): Fix {
  return command('modprobe', module);
}

export function ethtoolOff(dev: string, feature: string): Fix {
  return command('ethtool', '-K', dev, feature, 'off');
}
