// Splitting a transcript into sections: one per command (a prompt line or a `### cmd` header), plus
// sections recognised by content where output was pasted with no prompt at all.

import type { ParseIssue } from '../model/types';
import { parserForCommand, parsers } from '../parsers';
import { UnrecognizedRuns } from '../parsers/ledger';
import type { Line, Parser, ParserId } from '../parsers/parser';
import { type ReadCommand, readCommand, readShellMove } from '../util/shell-command';

export interface Section {
  file: string;
  /** The prompt or header line; absent for output recognised by content. */
  headerLine?: number;
  /** First and last line of the section, header included. */
  startLine: number;
  endLine: number;
  /** The host the prompt names, or the `### node` in force. */
  host?: string;
  /** Was `host` set by a `### node`/`### pod` header (which overrides prompts)? */
  hostFromHeader: boolean;
  /** `### pod NAME` says this host is a pod. */
  hostIsPod: boolean;
  command?: ReadCommand;
  parserId?: ParserId;
  /** The parser was chosen by the output's content, not by the command. */
  detected: boolean;
  /** The output lines (header excluded). */
  lines: Line[];
  /**
   * What the command wrote to stderr, as the collector records it (`### stderr …` after the output):
   * each line holds the text after `### stderr `, on its own line number.
   */
  stderr?: Line[];
}

export interface SplitResult {
  sections: Section[];
  /** Lines outside any section that no parser recognised, and header notes. */
  issues: ParseIssue[];
  /** Lines understood without a record: blank lines between sections, `### node` headers, metadata. */
  skipped: number[];
  lineCount: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78M]/g;

/**
 * Splits text into cleaned lines: CR/CRLF line ends, ANSI colour and title sequences removed. Lines are
 * numbered as the editor numbers them (CR, LF and CRLF each end a line). A line ending in several CRs
 * (`\r\r\n`: a CRLF paste saved again on Windows) would read as the line and empty ones after it: those
 * empty lines are left out (their numbers stay unused), so every trailing CR is stripped.
 */
export function cleanLines(text: string): Line[] {
  // Most transcripts have neither CR nor escape codes: a plain split is several times faster than a regex one.
  const hasCR = text.includes('\r');
  const plain = hasCR ? text.replace(/\r\n?/g, '\n') : text;
  const raw = plain.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const phantom = hasCR ? phantomLines(text) : undefined;
  const hasEscapes = plain.includes('\x1b');
  if (phantom === undefined && !hasEscapes) {
    // Each line as it stands: the array split made holds the lines, no second array of every line.
    const lines = raw as unknown as Line[];
    for (let i = 0; i < raw.length; i++) lines[i] = { text: raw[i] as string, line: i + 1 };
    return lines;
  }
  const out: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (phantom?.has(i + 1) === true) continue;
    const t = raw[i] as string;
    out.push({ text: hasEscapes && t.includes('\x1b') ? t.replace(ANSI, '') : t, line: i + 1 });
  }
  return out;
}

/** The (1-based) empty lines a run of CRs before a LF makes: `a\r\r\n` is `a`, then one of them. */
function phantomLines(text: string): Set<number> {
  const out = new Set<number>();
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13) {
      let j = i;
      while (text.charCodeAt(j + 1) === 13) j++;
      if (text.charCodeAt(j + 1) === 10) {
        // CRs i..j then LF: line ends at i; j - i empty lines follow, the last one ended by the CRLF.
        for (let k = 1; k <= j - i; k++) out.add(line + k);
        line += j - i + 1;
        i = j + 1;
      } else {
        line += j - i + 1;
        i = j;
      }
    }
  }
  return out;
}

