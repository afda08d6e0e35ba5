import { describe, expect, it } from 'vitest';
import { lsmodParser, moduleInMessage } from '../../../src/core/parsers/lsmod';
import {
  expectDetectsNoOtherFixture,
  expectMatches,
  expectUnreadWarning,
  fixtureNames,
  parseAccounted,
  readFixture,
  toLines,
} from '../support/parse';

describe('lsmod parser', () => {
  it('reads lsmod rows, their holders, and skips the header', () => {
    const r = parseAccounted(
      lsmodParser,
      [
        'Module                  Size  Used by',
        'vxlan                  73728  0',
        'br_netfilter           32768  0',
        'bridge                307200  1 br_netfilter',
        'nf_conntrack          172032  5 xt_conntrack,nf_nat,nf_conntrack_netlink,xt_MASQUERADE,xt_nat',
      ].join('\n'),
      'lsmod',
    );
    expect(r.issues).toEqual([]);
    expect(r.skipped).toEqual([1]);
    expect(r.facts.modules?.map((m) => [m.loc.line, m.name, m.usedBy.join(',')])).toEqual([
      [2, 'vxlan', ''],
      [3, 'br_netfilter', ''],
      [4, 'bridge', 'br_netfilter'],
      [5, 'nf_conntrack', 'xt_conntrack,nf_nat,nf_conntrack_netlink,xt_MASQUERADE,xt_nat'],
    ]);
    expect(r.partial).toBeUndefined();
  });

  it('reads /proc/modules rows: comma-ended holder lists, taint flags, other states, [permanent]', () => {
    const r = parseAccounted(
      lsmodParser,
      [
        'vxlan 73728 0 - Live 0x0000000000000000',
        'bridge 307200 1 br_netfilter, Live 0x0000000000000000',
        'nvidia 56713216 2 nvidia_modeset,nvidia_uvm, Live 0xffffffffc0a40000 (POE)',
        'going 16384 0 - Unloading 0x0000000000000000',
        'ipv6 425984 30 [permanent], Live 0x0000000000000000',
      ].join('\n'),
      'cat /proc/modules',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.modules?.map((m) => [m.name, m.usedBy])).toEqual([
      ['vxlan', []],
      ['bridge', ['br_netfilter']],
      ['nvidia', ['nvidia_modeset', 'nvidia_uvm']],
      ['going', []],
      ['ipv6', []],
    ]);
  });

  it('reports rows that are neither lsmod nor /proc/modules', () => {
    const r = parseAccounted(
      lsmodParser,
      [
        'vxlan 73728 0 - Gone 0x0',
        'vxlan seventy 0',
        'a b',
        'vx/lan 73728 0',
        'vxlan 73728 0 - Live 0x0000000000000000 (POE) extra',
      ].join('\n'),
      'lsmod',
    );
    expect(r.facts.modules).toBeUndefined();
    // Five unreadable lines in a row: one ranged note.
    expect(r.issues.map((i) => [i.line, i.endLine, i.severity])).toEqual([[1, 5, 'info']]);
  });

  it('turns modprobe, insmod and modinfo errors into module errors naming the module', () => {
    const r = parseAccounted(
      lsmodParser,
      [
        'modprobe: FATAL: Module vxlan not found in directory /lib/modules/6.1.0-13-amd64',
        "modprobe: ERROR: could not insert 'br_netfilter': Operation not permitted",
        "modprobe: ERROR: ../libkmod/libkmod.c:586 kmod_search_moddep() could not open moddep file '/lib/modules/5.4.0/modules.dep.bin'",
        'FATAL: Module vxlan not found.',
        'insmod: ERROR: could not insert module /tmp/vxlan.ko: Unknown symbol in module',
        'modinfo: ERROR: Module overlay not found.',
      ].join('\n'),
      'modprobe vxlan',
    );
    expect(r.issues).toEqual([]);
    expect(r.facts.moduleErrors?.map((e) => [e.loc.line, e.module])).toEqual([
      [1, 'vxlan'],
      [2, 'br_netfilter'],
      [3, undefined],
      [4, 'vxlan'],
      [5, 'vxlan'],
      [6, 'overlay'],
    ]);
    expect(r.facts.moduleErrors?.[1]?.message).toBe(
      "modprobe: ERROR: could not insert 'br_netfilter': Operation not permitted",
    );
  });

  it('warns when lsmod itself cannot list modules, and the listing proves no module absent', () => {
    const r = parseAccounted(
      lsmodParser,
      'libkmod: ERROR ../libkmod/libkmod-module.c:1725 kmod_module_new_from_loaded: could not open /proc/modules: No such file or directory\nError: could not get list of modules: No such file or directory',
      'lsmod',
    );
    expect(r.facts.modules).toBeUndefined();
    expect(r.issues.map((i) => [i.line, i.severity])).toEqual([
      [1, 'warning'],
      [2, 'warning'],
    ]);
    expect(r.partial).toBe('lsmod failed');
    expectUnreadWarning(lsmodParser, 'cat: /proc/modules: No such file or directory', 'cat /proc/modules');
  });

  it('skips what modinfo and modprobe -v say about a module that exists', () => {
    const r = parseAccounted(
      lsmodParser,
      'filename:       /lib/modules/6.1.0/kernel/drivers/net/vxlan/vxlan.ko\nalias:          rtnl-link-vxlan\ndepends:        udp_tunnel,ip6_udp_tunnel',
      'modinfo vxlan',
    );
    expect(r.skipped).toEqual([1, 2, 3]);
    expect(r.issues).toEqual([]);
    const v = parseAccounted(
      lsmodParser,
      'insmod /lib/modules/5.15.0/kernel/net/bridge/br_netfilter.ko ',
      'modprobe -va br_netfilter',
    );
    expect(v.skipped).toEqual([1]);
    // Outside modinfo, `key: value` lines are not module facts.
    const other = parseAccounted(lsmodParser, 'filename: /x', 'lsmod');
    expect(other.issues.map((i) => i.severity)).toEqual(['info']);
  });

  it('reads the module name from every message shape', () => {
    expect(moduleInMessage('modprobe: FATAL: Module vxlan not found in directory /lib/modules/6.17.6')).toBe(
      'vxlan',
    );
    expect(moduleInMessage('modprobe: FATAL: Module br_netfilter not found.')).toBe('br_netfilter');
    expect(moduleInMessage("modprobe: ERROR: could not insert '8821ce': Operation not permitted")).toBe(
      '8821ce',
    );
    expect(moduleInMessage('modprobe: module configs not found in modules.dep')).toBe('configs');
    expect(moduleInMessage('insmod: ERROR: could not insert module vxlan.ko.xz: Invalid parameters')).toBe(
      'vxlan',
    );
    expect(moduleInMessage("systemd-modules-load[312]: Failed to find module 'br_netfilter'")).toBe(
      'br_netfilter',
    );
    expect(
      moduleInMessage(
        'request_module: kmod_concurrent_max (0) close to 0 (max_modprobes: 50), for module net-pf-10, throttling...',
      ),
    ).toBe('net-pf-10');
    expect(moduleInMessage('modprobe: FATAL: Module vxlan is builtin.')).toBe('vxlan');
    expect(moduleInMessage('modprobe: ERROR: could not open moddep file')).toBeUndefined();
  });

  it('claims lsmod, /proc/modules readers, modprobe, insmod and modinfo', () => {
    expectMatches(
      lsmodParser,
      [
        ['lsmod'],
        ['/sbin/lsmod'],
        ['cat', '/proc/modules'],
        ['grep', 'vxlan', '/proc/modules'],
        ['modprobe', 'vxlan'],
        ['modprobe', '-va', 'br_netfilter'],
        ['insmod', 'vxlan.ko'],
        ['modinfo', 'vxlan'],
      ],
      [
        ['modprobe', '-c'],
        ['modprobe', '--show-depends', 'vxlan'],
        ['modinfo'],
        ['cat', '/proc/net/snmp'],
        ['cat', '/proc/modules.bak'],
        ['rmmod', 'vxlan'],
      ],
    );
  });

  it('detects the lsmod header only', () => {
    expect(lsmodParser.detect(toLines('Module                  Size  Used by'), 0)).toBe(true);
    expect(lsmodParser.detect(toLines('vxlan                  73728  0'), 0)).toBe(false);
    expect(lsmodParser.detect(toLines('Module Size'), 0)).toBe(false);
  });

  it('reads every captured and cited fixture with at least a module or an explained failure', () => {
    for (const f of fixtureNames('lsmod')) {
      const r = parseAccounted(lsmodParser, readFixture(f));
      const facts = (r.facts.modules?.length ?? 0) + (r.facts.moduleErrors?.length ?? 0);
      const warnings = r.issues.filter((i) => i.severity === 'warning').length;
      expect(facts + warnings + r.skipped.length, f).toBeGreaterThan(0);
    }
  });

  it("does not claim another parser's output", () => {
    expectDetectsNoOtherFixture(lsmodParser);
  });
});
