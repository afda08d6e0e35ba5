// Partial evidence never raises an alarm: a claim that something is absent needs a complete listing of its
// kind, and no other section naming it. Snapshots here are the lab's flnode1 captures (test/fixtures/parsers),
// cut as people paste them: a listing narrowed to one device, a `| grep`, a section left out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../src/core';
import type { FindingCode } from '../../src/core/analysis/findings';
import { parserById } from '../../src/core/parsers';
import { readCommand } from '../../src/core/util/shell-command';
import { cleanLines } from '../../src/core/snapshot/split';

const dir = join(__dirname, '..', 'fixtures', 'parsers');
const fixture = (name: string): string[] =>
  readFileSync(join(dir, `${name}.out`), 'utf8')
    .replace(/\n$/, '')
    .split('\n');

/** One section of flnode1's session: its command and output lines. */
const section = (command: string, lines: readonly string[]): string =>
  [`[root@flnode1 ~]# ${command}`, ...lines].join('\n');

/** Lines of `ip [-d] link`/`ip addr` output without one link's (its header and the indented lines under it). */
function withoutLink(lines: readonly string[], name: string): string[] {
  const out: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (!/^\s/.test(line)) dropping = line.split(/:\s+/)[1]?.split('@')[0] === name;
    if (!dropping) out.push(line);
  }
  return out;
}

/** One link's lines only, as `ip -d link show NAME` prints them. */
const onlyLink = (lines: readonly string[], name: string): string[] =>
  lines.filter((l) => !withoutLink(lines, name).includes(l));

const grep = (lines: readonly string[], needle: string): string[] => lines.filter((l) => l.includes(needle));

function codes(...sections: string[]): FindingCode[] {
  const snapshot = parseSnapshot(`${sections.join('\n')}\n`, 'flnode1.netsnap');
  return analyze([snapshot])
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => f.code);
}

const linkD = fixture('ip-link--node-d');
const addr = fixture('ip-link--node-addr');
const routes = fixture('ip-route--node');
const subnetEnv = section('cat /run/flannel/subnet.env', fixture('subnet-env--flnode1'));

describe('vtep-config: the VTEP underlay device', () => {
  it('is not called missing from a link listing filtered to the VTEP (issue 10: ip -d link show flannel.1)', () => {
    const found = codes(
      section('ip -d link show flannel.1', onlyLink(linkD, 'flannel.1')),
      section('ip route', routes),
    );
    expect(found).not.toContain('vtep-config');
  });

  it('exists when a route names it, whatever the link listing shows', () => {
    const found = codes(section('ip -d link', withoutLink(linkD, 'eth0')), section('ip route', routes));
    expect(found).not.toContain('vtep-config');
  });

  it('is missing when a full link listing lacks it and no other section names it', () => {
    const found = codes(section('ip -d link', withoutLink(linkD, 'eth0')), subnetEnv);
    expect(found).toContain('vtep-config');
  });
});

describe('vtep-config: the VTEP local address', () => {
  const eth0WithoutAddress = addr.filter((l) => !l.includes('inet 10.18.19.11/24'));

  it('is held when a route has it as its source', () => {
    const found = codes(
      section('ip -d link', linkD),
      section('ip addr', eth0WithoutAddress),
      section('ip route', routes),
    );
    expect(found).not.toContain('vtep-config');
  });

  it('is not held when the full address listing lacks it and no route names it', () => {
    const found = codes(section('ip -d link', linkD), section('ip addr', eth0WithoutAddress), subnetEnv);
    expect(found).toContain('vtep-config');
  });
});

describe('vtep-missing', () => {
  const links = section('ip -d link', withoutLink(linkD, 'flannel.1'));

  it('is not claimed while an FDB entry on flannel.1 proves the device', () => {
    expect(codes(links, subnetEnv, section('bridge fdb show', fixture('bridge-fdb--node')))).not.toContain(
      'vtep-missing',
    );
  });

  it('is claimed from a full link listing when nothing names the device', () => {
    expect(codes(links, subnetEnv)).toContain('vtep-missing');
  });
});

