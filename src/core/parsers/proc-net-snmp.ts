// The kernel's protocol counters: `cat /proc/net/snmp` (a header line of names and a line of values per
// protocol, `Udp: InDatagrams NoPorts InErrors … InCsumErrors …` / `Udp: 0 0 3 … 3 …`), `cat /proc/net/snmp6`
// and `nstat` (one `Udp6InCsumErrors  2` counter a line, grouped by protocol), and `netstat -s` (a `Udp:`
// section of `3 packet receive errors` sentences and `InCsumErrors: 3` pairs). Udp InCsumErrors counts
// datagrams dropped for a bad checksum: VXLAN packets whose outer UDP checksum a NIC offload or a NAT got
// wrong die there, silently, on the receiving node.

import type { Counter, SnmpCounters } from '../model/types';
import { basename } from '../util/argv';
import { fileError } from './output-words';
import { isBlankOrElision, tokens, truncate } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const READERS = new Set(['cat', 'head', 'tail', 'grep', 'egrep', 'less', 'more']);
const SNMP_FILE = /(^|\/)(?:proc\/(?:self\/|\d+\/)?net\/snmp6?|snmp6?)$/;
/** `Ip: Forwarding DefaultTTL …`, `Udp: 0 0 3 …`: a protocol, a colon, the rest of the line. */
const PAIR_LINE = /^([A-Z][A-Za-z0-9]{0,31}): (.*)$/;
/** netstat -s section header: `Udp:`, `IcmpMsg:`, `TcpExt:`. */
const SECTION = /^([A-Z][A-Za-z0-9]{0,31}):$/;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const NUMBER = /^-?\d{1,20}$/;
/** Counter-name prefixes of /proc/net/snmp6 and nstat, longest first so `Ip6` wins over `Ip`. */
const PROTOCOLS = [
  'MPTcpExt',
  'UdpLite6',
  'IcmpMsg',
  'UdpLite',
  'TcpExt',
  'IpExt',
  'Icmp6',
  'Icmp',
  'Udp6',
  'Sctp',
  'Ip6',
  'Tcp',
  'Udp',
  'Ip',
];
/** netstat -s says these Udp counters in words (net-tools statistics.c); the rest it prints as `Name: N`. */
const UDP_SENTENCES = new Map([
  ['packets received', 'InDatagrams'],
  ['packets to unknown port received', 'NoPorts'],
  ['packet receive errors', 'InErrors'],
  ['packets sent', 'OutDatagrams'],
  ['receive buffer errors', 'RcvbufErrors'],
  ['send buffer errors', 'SndbufErrors'],
]);

/** A counter value: 64-bit in the kernel; beyond 2^53 it is kept approximately rather than dropped. */
function counterValue(text: string | undefined): number | undefined {
  return text !== undefined && NUMBER.test(text) ? Number(text) : undefined;
}

/** `Udp6InCsumErrors` → protocol `Udp6`, name `InCsumErrors`. */
function splitName(full: string): { protocol: string; name: string } {
  const known = PROTOCOLS.find((p) => full.startsWith(p) && full.length > p.length);
  if (known !== undefined) return { protocol: known, name: full.slice(known.length) };
  const m = /^[A-Z][a-z0-9]*/.exec(full);
  const protocol = m?.[0] ?? full;
  return protocol.length < full.length
    ? { protocol, name: full.slice(protocol.length) }
    : { protocol: full, name: full };
}

/** The record a run of lines is building: one protocol's counters, from `line` to `endLine`. */
interface Open {
  record: SnmpCounters;
  kind: 'single' | 'section';
  endLine: number;
}

class SnmpReader {
  private readonly records: SnmpCounters[] = [];
  private open: Open | undefined;
  /** The header line of /proc/net/snmp waiting for its values on the next line. */
  private header: { line: Line; protocol: string; names: string[] } | undefined;

  constructor(private readonly ledger: Ledger) {}

