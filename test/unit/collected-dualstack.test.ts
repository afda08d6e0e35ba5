// The collected dual-stack captures (test/lab/dual-stack-captures.sh: `netsnap collect netns` of a
// healthy 3-node dual-stack lab, and of the same after flnode3's flannel-v6.1 MAC changed): every section
// the collector wrote is read by a parser, and the IPv6 half of the data plane reaches the model.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../src/core';

const capture = (dir: string, n: number) => {
  const path = `test/fixtures/lab/${dir}/flnode${n}.netsnap`;
  return parseSnapshot(readFileSync(path, 'utf8'), path);
};

describe('collected dual-stack captures', () => {
  for (const dir of ['collected-dualstack', 'collected-dualstack-v6mac']) {
    it(`${dir}: every section read, no issue`, () => {
      for (const n of [1, 2, 3]) {
        const snapshot = capture(dir, n);
        expect(snapshot.issues).toEqual([]);
        expect(snapshot.nodes.map((h) => h.name)).toEqual([`flnode${n}`]);
        for (const section of snapshot.nodes[0]!.sections) {
          expect(section.parser, `line ${section.loc.line}: ${section.command ?? ''}`).toBeDefined();
        }
      }
    });
  }

  it('the healthy capture holds flannel-v6.1 and its per-peer routes, neighbours and FDB entries', () => {
    for (const n of [1, 2, 3]) {
      const host = capture('collected-dualstack', n).nodes[0]!;
      const peers = [1, 2, 3].filter((p) => p !== n);
      const on = <T extends { dev?: string }>(xs: readonly T[]) => xs.filter((x) => x.dev === 'flannel-v6.1');
      expect(
        new Set(
          on(host.routes)
            .filter((r) => r.gateway)
            .map((r) => `${r.dst} ${r.gateway} ${r.onlink}`),
        ),
      ).toEqual(new Set(peers.map((p) => `fd27:42:0:${p}::/64 fd27:42:0:${p}:: true`)));
      expect(new Set(on(host.neighbours).map((e) => `${e.ip} ${e.mac} ${e.state.join()}`))).toEqual(
        new Set(peers.map((p) => `fd27:42:0:${p}:: 42:36:74:de:0${p}:0${p} PERMANENT`)),
      );
      expect(new Set(on(host.fdb).map((f) => `${f.mac} ${f.dst} ${f.state}`))).toEqual(
        new Set(peers.map((p) => `42:36:74:de:0${p}:0${p} fd00:18:19::${10 + p} permanent`)),
      );
      const vtep = host.interfaces.find((i) => i.name === 'flannel-v6.1');
      expect(vtep?.vxlan).toMatchObject({
        id: 1,
        local: `fd00:18:19::${10 + n}`,
        port: 8472,
        learning: false,
      });
      expect(vtep?.mtu).toBe(1430);
      expect(host.subnetEnv).toMatchObject({
        ipv6Network: 'fd27:42::/56',
        ipv6Subnet: `fd27:42:0:${n}::1/64`,
      });
    }
  });

  it("net-tools' view of the same node (route -6 -n, whose local-table rows are flagged n) adds no finding", () => {
    // The real `route -6 -n` of flnode1 in this lab (test/lab/dual-stack-fixtures.sh), as a section of its capture.
    const path = 'test/fixtures/lab/collected-dualstack/flnode1.netsnap';
    const routeN = readFileSync('test/fixtures/parsers/route-n--dualstack-6.out', 'utf8');
    const text = readFileSync(path, 'utf8').replace(
      '### route -n\n',
      `### route -6 -n\n${routeN}### route -n\n`,
    );
    const flnode1 = parseSnapshot(text, path);
    expect(flnode1.issues).toEqual([]);
    const local = flnode1.nodes[0]!.routes.filter((r) => r.flags === 'Un');
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((r) => r.table === 'local')).toBe(true);
    const findings = analyze([
      flnode1,
      capture('collected-dualstack', 2),
      capture('collected-dualstack', 3),
    ]).findings;
    expect(findings.filter((f) => f.severity !== 'info').map((f) => `${f.node} ${f.code} ${f.line}`)).toEqual(
      [],
    );
  });
});
