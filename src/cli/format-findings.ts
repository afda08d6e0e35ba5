// The JSON form of `netsnap check` (and how any long output is written): in pieces, never held whole.

import { escapeJsonText } from '../core/util/text';

/**
 * `JSON.stringify(value, null, 2)` and a line end, as `escapeJsonText` writes it, an element of each
 * top-level array at a time: the same text, never held whole.
 */
export function* jsonChunks(value: Record<string, unknown>): Generator<string> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  // A nested value's lines get its depth's indent; JSON strings hold no raw line break, so this is exact.
  const nested = (v: unknown, indent: string) =>
    escapeJsonText(JSON.stringify(v, null, 2).replaceAll('\n', `\n${indent}`));
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i]!;
    const end = i < entries.length - 1 ? ',\n' : '\n';
    if (!Array.isArray(v) || v.length === 0) {
      yield `  ${escapeJsonText(JSON.stringify(key))}: ${nested(v, '  ')}${end}`;
      continue;
    }
    yield `  ${escapeJsonText(JSON.stringify(key))}: [\n`;
    for (let j = 0; j < v.length; j++) {
      // Array holes and undefined elements are written as null, as JSON.stringify does.
      const item: unknown = v[j] === undefined ? null : v[j];
      yield `    ${nested(item, '    ')}${j < v.length - 1 ? ',' : ''}\n`;
    }
    yield `  ]${end}`;
  }
  yield '}\n';
}

/** Writes chunks joined into pieces of about `size` characters: few writes, none of them huge. */
export function writeChunked(chunks: Iterable<string>, write: (text: string) => void, size = 1 << 16): void {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      write(pending.join(''));
      pending = [];
      length = 0;
    }
  }
  if (length > 0) write(pending.join(''));
}