  read(line: Line): void {
    const text = line.text;
    if (isBlankOrElision(text)) {
      this.close();
      this.ledger.skip(line.line);
      return;
    }
    // A netstat -s counter line is indented under its section.
    if (this.open?.kind === 'section' && /^\s/.test(text)) {
      this.sectionLine(line, text.trim());
      return;
    }
    const trimmed = text.trim();
    if (/^\s/.test(text) && /^[A-Za-z][\w ]{0,63}: -?\d{1,20}$/.test(trimmed)) {
      // `netstat -s | grep Csum` keeps `    InCsumErrors: 3` without the section that says whose it is.
      this.close();
      this.ledger.report(
        line.line,
        `Counter outside its netstat -s section (its protocol is unknown): ${truncate(trimmed, 80)}`,
      );
      return;
    }
    const section = SECTION.exec(trimmed);
    if (section !== null && !/^\s/.test(text)) {
      this.close();
      this.open = {
        record: { loc: this.ledger.loc(line.line), protocol: section[1] ?? '', counters: [] },
        kind: 'section',
        endLine: line.line,
      };
      return;
    }
    const pair = PAIR_LINE.exec(trimmed);
    if (pair !== null) {
      this.pairLine(line, pair[1] ?? '', tokens(pair[2] ?? ''));
      return;
    }
    const words = tokens(trimmed);
    const [full, value, rate] = words;
    const n = counterValue(value);
    if (
      full !== undefined &&
      NAME.test(full) &&
      n !== undefined &&
      (words.length === 2 || (words.length === 3 && /^-?\d+(\.\d+)?$/.test(rate ?? '')))
    ) {
      this.singleLine(line, full, n);
      return;
    }
    this.close();
    if (trimmed === '#kernel') {
      this.ledger.skip(line.line); // nstat's first line
      return;
    }
    const missing = fileError(trimmed);
    if (missing !== undefined) {
      this.ledger.report(line.line, `${missing.path}: ${missing.reason} (no counters)`, 'warning');
      this.ledger.partial('no counters');
      return;
    }
    if (/^(?:netstat|nstat): /.test(trimmed)) {
      this.ledger.report(line.line, `The counters could not be read: ${truncate(trimmed, 160)}`, 'warning');
      this.ledger.partial('no counters');
      return;
    }
    this.ledger.unrecognized(line, 'SNMP counter');
  }

  finish(): SnmpCounters[] {
    this.close();
    return this.records;
  }

  /** /proc/net/snmp: a names line, then a values line of the same protocol right below it. */
  private pairLine(line: Line, protocol: string, words: string[]): void {
    this.close();
    const header = this.header;
    const values = words.map(counterValue);
    if (words.length > 0 && values.every((v) => v !== undefined)) {
      this.header = undefined;
      if (header === undefined || header.protocol !== protocol || header.line.line !== line.line - 1) {
        if (header !== undefined) this.noValues(header);
        this.ledger.report(line.line, `${protocol}: values without the line of names above them`);
        return;
      }
      if (header.names.length !== values.length) {
        this.ledger.report(
          header.line.line,
          `${protocol}: ${header.names.length} names but ${values.length} values on the next line; not read`,
          'warning',
        );
        this.ledger.report(line.line, `${protocol}: values not read (see the line above)`);
        return;
      }
      const counters: Counter[] = header.names.map((name, i) => ({ name, value: values[i] ?? 0 }));
      this.records.push({ loc: this.ledger.loc(header.line.line, line.line), protocol, counters });
      return;
    }
    if (header !== undefined) this.noValues(header);
    this.header = undefined;
    if (words.length > 0 && words.every((w) => NAME.test(w))) {
      this.header = { line, protocol, names: words };
      return;
    }
    this.ledger.unrecognized(line, 'SNMP counter');
  }

  private noValues(header: { line: Line; protocol: string }): void {
    this.ledger.report(header.line.line, `${header.protocol}: counter names without their values below`);
  }

