// The editor's view of the workspace's snapshots: every `.netsnap` document by key (its URI string), parsed
// once per change; the documents of one folder are analysed together as one cluster. An edit costs one parse (of the edited document) and
// one analysis (of the set); everything else (line index, hosts, peers, interface names) is derived lazily
// and cached until the next change.

import { analyze, type Analysis } from '../analysis/analyze';
import { compareFindings, type Finding } from '../analysis/findings';
import { buildPeers, type PeerIndex } from '../analysis/peers';
import { buildView, isFlannelNode, type NodeView } from '../analysis/view';
import type { Family, HostModel, Snapshot } from '../model/types';
import { lineStarts, parseSnapshotReusing, type SectionMemo } from '../snapshot/parse';

export interface WorkspaceOptions {
  /**
   * Injected for tests that count calls; by default the core's own, reusing the parser results of the
   * sections an edit did not touch.
   */
  parse?: (text: string, source: string) => Snapshot;
  analyze?: (snapshots: readonly Snapshot[]) => Analysis;
}

/** A place in a workspace document: key, 1-based line, and optionally 0-based columns. */
export interface DocLocation {
  key: string;
  line: number;
  start?: number;
  end?: number;
}

interface Entry {
  key: string;
  /** The name the snapshot is parsed under (findings' `file`): a readable, unique path. */
  source: string;
  text: string;
  snapshot: Snapshot;
  /** The sections' parser results, for the next edit to reuse where a section did not change. */
  memo?: SectionMemo;
  lineStarts?: number[];
}

/** Host names that are a workspace's own: a node, or a pod with the node it was found on. */
export interface HostRef {
  host: HostModel;
  key: string;
  /** The node a pod hangs off, when known. */
  node?: HostModel;
}

/** The folder part of a workspace-relative path (`cluster-a/flnode1.netsnap` → `cluster-a`). */
export function folderOf(source: string): string {
  const slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
  return slash === -1 ? '' : source.slice(0, slash);
}

export class SnapshotWorkspace {
  private readonly entries = new Map<string, Entry>();
  private readonly bySource = new Map<string, string>();
  private readonly parse: ((text: string, source: string) => Snapshot) | undefined;
  private readonly analyzeFn: (snapshots: readonly Snapshot[]) => Analysis;
  private cache: {
    generation: number;
    analysis?: Analysis;
    views?: NodeView[];
    peers?: PeerIndex;
    peers6?: PeerIndex;
    interfaceNames?: Set<string>;
    hosts?: HostRef[];
    scopes?: Map<string, SnapshotWorkspace>;
    folders?: Set<string>;
  } = { generation: -1 };
  /** Bumped on every change to the set; derived data carries the generation it was computed for. */
  generation = 0;

  constructor(options: WorkspaceOptions = {}) {
    this.parse = options.parse;
    this.analyzeFn = options.analyze ?? analyze;
  }

  /**
   * Adds or replaces a document. `label` is how people see it (a workspace-relative path); it becomes
   * the snapshot's file name, so it names hosts of output without a prompt. Returns false (and does
   * nothing) when the text is unchanged.
   */
  set(key: string, text: string, label: string = key): boolean {
    const old = this.entries.get(key);
    if (old !== undefined && old.text === text) return false;
    const source = old?.source ?? this.uniqueSource(label);
    if (this.parse !== undefined)
      this.entries.set(key, { key, source, text, snapshot: this.parse(text, source) });
    else {
      // An edit re-parses only the sections it touched.
      const { snapshot, memo } = parseSnapshotReusing(text, source, old?.memo);
      this.entries.set(key, { key, source, text, snapshot, memo });
    }
    this.bySource.set(source, key);
    this.generation++;
    return true;
  }

