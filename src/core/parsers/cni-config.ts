// CNI network configurations: `cat /etc/cni/net.d/10-flannel.conflist` (a `plugins` list) or a single-plugin
// `.conf`. Several files printed in a row (`cat a.conf b.conflist`, `tail -n +1 /etc/cni/net.d/*` with its
// `==> file <==` headers) give one config per JSON document.

import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import type { CniConfig, CniPlugin } from '../model/types';
import {
  asRecord,
  asString,
  basename,
  isBlank,
  isElision,
  jsonValue,
  type Ledger,
  parseJsonLines,
  safeParse,
} from './common';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const READERS = new Set(['cat', 'head', 'tail', 'more', 'less', 'jq', 'bat', 'batcat']);
/** `head`/`tail` print this before each file when given several. */
const FILE_HEADER = /^==> (.+) <==\s*$/;

/** A path that names CNI network configs. */
function isCniPath(path: string): boolean {
  return /\.conflist$/.test(path) || (/(^|\/)net\.d\//.test(path) && /(\.conf|\.json|\*)$/.test(path));
}

/** `cat: PATH: No such file or directory` and the like: the file could not be read. */
function fileError(text: string): { path: string; reason: string } | undefined {
  const m =
    /^\S+: (?:cannot (?:access|open) )?['‘"]?(.+?)['’"]?(?: for reading)?: (No such file or directory|Permission denied|Is a directory|Not a directory)\s*$/.exec(
      text.trim(),
    );
  return m ? { path: m[1] ?? '', reason: m[2] ?? '' } : undefined;
}

/** The file operands of the reading command, in order; `glob` when one is an unexpanded pattern. */
function fileArgs(argv: readonly string[] | undefined): { paths: string[]; glob: boolean } {
  const paths: string[] = [];
  let glob = false;
  if (argv === undefined) return { paths, glob };
  const cmd = basename(argv[0] ?? '');
  let filterPending = cmd === 'jq';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('-') && a !== '-') {
      if ((cmd === 'head' || cmd === 'tail') && /^(-n|-c|--lines|--bytes)$/.test(a)) i++;
      else if (cmd === 'jq' && /^(--arg|--argjson|--slurpfile|--rawfile)$/.test(a)) i += 2;
      else if (cmd === 'jq' && /^(--indent|-L)$/.test(a)) i++;
      continue;
    }
    if (filterPending) {
      filterPending = false;
      continue;
    }
    if (/[*?[]/.test(a)) glob = true;
    else paths.push(a);
  }
  return { paths, glob };
}

/** How much a line opens (+) or closes (-) JSON objects and arrays, ignoring brackets inside strings. */
function depthChange(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}

