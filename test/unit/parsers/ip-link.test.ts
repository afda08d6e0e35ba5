import { describe, expect, it } from 'vitest';
import { ipLinkParser } from '../../../src/core/parsers/ip-link';
import { parseAccounted, toLines } from '../support/parse';

// cluster-healthy/flnode1.netsnap: `ip -d link` (lines 35–49) and `ip addr` (lines 51–78).
const FL_D_LINK = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 9a:11:71:b7:19:ae brd ff:ff:ff:ff:ff:ff link-netns flu promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/ether 42:32:74:de:01:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    vxlan id 1 local 10.18.19.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.86:29:6f:2:69:c5 designated_root 8000.86:29:6f:2:69:c5 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  299.68 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
5: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000
    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff link-netns flp1 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 
    veth 
    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.86:29:6f:2:69:c5 designated_root 8000.86:29:6f:2:69:c5 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   14.66 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
`;
const FL_ADDR = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 9a:11:71:b7:19:ae brd ff:ff:ff:ff:ff:ff link-netns flu
    inet 10.18.19.11/24 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::9811:71ff:feb7:19ae/64 scope link tentative 
       valid_lft forever preferred_lft forever
3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000
    link/ether 42:32:74:de:01:01 brd ff:ff:ff:ff:ff:ff
    inet 10.27.1.0/32 scope global flannel.1
       valid_lft forever preferred_lft forever
    inet6 fe80::4032:74ff:fede:101/64 scope link tentative 
       valid_lft forever preferred_lft forever
4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000
    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff
    inet 10.27.1.1/24 scope global cni0
       valid_lft forever preferred_lft forever
    inet6 fe80::5019:35ff:fe2d:30eb/64 scope link tentative 
       valid_lft forever preferred_lft forever
5: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default qlen 1000
    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff link-netns flp1
    inet6 fe80::8429:6fff:fe02:69c5/64 scope link tentative 
       valid_lft forever preferred_lft forever
`;
// k8snode028.netsnap: `ip link show type bridge` (lines 96–99) and `ip link show type veth` (lines 101–103).
const K8_BRIDGES = `7: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default 
    link/ether 02:42:1c:85:aa:91 brd ff:ff:ff:ff:ff:ff
12: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 0a:58:0a:1b:09:01 brd ff:ff:ff:ff:ff:ff
`;
const K8_VETHS = `25: veth7443cee@if24: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP mode DEFAULT group default 
    link/ether 2e:03:af:2d:5e:46 brd ff:ff:ff:ff:ff:ff link-netnsid 5
...
`;

// Captured in a scratch namespace (iproute2 6.1).
const LINK = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
3: vethB@vethA: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether ea:04:68:81:11:80 brd ff:ff:ff:ff:ff:ff
4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
5: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 7a:be:18:aa:48:9d brd ff:ff:ff:ff:ff:ff
6: vxlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether be:56:62:fa:69:9f brd ff:ff:ff:ff:ff:ff
7: eth0p@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 22:1d:72:5a:a8:4b brd ff:ff:ff:ff:ff:ff
8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 8e:13:f5:bf:d4:95 brd ff:ff:ff:ff:ff:ff
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/ether d2:af:ae:32:ac:fb brd ff:ff:ff:ff:ff:ff
`;
const ADDR = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
    inet 10.27.1.1/24 scope global br0
       valid_lft forever preferred_lft forever
    inet 10.27.1.5/24 scope global secondary br0:1
       valid_lft forever preferred_lft forever
    inet6 fd00::1/64 scope global 
       valid_lft forever preferred_lft forever
    inet6 fe80::6025:8ff:fed0:4214/64 scope link 
       valid_lft forever preferred_lft forever
3: vethB@vethA: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether ea:04:68:81:11:80 brd ff:ff:ff:ff:ff:ff
    inet6 fe80::e804:68ff:fe81:1180/64 scope link 
       valid_lft forever preferred_lft forever
4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
    inet6 fe80::6025:8ff:fed0:4214/64 scope link 
       valid_lft forever preferred_lft forever
5: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000
    link/ether 7a:be:18:aa:48:9d brd ff:ff:ff:ff:ff:ff
6: vxlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000
    link/ether be:56:62:fa:69:9f brd ff:ff:ff:ff:ff:ff
7: eth0p@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 22:1d:72:5a:a8:4b brd ff:ff:ff:ff:ff:ff
    inet6 fe80::201d:72ff:fe5a:a84b/64 scope link 
       valid_lft forever preferred_lft forever
8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 8e:13:f5:bf:d4:95 brd ff:ff:ff:ff:ff:ff
    inet 10.18.19.11/24 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::8c13:f5ff:febf:d495/64 scope link 
       valid_lft forever preferred_lft forever
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000
    link/ether d2:af:ae:32:ac:fb brd ff:ff:ff:ff:ff:ff
    inet 10.27.1.0/32 scope global flannel.1
       valid_lft forever preferred_lft forever
    inet6 fe80::d0af:aeff:fe32:acfb/64 scope link 
       valid_lft forever preferred_lft forever
`;
const ADDR_ETH0 = `8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 8e:13:f5:bf:d4:95 brd ff:ff:ff:ff:ff:ff
    inet 10.18.19.11/24 scope global eth0
       valid_lft forever preferred_lft forever
    inet 10.99.0.5/24 brd 10.99.0.255 scope global dynamic noprefixroute eth0
       valid_lft 1000sec preferred_lft 500sec
    inet6 fd01::5/64 scope global tentative dynamic 
       valid_lft 1000sec preferred_lft 500sec
    inet6 fe80::8c13:f5ff:febf:d495/64 scope link 
       valid_lft forever preferred_lft forever
`;
const ADDR4 = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    inet 10.27.1.1/24 scope global br0
       valid_lft forever preferred_lft forever
    inet 10.27.1.5/24 scope global secondary br0:1
       valid_lft forever preferred_lft forever
8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    inet 10.18.19.11/24 scope global eth0
       valid_lft forever preferred_lft forever
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000
    inet 10.27.1.0/32 scope global flannel.1
       valid_lft forever preferred_lft forever
