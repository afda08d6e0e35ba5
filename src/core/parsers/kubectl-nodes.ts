// `kubectl get nodes -o json|yaml` (a List of Node objects, or one Node for `kubectl get node NAME`): the
// cluster's own record of every node's pod subnet (`spec.podCIDR`), addresses and flannel annotations
// (`flannel.alpha.coreos.com/backend-data` `{"VNI":1,"VtepMAC":"…"}`, `public-ip`, `backend-type`,
// `kube-subnet-manager`). Also the `-o wide` table (names and addresses only) and `-o name`. `oc` too.

import { type Document, isCollection, isMap, isSeq, parseAllDocuments, visit, type YAMLMap } from 'yaml';
import type { FlannelAnnotations, KubeNode } from '../model/types';
import { canonicalIp, formatCidr, isIP, isIPv6, isMac, normalizeMac, parseCidr } from '../util/ip';
import {
  asNumber,
  asRecord,
  asString,
  basename,
  isBlank,
  isBlankOrElision,
  joinLines,
  jsonDocumentEnd,
  type JsonSpan,
  type Ledger,
  readJson,
  safeParse,
  tokens,
  truncate,
} from './common';
import type { Line, Parser, ParserInput, ParseResult } from './parser';

const ANNOTATION = 'flannel.alpha.coreos.com/';
const TABLE_HEADER = /^NAME\s+STATUS\b/;
const WIDE_SIGNATURE = /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\b/;
const NAME_ROW = /^nodes?\/(\S+)\s*$/;
/** `kind: Node` (after `withoutSequenceDash`): one run of blanks per gap, so linear on any line. */
const KIND_LINE = /^kind:\s*["']?(Node|NodeList|List)["']?\s*$/;

/**
 * The line without its indentation and a leading `- ` (an item of `items:`). Trimmed by hand: the
 * pattern `^\s*(- )?\s*` tries every split of a run of blanks between its two `\s*` (quadratic).
 */
function withoutSequenceDash(text: string): string {
  const t = text.trimStart();
  return t.startsWith('- ') ? t.slice(2).trimStart() : t;
}
/** What kubectl prints instead of (or besides) objects. */
const MESSAGE =
  /^(Error from server\b|error:|The connection to the server\b|Unable to connect to the server\b|No resources found\b|Warning:|[EWI]\d{4} \d\d:\d\d:\d\d)/;

/** kubectl flags that take a value in the next word. */
const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '-l',
  '--selector',
  '-o',
  '--output',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '-s',
  '--server',
  '--field-selector',
  '--sort-by',
  '--template',
  '-L',
  '--label-columns',
  '--token',
  '--as',
  '--as-group',
  '--request-timeout',
  '--chunk-size',
  '--cache-dir',
  '--certificate-authority',
  '--client-certificate',
  '--client-key',
  '--tls-server-name',
]);
const FORMATS = new Set(['json', 'yaml', 'wide', 'name']);

/** `kubectl [flags] get nodes|node NAME|nodes/NAME [-o FORMAT]`: what narrows it to some nodes (names, a selector). */
interface KubectlGetNodes {
  /** The output format ('' for the default table). */
  output: string;
  selection?: string;
}

function readKubectl(argv: readonly string[]): KubectlGetNodes | undefined {
  let words = argv;
  const head = basename(words[0] ?? '');
  if ((head === 'k3s' || head === 'microk8s' || head === 'k0s') && words[1] === 'kubectl')
    words = words.slice(1);
  const cmd = basename(words[0] ?? '');
  if (cmd !== 'kubectl' && cmd !== 'oc' && cmd !== 'microk8s.kubectl') return undefined;
  const positional: string[] = [];
  const selectors: string[] = [];
  let output = '';
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '-l' || w === '--selector' || w === '--field-selector') {
      selectors.push(`${w} ${words[++i] ?? ''}`);
    } else if (/^(-l.|--selector=|--field-selector=)/.test(w)) {
      selectors.push(w);
    } else if (w === '-o' || w === '--output') {
      output = words[++i] ?? '';
    } else if (w.startsWith('--output=')) {
      output = w.slice('--output='.length);
    } else if (w.startsWith('-o') && !w.startsWith('--')) {
      output = w.slice(2).replace(/^=/, '');
    } else if (w.startsWith('-')) {
      if (VALUE_FLAGS.has(w)) i++;
    } else {
      positional.push(w);
    }
  }
  if (positional[0] !== 'get') return undefined;
  const resource = positional[1] ?? '';
  if (!/^(nodes?|no)(\/.+)?$/.test(resource)) return undefined;
  if (positional.slice(2).some((p) => p.includes(','))) return undefined;
  if (output !== '' && !FORMATS.has(output)) return undefined;
  // `kubectl get node flnode1`, `get nodes/flnode1`, `-l role=worker`: some nodes, not the cluster.
  const names = [
    ...(resource.includes('/') ? [resource.slice(resource.indexOf('/') + 1)] : []),
    ...positional.slice(2),
  ];
  const selection = [...names, ...selectors].join(' ');
  return selection === '' ? { output } : { output, selection };
}

