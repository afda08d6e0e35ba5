// Generates large snapshots for benchmarks, line for line in the formats the lab captured from real
// commands (test/fixtures/parsers), scaled up: one node of a cluster of `peers` nodes, with `veths` pods.

const hex = (n) => n.toString(16).padStart(2, '0');
const pad = (s, n) => s.padEnd(n);

/**
 * The i-th peer: subnet 10.(32 + i / 256).(i % 256).0/24, underlay 172.16.(i / 256).(i % 256), VTEP MAC; and
 * its dual-stack side: IPv6 subnet fd27:42:<i + 1>::/64, underlay fd00:16::<i + 1>, flannel-v6.1's MAC.
 */
export function peer(i) {
  const a = 32 + (i >> 8);
  const b = i & 255;
  const g = (i + 1).toString(16);
  return {
    subnet: `10.${a}.${b}.0`,
    publicIp: `172.16.${i >> 8}.${i & 255}`,
    mac: `42:32:${hex(i >> 8)}:${hex(i & 255)}:aa:01`,
    subnet6: `fd27:42:${g}::`,
    publicIp6: `fd00:16::${g}`,
    mac6: `42:36:${hex(i >> 8)}:${hex(i & 255)}:aa:01`,
  };
}

function vethName(i) {
  return `veth${(0x3a6a0f27 + i * 7919).toString(16).slice(-8).padStart(8, '0')}`;
}

function vethMac(i) {
  return `86:29:6f:${hex((i >> 8) & 255)}:${hex(i & 255)}:c5`;
}

