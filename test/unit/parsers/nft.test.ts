import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../src/core';
import type { NetfilterChain, NetfilterRule, NetfilterRuleset } from '../../../src/core/model/types';
import { nftParser } from '../../../src/core/parsers/nft';
import { priorityValue } from '../../../src/core/parsers/nft-rule';
import type { ParseResult } from '../../../src/core/parsers/parser';
import { expectAccounted, fixtureNames, parseAccounted, readFixture, toLines } from '../support/parse';

const LIST = 'nft list ruleset';

function ruleset(result: ParseResult): NetfilterRuleset {
  const sets = result.facts.netfilter ?? [];
  expect(sets).toHaveLength(1);
  return sets[0] as NetfilterRuleset;
}

function chain(result: ParseResult, name: string, table?: string): NetfilterChain {
  const found = ruleset(result)
    .tables.filter((t) => table === undefined || t.name === table)
    .flatMap((t) => t.chains)
    .find((c) => c.name === name);
  expect(found, `chain ${name}`).toBeDefined();
  return found as NetfilterChain;
}

/** The rules of a one-chain `table inet t` holding `body`. */
function rules(body: string, cmd: string | undefined = LIST): NetfilterRule[] {
  const text = `table inet t {\n\tchain c {\n${body
    .split('\n')
    .map((l) => `\t\t${l}`)
    .join('\n')}\n\t}\n}`;
  return chain(parseAccounted(nftParser, text, cmd), 'c').rules;
}

function rule(body: string): NetfilterRule {
  const all = rules(body);
  expect(all).toHaveLength(1);
  return all[0] as NetfilterRule;
}

/** Matches as `kind[!]=values`. */
function matches(r: NetfilterRule): string[] {
  return r.matches.map((m) => `${m.kind}${m.negate ? '!' : ''}=${m.values.join(',')}`);
}

describe('nft parser: commands and detection', () => {
  it('claims nft listings of rule sets, tables and chains', () => {
    for (const argv of [
      ['nft', 'list', 'ruleset'],
      ['/usr/sbin/nft', '-a', 'list', 'ruleset'],
      ['nft', '--handle', 'list', 'ruleset'],
      ['nft', '-j', 'list', 'ruleset'],
      ['nft', '-nn', 'list', 'ruleset', 'inet'],
      ['nft', '-s', 'list', 'table', 'inet', 'firewalld'],
      ['nft', 'list', 'chain', 'ip', 'filter', 'FORWARD'],
      ['nft', 'list ruleset'],
      ['nft', 'list', 'chains'],
      ['nft', 'list', 'tables'],
      ['nft', '-I', '/etc', 'list', 'ruleset'],
    ]) {
      expect(nftParser.matchesCommand(argv), argv.join(' ')).toBe(true);
    }
    for (const argv of [
      ['nft'],
      ['nft', '-f', '/etc/nftables.conf'],
      ['nft', '-c', '-f', 'x.nft'],
      ['nft', '-cf', 'x.nft'],
      ['nft', 'add', 'rule', 'inet', 'filter', 'input', 'accept'],
      ['nft', 'list', 'sets'],
      ['nft', 'list', 'hooks'],
      ['nft', 'monitor'],
      ['iptables', '-S'],
      ['nftables', 'list', 'ruleset'],
    ]) {
      expect(nftParser.matchesCommand(argv), argv.join(' ')).toBe(false);
    }
  });

  it('detects a table header, nft -j output and iptables-nft warnings, nothing else', () => {
    const yes = [
      'table inet filter {',
      'table ip6 flannel-ipv6 { # handle 12',
      'table netdev "my table" {',
      '{"nftables": [{"metainfo": {"version": "1.0.6"}}]}',
      '# Warning: table ip filter is managed by iptables-nft, do not touch!',
    ];
    for (const text of yes) expect(nftParser.detect(toLines(text), 0), text).toBe(true);
    expect(nftParser.detect(toLines('{\n  "nftables": [\n'), 0)).toBe(true);
    const no = [
      'table inet filter',
      'table foo bar {',
      'tables',
      '  table inet filter {',
      '{"cniVersion": "0.3.1"}',
      '{\n  "cniVersion": "0.3.1"',
      '*filter',
      ':FORWARD DROP [0:0]',
      '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them',
    ];
    for (const text of no) expect(nftParser.detect(toLines(text), 0), text).toBe(false);
  });
});

