import { describe, expect, it } from 'vitest';
import { readCommand } from '../../src/core/util/shell-command';
import { cleanLines, readHeader, readPrompt, splitSnapshot } from '../../src/core/snapshot/split';

describe('prompts', () => {
  it.each([
    ['[root@k8snode028 ~]# route -n', 'k8snode028', 'route -n'],
    ['[root@backend-6b7b58986c-jdnhn spring]# route  -n', 'backend-6b7b58986c-jdnhn', 'route  -n'],
    ['root@worker-a:~# arp -e', 'worker-a', 'arp -e'],
    ['ubuntu@ip-10-0-0-1:~/x$ ip -d link', 'ip-10-0-0-1', 'ip -d link'],
    ['$ bridge fdb show', undefined, 'bridge fdb show'],
    ['# ip -d link', undefined, 'ip -d link'],
    ['# nft -a list ruleset', undefined, 'nft -a list ruleset'],
    ['/ # ip route', undefined, 'ip route'],
    ['sh-4.2# route -n', undefined, 'route -n'],
    ['node1:~ # brctl show', 'node1', 'brctl show'],
  ])('%s', (line, host, command) => {
    expect(readPrompt(line)).toEqual(host === undefined ? { command } : { host, command });
  });

  it.each(['# this is a comment', '#', '10.27.1.0 dev flannel.1', '$5 is the price', '    inet 10.0.0.1/8'])(
    '%s is not a prompt',
    (line) => {
      expect(readPrompt(line)).toBeUndefined();
    },
  );

  it('reads headers', () => {
    expect(readHeader('### node k8snode031')).toEqual({ kind: 'node', name: 'k8snode031' });
    expect(readHeader('### pod web-1')).toEqual({ kind: 'pod', name: 'web-1' });
    expect(readHeader('### route -n')).toEqual({ kind: 'command', command: 'route -n' });
    expect(readHeader('### exit 127')).toEqual({ kind: 'meta' });
    expect(readHeader('## route -n')).toBeUndefined();
  });
});

describe('commands', () => {
  it.each([
    ['docker exec 1a84ab994e5d cat /run/flannel/subnet.env', ['cat', '/run/flannel/subnet.env'], false],
    ['sudo -u root ip -d link', ['ip', '-d', 'link'], false],
    [
      'kubectl exec -n kube-system flannel-x -c kube-flannel -- cat /run/flannel/subnet.env',
      ['cat', '/run/flannel/subnet.env'],
      false,
    ],
    ['crictl exec -it abc123 ip route', ['ip', 'route'], false],
    ['ip netns exec flnode1 bridge fdb show', ['bridge', 'fdb', 'show'], false],
    ['nsenter -t 1 -n -- ip neigh', ['ip', 'neigh'], false],
    ['arp -e | grep 10.29.13.0', ['arp', '-e'], true],
    ['bridge fdb show | sort', ['bridge', 'fdb', 'show'], false],
    ["sh -c 'route -n | head -5'", ['route', '-n'], false],
    ['cd /tmp && ip route 2>/dev/null', ['ip', 'route'], false],
    ['ip -6 route | head -n 3', ['ip', '-6', 'route'], true],
  ])('%s', (raw, argv, filtered) => {
    const c = readCommand(raw);
    expect(c.argv).toEqual(argv);
    expect(c.filtered).toBe(filtered);
  });

  it('remembers the namespace and the container', () => {
    expect(readCommand('ip netns exec flnode2 route -n').netns).toBe('flnode2');
    expect(readCommand('docker exec -it 1a84 cat x').container).toBe('1a84');
  });
});

describe('splitting', () => {
  it('cleans CRLF and ANSI colour', () => {
    expect(cleanLines('a\r\n\x1b[1;31mb\x1b[0m\r\nc')).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 2 },
      { text: 'c', line: 3 },
    ]);
  });

  it('cuts a raw paste where the next output begins', () => {
    const text = [
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '10.27.2.0       10.27.2.0       255.255.255.0   UG    0      0        0 flannel.1',
      '',
      'Address                  HWtype  HWaddress           Flags Mask            Iface',
      '10.27.2.0                ether   42:32:74:de:02:02   CM                    flannel.1',
      '42:32:74:de:02:02 dev flannel.1 dst 10.18.19.12 self permanent',
    ].join('\n');
    const split = splitSnapshot(text, 'raw.netsnap');
    expect(split.sections.map((s) => [s.parserId, s.startLine, s.endLine, s.detected])).toEqual([
      ['route-n', 1, 4, true],
      ['arp', 5, 6, true],
      ['bridge-fdb', 7, 7, true],
    ]);
    expect(split.issues).toEqual([]);
  });

  it('lets ### node name the host of the sections that follow, prompts included', () => {
    const text = [
      '### node flnode2',
      '### route -n',
      'Kernel IP routing table',
      '[root@localhost ~]# arp -e',
    ].join('\n');
    const split = splitSnapshot(text, 'x.netsnap');
    expect(split.sections.map((s) => [s.host, s.command?.raw, s.startLine])).toEqual([
      ['flnode2', 'route -n', 2],
      ['flnode2', 'arp -e', 4],
    ]);
    expect(split.skipped).toEqual([1]);
  });

  it('reports text no parser recognises, with its line', () => {
    const split = splitSnapshot('hello there\nroot@x:~# route -n', 'y.netsnap');
    expect(split.issues).toEqual([expect.objectContaining({ line: 1, severity: 'info' })]);
  });
});
