import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../../src/core';
import { SnapshotWorkspace } from '../../../src/core/language';
import { CLUSTER, HEALTHY, K8SNODE, keyOf, workspaceOf } from './support';

describe('SnapshotWorkspace', () => {
  it('costs one parse and one analysis per edit, and nothing for an unchanged text', () => {
    let parses = 0;
    let analyses = 0;
    const ws = workspaceOf(CLUSTER, {
      parse: (text, source) => (parses++, parseSnapshot(text, source)),
      analyze: (snapshots) => (analyses++, analyze(snapshots)),
    });
    expect(parses).toBe(3);
    ws.analysis();
    ws.analysis();
    expect(analyses).toBe(1);

    const key = keyOf(CLUSTER[0] ?? '');
    const text = ws.text(key) ?? '';
    expect(ws.set(key, text.replace('42:32:74:de:03:03   CM', '42:32:74:de:33:99   CM'), CLUSTER[0])).toBe(
      true,
    );
    ws.analysis();
    ws.findingsIn(key);
    expect([parses, analyses]).toEqual([4, 2]);

    expect(ws.set(key, ws.text(key) ?? '')).toBe(false);
    ws.analysis();
    expect([parses, analyses]).toEqual([4, 2]);
  });

  it('analyses each folder as its own cluster, as the examples are laid out', () => {
    const ws = workspaceOf([...HEALTHY, ...CLUSTER, K8SNODE]);
    const codes = ws
      .analysis()
      .findings.filter((f) => f.severity !== 'info')
      .map((f) => `${f.file} ${f.code}`);
    // Side by side, two captures of one cluster would otherwise look like duplicate nodes and subnets.
    expect(codes.filter((c) => /duplicate/.test(c))).toEqual([]);
    expect(codes.filter((c) => c.startsWith('examples/cluster-healthy/'))).toEqual([]);
    expect(codes.filter((c) => c.includes('neigh-mac-mismatch'))).toEqual([
      'examples/cluster-vtep-mac-changed/flnode1.netsnap neigh-mac-mismatch',
      'examples/cluster-vtep-mac-changed/flnode2.netsnap neigh-mac-mismatch',
    ]);
    expect(ws.analysis().nodes).toHaveLength(7);
  });

  it('maps findings back to documents and keeps the readable name as the source', () => {
    const ws = workspaceOf(CLUSTER);
    const key = keyOf(CLUSTER[0] ?? '');
    expect(ws.sourceOf(key)).toBe(CLUSTER[0]);
    expect(ws.keyOf(CLUSTER[0] ?? '')).toBe(key);
    expect(ws.findingsIn(key).map((f) => [f.code, f.line])).toEqual([['neigh-mac-mismatch', 14]]);
    // An edit that repairs flnode1's entries (neighbour and FDB) clears its finding.
    const fixed = (ws.text(key) ?? '').replaceAll('42:32:74:de:03:03', '42:32:74:de:33:99');
    ws.set(key, fixed);
    expect(ws.findingsIn(key).map((f) => f.code)).toEqual([]);
    ws.delete(key);
    expect(ws.keyOf(CLUSTER[0] ?? '')).toBeUndefined();
    expect(ws.snapshots()).toHaveLength(2);
  });

  it('gives two documents with one name distinct sources', () => {
    const ws = new SnapshotWorkspace();
    ws.set('file:///a/x.netsnap', '', 'x.netsnap');
    ws.set('file:///b/x.netsnap', '', 'x.netsnap');
    expect(ws.sourceOf('file:///b/x.netsnap')).toBe('x (2).netsnap');
  });

  it('reads lines as the parser numbers them (LF, CRLF, CR)', () => {
    const ws = new SnapshotWorkspace();
    ws.set('k', 'one\r\ntwo\rthree\nfour\n');
    expect([1, 2, 3, 4].map((n) => ws.lineText('k', n))).toEqual(['one', 'two', 'three', 'four']);
    expect(ws.lineCount('k')).toBe(4);
    expect(ws.lineText('k', 9)).toBe('');
  });

  it('knows which host a line belongs to, pods included', () => {
    const path = 'examples/k8snode028.netsnap';
    const ws = workspaceOf([path]);
    expect(ws.hostAt(keyOf(path), 110)?.host.name).toBe('k8snode028');
    const pod = ws.hostAt(keyOf(path), 36);
    expect(pod?.host.role).toBe('pod');
    expect(pod?.node?.name).toBe('k8snode028');
    expect(ws.interfaceNames().has('veth0985a0b8')).toBe(true);
    expect(readFileSync(path, 'utf8').length).toBe(ws.text(keyOf(path))?.length);
  });
});
