import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareReport, traceReport, traceSources, validateTraceTarget } from '../../../src/core/language';
import { CLUSTER, HEALTHY, K8SNODE, keyOf, workspaceOf } from './support';

describe('trace report', () => {
  it('lists each hop with a link to its line', () => {
    const ws = workspaceOf(CLUSTER);
    const report = traceReport(ws, 'flnode1', ' 10.27.3.2 ');
    const lines = report.text.split('\n');
    expect(report.title).toBe('Trace flnode1 → 10.27.3.2');
    expect(lines[2]).toBe(
      `  1. [flnode1] route 10.27.3.0/24 via 10.27.3.0 dev flannel.1 — ok  ${CLUSTER[0]}:7`,
    );
    expect(lines[3]).toMatch(/^ {2}2\. \[flnode1\] neighbour 10\.27\.3\.0 → 42:32:74:de:03:03 — BROKEN/);
    expect(report.text).toContain('Not delivered: dropped at flnode3');
    for (const link of report.links) {
      const text = report.text.split('\n')[link.line]?.slice(link.start, link.end);
      expect(text).toBe(`${ws.sourceOf(link.target.key)}:${link.target.line}`);
    }
    expect(report.links.map((l) => l.target.line)).toEqual([7, 14, 22, 4, 38]);
  });

  it('says a delivered packet once: no "Delivered: delivered"', () => {
    const report = traceReport(workspaceOf(HEALTHY), 'flnode1', '10.27.3.2');
    const last = report.text.trimEnd().split('\n').at(-1);
    expect(last).toMatch(/^Delivered on flnode3 through cni0/);
    expect(report.text).not.toMatch(/Delivered: delivered/i);
  });

  it('checks the target and lists the sources', () => {
    expect(validateTraceTarget('10.27.3.2')).toBeUndefined();
    expect(validateTraceTarget('')).toMatch(/Type an IP address/);
    expect(validateTraceTarget('fe80::1')).toBeUndefined();
    expect(validateTraceTarget('fe80::1::2')).toMatch(/not an IPv4 or IPv6 address/);
    const sources = traceSources(workspaceOf([K8SNODE]));
    expect(sources.map((s) => [s.name, s.role])).toEqual([
      ['k8snode028', 'node'],
      ['backend-6b7b58986c-jdnhn', 'pod'],
    ]);
    expect(sources[0]?.description).toBe('10.27.9.0/24 · examples/k8snode028.netsnap');
  });
});

describe('compare report', () => {
  const side = (paths: string[]) =>
    paths.map((p) => ({ key: keyOf(p), label: p, text: readFileSync(p, 'utf8') }));

  it('shows what changed between the healthy cluster and the one whose VTEP MAC changed', () => {
    const report = compareReport(side(HEALTHY), side(CLUSTER), 'Compare healthy → changed');
    expect(report.text).toContain('node flnode3\n');
    expect(report.text).toMatch(/~ interface flannel\.1: mac 42:32:74:de:03:03 → 42:32:74:de:33:99/);
    expect(report.text).toContain('Findings appeared');
    expect(report.text).toMatch(/\+ \[neigh-mac-mismatch\] flnode1/);
    for (const link of report.links) expect([...HEALTHY, ...CLUSTER].map(keyOf)).toContain(link.target.key);
    expect(report.links.length).toBeGreaterThan(3);
  });

  it('says when nothing differs, and refuses binary input', () => {
    expect(compareReport(side(HEALTHY), side(HEALTHY), 'same').text).toContain('No differences.');
    const binary = [{ key: 'b', label: 'blob.netsnap', text: '\u0000\u0001\u0002binary' }];
    expect(compareReport(binary, side(HEALTHY), 'x').text).toContain(
      'Not compared: blob.netsnap looks like binary data',
    );
  });
});