export function generateNodeSnapshot({ peers, veths, self = 0, host = 'bignode', dualStack = true }) {
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

  if (dualStack) {
    // The IPv6 overlay as `ip -6 route` and `ip -6 neigh` list it on the lab's dual-stack nodes.
    out.push(prompt('ip -6 route'));
    out.push('fd00:16::/64 dev eth0 proto kernel metric 256 pref medium');
    out.push(`${me.subnet6} dev flannel-v6.1 proto kernel metric 256 pref medium`);
    for (let i = 0; i < peers; i++) {
      const p = peer(i);
      if (i === self) out.push(`${p.subnet6}/64 dev cni0 proto kernel metric 256 pref medium`);
      else out.push(`${p.subnet6}/64 via ${p.subnet6} dev flannel-v6.1 metric 1024 onlink pref medium`);
    }
    out.push('fe80::/64 dev eth0 proto kernel metric 256 pref medium');
    out.push('fe80::/64 dev flannel-v6.1 proto kernel metric 256 pref medium');
    out.push(prompt('ip -6 neigh'));
    for (let i = 0; i < peers; i++) {
      if (i === self) continue;
      const p = peer(i);
      out.push(`${p.subnet6} dev flannel-v6.1 lladdr ${p.mac6} PERMANENT `);
    }
  }

  out.push(prompt('bridge fdb show'));
  let fdb = 0;
  for (let i = 0; i < peers; i++) {
    if (i === self) continue;
    const p = peer(i);
    out.push(`${p.mac} dev flannel.1 dst ${p.publicIp} self permanent`);
    if (dualStack) out.push(`${p.mac6} dev flannel-v6.1 dst ${p.publicIp6} self permanent`);
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

  if (dualStack) {
    out.push(
      `${5 + veths}: flannel-v6.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1430 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000`,
    );
    out.push(
      `    link/ether ${me.mac6} brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 `,
    );
    out.push(
      `    vxlan id 1 local ${me.publicIp6} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 `,
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
  if (dualStack) out.push('FLANNEL_IPV6_NETWORK=fd27:42::/32', `FLANNEL_IPV6_SUBNET=${me.subnet6}1/64`);
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

/** The i-th Service: cluster IP 10.96.(i / 250).(i % 250 + 1), a TCP port, four endpoints (none for every tenth). */
function service(i) {
  const ip = `10.96.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  const id = (0x51f0a3b7 + i * 104729).toString(36).toUpperCase().padStart(16, 'X').slice(-16);
  return { ip, port: 80 + (i % 7), id, name: `ns${i % 40}/svc${i}:http`, endpoints: i % 10 === 9 ? 0 : 4 };
}

const endpoint = (i, k) => `10.${32 + ((i * 4 + k) >> 16)}.${((i * 4 + k) >> 8) & 255}.${(i * 4 + k) & 255}`;

/**
 * `iptables-save -c` of a kube-proxy node (iptables mode, nf_tables backend) with `services` Services, as
 * iptables-nft-save prints it, with Docker's and flannel's chains: 5,000 Services make about 63,000 rules.
 */
export function generateKubeProxyIptables({ services, network = '10.0.0.0/8', host = 'bignode' }) {
  const out = [
    `[root@${host} ~]# iptables-save -c`,
    '# Generated by iptables-nft-save v1.8.9 (nf_tables) on Wed Dec  2 12:00:00 2026',
  ];
  const c = '[0:0]';
  out.push('*filter', `:INPUT ACCEPT ${c}`, `:FORWARD DROP ${c}`, `:OUTPUT ACCEPT ${c}`);
  for (const chain of [
    'DOCKER-USER',
    'FLANNEL-FWD',
    'KUBE-FORWARD',
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FIREWALL',
  ])
    out.push(`:${chain} - ${c}`);
  out.push(
    `${c} -A INPUT -j KUBE-FIREWALL`,
    `${c} -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD`,
    `${c} -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`,
    `${c} -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES`,
    `${c} -A FORWARD -j DOCKER-USER`,
    `${c} -A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD`,
    `${c} -A DOCKER-USER -j RETURN`,
    `${c} -A FLANNEL-FWD -s ${network} -m comment --comment "flanneld forward" -j ACCEPT`,
    `${c} -A FLANNEL-FWD -d ${network} -m comment --comment "flanneld forward" -j ACCEPT`,
    `${c} -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    `${c} -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP`,
    `${c} -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT`,
    `${c} -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
  for (let i = 0; i < services; i++) {
    const s = service(i);
    if (s.endpoints === 0)
      out.push(
        `${c} -A KUBE-SERVICES -d ${s.ip}/32 -p tcp -m comment --comment "${s.name} has no endpoints" -m tcp --dport ${s.port} -j REJECT --reject-with icmp-port-unreachable`,
      );
  }
  out.push(
    'COMMIT',
    '*nat',
    `:PREROUTING ACCEPT ${c}`,
    `:INPUT ACCEPT ${c}`,
    `:OUTPUT ACCEPT ${c}`,
    `:POSTROUTING ACCEPT ${c}`,
  );
  for (const chain of ['FLANNEL-POSTRTG', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING', 'KUBE-SERVICES'])
    out.push(`:${chain} - ${c}`);
  for (let i = 0; i < services; i++) {
    const s = service(i);
    if (s.endpoints === 0) continue;
    out.push(`:KUBE-SVC-${s.id} - ${c}`);
    for (let k = 0; k < s.endpoints; k++) out.push(`:KUBE-SEP-${s.id.slice(0, 15)}${k} - ${c}`);
  }
  out.push(
    `${c} -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`,
    `${c} -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`,
    `${c} -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING`,
    `${c} -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG`,
    `${c} -A FLANNEL-POSTRTG -s ${network} -d ${network} -m comment --comment "flanneld masq" -j RETURN`,
    `${c} -A FLANNEL-POSTRTG -s ${network} ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully`,
    `${c} -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000`,
    `${c} -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN`,
    `${c} -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0`,
    `${c} -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
  );
  for (let i = 0; i < services; i++) {
    const s = service(i);
    if (s.endpoints === 0) continue;
    out.push(
      `${c} -A KUBE-SERVICES -d ${s.ip}/32 -p tcp -m comment --comment "${s.name} cluster IP" -m tcp --dport ${s.port} -j KUBE-SVC-${s.id}`,
      `${c} -A KUBE-SVC-${s.id} ! -s ${network} -d ${s.ip}/32 -p tcp -m comment --comment "${s.name} cluster IP" -m tcp --dport ${s.port} -j KUBE-MARK-MASQ`,
    );
    for (let k = 0; k < s.endpoints; k++) {
      const sep = `KUBE-SEP-${s.id.slice(0, 15)}${k}`;
      const ep = endpoint(i, k);
      out.push(
        k === s.endpoints - 1
          ? `${c} -A KUBE-SVC-${s.id} -m comment --comment "${s.name} -> ${ep}:${s.port}" -j ${sep}`
          : `${c} -A KUBE-SVC-${s.id} -m comment --comment "${s.name} -> ${ep}:${s.port}" -m statistic --mode random --probability ${(1 / (s.endpoints - k)).toFixed(11)} -j ${sep}`,
        `${c} -A ${sep} -s ${ep}/32 -m comment --comment "${s.name}" -j KUBE-MARK-MASQ`,
        `${c} -A ${sep} -p tcp -m comment --comment "${s.name}" -m tcp -j DNAT --to-destination ${ep}:${s.port}`,
      );
    }
  }
  out.push('COMMIT', '# Completed on Wed Dec  2 12:00:00 2026');
  return `${out.join('\n')}\n`;
}

/** The same rule set as `nft list ruleset` prints iptables-nft's tables (comments dropped, as nft does). */
export function generateKubeProxyNft({ services, network = '10.0.0.0/8', host = 'bignode' }) {
  const out = [`[root@${host} ~]# nft list ruleset`, 'table ip filter {'];
  const counter = 'counter packets 0 bytes 0';
  const chain = (name, body, hook) => {
    out.push(`\tchain ${name} {`);
    if (hook !== undefined) out.push(`\t\t${hook}`);
    for (const line of body) out.push(`\t\t${line}`);
    out.push('\t}', '');
  };
  chain('INPUT', [`${counter} jump KUBE-FIREWALL`], 'type filter hook input priority filter; policy accept;');
  chain(
    'FORWARD',
    [
      `${counter} jump KUBE-FORWARD`,
      `ct state new  ${counter} jump KUBE-SERVICES`,
      `ct state new  ${counter} jump KUBE-EXTERNAL-SERVICES`,
      `${counter} jump DOCKER-USER`,
      `${counter} jump FLANNEL-FWD`,
    ],
    'type filter hook forward priority filter; policy drop;',
  );
  chain('DOCKER-USER', [`${counter} return`]);
  chain('FLANNEL-FWD', [`ip saddr ${network}  ${counter} accept`, `ip daddr ${network}  ${counter} accept`]);
  chain('KUBE-FORWARD', [
    `ct state invalid ${counter} drop`,
    `meta mark & 0x00004000 == 0x00004000 ${counter} accept`,
    `ct state related,established ${counter} accept`,
  ]);
  const rejects = [];
  for (let i = 0; i < services; i++) {
    const s = service(i);
    if (s.endpoints === 0)
      rejects.push(`meta l4proto tcp ip daddr ${s.ip}  tcp dport ${s.port} ${counter} reject`);
  }
  chain('KUBE-SERVICES', rejects);
  chain('KUBE-EXTERNAL-SERVICES', []);
  chain('KUBE-FIREWALL', [
    `ip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8 ct status & dnat == 0 ct state ! related,established ${counter} drop`,
  ]);
  out.pop();
  out.push('}', 'table ip nat {');
  chain(
    'POSTROUTING',
    [`${counter} jump KUBE-POSTROUTING`, `${counter} jump FLANNEL-POSTRTG`],
    'type nat hook postrouting priority srcnat; policy accept;',
  );
  chain(
    'PREROUTING',
    [`${counter} jump KUBE-SERVICES`],
    'type nat hook prerouting priority dstnat; policy accept;',
  );
  chain('FLANNEL-POSTRTG', [`ip saddr ${network} ip daddr ${network} ${counter} return`]);
  chain('KUBE-MARK-MASQ', [`${counter} meta mark set mark or 0x4000`]);
  const services_ = [];
  for (let i = 0; i < services; i++) {
    const s = service(i);
    if (s.endpoints === 0) continue;
    services_.push(`meta l4proto tcp ip daddr ${s.ip}  tcp dport ${s.port} ${counter} jump KUBE-SVC-${s.id}`);
  }
  chain('KUBE-SERVICES', services_);
  for (let i = 0; i < services; i++) {
    const s = service(i);
    if (s.endpoints === 0) continue;
    const body = [
      `meta l4proto tcp ip saddr != ${network} ip daddr ${s.ip}  tcp dport ${s.port} ${counter} jump KUBE-MARK-MASQ`,
    ];
    for (let k = 0; k < s.endpoints; k++) {
      const sep = `KUBE-SEP-${s.id.slice(0, 15)}${k}`;
      body.push(
        k === s.endpoints - 1
          ? ` ${counter} jump ${sep}`
          : ` meta random & 2147483647 < ${Math.round(2147483648 / (s.endpoints - k))} ${counter} jump ${sep}`,
      );
    }
    chain(`KUBE-SVC-${s.id}`, body);
    for (let k = 0; k < s.endpoints; k++) {
      const ep = endpoint(i, k);
      chain(`KUBE-SEP-${s.id.slice(0, 15)}${k}`, [
        `ip saddr ${ep}  ${counter} jump KUBE-MARK-MASQ`,
        `meta l4proto tcp   ${counter} dnat to ${ep}:${s.port}`,
      ]);
    }
  }
  out.pop();
  out.push(
    '}',
    '# Warning: table ip filter is managed by iptables-nft, do not touch!',
    '# Warning: table ip nat is managed by iptables-nft, do not touch!',
  );
  return `${out.join('\n')}\n`;
}
