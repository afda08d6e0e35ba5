// Processes for the collect tests: a PATH lacking (or faking) the collector's tools, and what runs now.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A new directory below `dir` of symlinks to the tools the collector uses, minus `without`, plus `extra` scripts. */
export function pathWithout(dir: string, without: string[], extra: Record<string, string> = {}): string {
  const bin = mkdtempSync(join(dir, 'bin-'));
  const tools = [
    ...['sh', 'mktemp', 'mkdir', 'mkfifo', 'rm', 'cat', 'date', 'tr', 'hostname', 'uname', 'sleep', 'ls'],
    ...['wc', 'head', 'tail', 'cut', 'sed', 'awk', 'ip', 'bridge', 'brctl', 'route', 'arp'],
  ];
  for (const tool of tools) {
    if (without.includes(tool)) continue;
    const path = execFileSync('sh', ['-c', 'command -v "$1" || true', 'sh', tool], {
      encoding: 'utf8',
    }).trim();
    if (path.startsWith('/')) symlinkSync(path, join(bin, tool));
  }
  for (const [name, script] of Object.entries(extra)) {
    writeFileSync(join(bin, name), script);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

/** Pids of live processes whose argv is exactly `argv`. */
export function processesRunning(argv: string[]): number[] {
  const want = `${argv.join('\0')}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(join('/proc', entry, 'cmdline'), 'utf8') === want) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export async function waitUntil(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The CLI as users run it (the built bundle) in `dir`: for the tests that need a process to interrupt. */
export async function buildCli(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const { NODE_BUNDLE } = await import('../../../scripts/esbuild-options.mjs');
  const outfile = join(dir, 'cli.js');
  await build({
    ...NODE_BUNDLE,
    entryPoints: [join(__dirname, '..', '..', '..', 'src', 'cli', 'index.ts')],
    outfile,
  });
  return outfile;
}

/** Runs the CLI bundle with `args`, sends it SIGINT once `ready(stderr so far)`, and waits for its end. */
export async function interruptCli(
  bundle: string,
  args: string[],
  ready: (stderr: string) => boolean,
): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (t: string) => (err += t));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  await waitUntil('the CLI is ready to be interrupted', () => ready(err), 15_000);
  child.kill('SIGINT');
  return { code: await exited, err };
}
