import { describe, expect, it } from 'vitest';
import {
  analysisReport,
  hoverAt,
  renderMarkdown,
  renderPlain,
  type HoverPart,
} from '../../../src/core/language';
import { CLUSTER, columnOf, K8SNODE, keyOf, workspaceOf } from './support';

function list(parts: HoverPart[], title: RegExp) {
  const part = parts.find(
    (p): p is Extract<HoverPart, { kind: 'list' }> => p.kind === 'list' && title.test(p.title),
  );
  if (part === undefined) throw new Error(`no list ${title} in\n${renderPlain(parts)}`);
  return part.items;
}

describe('hover', () => {
  it('explains the stale neighbour 10.29.13.0 of k8snode028: its chain and the neigh-stale finding', () => {
    const ws = workspaceOf([K8SNODE]);
    const hover = hoverAt(ws, keyOf(K8SNODE), 110, 3);
    expect(hover?.token).toMatchObject({ kind: 'ipv4', text: '10.29.13.0', start: 0, end: 10 });
    const parts = hover?.parts ?? [];
    expect(parts[0]).toEqual({ kind: 'title', text: 'IPv4 address 10.29.13.0' });
    expect(list(parts, /What it is/).map((i) => i.text)).toEqual([
      'outside FLANNEL_NETWORK 10.27.0.0/16 of k8snode028',
    ]);
    const chain = list(parts, /^Path from k8snode028/);
    expect(chain.map((i) => [i.mark, i.loc?.line])).toEqual([
      ['broken', 76], // only the default route covers it: no flannel route uses this neighbour
      [undefined, 110], // the neighbour entry
      ['ok', 112], // its FDB entry
      ['unknown', undefined], // 10.18.19.129 is no known node
      ['unknown', undefined],
    ]);
    expect(chain[1]?.text).toBe('neighbour 10.29.13.0 → 42:32:74:de:24:50 dev flannel.1 CM');
    expect(chain[2]?.text).toBe('FDB 42:32:74:de:24:50 dev flannel.1 dst 10.18.19.129 self permanent');
    const findings = list(parts, /^Findings?$/);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toMatch(
      /^warning \[neigh-stale\] k8snode028 keeps a leftover neighbour entry for 10\.29\.13\.0 .* — Neighbour 10\.29\.13\.0/,
    );
    expect(findings[0]?.loc).toEqual({ key: keyOf(K8SNODE), line: 110 });
    expect(parts).toContainEqual({ kind: 'code', text: 'ip neigh del 10.29.13.0 dev flannel.1' });
  });

  it("explains flnode3's changed VTEP MAC: what peers hold for it, and neigh-mac-mismatch", () => {
    const ws = workspaceOf(CLUSTER);
    const flnode3 = CLUSTER[2] ?? '';
    const hover = hoverAt(ws, keyOf(flnode3), 39, columnOf(ws, flnode3, 39, '42:32:74:de:33:99') + 2);
    expect(hover?.token).toMatchObject({ kind: 'mac', text: '42:32:74:de:33:99' });
    const parts = hover?.parts ?? [];
    expect(list(parts, /What it is/)[0]).toMatchObject({
      text: 'MAC of flannel.1 on flnode3 (VTEP MAC: what peers must use for this node)',
      loc: { key: keyOf(flnode3), line: 38 },
    });
    const peers = list(parts, /How peers reach flnode3/);
    expect(peers.map((i) => [i.mark, i.locLabel ?? i.text])).toEqual([
      ['broken', `${CLUSTER[0]}:14`],
      ['broken', 'flnode1: no FDB entry for 42:32:74:de:33:99'],
      ['broken', `${CLUSTER[1]}:15`],
      ['broken', 'flnode2: no FDB entry for 42:32:74:de:33:99'],
    ]);
    expect(peers[0]?.text).toBe(
      'flnode1: neighbour 10.27.3.0 → 42:32:74:de:03:03 dev flannel.1 CM — not 42:32:74:de:33:99',
    );
    const findings = list(parts, /^Findings?$/);
    expect(findings.map((f) => f.text.slice(0, 40))).toEqual([
      'error [neigh-mac-mismatch] flnode1 canno',
      'error [neigh-mac-mismatch] flnode2 canno',
    ]);
  });

  it('resolves the old MAC on flnode1: route → neighbour → FDB → flnode3, whose MAC differs', () => {
    const ws = workspaceOf(CLUSTER);
    const flnode1 = CLUSTER[0] ?? '';
    const hover = hoverAt(ws, keyOf(flnode1), 14, columnOf(ws, flnode1, 14, '42:32:74:de:03:03'));
    const parts = hover?.parts ?? [];
    expect(renderPlain(parts)).toContain(
      "No interface in the workspace has this MAC, and it is no node's VTEP MAC.",
    );
    const chain = list(parts, /^On flnode1: route → neighbour → FDB → node$/);
    expect(chain.map((i) => [i.mark, i.locLabel])).toEqual([
      ['ok', `${flnode1}:7`],
      ['broken', `${flnode1}:14`],
      ['ok', `${flnode1}:22`],
      ['ok', `${CLUSTER[2]}:38`],
      ['broken', `${CLUSTER[2]}:38`],
    ]);
    expect(chain[4]?.text).toBe(
      "but flnode3's live VTEP MAC is 42:32:74:de:33:99: 42:32:74:de:03:03 is stale and frames for it are dropped",
    );
    expect(list(parts, /^Findings?$/)[0]?.text).toContain('[neigh-mac-mismatch] flnode1');
    // Only flnode1's repair is offered on flnode1's line.
    const fixes = parts.filter((p) => p.kind === 'code');
    expect(fixes).toHaveLength(1);
    expect(fixes[0]?.text.split('\n')[0]).toBe(
      'ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
    );
  });

  it('resolves an IP in a remote pod subnet and names its owner', () => {
    const ws = workspaceOf(CLUSTER);
    const flnode2 = CLUSTER[1] ?? '';
    const line = ws.lineText(keyOf(flnode2), 5);
    expect(line).toMatch(/^10\.27\.1\.0 /);
    const parts = hoverAt(ws, keyOf(flnode2), 5, 17)?.parts ?? [];
    expect(list(parts, /What it is/).map((i) => i.text)).toContain(
      'address 10.27.1.0/32 of flannel.1 on flnode1',
    );
    const chain = list(parts, /^Path from flnode2/);
    expect(chain.map((i) => i.mark)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(chain.at(-1)?.text).toBe("flnode1's VTEP has MAC 42:32:74:de:01:01: 10.27.1.0/24 is reached");
  });

  it('describes interfaces, CIDRs and subnet.env values', () => {
    const ws = workspaceOf(CLUSTER);
    const flnode1 = CLUSTER[0] ?? '';
    const itf = renderPlain(hoverAt(ws, keyOf(flnode1), 40, 5)?.parts ?? []);
    expect(itf).toContain('Interface flannel.1 on flnode1 (vxlan)');
    expect(itf).toContain('VXLAN VNI 1 port 8472 local 10.18.19.11 dev eth0 nolearning');
    const cni = renderPlain(hoverAt(ws, keyOf(flnode1), 10, 1)?.parts ?? []);
    expect(cni).toContain('Bridge cni0 (id 8000.86296f0269c5): 1 port');
    const network = renderPlain(hoverAt(ws, keyOf(flnode1), 80, 20)?.parts ?? []);
    expect(network).toContain('IPv4 network 10.27.0.0/16 (65,536 addresses)');
    expect(network).toContain('FLANNEL_NETWORK of flnode1');
    const address = renderPlain(hoverAt(ws, keyOf(flnode1), 71, 12)?.parts ?? []);
    expect(address).toContain('IPv4 address 10.27.1.1/24');
    expect(address).toContain("flnode1's cni0 gateway in its pod subnet 10.27.1.0/24");
    expect(hoverAt(ws, keyOf(flnode1), 2, 3)).toBeUndefined(); // "Kernel IP routing table"
  });

  it('renders hostile interface names as text, never as HTML, links or code', () => {
    const hostile = [
      '[root@evil ~]# ip addr',
      '7: <img/src=x/onerror=alert(1)>@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP',
      '    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff',
      '8: [x](command:workbench.action.terminal.new)`rm`: <BROADCAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP',
      '    link/ether 86:29:6f:02:69:c6 brd ff:ff:ff:ff:ff:ff',
    ].join('\n');
    const ws = workspaceOf([]);
    ws.set('file:///evil.netsnap', hostile, 'evil.netsnap');
    for (const [line, column] of [
      [3, 20],
      [5, 20],
    ] as const) {
      const hover = hoverAt(ws, 'file:///evil.netsnap', line, column);
      const plain = renderPlain(hover?.parts ?? []);
      expect(plain).toMatch(/MAC of (<img|\[x\])/);
      const markdown = renderMarkdown(hover?.parts ?? [], (loc) => `file:///evil.netsnap#L${loc.line}`);
      expect(markdown).not.toMatch(/(?<!\\)</);
      expect(markdown).not.toMatch(/(?<!\\)`/);
      expect(markdown).not.toContain('](command:');
      expect(markdown).toContain('](file:///evil.netsnap#L');
    }
  });

  it('opens the compact hover with a one-line verdict, the fix before the path, and the link to the rest', () => {
    const ws = workspaceOf(CLUSTER);
    const flnode1 = CLUSTER[0] ?? '';
    const column = columnOf(ws, flnode1, 14, '42:32:74:de:03:03');
    const hover = hoverAt(ws, keyOf(flnode1), 14, column);
    const brief = hover?.brief ?? [];
    expect(brief.map((p) => p.kind)).toEqual(['verdict', 'title', 'text', 'code', 'list', 'command']);
    expect(brief[0]).toMatchObject({ kind: 'verdict', mark: 'broken' });
    expect(brief[0]?.kind === 'verdict' && brief[0].text).toMatch(/\[neigh-mac-mismatch\] \(\+1 more\)$/);
    expect(brief[1]).toEqual({ kind: 'title', text: 'MAC address 42:32:74:de:03:03' });
    expect(brief[2]).toEqual({ kind: 'text', text: 'Fix for neigh-mac-mismatch, to run on flnode1:' });
    // The path: short items, file names without their folder, the same marks as the full analysis.
    const path = brief[4]?.kind === 'list' ? brief[4].items : [];
    expect(path.map((i) => [i.mark, i.text, i.locLabel])).toEqual([
      ['ok', 'route 10.27.3.0/24 via 10.27.3.0', 'flnode1.netsnap:7'],
      ['broken', 'neighbour 10.27.3.0 → 42:32:74:de:03:03', 'flnode1.netsnap:14'],
      ['ok', 'FDB 42:32:74:de:03:03 → 10.18.19.13', 'flnode1.netsnap:22'],
      ['ok', '10.18.19.13 is node flnode3', 'flnode3.netsnap:38'],
      ['broken', "flnode3's VTEP MAC is now 42:32:74:de:33:99: frames dropped", 'flnode3.netsnap:38'],
    ]);
    expect(brief[5]).toEqual({
      kind: 'command',
      title: 'Show full analysis…',
      command: 'netsnap.showAnalysis',
      args: [keyOf(flnode1), 14, column],
    });
    // Everything the brief hover leaves out is in the full analysis (and its report).
    expect(list(hover?.parts ?? [], /^Findings?$/)).toHaveLength(2);
    const report = analysisReport(ws, keyOf(flnode1), 14, column);
    expect(report?.title).toBe(`Analysis of 42:32:74:de:03:03 (${flnode1}:14)`);
    expect(report?.text).toContain('Verdict: [BROKEN] ');
    expect(report?.text).toContain(
      "  • [BROKEN] but flnode3's live VTEP MAC is 42:32:74:de:33:99: 42:32:74:de:03:03 is stale and frames for it are dropped",
    );
    expect(report?.text).toContain(
      '    ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
    );
    for (const link of report?.links ?? []) {
      const text = report?.text.split('\n')[link.line]?.slice(link.start, link.end);
      expect(text).toBe(`${ws.sourceOf(link.target.key)}:${link.target.line}`);
    }
    expect(analysisReport(ws, keyOf(flnode1), 2, 3)).toBeUndefined();
  });

  it('says the path when no finding touches the token, and keeps the brief short', () => {
    const ws = workspaceOf(CLUSTER);
    const flnode2 = CLUSTER[1] ?? '';
    const brief = hoverAt(ws, keyOf(flnode2), 5, 17)?.brief ?? [];
    expect(brief[0]).toEqual({
      kind: 'verdict',
      mark: 'ok',
      text: 'Path from flnode2: reached flnode1 (1 finding elsewhere)',
    });
    // A title, a verdict, at most six path items and a link: what fits the editor's hover.
    const items = brief.flatMap((p) => (p.kind === 'list' ? p.items : []));
    expect(items.length).toBeLessThanOrEqual(6);
    const itf = hoverAt(ws, keyOf(CLUSTER[0] ?? ''), 40, 5)?.brief ?? [];
    const owners = itf.find((p) => p.kind === 'list');
    expect(owners?.kind === 'list' && owners.items.at(-1)?.text).toMatch(/^… \d+ more in the full analysis$/);
  });

  it('keeps the compact hover as safe as the full one: escaped text, one command link, its own', () => {
    const hostile = [
      '[root@evil ~]# ip addr',
      '8: [x](command:workbench.action.terminal.new)`rm`: <BROADCAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP',
      '    link/ether 86:29:6f:02:69:c6 brd ff:ff:ff:ff:ff:ff',
    ].join('\n');
    const ws = workspaceOf([]);
    ws.set('file:///evil.netsnap', hostile, 'evil.netsnap');
    const hover = hoverAt(ws, 'file:///evil.netsnap', 3, 20);
    const markdown = renderMarkdown(hover?.brief ?? [], (loc) => `file:///evil.netsnap#L${loc.line}`);
    expect(markdown).toContain('MAC of \\[x\\]\\(command\\:workbench');
    expect(markdown.match(/\]\(command:/g)).toHaveLength(1);
    expect(markdown).toContain('](command:netsnap.showAnalysis?');
    expect(markdown).not.toMatch(/(?<!\\)`/);
  });
});
