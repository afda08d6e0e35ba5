// Every bundled example parses completely: the cluster captures from the lab data plane, node by node.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/core';

const examples = join(__dirname, '..', '..', 'examples');
const shared = join(__dirname, '..', '..', '..', 'shared', 'examples');

function netsnapFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.netsnap'))
    .sort();
}

describe('bundled examples', () => {
  it('are the shared examples, byte for byte', () => {
    const ours = netsnapFiles(examples);
    expect(ours).toHaveLength(7);
    // The shared folder is laid beside every checkout the project runs in (sessions and CI).
    expect(existsSync(shared)).toBe(true);
    expect(ours).toEqual(netsnapFiles(shared));
    for (const f of ours)
      expect(readFileSync(join(examples, f), 'utf8')).toBe(readFileSync(join(shared, f), 'utf8'));
  });

  for (const set of ['cluster-healthy', 'cluster-vtep-mac-changed']) {
    for (const n of [1, 2, 3]) {
      it(`${set}/flnode${n} parses into one complete node`, () => {
        const file = `${set}/flnode${n}.netsnap`;
        const snap = parseSnapshot(readFileSync(join(examples, file), 'utf8'), file);
        expect(snap.issues).toEqual([]);
        expect(snap.nodes.map((h) => h.name)).toEqual([`flnode${n}`]);
        const node = snap.nodes[0]!;
        expect(
          node.coverage
            .filter((c) => c.state === 'complete')
            .map((c) => c.domain)
            .sort(),
        ).toEqual(
          ['addresses', 'bridges', 'fdb', 'linkDetails', 'links', 'neighbours', 'routes', 'subnetEnv'].sort(),
        );
        const vtep = node.interfaces.find((i) => i.name === 'flannel.1')!;
        expect(vtep.kind).toBe('vxlan');
        expect(vtep.vxlan).toMatchObject({
          id: 1,
          port: 8472,
          local: `10.18.19.${10 + n}`,
          dev: 'eth0',
          learning: false,
        });
        expect(vtep.addresses.map((a) => `${a.address}/${a.prefixLen}`)).toContain(`10.27.${n}.0/32`);
        const peers = [1, 2, 3].filter((p) => p !== n);
        const flannelRoutes = node.routes.filter((r) => r.dev === 'flannel.1');
        expect(flannelRoutes.map((r) => r.dst).sort()).toEqual(peers.map((p) => `10.27.${p}.0/24`));
        expect(node.fdb.filter((f) => f.dev === 'flannel.1' && f.dst !== undefined)).toHaveLength(2);
        expect(node.subnetEnv?.subnet).toBe(`10.27.${n}.1/24`);
        const cni0 = node.bridges.find((b) => b.name === 'cni0')!;
        expect(cni0.ports).toHaveLength(1);
      });
    }
  }
});
