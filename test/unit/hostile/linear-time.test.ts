// Hostile input, part 1: one pasted line must never freeze the editor or the CLI. Every parser (detect and
// parse, with and without its command), the splitter, the whole pipeline and the editor's tokenizer get
// adversarial lines of 1 MB (long runs of the characters their patterns are built from) and must finish each
// within a linear budget: 50 ms per 100 KB (issue 11's target), ×4 for a loaded 2-core machine. A quadratic
// pattern takes minutes on these lines, so the budget tells linear from quadratic with room to spare.
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../src/core';
import { tokensInLine } from '../../../src/core/language/tokens';
import { parsers } from '../../../src/core/parsers';
import type { Line } from '../../../src/core/parsers/parser';
import { readCommand } from '../../../src/core/util/shell-command';
import { splitSnapshot } from '../../../src/core/snapshot/split';

const SIZE = 1_000_000;
const BUDGET_MS = ((50 * SIZE) / 100_000) * 4;

const run = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

/** The runs: what prompts, addresses, MACs, YAML and JSON are made of. */
const UNITS = [
  '[',
  ']',
  '{',
  '}',
  '@',
  '[a@',
  'a@',
  ':',
  'a:',
  '0a:',
  '.',
  '1.',
  '1',
  ' ',
  '\t',
  '-',
  '- ',
  '/',
  '"',
  "'",
  ',',
  '#',
  '$ ',
  ': ',
  '? ',
  '<',
  '=',
  '\x1b[',
  '\x1b]',
  '… ',
];

/** What comes before the long run on the same line, to walk it into the patterns that read it. */
const LEADS = ['', '[root@node ', 'root@node:', 'apiVersion: v1 ', '    kind: ', 'nodes/', 'en', 'a '];

function timed(what: string, size: number, body: () => unknown): void {
  const start = performance.now();
  body();
  const ms = performance.now() - start;
  const budget = (BUDGET_MS * size) / SIZE;
  expect(ms, `${what}: ${ms.toFixed(0)} ms for ${size} characters`).toBeLessThan(budget);
}

const show = (text: string) => JSON.stringify(text.slice(0, 24));

describe('adversarial 1 MB lines run in linear time', { timeout: 120_000 }, () => {
  UNITS.forEach((unit, k) => {
    it(`runs of ${JSON.stringify(unit)}`, () => {
      const plain = run(unit);
      const led = (LEADS[k % LEADS.length] ?? '') + plain;
      // The lines alone, and inside a kubectl YAML document (the YAML reader's road).
      for (const texts of [
        [plain, led, 'x'],
        ['apiVersion: v1', 'kind: List', 'items:', plain, 'x'],
      ]) {
        const lines: Line[] = texts.map((text, i) => ({ text, line: i + 1 }));
        const size = texts.join('\n').length;
        const what = show(texts.join('\n'));
        for (const parser of parsers) {
          timed(`${parser.id} detect ${what}`, size, () => {
            for (let i = 0; i < lines.length; i++) parser.detect(lines, i);
          });
          timed(`${parser.id} parse ${what}`, size, () => parser.parse({ file: 'x.netsnap', lines }));
        }
        timed(`split ${what}`, size, () => splitSnapshot(`${texts.join('\n')}\n`, 'x.netsnap'));
      }
      for (const line of [plain, led]) timed(`tokens ${show(line)}`, line.length, () => tokensInLine(line));
    });
  });

  it('under each parser’s own command, through the whole pipeline', () => {
    for (const parser of parsers) {
      const command = parser.commands[0] ?? '';
      const read = readCommand(command);
      UNITS.forEach((unit, k) => {
        const line = (LEADS[k % LEADS.length] ?? '') + run(unit);
        const lines: Line[] = [{ text: line, line: 2 }];
        const what = `\`${command}\` ${show(line)}`;
        timed(`${parser.id} parse under ${what}`, line.length, () =>
          parser.parse({ file: 'x.netsnap', lines, command: read }),
        );
        timed(`parseSnapshot ${what}`, line.length, () =>
          parseSnapshot(`### ${command}\n${line}\n`, 'x.netsnap'),
        );
      });
    }
  });
});
