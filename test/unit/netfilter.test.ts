// The netfilter evaluator on real captured listings (test/fixtures/parsers/iptables--*.out, captured by
// test/lab/iptables-fixtures.sh): the verdict for flannel's packet classes, the rule or policy that
// decides, and uncertainty wherever a match, a chain or a filter leaves the outcome open.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/core';
import { blockingCause, hookVerdict, ipv4Range, type PacketClass } from '../../src/core/analysis/netfilter';
import type { HostModel } from '../../src/core/model/types';

const fixtures = join(__dirname, '..', 'fixtures', 'parsers');

/** A host whose snapshot holds the captured listings, each under its own prompt. */
function host(...listings: [command: string, file: string][]): { host: HostModel; text: string } {
  const text = listings
    .map(([command, file]) => `[root@n1 ~]# ${command}\n${readFileSync(join(fixtures, file), 'utf8')}`)
    .join('');
  const node = parseSnapshot(text, 'n1.netsnap').nodes[0];
  if (node === undefined) throw new Error('no host');
  return { host: node, text };
}

function lineOf(text: string, pattern: RegExp): number {
  const i = text.split('\n').findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`no line matching ${String(pattern)}`);
  return i + 1;
}

const range = (cidr: string) => ipv4Range(cidr)!;

/** A pod on another node (10.244.1.0/24) → a pod here (10.244.2.0/24), in on the VTEP, out on cni0. */
function inbound(proto: PacketClass['proto'] = 'icmp'): PacketClass {
  return {
    hook: 'forward',
    family: 'ip',
    iif: 'flannel.1',
    oif: 'cni0',
    saddr: range('10.244.1.0/24'),
    daddr: range('10.244.2.0/24'),
    proto,
    ctstate: 'NEW',
  };
}

/** The VXLAN packet of a peer (192.168.0.11) arriving at this node (192.168.0.12) on eth0. */
function tunnelIn(proto: PacketClass['proto'], dport: number): PacketClass {
  return {
    hook: 'input',
    family: 'ip',
    iif: 'eth0',
    saddr: range('192.168.0.11/32'),
    daddr: range('192.168.0.12/32'),
    proto,
    dport,
    ctstate: 'NEW',
  };
}

/** The inbound FORWARD verdict of a snapshot typed in as its lines. */
function inboundOf(...lines: string[]) {
  return hookVerdict(parseSnapshot(`${lines.join('\n')}\n`, 'n1.netsnap').nodes[0]!, inbound());
}

describe('netfilter evaluator on captured listings', () => {
  it('an iptables-services REJECT above flannel decides FORWARD, on its own line', () => {
    const { host: h, text } = host(['iptables-legacy-save', 'iptables--leg-save.out']);
    const v = hookVerdict(h, inbound());
    expect(v.decision).toBe('reject');
    const cause = blockingCause(v);
    expect(cause?.loc.line).toBe(lineOf(text, /^-A FORWARD -j REJECT --reject-with icmp-host-prohibited$/));
    expect(cause?.certain).toBe(true);
    expect(v.decidedBy?.ruleset.source).toBe('iptables-legacy');
  });

  it('INPUT lets the VXLAN port in through the accept above the catch-all REJECT', () => {
    const { host: h, text } = host(['iptables-legacy-save', 'iptables--leg-save.out']);
    const v = hookVerdict(h, tunnelIn('udp', 8472));
    expect(v.decision).toBe('accept');
    const filter = v.chains.find((c) => c.table.name === 'filter');
    const accept = filter?.causes.find((c) => c.outcome === 'accept' && c.certain);
    expect(accept?.loc.line).toBe(lineOf(text, /^-A INPUT -p udp -m udp --dport 8472 -j ACCEPT$/));
  });

  it("kube-proxy's and flannel's rules on nf_tables let pod traffic through FLANNEL-FWD", () => {
    const { host: h, text } = host(['iptables-nft-save', 'iptables--nft-save.out']);
    const v = hookVerdict(h, inbound('tcp'));
    expect(v.decision).toBe('accept');
    // mangle's FORWARD (priority -150) accepts by policy first; filter's decides through FLANNEL-FWD.
    expect(v.chains.map((c) => `${c.table.name} ${c.decision}`)).toEqual(['mangle accept', 'filter accept']);
    const sure = v.chains.find((c) => c.table.name === 'filter')?.causes.find((c) => c.certain);
    expect(sure?.rule?.text).toContain('FLANNEL-FWD');
    expect(sure?.path).toContain('FLANNEL-FWD');
    expect(sure?.loc.line).toBe(lineOf(text, /^-A FLANNEL-FWD -s 10\.244\.0\.0\/16 /));
  });

  it('a filtered listing decides no drop: the verdict is uncertain', () => {
    const { host: h } = host(['iptables-legacy-save | grep -v LAB', 'iptables--leg-save.out']);
    const v = hookVerdict(h, inbound());
    expect(v.decision).toBe('uncertain');
    expect(v.decidedBy?.unknowns.map((u) => u.why)).toContainEqual(
      expect.stringContaining('the listing is filtered'),
    );
  });

  it('a match it cannot evaluate before the catch-all makes INPUT uncertain, not a guessed DROP', () => {
    const { host: h } = host(['iptables-legacy-save', 'iptables--leg-save.out']);
    const v = hookVerdict(h, tunnelIn('tcp', 443));
    expect(v.decision).toBe('uncertain');
    expect(v.decidedBy?.unknowns[0]?.why).toContain('match-set');
  });

  it('one chain listed (`iptables -S FORWARD`): a DROP policy after jumps to chains not shown is not proven', () => {
    // A lab node's FORWARD (test/lab/lab.sh firewall_node): Docker's policy DROP, flannel's accepts in
    // FLANNEL-FWD, which this listing does not show.
    const v = inboundOf(
      '[root@flnode2 ~]# iptables -S FORWARD',
      '-P FORWARD DROP',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A FORWARD -j DOCKER-USER',
      '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
    );
    expect(v.decision).toBe('uncertain');
    expect(v.decidedBy?.unknowns[0]?.why).toBe('the listing does not show chain KUBE-PROXY-FIREWALL');
    expect(blockingCause(v)?.loc.line).toBe(2);
  });

  it('an action it cannot follow (NFQUEUE) before a DROP policy leaves the verdict open', () => {
    const v = inboundOf(
      '[root@n1 ~]# iptables-save',
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD DROP [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      '-A FORWARD -j NFQUEUE --queue-num 1',
      'COMMIT',
    );
    expect(v.decision).toBe('uncertain');
    expect(v.decidedBy?.unknowns[0]?.why).toContain('NFQUEUE');
  });

  it('a sure DROP before a chain the listing does not show still decides', () => {
    const v = inboundOf(
      '[root@n1 ~]# iptables -S FORWARD',
      '-P FORWARD ACCEPT',
      '-A FORWARD -i flannel.1 -j DROP',
      '-A FORWARD -j KUBE-FORWARD',
    );
    expect(v.decision).toBe('drop');
    expect(blockingCause(v)?.loc.line).toBe(3);
  });

  it('judges address ranges: a rule on part of a subnet is a maybe, one on all of it a yes', () => {
    const { host: h } = host(['iptables-nft-save', 'iptables--nft-save.out']);
    // 10.0.0.0/8 reaches beyond the pod network: FLANNEL-FWD's -s 10.244.0.0/16 covers only part of it.
    const wide = hookVerdict(h, { ...inbound(), saddr: range('10.0.0.0/8') });
    expect(wide.addressDependent).toBe(true);
    const narrow = hookVerdict(h, inbound());
    expect(narrow.addressDependent).toBe(false);
  });
});