describe('vtep-address: flannel.1 without an IPv4 address', () => {
  const vtepWithoutAddress = section(
    'ip addr',
    addr.filter((l) => !l.includes('inet 10.27.1.0/32')),
  );

  it('is not claimed while the local table holds its address', () => {
    const localTable = section('ip route show table all', fixture('ip-route--node-table-all'));
    expect(codes(vtepWithoutAddress, subnetEnv, localTable)).not.toContain('vtep-address');
  });

  it('is claimed from a full address listing otherwise', () => {
    expect(codes(vtepWithoutAddress, subnetEnv)).toContain('vtep-address');
  });
});

describe('bridge-address: cni0 without an IPv4 address', () => {
  const cni0WithoutAddress = section(
    'ip addr',
    addr.filter((l) => !l.includes('inet 10.27.1.1/24')),
  );

  it('is not claimed while a route has an address of cni0 as its source', () => {
    expect(codes(cni0WithoutAddress, subnetEnv, section('ip route', routes))).not.toContain('bridge-address');
  });

  it('is claimed from a full address listing otherwise', () => {
    expect(codes(cni0WithoutAddress, subnetEnv)).toContain('bridge-address');
  });
});

describe('veth-unattached', () => {
  // brctl's row for cni0 with its port column cut away: the bridge listing no longer shows the veth.
  const brctl = section(
    'brctl show',
    fixture('brctl--node').map((l) => l.replace(/\tvethdac44e81$/, '\t')),
  );
  const ifconfig = section('ifconfig -a', fixture('ifconfig--node-a'));

  it('is not claimed while the bridge FDB holds an entry on the veth with master cni0', () => {
    const fdb = section('bridge fdb show', fixture('bridge-fdb--node'));
    expect(codes(ifconfig, brctl, subnetEnv, fdb)).not.toContain('veth-unattached');
  });

  it('is not claimed from `ip -br link`, which prints no master', () => {
    // flnode1's `ip link` in the brief layout: name, state, MAC, flags.
    const lines = fixture('ip-link--node');
    const brief = lines.flatMap((header, i) => {
      const m = /^\d+: (\S+): <([^>]*)>.* state (\S+)/.exec(header);
      const mac = lines[i + 1]?.trim().split(/\s+/)[1];
      return m === null || mac === undefined
        ? []
        : [`${m[1]!.padEnd(16)} ${m[3]!.padEnd(14)} ${mac} <${m[2]!}> `];
    });
    expect(brief).toHaveLength(5);
    expect(codes(section('ip -br link', brief), subnetEnv)).not.toContain('veth-unattached');
  });

  it('is claimed when the bridge listing lacks the port and nothing else shows it', () => {
    expect(codes(ifconfig, brctl, subnetEnv)).toContain('veth-unattached');
  });
});

describe('subnet-env-invalid: variables missing from subnet.env', () => {
  const env = fixture('subnet-env--flnode1');

  it('are not claimed from a filtered paste', () => {
    expect(
      codes(
        section('cat /run/flannel/subnet.env | grep SUBNET', grep(env, 'SUBNET')),
        section('ip route', routes),
      ),
    ).not.toContain('subnet-env-invalid');
  });

  it('are claimed from the whole file', () => {
    const cut = env.filter((l) => !l.startsWith('FLANNEL_IPMASQ'));
    expect(codes(section('cat /run/flannel/subnet.env', cut), section('ip route', routes))).toContain(
      'subnet-env-invalid',
    );
  });
});

describe('network-overlap', () => {
  it('does not take the cni0 route for an overlap when the node subnet is unknown', () => {
    const env = fixture('subnet-env--flnode1');
    const found = codes(
      section('cat /run/flannel/subnet.env | grep NETWORK', grep(env, 'NETWORK')),
      section('ip route', routes),
    );
    expect(found).not.toContain('network-overlap');
  });
});

describe('parse complaints about a filtered paste', () => {
  it('are notes, not cni-config errors', () => {
    const conflist = fixture('cni-config--flannel-conflist');
    const found = codes(
      section("cat /etc/cni/net.d/10-flannel.conflist | grep '{'", grep(conflist, '{')),
      subnetEnv,
    );
    expect(found).toEqual([]);
  });
});

