import { describe, expect, it } from 'vitest';
import { procNetSnmpParser } from '../../../src/core/parsers/proc-net-snmp';
import {
  expectDetectsNoOtherFixture,
  expectMatches,
  expectUnreadWarning,
  parseAccounted,
  toLines,
} from '../support/parse';

const counter = (r: ReturnType<typeof parseAccounted>, protocol: string, name: string): number | undefined =>
  r.facts.snmp?.find((s) => s.protocol === protocol)?.counters.find((c) => c.name === name)?.value;

describe('proc-net-snmp parser', () => {
  it('pairs each line of names with the line of values below it', () => {
    const r = parseAccounted(
      procNetSnmpParser,
      [
        'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
        'Udp: 12 1 3 14 0 0 3 0 0',
        'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn',
        'Tcp: 1 200 120000 -1',
      ].join('\n'),
      'cat /proc/net/snmp',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.snmp?.map((s) => [s.protocol, s.loc.line, s.loc.endLine, s.counters.length])).toEqual([
      ['Udp', 1, 2, 9],
      ['Tcp', 3, 4, 4],
    ]);
    expect(counter(r, 'Udp', 'InCsumErrors')).toBe(3);
    expect(counter(r, 'Tcp', 'MaxConn')).toBe(-1);
  });

  it('reads nothing from a pair whose counts differ, or whose lines are apart or of other protocols', () => {
    const r = parseAccounted(
      procNetSnmpParser,
      [
        'Udp: InDatagrams NoPorts InErrors',
        'Udp: 1 2',
        'Ip: Forwarding DefaultTTL',
        '',
        'Ip: 1 64',
        'Icmp: InMsgs',
        'Tcp: 5',
        'Udp: InDatagrams',
      ].join('\n'),
      'cat /proc/net/snmp',
    );
    expect(r.facts.snmp).toBeUndefined();
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [1, 'warning'],
      [2, 'info'],
      [3, 'info'],
      [5, 'info'],
      [6, 'info'],
      [7, 'info'],
      [8, 'info'],
    ]);
  });

  it('groups /proc/net/snmp6 lines by protocol, splitting the protocol off each name', () => {
    const r = parseAccounted(
      procNetSnmpParser,
      [
        'Ip6InReceives                   \t40',
        'Ip6InHdrErrors                  \t0',
        'Icmp6InMsgs                     \t3',
        'Icmp6InType133                  \t1',
        'Udp6InDatagrams                 \t0',
        'Udp6InCsumErrors                \t2',
        'UdpLite6InCsumErrors            \t0',
      ].join('\n'),
      'cat /proc/net/snmp6',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.snmp?.map((s) => [s.protocol, s.loc.line, s.loc.endLine ?? s.loc.line])).toEqual([
      ['Ip6', 1, 2],
      ['Icmp6', 3, 4],
      ['Udp6', 5, 6],
      ['UdpLite6', 7, 7],
    ]);
    expect(counter(r, 'Udp6', 'InCsumErrors')).toBe(2);
    expect(counter(r, 'Icmp6', 'InType133')).toBe(1);
  });

  it('reads nstat rows (a rate column, #kernel) and splits unknown prefixes at the first word', () => {
    const r = parseAccounted(
      procNetSnmpParser,
      [
        '#kernel',
        'UdpInCsumErrors                 3                  0.0',
        'UdpNoPorts                      1                  0.2',
        'TcpExtSyncookiesSent            0                  0.0',
        'XfrmInError                     0                  0.0',
      ].join('\n'),
      'nstat -az',
    );
    expect(r.skipped).toEqual([1]);
    expect(r.facts.snmp?.map((s) => [s.protocol, s.counters.map((c) => c.name).join(',')])).toEqual([
      ['Udp', 'InCsumErrors,NoPorts'],
      ['TcpExt', 'SyncookiesSent'],
      ['Xfrm', 'InError'],
    ]);
  });

  it('reads netstat -s sections: Udp sentences by their kernel names, other sentences as said', () => {
    const r = parseAccounted(
      procNetSnmpParser,
      [
        'Icmp:',
        '    5 ICMP messages received',
        '    ICMP input histogram:',
        '        destination unreachable: 5',
        'Udp:',
        '    12 packets received',
        '    1 packets to unknown port received',
        '    3 packet receive errors',
        '    14 packets sent',
        '    0 receive buffer errors',
        '    0 send buffer errors',
        '    InCsumErrors: 3',
        'UdpLite:',
        'TcpExt:',
        '    Quick ack mode was activated 9 times',
        '    something without a number',
      ].join('\n'),
      'netstat -su',
    );
    expect(r.facts.snmp?.map((s) => [s.protocol, s.loc.line, s.loc.endLine])).toEqual([
      ['Icmp', 1, 4],
      ['Udp', 5, 12],
      ['TcpExt', 14, 16],
    ]);
    expect(r.facts.snmp?.[1]?.counters).toEqual([
      { name: 'InDatagrams', value: 12 },
      { name: 'NoPorts', value: 1 },
      { name: 'InErrors', value: 3 },
      { name: 'OutDatagrams', value: 14 },
      { name: 'RcvbufErrors', value: 0 },
      { name: 'SndbufErrors', value: 0 },
      { name: 'InCsumErrors', value: 3 },
    ]);
    expect(r.facts.snmp?.[0]?.counters).toEqual([
      { name: 'ICMP messages received', value: 5 },
      { name: 'destination unreachable', value: 5 },
    ]);
    expect(r.facts.snmp?.[2]?.counters).toEqual([{ name: 'Quick ack mode was activated N times', value: 9 }]);
    expect(r.skipped).toEqual([3, 13]);
    expect(r.issues.map((i) => i.line)).toEqual([16]);
  });

  it('notes a netstat counter cut from its section by grep: whose it is is unknown', () => {
    const r = parseAccounted(procNetSnmpParser, '    InCsumErrors: 3', 'netstat -su | grep Csum');
    expect(r.facts.snmp).toBeUndefined();
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([[1, 'info']]);
  });

  it('keeps a counter beyond 2^53 (approximately) and warns when the file is missing', () => {
    const r = parseAccounted(procNetSnmpParser, 'IpExtInOctets 18446744073709551615', 'cat /proc/net/snmp6');
    expect(counter(r, 'IpExt', 'InOctets')).toBe(2 ** 64);
    expectUnreadWarning(
      procNetSnmpParser,
      'cat: /proc/net/snmp6: No such file or directory',
      'cat /proc/net/snmp6',
    );
  });

  it('claims the counter files, netstat -s and nstat', () => {
    expectMatches(
      procNetSnmpParser,
      [
        ['cat', '/proc/net/snmp'],
        ['cat', '/proc/net/snmp6'],
        ['cat', '/proc/1/net/snmp'],
        ['cat', '/proc/self/net/snmp'],
        ['grep', 'Udp', '/proc/net/snmp'],
        ['netstat', '-su'],
        ['netstat', '-s'],
        ['netstat', '--statistics', '--udp'],
        ['nstat', '-az'],
      ],
      [
        ['cat', '/proc/net/dev'],
        ['cat', '/proc/net/snmpx'],
        ['netstat', '-rn'],
        ['netstat', '-tulpn'],
        ['nstat', '--help'],
        ['ss', '-s'],
      ],
    );
  });

  it('detects /proc/net/snmp, snmp6 and nstat output only by their first lines', () => {
    const snmp = toLines('Ip: Forwarding DefaultTTL InReceives\nIp: 1 64 3');
    expect(procNetSnmpParser.detect(snmp, 0)).toBe(true);
    expect(procNetSnmpParser.detect(snmp, 1)).toBe(false);
    expect(procNetSnmpParser.detect(toLines('Ip: Forwarding DefaultTTL'), 0)).toBe(true);
    expect(procNetSnmpParser.detect(toLines('Ip: Forwarding DefaultTTLs'), 0)).toBe(false);
    expect(procNetSnmpParser.detect(toLines('Ip6InReceives                   \t40'), 0)).toBe(true);
    expect(procNetSnmpParser.detect(toLines('#kernel\nIpInReceives  4  0.0'), 0)).toBe(true);
    expect(procNetSnmpParser.detect(toLines('#kernel\nsomething'), 0)).toBe(false);
  });

  it("does not claim another parser's output", () => {
    expectDetectsNoOtherFixture(procNetSnmpParser);
  });
});
