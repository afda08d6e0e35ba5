// The "Network Snapshots" tree: cluster → nodes → interfaces (bridges with their ports), routes,
// neighbours, FDB, flannel config, pods, findings. Every item that has a source line can reveal it; IPs
// can be traced to; findings with a repair can have it copied. Built once per change, when asked.

import type { Finding } from '../analysis/findings';
import { DIRECTION_TEXT, networkTraffic } from '../analysis/firewall';
import type { HostModel, Severity, SourceLocation } from '../model/types';
import { describeFdb, describeNeighbour, describeRoute, severityWord } from './lookup';
import { refOf, type FindingRef } from './actions';
import { escapeControls, escapeLines } from '../util/text';
import { type DocLocation, folderOf, type SnapshotWorkspace } from './workspace';

export type TreeKind =
  | 'cluster'
  | 'node'
  | 'pod'
  | 'group'
  | 'interface'
  | 'bridge'
  | 'port'
  | 'address'
  | 'route'
  | 'neighbour'
  | 'fdb'
  | 'config'
  | 'finding'
  | 'empty';

export interface TreeNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  kind: TreeKind;
  loc?: DocLocation;
  children: TreeNode[];
  severity?: Severity;
  /** An IP this item stands for, and the host it is seen from (trace to here). */
  /** `key`: the document it was seen in, whose cluster the trace runs in. */
  trace?: { ip: string; from?: string; key?: string };
  /** A finding with a repair (copy fix). */
  fix?: FindingRef;
  /** A node or pod row: the host, and the document it is in (trace from it, its graph). */
  host?: { name: string; key: string };
  /** A cluster row: its folder (the graph's cluster). */
  cluster?: string;
  expanded?: boolean;
}

function at(ws: SnapshotWorkspace, loc: SourceLocation): DocLocation | undefined {
  const key = ws.keyOf(loc.file);
  return key === undefined ? undefined : { key, line: loc.line };
}

function leaf(
  ws: SnapshotWorkspace,
  id: string,
  kind: TreeKind,
  label: string,
  loc: SourceLocation | undefined,
  extra: Partial<TreeNode> = {},
): TreeNode {
  const node: TreeNode = { id, kind, label, children: [], ...extra };
  const where = loc === undefined ? undefined : at(ws, loc);
  if (where !== undefined) node.loc = where;
  return node;
}

function group(id: string, label: string, children: TreeNode[], extra: Partial<TreeNode> = {}): TreeNode {
  return { id, kind: 'group', label, description: String(children.length), children, ...extra };
}

function network(ip: string): string {
  return ip.slice(0, ip.indexOf('/'));
}

/** Trace works on IPv4 (flannel's VXLAN backend carries IPv4 pod traffic). */
function traceable(
  ws: SnapshotWorkspace,
  host: HostModel,
  a: { address: string; family: string },
): Partial<TreeNode> {
  const key = ws.keyOf(host.file);
  return a.family === 'inet' ? { trace: { ip: a.address, ...(key === undefined ? {} : { key }) } } : {};
}

/** Trace from `host` to `ip`, in the cluster of the host's document. */
function traceFrom(ws: SnapshotWorkspace, host: HostModel, ip: string): Partial<TreeNode> {
  const key = ws.keyOf(host.file);
  return { trace: { ip, from: host.name, ...(key === undefined ? {} : { key }) } };
}

const SEVERITY_SIGN: Record<Severity, string> = { error: '✗', warning: '⚠', info: 'ℹ' };

/**
 * The entries a host's findings are written on or cite on the same host: a route, neighbour or FDB row on such a line is marked
 * with the worst of them (its severity and codes), so the offending entry stands out in its list.
 */
function marker(host: HostModel, findings: Finding[]): (loc: SourceLocation) => Partial<TreeNode> {
  const mine = findings.filter((f) => f.node === host.name && f.file === host.file);
  return (loc) => {
    if (loc.file !== host.file) return {};
    const here = mine.filter(
      (f) =>
        (f.line <= loc.line && loc.line <= (f.endLine ?? f.line)) ||
        f.related?.some((r) => r.file === host.file && r.line === loc.line) === true,
    );
    const severity = worst(here) ?? (here.length > 0 ? 'info' : undefined);
    if (severity === undefined) return {};
    const codes = [...new Set(here.map((f) => f.code))];
    return {
      severity,
      description: `${SEVERITY_SIGN[severity]} ${codes.join(', ')}`,
      tooltip: here.map((f) => `${severityWord(f)} [${f.code}] ${escapeControls(f.message)}`).join('\n'),
    };
  };
}

