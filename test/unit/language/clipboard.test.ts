import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../src/core';
import { normalizeClipboard } from '../../../src/core/language';

// What a person copies from a terminal: outputs without their prompts, CRLF line ends, colour codes.
const RAW = [
  'Kernel IP routing table',
  'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  '0.0.0.0         10.18.19.1      0.0.0.0         UG    0      0        0 eth0',
  '10.27.2.0       10.27.2.0       255.255.255.0   UG    0      0        0 flannel.1',
  'Address                  HWtype  HWaddress           Flags Mask            Iface',
  '10.27.2.0                ether   42:32:74:de:02:02   CM                    flannel.1',
  '\x1b[1;32m42:32:74:de:02:02\x1b[0m dev flannel.1 dst 10.18.19.12 self permanent',
  '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000',
  '    link/ether 42:32:74:de:01:01 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.27.1.0/32 scope global flannel.1',
  '       valid_lft forever preferred_lft forever',
  'FLANNEL_NETWORK=10.27.0.0/16',
  'FLANNEL_SUBNET=10.27.1.1/24',
].join('\r\n');

describe('normalizeClipboard', () => {
  it('turns a raw paste into a transcript with a ### header per recognised output', () => {
    const result = normalizeClipboard(RAW);
    expect(result.added.map((a) => a.command)).toEqual([
      'route -n',
      'arp -e',
      'bridge fdb show',
      'ip addr',
      'cat /run/flannel/subnet.env',
    ]);
    const lines = result.text.split('\n');
    expect(lines[0]).toBe('### route -n');
    for (const a of result.added) expect(lines[a.line - 1]).toBe(`### ${a.command}`);
    expect(result.text.includes('\r') || result.text.includes('\x1b')).toBe(false);
    expect(result.text.endsWith('FLANNEL_SUBNET=10.27.1.1/24\n')).toBe(true);
    expect(result.unnamed).toBe(true);
  });

  it('parses to the same records as the raw paste, now by command rather than by content', () => {
    const before = parseSnapshot(RAW, 'paste.netsnap');
    const after = parseSnapshot(normalizeClipboard(RAW).text, 'paste.netsnap');
    const counts = (s: typeof before) => {
      const n = s.nodes[0];
      return [
        n?.routes.length,
        n?.neighbours.length,
        n?.fdb.length,
        n?.interfaces.length,
        n?.subnetEnv?.vars.length,
      ];
    };
    expect(counts(after)).toEqual(counts(before));
    expect(counts(after)).toEqual([2, 1, 1, 1, 2]);
    expect(after.nodes[0]?.sections.every((s) => !s.detected && s.command !== undefined)).toBe(true);
    expect(after.issues).toEqual([]);
  });

  it('is idempotent and keeps prompts and headers the paste already has', () => {
    const once = normalizeClipboard(RAW).text;
    expect(normalizeClipboard(once)).toMatchObject({ text: once, added: [] });
    const transcript =
      '[root@flnode1 ~]# bridge fdb show\n42:32:74:de:02:02 dev flannel.1 dst 10.18.19.12 self permanent\n';
    expect(normalizeClipboard(transcript)).toEqual({ text: transcript, added: [], unnamed: false });
  });

  it('guesses the command from the output form', () => {
    const guess = (text: string) => normalizeClipboard(text).added.map((a) => a.command);
    expect(guess('? (10.27.3.0) at 42:32:74:de:03:03 [ether] PERM on flannel.1\n')).toEqual(['arp -an']);
    expect(guess('10.27.3.0 dev flannel.1 lladdr 42:32:74:de:03:03 PERMANENT\n')).toEqual(['ip neigh']);
    expect(
      guess(
        'bridge name\tbridge id\t\tSTP enabled\tinterfaces\ncni0\t\t8000.0a580a1d0d01\tno\t\tveth0985a0b8\n',
      ),
    ).toEqual(['brctl show']);
    expect(normalizeClipboard('just some words\n').added).toEqual([]);
  });
});
