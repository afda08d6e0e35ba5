import { describe, expect, it } from 'vitest';
import { conntrackParser } from '../../../src/core/parsers/conntrack';
import { expectNoClaimOnOthers, parseRead } from '../support/kernel';
import { expectMatches, toLines } from '../support/parse';

const parse = (text: string, cmd?: string) => parseRead(conntrackParser, text, cmd);

describe('conntrack parser', () => {
  it('reads conntrack -S, one record per CPU', () => {
    const r = parse(
      'cpu=0   \tfound=0 invalid=3 insert=0 insert_failed=12 drop=12 early_drop=0 \ncpu=1   \tfound=0 invalid=0',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.conntrackStats?.[0]).toEqual({
      loc: { file: 'f', line: 1 },
      cpu: 0,
      counters: [
        { name: 'found', value: 0 },
        { name: 'invalid', value: 3 },
        { name: 'insert', value: 0 },
        { name: 'insert_failed', value: 12 },
        { name: 'drop', value: 12 },
        { name: 'early_drop', value: 0 },
      ],
    });
    expect(r.facts.conntrackStats?.[1]?.cpu).toBe(1);
  });

  it('reports words that are no counters, once each', () => {
    const r = parse('cpu=0 found=x invalid=1\ncpu=1 found=x');
    expect(r.facts.conntrackStats?.[0]?.counters).toEqual([{ name: 'invalid', value: 1 }]);
    expect(r.issues.map((i) => i.message)).toEqual(['conntrack -S: ignored unrecognized word(s) "found=x"']);
  });

  it('reads conntrack -C as the count', () => {
    expect(parse('412', 'conntrack -C').facts.conntrackStats).toEqual([
      { loc: { file: 'f', line: 1 }, counters: [{ name: 'count', value: 412 }] },
    ]);
  });

  it('reads /proc/net/stat/nf_conntrack: hex counters, one row per CPU', () => {
    const r = parse(
      'entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n' +
        '00000001  00000000 00000000 00000000 0000001a 00000000 00000000 00000000 00000000 00000000 000000ff 00000000 00000000  00000000 00000000 00000000 00000000\n' +
        '00000001  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000000',
      'cat /proc/net/stat/nf_conntrack',
    );
    expect(r.skipped).toEqual([1]);
    const [cpu0, cpu1] = r.facts.conntrackStats ?? [];
    expect(cpu0?.cpu).toBe(0);
    expect(cpu1?.cpu).toBe(1);
    expect(cpu0?.counters.filter((c) => c.value !== 0)).toEqual([
      { name: 'entries', value: 1 },
      { name: 'invalid', value: 26 },
      { name: 'drop', value: 255 },
    ]);
  });

  it('reports a row whose columns do not match the header', () => {
    const r = parse('entries  clashres found new invalid ignore\n00000001 00000000');
    expect(r.facts.conntrackStats).toBeUndefined();
    expect(r.issues.map((i) => i.line)).toEqual([2]);
  });

  it('reads conntrack 1.4.4 totals as one record and warns about its error', () => {
    const r = parse(
      'entries   \t\t90\ninsert_failed\t\t4\nconntrack v1.4.4 (conntrack-tools): Operation failed: sorry, you must be root or get CAP_NET_ADMIN capability to do this',
      'conntrack -S',
    );
    expect(r.facts.conntrackStats).toEqual([
      {
        loc: { file: 'f', line: 1, endLine: 2 },
        counters: [
          { name: 'entries', value: 90 },
          { name: 'insert_failed', value: 4 },
        ],
      },
    ]);
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([[3, 'warning']]);
  });

  it('claims -S, -C and the /proc table, not listings or events', () => {
    expectMatches(
      conntrackParser,
      [
        ['conntrack', '-S'],
        ['conntrack', '--stats'],
        ['conntrack', '-C'],
        ['conntrack', '--count'],
        ['/usr/sbin/conntrack', '-S', 'expect'],
        ['cat', '/proc/net/stat/nf_conntrack'],
      ],
      [
        ['conntrack', '-L'],
        ['conntrack', '-E'],
        ['conntrack'],
        ['cat', '/proc/sys/net/netfilter/nf_conntrack_count'],
      ],
    );
  });

  it('detects -S lines and the /proc header', () => {
    const yes = (t: string) => conntrackParser.detect(toLines(t), 0);
    expect(yes('cpu=0   \tfound=0 invalid=0 insert=0')).toBe(true);
    expect(yes('cpu=0 searched=1 found=0')).toBe(true);
    expect(yes('entries  clashres found new invalid ignore delete chainlength insert')).toBe(true);
    expect(yes('cpu=0 usage=3')).toBe(false);
    expect(yes('412')).toBe(false);
  });

  it('does not claim other parsers’ output', () => {
    expectNoClaimOnOthers(conntrackParser);
  });
});
