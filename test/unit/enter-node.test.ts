// The lines people type to reach a node before pasting (`ssh NODE`, `vagrant ssh NAME`, `minikube ssh`,
// `docker exec -it ID sh`, `kubectl debug node/NAME -it …`, `nsenter -t 1 -n`) say where the commands
// after them ran, until `exit`. The outputs in these transcripts are cut from the bundled captures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/core';
import { readShellMove } from '../../src/core/util/shell-command';
import { splitSnapshot } from '../../src/core/snapshot/split';

/** The output of `command` in a bundled capture (the lines after its prompt, up to the next prompt). */
function output(file: string, command: string): string[] {
  const lines = readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.endsWith(`]# ${command}`));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('[root@'));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((l) => l !== '');
}

describe('readShellMove', () => {
  it.each([
    ['minikube ssh', {}],
    ['minikube ssh -n minikube-m02', { node: 'minikube-m02' }],
    ['vagrant ssh flnode1', { node: 'flnode1' }],
    ['vagrant ssh', {}],
    ['ssh flnode1', { node: 'flnode1' }],
    ['ssh -p 2222 -i ~/.ssh/id_ed25519 root@flnode2', { node: 'flnode2' }],
    ['ssh -t core@flnode3 sudo -i', { node: 'flnode3' }],
    ['ssh ssh://vagrant@flnode1:2222', { node: 'flnode1' }],
    ['ssh root@10.18.19.11', {}],
    ['docker exec -it 1a84ab994e5d sh', {}],
    ['sudo docker exec -it kind-worker /bin/bash', {}],
    ['kubectl debug node/flnode2 -it --image=busybox', { node: 'flnode2' }],
    ['kubectl debug -n kube-system node/flnode2 -it --image busybox -- chroot /host', { node: 'flnode2' }],
    ['oc debug node/flnode3', { node: 'flnode3' }],
    ['nsenter -t 1 -n', {}],
    ['nsenter --target 1 --mount --uts --ipc --net --pid -- bash -l', {}],
    ['sudo -i', {}],
    ['su -', {}],
    ['chroot /host', {}],
  ])('%s enters a shell', (line, node) => {
    expect(readShellMove(line)).toEqual({ kind: 'enter', ...node });
  });

  it.each(['exit', 'exit 0', 'logout'])('%s leaves it', (line) => {
    expect(readShellMove(line)).toEqual({ kind: 'leave' });
  });

  it.each([
    'ssh flnode1 route -n',
    "ssh flnode1 'ip -d link show flannel.1'",
    "vagrant ssh flnode1 -c 'sudo arp -e'",
    'minikube ssh -- ip route',
    'docker exec 1a84ab994e5d cat /run/flannel/subnet.env',
    'docker exec 1a84ab994e5d sh',
    'kubectl debug node/flnode2 --image=busybox',
    'kubectl debug node/flnode2 -it --image=busybox -- ip route',
    'kubectl debug mypod -it --image=busybox',
    'nsenter -t 1 -n ip route',
    "sh -c 'route -n'",
    'ssh flnode1 | tee log',
    'route -n',
    '',
  ])('%s runs a command, not a shell', (line) => {
    expect(readShellMove(line)).toBeUndefined();
  });
});

