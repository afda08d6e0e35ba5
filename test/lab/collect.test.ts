// `netsnap collect` against real nodes: the lab's namespaces (lab.sh) and real OpenSSH servers started
// inside them. The collector runs for real (sh, ip, bridge, brctl, route, arp) and its transcript goes
// through netsnap's own parser and analysis. Faults are real: a route deleted with ip, commands hidden
// or replaced on a host (bind mounts in that sshd's private mount namespace), a wrong key, an address
// nobody answers on.
//
// How the ssh client reaches the lab: sshd listens only on a lab address (10.18.19.12 in flnode2,
// 10.18.19.13 in flnode3) and the root namespace has no route there. The client (ssh, run by
// collect() on this machine, as for any user) is given `-F` a temporary config whose ProxyCommand
// opens the TCP connection from inside flnode1 (`ip netns exec flnode1 node tcp-relay.mjs %h %p`),
// so no test-only hook exists in the transport and no traffic leaves the lab's namespaces.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../../scripts/esbuild-options.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, CollectInputError, type CollectResult } from '../../src/collect';
import { analyze, parseSnapshot } from '../../src/core';
import type { Analysis, HostModel, Snapshot } from '../../src/core';
import { removePrivsepDir, type Sshd, sshKey, startSshd, writeSshConfig } from './ssh-lab.mjs';
import { runCli } from '../unit/support/cli';
import { processesRunning, waitUntil } from '../unit/support/processes';
import { lab, LAB, makeFsRoot } from './support';

const ROOT = join(__dirname, '..', '..');
const NODES = 3;
const nodes = Array.from({ length: NODES }, (_, i) => i + 1);
const work = mkdtempSync(join(tmpdir(), 'netsnap-collect-'));
/** What the fake hanging command runs: a sleep nobody else on the machine uses. */
const HANG_SECONDS = '3917';

function which(command: string): string {
  return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' }).trim();
}

/** The node's files, laid out below a root as on a flannel node (read with collect's fsRoot). */
function fsRoot(n: number): string {
  return join(work, 'roots', `flnode${n}`);
}

function parse(result: CollectResult, file: string): Snapshot {
  return parseSnapshot(result.text, file);
}

