import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../src/core';
import type { Facts, NetfilterChain, NetfilterRule, NetfilterRuleset } from '../../../src/core/model/types';
import { iptablesParser, readIptablesCommand } from '../../../src/core/parsers/iptables';
import { splitArgs } from '../../../src/core/parsers/iptables-rules';
import type { Line, ParseResult } from '../../../src/core/parsers/parser';
import {
  expectMatches,
  fixtureNames,
  parseAccounted,
  parseText,
  readFixture,
  toLines,
} from '../support/parse';

function parse(text: string, cmd?: string): ParseResult {
  return parseAccounted(iptablesParser, text, cmd);
}

function rulesets(result: ParseResult): NetfilterRuleset[] {
  return result.facts.netfilter ?? [];
}

function chainOf(result: ParseResult, name: string, table = 'filter', index = 0): NetfilterChain {
  const t = rulesets(result)[index]?.tables.find((x) => x.name === table);
  const chain = t?.chains.find((c) => c.name === name);
  if (chain === undefined) throw new Error(`no chain ${table}/${name}`);
  return chain;
}

function rule(result: ParseResult, chain: string, n = 0, table = 'filter'): NetfilterRule {
  const r = chainOf(result, chain, table).rules[n];
  if (r === undefined) throw new Error(`no rule ${n} in ${chain}`);
  return r;
}

/** The matches of a rule as `kind[!]=values` (or `unknown[!]:text`). */
function matches(r: NetfilterRule): string[] {
  return r.matches.map((m) =>
    m.kind === 'unknown'
      ? `unknown${m.negate ? '!' : ''}:${m.text}`
      : `${m.kind}${m.negate ? '!' : ''}=${m.values.join(',')}`,
  );
}

/**
 * Stricter than the shared accounting: a rule set's or table's span does not account for a line inside
 * it; only a chain, a policy, a rule, a version, a skip or an issue does.
 */
function unaccounted(lines: readonly Line[], result: ParseResult): number[] {
  const covered = new Set<number>(result.skipped);
  for (const i of result.issues) for (let l = i.line; l <= (i.endLine ?? i.line); l++) covered.add(l);
  const facts: Facts = result.facts;
  if (facts.iptablesVersion) covered.add(facts.iptablesVersion.loc.line);
  for (const set of facts.netfilter ?? []) {
    if (set.legacyTablesPresent) covered.add(set.legacyTablesPresent.line);
    for (const t of set.tables) {
      covered.add(t.loc.line); // `*filter`
      if (t.loc.endLine !== undefined) covered.add(t.loc.endLine); // `COMMIT`, or the last row
      for (const c of t.chains) {
        covered.add(c.loc.line);
        if (c.policyLoc) covered.add(c.policyLoc.line);
        for (const r of c.rules) covered.add(r.loc.line);
      }
    }
  }
  return lines.filter((l) => !covered.has(l.line)).map((l) => l.line);
}

