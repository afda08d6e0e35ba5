#!/usr/bin/env bash
# klog-fixtures.sh — captures the kernel-side fixtures of the lsmod, proc-net-snmp and kernel-log parsers
# that this machine can print, and writes test/fixtures/parsers/README-klog.md.
#
#   test/lab/klog-fixtures.sh [DIR]     (default DIR: test/fixtures/parsers; needs root)
#
# Scratch namespaces nsklog-a — nsklog-r — nsklog-b (a client, a router, a server, joined by veths;
# 10.77.1.0/24 + fd77:1::/64 between a and r, 10.77.2.0/24 + fd77:2::/64 between r and b). Only these
# namespaces are touched, and they are deleted at the end. The one root-namespace setting changed is
# net.netfilter.nf_log_all_netns (the LOG target logs from a non-init namespace only when it is 1): it is
# set for the few pings that hit the LOG rules and put back to its old value right after (and on exit).
#
# What it makes happen, for real:
# - the router's FORWARD chain LOGs and drops ICMP echo (IPv4 and IPv6) and UDP to port 53, and the
#   server's INPUT LOGs and rejects TCP to port 10250: `FWD-DROP: IN=… OUT=… SRC=… PROTO=…` lines;
# - the client sends UDP datagrams with a deliberately wrong checksum (a raw socket) to the server's port
#   8472, over IPv4 and IPv6: the server's Udp InCsumErrors and Udp6InCsumErrors count them. (The kernel's
#   `UDP: bad checksum. From …` line is a pr_debug: it is printed only with dynamic debug, which this
#   kernel's debugfs does not offer, so that line is cited, not captured.)
# - this kernel has no loadable modules (no /proc/modules, no /lib/modules/$(uname -r)): lsmod, modprobe,
#   modinfo and cat /proc/modules fail, and those failures are the captured lsmod fixtures.
# The kernel log is global: `dmesg --since` keeps the capture to this run's lines (the boot log before it
# says nothing about the data plane). Other processes' lines may fall inside the window; they are kept.
set -euo pipefail

DIR=${1:-test/fixtures/parsers}
A=nsklog-a
R=nsklog-r
B=nsklog-b
LOG_ALL_NETNS=/proc/sys/net/netfilter/nf_log_all_netns
old_log_all=

[[ $(id -u) -eq 0 ]] || {
  echo "klog-fixtures.sh: must run as root" >&2
  exit 1
}
mkdir -p "$DIR"

restore_log_all() {
  if [[ -n $old_log_all ]]; then
    echo "$old_log_all" >"$LOG_ALL_NETNS"
    old_log_all=
  fi
}
cleanup() {
  restore_log_all
  for ns in $A $R $B; do ip netns del "$ns" 2>/dev/null || true; done
  rm -f "${badcsum:-}"
}
trap cleanup EXIT

nsx() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

# `capture FILE NAMESPACE COMMAND`: runs COMMAND (a shell command line, stdout and stderr, as a terminal
# shows them) and records its README row. The exit status is not the point: failures are fixtures too.
rows=()
capture() {
  local file=$1 where=$2 cmd=$3
  if [[ $where == root ]]; then
    bash -c "$cmd" >"$DIR/$file" 2>&1 || true
  else
    ip netns exec "$where" bash -c "$cmd" >"$DIR/$file" 2>&1 || true
  fi
  rows+=("| \`$file\` | $where | \`$cmd\` |")
}

# ---- the three namespaces --------------------------------------------------------------------------
for ns in $A $R $B; do
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
# Fixed MACs (the LOG lines print them), so a re-capture differs only in times, IDs and ports.
ip -n $R link add ra0 address 0a:77:01:00:00:01 type veth peer name eth0 address 0a:77:01:00:00:02 netns $A
ip -n $R link add rb0 address 0a:77:02:00:00:01 type veth peer name eth0 address 0a:77:02:00:00:02 netns $B
ip -n $A addr add 10.77.1.2/24 dev eth0
ip -n $A addr add fd77:1::2/64 dev eth0 nodad
ip -n $R addr add 10.77.1.1/24 dev ra0
ip -n $R addr add fd77:1::1/64 dev ra0 nodad
ip -n $R addr add 10.77.2.1/24 dev rb0
ip -n $R addr add fd77:2::1/64 dev rb0 nodad
ip -n $B addr add 10.77.2.2/24 dev eth0
ip -n $B addr add fd77:2::2/64 dev eth0 nodad
ip -n $A link set eth0 up
ip -n $B link set eth0 up
ip -n $R link set ra0 up
ip -n $R link set rb0 up
ip -n $A route add default via 10.77.1.1
ip -n $A -6 route add default via fd77:1::1
ip -n $B route add default via 10.77.2.1
ip -n $B -6 route add default via fd77:2::1
nsx $R sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# Resolve neighbours before the rules go in, so the logged packets are the first of their kind.
nsx $A ping -c1 -W2 10.77.2.2 >/dev/null
nsx $A ping -6 -c1 -W2 fd77:2::2 >/dev/null || nsx $A ping -6 -c1 -W2 fd77:2::2 >/dev/null

