// Golden fixtures: every `<parser-id>--<case>.out` in test/fixtures/parsers (real command output captured
// by test/lab/lab.sh) is parsed and compared with the `.json` beside it. The command that printed each
// file is in the fixtures' README table (written by lab.sh). `UPDATE_GOLDEN=1 npx vitest run
// test/unit/golden.test.ts` rewrites the expectations; review the diff before committing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parserById, parsers } from '../../src/core/parsers';
import type { ParserId } from '../../src/core/parsers/parser';
import { readCommand } from '../../src/core/util/shell-command';
import { cleanLines } from '../../src/core/snapshot/split';
import { uncoveredLines } from './support/accounting';

const dir = join(__dirname, '..', 'fixtures', 'parsers');
// README rows: | `file.out` | namespace | `command` (note) |
// README.md is written by lab.sh; README-<family>.md by the capture script of that family's fixtures.
const commands: Record<string, string> = {};
for (const readme of readdirSync(dir).filter((f) => /^README.*\.md$/.test(f))) {
  for (const row of readFileSync(join(dir, readme), 'utf8').matchAll(
    /^\| `([^`]+\.out)` \| [^|]* \| `([^`]+)`/gm,
  )) {
    commands[row[1] ?? ''] = row[2] ?? '';
  }
}
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.out'))
  .sort();

describe('golden fixtures', () => {
  it('exist for every parser', () => {
    const ids = new Set(fixtures.map((f) => f.split('--')[0]));
    for (const { id } of parsers) {
      expect(ids.has(id), `no fixture for ${id}`).toBe(true);
    }
  });

  for (const name of fixtures) {
    it(name, () => {
      const id = name.split('--')[0] as ParserId;
      const parser = parserById(id);
      expect(parser, `unknown parser id in ${name}`).toBeDefined();
      const commandText = commands[name];
      expect(commandText, `${name} has no row in README.md`).toBeDefined();
      const command = readCommand(commandText ?? '');
      expect(parser?.matchesCommand(command.argv), `${id} does not claim \`${commandText}\``).toBe(true);
      const lines = cleanLines(readFileSync(join(dir, name), 'utf8'));
      const result = parser!.parse({ file: name, lines, command });
      expect(uncoveredLines(lines, result)).toEqual([]);
      const actual = { command: commandText, ...result };
      const expectedPath = join(dir, name.replace(/\.out$/, '.json'));
      if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(expectedPath)) {
        writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    });
  }
});
