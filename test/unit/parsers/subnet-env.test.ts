import { describe, expect, it } from 'vitest';
import { subnetEnvParser } from '../../../src/core/parsers/subnet-env';
import { uncoveredLines } from '../support/accounting';
import { command, readFixture, toLines } from '../support/parse';

const cat = command('cat /run/flannel/subnet.env');

describe('subnet-env parser', () => {
  it('reads k8snode028 (lines 105-108 of the example)', () => {
    const lines = toLines(
      'FLANNEL_NETWORK=10.27.0.0/16\nFLANNEL_SUBNET=10.27.9.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true',
      105,
    );
    const result = subnetEnvParser.parse({ file: 'k8snode028.netsnap', lines, command: cat });
    expect(result.issues).toEqual([]);
    expect(result.facts.subnetEnv).toEqual({
      loc: { file: 'k8snode028.netsnap', line: 105, endLine: 108 },
      network: '10.27.0.0/16',
      subnet: '10.27.9.1/24',
      mtu: 1450,
      ipmasq: true,
      vars: [
        { loc: { file: 'k8snode028.netsnap', line: 105 }, key: 'FLANNEL_NETWORK', value: '10.27.0.0/16' },
        { loc: { file: 'k8snode028.netsnap', line: 106 }, key: 'FLANNEL_SUBNET', value: '10.27.9.1/24' },
        { loc: { file: 'k8snode028.netsnap', line: 107 }, key: 'FLANNEL_MTU', value: '1450' },
        { loc: { file: 'k8snode028.netsnap', line: 108 }, key: 'FLANNEL_IPMASQ', value: 'true' },
      ],
    });
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('reads the lab fixtures', () => {
    for (const [name, subnet] of [
      ['subnet-env--flnode1.out', '10.27.1.1/24'],
      ['subnet-env--flnode2.out', '10.27.2.1/24'],
    ] as const) {
      const lines = toLines(readFixture(name));
      const result = subnetEnvParser.parse({ file: name, lines });
      expect(result.issues).toEqual([]);
      expect(result.facts.subnetEnv).toMatchObject({
        network: '10.27.0.0/16',
        subnet,
        mtu: 1450,
        ipmasq: true,
      });
      expect(result.facts.subnetEnv?.loc).toEqual({ file: name, line: 1, endLine: 4 });
    }
  });

  it('reads export, quotes, comments, IPv6 keys and other keys', () => {
    const lines = toLines(
      [
        '# written by flanneld',
        'export FLANNEL_NETWORK="10.27.0.0/16"',
        "FLANNEL_SUBNET='10.27.3.1/24'",
        '',
        'FLANNEL_MTU=1450 # vxlan overhead',
        'FLANNEL_IPMASQ=false',
        'FLANNEL_IPV6_NETWORK=fd27::/56',
        'FLANNEL_IPV6_SUBNET=FD27:0:0:3::1/64',
        'FLANNEL_EXTRA=something',
      ].join('\n'),
      10,
    );
    const result = subnetEnvParser.parse({ file: 'f', lines });
    expect(result.issues).toEqual([]);
    const env = result.facts.subnetEnv;
    expect(env).toMatchObject({
      loc: { line: 11, endLine: 18 },
      network: '10.27.0.0/16',
      subnet: '10.27.3.1/24',
      mtu: 1450,
      ipmasq: false,
      ipv6Network: 'fd27::/56',
      ipv6Subnet: 'fd27:0:0:3::1/64',
    });
    expect(env?.vars.map((v) => [v.key, v.value])).toContainEqual(['FLANNEL_EXTRA', 'something']);
    expect(result.skipped).toEqual([10, 13]);
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('keeps invalid values in vars and warns on their lines', () => {
    const lines = toLines(
      'FLANNEL_NETWORK=10.27.0.0/16\nFLANNEL_SUBNET=notacidr\nFLANNEL_MTU=abc\nFLANNEL_IPMASQ=yes\nthis is not a variable',
      1,
    );
    const result = subnetEnvParser.parse({ file: 'f', lines });
    const env = result.facts.subnetEnv;
    expect(env?.network).toBe('10.27.0.0/16');
    expect(env?.subnet).toBeUndefined();
    expect(env?.mtu).toBeUndefined();
    expect(env?.ipmasq).toBeUndefined();
    expect(env?.vars.map((v) => v.key)).toEqual([
      'FLANNEL_NETWORK',
      'FLANNEL_SUBNET',
      'FLANNEL_MTU',
      'FLANNEL_IPMASQ',
    ]);
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'warning'],
      [3, 'warning'],
      [4, 'warning'],
      [5, 'info'],
    ]);
    expect(result.issues[1]?.message).toContain('FLANNEL_MTU=abc');
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('warns when the file is missing, without a record', () => {
    const lines = toLines('cat: /run/flannel/subnet.env: No such file or directory', 7);
    const result = subnetEnvParser.parse({ file: 'f', lines, command: cat });
    expect(result.facts.subnetEnv).toBeUndefined();
    expect(result.issues).toEqual([
      { line: 7, severity: 'warning', message: expect.stringContaining('/run/flannel/subnet.env') },
    ]);
  });

  it('matches the commands that print subnet.env', () => {
    expect(subnetEnvParser.matchesCommand(['cat', '/run/flannel/subnet.env'])).toBe(true);
    expect(subnetEnvParser.matchesCommand(['/bin/cat', '/var/run/flannel/subnet.env'])).toBe(true);
    expect(subnetEnvParser.matchesCommand(['cat', 'subnet.env'])).toBe(true);
    expect(subnetEnvParser.matchesCommand(['cat', '/etc/hosts'])).toBe(false);
    expect(subnetEnvParser.matchesCommand(['rm', '/run/flannel/subnet.env'])).toBe(false);
  });

  it('detects a headerless paste', () => {
    const lines = toLines('FLANNEL_NETWORK=10.27.0.0/16\nfoo=bar\nexport FLANNEL_MTU=1450');
    expect(subnetEnvParser.detect(lines, 0)).toBe(true);
    expect(subnetEnvParser.detect(lines, 1)).toBe(false);
    expect(subnetEnvParser.detect(lines, 2)).toBe(true);
  });
});