/** What narrows a `kubectl get nodes` to some nodes (names, a selector), or undefined for all of them. */
export function kubectlSelection(argv: readonly string[]): string | undefined {
  return readKubectl(argv)?.selection;
}

/** One Node object as read from JSON or YAML, with a way to find the line of any of its fields. */
interface NodeObject {
  value: Record<string, unknown>;
  line: number;
  endLine: number;
  lineAt(path: readonly (string | number)[]): number | undefined;
}

/** Collects the lines a parse has accounted for, so the rest can be skipped as structure. */
class Accounting {
  private readonly done = new Set<number>();
  constructor(private readonly ledger: Ledger) {}
  report(line: number, message: string, severity: 'error' | 'warning' | 'info'): void {
    this.ledger.report(line, message, severity);
    this.done.add(line);
  }
  cover(line: number, endLine: number): void {
    for (let l = line; l <= endLine; l++) this.done.add(l);
  }
  has(line: number): boolean {
    return this.done.has(line);
  }
  skipRest(lines: readonly Line[]): void {
    for (const l of lines) if (!this.done.has(l.line)) this.ledger.skip(l.line);
  }
}

function cidr(text: string): string | undefined {
  if (!text.includes('/')) return undefined;
  const c = parseCidr(text);
  return c === undefined ? undefined : formatCidr(c);
}

/** `backend-data` / `backend-v6-data`: `{"VNI":1,"VtepMAC":"…"}`. */
function backendData(
  annotations: Record<string, unknown>,
  key: 'backend-data' | 'backend-v6-data',
  at: (key: string) => number,
  acc: Accounting,
  name: string,
): { vni?: number; vtepMac?: string } | undefined {
  const data = annotations[`${ANNOTATION}${key}`];
  if (typeof data !== 'string' || data.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    acc.report(at(key), `${name}: ${key} annotation is not JSON: ${truncate(data, 80)}`, 'warning');
  }
  const record = asRecord(parsed);
  if (record === undefined) return undefined;
  const backend: { vni?: number; vtepMac?: string } = {};
  const vni = asNumber(record['VNI']);
  if (vni !== undefined) backend.vni = vni;
  const mac = asString(record['VtepMAC']);
  if (mac !== undefined && isMac(mac)) backend.vtepMac = normalizeMac(mac);
  else if (mac !== undefined) {
    acc.report(at(key), `${name}: ${key} VtepMAC ${mac} is not a MAC address`, 'warning');
  }
  return backend;
}

function readAnnotations(obj: NodeObject, acc: Accounting, name: string): FlannelAnnotations {
  const out: FlannelAnnotations = {};
  const annotations = asRecord(asRecord(obj.value['metadata'])?.['annotations']) ?? {};
  const at = (key: string): number => obj.lineAt(['metadata', 'annotations', ANNOTATION + key]) ?? obj.line;

  const v4 = backendData(annotations, 'backend-data', at, acc, name);
  if (v4 !== undefined) out.backendData = v4;
  const v6 = backendData(annotations, 'backend-v6-data', at, acc, name);
  if (v6 !== undefined) out.backendV6Data = v6;
  const type = asString(annotations[`${ANNOTATION}backend-type`]);
  if (type !== undefined) out.backendType = type;
  const publicIp = asString(annotations[`${ANNOTATION}public-ip`]);
  if (publicIp !== undefined && isIP(publicIp)) out.publicIp = canonicalIp(publicIp);
  else if (publicIp !== undefined) {
    acc.report(at('public-ip'), `${name}: public-ip annotation ${publicIp} is not an IP address`, 'warning');
  }
  const publicIpv6 = asString(annotations[`${ANNOTATION}public-ipv6`]);
  if (publicIpv6 !== undefined && isIPv6(publicIpv6)) out.publicIpv6 = canonicalIp(publicIpv6);
  else if (publicIpv6 !== undefined) {
    acc.report(
      at('public-ipv6'),
      `${name}: public-ipv6 annotation ${publicIpv6} is not an IPv6 address`,
      'warning',
    );
  }
  const ksm = annotations[`${ANNOTATION}kube-subnet-manager`];
  if (ksm === 'true' || ksm === true) out.kubeSubnetManager = true;
  else if (ksm === 'false' || ksm === false) out.kubeSubnetManager = false;
  else if (ksm !== undefined) {
    acc.report(
      at('kube-subnet-manager'),
      `${name}: kube-subnet-manager annotation is not true or false`,
      'warning',
    );
  }
  return out;
}

