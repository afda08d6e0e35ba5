import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot, trace } from '../../src/core';

const dir = join(__dirname, '..', '..', 'examples');
const load = (...files: string[]) => files.map((f) => parseSnapshot(readFileSync(join(dir, f), 'utf8'), f));
const cluster = (set: string) => load(...[1, 2, 3].map((n) => `${set}/flnode${n}.netsnap`));
const hops = (r: ReturnType<typeof trace>) => r.hops.map((h) => [h.kind, h.node, h.line, h.ok]);

describe('trace', () => {
  it('follows route → neighbour → FDB → underlay → remote node → cni0 → pod in a healthy cluster', () => {
    const r = trace(cluster('cluster-healthy'), 'flnode1', '10.27.3.2');
    expect(r.delivered).toBe(true);
    expect(hops(r)).toEqual([
      ['route', 'flnode1', 7, true],
      ['neighbour', 'flnode1', 14, true],
      ['fdb', 'flnode1', 22, true],
      ['underlay-route', 'flnode1', 4, true],
      ['remote-node', 'flnode3', 40, true],
      ['route', 'flnode3', 7, true],
      ['bridge', 'flnode3', 16, true],
      ['return-route', 'flnode3', 5, true],
    ]);
    expect(r.hops[2]!.text).toBe('FDB 42:32:74:de:03:03 → dst 10.18.19.13');
  });

  it('delivers locally on cni0', () => {
    const r = trace(cluster('cluster-healthy'), 'flnode2', '10.27.2.2');
    expect(r.delivered).toBe(true);
    expect(r.hops.map((h) => h.kind)).toEqual(['route', 'bridge']);
  });

  it('breaks where the neighbour holds the old VTEP MAC, naming the finding', () => {
    const r = trace(cluster('cluster-vtep-mac-changed'), 'flnode2', '10.27.3.2');
    expect(r.delivered).toBe(false);
    const broken = r.hops.filter((h) => !h.ok);
    expect(broken.map((h) => [h.node, h.code, h.line])).toEqual([
      ['flnode2', 'neigh-mac-mismatch', 15],
      ['flnode3', 'neigh-mac-mismatch', 38],
    ]);
    expect(r.verdict).toContain('42:32:74:de:33:99');
  });

  it('breaks on flnode3 whose neighbour entries were flushed', () => {
    const r = trace(cluster('cluster-vtep-mac-changed'), 'flnode3', '10.27.1.2');
    expect(r.hops.at(-1)).toMatchObject({ kind: 'neighbour', ok: false, code: 'neigh-missing' });
  });

  it('starts from a pod and stops, without claiming a break, where the snapshot is filtered', () => {
    const r = trace(load('k8snode028.netsnap'), 'backend-6b7b58986c-jdnhn', '10.27.13.5');
    expect(hops(r)).toEqual([
      ['pod-route', 'backend-6b7b58986c-jdnhn', 37, true],
      ['route', 'k8snode028', 91, true],
      ['neighbour', 'k8snode028', 109, false],
    ]);
    expect(r.hops.at(-1)).toMatchObject({ unknown: true });
    expect(r.hops.at(-1)!.code).toBeUndefined();
    expect(r.verdict).toContain('does not show');
  });

  it('says so for an unknown node, a target that is no address, or an IPv6 route no listing shows', () => {
    expect(trace(cluster('cluster-healthy'), 'nosuch', '10.27.1.2').verdict).toContain(
      'no node or pod named nosuch',
    );
    expect(trace(cluster('cluster-healthy'), 'flnode1', 'nohost').verdict).toContain('not an IP address');
    // `ip route` lists IPv4 only: it says nothing of the IPv6 route.
    expect(trace(cluster('cluster-healthy'), 'flnode1', 'fd00::1').verdict).toBe(
      'cannot follow past flnode1: the snapshot does not show its route for fd00::1',
    );
  });

  it('stops at a route with no default', () => {
    const r = trace(cluster('cluster-healthy'), 'flnode1', '192.0.2.1');
    expect(r.delivered).toBe(false);
    expect(r.hops).toEqual([expect.objectContaining({ kind: 'route', ok: false })]);
  });
});
