import { describe, expect, it } from 'vitest';
import { kernelLogParser } from '../../../src/core/parsers/kernel-log';
import {
  expectDetectsNoOtherFixture,
  expectMatches,
  expectUnreadWarning,
  parseAccounted,
  parseText,
  toLines,
} from '../support/parse';

const kinds = (r: ReturnType<typeof parseText>): [number, number | undefined, string][] =>
  (r.facts.kernelLog ?? []).map((l) => [l.loc.line, l.loc.endLine, l.kind]);

describe('kernel-log parser', () => {
  it('reads the message after every timestamp form dmesg prints', () => {
    const r = parseAccounted(
      kernelLogParser,
      [
        '[ 1423.035722] UDP: bad checksum. From 172.16.9.99:27503 to 172.16.80.252:8472 ulen 75',
        '[Tue Nov 20 22:30:22 2018] nf_conntrack: table full, dropping packet',
        '<4>[  641.187145] neighbour: ndisc_cache: neighbor table overflow!',
        'kern  :info  : [  367.821932] ipv4: Neighbour table overflow.',
        '2026-12-02T12:46:36,187145+00:00 request_module: modprobe nf-conntrack-ipv4 cannot be processed, kmod busy with 50 threads for more than 5 seconds now',
        '[<    0.000012>] vxlan: Unknown symbol udp_tunnel_sock_release (err -2)',
        '[  +0.000012] nf_conntrack: nf_conntrack: table full, dropping packet',
        '[Dec 2 12:46] UDPLite: bad checksum. From 10.0.0.2:1 to 10.0.0.1:2 ulen 9',
      ].join('\n'),
      'dmesg',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.kernelLog?.map((l) => [l.kind, l.table ?? l.module ?? l.src ?? ''])).toEqual([
      ['udp-bad-checksum', '172.16.9.99'],
      ['conntrack-full', ''],
      ['neighbour-overflow', 'ndisc_cache'],
      ['neighbour-overflow', 'arp_cache'],
      ['module-missing', 'nf-conntrack-ipv4'],
      ['module-missing', 'vxlan'],
      ['conntrack-full', ''],
      ['udp-bad-checksum', '10.0.0.2'],
    ]);
    expect(r.facts.kernelLog?.[0]).toEqual({
      loc: { file: 'test.netsnap', line: 1 },
      kind: 'udp-bad-checksum',
      text: 'UDP: bad checksum. From 172.16.9.99:27503 to 172.16.80.252:8472 ulen 75',
      src: '172.16.9.99',
      sport: 27503,
      dst: '172.16.80.252',
      dport: 8472,
    });
  });

  it('reads journal and syslog lines: kernel ones by their message, other programs only for module failures', () => {
    const r = parseAccounted(
      kernelLogParser,
      [
        '-- Logs begin at Mon 2026-11-30 08:00:01 UTC, end at Wed 2026-12-02 12:00:01 UTC. --',
        'Dec 02 12:00:01 node1 kernel: nf_conntrack: nf_conntrack: table full, dropping packet',
        'Dec 02 12:00:01.123456 node1 kernel: neighbour: arp_cache: neighbor table overflow!',
        '2026-12-02T12:00:02.5+00:00 node1 kernel: [ 5.1] UDP: bad checksum. From 10.0.0.2:35183 to 10.0.0.1:8472 ulen 110',
        "Dec  2 12:00:03 node1 systemd-modules-load[312]: Failed to find module 'br_netfilter'",
        'Dec  2 12:00:04 node1 modprobe[99]: FATAL: Module vxlan not found in directory /lib/modules/6.1.0',
        'Dec  2 12:00:05 node1 systemd[1]: Started kubelet.',
        '-- Boot 5f3c0a1e2b4d4a6e8f0a1b2c3d4e5f60 --',
        'Dec  2 12:00:06 node1 kernel: Linux version 6.1.0',
      ].join('\n'),
      'journalctl -k',
    );
    expect(r.issues).toEqual([]);
    expect(kinds(r)).toEqual([
      [2, undefined, 'conntrack-full'],
      [3, undefined, 'neighbour-overflow'],
      [4, undefined, 'udp-bad-checksum'],
      [5, undefined, 'module-missing'],
      [6, undefined, 'module-missing'],
    ]);
    expect(r.facts.kernelLog?.[2]?.text).toBe(
      'UDP: bad checksum. From 10.0.0.2:35183 to 10.0.0.1:8472 ulen 110',
    );
    expect(r.facts.kernelLog?.[3]).toMatchObject({
      text: "systemd-modules-load[312]: Failed to find module 'br_netfilter'",
      module: 'br_netfilter',
    });
    expect(r.facts.kernelLog?.[4]?.module).toBe('vxlan');
    expect(r.skipped).toEqual([1, 7, 8, 9]);
  });

  it('reads LOG target lines: prefix, devices, addresses, protocol and ports of the logged packet', () => {
    const r = parseAccounted(
      kernelLogParser,
      [
        '[  1.0] FWD-DROP: IN=flannel.1 OUT=cni0 MAC=aa:bb:cc:dd:ee:ff:11:22:33:44:55:66:08:00 SRC=10.244.1.2 DST=10.244.2.3 LEN=84 TOS=0x00 PREC=0x00 TTL=63 ID=1 DF PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=1 ',
        '[  2.0] DROPIN=eth0 OUT= MAC= SRC=10.18.19.12 DST=10.18.19.11 LEN=134 TOS=0x00 PREC=0x00 TTL=64 ID=2 PROTO=UDP SPT=40000 DPT=8472 LEN=114 ',
        '[  3.0] IN= OUT=eth0 SRC=10.0.0.1 DST=10.0.0.2 LEN=56 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.0.2 DST=10.0.0.1 LEN=28 PROTO=UDP SPT=53 DPT=9999 LEN=8 ] ',
        '[  4.0] v6: IN=eth0 OUT= SRC=fd77:0001:0000:0000:0000:0000:0000:0002 DST=fe80:0000:0000:0000:0000:0000:0000:0001 LEN=104 PROTO=ICMPv6 TYPE=128',
        '[  5.0] br: IN=cni0 OUT=cni0 PHYSIN=veth1 PHYSOUT=veth2 SRC=10.244.1.2 DST=10.244.1.3 PROTO=TCP SPT=1 DPT=2',
      ].join('\n'),
      'dmesg',
    );
    expect(r.issues).toEqual([]);
    const logs = r.facts.kernelLog ?? [];
    expect(
      logs.map(({ prefix, in: i, out, src, dst, proto, sport, dport }) => ({
        prefix,
        i,
        out,
        src,
        dst,
        proto,
        sport,
        dport,
      })),
    ).toEqual([
      {
        prefix: 'FWD-DROP:',
        i: 'flannel.1',
        out: 'cni0',
        src: '10.244.1.2',
        dst: '10.244.2.3',
        proto: 'ICMP',
        sport: undefined,
        dport: undefined,
      },
      {
        prefix: 'DROP',
        i: 'eth0',
        out: undefined,
        src: '10.18.19.12',
        dst: '10.18.19.11',
        proto: 'UDP',
        sport: 40000,
        dport: 8472,
      },
      {
        prefix: undefined,
        i: undefined,
        out: 'eth0',
        src: '10.0.0.1',
        dst: '10.0.0.2',
        proto: 'ICMP',
        sport: undefined,
        dport: undefined,
      },
      {
        prefix: 'v6:',
        i: 'eth0',
        out: undefined,
        src: 'fd77:1::2',
        dst: 'fe80::1',
        proto: 'ICMPv6',
        sport: undefined,
        dport: undefined,
      },
      {
        prefix: 'br:',
        i: 'cni0',
        out: 'cni0',
        src: '10.244.1.2',
        dst: '10.244.1.3',
        proto: 'TCP',
        sport: 1,
        dport: 2,
      },
    ]);
    expect(logs.every((l) => l.kind === 'netfilter-log')).toBe(true);
  });

  it('skips every other kernel line and merges a run of the same message into one record', () => {
    const r = parseAccounted(
      kernelLogParser,
      [
        '[    0.000000] Linux version 6.1.0',
        '[  100.000001] nf_conntrack: nf_conntrack: table full, dropping packet',
        '[  100.000002] nf_conntrack: nf_conntrack: table full, dropping packet',
        '[  100.000003] nf_conntrack: nf_conntrack: table full, dropping packet',
        '[  100.100000] net_ratelimit: 241 callbacks suppressed',
        '[  100.200000] nf_conntrack: nf_conntrack: table full, dropping packet',
        '[  100.300000] neighbour: arp_cache: neighbor table overflow!',
        '[  100.400000] neighbour: ndisc_cache: neighbor table overflow!',
      ].join('\n'),
      'dmesg',
    );
    expect(kinds(r)).toEqual([
      [2, 4, 'conntrack-full'],
      [6, undefined, 'conntrack-full'],
      [7, undefined, 'neighbour-overflow'],
      [8, undefined, 'neighbour-overflow'],
    ]);
    expect(r.skipped).toEqual([1, 5]);
  });

  it('keeps a flood of a million lines to a handful of objects', () => {
    const flood = Array.from(
      { length: 1_000_000 },
      (_, i) =>
        `[${String(100 + (i >> 10)).padStart(5)}.${String(i % 1_000_000).padStart(6, '0')}] nf_conntrack: nf_conntrack: table full, dropping packet`,
    ).join('\n');
    const r = parseText(kernelLogParser, `${flood}\n[  200.0] Linux booted`, 'dmesg');
    expect(kinds(r)).toEqual([[1, 1_000_000, 'conntrack-full']]);
    expect(r.skipped).toEqual([1_000_001]);
    expect(r.issues).toEqual([]);
  }, 60_000);

  it('reads a hostile 1 MB line without stalling', () => {
    const started = performance.now();
    const r = parseText(
      kernelLogParser,
      [
        `[ 1.0] ${'IN='.repeat(350_000)}`,
        `[ 1.0] UDP: bad checksum. From ${'9'.repeat(1_000_000)}`,
        `Dec  2 12:00:01 ${'h'.repeat(1_000_000)} kernel: x`,
        `[${' '.repeat(1_000_000)}`,
      ].join('\n'),
      'dmesg',
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(kinds(r).map((k) => k[2])).toEqual(['udp-bad-checksum']);
    expect(r.facts.kernelLog?.[0]?.src).toBeUndefined();
  });

  it('notes lines without a stamp, unless the command prints bare messages', () => {
    const text = 'a line that is no kernel message\nnf_conntrack: table full, dropping packet';
    const stamped = parseAccounted(kernelLogParser, text, 'dmesg');
    expect(stamped.issues.map((i) => [i.line, i.severity])).toEqual([[1, 'info']]);
    expect(kinds(stamped)).toEqual([[2, undefined, 'conntrack-full']]);
    for (const cmd of ['dmesg -t', 'dmesg --notime', 'journalctl -k -o cat']) {
      const bare = parseAccounted(kernelLogParser, text, cmd);
      expect(bare.issues, cmd).toEqual([]);
      expect(bare.skipped, cmd).toEqual([1]);
      expect(kinds(bare), cmd).toEqual([[2, undefined, 'conntrack-full']]);
    }
  });

  it('warns when the log could not be read, and marks the listing partial', () => {
    for (const [text, cmd] of [
      ['dmesg: read kernel buffer failed: Operation not permitted', 'dmesg'],
      ['No journal files were found.\n-- No entries --', 'journalctl -k'],
      [
        "tail: cannot open '/var/log/kern.log' for reading: No such file or directory",
        'tail /var/log/kern.log',
      ],
      [
        "Hint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal' can see all messages.\n      Pass -q to turn off this notice.",
        'journalctl -k',
      ],
    ] as const) {
      expectUnreadWarning(kernelLogParser, text, cmd);
    }
  });

  it('marks a grep or tail of a log file partial', () => {
    const line = 'Dec  2 12:00:01 node1 kernel: nf_conntrack: table full, dropping packet';
    expect(parseAccounted(kernelLogParser, line, 'grep conntrack /var/log/messages').partial).toMatch(/grep/);
    expect(parseAccounted(kernelLogParser, line, 'tail -n 100 /var/log/kern.log').partial).toMatch(/tail/);
    expect(parseAccounted(kernelLogParser, line, 'cat /var/log/kern.log').partial).toBeUndefined();
  });

  it('claims dmesg, journalctl -k, logread and readers of syslog files', () => {
    expectMatches(
      kernelLogParser,
      [
        ['dmesg'],
        ['dmesg', '-T'],
        ['dmesg', '--ctime'],
        ['dmesg', '-c'],
        ['journalctl', '-k'],
        ['journalctl', '--dmesg', '--no-pager'],
        ['journalctl', '-kb'],
        ['journalctl', '-b', '-1', '-k'],
        ['journalctl', '-t', 'kernel'],
        ['journalctl', '_TRANSPORT=kernel'],
        ['logread'],
        ['tail', '-n', '200', '/var/log/kern.log'],
        ['grep', '-i', 'vxlan', '/var/log/messages'],
        ['zcat', '/var/log/syslog.2.gz'],
        ['cat', '/var/log/kern.log.1'],
      ],
      [
        ['dmesg', '-C'],
        ['dmesg', '-n', '1'],
        ['dmesg', '--console-off'],
        ['journalctl', '-u', 'kubelet'],
        ['journalctl'],
        ['journalctl', '-ukubelet'],
        ['cat', '/etc/passwd'],
        ['cat', '/var/log/kubelet.log'],
        ['tail', 'messages'],
      ],
    );
  });

  it('detects dmesg and journal kernel lines, not other journal lines', () => {
    const yes = [
      '[  641.187145] FWD-DROP: IN=ra0 OUT=rb0',
      '[Wed Dec  2 12:46:36 2026] x',
      'kern  :warn  : [  641.187145] x',
      '2026-12-02T12:46:36,187145+00:00 x',
      'Dec 02 12:00:01 node1 kernel: x',
    ];
    for (const t of yes) expect(kernelLogParser.detect(toLines(t), 0), t).toBe(true);
    const no = [
      'Dec 02 12:00:01 node1 kubelet[12]: x',
      '[root@node1 ~]# dmesg',
      '[ "a", "b" ]',
      '[Firmware Bug]: TSC',
      '[  641.187145]x',
    ];
    for (const t of no) expect(kernelLogParser.detect(toLines(t), 0), t).toBe(false);
    const journal = toLines(
      '-- Logs begin at Mon 2026-11-30 08:00:01 UTC. --\nDec 02 12:00:01 node1 kernel: x',
    );
    expect(kernelLogParser.detect(journal, 0)).toBe(true);
    const units = toLines(
      '-- Logs begin at Mon 2026-11-30 08:00:01 UTC. --\nDec 02 12:00:01 node1 kubelet[1]: x',
    );
    expect(kernelLogParser.detect(units, 0)).toBe(false);
  });

  it("does not claim another parser's output", () => {
    expectDetectsNoOtherFixture(kernelLogParser);
  });
});
