import { describe, expect, it } from 'vitest';
import { cniBinParser } from '../../../src/core/parsers/cni-bin';
import { uncoveredLines } from '../support/accounting';
import { command, toLines } from '../support/parse';

const NAMES = [
  'bridge',
  'cnitool',
  'dhcp',
  'flannel',
  'host-local',
  'ipvlan',
  'loopback',
  'macvlan',
  'noop',
  'portmap',
  'ptp',
  'tuning',
  'vlan',
];

describe('cni-bin parser', () => {
  it('reads the k8snode028 listing (line 23 of the example)', () => {
    const lines = toLines(
      'bridge  cnitool  dhcp  flannel  host-local  ipvlan  loopback  macvlan  noop  portmap  ptp  tuning  vlan',
      23,
    );
    const result = cniBinParser.parse({
      file: 'k8snode028.netsnap',
      lines,
      command: command('ls /opt/cni/bin/'),
    });
    expect(result.issues).toEqual([]);
    expect(result.facts.cniBinaries).toEqual({
      loc: { file: 'k8snode028.netsnap', line: 23 },
      path: '/opt/cni/bin',
      names: NAMES,
    });
  });

  it('reads columns over several lines, with tabs', () => {
    const lines = toLines(
      'bandwidth\tbridge\t\tdhcp\nfirewall  flannel   host-device\n\nhost-local  loopback',
    );
    const result = cniBinParser.parse({ file: 'f', lines, command: command('ls /opt/cni/bin') });
    expect(result.facts.cniBinaries?.names).toEqual([
      'bandwidth',
      'bridge',
      'dhcp',
      'firewall',
      'flannel',
      'host-device',
      'host-local',
      'loopback',
    ]);
    expect(result.facts.cniBinaries?.loc).toEqual({ file: 'f', line: 1, endLine: 4 });
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('reads ls -1 and ls -l', () => {
    const one = cniBinParser.parse({
      file: 'f',
      lines: toLines('bridge\nflannel\nportmap'),
      command: command('ls -1 /opt/cni/bin'),
    });
    expect(one.facts.cniBinaries?.names).toEqual(['bridge', 'flannel', 'portmap']);
    const long = toLines(
      [
        'total 84120',
        'drwxr-xr-x. 2 root root     4096 May 14 09:10 .',
        '-rwxr-xr-x. 1 root root  4016001 Jan 16  2023 bridge',
        '-rwxr-xr-x  1 root root  2571312 May 14 09:13 flannel',
        'lrwxrwxrwx  1 root root        6 May 14 09:13 fl -> flannel',
        '-rwxr-xr-x  1 root root  3852330 Jan 16  2023 portmap',
      ].join('\n'),
    );
    const result = cniBinParser.parse({ file: 'f', lines: long, command: command('ls -la /opt/cni/bin') });
    expect(result.issues).toEqual([]);
    expect(result.facts.cniBinaries?.names).toEqual(['bridge', 'flannel', 'fl', 'portmap']);
    expect(result.facts.cniBinaries?.loc).toEqual({ file: 'f', line: 3, endLine: 6 });
    expect(uncoveredLines(long, result)).toEqual([]);
  });

  it('strips -F markers and full paths', () => {
    const r = cniBinParser.parse({
      file: 'f',
      lines: toLines('bridge*  flannel*  lo@'),
      command: command('ls -F /opt/cni/bin'),
    });
    expect(r.facts.cniBinaries?.names).toEqual(['bridge', 'flannel', 'lo']);
    const p = cniBinParser.parse({
      file: 'f',
      lines: toLines('/opt/cni/bin/bridge  /opt/cni/bin/flannel'),
      command: command('ls /opt/cni/bin/*'),
    });
    expect(p.facts.cniBinaries).toMatchObject({ path: '/opt/cni/bin', names: ['bridge', 'flannel'] });
  });

  it('warns when the directory is missing', () => {
    for (const text of [
      "ls: cannot access '/opt/cni/bin/': No such file or directory",
      'ls: cannot access /opt/cni/bin: No such file or directory',
      'ls: /opt/cni/bin: No such file or directory',
    ]) {
      const result = cniBinParser.parse({
        file: 'f',
        lines: toLines(text, 4),
        command: command('ls /opt/cni/bin/'),
      });
      expect(result.facts.cniBinaries).toBeUndefined();
      expect(result.issues).toEqual([
        { line: 4, severity: 'warning', message: expect.stringContaining('/opt/cni/bin') },
      ]);
    }
  });

  it('matches ls of the CNI bin directory only', () => {
    expect(cniBinParser.matchesCommand(['ls', '/opt/cni/bin/'])).toBe(true);
    expect(cniBinParser.matchesCommand(['ls', '/opt/cni/bin'])).toBe(true);
    expect(cniBinParser.matchesCommand(['ls', '-l', '/opt/cni/bin'])).toBe(true);
    expect(cniBinParser.matchesCommand(['ls', '-1', '/opt/cni/bin/'])).toBe(true);
    expect(cniBinParser.matchesCommand(['ls', '/usr/libexec/cni'])).toBe(true);
    expect(cniBinParser.matchesCommand(['ls', '/etc/cni/net.d'])).toBe(false);
    expect(cniBinParser.matchesCommand(['ls', '/opt/cni/bin/flannel/x'])).toBe(false);
    expect(cniBinParser.matchesCommand(['cat', '/opt/cni/bin'])).toBe(false);
    expect(cniBinParser.matchesCommand(['ls'])).toBe(false);
  });

  it('does not claim headerless text', () => {
    expect(cniBinParser.detect(toLines('bridge  flannel'), 0)).toBe(false);
  });
});
