// `collect exec`: the collector piped into a command the user gives (kubectl exec -i, docker exec -i,
// vagrant ssh -c …), which runs `sh -s` on the node. Here the commands are real ones this machine has:
// `sh -c 'exec sh -s'`, `env PATH=… sh -s`, and — inside a network namespace this file creates (root) —
// `ip netns exec NS sh -s` and `nsenter --net=/run/netns/NS sh -s`; and the failures: a command that is
// not installed, exits at once (`true`), never reads its stdin (`sleep`), or is cancelled midway.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  CollectInputError,
  collectorCommand,
  collectorInput,
  describeTarget,
  formatCommandLine,
  programName,
  splitCommandLine,
  validateCommand,
} from '../../src/collect';
import { COLLECTOR_SCRIPT } from '../../src/collect/script';
import { parseSnapshot } from '../../src/core';
import { collectedVia } from '../../src/core/language';
import { runCli } from './support/cli';
import { buildCli, interruptCli, pathWithout, processesRunning, waitUntil } from './support/processes';

const work = mkdtempSync(join(tmpdir(), 'netsnap-collect-exec-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** This machine's name as the collector records it (`from MACHINE`). */
const MACHINE = hostname().replace(/[^A-Za-z0-9._-]+/g, '_');
const HEADER =
  /^### node (\S+)\n### collected \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by netsnap via exec (\S+) from (\S+)\n/;

describe('splitting a typed command line (no shell)', () => {
  it('splits the recipes as sh would', () => {
    expect(
      splitCommandLine(
        'kubectl debug node/n1 -q -i --profile=sysadmin --image=busybox -- chroot /host sh -s',
      ),
    ).toEqual(
      'kubectl debug node/n1 -q -i --profile=sysadmin --image=busybox -- chroot /host sh -s'.split(' '),
    );
    expect(splitCommandLine("vagrant ssh n1 -c 'sudo sh -s'")).toEqual([
      'vagrant',
      'ssh',
      'n1',
      '-c',
      'sudo sh -s',
    ]);
    expect(splitCommandLine('  docker\texec -i "kind worker" sh -s  ')).toEqual([
      'docker',
      'exec',
      '-i',
      'kind worker',
      'sh',
      '-s',
    ]);
  });

  it('reads quotes, escapes, empty words and pasted line continuations', () => {
    expect(splitCommandLine(String.raw`a\ b "c\"d\\e" 'it'\''s' '' "" x"y"'z'`)).toEqual([
      'a b',
      'c"d\\e',
      "it's",
      '',
      '',
      'xyz',
    ]);
    // Inside double quotes a backslash escapes only " \ $ `; elsewhere it stays.
    expect(splitCommandLine(String.raw`"a\nb\$c"`)).toEqual([String.raw`a\nb$c`]);
    expect(splitCommandLine('kubectl exec -i \\\n  pod -- sh -s')).toEqual([
      'kubectl',
      'exec',
      '-i',
      'pod',
      '--',
      'sh',
      '-s',
    ]);
    expect(splitCommandLine('a \\\r\nb')).toEqual(['a', 'b']);
    // What a shell would act on passes when quoted, and mid-word `~` and `#` mean nothing.
    expect(splitCommandLine(`'a|b' "c;d" 'e$(f)' x~y a#b`)).toEqual(['a|b', 'c;d', 'e$(f)', 'x~y', 'a#b']);
  });

  it('refuses what a shell would have interpreted, saying why', () => {
    const cases: [string, RegExp][] = [
      [
        'kubectl exec -i pod -- sh -s | tee x',
        /^'\|' at character 30: netsnap runs the command without a shell/,
      ],
      ['a; b', /^';' at character 2/],
      ['a && b', /^'&' at character 3/],
      ['a > f', /^'>' at character 3/],
      ['a <f', /^'<'/],
      ['(a)', /^'\('/],
      ['echo $(x)', /^'\$' \(nothing is expanded\)/],
      ['echo `x`', /^'`' \(nothing is expanded\)/],
      ['echo "$HOME"', /^'\$' inside double quotes \(nothing is expanded\)/],
      ['kubectl --kubeconfig ~/k', /^'~' \(not expanded: write the path\)/],
      ['a #b', /^'#' \(a comment in a shell\)/],
      ["a 'b", /^an unclosed single quote at character 3/],
      ['a "b', /^an unclosed double quote at character 3/],
      ['a\\', /^a backslash at the end/],
      ['a\nb', /^a line break \(one command only\)/],
      ['', /^no command/],
      ['   ', /^no command/],
    ];
    for (const [line, why] of cases) {
      expect(() => splitCommandLine(line), JSON.stringify(line)).toThrow(CollectInputError);
      expect(() => splitCommandLine(line), JSON.stringify(line)).toThrow(why);
    }
  });

  it('shows an argv back as a line that splits to the same words, controls escaped', () => {
    for (const argv of [
      ['kubectl', 'exec', '-i', 'pod', '--', 'sh', '-s'],
      ['vagrant', 'ssh', 'n1', '-c', 'sudo sh -s'],
      ['a', '', "it's", 'x|y', '$(z)', '~', '#', 'two words', 'back\\slash'],
    ]) {
      expect(splitCommandLine(formatCommandLine(argv))).toEqual(argv);
    }
    expect(formatCommandLine(['vagrant', 'ssh', 'n1', '-c', 'sudo sh -s'])).toBe(
      "vagrant ssh n1 -c 'sudo sh -s'",
    );
    expect(formatCommandLine(['printf', '\u001b]52;c;eA==\u0007', 'a\nb'])).toBe(
      "printf '\\x1b]52;c;eA==\\x07' 'a\\nb'",
    );
  });
});

describe('the process an exec target starts', () => {
  const kubectl = ['kubectl', 'exec', '-i', '-n', 'kube-flannel', 'pod-1', '--', 'sh', '-s'];

  it('runs the command exactly as given; the script’s arguments come first on its stdin', () => {
    const target = { kind: 'exec' as const, argv: kubectl };
    expect(collectorCommand(target, { collectedOn: 'laptop' })).toEqual({
      file: 'kubectl',
      args: kubectl.slice(1),
    });
    expect(collectorInput(target, { collectedOn: 'laptop', nodeName: 'n1', fsRoot: '/host' })).toBe(
      `set -- -w -m 4194304 -t 10 -r /host -v exec:kubectl:laptop n1\n${COLLECTOR_SCRIPT}`,
    );
    // Words a shell would act on are just words here: nothing is joined or re-read.
    const hostile = ['/opt/bin/my tool', '$(touch x)', ';', "'", '`id`', '-oProxyCommand=x'];
    expect(collectorCommand({ kind: 'exec', argv: hostile })).toEqual({
      file: '/opt/bin/my tool',
      args: hostile.slice(1),
    });
    expect(collectorInput({ kind: 'exec', argv: hostile }, { collectedOn: 'my laptop' })).toMatch(
      /^set -- -w -m 4194304 -t 10 -v exec:my_tool:my_laptop\n# netsnap collector/,
    );
    // The other transports get the script alone.
    expect(collectorInput({ kind: 'local' })).toBe(COLLECTOR_SCRIPT);
  });

  it('names the program by its basename in plain characters', () => {
    expect(programName('/usr/local/bin/kubectl')).toBe('kubectl');
    expect(programName('./my tool;x')).toBe('my_tool_x');
    expect(programName('-x')).toBe('x');
    expect(programName('..')).toBe('command');
    expect(programName('/usr/bin/')).toBe('command');
    expect(programName('\u202eevil')).toBe('_evil');
    expect(describeTarget({ kind: 'exec', argv: ['/usr/bin/docker', 'exec'] })).toBe('exec docker');
  });

  it('refuses an empty or impossible command before starting anything', async () => {
    for (const argv of [[], [''], [' sh'], ['sh '], ['sh', 'a\0b'], Array<string>(257).fill('x')]) {
      expect(() => validateCommand(argv), JSON.stringify(argv).slice(0, 40)).toThrow(CollectInputError);
      await expect(collect({ kind: 'exec', argv })).rejects.toThrow(CollectInputError);
    }
    expect(() => validateCommand(['sh', 'x'.repeat(40_000)])).toThrow(/more than 32768/);
    expect(validateCommand(['sh', '-s'])).toEqual(['sh', '-s']);
  });
});

describe('the script’s arguments on its first line', { timeout: 30_000 }, () => {
  const input = collectorInput(
    { kind: 'exec', argv: ['sh', '-s'] },
    { nodeName: 'n1', collectedOn: 'laptop', perCommandTimeoutS: 2 },
  );

  it('are read by any sh -s, and recorded as an exec capture', () => {
    // (-w: stdin closes once spawnSync has written it, so the collection stops after its header.)
    const run = spawnSync('sh', ['-s'], { input, encoding: 'utf8' });
    expect(run.stdout).toMatch(HEADER);
    expect(HEADER.exec(run.stdout)?.slice(1)).toEqual(['n1', 'sh', 'laptop']);
    expect(collectedVia(run.stdout, 'n1')).toEqual({ kind: 'exec', target: 'sh', from: 'laptop' });
  });

  it('start nothing until the whole script has arrived', () => {
    // Cut anywhere before the last line (the one that runs it), the script runs no command at all.
    const last = input.lastIndexOf('netsnap_main "$@"');
    for (const cut of [5, input.indexOf('\n') + 1, 2000, Math.floor(input.length / 2), last, last + 10]) {
      const run = spawnSync('sh', ['-s'], { input: input.slice(0, cut), encoding: 'utf8' });
      expect(run.stdout, `cut at ${cut}`).toBe('');
      expect(run.stderr, `cut at ${cut}`).not.toContain('netsnap: running');
    }
  });

  it('the script takes exec as a KIND and still refuses anything but plain words', () => {
    const script = (...args: string[]) =>
      spawnSync('sh', ['-s', '--', '-t', '2', ...args], { input: COLLECTOR_SCRIPT, encoding: 'utf8' });
    expect(script('-v', 'exec:kubectl:laptop', 'n1').stdout).toMatch(
      / by netsnap via exec kubectl from laptop\n/,
    );
    for (const bad of ['exec:a;b:c', 'exec:$(x):c', 'exec:a b:c', 'exec']) {
      const refused = script('-v', bad, 'n1');
      expect([refused.status, refused.stdout], bad).toEqual([2, '']);
    }
  });
});

const NS = `nsexec-${process.pid}`;

describe('collect through real commands', { timeout: 60_000 }, () => {
  beforeAll(() => {
    // A namespace of its own with one recognisable interface: the transcript must come from inside it.
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['-n', NS, 'link', 'add', 'nsexec0', 'type', 'veth', 'peer', 'name', 'nsexec1']);
    execFileSync('ip', ['-n', NS, 'addr', 'add', '192.0.2.77/24', 'dev', 'nsexec0']);
    execFileSync('ip', ['-n', NS, 'link', 'set', 'nsexec0', 'up']);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS]);
  });

  it('sh -c "exec sh -s": a complete transcript, the node named by its hostname, the transport recorded', async () => {
    const progress: string[] = [];
    const result = await collect(
      { kind: 'exec', argv: ['sh', '-c', 'exec sh -s'] },
      { onProgress: (c) => progress.push(c) },
    );
    expect(result.error).toBeUndefined();
    expect(result.complete).toBe(true);
    expect(progress.slice(0, 2)).toEqual(['hostname', 'ip -d link']);
    const header = HEADER.exec(result.text);
    expect(header?.slice(2)).toEqual(['sh', MACHINE]);
    expect(result.node).toBe(header?.[1]);
    const snapshot = parseSnapshot(result.text, 'exec.netsnap');
    const sections = snapshot.nodes.flatMap((h) =>
      h.sections.map((s) => `${s.command ?? '?'} ${s.parser ?? 'UNREAD'}`),
    );
    expect(sections).toContain('ip -d link ip-link');
    expect(sections.filter((s) => s.endsWith('UNREAD'))).toEqual([]);
  });

  for (const [name, argv] of [
    ['ip netns exec', ['ip', 'netns', 'exec', NS, 'sh', '-s']],
    ['nsenter --net', ['nsenter', `--net=/run/netns/${NS}`, 'sh', '-s']],
  ] as const) {
    it(`${name}: the namespace's own interfaces, named by --node`, async () => {
      const result = await collect({ kind: 'exec', argv: [...argv] }, { nodeName: 'nsnode' });
      expect(result.error).toBeUndefined();
      expect(result.complete).toBe(true);
      expect(HEADER.exec(result.text)?.slice(1)).toEqual(['nsnode', argv[0], MACHINE]);
      const host = parseSnapshot(result.text, `${name}.netsnap`).nodes[0];
      expect(host?.name).toBe('nsnode');
      expect(host?.interfaces.map((i) => i.name).sort()).toEqual(['lo', 'nsexec0', 'nsexec1']);
      expect(result.text).toContain('192.0.2.77/24');
    });
  }

  it('a command that is not installed', async () => {
    const result = await collect({ kind: 'exec', argv: ['netsnap-no-such-command', 'sh', '-s'] });
    expect([result.complete, result.received, result.text]).toEqual([false, 0, '']);
    expect(result.error).toBe('netsnap-no-such-command is not installed (or not on PATH)');
  });

  it('a command that exits at once, with and without a status', async () => {
    const quiet = await collect({ kind: 'exec', argv: ['true'] });
    expect([quiet.complete, quiet.received, quiet.text, quiet.exitCode]).toEqual([false, 0, '', 0]);
    expect(quiet.error).toBe(
      'true exited without sending a netsnap transcript (does the command run sh -s on the node and pass it this stdin? kubectl exec and docker exec need -i)',
    );
    const failing = await collect({
      kind: 'exec',
      argv: ['sh', '-c', 'echo "pod n1 not found" >&2; exit 3'],
    });
    expect(failing.error).toBe('sh exited with status 3: pod n1 not found');
  });

  it('a command that never reads its stdin is stopped by the timeout, and its process group with it', async () => {
    const started = Date.now();
    const result = await collect({ kind: 'exec', argv: ['sleep', '3923'] }, { timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(6000);
    expect([result.complete, result.text, result.exitSignal]).toEqual([false, '', 'SIGTERM']);
    expect(result.error).toBe(
      'timed out after 1.5 s; nothing arrived: does the command run sh -s on the node and pass it this stdin? kubectl exec and docker exec need -i',
    );
    expect(processesRunning(['sleep', '3923'])).toEqual([]);
  });

  it('a command that is no shell: what it sent is kept, and the message says it is no transcript', async () => {
    const result = await collect({ kind: 'exec', argv: ['cat'] }, { timeoutMs: 1500 });
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(/^timed out after 1.5 s; what arrived is no netsnap transcript: /);
    expect(result.text.startsWith('set -- -w ')).toBe(true);
    expect(result.text).toMatch(/\n### netsnap: incomplete \(timed out after 1.5 s; what arrived/);
  });

  it('cancelled midway: the node side stops, what arrived is kept with a note', async () => {
    const hang = '#!/bin/sh\nexec sleep 3924\n';
    const bin = pathWithout(work, ['arp'], { arp: hang });
    const controller = new AbortController();
    const started = Date.now();
    const result = await collect(
      { kind: 'exec', argv: ['env', `PATH=${bin}`, 'sh', '-s'] },
      {
        nodeName: 'n1',
        perCommandTimeoutS: 60,
        signal: controller.signal,
        onProgress: (command) => {
          if (command === 'arp -en') setTimeout(() => controller.abort(), 300);
        },
      },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.complete).toBe(false);
    expect(result.error).toBe('cancelled');
    expect(result.text).toMatch(/^### node n1\n### collected \S+ by netsnap via exec env from /);
    expect(result.text).toContain('\n### ip neigh\n');
    expect(result.text).not.toContain('### bridge fdb show');
    expect(result.text).toMatch(/### netsnap: incomplete \(cancelled\)\n$/);
    await waitUntil('the hanging command is gone', () => processesRunning(['sleep', '3924']).length === 0);
  });

  it('cancelling a command that never reads its stdin', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await collect({ kind: 'exec', argv: ['sleep', '3925'] }, { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(5000);
    expect([result.complete, result.error, result.text]).toEqual([false, 'cancelled', '']);
    expect(processesRunning(['sleep', '3925'])).toEqual([]);
  });
});

describe('netsnap collect exec', { timeout: 60_000 }, () => {
  it('saves a complete snapshot to a new file; everything after -- is the command’s', async () => {
    const file = join(work, 'n1.netsnap');
    const cli = await runCli(
      ...'collect exec --node n1 -o'.split(' '),
      file,
      '--',
      'sh',
      '-c',
      'exec sh -s',
      '-o',
      'x',
    );
    expect(cli.code).toBe(0);
    expect(cli.out).toBe('');
    expect(cli.err).toContain('netsnap: exec sh: running ip -d link\n');
    expect(cli.err).toMatch(
      new RegExp(`netsnap: collected n1 from exec sh to ${file}: \\d+ commands, \\d+ failed\\n$`),
    );
    const text = readFileSync(file, 'utf8');
    expect(HEADER.exec(text)?.slice(1)).toEqual(['n1', 'sh', MACHINE]);
    expect(text).toMatch(/### end of netsnap collection: \d+ commands, \d+ failed, 0 cut\n$/);
    // `-o x` after -- went to sh (as $0 and $1), not to netsnap.
    expect(existsSync('x')).toBe(false);

    // Never over an existing file, and nothing is started.
    const marker = join(work, 'started');
    const again = await runCli('collect', 'exec', '-o', file, '--', 'touch', marker);
    expect(again.code).toBe(2);
    expect(again.err).toBe(
      `netsnap: collect: ${file} already exists (collect never overwrites a file: choose another name)\n`,
    );
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('prints to stdout without -o', async () => {
    const cli = await runCli('collect', 'exec', '--node', 'n2', '--', 'sh', '-s');
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/^### node n2\n### collected \S+ by netsnap via exec sh from /);
  });

  it('refuses bad usage before starting anything', async () => {
    const marker = join(work, 'usage-started');
    const cases: [string[], string][] = [
      [
        ['collect', 'exec'],
        'netsnap: collect: collect exec: put the command after --, e.g. netsnap collect exec -- kubectl exec -i -n kube-flannel POD -- sh -s\n',
      ],
      [
        ['collect', 'exec', '--'],
        'netsnap: collect: collect exec: put the command after --, e.g. netsnap collect exec -- kubectl exec -i -n kube-flannel POD -- sh -s\n',
      ],
      [
        ['collect', 'exec', 'touch', '--', 'touch', marker],
        "netsnap: collect: unexpected 'touch' (the command goes after --)\n",
      ],
      [
        ['collect', 'exec', '--ssh-config', '/dev/null', '--', 'touch', marker],
        'netsnap: collect: --ssh-config goes with ssh\n',
      ],
      [
        ['collect', 'exec', '--node', 'a;b', '--', 'touch', marker],
        "netsnap: collect: not a node name: \"a;b\" (expected letters, digits, '.', '_' and '-', not starting with '-')\n",
      ],
      [
        ['collect', 'exec', '--', '', 'x'],
        'netsnap: collect: not a program name: "" (empty, or starting or ending with a space)\n',
      ],
    ];
    // Each message is followed by collect's usage.
    const usage =
      "usage: netsnap collect [options] local|ssh HOST|netns NAME|exec -- CMD [ARG...]\nSee 'netsnap collect --help'.\n";
    for (const [argv, err] of cases) {
      const cli = await runCli(...argv);
      expect([cli.code, cli.err], argv.join(' ')).toEqual([2, `${err}${usage}`]);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('a command that exits at once, is missing, or never reads: one line and exit 1, no file left', async () => {
    const file = join(work, 'failed.netsnap');
    const quick = await runCli('collect', 'exec', '-o', file, '--', 'true');
    expect([quick.code, quick.err]).toEqual([
      1,
      'netsnap: collect exec true failed: true exited without sending a netsnap transcript (does the command run sh -s on the node and pass it this stdin? kubectl exec and docker exec need -i) (nothing was received)\n',
    ]);
    expect(existsSync(file)).toBe(false);
    const missing = await runCli('collect', 'exec', '-o', file, '--', '/nonexistent/kubectl', 'exec');
    expect([missing.code, missing.err]).toEqual([
      1,
      'netsnap: collect exec kubectl failed: /nonexistent/kubectl is not installed (or not on PATH) (nothing was received)\n',
    ]);
    const stuck = await runCli('collect', 'exec', '--timeout', '1', '-o', file, '--', 'sleep', '3926');
    expect(stuck.code).toBe(1);
    expect(stuck.err).toMatch(
      /^netsnap: collect exec sleep failed: timed out after 1 s; nothing arrived: .* \(nothing was received\)\n$/,
    );
    expect(existsSync(file)).toBe(false);
    expect(processesRunning(['sleep', '3926'])).toEqual([]);
  });

  it('a timeout midway leaves the partial snapshot in the file', async () => {
    const bin = pathWithout(work, ['arp'], { arp: '#!/bin/sh\nexec sleep 3927\n' });
    const file = join(work, 'partial.netsnap');
    const args = [...'collect exec --timeout 3 --command-timeout 60 -o'.split(' '), file, '--'];
    const cli = await runCli(...args, 'env', `PATH=${bin}`, 'sh', '-s');
    expect(cli.code).toBe(1);
    expect(cli.err).toContain(
      `netsnap: collect exec env failed: timed out after 3 s (the partial snapshot is in ${file})\n`,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('\n### ip route\n');
    expect(text).toMatch(/### netsnap: incomplete \(timed out after 3 s\)\n$/);
    await waitUntil('the hanging command is gone', () => processesRunning(['sleep', '3927']).length === 0);
  });

  it('Ctrl-C stops the command and leaves the partial snapshot', async () => {
    const bin = pathWithout(work, ['arp'], { arp: '#!/bin/sh\nexec sleep 3928\n' });
    const file = join(work, 'interrupted.netsnap');
    const { code, err } = await interruptCli(
      await buildCli(work),
      [...'collect exec --command-timeout 60 -o'.split(' '), file, '--', 'env', `PATH=${bin}`, 'sh', '-s'],
      (stderr) => stderr.includes('running arp -en') && processesRunning(['sleep', '3928']).length > 0,
    );
    expect(code).toBe(1);
    expect(err).toContain(
      `netsnap: collect exec env failed: cancelled (the partial snapshot is in ${file})\n`,
    );
    expect(readFileSync(file, 'utf8')).toMatch(/### netsnap: incomplete \(cancelled\)\n$/);
    await waitUntil('the hanging command is gone', () => processesRunning(['sleep', '3928']).length === 0);
  });
});

// The collector's stdin is what the user's command gets: write it to a file to show what any `sh -s` reads.
it('the documented pipe works by hand: { echo set -- …; cat collector.sh; } | sh -s', () => {
  const script = join(work, 'collector.sh');
  writeFileSync(script, COLLECTOR_SCRIPT);
  const out = execFileSync('sh', ['-c', `{ echo 'set -- -t 2 byhand'; cat "$1"; } | sh -s`, 'sh', script], {
    encoding: 'utf8',
  });
  expect(out).toMatch(/^### node byhand\n### collected \S+ by netsnap\n/);
  expect(out).toMatch(/### end of netsnap collection: /);
});
