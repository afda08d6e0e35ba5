// Every fix netsnap prints is meant to be pasted into a root shell, and every name in it comes from a
// snapshot, which may come from anyone. Hostile snapshots are cut from real captures of the lab's
// flnode1 (the `ip -j` listings allow any character in a name; the text listings anything but blanks)
// with faults that make netsnap write fixes naming the hostile devices. Each fix is then pasted into
// bash with ip/bridge/ethtool/iptables/sysctl replaced by functions that record their argv: nothing but
// those functions may run, and each name must reach them exactly as the snapshot wrote it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, parseSnapshot, type Finding } from '../../../src/core';
import { command, shellQuote } from '../../../src/core/analysis/fixes';
import { commandsFor } from '../../../src/core/language';
import { hasUnsafeChar } from '../../../src/core/util/text';
import { type Fault, FAULTS, jsonSnapshot, LAB, type Names, read, textSnapshot } from './support';

const work = mkdtempSync(join(tmpdir(), 'netsnap-paste-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Each payload would leave a file named `pwned…` in the working directory if the shell ran it.
const PAYLOADS = [
  '$(touch${IFS}pwned1)',
  '`touch${IFS}pwned2`',
  ';touch${IFS}pwned3;',
  '|touch${IFS}pwned4',
  '&&touch${IFS}pwned5',
  '>pwned6',
  "'$(touch${IFS}pwned7)'",
  '"$(touch${IFS}pwned8)"',
  '\\$(touch${IFS}pwned9)',
  "'\\''`touch${IFS}pwned10`",
];
const FRAGMENTS = ['x', '*', '?', '~', '!', '#', '{a,b}', '%', '=', '\\', "'", '"', '&', '<', '(', ')'];
// Only JSON can carry these in a name (text listings split on blanks).
const JSON_ONLY = [' ', '\t', ' $(touch pwned11) '];
// A pasted command cannot carry these safely: the fix must be withheld.
const WITHHELD = ['\n', '\nreboot\n', '\r', '\u001b]52;c;cm0gLXJmIC8=\u0007', '\u202e', '\u0000', '\u0085'];

const part = (extra: readonly string[]) =>
  fc.oneof(fc.constantFrom(...PAYLOADS), fc.constantFrom(...FRAGMENTS), fc.constantFrom(...extra));
const suffix = (extra: readonly string[]) =>
  fc.array(part(extra), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));

/** Pastes the commands into bash with the network tools stubbed; returns the argv each call got. */
function paste(commands: readonly string[]): { calls: string[][]; created: string[]; stderr: string } {
  const dir = mkdtempSync(join(work, 'run-'));
  const log = join(dir, '..', `${dir.split('/').pop() ?? ''}.log`);
  const stubs = ['ip', 'bridge', 'ethtool', 'iptables', 'sysctl']
    .map((tool) => `${tool}() { { printf '%s\\0' "$#"; printf '%s\\0' ${tool} "$@"; } >>"$NETSNAP_LOG"; }`)
    // ssh hands its command line to the node's shell: here, this one.
    .concat('ssh() { [ "$1" = -- ] && [ "$2" = root@flnode1 ] && [ $# -eq 3 ] || return 9; eval "$3"; }')
    .join('\n');
  const script = join(dir, '..', `${dir.split('/').pop() ?? ''}.sh`);
  writeFileSync(script, `${stubs}\n${commands.join('\n')}\n`);
  writeFileSync(log, '');
  let stderr = '';
  try {
    execFileSync('bash', ['--norc', '--noprofile', script], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NETSNAP_LOG: log },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    stderr = String((error as { stderr?: unknown }).stderr ?? error);
  }
  const fields = readFileSync(log, 'utf8').split('\0');
  const calls: string[][] = [];
  for (let i = 0; i + 1 < fields.length;) {
    const n = Number(fields[i]);
    calls.push(fields.slice(i + 1, i + 2 + n));
    i += n + 2;
  }
  return { calls, created: readdirSync(dir), stderr };
}

function fixesOf(text: string): Finding[] {
  const peers = ['flnode2.netsnap', 'flnode3.netsnap'].map((f) => parseSnapshot(read(LAB, f), f));
  return analyze([parseSnapshot(text, 'flnode1.netsnap'), ...peers]).findings.filter(
    (f) => f.node === 'flnode1',
  );
}

/** Each name either reached the stubs whole, or the fix naming it was withheld with a note. */
function check(names: Names, findings: readonly Finding[]): number {
  const hostile = new Set(Object.values(names));
  const withFix = findings.filter((f) => f.fix !== undefined);
  const commands = withFix.flatMap((f) => f.fix!.split('\n'));
  for (const f of findings) {
    for (const name of hostile) {
      if (!hasUnsafeChar(name)) continue;
      // A name a pasted command cannot carry never appears in a fix.
      expect(f.fix ?? '').not.toContain(name);
    }
  }
  if (commands.length === 0) return 0;
  const { calls, created, stderr } = paste(commands);
  expect(created, 'the paste ran something besides the stubs').toEqual([]);
  expect(stderr).toBe('');
  expect(calls).toHaveLength(commands.length);
  for (const [i, argv] of calls.entries()) {
    // Reading the argv back into a command gives the fix line: every word arrived as one argument.
    expect(command(...argv)).toBe(commands[i]);
    for (const arg of argv)
      expect(/^[A-Za-z0-9_.:/-]+$/.test(arg) || hostile.has(arg), `unexpected argument ${arg}`).toBe(true);
  }
  // The same through the transports the editor may use (actions.ts): the node's argv are the same.
  const through = (kind: 'ssh' | 'netns') =>
    commandsFor(
      {
        here: false,
        through: { kind, target: kind === 'ssh' ? 'root@flnode1' : 'flnode1', from: 'lab' },
        why: '',
      },
      commands,
    );
  const ssh = paste(through('ssh'));
  expect([ssh.created, ssh.stderr, ssh.calls]).toEqual([[], '', calls]);
  const netns = paste(through('netns'));
  expect([netns.created, netns.stderr]).toEqual([[], '']);
  expect(netns.calls).toEqual(calls.map((argv) => ['ip', 'netns', 'exec', 'flnode1', ...argv]));
  return calls.length;
}

const faultSet = fc.subarray([...FAULTS], { minLength: 1 }).map((f) => new Set<Fault>(f));

describe('fixes pasted into bash', () => {
  it('quote a name only when it needs it', () => {
    expect(
      command('ip', 'route', 'replace', '10.27.3.0/24', 'via', '10.27.3.0', 'dev', 'flannel.1', 'onlink'),
    ).toBe('ip route replace 10.27.3.0/24 via 10.27.3.0 dev flannel.1 onlink');
    expect(shellQuote('veth$(touch${IFS}x)')).toBe("'veth$(touch${IFS}x)'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
    expect(command('ip', 'link', 'set', 'veth\nreboot', 'up')).toEqual({
      withheld: 'veth\\nreboot holds the character \\n, which a pasted command cannot carry safely',
    });
  });

  it('run only the stubbed tools, with every name intact (ip -j listings)', () => {
    let pasted = 0;
    fc.assert(
      fc.property(suffix(JSON_ONLY), suffix(JSON_ONLY), suffix(JSON_ONLY), faultSet, (v, t, u, faults) => {
        const names = { vtep: `flannel.${t}`, veth: `veth${v}`, underlay: `eth${u}` };
        pasted += check(names, fixesOf(jsonSnapshot(names, faults)));
      }),
      { numRuns: 20 },
    );
    expect(pasted).toBeGreaterThan(20);
  }, 60_000);

  it('run only the stubbed tools, with every name intact (text listings: route -n, arp -e, brctl)', () => {
    let pasted = 0;
    fc.assert(
      fc.property(suffix(['x']), suffix(['x']), faultSet, (v, t, faults) => {
        // `:` and `@` end a name in `ip link` text; the rest of the payloads stay.
        const clean = (s: string) => s.replace(/[:@\s]/g, '');
        const names = { vtep: `flannel.${clean(t)}`, veth: `veth${clean(v)}`, underlay: 'eth0' };
        pasted += check(names, fixesOf(textSnapshot(names, faults)));
      }),
      { numRuns: 15 },
    );
    expect(pasted).toBeGreaterThan(15);
  }, 60_000);

  it('withhold the fix, with a note, for a name a pasted command cannot carry', () => {
    for (const bad of WITHHELD) {
      const names = { vtep: `flannel.1${bad}`, veth: `veth${bad}x`, underlay: 'eth0' };
      const findings = fixesOf(jsonSnapshot(names, new Set(FAULTS)));
      const noted = findings.filter((f) => (f.detail ?? '').includes('No fix is offered'));
      expect(noted.length, JSON.stringify(bad)).toBeGreaterThan(2);
      expect(noted.every((f) => f.fix === undefined)).toBe(true);
      check(names, findings);
    }
  }, 60_000);
});
