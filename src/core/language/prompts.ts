// What the editor's prompts offer, as plain data the adapter turns into quick picks: the first prompt of
// Trace to IP… (an IP typed into it is the destination, the source defaults to the active document's
// node) and the captures Compare… can pick from.

import { isIPv4 } from '../util/ip';
import { traceSources } from './reports';
import { folderOf, type SnapshotWorkspace } from './workspace';

export interface TraceSource {
  name: string;
  key: string;
}

export type TraceChoice =
  /** Trace to `ip` from `source` (or, without one, from a host picked next). */
  | { kind: 'destination'; label: string; description: string; ip: string; source?: TraceSource }
  /** Trace from this host to an IP asked next. */
  | { kind: 'source'; label: string; description: string; source: TraceSource };

/**
 * The node a trace starts from by default: the host of the cursor's line in the active document, or
 * the document's first node (a pod's own line keeps the pod: its routes are where its packets start).
 */
export function defaultTraceSource(
  ws: SnapshotWorkspace,
  key: string | undefined,
  line?: number,
): TraceSource | undefined {
  if (key === undefined || !ws.has(key)) return undefined;
  const ref = line === undefined ? undefined : ws.hostAt(key, line);
  if (ref !== undefined) return { name: ref.host.name, key: ref.key };
  const snapshot = ws.snapshot(key);
  const host = snapshot?.nodes[0] ?? snapshot?.pods[0];
  return host === undefined ? undefined : { name: host.name, key };
}

/**
 * The first prompt's rows for what has been typed: an IPv4 address becomes the destination row, first
 * (from the default source when there is one); then every host a trace may start from, the default
 * source first.
 */
export function traceChoices(
  ws: SnapshotWorkspace,
  typed: string,
  preferred: TraceSource | undefined,
): TraceChoice[] {
  const out: TraceChoice[] = [];
  const ip = typed.trim();
  if (isIPv4(ip)) {
    out.push(
      preferred === undefined
        ? { kind: 'destination', label: `Trace to ${ip}`, description: 'then pick where from', ip }
        : {
            kind: 'destination',
            label: `Trace to ${ip}`,
            description: `from ${preferred.name} (the active document's node)`,
            ip,
            source: preferred,
          },
    );
  }
  const sources = traceSources(ws).map((s): TraceChoice => ({
    kind: 'source',
    label: s.name,
    description: s.description,
    source: { name: s.name, key: s.key },
  }));
  const isPreferred = (c: TraceChoice) =>
    c.source?.name === preferred?.name && c.source?.key === preferred?.key;
  return [...out, ...sources.filter(isPreferred), ...sources.filter((c) => !isPreferred(c))];
}

export interface CaptureChoice {
  kind: 'folder' | 'file';
  /** The workspace-relative path (a folder's is '' for the workspace's top). */
  label: string;
  description: string;
  /** The documents it holds; for a file, the one. */
  keys: string[];
}

/**
 * The captures Compare… offers: every folder of snapshots (one cluster each) with its node count, then
 * every snapshot file, in path order.
 */
export function captureChoices(ws: SnapshotWorkspace): CaptureChoice[] {
  const folders = new Map<string, { keys: string[]; nodes: number }>();
  const files: CaptureChoice[] = [];
  for (const key of ws.keys()) {
    const source = ws.sourceOf(key);
    const snapshot = ws.snapshot(key);
    if (source === undefined || snapshot === undefined) continue;
    const folder = folderOf(source);
    const entry = folders.get(folder) ?? { keys: [], nodes: 0 };
    entry.keys.push(key);
    entry.nodes += snapshot.nodes.length;
    folders.set(folder, entry);
    const names = snapshot.nodes.map((n) => n.name).join(', ');
    files.push({ kind: 'file', label: source, description: names === '' ? 'no node' : names, keys: [key] });
  }
  const byLabel = (a: CaptureChoice, b: CaptureChoice) =>
    a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
  const folderChoices = [...folders].map(([folder, { keys, nodes }]): CaptureChoice => ({
    kind: 'folder',
    label: folder,
    description: `folder: ${keys.length} file${keys.length === 1 ? '' : 's'}, ${nodes} node${nodes === 1 ? '' : 's'}`,
    keys,
  }));
  return [...folderChoices.sort(byLabel), ...files.sort(byLabel)];
}
