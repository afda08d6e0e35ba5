// The terminal's sink of a report's lines (core/language/report-lines.ts): each span escaped, then
// coloured by its role through Node's own `util.styleText` when colour is wanted.

import { styleText } from 'node:util';
import type { ReportLine, Role } from '../core/language/report-lines';
import { escapeControls } from '../core/util/text';

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  green(text: string): string;
}

type Format = Parameters<typeof styleText>[0];

// `validateStream: false`: whether to colour is decided once, by `colourWanted`, for the stream written to.
const paint = (format: Format) => (text: string) =>
  text === '' ? text : styleText(format, text, { validateStream: false });

export const colour: Style = {
  red: paint('red'),
  yellow: paint('yellow'),
  dim: paint('dim'),
  bold: paint('bold'),
  green: paint('green'),
};

export const plain: Style = {
  red: (t) => t,
  yellow: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
  green: (t) => t,
};

export interface ColourStream {
  isTTY?: boolean;
  hasColors?: (env?: object) => boolean;
}

/**
 * Colour as Node decides it for its own output: FORCE_COLOR (other than 0 or false) forces it, even into a
 * pipe; otherwise only a terminal that has colours gets it, and never with NO_COLOR
 * (https://no-color.org) or NODE_DISABLE_COLORS set — `hasColors` reads those, and TERM.
 */
export function colourWanted(stream: ColourStream, env: Record<string, string | undefined>): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if ((env['NO_COLOR'] ?? '') !== '' || env['NODE_DISABLE_COLORS'] !== undefined) return false;
  return stream.isTTY === true && stream.hasColors?.(env) === true;
}

const ROLE_STYLE: Record<Role, keyof Style> = {
  heading: 'bold',
  error: 'red',
  removed: 'red',
  warning: 'yellow',
  changed: 'yellow',
  ok: 'green',
  added: 'green',
  fix: 'green',
  info: 'dim',
  muted: 'dim',
};

/** One line: every span's text escaped (snapshot text is hostile), then painted by its role. */
export function renderLine(line: ReportLine, style: Style): string {
  return line
    .map((s) => {
      const text = escapeControls(s.text);
      return s.role === undefined ? text : style[ROLE_STYLE[s.role]](text);
    })
    .join('');
}

export function renderLines(lines: Iterable<ReportLine>, style: Style): string {
  let out = '';
  for (const line of lines) out += `${renderLine(line, style)}\n`;
  return out;
}