/** A group of rows, marked with the worst severity among them and how many carry a finding. */
function markedGroup(id: string, label: string, children: TreeNode[]): TreeNode {
  const node = group(id, label, children);
  const marked = children.filter((c) => c.severity !== undefined);
  const severity = worst(marked.map((c) => ({ severity: c.severity ?? 'info' })));
  if (marked.length > 0)
    node.description = `${children.length} · ${marked.length} ${SEVERITY_SIGN[severity ?? 'info']}`;
  if (severity !== undefined) node.severity = severity;
  return node;
}

function hostChildren(ws: SnapshotWorkspace, host: HostModel, id: string, findings: Finding[]): TreeNode[] {
  const out: TreeNode[] = [];
  const mark = marker(host, findings);
  const ports = new Set(host.bridges.flatMap((b) => b.ports.map((p) => p.name)));
  const interfaces: TreeNode[] = [];
  const bridged = new Set<string>();
  for (const b of host.bridges) {
    bridged.add(b.name);
    const itf = host.interfaces.find((i) => i.name === b.name);
    interfaces.push(
      leaf(ws, `${id}/if/${b.name}`, 'bridge', b.name, itf?.loc ?? b.loc, {
        description: [
          'bridge',
          b.bridgeId === undefined ? '' : `id ${b.bridgeId}`,
          `${b.ports.length} port${b.ports.length === 1 ? '' : 's'}`,
        ]
          .filter((x) => x !== '')
          .join(', '),
        children: [
          ...(itf?.addresses ?? []).map((a, i) =>
            leaf(
              ws,
              `${id}/if/${b.name}/a${i}`,
              'address',
              `${a.address}/${a.prefixLen}`,
              a.loc,
              traceable(ws, host, a),
            ),
          ),
          ...b.ports.map((p, i) =>
            leaf(ws, `${id}/if/${b.name}/p${i}`, 'port', p.name, p.loc, { description: p.state ?? 'port' }),
          ),
        ],
      }),
    );
  }
  for (const itf of host.interfaces) {
    if (bridged.has(itf.name)) continue;
    interfaces.push(
      leaf(ws, `${id}/if/${itf.name}`, 'interface', itf.name, itf.loc, {
        description: [
          itf.linkKind ?? itf.kind,
          itf.mac ?? '',
          itf.mtu === undefined ? '' : `mtu ${itf.mtu}`,
          itf.up ? '' : 'down',
          itf.master !== undefined && !ports.has(itf.name) ? `master ${itf.master}` : '',
        ]
          .filter((x) => x !== '')
          .join(', '),
        children: itf.addresses.map((a, i) =>
          leaf(
            ws,
            `${id}/if/${itf.name}/a${i}`,
            'address',
            `${a.address}/${a.prefixLen}`,
            a.loc,
            traceable(ws, host, a),
          ),
        ),
      }),
    );
  }
  if (interfaces.length > 0) out.push(group(`${id}/interfaces`, 'Interfaces', interfaces));
  if (host.routes.length > 0)
    out.push(
      markedGroup(
        `${id}/routes`,
        'Routes',
        host.routes.map((r, i) =>
          leaf(ws, `${id}/r${i}`, 'route', describeRoute(r), r.loc, {
            ...(r.family === 'inet' && r.dst !== '0.0.0.0/0' ? traceFrom(ws, host, network(r.dst)) : {}),
            ...mark(r.loc),
          }),
        ),
      ),
    );
  if (host.neighbours.length > 0)
    out.push(
      markedGroup(
        `${id}/neighbours`,
        'Neighbours',
        host.neighbours.map((n, i) =>
          leaf(ws, `${id}/n${i}`, 'neighbour', describeNeighbour(n), n.loc, {
            ...(n.family === 'inet' ? traceFrom(ws, host, n.ip) : {}),
            ...mark(n.loc),
          }),
        ),
      ),
    );
  if (host.fdb.length > 0)
    out.push(
      markedGroup(
        `${id}/fdb`,
        'FDB',
        host.fdb.map((f, i) => leaf(ws, `${id}/f${i}`, 'fdb', describeFdb(f), f.loc, mark(f.loc))),
      ),
    );
  const config: TreeNode[] = [];
  for (const v of host.subnetEnv?.vars ?? [])
    config.push(leaf(ws, `${id}/env/${v.key}`, 'config', `${v.key}=${v.value}`, v.loc));
  host.cniConfigs.forEach((c, i) =>
    config.push(
      leaf(ws, `${id}/cni${i}`, 'config', `CNI ${c.name ?? c.path ?? 'config'}`, c.loc, {
        description: c.plugins.map((p) => p.type ?? '?').join(', '),
      }),
    ),
  );
  if (config.length > 0) out.push(group(`${id}/config`, 'Flannel config', config));
  const firewall = firewallNodes(ws, host, id);
  if (firewall.length > 0) out.push(group(`${id}/firewall`, 'Firewall', firewall));
  const kernel = kernelNodes(ws, host, id);
  if (kernel.length > 0) out.push(group(`${id}/kernel`, 'Kernel', kernel));
  if (host.pods.length > 0)
    out.push(
      group(
        `${id}/pods`,
        'Pods',
        host.pods.map((p) => hostNode(ws, p, `${id}/pod/${p.name}`, findings)),
      ),
    );
  // The findings come first: they are what a node row is opened for.
  const mine = findings.filter((f) => f.node === host.name && f.file === host.file);
  if (mine.length > 0)
    out.unshift(
      group(
        `${id}/findings`,
        'Findings',
        mine.map((f, i) => findingNode(ws, f, `${id}/x${i}`)),
        { expanded: mine.some((f) => f.severity !== 'info') },
      ),
    );
  return out;
}

