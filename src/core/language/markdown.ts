// Hover text is built from plain-text parts; this turns them into Markdown in which every character of
// snapshot text is escaped, so a hostile interface name (`<img src=x onerror=…>`, backticks,
// `[link](command:…)`) renders as the text it is. The editor adapter renders the result with
// `isTrusted: false` and `supportHtml: false` as a second line of defence.

import { escapeControls, escapeLines } from '../util/text';
import type { DocLocation } from './workspace';
import { minMax } from '../util/arrays';

export type Mark = 'ok' | 'warning' | 'broken' | 'unknown' | 'info';

export interface HoverItem {
  text: string;
  mark?: Mark;
  /** Where it is written; rendered as a link to the line. */
  loc?: DocLocation;
  /** How the location reads (`flnode1.netsnap:14`). */
  locLabel?: string;
  /** A shorter text for the hover's compact path (the full analysis keeps `text`). */
  short?: string;
}

/** What a list is, so the compact hover can pick the path and the owners out of the full analysis. */
export type ListRole = 'path' | 'owners' | 'findings';

export type HoverPart =
  | { kind: 'title'; text: string }
  | { kind: 'text'; text: string }
  /** The one-line answer a hover opens with. */
  | { kind: 'verdict'; mark: Mark; text: string }
  | { kind: 'list'; title: string; items: HoverItem[]; role?: ListRole }
  /** Shell commands, shown verbatim in a code block. */
  | { kind: 'code'; text: string }
  /**
   * A link that runs one of the extension's own commands. The renderer builds it from the id and the
   * JSON of `args` (percent-encoded), never from snapshot text; the adapter enables only that command.
   */
  | { kind: 'command'; title: string; command: string; args: readonly (string | number)[] };

/**
 * Escapes text for Markdown: control, format and separator characters (line breaks, ESC, bidi
 * overrides, which make text read differently from what it is) are written as escapes (`\n`, `\x1b`,
 * `\u202e`, util/text.ts), then every ASCII punctuation character gets a backslash (CommonMark lets any
 * of them be escaped, and an escaped one never starts markup, HTML, an entity, an autolink or a link).
 */
export function escapeMarkdown(text: string): string {
  return escapeControls(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * A fenced code block that no content can close early: the fence is longer than any backtick run in it.
 * Its lines stay lines; any other control character is written as an escape.
 */
export function codeBlock(text: string, info = ''): string {
  const clean = escapeLines(text.replace(/\r\n/g, '\n'));
  const [, longestRun] = minMax(Array.from(clean.matchAll(/`+/g), (m) => m[0].length));
  const longest = Math.max(0, longestRun);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${clean}\n${fence}`;
}

/** A command id the renderer will link to: the extension's own namespace, nothing else. */
const OWN_COMMAND = /^netsnap\.[A-Za-z]+$/;

function commandLink(part: Extract<HoverPart, { kind: 'command' }>): string {
  const title = escapeMarkdown(part.title);
  if (!OWN_COMMAND.test(part.command)) return title;
  // encodeURIComponent leaves `()'!*` alone; `(` and `)` would end the link destination early.
  const args = encodeURIComponent(JSON.stringify(part.args)).replace(
    /[()'!*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `[${title}](command:${part.command}?${args})`;
}

const MARK_TEXT: Record<Mark, string> = {
  ok: 'ok',
  warning: 'WARNING',
  broken: 'BROKEN',
  unknown: 'unknown',
  info: '',
};

/** Only links the adapter built from document URIs; never a command, script or data link. */
function safeLink(link: string | undefined): string | undefined {
  if (link === undefined || /^\s*(command|javascript|data|vbscript)\s*:/i.test(link)) return undefined;
  // Percent-encode everything a Markdown link destination could end or nest on (spaces, parentheses, `<>`).
  return link.replace(/[^A-Za-z0-9%:/._~#?&=+-]/gu, (c) =>
    Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(
      '',
    ),
  );
}

/**
 * Renders hover parts as Markdown. `linkFor` turns a location into a URI (the adapter's job: it knows
 * the documents' URIs); without it, locations are shown as plain text.
 */
export function renderMarkdown(
  parts: readonly HoverPart[],
  linkFor?: (loc: DocLocation) => string | undefined,
): string {
  const out: string[] = [];
  const where = (item: HoverItem): string => {
    if (item.loc === undefined) return '';
    const label = escapeMarkdown(item.locLabel ?? `line ${item.loc.line}`);
    const link = safeLink(linkFor?.(item.loc));
    return link === undefined ? ` — ${label}` : ` — [${label}](${link})`;
  };
  for (const part of parts) {
    switch (part.kind) {
      case 'title':
        out.push(`**${escapeMarkdown(part.text)}**`);
        break;
      case 'verdict': {
        const mark = part.mark === 'info' ? '' : `**${MARK_TEXT[part.mark]}** · `;
        out.push(`${mark}${escapeMarkdown(part.text)}`);
        break;
      }
      case 'command':
        out.push(commandLink(part));
        break;
      case 'text':
        out.push(escapeMarkdown(part.text));
        break;
      case 'list': {
        const lines = part.title === '' ? [] : [`*${escapeMarkdown(part.title)}*`, ''];
        for (const item of part.items) {
          const mark = item.mark === undefined || item.mark === 'info' ? '' : `**${MARK_TEXT[item.mark]}** `;
          lines.push(`- ${mark}${escapeMarkdown(item.text)}${where(item)}`);
        }
        out.push(lines.join('\n'));
        break;
      }
      case 'code':
        out.push(codeBlock(part.text, 'sh'));
        break;
    }
  }
  return out.join('\n\n');
}

/** The same parts as plain text (for tests, logs and tooltips), control characters escaped. */
export function renderPlain(parts: readonly HoverPart[]): string {
  const out: string[] = [];
  for (const part of parts) {
    if (part.kind === 'list') {
      if (part.title !== '') out.push(escapeControls(part.title));
      for (const item of part.items) {
        const mark = item.mark === undefined || item.mark === 'info' ? '' : `[${MARK_TEXT[item.mark]}] `;
        const loc = item.loc === undefined ? '' : ` (${item.locLabel ?? `line ${item.loc.line}`})`;
        out.push(escapeControls(`  - ${mark}${item.text}${loc}`));
      }
    } else if (part.kind === 'verdict')
      out.push(escapeControls(`${part.mark === 'info' ? '' : `${MARK_TEXT[part.mark]}: `}${part.text}`));
    else if (part.kind === 'command') out.push(part.title);
    else out.push(part.kind === 'code' ? escapeLines(part.text) : escapeControls(part.text));
  }
  return out.join('\n');
}
