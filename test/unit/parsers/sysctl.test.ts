import { describe, expect, it } from 'vitest';
import { dottedKey, sysctlParser } from '../../../src/core/parsers/sysctl';
import { expectNoClaimOnOthers, parseRead } from '../support/kernel';
import { expectMatches, toLines } from '../support/parse';
import { readCommand } from '../../../src/core/util/shell-command';

const parse = (text: string, cmd?: string) => parseRead(sysctlParser, text, cmd);

const keysOf = (r: ReturnType<typeof parse>) =>
  (r.facts.sysctls ?? []).map((s) => [s.key, s.value, s.missing === true]);

describe('sysctl parser', () => {
  it('dots keys the way sysctl does: slashes and dots swap when the name starts with a slash form', () => {
    expect(dottedKey('net/ipv4/ip_forward')).toBe('net.ipv4.ip_forward');
    expect(dottedKey('net/ipv4/conf/flannel.1/forwarding')).toBe('net.ipv4.conf.flannel/1.forwarding');
    expect(dottedKey('net.ipv4.conf.flannel/1.forwarding')).toBe('net.ipv4.conf.flannel/1.forwarding');
    expect(dottedKey('kernel')).toBe('kernel');
  });

  it('reads sysctl -a as the complete listing, values with tabs and empty values kept', () => {
    const r = parse(
      'kernel.printk = 4\t4\t1\t7\nkernel.panic_sys_info = \nnet.ipv4.ip_forward = 1',
      'sysctl -a',
    );
    expect(keysOf(r)).toEqual([
      ['kernel.printk', '4\t4\t1\t7', false],
      ['kernel.panic_sys_info', '', false],
      ['net.ipv4.ip_forward', '1', false],
    ]);
    expect(r.partial).toBeUndefined();
  });

  it('says what a listing of some keys, a pattern, a file or a grep covers', () => {
    expect(parse('net.ipv4.ip_forward = 1', 'sysctl net.ipv4.ip_forward').partial).toBe(
      'only net.ipv4.ip_forward',
    );
    expect(parse('net.ipv4.conf.all.rp_filter = 0', 'sysctl -a -r rp_filter').partial).toBe(
      'keys matching rp_filter',
    );
    expect(parse('net.ipv4.ip_forward = 1', 'sysctl -p /etc/sysctl.d/k8s.conf').partial).toBe(
      'only the keys /etc/sysctl.d/k8s.conf sets',
    );
    expect(parse('net.ipv4.ip_forward = 1', 'sysctl -p').partial).toBe('only the keys /etc/sysctl.conf sets');
    expect(parse('net.ipv4.ip_forward = 1', 'sysctl -a | grep forward').partial).toBe('filtered');
    // Without a command nobody knows whether this was all of sysctl -a.
    expect(parse('net.ipv4.ip_forward = 1').partial).toBe(
      'no command: the listing may be a part of sysctl -a',
    );
  });

  it("records a key that does not exist; what a missing net.bridge key means is the analysis's to say", () => {
    const r = parse(
      'net.ipv4.ip_forward = 1\nsysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory',
      'sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables',
    );
    expect(r.facts.sysctls?.[1]).toEqual({
      loc: { file: 'f', line: 2 },
      key: 'net.bridge.bridge-nf-call-iptables',
      value: '',
      missing: true,
    });
    // bridge-netfilter-off says it, on this line (test/fixtures/analysis/bridge-netfilter-off/bad-missing).
    expect(r.issues).toEqual([]);
    const other = parse(
      'sysctl: cannot stat /proc/sys/net/ipv4/conf/flannel/1/forwarding: No such file or directory',
      'sysctl net.ipv4.conf.flannel.1.forwarding',
    );
    expect(other.issues.map((i) => [i.line, i.severity, i.message])).toEqual([
      [
        1,
        'info',
        'net.ipv4.conf.flannel.1.forwarding does not exist on this host (an interface named flannel.1 is written flannel/1 in a dotted key)',
      ],
    ]);
  });

  it("reads a missing key from the collector's recorded stderr, with no note for a line it does not own", () => {
    const r = sysctlParser.parse({
      file: 'f',
      lines: toLines('net.ipv4.ip_forward = 1', 3),
      command: readCommand('sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables'),
      stderr: [
        {
          text: 'sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory',
          line: 6,
        },
        { text: 'something else entirely', line: 7 },
      ],
    });
    expect(keysOf(r)).toEqual([
      ['net.ipv4.ip_forward', '1', false],
      ['net.bridge.bridge-nf-call-iptables', '', true],
    ]);
    expect(r.facts.sysctls?.[1]?.loc.line).toBe(6);
    expect(r.issues).toEqual([]);
  });

  it('reads the other ways a key is missing: --system, old procps, cat, busybox cat', () => {
    const system = parse(
      '* Applying /etc/sysctl.d/k8s.conf ...\nsysctl: setting key "net.bridge.bridge-nf-call-iptables": No such file or directory',
      'sysctl --system',
    );
    expect(keysOf(system)).toEqual([['net.bridge.bridge-nf-call-iptables', '', true]]);
    expect(system.skipped).toEqual([1]);
    const old = parse('error: "net.bridge.bridge-nf-call-iptables" is an unknown key', 'sysctl -p');
    expect(keysOf(old)).toEqual([['net.bridge.bridge-nf-call-iptables', '', true]]);
    const busybox = parse(
      "cat: can't open '/proc/sys/net/bridge/bridge-nf-call-iptables': No such file or directory",
      'cat /proc/sys/net/bridge/bridge-nf-call-iptables',
    );
    expect(keysOf(busybox)).toEqual([['net.bridge.bridge-nf-call-iptables', '', true]]);
  });

  it('warns about a key that could not be read, and records nothing for it', () => {
    const r = parse(
      'sysctl: permission denied on key "net.ipv4.tcp_fastopen_key"\nsysctl: reading key "net.ipv6.conf.all.stable_secret"',
      'sysctl -a',
    );
    expect(r.facts.sysctls).toBeUndefined();
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [1, 'warning'],
      [2, 'warning'],
    ]);
  });

  it('names bare values after the keys of the command, skipping those an error named', () => {
    const r = parse(
      '1\nsysctl: cannot stat /proc/sys/nosuch/key: No such file or directory\n0',
      'sysctl -n net.ipv4.ip_forward nosuch.key net.ipv4.conf.all.rp_filter',
    );
    expect(keysOf(r)).toEqual([
      ['net.ipv4.ip_forward', '1', false],
      ['nosuch.key', '', true],
      ['net.ipv4.conf.all.rp_filter', '0', false],
    ]);
    const cat = parse('1', 'cat /proc/sys/net/ipv4/conf/flannel.1/forwarding');
    expect(keysOf(cat)).toEqual([['net.ipv4.conf.flannel/1.forwarding', '1', false]]);
    // `-ne` combines -n and -e.
    expect(keysOf(parse('1', 'sysctl -ne net.ipv4.ip_forward'))).toEqual([
      ['net.ipv4.ip_forward', '1', false],
    ]);
  });

  it('does not guess which bare value is which when their number does not match the keys', () => {
    const r = parse('0\n1\n0', 'sysctl -n net.ipv4.conf.flannel/1');
    expect(r.facts.sysctls).toBeUndefined();
    expect(r.partial).toBe('values without names');
    expect(r.issues[0]?.message).toMatch(/^3 bare value\(s\) for 1 key\(s\)/);
    const glob = parse('0\n0', 'cat /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/ip_forward');
    expect(glob.facts.sysctls).toBeUndefined();
  });

  it('reports lines that are not settings', () => {
    const r = parse('net.ipv4.ip_forward = 1\nhello world\n\n...', 'sysctl -a');
    expect(r.facts.sysctls).toHaveLength(1);
    expect(r.issues.map((i) => [i.line, i.message])).toEqual([[2, 'Unrecognized sysctl line: hello world']]);
    expect(r.skipped).toEqual([3, 4]);
    expect(parse('sysctl: -z: unknown option', 'sysctl -z -a').issues[0]?.severity).toBe('warning');
  });

  it('claims the commands that print settings, not names only, not the host name', () => {
    expectMatches(
      sysctlParser,
      [
        ['sysctl', '-a'],
        ['sysctl', '-A'],
        ['/sbin/sysctl', 'net.ipv4.ip_forward'],
        ['sysctl', '-n', 'net.ipv4.ip_forward'],
        ['sysctl', '-e', 'net.bridge.bridge-nf-call-iptables'],
        ['sysctl', '-p', '/etc/sysctl.d/k8s.conf'],
        ['sysctl', '--system'],
        ['sysctl', '-w', 'net.ipv4.ip_forward=1'],
        ['cat', '/proc/sys/net/ipv4/ip_forward'],
        ['cat', '/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/ipv4/conf/all/rp_filter'],
      ],
      [
        ['sysctl'],
        ['sysctl', '-N', 'net.ipv4.ip_forward'],
        ['sysctl', '-aN'],
        ['sysctl', '-b', 'net.ipv4.ip_forward'],
        ['sysctl', '--help'],
        ['cat', '/proc/sys/kernel/hostname'],
        ['cat', '/etc/sysctl.conf'],
        ['cat', '/proc/net/snmp'],
      ],
    );
  });

  it('detects sysctl output by its keys, not any KEY = VALUE line', () => {
    const yes = (t: string) => sysctlParser.detect(toLines(t), 0);
    expect(yes('net.ipv4.ip_forward = 1')).toBe(true);
    expect(yes('kernel.printk = 4\t4\t1\t7')).toBe(true);
    expect(
      yes('sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory'),
    ).toBe(true);
    expect(yes('foo.bar = 1')).toBe(false);
    expect(yes('  net.ipv4.ip_forward = 1')).toBe(false);
    expect(yes('net.ipv4.ip_forward=1')).toBe(false);
    expect(yes('FLANNEL_MTU=1450')).toBe(false);
  });

  it('does not claim other parsers’ output', () => {
    expectNoClaimOnOthers(sysctlParser);
  });

  it('reads a long line in linear time', () => {
    const started = performance.now();
    parse(`net.ipv4.ip_forward = ${' ='.repeat(500_000)}`, 'sysctl -a');
    parse(`sysctl: cannot stat /proc/sys/${'a/'.repeat(300_000)}: x`, 'sysctl -a');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
