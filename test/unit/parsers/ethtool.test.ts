import { describe, expect, it } from 'vitest';
import { ethtoolParser } from '../../../src/core/parsers/ethtool';
import { expectNoClaimOnOthers, parseRead } from '../support/kernel';
import { expectMatches, readFixture, toLines } from '../support/parse';

const parse = (text: string, cmd?: string) => parseRead(ethtoolParser, text, cmd);

describe('ethtool parser', () => {
  it('reads -k: each feature flat, with [fixed] and [requested …]', () => {
    const r = parse(
      'Features for flannel.1:\ntx-checksumming: off\n\ttx-checksum-ip-generic: off\n\ttx-checksum-ipv4: off [fixed]\n\ttx-tcp-segmentation: off [requested on]',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.ethtoolFeatures).toEqual([
      {
        loc: { file: 'f', line: 1, endLine: 5 },
        dev: 'flannel.1',
        features: [
          { loc: { file: 'f', line: 2 }, name: 'tx-checksumming', on: false, fixed: false },
          { loc: { file: 'f', line: 3 }, name: 'tx-checksum-ip-generic', on: false, fixed: false },
          { loc: { file: 'f', line: 4 }, name: 'tx-checksum-ipv4', on: false, fixed: true },
          {
            loc: { file: 'f', line: 5 },
            name: 'tx-tcp-segmentation',
            on: false,
            fixed: false,
            requested: true,
          },
        ],
      },
    ]);
  });

  it('reads the old "Offload parameters" header and names with spaces', () => {
    const r = parse('Offload parameters for eth0:\nrx-checksumming: on\nudp fragmentation offload: off');
    expect(r.facts.ethtoolFeatures?.[0]?.dev).toBe('eth0');
    expect(r.facts.ethtoolFeatures?.[0]?.features.map((f) => [f.name, f.on])).toEqual([
      ['rx-checksumming', true],
      ['udp fragmentation offload', false],
    ]);
  });

  it('takes the device from the command when grep removed the header, and says the list is partial', () => {
    const r = parse('\ttx-checksum-ip-generic: on', 'ethtool -k flannel.1 | grep tx-checksum-ip-generic');
    expect(r.facts.ethtoolFeatures?.[0]?.dev).toBe('flannel.1');
    expect(r.partial).toBe('features without their header');
    // Without a command, a feature line has no device to belong to.
    const raw = parse('tx-checksum-ip-generic: on');
    expect(raw.facts.ethtoolFeatures).toBeUndefined();
    expect(raw.issues).toHaveLength(1);
  });

  it('reads what ethtool -K changed: [not requested] means the feature wanted its old state', () => {
    const r = parse(
      readFixture('ethtool--set-csum-off.out'),
      'ethtool -K flannel.1 tx-checksum-ip-generic off',
    );
    const features = r.facts.ethtoolFeatures?.[0];
    expect(features?.dev).toBe('flannel.1');
    expect(features?.features.slice(0, 2).map((f) => [f.name, f.on, f.requested])).toEqual([
      ['tx-checksum-ip-generic', false, undefined],
      ['tx-tcp-segmentation', false, true],
    ]);
    expect(r.partial).toBe('only the features ethtool -K changed');
  });

  it('reads -i: driver, version, firmware and bus, the device from the command', () => {
    const r = parse(readFixture('ethtool--i-vmxnet3.out'), 'ethtool -i ens192');
    expect(r.facts.ethtoolDrivers).toEqual([
      {
        loc: { file: 'f', line: 1, endLine: 10 },
        dev: 'ens192',
        driver: 'vmxnet3',
        version: '1.4.16.0-k-NAPI',
        busInfo: '0000:0b:00.0',
      },
    ]);
    const bnx2 = parse(
      'driver: bnx2\nversion: 2.2.6\nfirmware-version: bc 5.2.3 NCSI 2.0.12\nbus-info: 0000:03:00.0',
    );
    expect(bnx2.facts.ethtoolDrivers?.[0]).toMatchObject({ firmwareVersion: 'bc 5.2.3 NCSI 2.0.12' });
    expect(bnx2.facts.ethtoolDrivers?.[0]?.dev).toBeUndefined();
  });

  it('accounts for -S statistics without records', () => {
    const r = parse(
      'NIC statistics:\n     Tx Queue#: 0\n       TSO pkts tx: 2053\n     rx_queue_0_drops: 0',
      'ethtool -S ens192',
    );
    expect(r.facts).toEqual({});
    expect(r.skipped).toEqual([1, 2, 3, 4]);
  });

  it('warns when the device does not exist, and notes other failures', () => {
    const r = parse(
      'netlink error: No such device\nCannot get device feature names: No such device',
      'ethtool -k nosuch0',
    );
    expect(r.issues.map((i) => [i.severity, i.message])).toEqual([
      ['warning', 'ethtool nosuch0: netlink error: No such device'],
      ['warning', 'ethtool nosuch0: Cannot get device feature names: No such device'],
    ]);
    const unsupported = parse('Cannot get device settings: Operation not supported');
    expect(unsupported.issues.map((i) => i.severity)).toEqual(['info']);
  });

  it('reports unknown flags and lines it does not read', () => {
    const r = parse('Features for eth0:\nrx-checksumming: on [wobbly]\nSettings for eth0:');
    expect(r.facts.ethtoolFeatures?.[0]?.features).toEqual([]);
    expect(r.issues.map((i) => i.line)).toEqual([2, 3]);
    expect(r.issues[0]?.message).toMatch(/unknown flag\(s\) \[wobbly\]/);
  });

  it('claims -k, -K, -i and -S with their long forms, nothing else', () => {
    expectMatches(
      ethtoolParser,
      [
        ['ethtool', '-k', 'flannel.1'],
        ['ethtool', '--show-features', 'eth0'],
        ['ethtool', '--show-offload', 'eth0'],
        ['ethtool', '-K', 'flannel.1', 'tx-checksum-ip-generic', 'off'],
        ['ethtool', '--offload', 'flannel.1', 'rx', 'off', 'tx', 'off'],
        ['ethtool', '-i', 'eth0'],
        ['ethtool', '--driver', 'eth0'],
        ['ethtool', '-S', 'eth0'],
        ['/usr/sbin/ethtool', '--debug', '1', '-k', 'eth0'],
      ],
      [['ethtool', 'eth0'], ['ethtool', '-g', 'eth0'], ['ethtool'], ['ip', 'link']],
    );
  });

  it('detects a Features header and a driver block, nothing looser', () => {
    const yes = (t: string) => ethtoolParser.detect(toLines(t), 0);
    expect(yes('Features for flannel.1:')).toBe(true);
    expect(yes('driver: vmxnet3\nversion: 1.4.16.0-k-NAPI')).toBe(true);
    expect(yes('driver: vmxnet3')).toBe(false);
    expect(yes('rx-checksumming: on')).toBe(false);
  });

  it('does not claim other parsers’ output', () => {
    expectNoClaimOnOthers(ethtoolParser);
  });
});
