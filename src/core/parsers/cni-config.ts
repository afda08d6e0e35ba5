// CNI network configurations: `cat /etc/cni/net.d/10-flannel.conflist` (a `plugins` list) or a single-plugin
// `.conf`. Several files printed in a row (`cat a.conf b.conflist`, `tail -n +1 /etc/cni/net.d/*` with its
// `==> file <==` headers) give one config per JSON document.

import type { CniConfig, CniPlugin } from '../model/types';
import { asRecord, asString, jsonDocumentEnd, readJson } from './json-lines';
import { basename } from '../util/argv';
import { fileError } from './output-words';
import { isBlankOrElision } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const READERS = new Set(['cat', 'head', 'tail', 'more', 'less', 'jq', 'bat', 'batcat']);
/** `head`/`tail` print this before each file when given several. */
const FILE_HEADER = /^==> (.+) <==\s*$/;

/** A path that names CNI network configs. */
function isCniPath(path: string): boolean {
  return /\.conflist$/.test(path) || (/(^|\/)net\.d\//.test(path) && /(\.conf|\.json|\*)$/.test(path));
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

interface Doc {
  lines: Line[];
  header?: string;
}

function readDoc(doc: Doc, path: string | undefined, ledger: Ledger): CniConfig | undefined {
  const where = path === undefined ? '' : ` in ${path}`;
  const json = readJson(doc.lines, 'plugins');
  const firstLine = doc.lines[0]?.line ?? 1;
  if (json.errors.length > 0) {
    const reported = new Set<number>();
    for (const error of json.errors) {
      reported.add(error.line);
      ledger.report(error.line, `${error.message}${where}: the CNI config cannot be loaded`, 'error');
    }
    for (const l of doc.lines) if (!reported.has(l.line)) ledger.skip(l.line);
    return undefined;
  }
  const value = asRecord(json.value);
  const root = json.elements[0];
  if (value === undefined || root === undefined) {
    ledger.report(firstLine, `A CNI config must be a JSON object${where}`, 'error');
    for (const l of doc.lines.slice(1)) ledger.skip(l.line);
    return undefined;
  }
  const { line: start, endLine: end } = root;
  for (const l of doc.lines) if (l.line < start || l.line > end) ledger.skip(l.line);

  const config: CniConfig = { loc: ledger.loc(start, end), isList: false, plugins: [] };
  if (path !== undefined) config.path = path;
  const name = asString(value['name']);
  if (name !== undefined) config.name = name;
  const cniVersion = asString(value['cniVersion']);
  if (cniVersion !== undefined) config.cniVersion = cniVersion;

  if ('plugins' in value) {
    config.isList = true;
    const list = value['plugins'];
    if (!Array.isArray(list)) {
      ledger.report(json.lineAt(['plugins']) ?? start, `"plugins" is not an array${where}`, 'warning');
    } else {
      list.forEach((child: unknown, i) => {
        const at = root.nested[i] ?? root;
        const pluginConfig = asRecord(child);
        if (pluginConfig === undefined) {
          ledger.report(at.line, `Plugin ${i + 1} is not a JSON object${where}`, 'warning');
          return;
        }
        config.plugins.push(plugin(pluginConfig, ledger.loc(at.line, at.endLine), ledger, where));
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
    if (isBlankOrElision(text)) {
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
