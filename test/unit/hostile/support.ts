// Hostile snapshots cut from the real captures of the lab's flnode1 (test/fixtures/parsers/*-json.out
// and test/fixtures/lab/healthy-3): its devices renamed to whatever a test asks, and faults that make
// netsnap write findings and fixes naming them. `ip -j` listings allow any character in a name; the
// text listings anything but blanks (and `:`/`@`, which end a name in `ip link`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PARSERS = join(__dirname, '..', '..', 'fixtures', 'parsers');
export const LAB = join(__dirname, '..', '..', 'fixtures', 'lab', 'healthy-3');
export const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

// The faults that make netsnap write fixes naming the VTEP, the pod veth and the underlay.
export const FAULTS = [
  'route',
  'neigh',
  'vtep-down',
  'learning',
  'vtep-address',
  'veth',
  'mtu',
  'overlap',
] as const;
export type Fault = (typeof FAULTS)[number];

export interface Names {
  vtep: string;
  veth: string;
  underlay: string;
}

type Json = Record<string, unknown>;
const json = (name: string) => JSON.parse(read(PARSERS, name)) as Json[];

/** flnode1 from its real `ip -j` captures, renamed and broken as asked. */
export function jsonSnapshot(names: Names, faults: ReadonlySet<Fault>): string {
  const rename = (value: unknown): unknown =>
    value === 'flannel.1'
      ? names.vtep
      : value === 'vethdac44e81'
        ? names.veth
        : value === 'eth0'
          ? names.underlay
          : value;
  const renamed = (rows: Json[]) =>
    rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          Array.isArray(v) ? v : typeof v === 'object' ? v : rename(v),
        ]),
      ),
    );
  const links = renamed(json('ip-link--node-d-json.out'));
  const addrs = renamed(json('ip-link--node-addr-json.out'));
  let routes = renamed(json('ip-route--node-json.out'));
  const neighs = renamed(json('ip-neigh--node-json.out'));
  const fdb = renamed(json('bridge-fdb--node-json.out'));
  const vtep = links.find((l) => l['ifname'] === names.vtep)!;
  const vxlan = (vtep['linkinfo'] as { info_data: Json }).info_data;
  vxlan['link'] = names.underlay;
  if (faults.has('route')) routes = routes.filter((r) => r['dst'] !== '10.27.3.0/24');
  if (faults.has('neigh')) {
    const n = neighs.find((r) => r['dst'] === '10.27.2.0')!;
    n['lladdr'] = '42:32:74:de:22:99';
  }
  if (faults.has('vtep-down')) vtep['flags'] = ['BROADCAST', 'MULTICAST'];
  if (faults.has('learning')) vxlan['learning'] = true;
  if (faults.has('vtep-address')) {
    const a = addrs.find((r) => r['ifname'] === names.vtep)!;
    (a['addr_info'] as Json[])[0]!['local'] = '10.27.1.7';
  }
  if (faults.has('veth')) {
    const veth = links.find((l) => l['ifname'] === names.veth)!;
    delete veth['master'];
    delete (veth['linkinfo'] as Json)['info_slave_kind'];
    delete (veth['linkinfo'] as Json)['info_slave_data'];
  }
  if (faults.has('mtu')) vtep['mtu'] = 1500;
  if (faults.has('overlap'))
    routes.push({ dst: '10.27.99.0/24', dev: names.underlay, scope: 'link', flags: [] });
  return [
    '### node flnode1',
    '### ip -d -j link',
    JSON.stringify(links),
    '### ip -j addr',
    JSON.stringify(addrs),
    '### ip -j route',
    JSON.stringify(routes),
    '### ip -j neigh',
    JSON.stringify(neighs),
    '### bridge -j fdb show',
    JSON.stringify(fdb),
    '### cat /run/flannel/subnet.env',
    read(LAB, 'flnode1.netsnap').split('cat /run/flannel/subnet.env\n')[1] ?? '',
  ].join('\n');
}

/** flnode1 from its real text capture (route -n, arp -e, brctl, ip -d link, …), renamed and broken. */
export function textSnapshot(names: Names, faults: ReadonlySet<Fault>): string {
  let text = read(LAB, 'flnode1.netsnap');
  if (faults.has('route')) text = text.replace(/^10\.27\.3\.0 .*\n/m, '');
  if (faults.has('neigh')) text = text.replace('42:32:74:de:02:02   CM', '42:32:74:de:22:99   CM');
  if (faults.has('veth'))
    text = text.replace('cni0\t\t8000.0a2701000001\tno\t\tvethdac44e81', 'cni0\t\t8000.0a2701000001\tno\t\t');
  if (faults.has('veth')) text = text.replaceAll(' master cni0 state', ' state');
  if (faults.has('mtu'))
    text = text.replace(
      '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450',
      '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500',
    );
  if (faults.has('overlap'))
    text = text.replace(
      /^(10\.27\.1\.0 .*)$/m,
      '$1\n10.27.99.0      0.0.0.0         255.255.255.0   U     0      0        0 eth0',
    );
  return text
    .replaceAll('flannel.1', names.vtep)
    .replaceAll('vethdac44e81', names.veth)
    .replace(/\beth0\b/g, names.underlay);
}
