import { describe, expect, it } from 'vitest';
import {
  clusterFolderName,
  runBounded,
  safeFileComponent,
  snapshotFileName,
  timestamp,
} from '../../src/collect/files';

const when = new Date(2026, 10, 26, 9, 5, 7); // local time: 2026-11-26 09:05:07

describe('snapshot file names', () => {
  it('formats the timestamp as YYYYMMDD-HHMMSS in local time', () => {
    expect(timestamp(when)).toBe('20261126-090507');
    expect(timestamp(new Date(2026, 0, 1, 0, 0, 0))).toBe('20260101-000000');
  });

  it('names a snapshot <node>-<timestamp>.netsnap', () => {
    expect(snapshotFileName('flnode1', when)).toBe('flnode1-20261126-090507.netsnap');
    expect(snapshotFileName('flnode1', when, ['other.netsnap'])).toBe('flnode1-20261126-090507.netsnap');
  });

  it('never reuses an existing name: -2, -3, … (case-insensitively)', () => {
    expect(snapshotFileName('flnode1', when, ['flnode1-20261126-090507.netsnap'])).toBe(
      'flnode1-20261126-090507-2.netsnap',
    );
    expect(
      snapshotFileName('flnode1', when, [
        'FLNODE1-20261126-090507.netsnap',
        'flnode1-20261126-090507-2.netsnap',
      ]),
    ).toBe('flnode1-20261126-090507-3.netsnap');
  });

  it('keeps a hostile node name inside one file-name component', () => {
    expect(safeFileComponent('../../etc/passwd')).toBe('etc_passwd');
    expect(safeFileComponent('a/b\\c d')).toBe('a_b_c_d');
    expect(safeFileComponent('-oProxyCommand=x')).toBe('oProxyCommand_x');
    expect(safeFileComponent('')).toBe('node');
    expect(safeFileComponent('...')).toBe('node');
    expect(safeFileComponent('root@k8s-node.1')).toBe('root@k8s-node.1');
    expect(snapshotFileName('a/../b', when)).not.toContain('/');
  });

  it('names a cluster folder cluster-<timestamp>, avoiding existing ones', () => {
    expect(clusterFolderName(when)).toBe('cluster-20261126-090507');
    expect(clusterFolderName(when, ['cluster-20261126-090507'])).toBe('cluster-20261126-090507-2');
  });
});

describe('runBounded', () => {
  it('runs at most `limit` tasks at once and returns outcomes in order', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await runBounded([5, 1, 4, 2, 3, 1, 2, 6], 4, async (ms, i) => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms * 3));
      running--;
      return ms * 10;
    });
    expect(peak).toBe(4);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results).toEqual([50, 10, 40, 20, 30, 10, 20, 60].map((value) => ({ ok: true, value })));
  });

  it('records a failure per item without stopping the others', async () => {
    const results = await runBounded(['a', 'bad', 'c'], 2, async (s) => {
      if (s === 'bad') throw new Error('no route');
      return s.toUpperCase();
    });
    expect(results[0]).toEqual({ ok: true, value: 'A' });
    expect(results[1]).toMatchObject({ ok: false });
    expect((results[1] as { error: Error }).error.message).toBe('no route');
    expect(results[2]).toEqual({ ok: true, value: 'C' });
  });

  it('handles no items and rejects a bad limit', async () => {
    expect(await runBounded([], 4, async () => 1)).toEqual([]);
    await expect(runBounded([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