/** Errors and warnings, each with where it stands. */
function problems(analysis: Analysis): string[] {
  return analysis.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.node} ${f.code} ${f.file}:${f.line} ${f.message}`);
}

/** Every section read by a parser, nothing unread. */
function expectFullyRecognised(snapshot: Snapshot): void {
  expect(snapshot.issues.map((i) => `${i.line}: ${i.message}`)).toEqual([]);
  for (const host of snapshot.nodes) {
    for (const section of host.sections) {
      expect(section.parser, `section at line ${section.loc.line} (${section.command ?? ''})`).toBeDefined();
    }
  }
}

async function collectNetns(n: number): Promise<CollectResult> {
  const result = await collect({ kind: 'netns', name: `flnode${n}` }, { fsRoot: fsRoot(n) });
  expect(result.error).toBeUndefined();
  expect(result.complete).toBe(true);
  return result;
}

const hangers = (): number[] => processesRunning(['sleep', HANG_SECONDS]);

/** Routes, neighbours, FDB entries and interfaces, as comparable keys (no line numbers, no states). */
function dataPlane(host: HostModel): Record<string, string[]> {
  const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();
  return {
    routes: uniq(host.routes.map((r) => `${r.dst} via ${r.gateway ?? '-'} dev ${r.dev ?? '-'}`)),
    neighbours: uniq(host.neighbours.map((n) => `${n.ip} ${n.mac ?? '-'} ${n.dev ?? '-'}`)),
    fdb: uniq(host.fdb.map((f) => `${f.mac} ${f.dev ?? '-'} ${f.dst ?? '-'} ${f.master ?? '-'}`)),
    interfaces: uniq(
      host.interfaces.map(
        (i) =>
          `${i.name} ${i.kind ?? '-'} ${i.mac ?? '-'} ${i.mtu ?? '-'} ${i.addresses
            .map((a) => `${a.address}/${a.prefixLen ?? ''}`)
            .sort()
            .join(',')}`,
      ),
    ),
  };
}

beforeAll(() => {
  lab('up', String(NODES));
  for (const n of nodes) makeFsRoot(fsRoot(n), n);
});

afterAll(() => {
  spawnSync('bash', [LAB, 'down'], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
});

describe('collect netns', () => {
  it('collects every lab node: every section recognised, and the cluster checks clean', async () => {
    const dir = join(work, 'healthy');
    mkdirSync(dir);
    const snapshots: Snapshot[] = [];
    for (const n of nodes) {
      const progress: string[] = [];
      const result = await collect(
        { kind: 'netns', name: `flnode${n}` },
        { fsRoot: fsRoot(n), onProgress: (c) => progress.push(c) },
      );
      expect(result.complete).toBe(true);
      expect(result.node).toBe(`flnode${n}`);
      // The data plane's 20 commands and the forwarding path's (their number depends on the tools installed).
      expect(result.commands?.total).toBeGreaterThanOrEqual(29);
      expect(result.commands?.cut).toBe(0);
      expect(progress).toContain('iptables-save -c');
      expect(progress).toContain('nft list ruleset');
      expect(progress).toContain('ip -d link');
      expect(progress).toContain('bridge -j fdb show');
      const file = join(dir, `flnode${n}.netsnap`);
      writeFileSync(file, result.text);
      const snapshot = parse(result, file);
      expectFullyRecognised(snapshot);
      expect(snapshot.nodes.map((h) => h.name)).toEqual([`flnode${n}`]);
      const host = snapshot.nodes[0]!;
      expect(host.subnetEnv?.subnet).toBe(`10.27.${n}.1/24`);
      expect(host.cniConfigs.length).toBe(1);
      snapshots.push(snapshot);
    }
    expect(problems(analyze(snapshots))).toEqual([]);
    // The same through the CLI: `netsnap check` on the collected files finds no error.
    const check = await runCli('check', ...nodes.map((n) => join(dir, `flnode${n}.netsnap`)));
    expect(check.err).toBe('');
    expect(check.code).toBe(0);
  });

  it('a route deleted on a node shows up as route-missing once the nodes are collected again', async () => {
    execFileSync('ip', ['netns', 'exec', 'flnode1', 'ip', 'route', 'del', '10.27.2.0/24']);
    try {
      expect(spawnSync('bash', [LAB, 'ping', '1', '2']).status).not.toBe(0); // the kernel agrees
      const snapshots: Snapshot[] = [];
      for (const n of nodes) {
        const result = await collectNetns(n);
        snapshots.push(parse(result, `after-fault/flnode${n}.netsnap`));
      }
      const found = problems(analyze(snapshots));
      expect(found.some((p) => p.startsWith('flnode1 route-missing ') && p.includes('10.27.2.0/24'))).toBe(
        true,
      );
      // flnode2 still routes to flnode1, which has no way back: the other side of the same fault.
      expect([...new Set(found.map((p) => p.split(' ').slice(0, 2).join(' ')))].sort()).toEqual([
        'flnode1 route-missing',
        'flnode2 peer-asymmetry',
      ]);
    } finally {
      execFileSync('ip', [
        ...['netns', 'exec', 'flnode1', 'ip', 'route', 'replace', '10.27.2.0/24'],
        ...['via', '10.27.2.0', 'dev', 'flannel.1', 'onlink'],
      ]);
    }
    expect(spawnSync('bash', [LAB, 'ping', '1', '2']).status).toBe(0);
  });

  it('names the node after the namespace, or after --node', async () => {
    const named = await collect({ kind: 'netns', name: 'flnode3' }, { nodeName: 'worker-3' });
    expect(named.node).toBe('worker-3');
    expect(named.text.startsWith('### node worker-3\n')).toBe(true);
  });
});

describe('collect ssh (a real OpenSSH server in a lab namespace)', () => {
  const sshdirs = join(work, 'ssh');
  const config = join(sshdirs, 'ssh_config');
  const servers: Sshd[] = [];
  let main2: Sshd;
  let cliBundle: string;

  beforeAll(async () => {
    mkdirSync(sshdirs);
    const hostKey = sshKey(sshdirs, 'host_key');
    const goodKey = sshKey(sshdirs, 'id_good');
    const otherKey = sshKey(sshdirs, 'id_not_authorized');
    const authorizedKeys = [readFileSync(`${goodKey}.pub`, 'utf8')];

    // Fakes for the faulty hosts: a non-executable empty file hides a command; scripts replace one.
    const hidden = join(sshdirs, 'hidden');
    writeFileSync(hidden, '');
    chmodSync(hidden, 0o644);
    const hang = join(sshdirs, 'hang');
    writeFileSync(hang, `#!/bin/sh\nexec sleep ${HANG_SECONDS}\n`);
    chmodSync(hang, 0o755);
    const big = join(sshdirs, 'big-route');
    writeFileSync(
      big,
      [
        '#!/bin/sh',
        "echo 'Kernel IP routing table'",
        "echo 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface'",
        "yes '10.99.0.0       0.0.0.0         255.255.255.0   U     0      0        0 eth0' | head -c 10485760",
        '',
      ].join('\n'),
    );
    chmodSync(big, 0o755);

    const common = { dir: sshdirs, hostKey, authorizedKeys };
    main2 = await startSshd({ ...common, name: 'flnode2', ns: 'flnode2', address: '10.18.19.12' });
    servers.push(main2);
    const at13 = { ...common, ns: 'flnode3', address: '10.18.19.13' };
    servers.push(
      await startSshd({
        ...at13,
        name: 'missing',
        port: 2201,
        overlays: [
          { source: hidden, target: which('brctl') },
          { source: hidden, target: which('route') },
        ],
      }),
      await startSshd({
        ...at13,
        name: 'hang',
        port: 2202,
        overlays: [{ source: hang, target: which('arp') }],
      }),
      await startSshd({
        ...at13,
        name: 'big',
        port: 2203,
        overlays: [{ source: big, target: which('route') }],
      }),
    );
    const via = { viaNs: 'flnode1', identityFile: goodKey };
    writeSshConfig(config, {
      knownHosts: join(sshdirs, 'known_hosts'),
      hosts: [
        { ...via, alias: 'flnode2', hostName: '10.18.19.12' },
        { ...via, alias: 'wrong-key', hostName: '10.18.19.12', identityFile: otherKey },
        { ...via, alias: 'unreachable', hostName: '10.18.19.99' },
        { ...via, alias: 'missing-commands', hostName: '10.18.19.13', port: 2201 },
        { ...via, alias: 'hanging-arp', hostName: '10.18.19.13', port: 2202 },
        { ...via, alias: 'big-route', hostName: '10.18.19.13', port: 2203 },
      ],
    });
    // The CLI as users run it (the built bundle), for the tests that need a process to interrupt.
    cliBundle = join(work, 'cli.js');
    await build({
      ...NODE_BUNDLE,
      entryPoints: [join(ROOT, 'src', 'cli', 'index.ts')],
      outfile: cliBundle,
    });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    removePrivsepDir();
  });

  const ssh = (host: string) => ({ kind: 'ssh' as const, host, sshConfig: config });
  const logins = (server: Sshd): number =>
    server
      .log()
      .split('\n')
      .filter((l) => l.startsWith('Accepted ')).length;

  it('gets the same model over one ssh connection as through the namespace', async () => {
    const before = logins(main2);
    const viaSsh = await collect(ssh('flnode2'), { nodeName: 'flnode2', fsRoot: fsRoot(2) });
    expect(viaSsh.error).toBeUndefined();
    expect(viaSsh.complete).toBe(true);
    expect(logins(main2) - before).toBe(1);
    const viaNetns = await collectNetns(2);
    const a = parse(viaSsh, 'ssh/flnode2.netsnap');
    const b = parse(viaNetns, 'netns/flnode2.netsnap');
    expectFullyRecognised(a);
    expect(a.nodes.map((h) => h.name)).toEqual(['flnode2']);
    expect(dataPlane(a.nodes[0]!)).toEqual(dataPlane(b.nodes[0]!));
    expect(a.nodes[0]!.subnetEnv?.subnet).toBe('10.27.2.1/24');
    expect(a.nodes[0]!.routes.length).toBeGreaterThan(0);
    expect(a.nodes[0]!.fdb.some((f) => f.dst === '10.18.19.11')).toBe(true);
  });

  it('an unreachable host: a clear message after ConnectTimeout, and no file', async () => {
    const started = Date.now();
    const result = await collect(ssh('unreachable'), { connectTimeoutS: 1 });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(result.complete).toBe(false);
    expect(result.received).toBe(0);
    expect(result.text).toBe('');
    expect(result.error).toMatch(/^ssh to unreachable: could not connect or log in: .*timed out/i);
    const file = join(work, 'unreachable.netsnap');
    const cli = await runCli(
      'collect',
      'ssh',
      'unreachable',
      '--ssh-config',
      config,
      '-o',
      file,
      '--timeout',
      '4',
    );
    expect(cli.code).toBe(1);
    expect(cli.err).toContain(
      'netsnap: collect ssh unreachable failed: ssh to unreachable: could not connect',
    );
    expect(cli.err).toContain('nothing was received');
    expect(existsSync(file)).toBe(false);
  });

  it('a key the server does not accept: Permission denied, and no file', async () => {
    const result = await collect(ssh('wrong-key'));
    expect(result.complete).toBe(false);
    expect(result.exitCode).toBe(255);
    expect(result.error).toContain('ssh to wrong-key: could not connect or log in');
    expect(result.error).toContain('Permission denied (publickey)');
    const file = join(work, 'wrong-key.netsnap');
    const cli = await runCli('collect', 'ssh', 'wrong-key', '--ssh-config', config, '-o', file);
    expect(cli.code).toBe(1);
    expect(cli.err).toContain('Permission denied (publickey)');
    expect(existsSync(file)).toBe(false);
  });

  it('commands missing on the host: brctl falls back to bridge link show, route is recorded as not found', async () => {
    const file = join(work, 'missing.netsnap');
    const cli = await runCli(
      'collect',
      'ssh',
      'missing-commands',
      '--ssh-config',
      config,
      '-o',
      file,
      '--node',
      'n3',
    );
    expect(cli.code).toBe(0);
    expect(cli.err).toContain('netsnap: collected n3 from ssh missing-commands to');
    // The data-plane commands missing here fail; how many forwarding-path commands fail depends on the host.
    expect(cli.err).toMatch(/\d+ commands, \d+ failed/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('### brctl show');
    expect(text).toContain('\n### bridge link show\n');
    expect(text).toContain('\n### route -n\n### exit 127\n### stderr netsnap: route: command not found\n');
    expect(text).toMatch(/### end of netsnap collection: \d+ commands, \d+ failed, 0 cut\n$/);
    const snapshot = parseSnapshot(text, file);
    expectFullyRecognised(snapshot);
    const host = snapshot.nodes[0]!;
    expect(host.bridges.find((b) => b.name === 'cni0')?.ports.length).toBe(1);
    expect(host.routes.some((r) => r.dst === '10.27.1.0/24' && r.dev === 'flannel.1')).toBe(true);
  });

  it('a command that hangs is stopped after the per-command timeout; the rest is collected', async () => {
    const started = Date.now();
    const result = await collect(ssh('hanging-arp'), { perCommandTimeoutS: 2 });
    const took = Date.now() - started;
    expect(result.complete).toBe(true);
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(15_000); // the fake would sleep for an hour
    expect(result.text).toContain('\n### arp -en\n### exit 143\n### stderr netsnap: timed out after 2 s\n');
    expect(result.text).toContain('\n### bridge -j fdb show\n');
    // arp, and subnet.env, CNI configs and binaries (none here), besides forwarding-path commands this
    // host may lack.
    expect(result.commands?.failed).toBeGreaterThanOrEqual(4);
    expect(result.text).toContain('\n### cat /run/flannel/subnet.env\n### exit 1\n');
    expectFullyRecognised(parse(result, 'hang.netsnap'));
    await waitUntil('the hanging command is gone', () => hangers().length === 0);
  });

  it('a 10 MB output is cut at the limit, marked partial and noted; the rest is collected', async () => {
    const file = join(work, 'big.netsnap');
    const cli = await runCli('collect', 'ssh', 'big-route', '--ssh-config', config, '-o', file);
    expect(cli.code).toBe(0);
    expect(cli.err).toContain('1 cut');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(4_000_000);
    expect(size).toBeLessThan(4 * 1024 * 1024 + 1024 * 1024);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('\n### route -n | head -c 4194304\nKernel IP routing table\n');
    expect(text).toContain(
      '\n### note output cut at 4194304 bytes (the per-command limit): the rest was not collected\n',
    );
    expect(text).toMatch(/### end of netsnap collection: \d+ commands, \d+ failed, 1 cut\n$/);
    const host = parseSnapshot(text, file).nodes[0]!;
    const routeN = host.sections.find((s) => s.command?.startsWith('route -n'));
    expect(routeN?.partial).toBe(true);
    expect(host.sections.find((s) => s.command === 'ip route')?.partial).toBe(false);
  });

  it('cancelled midway: the remote commands stop and what arrived is returned with a note', async () => {
    const controller = new AbortController();
    const result = await collect(ssh('hanging-arp'), {
      perCommandTimeoutS: 60,
      signal: controller.signal,
      onProgress: (command) => {
        if (command === 'arp -en') setTimeout(() => controller.abort(), 300);
      },
    });
    expect(result.complete).toBe(false);
    expect(result.error).toBe('cancelled');
    expect(result.text).toContain('\n### ip neigh\n');
    expect(result.text).not.toContain('### bridge fdb show');
    expect(result.text).toMatch(/### netsnap: incomplete \(cancelled\)\n$/);
    await waitUntil('the remote command is gone', () => hangers().length === 0);
  });

  it('Ctrl-C on netsnap collect -o FILE stops the remote side and leaves the partial snapshot in FILE', async () => {
    const file = join(work, 'interrupted.netsnap');
    const child = spawn(
      process.execPath,
      [
        cliBundle,
        'collect',
        'ssh',
        'hanging-arp',
        '--ssh-config',
        config,
        '-o',
        file,
        '--command-timeout',
        '60',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t: string) => (err += t));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await waitUntil(
      'the CLI waits for arp',
      () => err.includes('running arp -en') && hangers().length > 0,
      15_000,
    );
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(err).toContain(
      `netsnap: collect ssh hanging-arp failed: cancelled (the partial snapshot is in ${file})`,
    );
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('### node ')).toBe(true);
    expect(text).toContain('\n### ip route\n');
    expect(text).toMatch(/### netsnap: incomplete \(cancelled\)\n$/);
    await waitUntil('the remote command is gone', () => hangers().length === 0);
  });

  it('hostile host names are refused before anything runs', async () => {
    const marker = join(work, 'pwned');
    for (const host of [`-oProxyCommand=touch ${marker}`, 'a;b', '$(x)', '`x`']) {
      await expect(collect({ kind: 'ssh', host, sshConfig: config })).rejects.toThrow(CollectInputError);
      const file = join(work, 'hostile.netsnap');
      const cli = await runCli('collect', 'ssh', '--ssh-config', config, '-o', file, '--', host);
      expect(cli.code).toBe(2);
      expect(cli.err).toContain('netsnap: collect: not an ssh host');
      expect(existsSync(file)).toBe(false);
    }
    expect(existsSync(marker)).toBe(false);
  });
});