/** Commands a bare `$ cmd` / `# cmd` prompt may start with: anything else is a comment or output. */
const KNOWN_COMMANDS = new Set([
  'arp',
  'bridge',
  'brctl',
  'cat',
  'chroot',
  'crictl',
  'docker',
  'doas',
  'echo',
  'env',
  'ethtool',
  'exit',
  'head',
  'hostname',
  'ifconfig',
  'ip',
  'ip6tables',
  'ip6tables-legacy',
  'ip6tables-legacy-save',
  'ip6tables-nft',
  'ip6tables-nft-save',
  'ip6tables-save',
  'iptables',
  'iptables-legacy',
  'iptables-legacy-save',
  'iptables-nft',
  'iptables-nft-save',
  'iptables-save',
  'journalctl',
  'kubectl',
  'logout',
  'ls',
  'minikube',
  'nerdctl',
  'netstat',
  'nft',
  'nsenter',
  'oc',
  'ping',
  'podman',
  'route',
  'ss',
  'ssh',
  'su',
  'sudo',
  'sysctl',
  'systemctl',
  'tail',
  'tcpdump',
  'timeout',
  'traceroute',
  'uname',
  'vagrant',
]);

interface Prompt {
  host?: string;
  command: string;
}

const COLON_PROMPT = /^([A-Za-z0-9_.-]+)@([A-Za-z0-9_.-]+):\S*?\s?[#$]\s?(.*)$/;
// `$ cmd`, `# cmd`, `/ # cmd` (busybox), `sh-4.2# cmd`, `bash-5.1$ cmd`, `host:~ # cmd` (SUSE)
const BARE_PROMPT = /^(?:([A-Za-z0-9_.-]+):\S*\s|[~/]\S*\s|(?:ba|z|a)?sh-[\d.]+)?[#$]\s(.+)$/;

/** Reads a prompt line; undefined when the line is output. */
export function readPrompt(text: string): Prompt | undefined {
  const first = text.charCodeAt(0);
  if (first === 91 /* [ */) {
    const bracket = readBracketPrompt(text);
    if (bracket !== undefined) return bracket;
  }
  if (!text.includes('#') && !text.includes('$')) return undefined;
  if (text.startsWith('##')) return undefined;
  const colon = COLON_PROMPT.exec(text);
  if (colon) return withHost(colon[2], colon[3] ?? '');
  const bare = BARE_PROMPT.exec(text);
  if (bare) {
    const command = bare[2] ?? '';
    const head = command.trimStart().split(/\s/, 1)[0] ?? '';
    const word = head.slice(head.lastIndexOf('/') + 1);
    if (KNOWN_COMMANDS.has(word)) return withHost(bare[1], command);
  }
  return undefined;
}

const SPACE = /\s/;

/**
 * `[user@host dir]$ cmd` (what `/^\[([^\]@\s]+)@([^\]\s]+)[^\]]*\]\s?[#$]\s?(.*)$/` reads), scanned by
 * hand: that pattern retries every length of the host before `[^\]]*`, quadratic on a line with no `]`.
 */
function readBracketPrompt(text: string): Prompt | undefined {
  const close = text.indexOf(']');
  const at = text.indexOf('@');
  if (close === -1 || at < 2 || at > close) return undefined;
  for (let i = 1; i < at; i++) if (SPACE.test(text.charAt(i))) return undefined;
  let hostEnd = at + 1;
  while (hostEnd < close && !SPACE.test(text.charAt(hostEnd))) hostEnd++;
  if (hostEnd === at + 1) return undefined;
  let i = close + 1;
  if (SPACE.test(text.charAt(i))) i++;
  const sign = text.charAt(i);
  if (sign !== '#' && sign !== '$') return undefined;
  i++;
  if (SPACE.test(text.charAt(i))) i++;
  return withHost(text.slice(at + 1, hostEnd), text.slice(i));
}

function withHost(host: string | undefined, command: string): Prompt {
  return host === undefined || host === '' ? { command } : { host, command };
}

type Header =
  | { kind: 'node'; name: string }
  | { kind: 'pod'; name: string }
  | { kind: 'command'; command: string }
  | { kind: 'meta' };

/** Words after `###` that carry metadata rather than a command (written by the collector). */
const META_HEADERS = /^(time|date|collected|exit|status|stderr|netsnap|note|source|end)\b/i;

export function readHeader(text: string): Header | undefined {
  if (!text.startsWith('###')) return undefined;
  const body = text.slice(3).trim();
  const m = /^(node|pod)\s+(\S+)\s*$/i.exec(body);
  if (m) return { kind: (m[1] ?? '').toLowerCase() === 'pod' ? 'pod' : 'node', name: m[2] ?? '' };
  if (body === '' || META_HEADERS.test(body)) return { kind: 'meta' };
  return { kind: 'command', command: body };
}

/** The parser whose output starts at `lines[index]`, judged by content. */
export function detectParser(lines: readonly Line[], index: number): Parser | undefined {
  const text = lines[index]?.text ?? '';
  if (text.trim() === '') return undefined;
  for (const parser of parsers) {
    if (parser.detect(lines, index)) return parser;
  }
  return undefined;
}

interface Region {
  header?: { line: number; command: ReadCommand };
  host?: string;
  hostFromHeader: boolean;
  hostIsPod: boolean;
  /** Follows `ssh NODE` or `exit`: lines no parser reads are the login banner or `logout`, not issues. */
  banner?: true;
  lines: Line[];
  stderr?: Line[];
  /**
   * The lines of the transcript's line array from index `from` to `to` (exclusive) are the region's too,
   * after `lines`: its output is most often one run of lines, sliced off at the end rather than pushed.
   */
  from: number;
  to: number;
}

/** Moves a region's run of lines (`from`..`to` of the transcript's `lines`) into its own `lines`. */
function settle(region: Region, lines: readonly Line[]): void {
  if (region.lines.length === 0) region.lines = lines.slice(region.from, region.to);
  else for (let k = region.from; k < region.to; k++) region.lines.push(lines[k] as Line);
  region.from = region.to;
}

/** Splits a transcript into sections. Never throws; every line ends up in a section, skipped or reported. */
export function splitSnapshot(text: string, file: string): SplitResult {
  const lines = cleanLines(text);
  const issues: ParseIssue[] = [];
  const skipped: number[] = [];
  // The numbers cleanLines left out (empty lines of `\r\r\n` ends) are understood: skipped.
  if (lines.length !== (lines.at(-1)?.line ?? 0)) {
    let expected = 1;
    for (const line of lines) {
      for (; expected < line.line; expected++) skipped.push(expected);
      expected = line.line + 1;
    }
  }
  const regions: Region[] = [];
  let headerNode: { name: string; pod: boolean } | undefined;
  let current: Region = { hostFromHeader: false, hostIsPod: false, lines: [], from: 0, to: 0 };
  regions.push(current);
  // The shells entered by `ssh NODE`, `minikube ssh`, …, innermost last, each with the node it names.
  const entered: (string | undefined)[] = [];
  const enteredNode = (): string | undefined => {
    for (let i = entered.length - 1; i >= 0; i--) if (entered[i] !== undefined) return entered[i];
    return undefined;
  };

  // The index of the line being read: a region opened on it starts after it.
  let index = 0;
  const open = (command: ReadCommand | undefined, line: number, promptHost: string | undefined): void => {
    current = {
      hostFromHeader: headerNode !== undefined,
      hostIsPod: headerNode?.pod ?? false,
      lines: [],
      from: index + 1,
      to: index + 1,
    };
    if (command !== undefined) current.header = { line, command };
    const host = headerNode?.name ?? promptHost ?? enteredNode();
    if (host !== undefined) current.host = host;
    regions.push(current);
  };

  for (; index < lines.length; index++) {
    const line = lines[index] as Line;
    const header = readHeader(line.text);
    if (header !== undefined) {
      if (header.kind === 'command') {
        open(readCommand(header.command), line.line, undefined);
      } else {
        skipped.push(line.line);
        const stderr = header.kind === 'meta' ? /^###\s*stderr /i.exec(line.text) : null;
        if (stderr !== null && current.header !== undefined)
          (current.stderr ??= []).push({ text: line.text.slice(stderr[0].length), line: line.line });
        if (header.kind !== 'meta') {
          headerNode = { name: header.name, pod: header.kind === 'pod' };
          open(undefined, line.line, undefined);
        }
      }
      continue;
    }
    const prompt = readPrompt(line.text);
    if (prompt !== undefined) {
      const move = readShellMove(prompt.command);
      if (move !== undefined) {
        // What follows ran in the shell this line opens (on the node it names), until its `exit`.
        if (move.kind === 'enter') entered.push(move.node);
        else entered.pop();
        skipped.push(line.line);
        open(undefined, line.line, undefined);
        current.banner = true;
        continue;
      }
      if (prompt.command.trim() === '') {
        // An empty prompt ends the previous output.
        skipped.push(line.line);
        open(undefined, line.line, prompt.host);
      } else {
        open(readCommand(prompt.command), line.line, prompt.host);
      }
      continue;
    }
    // Output of the current region: it extends the region's run, or (after a `### time` line) starts another.
    if (current.to !== index) {
      settle(current, lines);
      current.from = index;
    }
    current.to = index + 1;
  }

  const sections: Section[] = [];
  for (const region of regions) {
    settle(region, lines);
    splitRegion(region, file, sections, issues, skipped);
  }
  return { sections, issues, skipped, lineCount: lines.at(-1)?.line ?? 0 };
}

function baseSection(region: Region, file: string, lines: Line[], startLine: number): Section {
  const section: Section = {
    file,
    startLine,
    endLine: lines.length > 0 ? (lines[lines.length - 1]?.line ?? startLine) : startLine,
    hostFromHeader: region.hostFromHeader,
    hostIsPod: region.hostIsPod,
    detected: false,
    lines,
  };
  if (region.host !== undefined) section.host = region.host;
  if (region.stderr !== undefined && region.header !== undefined) {
    section.stderr = region.stderr;
    // The section reaches its last stderr line, so that an edit there is an edit of the section.
    section.endLine = Math.max(section.endLine, region.stderr[region.stderr.length - 1]!.line);
  }
  return section;
}

function splitRegion(
  region: Region,
  file: string,
  sections: Section[],
  issues: ParseIssue[],
  skipped: number[],
): void {
  const { header, lines } = region;
  if (header !== undefined) {
    const section = baseSection(region, file, lines, header.line);
    section.headerLine = header.line;
    section.command = header.command;
    const parser = parserForCommand(header.command.argv) ?? detectFirst(lines);
    if (parser !== undefined) {
      section.parserId = parser.id;
      section.detected = parserForCommand(header.command.argv) === undefined;
    }
    sections.push(section);
    return;
  }
  // Output with no prompt: cut it where the content of another command's output begins.
  const outside = new UnrecognizedRuns(
    issues,
    (_, first, last, count, text) =>
      `Unrecognized lines ${first}–${last} outside any command's output (${count} lines), the first: ${text.slice(0, 120)}`,
  );
  let run: { parser: Parser; lines: Line[] } | undefined;
  const flush = (): void => {
    if (run === undefined) return;
    const first = run.lines[0]?.line ?? 1;
    const section = baseSection(region, file, run.lines, first);
    section.parserId = run.parser.id;
    section.detected = true;
    sections.push(section);
    run = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const starts = line.text.trim() === '' ? undefined : detectParser(lines, i);
    if (starts !== undefined && starts !== run?.parser) {
      flush();
      run = { parser: starts, lines: [line] };
    } else if (run !== undefined) {
      run.lines.push(line);
    } else if (line.text.trim() === '' || region.banner) {
      skipped.push(line.line);
      outside.pass(line.line);
    } else {
      const text = line.text.trim();
      outside.add(
        line.line,
        'outside',
        text,
        `Unrecognized line outside any command's output: ${text.slice(0, 120)}`,
      );
    }
  }
  flush();
}

function detectFirst(lines: readonly Line[]): Parser | undefined {
  const index = lines.findIndex((l) => l.text.trim() !== '');
  return index === -1 ? undefined : detectParser(lines, index);
}
