// A command line the user typed (VS Code's "Collect from Node… → Through a command…"), split into the
// argv that `collect({ kind: 'exec', argv })` runs without a shell. Quotes work as in sh — '…' keeps
// everything, "…" keeps everything but `\"` `\\` `\$` `` \` `` escapes, a backslash outside quotes
// keeps the next character, a backslash before a line break joins the lines — and nothing else a shell
// does happens here. So that nothing silently means something else than in a terminal, an unquoted
// `|`, `&`, `;`, `<`, `>`, `(`, `)`, `$`, `` ` ``, a word starting with `~` or `#`, and `$` or `` ` ``
// inside double quotes are refused with a message saying why (quote them to pass them as they are).

import { shellQuote } from '../core/analysis/fixes';
import { escapeControls } from '../core/util/text';
import { CollectInputError } from './validate';

const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')']);

function refuse(what: string, at: number): never {
  throw new CollectInputError(
    `${what} at character ${at + 1}: netsnap runs the command without a shell (put it in single quotes to pass it as it is, or run sh -c '…' yourself)`,
  );
}

/** The words of `line`, as sh would split and unquote them (without expanding anything). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word is open once any character or quote of it was read: `''` is one empty argument.
  let open = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i] ?? '';
    if (c === ' ' || c === '\t') {
      if (open) words.push(word);
      word = '';
      open = false;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= n) refuse('a backslash at the end', i);
      // A line continuation (as pasted from a README): the two lines are one.
      if (line.startsWith('\n', i + 1)) i += 2;
      else if (line.startsWith('\r\n', i + 1)) i += 3;
      else {
        word += line[i + 1] ?? '';
        open = true;
        i += 2;
      }
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) refuse('an unclosed single quote', i);
      word += line.slice(i + 1, end);
      open = true;
      i = end + 1;
    } else if (c === '"') {
      i = readDoubleQuoted(line, i, (text) => (word += text));
      open = true;
    } else if (c === '\n' || c === '\r') {
      refuse('a line break (one command only)', i);
    } else if (OPERATORS.has(c)) {
      refuse(`'${c}'`, i);
    } else if (c === '$' || c === '`') {
      refuse(`'${c}' (nothing is expanded)`, i);
    } else if (!open && (c === '~' || c === '#')) {
      refuse(c === '~' ? "'~' (not expanded: write the path)" : "'#' (a comment in a shell)", i);
    } else {
      word += c;
      open = true;
      i++;
    }
  }
  if (open) words.push(word);
  if (words.length === 0)
    throw new CollectInputError('no command: type the command that runs sh -s on the node');
  return words;
}

/** Reads `"…"` starting at `start`, hands its text to `add`, returns the index after the closing quote. */
function readDoubleQuoted(line: string, start: number, add: (text: string) => void): number {
  let i = start + 1;
  for (;;) {
    const c = line[i];
    if (c === undefined) refuse('an unclosed double quote', start);
    if (c === '"') return i + 1;
    if (c === '$' || c === '`') refuse(`'${c}' inside double quotes (nothing is expanded)`, i);
    if (c === '\\') {
      const next = line[i + 1];
      if (next === '"' || next === '\\' || next === '$' || next === '`') {
        add(next);
        i += 2;
        continue;
      }
      if (next === '\n') {
        i += 2;
        continue;
      }
    }
    add(c);
    i++;
  }
}

/**
 * The argv as one line to show the user before it runs: each word as sh (and splitCommandLine) reads
 * it back, quoted where it must be, with control characters escaped.
 */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map((w) => escapeControls(shellQuote(w))).join(' ');
}
