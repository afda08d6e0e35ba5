#!/usr/bin/env bash
# analysis-fixtures.sh — regenerates the .netsnap files of the firewall and kernel finding fixtures
# (test/fixtures/analysis/<code>/<case>/) from the live lab: each case is a fresh `lab.sh up 3`, one fault
# injected with real commands in a node namespace, the kernel's verdict checked with pings where the
# fault touches the data path, then `lab.sh capture` of only the sections the case needs.
#
#   test/lab/analysis-fixtures.sh [CODE/CASE...]     (default: every case; needs root)
#
# Idempotent: a case's old .netsnap files are replaced, its expect.json is left alone (it is written by
# hand from what the fault means, see test/fixtures/analysis/README.md). Re-captures differ only in
# counters, timestamps and the kernel log's times. The lab is taken down at the end.
#
# Real output throughout, except for the evidence this machine cannot print (README of the fixtures):
# the kernel's `nf_conntrack: table full`, `neighbor table overflow!` and `UDP: bad checksum` lines and a
# vmxnet3 driver are published output (test/fixtures/parsers/README-klog.md and README-kernel.md give
# their sources), put in as the `dmesg` / `ethtool -i eth0` section of a lab node's transcript.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=$HERE/lab.sh
DIR=${ANALYSIS_FIXTURES_DIR:-$ROOT/test/fixtures/analysis}
PARSERS=$ROOT/test/fixtures/parsers

[[ $(id -u) -eq 0 ]] || {
  echo "analysis-fixtures.sh: must run as root" >&2
  exit 1
}

die() {
  echo "analysis-fixtures.sh: $*" >&2
  exit 1
}

scratch=$(mktemp -d /tmp/analysis-fixtures.XXXXXX)
cleanup() {
  rm -rf "$scratch"
  bash "$LAB" down
}
trap cleanup EXIT

# The sections most cases need: the VTEP (its VNI, port and local address), flannel's subnet.env (the
# node's subnet and the network) and the firewall or the kernel setting the rule judges.
VTEP=('ip -d link show flannel.1' 'cat /run/flannel/subnet.env')
FIREWALL=("${VTEP[@]}" 'iptables-save')
BACKENDS=("${VTEP[@]}" 'iptables-nft-save' 'iptables-legacy-save')
FORWARDING=("${VTEP[@]}" 'sysctl net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv4.conf.flannel/1.forwarding net.ipv4.conf.cni0.forwarding')
BRIDGE_NF=("${VTEP[@]}" 'sysctl net.bridge.bridge-nf-call-iptables')
CONNTRACK=("${VTEP[@]}" 'sysctl net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max')

fresh() { bash "$LAB" up 3 >/dev/null; }

# healthy CMD... — the healthy lab's transcripts.
healthy() {
  fresh
  capture "$@"
}

# same CODE/CASE — that case's fault and capture, written to this case's folder.
same() { "$(case_function "$1")"; }
case_function() { echo "${1//[-\/]/_}"; }

on() {
  local n=$1
  shift
  ip netns exec "flnode$n" "$@"
}

# pings A B ok|fail — pod A to pod B, as the fault should leave it.
pings() {
  local got=fail
  bash "$LAB" ping "$1" "$2" >/dev/null 2>&1 && got=ok
  [[ $got == "$3" ]] || die "$case_name: ping flp$1 → flp$2 is $got, expected $3"
}

