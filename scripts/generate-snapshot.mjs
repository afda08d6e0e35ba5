// Generates large snapshots for benchmarks, line for line in the formats the lab captured from real
// commands (test/fixtures/parsers), scaled up: one node of a cluster of `peers` nodes, with `veths` pods.

const hex = (n) => n.toString(16).padStart(2, '0');
const pad = (s, n) => s.padEnd(n);

/** The i-th peer: subnet 10.(32 + i / 256).(i % 256).0/24, underlay 172.16.(i / 256).(i % 256), VTEP MAC. */
export function peer(i) {
  const a = 32 + (i >> 8);
  const b = i & 255;
  return {
    subnet: `10.${a}.${b}.0`,
    publicIp: `172.16.${i >> 8}.${i & 255}`,
    mac: `42:32:${hex(i >> 8)}:${hex(i & 255)}:aa:01`,
  };
}

function vethName(i) {
  return `veth${(0x3a6a0f27 + i * 7919).toString(16).slice(-8).padStart(8, '0')}`;
}

function vethMac(i) {
  return `86:29:6f:${hex((i >> 8) & 255)}:${hex(i & 255)}:c5`;
}

export function generateNodeSnapshot({ peers, veths, self = 0, host = 'bignode' }) {
  const me = peer(self);
  const prompt = (cmd) => `[root@${host} ~]# ${cmd}`;
  const out = [];

  out.push(prompt('route -n'), 'Kernel IP routing table');
  out.push('Destination     Gateway         Genmask         Flags Metric Ref    Use Iface');
  out.push(`0.0.0.0         172.31.255.1    0.0.0.0         UG    0      0        0 eth0`);
  out.push(`172.16.0.0      0.0.0.0         255.240.0.0     U     0      0        0 eth0`);
  for (let i = 0; i < peers; i++) {
    const p = peer(i);
    if (i === self)
      out.push(`${pad(p.subnet, 16)}0.0.0.0         255.255.255.0   U     0      0        0 cni0`);
    else
      out.push(`${pad(p.subnet, 16)}${pad(p.subnet, 16)}255.255.255.0   UG    0      0        0 flannel.1`);
  }

  out.push(prompt('arp -e'));
  out.push('Address                  HWtype  HWaddress           Flags Mask            Iface');
  for (let i = 0; i < peers; i++) {
    if (i === self) continue;
    const p = peer(i);
    out.push(`${pad(p.subnet, 25)}ether   ${p.mac}   CM                    flannel.1`);
  }

  out.push(prompt('bridge fdb show'));
  let fdb = 0;
  for (let i = 0; i < peers; i++) {
    if (i === self) continue;
    const p = peer(i);
    out.push(`${p.mac} dev flannel.1 dst ${p.publicIp} self permanent`);
    fdb++;
  }
  for (let v = 0; v < veths; v++) {
    const name = vethName(v);
    out.push(`02:d5:34:${hex(v >> 8)}:${hex(v & 255)}:70 dev ${name} master cni0 `);
    out.push(`${vethMac(v)} dev ${name} master cni0 permanent`);
    out.push(`33:33:00:00:00:01 dev ${name} self permanent`);
    out.push(`01:00:5e:00:00:01 dev ${name} self permanent`);
    fdb += 4;
  }
  // Pods' MACs learned on cni0 make up the rest of the 10,000 lines a node this size shows.
  for (let k = 0; fdb < peers * 2; k++, fdb++) {
    out.push(
      `0a:58:${hex((k >> 16) & 255)}:${hex((k >> 8) & 255)}:${hex(k & 255)}:01 dev ${vethName(k % veths)} master cni0 `,
    );
  }

  out.push(prompt('brctl show'));
  out.push('bridge name\tbridge id\t\tSTP enabled\tinterfaces');
  for (let v = 0; v < veths; v++) {
    out.push(v === 0 ? `cni0\t\t8000.86296f0269c5\tno\t\t${vethName(v)}` : `\t\t\t\t\t\t\t${vethName(v)}`);
  }

  out.push(prompt('ip -d link'));
  out.push(
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  );
  out.push(
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  );
  out.push(
    '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000',
  );
  out.push(
    '    link/ether 9a:11:71:b7:19:ae brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 9000 addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  );
  out.push(
    '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  );
  out.push(
    `    link/ether ${me.mac} brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 `,
  );
  out.push(
    `    vxlan id 1 local ${me.publicIp} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 `,
  );
  out.push(
    '4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  );
  out.push(
    '    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
  );
  out.push(
    '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.86:29:6f:2:69:c5 designated_root 8000.86:29:6f:2:69:c5 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
  );
  for (let v = 0; v < veths; v++) {
    out.push(
      `${5 + v}: ${vethName(v)}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000`,
    );
    out.push(
      `    link/ether ${vethMac(v)} brd ff:ff:ff:ff:ff:ff link-netns cni-${hex(v >> 8)}${hex(v & 255)} promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 `,
    );
    out.push('    veth ');
    out.push(
      '    bridge_slave state forwarding priority 32 cost 2 hairpin on guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.86:29:6f:2:69:c5 designated_root 8000.86:29:6f:2:69:c5 addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
    );
  }

  const [a, b] = me.subnet.split('.').slice(1, 3);
  out.push(prompt('cat /run/flannel/subnet.env'));
  out.push(
    'FLANNEL_NETWORK=10.0.0.0/8',
    `FLANNEL_SUBNET=10.${a}.${b}.1/24`,
    'FLANNEL_MTU=1450',
    'FLANNEL_IPMASQ=true',
  );
  return `${out.join('\n')}\n`;
}

/**
 * A tiny snapshot of node `self` that lists only its own routes: `route -n`, `ip -d link show flannel.1`
 * and subnet.env, cut from the lab's flnode1. In a cluster of these every node misses a route to every
 * other (the quadratic case of issue 11). With `shared`, every node claims peer 0's subnet and VTEP MAC;
 * with `routesTo`, the node also routes to peers 0 … routesTo - 1 (and so to nodes with no route back).
 */
export function generateIsolatedNode({ self, host = `node${self}`, shared = false, routesTo = 0 }) {
  const me = peer(shared ? 0 : self);
  const own = peer(self);
  const [a, b] = me.subnet.split('.').slice(1, 3);
  return [
    `[root@${host} ~]# route -n`,
    'Kernel IP routing table',
    'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
    `0.0.0.0         172.31.255.1    0.0.0.0         UG    0      0        0 eth0`,
    `172.16.0.0      0.0.0.0         255.240.0.0     U     0      0        0 eth0`,
    `${pad(me.subnet, 16)}0.0.0.0         255.255.255.0   U     0      0        0 cni0`,
    ...Array.from({ length: routesTo }, (_, i) => peer(i).subnet)
      .filter((subnet) => subnet !== me.subnet)
      .map(
        (subnet) => `${pad(subnet, 16)}${pad(subnet, 16)}255.255.255.0   UG    0      0        0 flannel.1`,
      ),
    `[root@${host} ~]# ip -d link show flannel.1`,
    '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
    `    link/ether ${me.mac} brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 `,
    `    vxlan id 1 local ${own.publicIp} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 `,
    `[root@${host} ~]# cat /run/flannel/subnet.env`,
    'FLANNEL_NETWORK=10.0.0.0/8',
    `FLANNEL_SUBNET=10.${a}.${b}.1/24`,
    'FLANNEL_MTU=1450',
    'FLANNEL_IPMASQ=true',
    '',
  ].join('\n');
}

/** `count` lines no parser reads, after a `route -n` prompt and outside any command: pasted junk. */
export function generateJunk(count, host = 'junk') {
  const out = [`[root@${host} ~]# route -n`, 'Kernel IP routing table'];
  for (let i = 0; i < count >> 1; i++) out.push(`junk line ${i} qwerty`);
  out.push(`[root@${host} ~]# `);
  for (let i = count >> 1; i < count; i++) out.push(`junk line ${i} qwerty`);
  return `${out.join('\n')}\n`;
}
