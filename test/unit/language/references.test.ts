import { describe, expect, it } from 'vitest';
import { definitionsOf, referencesOf, tokenAtPosition } from '../../../src/core/language';
import { CLUSTER, keyOf, workspaceOf } from './support';

const [flnode1, flnode2, flnode3] = CLUSTER.map(keyOf) as [string, string, string];

describe('references and definitions', () => {
  it('finds every line of the cluster where 42:32:74:de:03:03 occurs', () => {
    const ws = workspaceOf(CLUSTER);
    expect(referencesOf(ws, { kind: 'mac', text: '42:32:74:de:03:03' })).toEqual([
      { key: flnode1, line: 14, start: 33, end: 50 },
      { key: flnode1, line: 22, start: 0, end: 17 },
      { key: flnode2, line: 15, start: 33, end: 50 },
      { key: flnode2, line: 22, start: 0, end: 17 },
    ]);
    // It is no interface's MAC any more: no definition.
    expect(definitionsOf(ws, { kind: 'mac', text: '42:32:74:de:03:03' })).toEqual([]);
  });

  it('matches a MAC however it is written: short octets in bridge ids, brctl ids, upper case', () => {
    const ws = workspaceOf(CLUSTER);
    const refs = referencesOf(ws, { kind: 'mac', text: '86:29:6f:02:69:c5' }).filter(
      (r) => r.key === flnode1,
    );
    expect(refs.map((r) => r.line)).toEqual([10, 30, 44, 45, 45, 47, 49, 49, 70, 76]);
    const bridgeId = ws.lineText(flnode1, 10).slice(refs[0]?.start, refs[0]?.end);
    expect(bridgeId).toBe('8000.86296f0269c5');
  });

  it('defines a VTEP MAC at its interface and an address at its ip addr line', () => {
    const ws = workspaceOf(CLUSTER);
    expect(definitionsOf(ws, { kind: 'mac', text: '42:32:74:de:33:99' })).toEqual([
      { key: flnode3, line: 39, start: 15, end: 32 },
    ]);
    expect(definitionsOf(ws, { kind: 'ipv4', text: '10.27.3.0' })).toEqual([
      { key: flnode3, line: 63, start: 9, end: 18 },
    ]);
    // A pod IP no pod snapshot shows is defined by its node's subnet.
    expect(definitionsOf(ws, { kind: 'ipv4', text: '10.27.3.2' })).toEqual([
      { key: flnode3, line: 79, start: 0, end: 0 },
    ]);
    expect(definitionsOf(ws, { kind: 'cidr', text: '10.27.2.0/24' })[0]).toMatchObject({
      key: flnode2,
      line: 81,
    });
  });

  it('references an IP also where it is written with a prefix', () => {
    const ws = workspaceOf(CLUSTER);
    const refs = referencesOf(ws, { kind: 'ipv4', text: '10.27.3.0' });
    expect(
      refs.map((r) => `${CLUSTER[[flnode1, flnode2, flnode3].indexOf(r.key)]?.slice(-15)}:${r.line}`),
    ).toEqual([
      'flnode1.netsnap:7',
      'flnode1.netsnap:7',
      'flnode1.netsnap:14',
      'flnode2.netsnap:7',
      'flnode2.netsnap:7',
      'flnode2.netsnap:15',
      'flnode3.netsnap:7',
      'flnode3.netsnap:63',
    ]);
    expect(refs.at(-1)).toEqual({ key: flnode3, line: 63, start: 9, end: 18 });
  });

  it('defines an interface name on the host of the line, and finds its uses', () => {
    const ws = workspaceOf(CLUSTER);
    const token = tokenAtPosition(ws, flnode2, 7, 75);
    expect(token).toMatchObject({ kind: 'interface', text: 'flannel.1' });
    expect(definitionsOf(ws, token ?? { kind: 'interface', text: '' }, { key: flnode2, line: 7 })).toEqual([
      { key: flnode2, line: 40, start: 3, end: 12 },
    ]);
    expect(referencesOf(ws, { kind: 'interface', text: 'veth228c5a4c' }).map((r) => r.line)).toEqual([
      10, 29, 30, 31, 32, 33, 46, 75,
    ]);
  });
});
