// Text that came from a snapshot, made safe to show. Names decoded from `ip -j` JSON may hold any
// character, and a terminal or editor obeys some of them: ESC starts control sequences (OSC 52 writes
// the clipboard, CSI erases lines), CR and backspace overwrite what was printed, a line break forges a
// new output line, and bidirectional overrides make text read differently from what it is.

/**
 * Every character a display may act on or hide: controls (C0, DEL, C1), format characters (bidi
 * embeddings, overrides and isolates, zero-width characters, the BOM), line and paragraph separators
 * and lone surrogates.
 */
const UNSAFE_CHAR = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** How one unsafe character is written: `\n`, `\r`, `\t`, `\x1b`, `\u202e`, `\u{e0041}`. */
export function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  if (code < 0x100) return `\\x${hex.padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\u{${hex}}`;
}

/** Does the text hold a character a display may act on or hide? */
export function hasUnsafeChar(text: string): boolean {
  return UNSAFE_CHAR.test(text);
}

/** The first such character, written as `escapeChar` writes it (undefined when there is none). */
export function firstUnsafeChar(text: string): string | undefined {
  const m = UNSAFE_CHAR.exec(text);
  return m === null ? undefined : escapeChar(m[0]);
}

/**
 * The text with every such character written as an escape (`\x1b`, `\n`, `\u202e`): what every sink
 * that shows snapshot text (terminal output, reports, tree labels, hovers) applies. Text without them
 * is returned as it is, so escaping twice changes nothing.
 */
export function escapeControls(text: string): string {
  return UNSAFE_CHAR.test(text) ? text.replace(UNSAFE_CHARS, escapeChar) : text;
}

/** The lines of a multi-line text (a finding's fix: one command a line), each escaped. */
export function escapeLines(text: string): string {
  return text.includes('\n') ? text.split('\n').map(escapeControls).join('\n') : escapeControls(text);
}

/**
 * A copy of a value (plain objects and arrays, as JSON would see them) with `escapeControls` applied to
 * every string in it; strings under a key in `multiline` keep their line breaks (`escapeLines`).
 * Unchanged parts are shared, so a clean model costs one walk and no copy.
 */
export function escapeDeep<T>(value: T, multiline: ReadonlySet<string> = NO_KEYS): T {
  return escapeValue(value, multiline, false) as T;
}

const NO_KEYS: ReadonlySet<string> = new Set();

function escapeValue(value: unknown, multiline: ReadonlySet<string>, lines: boolean): unknown {
  if (typeof value === 'string') return lines ? escapeLines(value) : escapeControls(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = escapeValue(item, multiline, false);
      if (clean !== item) (copy ??= value.slice())[i] = clean;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const clean = escapeValue(item, multiline, multiline.has(key));
    if (clean !== item) (copy ??= { ...record })[key] = clean;
  }
  return copy ?? value;
}

// JSON.stringify escapes C0 controls and lone surrogates but writes DEL, C1 and format characters as
// they are; they can only stand inside strings, where `\uXXXX` means the same character.
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/** JSON text with every character a display may act on or hide written as `\uXXXX`: same value. */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => {
    const code = c.codePointAt(0) ?? 0;
    const units =
      code < 0x10000 ? [code] : [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)];
    return units.map((u) => `\\u${u.toString(16).padStart(4, '0')}`).join('');
  });
}
