import { describe, expect, it } from 'vitest';
import { captureChoices, defaultTraceSource, traceChoices } from '../../../src/core/language';
import { CLUSTER, HEALTHY, K8SNODE, keyOf, workspaceOf } from './support';

describe('Trace to IP…: the first prompt', () => {
  it('takes a typed IP as the destination, from the active document’s node', () => {
    const ws = workspaceOf(CLUSTER);
    const flnode2 = keyOf(CLUSTER[1] ?? '');
    const from = defaultTraceSource(ws, flnode2, 5);
    expect(from).toEqual({ name: 'flnode2', key: flnode2 });
    const choices = traceChoices(ws, ' 10.27.3.2 ', from);
    expect(choices[0]).toEqual({
      kind: 'destination',
      label: 'Trace to 10.27.3.2',
      description: "from flnode2 (the active document's node)",
      ip: '10.27.3.2',
      source: from,
    });
    // Then every host to start from instead, the default first.
    expect(choices.slice(1).map((c) => c.label)).toEqual(['flnode2', 'flnode1', 'flnode3']);
  });

  it('offers only the hosts while what is typed is not an IP, and asks for the source without a document', () => {
    const ws = workspaceOf(CLUSTER);
    expect(traceChoices(ws, 'flno', undefined).map((c) => c.kind)).toEqual(['source', 'source', 'source']);
    expect(traceChoices(ws, '10.27.3', undefined)[0]?.kind).toBe('source');
    expect(traceChoices(ws, '10.27.3.2', undefined)[0]).toEqual({
      kind: 'destination',
      label: 'Trace to 10.27.3.2',
      description: 'then pick where from',
      ip: '10.27.3.2',
    });
    expect(defaultTraceSource(ws, undefined)).toBeUndefined();
    expect(defaultTraceSource(ws, 'file:///not-open.netsnap', 3)).toBeUndefined();
  });

  it("defaults to the pod on a pod's line, and to the document's node elsewhere", () => {
    const ws = workspaceOf([K8SNODE]);
    expect(defaultTraceSource(ws, keyOf(K8SNODE), 35)?.name).toBe('backend-6b7b58986c-jdnhn');
    expect(defaultTraceSource(ws, keyOf(K8SNODE), 80)?.name).toBe('k8snode028');
    expect(defaultTraceSource(ws, keyOf(K8SNODE))?.name).toBe('k8snode028');
  });
});

describe('Compare…: the known captures', () => {
  it('lists the folders (one cluster each) and then the files, in path order', () => {
    const ws = workspaceOf([...CLUSTER, ...HEALTHY, K8SNODE]);
    const choices = captureChoices(ws);
    expect(choices.map((c) => [c.kind, c.label, c.description])).toEqual([
      ['folder', 'examples', 'folder: 1 file, 1 node'],
      ['folder', 'examples/cluster-healthy', 'folder: 3 files, 3 nodes'],
      ['folder', 'examples/cluster-vtep-mac-changed', 'folder: 3 files, 3 nodes'],
      ...[...HEALTHY, ...CLUSTER].map((f, i) => ['file', f, `flnode${(i % 3) + 1}`]),
      ['file', K8SNODE, 'k8snode028'],
    ]);
    expect(choices[1]?.keys).toEqual(HEALTHY.map(keyOf));
    expect(captureChoices(workspaceOf([]))).toEqual([]);
  });
});