  delete(key: string): boolean {
    const old = this.entries.get(key);
    if (old === undefined) return false;
    this.entries.delete(key);
    this.bySource.delete(old.source);
    this.generation++;
    return true;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  text(key: string): string | undefined {
    return this.entries.get(key)?.text;
  }

  snapshot(key: string): Snapshot | undefined {
    return this.entries.get(key)?.snapshot;
  }

  /** The readable name a document is parsed under (findings cite it as `file`). */
  sourceOf(key: string): string | undefined {
    return this.entries.get(key)?.source;
  }

  /** The document a finding's or record's `file` refers to. */
  keyOf(source: string): string | undefined {
    return this.bySource.get(source);
  }

  /** Every snapshot, in a stable order (by source name) so that analysis is deterministic. */
  snapshots(): Snapshot[] {
    return [...this.entries.values()]
      .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
      .map((e) => e.snapshot);
  }

  private fresh(): typeof this.cache {
    if (this.cache.generation !== this.generation) this.cache = { generation: this.generation };
    return this.cache;
  }

  /**
   * The analysis of the set, run at most once per change. Each folder's snapshots are one cluster (a
   * workspace may hold several captures side by side: `monday/`, `tuesday/`, `cluster-a/`).
   */
  analysis(): Analysis {
    const cache = this.fresh();
    if (cache.analysis === undefined) {
      const clusters = new Map<string, Snapshot[]>();
      for (const snapshot of this.snapshots()) {
        const folder = folderOf(snapshot.file);
        const list = clusters.get(folder);
        if (list === undefined) clusters.set(folder, [snapshot]);
        else list.push(snapshot);
      }
      const parts = [...clusters.values()].map((set) => this.analyzeFn(set));
      cache.analysis =
        parts.length === 1 && parts[0] !== undefined
          ? parts[0]
          : {
              nodes: parts.flatMap((p) => p.nodes),
              findings: parts.flatMap((p) => p.findings).sort(compareFindings),
            };
    }
    return cache.analysis;
  }

  /**
   * The cluster a document belongs to (the documents of its folder) as a workspace of its own, sharing
   * the parsed documents: hover, trace, references and definitions answer from it, so that another
   * capture never enters a verdict. The whole workspace when it is one cluster; cached until a change.
   */
  scope(key: string): SnapshotWorkspace {
    const source = this.sourceOf(key);
    if (source === undefined) return this;
    const folder = folderOf(source);
    const cache = this.fresh();
    // Which folders the workspace holds, once per change (a hover asks on every move of the mouse).
    cache.folders ??= new Set([...this.entries.values()].map((e) => folderOf(e.source)));
    if (cache.folders.size === 1) return this;
    cache.scopes ??= new Map();
    let scoped = cache.scopes.get(folder);
    if (scoped === undefined) {
      const files = new Set<string>();
      for (const e of this.entries.values()) if (folderOf(e.source) === folder) files.add(e.source);
      // The folder's analysis is the part of the workspace's that names its files (each folder is
      // analysed on its own there already).
      scoped = new SnapshotWorkspace({
        analyze: () => {
          const all = this.analysis();
          return {
            nodes: all.nodes.filter((n) => files.has(n.file)),
            findings: all.findings.filter((f) => files.has(f.file)),
          };
        },
      });
      for (const e of this.entries.values()) {
        if (!files.has(e.source)) continue;
        scoped.entries.set(e.key, e);
        scoped.bySource.set(e.source, e.key);
      }
      cache.scopes.set(folder, scoped);
    }
    return scoped;
  }

  /** Findings in one document. */
  findingsIn(key: string): Finding[] {
    const source = this.sourceOf(key);
    return source === undefined ? [] : this.analysis().findings.filter((f) => f.file === source);
  }

  /** The flannel nodes' views (what the rules see), derived once per change. */
  views(): NodeView[] {
    const cache = this.fresh();
    cache.views ??= this.snapshots()
      .flatMap((s) => s.nodes)
      .map(buildView)
      .filter(isFlannelNode);
    return cache.views;
  }

  /** The cluster's nodes as peers of one family (IPv6: their `flannel-v6` VTEPs, subnets and public IPv6s). */
  peers(family: Family = 'inet'): PeerIndex {
    const cache = this.fresh();
    if (family === 'inet6') {
      cache.peers6 ??= buildPeers(
        this.views().flatMap((v) => (v.v6 === undefined ? [] : [v.v6])),
        this.snapshots().flatMap((s) => s.kubeNodes),
        'inet6',
      );
      return cache.peers6;
    }
    cache.peers ??= buildPeers(
      this.views(),
      this.snapshots().flatMap((s) => s.kubeNodes),
    );
    return cache.peers;
  }

  view(host: HostModel): NodeView | undefined {
    return this.views().find((v) => v.host === host);
  }

  /** Every host (nodes, their pods, and pods whose node no snapshot shows) with its document. */
  hosts(): HostRef[] {
    const cache = this.fresh();
    if (cache.hosts === undefined) {
      const out: HostRef[] = [];
      for (const entry of this.entries.values()) {
        for (const node of entry.snapshot.nodes) {
          out.push({ host: node, key: entry.key });
          for (const pod of node.pods) out.push({ host: pod, key: this.keyOf(pod.file) ?? entry.key, node });
        }
        for (const pod of entry.snapshot.pods) out.push({ host: pod, key: entry.key });
      }
      cache.hosts = out;
    }
    return cache.hosts;
  }

  /** Every interface name any snapshot lists (for recognising names no pattern knows). */
  interfaceNames(): ReadonlySet<string> {
    const cache = this.fresh();
    if (cache.interfaceNames === undefined) {
      const names = new Set<string>();
      for (const { host } of this.hosts()) {
        for (const i of host.interfaces) names.add(i.name);
        for (const b of host.bridges) {
          names.add(b.name);
          for (const p of b.ports) names.add(p.name);
        }
      }
      cache.interfaceNames = names;
    }
    return cache.interfaceNames;
  }

  /** The host (node or pod) whose section holds a line of a document. */
  hostAt(key: string, line: number): HostRef | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const inside = (h: HostModel) =>
      h.sections.some((s) => s.loc.line <= line && line <= (s.loc.endLine ?? s.loc.line));
    for (const node of entry.snapshot.nodes) {
      for (const pod of node.pods)
        if (pod.file === entry.source && inside(pod)) return { host: pod, key, node };
      if (inside(node)) return { host: node, key };
    }
    for (const pod of entry.snapshot.pods) if (inside(pod)) return { host: pod, key };
    return undefined;
  }

