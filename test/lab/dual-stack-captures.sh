#!/usr/bin/env bash
# dual-stack-captures.sh — real collected captures of the dual-stack lab, for tests that read them.
#
#   test/lab/dual-stack-captures.sh [DIR]   (default test/fixtures/lab; needs root and what lab.sh needs)
#
# Builds a 3-node dual-stack lab (`lab.sh up 3 --dual-stack`) and runs netsnap's collector in each
# node's namespace exactly as `netsnap collect netns flnodeN` does (`ip netns exec flnodeN sh -s --
# … flnodeN` with src/collect/collector.sh on stdin; the node's files laid out below a root as
# test/lab/support.ts's makeFsRoot does). Writes
#   DIR/collected-dualstack/flnodeN.netsnap         the healthy cluster
#   DIR/collected-dualstack-v6mac/flnodeN.netsnap   flnode3's flannel-v6.1 MAC changed to
#                                                   42:36:74:de:33:33 without updating its peers
# The lab is torn down on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=${1:-$ROOT/test/fixtures/lab}
LAB=$HERE/lab.sh
COLLECTOR=$ROOT/src/collect/collector.sh
NODES=3
# A fixed place, so that a re-capture differs from the last one only in what the kernel says.
ROOTS=/tmp/netsnap-dualstack
rm -rf "$ROOTS"

cleanup() {
  bash "$LAB" down || true
  rm -rf "$ROOTS"
}

((EUID == 0)) || {
  echo "dual-stack-captures.sh: needs root (network namespaces)" >&2
  exit 1
}
trap cleanup EXIT

# The node's files, as on a flannel node: subnet.env, flannel's conflist, the CNI plugins' names.
fs_root() {
  local n=$1 root=$ROOTS/root$1 plugin
  mkdir -p "$root/run/flannel" "$root/etc/cni/net.d" "$root/opt/cni/bin"
  cp "${FLANNEL_LAB_DIR:-/run/flannel-lab}/flnode$n/subnet.env" "$root/run/flannel/subnet.env"
  cp "$ROOT/test/fixtures/parsers/cni-config--flannel-conflist.out" "$root/etc/cni/net.d/10-flannel.conflist"
  for plugin in bridge flannel host-local loopback portmap; do
    printf '#!/bin/sh\n' >"$root/opt/cni/bin/$plugin"
    chmod 755 "$root/opt/cni/bin/$plugin"
  done
}

# collect OUTDIR — every node's transcript (collect.ts's netns argv, less -w: stdin here is a file).
collect() {
  local out=$1 n
  mkdir -p "$out"
  for ((n = 1; n <= NODES; n++)); do
    fs_root "$n"
    ip netns exec "flnode$n" sh -s -- -m 4194304 -t 10 -r "$ROOTS/root$n" \
      -v "netns:flnode$n:$(hostname)" "flnode$n" <"$COLLECTOR" >"$out/flnode$n.netsnap" 2>/dev/null
    echo "wrote $out/flnode$n.netsnap"
  done
}

bash "$LAB" up "$NODES" --dual-stack
bash "$LAB" ping-all
collect "$DIR/collected-dualstack"

# The stale-VTEP-MAC fault on the IPv6 VTEP: flnode3's MAC changes (as when flanneld recreates the
# device) and nobody tells the peers. Collected before any traffic (a failed ping leaves the kernel's
# own neighbour attempts behind), as faults.test.ts does; then the kernel's verdict.
ip netns exec flnode3 ip link set flannel-v6.1 address 42:36:74:de:33:33
collect "$DIR/collected-dualstack-v6mac"
if bash "$LAB" ping -6 1 3 >/dev/null; then
  echo "dual-stack-captures.sh: flp1 still reaches flp3 over IPv6 after the MAC change" >&2
  exit 1
fi
bash "$LAB" ping 1 3 >/dev/null || {
  echo "dual-stack-captures.sh: flp1 no longer reaches flp3 over IPv4" >&2
  exit 1
}
echo "the kernel agrees: flp1 reaches flp3 over IPv4 only"
