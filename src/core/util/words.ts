// Reading lines and words of command output: tokens, blank and elided lines, numbers, shortened text.
// Shared by the parsers and the model.

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function toInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Whitespace tokens of a line (spaces and tabs). */
export function tokens(text: string): string[] {
  const out = text.trim().split(/\s+/);
  return out.length === 1 && out[0] === '' ? [] : out;
}

/** The first `max` whitespace-separated words of `text`: what `detect` needs, without splitting it all. */
export function leadingWords(text: string, max: number): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && out.length < max) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    while (++i < n) {
      c = text.charCodeAt(i);
      if (c === 32 || c === 9) break;
    }
    out.push(text.slice(start, i));
  }
  return out;
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** A `...` or `…` line: the person pasting elided output here. */
export function isElision(text: string): boolean {
  return /^\s*(\.{3,}|…)\s*$/.test(text);
}

/**
 * `isBlank(text) || isElision(text)`, deciding most lines by their first character other than a space or tab:
 * only a dot, other white space or a non-ASCII character (`…`, a no-break space) needs the full rules.
 */
export function isBlankOrElision(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) continue;
    return c === 46 || (c >= 10 && c <= 13) || c > 127 ? isBlank(text) || isElision(text) : false;
  }
  return true;
}
