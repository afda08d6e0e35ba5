import { type Node as JsonNode, parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { directoryError, fileError, readMac } from '../../../src/core/parsers/output-words';
import { isBlank, isBlankOrElision, isElision } from '../../../src/core/util/words';
import { joinLines, readJson } from '../../../src/core/parsers/json-lines';
import { toLines } from '../support/parse';

/** What jsonc-parser says about the same text: the spans `readJson` must find without it. */
function jsoncSpans(text: string, nestedKey: string): unknown[] {
  const lines = toLines(text);
  const { lineOf } = joinLines(lines);
  const root = parseTree(joinLines(lines).text) as JsonNode;
  const span = (n: JsonNode) => ({ line: lineOf(n.offset), endLine: lineOf(n.offset + n.length - 1) });
  const elements = root.type === 'array' ? (root.children ?? []) : [root];
  return elements.map((e) => {
    const prop =
      e.type === 'object' ? e.children?.find((p) => p.children?.[0]?.value === nestedKey) : undefined;
    const inner = prop?.children?.[1];
    return { ...span(e), nested: inner?.type === 'array' ? (inner.children ?? []).map(span) : [] };
  });
}

describe('shared parser helpers', () => {
  it('isBlankOrElision agrees with isBlank || isElision', () => {
    for (const t of [
      '',
      ' ',
      '\t \t',
      '...',
      '  …  ',
      '....',
      '..',
      '.x',
      'x',
      ' x',
      '\u00a0',
      '\x01',
      '\v',
      ' \r',
    ]) {
      expect(isBlankOrElision(t), JSON.stringify(t)).toBe(isBlank(t) || isElision(t));
    }
  });

  it('readJson locates elements and nested values as jsonc-parser does, valid or not', () => {
    const docs = [
      '[ {\n  "a": 1,\n  "addr_info": [ 5,\n    { "x": "]" },\n    "s" ]\n},\n"str",\n7,\n{ "b": [1] } ]',
      '{\n  "plugins": [\n    { "type": "flannel" },\n    "bad"\n  ]\n}',
      '[ { "a": 1 },\n  { "addr_info": [ { "x": 1 } ] } ]',
    ];
    for (const doc of docs) {
      const key = doc.includes('plugins') ? 'plugins' : 'addr_info';
      const json = readJson(toLines(doc), key);
      expect(json.errors).toEqual([]);
      expect(json.elements.map(({ value: _v, ...span }) => span)).toEqual(jsoncSpans(doc, key));
      expect(json.value).toEqual(JSON.parse(doc));
    }
    const broken = readJson(toLines('[ { "a": 1 },\n  { "a" 2 },\n  { "b": 3 } ]'));
    expect(broken.errors.map((e) => e.line)).toEqual([2]);
    expect(broken.elements.map((e) => [e.line, e.value])).toEqual([
      [1, { a: 1 }],
      [2, {}],
      [3, { b: 3 }],
    ]);
    expect(readJson(toLines('{\n  "a": {\n    "b": [1, 2]\n  }\n}')).lineAt(['a', 'b', 1])).toBe(3);
  });

  it('reads MACs and file errors', () => {
    expect(readMac('42:32:74:DE:03:03')).toBe('42:32:74:de:03:03');
    expect(readMac('86:29:6f:2:69:c5')).toBe('86:29:6f:02:69:c5');
    expect(readMac('42:32:74:de:03')).toBeUndefined();
    expect(fileError('cat: /run/flannel/subnet.env: No such file or directory')).toEqual({
      path: '/run/flannel/subnet.env',
      reason: 'No such file or directory',
    });
    expect(directoryError("ls: cannot open directory '/opt/cni/bin': Permission denied")).toEqual({
      path: '/opt/cni/bin',
      reason: 'Permission denied',
    });
    expect(directoryError("ls: cannot access '/opt/cni/bin': Is a directory")).toBeUndefined();
  });
});
