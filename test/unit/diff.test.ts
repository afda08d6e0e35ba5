// `diffSnapshots` and its text form, on the bundled cluster captures and on small snapshots made of
// real lab output (test/fixtures/parsers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, parseSnapshot, type DiffEntry, type SnapshotDiff } from '../../src/core';
import { formatDiffText } from '../../src/cli/format-reports';
import { plain } from '../../src/cli/terminal';

const root = join(__dirname, '..', '..');
const cluster = (set: string) =>
  [1, 2, 3].map((n) => {
    const file = `examples/${set}/flnode${n}.netsnap`;
    return parseSnapshot(readFileSync(join(root, file), 'utf8'), file);
  });

const fixture = (name: string): string[] =>
  readFileSync(join(root, 'test', 'fixtures', 'parsers', `${name}.out`), 'utf8')
    .replace(/\n$/, '')
    .split('\n');

/** A transcript of `sections` run on `host`, as a prompt and its output. */
function transcript(host: string, sections: [command: string, output: string[]][]): string {
  return `${sections.flatMap(([command, output]) => [`[root@${host} ~]# ${command}`, ...output]).join('\n')}\n`;
}

/** The 1-based line of `text` that contains `needle` (exactly one must). */
function lineOf(text: string, needle: string): number {
  const hits = text
    .split('\n')
    .map((l, i) => (l.includes(needle) ? i + 1 : 0))
    .filter((n) => n > 0);
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

const replace = (lines: string[], from: string, to: string | undefined): string[] => {
  expect(lines.filter((l) => l.includes(from))).toHaveLength(1);
  return lines.flatMap((l) => (l.includes(from) ? (to === undefined ? [] : [to]) : [l]));
};

const entries = (diff: SnapshotDiff, host: string): DiffEntry[] =>
  diff.hosts.find((h) => h.name === host)?.entries ?? [];

describe('the bundled clusters: healthy → flnode3 VTEP MAC changed', () => {
  const diff = diffSnapshots(cluster('cluster-healthy'), cluster('cluster-vtep-mac-changed'));
  const newFlnode3 = 'examples/cluster-vtep-mac-changed/flnode3.netsnap';
  const oldFlnode3 = 'examples/cluster-healthy/flnode3.netsnap';

  it("shows flnode3's flannel.1 MAC change with its lines, and nothing else changed on its interfaces", () => {
    const changed = entries(diff, 'flnode3').filter((e) => e.kind === 'interface');
    expect(changed).toEqual([
      expect.objectContaining({
        change: 'changed',
        label: 'flannel.1',
        loc: { file: newFlnode3, line: 38, endLine: 40 },
        oldLoc: { file: oldFlnode3, line: 40, endLine: 42 },
        fields: [{ field: 'mac', old: '42:32:74:de:03:03', new: '42:32:74:de:33:99' }],
      }),
    ]);
    // Both places that show the MAC (ip -d link, ip addr) are cited.
    expect(changed[0]!.locs.map((l) => l.line)).toEqual([38, 61]);
    expect(readFileSync(join(root, newFlnode3), 'utf8').split('\n')[38]).toContain('42:32:74:de:33:99');
  });

  it("shows flnode3's two flannel.1 neighbour entries removed, cited on the old side", () => {
    const removed = entries(diff, 'flnode3').filter((e) => e.kind === 'neighbour');
    expect(removed).toEqual([
      expect.objectContaining({
        change: 'removed',
        label: '10.27.2.0 dev flannel.1',
        description: expect.stringContaining('lladdr 42:32:74:de:02:02'),
        loc: { file: oldFlnode3, line: 13 },
      }),
      expect.objectContaining({
        change: 'removed',
        label: '10.27.1.0 dev flannel.1',
        description: expect.stringContaining('lladdr 42:32:74:de:01:01'),
        loc: { file: oldFlnode3, line: 14 },
      }),
    ]);
  });

  it('reports only flnode3, and no route, FDB or bridge change (operState and DAD flags are not compared)', () => {
    expect(diff.hosts.map((h) => [h.name, h.status])).toEqual([['flnode3', 'changed']]);
    expect(diff.hosts[0]!.notCompared).toEqual([]);
    expect(diff.summary).toEqual({
      added: 0,
      removed: 2,
      changed: 1,
      hostsAdded: 0,
      hostsRemoved: 0,
      findingsAppeared: 4,
      findingsCleared: 0,
    });
  });

  it('lists the findings that appeared (on the new side) and none cleared', () => {
    expect(diff.findings.appeared.map((f) => [f.code, f.node, f.file, f.line])).toEqual([
      ['neigh-mac-mismatch', 'flnode1', 'examples/cluster-vtep-mac-changed/flnode1.netsnap', 14],
      ['neigh-mac-mismatch', 'flnode2', 'examples/cluster-vtep-mac-changed/flnode2.netsnap', 15],
      ['neigh-missing', 'flnode3', newFlnode3, 5],
      ['neigh-missing', 'flnode3', newFlnode3, 6],
    ]);
    expect(diff.findings.cleared).toEqual([]);
  });

  it('reversed, the same changes run the other way and the findings clear', () => {
    const back = diffSnapshots(cluster('cluster-vtep-mac-changed'), cluster('cluster-healthy'));
    expect(entries(back, 'flnode3').map((e) => [e.change, e.kind, e.label, e.loc.line])).toEqual([
      ['changed', 'interface', 'flannel.1', 40],
      ['added', 'neighbour', '10.27.2.0 dev flannel.1', 13],
      ['added', 'neighbour', '10.27.1.0 dev flannel.1', 14],
    ]);
    expect(back.findings.appeared).toEqual([]);
    expect(back.findings.cleared.map((f) => f.code)).toEqual([
      'neigh-mac-mismatch',
      'neigh-mac-mismatch',
      'neigh-missing',
      'neigh-missing',
    ]);
  });

  it('is JSON as it stands', () => {
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });

  it('formats as text: a header per host, +/-/~ lines with file:line, findings, a summary', () => {
    const text = formatDiffText(diff, plain);
    const lines = text.split('\n');
    expect(lines).toContain('node flnode3');
    expect(lines).toContain(
      '  ~ interface flannel.1: mac 42:32:74:de:03:03 → 42:32:74:de:33:99  ' +
        `${newFlnode3}:38 (was ${oldFlnode3}:40)`,
    );
    expect(lines).toContain(
      `  - neighbour 10.27.1.0 dev flannel.1 lladdr 42:32:74:de:01:01 PERMANENT  ${oldFlnode3}:14`,
    );
    expect(lines).toContain('Findings appeared');
    expect(lines).not.toContain('Findings cleared');
    expect(
      lines.some((l) =>
        l.startsWith(
          '  + [neigh-mac-mismatch] flnode1 examples/cluster-vtep-mac-changed/flnode1.netsnap:14: flnode1 cannot reach pods on flnode3',
        ),
      ),
    ).toBe(true);
    expect(lines.filter((l) => l.startsWith('  + [neigh-missing] flnode3 '))).toHaveLength(2);
    expect(lines.at(-2)).toBe('0 entries added, 2 removed, 1 changed; 4 findings appeared, 0 cleared');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('colours added green, removed red and changed yellow', () => {
    const tag = (name: string) => (t: string) => `<${name}>${t}</${name}>`;
    const style = { red: tag('r'), green: tag('g'), yellow: tag('y'), dim: tag('d'), bold: tag('b') };
    const text = formatDiffText(diff, style);
    expect(text).toContain('<y>~ interface flannel.1: mac 42:32:74:de:03:03 → 42:32:74:de:33:99</y>');
    expect(text).toContain('<r>- neighbour 10.27.2.0 dev flannel.1');
    expect(text).toContain('<b>node flnode3</b>');
  });
});

describe('a cluster against itself', () => {
  it('is an empty diff', () => {
    const diff = diffSnapshots(cluster('cluster-healthy'), cluster('cluster-healthy'));
    expect(diff.hosts).toEqual([]);
    expect(diff.findings).toEqual({ appeared: [], cleared: [] });
    expect(diff.summary).toEqual({
      added: 0,
      removed: 0,
      changed: 0,
      hostsAdded: 0,
      hostsRemoved: 0,
      findingsAppeared: 0,
      findingsCleared: 0,
    });
    expect(formatDiffText(diff, plain)).toBe(
      'No differences.\n\n0 entries added, 0 removed, 0 changed; 0 findings appeared, 0 cleared\n',
    );
  });
});

describe('focused cases from lab output', () => {
  const diffOf = (oldText: string, newText: string) =>
    diffSnapshots([parseSnapshot(oldText, 'old.netsnap')], [parseSnapshot(newText, 'new.netsnap')]);

  it('a route removed and a route changed (the subnet moved from the overlay to cni0)', () => {
    const routes = fixture('ip-route--node');
    const oldText = transcript('flnode1', [['ip route', routes]]);
    const newText = transcript('flnode1', [
      [
        'ip route',
        replace(
          replace(routes, '10.27.3.0/24 via', undefined),
          '10.27.2.0/24 via 10.27.2.0 dev flannel.1 onlink',
          // flnode2's own route for its subnet, as `ip route` printed it there.
          '10.27.2.0/24 dev cni0 proto kernel scope link src 10.27.2.1 ',
        ),
      ],
    ]);
    const diff = diffOf(oldText, newText);
    expect(entries(diff, 'flnode1')).toEqual([
      expect.objectContaining({
        change: 'removed',
        kind: 'route',
        label: '10.27.3.0/24',
        description: '10.27.3.0/24 via 10.27.3.0 dev flannel.1 onlink',
        loc: { file: 'old.netsnap', line: lineOf(oldText, '10.27.3.0/24 via') },
      }),
      expect.objectContaining({
        change: 'changed',
        kind: 'route',
        label: '10.27.2.0/24',
        description: '10.27.2.0/24 dev cni0',
        oldDescription: '10.27.2.0/24 via 10.27.2.0 dev flannel.1 onlink',
        loc: { file: 'new.netsnap', line: lineOf(newText, '10.27.2.0/24 dev cni0') },
        oldLoc: { file: 'old.netsnap', line: lineOf(oldText, '10.27.2.0/24 via') },
        fields: [
          { field: 'gateway', old: '10.27.2.0', new: null },
          { field: 'dev', old: 'flannel.1', new: 'cni0' },
          { field: 'onlink', old: 'true', new: 'false' },
        ],
      }),
    ]);
    const text = formatDiffText(diff, plain);
    expect(text).toContain(
      `  - route 10.27.3.0/24 via 10.27.3.0 dev flannel.1 onlink  old.netsnap:${lineOf(oldText, '10.27.3.0/24 via')}`,
    );
    expect(text).toContain(
      '  ~ route 10.27.2.0/24: gateway 10.27.2.0 → (none), dev flannel.1 → cni0, onlink true → false',
    );
  });

  it('the same routes from `route -n` and from `ip route` are no change (onlink is not compared)', () => {
    const diff = diffOf(
      transcript('flnode1', [['route -n', fixture('route-n--node')]]),
      transcript('flnode1', [['ip route', fixture('ip-route--node')]]),
    );
    expect(entries(diff, 'flnode1')).toEqual([]);
  });

  it('an FDB entry whose dst changed is one removed and one added; a state change is a change', () => {
    const fdb = fixture('bridge-fdb--node');
    const oldText = transcript('flnode1', [['bridge fdb show', fdb]]);
    const newText = transcript('flnode1', [
      [
        'bridge fdb show',
        replace(
          replace(
            fdb,
            '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13',
            '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.99 self permanent',
          ),
          '0a:27:01:00:00:02 dev vethdac44e81 master cni0',
          '0a:27:01:00:00:02 dev vethdac44e81 master cni0 permanent',
        ),
      ],
    ]);
    const diff = diffOf(oldText, newText);
    expect(entries(diff, 'flnode1').map((e) => [e.change, e.kind, e.label, e.loc.file, e.loc.line])).toEqual([
      [
        'removed',
        'fdb',
        '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13',
        'old.netsnap',
        lineOf(oldText, '10.18.19.13'),
      ],
      [
        'added',
        'fdb',
        '42:32:74:de:03:03 dev flannel.1 dst 10.18.19.99',
        'new.netsnap',
        lineOf(newText, '10.18.19.99'),
      ],
      [
        'changed',
        'fdb',
        '0a:27:01:00:00:02 dev vethdac44e81 master cni0',
        'new.netsnap',
        lineOf(newText, '0a:27:01:00:00:02'),
      ],
    ]);
    const changed = entries(diff, 'flnode1')[2];
    expect(changed?.change === 'changed' && changed.fields).toEqual([
      { field: 'state', old: null, new: 'permanent' },
    ]);
  });

  it('a neighbour whose MAC changed, and `arp` COMPLETE against `ip neigh` REACHABLE is no change', () => {
    const neigh = fixture('ip-neigh--node');
    const oldText = transcript('flnode1', [['ip neigh', neigh]]);
    const newText = transcript('flnode1', [
      [
        'ip neigh',
        replace(
          neigh,
          '10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03',
          '10.27.3.0 dev flannel.1 lladdr 42:32:74:de:33:99 PERMANENT ',
        ),
      ],
    ]);
    expect(entries(diffOf(oldText, newText), 'flnode1')).toEqual([
      expect.objectContaining({
        change: 'changed',
        kind: 'neighbour',
        label: '10.27.3.0 dev flannel.1',
        loc: { file: 'new.netsnap', line: lineOf(newText, '10.27.3.0 dev') },
        fields: [{ field: 'mac', old: '42:32:74:de:03:03', new: '42:32:74:de:33:99' }],
      }),
    ]);
    const fromArp = diffOf(
      transcript('flnode1', [['arp -e', fixture('arp--node-e')]]),
      transcript('flnode1', [['ip neigh', neigh]]),
    );
    expect(entries(fromArp, 'flnode1')).toEqual([]);
    // A real state change still is one.
    const stale = diffOf(
      transcript('flnode1', [['ip neigh', neigh]]),
      transcript('flnode1', [['ip neigh', fixture('ip-neigh--node-stale')]]),
    );
    expect(
      entries(stale, 'flnode1').flatMap((e) => (e.change === 'changed' ? e.fields.map((f) => f.field) : [])),
    ).toContain('state');
  });

  it('an interface whose MTU changed lists the field with old → new', () => {
    const links = fixture('ip-link--node-d');
    const oldText = transcript('flnode1', [['ip -d link', links]]);
    const newText = transcript('flnode1', [
      [
        'ip -d link',
        replace(
          links,
          '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450',
          '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
        ),
      ],
    ]);
    expect(entries(diffOf(oldText, newText), 'flnode1')).toEqual([
      expect.objectContaining({
        change: 'changed',
        kind: 'interface',
        label: 'flannel.1',
        loc: expect.objectContaining({ file: 'new.netsnap', line: lineOf(newText, '3: flannel.1:') }),
        fields: [{ field: 'mtu', old: '1450', new: '1400' }],
      }),
    ]);
  });

  it('a bridge port removed, and a subnet.env value changed', () => {
    const env = fixture('subnet-env--flnode1');
    const oldText = transcript('flnode1', [
      ['brctl show', fixture('brctl--node')],
      ['cat /run/flannel/subnet.env', env],
    ]);
    const newText = transcript('flnode1', [
      [
        'brctl show',
        ['bridge name\tbridge id\t\tSTP enabled\tinterfaces', 'cni0\t\t8000.0a2701000001\tno\t\t'],
      ],
      ['cat /run/flannel/subnet.env', replace(env, 'FLANNEL_MTU=1450', 'FLANNEL_MTU=1400')],
    ]);
    const diff = diffOf(oldText, newText);
    expect(entries(diff, 'flnode1')).toEqual([
      expect.objectContaining({
        change: 'removed',
        kind: 'bridge-port',
        label: 'vethdac44e81 on cni0',
        loc: expect.objectContaining({ file: 'old.netsnap', line: lineOf(oldText, 'vethdac44e81') }),
      }),
      expect.objectContaining({
        change: 'changed',
        kind: 'subnet-env',
        label: 'FLANNEL_MTU',
        description: 'FLANNEL_MTU=1400',
        loc: expect.objectContaining({ file: 'new.netsnap', line: lineOf(newText, 'FLANNEL_MTU') }),
        fields: [{ field: 'value', old: '1450', new: '1400' }],
      }),
    ]);
    expect(formatDiffText(diff, plain)).toContain('  ~ subnet-env FLANNEL_MTU: value 1450 → 1400');
  });

  it('a kind one side did not capture is not compared (not "removed")', () => {
    const routes = ['ip route', fixture('ip-route--node')] as [string, string[]];
    const diff = diffOf(
      transcript('flnode1', [routes, ['arp -e', fixture('arp--node-e')]]),
      transcript('flnode1', [routes]),
    );
    expect(diff.hosts).toEqual([
      expect.objectContaining({
        name: 'flnode1',
        entries: [],
        notCompared: [{ kind: 'neighbour', reason: 'not captured in the new snapshot' }],
      }),
    ]);
    expect(formatDiffText(diff, plain)).toContain(
      '  not compared: neighbour (not captured in the new snapshot)',
    );
  });

  it('nodes added and removed, matched by name across files', () => {
    const routes = fixture('ip-route--node');
    const a = parseSnapshot(transcript('flnode1', [['ip route', routes]]), 'a.netsnap');
    const b = parseSnapshot(transcript('flnode2', [['ip route', fixture('ip-route--node')]]), 'b.netsnap');
    const c = parseSnapshot(transcript('flnode3', [['ip route', routes]]), 'c.netsnap');
    const diff = diffSnapshots([a, b], [c, a]);
    expect(diff.hosts.map((h) => [h.name, h.status, h.loc.file])).toEqual([
      ['flnode2', 'removed', 'b.netsnap'],
      ['flnode3', 'added', 'c.netsnap'],
    ]);
    expect(diff.summary).toMatchObject({ hostsAdded: 1, hostsRemoved: 1, added: 0, removed: 0 });
    const lines = formatDiffText(diff, plain).split('\n');
    expect(lines).toContain('- node flnode2 removed  b.netsnap:1');
    expect(lines).toContain('+ node flnode3 added  c.netsnap:1');
    expect(lines.at(-2)).toMatch(/; 1 host added, 1 removed$/);
  });

  it('a finding that only moved (its message names another line) neither appears nor clears', () => {
    const routes = fixture('route-n--node');
    // A second route for 10.27.3.0/24 through another gateway (the same route listed twice is one route).
    const dup = routes
      .find((l) => l.startsWith('10.27.3.0'))!
      .replace(/^(10\.27\.3\.0\s+)10\.27\.3\.0/, '$110.27.3.9');
    const oldText = transcript('flnode1', [['route -n', [...routes, dup]]]);
    const newText = transcript('flnode1', [
      ['cat /run/flannel/subnet.env', fixture('subnet-env--flnode1')],
      ['route -n', [...routes, dup]],
    ]);
    const oldDup = diffSnapshots([], [parseSnapshot(oldText, 'old.netsnap')]).findings.appeared;
    const newDup = diffSnapshots([], [parseSnapshot(newText, 'new.netsnap')]).findings.appeared;
    const dupOld = oldDup.find((f) => f.code === 'route-duplicate');
    const dupNew = newDup.find((f) => f.code === 'route-duplicate');
    expect(dupOld?.detail).toMatch(/also line \d+/);
    expect(dupNew?.detail).toMatch(/also line \d+/);
    expect(dupOld!.line).not.toBe(dupNew!.line);
    expect(dupOld!.detail).not.toBe(dupNew!.detail);

    for (const [o, n] of [
      ['old.netsnap', 'new.netsnap'],
      ['o', 'n'],
      ['captures/monday/flnode1.netsnap', 'captures/tuesday/flnode1.netsnap'],
    ] as const) {
      const diff = diffSnapshots([parseSnapshot(oldText, o)], [parseSnapshot(newText, n)]);
      expect(diff.findings).toEqual({ appeared: [], cleared: [] });
    }
  });
});