  /** The node (or pod) called `name`, preferring nodes. */
  findHost(name: string): HostRef | undefined {
    const hosts = this.hosts();
    return (
      hosts.find((h) => h.host.name === name && h.host.role === 'node') ??
      hosts.find((h) => h.host.name === name)
    );
  }

  /** Number of lines of a document. */
  lineCount(key: string): number {
    return this.lineStarts(key).length;
  }

  /** One line of a document as written (1-based; CR, LF and CRLF all end a line, as in the parser). */
  lineText(key: string, line: number): string {
    const entry = this.entries.get(key);
    if (entry === undefined) return '';
    const starts = this.lineStarts(key);
    const from = starts[line - 1];
    if (from === undefined) return '';
    const next = starts[line];
    let to = next === undefined ? entry.text.length : next;
    // Take the line break off the end.
    if (to > from && entry.text.charCodeAt(to - 1) === 10) to--;
    if (to > from && entry.text.charCodeAt(to - 1) === 13) to--;
    return entry.text.slice(from, to);
  }

  private lineStarts(key: string): number[] {
    const entry = this.entries.get(key);
    if (entry === undefined) return [];
    // Shared with the memo of the parse of this text, which needs them to compare sections on an edit.
    entry.lineStarts ??= entry.memo?.lines.starts() ?? lineStarts(entry.text);
    return entry.lineStarts;
  }

  private uniqueSource(label: string): string {
    if (!this.bySource.has(label)) return label;
    for (let n = 2; ; n++) {
      const candidate = /\.netsnap$/i.test(label)
        ? label.replace(/(\.netsnap)$/i, ` (${n})$1`)
        : `${label} (${n})`;
      if (!this.bySource.has(candidate)) return candidate;
    }
  }
}
