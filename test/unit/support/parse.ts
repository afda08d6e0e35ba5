// Feeding a parser text in tests: numbered lines, command lines, the captured fixtures, and the contract that
// every line is accounted for (see accounting.ts).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Facts, ParseIssue } from '../../../src/core/model/types';
import type { CommandLine, Line, Parser, ParseResult } from '../../../src/core/parsers/parser';
import { uncoveredLines } from './accounting';

/** Where the captured outputs live: `<parser-id>--<case>.out`, each beside its `.json` golden expectation. */
export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'parsers');

/**
 * Output split into lines numbered from `first` (the line after a prompt in a real file), as a command printed
 * it: a final newline ends the last line rather than starting an empty one, and CRs are dropped.
 */
export function toLines(text: string, first = 1): Line[] {
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  return raw.map((t, i) => ({ text: t.replace(/\r$/, ''), line: first + i }));
}

/** The command that printed the output: a command line, or its words. */
export function command(cmd: string | readonly string[]): CommandLine {
  const raw = typeof cmd === 'string' ? cmd : cmd.join(' ');
  const argv = typeof cmd === 'string' ? cmd.split(/\s+/).filter((w) => w !== '') : [...cmd];
  return { raw, argv, filtered: raw.includes('|') };
}

export interface ParseOptions {
  /** The line number of the first line (1 by default). */
  first?: number;
  /** The file the records' locations name (`test.netsnap` by default). */
  file?: string;
}

/** Parses `text` as the output of `cmd` (or as a raw paste, without one). */
export function parseText(
  parser: Parser,
  text: string,
  cmd?: string | readonly string[],
  options: ParseOptions = {},
): ParseResult {
  const lines = toLines(text, options.first);
  const file = options.file ?? 'test.netsnap';
  return parser.parse(cmd === undefined ? { file, lines } : { file, lines, command: command(cmd) });
}

/** Every line is covered by a record, skipped, or reported — and no issue is an error. */
export function expectAccounted(result: ParseResult, lines: readonly Line[]): void {
  const text = new Map(lines.map((l) => [l.line, l.text]));
  expect(uncoveredLines(lines, result).map((l) => `${l}: ${text.get(l) ?? ''}`)).toEqual([]);
  expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
}

/** `parseText`, then `expectAccounted`. */
export function parseAccounted(
  parser: Parser,
  text: string,
  cmd?: string | readonly string[],
  options: ParseOptions = {},
): ParseResult {
  const result = parseText(parser, text, cmd, options);
  expectAccounted(result, toLines(text, options.first));
  return result;
}

/** The captured outputs of a parser, `<id>--<case>.out` (not the `.json` expectations beside them). */
export function fixtureNames(id: string): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.startsWith(`${id}--`) && f.endsWith('.out'))
    .sort();
}

/** A fixture's text, without the newline that ends its last line. */
export function readFixture(name: string): string {
  return readFileSync(join(FIXTURE_DIR, name), 'utf8').replace(/\n$/, '');
}

/**
 * Each captured output of `parser`, parsed as a raw paste (no command): every line accounted for, no issue
 * (but those `allowed` accepts), at least one record of `kind`, and the output detected at its first line.
 */
export function expectFixturesRead(
  parser: Parser,
  kind: keyof Facts,
  allowed: (issue: ParseIssue) => boolean = () => false,
): void {
  const files = fixtureNames(parser.id);
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const text = readFixture(f);
    const lines = toLines(text);
    const r = parser.parse({ file: f, lines });
    expect(uncoveredLines(lines, r), f).toEqual([]);
    expect(
      r.issues.filter((i) => !allowed(i)),
      f,
    ).toEqual([]);
    const records = r.facts[kind];
    expect(Array.isArray(records) ? records.length : 0, f).toBeGreaterThan(0);
    expect(parser.detect(lines, 0), f).toBe(true);
  }
}

/** `parser` claims each command of `yes` and none of `no` (given as their words). */
export function expectMatches(
  parser: Parser,
  yes: readonly (readonly string[])[],
  no: readonly (readonly string[])[],
): void {
  for (const argv of yes) expect(parser.matchesCommand(argv), argv.join(' ')).toBe(true);
  for (const argv of no) expect(parser.matchesCommand(argv), argv.join(' ')).toBe(false);
}

/** `parser.detect` claims no line of another parser's captured output (raw-paste detection must not steal it). */
export function expectDetectsNoOtherFixture(parser: Parser): void {
  const others = readdirSync(FIXTURE_DIR).filter(
    (f) => f.endsWith('.out') && !f.startsWith(`${parser.id}--`),
  );
  for (const f of others) {
    const lines = toLines(readFixture(f));
    for (let i = 0; i < lines.length; i++) expect(parser.detect(lines, i), `${f}:${i + 1}`).toBe(false);
  }
}

/** Output saying the listing could not be read (`cat: FILE: No such file or directory`): one warning, and partial. */
export function expectUnreadWarning(parser: Parser, text: string, cmd: string): void {
  const r = parseAccounted(parser, text, cmd);
  expect(
    r.issues.map((i) => i.severity),
    cmd,
  ).toEqual(['warning']);
  expect(r.partial, cmd).toBeDefined();
}
