// The collector's parts that need no root: name validation, the argv each transport runs, the hosts an
// ssh config names (Include, globs), and the collector script itself run on this machine (`collect
// local`) — including with a PATH that lacks brctl and awk, with a hanging command, and with a tiny
// output limit. Lab tests (test/lab/collect.test.ts) cover namespaces and a real sshd.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import {
  collect,
  CollectInputError,
  collectorCommand,
  sshHosts,
  validateNetnsName,
  validateNodeName,
  validateSshHost,
} from '../../src/collect';
import { COLLECTOR_SCRIPT } from '../../src/collect/script';
import { parseSnapshot } from '../../src/core';
import type { Snapshot } from '../../src/core';
import { rmSync } from 'node:fs';
import { pathWithout as pathWithoutIn } from './support/processes';

const work = mkdtempSync(join(tmpdir(), 'netsnap-collect-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOSTILE = [
  '-oProxyCommand=touch /tmp/pwned',
  '-F/dev/null',
  'a;b',
  '$(x)',
  '`x`',
  'a b',
  "a'b",
  'a"b',
  'a|b',
  'a&b',
  'a>b',
  'a\nb',
  'host:22',
  'user@',
  '@host',
  'user@-oX',
  '-user@host',
  '',
];

describe('name validation', () => {
  it('accepts [user@]host made of letters, digits, dots, dashes and underscores', () => {
    for (const host of ['node1', 'k8snode028', 'root@worker-a', 'ops_user@10.18.19.12', 'a.b-c_d']) {
      expect(validateSshHost(host)).toBe(host);
    }
  });

  it('rejects anything that could become an option or shell syntax', () => {
    for (const host of HOSTILE) {
      expect(() => validateSshHost(host), JSON.stringify(host)).toThrow(CollectInputError);
    }
    expect(() => validateSshHost('a;b')).toThrow(/not an ssh host: "a;b"/);
  });

  it('checks namespace and node names the same way', () => {
    expect(validateNetnsName('flnode1')).toBe('flnode1');
    for (const bad of ['-x', '.', '..', 'a/b', 'a b', '$(x)', '']) {
      expect(() => validateNetnsName(bad), JSON.stringify(bad)).toThrow(CollectInputError);
    }
    expect(validateNodeName('worker-3')).toBe('worker-3');
    for (const bad of ['-w', 'a b', 'a;b', ''])
      expect(() => validateNodeName(bad)).toThrow(CollectInputError);
  });
});

describe('the process each transport starts', () => {
  it('local: sh reading the script on stdin', () => {
    expect(collectorCommand({ kind: 'local' })).toEqual({
      file: 'sh',
      args: ['-s', '--', '-w', '-m', '4194304', '-t', '10'],
    });
    expect(
      collectorCommand({ kind: 'local' }, { nodeName: 'n1', maxOutputBytes: 1000, fsRoot: '/host' }),
    ).toEqual({
      file: 'sh',
      args: ['-s', '--', '-w', '-m', '1000', '-t', '10', '-r', '/host', 'n1'],
    });
  });

  it('netns: ip netns exec, the node named after the namespace, the transport recorded', () => {
    expect(
      collectorCommand({ kind: 'netns', name: 'flnode1' }, { perCommandTimeoutS: 3, collectedOn: 'labhost' }),
    ).toEqual({
      file: 'ip',
      args: [
        ...['netns', 'exec', 'flnode1', 'sh', '-s', '--', '-w', '-m', '4194304', '-t', '3'],
        ...['-v', 'netns:flnode1:labhost', 'flnode1'],
      ],
    });
    // A machine name the script could not print as one plain word records no transport.
    expect(
      collectorCommand({ kind: 'netns', name: 'flnode1' }, { collectedOn: 'my laptop' }).args,
    ).not.toContain('-v');
  });

  it('ssh: batch mode, a connect timeout, the config file, and the host after --', () => {
    expect(
      collectorCommand(
        { kind: 'ssh', host: 'root@node7', sshConfig: '/x/config' },
        { timeoutMs: 8000, collectedOn: 'laptop' },
      ),
    ).toEqual({
      file: 'ssh',
      args: [
        ...['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=4', '-o', 'ControlMaster=no', '-T', '-x', '-a'],
        ...['-F', '/x/config', '--', 'root@node7', 'sh', '-s', '--', '-w', '-m', '4194304', '-t', '8'],
        ...['-v', 'ssh:root@node7:laptop'],
      ],
    });
  });

  it('refuses bad options before starting anything', () => {
    expect(() => collectorCommand({ kind: 'local' }, { maxOutputBytes: 0 })).toThrow(CollectInputError);
    expect(() => collectorCommand({ kind: 'local' }, { perCommandTimeoutS: 1.5 })).toThrow(CollectInputError);
    expect(() => collectorCommand({ kind: 'local' }, { fsRoot: 'relative' })).toThrow(CollectInputError);
    expect(() => collectorCommand({ kind: 'local' }, { fsRoot: '/a/../b' })).toThrow(CollectInputError);
    expect(() => collectorCommand({ kind: 'local' }, { nodeName: '-m' })).toThrow(CollectInputError);
  });
});

describe('hostile host names', () => {
  it('are rejected by collect() and by the CLI before any process starts', async () => {
    const marker = join(work, 'pwned');
    const out = join(work, 'hostile.netsnap');
    for (const host of [`-oProxyCommand=touch ${marker}`, 'a;b', '$(x)', '`x`', `x;touch ${marker}`]) {
      await expect(collect({ kind: 'ssh', host })).rejects.toThrow(CollectInputError);
      let err = '';
      const code = await main(
        ['collect', 'ssh', '-o', out, '--', host],
        () => undefined,
        (t) => (err += t),
      );
      expect(code).toBe(2);
      expect(err).toMatch(/^netsnap: collect: not an ssh host: /);
      expect(existsSync(out)).toBe(false);
    }
    // Without `--`, `-oProxyCommand=…` is ssh's option syntax, refused as such (not taken as `-o FILE`).
    let err = '';
    const code = await main(
      ['collect', 'ssh', `-oProxyCommand=touch ${marker}`],
      () => undefined,
      (t) => (err += t),
    );
    expect(code).toBe(2);
    expect(err).toMatch(/^netsnap: collect: '-oProxyCommand=touch .*' looks like an ssh option/);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`ProxyCommand=touch ${marker}`)).toBe(false);
  });

  it('namespace names too', async () => {
    await expect(collect({ kind: 'netns', name: '../../etc' })).rejects.toThrow(CollectInputError);
    let err = '';
    expect(
      await main(
        ['collect', 'netns', '--', '-x'],
        () => undefined,
        (t) => (err += t),
      ),
    ).toBe(2);
    expect(err).toContain('not a network namespace name');
  });
});

