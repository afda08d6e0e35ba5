// Two captures side by side (as examples/ holds them): every feature answers from the cluster of the
// document it is asked from; the other capture appears only under "Also seen in other captures".
import { describe, expect, it } from 'vitest';
import {
  definitionsOf,
  hoverAt,
  referencesOf,
  renderPlain,
  traceReport,
  traceSources,
} from '../../../src/core/language';
import { CLUSTER, columnOf, HEALTHY, keyOf, workspaceOf } from './support';

const ws = workspaceOf([...HEALTHY, ...CLUSTER]);
const broken1 = CLUSTER[0]!;
/** The first line of a document that starts with `start`. */
const lineOf = (path: string, start: string): number =>
  Array.from({ length: ws.lineCount(keyOf(path)) }, (_, i) => i + 1).find((n) =>
    ws.lineText(keyOf(path), n).startsWith(start),
  ) ?? 0;

describe('one cluster at a time', () => {
  it('traces within the cluster of the chosen host: dropped at flnode3, citing only its own files', () => {
    const source = traceSources(ws).find((s) => s.name === 'flnode1' && s.key === keyOf(broken1))!;
    const report = traceReport(ws, 'flnode1', '10.27.3.2', source.key);
    expect(report.text).toContain('Not delivered: dropped at flnode3');
    const cited = report.links.map((l) => l.target.key);
    expect(cited.length).toBeGreaterThan(0);
    for (const key of cited) expect(key).toContain('cluster-vtep-mac-changed/');
    // The same trace from the healthy capture's flnode1 is delivered.
    const healthy = traceReport(ws, 'flnode1', '10.27.3.2', keyOf(HEALTHY[0]!));
    expect(healthy.text).toContain('Delivered');
  });

  it('hovers 10.27.3.0 on the broken flnode1 as BROKEN, with the healthy capture only apart', () => {
    const line = lineOf(broken1, '10.27.3.0 ');
    const hover = hoverAt(ws, keyOf(broken1), line, 0)!;
    const text = renderPlain(hover.parts);
    expect(text).toContain('Path from flnode1: BROKEN at the neighbour entry (neigh-mac-mismatch)');
    expect(text).not.toMatch(/is reached/);
    const path = hover.parts.find((p) => p.kind === 'list' && p.title.startsWith('Path from'));
    expect(
      path?.kind === 'list' &&
        path.items.every((i) => i.loc === undefined || i.loc.key.includes('cluster-vtep-mac-changed/')),
    ).toBe(true);
  });

  it('shows FLANNEL_NETWORK and findings of its own cluster only', () => {
    const line = lineOf(broken1, 'FLANNEL_NETWORK=');
    const hover = hoverAt(ws, keyOf(broken1), line, columnOf(ws, broken1, line, '10.27.0.0/16'))!;
    const owners = hover.parts.find((p) => p.kind === 'list' && p.title === 'What it is');
    expect(owners?.kind === 'list' && owners.items.map((i) => i.loc?.key)).toEqual(
      expect.arrayContaining([keyOf(broken1)]),
    );
    for (const part of hover.parts)
      if (part.kind === 'list' && part.title !== 'Also seen in other captures')
        for (const item of part.items)
          expect(item.loc?.key ?? keyOf(broken1)).toContain('cluster-vtep-mac-changed/');
  });

  it('lists what other captures say under their own heading', () => {
    const line = lineOf(broken1, '10.27.3.0 ');
    const hover = hoverAt(ws, keyOf(broken1), line, 0)!;
    const also = hover.parts.find((p) => p.kind === 'list' && p.title === 'Also seen in other captures');
    expect(also?.kind === 'list' && also.items.length).toBeGreaterThan(0);
    expect(also?.kind === 'list' && also.items.every((i) => i.loc?.key.includes('cluster-healthy/'))).toBe(
      true,
    );
  });

  it('finds references and definitions within the cluster', () => {
    const token = { kind: 'mac' as const, text: '42:32:74:de:02:02' };
    const refs = referencesOf(ws, token, { key: keyOf(broken1) });
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(r.key).toContain('cluster-vtep-mac-changed/');
    const defs = definitionsOf(ws, token, { key: keyOf(broken1), line: 1 });
    expect(defs.map((d) => d.key)).toEqual([keyOf(CLUSTER[1]!)]);
    // Asked without a document, the whole workspace answers.
    expect(referencesOf(ws, token).some((r) => r.key.includes('cluster-healthy/'))).toBe(true);
  });
});
