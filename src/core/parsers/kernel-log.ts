// The kernel log: `dmesg` (`[  641.187145] …`, `-T`/`--ctime`, `-x`, `-r`, `--time-format iso`, `-t`),
// `journalctl -k` (`Dec 02 12:00:01 node1 kernel: …`), syslog files (`tail /var/log/kern.log`,
// `/var/log/messages`, OpenWrt's `logread`). Each line's message (the text after its timestamp and syslog
// prefix) is classified; the lines that matter on a packet's path become KernelLogLine records:
//   udp-bad-checksum    `UDP: bad checksum. From 10.0.0.2:35183 to 10.0.0.1:8472 ulen 110` (IPv4 only:
//                       net/ipv6/udp.c logs no such line, it only counts Udp6InCsumErrors)
//   netfilter-log       a LOG target / nft `log` line: `PREFIX IN=… OUT=… SRC=… DST=… PROTO=… SPT= DPT=`
//   conntrack-full      `nf_conntrack: nf_conntrack: table full, dropping packet`
//   neighbour-overflow  `neighbour: arp_cache: neighbor table overflow!` (and `ndisc_cache`)
//   module-missing      `request_module: …`, `MOD: Unknown symbol …`, modprobe / systemd-modules-load
//                       failures logged by syslog
// Every other line is understood and skipped, not recorded: a boot log is mostly lines no check reads,
// and a record each would make a million-line log a million objects. For the same reason consecutive
// lines of one kind with the same message (a `table full` flood) are one record spanning them.

import type { KernelLogLine } from '../model/types';
import { compressIPv6, isIPv4 } from '../util/ip';
import { basename } from '../util/argv';
import { fileError } from './output-words';
import { isBlankOrElision, toInt, tokens, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import { moduleInMessage } from './lsmod';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const READERS = new Set([
  'cat',
  'head',
  'tail',
  'grep',
  'egrep',
  'zcat',
  'zgrep',
  'less',
  'more',
  'bzcat',
  'xzcat',
]);
/** Syslog files that hold kernel lines: kern.log, messages, syslog, their rotations. */
const LOG_FILE = /^(?:kern\.log|kernel\.log|messages|syslog|dmesg|kern)(?:[.-][\w.-]{0,40})?$/;
/** dmesg options after which it prints no log (clear, console settings, help). */
const DMESG_SILENT = new Set([
  '-C',
  '--clear',
  '-D',
  '--console-off',
  '-E',
  '--console-on',
  '-n',
  '--console-level',
  '-h',
  '--help',
  '-V',
  '--version',
]);

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
/** dmesg's bracketed stamps: monotonic `[  641.187145]`, `-T` `[Wed Dec  2 12:46:36 2026]`, `-d` `[<    0.000012>]`, `-e` `[Dec 2 12:46]` / `[  +0.000012]`. */
const DMESG_STAMP = new RegExp(
  `^(?:\\s{0,12}\\d{1,12}\\.\\d{1,9}|<\\s{0,12}\\d{1,12}\\.\\d{1,9}>|\\s{0,12}\\+\\s{0,12}\\d{1,12}\\.\\d{1,9}|${WEEKDAY} ${MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}|${MONTH} {1,2}\\d{1,2}(?: \\d\\d:\\d\\d(?::\\d\\d)?)?)$`,
);
/** `dmesg -x`: `kern  :warn  : `. */
const DECODED =
  /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) *:(?:emerg|alert|crit|err|warn|notice|info|debug) *: /;
/** `dmesg --time-format iso`: `2026-12-02T12:46:36,187145+00:00 ` (a comma before the fraction). */
const DMESG_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,\d{1,9}(?:[+-]\d\d:?\d\d|Z) /;
/** Syslog / journalctl stamps: `Dec  2 12:46:36`, `Dec 02 12:46:36.123456`, ISO `2026-12-02T12:46:36.123+00:00`. */
const SYSLOG_BSD = new RegExp(`^${MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})? `);
const SYSLOG_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)? /;
/** OpenWrt logread: `Wed Feb 24 00:35:21 2021 `. */
const LOGREAD = new RegExp(`^${WEEKDAY} ${MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} `);
/** A syslog tag: `kernel:`, `systemd-modules-load[312]:`. */
const TAG = /^([\w.@/-]{1,64}?)(?:\[\d{1,10}\])?:$/;

/** What a log line says once its stamps are removed. */
interface Message {
  /** The message: after the timestamp (dmesg), or after `kernel: ` (syslog). Other programs' lines keep their tag. */
  text: string;
  /** The kernel wrote it (a dmesg line, or a syslog line tagged `kernel`). */
  kernel: boolean;
}

