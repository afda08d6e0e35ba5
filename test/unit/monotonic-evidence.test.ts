// Monotonic evidence: a snapshot with less in it never raises an alarm the full snapshot did not. Cutting
// sections out, or filtering one as a person pastes it (`cmd | grep X`: only the lines holding X are kept),
// removes evidence; every error or warning of the cut snapshot must already be a finding of the full one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../src/core';
import type { Finding } from '../../src/core/analysis/findings';
import { splitSnapshot } from '../../src/core/snapshot/split';

interface SnapshotFile {
  name: string;
  text: string;
}

interface Case {
  title: string;
  files: SnapshotFile[];
}

const root = join(__dirname, '..', '..');
const read = (dir: string, names: readonly string[]): SnapshotFile[] =>
  names.map((name) => ({ name, text: readFileSync(join(root, dir, name), 'utf8') }));
const cluster = (dir: string): Case => ({
  title: dir,
  files: read(
    dir,
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.netsnap'))
      .sort(),
  ),
});

/**
 * The parser fixtures as the sessions they were captured in: one snapshot per lab namespace, each fixture a
 * section under a prompt of that namespace running the README's command. The files captured without a
 * namespace (subnet.env, the CNI files) and the hand-made `kubectl` record join the node they describe.
 */
function parserFixtureCases(): Case[] {
  const dir = join(root, 'test', 'fixtures', 'parsers');
  const rows = readFileSync(join(dir, 'README.md'), 'utf8').matchAll(
    /^\| `([^`]+\.out)` \| ([^|]*) \| `([^`]+)`/gm,
  );
  const sessions = new Map<string, string[]>();
  for (const [, file = '', namespace = '', command = ''] of rows) {
    const ns = namespace.replace(/`/g, '').trim();
    const host =
      /^flnode\d$/.exec(file.replace(/^subnet-env--|\.out$/g, ''))?.[0] ??
      (ns === '-' || ns === 'hand-made' ? 'flnode1' : ns);
    const output = readFileSync(join(dir, file), 'utf8').replace(/\n?$/, '\n');
    const lines = sessions.get(host) ?? [];
    lines.push(`[root@${host} ~]# ${command}\n${output}`);
    sessions.set(host, lines);
  }
  return [...sessions].map(([host, sections]) => ({
    title: `parser fixtures of ${host}`,
    files: [{ name: `${host}.netsnap`, text: sections.join('') }],
  }));
}

const cases: Case[] = [
  { title: 'examples/k8snode028.netsnap', files: read('examples', ['k8snode028.netsnap']) },
  cluster('examples/cluster-healthy'),
  cluster('examples/cluster-vtep-mac-changed'),
  cluster('test/fixtures/lab/healthy-3'),
  ...parserFixtureCases(),
];

/** A section of one file: its lines (header included) and, when a prompt or header names it, its command line. */
interface SectionSpan {
  file: number;
  start: number;
  end: number;
  header?: number;
  /** Strings a `grep` of its output may look for: words of its lines and parts of them. */
  words: string[];
}

function sectionsOf(c: Case): SectionSpan[] {
  return c.files.flatMap((f, file) =>
    splitSnapshot(f.text, f.name).sections.map((s) => {
      const words = [
        ...new Set(s.lines.flatMap((l) => l.text.split(/\s+/)).filter((w) => w !== '' && !w.includes("'"))),
      ];
      const span: SectionSpan = { file, start: s.startLine, end: s.endLine, words };
      if (s.headerLine !== undefined) span.header = s.headerLine;
      return span;
    }),
  );
}

interface Cut {
  /** Indexes (into sectionsOf) of the sections left out. */
  removed: number[];
  /** A section whose output is passed through `grep needle`. */
  filtered?: { section: number; needle: string };
}

interface CutFile extends SnapshotFile {
  /** The line of the full file each line of this one was (1-based, index 0 for line 1). */
  origin: number[];
}

function applyCut(c: Case, spans: readonly SectionSpan[], cut: Cut): CutFile[] {
  return c.files.map((f, file) => {
    const lines = f.text.replace(/\n$/, '').split('\n');
    // Which section each line belongs to (-1: between sections).
    const sectionAt = new Array<number>(lines.length + 1).fill(-1);
    spans.forEach((s, i) => {
      if (s.file === file) for (let line = s.start; line <= s.end; line++) sectionAt[line] = i;
    });
    const keep: string[] = [];
    const origin: number[] = [];
    lines.forEach((text, i) => {
      const line = i + 1;
      const at = sectionAt[line] ?? -1;
      if (at !== -1 && cut.removed.includes(at)) return;
      let kept = text;
      if (at !== -1 && cut.filtered?.section === at) {
        const { needle } = cut.filtered;
        if (line === spans[at]!.header) kept = `${text} | grep '${needle}'`;
        else if (!text.includes(needle)) return;
      }
      keep.push(kept);
      origin.push(line);
    });
    return { name: f.name, text: keep.length === 0 ? '' : `${keep.join('\n')}\n`, origin };
  });
}

const serious = (f: Finding): boolean => f.severity === 'error' || f.severity === 'warning';

/**
 * A finding's identity, independent of its message (which names line numbers and whatever else the evidence
 * at hand showed): its code, its node and the line of the full snapshot it cites. The cited line is the
 * entry the finding is about (the route, the neighbour, the device), so the same alarm cites the same line.
 * Lines are compared by identity (mapped back through the cut), not text: `...` and blank lines repeat. An
 * alarm that moves to another line when its first evidence is cut counts as new: the strict side.
 */
function keyOf(f: Finding, origin: (file: string, line: number) => number): string {
  return `${f.code} ${f.node} ${f.file}:${origin(f.file, f.line)}`;
}

function describeCut(c: Case, spans: readonly SectionSpan[], cut: Cut): string {
  const name = (i: number): string => {
    const s = spans[i]!;
    const file = c.files[s.file]!;
    const header = s.header === undefined ? '(pasted output)' : file.text.split('\n')[s.header - 1];
    return `${file.name}:${s.start} ${header ?? ''}`;
  };
  const parts = cut.removed.map((i) => `without ${name(i)}`);
  if (cut.filtered !== undefined) parts.push(`${name(cut.filtered.section)} | grep '${cut.filtered.needle}'`);
  return `${c.title}: ${parts.join('; ') || 'nothing cut'}`;
}

/** The serious findings of the cut snapshot that the full one does not have, described for a failure message. */
function newAlarms(c: Case, spans: readonly SectionSpan[], full: Set<string>, cut: Cut): string[] {
  const files = applyCut(c, spans, cut);
  const byName = new Map(files.map((f) => [f.name, f]));
  const origin = (file: string, line: number): number => byName.get(file)?.origin[line - 1] ?? -1;
  const { findings } = analyze(files.map((f) => parseSnapshot(f.text, f.name)));
  return findings
    .filter(serious)
    .filter((f) => !full.has(keyOf(f, origin)))
    .map((f) => `${describeCut(c, spans, cut)} → ${f.severity} ${f.code} ${keyOf(f, origin)}: ${f.message}`);
}

function fullKeys(c: Case): Set<string> {
  const { findings } = analyze(c.files.map((f) => parseSnapshot(f.text, f.name)));
  return new Set(findings.filter(serious).map((f) => keyOf(f, (_file, line) => line)));
}

describe('monotonic evidence: less evidence never adds an alarm', () => {
  const prepared = cases.map((c) => ({ c, spans: sectionsOf(c), full: fullKeys(c) }));

  it('holds its inputs: every case has sections to cut', () => {
    for (const { c, spans } of prepared) expect(spans.length, c.title).toBeGreaterThan(0);
  });

  it('leaving out any one section of the examples and lab captures', () => {
    // Every section in turn; the parser fixtures' long sessions are left to the random cuts below.
    const captures = prepared.filter(({ c }) => !c.title.startsWith('parser fixtures'));
    const alarms = captures.flatMap(({ c, spans, full }) =>
      spans.flatMap((_s, i) => newAlarms(c, spans, full, { removed: [i] })),
    );
    expect(alarms).toEqual([]);
  });

  it('leaving out sections and filtering one through grep', () => {
    // Cases are drawn by title, so that a counterexample prints as the cut alone.
    const byTitle = new Map(prepared.map((p) => [p.c.title, p]));
    const anyCut = fc.constantFrom(...prepared).chain(({ c, spans }) => {
      const filterable = spans.flatMap((s, i) => (s.header !== undefined && s.words.length > 0 ? [i] : []));
      const filter = fc.constantFrom(...filterable).chain((section) =>
        fc.tuple(fc.constantFrom(...spans[section]!.words), fc.nat(), fc.nat()).map(([word, a, b]) => {
          // A whole word, or a part of one (at least two characters), as people grep for.
          const from = a % word.length;
          const to = Math.min(word.length, from + 2 + (b % word.length));
          return { section, needle: b % 3 === 0 ? word : word.slice(from, to) };
        }),
      );
      const removed = fc.subarray(
        spans.map((_s, i) => i),
        { maxLength: Math.max(1, Math.floor(spans.length / 2)) },
      );
      return fc
        .record({ removed, filtered: fc.option(filter, { nil: undefined }) })
        .map(({ removed, filtered }) => ({
          title: c.title,
          cut: filtered === undefined ? { removed } : { removed, filtered },
        }));
    });
    fc.assert(
      fc.property(anyCut, ({ title, cut }) => {
        const { c, spans, full } = byTitle.get(title)!;
        expect(newAlarms(c, spans, full, cut)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
