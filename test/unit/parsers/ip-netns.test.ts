import { describe, expect, it } from 'vitest';
import { ipNetnsParser } from '../../../src/core/parsers/ip-netns';
import { uncoveredLines } from '../support/accounting';
import { fixtureNames, readFixture, toLines } from '../support/parse';

describe('ip-netns parser', () => {
  // The lab fixtures (`ip netns list`, `ip -j netns list`, with and without peer ids) are real captures;
  // the namespaces they list change with the lab, so the expectation is read from each file independently.
  const labFiles = fixtureNames('ip-netns');
  it('has lab fixtures to read', () => {
    expect(labFiles.length).toBeGreaterThan(0);
  });
  for (const name of labFiles) {
    it(`reads the lab capture ${name}`, () => {
      const text = readFixture(name);
      const lines = toLines(text);
      const result = ipNetnsParser.parse({ file: name, lines });
      expect(result.issues).toEqual([]);
      expect(uncoveredLines(lines, result)).toEqual([]);
      const expected = text.startsWith('[')
        ? (JSON.parse(text) as { name: string; id?: number }[])
        : text.split('\n').map((l) => {
            const [n, id] = l.split(' (id: ');
            return id === undefined ? { name: n } : { name: n, id: Number(id.replace(')', '')) };
          });
      expect(
        result.facts.netns?.map(({ name: n, id }) => (id === undefined ? { name: n } : { name: n, id })),
      ).toEqual(expected);
      expect(result.facts.netns?.map((n) => n.name)).toContain('flnode1');
      if (!text.startsWith('['))
        expect(result.facts.netns?.[3]).toMatchObject({ loc: { file: name, line: 4 } });
    });
  }

  it('reads ids, in text and pretty JSON', () => {
    const text = toLines(
      'cni-5f8a7e0b-2c1d-4b3e-9f00-1a2b3c4d5e6f (id: 3)\nflx (id: 0)\nplain\n\nwhat is this line',
      10,
    );
    const result = ipNetnsParser.parse({ file: 'f', lines: text });
    expect(result.facts.netns).toEqual([
      { loc: { file: 'f', line: 10 }, name: 'cni-5f8a7e0b-2c1d-4b3e-9f00-1a2b3c4d5e6f', id: 3 },
      { loc: { file: 'f', line: 11 }, name: 'flx', id: 0 },
      { loc: { file: 'f', line: 12 }, name: 'plain' },
    ]);
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([[14, 'info']]);
    expect(uncoveredLines(text, result)).toEqual([]);

    const pretty = toLines(
      '[ {\n        "name": "a",\n        "id": 1\n    },{\n        "name": "b"\n    } ]',
    );
    const p = ipNetnsParser.parse({ file: 'f', lines: pretty });
    expect(p.facts.netns).toEqual([
      { loc: { file: 'f', line: 1, endLine: 4 }, name: 'a', id: 1 },
      { loc: { file: 'f', line: 4, endLine: 6 }, name: 'b' },
    ]);
    expect(uncoveredLines(pretty, p)).toEqual([]);
  });

  it('reports malformed JSON on its line', () => {
    const lines = toLines('[{"name":"a"},\n{"name" "b"}]');
    const result = ipNetnsParser.parse({ file: 'f', lines });
    expect(result.issues.map((i) => [i.line, i.severity])).toEqual([[2, 'error']]);
    expect(uncoveredLines(lines, result)).toEqual([]);
  });

  it('matches ip netns listings only', () => {
    for (const argv of [
      ['ip', 'netns'],
      ['ip', 'netns', 'list'],
      ['ip', 'netns', 'show'],
      ['ip', 'net', 'ls'.slice(0, 1)],
      ['ip', '-j', 'netns', 'list'],
      ['/sbin/ip', 'netns', 'lst'],
    ]) {
      expect(ipNetnsParser.matchesCommand(argv), argv.join(' ')).toBe(true);
    }
    for (const argv of [
      ['ip', 'netns', 'exec', 'flnode1', 'ip', 'route'],
      ['ip', 'netns', 'add', 'x'],
      ['ip', 'netns', 'list-id'],
      ['ip', 'n'],
      ['ip', 'neigh'],
      ['ip', 'netconf'],
    ]) {
      expect(ipNetnsParser.matchesCommand(argv), argv.join(' ')).toBe(false);
    }
  });

  it('does not claim headerless text', () => {
    expect(ipNetnsParser.detect(toLines('flnode1'), 0)).toBe(false);
  });
});