/** The message of a dmesg line (`[stamp] msg`, with `<N>` / `-x` / iso forms), or undefined. */
function dmesgMessage(text: string): string | undefined {
  let rest = text;
  if (rest.startsWith('<')) {
    const close = rest.indexOf('>');
    if (close > 1 && close <= 4 && /^\d+$/.test(rest.slice(1, close))) rest = rest.slice(close + 1);
  }
  // Most lines start with the bracket: the other forms start with a letter (`-x`) or a digit (iso).
  const decoded = rest.startsWith('[') ? null : DECODED.exec(rest);
  if (decoded !== null) rest = rest.slice(decoded[0].length);
  const iso = rest.startsWith('[') ? null : DMESG_ISO.exec(rest);
  if (iso !== null) return rest.slice(iso[0].length);
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close > 1 && close <= 40 && DMESG_STAMP.test(rest.slice(1, close))) {
      return rest.slice(close + (rest[close + 1] === ' ' ? 2 : 1));
    }
  }
  // `dmesg -x -t` keeps the facility and level and drops the time.
  return decoded !== null ? rest : undefined;
}

/** The message of a syslog/journal line (`stamp host tag: msg`), or undefined when the line has no such prefix. */
function syslogMessage(text: string): Message | undefined {
  const stamp = SYSLOG_BSD.exec(text) ?? LOGREAD.exec(text) ?? SYSLOG_ISO.exec(text);
  if (stamp === null) return undefined;
  const rest = text.slice(stamp[0].length);
  // `host tag: msg` (journalctl, rsyslog) or `facility.level tag: msg` (logread).
  const firstSpace = rest.indexOf(' ');
  if (firstSpace <= 0) return undefined;
  const afterHost = rest.slice(firstSpace + 1);
  const tagEnd = afterHost.indexOf(' ');
  const tagWord = tagEnd === -1 ? afterHost : afterHost.slice(0, tagEnd);
  const tag = TAG.exec(tagWord);
  if (tag === null) return undefined;
  const body = tagEnd === -1 ? '' : afterHost.slice(tagEnd + 1);
  if (tag[1] !== 'kernel') return { text: afterHost, kernel: false };
  // klogd and logread keep the kernel's own `[ 1234.567890] ` stamp.
  return { text: dmesgMessage(body) ?? body, kernel: true };
}

/** A classified message: the kind and the fields that kind carries. */
type Classified = Omit<KernelLogLine, 'loc' | 'text'>;

const BAD_CHECKSUM = /^UDP(?:Lite|-Lite)?: bad checksum\. From /;
const CONNTRACK_FULL = /^(?:nf_conntrack: )?(?:nf_conntrack|ip_conntrack): table full, dropping packet/;
const NEIGH_OVERFLOW = /^(?:neighbour: )?([a-z_0-9]{1,32}): neighbor table overflow!/;
const NEIGH_OVERFLOW_OLD = /^(ipv4|ipv6): Neighbour table overflow\./;
const MODULE_FAILURE =
  /^(?:request_module: |[\w-]{1,64}: (?:Unknown symbol |disagrees about version of symbol ))/;
const MODULE_PROGRAM =
  /^(?:modprobe(?:\[\d+\])?: (?:FATAL|ERROR)|systemd-modules-load\[\d+\]: Failed to (?:find|insert|load) module )/;

function classify(text: string, kernel: boolean): Classified | undefined {
  if (!kernel) {
    if (!MODULE_PROGRAM.test(text)) return undefined;
    const out: Classified = { kind: 'module-missing' };
    const module = moduleInMessage(text);
    if (module !== undefined) out.module = module;
    return out;
  }
  if (BAD_CHECKSUM.test(text)) return badChecksum(text);
  if (CONNTRACK_FULL.test(text)) return { kind: 'conntrack-full' };
  const neigh = NEIGH_OVERFLOW.exec(text);
  if (neigh !== null) return { kind: 'neighbour-overflow', table: neigh[1] ?? '' };
  const old = NEIGH_OVERFLOW_OLD.exec(text);
  if (old !== null)
    return { kind: 'neighbour-overflow', table: old[1] === 'ipv6' ? 'ndisc_cache' : 'arp_cache' };
  if (MODULE_FAILURE.test(text)) {
    const out: Classified = { kind: 'module-missing' };
    const module = moduleInMessage(text) ?? /^([\w-]{1,64}): (?:Unknown|disagrees)/.exec(text)?.[1];
    if (module !== undefined) out.module = module;
    return out;
  }
  return netfilterLog(text);
}

