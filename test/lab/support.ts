// What the lab tests share: lab.sh, running commands in its namespaces, the kernel's ping verdicts, and a
// node's flannel files laid out below a root for `collect` to read.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Analysis, Finding, FindingCode } from '../../src/core';

const ROOT = join(__dirname, '..', '..');
export const LAB = join(__dirname, 'lab.sh');
export const LAB_DIR = process.env['FLANNEL_LAB_DIR'] ?? '/run/flannel-lab';

export function lab(...args: string[]): string {
  return execFileSync('bash', [LAB, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs argv inside a lab namespace (a node `flnodeN` or a pod `flpN`). */
export function inNs(ns: string, ...argv: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...argv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function onNode(n: number, ...argv: string[]): string {
  return inNs(`flnode${n}`, ...argv);
}

/** The kernel's verdict: does pod flpA reach pod 10.27.B.2? */
export function ping(a: number, b: number): boolean {
  return spawnSync('bash', [LAB, 'ping', String(a), String(b)], { stdio: 'ignore' }).status === 0;
}

/** The kernel's verdict over IPv6 (a dual-stack lab): does pod flpA reach pod fd27:42:0:B::2? */
export function ping6(a: number, b: number): boolean {
  return spawnSync('bash', [LAB, 'ping', '-6', String(a), String(b)], { stdio: 'ignore' }).status === 0;
}

export function pingAll(): { ok: boolean; out: string } {
  const run = spawnSync('bash', [LAB, 'ping-all'], { encoding: 'utf8' });
  return { ok: run.status === 0, out: `${run.stdout}${run.stderr}` };
}

/**
 * Lab node n's files below `root`, laid out as on a flannel node (read with collect's fsRoot): its
 * subnet.env, flannel's conflist and the CNI plugins' names.
 */
export function makeFsRoot(root: string, n: number): void {
  mkdirSync(join(root, 'run', 'flannel'), { recursive: true });
  mkdirSync(join(root, 'etc', 'cni', 'net.d'), { recursive: true });
  mkdirSync(join(root, 'opt', 'cni', 'bin'), { recursive: true });
  copyFileSync(join(LAB_DIR, `flnode${n}`, 'subnet.env'), join(root, 'run', 'flannel', 'subnet.env'));
  copyFileSync(
    join(ROOT, 'test', 'fixtures', 'parsers', 'cni-config--flannel-conflist.out'),
    join(root, 'etc', 'cni', 'net.d', '10-flannel.conflist'),
  );
  for (const plugin of ['bridge', 'flannel', 'host-local', 'loopback', 'portmap']) {
    const file = join(root, 'opt', 'cni', 'bin', plugin);
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
  }
}

/**
 * A lab the fault tests share: each test that changes it says so, and the next one starts from a fresh
 * `lab.sh up` (a few seconds) rather than from the last test's fault.
 */
export class FaultLab {
  private dirty = false;

  /** `upOptions`: what else `lab.sh up N` is given, e.g. `--dual-stack`. */
  constructor(
    readonly nodes: number,
    private readonly upOptions: readonly string[] = [],
  ) {}

  /** Rebuilds the lab if a test changed it; then the kernel's ping-all verdict (every family the lab has). */
  healthy(): { ok: boolean; out: string } {
    if (this.dirty) {
      lab('up', String(this.nodes), ...this.upOptions);
      this.dirty = false;
    }
    return pingAll();
  }

  /** Runs a fault's command on node n. */
  inject(n: number, ...argv: string[]): string {
    this.changed();
    return onNode(n, ...argv);
  }

  /** The lab was changed another way. */
  changed(): void {
    this.dirty = true;
  }
}

/** Fresh transcripts of every lab node and the analysis of them together. */
export interface Capture {
  file: (n: number) => string;
  text: (n: number) => string;
  analysis: Analysis;
}

/** Errors and warnings as `node code`, sorted: what the analysis says is wrong. */
export function problems(cap: Capture): string[] {
  return cap.analysis.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.node} ${f.code}`)
    .sort();
}

/** Runs a finding's fix on its node: one command per line, split into argv on whitespace. */
export function applyFix(n: number, f: Finding): void {
  expect(f.fix, `${f.code} at line ${f.line} has no fix`).toBeDefined();
  for (const command of f.fix!.split('\n')) {
    const argv = command.trim().split(/\s+/);
    expect(['ip', 'bridge']).toContain(argv[0]);
    onNode(n, ...argv);
  }
}

/** The findings with this code on flnodeN. */
export function fixesOn(cap: Capture, n: number, code: FindingCode): Finding[] {
  return cap.analysis.findings.filter((f) => f.node === `flnode${n}` && f.code === code);
}
