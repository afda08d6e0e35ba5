// A fixture for every finding code (test/fixtures/analysis/README.md): each case folder is one cluster cut
// from real captures, and analysing it must yield exactly the error and warning findings of its expect.json.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, FINDING_CODES, type Finding, type FindingCode, parseSnapshot } from '../../src/core';
import { MAX_MESSAGE } from '../../src/core/analysis/findings';

const ROOT = join(__dirname, '..', 'fixtures', 'analysis');
/** `bad` (the finding fires), `good` (the same data repaired), `partial` (the evidence cut: it must not fire). */
const CASE_NAME = /^(bad|good|partial)(-[a-z0-9]+(?:-[a-z0-9]+)*)?$/;

interface Expected {
  code: string;
  node: string;
  file: string;
  line: number;
}

interface Case {
  code: string;
  name: string;
  kind: 'bad' | 'good' | 'partial';
  dir: string;
}

const isDir = (path: string) => statSync(path).isDirectory();

function netsnapFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (isDir(path)) return netsnapFiles(path);
      return entry.endsWith('.netsnap') ? [path] : [];
    });
}

const codeDirs = readdirSync(ROOT)
  .filter((entry) => isDir(join(ROOT, entry)))
  .sort();
const cases: Case[] = codeDirs.flatMap((code) =>
  readdirSync(join(ROOT, code))
    .filter((name) => isDir(join(ROOT, code, name)))
    .sort()
    .map((name) => ({
      code,
      name,
      kind: (CASE_NAME.exec(name)?.[1] ?? 'bad') as Case['kind'],
      dir: join(ROOT, code, name),
    })),
);

function readExpected(c: Case): Expected[] {
  return JSON.parse(readFileSync(join(c.dir, 'expect.json'), 'utf8')) as Expected[];
}

function analyseCase(c: Case): Finding[] {
  const snapshots = netsnapFiles(c.dir).map((path) =>
    // Locations name files relative to the case folder, with forward slashes on every platform.
    parseSnapshot(readFileSync(path, 'utf8'), relative(c.dir, path).split(sep).join('/')),
  );
  return analyze(snapshots).findings;
}

const byPlace = (a: Expected, b: Expected) =>
  a.node.localeCompare(b.node) ||
  a.file.localeCompare(b.file) ||
  a.line - b.line ||
  a.code.localeCompare(b.code);

/** Error and warning findings; info ones only for an info code's own folder (unrecognized-output). */
function asserted(c: Case, findings: readonly Finding[]): Expected[] {
  const infoCode = FINDING_CODES[c.code as FindingCode] === 'info';
  return findings
    .filter((f) => f.severity !== 'info' || (infoCode && f.code === c.code))
    .map(({ code, node, file, line }) => ({ code, node, file, line }))
    .sort(byPlace);
}

describe('finding fixtures: the catalogue', () => {
  it('has a folder with a bad case for every finding code, and no folder for an unknown code', () => {
    const codes = Object.keys(FINDING_CODES).sort();
    const withBad = codeDirs.filter((code) => cases.some((c) => c.code === code && c.kind === 'bad'));
    expect(withBad).toEqual(codes);
  });

  it('names every case bad, good or partial (optionally with a -suffix), each with an expect.json', () => {
    for (const c of cases) {
      expect(c.name, `${c.code}/${c.name}`).toMatch(CASE_NAME);
      expect(netsnapFiles(c.dir).length, `${c.code}/${c.name} has .netsnap files`).toBeGreaterThan(0);
      expect(Array.isArray(readExpected(c)), `${c.code}/${c.name}/expect.json is a list`).toBe(true);
    }
  });

  it('expects the code in every bad case, nothing in a good one, and not the code in a partial one', () => {
    for (const c of cases) {
      const codes = readExpected(c).map((e) => e.code);
      const where = `${c.code}/${c.name}`;
      if (c.kind === 'bad') expect(codes, where).toContain(c.code);
      if (c.kind === 'good') expect(codes, where).toEqual([]);
      if (c.kind === 'partial') expect(codes, where).not.toContain(c.code);
      for (const code of codes) expect(Object.keys(FINDING_CODES), where).toContain(code);
    }
  });
});

describe.each(codeDirs)('finding fixtures: %s', (code) => {
  it.each(cases.filter((c) => c.code === code).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const findings = analyseCase(c);
    expect(asserted(c, findings)).toEqual([...readExpected(c)].sort(byPlace));
    // The cut captures are read in full: an unread line would mean a botched edit, not a finding.
    if (code !== 'unrecognized-output') {
      expect(findings.filter((f) => f.code === 'unrecognized-output').map((f) => f.message)).toEqual([]);
    }
  });
});

/**
 * What a message's first clause (before its first `: `) must say: a consequence for traffic, pods or the
 * node (cannot reach, drops, is cut off, a leftover…), not only which entry differs from which.
 */
const IMPACT =
  /\b(cannot|may|no|drops?|dropped|gets?|get|lose|fails?|unreachable|cut off|leftover|wrong|mixed up|unseen|unknown|stops|close to|sends|tunnels|routes|two routes|offloads)\b/i;

describe('finding fixtures: messages lead with the impact', () => {
  it.each(cases.map((c) => [`${c.code}/${c.name}`, c] as const))('%s', (_name, c) => {
    for (const f of analyseCase(c)) {
      const where = `${f.code} on ${f.node}: "${f.message}"`;
      // One line of the Problems panel, not cut off.
      expect(f.message.length, where).toBeLessThanOrEqual(MAX_MESSAGE);
      expect(f.message, where).not.toMatch(/\n/);
      // A parser's note says what the line is (binary data, a shell error); the rules say what breaks.
      if (f.code === 'unrecognized-output') continue;
      expect(f.message.split(': ')[0], where).toMatch(IMPACT);
      // The mechanism and the entries follow as the detail (the first related information).
      expect(f.detail, where).toBeDefined();
      expect(f.detail, where).not.toBe(f.message);
    }
  });
});