`;
const ADDR6 = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN qlen 1000
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000
    inet6 fd00::1/64 scope global 
       valid_lft forever preferred_lft forever
    inet6 fe80::6025:8ff:fed0:4214/64 scope link 
       valid_lft forever preferred_lft forever
3: vethB@vethA: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000
    inet6 fe80::e804:68ff:fe81:1180/64 scope link 
       valid_lft forever preferred_lft forever
4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000
    inet6 fe80::6025:8ff:fed0:4214/64 scope link 
       valid_lft forever preferred_lft forever
7: eth0p@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000
    inet6 fe80::201d:72ff:fe5a:a84b/64 scope link 
       valid_lft forever preferred_lft forever
8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000
    inet6 fe80::8c13:f5ff:febf:d495/64 scope link 
       valid_lft forever preferred_lft forever
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 state UNKNOWN qlen 1000
    inet6 fe80::d0af:aeff:fe32:acfb/64 scope link 
       valid_lft forever preferred_lft forever
`;
const D_VXLAN = `6: vxlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether be:56:62:fa:69:9f brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    vxlan external id 0 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/ether d2:af:ae:32:ac:fb brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    vxlan id 1 local 10.18.19.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
`;
const D_VX2 = `11: vx2: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 6e:2a:e1:73:1c:ce brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    vxlan id 42 remote 10.18.19.99 dev eth0 srcport 0 0 dstport 4789 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
`;
const D_VX3 = `12: vx3: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 1e:dc:6d:aa:97:a8 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    vxlan id 43 group 239.1.1.1 dev eth0 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
`;
const D_VETH = `10: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether 12:33:6e:d1:2a:f7 brd ff:ff:ff:ff:ff:ff link-netns scratch-b-3796-p promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 
    veth 
    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8002 port_no 0x2 designated_port 32770 designated_cost 0 designated_bridge 8000.12:33:6e:d1:2a:f7 designated_root 8000.12:33:6e:d1:2a:f7 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   13.81 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
`;
const D_ADDR = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.62:25:8:d0:42:14 designated_root 8000.62:25:8:d0:42:14 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  285.32 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet 10.27.1.1/24 scope global br0
       valid_lft forever preferred_lft forever
    inet 10.27.1.5/24 scope global secondary br0:1
       valid_lft forever preferred_lft forever
    inet6 fd00::1/64 scope global 
       valid_lft forever preferred_lft forever
    inet6 fe80::6025:8ff:fed0:4214/64 scope link 
       valid_lft forever preferred_lft forever
3: vethB@vethA: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether ea:04:68:81:11:80 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    veth numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet6 fe80::e804:68ff:fe81:1180/64 scope link 
       valid_lft forever preferred_lft forever
4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 
    veth 
    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.62:25:8:d0:42:14 designated_root 8000.62:25:8:d0:42:14 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.31 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet6 fe80::6025:8ff:fed0:4214/64 scope link 
       valid_lft forever preferred_lft forever
5: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000
    link/ether 7a:be:18:aa:48:9d brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 
6: vxlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000
    link/ether be:56:62:fa:69:9f brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    vxlan external id 0 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 
7: eth0p@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 22:1d:72:5a:a8:4b brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    veth numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet6 fe80::201d:72ff:fe5a:a84b/64 scope link 
       valid_lft forever preferred_lft forever
8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 8e:13:f5:bf:d4:95 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    veth numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet 10.18.19.11/24 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::8c13:f5ff:febf:d495/64 scope link 
       valid_lft forever preferred_lft forever
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000
    link/ether d2:af:ae:32:ac:fb brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    vxlan id 1 local 10.18.19.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet 10.27.1.0/32 scope global flannel.1
       valid_lft forever preferred_lft forever
    inet6 fe80::d0af:aeff:fe32:acfb/64 scope link 
       valid_lft forever preferred_lft forever
