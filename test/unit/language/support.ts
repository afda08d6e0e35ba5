// A SnapshotWorkspace over the bundled examples, keyed the way the editor keys documents (URI strings).

import { readFileSync } from 'node:fs';
import { SnapshotWorkspace, type WorkspaceOptions } from '../../../src/core/language';

export const keyOf = (path: string) => `file:///repo/${path}`;

export const CLUSTER = [1, 2, 3].map((n) => `examples/cluster-vtep-mac-changed/flnode${n}.netsnap`);
export const HEALTHY = [1, 2, 3].map((n) => `examples/cluster-healthy/flnode${n}.netsnap`);
export const K8SNODE = 'examples/k8snode028.netsnap';

export function workspaceOf(paths: readonly string[], options: WorkspaceOptions = {}): SnapshotWorkspace {
  const ws = new SnapshotWorkspace(options);
  for (const path of paths) ws.set(keyOf(path), readFileSync(path, 'utf8'), path);
  return ws;
}

/** The 0-based column of `text` on a 1-based line of a workspace document (its first occurrence). */
export function columnOf(ws: SnapshotWorkspace, path: string, line: number, text: string): number {
  const at = ws.lineText(keyOf(path), line).indexOf(text);
  if (at === -1) throw new Error(`"${text}" is not on ${path}:${line}`);
  return at;
}
