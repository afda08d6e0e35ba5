// `cat /run/flannel/subnet.env`: the KEY=VALUE file flanneld writes for its CNI plugin. FLANNEL_NETWORK
// (the cluster network), FLANNEL_SUBNET (this node's subnet, network address + 1), FLANNEL_MTU,
// FLANNEL_IPMASQ and, with dual stack, FLANNEL_IPV6_NETWORK / FLANNEL_IPV6_SUBNET.

import type { KeyValue, SubnetEnv } from '../model/types';
import { formatCidr, parseCidr } from '../util/ip';
import { basename } from '../util/argv';
import { fileError } from './output-words';
import { isBlankOrElision, toInt } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const KEY_VALUE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const SIGNATURE = /^\s*(?:export\s+)?FLANNEL_(?:NETWORK|SUBNET|MTU|IPMASQ)=/;
const READERS = new Set(['cat', 'head', 'tail', 'more', 'less', 'grep', 'egrep', 'bat', 'batcat']);

/** A shell-style value: quotes removed, a trailing `# comment` dropped. `undefined` when a quote is unclosed. */
function readValue(raw: string): string | undefined {
  const text = raw.trim();
  const q = text[0];
  if (q === '"' || q === "'") {
    let out = '';
    for (let i = 1; i < text.length; i++) {
      const c = text[i] ?? '';
      if (c === q) {
        const rest = text.slice(i + 1).trim();
        return rest === '' || rest.startsWith('#') ? out : undefined;
      }
      if (c === '\\' && q === '"' && i + 1 < text.length) out += text[++i] ?? '';
      else out += c;
    }
    return undefined;
  }
  const comment = /\s#/.exec(text);
  return (comment ? text.slice(0, comment.index) : text).trim();
}

function cidrOf(value: string, family: 'inet' | 'inet6'): string | undefined {
  if (!value.includes('/')) return undefined;
  const cidr = parseCidr(value, family);
  return cidr !== undefined && cidr.family === family ? formatCidr(cidr) : undefined;
}

/** Reads one known key into the record; returns a complaint when its value is not valid. */
function applyKnown(env: SubnetEnv, key: string, value: string): string | undefined {
  switch (key) {
    case 'FLANNEL_NETWORK':
    case 'FLANNEL_SUBNET': {
      const cidr = cidrOf(value, 'inet');
      if (cidr === undefined) return 'is not an IPv4 CIDR';
      if (key === 'FLANNEL_NETWORK') env.network = cidr;
      else env.subnet = cidr;
      return undefined;
    }
    case 'FLANNEL_IPV6_NETWORK':
    case 'FLANNEL_IPV6_SUBNET': {
      const cidr = cidrOf(value, 'inet6');
      if (cidr === undefined) return 'is not an IPv6 CIDR';
      if (key === 'FLANNEL_IPV6_NETWORK') env.ipv6Network = cidr;
      else env.ipv6Subnet = cidr;
      return undefined;
    }
    case 'FLANNEL_MTU': {
      const mtu = toInt(value);
      if (mtu === undefined || mtu < 68 || mtu > 65535) return 'is not an MTU (68-65535)';
      env.mtu = mtu;
      return undefined;
    }
    case 'FLANNEL_IPMASQ': {
      if (value !== 'true' && value !== 'false') return 'is not true or false';
      env.ipmasq = value === 'true';
      return undefined;
    }
    default:
      return undefined;
  }
}

function parseLines(lines: readonly Line[], ledger: Ledger): void {
  const env: SubnetEnv = { loc: ledger.loc(1), vars: [] };
  const seen = new Map<string, number>();
  let first: number | undefined;
  let last: number | undefined;
  for (const line of lines) {
    const text = line.text;
    if (isBlankOrElision(text) || /^\s*#/.test(text)) {
      ledger.skip(line.line);
      continue;
    }
    const m = KEY_VALUE.exec(text);
    if (m) {
      const key = m[1] ?? '';
      const value = readValue(m[2] ?? '');
      if (value === undefined) {
        ledger.report(line.line, `${key} has an unclosed quote: ${text.trim()}`, 'warning');
        continue;
      }
      const kv: KeyValue = { loc: ledger.loc(line.line), key, value };
      env.vars.push(kv);
      first ??= line.line;
      last = line.line;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        ledger.report(line.line, `${key} is set again (first on line ${earlier}); the later value wins`);
      }
      seen.set(key, line.line);
      const complaint = applyKnown(env, key, value);
      if (complaint !== undefined) {
        ledger.report(line.line, `${key}=${value} ${complaint}`, 'warning');
      }
      continue;
    }
    const error = fileError(text);
    if (error) {
      ledger.report(
        line.line,
        `${error.path}: ${error.reason} (flannel's subnet.env is not there)`,
        'warning',
      );
      continue;
    }
    ledger.unrecognized(line, 'subnet.env');
  }
  if (first === undefined) return;
  env.loc = ledger.loc(first, last);
  ledger.facts.subnetEnv = env;
}

export const subnetEnvParser: Parser = {
  id: 'subnet-env',
  title: "flannel's /run/flannel/subnet.env",
  commands: ['cat /run/flannel/subnet.env'],

  matchesCommand(argv: readonly string[]): boolean {
    if (!READERS.has(basename(argv[0] ?? ''))) return false;
    return argv.slice(1).some((a) => !a.startsWith('-') && a.endsWith('subnet.env'));
  },

  detect(lines: readonly Line[], index: number): boolean {
    return SIGNATURE.test(lines[index]?.text ?? '');
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'subnet.env', (ledger) => parseLines(input.lines, ledger));
  },
};
