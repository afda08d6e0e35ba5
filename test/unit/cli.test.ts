// The netsnap command, run in-process (main) for its contracts and once as the built bundle.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli';

const root = join(__dirname, '..', '..');
const example = (f: string) => join(root, 'examples', f);
const healthy = [1, 2, 3].map((n) => example(`cluster-healthy/flnode${n}.netsnap`));
const changed = [1, 2, 3].map((n) => example(`cluster-vtep-mac-changed/flnode${n}.netsnap`));

const run = runCli;

describe('netsnap parse', () => {
  it('prints the model as text and as JSON', async () => {
    const text = await run('parse', example('k8snode028.netsnap'));
    expect(text.code).toBe(0);
    expect(text.out).toContain('node k8snode028');
    expect(text.out).toContain('pod backend-6b7b58986c-jdnhn');
    const json = await run('parse', '--format', 'json', example('k8snode028.netsnap'));
    const model = JSON.parse(json.out) as { snapshots: { nodes: { name: string; routes: unknown[] }[] }[] };
    expect(model.snapshots[0]!.nodes[0]!.name).toBe('k8snode028');
    expect(model.snapshots[0]!.nodes[0]!.routes).toHaveLength(19);
  });

  it('rejects missing, empty, binary inputs and folders with no snapshot with a clear message and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsnap-cli-'));
    const empty = join(dir, 'empty.netsnap');
    writeFileSync(empty, '');
    const binary = join(dir, 'bin.netsnap');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0, 0]));
    for (const [path, message] of [
      [join(dir, 'nope.netsnap'), 'no such file'],
      [empty, 'the file is empty'],
      [binary, 'binary'],
      [mkdtempSync(join(tmpdir(), 'netsnap-cli-none-')), 'no .netsnap files in this folder'],
    ] as const) {
      const r = await run('parse', path);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err).not.toContain('    at '); // no stack trace
    }
  });

  it('explains bad usage', async () => {
    expect((await run('parse')).err).toContain('name at least one FILE');
    expect((await run('parse', '--format', 'xml', example('k8snode028.netsnap'))).code).toBe(2);
    expect((await run('frobnicate')).err).toContain("unknown command 'frobnicate'");
    expect((await run('parse', '--bogus', 'x')).code).toBe(2);
  });
});

describe('netsnap check', () => {
  it('exits 0 on a healthy cluster and 1 when an error is found', async () => {
    expect((await run('check', ...healthy)).code).toBe(0);
    const broken = await run('check', ...changed);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('[neigh-mac-mismatch]');
    expect(broken.out).toContain(
      'ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
    );
    expect(broken.out).not.toContain('\x1b['); // not a terminal: no colour
  });

  it('keeps the JSON contract', async () => {
    const r = await run('check', '--format', 'json', ...changed);
    const json = JSON.parse(r.out) as {
      nodes: Record<string, unknown>[];
      findings: Record<string, unknown>[];
    };
    expect(json.nodes.map((n) => [n['name'], n['file']])).toEqual(
      changed.map((f, i) => [`flnode${i + 1}`, f]),
    );
    for (const f of json.findings) {
      for (const key of ['code', 'severity', 'node', 'file', 'line', 'message'])
        expect(f).toHaveProperty(key);
    }
  });
});

describe('netsnap trace', () => {
  it('prints the hops and exits by the verdict', async () => {
    const ok = await run('trace', '--from', 'flnode1', '--to', '10.27.3.2', ...healthy);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('FDB 42:32:74:de:03:03 → dst 10.18.19.13');
    const broken = await run(
      'trace',
      '--from',
      'flnode1',
      '--to',
      '10.27.3.2',
      '--format',
      'json',
      ...changed,
    );
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toMatchObject({ from: 'flnode1', to: '10.27.3.2', delivered: false });
    expect((await run('trace', '--to', '10.27.3.2', ...healthy)).err).toContain('--from is required');
  });
});

describe('the built bundle', () => {
  it('runs as the netsnap bin', () => {
    execFileSync('node', [join(root, 'scripts', 'build.mjs')], { cwd: root });
    const r = spawnSync('node', [join(root, 'dist', 'cli.js'), 'check', ...healthy], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('flnode3');
    expect(r.stdout).toContain('healthy');
  });
});

describe('netsnap diff', () => {
  it('compares two folders (clusters) and names what changed', async () => {
    const r = await run(
      'diff',
      join(root, 'examples', 'cluster-healthy'),
      join(root, 'examples', 'cluster-vtep-mac-changed'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('42:32:74:de:03:03 → 42:32:74:de:33:99');
    expect(r.out).toContain('neigh-mac-mismatch');
    const json = JSON.parse(
      (
        await run(
          'diff',
          '--format',
          'json',
          join(root, 'examples', 'cluster-healthy'),
          join(root, 'examples', 'cluster-vtep-mac-changed'),
        )
      ).out,
    ) as {
      findings: { appeared: { code: string }[] };
    };
    expect(json.findings.appeared.map((f) => f.code)).toContain('neigh-mac-mismatch');
  });

  it('needs exactly two operands that exist', async () => {
    expect((await run('diff', healthy[0]!)).err).toContain('name OLD and NEW');
    expect((await run('diff', healthy[0]!, join(root, 'nope'))).err).toContain('no such file or folder');
  });
});