function readNode(obj: NodeObject, ledger: Ledger, acc: Accounting): KubeNode | undefined {
  const kind = asString(obj.value['kind']);
  if (kind !== undefined && kind !== 'Node') {
    acc.report(obj.line, `Not a Node (kind ${kind}); skipped`, 'info');
    return undefined;
  }
  const name = asString(asRecord(obj.value['metadata'])?.['name']);
  if (name === undefined) {
    acc.report(obj.line, 'Node object without metadata.name; skipped', 'warning');
    return undefined;
  }
  const node: KubeNode = { loc: ledger.loc(obj.line, obj.endLine), name, annotations: {} };
  const spec = asRecord(obj.value['spec']);
  const podCIDR = asString(spec?.['podCIDR']);
  if (podCIDR !== undefined) {
    const c = cidr(podCIDR);
    if (c !== undefined) node.podCIDR = c;
    else
      acc.report(
        obj.lineAt(['spec', 'podCIDR']) ?? obj.line,
        `${name}: podCIDR ${podCIDR} is not a CIDR`,
        'warning',
      );
  }
  const podCIDRs = spec?.['podCIDRs'];
  if (Array.isArray(podCIDRs)) {
    const list: string[] = [];
    podCIDRs.forEach((p, i) => {
      const c = typeof p === 'string' ? cidr(p) : undefined;
      if (c !== undefined) list.push(c);
      else {
        const line = obj.lineAt(['spec', 'podCIDRs', i]) ?? obj.line;
        acc.report(line, `${name}: podCIDRs entry ${String(p)} is not a CIDR`, 'warning');
      }
    });
    node.podCIDRs = list;
  }
  const addresses = asRecord(obj.value['status'])?.['addresses'];
  if (Array.isArray(addresses)) {
    for (const entry of addresses) {
      const a = asRecord(entry);
      const type = asString(a?.['type']);
      const address = asString(a?.['address']);
      if (address === undefined) continue;
      if (type === 'InternalIP' && isIPv6(address)) node.internalIPv6 ??= canonicalIp(address);
      else if (type === 'InternalIP' && node.internalIP === undefined) node.internalIP = address;
      if (type === 'ExternalIP' && node.externalIP === undefined) node.externalIP = address;
    }
  }
  node.annotations = readAnnotations(obj, acc, name);
  acc.cover(obj.line, obj.endLine);
  return node;
}

/** The objects of a List (`items`), or the object itself when it is a single Node. */
function listItems<T>(kind: string | undefined, items: T[] | undefined, self: T): T[] | undefined {
  if (items !== undefined) return items;
  if (kind === 'Node') return [self];
  return undefined;
}

/** A Node object in JSON output: its value, its lines, and where it sits in the document. */
interface JsonObject {
  value: unknown;
  span: JsonSpan;
  path: (string | number)[];
}

function readJsonDoc(lines: readonly Line[], ledger: Ledger, nodes: KubeNode[]): void {
  const acc = new Accounting(ledger);
  const json = readJson(lines, 'items');
  const errorLines = new Set<number>();
  for (const error of json.errors) {
    errorLines.add(error.line);
    acc.report(error.line, error.message, 'error');
  }
  const root = asRecord(json.value);
  const rootSpan = json.elements[0];
  const first = lines[0]?.line ?? 1;
  if (root === undefined || rootSpan === undefined) {
    if (errorLines.size === 0) acc.report(first, 'kubectl JSON output is not an object', 'error');
    acc.skipRest(lines);
    return;
  }
  const kind = asString(root['kind']);
  const items = root['items'];
  const objects = listItems<JsonObject>(
    kind,
    Array.isArray(items)
      ? items.map((value: unknown, i) => ({
          value,
          span: rootSpan.nested[i] ?? rootSpan,
          path: ['items', i],
        }))
      : undefined,
    { value: root, span: rootSpan, path: [] },
  );
  if (objects === undefined) {
    acc.report(
      first,
      `Not a Node or a List of nodes${kind === undefined ? '' : ` (kind ${kind})`}`,
      'warning',
    );
  }
  for (const item of objects ?? []) {
    const { line, endLine } = item.span;
    const value = asRecord(item.value);
    if (value === undefined) {
      acc.report(line, 'List item is not an object', 'warning');
      continue;
    }
    if ([...errorLines].some((l) => l >= line && l <= endLine)) continue; // broken: the errors say where
    const lineAt = (path: readonly (string | number)[]): number | undefined =>
      json.lineAt([...item.path, ...path]);
    const node = readNode({ value, line, endLine, lineAt }, ledger, acc);
    if (node !== undefined) nodes.push(node);
  }
  acc.skipRest(lines);
}