describe('sshHosts', () => {
  it('lists Host entries, skips patterns, and follows Include (globs, ~/.ssh-relative, ~, absolute)', async () => {
    const home = join(work, 'home');
    const ssh = join(home, '.ssh');
    mkdirSync(join(ssh, 'config.d'), { recursive: true });
    mkdirSync(join(home, 'etc'), { recursive: true });
    writeFileSync(
      join(ssh, 'config'),
      [
        '# user config',
        'Include config.d/*.conf',
        'Host bastion',
        '  HostName 192.0.2.10',
        '  User ops',
        'Host *.internal !secret * node?',
        '',
        'Host worker-a worker-b # two nodes',
        '  HostName=10.0.0.5',
        'Include ~/etc/extra "' + join(home, 'etc', 'abs') + '"',
        'Match host foo',
        '  HostName ignored',
        'Include config',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(ssh, 'config.d', '10-k8s.conf'),
      'Host k8snode028\n  HostName 10.1.2.28\nHost k8snode031\n',
    );
    writeFileSync(join(ssh, 'config.d', '20-more.conf'), 'HOST flnode1\nInclude config.d/nested\n');
    writeFileSync(join(ssh, 'config.d', '.hidden.conf'), 'Host hidden\n');
    writeFileSync(join(ssh, 'config.d', 'nested'), 'Host nested-host bastion\n');
    writeFileSync(join(ssh, 'config.d', 'not-matched.txt'), 'Host not-matched\n');
    writeFileSync(join(home, 'etc', 'extra'), 'Host extra\n');
    writeFileSync(join(home, 'etc', 'abs'), 'Host absolute\n');

    const hosts = await sshHosts(join(ssh, 'config'), { home });
    expect(hosts.map((h) => h.name)).toEqual([
      'k8snode028',
      'k8snode031',
      'flnode1',
      'nested-host',
      'bastion',
      'worker-a',
      'worker-b',
      'extra',
      'absolute',
    ]);
    expect(hosts.find((h) => h.name === 'k8snode028')).toMatchObject({
      hostName: '10.1.2.28',
      file: join(ssh, 'config.d', '10-k8s.conf'),
      line: 1,
    });
    // First named in the nested include; its HostName and User come from the later block, as in ssh.
    expect(hosts.find((h) => h.name === 'bastion')).toEqual({
      name: 'bastion',
      hostName: '192.0.2.10',
      user: 'ops',
      file: join(ssh, 'config.d', 'nested'),
      line: 1,
    });
    expect(hosts.find((h) => h.name === 'worker-b')).toMatchObject({ hostName: '10.0.0.5' });
    // The default file is ~/.ssh/config; a missing file names no host.
    expect((await sshHosts(undefined, { home })).length).toBe(9);
    expect(await sshHosts(join(home, 'nope'), { home })).toEqual([]);
  });
});

/** A host lacking the tools `without` (and with the fake ones in `extra`). */
const pathWithout = (without: string[], extra: Record<string, string> = {}) =>
  pathWithoutIn(work, without, extra);

function sectionsOf(snapshot: Snapshot): string[] {
  return snapshot.nodes.flatMap((h) => h.sections.map((s) => `${s.command ?? '?'} ${s.parser ?? 'UNREAD'}`));
}

describe('collect local (the collector script on this machine)', { timeout: 30_000 }, () => {
  it('records how the node was reached, and refuses anything but plain KIND:TARGET:FROM', () => {
    const script = (...args: string[]) =>
      spawnSync('sh', ['-s', '--', '-t', '2', ...args], { input: COLLECTOR_SCRIPT, encoding: 'utf8' });
    const reached = script('-v', 'ssh:root@node7:laptop', 'node7');
    expect(reached.stdout).toMatch(
      /^### node node7\n### collected \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by netsnap via ssh root@node7 from laptop\n/,
    );
    for (const bad of ['ssh:a;b:c', 'ftp:a:c', 'ssh:$(x):c', 'netns:a b:c']) {
      const refused = script('-v', bad, 'node7');
      expect([refused.status, refused.stdout, refused.stderr], bad).toEqual([
        2,
        '',
        'netsnap: -v wants KIND:TARGET:FROM in plain characters\n',
      ]);
    }
  });

  it('prints a transcript netsnap reads section by section', async () => {
    const progress: string[] = [];
    const result = await collect(
      { kind: 'local' },
      { nodeName: 'this-host', onProgress: (c) => progress.push(c) },
    );
    expect(result.error).toBeUndefined();
    expect(result.complete).toBe(true);
    expect(result.node).toBe('this-host');
    expect(result.text).toMatch(
      /^### node this-host\n### collected \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by netsnap\n/,
    );
    expect(progress.slice(0, 3)).toEqual(['hostname', 'ip -d link', 'ip addr']);
    const snapshot = parseSnapshot(result.text, 'local.netsnap');
    expect(snapshot.nodes.map((h) => h.name)).toEqual(['this-host']);
    const sections = sectionsOf(snapshot);
    expect(sections).toContain('ip -d link ip-link');
    expect(sections).toContain('ip -j -d link ip-link');
    expect(sections).toContain('bridge -j fdb show bridge-fdb');
    expect(sections.filter((s) => s.endsWith('UNREAD'))).toEqual([]);
  });

  it('without brctl and awk: bridge link show instead, the shell printer, same transcript shape', async () => {
    const env = { ...process.env, PATH: pathWithout(['brctl', 'awk']) };
    const result = await collect({ kind: 'local' }, { nodeName: 'bare', env });
    expect(result.complete).toBe(true);
    expect(result.text).not.toContain('### brctl show');
    expect(result.text).toContain('\n### bridge link show\n');
    // 20 data-plane commands, then the firewall and kernel ones (iptables -V, iptables-save, ip6tables-save,
    // nft, sysctl, /proc/modules for the missing lsmod, /proc/net/snmp, the kernel log, uname -r); the
    // backend-specific iptables and conntrack are run only where installed.
    expect(result.text).toMatch(/### end of netsnap collection: 29 commands, \d+ failed, 0 cut\n$/);
    expect(result.text).toContain(
      '\n### iptables-save -c\n### exit 127\n### stderr netsnap: iptables-save: command not found\n',
    );
    expect(result.text).toContain('\n### cat /proc/modules\n');
    const sections = sectionsOf(parseSnapshot(result.text, 'bare.netsnap'));
    expect(sections).toContain('bridge link show bridge-link');
    expect(sections.filter((s) => s.endsWith('UNREAD'))).toEqual([]);
  });

  it('a missing command is recorded with its exit status; the others still run', async () => {
    const env = { ...process.env, PATH: pathWithout(['arp', 'route']) };
    const result = await collect({ kind: 'local' }, { env });
    expect(result.complete).toBe(true);
    expect(result.text).toContain(
      '\n### arp -en\n### exit 127\n### stderr netsnap: arp: command not found\n',
    );
    expect(result.text).toContain(
      '\n### route -n\n### exit 127\n### stderr netsnap: route: command not found\n',
    );
    expect(result.text).toContain('\n### ip -j route\n');
  });

  it('a hanging command is stopped after the per-command timeout, by awk and by the shell printer', async () => {
    for (const without of [[], ['awk']]) {
      const hang = '#!/bin/sh\nexec sleep 3919\n';
      const env = { ...process.env, PATH: pathWithout(['arp', ...without], { arp: hang }) };
      const started = Date.now();
      const result = await collect({ kind: 'local' }, { env, perCommandTimeoutS: 1 });
      expect(Date.now() - started).toBeLessThan(6000);
      expect(result.complete).toBe(true);
      expect(result.text).toContain('\n### arp -en\n### exit 143\n### stderr netsnap: timed out after 1 s\n');
    }
  });

  it('cuts each output at the limit, marks it partial and notes it, by awk and by the shell printer', async () => {
    for (const without of [[], ['awk']]) {
      const env = { ...process.env, PATH: pathWithout(without) };
      const result = await collect({ kind: 'local' }, { env, maxOutputBytes: 100 });
      expect(result.complete).toBe(true);
      expect(result.text).toContain('\n### ip -d link | head -c 100\n');
      expect(result.text).toContain(
        '\n### note output cut at 100 bytes (the per-command limit): the rest was not collected\n',
      );
      expect(result.commands?.cut ?? 0).toBeGreaterThan(0);
      const snapshot = parseSnapshot(result.text, 'cut.netsnap');
      const link = snapshot.nodes[0]!.sections.find((s) => s.command === 'ip -d link | head -c 100');
      expect(link?.partial).toBe(true);
    }
  });

  it('stdin closing at any moment (-w) ends the script: its shell and printer never wait for each other', () => {
    // The caller's stdin closes right after the script (spawnSync), so the stop lands anywhere from the
    // commands' start to the last result; on a node nothing else would ever kill what is left.
    for (const without of [[], ['awk']]) {
      const env = { ...process.env, PATH: pathWithout(without) };
      for (let i = 0; i < 6; i++) {
        const run = spawnSync('sh', ['-s', '--', '-w', '-t', '2', 'n1'], {
          input: COLLECTOR_SCRIPT,
          encoding: 'utf8',
          env,
          timeout: 15_000,
          killSignal: 'SIGKILL',
        });
        expect([run.signal, run.status], `${without.join()} run ${i}`).toEqual([null, 143]);
        expect(run.stdout).toMatch(/^### node n1\n/);
        expect(run.stdout).not.toContain('### end of netsnap collection');
        // Nothing after the stop: no command it killed shows up as a result, and one note at most.
        expect(run.stdout).not.toMatch(/^### exit 143$/m);
        expect(run.stdout.split('### netsnap: incomplete').length).toBeLessThanOrEqual(2);
      }
    }
  });

  it('the overall timeout stops everything and keeps what arrived', async () => {
    const env = { ...process.env, PATH: pathWithout(['arp'], { arp: '#!/bin/sh\nexec sleep 3919\n' }) };
    const result = await collect({ kind: 'local' }, { env, timeoutMs: 1500, perCommandTimeoutS: 60 });
    expect(result.complete).toBe(false);
    expect(result.error).toBe('timed out after 1.5 s');
    expect(result.text).toContain('\n### ip neigh\n');
    expect(result.text).toMatch(/### netsnap: incomplete \(timed out after 1.5 s\)\n$/);
  });

  it('a transport that is not installed is a clear message, not a crash', async () => {
    const env = { ...process.env, PATH: join(work, 'empty-path') };
    const result = await collect({ kind: 'ssh', host: 'somewhere' }, { env });
    expect(result.complete).toBe(false);
    expect(result.error).toBe('ssh is not installed (or not on PATH)');
  });
});