/**
 * The index of the last line of the JSON document that starts at `lines[start]`: where its brackets
 * balance, or (for a broken document) before a `stop` line or before a column-0 `{`/`[` that cannot
 * continue it (the previous line does not end with `,` `[` `{` or `:`), which starts the next document.
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
    depth += depthChange(text);
    if (!isBlank(text)) {
      lastText = text.trim();
      lastIndex = i;
    }
    if (depth <= 0) return i;
  }
  return lastIndex;
}

interface Doc {
  lines: Line[];
  header?: string;
}

function lineSpan(json: ReturnType<typeof parseJsonLines>, node: JsonNode): [number, number] {
  return [json.lineOf(node.offset), json.lineOf(node.offset + Math.max(node.length - 1, 0))];
}

function readDoc(doc: Doc, path: string | undefined, ledger: Ledger): CniConfig | undefined {
  const where = path === undefined ? '' : ` in ${path}`;
  const json = parseJsonLines(doc.lines);
  const firstLine = doc.lines[0]?.line ?? 1;
  if (json.errors.length > 0) {
    const reported = new Set<number>();
    for (const error of json.errors) {
      if (reported.has(error.line)) continue;
      reported.add(error.line);
      ledger.report(error.line, `${error.message}${where}: the CNI config cannot be loaded`, 'error');
    }
    for (const l of doc.lines) if (!reported.has(l.line)) ledger.skip(l.line);
    return undefined;
  }
  const root = json.root;
  if (root === undefined || root.type !== 'object') {
    ledger.report(firstLine, `A CNI config must be a JSON object${where}`, 'error');
    for (const l of doc.lines.slice(1)) ledger.skip(l.line);
    return undefined;
  }
  const value = asRecord(jsonValue(root)) ?? {};
  const [start, end] = lineSpan(json, root);
  for (const l of doc.lines) if (l.line < start || l.line > end) ledger.skip(l.line);

  const config: CniConfig = { loc: ledger.loc(start, end), isList: false, plugins: [] };
  if (path !== undefined) config.path = path;
  const name = asString(value['name']);
  if (name !== undefined) config.name = name;
  const cniVersion = asString(value['cniVersion']);
  if (cniVersion !== undefined) config.cniVersion = cniVersion;

  if ('plugins' in value) {
    config.isList = true;
    const list = findNodeAtLocation(root, ['plugins']);
    if (list === undefined || list.type !== 'array') {
      const line = list === undefined ? start : json.lineOf(list.offset);
      ledger.report(line, `"plugins" is not an array${where}`, 'warning');
    } else {
      (list.children ?? []).forEach((child, i) => {
        if (child.type !== 'object') {
          ledger.report(json.lineOf(child.offset), `Plugin ${i + 1} is not a JSON object${where}`, 'warning');
          return;
        }
        const [pStart, pEnd] = lineSpan(json, child);
        config.plugins.push(
          plugin(asRecord(jsonValue(child)) ?? {}, ledger.loc(pStart, pEnd), ledger, where),
        );
      });
      if (config.plugins.length === 0) ledger.report(start, `The conflist has no plugins${where}`, 'warning');
    }
  } else {
    config.plugins.push(plugin(value, config.loc, ledger, where));
  }
  return config;
}

function plugin(
  config: Record<string, unknown>,
  loc: CniPlugin['loc'],
  ledger: Ledger,
  where: string,
): CniPlugin {
  const out: CniPlugin = { loc, config };
  const type = asString(config['type']);
  if (type !== undefined) out.type = type;
  else ledger.report(loc.line, `CNI plugin config without a "type"${where}`, 'warning');
  return out;
}

function parseConfigs(input: ParserInput, ledger: Ledger): void {
  const { lines } = input;
  const docs: Doc[] = [];
  const missing = new Set<string>();
  let header: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const text = line.text;
    const h = FILE_HEADER.exec(text);
    if (h) {
      header = (h[1] ?? '').trim();
      ledger.skip(line.line);
      continue;
    }
    if (isBlank(text) || isElision(text)) {
      ledger.skip(line.line);
      continue;
    }
    if (/^\s*[{[]/.test(text)) {
      const end = jsonDocumentEnd(lines, i, (l) => FILE_HEADER.test(l.text));
      const doc: Doc = { lines: lines.slice(i, end + 1) };
      if (header !== undefined) doc.header = header;
      docs.push(doc);
      i = end;
      continue;
    }
    const error = fileError(text);
    if (error) {
      missing.add(error.path);
      ledger.report(line.line, `${error.path}: ${error.reason}`, 'warning');
      continue;
    }
    if (/^\s*[}\]]/.test(text)) {
      ledger.report(
        line.line,
        `Invalid JSON: unexpected ${text.trim()[0] ?? ''} outside any CNI config`,
        'error',
      );
      continue;
    }
    ledger.unrecognized(line, 'CNI config');
  }

  const files = fileArgs(input.command?.argv);
  const positional = files.paths.filter((p) => !missing.has(p));
  const configs: CniConfig[] = [];
  docs.forEach((doc, k) => {
    let path = doc.header;
    if (path === undefined && !files.glob) {
      if (positional.length === docs.length) path = positional[k];
      else if (positional.length === 1) path = positional[0];
    }
    const config = readDoc(doc, path, ledger);
    if (config !== undefined) configs.push(config);
  });
  if (configs.length > 0) ledger.facts.cniConfigs = configs;
}

export const cniConfigParser: Parser = {
  id: 'cni-config',
  title: 'CNI network configurations (/etc/cni/net.d)',
  commands: [
    'cat /etc/cni/net.d/10-flannel.conflist',
    'cat /etc/cni/net.d/*.conf',
    'tail -n +1 /etc/cni/net.d/*',
  ],

  matchesCommand(argv: readonly string[]): boolean {
    if (!READERS.has(basename(argv[0] ?? ''))) return false;
    return argv.slice(1).some((a) => !a.startsWith('-') && isCniPath(a));
  },

  detect(lines: readonly Line[], index: number): boolean {
    const text = lines[index]?.text ?? '';
    const h = FILE_HEADER.exec(text);
    if (h) return isCniPath((h[1] ?? '').trim());
    // A top-level object (not indented: nested objects of other JSON output are).
    if (!text.startsWith('{')) return false;
    const ahead = lines
      .slice(index, index + 8)
      .map((l) => l.text)
      .join('\n');
    if (/"(apiVersion|kind)"\s*:/.test(ahead)) return false;
    return /"(cniVersion|plugins|type)"\s*:/.test(ahead);
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'CNI config', (ledger) => parseConfigs(input, ledger));
  },
};
