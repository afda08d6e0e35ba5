// The ledger every parser fills: records, lines skipped, issues (unreadable runs collapsed), partial
// listings; the safe parse wrapper; and the row readers that skip or report into it.

import type { Facts, ParseIssue, Severity, SourceLocation } from '../model/types';
import { isBlankOrElision, tokens, truncate } from '../util/words';
import type { Line, ParseResult, ParserInput } from './parser';

/** Collects what a parser read; `result()` hands it back in the `ParseResult` shape. */
export class Ledger {
  readonly facts: Facts = {};
  private readonly skippedLines: number[] = [];
  private readonly issueList: ParseIssue[] = [];
  private partialReason: string | undefined;
  private readonly unreadRuns = new UnrecognizedRuns(
    this.issueList,
    (what, first, last, lines, text) =>
      `Unrecognized ${what} lines ${first}–${last} (${lines} lines), the first: ${truncate(text, 120)}`,
  );

  constructor(readonly file: string) {}

  skip(line: number): void {
    this.skippedLines.push(line);
    this.unreadRuns.pass(line);
  }

  report(line: number, message: string, severity: Severity = 'info'): void {
    this.issueList.push({ line, severity, message });
  }

  /** The standard note for a line no rule of this parser reads. */
  unrecognized(line: Line, what: string): void {
    const text = line.text.trim();
    this.unreadRuns.add(line.line, what, text, `Unrecognized ${what} line: ${truncate(text, 120)}`);
  }

  /** The listing lost elements (`reason`): the model then treats it as partial. */
  partial(reason: string): void {
    this.partialReason ??= reason;
  }

  loc(line: number, endLine?: number): SourceLocation {
    return endLine !== undefined && endLine !== line
      ? { file: this.file, line, endLine }
      : { file: this.file, line };
  }

  result(): ParseResult {
    const result: ParseResult = { facts: this.facts, skipped: this.skippedLines, issues: this.issueList };
    if (this.partialReason !== undefined) result.partial = this.partialReason;
    return result;
  }
}

/** Up to this many consecutive unreadable lines get a note each; a longer run gets one note for its range. */
export const UNRECOGNIZED_RUN_KEPT = 3;

/**
 * The notes for unreadable lines, a run of consecutive ones (blank lines between them aside) of one kind
 * collapsed into one ranged note once it is longer than UNRECOGNIZED_RUN_KEPT: a million pasted junk lines
 * made a million notes and 226 MB of JSON (issue 11). A run ends at any other note.
 */
export class UnrecognizedRuns {
  private run:
    | { kind: string; start: number; text: string; lines: number; reach: number; ranged?: ParseIssue }
    | undefined;

  constructor(
    private readonly issues: ParseIssue[],
    private readonly rangedMessage: (
      kind: string,
      first: number,
      last: number,
      lines: number,
      firstText: string,
    ) => string,
  ) {}

  /** A blank or elided line: it lets a run go on past it without joining it. */
  pass(line: number): void {
    if (this.run !== undefined && line === this.run.reach + 1) this.run.reach = line;
  }

  /** The note `message` for unreadable `text` on `line`, or the run it continues, extended. */
  add(line: number, kind: string, text: string, message: string): void {
    const run = this.run;
    const noted = run === undefined ? 0 : run.ranged === undefined ? run.lines : 1;
    if (
      run === undefined ||
      run.kind !== kind ||
      line !== run.reach + 1 ||
      this.issues.length !== run.start + noted
    ) {
      this.run = { kind, start: this.issues.length, text, lines: 1, reach: line };
      this.issues.push({ line, severity: 'info', message });
      return;
    }
    run.lines++;
    run.reach = line;
    if (run.ranged === undefined && run.lines <= UNRECOGNIZED_RUN_KEPT) {
      this.issues.push({ line, severity: 'info', message });
      return;
    }
    if (run.ranged === undefined) {
      const first = this.issues[run.start]!.line;
      this.issues.length = run.start;
      run.ranged = { line: first, severity: 'info', message: '' };
      this.issues.push(run.ranged);
    }
    run.ranged.endLine = line;
    run.ranged.message = this.rangedMessage(kind, run.ranged.line, line, run.lines, run.text);
  }
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

/** The tokens of a row of output; undefined, with the line skipped, when it is blank or a `...` elision. */
export function rowTokens(line: Line, ledger: Ledger): [string, ...string[]] | undefined {
  if (isBlankOrElision(line.text)) {
    ledger.skip(line.line);
    return undefined;
  }
  return tokens(line.text) as [string, ...string[]];
}

/** Reports words no rule read, each once per section: `ip route: ignored unrecognized word(s) "x", "y"`. */
export function reportUnknownWords(
  ledger: Ledger,
  line: number,
  what: string,
  unknown: readonly string[],
  reported: Set<string>,
): void {
  const fresh = unknown.filter((w) => !reported.has(w));
  if (fresh.length === 0) return;
  for (const w of fresh) reported.add(w);
  // Each word cut to 80 characters and at most 20 of them: a pasted 10 MB token is not a note.
  const shown = fresh.slice(0, 20).map((w) => `"${truncate(w, 80)}"`);
  if (fresh.length > 20) shown.push(`and ${fresh.length - 20} more`);
  ledger.report(line, `${what}: ignored unrecognized word(s) ${shown.join(', ')}`);
}