`;
const S_LINK = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    RX:  bytes packets errors dropped  missed   mcast           
          1338       9      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
          1338       9      0       0       0       0 
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
           544       8      0       0       0       8 
    TX:  bytes packets errors dropped carrier collsns           
          1136      12      0       1       0       0 
3: vethB@vethA: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether ea:04:68:81:11:80 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
          1792      20      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
           656       8      0       0       0       0 
4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
           656       8      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
          1792      20      0       0       0       0 
5: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 7a:be:18:aa:48:9d brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
             0       0      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
             0       0      0       0       0       0 
6: vxlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether be:56:62:fa:69:9f brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
             0       0      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
             0       0      0       0       0       0 
7: eth0p@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 22:1d:72:5a:a8:4b brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
           768      12      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
           516       6      0       0       0       0 
8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 8e:13:f5:bf:d4:95 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
           516       6      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
           768      12      0       0       0       0 
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/ether d2:af:ae:32:ac:fb brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
             0       0      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
           636       9      0       1       0       0 
`;
const O_LINK = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
3: vethB@vethA: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether ea:04:68:81:11:80 brd ff:ff:ff:ff:ff:ff
4: vethA@vethB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\\    link/ether 62:25:08:d0:42:14 brd ff:ff:ff:ff:ff:ff
5: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether 7a:be:18:aa:48:9d brd ff:ff:ff:ff:ff:ff
6: vxlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether be:56:62:fa:69:9f brd ff:ff:ff:ff:ff:ff
7: eth0p@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 22:1d:72:5a:a8:4b brd ff:ff:ff:ff:ff:ff
8: eth0@eth0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 8e:13:f5:bf:d4:95 brd ff:ff:ff:ff:ff:ff
9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/ether d2:af:ae:32:ac:fb brd ff:ff:ff:ff:ff:ff
`;
const BR_LINK = `lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
br0              UP             62:25:08:d0:42:14 <BROADCAST,MULTICAST,UP,LOWER_UP> 
vethB@vethA      UP             ea:04:68:81:11:80 <BROADCAST,MULTICAST,UP,LOWER_UP> 
vethA@vethB      UP             62:25:08:d0:42:14 <BROADCAST,MULTICAST,UP,LOWER_UP> 
br1              DOWN           7a:be:18:aa:48:9d <BROADCAST,MULTICAST> 
vxlan0           DOWN           be:56:62:fa:69:9f <BROADCAST,MULTICAST> 
eth0p@eth0       UP             22:1d:72:5a:a8:4b <BROADCAST,MULTICAST,UP,LOWER_UP> 
eth0@eth0p       UP             8e:13:f5:bf:d4:95 <BROADCAST,MULTICAST,UP,LOWER_UP> 
flannel.1        UNKNOWN        d2:af:ae:32:ac:fb <BROADCAST,MULTICAST,UP,LOWER_UP> 
`;
const BR_ADDR = `lo               UNKNOWN        127.0.0.1/8 ::1/128 
br0              UP             10.27.1.1/24 10.27.1.5/24 fd00::1/64 fe80::6025:8ff:fed0:4214/64 
vethB@vethA      UP             fe80::e804:68ff:fe81:1180/64 
vethA@vethB      UP             fe80::6025:8ff:fed0:4214/64 
br1              DOWN           
vxlan0           DOWN           
eth0p@eth0       UP             fe80::201d:72ff:fe5a:a84b/64 
eth0@eth0p       UP             10.18.19.11/24 fe80::8c13:f5ff:febf:d495/64 
flannel.1        UNKNOWN        10.27.1.0/32 fe80::d0af:aeff:fe32:acfb/64 
`;
const J_LINK = `[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":2,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"62:25:08:d0:42:14","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":3,"link":"vethA","ifname":"vethB","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"ea:04:68:81:11:80","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":4,"link":"vethB","ifname":"vethA","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"62:25:08:d0:42:14","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":5,"ifname":"br1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"7a:be:18:aa:48:9d","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":6,"ifname":"vxlan0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"be:56:62:fa:69:9f","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":7,"link":"eth0","ifname":"eth0p","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"22:1d:72:5a:a8:4b","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":8,"link":"eth0p","ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"8e:13:f5:bf:d4:95","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":9,"ifname":"flannel.1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"d2:af:ae:32:ac:fb","broadcast":"ff:ff:ff:ff:ff:ff"}]
`;
const DJ_LINK = `[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","promiscuity":0,"allmulti":0,"min_mtu":0,"max_mtu":0,"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":2,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"62:25:08:d0:42:14","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"hello_time":200,"max_age":2000,"ageing_time":30000,"stp_state":0,"priority":32768,"vlan_filtering":0,"bridge_id":"8000.62:25:8:d0:42:14","root_id":"8000.62:25:8:d0:42:14","root_port":0,"root_path_cost":0,"topology_change":0,"topology_change_detected":0,"hello_timer":0.00,"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":285.53,"group_fwd_mask":"0","group_addr":"01:80:c2:00:00:00","mcast_snooping":1,"no_linklocal_learn":0,"mcast_vlan_snooping":0,"mcast_router":1,"mcast_query_use_ifaddr":0,"mcast_querier":0,"mcast_hash_elasticity":16,"mcast_hash_max":4096,"mcast_last_member_cnt":2,"mcast_startup_query_cnt":2,"mcast_last_member_intvl":100,"mcast_membership_intvl":26000,"mcast_querier_intvl":25500,"mcast_query_intvl":12500,"mcast_query_response_intvl":1000,"mcast_startup_query_intvl":3124,"mcast_stats_enabled":0,"mcast_igmp_version":2,"mcast_mld_version":1,"nf_call_iptables":0,"nf_call_ip6tables":0,"nf_call_arptables":0}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":3,"link":"vethA","ifname":"vethB","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"ea:04:68:81:11:80","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":4,"link":"vethB","ifname":"vethA","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"62:25:08:d0:42:14","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":1,"allmulti":1,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"forwarding","priority":32,"cost":2,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"id":"0x8001","no":"0x1","designated_port":32769,"designated_cost":0,"bridge_id":"8000.62:25:8:d0:42:14","root_id":"8000.62:25:8:d0:42:14","hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":0.52,"topology_change_ack":0,"config_pending":0,"proxy_arp":false,"proxy_arp_wifi":false,"multicast_router":1,"mcast_flood":true,"bcast_flood":true,"mcast_to_unicast":false,"neigh_suppress":false,"group_fwd_mask":"0","group_fwd_mask_str":"0x0","vlan_tunnel":false,"isolated":false,"locked":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":5,"ifname":"br1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"7a:be:18:aa:48:9d","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"hello_time":200,"max_age":2000,"ageing_time":30000,"stp_state":0,"priority":32768,"vlan_filtering":0,"bridge_id":"8000.0:0:0:0:0:0","root_id":"8000.0:0:0:0:0:0","root_port":0,"root_path_cost":0,"topology_change":0,"topology_change_detected":0,"hello_timer":0.00,"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":0.00,"group_fwd_mask":"0","group_addr":"01:80:c2:00:00:00","mcast_snooping":1,"no_linklocal_learn":0,"mcast_vlan_snooping":0,"mcast_router":1,"mcast_query_use_ifaddr":0,"mcast_querier":0,"mcast_hash_elasticity":16,"mcast_hash_max":4096,"mcast_last_member_cnt":2,"mcast_startup_query_cnt":2,"mcast_last_member_intvl":100,"mcast_membership_intvl":26000,"mcast_querier_intvl":25500,"mcast_query_intvl":12500,"mcast_query_response_intvl":1000,"mcast_startup_query_intvl":3124,"mcast_stats_enabled":0,"mcast_igmp_version":2,"mcast_mld_version":1,"nf_call_iptables":0,"nf_call_ip6tables":0,"nf_call_arptables":0}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":65536,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":6,"ifname":"vxlan0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"be:56:62:fa:69:9f","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"vxlan","info_data":{"external":true,"id":0,"port_range":{"low":0,"high":0},"port":4789,"learning":false,"ttl":0,"df":"unset","ageing":300,"udp_csum":true,"udp_zero_csum6_tx":false,"udp_zero_csum6_rx":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":65536,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":7,"link":"eth0","ifname":"eth0p","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"22:1d:72:5a:a8:4b","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":8,"link":"eth0p","ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"8e:13:f5:bf:d4:95","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":9,"ifname":"flannel.1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"d2:af:ae:32:ac:fb","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"vxlan","info_data":{"id":1,"local":"10.18.19.11","link":"eth0","port_range":{"low":0,"high":0},"port":8472,"learning":false,"ttl":0,"df":"unset","ageing":300,"udp_csum":true,"udp_zero_csum6_tx":false,"udp_zero_csum6_rx":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]
`;
const J_ADDR = `[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"::1","prefixlen":128,"scope":"host","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"62:25:08:d0:42:14","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.27.1.1","prefixlen":24,"scope":"global","label":"br0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"10.27.1.5","prefixlen":24,"scope":"global","secondary":true,"label":"br0:1","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"fd00::1","prefixlen":64,"scope":"global","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"fe80::6025:8ff:fed0:4214","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":3,"link":"vethA","ifname":"vethB","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"ea:04:68:81:11:80","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet6","local":"fe80::e804:68ff:fe81:1180","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":4,"link":"vethB","ifname":"vethA","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"62:25:08:d0:42:14","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet6","local":"fe80::6025:8ff:fed0:4214","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":5,"ifname":"br1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"7a:be:18:aa:48:9d","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":6,"ifname":"vxlan0","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"ether","address":"be:56:62:fa:69:9f","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[]},{"ifindex":7,"link":"eth0","ifname":"eth0p","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"22:1d:72:5a:a8:4b","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet6","local":"fe80::201d:72ff:fe5a:a84b","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":8,"link":"eth0p","ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"8e:13:f5:bf:d4:95","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.18.19.11","prefixlen":24,"scope":"global","label":"eth0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"fe80::8c13:f5ff:febf:d495","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":9,"ifname":"flannel.1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"ether","address":"d2:af:ae:32:ac:fb","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.27.1.0","prefixlen":32,"scope":"global","label":"flannel.1","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"fe80::d0af:aeff:fe32:acfb","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]
`;
const JP_ADDR = `[ {
        "ifindex": 1,
        "ifname": "lo",
        "flags": [ "LOOPBACK","UP","LOWER_UP" ],
        "mtu": 65536,
        "qdisc": "noqueue",
        "operstate": "UNKNOWN",
        "group": "default",
        "txqlen": 1000,
        "link_type": "loopback",
        "address": "00:00:00:00:00:00",
        "broadcast": "00:00:00:00:00:00",
        "addr_info": [ {
                "family": "inet",
                "local": "127.0.0.1",
                "prefixlen": 8,
                "scope": "host",
                "label": "lo",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            },{
                "family": "inet6",
                "local": "::1",
                "prefixlen": 128,
                "scope": "host",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            } ]
    },{
        "ifindex": 2,
        "ifname": "br0",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "qdisc": "noqueue",
        "operstate": "UP",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "62:25:08:d0:42:14",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ {
                "family": "inet",
                "local": "10.27.1.1",
                "prefixlen": 24,
                "scope": "global",
                "label": "br0",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            },{
                "family": "inet",
                "local": "10.27.1.5",
                "prefixlen": 24,
                "scope": "global",
                "secondary": true,
                "label": "br0:1",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            },{
                "family": "inet6",
                "local": "fd00::1",
                "prefixlen": 64,
                "scope": "global",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            },{
                "family": "inet6",
                "local": "fe80::6025:8ff:fed0:4214",
                "prefixlen": 64,
                "scope": "link",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            } ]
    },{
        "ifindex": 3,
        "link": "vethA",
        "ifname": "vethB",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "qdisc": "noqueue",
        "operstate": "UP",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "ea:04:68:81:11:80",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ {
                "family": "inet6",
                "local": "fe80::e804:68ff:fe81:1180",
                "prefixlen": 64,
                "scope": "link",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            } ]
    },{
        "ifindex": 4,
        "link": "vethB",
        "ifname": "vethA",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "qdisc": "noqueue",
        "master": "br0",
        "operstate": "UP",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "62:25:08:d0:42:14",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ {
                "family": "inet6",
                "local": "fe80::6025:8ff:fed0:4214",
                "prefixlen": 64,
                "scope": "link",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            } ]
    },{
        "ifindex": 5,
        "ifname": "br1",
        "flags": [ "BROADCAST","MULTICAST" ],
        "mtu": 1500,
        "qdisc": "noop",
        "operstate": "DOWN",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "7a:be:18:aa:48:9d",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ ]
    },{
        "ifindex": 6,
        "ifname": "vxlan0",
        "flags": [ "BROADCAST","MULTICAST" ],
        "mtu": 1500,
        "qdisc": "noop",
        "operstate": "DOWN",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "be:56:62:fa:69:9f",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ ]
    },{
        "ifindex": 7,
        "link": "eth0",
        "ifname": "eth0p",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "qdisc": "noqueue",
        "operstate": "UP",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "22:1d:72:5a:a8:4b",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ {
                "family": "inet6",
                "local": "fe80::201d:72ff:fe5a:a84b",
                "prefixlen": 64,
                "scope": "link",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            } ]
    },{
        "ifindex": 8,
        "link": "eth0p",
        "ifname": "eth0",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "qdisc": "noqueue",
        "operstate": "UP",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "8e:13:f5:bf:d4:95",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ {
                "family": "inet",
                "local": "10.18.19.11",
                "prefixlen": 24,
                "scope": "global",
                "label": "eth0",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            },{
                "family": "inet6",
                "local": "fe80::8c13:f5ff:febf:d495",
                "prefixlen": 64,
                "scope": "link",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            } ]
    },{
        "ifindex": 9,
        "ifname": "flannel.1",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1450,
        "qdisc": "noqueue",
        "operstate": "UNKNOWN",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "d2:af:ae:32:ac:fb",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "addr_info": [ {
                "family": "inet",
                "local": "10.27.1.0",
                "prefixlen": 32,
                "scope": "global",
                "label": "flannel.1",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            },{
                "family": "inet6",
                "local": "fe80::d0af:aeff:fe32:acfb",
                "prefixlen": 64,
                "scope": "link",
                "valid_life_time": 4294967295,
                "preferred_life_time": 4294967295
            } ]
    } ]