describe('iptables parser: the captured fixtures', () => {
  const files = fixtureNames('iptables');

  it('reads every fixture pasted raw: detected at its first line, every line accounted for by a record', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const lines = toLines(readFixture(f));
      const r = iptablesParser.parse({ file: f, lines });
      expect(iptablesParser.detect(lines, 0), f).toBe(true);
      expect(unaccounted(lines, r), f).toEqual([]);
      // Without the command, only the notes that the table or the narrowing had to be inferred remain.
      expect(
        r.issues.filter((i) => i.severity !== 'info'),
        f,
      ).toEqual([]);
      expect((r.facts.netfilter?.length ?? 0) + (r.facts.iptablesVersion ? 1 : 0), f).toBeGreaterThan(0);
    }
  });

  it('reads each listing form of one rule set into the same rules', () => {
    // iptables-save, -S, -L -n -v and -L -nvx --line-numbers of the nsipt-nft filter table agree.
    const forms = [
      ['iptables--nft-save-c.out', 'iptables-nft-save -c'],
      ['iptables--nft-S-v.out', 'iptables-nft -S -v'],
      ['iptables--nft-L-nvx-lines.out', 'iptables-nft -L -n -v -x --line-numbers'],
    ].map(([file, cmd]) => parse(readFixture(file ?? ''), cmd));
    const summary = (r: ParseResult): unknown =>
      chainOf(r, 'FORWARD').rules.map((x) => [
        x.verdict,
        x.target,
        x.comment,
        x.packets,
        x.bytes,
        matches(x),
      ]);
    const kube = (r: ParseResult): unknown => chainOf(r, 'KUBE-FIREWALL').rules.map((x) => x.verdict);
    for (const r of forms) {
      expect(summary(r)).toEqual(summary(forms[0]!));
      expect(kube(r)).toEqual(['drop', 'drop']);
      expect(chainOf(r, 'INPUT').policyPackets).toBe(1843211);
    }
  });

  it('sees the legacy-only FORWARD DROP beside the nft rules, and the warning iptables-nft prints', () => {
    const nft = parse(readFixture('iptables--nft-save.out'), 'iptables-nft-save');
    const set = rulesets(nft)[0]!;
    expect(set.source).toBe('iptables-nft');
    expect(set.legacyTablesPresent?.line).toBe(97);
    expect(chainOf(nft, 'FORWARD').policy).toBe('accept');
    const legacy = parse(readFixture('iptables--nft-legacy-save.out'), 'iptables-legacy-save');
    expect(rulesets(legacy)[0]?.source).toBe('iptables-legacy');
    const forward = chainOf(legacy, 'FORWARD');
    expect([forward.policy, forward.hook, forward.priority, forward.policyPackets]).toEqual([
      'drop',
      'forward',
      0,
      123456,
    ]);
    expect(matches(forward.rules[2]!)).toEqual(['oif=docker0', 'ctstate=RELATED,ESTABLISHED']);
    expect(matches(forward.rules[4]!)).toEqual(['iif=docker0', 'oif!=docker0']);
  });

  it('keeps the REJECT that comes before flannel’s FORWARD accepts', () => {
    const r = parse(readFixture('iptables--leg-L-nv.out'), 'iptables-legacy -L -n -v');
    const forward = chainOf(r, 'FORWARD').rules;
    expect(forward.map((x) => [x.verdict, x.target, x.rejectWith])).toEqual([
      ['reject', 'REJECT', 'icmp-host-prohibited'],
      ['jump', 'FLANNEL-FWD', undefined],
    ]);
    expect(rule(r, 'FLANNEL-FWD', 0).comment).toBe('flanneld forward');
    expect(matches(rule(r, 'FLANNEL-FWD', 1))).toEqual(['daddr=10.244.0.0/16']);
  });

  it('reads the nat table of flannel and kube-proxy, and names it partial', () => {
    const r = parse(readFixture('iptables--nft-L-nat.out'), 'iptables-nft -t nat -L -n -v');
    expect(rulesets(r)[0]?.partial).toBe('table nat only');
    expect(r.partial).toBe('table nat only');
    const post = chainOf(r, 'POSTROUTING', 'nat');
    expect([post.hook, post.priority]).toEqual(['postrouting', 100]);
    expect(chainOf(r, 'PREROUTING', 'nat').priority).toBe(-100);
    const masq = chainOf(r, 'FLANNEL-POSTRTG', 'nat').rules;
    expect(masq.map((x) => x.verdict)).toEqual([
      'return',
      'return',
      'return',
      'return',
      'continue',
      'continue',
    ]);
    expect(matches(masq[0]!)).toEqual(['mark=0x4000/0x4000']);
    expect(matches(masq[4]!)).toEqual(['saddr=10.244.0.0/16', 'daddr!=224.0.0.0/4']);
    const sep = chainOf(r, 'KUBE-SEP-YIL6JZP7A3QYXJU2', 'nat').rules[1]!;
    expect([sep.verdict, sep.target, matches(sep)]).toEqual(['continue', 'DNAT', ['proto=tcp']]);
    expect(chainOf(r, 'KUBE-MARK-MASQ', 'nat').rules[0]?.matches).toEqual([]);
  });

  it('reads names `-L` prints without -n: anywhere, loopback/8, service names', () => {
    const r = parse(readFixture('iptables--nft-L.out'), 'iptables-nft -L');
    expect(matches(rule(r, 'KUBE-FIREWALL', 1))).toEqual([
      'saddr!=127.0.0.0/8',
      'daddr=127.0.0.0/8',
      'ctstate!=RELATED,ESTABLISHED,DNAT',
    ]);
    const svc = rule(r, 'KUBE-SERVICES');
    expect([svc.verdict, svc.rejectWith, matches(svc)]).toEqual([
      'reject',
      'icmp-port-unreachable',
      ['proto=tcp', 'daddr=10.96.45.12/32', 'dport=80'],
    ]);
  });

  it('names a one-chain listing partial, with the chains it jumps to', () => {
    const r = parse(readFixture('iptables--nft-legacy-L-forward.out'), 'iptables-legacy -L FORWARD -n -v');
    expect(r.partial).toBe(
      'chain FORWARD only; chains DOCKER-USER, DOCKER-ISOLATION-STAGE-1, DOCKER jumped to but not listed',
    );
    expect(rule(r, 'FORWARD').verdict).toBe('jump');
    expect(rule(r, 'FORWARD').packets).toBe(123000); // `123K`
    expect(chainOf(r, 'FORWARD').policyBytes).toBe(99_000_000); // `99M`
  });

  it('reads ip6tables as family ip6 and the versions of both backends', () => {
    const r = parse(readFixture('iptables--leg-ip6-save.out'), 'ip6tables-legacy-save');
    expect(rulesets(r)[0]?.tables.map((t) => [t.name, t.family])).toEqual([['filter', 'ip6']]);
    expect(rule(r, 'INPUT', 3).matches.find((m) => m.kind === 'daddr')?.values).toEqual(['fe80::/64']);
    const v = parse(readFixture('iptables--leg-ip6-V.out'), 'ip6tables-legacy -V');
    expect(v.facts.iptablesVersion).toEqual({
      loc: { file: 'test.netsnap', line: 1 },
      version: '1.8.9',
      family: 'ip6',
      backend: 'legacy',
    });
    expect(v.partial).toBe('the version only, no rules');
    expect(parse('iptables v1.8.9 (nf_tables)').facts.iptablesVersion?.backend).toBe('nf_tables');
    expect(parse('iptables v1.4.21').facts.iptablesVersion).toEqual({
      loc: { file: 'test.netsnap', line: 1 },
      version: '1.4.21',
      family: 'ip',
    });
  });
});