describe('nft parser: chains', () => {
  it('reads priorities by name, with offsets, as numbers and per family', () => {
    expect(priorityValue('inet', 'filter')).toBe(0);
    expect(priorityValue('inet', 'filter + 10')).toBe(10);
    expect(priorityValue('ip', 'filter - 5')).toBe(-5);
    expect(priorityValue('ip', 'dstnat - 10')).toBe(-110);
    expect(priorityValue('ip', 'raw')).toBe(-300);
    expect(priorityValue('ip', 'mangle')).toBe(-150);
    expect(priorityValue('ip', 'security')).toBe(50);
    expect(priorityValue('ip', 'srcnat+10')).toBe(110);
    expect(priorityValue('ip', '-110')).toBe(-110);
    expect(priorityValue('netdev', '-500')).toBe(-500);
    expect(priorityValue('bridge', 'filter')).toBe(-200);
    expect(priorityValue('bridge', 'out')).toBe(100);
    expect(priorityValue('bridge', 'srcnat')).toBe(300);
    expect(priorityValue('inet', 'out')).toBeUndefined();
    expect(priorityValue('inet', 'filter * 2')).toBeUndefined();
    expect(priorityValue('inet', '1'.repeat(100))).toBeUndefined();
  });

  it('reads base chains, regular chains, policy lines and netdev devices', () => {
    const text = [
      'table inet t {',
      '\tchain fwd {',
      '\t\ttype filter hook forward priority filter + 10; policy drop;',
      '\t}',
      '\tchain user {',
      '\t\tcomment "a regular chain"',
      '\t}',
      '\tchain nat {',
      '\t\ttype nat hook postrouting priority srcnat',
      '\t\tpolicy accept',
      '\t}',
      '}',
      'table netdev n {',
      '\tchain in {',
      '\t\ttype filter hook ingress devices = { eth0, eth1 } priority -500; policy accept;',
      '\t}',
      '}',
    ].join('\n');
    const result = parseAccounted(nftParser, text, LIST);
    expect(result.issues).toEqual([]);
    const fwd = chain(result, 'fwd');
    expect(fwd).toMatchObject({ hook: 'forward', priority: 10, policy: 'drop', policyLoc: { line: 3 } });
    expect(fwd.loc).toEqual({ file: 'test.netsnap', line: 2, endLine: 4 });
    const user = chain(result, 'user');
    expect(user.hook).toBeUndefined();
    expect(user.policy).toBeUndefined();
    expect(chain(result, 'nat')).toMatchObject({
      hook: 'postrouting',
      priority: 100,
      policyLoc: { line: 10 },
    });
    expect(chain(result, 'in')).toMatchObject({ hook: 'ingress', priority: -500, policy: 'accept' });
    expect(ruleset(result).tables.map((t) => `${t.family} ${t.name}`)).toEqual(['inet t', 'netdev n']);
  });

  it('passes over flowtables, counters, quotas, limits and ct objects without taking them for rules', () => {
    const text = [
      'table inet t {',
      '\tflowtable ft {',
      '\t\thook ingress priority filter + 10',
      '\t\tdevices = { eth0, eth1 }',
      '\t}',
      '\tcounter c1 {',
      '\t\tpackets 3 bytes 180',
      '\t}',
      '\tquota q1 {',
      '\t\tover 25 mbytes used 0 bytes',
      '\t}',
      '\tlimit l1 {',
      '\t\trate 400/minute',
      '\t}',
      '\tct timeout agressive-tcp {',
      '\t\tprotocol tcp',
      '\t\tl3proto ip',
      '\t\tpolicy = { established : 100s, close : 4s }',
      '\t}',
      '\tsynproxy sp {',
      '\t\tmss 1460',
      '\t}',
      '\tchain f {',
      '\t\ttype filter hook forward priority filter; policy accept;',
      '\t\tct state established flow add @ft',
      '\t\tquota name "q1" drop',
      '\t}',
      '}',
    ].join('\n');
    const result = parseAccounted(nftParser, text, LIST);
    expect(result.issues).toEqual([]);
    const t = ruleset(result).tables[0];
    expect(t?.chains.map((c) => c.name)).toEqual(['f']);
    expect(chain(result, 'f').rules.map((r) => `${r.verdict} ${r.target ?? ''}`.trim())).toEqual([
      'continue flow offload',
      'drop',
    ]);
  });

  it('reports an unknown hook, priority or policy without inventing one', () => {
    const text = [
      'table ip t {',
      '\tchain a {',
      '\t\ttype filter hook sideways priority whenever; policy maybe;',
      '\t}',
      '}',
    ].join('\n');
    const result = parseAccounted(nftParser, text, LIST);
    const a = chain(result, 'a');
    expect(a.hook).toBeUndefined();
    expect(a.priority).toBeUndefined();
    expect(a.policy).toBeUndefined();
    expect(result.issues.map((i) => i.line)).toEqual([3, 3, 3]);
  });

  it('keeps a dormant table without its hooks, and says so', () => {
    const text =
      'table inet t {\n\tflags dormant\n\tchain f {\n\t\ttype filter hook forward priority 0; policy drop;\n\t}\n}';
    const result = parseAccounted(nftParser, text, LIST);
    const f = chain(result, 'f');
    expect(f.hook).toBeUndefined();
    expect(f.policy).toBe('drop');
    expect(result.issues).toEqual([expect.objectContaining({ line: 2, severity: 'warning' })]);
  });
});

