import { describe, expect, it } from 'vitest';
import { brctlParser } from '../../../src/core/parsers/brctl';
import { parseAccounted, toLines } from '../support/parse';

// k8snode028.netsnap, lines 40–72: 31 veths on cni0, docker0 without ports.
const K8SNODE028 = `bridge name	bridge id		STP enabled	interfaces
cni0		8000.0a580a1d0d01	no		veth0985a0b8
							veth1253dd53
							veth127dc912
							veth15b89d85
							veth30b9e182
							veth3a6a0f27
							veth500fcaf1
							veth5f994152
							veth6374a5e2
							veth67f0cb2e
							veth69772276
							veth6a95a62c
							veth6c8897b0
							veth781dd728
							veth88eddba5
							veth8d28dfe8
							veth8fd03c3e
							veth8fe5c104
							vetha529244f
							vethb2b2134b
							vethc070358a
							vethccd69c78
							vethd6f2ae04
							vethdbaec209
							vethe0e0bd3a
							vethe3939f54
							vethec7d63a5
							vethefdaa81a
							vethf836c26b
							vethfb0f86bc
							vethfec66a08
docker0		8000.0242fbd0e139	no
`;

// Captured in a scratch namespace (bridge-utils 1.7): br1 has no port, trailing tabs kept.
const SCRATCH = `bridge name	bridge id		STP enabled	interfaces
br0		8000.622508d04214	no		vethA
br1		8000.000000000000	no		
`;

describe('brctl parser', () => {
  it('reads k8snode028: 31 ports on cni0, each on its own line, and an empty docker0', () => {
    const r = parseAccounted(brctlParser, K8SNODE028, 'brctl show', { first: 40 });
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([40]);
    const [cni0, docker0] = r.facts.bridges ?? [];
    expect(cni0?.name).toBe('cni0');
    expect(cni0?.bridgeId).toBe('8000.0a580a1d0d01');
    expect(cni0?.stp).toBe(false);
    expect(cni0?.loc).toEqual({ file: 'test.netsnap', line: 41, endLine: 71 });
    expect(cni0?.ports).toHaveLength(31);
    expect(cni0?.ports[0]).toEqual({ loc: { file: 'test.netsnap', line: 41 }, name: 'veth0985a0b8' });
    expect(cni0?.ports[1]).toEqual({ loc: { file: 'test.netsnap', line: 42 }, name: 'veth1253dd53' });
    expect(cni0?.ports[30]).toEqual({ loc: { file: 'test.netsnap', line: 71 }, name: 'vethfec66a08' });
    cni0?.ports.forEach((p, i) => expect(p.loc.line).toBe(41 + i));
    expect(docker0).toEqual({
      loc: { file: 'test.netsnap', line: 72 },
      name: 'docker0',
      bridgeId: '8000.0242fbd0e139',
      stp: false,
      ports: [],
    });
  });

  it('reads a bridge without ports whose row ends in tabs', () => {
    const bridges = parseAccounted(brctlParser, SCRATCH, 'brctl show').facts.bridges ?? [];
    expect(bridges.map((b) => [b.name, b.ports.map((p) => p.name)])).toEqual([
      ['br0', ['vethA']],
      ['br1', []],
    ]);
  });

  it('reads headerless and partial pastes', () => {
    const r = parseAccounted(
      brctlParser,
      'cni0\t\t8000.86296f0269c5\tyes\t\tveth228c5a4c\n...\n\t\t\t\t\t\t\tveth9\n',
    );
    expect(r.facts.bridges?.[0]).toMatchObject({ stp: true, loc: { line: 1, endLine: 3 } });
    expect(r.facts.bridges?.[0]?.ports.map((p) => p.name)).toEqual(['veth228c5a4c', 'veth9']);
    // A port row with no bridge row above it cannot be attributed.
    const orphan = parseAccounted(brctlParser, '\t\t\t\t\t\t\tveth9\n');
    expect(orphan.facts.bridges).toEqual([]);
    expect(orphan.issues).toHaveLength(1);
  });

  it('reports brctl errors and garbage as issues', () => {
    const r = parseAccounted(
      brctlParser,
      "bridge name\tbridge id\t\tSTP enabled\tinterfaces\ncni0\t\tcan't get info Operation not supported\n\t\t\t\t\t\t\tveth1\nbridge nosuch does not exist!\nhello world\n",
    );
    expect(r.facts.bridges).toEqual([]);
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [2, 'warning'],
      [3, 'info'],
      [4, 'warning'],
      [5, 'info'],
    ]);
  });

  it('matches `brctl show` only and detects its header', () => {
    expect(brctlParser.matchesCommand(['brctl', 'show'])).toBe(true);
    expect(brctlParser.matchesCommand(['/usr/sbin/brctl', 'show', 'cni0'])).toBe(true);
    expect(brctlParser.matchesCommand(['brctl', 'addbr', 'br0'])).toBe(false);
    expect(brctlParser.matchesCommand(['brctl', 'showmacs', 'br0'])).toBe(false);
    expect(brctlParser.matchesCommand(['brctl'])).toBe(false);
    expect(brctlParser.detect(toLines(K8SNODE028), 0)).toBe(true);
    expect(brctlParser.detect(toLines(K8SNODE028), 1)).toBe(false);
  });
});
