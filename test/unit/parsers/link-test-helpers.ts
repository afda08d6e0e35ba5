// Shared by the link-family parser tests (bridge-fdb, brctl, bridge-link, ip-link, ifconfig).

import { expect } from 'vitest';
import type { SourceLocation } from '../../../src/core/model/types';
import type { CommandLine, Line, ParseResult, Parser } from '../../../src/core/parsers/parser';

/** Splits output into lines numbered from `first` (the line after a prompt in a real file). */
export function toLines(text: string, first = 1): Line[] {
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  return raw.map((t, i) => ({ text: t.replace(/\r$/, ''), line: first + i }));
}

export function command(raw: string): CommandLine {
  return { raw, argv: raw.split(/\s+/).filter((w) => w !== ''), filtered: raw.includes('|') };
}

/** Extracts the output of the `# CMD` section of a snapshot file, numbered as in the file. */
export function section(fileText: string, cmd: string): { lines: Line[]; command: CommandLine } {
  const all = toLines(fileText);
  const prompt = /^\[[^\]]+\][#$] (.*)$/;
  const start = all.findIndex((l) => prompt.exec(l.text)?.[1]?.trim() === cmd);
  if (start === -1) throw new Error(`no section ${cmd}`);
  let end = start + 1;
  while (end < all.length && !prompt.test(all[end]?.text ?? '')) end++;
  return { lines: all.slice(start + 1, end), command: command(cmd) };
}

export function run(parser: Parser, text: string, cmd?: string, first = 1): ParseResult {
  const lines = toLines(text, first);
  const result = parser.parse({
    file: 'test.netsnap',
    lines,
    ...(cmd !== undefined ? { command: command(cmd) } : {}),
  });
  expectAccounted(result, lines);
  return result;
}

/** Every line is covered by a record, skipped, or reported — and the parser never failed. */
export function expectAccounted(result: ParseResult, lines: readonly Line[]): void {
  const covered = new Set<number>();
  const cover = (loc: SourceLocation): void => {
    for (let l = loc.line; l <= (loc.endLine ?? loc.line); l++) covered.add(l);
  };
  const f = result.facts;
  for (const i of f.interfaces ?? []) {
    cover(i.loc);
    for (const a of i.addresses) cover(a.loc);
  }
  for (const b of f.bridges ?? []) {
    cover(b.loc);
    for (const p of b.ports) cover(p.loc);
  }
  for (const e of f.fdb ?? []) cover(e.loc);
  const skipped = new Set(result.skipped);
  const issues = new Set(result.issues.map((i) => i.line));
  const missing = lines.filter((l) => !covered.has(l.line) && !skipped.has(l.line) && !issues.has(l.line));
  expect(missing.map((l) => `${l.line}: ${l.text}`)).toEqual([]);
  expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
}
