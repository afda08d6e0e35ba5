// The contract every command parser meets. One parser per command family (jc's model): metadata saying
// which commands it reads, a content signature for raw pastes, and a parse function that never throws and
// accounts for every line it is given.

import type { Facts, ParseIssue } from '../model/types';
import type { CommandLine } from '../util/shell-command';

export type { CommandLine };

/** One line of a snapshot, already cleaned of CR and ANSI colour codes; `line` is 1-based in its file. */
export interface Line {
  text: string;
  line: number;
}

export interface ParserInput {
  file: string;
  lines: readonly Line[];
  command?: CommandLine;
  /**
   * The command's stderr as the collector recorded it (`### stderr …`): lines already accounted for
   * (skipped) that a parser may read as evidence, e.g. `sysctl: cannot stat …` for a missing key.
   */
  stderr?: readonly Line[];
}

export interface ParseResult {
  facts: Facts;
  /** Lines that carry no record but are understood: blanks, headers, `...` elisions, JSON brackets. */
  skipped: number[];
  /** Lines not understood or understood with a caveat. Records cover the rest (via `loc.line..endLine`). */
  issues: ParseIssue[];
  /**
   * Why the listing is not the whole of what the command printed (invalid JSON, elements that are no
   * records): absence from it proves nothing. Absent when every element was read.
   */
  partial?: string;
}

export type ParserId =
  | 'route-n'
  | 'ip-route'
  | 'arp'
  | 'ip-neigh'
  | 'bridge-fdb'
  | 'brctl'
  | 'bridge-link'
  | 'ip-link'
  | 'ifconfig'
  | 'ip-netns'
  | 'subnet-env'
  | 'cni-config'
  | 'cni-bin'
  | 'kubectl-nodes'
  | 'hostname'
  | 'iptables'
  | 'nft'
  | 'sysctl'
  | 'ethtool'
  | 'lsmod'
  | 'proc-net-snmp'
  | 'kernel-log'
  | 'uname'
  | 'conntrack';

export interface Parser {
  id: ParserId;
  /** What the parser reads, for people. */
  title: string;
  /** Example commands it reads, for documentation and the grammar. */
  commands: readonly string[];
  /** Does this (unwrapped) command print what this parser reads? */
  matchesCommand(argv: readonly string[]): boolean;
  /** In a paste without prompts: does the output of this command start at `lines[index]`? */
  detect(lines: readonly Line[], index: number): boolean;
  parse(input: ParserInput): ParseResult;
}