function readJsonDocs(lines: readonly Line[], ledger: Ledger, nodes: KubeNode[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (isBlankOrElision(line.text)) {
      ledger.skip(line.line);
      continue;
    }
    if (!/^\s*\{/.test(line.text)) {
      ledger.unrecognized(line, 'kubectl JSON');
      continue;
    }
    const end = jsonDocumentEnd(lines, i);
    readJsonDoc(lines.slice(i, end + 1), ledger, nodes);
    i = end;
  }
}

/**
 * Limits on what is handed to the YAML library. kubectl's YAML nests about ten levels and has a token or
 * two per line. The library's composer recurses once per level (a line of 30,000 `[` exhausts the stack,
 * and V8 then aborts the whole process, a fatal "RegExpCompiler Allocation failed" no `catch` stops), and
 * it spends tens of microseconds on every token it rejects (a 100 KB line of `]` took 4.6 s).
 */
const MAX_YAML_DEPTH = 64;
const MAX_YAML_TOKENS_PER_LINE = 256;

/** Is `c` a space, a tab, a line end, or past the end (NaN)? What must follow a `-`, `?` or `:` indicator. */
function endsIndicator(c: number): boolean {
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10;
}

/**
 * Why YAML `text` is not handed to the library, and the offset of the line that says so: nested deeper
 * than MAX_YAML_DEPTH (block indentation, compact `- `/`? ` items and open flow brackets, an upper bound)
 * or a line with more than MAX_YAML_TOKENS_PER_LINE indicators and quoted scalars. One pass over the
 * characters; the content of quoted and block (`|`, `>`) scalars is passed over.
 */
function yamlBeyondLimits(text: string): { offset: number; reason: string } | undefined {
  const indents: number[] = [];
  const n = text.length;
  let flow = 0;
  let quote = 0; // the open quote character, or 0
  let blockIndent = -1; // inside a block scalar: the indentation of the line that opened it
  let i = 0;
  while (i < n) {
    const lineStart = i;
    if (quote === 0 && flow === 0) {
      while (i < n && text.charCodeAt(i) === 32) i++;
      const c = text.charCodeAt(i);
      const column = i - lineStart;
      if (c === 10 || i >= n || (blockIndent >= 0 && column > blockIndent) || c === 35 /* # */) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end + 1;
        continue;
      }
      blockIndent = -1;
      while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= column) indents.pop();
      indents.push(column);
    }
    let compact = 0;
    let tokens = 0;
    let nodeStart = true; // a quote or bracket here begins a node (not the middle of a plain scalar)
    let afterQuote = false; // the lexer reads a quote right after a quoted scalar as another one
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        i++;
        break;
      }
      if (quote !== 0) {
        if (c === 92 && quote === 34) i++;
        else if (c === quote) {
          quote = 0;
          nodeStart = false;
          afterQuote = true;
        }
        continue;
      }
      if (c === 32 || c === 9) continue;
      const next = text.charCodeAt(i + 1);
      if (c === 35 && endsIndicator(text.charCodeAt(i - 1))) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end;
        continue;
      }
      tokens++;
      if ((c === 45 || c === 63) && nodeStart && flow === 0 && endsIndicator(next)) compact++;
      else if (c === 58 && endsIndicator(next)) nodeStart = true;
      else if (c === 44 && flow > 0) nodeStart = true;
      else if ((c === 34 || c === 39) && (nodeStart || afterQuote)) quote = c;
      else if ((c === 124 || c === 62) && nodeStart && flow === 0) {
        // `|` / `>`: the lines below, more indented than this one, are the scalar's text.
        blockIndent = indents[indents.length - 1] ?? 0;
        nodeStart = false;
      } else if ((c === 91 || c === 123) && (nodeStart || flow > 0)) {
        flow++;
        nodeStart = true;
      } else if ((c === 93 || c === 125) && flow > 0) {
        flow--;
        nodeStart = false;
      } else if (c === 93 || c === 125) {
        nodeStart = false; // a stray closer: one error token each
      } else {
        tokens--; // the middle of a plain scalar
        nodeStart = false;
      }
      afterQuote = false;
      if (indents.length + compact + flow > MAX_YAML_DEPTH)
        return { offset: lineStart, reason: `nested deeper than ${MAX_YAML_DEPTH} levels` };
      if (tokens > MAX_YAML_TOKENS_PER_LINE)
        return { offset: lineStart, reason: `more than ${MAX_YAML_TOKENS_PER_LINE} YAML tokens on one line` };
    }
  }
  return undefined;
}