nsx $R iptables -A FORWARD -p icmp -j LOG --log-prefix "FWD-DROP: "
nsx $R iptables -A FORWARD -p icmp -j DROP
nsx $R iptables -A FORWARD -p udp --dport 53 -j LOG --log-prefix "FWD-DROP: "
nsx $R iptables -A FORWARD -p udp --dport 53 -j DROP
nsx $R ip6tables -A FORWARD -p ipv6-icmp --icmpv6-type echo-request -j LOG --log-prefix "FWD-DROP: "
nsx $R ip6tables -A FORWARD -p ipv6-icmp --icmpv6-type echo-request -j DROP
nsx $B iptables -A INPUT -p tcp --dport 10250 -j LOG --log-prefix "IN-REJECT "
nsx $B iptables -A INPUT -p tcp --dport 10250 -j REJECT --reject-with tcp-reset

# ---- traffic the LOG rules see (the only time nf_log_all_netns is 1) --------------------------------
sleep 1
since=$(date '+%Y-%m-%d %H:%M:%S')
sleep 1
old_log_all=$(cat "$LOG_ALL_NETNS")
echo 1 >"$LOG_ALL_NETNS"
nsx $A ping -c2 -W1 10.77.2.2 >/dev/null || true
nsx $A ping -6 -c1 -W1 fd77:2::2 >/dev/null || true
nsx $A python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\0\1\1\0\0\1\0\0\0\0\0\0\7example\3com\0\0\1\0\1", ("10.77.2.2", 53))'
nsx $A timeout 2 bash -c 'exec 3<>/dev/tcp/10.77.2.2/10250' 2>/dev/null || true
sleep 1
restore_log_all

# ---- UDP datagrams with a wrong checksum, to a closed port of the server ---------------------------
badcsum=$(mktemp /tmp/nsklog-badcsum.XXXXXX.py)
cat >"$badcsum" <<'EOF'
# A raw IPPROTO_UDP socket: the kernel adds the IP header, the UDP header is ours, checksum 0x1234 (wrong).
import socket, struct, sys
host, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
payload = b"nsklog: deliberately wrong UDP checksum"
for _ in range(count):
    s.sendto(struct.pack("!HHHH", 35183, 8472, 8 + len(payload), 0x1234) + payload, (host, 0))
EOF
nsx $A python3 "$badcsum" 10.77.2.2 3
nsx $A python3 "$badcsum" fd77:2::2 2
sleep 1

# ---- proc-net-snmp: the server's counters ----------------------------------------------------------
capture proc-net-snmp--csum-errors.out $B 'cat /proc/net/snmp'
capture proc-net-snmp--snmp6-csum-errors.out $B 'cat /proc/net/snmp6'
capture proc-net-snmp--grep-udp.out $B 'cat /proc/net/snmp | grep Udp:'
capture proc-net-snmp--netstat-su.out $B 'netstat -su'
capture proc-net-snmp--nstat.out $B 'nstat -asz'
capture proc-net-snmp--router.out $R 'cat /proc/net/snmp'

# ---- kernel-log: the global ring buffer, this run's window ------------------------------------------
capture kernel-log--dmesg.out root "dmesg --since '$since'"
capture kernel-log--dmesg-T.out root "dmesg -T --since '$since'"
capture kernel-log--dmesg-ctime.out root "dmesg --ctime --since '$since'"
capture kernel-log--dmesg-x.out root "dmesg -x --since '$since'"
capture kernel-log--dmesg-iso.out root "dmesg --time-format iso --since '$since'"
capture kernel-log--dmesg-grep.out root "dmesg --since '$since' | grep FWD-DROP"
capture kernel-log--journalctl-k.out root 'journalctl -k'