# capture CMD... — every node's transcript of the commands into the current case's folder.
capture() {
  local out=$DIR/$case_name
  mkdir -p "$out"
  rm -f "$out"/*.netsnap
  bash "$LAB" capture "$out" "$@" >/dev/null
}

# section N CMD — one more section in node N's transcript, run there (output as capture takes it).
section() {
  local file=$DIR/$case_name/flnode$1.netsnap
  printf '[root@flnode%s ~]# %s\n' "$1" "$2" >>"$file"
  on "$1" stdbuf -oL bash -c "$2" >>"$file" 2>&1 || true
}

# cited N CMD FIXTURE — a section in node N's transcript whose output is published real output
# (test/fixtures/parsers/FIXTURE.out; its source is in that folder's README-*.md).
cited() {
  local file=$DIR/$case_name/flnode$1.netsnap
  printf '[root@flnode%s ~]# %s\n' "$1" "$2" >>"$file"
  cat "$PARSERS/$3.out" >>"$file"
}

# The start of a window of the global kernel log (`dmesg --since`): this run's lines only.
log_since=
mark_log() {
  sleep 1
  log_since=$(date '+%Y-%m-%d %H:%M:%S')
  sleep 1
}

# conntrack_fill N COUNT — COUNT new UDP flows from node N to its own pod (a raw socket: one datagram per
# source/destination port pair), each an entry of the node's conntrack table until it times out (30 s).
conntrack_fill() {
  cat >"$scratch/fill.py" <<'EOF'
import socket, struct, sys
host, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
sent = 0
for sport in range(20000, 65536):
    for dport in range(40000, 50000):
        if sent == count:
            sys.exit(0)
        s.sendto(struct.pack("!HHHH", sport, dport, 9, 0) + b"x", (host, 0))
        sent += 1
EOF
  on "$1" python3 "$scratch/fill.py" "10.27.$1.2" "$2"
}

# bad_checksums FROM TO COUNT — UDP datagrams to node TO's VXLAN port with a wrong checksum (0x1234), from
# node FROM over the underlay: TO's kernel drops them and counts Udp InCsumErrors.
bad_checksums() {
  cat >"$scratch/badcsum.py" <<'EOF'
import socket, struct, sys
host, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
payload = b"analysis-fixtures: a VXLAN datagram with a wrong UDP checksum"
for _ in range(count):
    s.sendto(struct.pack("!HHHH", 35183, 8472, 8 + len(payload), 0x1234) + payload, (host, 0))
EOF
  on "$1" python3 "$scratch/badcsum.py" "10.18.19.1$2" "$3"
}

# flannel's iptables rules gone, as a firewall reload leaves them: FORWARD's jump and FLANNEL-FWD, nat
# POSTROUTING's jump and FLANNEL-POSTRTG.
remove_flannel_rules() {
  on "$1" iptables -D FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
  on "$1" iptables -F FLANNEL-FWD
  on "$1" iptables -X FLANNEL-FWD
  on "$1" iptables -t nat -D POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
  on "$1" iptables -t nat -F FLANNEL-POSTRTG
  on "$1" iptables -t nat -X FLANNEL-POSTRTG
}

# ---------------------------------------------------------------------------------------------------
# The cases: one function each, named after its folder (code/case, `-` and `/` as `_`).

CASES=()
def() { CASES+=("$1"); }

def forward-blocked/good
forward_blocked_good() {
  healthy "${FIREWALL[@]}"
  pings 1 2 ok
}

def forward-blocked/bad
forward_blocked_bad() {
  # A firewall reload flushed flannel's accepts: Docker's FORWARD policy DROP decides.
  fresh
  on 2 iptables -F FLANNEL-FWD
  pings 1 2 fail
  pings 2 3 fail
  pings 1 3 ok
  capture "${FIREWALL[@]}"
}

def forward-blocked/bad-reject
forward_blocked_bad_reject() {
  fresh
  on 3 iptables -I FORWARD 1 -j REJECT --reject-with icmp-host-prohibited
  pings 1 3 fail
  pings 3 2 fail
  capture "${FIREWALL[@]}"
}

def forward-blocked/bad-inbound
forward_blocked_bad_inbound() {
  # One direction: what comes in on the VTEP is dropped, flnode2's pods' traffic out is not.
  fresh
  on 2 iptables -I FORWARD 1 -i flannel.1 -j DROP
  pings 1 2 fail
  capture "${FIREWALL[@]}"
}

def forward-blocked/bad-legacy
forward_blocked_bad_legacy() {
  fresh
  on 3 iptables-legacy -P FORWARD DROP
  pings 1 3 fail
  pings 3 2 fail
  capture "${BACKENDS[@]}"
}

def forward-blocked/bad-nft
forward_blocked_bad_nft() {
  # An nftables table of its own whose forward-hook chain rejects what comes in on the VTEP.
  fresh
  on 1 nft add table inet blocker
  on 1 nft add chain inet blocker stop '{ type filter hook forward priority 10; policy accept; }'
  on 1 nft add rule inet blocker stop iifname flannel.1 reject with icmpx type admin-prohibited
  pings 2 1 fail
  pings 2 3 ok
  capture "${VTEP[@]}" 'nft list ruleset'
}

def forward-blocked/partial
forward_blocked_partial() {
  # The bad case's fault, the rule set pasted through grep (kube-proxy's lines left out): any rule, an
  # accept above the policy included, may be missing from what is shown.
  fresh
  on 2 iptables -F FLANNEL-FWD
  pings 1 2 fail
  capture "${VTEP[@]}" 'iptables-save | grep -v KUBE'
}

def forward-blocked/partial-chain
forward_blocked_partial_chain() {
  # The bad case's fault, only FORWARD listed: its policy DROP after jumps to chains the listing does not
  # show (on the healthy nodes those hold the accepts; on flnode2 FLANNEL-FWD is empty, unseen).
  fresh
  on 2 iptables -F FLANNEL-FWD
  pings 1 2 fail
  capture "${VTEP[@]}" 'iptables -S FORWARD'
}

def vxlan-port-blocked/good
vxlan_port_blocked_good() { healthy "${FIREWALL[@]}"; }

def vxlan-port-blocked/bad
vxlan_port_blocked_bad() {
  fresh
  on 1 iptables -I INPUT 1 -p udp --dport 8472 -j DROP
  pings 2 1 fail
  pings 2 3 ok
  capture "${FIREWALL[@]}"
}

def vxlan-port-blocked/bad-policy
vxlan_port_blocked_bad_policy() {
  # INPUT's policy DROP with no accept for the VXLAN port (nor for anything else that comes in).
  fresh
  on 1 iptables -P INPUT DROP
  pings 2 1 fail
  pings 2 3 ok
  capture "${FIREWALL[@]}"
}

def vxlan-port-blocked/partial
vxlan_port_blocked_partial() {
  # The bad case's DROP, the rule set pasted through grep: an accept above it may be left out.
  fresh
  on 1 iptables -I INPUT 1 -p udp --dport 8472 -j DROP
  pings 2 1 fail
  capture "${VTEP[@]}" 'iptables-save | grep -v KUBE'
}

def vxlan-port-blocked/partial-policy
vxlan_port_blocked_partial_policy() {
  # The policy case with only INPUT listed: its jumps go to chains the listing does not show.
  fresh
  on 1 iptables -P INPUT DROP
  pings 2 1 fail
  capture "${VTEP[@]}" 'iptables -S INPUT'
}

def firewall-uncertain/good
firewall_uncertain_good() { healthy "${FIREWALL[@]}"; }

def firewall-uncertain/bad
firewall_uncertain_bad() {
  # A DROP that depends on a match netsnap does not evaluate (statistic: one packet in two).
  fresh
  on 2 iptables -I FORWARD 1 -m statistic --mode random --probability 0.5 -j DROP
  capture "${FIREWALL[@]}"
}

def firewall-uncertain/bad-filtered
firewall_uncertain_bad_filtered() {
  # A DROP policy the grep'd listing cannot decide.
  same forward-blocked/partial
}

def firewall-uncertain/bad-chain
firewall_uncertain_bad_chain() {
  # A DROP policy after jumps to chains the listing does not show.
  same forward-blocked/partial-chain
}

def firewall-backends-split/good
firewall_backends_split_good() { healthy "${BACKENDS[@]}"; }

def firewall-backends-split/bad
firewall_backends_split_bad() { same forward-blocked/bad-legacy; }

def firewall-backends-split/bad-accept
firewall_backends_split_bad_accept() {
  # A legacy rule that stops nothing: the split alone.
  fresh
  on 3 iptables-legacy -A INPUT -p tcp --dport 22 -j ACCEPT
  pings 1 3 ok
  capture "${BACKENDS[@]}"
}

def firewall-backends-split/bad-unlisted
firewall_backends_split_bad_unlisted() {
  # Legacy tables exist, only the nf_tables rules are listed: iptables-nft-save warns of them.
  fresh
  on 3 iptables-legacy -P FORWARD DROP
  capture "${VTEP[@]}" 'iptables-nft-save'
}

def firewall-backends-split/partial
firewall_backends_split_partial() {
  # The legacy listing narrowed to its nat table (empty): the DROP policy in its filter table is unseen.
  fresh
  on 3 iptables-legacy -P FORWARD DROP
  capture "${VTEP[@]}" 'iptables-nft-save' 'iptables-legacy-save -t nat'
}

def flannel-rules-missing/good
flannel_rules_missing_good() { healthy "${FIREWALL[@]}"; }

def flannel-rules-missing/bad
flannel_rules_missing_bad() {
  # flannel's rules gone and FORWARD's policy ACCEPT: traffic passes, nothing of flannel's is left.
  fresh
  remove_flannel_rules 2
  on 2 iptables -P FORWARD ACCEPT
  pings 1 2 ok
  pings 2 3 ok
  capture "${FIREWALL[@]}"
}

def flannel-rules-missing/partial
flannel_rules_missing_partial() {
  fresh
  remove_flannel_rules 2
  on 2 iptables -P FORWARD ACCEPT
  capture "${VTEP[@]}" 'iptables -S FORWARD'
}

def firewall-rule-above-flannel/good
firewall_rule_above_flannel_good() { healthy "${FIREWALL[@]}"; }

def firewall-rule-above-flannel/bad
firewall_rule_above_flannel_bad() {
  # DNS over UDP rejected above flannel's accepts: pings pass, a pod's DNS query to another node does not.
  fresh
  on 1 iptables -I FORWARD 1 -p udp --dport 53 -j REJECT
  pings 1 2 ok
  capture "${FIREWALL[@]}"
}

def firewall-rule-above-flannel/bad-jumped
firewall_rule_above_flannel_bad_jumped() {
  # The same kind of rule in DOCKER-USER, which FORWARD jumps to before flannel's chain.
  fresh
  on 1 iptables -I DOCKER-USER 1 -p tcp --dport 6379 -j DROP
  pings 1 2 ok
  capture "${FIREWALL[@]}"
}

def firewall-rule-above-flannel/partial
firewall_rule_above_flannel_partial() {
  fresh
  on 1 iptables -I FORWARD 1 -p udp --dport 53 -j REJECT
  capture "${VTEP[@]}" 'iptables-save | grep REJECT'
}

def forwarding-disabled/good
forwarding_disabled_good() { healthy "${FORWARDING[@]}"; }

def forwarding-disabled/bad
forwarding_disabled_bad() {
  fresh
  on 2 sysctl -qw net.ipv4.ip_forward=0
  pings 1 2 fail
  pings 2 3 fail
  capture "${FORWARDING[@]}"
}

def forwarding-disabled/bad-cni0
forwarding_disabled_bad_cni0() {
  # Only packets arriving on cni0 (from flnode2's pods) are not forwarded.
  fresh
  on 2 sysctl -qw net.ipv4.conf.cni0.forwarding=0
  pings 2 3 fail
  capture "${FORWARDING[@]}"
}

def forwarding-disabled/bad-vtep
forwarding_disabled_bad_vtep() {
  # Only packets arriving on flannel.1 (from other nodes' pods) are not forwarded.
  fresh
  on 2 sysctl -qw net.ipv4.conf.flannel/1.forwarding=0
  pings 1 2 fail
  capture "${FORWARDING[@]}"
}

def forwarding-disabled/partial
forwarding_disabled_partial() {
  fresh
  on 2 sysctl -qw net.ipv4.ip_forward=0
  capture "${VTEP[@]}" 'sysctl -a | grep rp_filter'
}

def bridge-netfilter-off/good
bridge_netfilter_off_good() { healthy "${BRIDGE_NF[@]}"; }

def bridge-netfilter-off/bad
bridge_netfilter_off_bad() {
  # Per namespace on this kernel: flnode1's setting only.
  fresh
  on 1 sysctl -qw net.bridge.bridge-nf-call-iptables=0
  capture "${BRIDGE_NF[@]}"
}

def bridge-netfilter-off/partial
bridge_netfilter_off_partial() {
  fresh
  on 1 sysctl -qw net.bridge.bridge-nf-call-iptables=0
  capture "${VTEP[@]}" 'sysctl -a | grep ip_forward'
}

def vxlan-module-missing/good
vxlan_module_missing_good() {
  # vxlan is built into this kernel, which has no module files: modprobe fails, flannel.1 exists.
  fresh
  capture 'ip -d link' 'cat /run/flannel/subnet.env'
  section 2 'modprobe vxlan'
}

def vxlan-module-missing/bad
vxlan_module_missing_bad() {
  # flnode2 as a kernel without vxlan leaves it: no flannel.1 (and with it its routes and neighbours).
  fresh
  on 2 ip link del flannel.1
  pings 1 2 fail
  capture 'ip -d link' 'cat /run/flannel/subnet.env'
  section 2 'modprobe vxlan'
}

def conntrack-full/good
conntrack_full_good() {
  # The kernel log of the lab being built: nothing about conntrack.
  mark_log
  fresh
  capture "${CONNTRACK[@]}"
  section 2 "dmesg --since '$log_since'"
}

def conntrack-full/bad
conntrack_full_bad() {
  # The kernel's `table full` lines are published output (this kernel drops unreplied flows early
  # instead of logging, and assured flows in the hundreds of thousands are beyond the lab).
  fresh
  capture "${CONNTRACK[@]}"
  cited 2 'dmesg' kernel-log--conntrack-full
}

def conntrack-full/bad-count
conntrack_full_bad_count() {
  # 240,000 flows of at most 262,144 (92 %): the warning before the table is full.
  fresh
  conntrack_fill 2 240000
  capture "${CONNTRACK[@]}"
  on 2 conntrack -F >/dev/null 2>&1
}

def conntrack-full/partial
conntrack_full_partial() {
  fresh
  conntrack_fill 2 240000
  capture "${VTEP[@]}" 'sysctl net.netfilter.nf_conntrack_count'
  on 2 conntrack -F >/dev/null 2>&1
}

def neigh-table-overflow/good
neigh_table_overflow_good() {
  # The kernel log of the lab being built: nothing about the neighbour table.
  mark_log
  fresh
  capture "${VTEP[@]}"
  section 1 "dmesg --since '$log_since'"
}

def neigh-table-overflow/bad
neigh_table_overflow_bad() {
  # The neighbour table is shared by every namespace here (gc_thresh3 only in the root namespace):
  # the overflow lines are published output.
  fresh
  capture "${VTEP[@]}"
  cited 1 'dmesg' kernel-log--arp-overflow
}

def vtep-checksum-offload/good
vtep_checksum_offload_good() {
  # The offload turned off on flnode1 after the bad checksums: the counter keeps them, nothing is wrong now.
  fresh
  bad_checksums 2 1 3
  on 1 ethtool -K flannel.1 tx-checksum-ip-generic off >/dev/null
  capture "${VTEP[@]}"
  section 1 'ethtool -k flannel.1'
  section 1 'cat /proc/net/snmp'
}

def vtep-checksum-offload/bad
vtep_checksum_offload_bad() {
  # The kernel's default (tx-checksum-ip-generic on) and no sign of bad checksums: the note.
  fresh
  capture "${VTEP[@]}"
  section 1 'ethtool -k flannel.1'
}

def vtep-checksum-offload/bad-csum-errors
vtep_checksum_offload_bad_csum_errors() {
  fresh
  bad_checksums 2 1 3
  capture "${VTEP[@]}"
  section 1 'ethtool -k flannel.1'
  section 1 'cat /proc/net/snmp'
}

def vtep-checksum-offload/bad-klog
vtep_checksum_offload_bad_klog() {
  # `UDP: bad checksum. From …` is a pr_debug line (dynamic debug, no debugfs here): published output.
  fresh
  capture "${VTEP[@]}"
  section 1 'ethtool -k flannel.1'
  cited 1 'dmesg' kernel-log--bad-checksum
}

def vtep-checksum-offload/bad-vmxnet3
vtep_checksum_offload_bad_vmxnet3() {
  # The underlay NIC a vmxnet3 (VMware): published `ethtool -i` output, no such NIC here.
  fresh
  capture "${VTEP[@]}"
  section 1 'ethtool -k flannel.1'
  cited 1 'ethtool -i eth0' ethtool--i-vmxnet3
}

def vtep-checksum-offload/partial
vtep_checksum_offload_partial() {
  # The bad checksums counted, but the offload's line cut from the features listing.
  fresh
  bad_checksums 2 1 3
  capture "${VTEP[@]}"
  section 1 'ethtool -k flannel.1 | grep segmentation'
  section 1 'cat /proc/net/snmp'
}

# ---------------------------------------------------------------------------------------------------

selected=("$@")
((${#selected[@]} > 0)) || selected=("${CASES[@]}")
for case_name in "${selected[@]}"; do
  [[ " ${CASES[*]} " == *" $case_name "* ]] || die "no case $case_name"
  "$(case_function "$case_name")"
  echo "wrote $case_name"
done
