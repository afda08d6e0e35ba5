#!/usr/bin/env bash
# dual-stack-fixtures.sh — capture the golden fixtures of the IPv6 forms every data-plane parser reads,
# from the dual-stack lab (flannel-v6.1 with an IPv6 `local`, permanent v6 neighbours, FDB entries with
# an IPv6 dst, onlink v6 routes, IPv6 pod addresses, FLANNEL_IPV6_* in subnet.env).
#
#   test/lab/dual-stack-fixtures.sh [DIR]   (default test/fixtures/parsers; needs root and what lab.sh
#                                            needs, plus procps and ethtool)
#
# Builds `lab.sh up 3 --dual-stack`, warms it with ping-all (so neighbour tables hold REACHABLE entries
# of both families), runs each command in a lab namespace and writes its output byte for byte to
# DIR/<parser-id>--dualstack-<case>.out, then README-dualstack.md with the commands. The lab is torn
# down on exit. `lab.sh fixtures` leaves these files alone.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-$HERE/../fixtures/parsers}
LAB=$HERE/lab.sh
MANIFEST=$(mktemp /tmp/dual-stack-fixtures.XXXXXX)

die() {
  echo "dual-stack-fixtures.sh: $*" >&2
  exit 1
}

cleanup() {
  bash "$LAB" down || true
  rm -f "$MANIFEST"
}

((EUID == 0)) || die "needs root (network namespaces)"
for tool in ip bridge route ifconfig sysctl ethtool ping; do
  command -v "$tool" >/dev/null || die "needs $tool"
done
mkdir -p "$DIR"
trap cleanup EXIT
rm -f "$DIR"/*--dualstack-*.out

# fx ID CASE NS ARGV... — run ARGV in NS, stdout byte for byte, and one README row.
fx() {
  local file=$1--dualstack-$2.out ns=$3 bt='`'
  shift 3
  ip netns exec "$ns" "$@" >"$DIR/$file"
  printf '| %s | %s | %s |\n' "$bt$file$bt" "$bt$ns$bt" "$bt$*$bt" >>"$MANIFEST"
}

bash "$LAB" up 3 --dual-stack >/dev/null
bash "$LAB" ping-all >/dev/null || die "the dual-stack lab does not carry every pod to every pod"

# --- routes: the onlink v6 routes to the peers' /64s via their subnet's network address ---
fx ip-route 6 flnode1 ip -6 route
fx ip-route 6-json flnode1 ip -j -6 route
fx ip-route 6-dev-vtep flnode1 ip -6 route show dev flannel-v6.1
fx ip-route 6-table-all flnode1 ip -6 route show table all
fx ip-route pod-6 flp1 ip -6 route
fx route-n 6 flnode1 route -6 -n
fx route-n inet6 flnode1 route -A inet6 -n
fx route-n node flnode1 route -n

# --- neighbours: both families in one listing; the permanent v6 entries on flannel-v6.1 ---
fx ip-neigh node flnode1 ip neigh
fx ip-neigh node-json flnode1 ip -j neigh
fx ip-neigh 6-dev-vtep flnode1 ip -6 neigh show dev flannel-v6.1
fx ip-neigh 6-dev-vtep-json flnode1 ip -j -6 neigh show dev flannel-v6.1

# --- FDB: flannel-v6.1 entries with an IPv6 dst ---
fx bridge-fdb node flnode1 bridge fdb show
fx bridge-fdb node-json flnode1 bridge -j fdb show
fx bridge-fdb dev-vtep6 flnode1 bridge fdb show dev flannel-v6.1

# --- links and addresses: the v6 VTEP (local6 in JSON), inet6 everywhere ---
fx ip-link d-vtep6 flnode1 ip -d link show flannel-v6.1
fx ip-link d-vtep6-json flnode1 ip -d -j link show flannel-v6.1
fx ip-link d-type-vxlan flnode1 ip -d link show type vxlan
fx ip-link d flnode1 ip -d link
fx ip-link addr flnode1 ip addr
fx ip-link addr-json flnode1 ip -j addr
fx ip-link addr-6 flnode1 ip -6 addr
fx ip-link pod-addr flp1 ip addr
fx ifconfig node flnode1 ifconfig
fx ifconfig vtep6 flnode1 ifconfig flannel-v6.1

# --- kernel settings of the v6 path ---
fx sysctl ipv6-forwarding flnode1 sysctl net.ipv6.conf.all.forwarding
fx sysctl forwarding flnode1 sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding \
  net.ipv6.conf.default.forwarding net.ipv6.conf.flannel-v6/1.forwarding net.ipv6.conf.cni0.forwarding
fx ethtool k-vtep6 flnode1 ethtool -k flannel-v6.1

# --- subnet.env as flanneld writes it with EnableIPv6 ---
bt='`'
cat "${FLANNEL_LAB_DIR:-/run/flannel-lab}/flnode1/subnet.env" >"$DIR/subnet-env--dualstack-node.out"
printf '| %s | - | %s (the lab'"'"'s copy for flnode1) |\n' "${bt}subnet-env--dualstack-node.out$bt" \
  "${bt}cat /run/flannel/subnet.env$bt" >>"$MANIFEST"

{
  cat <<'EOF'
# Dual-stack parser fixtures

Every `*--dualstack-*.out` file here is real command output, byte for byte (no prompt line), captured
from the live dual-stack lab by `test/lab/dual-stack-fixtures.sh test/fixtures/parsers`: nothing is
hand-typed or edited.

The lab (`test/lab/lab.sh up 3 --dual-stack`), as flanneld programs a dual-stack node: `flnode1..3`
have eth0 10.18.19.1N/24 and fd00:18:19::1N/64; flannel.1 (VNI 1, MAC 42:32:74:de:0N:0N,
10.27.N.0/32, MTU 1450) and flannel-v6.1 (VNI 1, `local fd00:18:19::1N`, dstport 8472, nolearning,
MAC 42:36:74:de:0N:0N, fd27:42:0:N::/128, MTU 1430 = 1500 - 70); cni0 10.27.N.1/24 and
fd27:42:0:N::1/64; per peer a permanent neighbour, an FDB entry and an onlink route for each family
(IPv6: `fd27:42:0:P::` lladdr 42:36:74:de:0P:0P, FDB dst fd00:18:19::1P, route fd27:42:0:P::/64 via
fd27:42:0:P:: onlink). `flp1..3` are the pods (10.27.N.2/24, fd27:42:0:N::2/64). The lab was warmed
with `lab.sh ping-all` (both families) first. MACs are fixed by the script, so a re-capture differs
only in timers, counters, the link-local addresses of the bridges and neighbour states.

| file | namespace | command |
| --- | --- | --- |
EOF
  cat "$MANIFEST"
} >"$DIR/README-dualstack.md"
echo "wrote $(grep -c '^| `' "$MANIFEST") fixtures and README-dualstack.md in $DIR"
