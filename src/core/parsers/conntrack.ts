// Connection tracking counters: `conntrack -S` (one line per CPU: `cpu=0 found=0 invalid=3 insert=0
// insert_failed=0 drop=0 early_drop=0 …`), `conntrack -C` (the number of entries), and `cat
// /proc/net/stat/nf_conntrack` (a header of names, then one row of hex counters per CPU). `invalid` counts
// packets conntrack could not place (dropped by a `ctstate INVALID -j DROP` rule), `insert_failed`/`drop`
// the insertion race behind lost UDP (DNS) packets, `early_drop` a full table.
//
// conntrack-tools 1.4.4 and older, when ctnetlink is refused (no CAP_NET_ADMIN in a pod), print totals
// from /proc instead, one `name<TAB><TAB>value` line each, then the error: read as one record without a CPU.
// `cat /proc/sys/net/netfilter/nf_conntrack_count` is a sysctl: the sysctl parser reads it.

import type { ConntrackStats, Counter } from '../model/types';
import { basename } from '../util/argv';
import { isBlankOrElision, tokens, truncate } from '../util/words';
import { type Ledger, reportUnknownWords, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const PROC_STAT = '/proc/net/stat/nf_conntrack';
const CPU_LINE = /^cpu=\d{1,6}\s/;
const COUNT = /^\d{1,20}$/;
const HEX = /^[0-9a-fA-F]{1,16}$/;
const NAME = /^[a-z][a-z0-9_]{0,40}$/;

function toCounter(name: string, text: string, radix: 10 | 16): Counter | undefined {
  if (!NAME.test(name) || !(radix === 16 ? HEX : COUNT).test(text)) return undefined;
  const value = Number.parseInt(text, radix);
  return Number.isSafeInteger(value) ? { name, value } : undefined;
}

/** `cpu=0   found=0 invalid=3 …`. */
function readCpuLine(line: Line, ledger: Ledger, unknown: Set<string>): ConntrackStats {
  const words = tokens(line.text);
  const stats: ConntrackStats = { loc: ledger.loc(line.line), counters: [] };
  const ignored: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    const counter = eq === -1 ? undefined : toCounter(word.slice(0, eq), word.slice(eq + 1), 10);
    if (counter === undefined) ignored.push(word);
    else if (counter.name === 'cpu' && stats.cpu === undefined) stats.cpu = counter.value;
    else stats.counters.push(counter);
  }
  reportUnknownWords(ledger, line.line, 'conntrack -S', ignored, unknown);
  return stats;
}

function parseLines(input: ParserInput, ledger: Ledger): void {
  const list: ConntrackStats[] = [];
  const unknown = new Set<string>();
  // /proc/net/stat/nf_conntrack: the columns, and the rows read so far (row k is the k-th CPU).
  let columns: string[] | undefined;
  let row = 0;
  // conntrack 1.4.4's totals: one record over its `name value` lines.
  let totals: ConntrackStats | undefined;
  for (const line of input.lines) {
    const text = line.text;
    if (isBlankOrElision(text)) {
      ledger.skip(line.line);
      continue;
    }
    const words = tokens(text);
    if (CPU_LINE.test(text)) {
      totals = undefined;
      list.push(readCpuLine(line, ledger, unknown));
      continue;
    }
    if (words[0] === 'entries' && words.length > 4 && words.every((w) => NAME.test(w))) {
      totals = undefined;
      columns = words;
      row = 0;
      ledger.skip(line.line);
      continue;
    }
    if (columns !== undefined && words.length === columns.length && words.every((w) => HEX.test(w))) {
      const counters: Counter[] = [];
      words.forEach((w, i) => {
        const c = toCounter(columns?.[i] ?? '', w, 16);
        if (c !== undefined) counters.push(c);
      });
      list.push({ loc: ledger.loc(line.line), cpu: row++, counters });
      continue;
    }
    if (words.length === 1 && COUNT.test(words[0] ?? '')) {
      // `conntrack -C`: the entries in the table.
      const c = toCounter('count', words[0] ?? '', 10);
      if (c !== undefined) {
        list.push({ loc: ledger.loc(line.line), counters: [c] });
        continue;
      }
    }
    if (words.length === 2) {
      const c = toCounter(words[0] ?? '', words[1] ?? '', 10);
      if (c !== undefined) {
        if (totals === undefined) {
          totals = { loc: ledger.loc(line.line), counters: [] };
          list.push(totals);
        }
        totals.counters.push(c);
        totals.loc = ledger.loc(totals.loc.line, line.line);
        continue;
      }
    }
    totals = undefined;
    if (/^conntrack v[\d.]+ \(conntrack-tools\): /.test(text) || text.startsWith('conntrack: ')) {
      ledger.report(line.line, `conntrack failed: ${truncate(text.trim(), 160)}`, 'warning');
      continue;
    }
    ledger.unrecognized(line, 'conntrack');
  }
  if (list.length > 0) ledger.facts.conntrackStats = list;
}

export const conntrackParser: Parser = {
  id: 'conntrack',
  title: 'Connection tracking counters (conntrack)',
  commands: ['conntrack -S', 'conntrack -C', `cat ${PROC_STAT}`],

  matchesCommand(argv: readonly string[]): boolean {
    const tool = basename(argv[0] ?? '');
    const args = argv.slice(1);
    if (tool === 'cat') return args.length === 1 && args[0] === PROC_STAT;
    if (tool !== 'conntrack') return false;
    const action = args[0];
    // `-S [table]`, `-C [table]`: the statistics and the count (the table is conntrack or expect).
    return (
      action !== undefined &&
      ['-S', '--stats', '-C', '--count'].includes(action) &&
      args.slice(1).every((a) => a === 'conntrack' || a === 'expect')
    );
  },

  detect(lines: readonly Line[], index: number): boolean {
    const text = lines[index]?.text ?? '';
    if (text[0] !== 'c' && text[0] !== 'e') return false;
    if (CPU_LINE.test(text)) return /^cpu=\d{1,6}\s+(?:found|searched|entries)=/.test(text);
    // The header of /proc/net/stat/nf_conntrack.
    return text.startsWith('entries ') && / found new invalid ignore /.test(text);
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'conntrack', (ledger) => parseLines(input, ledger));
  },
};