# ---- lsmod: a kernel without loadable modules --------------------------------------------------------
capture lsmod--no-modules.out root 'lsmod'
capture lsmod--modprobe-vxlan.out root 'modprobe vxlan'
capture lsmod--modprobe-br-netfilter.out root 'modprobe br_netfilter'
capture lsmod--modinfo-vxlan.out root 'modinfo vxlan'
capture lsmod--proc-modules-missing.out root 'cat /proc/modules'

# ---- README ------------------------------------------------------------------------------------------
{
  cat <<'EOF'
# Kernel-side fixtures: lsmod, /proc/net/snmp, kernel log

Written by `test/lab/klog-fixtures.sh` (rows above the line) from real commands run on this machine
(kernel without loadable modules; LOG lines from scratch namespaces `nsklog-a` — `nsklog-r` — `nsklog-b`,
see the script), and by hand (rows below it) for output this machine cannot print: those files are
real output published publicly, copied byte for byte from the address in the second column (the lines
of the paste only; a `>` quote marker or a code fence around them is not part of the output). Where the
source does not show the command, the row names the command that prints that format and says so.

Why cited: `lsmod`, `/proc/modules`, `modprobe` successes and insert errors need a kernel with module
support. `UDP: bad checksum. From …` is a `net_dbg_ratelimited` (pr_debug) line: printed only with dynamic
debug, which needs debugfs (not mounted here). `nf_conntrack: table full` and `neighbor table overflow!`
come from limits that are global on this kernel (`nf_conntrack_max` is read-only in a child namespace;
`net.ipv4.neigh.default.gc_thresh*` exist only in the root namespace and count every namespace's
entries): filling them would disturb every namespace on the machine. journald is not running here, so
`journalctl -k` says so (captured) and real journal lines are cited.

| file | namespace or source | command |
| --- | --- | --- |
EOF
  printf '%s\n' "${rows[@]}"
  cat <<'EOF'
| — | — | — |
| `lsmod--grep-vxlan.out` | https://github.com/flannel-io/flannel/issues/441 | `lsmod |grep vxlan` |
| `lsmod--empty.out` | https://github.com/flannel-io/flannel/issues/441 | `lsmod` (a kernel with no modules loaded: the header only) |
| `lsmod--k8s-node.out` | https://github.com/rockchip-linux/kernel/issues/273 | `lsmod` (the header and the first 32 rows of the issue's listing; the rest not copied) |
| `lsmod--proc-modules.out` | https://linuxtopia.org/online_books/rhel6/rhel_6_deployment/rhel_6_deployment_s2-proc-modules.html | `cat /proc/modules` (Red Hat's sample, RHEL 6 Deployment Guide E.2.20) |
| `lsmod--modprobe-not-found.out` | https://github.com/warpme/miniarch/issues/103 | `modprobe vxlan` |
| `lsmod--modprobe-not-found-old.out` | https://github.com/opsnull/follow-me-install-kubernetes-cluster/issues/468 | `modprobe br_netfilter` |
| `lsmod--modprobe-not-permitted.out` | https://github.com/v4l2loopback/v4l2loopback/issues/320 | `modprobe v4l2loopback` |
| `lsmod--modprobe-busybox.out` | https://github.com/k3s-io/k3s/issues/2047 | `modprobe configs` (k3s check-config's modprobe; the line as printed inside its output) |
| `kernel-log--bad-checksum.out` | https://github.com/flannel-io/flannel/issues/1279 | `dmesg` |
| `kernel-log--conntrack-full-T.out` | https://github.com/kubernetes/kubernetes/issues/71261 | `dmesg -T` |
| `kernel-log--conntrack-full.out` | https://github.com/kubernetes-retired/kube-aws/pull/476 | `dmesg` |
| `kernel-log--arp-overflow.out` | https://github.com/rtr7/router7/issues/31 | `dmesg` (a serial console log; the kernel lines only) |
| `kernel-log--arp-overflow-syslog.out` | https://github.com/Requiem4Eternity/Appstream/issues/102 | `tail /var/log/syslog` (the source does not show the command: syslog-format lines with other programs' lines among them) |
| `kernel-log--arp-overflow-logread.out` | https://github.com/coolsnowwolf/lede/issues/6427 | `logread` (OpenWrt's syslog ring buffer; the first 12 lines of the quoted log) |
| `kernel-log--messages.out` | https://github.com/podman-container-tools/podman/issues/6114 | `tail /var/log/messages` (the source does not show the command; the first 12 lines of its log) |
EOF
} >"$DIR/README-klog.md"

echo "klog-fixtures.sh: wrote ${#rows[@]} captured fixtures and README-klog.md in $DIR"
