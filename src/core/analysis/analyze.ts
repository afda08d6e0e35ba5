// `analyze(snapshots)`: every rule over every node, the cluster checks over the set, and a summary per
// node that says which checks could not run for lack of evidence and which command would enable them.

import type { CoverageDomain, HostModel, KubeNode, LocatedIssue, Snapshot } from '../model/types';
import { MAX_MESSAGE, collector, compareFindings, type Emit, type Finding } from './findings';
import { buildPeers } from './peers';
import { checkAnnotations, checkAsymmetry, checkClusterConfig, checkDuplicates } from './rules-cluster';
import { checkFirewall } from './rules-firewall';
import { checkKernel } from './rules-kernel';
import { checkFamily, checkNode } from './rules-node';
import { checkVxlanChain } from './rules-vxlan';
import { buildView, familyViews, isFlannelNode, type NodeView } from './view';

export interface SkippedCheck {
  /** What could not be checked. */
  check: string;
  /** The command whose full output would let it run. */
  needs: string;
}

export interface NodeSummary {
  name: string;
  file: string;
  line: number;
  role: 'node' | 'pod';
  subnet?: string;
  publicIp?: string;
  vtepMac?: string;
  vni?: number;
  /** A dual-stack or IPv6-only node's IPv6 side (`flannel-v6.<VNI>`). */
  ipv6?: { vtep: string; subnet?: string; publicIp?: string; vtepMac?: string };
  pods: string[];
  errors: number;
  warnings: number;
  infos: number;
  skipped: SkippedCheck[];
}

export interface Analysis {
  nodes: NodeSummary[];
  findings: Finding[];
}

const CHECKS: { domain: CoverageDomain; check: string; needs: string }[] = [
  { domain: 'routes', check: 'missing, stale and asymmetric routes', needs: 'route -n (or ip route)' },
  {
    domain: 'neighbours',
    check: 'missing neighbour entries and unused FDB entries',
    needs: 'ip neigh show (or arp -e) without a filter',
  },
  { domain: 'fdb', check: 'missing FDB entries', needs: 'bridge fdb show without a filter' },
  { domain: 'links', check: 'a missing VTEP device', needs: 'ip -d link' },
  { domain: 'linkDetails', check: 'VXLAN VNI, port, learning and local address', needs: 'ip -d link' },
  { domain: 'addresses', check: 'VTEP and cni0 addresses', needs: 'ip addr' },
  {
    domain: 'subnetEnv',
    check: 'subnet.env, MTU and cni0 address against flannel config',
    needs: 'cat /run/flannel/subnet.env',
  },
  { domain: 'bridges', check: 'pod veths attached to cni0', needs: 'brctl show (or bridge link show)' },
  {
    domain: 'netfilter',
    check: 'firewall verdicts on pod and VXLAN traffic (FORWARD, INPUT)',
    needs: 'iptables-save (and nft list ruleset)',
  },
];

/** Kernel settings the collector asks for by name: checked when the setting itself was listed. */
const SETTINGS: { check: string; needs: (view: NodeView) => string; listed: (view: NodeView) => boolean }[] =
  [
    {
      check: 'IP forwarding',
      needs: () => 'sysctl net.ipv4.ip_forward',
      listed: (view) => view.host.kernel.sysctls.some((s) => s.key === 'net.ipv4.ip_forward'),
    },
    {
      check: `the VTEP's checksum offload`,
      needs: (view) => `ethtool -k ${view.vtepName}`,
      listed: (view) => view.host.kernel.features.some((f) => f.dev === view.vtepName),
    },
  ];

/** The IPv6 listings a dual-stack node's IPv6 chain needs: `ip route` and `arp` show IPv4 only. */
const IPV6_CHECKS: { domain: CoverageDomain; check: string; needs: string }[] = [
  { domain: 'routes', check: 'IPv6 routes on the IPv6 VTEP', needs: 'ip -6 route' },
  {
    domain: 'neighbours',
    check: 'IPv6 neighbour entries on the IPv6 VTEP',
    needs: 'ip -6 neigh show (or ip neigh)',
  },
];

function skippedChecks(view: NodeView): SkippedCheck[] {
  const out: SkippedCheck[] = [];
  for (const c of CHECKS) {
    const cov = view.coverage.get(c.domain);
    if (cov?.state === 'complete') continue;
    // Full link details cover plain links, and `ip -d link` JSON includes addresses' absence only.
    if (c.domain === 'links' && view.coverage.get('linkDetails')?.state === 'complete') continue;
    // An IPv6-only node needs no IPv4 listing of routes or neighbours.
    if ((c.domain === 'routes' || c.domain === 'neighbours') && !familyViews(view).includes(view)) continue;
    out.push({
      check: cov === undefined ? c.check : `${c.check} (only a partial listing: ${cov.scope ?? 'filtered'})`,
      needs: c.needs,
    });
  }
  const v6 = view.v6;
  if (v6 !== undefined) {
    for (const c of IPV6_CHECKS) {
      const cov = v6.coverage.get(c.domain);
      if (cov?.state === 'complete') continue;
      out.push({
        check:
          cov === undefined ? c.check : `${c.check} (only a partial listing: ${cov.scope ?? 'filtered'})`,
        needs: c.needs,
      });
    }
  }
  for (const setting of SETTINGS) {
    if (!setting.listed(view)) out.push({ check: setting.check, needs: setting.needs(view) });
  }
  return out;
}

