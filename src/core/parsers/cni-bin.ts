// `ls /opt/cni/bin`: the CNI plugin binaries installed on the node (flannel's conflist needs `flannel`,
// `bridge`, `host-local`, `portmap`, …). Column output (names 2+ spaces or tabs apart), `ls -1`, and
// `ls -l` long format.

import type { CniBinaries } from '../model/types';
import { basename } from '../util/argv';
import { directoryError } from './output-words';
import { isBlankOrElision } from '../util/words';
import { type Ledger, safeParse } from './ledger';
import type { Line, Parser, ParserInput, ParseResult } from './parser';
import { appendAll } from '../util/arrays';

/** A path that names a CNI binary directory (`/opt/cni/bin`, `/usr/libexec/cni/`, `bin/*`). */
function isCniBinPath(path: string): boolean {
  return /(^|\/)cni\/bin\/?(\*)?$/.test(path) || /(^|\/)libexec\/cni\/?(\*)?$/.test(path);
}

/** `-rwxr-xr-x 1 root root 3859475 Jan 16  2023 bridge` (also `-rwxr-xr-x.` with an SELinux dot). */
const LONG = /^[-dlcbpsD][-rwxsStTlL]{9}[.+@]?\s+\d+\s/;

/** The name of a long-format row: the last field (or what precedes ` -> target` for a symlink). */
function longName(text: string): string | undefined {
  const arrow = text.indexOf(' -> ');
  const head = arrow === -1 ? text.trimEnd() : text.slice(0, arrow).trimEnd();
  const fields = head.trim().split(/\s+/);
  return fields.length >= 7 ? fields[fields.length - 1] : undefined;
}

/** Removes GNU ls quoting (`'a b'`) and, with `-F`, the type marker. */
function cleanName(name: string, classify: boolean): string {
  let out = name;
  if (/^'.*'$/.test(out) && out.length >= 2) out = out.slice(1, -1);
  if (classify) out = out.replace(/[*@/=|>]$/, '');
  return basename(out) === '' ? out : basename(out);
}

/** The path without trailing slashes (`/` stays `/`); a loop, as `/(.)\/+$/` is quadratic on a run of `/`. */
function trimSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(0, end);
}

function lsOptions(argv: readonly string[] | undefined): { classify: boolean; path?: string } {
  let classify = false;
  let path: string | undefined;
  for (const a of argv?.slice(1) ?? []) {
    if (a === '--classify' || a.startsWith('--classify=') || a === '--file-type') classify = true;
    else if (/^-[A-Za-z1]+$/.test(a) && /[Fp]/.test(a)) classify = true;
    else if (!a.startsWith('-') && path === undefined) path = trimSlashes(a.replace(/\/\*$/, ''));
  }
  return path === undefined ? { classify } : { classify, path };
}

function parseListing(input: ParserInput, ledger: Ledger): void {
  const { classify, path } = lsOptions(input.command?.argv);
  const names: string[] = [];
  let first: number | undefined;
  let last: number | undefined;
  let dir = path;
  const add = (line: Line, found: string[]): void => {
    appendAll(names, found);
    first ??= line.line;
    last = line.line;
  };
  for (const line of input.lines) {
    const text = line.text;
    if (isBlankOrElision(text) || /^total\s+\d+(\.\d+)?[KMGT]?\s*$/.test(text.trim())) {
      ledger.skip(line.line);
      continue;
    }
    const error = directoryError(text);
    if (error) {
      ledger.report(line.line, `${error.path}: ${error.reason} (no CNI plugin binaries there)`, 'warning');
      continue;
    }
    // `ls DIR1 DIR2` prints `DIR:` before each listing.
    if (/^\/\S*:$/.test(text.trim())) {
      dir ??= text.trim().slice(0, -1);
      ledger.skip(line.line);
      continue;
    }
    if (LONG.test(text)) {
      const name = longName(text);
      if (name === undefined) {
        ledger.unrecognized(line, 'ls -l');
        continue;
      }
      const clean = cleanName(name, classify);
      if (clean === '.' || clean === '..') ledger.skip(line.line);
      else add(line, [clean]);
      continue;
    }
    const cells = text
      .trim()
      .split(/\t+|\s{2,}/)
      .map((c) => cleanName(c.trim(), classify))
      .filter((c) => c !== '' && c !== '.' && c !== '..');
    if (cells.length === 0) ledger.skip(line.line);
    else add(line, cells);
  }
  if (first === undefined) return;
  const record: CniBinaries = { loc: ledger.loc(first, last), names };
  if (dir !== undefined) record.path = dir;
  ledger.facts.cniBinaries = record;
}

export const cniBinParser: Parser = {
  id: 'cni-bin',
  title: 'CNI plugin binaries (ls /opt/cni/bin)',
  commands: ['ls /opt/cni/bin', 'ls -l /opt/cni/bin'],

  matchesCommand(argv: readonly string[]): boolean {
    if (basename(argv[0] ?? '') !== 'ls') return false;
    return argv.slice(1).some((a) => !a.startsWith('-') && isCniBinPath(a));
  },

  detect(): boolean {
    // A bare list of file names says nothing about where it came from.
    return false;
  },

  parse(input: ParserInput): ParseResult {
    return safeParse(input, 'ls /opt/cni/bin', (ledger) => parseListing(input, ledger));
  },
};