describe('nft parser: rules', () => {
  it('reads interface matches: names, wildcards, sets, negation, iif/oif', () => {
    const [a, b, c] = rules(
      'iifname { "cni0", "veth*" } oifname != "flannel.1" accept\niif "lo" accept\nmeta oifname != { "a", "b" } drop',
    );
    expect(matches(a as NetfilterRule)).toEqual(['iif=cni0,veth*', 'oif!=flannel.1']);
    expect(a?.text).toBe('iifname { "cni0", "veth*" } oifname != "flannel.1" accept');
    expect(matches(b as NetfilterRule)).toEqual(['iif=lo']);
    expect(matches(c as NetfilterRule)).toEqual(['oif!=a,b']);
    expect(c?.verdict).toBe('drop');
  });

  it('reads addresses as canonical CIDRs; ranges and wrong families stay unknown', () => {
    const r = rule(
      'ip saddr { 10.244.0.0/16, 192.0.2.1 } ip daddr != 10.96.0.0/12 ip6 saddr FD00::/8 accept',
    );
    expect(matches(r)).toEqual(['saddr=10.244.0.0/16,192.0.2.1/32', 'daddr!=10.96.0.0/12', 'saddr=fd00::/8']);
    const odd = rule('ip saddr 10.0.0.1-10.0.0.9 ip daddr fd00::1 ip saddr $trusted drop');
    expect(matches(odd)).toEqual(['unknown=', 'unknown=', 'unknown=']);
    expect(odd.matches.map((m) => m.text)).toEqual([
      'ip saddr 10.0.0.1-10.0.0.9',
      'ip daddr fd00::1',
      'ip saddr $trusted',
    ]);
  });

  it('reads protocols and ports, with the protocol a port match implies', () => {
    const [a, b, c, d, e] = rules(
      [
        'ip protocol udp udp dport 8472 accept',
        'meta l4proto { tcp, udp } th dport 53 accept',
        'tcp dport { 80, "https", 1000-2000 } accept',
        'udp sport != 53 tcp dport >= 30000 accept',
        'ip6 nexthdr 17 udp dport otv accept',
      ].join('\n'),
    );
    expect(matches(a as NetfilterRule)).toEqual(['proto=udp', 'dport=8472']);
    expect(matches(b as NetfilterRule)).toEqual(['proto=tcp,udp', 'dport=53']);
    expect(matches(c as NetfilterRule)).toEqual(['proto=tcp', 'dport=80,443,1000:2000']);
    expect(matches(d as NetfilterRule)).toEqual(['proto=udp', 'sport!=53', 'proto=tcp', 'dport=30000:65535']);
    expect(matches(e as NetfilterRule)).toEqual(['proto=17', 'proto=udp', 'dport=8472']);
  });

  it('reads conntrack states by name, as flags, as a set and as nft -n bits', () => {
    const all = rules(
      'ct state established,related accept\nct state { established, related } accept\nct state 0x2,0x4 accept\nct state != new drop\nct state 0x48 accept\nct state untracked,bogus accept',
    );
    expect(all.map((r) => matches(r).join(' '))).toEqual([
      'ctstate=ESTABLISHED,RELATED',
      'ctstate=ESTABLISHED,RELATED',
      'ctstate=ESTABLISHED,RELATED',
      'ctstate!=NEW',
      'ctstate=NEW,UNTRACKED',
      'unknown=',
    ]);
  });

  it('reads verdicts, reject forms, counters, comments and log', () => {
    const all = rules(
      [
        'counter packets 12 bytes 3456 accept',
        'reject with icmpx type admin-prohibited',
        'reject with icmp host-prohibited',
        'tcp dport 22 reject with tcp reset',
        'reject with icmp 10',
        'reject',
        'jump KUBE-FORWARD',
        'goto filter_FWD_public',
        'return',
        'continue',
        'log prefix "drop: " level info counter drop comment "the end"',
        'log prefix "seen: "',
        'counter name "named"',
        'ip saddr 10.0.0.0/8',
      ].join('\n'),
    );
    const seen = all.map((r) => [r.verdict, r.target, r.rejectWith, r.packets, r.bytes, r.comment]);
    expect(seen).toEqual([
      ['accept', undefined, undefined, 12, 3456, undefined],
      ['reject', undefined, 'icmpx admin-prohibited', undefined, undefined, undefined],
      ['reject', undefined, 'icmp host-prohibited', undefined, undefined, undefined],
      ['reject', undefined, 'tcp reset', undefined, undefined, undefined],
      ['reject', undefined, 'icmp 10', undefined, undefined, undefined],
      ['reject', undefined, undefined, undefined, undefined, undefined],
      ['jump', 'KUBE-FORWARD', undefined, undefined, undefined, undefined],
      ['goto', 'filter_FWD_public', undefined, undefined, undefined, undefined],
      ['return', undefined, undefined, undefined, undefined, undefined],
      ['continue', undefined, undefined, undefined, undefined, undefined],
      ['drop', undefined, undefined, undefined, undefined, 'the end'],
      ['continue', 'log', undefined, undefined, undefined, undefined],
      ['continue', undefined, undefined, undefined, undefined, undefined],
      ['continue', undefined, undefined, undefined, undefined, undefined],
    ]);
  });

  it('lets NAT, marks and notrack continue, and leaves queue, vmap and fwd unknown', () => {
    const all = rules(
      [
        'ip saddr 10.244.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random',
        'oifname "eth0" snat ip to 10.0.0.1:1024-2048 persistent',
        'tcp dport 8080 dnat to 10.0.0.2:80',
        'meta mark set meta mark | 0x00004000',
        'mark set mark or 0x4000 counter packets 0 bytes 0',
        'ct mark set 0x1',
        'udp dport 8472 notrack',
        'queue num 3 bypass',
        'iifname vmap @jumps',
        'numgen random mod 2 vmap { 0 : goto a, 1 : goto b }',
        'fwd to "eth1"',
        'ct status dnat accept',
        'meta mark & 0x00004000 == 0x00004000 accept',
        'fib daddr type local counter jump KUBE-SERVICES',
      ].join('\n'),
    );
    expect(all.map((r) => `${r.verdict} ${r.target ?? ''}`.trim())).toEqual([
      'continue masquerade',
      'continue snat',
      'continue dnat',
      'continue meta mark set',
      'continue meta mark set',
      'continue ct mark set',
      'continue notrack',
      'unknown queue',
      'unknown vmap',
      'unknown vmap',
      'unknown fwd',
      'accept',
      'accept',
      'jump KUBE-SERVICES',
    ]);
    expect(matches(all[11] as NetfilterRule)).toEqual(['unknown=']);
    expect(all[11]?.matches[0]?.text).toBe('ct status dnat');
    expect(all[12]?.matches.map((m) => m.text)).toEqual(['meta mark & 0x00004000 == 0x00004000']);
    expect(all[13]?.matches.map((m) => m.text)).toEqual(['fib daddr type local']);
  });

  it("reads iptables-nft's compat expressions as unknown, and xt targets by name", () => {
    const all = rules(
      [
        'xt match physdev counter packets 0 bytes 0 accept',
        'xt match "physdev" counter packets 1 bytes 60 accept',
        'ip saddr 10.244.0.0/16 # xt_physdev counter packets 0 bytes 0 accept',
        'oifname "eno1" # xt_MASQUERADE',
        ' counter packets 0 bytes 0 xt target "REJECT"',
        'counter packets 0 bytes 0 xt target NFQUEUE',
        'xt match comment jump X',
      ].join('\n'),
    );
    expect(all.map((r) => `${r.verdict} ${r.target ?? ''} ${matches(r).join(' ')}`.trim())).toEqual([
      'accept  unknown=',
      'accept  unknown=',
      'accept  saddr=10.244.0.0/16 unknown=',
      'continue MASQUERADE oif=eno1',
      'reject',
      'unknown NFQUEUE',
      'jump X',
    ]);
    expect(all[2]?.text).toBe('ip saddr 10.244.0.0/16 # xt_physdev counter packets 0 bytes 0 accept');
  });

  it('reads words it does not know as unknown matches and then leaves the verdict unknown', () => {
    const lines =
      'table inet t {\n\tchain c {\n\t\tiifname "cni0" frobnicate 7 accept\n\t\tiifname "cni0" frobnicate 7\n\t}\n}';
    const result = parseAccounted(nftParser, lines, LIST);
    const [a, b] = chain(result, 'c').rules;
    expect(a?.verdict).toBe('accept');
    expect(a?.matches.map((m) => m.kind)).toEqual(['iif', 'unknown']);
    expect(a?.matches[1]?.text).toBe('frobnicate 7');
    expect(b?.verdict).toBe('unknown');
    // One note for the words, not one per rule that repeats them.
    expect(result.issues.map((i) => i.line)).toEqual([3]);
  });

  it('resolves named sets with literal elements, and leaves the others unknown with a note', () => {
    const text = [
      'table inet t {',
      '\tset pods { type ipv4_addr; flags interval; elements = { 10.244.0.0/16,',
      '\t\t10.245.0.0/16 } }',
      '\tset seen { type ipv4_addr; flags dynamic,timeout; timeout 5m; }',
      '\tset pairs { type ipv4_addr . inet_service; elements = { 10.0.0.1 . 80 } }',
      '\tmap m { type ipv4_addr : verdict; elements = { 10.0.0.1 : accept } }',
      '\tset empty { type ipv4_addr; }',
      '\tset ports { type inet_service; elements = { 22, 8472 } }',
      '\tchain c {',
      '\t\tip saddr @pods accept',
      '\t\tip daddr != @pods drop',
      '\t\tip saddr @seen drop',
      '\t\tip saddr @pairs drop',
      '\t\tip saddr @m drop',
      '\t\tip saddr @empty drop',
      '\t\tip saddr @nowhere drop',
      '\t\tudp dport @ports accept',
      '\t\tip saddr @later accept',
      '\t}',
      '\tset later { type ipv4_addr; elements = { 192.0.2.7 } }',
      '}',
    ].join('\n');
    const result = parseAccounted(nftParser, text, LIST);
    expect(chain(result, 'c').rules.map((r) => matches(r).join(' '))).toEqual([
      'saddr=10.244.0.0/16,10.245.0.0/16',
      'daddr!=10.244.0.0/16,10.245.0.0/16',
      'unknown=',
      'unknown=',
      'unknown=',
      'unknown=',
      'unknown=',
      'proto=udp dport=22,8472',
      'saddr=192.0.2.7/32',
    ]);
    expect(result.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('@seen is filled from the packet path'),
      expect.stringContaining('@pairs holds concatenations'),
      expect.stringContaining('@m is a map'),
      expect.stringContaining('@empty lists no elements'),
      expect.stringContaining('@nowhere is not listed in table inet t'),
    ]);
  });

  it('reads the sets of nft -t as unknown: it lists them without elements', () => {
    const text =
      'table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n\tchain c {\n\t\tip saddr @s accept\n\t}\n}';
    const result = parseAccounted(nftParser, text, 'nft -t list ruleset');
    expect(chain(result, 'c').rules[0]?.matches[0]?.kind).toBe('unknown');
    expect(result.issues[0]?.message).toContain('without its elements (-t)');
  });

  it('keeps quoted strings whole: braces, semicolons and # inside them are text', () => {
    const r = rule('iifname "we{ird;na#me" accept comment "a; b } # c {"');
    expect(matches(r)).toEqual(['iif=we{ird;na#me']);
    expect(r.comment).toBe('a; b } # c {');
    expect(r.verdict).toBe('accept');
  });

  it('drops `# handle N` annotations of nft -a', () => {
    const text =
      'table ip t { # handle 3\n\tchain c { # handle 1\n\t\tip saddr 10.0.0.0/8 accept # handle 4\n\t}\n}';
    const result = parseAccounted(nftParser, text, 'nft -a list ruleset');
    expect(chain(result, 'c').rules.map((r) => r.text)).toEqual(['ip saddr 10.0.0.0/8 accept']);
    expect(result.issues).toEqual([]);
  });
});

