// An editor re-parses a document on every edit, reusing the parser results of the sections the edit did
// not touch (parseSnapshotReusing). The result must be exactly what a fresh parse gives, after any edit,
// and nothing downstream (the model's merging, analysis, trace, the language services) may modify a
// parser's result, since the next parse hands the same objects out again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze';
import { trace } from '../../src/core/analysis/trace';
import {
  buildTree,
  diagnosticsByDocument,
  documentSymbols,
  hoverAt,
  referencesOf,
  SnapshotWorkspace,
  tokensInLine,
} from '../../src/core/language';
import type { Snapshot } from '../../src/core/model/types';
import { parseSnapshot, parseSnapshotReusing, type SectionMemo } from '../../src/core/pipeline/parse';
// @ts-expect-error: a plain ES module of the scripts, without types
import { generateNodeSnapshot } from '../../scripts/generate-snapshot.mjs';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const EXAMPLES = [
  'examples/k8snode028.netsnap',
  'examples/cluster-vtep-mac-changed/flnode1.netsnap',
  'examples/cluster-vtep-mac-changed/flnode3.netsnap',
];

type Edit = (text: string) => string;
const lines = (text: string) => text.split('\n');
/** The text with `remove` lines at line index `at` replaced by `insert`. */
const splice = (text: string, at: number, remove: number, ...insert: string[]) => {
  const all = lines(text);
  all.splice(at, remove, ...insert);
  return all.join('\n');
};
/** Edits anywhere in a document: every kind a person makes. */
function edits(text: string): [string, Edit][] {
  const n = lines(text).length;
  const at = (f: number) => Math.floor(n * f);
  return [
    ['one character in the middle', (t) => t.slice(0, t.length >> 1) + 'x' + t.slice((t.length >> 1) + 1)],
    ['a MAC changed', (t) => t.replace(/42:32:/, '42:33:')],
    ['a line inserted', (t) => splice(t, at(0.3), 0, '10.99.0.0 0.0.0.0 255.255.0.0 U 0 0 0 eth9')],
    ['a line deleted', (t) => splice(t, at(0.6), 1)],
    ['the first line deleted', (t) => lines(t).slice(1).join('\n')],
    ['a prompt added', (t) => splice(t, at(0.5), 0, '[root@other ~]# ip -d link')],
    ['a node header on top', (t) => `### node renamed\n${t}`],
    [
      'an interface listed again',
      (t) =>
        `${t}\n[root@x ~]# ip addr\n3: flannel.1: <UP> mtu 1400\n    inet 10.9.9.0/32 scope global flannel.1\n`,
    ],
    ['everything but the first section removed', (t) => lines(t).slice(0, 12).join('\n')],
    ['emptied', () => ''],
  ];
}

const json = (s: Snapshot) => JSON.stringify(s);

function deepFreeze(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v, seen);
}

/** Freezes every parser result a memo holds: a later change to one of them throws. */
function freezeResults(memo: SectionMemo): void {
  for (const result of memo.results.values()) deepFreeze(result);
}

describe('re-parsing a document after an edit', () => {
  it('gives exactly what a fresh parse gives, whatever the edit, edit after edit', () => {
    const big = generateNodeSnapshot({ peers: 300, veths: 20 }) as string;
    // CR line ends (CRLF, and a lone CR) and colour codes, as terminals leave them.
    const crlf = read(EXAMPLES[1] ?? '')
      .replace(/\n/g, '\r\n')
      .replace('\r\n[root', '\r[root')
      .replace('flannel.1', '\u001b[01;31mflannel.1\u001b[0m');
    const documents = [
      ...EXAMPLES.map((p) => [p, read(p)] as const),
      ['CRLF', crlf] as const,
      ['generated', big] as const,
    ];
    for (const [name, text] of documents) {
      let memo = parseSnapshotReusing(text, 'doc.netsnap', undefined).memo;
      let current = text;
      for (const [what, edit] of [...edits(text), ['back to the start', () => text] as [string, Edit]]) {
        const next = edit(current);
        const reused = parseSnapshotReusing(next, 'doc.netsnap', memo);
        expect(json(reused.snapshot), `${name}: ${what}`).toBe(json(parseSnapshot(next, 'doc.netsnap')));
        memo = reused.memo;
        current = next;
      }
    }
  });

  it('reuses the sections an edit did not touch, and parses the touched one again', () => {
    const text = read(EXAMPLES[1] ?? '');
    const first = parseSnapshotReusing(text, 'doc.netsnap', undefined);
    const edited = text.replace('42:32:74:de:03:03   CM', '42:32:74:de:33:99   CM');
    const second = parseSnapshotReusing(edited, 'doc.netsnap', first.memo);
    const results = (m: SectionMemo) => [...m.results.values()];
    const before = results(first.memo);
    const after = results(second.memo);
    expect(after).toHaveLength(before.length);
    const changed = after.filter((r, i) => r !== before[i]);
    expect(changed).toHaveLength(1);
    expect(changed[0]?.facts.neighbours?.some((n) => n.mac === '42:32:74:de:33:99')).toBe(true);
    // Another document name is another document: nothing is reused.
    const renamed = parseSnapshotReusing(edited, 'other.netsnap', second.memo);
    expect(results(renamed.memo).filter((r, i) => r === after[i])).toEqual([]);
  });

  it('never modifies a parser result: the model, analysis, trace and every language service read them only', () => {
    let memo: SectionMemo | undefined;
    // Every parse of the workspace reuses the last one's results, frozen: any write to them throws.
    const ws = new SnapshotWorkspace({
      parse: (text, source) => {
        const r = parseSnapshotReusing(text, source, memo);
        freezeResults(r.memo);
        memo = r.memo;
        return r.snapshot;
      },
    });
    const text = read('examples/cluster-vtep-mac-changed/flnode1.netsnap');
    for (const version of [text, text.replace('10.27.3.0', '10.27.3.9'), text]) {
      ws.set('k', version, 'cluster/flnode1.netsnap');
      const snapshot = ws.snapshot('k');
      expect(snapshot).toBeDefined();
      analyze(ws.snapshots());
      trace(ws.snapshots(), 'flnode1', '10.27.3.2');
      diagnosticsByDocument(ws);
      buildTree(ws);
      documentSymbols(ws, 'k');
      const all = version.split('\n');
      all.forEach((line, i) => {
        for (const token of tokensInLine(line)) {
          hoverAt(ws, 'k', i + 1, token.start);
          referencesOf(ws, token);
        }
      });
      expect(json(ws.snapshot('k') as Snapshot)).toBe(
        json(parseSnapshot(version, 'cluster/flnode1.netsnap')),
      );
    }
  });
});
