// Helpers of the kernel-side parser tests (sysctl, ethtool, uname, conntrack): parse output as the shell
// command line that printed it (pipes, `2>&1` and all, read the way a snapshot reads it), and check that
// content detection claims no other command's output.

import { readdirSync } from 'node:fs';
import { expect } from 'vitest';
import type { Parser, ParseResult } from '../../../src/core/parsers/parser';
import { readCommand } from '../../../src/core/util/shell-command';
import { expectAccounted, FIXTURE_DIR, fixtureNames, readFixture, toLines } from './parse';

/** Parses `text` as the output of the command line `cmd` (or as a raw paste), every line accounted for. */
export function parseRead(parser: Parser, text: string, cmd?: string): ParseResult {
  const lines = toLines(text);
  const file = 'f';
  const result = parser.parse(
    cmd === undefined ? { file, lines } : { file, lines, command: readCommand(cmd) },
  );
  expectAccounted(result, lines);
  return result;
}

/** No line of another parser's fixtures starts a section of `parser`. */
export function expectNoClaimOnOthers(parser: Parser): void {
  const own = new Set(fixtureNames(parser.id));
  const others = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.out') && !own.has(f));
  expect(others.length).toBeGreaterThan(0);
  for (const f of others) {
    const lines = toLines(readFixture(f));
    const claimed = lines.filter((_, i) => parser.detect(lines, i)).map((l) => `${f}:${l.line}: ${l.text}`);
    expect(claimed).toEqual([]);
  }
}