describe('nft parser: partial, broken and hostile input', () => {
  it('says what a table or chain listing leaves out, and what a filter does', () => {
    const text = 'table inet firewalld {\n\tchain filter_FORWARD {\n\t\taccept\n\t}\n}';
    expect(ruleset(parseAccounted(nftParser, text, 'nft list table inet firewalld')).partial).toBe(
      'table inet firewalld only',
    );
    expect(
      ruleset(parseAccounted(nftParser, text, 'nft list chain inet firewalld filter_FORWARD')).partial,
    ).toBe('chain inet firewalld filter_FORWARD only');
    const grep = parseAccounted(nftParser, text, 'nft list ruleset | grep -v counter');
    expect(ruleset(grep).partial).toBe('| grep -v counter');
    expect(grep.partial).toBe('| grep -v counter');
    expect(ruleset(parseAccounted(nftParser, text, LIST)).partial).toBeUndefined();
    expect(ruleset(parseAccounted(nftParser, text, 'nft list ruleset ip')).partial).toBe('ip tables only');
  });

  it('notes rules a grep cut out of their chains, and reads none of them', () => {
    const text = '\t\tiifname "cni0" accept\n\t\tct state invalid drop';
    const result = parseAccounted(nftParser, text, 'nft list ruleset | grep -E "accept|drop"');
    expect(result.facts.netfilter).toBeUndefined();
    expect(result.partial).toBe('no nft rule set read');
    expect(result.issues.map((i) => i.line)).toEqual([1, 2]);
  });

  it('an empty listing is an empty rule set; an empty paste says nothing', () => {
    const empty = parseAccounted(nftParser, '', LIST);
    expect(ruleset(empty)).toMatchObject({ source: 'nft', tables: [] });
    expect(ruleset(empty).partial).toBeUndefined();
    expect(parseAccounted(nftParser, '\n\n').facts.netfilter).toBeUndefined();
  });

  it('reads nft errors as warnings, not as a rule set', () => {
    const missing = parseAccounted(
      nftParser,
      'Error: No such file or directory\nlist table inet firewalld\n                ^^^^^^^^^',
      'nft list table inet firewalld',
    );
    expect(missing.facts.netfilter).toBeUndefined();
    expect(missing.issues).toEqual([expect.objectContaining({ line: 1, severity: 'warning' })]);
    expect(missing.skipped).toEqual([2, 3]);
    // Coverage must not call the host's rules known from a failed listing.
    expect(missing.partial).toBe('nft reported an error');
    const perm = parseAccounted(
      nftParser,
      'netlink: Error: cache initialization failed: Operation not permitted',
      LIST,
    );
    expect(perm.facts.netfilter).toBeUndefined();
    expect(perm.issues[0]?.message).toContain('Operation not permitted');
    const none = parseAccounted(nftParser, 'bash: nft: command not found', LIST);
    expect(none.facts.netfilter).toBeUndefined();
    expect(none.issues[0]?.severity).toBe('warning');
  });

  it('reads a table left open when the next one starts, and says the listing is cut', () => {
    const text = [
      'table inet a {',
      '\tchain c {',
      '\t\ttype filter hook forward priority 0; policy drop;',
      '\t\tiifname "cni0" accept',
      'table ip b {',
      '\tchain d {',
      '\t\taccept',
      '\t}',
      '}',
    ].join('\n');
    const result = parseAccounted(nftParser, text, LIST);
    const set = ruleset(result);
    expect(set.tables.map((t) => [t.name, t.loc.line, t.loc.endLine])).toEqual([
      ['a', 1, 4],
      ['b', 5, 9],
    ]);
    expect(chain(result, 'c').rules).toHaveLength(1);
    expect(chain(result, 'd').rules).toHaveLength(1);
    expect(set.partial).toBe('chain c is not closed');
    expect(result.issues.filter((i) => i.severity === 'warning').map((i) => i.line)).toEqual([2, 1]);
  });

  it('reads a listing cut short, and a set whose elements never close', () => {
    const cut = parseAccounted(
      nftParser,
      'table inet a {\n\tchain c {\n\t\ttype filter hook input priority 0; policy drop;\n\t\tiifname "lo" acc',
      LIST,
    );
    expect(chain(cut, 'c').rules[0]?.matches.map((m) => m.kind)).toEqual(['iif', 'unknown']);
    expect(ruleset(cut).partial).toContain('is not closed');
    const text = [
      'table inet a {',
      '\tset s {',
      '\t\ttype ipv4_addr',
      '\t\telements = { 10.0.0.1,',
      '\tchain c {',
      '\t\tip saddr @s accept',
      '\t}',
      '}',
    ].join('\n');
    const garbled = parseAccounted(nftParser, text, LIST);
    expect(chain(garbled, 'c').rules[0]?.matches[0]?.kind).toBe('unknown');
    expect(ruleset(garbled).partial).toBe('set s is not closed');
  });

  it('notes a stray closing brace and garbage around and inside tables', () => {
    const text = [
      'hello there',
      'table ip t {',
      '\tchain c {',
      '\t\t!!! ??? ***',
      '\t\taccept',
      '\t}',
      '\tnot a table statement',
      '}',
      '}',
      '...',
    ].join('\n');
    const result = parseAccounted(nftParser, text, LIST);
    expect(chain(result, 'c').rules.map((r) => r.text)).toEqual(['accept']);
    expect(result.issues.map((i) => i.line)).toEqual([1, 4, 7, 9]);
    expect(ruleset(result).partial).toBe('elided with ...');
  });

  it('takes any bytes in names, and never uses them as object keys', () => {
    const text = [
      'table inet __proto__ {',
      '\tset constructor { type ipv4_addr; elements = { 10.0.0.1 } }',
      '\tchain hasOwnProperty {',
      '\t\tip saddr @constructor jump __proto__',
      '\t}',
      '\tchain __proto__ {',
      '\t\tiifname "\u202e\u0000\x1b[2J" accept',
      '\t}',
      '}',
    ].join('\n');
    const result = parseAccounted(nftParser, text, LIST);
    const c = chain(result, 'hasOwnProperty');
    expect(c.rules[0]).toMatchObject({ verdict: 'jump', target: '__proto__' });
    expect(matches(c.rules[0] as NetfilterRule)).toEqual(['saddr=10.0.0.1/32']);
    expect(chain(result, '__proto__').rules[0]?.matches[0]?.values).toEqual(['\u202e\u0000\x1b[2J']);
  });

  it('notes a quote left open at the end of a line', () => {
    const result = parseAccounted(
      nftParser,
      'table ip t {\n\tchain c {\n\t\tiifname "cni0 accept\n\t}\n}',
      LIST,
    );
    expect(result.issues.map((i) => i.line)).toContain(3);
    expect(chain(result, 'c').rules[0]?.verdict).toBe('continue');
  });

  it('reads nft -f script syntax: tables, chains, rules in order, elements; notes what it does not apply', () => {
    const text = [
      '#!/usr/sbin/nft -f',
      'flush ruleset',
      'define PODS = 10.244.0.0/16',
      'include "/etc/nftables.d/*.nft"',
      'add table inet filter',
      'add chain inet filter forward { type filter hook forward priority 0 ; policy drop ; }',
      'add set inet filter ok { type ipv4_addr ; }',
      'add element inet filter ok { 192.0.2.1, 192.0.2.2 }',
      'add rule inet filter forward ip saddr $PODS accept',
      'add rule inet filter forward ip saddr @ok accept',
      'insert rule inet filter forward ct state established,related accept',
      'table inet filter { chain input { type filter hook input priority 0; policy accept; iif "lo" accept; } }',
      'delete rule inet filter forward handle 4',
      'add rule ip other c accept',
    ].join('\n');
    const result = parseAccounted(nftParser, text);
    const fwd = chain(result, 'forward');
    expect(fwd).toMatchObject({ hook: 'forward', priority: 0, policy: 'drop' });
    expect(fwd.rules.map((r) => matches(r).join(' '))).toEqual([
      'ctstate=ESTABLISHED,RELATED',
      'unknown=',
      'saddr=192.0.2.1/32,192.0.2.2/32',
    ]);
    expect(chain(result, 'input').rules.map((r) => r.text)).toEqual(['iif "lo" accept']);
    expect(chain(result, 'c', 'other').rules).toHaveLength(1);
    // Declaring a table again adds to it.
    expect(ruleset(result).tables.map((t) => `${t.family} ${t.name} ${t.chains.length}`)).toEqual([
      'inet filter 2',
      'ip other 1',
    ]);
    expect(ruleset(result).partial).toBe('include /etc/nftables.d/*.nft');
    expect(result.issues.map((i) => i.line)).toEqual([2, 3, 4, 13, 14]);
  });

  it('gives a garbled line a note of its kind only up to twenty times, then counts the rest', () => {
    const body = (line: string): string =>
      `table ip t {\n\tchain c {\n${`\t\t${line}\n`.repeat(5_000)}\t}\n}`;
    for (const text of [
      body('iifname "cni0 accept'),
      body('type filter hook sideways priority 0;'),
      body('iifname { "a" accept'),
      'Error: Operation not permitted\n'.repeat(5_000),
      `table ip t {\n${'\tset s {\n'.repeat(5_000)}`,
    ]) {
      const result = parseAccounted(nftParser, text, LIST);
      expect(result.issues.length).toBeLessThanOrEqual(22);
      expect(result.issues.some((i) => i.message.includes('not noted one by one'))).toBe(true);
    }
  });

  it('stays linear on huge lines, many rules and big sets', () => {
    const cases = [
      `table ip t {\n\tchain c {\n\t\tiifname ${'{ '.repeat(100_000)}\n\t}\n}`,
      `table ip t {\n\tchain c {\n\t\t${'"a" '.repeat(50_000)}accept\n\t}\n}`,
      `table ip t {\n\tchain c {\n${'\t\tip saddr 10.0.0.1 tcp dport 80 counter packets 1 bytes 2 accept\n'.repeat(20_000)}\t}\n}`,
      `table ip t {\n\tchain c {\n\t\t${'ip saddr . '.repeat(50_000)}\n\t}\n}`,
      `table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { ${'10.0.0.1, '.repeat(50_000)}}\n\t}\n\tchain c {\n${'\t\tip saddr @s accept\n'.repeat(500)}\t}\n}`,
      '}'.repeat(200_000),
      'table ip t {\n'.repeat(10_000),
    ];
    const started = Date.now();
    const issues = cases.map((text) => {
      const result = nftParser.parse({
        file: 'f',
        lines: toLines(text),
        command: { raw: LIST, argv: LIST.split(' '), filtered: false },
      });
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      return result.issues.length;
    });
    // A quadratic step takes minutes on these; linear ones take about a second on a loaded machine.
    expect(Date.now() - started).toBeLessThan(20_000);
    // A line of stray braces is one note; ten thousand tables left open are twenty and a summary.
    expect(issues.slice(5)).toEqual([1, 21]);
  }, 60_000);
});

