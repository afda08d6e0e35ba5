// The netsnap command, run in-process (main) for its contracts and once as the built bundle.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands';
import { main } from '../../src/cli/main';
import { colourWanted } from '../../src/cli/terminal';
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

  it('words routes and interfaces as every other view does (model/describe.ts)', async () => {
    const text = (await run('parse', healthy[0]!)).out;
    expect(text).toContain('      10.27.3.0/24 via 10.27.3.0 dev flannel.1 (UG)  [line 7]\n');
    expect(text).toContain(
      '      flannel.1 (vxlan) link/ether 42:32:74:de:01:01 mtu 1450 up vxlan id 1 local 10.18.19.11 dev eth0 dstport 8472 nolearning addresses 10.27.1.0/32',
    );
    expect(text).toContain('      10.27.3.0 → 42:32:74:de:03:03 dev flannel.1 CM  [line 14]\n');
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
  const bundle = (env: Record<string, string>, ...argv: string[]) => {
    const clean = { ...process.env };
    for (const key of ['FORCE_COLOR', 'NO_COLOR', 'NODE_DISABLE_COLORS']) delete clean[key];
    return spawnSync('node', [join(root, 'dist', 'cli.js'), ...argv], {
      encoding: 'utf8',
      env: { ...clean, ...env },
    });
  };

  it('runs as the netsnap bin, with the version of package.json', { timeout: 120_000 }, () => {
    execFileSync('node', [join(root, 'scripts', 'build.mjs')], { cwd: root });
    const r = bundle({}, 'check', ...healthy);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('flnode3');
    expect(r.stdout).toContain('healthy');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(bundle({}, '--version').stdout).toBe(`netsnap ${pkg.version}\n`);
  });

  it('colours a pipe only when FORCE_COLOR asks, and never with FORCE_COLOR=0', { timeout: 60_000 }, () => {
    expect(bundle({}, 'check', ...changed).stdout).not.toContain('\x1b[');
    expect(bundle({ NO_COLOR: '1' }, 'check', ...changed).stdout).not.toContain('\x1b[');
    expect(bundle({ FORCE_COLOR: '0' }, 'check', ...changed).stdout).not.toContain('\x1b[');
    const forced = bundle({ FORCE_COLOR: '1' }, 'check', ...changed).stdout;
    // util.styleText: red on, red off (39); the fix in green.
    expect(forced).toContain('\x1b[31merror\x1b[39m');
    expect(forced).toContain(
      '\x1b[32mip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent\x1b[39m',
    );
  });
});

