// The text form of `netsnap parse`: what an on-call engineer wants to see first about each host. Each
// record reads as it does in every other view (model/describe.ts, language/lookup.ts).

import type { HostModel, Interface, Route, Snapshot } from '../core/model/types';
import { describeFdb, describeNeighbour } from '../core/language/lookup';
import { describeInterface, describeRoute } from '../core/model/describe';
import { escapeDeep } from '../core/util/text';

const iface = (itf: Interface) => `${describeInterface(itf)}  [line ${itf.loc.line}]`;

const route = (r: Route) => `${describeRoute(r, { flags: true })}  [line ${r.loc.line}]`;

function host(out: string[], h: HostModel, indent: string): void {
  const title = h.role === 'pod' ? `pod ${h.name}` : `node ${h.name}`;
  out.push(
    `${indent}${title}  (${h.file}:${h.loc.line}, ${h.sections.length} section${h.sections.length === 1 ? '' : 's'})`,
  );
  const i2 = `${indent}  `;
  const i4 = `${indent}    `;
  if (h.gateway !== undefined)
    out.push(`${i2}gateway ${h.gateway}${h.nodeName === undefined ? '' : ` (cni0 of ${h.nodeName})`}`);
  if (h.subnetEnv !== undefined) {
    const e = h.subnetEnv;
    out.push(
      `${i2}subnet.env: network ${e.network ?? '?'} subnet ${e.subnet ?? '?'} mtu ${e.mtu ?? '?'} ipmasq ${e.ipmasq ?? '?'}  [line ${e.loc.line}]`,
    );
  }
  for (const c of h.cniConfigs) {
    out.push(
      `${i2}CNI config ${c.path ?? c.name ?? ''}: ${c.plugins.map((p) => p.type ?? '?').join(', ')}  [line ${c.loc.line}]`,
    );
  }
  if (h.cniBinaries !== undefined) out.push(`${i2}CNI plugins: ${h.cniBinaries.names.join(' ')}`);
  if (h.interfaces.length > 0) {
    out.push(`${i2}interfaces (${h.interfaces.length}):`);
    for (const itf of h.interfaces) out.push(`${i4}${iface(itf)}`);
  }
  for (const b of h.bridges) {
    out.push(
      `${i2}bridge ${b.name}${b.bridgeId === undefined ? '' : ` id ${b.bridgeId}`}: ${b.ports.length} port${b.ports.length === 1 ? '' : 's'}${b.ports.length > 0 ? ` (${b.ports.map((p) => p.name).join(', ')})` : ''}  [line ${b.loc.line}]`,
    );
  }
  if (h.routes.length > 0) {
    out.push(`${i2}routes (${h.routes.length}):`);
    for (const r of h.routes) out.push(`${i4}${route(r)}`);
  }
  if (h.neighbours.length > 0) {
    out.push(`${i2}neighbours (${h.neighbours.length}):`);
    for (const n of h.neighbours) out.push(`${i4}${describeNeighbour(n)}  [line ${n.loc.line}]`);
  }
  if (h.fdb.length > 0) {
    out.push(`${i2}FDB (${h.fdb.length}):`);
    for (const f of h.fdb) out.push(`${i4}${describeFdb(f)}  [line ${f.loc.line}]`);
  }
  if (h.netns.length > 0) out.push(`${i2}network namespaces: ${h.netns.map((n) => n.name).join(' ')}`);
  const partial = h.coverage.filter((c) => c.state === 'partial');
  const present = new Set(h.coverage.map((c) => c.domain));
  if (partial.length > 0)
    out.push(`${i2}partial: ${partial.map((c) => `${c.domain} (${c.scope ?? 'filtered'})`).join(', ')}`);
  const missing = (['routes', 'neighbours', 'fdb', 'links', 'bridges', 'subnetEnv'] as const).filter(
    (d) => !present.has(d),
  );
  if (h.role === 'node' && missing.length > 0) out.push(`${i2}not in snapshot: ${missing.join(', ')}`);
  for (const pod of h.pods) host(out, pod, i2);
}

export function formatSnapshotText(unsafe: readonly Snapshot[]): string {
  // Snapshot text reaches the terminal with every control character escaped (util/text.ts).
  const snapshots = escapeDeep(unsafe);
  const out: string[] = [];
  for (const snap of snapshots) {
    out.push(`${snap.file} (${snap.lineCount} lines)`);
    for (const node of snap.nodes) host(out, node, '  ');
    for (const pod of snap.pods) host(out, pod, '  ');
    if (snap.kubeNodes.length > 0) {
      out.push(`  kubernetes nodes (${snap.kubeNodes.length}):`);
      for (const k of snap.kubeNodes) {
        out.push(
          `    ${k.name} podCIDR ${k.podCIDR ?? '?'} ip ${k.internalIP ?? '?'} vtep ${k.annotations.backendData?.vtepMac ?? '?'}  [line ${k.loc.line}]`,
        );
      }
    }
    if (snap.issues.length > 0) {
      out.push(`  notes (${snap.issues.length}):`);
      for (const issue of snap.issues) {
        const where = issue.endLine === undefined ? `${issue.line}` : `${issue.line}-${issue.endLine}`;
        out.push(`    ${snap.file}:${where} ${issue.severity}: ${issue.message}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