/** `UDP: bad checksum. From 10.0.0.2:35183 to 10.0.0.1:8472 ulen 110`. */
function badChecksum(text: string): Classified {
  const out: Classified = { kind: 'udp-bad-checksum' };
  const words = tokens(text.slice(0, 200));
  const from = endpoint(words[4]);
  const to = words[5] === 'to' ? endpoint(words[6]) : undefined;
  if (from !== undefined) {
    out.src = from.address;
    out.sport = from.port;
  }
  if (to !== undefined) {
    out.dst = to.address;
    out.dport = to.port;
  }
  return out;
}

function endpoint(word: string | undefined): { address: string; port: number } | undefined {
  const colon = word?.lastIndexOf(':') ?? -1;
  if (word === undefined || colon <= 0) return undefined;
  const address = word.slice(0, colon);
  const port = toInt(word.slice(colon + 1));
  return isIPv4(address) && port !== undefined && port >= 0 && port <= 65535 ? { address, port } : undefined;
}

/**
 * A LOG target line: `PREFIX` (any text, up to 127 characters for nft, glued to `IN=` when it has no trailing
 * space) then `IN=DEV OUT=DEV`, MAC, addresses and protocol fields. The fields inside `[…]` (the packet an ICMP
 * error quotes) are not the logged packet's and are not read.
 */
function netfilterLog(text: string): Classified | undefined {
  const head = text.slice(0, 160);
  let at = head.indexOf('IN=');
  while (at !== -1) {
    const valueEnd = head.indexOf(' ', at + 3);
    if (valueEnd !== -1 && valueEnd - at <= 3 + 16 && head.startsWith('OUT=', valueEnd + 1)) break;
    at = head.indexOf('IN=', at + 3);
  }
  if (at === -1) return undefined;
  const out: Classified = { kind: 'netfilter-log' };
  const prefix = text.slice(0, at).trimEnd();
  if (prefix !== '') out.prefix = prefix;
  const seen = new Set<string>();
  for (const word of tokens(text.slice(at))) {
    if (word.startsWith('[')) break;
    const eq = word.indexOf('=');
    if (eq <= 0) continue;
    const key = word.slice(0, eq);
    if (seen.has(key)) continue;
    seen.add(key);
    const value = word.slice(eq + 1);
    switch (key) {
      case 'IN':
        if (value !== '') out.in = value;
        break;
      case 'OUT':
        if (value !== '') out.out = value;
        break;
      case 'SRC':
        out.src = compressIPv6(value) ?? value;
        break;
      case 'DST':
        out.dst = compressIPv6(value) ?? value;
        break;
      case 'PROTO':
        out.proto = value;
        break;
      case 'SPT':
      case 'DPT': {
        const port = toInt(value);
        if (port !== undefined) out[key === 'SPT' ? 'sport' : 'dport'] = port;
        break;
      }
    }
  }
  return out;
}

/** Does the command print bare messages (`dmesg -t`, `journalctl -k -o cat`)? Then a line without a stamp is normal. */
function expectsBareMessages(input: ParserInput): boolean {
  const argv = input.command?.argv ?? [];
  const cmd = basename(argv[0] ?? '');
  const args = argv.slice(1);
  if (cmd === 'dmesg') {
    return args.some(
      (a, i) =>
        a === '--notime' ||
        a === '--time-format=notime' ||
        (a === '--time-format' && args[i + 1] === 'notime') ||
        /^-[a-zA-Z]*t[a-zA-Z]*$/.test(a),
    );
  }
  if (cmd === 'journalctl') {
    return args.some(
      (a, i) =>
        a === '-ocat' || a === '--output=cat' || ((a === '-o' || a === '--output') && args[i + 1] === 'cat'),
    );
  }
  return false;
}

/** Lines journalctl and dmesg print about the log itself. */
function readNotice(text: string, line: Line, ledger: Ledger): boolean {
  if (/^-- .{0,200} --$/.test(text) || /^-- No entries --$/.test(text)) {
    ledger.skip(line.line); // `-- Logs begin at … --`, `-- Boot 5f3c… --`, `-- Reboot --`
    return true;
  }
  if (
    text === 'No journal files were found.' ||
    /^(?:dmesg|journalctl|logread): /.test(text) ||
    text.startsWith('Hint: ')
  ) {
    ledger.report(
      line.line,
      `The kernel log was not read (its lines here prove nothing absent): ${truncate(text, 160)}`,
      'warning',
    );
    ledger.partial('the kernel log could not be read');
    return true;
  }
  if (/^(?:Users in groups |Pass -q to turn off this notice)/.test(text)) {
    ledger.skip(line.line); // the rest of journalctl's `Hint:` paragraph
    return true;
  }
  const missing = fileError(text);
  if (missing !== undefined) {
    ledger.report(line.line, `${missing.path}: ${missing.reason} (no kernel log)`, 'warning');
    ledger.partial('no kernel log');
    return true;
  }
  return false;
}