describe('nft parser: nft -j', () => {
  const doc = (items: string): string =>
    `{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}, ${items}]}`;
  const table = '{"table": {"family": "inet", "name": "t", "handle": 1}}';
  const base =
    '{"chain": {"family": "inet", "table": "t", "name": "f", "handle": 1, "type": "filter", "hook": "forward", "prio": 10, "policy": "drop"}}';
  const ruleOf = (expr: string, extra = ''): string =>
    `{"rule": {"family": "inet", "table": "t", "chain": "f", "handle": 2, ${extra}"expr": ${expr}}}`;

  it('reads tables, base chains and rules with their expressions', () => {
    const text = doc(
      [
        table,
        base,
        ruleOf(
          '[{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": {"set": ["cni0", "veth*"]}}}, {"counter": {"packets": 3, "bytes": 180}}, {"accept": null}]',
          '"comment": "pods", ',
        ),
        ruleOf(
          '[{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"jump": {"target": "x"}}]',
        ),
        ruleOf(
          '[{"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": {"prefix": {"addr": "10.244.0.0", "len": 16}}}}, {"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": {"range": [8000, 9000]}}}, {"reject": {"type": "icmpx", "expr": "admin-prohibited"}}]',
        ),
        ruleOf('[{"xt": {"type": "match", "name": "physdev"}}, {"xt": {"type": "target", "name": "LOG"}}]'),
        ruleOf('[{"xt": null}, {"drop": null}]'),
        ruleOf('[{"vmap": {"key": {"meta": {"key": "iifname"}}, "data": "@m"}}]'),
        ruleOf('[{"frobnicate": {"x": 1}}]'),
        ruleOf(
          '[{"limit": {"rate": 10, "per": "second"}}, {"mangle": {"key": {"meta": {"key": "mark"}}, "value": 16384}}]',
        ),
      ].join(', '),
    );
    const result = parseAccounted(nftParser, text, 'nft -j list ruleset');
    const f = chain(result, 'f');
    expect(f).toMatchObject({ hook: 'forward', priority: 10, policy: 'drop' });
    expect(f.rules.map((r) => `${r.verdict} ${r.target ?? ''} ${matches(r).join(' ')}`.trim())).toEqual([
      'accept  iif=cni0,veth*',
      'jump x ctstate=ESTABLISHED,RELATED',
      'reject  daddr!=10.244.0.0/16 proto=udp dport=8000:9000',
      'continue LOG unknown=',
      'drop  unknown=',
      'unknown vmap',
      'unknown  unknown=',
      'continue meta mark set unknown=',
    ]);
    expect(f.rules[0]).toMatchObject({
      packets: 3,
      bytes: 180,
      comment: 'pods',
      text: 'iifname { "cni0", "veth*" } counter packets 3 bytes 180 accept comment "pods"',
    });
    expect(f.rules[2]?.rejectWith).toBe('icmpx admin-prohibited');
    expect(result.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('unknown expression "frobnicate"'),
    ]);
    expect(result.partial).toBeUndefined();
  });

  it('locates elements on their lines when the JSON is pretty-printed', () => {
    const text = JSON.stringify(
      JSON.parse(doc([table, base, ruleOf('[{"accept": null}]')].join(', '))),
      null,
      2,
    );
    const result = parseAccounted(nftParser, text, 'nft -j list ruleset | jq .');
    const lines = text.split('\n');
    const f = chain(result, 'f');
    expect(lines[f.loc.line - 1]).toContain('{');
    expect(lines.slice(f.loc.line - 1, f.loc.endLine).join('\n')).toContain('"hook": "forward"');
    const r = f.rules[0] as NetfilterRule;
    expect(lines.slice(r.loc.line - 1, r.loc.endLine).join('\n')).toContain('"accept": null');
  });

  it('resolves named sets from nft -j too', () => {
    const set =
      '{"set": {"family": "inet", "name": "s", "table": "t", "type": "ipv4_addr", "flags": ["interval"], "elem": [{"prefix": {"addr": "10.244.0.0", "len": 16}}, "192.0.2.1"]}}';
    const dyn =
      '{"set": {"family": "inet", "name": "d", "table": "t", "type": "ipv4_addr", "flags": ["dynamic"]}}';
    const use = (name: string): string =>
      ruleOf(
        `[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@${name}"}}, {"accept": null}]`,
      );
    const result = parseAccounted(
      nftParser,
      doc([table, set, dyn, base, use('s'), use('d')].join(', ')),
      'nft -j list ruleset',
    );
    expect(chain(result, 'f').rules.map((r) => matches(r).join(' '))).toEqual([
      'saddr=10.244.0.0/16,192.0.2.1/32',
      'unknown=',
    ]);
  });

  it('makes the listing partial for elements it cannot use, invalid JSON and missing chains', () => {
    const unknown = parseAccounted(
      nftParser,
      doc([table, '{"gizmo": {"x": 1}}', '42'].join(', ')),
      'nft -j list ruleset',
    );
    expect(unknown.partial).toBe('nft -j elements not read');
    expect(ruleset(unknown).partial).toBe('nft -j elements not read');
    expect(unknown.issues).toHaveLength(2);
    const orphan = parseAccounted(
      nftParser,
      doc([table, ruleOf('[{"accept": null}]')].join(', ')),
      'nft -j list ruleset',
    );
    expect(chain(orphan, 'f').rules).toHaveLength(1);
    expect(chain(orphan, 'f').hook).toBeUndefined();
    expect(orphan.partial).toBe('nft -j elements not read');
    const pretty = JSON.stringify(
      JSON.parse(doc([table, base, ruleOf('[{"accept": null}]')].join(', '))),
      null,
      2,
    );
    const truncated = pretty.split('\n').slice(0, -12).join('\n');
    const cut = parseAccounted(nftParser, truncated, 'nft -j list ruleset');
    expect(cut.partial).toBe('invalid JSON');
    expect(chain(cut, 'f').policy).toBe('drop');
    const other = parseAccounted(nftParser, '{"interfaces": []}', 'nft -j list ruleset');
    expect(other.facts.netfilter).toBeUndefined();
  });

  it('takes hostile names in JSON as data', () => {
    const text = doc(
      [
        '{"table": {"family": "ip", "name": "__proto__"}}',
        '{"chain": {"family": "ip", "table": "__proto__", "name": "constructor", "hook": "input", "prio": "filter", "policy": "accept"}}',
        '{"rule": {"family": "ip", "table": "__proto__", "chain": "constructor", "expr": [{"jump": {"target": "__proto__"}}]}}',
      ].join(', '),
    );
    const result = parseAccounted(nftParser, text, 'nft -j list ruleset');
    expect(chain(result, 'constructor')).toMatchObject({ hook: 'input', priority: 0 });
    expect(chain(result, 'constructor').rules[0]).toMatchObject({ verdict: 'jump', target: '__proto__' });
  });

  it('reads the same rules from the text and the JSON of one rule set', () => {
    const shape = (result: ParseResult): unknown =>
      ruleset(result).tables.map((t) =>
        t.chains.map((c) => [
          c.name,
          c.hook,
          c.priority,
          c.policy,
          c.rules.map((r) => [r.verdict, r.target, r.comment, r.packets, matches(r)]),
        ]),
      );
    const text = parseAccounted(nftParser, readFixture('nft--filter.out'), LIST);
    const json = parseAccounted(nftParser, readFixture('nft--filter-json.out'), 'nft -j list ruleset');
    expect(shape(json)).toEqual(shape(text));
  });
});

