import { describe, expect, it } from 'vitest';
import { hostnameParser } from '../../../src/core/parsers/hostname';
import { parserForCommand } from '../../../src/core/parsers';
import { unameParser } from '../../../src/core/parsers/uname';
import { expectNoClaimOnOthers, parseRead } from '../support/kernel';
import { expectMatches, toLines } from '../support/parse';

const parse = (text: string, cmd?: string) => parseRead(unameParser, text, cmd);

const release = (text: string, cmd?: string) => {
  const r = parse(text, cmd).facts.kernelRelease;
  return r === undefined ? undefined : [r.release, r.machine];
};

describe('uname parser', () => {
  it('reads the release and machine wherever the flags put them', () => {
    expect(release('6.1.0-18-amd64', 'uname -r')).toEqual(['6.1.0-18-amd64', undefined]);
    expect(release('Linux 6.1.0-18-amd64 x86_64', 'uname -srm')).toEqual(['6.1.0-18-amd64', 'x86_64']);
    expect(release('Linux 6.1.0-18-amd64 x86_64', 'uname -m -r -s')).toEqual(['6.1.0-18-amd64', 'x86_64']);
    expect(release('node1 5.15.0-91-generic aarch64', 'uname -nrm')).toEqual([
      '5.15.0-91-generic',
      'aarch64',
    ]);
    // A machine name not listed here is still found by its place when no version precedes it.
    expect(release('5.4.0 sparc64', 'uname -rm')).toEqual(['5.4.0', 'sparc64']);
  });

  it('reads -a with a version of many words, and with processor and platform printed', () => {
    expect(
      release(
        'Linux k8snode028 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux',
        'uname -a',
      ),
    ).toEqual(['6.1.0-18-amd64', 'x86_64']);
    expect(
      release(
        'Linux node1 3.10.0-1160.el7.x86_64 #1 SMP Mon Oct 19 16:18:59 UTC 2020 x86_64 x86_64 x86_64 GNU/Linux',
      ),
    ).toEqual(['3.10.0-1160.el7.x86_64', 'x86_64']);
  });

  it('reads /proc/version', () => {
    expect(
      release(
        'Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP',
        'cat /proc/version',
      ),
    ).toEqual(['6.1.0-18-amd64', undefined]);
  });

  it('reports a line without a release where uname prints it, and lines after the release', () => {
    const r = parse('Linux', 'uname -a');
    expect(r.facts.kernelRelease).toBeUndefined();
    expect(r.issues.map((i) => i.line)).toEqual([1]);
    const extra = parse('6.1.0\nsomething', 'uname -r');
    expect(extra.facts.kernelRelease?.release).toBe('6.1.0');
    expect(extra.issues.map((i) => i.line)).toEqual([2]);
  });

  it('claims uname with a release, and leaves uname -n to the hostname parser', () => {
    expectMatches(
      unameParser,
      [
        ['uname', '-a'],
        ['uname', '-r'],
        ['uname', '-srm'],
        ['uname', '--kernel-release'],
        ['uname', '--all'],
        ['cat', '/proc/version'],
      ],
      [
        ['uname'],
        ['uname', '-n'],
        ['uname', '-m'],
        ['uname', '-x'],
        ['cat', '/proc/version', '/etc/hostname'],
      ],
    );
    expect(parserForCommand(['uname', '-n'])).toBe(hostnameParser);
    expect(parserForCommand(['uname', '-a'])).toBe(unameParser);
  });

  it('detects uname -a and /proc/version lines only', () => {
    const yes = (t: string) => unameParser.detect(toLines(t), 0);
    expect(yes('Linux vm 6.18.44-fc-v1045 #1 SMP PREEMPT_DYNAMIC @0 x86_64 GNU/Linux')).toBe(true);
    expect(yes('Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP')).toBe(true);
    expect(yes('Linux is a kernel')).toBe(false);
    expect(yes('6.1.0-18-amd64')).toBe(false);
  });

  it('does not claim other parsers’ output', () => {
    expectNoClaimOnOthers(unameParser);
  });
});