describe('iptables parser: iptables-save', () => {
  it('takes the backend from the `# Generated by` line', () => {
    const save = (generator: string): NetfilterRuleset | undefined =>
      rulesets(
        parse(
          `# Generated by ${generator} on Wed Dec  2 12:46:49 2026\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT`,
        ),
      )[0];
    expect(save('iptables-save v1.8.9 (nf_tables)')?.source).toBe('iptables-nft');
    expect(save('iptables-save v1.8.9')?.source).toBe('iptables-legacy');
    expect(save('iptables-save v1.4.21')?.source).toBe('iptables-legacy');
    expect(save('xtables-save v1.8.2')?.source).toBe('iptables-nft');
    expect(save('ip6tables-legacy-save v1.8.9')?.tables[0]?.family).toBe('ip6');
    // No generator line, no command: the backend is not known.
    expect(rulesets(parse('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT'))[0]?.source).toBe('iptables');
  });

  it('gives the program of a save to its own tables only', () => {
    const r = parse(
      [
        '# Generated by iptables-nft-save v1.8.9 (nf_tables) on Wed Dec  2 12:46:49 2026',
        '*filter',
        ':INPUT ACCEPT [0:0]',
        ':FORWARD ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        'COMMIT',
        '# Completed on Wed Dec  2 12:46:49 2026',
        'Chain INPUT (policy ACCEPT)',
        'Chain FORWARD (policy ACCEPT)',
        'Chain OUTPUT (policy ACCEPT)',
        '-P INPUT ACCEPT',
        '-P FORWARD ACCEPT',
        '-P OUTPUT ACCEPT',
      ].join('\n'),
    );
    expect(rulesets(r).map((s) => [s.source, s.loc.line, s.loc.endLine])).toEqual([
      ['iptables-nft', 1, 7],
      ['iptables', 8, 10],
      ['iptables', 11, 13],
    ]);
  });

  it('splits iptables-save and ip6tables-save pasted together into two rule sets', () => {
    const text = [
      '# Generated by iptables-save v1.8.9 on Wed Dec  2 12:46:50 2026',
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD DROP [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      'COMMIT',
      '# Completed on Wed Dec  2 12:46:50 2026',
      '# Generated by ip6tables-save v1.8.9 on Wed Dec  2 12:46:50 2026',
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      'COMMIT',
    ].join('\n');
    const r = parse(text);
    expect(rulesets(r).map((s) => [s.loc.line, s.loc.endLine, s.tables[0]?.family])).toEqual([
      [1, 7, 'ip'],
      [8, 13, 'ip6'],
    ]);
    expect(r.partial).toBeUndefined();
  });

  it('unquotes comments as iptables-restore does', () => {
    expect(splitArgs('-m comment --comment "say \\"hi\\", \\\\o/" -j X').tokens.map((t) => t.value)).toEqual([
      '-m',
      'comment',
      '--comment',
      'say "hi", \\o/',
      '-j',
      'X',
    ]);
    expect(splitArgs('a"b c"d').tokens.map((t) => t.value)).toEqual(['ab cd']);
    expect(splitArgs('--comment "open').unterminated).toBe(true);
    const r = parseText(iptablesParser, '-A INPUT -m comment --comment "never closed -j ACCEPT');
    expect(r.facts.netfilter?.[0]?.tables[0]?.chains[0]?.rules[0]?.comment).toBe('never closed -j ACCEPT');
    expect(r.issues.map((i) => i.message)).toContainEqual(expect.stringContaining('a quote is not closed'));
  });

  it('reads negations, old `-s ! x` forms, masks and every way of writing a match', () => {
    const r = parse(
      [
        '*filter',
        ':FORWARD ACCEPT [0:0]',
        '-A FORWARD -s ! 10.0.0.0/255.255.0.0 -p ! tcp -j DROP',
        '-A FORWARD -s 10.0.0.0/255.0.255.0 -j DROP',
        '-A FORWARD -i veth+ -o cni0 -p udp --dport 8472 -j ACCEPT',
        '-A FORWARD -p tcp -m multiport ! --dports 1:1023 -m multiport --ports 80 -j DROP',
        '-A FORWARD -m conntrack --ctstate NEW --ctdir ORIGINAL -j ACCEPT',
        '-A FORWARD -p 17 -m udp --sport 53 -m comment --comment "a" -m comment --comment b -j ACCEPT',
        '-A FORWARD -p all -m tcp -m socket -j ACCEPT',
        '-A FORWARD -g OTHER',
        '-A FORWARD -s fd00::1 -j LOG --log-prefix "-x "',
        ':OTHER - [0:0]',
        'COMMIT',
      ].join('\n'),
    );
    const f = chainOf(r, 'FORWARD').rules;
    expect(matches(f[0]!)).toEqual(['saddr!=10.0.0.0/16', 'proto!=tcp']);
    expect(matches(f[1]!)).toEqual(['unknown:-s 10.0.0.0/255.0.255.0']);
    expect(matches(f[2]!)).toEqual(['iif=veth+', 'oif=cni0', 'proto=udp', 'dport=8472']);
    expect(matches(f[3]!)).toEqual(['proto=tcp', 'dport!=1:1023', 'unknown:-m multiport --ports 80']);
    expect(matches(f[4]!)).toEqual(['ctstate=NEW', 'unknown:--ctdir ORIGINAL']);
    expect([matches(f[5]!), f[5]?.comment]).toEqual([['proto=udp', 'sport=53'], 'a; b']);
    expect(matches(f[6]!)).toEqual(['unknown:-m socket']);
    expect([f[7]?.verdict, f[7]?.target]).toEqual(['goto', 'OTHER']);
    expect([f[8]?.verdict, f[8]?.target, matches(f[8]!)]).toEqual(['continue', 'LOG', ['saddr=fd00::1/128']]);
    // Only FORWARD is declared: the other built-in chains of the table are not shown.
    expect(r.partial).toBe('filter chains INPUT, OUTPUT not listed');
  });

  it('reads counters: `[p:b]` before the rule, `-c p b` inside it', () => {
    const save = parse('*filter\n:INPUT DROP [5:300]\n[4294967296:1234567890123] -A INPUT -j ACCEPT\nCOMMIT');
    expect([rule(save, 'INPUT').packets, rule(save, 'INPUT').bytes]).toEqual([4294967296, 1234567890123]);
    expect(rule(save, 'INPUT').text).toBe('-A INPUT -j ACCEPT');
    expect([chainOf(save, 'INPUT').policy, chainOf(save, 'INPUT').policyPackets]).toEqual(['drop', 5]);
    const s = parse(
      '-P INPUT DROP -c 7 420\n-A INPUT -s 10.0.0.0/8 -c 3 180 -j ACCEPT',
      'iptables -S INPUT -v',
    );
    expect([chainOf(s, 'INPUT').policyBytes, rule(s, 'INPUT').packets, matches(rule(s, 'INPUT'))]).toEqual([
      420,
      3,
      ['saddr=10.0.0.0/8'],
    ]);
  });

  it('turns a target that is neither known nor a listed chain into unknown when the listing is whole', () => {
    const whole = parse(
      '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j FOO\n-A INPUT -j BAR --bar 1\nCOMMIT',
    );
    expect(chainOf(whole, 'INPUT').rules.map((x) => x.verdict)).toEqual(['unknown', 'unknown']);
    expect(whole.issues.map((i) => i.line)).toEqual([5]);
    // In one chain's listing it is a chain that is not shown.
    const narrowed = parse('-P INPUT ACCEPT\n-A INPUT -j FOO\n-A INPUT -j BAR --bar 1', 'iptables -S INPUT');
    expect(chainOf(narrowed, 'INPUT').rules.map((x) => x.verdict)).toEqual(['jump', 'unknown']);
    expect(narrowed.partial).toBe('chain INPUT only; chains FOO jumped to but not listed');
    for (const target of ['NFQUEUE', 'QUEUE']) {
      expect(rule(parse(`-A INPUT -j ${target}`), 'INPUT').verdict).toBe('unknown');
    }
    expect(rule(parse('-A INPUT -s 10.0.0.0/8'), 'INPUT').verdict).toBe('continue');
  });

  it('warns about a rule line it cannot place, and makes the listing partial', () => {
    const r = parseText(iptablesParser, '-P INPUT ACCEPT\n-A\n-A -s 10.0.0.0/8 -j DROP', 'iptables -S');
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'warning'],
      [3, 'warning'],
    ]);
    expect(r.partial).toContain('a rule line names no chain');
  });

  it('notes a table cut before its COMMIT, and iptables-nft’s incompatible tables', () => {
    const cut = parse('*nat\n:POSTROUTING ACCEPT [0:0]\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT');
    expect(cut.partial).toContain('table nat is cut (no COMMIT)');
    const r = parse(
      "# Table `filter' contains incompatible base-chains, use 'nft' tool to list them.\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT",
    );
    expect(r.issues.map((i) => i.severity)).toEqual(['warning']);
    expect(r.partial).toBe('table filter holds nftables rules iptables cannot show');
  });
});