function parseLog(input: ParserInput, ledger: Ledger): void {
  const records: KernelLogLine[] = [];
  const bare = expectsBareMessages(input);
  let last: { record: KernelLogLine; endLine: number } | undefined;
  for (const line of input.lines) {
    const raw = line.text;
    if (isBlankOrElision(raw)) {
      ledger.skip(line.line);
      continue;
    }
    const text = raw.trimEnd();
    const dmesg = dmesgMessage(text);
    const message = dmesg !== undefined ? { text: dmesg, kernel: true } : syslogMessage(text);
    if (message === undefined && readNotice(text.trim(), line, ledger)) continue;
    // A line without a stamp: `dmesg -t`, or a message pasted on its own.
    const read = message ?? { text: text.trim(), kernel: true };
    const body = read.text.trim();
    const found = classify(body, read.kernel);
    if (found === undefined) {
      if (message === undefined && !bare) ledger.unrecognized(line, 'kernel log');
      else ledger.skip(line.line);
      continue;
    }
    if (
      last !== undefined &&
      last.endLine === line.line - 1 &&
      last.record.kind === found.kind &&
      last.record.text === body
    ) {
      last.endLine = line.line;
      last.record.loc.endLine = line.line;
      continue;
    }
    const record: KernelLogLine = { loc: ledger.loc(line.line), kind: found.kind, text: body };
    Object.assign(record, found);
    records.push(record);
    last = { record, endLine: line.line };
  }
  const argv = input.command?.argv ?? [];
  const reader = basename(argv[0] ?? '');
  if (reader === 'grep' || reader === 'egrep' || reader === 'zgrep')
    ledger.partial(`${reader}: the matching lines only`);
  else if (reader === 'head' || reader === 'tail') ledger.partial(`${reader}: part of the log only`);
  if (records.length > 0) ledger.facts.kernelLog = records;
}

function isJournalKernel(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-k' || a === '--dmesg' || a === '_TRANSPORT=kernel' || a === 'SYSLOG_IDENTIFIER=kernel')
      return true;
    if ((a === '-t' || a === '--identifier') && args[i + 1] === 'kernel') return true;
    if (a === '--identifier=kernel') return true;
    // Clustered flags: `-kb`, `-xk`, `-ekx` (flags without a value before the `k`).
    if (/^-[abefklmqrx]{2,8}$/.test(a) && a.includes('k')) return true;
  }
  return false;
}

export const kernelLogParser: Parser = {
  id: 'kernel-log',
  title: 'Kernel log (dmesg, journalctl -k, kern.log)',
  commands: ['dmesg', 'dmesg -T', 'journalctl -k', 'tail /var/log/kern.log', 'tail /var/log/messages'],

  matchesCommand(argv: readonly string[]): boolean {
    const cmd = basename(argv[0] ?? '');
    const args = argv.slice(1);
    switch (cmd) {
      case 'dmesg':
        return !args.some((a) => DMESG_SILENT.has(a) || a.startsWith('--console-level='));
      case 'journalctl':
        return isJournalKernel(args);
      case 'logread':
        return true;
      default:
        return (
          READERS.has(cmd) &&
          args.some((a) => !a.startsWith('-') && a.includes('/log/') && LOG_FILE.test(basename(a)))
        );
    }
  },

  detect(lines: readonly Line[], index: number): boolean {
    const text = lines[index]?.text ?? '';
    const c = text.charCodeAt(0);
    // `[  641.187145] ` and `[Wed Dec  2 12:46:36 2026] `: the bracket must close within 40 characters.
    if (c === 91) {
      const close = text.indexOf(']');
      return close > 1 && close <= 40 && text[close + 1] === ' ' && DMESG_STAMP.test(text.slice(1, close));
    }
    if (DECODED.test(text) || DMESG_ISO.test(text)) return true;
    if (SYSLOG_BSD.test(text)) return syslogMessage(text)?.kernel === true;
    if (text.startsWith('-- Logs begin at ') || text.startsWith('-- Journal begins at ')) {
      const next = lines[index + 1]?.text ?? '';
      return SYSLOG_BSD.test(next) && syslogMessage(next)?.kernel === true;
    }
    return false;
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'kernel-log', (ledger) => parseLog(input, ledger));
  },
};