const VERDICT_WORD = { accept: 'accepts', drop: 'drops', reject: 'rejects', uncertain: 'may drop' } as const;

/** The verdict rows: what the node's firewall does with its flannel traffic, from the one evaluator. */
function verdictNodes(ws: SnapshotWorkspace, host: HostModel, id: string): TreeNode[] {
  const view = ws.view(host);
  if (view === undefined) return [];
  return networkTraffic(view).map(({ direction, traffic, decision, cause, protocols }) =>
    leaf(
      ws,
      `${id}/fw/${direction}`,
      'config',
      `${DIRECTION_TEXT[direction]} ${VERDICT_WORD[decision]} ${traffic}`,
      cause?.loc,
      {
        description: `${cause === undefined ? '' : cause.rule === undefined ? 'policy · ' : `${cause.path.join(' → ')} · `}${protocols.join(', ')}`,
        ...(decision === 'accept'
          ? {}
          : { severity: decision === 'uncertain' ? ('info' as const) : ('error' as const) }),
      },
    ),
  );
}

function firewallNodes(ws: SnapshotWorkspace, host: HostModel, id: string): TreeNode[] {
  const out = verdictNodes(ws, host, id);
  host.netfilter.forEach((set, i) => {
    const tables = set.tables.map((t, j) => {
      const chains = t.chains.map((c, k) =>
        leaf(ws, `${id}/nf${i}/t${j}/c${k}`, 'config', c.name, c.loc, {
          description: [
            c.hook === undefined ? '' : `hook ${c.hook}${c.priority === undefined ? '' : ` ${c.priority}`}`,
            c.policy === undefined ? '' : `policy ${c.policy.toUpperCase()}`,
            `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`,
          ]
            .filter((x) => x !== '')
            .join(', '),
          children: c.rules.map((r, m) =>
            leaf(ws, `${id}/nf${i}/t${j}/c${k}/r${m}`, 'config', r.text, r.loc, {
              description: r.verdict === 'jump' || r.verdict === 'goto' ? `→ ${r.target ?? '?'}` : r.verdict,
            }),
          ),
        }),
      );
      return leaf(ws, `${id}/nf${i}/t${j}`, 'config', `${t.family} ${t.name}`, t.loc, {
        description: `${t.chains.length} chains`,
        children: chains,
      });
    });
    out.push(
      leaf(ws, `${id}/nf${i}`, 'config', set.source, set.loc, {
        description: set.partial === undefined ? `${set.tables.length} tables` : `partial: ${set.partial}`,
        children: tables,
      }),
    );
  });
  return out;
}

