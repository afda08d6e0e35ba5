// Words with a meaning in command output: addresses, MACs, neighbour states, and the errors of a file
// or directory that could not be read.

import { isMac, normalizeMac } from '../util/ip';

/** Could `text` start an address (a digit, `a`-`f`, `A`-`F`, or `:` for `::/0`)? */
export function startsLikeAddress(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * The MAC in `text`, lower case with two digits per octet (`86:29:6f:2:69:c5` → `86:29:6f:02:69:c5`), or
 * undefined when `text` is not a MAC. Checks iproute2's own form (17 lower-case characters) without a regex.
 */
export function readMac(text: string): string | undefined {
  if (text.length === 17) {
    let upper = false;
    let ok = true;
    for (let i = 0; i < 17 && ok; i++) {
      const c = text.charCodeAt(i);
      if (i % 3 === 2) ok = c === 58;
      else if (c >= 65 && c <= 70) upper = true;
      else ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
    }
    if (ok) return upper ? text.toLowerCase() : text;
  }
  return text.length >= 11 && text.length <= 17 && isMac(text) ? normalizeMac(text) : undefined;
}

/** NUD states as `ip neigh` prints them. */
export const NUD_STATES: ReadonlySet<string> = new Set([
  'PERMANENT',
  'REACHABLE',
  'STALE',
  'DELAY',
  'PROBE',
  'INCOMPLETE',
  'FAILED',
  'NOARP',
  'NONE',
]);

/**
 * The state of a proxy entry (`ip neigh add proxy`, `arp -s … pub`): the kernel answers for the address,
 * it has no link-layer address or NUD state of its own.
 */
export const PROXY_STATE = 'PROXY';

export interface FileError {
  path: string;
  reason: string;
}

function fileErrorPattern(open: string, reasons: string): RegExp {
  return new RegExp(
    `^\\S+: (?:cannot (?:access|${open}) )?['‘"]?(.+?)['’"]?(?: for reading)?: (${reasons})\\s*$`,
  );
}

const FILE_ERROR = fileErrorPattern(
  'open',
  'No such file or directory|Permission denied|Is a directory|Not a directory',
);
const DIRECTORY_ERROR = fileErrorPattern(
  'open(?: directory)?',
  'No such file or directory|Permission denied|Not a directory',
);

function matchFileError(pattern: RegExp, text: string): FileError | undefined {
  const m = pattern.exec(text.trim());
  return m ? { path: m[1] ?? '', reason: m[2] ?? '' } : undefined;
}

/** `cat: PATH: No such file or directory` and the like: the file could not be read. */
export function fileError(text: string): FileError | undefined {
  return matchFileError(FILE_ERROR, text);
}

/** `ls: cannot access '/opt/cni/bin': No such file or directory` and the like: the directory could not be listed. */
export function directoryError(text: string): FileError | undefined {
  return matchFileError(DIRECTORY_ERROR, text);
}
