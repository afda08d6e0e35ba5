// The bundled examples analyse to what examples/README.md says of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../src/core';

const dir = join(__dirname, '..', '..', 'examples');
const load = (...files: string[]) => files.map((f) => parseSnapshot(readFileSync(join(dir, f), 'utf8'), f));
const cluster = (set: string) => load(...[1, 2, 3].map((n) => `${set}/flnode${n}.netsnap`));
const serious = (f: { severity: string }) => f.severity !== 'info';

describe('k8snode028.netsnap', () => {
  const { findings, nodes } = analyze(load('k8snode028.netsnap'));

  it('flags the neighbour entry outside FLANNEL_NETWORK that no route uses, with its fix', () => {
    const stale = findings.filter((f) => f.code === 'neigh-stale');
    expect(stale).toEqual([
      expect.objectContaining({
        node: 'k8snode028',
        file: 'k8snode028.netsnap',
        line: 110,
        severity: 'warning',
        fix: 'ip neigh del 10.29.13.0 dev flannel.1',
        related: [expect.objectContaining({ line: 112 })],
      }),
    ]);
    expect(stale[0]!.detail).toContain('10.29.13.0');
    expect(stale[0]!.detail).toContain('outside FLANNEL_NETWORK 10.27.0.0/16');
  });

  it('reports nothing missing from the filtered arp and fdb sections', () => {
    for (const code of ['neigh-missing', 'fdb-missing', 'fdb-stale', 'route-missing']) {
      expect(findings.filter((f) => f.code === code)).toEqual([]);
    }
    expect(nodes[0]!.skipped.map((s) => s.needs)).toEqual(
      expect.arrayContaining([
        'ip neigh show (or arp -e) without a filter',
        'bridge fdb show without a filter',
      ]),
    );
  });

  it("notices that brctl's bridge ids contradict the links' MACs", () => {
    const inconsistent = findings.filter((f) => f.code === 'snapshot-inconsistent');
    expect(inconsistent.map((f) => [f.line, f.related?.[0]?.line])).toEqual([
      [41, 98],
      [72, 96],
    ]);
  });

  it('has no error', () => {
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('cluster-healthy', () => {
  it('yields no error or warning', () => {
    const { findings, nodes } = analyze(cluster('cluster-healthy'));
    expect(findings.filter(serious)).toEqual([]);
    // Every data-plane listing is there; the firewall and kernel settings were not captured, and say so.
    const notCaptured = [
      'iptables-save (and nft list ruleset)',
      'sysctl net.ipv4.ip_forward',
      'ethtool -k flannel.1',
    ];
    expect(
      nodes.map((n) => [n.name, n.subnet, n.publicIp, n.vtepMac, n.skipped.map((s) => s.needs)]),
    ).toEqual([
      ['flnode1', '10.27.1.0/24', '10.18.19.11', '42:32:74:de:01:01', notCaptured],
      ['flnode2', '10.27.2.0/24', '10.18.19.12', '42:32:74:de:02:02', notCaptured],
      ['flnode3', '10.27.3.0/24', '10.18.19.13', '42:32:74:de:03:03', notCaptured],
    ]);
  });
});

describe('cluster-vtep-mac-changed', () => {
  const { findings } = analyze(cluster('cluster-vtep-mac-changed'));

  it('reports neigh-mac-mismatch on flnode1 and flnode2 with the repair commands, and nothing else there', () => {
    for (const [node, line] of [
      ['flnode1', 14],
      ['flnode2', 15],
    ] as const) {
      const mine = findings.filter((f) => f.node === node);
      expect(mine).toEqual([
        expect.objectContaining({
          code: 'neigh-mac-mismatch',
          severity: 'error',
          file: `cluster-vtep-mac-changed/${node}.netsnap`,
          line,
          fix: [
            'ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
            'bridge fdb append 42:32:74:de:33:99 dev flannel.1 dst 10.18.19.13 self permanent',
            'bridge fdb del 42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self',
          ].join('\n'),
        }),
      ]);
      expect(mine[0]!.detail).toContain('42:32:74:de:33:99');
      // The related lines: flnode3's live MAC and this node's FDB entry for the old MAC.
      expect(mine[0]!.related).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: 'cluster-vtep-mac-changed/flnode3.netsnap', line: 38 }),
          expect.objectContaining({ file: `cluster-vtep-mac-changed/${node}.netsnap`, line: 22 }),
        ]),
      );
    }
  });

  it("on flnode3 reports the neighbour entries the kernel flushed when flannel.1's MAC changed", () => {
    // flnode3's own `arp -e` lost its flannel.1 rows (the kernel flushes a device's neighbours when its
    // address changes) while its routes via 10.27.1.0 and 10.27.2.0 remain: its replies cannot leave.
    const mine = findings.filter((f) => f.node === 'flnode3');
    expect(mine.map((f) => [f.code, f.line, f.fix])).toEqual([
      ['neigh-missing', 5, 'ip neigh replace 10.27.1.0 lladdr 42:32:74:de:01:01 dev flannel.1 nud permanent'],
      ['neigh-missing', 6, 'ip neigh replace 10.27.2.0 lladdr 42:32:74:de:02:02 dev flannel.1 nud permanent'],
    ]);
  });
});

describe('direct routes and overlaps', () => {
  const texts = [1, 2, 3].map((n) => readFileSync(join(dir, `cluster-healthy/flnode${n}.netsnap`), 'utf8'));
  const withRoute = (text: string, from: RegExp, to: string) => text.replace(from, to);

  it("accepts flannel's DirectRouting: a peer's subnet via that peer's public IP", () => {
    const direct = withRoute(
      texts[0]!,
      /^10\.27\.2\.0 {7}10\.27\.2\.0 .*$/m,
      '10.27.2.0       10.18.19.12     255.255.255.0   UG    0      0        0 eth0',
    );
    const snaps = [direct, texts[1]!, texts[2]!].map((t, i) => parseSnapshot(t, `flnode${i + 1}.netsnap`));
    const { findings } = analyze(snaps);
    expect(findings.filter((f) => f.node === 'flnode1' && f.code === 'network-overlap')).toEqual([]);
    expect(findings.filter((f) => f.node === 'flnode1' && f.code === 'route-missing')).toEqual([]);
  });

  it('flags a subnet-sized route into the pod network via an address that is no peer', () => {
    const odd = texts[0]!.replace(
      /^(10\.18\.19\.0 .*)$/m,
      '$1\n10.27.99.0      10.18.19.1      255.255.255.0   UG    0      0        0 eth0',
    );
    const snaps = [odd, texts[1]!, texts[2]!].map((t, i) => parseSnapshot(t, `flnode${i + 1}.netsnap`));
    const overlap = analyze(snaps).findings.filter((f) => f.code === 'network-overlap');
    expect(overlap).toEqual([
      expect.objectContaining({ node: 'flnode1', line: 5, fix: 'ip route del 10.27.99.0/24 dev eth0' }),
    ]);
  });
});