/** The settings and signs the kernel rules read: forwarding, bridge netfilter, offloads, counters, logs. */
function kernelNodes(ws: SnapshotWorkspace, host: HostModel, id: string): TreeNode[] {
  const k = host.kernel;
  const out: TreeNode[] = [];
  if (k.release !== undefined)
    out.push(leaf(ws, `${id}/k/release`, 'config', `kernel ${k.release.release}`, k.release.loc));
  k.sysctls.forEach((s, i) =>
    out.push(
      leaf(ws, `${id}/k/s${i}`, 'config', s.missing === true ? s.key : `${s.key} = ${s.value}`, s.loc, {
        ...(s.missing === true ? { description: 'not present' } : {}),
      }),
    ),
  );
  k.features.forEach((f, i) => {
    const checksum = f.features.filter((x) => x.name.startsWith('tx-checksum') && x.on);
    out.push(
      leaf(ws, `${id}/k/e${i}`, 'config', `ethtool -k ${f.dev}`, f.loc, {
        description:
          checksum.length === 0 ? 'no TX checksum offload' : checksum.map((x) => x.name).join(', '),
        children: f.features.map((x, j) =>
          leaf(ws, `${id}/k/e${i}/${j}`, 'config', `${x.name}: ${x.on ? 'on' : 'off'}`, x.loc, {
            ...(x.fixed ? { description: 'fixed' } : {}),
          }),
        ),
      }),
    );
  });
  k.drivers.forEach((d, i) =>
    out.push(leaf(ws, `${id}/k/d${i}`, 'config', `${d.dev ?? '?'} driver ${d.driver}`, d.loc)),
  );
  if (k.modules.length > 0)
    out.push(
      group(
        `${id}/k/modules`,
        'Modules',
        k.modules.map((m, i) => leaf(ws, `${id}/k/m${i}`, 'config', m.name, m.loc)),
      ),
    );
  k.moduleErrors.forEach((e, i) => out.push(leaf(ws, `${id}/k/me${i}`, 'config', e.message, e.loc)));
  for (const snmp of k.snmp) {
    const errors = snmp.counters.find((c) => c.name === 'InCsumErrors');
    if (errors !== undefined)
      out.push(
        leaf(
          ws,
          `${id}/k/snmp/${snmp.protocol}`,
          'config',
          `${snmp.protocol} InCsumErrors ${errors.value}`,
          snmp.loc,
        ),
      );
  }
  const logged = k.log.filter((l) => l.kind !== 'other');
  if (logged.length > 0)
    out.push(
      group(
        `${id}/k/log`,
        'Kernel log',
        logged.map((l, i) => leaf(ws, `${id}/k/l${i}`, 'config', l.text, l.loc, { description: l.kind })),
      ),
    );
  return out;
}

function findingNode(ws: SnapshotWorkspace, f: Finding, id: string): TreeNode {
  const ref = f.fix === undefined ? undefined : refOf(ws, f);
  return leaf(ws, id, 'finding', f.message, f, {
    description: `${severityWord(f)} ${f.code}`,
    // The message is one line whatever it holds; the fix keeps its one-command-a-line breaks.
    tooltip: `${escapeControls(f.message)}${f.detail === undefined ? '' : `\n\n${escapeControls(f.detail)}`}${f.fix === undefined ? '' : `\n\nFix (run on ${escapeControls(f.node)}):\n${escapeLines(f.fix)}`}`,
    severity: f.severity,
    ...(ref === undefined ? {} : { fix: ref }),
  });
}

function worst(findings: readonly { severity: Severity }[]): Severity | undefined {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return undefined;
}

/** `2 errors, 1 warning` ('' when there are none): the counts lead, a narrow sidebar cuts the end. */
function counts(errors: number, warnings: number): string {
  return [
    errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
  ]
    .filter((x) => x !== '')
    .join(', ');
}

