// Property tests: whatever text arrives, every parser returns (never throws) and accounts for every line;
// the whole pipeline does the same for whole files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/core';
import { parsers } from '../../src/core/parsers';
import { readCommand } from '../../src/core/util/shell-command';
import { cleanLines } from '../../src/core/snapshot/split';
import { uncoveredLines } from './support/accounting';

const fixtureDir = join(__dirname, '..', 'fixtures', 'parsers');
// Real lines, so that generated input reaches deep into each parser rather than stopping at line one.
const realLines = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.out'))
  .flatMap((f) => readFileSync(join(fixtureDir, f), 'utf8').split('\n'))
  .filter((l) => l.length < 400);

const token = fc.oneof(
  fc.constantFrom(
    'dev',
    'via',
    'lladdr',
    'dst',
    'master',
    'self',
    'permanent',
    'mtu',
    'inet',
    'inet6',
    'link/ether',
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    '<',
    '>',
    'FLANNEL_SUBNET=',
    '10.27.1.0/24',
    '42:32:74:de:01:01',
    'flannel.1',
    'cni0',
    '...',
    '\t',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1, max: 70000 }).map(String),
);
const mutatedRealLine = fc
  .tuple(fc.constantFrom(...realLines), fc.integer({ min: 0, max: 200 }), fc.array(token, { maxLength: 3 }))
  .map(([line, cut, extra]) => [line.slice(0, cut), ...extra].join(' '));
const anyLine = fc.oneof(
  fc.constantFrom(...realLines),
  mutatedRealLine,
  fc.array(token, { maxLength: 10 }).map((t) => t.join(' ')),
  fc.string({ maxLength: 80 }),
);
const anyText = fc.array(anyLine, { maxLength: 40 }).map((lines) => lines.join('\n'));

describe('every parser, on any text', () => {
  for (const parser of parsers) {
    it(`${parser.id} never throws and accounts for every line`, () => {
      const command = readCommand(parser.commands[0] ?? parser.id);
      fc.assert(
        fc.property(anyText, fc.boolean(), (text, withCommand) => {
          const lines = cleanLines(text);
          const input = withCommand ? { file: 'f', lines, command } : { file: 'f', lines };
          const result = parser.parse(input);
          expect(uncoveredLines(lines, result)).toEqual([]);
          // An error issue means the parser itself failed: the rules must handle any input.
          expect(result.issues.filter((i) => i.message.includes('parser failed'))).toEqual([]);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('the whole pipeline, on any text', () => {
  const prompt = fc.constantFrom('[root@n1 ~]# ', 'root@n2:~# ', '$ ', '# ', '### ', '### node ');
  const command = fc.constantFrom(
    ...parsers.flatMap((p) => p.commands),
    'cat /etc/passwd',
    'route -n | grep 10',
    'sudo docker exec x ip -j link',
  );
  const withPrompts = fc
    .tuple(
      fc.array(
        fc.oneof(
          anyLine,
          fc.tuple(prompt, command).map(([p, c]) => p + c),
        ),
        { maxLength: 60 },
      ),
      fc.constantFrom('\n', '\r\n'),
    )
    .map(([lines, eol]) => lines.join(eol));
  it('never throws, and every issue is located inside the file', () => {
    fc.assert(
      fc.property(withPrompts, (text) => {
        const snap = parseSnapshot(text, 'any.netsnap');
        for (const issue of snap.issues) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(Math.max(1, snap.lineCount));
        }
      }),
      { numRuns: 300 },
    );
  });
});