/** Which host of a snapshot a line belongs to: the one whose section holds it. */
function hostAt(snapshot: Snapshot, line: number): HostModel | undefined {
  const hosts = [...snapshot.nodes, ...snapshot.nodes.flatMap((n) => n.pods), ...snapshot.pods];
  return hosts.find((h) =>
    h.sections.some((s) => s.loc.line <= line && line <= (s.loc.endLine ?? s.loc.line)),
  );
}

function issueFinding(snapshot: Snapshot, issue: LocatedIssue, emit: Emit): void {
  const host = hostAt(snapshot, issue.line) ?? snapshot.nodes[0];
  const section = host?.sections.find(
    (s) => s.loc.line <= issue.line && issue.line <= (s.loc.endLine ?? s.loc.line),
  );
  const name = host?.name ?? snapshot.file.replace(/^.*\//, '').replace(/\.netsnap$/, '');
  const node = { name, file: snapshot.file };
  const where =
    issue.endLine === undefined
      ? { file: issue.file, line: issue.line }
      : { file: issue.file, line: issue.line, endLine: issue.endLine };
  // A listing cut by a filter (`cat 10-flannel.conflist | grep type`) reads as broken where the file is not:
  // what the parser could not read there is a note on the paste, not on the node.
  const severity = section?.partial === true ? 'info' : issue.severity;
  if (severity !== 'info' && section?.parser === 'cni-config')
    emit(
      'cni-config',
      node,
      where,
      `Pods on ${node.name} may not get flannel networking: its CNI config is broken`,
      { detail: issue.message },
    );
  else if (severity !== 'info' && section?.parser === 'subnet-env')
    emit(
      'subnet-env-invalid',
      node,
      where,
      `New pods on ${node.name} get no network: flannel's subnet.env cannot be read`,
      { detail: issue.message },
    );
  // A parser's own verdict on a line it could not read keeps its severity. It says what the line is
  // (binary data, a shell's error, an unknown line): the message, cut to the Problems panel's line.
  else
    emit(
      'unrecognized-output',
      node,
      where,
      issue.message.length <= MAX_MESSAGE ? issue.message : `${issue.message.slice(0, MAX_MESSAGE - 1)}…`,
      issue.message.length <= MAX_MESSAGE ? { severity } : { detail: issue.message, severity },
    );
}

/** Runs every rule over the snapshots, which together form one cluster. */
export function analyze(snapshots: readonly Snapshot[]): Analysis {
  const findings: Finding[] = [];
  const emit = collector(findings);
  const kubeNodes: KubeNode[] = snapshots.flatMap((s) => s.kubeNodes);
  const views = snapshots.flatMap((s) => s.nodes).map(buildView);
  const flannelViews = views.filter(isFlannelNode);
  // Each family is its own overlay: its own subnets, VTEPs, public IPs and peers.
  const v4Views = flannelViews.filter((v) => familyViews(v).includes(v));
  const v6Views = flannelViews.flatMap((v) => (v.v6 === undefined ? [] : [v.v6]));
  const peers = buildPeers(v4Views, kubeNodes);
  const peers6 = buildPeers(v6Views, kubeNodes, 'inet6');

  for (const view of flannelViews) {
    checkNode(view, emit);
    for (const fv of familyViews(view)) {
      const familyPeers = fv.family === 'inet6' ? peers6 : peers;
      checkFamily(fv, familyPeers, emit);
      checkVxlanChain(fv, familyPeers, emit);
    }
    checkFirewall(view, peers, emit);
    checkKernel(view, peers, emit);
  }
  for (const [familyViewsOf, familyPeers] of [
    [v4Views, peers],
    [v6Views, peers6],
  ] as const) {
    checkDuplicates(familyViewsOf, emit);
    checkClusterConfig(familyViewsOf, emit);
    checkAnnotations(familyViewsOf, kubeNodes, emit);
    checkAsymmetry(familyViewsOf, familyPeers, emit);
  }
  for (const snapshot of snapshots) for (const issue of snapshot.issues) issueFinding(snapshot, issue, emit);

  findings.sort(compareFindings);
  const counts = new Map<string, Record<'error' | 'warning' | 'info', number>>();
  for (const f of findings) {
    const key = `${f.node}\u0000${f.file}`;
    const c = counts.get(key) ?? { error: 0, warning: 0, info: 0 };
    c[f.severity]++;
    counts.set(key, c);
  }
  const nodes: NodeSummary[] = views.map((view) => {
    const mine = counts.get(`${view.name}\u0000${view.file}`) ?? { error: 0, warning: 0, info: 0 };
    const summary: NodeSummary = {
      name: view.name,
      file: view.file,
      line: view.host.loc.line,
      role: view.host.role,
      pods: view.host.pods.map((p) => p.name),
      errors: mine.error,
      warnings: mine.warning,
      infos: mine.info,
      skipped: isFlannelNode(view) ? skippedChecks(view) : [],
    };
    if (view.subnet !== undefined) summary.subnet = view.subnet.cidr;
    if (view.publicIp !== undefined) summary.publicIp = view.publicIp;
    if (view.vtepMac !== undefined) summary.vtepMac = view.vtepMac;
    if (view.vni !== undefined) summary.vni = view.vni;
    const v6 = view.v6;
    if (v6 !== undefined) {
      summary.ipv6 = { vtep: v6.vtepName };
      if (v6.subnet !== undefined) summary.ipv6.subnet = v6.subnet.cidr;
      if (v6.publicIp !== undefined) summary.ipv6.publicIp = v6.publicIp;
      if (v6.vtepMac !== undefined) summary.ipv6.vtepMac = v6.vtepMac;
    }
    return summary;
  });
  return { nodes, findings };
}