  /** /proc/net/snmp6, nstat: `Udp6InCsumErrors  2`; consecutive lines of one protocol make one record. */
  private singleLine(line: Line, full: string, value: number): void {
    const { protocol, name } = splitName(full);
    const open = this.open;
    if (open?.kind === 'single' && open.record.protocol === protocol && open.endLine === line.line - 1) {
      open.record.counters.push({ name, value });
      open.endLine = line.line;
      return;
    }
    this.close();
    this.open = {
      record: { loc: this.ledger.loc(line.line), protocol, counters: [{ name, value }] },
      kind: 'single',
      endLine: line.line,
    };
  }

  /** netstat -s: `InCsumErrors: 3`, `3 packet receive errors`, `destination unreachable: 5`, sub-headers. */
  private sectionLine(line: Line, text: string): void {
    const open = this.open as Open;
    open.endLine = line.line;
    const colon = text.lastIndexOf(': ');
    const named = colon === -1 ? undefined : counterValue(text.slice(colon + 2));
    if (colon > 0 && named !== undefined) {
      open.record.counters.push({ name: text.slice(0, colon), value: named });
      return;
    }
    const words = tokens(text);
    const at = words.findIndex((w) => NUMBER.test(w));
    const value = at === -1 ? undefined : counterValue(words[at]);
    if (value === undefined) {
      // `ICMP input histogram:` and the like: a heading inside the section.
      if (text.endsWith(':')) this.ledger.skip(line.line);
      else this.ledger.unrecognized(line, 'netstat -s');
      return;
    }
    // The number is the value; the sentence around it names the counter (`N` where the number was).
    const sentence = (at === 0 ? words.slice(1) : words.map((w, i) => (i === at ? 'N' : w))).join(' ');
    const plain = sentence.replace(/\.$/, '');
    const name = open.record.protocol.startsWith('Udp') ? (UDP_SENTENCES.get(plain) ?? plain) : plain;
    open.record.counters.push({ name, value });
  }

  private close(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    if (open.kind === 'section' && open.record.counters.length === 0) {
      // `UdpLite:` with nothing under it: netstat printed no counter for it (its lines are accounted for).
      this.ledger.skip(open.record.loc.line);
      return;
    }
    open.record.loc = this.ledger.loc(open.record.loc.line, open.endLine);
    this.records.push(open.record);
  }

  /** Flushes a names line left waiting at the end. */
  end(): void {
    if (this.header !== undefined) this.noValues(this.header);
    this.header = undefined;
  }
}

function parseCounters(input: ParserInput, ledger: Ledger): void {
  const reader = new SnmpReader(ledger);
  for (const line of input.lines) reader.read(line);
  reader.end();
  const records = reader.finish();
  if (records.length > 0) ledger.facts.snmp = records;
}

export const procNetSnmpParser: Parser = {
  id: 'proc-net-snmp',
  title: 'Kernel protocol counters (/proc/net/snmp, /proc/net/snmp6, netstat -s, nstat)',
  commands: ['cat /proc/net/snmp', 'cat /proc/net/snmp6', 'netstat -su', 'nstat -az'],

  matchesCommand(argv: readonly string[]): boolean {
    const cmd = basename(argv[0] ?? '');
    const args = argv.slice(1);
    if (cmd === 'netstat') {
      return args.some((a) => a === '--statistics' || (/^-[a-zA-Z]+$/.test(a) && a.includes('s')));
    }
    if (cmd === 'nstat') return !args.some((a) => a === '-h' || a === '--help' || a === '-V');
    return READERS.has(cmd) && args.some((a) => !a.startsWith('-') && SNMP_FILE.test(a));
  },

  detect(lines: readonly Line[], index: number): boolean {
    const text = lines[index]?.text ?? '';
    if (/^Ip: Forwarding DefaultTTL(?: |$)/.test(text) || /^Ip6InReceives\s+\d+$/.test(text)) return true;
    return text === '#kernel' && /^[A-Z][A-Za-z0-9]{1,63}\s+\d+\s+[\d.]+$/.test(lines[index + 1]?.text ?? '');
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'proc-net-snmp', (ledger) => parseCounters(input, ledger));
  },
};
