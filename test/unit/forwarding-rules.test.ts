// Rules of the forwarding path on small cuts of the lab's real transcripts (test/lab/analysis-fixtures.sh
// captures them whole, in test/fixtures/analysis/): what decides a finding when the evidence is mixed.
import { describe, expect, it } from 'vitest';
import { analyze, parseSnapshot } from '../../src/core';

const VTEP = [
  '[root@flnode1 ~]# ip -d link show flannel.1',
  '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '    link/ether 42:32:74:de:01:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
  '    vxlan id 1 local 10.18.19.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  '[root@flnode1 ~]# cat /run/flannel/subnet.env',
  'FLANNEL_NETWORK=10.27.0.0/16',
  'FLANNEL_SUBNET=10.27.1.1/24',
  'FLANNEL_MTU=1450',
  'FLANNEL_IPMASQ=true',
];

/** An iptables-save of flannel's FORWARD (Docker's policy DROP, FLANNEL-FWD's accepts) with `rule` on top. */
function firewall(rule: string): string[] {
  return [
    '[root@flnode1 ~]# iptables-save',
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':FLANNEL-FWD - [0:0]',
    rule,
    '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
    '-A FLANNEL-FWD -s 10.27.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    '-A FLANNEL-FWD -d 10.27.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    'COMMIT',
  ];
}

function findings(lines: readonly string[]) {
  return analyze([parseSnapshot(`${lines.join('\n')}\n`, 'flnode1.netsnap')]).findings.map((f) => ({
    code: f.code,
    severity: f.severity,
    line: f.line,
  }));
}

describe('firewall-rule-above-flannel', () => {
  it('warns of a REJECT on one port above the accepts, though the UDP verdict is only uncertain', () => {
    const rule = '-A FORWARD -p udp -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable';
    const lines = [...VTEP, ...firewall(rule)];
    const at = lines.indexOf(rule) + 1;
    const found = findings(lines);
    expect(found).toContainEqual({ code: 'firewall-rule-above-flannel', severity: 'warning', line: at });
    // The note that UDP's fate depends on the port stays: it says something else.
    expect(found).toContainEqual({ code: 'firewall-uncertain', severity: 'info', line: at });
  });

  it('says nothing more of a REJECT that blocks all pod traffic: forward-blocked reports it', () => {
    const rule = '-A FORWARD -j REJECT --reject-with icmp-host-prohibited';
    const lines = [...VTEP, ...firewall(rule)];
    const at = lines.indexOf(rule) + 1;
    expect(findings(lines).filter((f) => f.severity !== 'info')).toEqual([
      { code: 'forward-blocked', severity: 'error', line: at },
    ]);
  });
});

describe('vxlan-module-missing', () => {
  const modprobe = [
    '[root@flnode1 ~]# modprobe vxlan',
    'modprobe: FATAL: Module vxlan not found in directory /lib/modules/6.18.44-fc-v1045',
  ];

  it('is no finding where the kernel lists the VTEP as a VXLAN device (vxlan built in, no module files)', () => {
    expect(findings([...VTEP, ...modprobe]).map((f) => f.code)).not.toContain('vxlan-module-missing');
  });

  it('is an error on the modprobe line where the VTEP is not listed', () => {
    const lines = [...VTEP.slice(4), ...modprobe];
    expect(findings(lines)).toContainEqual({
      code: 'vxlan-module-missing',
      severity: 'error',
      line: lines.length,
    });
  });
});
