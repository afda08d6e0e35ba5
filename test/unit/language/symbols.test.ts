import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { documentSymbols, type SymbolNode } from '../../../src/core/language';
import { parsers } from '../../../src/core/parsers';
import { CLUSTER, K8SNODE, keyOf, workspaceOf } from './support';

const brief = (s: SymbolNode): unknown => [
  s.kind,
  s.name,
  s.line,
  s.endLine,
  ...(s.children.length > 0 ? [s.children.map(brief)] : []),
];

describe('document symbols', () => {
  it('outlines k8snode028: the node, the pod seen on it, and one section per command', () => {
    const ws = workspaceOf([K8SNODE]);
    expect(documentSymbols(ws, keyOf(K8SNODE)).map(brief)).toEqual([
      [
        'node',
        'k8snode028',
        1,
        112,
        [
          ['section', 'cat /etc/cni/net.d/10-flannel.conflist', 1, 21],
          ['section', 'ls /opt/cni/bin/', 22, 23],
          ['section', 'ifconfig', 24, 32],
          ['pod', 'backend-6b7b58986c-jdnhn', 33, 38, [['section', 'route  -n', 33, 38]]],
          ['section', 'brctl show', 39, 72],
          ['section', 'route -n', 73, 94],
          ['section', 'ip link show type bridge', 95, 99],
          ['section', 'ip link show type veth', 100, 103],
          ['section', 'docker exec 1a84ab994e5d cat /run/flannel/subnet.env', 104, 108],
          ['section', 'arp -e | grep 10.29.13.0', 109, 110],
          ['section', 'bridge fdb show | grep 42:32:74:de:24:50', 111, 112],
        ],
      ],
    ]);
    const [node] = documentSymbols(ws, keyOf(K8SNODE));
    expect(node?.detail).toBe('node, 10 sections, 1 pod');
    expect(node?.children.find((c) => c.name.startsWith('arp'))?.detail).toBe('partial');
    expect(node?.children.find((c) => c.kind === 'pod')?.detail).toBe('pod, gateway 10.27.9.1');
  });

  it('names pasted output by the command that prints it', () => {
    const ws = workspaceOf([]);
    ws.set(
      'k',
      'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n0.0.0.0         10.18.19.1      0.0.0.0         UG    0      0        0 eth0\n',
      'node7.netsnap',
    );
    expect(documentSymbols(ws, 'k').map(brief)).toEqual([
      ['node', 'node7', 1, 3, [['section', 'route -n (pasted output)', 1, 3]]],
    ]);
    expect(documentSymbols(ws, 'missing')).toEqual([]);
    expect(documentSymbols(workspaceOf(CLUSTER), keyOf(CLUSTER[0] ?? ''))[0]?.children).toHaveLength(7);
  });

  it('speaks in commands, never in parser ids, across every bundled example', () => {
    const files = readdirSync('examples', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.netsnap'))
      .map((f) => `examples/${f}`);
    const ws = workspaceOf(files);
    // Ids that are not also a command's own name (`ip-link`, `route-n`, `bridge-fdb`…).
    const ids = parsers.map((p) => p.id).filter((id) => id.includes('-'));
    const seen: string[] = [];
    const visit = (s: SymbolNode) => {
      seen.push(`${s.name} | ${s.detail}`);
      s.children.forEach(visit);
    };
    for (const f of files) documentSymbols(ws, keyOf(f)).forEach(visit);
    expect(seen.length).toBeGreaterThan(files.length);
    for (const line of seen)
      for (const id of ids) expect(line).not.toMatch(new RegExp(`(^|[ ,|])${id}($|[ ,])`));
    // `ip addr` is read by the same reader as `ip link`: nothing to add; a pasted route table is named by its command.
    expect(seen).toContain('ip addr | ');
  });
});