function readYaml(lines: readonly Line[], ledger: Ledger, nodes: KubeNode[]): void {
  const acc = new Accounting(ledger);
  const { text, lineOf } = joinLines(lines);
  const beyond = yamlBeyondLimits(text);
  if (beyond !== undefined) {
    acc.report(lineOf(beyond.offset), `Not kubectl's YAML (${beyond.reason}): not read`, 'error');
    acc.skipRest(lines);
    return;
  }
  /** The line of the last visible character before `end`. */
  const lastLineBefore = (start: number, end: number): number => {
    let i = Math.min(end, text.length) - 1;
    while (i > start && /\s/.test(text[i] ?? '')) i--;
    return lineOf(Math.max(i, start));
  };

  // logLevel 'error': the library would print its warnings on the process's stderr (the CLI's, the
  // extension host's); they become located notes instead.
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  for (const doc of docs as Document.Parsed[]) {
    const errorLines = new Set<number>();
    for (const error of doc.errors) {
      const line = lineOf(error.pos[0]);
      if (errorLines.has(line)) continue;
      errorLines.add(line);
      acc.report(line, `Invalid YAML: ${truncate(error.message.split('\n')[0] ?? '', 160)}`, 'error');
    }
    for (const warning of doc.warnings) {
      acc.report(
        lineOf(warning.pos[0]),
        `YAML: ${truncate(warning.message.split('\n')[0] ?? '', 160)}`,
        'info',
      );
    }
    // What toJS would warn about: a key that is itself a mapping or a list becomes its text.
    visit(doc, {
      Pair(_, pair) {
        const key = pair.key;
        if (isCollection(key) && key.range != null)
          acc.report(
            lineOf(key.range[0]),
            'YAML: a mapping key that is a collection is read as text',
            'info',
          );
      },
    });
    const contents = doc.contents;
    if (contents === null) continue;
    const start = contents.range[0];
    if (!isMap(contents)) {
      if (errorLines.size === 0) acc.report(lineOf(start), 'kubectl YAML output is not a mapping', 'warning');
      continue;
    }
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      acc.report(lineOf(start), `Invalid YAML: ${String(error)}`, 'error');
      continue;
    }
    const root = asRecord(js) ?? {};
    const kind = asString(root['kind']);
    const itemsNode = contents.get('items', true);
    const jsItems = Array.isArray(root['items']) ? (root['items'] as unknown[]) : [];
    const pairs: [unknown, unknown][] | undefined = isSeq(itemsNode)
      ? itemsNode.items.map((n, i) => [n, jsItems[i]])
      : undefined;
    const objects = listItems(kind, pairs, [contents, root]);
    if (objects === undefined) {
      acc.report(
        lineOf(start),
        `Not a Node or a List of nodes${kind === undefined ? '' : ` (kind ${kind})`}`,
        'warning',
      );
      continue;
    }
    for (const [item, value] of objects) {
      if (!isMap(item) || item.range == null) continue;
      const map = item as YAMLMap;
      const range = item.range;
      const line = lineOf(range[0]);
      const endLine = lastLineBefore(range[0], range[1]);
      if ([...errorLines].some((l) => l >= line && l <= endLine)) continue;
      const lineAt = (path: readonly (string | number)[]): number | undefined => {
        const n: unknown = map.getIn(path, true);
        const r = (n as { range?: [number, number, number] | null } | undefined)?.range;
        return r == null ? undefined : lineOf(r[0]);
      };
      const node = readNode({ value: asRecord(value) ?? {}, line, endLine, lineAt }, ledger, acc);
      if (node !== undefined) nodes.push(node);
    }
  }
  acc.skipRest(lines);
}