function hostNode(ws: SnapshotWorkspace, host: HostModel, id: string, findings: Finding[]): TreeNode {
  const mine = findings.filter((f) => f.node === host.name && f.file === host.file);
  const errors = mine.filter((f) => f.severity === 'error').length;
  const warnings = mine.filter((f) => f.severity === 'warning').length;
  const subnet = ws.view(host)?.subnet?.cidr;
  const key = ws.keyOf(host.file);
  // The counts first and short: a default-width sidebar cuts the description's end.
  const node = leaf(ws, id, host.role, host.name, host.loc, {
    description: [counts(errors, warnings), subnet ?? ''].filter((x) => x !== '').join(' · '),
    tooltip: [
      `${host.role} ${host.name} — ${host.file}`,
      subnet === undefined ? '' : `pod subnet ${subnet}`,
      `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    ]
      .filter((x) => x !== '')
      .join('\n'),
    children: hostChildren(ws, host, id, findings),
    ...(key === undefined ? {} : { host: { name: host.name, key } }),
  });
  const severity = worst(mine);
  if (severity !== undefined) node.severity = severity;
  return node;
}

/**
 * What the tree shows of snapshot text (labels, descriptions, tooltips), with every control character
 * escaped (`\x1b`, `\n`, `\u202e`): a name cannot add lines or act on the display. Tooltips were built
 * from escaped parts and keep their own line breaks.
 */
function escapeShown(node: TreeNode): void {
  node.label = escapeControls(node.label);
  if (node.description !== undefined) node.description = escapeControls(node.description);
  if (node.tooltip !== undefined) node.tooltip = escapeLines(node.tooltip);
  for (const child of node.children) escapeShown(child);
}

/** Editors require ids unique in the whole tree; a repeated one (two records with one name) gets a suffix. */
function uniqueIds(node: TreeNode, seen: Set<string>): void {
  if (seen.has(node.id)) {
    let n = 2;
    while (seen.has(`${node.id}~${n}`)) n++;
    node.id = `${node.id}~${n}`;
  }
  seen.add(node.id);
  for (const child of node.children) uniqueIds(child, seen);
}

/** The whole tree: a cluster per folder of snapshots (one, when they all share a folder) with its nodes. */
export function buildTree(ws: SnapshotWorkspace, clusterName = 'Cluster'): TreeNode[] {
  const keys = ws.keys();
  if (keys.length === 0) return [];
  const { findings } = ws.analysis();
  const folders = new Map<string, TreeNode[]>();
  for (const snapshot of ws.snapshots()) {
    const hosts = folders.get(folderOf(snapshot.file)) ?? [];
    for (const node of snapshot.nodes)
      hosts.push(hostNode(ws, node, `${snapshot.file}#${node.name}`, findings));
    for (const pod of snapshot.pods)
      hosts.push(hostNode(ws, pod, `${snapshot.file}#pod:${pod.name}`, findings));
    folders.set(folderOf(snapshot.file), hosts);
  }
  const clusters: TreeNode[] = [];
  for (const [folder, hosts] of folders) {
    const mine = findings.filter((f) => folderOf(f.file) === folder);
    const errors = mine.filter((f) => f.severity === 'error').length;
    const warnings = mine.filter((f) => f.severity === 'warning').length;
    const nodes = hosts.filter((h) => h.kind === 'node').length;
    const cluster: TreeNode = {
      id: `cluster:${folder}`,
      kind: 'cluster',
      label: folders.size === 1 ? clusterName : folder === '' ? `${clusterName} (top folder)` : folder,
      description: [counts(errors, warnings), `${nodes} node${nodes === 1 ? '' : 's'}`]
        .filter((x) => x !== '')
        .join(' · '),
      tooltip: `${folder === '' ? 'top folder' : folder}: ${nodes} node${nodes === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
      children: hosts,
      cluster: folder,
      expanded: folders.size === 1,
    };
    const severity = worst(mine);
    if (severity !== undefined) cluster.severity = severity;
    uniqueIds(cluster, new Set());
    escapeShown(cluster);
    clusters.push(cluster);
  }
  return clusters;
}

/**
 * `contextValue` for `view/item/context` menus (`netsnap:route:traceable`, `netsnap:node:host`,
 * `netsnap:cluster`), matched with `=~` in `when`.
 */
export function contextValue(node: TreeNode): string {
  return [
    'netsnap',
    node.kind,
    node.trace !== undefined ? 'traceable' : '',
    node.fix !== undefined ? 'fixable' : '',
    node.host !== undefined ? 'host' : '',
  ]
    .filter((x) => x !== '')
    .join(':');
}
