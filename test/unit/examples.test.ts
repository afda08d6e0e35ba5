// Every bundled example is one examples/README.md describes, and parses completely: the cluster captures from
// the lab data plane node by node, and the classic k8snode028 paste. Only the repository's own files are read.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/core';

const examples = join(__dirname, '..', '..', 'examples');
const readme = readFileSync(join(examples, 'README.md'), 'utf8');

function netsnapFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.netsnap'))
    .sort();
}

/** The README's entries: the name in backticks that opens each `- ` bullet (a file, or a folder ending in /). */
const described = [...readme.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]!);

describe('bundled examples', () => {
  it('are exactly the transcripts examples/README.md describes', () => {
    expect(described).toEqual(['k8snode028.netsnap', 'cluster-healthy/', 'cluster-vtep-mac-changed/']);
    const expected = described.flatMap((entry) =>
      entry.endsWith('/') ? [1, 2, 3].map((n) => `${entry}flnode${n}.netsnap`) : [entry],
    );
    expect(netsnapFiles(examples)).toEqual(expected.sort());
  });

  it('k8snode028.netsnap parses without an unrecognised line, its filtered sections marked partial', () => {
    const snap = parseSnapshot(
      readFileSync(join(examples, 'k8snode028.netsnap'), 'utf8'),
      'k8snode028.netsnap',
    );
    expect(snap.issues).toEqual([]);
    expect(snap.nodes.map((h) => h.name)).toEqual(['k8snode028']);
    // README: a partial `ifconfig`, and `arp -e | grep` / `bridge fdb show | grep` lines.
    const partial = snap.nodes[0]!.coverage.filter((c) => c.state === 'partial').map((c) => c.domain);
    expect(partial.sort()).toEqual(['addresses', 'fdb', 'links', 'neighbours']);
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
