// The TextMate grammar, tokenized by the same engine VS Code uses (vscode-textmate + the Oniguruma WASM).

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as textmate from 'vscode-textmate';
import { loadGrammar } from './support/textmate';

let grammar: textmate.IGrammar;

beforeAll(async () => {
  grammar = await loadGrammar('syntaxes/netsnap.tmLanguage.json', 'source.netsnap');
});

/** Scopes of each token of a line (without the root scope), as `text → scope scope`. */
function tokenize(line: string): { text: string; scopes: string[] }[] {
  const result = grammar.tokenizeLine(line, textmate.INITIAL);
  return result.tokens.map((t) => ({
    text: line.slice(t.startIndex, t.endIndex),
    scopes: t.scopes.slice(1),
  }));
}

/** The scopes of the token that is exactly `text` in `line`. */
function scopesOf(line: string, text: string): string[] {
  const token = tokenize(line).find((t) => t.text === text);
  if (token === undefined) throw new Error(`no token "${text}" in ${JSON.stringify(tokenize(line))}`);
  return token.scopes;
}

describe('netsnap grammar', () => {
  it('reads a prompt: user, host, command and option', () => {
    const line = '[root@k8snode028 ~]# route -n';
    expect(scopesOf(line, 'k8snode028')).toContain('entity.name.section.host.netsnap');
    expect(scopesOf(line, 'root')).toContain('variable.other.user.netsnap');
    expect(scopesOf(line, '#')).toContain('punctuation.definition.prompt.netsnap');
    expect(scopesOf(line, 'route')).toContain('entity.name.function.command.netsnap');
    expect(scopesOf(line, '-n')).toContain('variable.parameter.option.netsnap');
    expect(scopesOf(line, 'route')).toContain('meta.prompt.netsnap');
  });

  it('reads other prompt styles and a pipe', () => {
    expect(scopesOf('root@worker-a:~# arp -e | grep 10.29.13.0', 'worker-a')).toContain(
      'entity.name.section.host.netsnap',
    );
    expect(scopesOf('root@worker-a:~# arp -e | grep 10.29.13.0', '|')).toContain(
      'keyword.operator.pipe.netsnap',
    );
    expect(scopesOf('root@worker-a:~# arp -e | grep 10.29.13.0', '10.29.13.0')).toContain(
      'constant.numeric.ipv4.netsnap',
    );
    expect(scopesOf('$ bridge fdb show', 'bridge')).toContain('entity.name.function.command.netsnap');
    // A `#` comment is not a prompt.
    expect(tokenize('# just a note').flatMap((t) => t.scopes)).not.toContain('meta.prompt.netsnap');
  });

  it('reads ### headers', () => {
    expect(scopesOf('### route -n', '###')).toContain('punctuation.definition.heading.netsnap');
    expect(scopesOf('### route -n', 'route')).toContain('entity.name.function.command.netsnap');
    expect(scopesOf('### node k8snode031', 'k8snode031')).toContain('entity.name.section.host.netsnap');
    expect(scopesOf('### node k8snode031', 'node')).toContain('keyword.other.host-kind.netsnap');
  });

  it('reads IPv4, IPv6, CIDRs, MACs and bridge ids', () => {
    const route = '10.27.13.0      10.27.13.0      255.255.255.0   UG    0      0        0 flannel.1';
    expect(scopesOf(route, '10.27.13.0')).toContain('constant.numeric.ipv4.netsnap');
    expect(scopesOf(route, '255.255.255.0')).toContain('constant.numeric.ipv4.netsnap');
    expect(scopesOf('    inet 10.27.1.1/24 scope global cni0', '10.27.1.1/24')).toContain(
      'constant.numeric.cidr.ipv4.netsnap',
    );
    expect(
      scopesOf('    inet6 fe80::9811:71ff:feb7:19ae/64 scope link ', 'fe80::9811:71ff:feb7:19ae/64'),
    ).toContain('constant.numeric.cidr.ipv6.netsnap');
    expect(scopesOf('    link/ether 42:32:74:de:33:99 brd ff:ff:ff:ff:ff:ff', '42:32:74:de:33:99')).toContain(
      'constant.other.mac.netsnap',
    );
    expect(
      scopesOf('42:32:74:de:24:50 dev flannel.1 dst 10.18.19.129 self permanent', '42:32:74:de:24:50'),
    ).toContain('constant.other.mac.netsnap');
    expect(scopesOf('cni0\t\t8000.0a580a1d0d01\tno\t\tveth0985a0b8', '8000.0a580a1d0d01')).toContain(
      'constant.other.bridge-id.netsnap',
    );
    // Not an address: a version number, a time.
    expect(tokenize('kernel 5.10.0 at 12:34:56').flatMap((t) => t.scopes)).not.toContain(
      'constant.numeric.ipv4.netsnap',
    );
  });

  it('reads interface names', () => {
    const fdb = '42:32:74:de:24:50 dev flannel.1 dst 10.18.19.129 self permanent';
    expect(scopesOf(fdb, 'flannel.1')).toContain('variable.other.interface.netsnap');
    expect(scopesOf(fdb, '10.18.19.129')).toContain('constant.numeric.ipv4.netsnap');
    expect(scopesOf('3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450', 'flannel.1')).toContain(
      'variable.other.interface.netsnap',
    );
    expect(
      scopesOf('25: veth7443cee@if24: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500', 'veth7443cee'),
    ).toContain('variable.other.interface.netsnap');
    expect(scopesOf('cni0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1450', 'cni0')).toContain(
      'variable.other.interface.netsnap',
    );
    expect(scopesOf('\t\t\t\t\t\t\tveth1253dd53', 'veth1253dd53')).toContain(
      'variable.other.interface.netsnap',
    );
    expect(
      scopesOf('0.0.0.0         10.18.19.1      0.0.0.0         UG    0      0        0 bond0', 'bond0'),
    ).toContain('variable.other.interface.netsnap');
  });

  it('reads flags and states', () => {
    const route = '10.27.13.0      10.27.13.0      255.255.255.0   UG    0      0        0 flannel.1';
    expect(scopesOf(route, 'UG')).toContain('constant.language.flag.netsnap');
    const arp = '10.29.13.0               ether   42:32:74:de:24:50   CM                    flannel.1';
    expect(scopesOf(arp, 'CM')).toContain('constant.language.flag.netsnap');
    expect(
      scopesOf('3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450', 'BROADCAST,MULTICAST,UP,LOWER_UP'),
    ).toContain('constant.language.flag.netsnap');
    expect(scopesOf('10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT', 'PERMANENT')).toContain(
      'constant.language.state.netsnap',
    );
  });

  it('reads table headers, subnet.env, elisions and errors', () => {
    expect(scopesOf('Kernel IP routing table', 'Kernel IP routing table')).toContain(
      'markup.heading.table.netsnap',
    );
    const header = 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface';
    expect(scopesOf(header, header)).toContain('markup.heading.table.netsnap');
    const arp = 'Address                  HWtype  HWaddress           Flags Mask            Iface';
    expect(scopesOf(arp, arp)).toContain('markup.heading.table.netsnap');
    const brctl = 'bridge name\tbridge id\t\tSTP enabled\tinterfaces';
    expect(scopesOf(brctl, brctl)).toContain('markup.heading.table.netsnap');
    expect(scopesOf('FLANNEL_SUBNET=10.27.9.1/24', 'FLANNEL_SUBNET')).toContain('variable.other.env.netsnap');
    expect(scopesOf('FLANNEL_SUBNET=10.27.9.1/24', '10.27.9.1/24')).toContain(
      'constant.numeric.cidr.ipv4.netsnap',
    );
    expect(scopesOf('...', '...')).toContain('comment.line.elision.netsnap');
    const error = 'cat: /run/flannel/subnet.env: No such file or directory';
    expect(scopesOf(error, error)).toContain('invalid.illegal.error.netsnap');
    expect(scopesOf('bash: brctl: command not found', 'bash: brctl: command not found')).toContain(
      'invalid.illegal.error.netsnap',
    );
  });

  it('reads firewall listings: iptables-save, iptables -L and nft', () => {
    expect(scopesOf(':FORWARD DROP [0:0]', 'FORWARD')).toContain('entity.name.type.chain.netsnap');
    expect(scopesOf(':FORWARD DROP [0:0]', 'DROP')).toContain('keyword.control.verdict.netsnap');
    expect(scopesOf('*filter', '*filter')).toContain('markup.heading.table.netsnap');
    const reject = '-A FORWARD -j REJECT --reject-with icmp-host-prohibited';
    expect(scopesOf(reject, 'REJECT')).toContain('invalid.deprecated.verdict.block.netsnap');
    expect(
      scopesOf('-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD', 'FLANNEL-FWD'),
    ).toContain('keyword.control.verdict.netsnap');
    const chain = 'Chain FORWARD (policy DROP 12 packets, 840 bytes)';
    expect(scopesOf(chain, 'DROP')).toContain('keyword.control.verdict.netsnap');
    expect(scopesOf('\t\tiifname "flannel.1" reject with icmpx admin-prohibited', 'reject')).toContain(
      'invalid.deprecated.verdict.block.netsnap',
    );
    expect(scopesOf('\t\ttype filter hook forward priority filter; policy drop;', 'forward')).toContain(
      'keyword.control.hook.netsnap',
    );
  });

  it('reads kernel settings and the log lines that break the path', () => {
    expect(scopesOf('net.ipv4.ip_forward = 0', 'net.ipv4.ip_forward')).toContain(
      'variable.other.sysctl.netsnap',
    );
    expect(scopesOf('\ttx-checksum-ip-generic: on', 'on')).toContain('constant.language.netsnap');
    const log = 'UDP: bad checksum. From 10.18.19.12:41532 to 10.18.19.11:8472 ulen 106';
    expect(tokenize(log).some((t) => t.scopes.includes('invalid.illegal.error.netsnap'))).toBe(true);
  });

  it('tokenizes every line of every example without a runaway rule', () => {
    for (const file of ['examples/k8snode028.netsnap', 'examples/cluster-healthy/flnode1.netsnap']) {
      let state = textmate.INITIAL;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        // A runaway (backtracking) rule makes vscode-textmate give up on the line: it says so.
        const result = grammar.tokenizeLine(line, state, 2000);
        expect(result.stoppedEarly).toBe(false);
        state = result.ruleStack;
      }
    }
  });
});
