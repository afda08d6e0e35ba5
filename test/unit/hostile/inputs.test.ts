// Hostile input, part 2: huge sections, garbage JSON, doubled CRs, long tokens. Each input is generated
// from real output lines (test/fixtures/parsers, examples/), scaled or edited; nothing large is stored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { analyze, parseSnapshot } from '../../../src/core';

const root = join(__dirname, '..', '..', '..');
const healthy = [1, 2, 3].map((n) => join(root, 'examples', 'cluster-healthy', `flnode${n}.netsnap`));
const healthyText = healthy.map((f) => readFileSync(f, 'utf8'));
const routeHeader =
  'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n';

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('sections of more than 125,800 records do not overflow the stack', { timeout: 60_000 }, () => {
  it('route -n with 130,000 rows', () => {
    const rows = Array.from(
      { length: 130_000 },
      (_, i) => `${ip(i).padEnd(16)}0.0.0.0         255.255.255.255 UH    0      0        0 eth0`,
    );
    const snapshot = parseSnapshot(
      `### node n1\n### route -n\n${routeHeader}${rows.join('\n')}\n`,
      'n1.netsnap',
    );
    expect(snapshot.nodes[0]?.routes).toHaveLength(130_000);
  });

  it('kubectl get nodes -o name with 130,000 rows', () => {
    const rows = Array.from({ length: 130_000 }, (_, i) => `node/k8snode${i}`);
    const snapshot = parseSnapshot(`### kubectl get nodes -o name\n${rows.join('\n')}\n`, 'k.netsnap');
    expect(snapshot.kubeNodes).toHaveLength(130_000);
  });

  it('ip -j route with 200,000 elements', () => {
    const routes = Array.from({ length: 200_000 }, (_, i) => ({
      dst: ip(i),
      dev: 'eth0',
      scope: 'link',
      flags: [],
    }));
    const snapshot = parseSnapshot(`### node n1\n### ip -j route\n${JSON.stringify(routes)}\n`, 'n1.netsnap');
    expect(snapshot.nodes[0]?.routes).toHaveLength(200_000);
  });

  it('120,000 veths in both brctl show and ip -d link build in linear time', () => {
    const n = 120_000;
    const veth = (i: number) => `veth${i.toString(16).padStart(8, '0')}`;
    const brctl = [
      'bridge name\tbridge id\t\tSTP enabled\tinterfaces',
      `cni0\t\t8000.0a2701000001\tno\t\t${veth(0)}`,
      ...Array.from({ length: n - 1 }, (_, i) => `\t\t\t\t\t\t\t${veth(i + 1)}`),
    ];
    const links = Array.from({ length: n }, (_, i) =>
      [
        `${i + 5}: ${veth(i)}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000`,
        '    link/ether 0a:27:01:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns flp1 promiscuity 1',
      ].join('\n'),
    );
    const text = `### node n1\n### brctl show\n${brctl.join('\n')}\n### ip -d link\n${links.join('\n')}\n`;
    const start = performance.now();
    const snapshot = parseSnapshot(text, 'n1.netsnap');
    // Quadratic merging took 35 s here; linear is well under a second on an idle machine.
    expect(performance.now() - start).toBeLessThan(15_000);
    expect(snapshot.nodes[0]?.bridges.find((b) => b.name === 'cni0')?.ports).toHaveLength(n);
  });
});

describe('garbage that must not become false errors', () => {
  it('bridge -j fdb answering [1, "x", null] is a partial listing: no fdb-missing', () => {
    const edited = healthyText[0]!.replace(
      /(# )bridge fdb show\n(?:[^[\n][^\n]*\n)*/,
      '$1bridge -j fdb show\n[1, "x", null]\n',
    );
    expect(edited).toContain('[1, "x", null]');
    const snapshots = [edited, healthyText[1]!, healthyText[2]!].map((t, i) => parseSnapshot(t, healthy[i]));
    expect(snapshots[0]!.nodes[0]!.coverage.find((c) => c.domain === 'fdb')?.state).toBe('partial');
    const findings = analyze(snapshots).findings.filter((f) => f.severity !== 'info');
    expect(findings.map((f) => f.code)).toEqual([]);
  });

  it('\\r\\r\\n line ends read like \\n, with the line numbers the editor shows', () => {
    for (const eol of ['\r\n', '\r\r\n', '\r\r\r\n']) {
      const snapshots = healthyText.map((t, i) => parseSnapshot(t.split('\n').join(eol), healthy[i]));
      expect(analyze(snapshots).findings.filter((f) => f.severity !== 'info')).toEqual([]);
      const plain = parseSnapshot(healthyText[0]!, healthy[0]);
      const route = (s: typeof plain) => s.nodes[0]!.routes[0]!.loc.line;
      // The editor ends a line at every CR: line n of the plain file is line (n-1)·k+1 with k line ends per line.
      const k = eol.length - 1 || 1;
      expect(route(snapshots[0]!)).toBe((route(plain) - 1) * k + 1);
    }
  });

  it('notes cut long tokens', () => {
    const big = 'x'.repeat(2_000_000);
    const snapshot = parseSnapshot(
      `### ip route\n10.0.0.0/24 dev eth0 ${big} 1\n$ ip route ${big}\nfoo\n`,
      'x.netsnap',
    );
    expect(snapshot.issues.length).toBeGreaterThan(0);
    for (const issue of snapshot.issues) expect(issue.message.length).toBeLessThan(1000);
  });

  it('the YAML library warns nothing on stderr: its warnings are located notes', () => {
    const emit = vi.spyOn(process, 'emitWarning');
    const warn = vi.spyOn(console, 'warn');
    try {
      const text =
        '### kubectl get nodes -o yaml\napiVersion: v1\nkind: List\nitems:\n- ? [a, b]\n  : c\n  kind: Node\n';
      const snapshot = parseSnapshot(text, 'k.netsnap');
      expect(emit).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      expect(snapshot.issues.some((i) => i.line === 5 && i.message.includes('collection'))).toBe(true);
    } finally {
      emit.mockRestore();
      warn.mockRestore();
    }
  });

  it('deeply nested YAML and JSON are refused, not recursed into', () => {
    for (const [command, line] of [
      ['kubectl get nodes -o yaml', `apiVersion: v1\nitems: ${'['.repeat(30_000)}x`],
      ['kubectl get nodes -o yaml', `apiVersion: v1\nitems:\n${'- '.repeat(30_000)}x`],
      ['ip -j link', '['.repeat(300_000)],
    ] as const) {
      const snapshot = parseSnapshot(`### ${command}\n${line}\n`, 'x.netsnap');
      expect(snapshot.issues.some((i) => i.severity === 'error' || /nested deeper/.test(i.message))).toBe(
        true,
      );
    }
  });
});