describe('nft listings in a snapshot', () => {
  const listing =
    'table inet filter {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tiifname "cni0" accept\n\t}\n}';

  it('reads a listing after a prompt into the host, with netfilter coverage', () => {
    const snap = parseSnapshot(
      `[root@flnode1 ~]# nft list ruleset\n${listing}\n[root@flnode1 ~]# nft list table inet filter\n${listing}\n`,
      'n.netsnap',
    );
    const host = snap.nodes[0];
    expect(host?.netfilter.map((r) => [r.source, r.loc.line, r.partial])).toEqual([
      ['nft', 2, undefined],
      ['nft', 9, 'table inet filter only'],
    ]);
    expect(host?.coverage.find((c) => c.domain === 'netfilter')?.state).toBe('complete');
    expect(snap.issues).toEqual([]);
  });

  it('recognises a pasted listing with no prompt, between other outputs', () => {
    const snap = parseSnapshot(
      `### node flnode2\n${listing}\n${readFixture('nft--kube-proxy-json.out')}\n`,
      'p.netsnap',
    );
    const host = snap.nodes[0];
    expect(host?.netfilter.map((r) => r.tables.map((t) => t.name).join(' '))).toEqual([
      'filter',
      'kube-proxy flannel-ipv4 flannel-ipv6',
    ]);
    // One section (nothing between the two outputs tells them apart), a rule set for each listing.
    expect(host?.sections.map((s) => [s.parser, s.detected])).toEqual([['nft', true]]);
    expect(host?.netfilter.map((r) => r.loc.line)).toEqual([2, 8]);
  });
});