function readTable(lines: readonly Line[], ledger: Ledger, nodes: KubeNode[]): void {
  let columns: string[] | undefined;
  for (const line of lines) {
    const text = line.text;
    if (isBlankOrElision(text)) {
      ledger.skip(line.line);
      continue;
    }
    if (TABLE_HEADER.test(text)) {
      columns = tokens(text);
      ledger.skip(line.line);
      continue;
    }
    const cells = tokens(text);
    if (columns === undefined) {
      ledger.unrecognized(line, 'kubectl get nodes');
      continue;
    }
    const internal = columns.indexOf('INTERNAL-IP');
    const external = columns.indexOf('EXTERNAL-IP');
    // The columns up to EXTERNAL-IP never hold spaces (OS-IMAGE, after them, may).
    if (cells.length < Math.max(2, internal + 1, external + 1)) {
      ledger.unrecognized(line, 'kubectl get nodes');
      continue;
    }
    const node: KubeNode = { loc: ledger.loc(line.line), name: cells[0] ?? '', annotations: {} };
    const ip = internal === -1 ? undefined : cells[internal];
    if (ip !== undefined && isIP(ip)) node.internalIP = ip;
    const ext = external === -1 ? undefined : cells[external];
    if (ext !== undefined && isIP(ext)) node.externalIP = ext;
    nodes.push(node);
  }
}

function readNames(lines: readonly Line[], ledger: Ledger, nodes: KubeNode[]): void {
  for (const line of lines) {
    const m = NAME_ROW.exec(line.text.trim());
    if (isBlankOrElision(line.text)) ledger.skip(line.line);
    else if (m) nodes.push({ loc: ledger.loc(line.line), name: m[1] ?? '', annotations: {} });
    else ledger.unrecognized(line, 'kubectl get nodes -o name');
  }
}

function parseNodes(input: ParserInput, ledger: Ledger): void {
  const body: Line[] = [];
  let understood = false;
  for (const line of input.lines) {
    const m = MESSAGE.exec(line.text.trim());
    if (m === null) {
      body.push(line);
      continue;
    }
    const text = truncate(line.text.trim(), 160);
    if (/^No resources found/.test(text)) {
      ledger.report(line.line, text, 'info');
      understood = true;
    } else if (/^(Warning:|W\d{4}|I\d{4})/.test(text)) {
      ledger.report(line.line, text, 'info');
    } else {
      ledger.report(line.line, `kubectl failed: ${text}`, 'warning');
    }
  }
  const nodes: KubeNode[] = [];
  const first = body.find((l) => !isBlank(l.text))?.text ?? '';
  if (first === '') {
    for (const l of body) ledger.skip(l.line);
  } else if (/^\s*\{/.test(first)) {
    readJsonDocs(body, ledger, nodes);
    understood = true;
  } else if (TABLE_HEADER.test(first)) {
    readTable(body, ledger, nodes);
    understood = true;
  } else if (NAME_ROW.test(first.trim())) {
    readNames(body, ledger, nodes);
    understood = true;
  } else {
    readYaml(body, ledger, nodes);
    understood = true;
  }
  if (understood) ledger.facts.kubeNodes = nodes;
}

export const kubectlNodesParser: Parser = {
  id: 'kubectl-nodes',
  title: 'Kubernetes nodes (kubectl get nodes)',
  commands: ['kubectl get nodes -o yaml', 'kubectl get nodes -o json', 'kubectl get nodes -o wide'],

  matchesCommand(argv: readonly string[]): boolean {
    return readKubectl(argv) !== undefined;
  },

  detect(lines: readonly Line[], index: number): boolean {
    const text = lines[index]?.text ?? '';
    if (WIDE_SIGNATURE.test(text)) return true;
    const ahead = lines.slice(index, index + 8).map((l) => l.text);
    if (/^apiVersion:\s*["']?v1["']?\s*$/.test(text)) {
      return ahead.some((t) => KIND_LINE.test(withoutSequenceDash(t)));
    }
    if (text.startsWith('{')) {
      const joined = ahead.join('\n');
      return /"apiVersion"\s*:/.test(joined) && /"kind"\s*:\s*"(Node|NodeList|List)"/.test(joined);
    }
    return false;
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'kubectl get nodes', (ledger) => parseNodes(input, ledger));
  },
};
