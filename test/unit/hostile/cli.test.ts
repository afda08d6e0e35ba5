// Hostile input, part 3: the CLI reads only regular files within a size limit and fails in one line.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/cli';

const root = join(__dirname, '..', '..', '..');
const flnode1 = join(root, 'examples', 'cluster-healthy', 'flnode1.netsnap');
const dir = mkdtempSync(join(tmpdir(), 'netsnap-hostile-'));

function refusedInOneLine(r: { code: number; err: string }, message: string): void {
  expect(r.code).toBe(2);
  expect(r.err).toContain(message);
  expect(r.err.trim().split('\n')).toHaveLength(1);
}

/** Bad usage: the message in one line, then only the command's two-line usage (no stack trace). */
function refusedWithUsage(r: { code: number; err: string }, message: string, command: string): void {
  expect(r.code).toBe(2);
  const [first, ...usage] = r.err.trim().split('\n');
  expect(first).toContain(message);
  expect(usage).toEqual([
    expect.stringMatching(`^usage: netsnap ${command} `),
    `See 'netsnap ${command} --help'.`,
  ]);
}

describe('input bounds', () => {
  it('refuses a symlink to /dev/zero and a FIFO with no writer, without reading them', async () => {
    const zero = join(dir, 'zero.netsnap');
    symlinkSync('/dev/zero', zero);
    refusedInOneLine(await run('check', zero), 'not a regular file');
    const fifo = join(dir, 'fifo.netsnap');
    execFileSync('mkfifo', [fifo]);
    refusedInOneLine(await run('parse', fifo), 'not a regular file');
  });

  it('refuses a file over --max-size (default 20 MB, as netsnap.maxFileSizeMB)', async () => {
    const big = join(dir, 'big.netsnap');
    writeFileSync(big, readFileSync(flnode1, 'utf8').repeat(Math.ceil(1.5e6 / 4000)));
    refusedInOneLine(await run('check', '--max-size', '1', big), 'larger than --max-size 1 MB');
    expect((await run('check', '--max-size', '30', big)).code).toBe(0);
    refusedWithUsage(await run('check', '--max-size', 'lots', big), '--max-size wants megabytes', 'check');
    const settings = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: number }> } };
    };
    expect(settings.contributes.configuration.properties['netsnap.maxFileSizeMB']?.default).toBe(20);
    expect((await run('help')).out).toContain('default 20');
  });

  it('decodes UTF-16 with a byte order mark, LE and BE', async () => {
    const text = readFileSync(flnode1, 'utf8');
    const le = join(dir, 'le.netsnap');
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = join(dir, 'be.netsnap');
    writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    const plain = await run('parse', '--format', 'json', flnode1);
    for (const file of [le, be]) {
      const r = await run('parse', '--format', 'json', file);
      expect(r.code).toBe(0);
      expect(r.out.replaceAll(file, flnode1)).toBe(plain.out);
    }
  });

  it('says a whitespace-only file holds no snapshot (exit 2)', async () => {
    const blank = join(dir, 'blank.netsnap');
    writeFileSync(blank, ' \n\t\n\n');
    refusedInOneLine(await run('check', blank), 'no snapshot');
  });

  it('check reads a folder of .netsnap files, recursively', async () => {
    const cluster = join(dir, 'cluster');
    mkdirSync(join(cluster, 'deeper'), { recursive: true });
    for (const n of [1, 2])
      copyFileSync(
        join(root, 'examples', 'cluster-healthy', `flnode${n}.netsnap`),
        join(cluster, `flnode${n}.netsnap`),
      );
    copyFileSync(
      join(root, 'examples', 'cluster-healthy', 'flnode3.netsnap'),
      join(cluster, 'deeper', 'flnode3.netsnap'),
    );
    const r = await run('check', cluster);
    expect(r.code).toBe(0);
    for (const n of [1, 2, 3]) expect(r.out).toContain(`flnode${n}`);
  });
});

describe('usage', () => {
  it('trace exits 2 on bad usage, 1 only for a broken path', async () => {
    const r = await run('trace', '--from', 'nosuchnode', '--to', '10.27.3.2', flnode1);
    refusedWithUsage(r, 'no node or pod named nosuchnode', 'trace');
    refusedWithUsage(await run('trace', '--to', '10.27.3.2', flnode1), '--from is required', 'trace');
  });

  it('collect takes no ssh option as its output file and names a directory as one', async () => {
    refusedWithUsage(
      await run('collect', 'ssh', 'node1', '-oBatchMode=no'),
      'looks like an ssh option',
      'collect',
    );
    refusedInOneLine(await run('collect', 'local', '-o', dir), 'is a directory');
  });
});

describe('write errors on stdout (the built CLI)', () => {
  beforeAll(() => {
    execFileSync('node', [join(root, 'scripts', 'build.mjs')], { cwd: root });
  }, 120_000);

  it('ENOSPC: one line and exit 2, no stack trace', () => {
    const r = spawnSync(
      'sh',
      ['-c', `node "${join(root, 'dist', 'cli.js')}" parse --format json "${flnode1}" > /dev/full`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['netsnap: cannot write the output: ENOSPC']);
  });

  it('EPIPE: the reader went away; exit quietly', async () => {
    const big = join(dir, 'pipe.netsnap');
    writeFileSync(big, readFileSync(flnode1, 'utf8').repeat(200));
    const child = spawn('node', [join(root, 'dist', 'cli.js'), 'parse', '--format', 'json', big]);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