`;
const DJP_VXLAN = `[ {
        "ifindex": 6,
        "ifname": "vxlan0",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1500,
        "qdisc": "noqueue",
        "master": "br1",
        "operstate": "UNKNOWN",
        "linkmode": "DEFAULT",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "be:56:62:fa:69:9f",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "promiscuity": 1,
        "allmulti": 1,
        "min_mtu": 68,
        "max_mtu": 65535,
        "linkinfo": {
            "info_kind": "vxlan",
            "info_data": {
                "external": true,
                "id": 0,
                "port_range": {
                    "low": 0,
                    "high": 0
                },
                "port": 4789,
                "learning": false,
                "ttl": 0,
                "df": "unset",
                "ageing": 300,
                "udp_csum": true,
                "udp_zero_csum6_tx": false,
                "udp_zero_csum6_rx": false
            },
            "info_slave_kind": "bridge",
            "info_slave_data": {
                "state": "forwarding",
                "priority": 32,
                "cost": 100,
                "hairpin": false,
                "guard": false,
                "root_block": false,
                "fastleave": false,
                "learning": true,
                "flood": true,
                "id": "0x8001",
                "no": "0x1",
                "designated_port": 32769,
                "designated_cost": 0,
                "bridge_id": "8000.be:56:62:fa:69:9f",
                "root_id": "8000.be:56:62:fa:69:9f",
                "hold_timer": 0.00,
                "message_age_timer": 0.00,
                "forward_delay_timer": 0.00,
                "topology_change_ack": 0,
                "config_pending": 0,
                "proxy_arp": false,
                "proxy_arp_wifi": false,
                "multicast_router": 1,
                "mcast_flood": true,
                "bcast_flood": true,
                "mcast_to_unicast": false,
                "neigh_suppress": false,
                "group_fwd_mask": "0",
                "group_fwd_mask_str": "0x0",
                "vlan_tunnel": false,
                "isolated": false,
                "locked": false
            }
        },
        "inet6_addr_gen_mode": "eui64",
        "num_tx_queues": 1,
        "num_rx_queues": 1,
        "gso_max_size": 65536,
        "gso_max_segs": 65535,
        "tso_max_size": 65536,
        "tso_max_segs": 65535,
        "gro_max_size": 65536
    },{
        "ifindex": 9,
        "ifname": "flannel.1",
        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],
        "mtu": 1450,
        "qdisc": "noqueue",
        "operstate": "UNKNOWN",
        "linkmode": "DEFAULT",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "d2:af:ae:32:ac:fb",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "promiscuity": 0,
        "allmulti": 0,
        "min_mtu": 68,
        "max_mtu": 65535,
        "linkinfo": {
            "info_kind": "vxlan",
            "info_data": {
                "id": 1,
                "local": "10.18.19.11",
                "link": "eth0",
                "port_range": {
                    "low": 0,
                    "high": 0
                },
                "port": 8472,
                "learning": false,
                "ttl": 0,
                "df": "unset",
                "ageing": 300,
                "udp_csum": true,
                "udp_zero_csum6_tx": false,
                "udp_zero_csum6_rx": false
            }
        },
        "inet6_addr_gen_mode": "eui64",
        "num_tx_queues": 1,
        "num_rx_queues": 1,
        "gso_max_size": 65536,
        "gso_max_segs": 65535,
        "tso_max_size": 524280,
        "tso_max_segs": 65535,
        "gro_max_size": 65536
    },{
        "ifindex": 11,
        "ifname": "vx2",
        "flags": [ "BROADCAST","MULTICAST" ],
        "mtu": 1450,
        "qdisc": "noop",
        "operstate": "DOWN",
        "linkmode": "DEFAULT",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "6e:2a:e1:73:1c:ce",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "promiscuity": 0,
        "allmulti": 0,
        "min_mtu": 68,
        "max_mtu": 65535,
        "linkinfo": {
            "info_kind": "vxlan",
            "info_data": {
                "id": 42,
                "remote": "10.18.19.99",
                "link": "eth0",
                "port_range": {
                    "low": 0,
                    "high": 0
                },
                "port": 4789,
                "learning": true,
                "ttl": 0,
                "df": "unset",
                "ageing": 300,
                "udp_csum": true,
                "udp_zero_csum6_tx": false,
                "udp_zero_csum6_rx": false
            }
        },
        "inet6_addr_gen_mode": "eui64",
        "num_tx_queues": 1,
        "num_rx_queues": 1,
        "gso_max_size": 65536,
        "gso_max_segs": 65535,
        "tso_max_size": 524280,
        "tso_max_segs": 65535,
        "gro_max_size": 65536
    },{
        "ifindex": 12,
        "ifname": "vx3",
        "flags": [ "BROADCAST","MULTICAST" ],
        "mtu": 1450,
        "qdisc": "noop",
        "operstate": "DOWN",
        "linkmode": "DEFAULT",
        "group": "default",
        "txqlen": 1000,
        "link_type": "ether",
        "address": "1e:dc:6d:aa:97:a8",
        "broadcast": "ff:ff:ff:ff:ff:ff",
        "promiscuity": 0,
        "allmulti": 0,
        "min_mtu": 68,
        "max_mtu": 65535,
        "linkinfo": {
            "info_kind": "vxlan",
            "info_data": {
                "id": 43,
                "group": "239.1.1.1",
                "link": "eth0",
                "port_range": {
                    "low": 0,
                    "high": 0
                },
                "port": 8472,
                "learning": true,
                "ttl": 0,
                "df": "unset",
                "ageing": 300,
                "udp_csum": true,
                "udp_zero_csum6_tx": false,
                "udp_zero_csum6_rx": false
            }
        },
        "inet6_addr_gen_mode": "eui64",
        "num_tx_queues": 1,
        "num_rx_queues": 1,
        "gso_max_size": 65536,
        "gso_max_segs": 65535,
        "tso_max_size": 524280,
        "tso_max_segs": 65535,
        "gro_max_size": 65536
    } ]