describe('nft parser on any nft-like text', () => {
  const real = fixtureNames('nft')
    .flatMap((f) => readFixture(f).split('\n'))
    .filter((l) => l.length < 300);
  const piece = fc.oneof(
    fc.constantFrom(
      'table inet t {',
      'table ip6 "x y" {',
      'chain c {',
      'set s {',
      'map m {',
      'ct helper h {',
      'elements = {',
      'type filter hook forward priority filter + 10; policy drop;',
      'add rule ip t c',
      'add chain ip t c {',
      'insert rule inet t c',
      'define X = 1',
      'include "x"',
      '{',
      '}',
      ';',
      '"',
      '# xt_physdev',
      '# handle 3',
      'xt match',
      'vmap',
      '@s',
      'ip saddr',
      'ct state',
      'reject with',
      'jump',
      'counter packets',
      '==',
      '.',
      ',',
      'Error: x',
      '^^^',
      '{"nftables": [',
      '...',
    ),
    fc.string({ maxLength: 8 }),
  );
  const line = fc.oneof(
    fc.constantFrom(...real),
    fc.array(piece, { maxLength: 8 }).map((p) => p.join(' ')),
    fc.tuple(fc.constantFrom(...real), fc.integer({ min: 0, max: 120 })).map(([l, cut]) => l.slice(0, cut)),
  );
  it('never throws, accounts for every line and reads only known verdicts', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.constantFrom(undefined, LIST, 'nft -j list ruleset', 'nft list chains | grep x'),
        (ls, cmd) => {
          const text = ls.join('\n');
          const lines = toLines(text);
          const result = nftParser.parse(
            cmd === undefined
              ? { file: 'f', lines }
              : {
                  file: 'f',
                  lines,
                  command: { raw: cmd, argv: cmd.split(' '), filtered: cmd.includes('|') },
                },
          );
          expectAccounted(result, lines);
          for (const set of result.facts.netfilter ?? []) {
            for (const t of set.tables) {
              for (const c of t.chains) {
                for (const r of c.rules) {
                  expect([
                    'accept',
                    'drop',
                    'reject',
                    'return',
                    'jump',
                    'goto',
                    'continue',
                    'unknown',
                  ]).toContain(r.verdict);
                  if (r.verdict === 'jump' || r.verdict === 'goto') expect(r.target).toBeDefined();
                }
              }
            }
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});
