// JSON output (`ip -j`, CNI configs, kubectl) read and located on its lines: plain values, documents
// split by bracket depth, elements with their line spans, tolerant reading of broken JSON.

import {
  findNodeAtLocation,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { isBlank, isElision, truncate } from '../util/words';
import type { Ledger } from './ledger';
import type { Line } from './parser';

/** The plain value of a JSON node. */
export function jsonValue(node: JsonNode | undefined): unknown {
  if (node === undefined) return undefined;
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (key && typeof key.value === 'string') out[key.value] = jsonValue(value);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((child) => jsonValue(child));
    default:
      return node.value;
  }
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Does the text from `lines[index]` on look like a JSON value starting with `[` or `{`? */
export function startsJson(lines: readonly Line[], index: number, open: '[' | '{' | '[{'): boolean {
  const text = lines[index]?.text.trimStart() ?? '';
  return open === '[{' ? text.startsWith('[') || text.startsWith('{') : text.startsWith(open);
}

/** The text of the first JSON object from `lines[index]` (a few lines at most), or undefined. */
export function firstJsonObject(lines: readonly Line[], index: number): string | undefined {
  let text = '';
  for (let i = index; i < lines.length && i < index + 16; i++) {
    text += lines[i]?.text ?? '';
    const end = text.indexOf('}');
    if (end !== -1) return text.slice(0, end + 1);
    if (text.length > 4000) break;
  }
  return undefined;
}

/** Bracket depth and an open string, carried through the characters of JSON text. */
interface BracketState {
  depth: number;
  inString: boolean;
}

/** Moves `state` through `text`: `[`/`{` open, `]`/`}` close, brackets inside strings do not count. */
function scanBrackets(text: string, state: BracketState): void {
  let { depth, inString } = state;
  for (let k = 0; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (inString) {
      if (ch === 92)
        k++; // backslash
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) depth++;
    else if (ch === 93 || ch === 125) depth--;
  }
  state.depth = depth;
  state.inString = inString;
}

/**
 * The index of the last line of the JSON document that starts at `lines[start]`: where its brackets
 * balance (counted line by line), or (for a broken document) before a `stop` line or before a column-0
 * `{`/`[` that cannot continue it (the previous line does not end with `,` `[` `{` or `:`), which starts the
 * next document.
 */
export function jsonDocumentEnd(
  lines: readonly Line[],
  start: number,
  stop?: (line: Line) => boolean,
): number {
  let depth = 0;
  let lastText = '';
  let lastIndex = start;
  for (let i = start; i < lines.length; i++) {
    const text = lines[i]?.text ?? '';
    if (i > start) {
      if (stop?.(lines[i] as Line) === true) return lastIndex;
      if (/^[{[]/.test(text) && !/[,[{:]$/.test(lastText)) return lastIndex;
    }
    const line: BracketState = { depth: 0, inString: false };
    scanBrackets(text, line);
    depth += line.depth;
    if (!isBlank(text)) {
      lastText = text.trim();
      lastIndex = i;
    }
    if (depth <= 0) return i;
  }
  return lastIndex;
}

/** Lines joined with `\n`, and the line an offset of that text falls on. */
export interface JoinedLines {
  text: string;
  lineOf(offset: number): number;
}

export function joinLines(lines: readonly Line[]): JoinedLines {
  const starts: number[] = [];
  let text = '';
  for (const l of lines) {
    starts.push(text.length);
    text += `${l.text}\n`;
  }
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lines[lo]?.line ?? 1;
  };
  return { text, lineOf };
}

/** The lines a value occupies. */
export interface JsonSpan {
  line: number;
  endLine: number;
}

/** A top-level element of a JSON document, located on its lines. */
export interface JsonElement extends JsonSpan {
  value: unknown;
  /** Where the values of the array under the `nestedKey` asked for (e.g. `addr_info`) sit, in order. */
  nested: JsonSpan[];
}

/** A JSON document read from its lines. */
export interface JsonText {
  /** The root value; when the JSON is invalid, what could be read of it. */
  value: unknown;
  /** The elements of a root array, else the root itself. */
  elements: JsonElement[];
  /** Invalid JSON: the first error on each line, in order. Empty for valid JSON. */
  errors: { line: number; message: string }[];
  /** The line where the value at `path` (from the root) starts, for reports. */
  lineAt(path: readonly (string | number)[]): number | undefined;
}

const JSONC_OPTIONS = { allowTrailingComma: false, disallowComments: true };

/**
 * Reads the JSON document spread over `lines` and locates its top-level elements (and the values of the array
 * under `nestedKey` in each) on their lines. Valid JSON takes the fast road: `JSON.parse` and one scan of the
 * text. Invalid JSON is read tolerantly by jsonc-parser, whose errors say where it breaks. `lineAt` needs
 * jsonc-parser's tree: on valid JSON it is built the first time a report asks.
 */
export function readJson(lines: readonly Line[], nestedKey?: string): JsonText {
  const joined = joinLines(lines);
  const deep = jsonTooDeep(joined.text);
  if (deep !== undefined) {
    const message = `Invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels, not read`;
    return {
      value: undefined,
      elements: [],
      errors: [{ line: joined.lineOf(deep), message }],
      lineAt: () => undefined,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(joined.text);
  } catch {
    return readJsonTolerant(joined, nestedKey);
  }
  let tree: JsonNode | undefined;
  const lineAt = (path: readonly (string | number)[]): number | undefined => {
    tree ??= parseTree(joined.text, [], JSONC_OPTIONS);
    return nodeLine(joined, tree, path);
  };
  const rootIsArray = Array.isArray(value);
  const values: unknown[] = rootIsArray ? (value as unknown[]) : [value];
  const elements: JsonElement[] = [];
  let contentLines = 0;
  let contentLine: number | undefined;
  for (const l of lines) {
    if (isBlank(l.text)) continue;
    contentLine ??= l.line;
    if (++contentLines > 1) break;
  }
  if (contentLines <= 1) {
    // Compact output (`ip -j`): every element is on the one line.
    const line = contentLine ?? lines[0]?.line ?? 1;
    for (const v of values) {
      const inner = nestedKey === undefined ? undefined : asRecord(v)?.[nestedKey];
      const nested = Array.isArray(inner) ? inner.map(() => ({ line, endLine: line })) : [];
      elements.push({ value: v, line, endLine: line, nested });
    }
    return { value, elements, errors: [], lineAt };
  }
  const spans = scanJson(joined.text, rootIsArray, nestedKey);
  values.forEach((v, i) => {
    const span = spans[i];
    if (!span) return;
    elements.push({
      value: v,
      line: joined.lineOf(span.start),
      endLine: joined.lineOf(span.end),
      nested: span.nested.map(([a, b]) => ({ line: joined.lineOf(a), endLine: joined.lineOf(b) })),
    });
  });
  return { value, elements, errors: [], lineAt };
}

function nodeLine(
  joined: JoinedLines,
  root: JsonNode | undefined,
  path: readonly (string | number)[],
): number | undefined {
  const node = root === undefined ? undefined : findNodeAtLocation(root, [...path]);
  return node === undefined ? undefined : joined.lineOf(node.offset);
}

/**
 * `ip -j`, `bridge -j`, kubectl and CNI JSON nest a few levels. Invalid JSON nested deeper is not read:
 * JSON.parse and jsonc-parser take seconds on a line of 1,000,000 `[`, and the value is read back
 * recursively (a stack overflow).
 */
const MAX_JSON_DEPTH = 256;

/** The offset where JSON `text` first opens more than MAX_JSON_DEPTH containers, if it does. */
function jsonTooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (inString) {
      if (ch === 92) k++;
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > MAX_JSON_DEPTH) return k;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return undefined;
}

/** Invalid JSON: what jsonc-parser can read of it, and its errors. */
function readJsonTolerant(joined: JoinedLines, nestedKey: string | undefined): JsonText {
  const parseErrors: ParseError[] = [];
  const root = parseTree(joined.text, parseErrors, JSONC_OPTIONS);
  const errors: { line: number; message: string }[] = [];
  const errorLines = new Set<number>();
  for (const e of parseErrors) {
    const line = joined.lineOf(e.offset);
    if (errorLines.has(line)) continue;
    errorLines.add(line);
    errors.push({ line, message: `Invalid JSON: ${printParseErrorCode(e.error)}` });
  }
  const spanOf = (node: JsonNode): JsonSpan => ({
    line: joined.lineOf(node.offset),
    endLine: joined.lineOf(node.offset + Math.max(0, node.length - 1)),
  });
  const value = jsonValue(root);
  const nodes = root === undefined ? [] : root.type === 'array' ? (root.children ?? []) : [root];
  const values: unknown[] = root?.type === 'array' ? (value as unknown[]) : [value];
  const elements = nodes.map((node, i): JsonElement => {
    const inner = nestedKey !== undefined && node.type === 'object' ? childNode(node, nestedKey) : undefined;
    const nested = inner?.type === 'array' ? (inner.children ?? []).map(spanOf) : [];
    return { value: values[i], ...spanOf(node), nested };
  });
  return { value, elements, errors, lineAt: (path) => nodeLine(joined, root, path) };
}

/** The node under `key` of an object node. */
function childNode(node: JsonNode, key: string): JsonNode | undefined {
  for (const prop of node.children ?? []) {
    const k = prop.children?.[0];
    if (k && k.value === key) return prop.children?.[1];
  }
  return undefined;
}

interface Span {
  start: number;
  end: number;
  nested: [number, number][];
}

/**
 * The offsets of the top-level elements of valid JSON text (the root itself when it is not an array), and of the
 * values in the array under `nestedKey` of each element. One pass over the characters.
 */
function scanJson(text: string, rootIsArray: boolean, nestedKey: string | undefined): Span[] {
  const spans: Span[] = [];
  const elementDepth = rootIsArray ? 1 : 0; // containers open around an element's first character
  let depth = 0;
  let current: Span | undefined;
  let lastStringIsKey = false;
  let nestedDepth = -1; // depth inside the nested array, when in one
  let nestedStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const from = i + 1;
      for (i = from; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      // A string element, at the top or in the nested array.
      if (depth === elementDepth) spans.push({ start: from - 1, end: i, nested: [] });
      else if (depth === nestedDepth) current?.nested.push([from - 1, i]);
      lastStringIsKey =
        nestedKey !== undefined &&
        depth === elementDepth + 1 &&
        i - from === nestedKey.length &&
        text.startsWith(nestedKey, from);
      continue;
    }
    if (c === 123 || c === 91) {
      if (depth === elementDepth) current = { start: i, end: i, nested: [] };
      else if (depth === nestedDepth) nestedStart = i;
      else if (c === 91 && depth === elementDepth + 1 && lastStringIsKey) nestedDepth = depth + 1;
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === elementDepth && current) {
        current.end = i;
        spans.push(current);
        current = undefined;
      } else if (depth === nestedDepth) current?.nested.push([nestedStart, i]);
      else if (c === 93 && depth === nestedDepth - 1) nestedDepth = -1;
    } else if ((depth === elementDepth || depth === nestedDepth) && c > 32 && c !== 44) {
      // A bare value (number, true, null …) at the top or in the nested array.
      const start = i;
      while (i + 1 < n && !isJsonDelimiter(text.charCodeAt(i + 1))) i++;
      if (depth === elementDepth) spans.push({ start, end: i, nested: [] });
      else current?.nested.push([start, i]);
    }
  }
  return spans;
}

function isJsonDelimiter(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c <= 32;
}

/** A JSON element that is an object. */
export interface JsonRecord extends JsonElement {
  value: Record<string, unknown>;
}

/**
 * Reads `ip -j` output: one or more JSON arrays (or objects) of records. `visit` turns each element into a
 * record and returns true, or returns a message to report at the element's first line. Lines no accepted
 * element covers (brackets, blank lines, the inside of rejected elements) are skipped; text that is not
 * JSON is reported.
 */
export function readJsonElements(
  lines: readonly Line[],
  ledger: Ledger,
  what: string,
  visit: (element: JsonRecord) => true | string,
  nestedKey?: string,
): void {
  for (const chunk of splitJsonChunks(lines, ledger, what)) {
    const json = readJson(chunk, nestedKey);
    const accounted = new Set<number>();
    for (const e of json.errors) {
      accounted.add(e.line);
      ledger.report(e.line, `${what}: ${e.message}`);
      ledger.partial('invalid JSON');
    }
    for (const element of json.elements) {
      const { line, endLine } = element;
      const value = asRecord(element.value);
      const verdict =
        value === undefined ? `not a JSON object` : visit({ value, line, endLine, nested: element.nested });
      if (verdict === true) {
        for (let l = line; l <= endLine; l++) accounted.add(l);
      } else {
        // An element that is no record may have been an entry: the listing is not complete.
        ledger.partial('JSON elements not read');
        if (!accounted.has(line)) {
          accounted.add(line);
          ledger.report(line, `${what}: ${verdict}`);
        }
      }
    }
    for (const l of chunk) if (!accounted.has(l.line)) ledger.skip(l.line);
  }
}

/** Groups lines into JSON documents by bracket depth; lines outside any document are blank or reported. */
function splitJsonChunks(lines: readonly Line[], ledger: Ledger, what: string): Line[][] {
  const chunks: Line[][] = [];
  let current: Line[] | undefined;
  const state: BracketState = { depth: 0, inString: false };
  for (const line of lines) {
    const text = line.text;
    if (current === undefined) {
      const s = text.trimStart();
      if (s === '' || isElision(text)) {
        ledger.skip(line.line);
        continue;
      }
      if (s[0] !== '[' && s[0] !== '{') {
        ledger.report(line.line, `${what}: not JSON: ${truncate(s, 100)}`);
        continue;
      }
      current = [];
      chunks.push(current);
      state.depth = 0;
      state.inString = false;
    }
    current.push(line);
    scanBrackets(text, state);
    if (state.depth <= 0 && !state.inString) current = undefined;
  }
  return chunks;
}
