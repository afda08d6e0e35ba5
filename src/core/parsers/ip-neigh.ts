// `ip neigh` (iproute2): `ip n`, `ip -4/-6 neigh [show|list] [dev X] [nud S] [proxy]`, `ip -s neigh`,
// `ip -br neigh` and `ip -j [-p] neigh`. `ip neigh show dev X` leaves `dev` out of every line: the device
// then comes from the command.

import type { Family, Neighbour } from '../model/types';
import { canonicalIp, isIP, isIPv4, isIPv6 } from '../util/ip';
import {
  abbreviates,
  asString,
  firstJsonObject,
  ipFamilyOption,
  isShowWord,
  leadingWords,
  type Ledger,
  NUD_STATES,
  PROXY_STATE,
  readIpCommand,
  readJsonElements,
  readMac,
  reportUnknownWords,
  rowTokens,
  safeParse,
  startsLikeAddress,
} from './common';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

/** Flags `ip neigh` prints as bare words that the model does not keep. */
const IGNORED_FLAGS = new Set(['extern_learn', 'offload', 'managed', 'extern_valid', 'unused']);

/** Words that may follow `<ip> dev <if>` on a neighbour line (and never on a route line). */
const NEIGH_WORDS = new Set([...NUD_STATES, 'lladdr', 'router', 'proxy', 'used', ...IGNORED_FLAGS]);

interface NeighCommand {
  family?: Family;
  dev?: string;
  brief: boolean;
}

function readCommand(argv: readonly string[]): NeighCommand | undefined {
  const ip = readIpCommand(argv);
  if (ip === undefined) return undefined;
  if (!abbreviates(ip.object, 'neighbor') && !abbreviates(ip.object, 'neighbour')) return undefined;
  const rest = ip.rest;
  if (!isShowWord(rest[0], 1)) return undefined;
  const cmd: NeighCommand = {
    brief: ip.options.some((o) => o === '-br' || o === '-brief' || o === '--brief'),
  };
  const family = ipFamilyOption(ip.options);
  if (family !== undefined) cmd.family = family;
  for (let i = rest.length > 0 ? 1 : 0; i < rest.length; i++) {
    const w = rest[i];
    if ((w === 'dev' || w === 'nic') && rest[i + 1] !== undefined) {
      cmd.dev = rest[i + 1] ?? '';
      i++;
    }
  }
  return cmd;
}

function detect(lines: readonly Line[], index: number): boolean {
  const text = lines[index]?.text;
  if (text === undefined) return false;
  const s = text.trimStart();
  if (s.startsWith('[')) {
    const obj = firstJsonObject(lines, index);
    return (
      obj !== undefined &&
      obj.includes('"dst"') &&
      !obj.includes('"flags"') &&
      !obj.includes('"mac"') &&
      (obj.includes('"lladdr"') ||
        obj.includes('"state"') ||
        obj.includes('"router"') ||
        obj.includes('"proxy"'))
    );
  }
  if (!startsLikeAddress(s)) return false;
  const t = leadingWords(s, 4);
  const ip = t[0] ?? '';
  if (!isIPv4(ip) && !isIPv6(ip)) return false;
  // `<ip> dev <if> lladdr …|STATE|router|proxy`, or `<ip> lladdr …|STATE` under `ip neigh show dev X`.
  if (t[1] === 'dev') return NEIGH_WORDS.has(t[3] ?? '');
  return t[1] === 'lladdr' || NUD_STATES.has(t[1] ?? '');
}

function newNeighbour(ledger: Ledger, line: number, endLine: number, ip: string): Neighbour {
  const v6 = ip.includes(':');
  return {
    loc: ledger.loc(line, endLine),
    family: v6 ? 'inet6' : 'inet',
    ip: v6 ? canonicalIp(ip) : ip,
    state: [],
    router: false,
  };
}

/** iproute2 prints no state word for NUD_NONE, and none for proxy entries (which have no NUD state). */
function settleState(n: Neighbour, proxy: boolean): void {
  if (n.state.length === 0) n.state.push(proxy ? PROXY_STATE : 'NONE');
}