describe('transcripts that enter a node', () => {
  it('ssh from a laptop: the commands after it ran on the node it names, until exit', () => {
    const text = [
      'me@laptop:~$ ssh root@flnode1',
      'Last login: Wed Dec  2 02:10:44 2026 from 10.18.19.1',
      '# route -n',
      ...output('cluster-healthy/flnode1.netsnap', 'route -n'),
      '# arp -e',
      ...output('cluster-healthy/flnode1.netsnap', 'arp -e'),
      '# exit',
      'logout',
      'Connection to flnode1 closed.',
      'me@laptop:~$ ',
    ].join('\n');
    const snap = parseSnapshot(text, 'pasted.netsnap');
    expect(snap.issues).toEqual([]);
    expect(snap.nodes.map((n) => n.name)).toEqual(['flnode1']);
    const node = snap.nodes[0]!;
    expect(node.routes.filter((r) => r.dev === 'flannel.1').map((r) => r.dst)).toEqual([
      '10.27.2.0/24',
      '10.27.3.0/24',
    ]);
    expect(node.neighbours.map((n) => n.ip)).toContain('10.27.3.0');
    const split = splitSnapshot(text, 'pasted.netsnap');
    // The ssh line, its banner, and the exit with what ssh printed on leaving: understood, no section.
    expect(split.skipped).toEqual(expect.arrayContaining([1, 2, 17, 18, 19, 20]));
    expect(split.sections.map((s) => [s.command?.raw, s.host])).toEqual([
      ['route -n', 'flnode1'],
      ['arp -e', 'flnode1'],
    ]);
  });

  it('vagrant ssh into two machines in turn, with a root shell on the way', () => {
    const text = [
      '$ vagrant ssh flnode1',
      '$ sudo -i',
      '# route -n',
      ...output('cluster-healthy/flnode1.netsnap', 'route -n'),
      '# exit',
      '$ exit',
      '$ vagrant ssh flnode3',
      '$ sudo route -n',
      ...output('cluster-healthy/flnode3.netsnap', 'route -n'),
    ].join('\n');
    const snap = parseSnapshot(text, 'vagrant.netsnap');
    expect(snap.issues).toEqual([]);
    expect(
      snap.nodes.map((n) => [n.name, n.routes.filter((r) => r.dev === 'cni0').map((r) => r.dst)]),
    ).toEqual([
      ['flnode1', ['10.27.1.0/24']],
      ['flnode3', ['10.27.3.0/24']],
    ]);
  });

  it('kubectl debug node/NAME with busybox: the bare `/ #` prompts ran on that node', () => {
    const text = [
      'me@laptop:~$ kubectl debug node/flnode2 -it --image=busybox',
      'Creating debugging pod node-debugger-flnode2-7x2kq with container debugger on node flnode2.',
      "If you don't see a command prompt, try pressing enter.",
      '/ # route -n',
      ...output('cluster-healthy/flnode2.netsnap', 'route -n'),
      '/ # cat /host/run/flannel/subnet.env',
      ...output('cluster-healthy/flnode2.netsnap', 'cat /run/flannel/subnet.env'),
      '/ # exit',
    ].join('\n');
    const snap = parseSnapshot(text, 'debug.netsnap');
    expect(snap.issues).toEqual([]);
    expect(snap.nodes.map((n) => [n.name, n.subnetEnv?.subnet])).toEqual([['flnode2', '10.27.2.1/24']]);
  });

  it('minikube ssh and nsenter -t 1 -n name no node: the prompt or the file does', () => {
    const text = [
      '$ minikube ssh -n minikube-m02',
      'docker@minikube-m02:~$ sudo brctl show',
      ...output('cluster-healthy/flnode2.netsnap', 'brctl show'),
      'docker@minikube-m02:~$ exit',
      '$ minikube ssh',
      '$ sudo route -n',
      ...output('cluster-healthy/flnode1.netsnap', 'route -n'),
      '$ exit',
      '$ kubectl exec -it -n kube-system flannel-ds-8x2lp -- sh',
      '/ # nsenter -t 1 -n',
      '/ # bridge fdb show',
      ...output('cluster-healthy/flnode3.netsnap', 'bridge fdb show'),
    ].join('\n');
    const split = splitSnapshot(text, 'minikube.netsnap');
    expect(split.sections.map((s) => [s.command?.raw, s.host])).toEqual([
      ['sudo brctl show', 'minikube-m02'],
      ['sudo route -n', undefined],
      ['kubectl exec -it -n kube-system flannel-ds-8x2lp -- sh', undefined],
      ['bridge fdb show', undefined],
    ]);
    expect(split.issues).toEqual([]);
  });

  it('docker exec -it ID sh into a node container', () => {
    const text = [
      '[root@flnode1 ~]# docker exec -it 1a84ab994e5d sh',
      '/ # cat /run/flannel/subnet.env',
      ...output('cluster-healthy/flnode1.netsnap', 'cat /run/flannel/subnet.env'),
      '/ # exit',
      '[root@flnode1 ~]# arp -e',
      ...output('cluster-healthy/flnode1.netsnap', 'arp -e'),
    ].join('\n');
    const split = splitSnapshot(text, 'flnode1.netsnap');
    expect(split.issues).toEqual([]);
    expect(split.skipped).toEqual(expect.arrayContaining([1, 7]));
    expect(split.sections.map((s) => [s.command?.raw, s.host])).toEqual([
      ['cat /run/flannel/subnet.env', undefined],
      ['arp -e', 'flnode1'],
    ]);
  });
});