`;
const DJ_VETH = `[{"ifindex":10,"link_index":2,"ifname":"veth228c5a4c","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"12:33:6e:d1:2a:f7","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":1,"allmulti":1,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"forwarding","priority":32,"cost":2,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"id":"0x8002","no":"0x2","designated_port":32770,"designated_cost":0,"bridge_id":"8000.12:33:6e:d1:2a:f7","root_id":"8000.12:33:6e:d1:2a:f7","hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":13.80,"topology_change_ack":0,"config_pending":0,"proxy_arp":false,"proxy_arp_wifi":false,"multicast_router":1,"mcast_flood":true,"bcast_flood":true,"mcast_to_unicast":false,"neigh_suppress":false,"group_fwd_mask":"0","group_fwd_mask_str":"0x0","vlan_tunnel":false,"isolated":false,"locked":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]
`;

const F = 'test.netsnap';

describe('ip-link parser: text', () => {
  it('reads `ip -d link` of a flannel node: vxlan, bridge, veth, loopback', () => {
    const r = parseAccounted(ipLinkParser, FL_D_LINK, 'ip -d link', { first: 35 });
    expect(r.issues).toEqual([]);
    const [lo, eth0, flannel, cni0, veth] = r.facts.interfaces ?? [];
    expect(lo).toMatchObject({ name: 'lo', ifindex: 1, kind: 'loopback', up: true, operState: 'UNKNOWN' });
    expect(lo?.loc).toEqual({ file: F, line: 35, endLine: 36 });
    expect(eth0).toMatchObject({
      name: 'eth0',
      link: 'if3',
      linkNetns: 'flu',
      linkKind: 'veth',
      kind: 'veth',
      mac: '9a:11:71:b7:19:ae',
      mtu: 1500,
    });
    expect(eth0?.loc).toEqual({ file: F, line: 37, endLine: 39 });
    expect(flannel).toMatchObject({
      name: 'flannel.1',
      kind: 'vxlan',
      linkKind: 'vxlan',
      mtu: 1450,
      mac: '42:32:74:de:01:01',
    });
    expect(flannel?.vxlan).toEqual({
      id: 1,
      local: '10.18.19.11',
      dev: 'eth0',
      port: 8472,
      learning: false,
      external: false,
    });
    expect(cni0).toMatchObject({
      name: 'cni0',
      kind: 'bridge',
      linkKind: 'bridge',
      bridgeId: '8000.86:29:6f:2:69:c5',
    });
    expect(veth).toMatchObject({
      name: 'veth228c5a4c',
      link: 'if2',
      master: 'cni0',
      kind: 'veth',
      linkKind: 'veth',
      portState: 'forwarding',
      linkNetns: 'flp1',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    });
    expect(veth?.loc).toEqual({ file: F, line: 46, endLine: 49 });
    expect(veth?.addresses).toEqual([]);
  });

  it('reads `ip addr`: addresses with valid_lft lines, labels, flags', () => {
    const r = parseAccounted(ipLinkParser, FL_ADDR, 'ip addr', { first: 51 });
    expect(r.issues).toEqual([]);
    const ifs = r.facts.interfaces ?? [];
    expect(ifs.map((i) => i.name)).toEqual(['lo', 'eth0', 'flannel.1', 'cni0', 'veth228c5a4c']);
    expect(ifs.map((i) => i.kind)).toEqual(['loopback', 'veth', 'vxlan', 'bridge', 'veth']);
    const flannel = ifs[2];
    expect(flannel?.loc).toEqual({ file: F, line: 63, endLine: 68 });
    expect(flannel?.addresses[0]).toEqual({
      loc: { file: F, line: 65, endLine: 66 },
      family: 'inet',
      address: '10.27.1.0',
      prefixLen: 32,
      scope: 'global',
      label: 'flannel.1',
    });
    expect(flannel?.addresses[1]).toEqual({
      loc: { file: F, line: 67, endLine: 68 },
      family: 'inet6',
      address: 'fe80::4032:74ff:fede:101',
      prefixLen: 64,
      scope: 'link',
      flags: ['tentative'],
    });
    expect(ifs[3]?.addresses[0]).toMatchObject({ address: '10.27.1.1', prefixLen: 24 });
    expect(ifs[1]).toMatchObject({ linkNetns: 'flu', link: 'if3' });
  });

  it('reads address flags, brd, secondary labels', () => {
    const eth0 = parseAccounted(ipLinkParser, ADDR_ETH0, 'ip addr show dev eth0').facts.interfaces?.[0];
    expect(eth0?.addresses[1]).toMatchObject({
      address: '10.99.0.5',
      prefixLen: 24,
      broadcast: '10.99.0.255',
      scope: 'global',
      flags: ['dynamic', 'noprefixroute'],
      label: 'eth0',
    });
    expect(eth0?.addresses[2]).toMatchObject({ address: 'fd01::5', flags: ['tentative', 'dynamic'] });
    expect(eth0?.addresses[2]?.label).toBeUndefined();
    const br0 = parseAccounted(ipLinkParser, ADDR, 'ip addr').facts.interfaces?.find((i) => i.name === 'br0');
    expect(br0?.addresses.map((a) => [a.address, a.label, a.flags])).toEqual([
      ['10.27.1.1', 'br0', undefined],
      ['10.27.1.5', 'br0:1', ['secondary']],
      ['fd00::1', undefined, undefined],
      ['fe80::6025:8ff:fed0:4214', undefined, undefined],
    ]);
  });

  it('reads `ip -4 addr` and `ip -6 addr` (no qdisc in the header)', () => {
    const v4 = parseAccounted(ipLinkParser, ADDR4, 'ip -4 addr').facts.interfaces ?? [];
    expect(v4.map((i) => [i.name, i.addresses.length])).toEqual([
      ['lo', 1],
      ['br0', 2],
      ['eth0', 1],
      ['flannel.1', 1],
    ]);
    const v6 = parseAccounted(ipLinkParser, ADDR6, 'ip -6 addr').facts.interfaces ?? [];
    expect(v6).toHaveLength(7);
    expect(v6[0]).toMatchObject({ name: 'lo', kind: 'loopback', operState: 'UNKNOWN', mtu: 65536 });
  });

  it('reads vxlan details: nolearning, external, remote, group', () => {
    const [vxlan0, flannel] =
      parseAccounted(ipLinkParser, D_VXLAN, 'ip -d link show type vxlan').facts.interfaces ?? [];
    expect(vxlan0?.vxlan).toEqual({ id: 0, port: 4789, learning: false, external: true });
    expect(flannel?.vxlan).toMatchObject({
      id: 1,
      port: 8472,
      local: '10.18.19.11',
      dev: 'eth0',
      learning: false,
    });
    expect(parseAccounted(ipLinkParser, D_VX2).facts.interfaces?.[0]?.vxlan).toEqual({
      id: 42,
      remote: '10.18.19.99',
      dev: 'eth0',
      port: 4789,
      learning: true,
      external: false,
    });
    expect(parseAccounted(ipLinkParser, D_VX3).facts.interfaces?.[0]?.vxlan).toMatchObject({
      id: 43,
      group: '239.1.1.1',
    });
  });

  it('reads a veth whose peer is in a named namespace, and `ip -d addr`', () => {
    const veth = parseAccounted(ipLinkParser, D_VETH, 'ip -d link show dev veth228c5a4c').facts
      .interfaces?.[0];
    expect(veth).toMatchObject({
      link: 'if2',
      linkNetns: 'scratch-b-3796-p',
      portState: 'forwarding',
      master: 'br0',
    });
    const ifs = parseAccounted(ipLinkParser, D_ADDR, 'ip -d addr').facts.interfaces ?? [];
    const vethA = ifs.find((i) => i.name === 'vethA');
    expect(vethA).toMatchObject({ linkKind: 'veth', portState: 'forwarding', link: 'vethB' });
    expect(vethA?.addresses).toHaveLength(1);
    expect(ifs.find((i) => i.name === 'br1')).toMatchObject({ kind: 'bridge', linkKind: 'bridge' });
  });

  it('reads k8snode028: the command type gives the kind, link-netnsid, trailing elision', () => {
    const bridges =
      parseAccounted(ipLinkParser, K8_BRIDGES, 'ip link show type bridge', { first: 96 }).facts.interfaces ??
      [];
    expect(bridges.map((i) => [i.name, i.kind, i.mac, i.loc])).toEqual([
      ['docker0', 'bridge', '02:42:1c:85:aa:91', { file: F, line: 96, endLine: 97 }],
      ['cni0', 'bridge', '0a:58:0a:1b:09:01', { file: F, line: 98, endLine: 99 }],
    ]);
    const r = parseAccounted(ipLinkParser, K8_VETHS, 'ip link show type veth', { first: 101 });
    expect(r.facts.interfaces?.[0]).toMatchObject({
      name: 'veth7443cee',
      link: 'if24',
      kind: 'veth',
      master: 'docker0',
      linkNetnsId: 5,
      loc: { file: F, line: 101, endLine: 102 },
    });
    expect(r.skipped).toEqual([103]);
    // Guessing from the name when the command gives no type.
    const guessed = parseAccounted(ipLinkParser, LINK, 'ip link').facts.interfaces ?? [];
    expect(guessed.map((i) => [i.name, i.kind])).toEqual([
      ['lo', 'loopback'],
      ['br0', 'bridge'],
      ['vethB', 'veth'],
      ['vethA', 'veth'],
      ['br1', 'bridge'],
      ['vxlan0', 'vxlan'],
      ['eth0p', 'physical'],
      ['eth0', 'physical'],
      ['flannel.1', 'vxlan'],
    ]);
  });

  it('keeps counters (`-s`) and one-line (`-o`) output in the link record', () => {
    const s = parseAccounted(ipLinkParser, S_LINK, 'ip -s link').facts.interfaces ?? [];
    expect(s).toHaveLength(9);
    expect(s[0]?.loc).toEqual({ file: F, line: 1, endLine: 6 });
    const o = parseAccounted(ipLinkParser, O_LINK, 'ip -o link').facts.interfaces ?? [];
    expect(o).toHaveLength(9);
    expect(o[3]).toMatchObject({ name: 'vethA', master: 'br0', mac: '62:25:08:d0:42:14', loc: { line: 4 } });
  });

  it('reads the brief format', () => {
    const link = parseAccounted(ipLinkParser, BR_LINK, 'ip -br link').facts.interfaces ?? [];
    expect(link).toHaveLength(9);
    expect(link[0]).toMatchObject({ name: 'lo', kind: 'loopback', up: true, operState: 'UNKNOWN' });
    expect(link[2]).toMatchObject({ name: 'vethB', link: 'vethA', mac: 'ea:04:68:81:11:80', up: true });
    expect(link[4]).toMatchObject({ name: 'br1', up: false, flags: ['BROADCAST', 'MULTICAST'] });
    const addr = parseAccounted(ipLinkParser, BR_ADDR, 'ip -br addr').facts.interfaces ?? [];
    expect(addr[1]?.addresses.map((a) => `${a.address}/${a.prefixLen}`)).toEqual([
      '10.27.1.1/24',
      '10.27.1.5/24',
      'fd00::1/64',
      'fe80::6025:8ff:fed0:4214/64',
    ]);
    expect(addr[4]).toMatchObject({ name: 'br1', up: false, addresses: [] });
    expect(addr[8]).toMatchObject({ name: 'flannel.1', up: true, kind: 'vxlan' });
  });

  it('reports garbage, orphan detail lines and unreadable addresses', () => {
    const r = parseAccounted(
      ipLinkParser,
      '    link/ether 86:29:6f:02:69:c5 brd ff:ff:ff:ff:ff:ff\n' +
        'Device "cni9" does not exist.\n' +
        '4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000\n' +
        '    inet 10.27.1.1/99 scope global cni0\n' +
        '...\n' +
        '    inet 10.27.1.2/24 scope global cni0\n',
      'ip addr',
    );
    expect(r.facts.interfaces).toHaveLength(1);
    expect(r.facts.interfaces?.[0]?.addresses).toEqual([]);
    expect(r.issues.map((i) => i.line)).toEqual([1, 2, 4, 6]);
    expect(r.skipped).toEqual([5]);
  });
});

describe('ip-link parser: JSON', () => {
  const strip = (ifs: readonly object[]) =>
    JSON.parse(
      JSON.stringify(ifs, (k, v: unknown) => (k === 'loc' || k === 'alsoAt' ? undefined : v)),
    ) as unknown[];

  it('reads `ip -j link` like `ip link`', () => {
    const text = parseAccounted(ipLinkParser, LINK, 'ip link').facts.interfaces ?? [];
    const json = parseAccounted(ipLinkParser, J_LINK, 'ip -j link').facts.interfaces ?? [];
    expect(strip(json)).toEqual(strip(text));
  });

  it('reads `ip -d -j link`: link kinds, vxlan, bridge id, port state', () => {
    const ifs = parseAccounted(ipLinkParser, DJ_LINK, 'ip -d -j link').facts.interfaces ?? [];
    const by = (n: string) => ifs.find((i) => i.name === n);
    expect(by('flannel.1')?.vxlan).toEqual({
      id: 1,
      local: '10.18.19.11',
      dev: 'eth0',
      port: 8472,
      learning: false,
      external: false,
    });
    expect(by('vxlan0')?.vxlan).toEqual({ id: 0, port: 4789, learning: false, external: true });
    expect(by('br0')).toMatchObject({
      kind: 'bridge',
      linkKind: 'bridge',
      bridgeId: '8000.62:25:8:d0:42:14',
    });
    expect(by('vethA')).toMatchObject({
      kind: 'veth',
      portState: 'forwarding',
      master: 'br0',
      link: 'vethB',
    });
    expect(by('lo')?.kind).toBe('loopback');
    const veth = parseAccounted(ipLinkParser, DJ_VETH, 'ip -d -j link show dev veth228c5a4c').facts
      .interfaces?.[0];
    expect(veth).toMatchObject({ link: 'if2', linkNetnsId: 0, portState: 'forwarding', kind: 'veth' });
  });

  it('reads `ip -j addr` like `ip addr`, and locates pretty-printed addresses', () => {
    const text = parseAccounted(ipLinkParser, ADDR, 'ip addr').facts.interfaces ?? [];
    const json = parseAccounted(ipLinkParser, J_ADDR, 'ip -j addr').facts.interfaces ?? [];
    expect(strip(json)).toEqual(strip(text));
    const pretty = parseAccounted(ipLinkParser, JP_ADDR, 'ip -j -p addr');
    const lo = pretty.facts.interfaces?.[0];
    expect(lo?.loc).toEqual({ file: F, line: 1, endLine: 29 });
    expect(lo?.addresses[0]?.loc).toEqual({ file: F, line: 13, endLine: 21 });
    expect(lo?.addresses[1]?.loc).toEqual({ file: F, line: 21, endLine: 28 });
  });

  it('reads pretty `ip -d -j -p link show type vxlan`', () => {
    const r = parseAccounted(ipLinkParser, DJP_VXLAN, 'ip -d -j -p link show type vxlan');
    expect(r.facts.interfaces?.map((i) => [i.name, i.kind, i.vxlan?.id])).toEqual([
      ['vxlan0', 'vxlan', 0],
      ['flannel.1', 'vxlan', 1],
      ['vx2', 'vxlan', 42],
      ['vx3', 'vxlan', 43],
    ]);
  });

  it('reads what it can of broken pretty JSON, addresses located', () => {
    // The pretty `ip -j -p addr` capture, cut off inside the second link.
    const cut = JP_ADDR.split('\n').slice(0, 40).join('\n');
    const r = parseAccounted(ipLinkParser, cut, 'ip -j -p addr');
    const lo = r.facts.interfaces?.[0];
    expect(lo?.name).toBe('lo');
    expect(lo?.addresses.map((a) => a.loc.line)).toEqual([13, 21]);
    expect(r.issues.length).toBeGreaterThan(0);
  });

  it('reports broken JSON on its line', () => {
    const r = parseAccounted(
      ipLinkParser,
      '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"]},\n{"ifindex":2,"ifn',
      'ip -j link',
    );
    expect(r.facts.interfaces?.[0]?.name).toBe('lo');
    expect(r.issues.some((i) => i.line === 2)).toBe(true);
  });
});

describe('ip-link parser: commands and detection', () => {
  it('matches the show forms of ip link / ip addr only', () => {
    const m = (c: string) => ipLinkParser.matchesCommand(c.split(' '));
    for (const c of [
      'ip link',
      'ip l',
      'ip li',
      'ip lin show',
      'ip -d link',
      'ip link show type bridge',
      'ip -d link show type vxlan',
      'ip link sh dev flannel.1',
      'ip link list',
      'ip addr',
      'ip a',
      'ip ad',
      'ip address show',
      'ip a s',
      'ip -4 addr',
      'ip -6 addr show dev eth0',
      'ip -br link',
      'ip -br addr',
      'ip -j link',
      'ip -d -j link',
      'ip -j -p addr',
      '/sbin/ip -n flu addr',
    ])
      expect(m(c), c).toBe(true);
    for (const c of [
      'ip link set flannel.1 up',
      'ip link s flannel.1 up',
      'ip link add br0 type bridge',
      'ip link del br0',
      'ip addr add 10.0.0.1/24 dev eth0',
      'ip a a 10.0.0.1/24 dev eth0',
      'ip addr flush dev eth0',
      'ip addrlabel',
      'ip route',
      'ip neigh',
      'brctl addbr br0',
      'bridge link show',
    ])
      expect(m(c), c).toBe(false);
  });

  it('detects link dumps but not `bridge link` lines', () => {
    expect(ipLinkParser.detect(toLines(FL_D_LINK), 0)).toBe(true);
    expect(ipLinkParser.detect(toLines(ADDR6), 0)).toBe(true);
    expect(ipLinkParser.detect(toLines(J_LINK), 0)).toBe(true);
    expect(ipLinkParser.detect(toLines(JP_ADDR), 0)).toBe(true);
    expect(ipLinkParser.detect(toLines(FL_D_LINK), 1)).toBe(false);
    expect(
      ipLinkParser.detect(
        toLines(
          '5: veth228c5a4c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master cni0 state forwarding priority 32 cost 2\n',
        ),
        0,
      ),
    ).toBe(false);
  });
});