function setMac(n: Neighbour, ledger: Ledger, line: number, value: string | undefined): void {
  if (value === undefined) return;
  const mac = readMac(value);
  if (mac !== undefined) n.mac = mac;
  else ledger.report(line, `Link-layer address "${value}" is not a MAC address: not recorded`);
}

function parseLine(
  ledger: Ledger,
  line: Line,
  t: readonly string[],
  cmd: NeighCommand | undefined,
  reported: Set<string>,
): Neighbour | undefined {
  const ip = t[0] ?? '';
  if (ip.includes(':') ? !isIPv6(ip) : !isIPv4(ip)) {
    ledger.unrecognized(line, 'ip neigh');
    return undefined;
  }
  const n = newNeighbour(ledger, line.line, line.line, ip);
  if (cmd?.brief === true) {
    // `ip -br neigh`: address, device, link-layer address; no state at all.
    if (t[1] !== undefined) n.dev = t[1];
    setMac(n, ledger, line.line, t[2]);
    return n;
  }
  let proxy = false;
  let unknown: string[] | undefined;
  for (let i = 1; i < t.length; i++) {
    const w = t[i] ?? '';
    switch (w) {
      case 'dev':
        n.dev = t[++i] ?? '';
        break;
      case 'lladdr':
        setMac(n, ledger, line.line, t[++i]);
        break;
      case 'router':
        n.router = true;
        break;
      case 'proxy':
        proxy = true;
        break;
      case 'used':
        // `used 211/271/211probes 0` (`ip -s`): the counters run into the word `probes`.
        if ((t[++i] ?? '').endsWith('probes')) i++;
        break;
      case 'probes':
      case 'proto':
      case 'protocol':
        i++;
        break;
      default:
        if (NUD_STATES.has(w)) n.state.push(w);
        else if (!IGNORED_FLAGS.has(w)) (unknown ??= []).push(w);
    }
  }
  if (n.dev === undefined && cmd?.dev !== undefined) n.dev = cmd.dev;
  settleState(n, proxy);
  if (unknown !== undefined) reportUnknownWords(ledger, line.line, 'ip neigh', unknown, reported);
  return n;
}

function parseJson(
  ledger: Ledger,
  lines: readonly Line[],
  cmd: NeighCommand | undefined,
  out: Neighbour[],
): void {
  readJsonElements(lines, ledger, 'ip -j neigh', ({ value: o, line, endLine }) => {
    const ip = asString(o['dst']);
    if (ip === undefined || !isIP(ip)) return `neighbour without an address`;
    const n = newNeighbour(ledger, line, endLine, ip);
    const state = o['state'];
    if (Array.isArray(state)) for (const s of state) if (typeof s === 'string') n.state.push(s);
    n.router = 'router' in o;
    const dev = asString(o['dev']) ?? cmd?.dev;
    if (dev !== undefined) n.dev = dev;
    setMac(n, ledger, line, asString(o['lladdr']));
    settleState(n, 'proxy' in o);
    out.push(n);
    return true;
  });
}

function parse(input: ParserInput): ParseResult {
  return safeParse(input, 'ip neigh', (ledger) => {
    const cmd = input.command ? readCommand(input.command.argv) : undefined;
    const out: Neighbour[] = [];
    const firstText = input.lines.find((l) => l.text.trim() !== '')?.text.trimStart() ?? '';
    if (firstText.startsWith('[') || firstText.startsWith('{')) {
      parseJson(ledger, input.lines, cmd, out);
    } else {
      const reported = new Set<string>();
      for (const line of input.lines) {
        const t = rowTokens(line, ledger);
        if (t === undefined) continue;
        const n = parseLine(ledger, line, t, cmd, reported);
        if (n !== undefined) out.push(n);
      }
    }
    if (out.length > 0) ledger.facts.neighbours = out;
  });
}

export const ipNeighParser: Parser = {
  id: 'ip-neigh',
  title: 'Neighbour table (ip neigh)',
  commands: [
    'ip neigh',
    'ip n',
    'ip -4 neigh show',
    'ip -6 neigh',
    'ip neigh show dev flannel.1',
    'ip -j neigh',
  ],
  matchesCommand: (argv) => readCommand(argv) !== undefined,
  detect,
  parse,
};