describe('colour', () => {
  const tty = (colours: boolean) => ({ isTTY: true, hasColors: () => colours });
  it('follows the terminal, NO_COLOR and FORCE_COLOR', () => {
    expect(colourWanted(tty(true), {})).toBe(true);
    expect(colourWanted(tty(false), {})).toBe(false);
    expect(colourWanted(tty(true), { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted(tty(true), { NO_COLOR: '' })).toBe(true);
    expect(colourWanted(tty(true), { NODE_DISABLE_COLORS: '1' })).toBe(false);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({}, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted(tty(true), { FORCE_COLOR: '0', NO_COLOR: '' })).toBe(false);
    expect(colourWanted({}, { FORCE_COLOR: '', NO_COLOR: '1' })).toBe(true);
  });

  it('escapes snapshot text before colouring it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsnap-colour-'));
    // The file's name reaches the output in every citation of its lines.
    const file = join(dir, 'flnode1\x1b[2J.netsnap');
    writeFileSync(file, readFileSync(changed[0]!, 'utf8'));
    let out = '';
    await main(
      ['check', file, changed[1]!, changed[2]!],
      (t) => (out += t),
      () => undefined,
      {
        colour: true,
      },
    );
    expect(out).toContain('\x1b[31m'); // coloured
    expect(out).toContain('flnode1\\x1b[2J.netsnap:14'); // but the name's escape shown, not sent
    expect(out).not.toContain('\x1b[2J');
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

describe('help and usage', () => {
  it('--help lists every command of the table and the exit codes; exit 0 on stdout', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(...argv);
      expect([r.code, r.err]).toEqual([0, '']);
      for (const name of Object.keys(COMMANDS)) expect(r.out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(r.out).toMatch(/^ {2}1 {3}check: a finding at error level; trace: the packet does not arrive;/m);
      expect(r.out).toMatch(/^ {2}2 {3}bad usage/m);
    }
    // No command at all: the help, on stderr, exit 2.
    const bare = await run();
    expect([bare.code, bare.out]).toEqual([2, '']);
    expect(bare.err).toContain('usage: netsnap COMMAND');
  });

  it('COMMAND --help shows its usage, every option of its row with choices and defaults, its exit codes', async () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      const r = await run(name, '--help');
      expect([r.code, r.err], name).toEqual([0, '']);
      expect(r.out.split('\n')[0]).toBe(`usage: netsnap ${name} [options] ${spec.operands}`);
      for (const o of spec.options) expect(r.out, `${name} --${o.name}`).toContain(`--${o.name}`);
      expect((await run('help', name)).out).toBe(r.out);
      for (const line of r.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    }
    const check = (await run('check', '-h')).out;
    expect(check).toContain('--format text|json');
    expect(check).toContain('(default text)');
    expect(check).toContain('-v, --verbose');
    expect(check).toMatch(/^ {2}1 {3}a finding at error level$/m);
    expect((await run('diff', '--help')).out).not.toMatch(/^ {2}1 /m); // diff never exits 1
  });

  it('a usage error is one line naming the command, then its usage, on stderr; exit 2', async () => {
    const cases: [string[], string][] = [
      [['check', '--format', 'xml', ...healthy], "netsnap: check: --format must be text or json, not 'xml'"],
      [['check', '--bogus', ...healthy], "netsnap: check: Unknown option '--bogus'"],
      [['check'], 'netsnap: check: name at least one FILE or FOLDER'],
      [['trace', '--to', '10.27.3.2', ...healthy], 'netsnap: trace: --from is required'],
      [['trace', '--from', 'flnode1', ...healthy], 'netsnap: trace: --to is required'],
      [['diff', healthy[0]!], 'netsnap: diff: name OLD and NEW (each a file or a folder)'],
      [['collect', 'nowhere'], "netsnap: collect: unknown target 'nowhere'"],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      const name = argv[0]!;
      expect([r.code, r.out, r.err], argv.join(' ')).toEqual([
        2,
        '',
        `${message}\nusage: netsnap ${name} [options] ${COMMANDS[name as 'check'].operands}\nSee 'netsnap ${name} --help'.\n`,
      ]);
    }
    const unknown = await run('frobnicate');
    expect(unknown.err.split('\n')[0]).toBe("netsnap: unknown command 'frobnicate'");
    expect(unknown.err).toContain("See 'netsnap --help'.");
    expect((await run('help', 'frobnicate')).code).toBe(2);
  });

  it('an input that cannot be read is one line, without the usage', async () => {
    const r = await run('check', join(root, 'nope.netsnap'));
    expect([r.code, r.err]).toEqual([2, `netsnap: ${join(root, 'nope.netsnap')}: no such file or folder\n`]);
  });
});

describe('check text', () => {
  const lines = (text: string) => text.split('\n');

  it('one short summary line per node, the checks that could not run under it with their commands', async () => {
    const r = await run('check', ...changed);
    const summary = lines(r.out.slice(r.out.indexOf('Summary\n')));
    expect(summary.slice(0, 9)).toEqual([
      'Summary',
      '  flnode1  10.27.1.0/24  1 error, 0 warnings, 0 infos',
      '    not checked; add to the capture:',
      '      iptables-save (and nft list ruleset)  firewall verdicts on pod and VXLAN…',
      '      sysctl net.ipv4.ip_forward            IP forwarding',
      "      ethtool -k flannel.1                  the VTEP's checksum offload",
      '  flnode2  10.27.2.0/24  1 error, 0 warnings, 0 infos',
      '    not checked: the same 3 checks as flnode1',
      '  flnode3  10.27.3.0/24  2 errors, 0 warnings, 0 infos',
    ]);
    expect(summary.at(-2)).toBe('3 hosts: 4 errors, 0 warnings, 0 infos');
    for (const line of summary) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('prints each finding with its file:line, message and fix', async () => {
    const r = await run('check', ...changed);
    const at = lines(r.out).indexOf(`  error [neigh-mac-mismatch] ${changed[0]}:14`);
    expect(at).toBeGreaterThan(0);
    expect(lines(r.out)[at - 1]).toBe('flnode1');
    expect(lines(r.out)[at + 1]).toBe(
      "    flnode1 cannot reach pods on flnode3: its neighbour entry holds flnode3's old VTEP MAC",
    );
    expect(lines(r.out)[at + 2]).toMatch(
      /^ {4}Neighbour 10\.27\.3\.0 on flannel\.1 points to 42:32:74:de:03:03/,
    );
    expect(lines(r.out)).toContain(`    see ${changed[2]}:38 (flnode3's live VTEP MAC 42:32:74:de:33:99)`);
    const fix = lines(r.out).indexOf('    fix:', at);
    expect(lines(r.out)[fix + 1]).toBe(
      '      ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
    );
  });

  it('fits the short list to the terminal; --verbose gives each check in full and the node details', async () => {
    const seed = example('k8snode028.netsnap');
    let short = '';
    const narrow = await main(
      ['check', seed],
      (t) => void (short += t),
      () => undefined,
      { colour: false, columns: 60 },
    );
    expect(narrow).toBe(0);
    const skipped = lines(short).filter((l) => l.startsWith('      '));
    expect(skipped.length).toBeGreaterThan(3);
    for (const line of skipped) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(short).toContain('      ip -d link');
    expect(short).not.toContain('only a partial listing');
    const verbose = await run('check', '--verbose', seed);
    expect(verbose.out).toContain(
      'missing neighbour entries and unused FDB entries (only a partial listing: | grep 10.29.13.0)',
    );
    expect(verbose.out).toContain(
      'a missing VTEP device (only a partial listing: up interfaces only; type bridge; type veth); VXLAN VNI, port, learning and local address',
    );
    expect(verbose.out).toContain(`    ${seed}:1  VNI 1, pods backend-6b7b58986c-jdnhn`);
    expect((await run('check', '-v', ...changed)).out).toContain(
      `    ${changed[0]}:1  public IP 10.18.19.11, VTEP MAC 42:32:74:de:01:01, VNI 1`,
    );
  });
});

describe('trace text', () => {
  it('is the editor report’s text: hops with their lines, then the verdict', async () => {
    const ok = await run('trace', '--from', 'flnode1', '--to', '10.27.3.2', ...healthy);
    const out = ok.out.split('\n');
    expect(out[0]).toBe('Trace flnode1 → 10.27.3.2');
    expect(out[2]).toBe(
      `  1. [flnode1] route 10.27.3.0/24 via 10.27.3.0 dev flannel.1 — ok  ${healthy[0]}:7`,
    );
    expect(out.at(-2)).toMatch(/^Delivered on flnode3 through cni0/);
    const broken = await run('trace', '--from', 'flnode1', '--to', '10.27.3.2', ...changed);
    expect(broken.out).toMatch(/^ {2}2\. \[flnode1\] neighbour 10\.27\.3\.0 → 42:32:74:de:03:03 — BROKEN/m);
    expect(broken.out.split('\n').at(-2)).toMatch(/^Not delivered: dropped at flnode3: /);
  });
});