describe('iptables parser: iptables -L', () => {
  const HEADER = 'target     prot opt source               destination         ';

  it('reads a rule with no target, a goto and the rule numbers', () => {
    const r = parse(
      [
        'Chain FORWARD (policy ACCEPT)',
        `num  ${HEADER}`,
        '1               all  --  0.0.0.0/0            10.0.0.1            ',
        '2    OTHER      tcp  --  0.0.0.0/0            0.0.0.0/0           [goto]  tcp dpt:80',
        '',
        'Chain OTHER (1 references)',
        `num  ${HEADER}`,
      ].join('\n'),
      'iptables -L FORWARD -n --line-numbers',
    );
    const f = chainOf(r, 'FORWARD').rules;
    expect([f[0]?.verdict, f[0]?.target, matches(f[0]!)]).toEqual([
      'continue',
      undefined,
      ['daddr=10.0.0.1/32'],
    ]);
    expect([f[1]?.verdict, matches(f[1]!)]).toEqual(['goto', ['proto=tcp', 'dport=80']]);
  });

  it('reads old ip6tables rows, whose opt column is blank', () => {
    const r = parse(
      [
        'Chain INPUT (policy ACCEPT)',
        HEADER,
        'ACCEPT     all      ::/0                 ::/0                 state RELATED,ESTABLISHED',
        '           tcp      ::/0                 fd00::1              tcp dpt:22',
      ].join('\n'),
      'ip6tables -L INPUT -n',
    );
    const rules = chainOf(r, 'INPUT').rules;
    expect([rules[0]?.verdict, matches(rules[0]!)]).toEqual(['accept', ['ctstate=RELATED,ESTABLISHED']]);
    expect([rules[1]?.target, matches(rules[1]!)]).toEqual([
      undefined,
      ['proto=tcp', 'daddr=fd00::1/128', 'dport=22'],
    ]);
    expect(rulesets(r)[0]?.tables[0]?.family).toBe('ip6');
  });

  it('keeps host names and unknown service names as conditions it cannot decide', () => {
    const r = parse(
      [
        'Chain INPUT (policy DROP)',
        HEADER,
        'ACCEPT     udp  --  node1.example.com    anywhere             udp dpt:otv',
        'ACCEPT     tcp  --  localhost            anywhere             tcp dpts:ssh:http multiport sports  !1000,2000',
      ].join('\n'),
      'iptables -L INPUT',
    );
    expect(matches(rule(r, 'INPUT', 0))).toEqual([
      'proto=udp',
      'unknown:source node1.example.com',
      'unknown:udp dpt:otv',
    ]);
    expect(matches(rule(r, 'INPUT', 1))).toEqual([
      'proto=tcp',
      'unknown:source localhost',
      'dport=22:80',
      'sport!=1000,2000',
    ]);
  });

  it('tells target text from matches for the actions that print options', () => {
    const r = parse(
      [
        'Chain X (0 references)',
        HEADER,
        'MARK       all  --  0.0.0.0/0            0.0.0.0/0            mark match 0x1 MARK set 0x2',
        'DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            tcp to:10.0.0.1:53',
        'MASQUERADE  all  --  0.0.0.0/0            0.0.0.0/0            random-fully',
        'REJECT     all  --  0.0.0.0/0            0.0.0.0/0            icmptype 8 reject-with icmp-port-unreachable',
        'LOG        all  -f  0.0.0.0/0            0.0.0.0/0            limit: avg 5/min burst 5 LOG flags 0 level 4 prefix "a b"',
      ].join('\n'),
      'iptables -L X -n',
    );
    const x = chainOf(r, 'X').rules;
    expect(x.map(matches)).toEqual([
      ['mark=0x1/0xffffffff'],
      ['proto=tcp'],
      [],
      ['unknown:icmptype 8'],
      ['unknown:opt -f', 'unknown:limit: avg 5/min burst 5'],
    ]);
    expect(x[3]?.rejectWith).toBe('icmp-port-unreachable');
  });

  it('warns about a row it cannot read inside a chain, and makes the listing partial', () => {
    const lines = ['Chain INPUT (policy ACCEPT)', HEADER, 'ACCEPT', 'garbage { here } x y z'].join('\n');
    const r = parseText(iptablesParser, lines, 'iptables -L -n');
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [3, 'warning'],
      [4, 'warning'],
    ]);
    expect(chainOf(r, 'INPUT').rules).toEqual([]);
    expect(r.partial).toContain('rule lines that could not be read');
  });

  it('infers the table of a paste without a command from its built-in chains', () => {
    const chains = (names: string[]): string =>
      names.map((n) => `Chain ${n} (policy ACCEPT)\n${HEADER}\n`).join('\n');
    const nat = parse(chains(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']));
    expect(rulesets(nat)[0]?.tables[0]?.name).toBe('nat');
    expect(nat.issues.map((i) => i.message)).toEqual([
      'The listing does not name its table: taken as nat from its built-in chains',
    ]);
    expect(rulesets(parse(chains(['PREROUTING', 'OUTPUT'])))[0]?.tables[0]?.name).toBe('raw');
    expect(
      rulesets(parse(chains(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'])))[0]?.tables[0]
        ?.name,
    ).toBe('mangle');
    const one = parse(chains(['FORWARD']));
    expect(rulesets(one)[0]?.tables[0]?.name).toBe('filter');
    expect(one.partial).toBe('filter chains INPUT, OUTPUT not listed');
  });

  it('starts a new rule set when a listing repeats a chain', () => {
    const block = `Chain INPUT (policy ACCEPT)\n${HEADER}\nChain FORWARD (policy DROP)\n${HEADER}\nChain OUTPUT (policy ACCEPT)\n${HEADER}`;
    const r = parse(`${block}\n\n${block}`);
    expect(rulesets(r).length).toBe(2);
  });
});

describe('iptables parser: partial listings and odd input', () => {
  it('marks filtered and elided listings partial', () => {
    const grep = parse('-A FORWARD -s 10.244.0.0/16 -j ACCEPT', 'iptables -S | grep 10.244');
    expect(grep.partial).toContain('filtered: | grep 10.244');
    expect(rulesets(grep)[0]?.partial).toContain('filtered: | grep 10.244');
    const elided = parse('*filter\n:INPUT ACCEPT [0:0]\n...\nCOMMIT', 'iptables-save');
    expect(elided.partial).toContain('elided with ...');
    // Rows after a `...` still belong to their chain.
    const rows = parse(
      'Chain INPUT (policy DROP)\ntarget prot opt source destination\nACCEPT all -- 0.0.0.0/0 0.0.0.0/0\n…\nDROP all -- 0.0.0.0/0 0.0.0.0/0',
      'iptables -L INPUT -n',
    );
    expect(chainOf(rows, 'INPUT').rules.map((x) => x.verdict)).toEqual(['accept', 'drop']);
    expect(rows.partial).toBe('chain INPUT only; elided with ...');
  });

  it('reports iptables errors as warnings and the listing as partial', () => {
    for (const line of [
      'iptables: No chain/target/match by that name.',
      "iptables v1.8.9 (nf_tables): chain `FOO' in table `filter' is incompatible, use 'nft' tool.",
      "Fatal: can't open lock file /run/xtables.lock: Permission denied",
      'bash: iptables-legacy-save: command not found',
    ]) {
      const r = parse(line, 'iptables -L FOO');
      expect(
        r.issues.map((i) => i.severity),
        line,
      ).toEqual(['warning']);
      expect(r.partial, line).toContain('iptables reported an error');
    }
  });

  it('notes legacy tables even when no rules follow, and a second version line', () => {
    const w = parse('# Warning: iptables-legacy tables present, use iptables-legacy to see them');
    expect(w.issues.map((i) => i.message)).toEqual([
      'iptables-legacy tables are present: iptables-legacy-save lists them',
    ]);
    const v = parse('iptables v1.8.9 (nf_tables)\nip6tables v1.8.9 (legacy)');
    expect([v.facts.iptablesVersion?.family, v.issues.map((i) => i.line)]).toEqual(['ip', [2]]);
  });

  it('reports garbage as unrecognized and makes no rule set of it', () => {
    const r = parse('hello world\n{"json": true}\n:::\n*\n[1:2]\nChain\n-X FOO');
    expect(r.facts.netfilter).toBeUndefined();
    expect(r.issues.every((i) => i.severity === 'info')).toBe(true);
    expect(r.issues.length).toBeGreaterThan(0);
  });

  it('reads no more words of a rule than iptables-restore could have saved', () => {
    const r = parseText(iptablesParser, `-A INPUT ${'-m set '.repeat(2000)}-j DROP`);
    const dropped = r.facts.netfilter?.[0]?.tables[0]?.chains[0]?.rules[0];
    expect(dropped?.matches.length).toBe(512);
    expect(dropped?.matches.at(-1)?.text).toBe(`${'-m set '.repeat(1489)}-j DROP`);
    expect(dropped?.verdict).toBe('continue');
    expect(r.issues.map((i) => i.message)).toContain(
      'Rule in INPUT: more than 1024 words, the rest kept as one condition (kept as a condition the evaluator cannot decide)',
    );
  });

  it('stays linear on megabyte lines', () => {
    const big = 'x'.repeat(1 << 20);
    const inputs = [
      `-A INPUT ${'! '.repeat(1 << 19)}`,
      `-A INPUT -m comment --comment "${'\\"'.repeat(1 << 19)}`,
      `-A INPUT ${'-m a '.repeat(1 << 18)}`,
      `Chain INPUT (policy ACCEPT)\ntarget prot opt source destination\nACCEPT all -- 0.0.0.0/0 0.0.0.0/0 ${'/* '.repeat(1 << 18)}`,
      `Chain INPUT (policy ACCEPT)\ntarget prot opt source destination\nACCEPT all -- 0.0.0.0/0 0.0.0.0/0 ${'"'.repeat(1 << 20)}`,
      `Chain ${big} (policy`,
      `# Generated by iptables-save ${big}`,
      `:${big} ${big}`,
      `iptables v${'1.'.repeat(1 << 19)}`,
      `${' '.repeat(1 << 20)}num pkts`,
    ];
    for (const text of inputs) {
      const start = performance.now();
      const r = parseText(iptablesParser, text);
      expect(performance.now() - start, text.slice(0, 40)).toBeLessThan(2000);
      expect(r.issues.filter((i) => i.message.includes('parser failed'))).toEqual([]);
    }
  });
});

describe('iptables parser: commands and detection', () => {
  it('claims the listing commands of every variant, not those that change rules', () => {
    expectMatches(
      iptablesParser,
      [
        ['iptables-save'],
        ['iptables-save', '-c', '-t', 'nat'],
        ['/usr/sbin/ip6tables-legacy-save'],
        ['iptables-nft-save', '--table=filter'],
        ['iptables', '-L'],
        ['iptables', '-nvL', 'FORWARD'],
        ['iptables', '-t', 'nat', '-L', '-n', '-v', '-x', '--line-numbers'],
        ['ip6tables-nft', '--list-rules'],
        ['iptables', '-S', '-v'],
        ['iptables', '-w', '5', '-S'],
        ['iptables', '-V'],
        ['iptables-legacy', '--version'],
        ['xtables-nft-multi', 'iptables', '-L'],
      ],
      [
        ['iptables'],
        ['iptables', '-A', 'INPUT', '-j', 'ACCEPT'],
        ['iptables', '-F'],
        ['iptables', '-P', 'FORWARD', 'ACCEPT'],
        ['iptables', '-nL', '-D', 'INPUT', '1'],
        ['iptables-restore'],
        ['ebtables-save'],
        ['nft', 'list', 'ruleset'],
      ],
    );
    expect(readIptablesCommand(['iptables', '-tnat', '-nvL', 'POSTROUTING', '2'])).toEqual({
      family: 'ip',
      source: 'iptables',
      mode: 'list',
      table: 'nat',
      chain: 'POSTROUTING',
      ruleNumber: '2',
    });
    expect(readIptablesCommand(['ip6tables-nft-save', '-c'])).toEqual({
      family: 'ip6',
      source: 'iptables-nft',
      mode: 'save',
    });
  });

  it('detects raw pastes by their own lines only', () => {
    const yes = [
      '# Generated by iptables-nft-save v1.8.9 (nf_tables) on Wed Dec  2 12:46:49 2026',
      '# Warning: iptables-legacy tables present, use iptables-legacy to see them',
      '*nat\n:PREROUTING ACCEPT [0:0]',
      'Chain FORWARD (policy DROP 12 packets, 840 bytes)',
      'Chain DOCKER-USER (1 references)',
      '-P INPUT ACCEPT',
      '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
      '[0:0] -A FORWARD -j DOCKER-USER',
      'iptables v1.8.9 (nf_tables)',
      'ip6tables v1.8.7 (legacy)',
    ];
    const no = [
      '# Generated by ebtables-save v1.8.9 (nf_tables) on Wed Dec  2 12:46:49 2026',
      '*filter\nsomething',
      '*filter',
      'Chain of events',
      '-P lease',
      '-A INPUT',
      'iptables is great',
      'table ip filter {',
      'Kernel IP routing table',
    ];
    for (const text of yes) expect(iptablesParser.detect(toLines(text), 0), text).toBe(true);
    for (const text of no) expect(iptablesParser.detect(toLines(text), 0), text).toBe(false);
  });

  it('reads pasted listings in a transcript, prompts or none', () => {
    // Output pasted with no prompt is cut where another command's output begins; a prompt's section
    // runs to the next prompt.
    const text = [
      '### node node1',
      readFixture('iptables--nft-legacy-L-forward.out'),
      '',
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         10.0.0.1        0.0.0.0         UG    0      0        0 eth0',
      '# Generated by iptables-save v1.8.9 on Wed Dec  2 12:46:50 2026',
      '*raw',
      ':PREROUTING ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      'COMMIT',
      'root@node1:~# ip6tables-save',
      readFixture('iptables--leg-ip6-save.out'),
      'root@node1:~# iptables -V',
      'iptables v1.8.9 (legacy)',
    ].join('\n');
    const snap = parseSnapshot(text, 'x.netsnap');
    const node = snap.nodes[0]!;
    expect(node.netfilter.map((s) => [s.source, s.tables[0]?.name, s.tables[0]?.family, s.partial])).toEqual([
      [
        'iptables',
        'filter',
        'ip',
        'filter chains INPUT, OUTPUT not listed; chains DOCKER-USER, DOCKER-ISOLATION-STAGE-1, DOCKER jumped to but not listed',
      ],
      ['iptables-legacy', 'raw', 'ip', undefined],
      ['iptables-legacy', 'filter', 'ip6', undefined],
    ]);
    expect(node.iptablesVersions.map((v) => v.backend)).toEqual(['legacy']);
    expect(node.routes.length).toBe(1);
    expect(node.sections.map((s) => s.parser)).toEqual([
      'iptables',
      'route-n',
      'iptables',
      'iptables',
      'iptables',
    ]);
    expect(snap.issues.map((i) => [i.line, i.message])).toEqual([
      [2, 'The listing does not name its table: taken as filter from its built-in chains'],
    ]);
  });
});
