// Helpers every parser uses: the ledger of skipped lines and issues, token splitting, `ip` argv reading,
// and locating elements of JSON output (`ip -j`, CNI configs, kubectl) on their lines.

import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Facts, ParseIssue, Severity, SourceLocation } from '../model/types';
import type { Line, ParseResult, ParserInput } from './parser';

/** Collects what a parser read; `result()` hands it back in the `ParseResult` shape. */
export class Ledger {
  readonly facts: Facts = {};
  private readonly skippedLines: number[] = [];
  private readonly issueList: ParseIssue[] = [];

  constructor(readonly file: string) {}

  skip(line: number): void {
    this.skippedLines.push(line);
  }

  report(line: number, message: string, severity: Severity = 'info'): void {
    this.issueList.push({ line, severity, message });
  }

  /** The standard note for a line no rule of this parser reads. */
  unrecognized(line: Line, what: string): void {
    this.report(line.line, `Unrecognized ${what} line: ${truncate(line.text.trim(), 120)}`);
  }

  loc(line: number, endLine?: number): SourceLocation {
    return endLine !== undefined && endLine !== line
      ? { file: this.file, line, endLine }
      : { file: this.file, line };
  }

  result(): ParseResult {
    return { facts: this.facts, skipped: this.skippedLines, issues: this.issueList };
  }
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Whitespace tokens of a line (spaces and tabs). */
export function tokens(text: string): string[] {
  const out = text.trim().split(/\s+/);
  return out.length === 1 && out[0] === '' ? [] : out;
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** A `...` or `…` line: the person pasting elided output here. */
export function isElision(text: string): boolean {
  return /^\s*(\.{3,}|…)\s*$/.test(text);
}

/** Runs a parse body; an unexpected exception becomes an error issue instead of escaping. */
export function safeParse(input: ParserInput, name: string, body: (ledger: Ledger) => void): ParseResult {
  const ledger = new Ledger(input.file);
  try {
    body(ledger);
  } catch (error) {
    const first = input.lines[0]?.line ?? 1;
    ledger.report(first, `${name} parser failed: ${String(error)}`, 'error');
  }
  return ledger.result();
}

export function toInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

const IP_OPTIONS_WITH_VALUE = new Set(['-n', '-netns', '-f', '-family', '-rc', '-rcvbuf', '-b', '-batch']);

/** Reads `ip [OPTIONS] OBJECT [COMMAND …]`: options before the object, the object, the rest. */
export interface IpCommand {
  options: string[];
  object: string;
  rest: string[];
}

export function readIpCommand(argv: readonly string[]): IpCommand | undefined {
  if (argv.length === 0 || basename(argv[0] ?? '') !== 'ip') return undefined;
  const options: string[] = [];
  let i = 1;
  while (i < argv.length && (argv[i] ?? '').startsWith('-')) {
    const opt = argv[i] ?? '';
    options.push(opt);
    i++;
    if (IP_OPTIONS_WITH_VALUE.has(opt) && i < argv.length) options.push(argv[i++] ?? '');
  }
  const object = argv[i];
  if (object === undefined) return undefined;
  return { options, object, rest: argv.slice(i + 1) };
}

/** Does `word` abbreviate `full` the way iproute2 accepts (`ro` → `route`)? */
export function abbreviates(word: string, full: string, minLength = 1): boolean {
  return word.length >= minLength && full.startsWith(word);
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

/** iproute2 accepts any prefix of `-json` (and `--json`). */
export function hasJsonOption(options: readonly string[]): boolean {
  return options.some((o) => /^--?j(s(on?)?)?$/.test(o) || o === '-json');
}

export interface JsonDocument {
  root: JsonNode | undefined;
  /** Parse errors, located on their lines. */
  errors: { line: number; message: string }[];
  /** The 1-based line of a node's first and last character. */
  lineOf(offset: number): number;
  /** Every line the JSON text occupies. */
  lines: number[];
}

/** Parses JSON spread over `lines`, keeping offsets so each element can be traced to its line. */
export function parseJsonLines(lines: readonly Line[]): JsonDocument {
  const starts: number[] = [];
  let text = '';
  for (const l of lines) {
    starts.push(text.length);
    text += `${l.text}\n`;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
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
  return {
    root,
    errors: errors.map((e) => ({
      line: lineOf(e.offset),
      message: `Invalid JSON: ${printParseErrorCode(e.error)}`,
    })),
    lineOf,
    lines: lines.map((l) => l.line),
  };
}

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

/** Does the text from `lines[index]` on look like a JSON value starting with `[` or `{`? */
export function startsJson(lines: readonly Line[], index: number, open: '[' | '{' | '[{'): boolean {
  const text = lines[index]?.text.trimStart() ?? '';
  return open === '[{' ? text.startsWith('[') || text.startsWith('{') : text.startsWith(open);
}