describe('detail lines of a filtered link listing', () => {
  const parse = (command: string, lines: readonly string[]) =>
    parserById('ip-link')!.parse({
      file: 'f',
      lines: cleanLines(lines.join('\n')),
      command: readCommand(command),
    }).facts.interfaces ?? [];

  it('are not given to the link header above them after `grep X`', () => {
    // `grep fl` keeps eth0's `link/ether … link-netns flu` line right under `3: flannel.1:`.
    const links = parse('ip addr | grep fl', grep(addr, 'fl'));
    const vtep = links.find((i) => i.name === 'flannel.1');
    expect(vtep).toBeDefined();
    expect(vtep?.mac).toBeUndefined();
    expect(codes(section('ip addr | grep fl', grep(addr, 'fl')), section('ip -d link', linkD))).toEqual([]);
  });

  it('are read after `grep -A`, whose runs are whole', () => {
    const at = linkD.findIndex((l) => l.includes('flannel.1:'));
    const run = linkD.slice(at, at + 3);
    const [vtep] = parse('ip -d link | grep -A2 flannel.1:', run);
    expect(vtep?.mac).toBe('42:32:74:de:01:01');
    expect(vtep?.vxlan?.dev).toBe('eth0');
  });

  it('are read within one `ip -o` line, which a filter keeps whole', () => {
    // `ip -o` prints a link's lines joined by `\\` on one line.
    const oneLine = onlyLink(linkD, 'flannel.1').join('\\');
    const [vtep] = parse('ip -o -d link | grep flannel', [oneLine]);
    expect(vtep?.vxlan?.dev).toBe('eth0');
  });

  it('of ifconfig are not given to the interface above them either', () => {
    const lines = fixture('ifconfig--node-a');
    const kept = lines.filter((l) => /flannel|inet /.test(l));
    const interfaces =
      parserById('ifconfig')!.parse({
        file: 'f',
        lines: cleanLines(kept.join('\n')),
        command: readCommand("ifconfig -a | grep -E 'flannel|inet '"),
      }).facts.interfaces ?? [];
    expect(interfaces.find((i) => i.name === 'flannel.1')?.addresses).toEqual([]);
  });
});

describe('route-stale against the cluster record', () => {
  it('is not claimed from `kubectl get nodes -o wide`, which gives no node its subnet', () => {
    const found = codes(
      section('ip route', routes),
      subnetEnv,
      section('kubectl get nodes -o wide', fixture('kubectl-nodes--wide')),
    );
    expect(found).not.toContain('route-stale');
  });

  it('is not claimed from `kubectl get node flnode1`, a record of one node', () => {
    const list = JSON.parse(fixture('kubectl-nodes--list-json').join('\n')) as {
      items: { metadata: { name: string } }[];
    };
    const flnode1 = list.items.find((n) => n.metadata.name === 'flnode1');
    const found = codes(
      section('ip route', routes),
      subnetEnv,
      section('kubectl get node flnode1 -o json', JSON.stringify(flnode1, null, 4).split('\n')),
    );
    expect(found).not.toContain('route-stale');
  });

  it('is claimed from a record that gives every node its subnet', () => {
    const record = fixture('kubectl-nodes--list-json').join('\n');
    // The record without flnode3: its route is then to a subnet no node owns.
    const nodes = JSON.parse(record) as { items: { metadata: { name: string } }[] };
    nodes.items = nodes.items.filter((n) => n.metadata.name !== 'flnode3');
    const found = codes(
      section('ip route', routes),
      subnetEnv,
      section('kubectl get nodes -o json', JSON.stringify(nodes, null, 4).split('\n')),
    );
    expect(found).toContain('route-stale');
  });
});

describe('route -ee beside ip route', () => {
  it('is one listing of the same routes, though route -ee cuts flannel.1 to flanne', () => {
    const found = codes(
      section('route -nee', fixture('route-n--node-ee')),
      section('ip -j route', fixture('ip-route--node-json')),
    );
    expect(found).not.toContain('route-duplicate');
  });
});
