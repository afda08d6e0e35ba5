// "New Snapshot from Clipboard": pasted terminal output becomes a proper `.netsnap`. Output pasted with no
// prompt is recognised by content (the splitter's own detection) and gets a `### <command>` header naming
// the command that prints it, so the file reads like a transcript and parses the same way by command.
// Sections that already have a prompt or header are kept exactly.

import type { Facts } from '../model/types';
import { parserById, parserForCommand } from '../parsers';
import type { Line, ParserId } from '../parsers/parser';
import { readCommand } from '../util/shell-command';
import { cleanLines, splitSnapshot } from '../snapshot/split';

export interface NormalizedSnapshot {
  text: string;
  /** The headers added, with their 1-based line in `text`. */
  added: { line: number; command: string }[];
  /** No prompt or `### node` names a host: the snapshot is named after its file until one is added. */
  unnamed: boolean;
}

const isJson = (lines: readonly Line[]) =>
  /^\s*[[{]/.test(lines.find((l) => l.text.trim() !== '')?.text ?? '');

/** The command whose output a parser read, judged from the output itself. */
export function guessCommand(parser: ParserId, lines: readonly Line[]): string {
  const text = lines.map((l) => l.text);
  const json = isJson(lines);
  switch (parser) {
    case 'route-n':
      return 'route -n';
    case 'ip-route':
      return json ? 'ip -j route' : 'ip route';
    case 'arp': {
      const rows = text.filter((t) => t.trim() !== '');
      if (rows.length > 0 && rows.every((t) => t.includes(') at ') || t.trim() === '...'))
        return rows.every((t) => t.startsWith('? (') || t.trim() === '...') ? 'arp -an' : 'arp -a';
      return 'arp -e';
    }
    case 'ip-neigh':
      return json ? 'ip -j neigh' : 'ip neigh';
    case 'bridge-fdb':
      return json ? 'bridge -j fdb show' : 'bridge fdb show';
    case 'brctl':
      return 'brctl show';
    case 'bridge-link':
      return json ? 'bridge -j link show' : 'bridge link show';
    case 'ip-link': {
      // `promiscuity` by includes: `^\s+.*promiscuity` retries every split of a long run of blanks.
      const details = text.some(
        (t) =>
          /^\s+(?:vxlan id|bridge_slave|bridge forward_delay|veth\b)/.test(t) ||
          (/^\s/.test(t) && t.includes('promiscuity', 1)),
      );
      if (json)
        return text.some((t) => t.includes('"addr_info"'))
          ? 'ip -j addr'
          : details
            ? 'ip -j -d link'
            : 'ip -j link';
      const addresses = text.some((t) => /^\s+inet6? /.test(t));
      return addresses ? (details ? 'ip -d addr' : 'ip addr') : details ? 'ip -d link' : 'ip link';
    }
    case 'ifconfig':
      return 'ifconfig';
    case 'ip-netns':
      return 'ip netns list';
    case 'subnet-env':
      return 'cat /run/flannel/subnet.env';
    case 'cni-config':
      return text.some((t) => t.includes('"plugins"'))
        ? 'cat /etc/cni/net.d/10-flannel.conflist'
        : 'cat /etc/cni/net.d/10-flannel.conf';
    case 'cni-bin':
      return 'ls /opt/cni/bin';
    case 'kubectl-nodes':
      if (json) return 'kubectl get nodes -o json';
      return text.some((t) => /^NAME\s+STATUS/.test(t))
        ? 'kubectl get nodes -o wide'
        : 'kubectl get nodes -o yaml';
    case 'hostname':
      return 'hostname';
    case 'iptables':
      return text.some((t) => t.startsWith('Chain '))
        ? 'iptables -L -n -v'
        : text.some((t) => t.startsWith('*'))
          ? 'iptables-save'
          : 'iptables -S';
    case 'nft':
      return json ? 'nft -j list ruleset' : 'nft list ruleset';
    case 'sysctl':
      return 'sysctl -a';
    case 'ethtool':
      return text.some((t) => t.startsWith('driver:')) ? 'ethtool -i' : 'ethtool -k';
    case 'lsmod':
      return 'lsmod';
    case 'proc-net-snmp':
      return 'cat /proc/net/snmp';
    case 'kernel-log':
      return 'dmesg';
    case 'uname':
      return 'uname -a';
    case 'conntrack':
      return 'conntrack -S';
  }
}

function size(facts: Facts): number {
  let n = 0;
  for (const value of Object.values(facts))
    n += Array.isArray(value) ? value.length : value === undefined ? 0 : 1;
  return n;
}

/** Does a header naming `command` make the parser read these lines exactly as detection did? */
function sameReading(parser: ParserId, command: string, lines: readonly Line[]): boolean {
  const read = readCommand(command);
  const p = parserById(parser);
  if (p === undefined || parserForCommand(read.argv)?.id !== parser) return false;
  const bare = p.parse({ file: 'clipboard', lines });
  const named = p.parse({ file: 'clipboard', lines, command: read });
  return size(bare.facts) === size(named.facts) && bare.issues.length === named.issues.length;
}

/** Turns a paste into `.netsnap` text: clean lines (no CR, no ANSI colours), headers for raw output. */
export function normalizeClipboard(text: string): NormalizedSnapshot {
  const lines = cleanLines(text);
  const split = splitSnapshot(text, 'clipboard.netsnap');
  const headers = new Map<number, string>();
  for (const section of split.sections) {
    if (section.headerLine !== undefined || section.parserId === undefined) continue;
    const command = guessCommand(section.parserId, section.lines);
    if (sameReading(section.parserId, command, section.lines)) headers.set(section.startLine, command);
  }
  const out: string[] = [];
  const added: NormalizedSnapshot['added'] = [];
  for (const line of lines) {
    const command = headers.get(line.line);
    if (command !== undefined) {
      // A blank line before a header, unless the paste already has one there.
      if (out.length > 0 && (out[out.length - 1] ?? '').trim() !== '') out.push('');
      out.push(`### ${command}`);
      added.push({ line: out.length, command });
    }
    out.push(line.text);
  }
  const unnamed = split.sections.every((s) => s.host === undefined);
  return { text: out.length === 0 ? '' : `${out.join('\n')}\n`, added, unnamed };
}
