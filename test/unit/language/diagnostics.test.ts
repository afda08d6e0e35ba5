import { describe, expect, it } from 'vitest';
import { diagnosticsByDocument } from '../../../src/core/language';
import { CLUSTER, HEALTHY, K8SNODE, keyOf, workspaceOf } from './support';

const [flnode1, flnode2, flnode3] = CLUSTER.map(keyOf) as [string, string, string];

describe('diagnostics', () => {
  it('puts every finding of the cluster on its document and line, with related lines on other nodes', () => {
    const ws = workspaceOf(CLUSTER);
    const byDoc = diagnosticsByDocument(ws);
    const width = (key: string, line: number) => ws.lineText(key, line).trimEnd().length;
    expect([...byDoc.keys()].sort()).toEqual([flnode1, flnode2, flnode3]);
    expect(byDoc.get(flnode1)).toEqual([
      {
        line: 14,
        endLine: 14,
        startCharacter: 0,
        endCharacter: width(flnode1, 14),
        severity: 'error',
        code: 'neigh-mac-mismatch',
        node: 'flnode1',
        // The impact leads; the mechanism is the first related information, on the finding's own line.
        message: "flnode1 cannot reach pods on flnode3: its neighbour entry holds flnode3's old VTEP MAC",
        related: [
          {
            key: flnode1,
            line: 14,
            startCharacter: 0,
            endCharacter: width(flnode1, 14),
            message: expect.stringMatching(
              /^Neighbour 10\.27\.3\.0 on flannel\.1 points to 42:32:74:de:03:03/,
            ),
          },
          {
            key: flnode3,
            line: 38,
            startCharacter: 0,
            endCharacter: width(flnode3, 38),
            message: "flnode3's live VTEP MAC 42:32:74:de:33:99",
          },
          {
            key: flnode1,
            line: 22,
            startCharacter: 0,
            endCharacter: width(flnode1, 22),
            message: 'FDB entry for the old MAC 42:32:74:de:03:03',
          },
          {
            key: flnode1,
            line: 7,
            startCharacter: 0,
            endCharacter: width(flnode1, 7),
            message: 'route for 10.27.3.0/24',
          },
        ],
        hasFix: true,
      },
    ]);
    expect(byDoc.get(flnode2)?.map((d) => [d.code, d.line])).toEqual([['neigh-mac-mismatch', 15]]);
    expect(byDoc.get(flnode3)?.map((d) => [d.code, d.line, d.related.map((r) => r.line)])).toEqual([
      ['neigh-missing', 5, [5, 11, 40]],
      ['neigh-missing', 6, [6, 11, 40]],
    ]);
  });

  it('reports k8snode028 on the lines the example README names', () => {
    const ws = workspaceOf([K8SNODE]);
    const list = diagnosticsByDocument(ws).get(keyOf(K8SNODE)) ?? [];
    expect(list.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'snapshot-inconsistent', 41],
      ['warning', 'snapshot-inconsistent', 72],
      ['warning', 'neigh-stale', 110],
    ]);
    // Columns span the line's text without the brctl tabs around it.
    expect(list[1]).toMatchObject({
      startCharacter: 0,
      endCharacter: 'docker0\t\t8000.0242fbd0e139\tno'.length,
    });
  });

  it('follows an edit: repairing a node clears its diagnostics, and every document still gets a list', () => {
    const ws = workspaceOf(CLUSTER);
    ws.set(flnode1, (ws.text(flnode1) ?? '').replaceAll('42:32:74:de:03:03', '42:32:74:de:33:99'));
    const byDoc = diagnosticsByDocument(ws);
    expect(byDoc.get(flnode1)).toEqual([]);
    expect(byDoc.get(flnode2)).toHaveLength(1);
    expect([...diagnosticsByDocument(workspaceOf(HEALTHY)).values()].flat()).toEqual([]);
  });

  it('leaves out notes when asked', () => {
    const ws = workspaceOf([]);
    ws.set('k', 'hello there\n', 'x.netsnap');
    expect(
      diagnosticsByDocument(ws)
        .get('k')
        ?.map((d) => [d.code, d.severity, d.line]),
    ).toEqual([['unrecognized-output', 'info', 1]]);
    expect(diagnosticsByDocument(ws, { hideNotes: true }).get('k')).toEqual([]);
  });

  it('reports binary data on the first line as an error, which hiding notes keeps', () => {
    const ws = workspaceOf([]);
    // What the editor reads from an ELF file: NULs and replacement characters.
    const text = new TextDecoder('utf-8').decode(
      Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 0xff, 0xfe, 0, 10, 65, 10]),
    );
    ws.set('k', text, 'binary.netsnap');
    for (const hideNotes of [false, true]) {
      const errors = diagnosticsByDocument(ws, { hideNotes })
        .get('k')
        ?.filter((d) => d.severity === 'error');
      expect(errors?.map((d) => [d.code, d.line, d.message])).toEqual([
        [
          'unrecognized-output',
          1,
          'This looks like binary data, not a terminal transcript; unreadable lines are reported below.',
        ],
      ]);
    }
    expect(diagnosticsByDocument(ws, { hideNotes: true }).get('k')).toHaveLength(1);
  });
});
