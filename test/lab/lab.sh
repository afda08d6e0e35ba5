#!/usr/bin/env bash
# lab.sh — a live flannel-style VXLAN data plane in network namespaces.
#
#   lab.sh up [N] [--dual-stack]
#                        build N nodes (default 3): netns flu (underlay bridge br0),
#                        flnode1..N (eth0, flannel.1, cni0, pod veth), flp1..N (pods);
#                        --dual-stack (or FLANNEL_LAB_DUAL_STACK=1) adds the IPv6 half
#   lab.sh down          delete every namespace the lab created
#   lab.sh ping [-6] A B ping -c1 -W1 from pod flpA to 10.27.B.2 (-6: to fd27:42:0:B::2; exit
#                        status = verdict)
#   lab.sh ping-all      every ordered pod pair; prints a matrix (one per family in a dual-stack
#                        lab), non-zero if any fails
#   lab.sh capture DIR [CMD...]
#                        DIR/flnodeI.netsnap transcripts (prompt line + real output) of the
#                        commands given (each one shell command line, pipes allowed), by default
#                        the list in CAPTURE_CMDS
#   lab.sh fixtures DIR  single-command raw outputs DIR/<parser-id>--<case>.out + README.md
#
# Addressing (node i): underlay eth0 10.18.19.(10+i)/24 MTU 1500; flannel.1 vxlan id 1
# dstport 8472 nolearning, MAC 42:32:74:de:0i:0i, 10.27.i.0/32 MTU 1450; cni0 10.27.i.1/24
# MTU 1450; pod eth0 10.27.i.2/24 via 10.27.i.1. Other MACs are fixed too (the *_mac helpers:
# node eth0 0a:18:19:00:0i:01, pod veth 0a:27:0i:00:00:01/02; cni0 adopts its port's MAC) so
# captures are reproducible.
# Dual-stack (as flanneld programs it with EnableIPv6, IPv6Network fd27:42::/56, a /64 per node):
# eth0 also fd00:18:19::(10+i)/64; flannel-v6.1 vxlan id 1 local fd00:18:19::(10+i) dev eth0 dstport
# 8472 nolearning, MAC 42:36:74:de:0i:0i, fd27:42:0:i::/128 MTU 1430 (1500 - 70: VXLAN over IPv6);
# cni0 also fd27:42:0:i::1/64; pod eth0 also fd27:42:0:i::2/64 via fd27:42:0:i::1; per peer a
# permanent v6 neighbour, an FDB entry with an IPv6 dst and an onlink v6 route; ip6tables with
# Docker's FORWARD DROP and flannel's FLANNEL-FWD accepts for fd27:42::/56; subnet.env gains
# FLANNEL_IPV6_NETWORK and FLANNEL_IPV6_SUBNET (FLANNEL_MTU stays 1450: flanneld's MTU() is the
# underlay's less 50 whatever the families). State and subnet.env files live in $FLANNEL_LAB_DIR
# (default /run/flannel-lab). Needs root, iproute2, bridge-utils, net-tools, iputils-ping, iptables.
# Traffic only ever goes to addresses inside the lab's own namespaces.
set -euo pipefail

RUN_DIR=${FLANNEL_LAB_DIR:-/run/flannel-lab}
STATE=$RUN_DIR/namespaces
# Present when the running lab is dual-stack.
DUAL_MARK=$RUN_DIR/dual-stack
V6_NETWORK=fd27:42::/56
UNDERLAY=flu
# Scratch namespaces used by `fixtures` for devices the lab itself does not need.
SCRATCH=flx
SCRATCH_PEER=flxpeer
# Every name the lab may create: `down` and `up` remove these even without a state file.
LAB_NS_RE='^(flu|flnode[0-9]+|flp[0-9]+|flx|flxpeer)$'
MAX_NODES=99
# Parser ids whose fixtures `fixtures` captures (and so may delete and rewrite).
LAB_FIXTURE_IDS="route-n ip-route arp ip-neigh bridge-fdb brctl bridge-link ip-link ifconfig ip-netns subnet-env cni-config cni-bin hostname"

die() {
  echo "lab.sh: $*" >&2
  exit 1
}

hex2() { printf '%02x' "$1"; }
vtep_mac() { printf '42:32:74:de:%02x:%02x' "$1" "$1"; }
node_eth0_mac() { printf '0a:18:19:00:%02x:01' "$1"; }
underlay_port_mac() { printf '0a:18:19:00:%02x:02' "$1"; }
veth_host_mac() { printf '0a:27:%02x:00:00:01' "$1"; }
pod_eth0_mac() { printf '0a:27:%02x:00:00:02' "$1"; }
underlay_ip() { echo "10.18.19.$((10 + $1))"; }
vtep6_mac() { printf '42:36:74:de:%02x:%02x' "$1" "$1"; }
underlay_ip6() { echo "fd00:18:19::$((10 + $1))"; }
# Node i's IPv6 pod subnet fd27:42:0:i::/64 (i written as hex digits: the lab's i stays below 100).
v6_net() { echo "fd27:42:0:$1::"; }
pod_ip6() { echo "fd27:42:0:$1::2"; }
# A CNI-looking host-side veth name ("veth" + 8 hex), deterministic from i.
veth_name() {
  local h
  h=$(printf 'flp%s' "$1" | md5sum)
  echo "veth${h:0:8}"
}
subnet_env_file() { echo "$RUN_DIR/flnode$1/subnet.env"; }

nsx() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

need_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root"
}

ns_exists() {
  [[ -e /var/run/netns/$1 ]]
}

# Create a namespace, remember it, bring lo up.
add_ns() {
  ip netns add "$1"
  echo "$1" >>"$STATE"
  ip -n "$1" link set lo up
}

# Node count of the running lab (highest flnodeN listed in the state file).
lab_nodes() {
  local n=0 ns
  [[ -f $STATE ]] || die "no lab is up (state file $STATE missing); run: lab.sh up"
  while read -r ns; do
    if [[ $ns =~ ^flnode([0-9]+)$ ]] && ns_exists "$ns" && ((BASH_REMATCH[1] > n)); then
      n=${BASH_REMATCH[1]}
    fi
  done <"$STATE"
  ((n > 0)) || die "no lab node namespace is up; run: lab.sh up"
  echo "$n"
}

cmd_down() {
  need_root
  local ns
  local -a victims=()
  if [[ -f $STATE ]]; then
    while read -r ns; do
      [[ -n $ns ]] && victims+=("$ns")
    done <"$STATE"
  fi
  # Leftovers of a lab whose state file is gone (same names, so they would collide anyway).
  while read -r ns _; do
    [[ $ns =~ $LAB_NS_RE ]] && victims+=("$ns")
  done < <(ip netns list)
  # Deleting a namespace destroys its devices, and with them their veth peers elsewhere.
  for ns in $(printf '%s\n' "${victims[@]+"${victims[@]}"}" | sort -u); do
    if ns_exists "$ns"; then
      ip netns del "$ns"
    fi
  done
  rm -rf "$RUN_DIR"
}

setup_node() {
  local i=$1
  local node=flnode$i pod=flp$i ip veth
  ip=$(underlay_ip "$i")
  veth=$(veth_name "$i")
  add_ns "$node"
  # Underlay NIC: eth0 in the node, its peer a port of br0 in flu.
  ip -n "$node" link add eth0 address "$(node_eth0_mac "$i")" mtu 1500 type veth \
    peer name "$node-eth0" address "$(underlay_port_mac "$i")" mtu 1500 netns "$UNDERLAY"
  ip -n "$UNDERLAY" link set "$node-eth0" master br0 up
  ip -n "$node" addr add "$ip/24" dev eth0
  ip -n "$node" link set eth0 up
  # flannel's VTEP.
  ip -n "$node" link add flannel.1 address "$(vtep_mac "$i")" mtu 1450 type vxlan \
    id 1 local "$ip" dev eth0 dstport 8472 nolearning
  ip -n "$node" addr add "10.27.$i.0/32" dev flannel.1
  ip -n "$node" link set flannel.1 up
  # The CNI bridge and one pod.
  ip -n "$node" link add cni0 mtu 1450 type bridge
  ip -n "$node" addr add "10.27.$i.1/24" dev cni0
  ip -n "$node" link set cni0 up
  add_ns "$pod"
  ip -n "$node" link add "$veth" address "$(veth_host_mac "$i")" mtu 1450 type veth \
    peer name eth0 address "$(pod_eth0_mac "$i")" mtu 1450 netns "$pod"
  ip -n "$node" link set "$veth" master cni0 up
  ip -n "$pod" addr add "10.27.$i.2/24" dev eth0
  ip -n "$pod" link set eth0 up
  ip -n "$pod" route add default via "10.27.$i.1"
  nsx "$node" sysctl -qw net.ipv4.ip_forward=1
  firewall_node "$i"
  # What flanneld would have written.
  mkdir -p "$RUN_DIR/$node"
  printf 'FLANNEL_NETWORK=10.27.0.0/16\nFLANNEL_SUBNET=10.27.%s.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n' \
    "$i" >"$(subnet_env_file "$i")"
}

# What Docker and flanneld put in the filter table, the same for IPv4 and IPv6 (iptables and
# ip6tables): the chains with Docker's FORWARD policy DROP, Docker's FORWARD jumps and accepts, then its
# isolation and user chains.
filter_chains() {
  cat <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
:FLANNEL-FWD - [0:0]
EOF
}

docker_forward() {
  cat <<'EOF'
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
EOF
}

docker_chains() {
  cat <<'EOF'
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
EOF
}

# A node's firewall as on a real kubeadm/k3s node with Docker: Docker's FORWARD policy DROP and its
# chains, kube-proxy's chains (a REJECT for a Service without endpoints, the KUBE-FIREWALL localnet DROP,
# the mark-based accept), and flannel's own FLANNEL-FWD accepts and FLANNEL-POSTRTG masquerade rules,
# in the nf_tables backend. Pod traffic between nodes passes only thanks to FLANNEL-FWD.
firewall_node() {
  local i=$1
  nsx "flnode$i" iptables-nft-restore <<EOF
$(filter_chains)
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES
-A INPUT -j KUBE-FIREWALL
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES
$(docker_forward)
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -j KUBE-FIREWALL
$(docker_chains)
-A FLANNEL-FWD -s 10.27.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.27.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "default/no-endpoints:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
:FLANNEL-POSTRTG - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SERVICES - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.27.$i.0/24 -d 10.27.0.0/16 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.27.0.0/16 -d 10.27.$i.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG ! -s 10.27.0.0/16 -d 10.27.$i.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.27.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
-A FLANNEL-POSTRTG ! -s 10.27.0.0/16 -d 10.27.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF
}

# Node i's IPv6 half, as flanneld programs it in a dual-stack cluster (EnableIPv6): a second VTEP
# flannel-v6.1 on the same underlay device with its IPv6 `local`, its own subnet's network address as
# a /128, cni0's and the pod's IPv6 addresses (the CNI bridge plugin's gateway is the subnet's first
# address), IPv6 forwarding, ip6tables, and subnet.env in flanneld's order.
setup_node_v6() {
  local i=$1
  local node=flnode$i pod=flp$i ip6
  ip6=$(underlay_ip6 "$i")
  ip -n "$node" -6 addr add "$ip6/64" dev eth0
  # No mtu given: the kernel sets it from eth0's, less VXLAN's 70 bytes over IPv6 (1430), as for flanneld.
  ip -n "$node" link add flannel-v6.1 address "$(vtep6_mac "$i")" type vxlan \
    id 1 local "$ip6" dev eth0 dstport 8472 nolearning
  ip -n "$node" -6 addr add "$(v6_net "$i")/128" dev flannel-v6.1
  ip -n "$node" link set flannel-v6.1 up
  ip -n "$node" -6 addr add "$(v6_net "$i")1/64" dev cni0
  ip -n "$pod" -6 addr add "$(pod_ip6 "$i")/64" dev eth0
  ip -n "$pod" -6 route add default via "$(v6_net "$i")1"
  nsx "$node" sysctl -qw net.ipv6.conf.all.forwarding=1
  firewall_node_v6 "$i"
  printf 'FLANNEL_NETWORK=10.27.0.0/16\nFLANNEL_SUBNET=10.27.%s.1/24\nFLANNEL_IPV6_NETWORK=%s\nFLANNEL_IPV6_SUBNET=%s1/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n' \
    "$i" "$V6_NETWORK" "$(v6_net "$i")" >"$(subnet_env_file "$i")"
}

# The IPv6 firewall of a dual-stack node: Docker's (with ip6tables on, its FORWARD policy is DROP for
# IPv6 too) and flanneld's FLANNEL-FWD accepts for the IPv6 network. Without them no v6 pod traffic
# crosses a node.
firewall_node_v6() {
  local i=$1
  nsx "flnode$i" ip6tables-nft-restore <<EOF
$(filter_chains)
$(docker_forward)
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
$(docker_chains)
-A FLANNEL-FWD -s $V6_NETWORK -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d $V6_NETWORK -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF
}

# On node a, the three IPv6 entries flannel writes for remote node b, in flannel's order (AddV6ARP,
# AddV6FDB, then the route).
add_peer_v6() {
  local a=$1 b=$2 mac
  mac=$(vtep6_mac "$b")
  ip -n "flnode$a" -6 neigh replace "$(v6_net "$b")" lladdr "$mac" dev flannel-v6.1 nud permanent
  nsx "flnode$a" bridge fdb append "$mac" dev flannel-v6.1 dst "$(underlay_ip6 "$b")" self permanent
  ip -n "flnode$a" -6 route replace "$(v6_net "$b")/64" via "$(v6_net "$b")" dev flannel-v6.1 onlink
}

dual_stack() {
  [[ -f $DUAL_MARK ]]
}

# On node a, the three entries flannel writes for remote node b, in flannel's order.
add_peer() {
  local a=$1 b=$2 mac
  mac=$(vtep_mac "$b")
  ip -n "flnode$a" neigh replace "10.27.$b.0" lladdr "$mac" dev flannel.1 nud permanent
  nsx "flnode$a" bridge fdb append "$mac" dev flannel.1 dst "$(underlay_ip "$b")" self permanent
  ip -n "flnode$a" route replace "10.27.$b.0/24" via "10.27.$b.0" dev flannel.1 onlink
}

cmd_up() {
  need_root
  local n=3 i a b dual=${FLANNEL_LAB_DUAL_STACK:-} arg
  for arg in "$@"; do
    case $arg in
      --dual-stack) dual=1 ;;
      *) n=$arg ;;
    esac
  done
  [[ $dual == 0 ]] && dual=
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > MAX_NODES)); then
    die "up: N must be 1..$MAX_NODES"
  fi
  cmd_down
  mkdir -p "$RUN_DIR"
  : >"$STATE"
  add_ns "$UNDERLAY"
  ip -n "$UNDERLAY" link add br0 type bridge
  ip -n "$UNDERLAY" link set br0 up
  for ((i = 1; i <= n; i++)); do
    setup_node "$i"
    if [[ -n $dual ]]; then setup_node_v6 "$i"; fi
  done
  for ((a = 1; a <= n; a++)); do
    for ((b = 1; b <= n; b++)); do
      if ((a != b)); then add_peer "$a" "$b"; fi
    done
  done
  if [[ -n $dual ]]; then
    : >"$DUAL_MARK"
    # IPv6 addresses are usable once duplicate address detection is done; the v6 routes go in after.
    for ((i = 1; i <= n; i++)); do
      wait_dad "flnode$i"
      wait_dad "flp$i"
    done
    for ((a = 1; a <= n; a++)); do
      for ((b = 1; b <= n; b++)); do
        if ((a != b)); then add_peer_v6 "$a" "$b"; fi
      done
    done
    echo "lab up: $n dual-stack nodes (flnode1..$n), pods flp1..$n, underlay $UNDERLAY"
  else
    echo "lab up: $n nodes (flnode1..$n), pods flp1..$n, underlay $UNDERLAY"
  fi
}

check_index() {
  local n=$1 x=$2
  if ! [[ $x =~ ^[0-9]+$ ]] || ((x < 1 || x > n)); then
    die "no node/pod $x (lab has 1..$n)"
  fi
}

cmd_ping() {
  need_root
  local v6=
  if [[ ${1:-} == -6 ]]; then
    v6=1
    shift
  fi
  (($# == 2)) || die "usage: lab.sh ping [-6] A B"
  local n
  n=$(lab_nodes)
  check_index "$n" "$1"
  check_index "$n" "$2"
  if [[ -n $v6 ]]; then
    nsx "flp$1" ping -6 -c1 -W1 "$(pod_ip6 "$2")"
  else
    nsx "flp$1" ping -c1 -W1 "10.27.$2.2"
  fi
}

# ping_matrix N FAMILY: one family's matrix; adds its failed pairs to PING_FAILED.
PING_FAILED=0
ping_matrix() {
  local n=$1 family=$2 a b line target
  line=$(printf '%-8s' 'from\to')
  for ((b = 1; b <= n; b++)); do line+=$(printf ' %6s' "flp$b"); done
  echo "$line"
  for ((a = 1; a <= n; a++)); do
    line=$(printf '%-8s' "flp$a")
    for ((b = 1; b <= n; b++)); do
      if [[ $family == 6 ]]; then target=$(pod_ip6 "$b"); else target=10.27.$b.2; fi
      if nsx "flp$a" ping "-$family" -c1 -W1 -q "$target" >/dev/null 2>&1; then
        line+=$(printf ' %6s' ok)
      else
        line+=$(printf ' %6s' FAIL)
        PING_FAILED=$((PING_FAILED + 1))
      fi
    done
    echo "$line"
  done
}

cmd_ping_all() {
  need_root
  local n pairs family
  n=$(lab_nodes)
  local -a families=(4)
  if dual_stack; then
    families=(4 6)
    echo "IPv4"
  fi
  for family in "${families[@]}"; do
    if [[ $family == 6 ]]; then echo "IPv6"; fi
    ping_matrix "$n" "$family"
  done
  pairs=$((n * n * ${#families[@]}))
  if ((PING_FAILED > 0)); then
    echo "ping-all: $PING_FAILED of $pairs pairs failed" >&2
    return 1
  fi
  echo "ping-all: all $pairs pairs ok"
}

# The transcript commands, in the order of the bundled example.
CAPTURE_CMDS=(
  'route -n'
  'brctl show'
  'arp -e'
  'bridge fdb show'
  'ip -d link'
  'ip addr'
  'cat /run/flannel/subnet.env'
)

cmd_capture() {
  need_root
  (($# >= 1)) || die "usage: lab.sh capture DIR [CMD...]"
  local dir=$1 n i node cmd out
  shift
  local -a cmds=("${CAPTURE_CMDS[@]}")
  if (($# > 0)); then cmds=("$@"); fi
  n=$(lab_nodes)
  mkdir -p "$dir"
  for ((i = 1; i <= n; i++)); do
    node=flnode$i
    out=$dir/$node.netsnap
    : >"$out"
    for cmd in "${cmds[@]}"; do
      printf '[root@%s ~]# %s\n' "$node" "$cmd" >>"$out"
      if [[ $cmd == 'cat /run/flannel/subnet.env' ]]; then
        # The lab keeps the file outside the namespace; the prompt shows flannel's path.
        cat "$(subnet_env_file "$i")" >>"$out"
      else
        # As a terminal shows it: stdout line-buffered with stderr among it, whatever the exit status
        # (a failure is output too).
        nsx "$node" stdbuf -oL bash -c "$cmd" >>"$out" 2>&1 || true
      fi
    done
    echo "wrote $out"
  done
}

# ---------------------------------------------------------------------------------------
# fixtures

FX_DIR=
FX_MANIFEST=

# fx PARSER CASE NS CMD... — run CMD in NS ("root" = the root namespace), stdout byte for byte.
fx() {
  local id=$1 case=$2 ns=$3
  shift 3
  local file=$FX_DIR/$id--$case.out
  if [[ $ns == root ]]; then
    "$@" >"$file"
  else
    nsx "$ns" "$@" >"$file"
  fi
  local bt='`'
  printf '| %s | %s | %s |\n' "$bt${file##*/}$bt" "$bt$ns$bt" "$bt$*$bt" >>"$FX_MANIFEST"
}

# fx_cni — the CNI conflist flannel's manifest installs, the plugin directory, and hostname: real
# `cat`/`ls`/`hostname` output of files the lab lays out the way a node has them.
fx_cni() {
  local dir=$RUN_DIR/cni bt='`' plugin
  rm -rf "$dir"
  mkdir -p "$dir/net.d" "$dir/bin"
  cat >"$dir/net.d/10-flannel.conflist" <<'JSON'
{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
JSON
  printf '{\n  "name": "cbr0",\n  "cniVersion": "0.3.1",\n  "plugins": [\n    { "type": "flannel" \n' >"$dir/net.d/99-broken.conflist"
  for plugin in bandwidth bridge dhcp dummy firewall flannel host-device host-local ipvlan loopback macvlan portmap ptp sbr static tap tuning vlan vrf; do
    printf '#!/bin/sh\n' >"$dir/bin/$plugin"
    chmod 755 "$dir/bin/$plugin"
  done
  (cd "$dir/net.d" && cat 10-flannel.conflist) >"$FX_DIR/cni-config--flannel-conflist.out"
  printf '| %s | - | %s |\n' "${bt}cni-config--flannel-conflist.out$bt" "${bt}cat /etc/cni/net.d/10-flannel.conflist$bt (lab copy in $bt$dir/net.d$bt)" >>"$FX_MANIFEST"
  (cd "$dir/net.d" && cat 99-broken.conflist) >"$FX_DIR/cni-config--broken.out"
  printf '| %s | - | %s |\n' "${bt}cni-config--broken.out$bt" "${bt}cat /etc/cni/net.d/99-broken.conflist$bt (a truncated file, lab copy)" >>"$FX_MANIFEST"
  (cd "$dir/bin" && ls -C -w 100) >"$FX_DIR/cni-bin--ls.out"
  printf '| %s | - | %s |\n' "${bt}cni-bin--ls.out$bt" "${bt}ls /opt/cni/bin$bt (lab copy in $bt$dir/bin$bt, columns as on a 100-column terminal)" >>"$FX_MANIFEST"
  (cd "$dir/bin" && ls -l) >"$FX_DIR/cni-bin--ls-l.out"
  printf '| %s | - | %s |\n' "${bt}cni-bin--ls-l.out$bt" "${bt}ls -l /opt/cni/bin$bt (lab copy)" >>"$FX_MANIFEST"
  fx hostname node flnode1 hostname
  fx hostname uname flnode1 uname -n
}

# fx_file PARSER CASE SRC NOTE — copy a file the lab wrote.
fx_file() {
  local file=$FX_DIR/$1--$2.out
  cat "$3" >"$file"
  local bt='`'
  printf '| %s | - | %s |\n' "$bt${file##*/}$bt" "$4" >>"$FX_MANIFEST"
}

# Wait until no IPv6 address in NS is tentative (DAD done), at most ~5 s.
wait_dad() {
  local ns=$1 t
  for ((t = 0; t < 50; t++)); do
    [[ -z $(ip -n "$ns" -6 addr show tentative) ]] && return 0
    sleep 0.1
  done
  echo "lab.sh: warning: DAD still running in $ns" >&2
}

# Wait until `ip neigh show ADDR dev DEV` in NS mentions STATE, at most SECS (default 10) s.
wait_neigh() {
  local ns=$1 addr=$2 dev=$3 state=$4 secs=${5:-10} t
  for ((t = 0; t < secs * 10; t++)); do
    [[ $(ip -n "$ns" neigh show "$addr" dev "$dev") == *"$state"* ]] && return 0
    sleep 0.1
  done
  die "neighbour $addr on $dev in $ns never reached $state: $(ip -n "$ns" -s neigh show "$addr" dev "$dev")"
}

lab_ipv6_add() {
  local n=$1 i
  for ((i = 1; i <= n; i++)); do
    ip -n "flnode$i" -6 addr add "fd00:18:19::$((10 + i))/64" dev eth0
    ip -n "flnode$i" -6 addr add "fd27:$i::1/64" dev cni0
    ip -n "flp$i" -6 addr add "fd27:$i::2/64" dev eth0
    ip -n "flp$i" -6 route add default via "fd27:$i::1"
  done
  for ((i = 1; i <= n; i++)); do
    wait_dad "flnode$i"
    wait_dad "flp$i"
  done
  # Populate IPv6 neighbour tables on node 1: the underlay peer and its own pod.
  nsx flnode1 ping -6 -c1 -W1 -q fd00:18:19::12 >/dev/null
  nsx flnode1 ping -6 -c1 -W1 -q fd27:1::2 >/dev/null
}

lab_ipv6_del() {
  local n=$1 i
  for ((i = 1; i <= n; i++)); do
    ip -n "flp$i" -6 route del default via "fd27:$i::1"
    ip -n "flp$i" -6 addr del "fd27:$i::2/64" dev eth0
    ip -n "flnode$i" -6 addr del "fd27:$i::1/64" dev cni0
    ip -n "flnode$i" -6 addr del "fd00:18:19::$((10 + i))/64" dev eth0
    ip -n "flnode$i" -6 neigh flush to fd00::/8
    ip -n "flp$i" -6 neigh flush to fd00::/8
  done
}

# Scratch namespaces: special routes, a VLAN-filtering bridge, an empty bridge, an STP
# bridge, VXLAN devices (external/collect-metadata and classic) with vni FDB entries,
# a peer for REACHABLE/STALE/NOARP neighbours.
scratch_up() {
  add_ns "$SCRATCH"
  add_ns "$SCRATCH_PEER"
  local s=$SCRATCH p=$SCRATCH_PEER d
  # This kernel has no dummy/vlan drivers: every scratch port is a veth whose peer sits in
  # flxpeer (carrier up); tap0 stays down to show a down, carrier-less device.
  ip -n "$s" link add eth0 address 0a:99:00:00:00:01 type veth \
    peer name eth0 address 0a:99:00:00:00:02 netns "$p"
  ip -n "$s" addr add 10.99.0.1/24 dev eth0
  ip -n "$s" -6 addr add fd99::1/64 dev eth0 nodad
  ip -n "$p" addr add 10.99.0.2/24 dev eth0
  ip -n "$s" link set eth0 up
  ip -n "$p" link set eth0 up
  ip -n "$s" tuntap add tap0 mode tap
  # A second link to the peer: neighbour entries, a multipath leg, an onlink route.
  ip -n "$s" link add eth1 address 0a:99:01:00:00:01 type veth \
    peer name eth1 address 0a:99:01:00:00:02 netns "$p"
  ip -n "$s" addr add 10.99.1.1/24 dev eth1
  ip -n "$p" addr add 10.99.1.2/24 dev eth1
  ip -n "$s" link set eth1 up
  ip -n "$p" link set eth1 up
  # Routes of every kind.
  ip -n "$s" route add default via 10.99.0.254 dev eth0 metric 50
  ip -n "$s" route add blackhole 10.98.0.0/16
  ip -n "$s" route add unreachable 10.97.0.0/16
  ip -n "$s" route add prohibit 10.96.0.0/16
  ip -n "$s" route add throw 10.95.0.0/16
  ip -n "$s" route add 10.94.0.0/16 nexthop via 10.99.0.10 dev eth0 weight 1 \
    nexthop via 10.99.1.2 dev eth1 weight 2
  ip -n "$s" route add 10.93.0.0/16 via 10.99.0.20 dev eth0 metric 100 proto static
  ip -n "$s" route add 10.92.0.0/24 dev eth0 src 10.99.0.1 scope link
  ip -n "$s" route add 10.91.0.0/16 via 10.99.0.30 dev eth0 table 100
  ip -n "$s" nexthop add id 1 via 10.99.0.40 dev eth0
  ip -n "$s" route add 10.90.0.0/16 nhid 1
  ip -n "$s" route add 10.89.0.1 via 10.99.1.2 dev eth1 onlink
  ip -n "$s" -6 route add blackhole fd98::/64
  ip -n "$s" -6 route add fd94::/64 nexthop via fd99::10 dev eth0 weight 1 \
    nexthop via fd99::11 dev eth0 weight 1
  ip -n "$s" -6 route add fd93::/64 via fd99::20 dev eth0 metric 100
  # Bridges: three veth ports (+ vx42 below), empty, STP on. (No vlan_filtering here: this
  # kernel lacks CONFIG_BRIDGE_VLAN_FILTERING, so FDB entries cannot carry a vlan.)
  ip -n "$s" link add brv address 0a:99:02:00:00:01 type bridge
  for d in 1 2 3 4; do
    ip -n "$s" link add "vp$d" address "0a:99:02:00:00:1$d" type veth \
      peer name "vp$d" address "0a:99:02:00:00:2$d" netns "$p"
    ip -n "$p" link set "vp$d" up
  done
  for d in 1 2 3; do
    ip -n "$s" link set "vp$d" master brv up
  done
  ip -n "$s" link set brv up
  nsx "$s" bridge fdb add 02:00:00:00:10:01 dev vp1 master static
  nsx "$s" bridge fdb add 02:00:00:00:10:02 dev vp2 master
  nsx "$s" bridge fdb add 02:00:00:00:10:03 dev vp3 master extern_learn
  nsx "$s" bridge fdb add 02:00:00:00:10:04 dev vp3 master static sticky
  ip -n "$s" link add brempty address 0a:99:03:00:00:01 type bridge
  ip -n "$s" link add brstp address 0a:99:04:00:00:01 type bridge stp_state 1
  ip -n "$s" link set vp4 master brstp up
  ip -n "$s" link set brstp up
  # VXLAN: external (collect metadata) with vni entries, and a classic one with port/vni.
  ip -n "$s" link add vxext address 0a:99:05:00:00:01 type vxlan external dstport 4789 \
    local 10.99.0.1 nolearning
  ip -n "$s" link set vxext up
  nsx "$s" bridge fdb add 00:00:00:00:00:00 dev vxext dst 10.99.0.50 vni 100 self permanent
  nsx "$s" bridge fdb add 02:00:00:00:50:01 dev vxext dst 10.99.0.51 vni 200 self permanent
  nsx "$s" bridge fdb add 02:00:00:00:50:02 dev vxext dst 10.99.0.52 vni 300 src_vni 300 \
    self permanent
  ip -n "$s" link add vx42 address 0a:99:06:00:00:01 mtu 1450 type vxlan id 42 \
    dstport 4790 local 10.99.0.1 dev eth0 nolearning
  ip -n "$s" link set vx42 master brv up
  nsx "$s" bridge fdb append 00:00:00:00:00:00 dev vx42 dst 10.99.0.60 self permanent
  nsx "$s" bridge fdb append 00:00:00:00:00:00 dev vx42 dst 10.99.0.61 self permanent
  nsx "$s" bridge fdb add 02:00:00:00:60:01 dev vx42 dst 10.99.0.62 port 4791 vni 43 \
    self permanent
  nsx "$s" bridge fdb add 02:00:00:00:60:02 dev vx42 dst 10.99.0.63 via eth0 self permanent
  # Neighbours: PERMANENT and NOARP by hand; REACHABLE/STALE come from pinging the peer.
  ip -n "$s" neigh add 10.99.1.50 lladdr 02:00:00:00:99:50 dev eth1 nud permanent
  ip -n "$s" neigh add 10.99.1.51 lladdr 02:00:00:00:99:51 dev eth1 nud noarp
}

write_fixture_readme() {
  local readme=$FX_DIR/README.md
  {
    cat <<'EOF'
# Parser fixtures

Every `.out` file here is real command output, byte for byte (no prompt line), captured from
the live flannel VXLAN lab by `test/lab/lab.sh fixtures test/fixtures/parsers` (see
`test/lab/lab.sh`): nothing is hand-typed or edited. File names are `<parser-id>--<case>.out`.

Namespaces: `flnode1..@N@` are flannel nodes (underlay eth0 10.18.19.1N/24, flannel.1 VXLAN
VNI 1 port 8472 with MAC 42:32:74:de:0N:0N and 10.27.N.0/32, cni0 10.27.N.1/24, one pod veth),
`flp1..@N@` their pods (10.27.N.2/24), `flu` the underlay (bridge br0), `root` the root namespace.
`flx` is a scratch namespace for devices flannel does not make (eth0 10.99.0.1/24 with
blackhole/unreachable/prohibit/throw/multipath/nhid/table-100 routes, bridge `brv` with
static, extern_learn and sticky FDB entries on veth ports vp1-3 and VXLAN `vx42` (dst/port/
vni/via entries), empty bridge `brempty`, STP bridge `brstp` (port vp4), VXLAN `vxext` in
external mode with vni/src_vni FDB entries, a down tap `tap0`); `flxpeer` holds the peers of
its veths (eth0 10.99.0.2, eth1 10.99.1.2). The kernel has no dummy or vlan driver, hence
veths, and no bridge VLAN filtering, hence no FDB entry with a `vlan`.
The lab was warmed with `lab.sh ping-all` first (so neighbour tables hold REACHABLE entries);
the `stale` files were taken once those entries had aged to STALE by themselves.
IPv6 cases: before them the lab added fd00:18:19::1N/64 on each node's eth0, fd27:N::1/64 on
cni0 and fd27:N::2/64 in the pod, and flnode1 pinged fd00:18:19::12 and fd27:1::2; they are
removed afterwards. Incomplete/failed cases: flnode1 pinged the absent 10.27.1.99 on cni0;
the `incomplete` files were taken while the kernel was still resolving it, the `failed` ones
after resolution gave up.

MACs of lab veths and bridges are fixed by the script, so a re-capture differs only in timers,
counters, the link-local address of cni0, neighbour states, ordering, and in `ip-netns` files
whatever other namespaces exist on the machine at the time.

Real quirk kept on purpose: when iproute2 does not print `link-netns` (e.g. `ip -6 addr`,
`bridge link show`), the `@peer` after a veth's name is the peer's ifindex resolved in the
*local* namespace, so it can name an unrelated device (`eth0@flannel.1`, `vp1@eth1`).

| file | namespace | command |
| --- | --- | --- |
EOF
    cat "$FX_MANIFEST"
    cat <<'EOF'
| `kubectl-nodes--list-yaml.out` | hand-made | `kubectl get nodes -o yaml` |
| `kubectl-nodes--list-json.out` | hand-made | `kubectl get nodes -o json` |
| `kubectl-nodes--wide.out` | hand-made | `kubectl get nodes -o wide` |

The `kubectl-nodes` files are the one exception to "captured": no Kubernetes API server runs here, so
they were written by hand, field for field in the layout `kubectl` prints, for the lab's three nodes.
`lab.sh fixtures` leaves them alone.
EOF
  } >"$readme"
  sed -i "s/@N@/$1/g" "$readme"
}

cmd_fixtures() {
  need_root
  (($# == 1)) || die "usage: lab.sh fixtures DIR"
  local n
  n=$(lab_nodes)
  ((n >= 2)) || die "fixtures needs a lab of at least 2 nodes"
  # Its IPv6 cases add their own addresses (the dual-stack lab's fixtures: ipv6-fixtures.sh).
  ! dual_stack || die "fixtures needs the IPv4 lab (lab.sh up N, without --dual-stack)"
  FX_DIR=$1
  mkdir -p "$FX_DIR"
  # Only the files this script writes: kubectl-nodes fixtures are hand-made (no API server here), the
  # `dualstack-*` cases come from dual-stack-fixtures.sh.
  local id f
  for id in $LAB_FIXTURE_IDS; do
    for f in "$FX_DIR/$id"--*.out; do
      [[ $f == *"--dualstack-"* ]] || rm -f "$f"
    done
  done
  FX_MANIFEST=$(mktemp)
  # shellcheck disable=SC2064  # expand now: the variable is global and reused
  trap "rm -f '$FX_MANIFEST'; ip netns del $SCRATCH_PEER 2>/dev/null; ip netns del $SCRATCH 2>/dev/null" EXIT

  cmd_ping_all >/dev/null
  scratch_up
  nsx "$SCRATCH" ping -c1 -W1 -q 10.99.1.2 >/dev/null
  local s=$SCRATCH

  # --- neighbours right after traffic (REACHABLE + PERMANENT) ---
  fx ip-neigh node flnode1 ip neigh
  fx ip-neigh node-json flnode1 ip -j neigh
  fx ip-neigh scratch-reachable "$s" ip neigh
  fx arp node-e flnode1 arp -e
  fx arp node-a flnode1 arp -a
  fx arp node-an flnode1 arp -an
  fx arp pod-e flp1 arp -e

  # --- routes ---
  fx route-n node flnode1 route -n
  fx route-n node-e flnode1 route -ne
  fx route-n node-ee flnode1 route -nee
  fx route-n pod flp1 route -n
  fx route-n scratch "$s" route -n
  fx route-n scratch-ee "$s" route -nee
  fx ip-route node flnode1 ip route
  fx ip-route node-json flnode1 ip -j route
  fx ip-route node-json-pretty flnode1 ip -j -p route
  fx ip-route node-table-all flnode1 ip route show table all
  fx ip-route pod flp1 ip route
  fx ip-route scratch "$s" ip route
  fx ip-route scratch-json "$s" ip -j route
  fx ip-route scratch-6 "$s" ip -6 route
  fx ip-route scratch-table-all "$s" ip route show table all

  # --- bridges / fdb ---
  fx bridge-fdb node flnode1 bridge fdb show
  fx bridge-fdb node-json flnode1 bridge -j fdb show
  fx bridge-fdb node-dev-flannel flnode1 bridge fdb show dev flannel.1
  fx bridge-fdb node-br-cni0 flnode1 bridge fdb show br cni0
  fx bridge-fdb scratch "$s" bridge fdb show
  fx bridge-fdb scratch-json "$s" bridge -j fdb show
  fx bridge-fdb scratch-dev-vxext "$s" bridge fdb show dev vxext
  fx brctl node flnode1 brctl show
  fx brctl underlay flu brctl show
  fx brctl scratch "$s" brctl show
  fx bridge-link node flnode1 bridge link show
  fx bridge-link node-json flnode1 bridge -j link show
  fx bridge-link underlay flu bridge link show
  fx bridge-link scratch "$s" bridge link show
  fx bridge-link scratch-d "$s" bridge -d link show

  # --- links / addresses ---
  fx ip-link node flnode1 ip link
  fx ip-link node-d flnode1 ip -d link
  fx ip-link node-json flnode1 ip -j link
  fx ip-link node-d-json flnode1 ip -d -j link
  fx ip-link node-type-bridge flnode1 ip link show type bridge
  fx ip-link node-type-veth flnode1 ip link show type veth
  fx ip-link node-d-type-vxlan flnode1 ip -d link show type vxlan
  fx ip-link node-addr flnode1 ip addr
  fx ip-link node-addr-json flnode1 ip -j addr
  fx ip-link pod-addr flp1 ip addr
  fx ip-link scratch "$s" ip link
  fx ip-link scratch-d "$s" ip -d link
  fx ip-link scratch-d-json "$s" ip -d -j link
  fx ip-link scratch-addr "$s" ip addr
  fx ifconfig node flnode1 ifconfig
  fx ifconfig node-a flnode1 ifconfig -a
  fx ifconfig pod flp1 ifconfig
  fx ifconfig scratch-a "$s" ifconfig -a

  # --- namespaces, subnet.env ---
  fx ip-netns list root ip netns list
  # Give two lab namespaces an nsid in the root namespace, so the listing shows "(id: N)".
  local id_ns
  for id_ns in "$UNDERLAY" flnode1; do
    if ! ip netns list-id | grep -q "(iproute2 netns name: $id_ns)"; then
      ip netns set "$id_ns" auto
    fi
  done
  fx ip-netns list-ids root ip netns list
  fx ip-netns list-ids-json root ip -j netns list
  fx_file subnet-env flnode1 "$(subnet_env_file 1)" \
    "\`cat /run/flannel/subnet.env\` (the lab's copy for flnode1, \`$(subnet_env_file 1)\`)"
  fx_file subnet-env flnode2 "$(subnet_env_file 2)" \
    "\`cat /run/flannel/subnet.env\` (the lab's copy for flnode2, \`$(subnet_env_file 2)\`)"
  fx_cni

  # --- IPv6 ---
  lab_ipv6_add "$n"
  fx route-n ipv6 flnode1 route -6 -n
  fx ip-route ipv6 flnode1 ip -6 route
  fx ip-neigh ipv6 flnode1 ip -6 neigh
  fx ip-neigh ipv6-json flnode1 ip -j -6 neigh
  fx ip-neigh node-nud-all flnode1 ip neigh show nud all
  fx ip-link node-addr-6 flnode1 ip -6 addr
  fx ip-link node-addr-dual flnode1 ip addr
  fx ifconfig node-dual flnode1 ifconfig
  lab_ipv6_del "$n"

  # --- NOARP/PERMANENT (scratch); STALE: the node's underlay entries age out by themselves
  # (base_reachable_time 30 s: REACHABLE turns STALE 15-45 s after ping-all) ---
  fx ip-neigh scratch-nud-all "$s" ip neigh show nud all
  fx arp scratch-e "$s" arp -e
  fx arp scratch-an "$s" arp -an
  wait_neigh flnode1 10.18.19.12 eth0 STALE 60
  wait_neigh flnode1 10.27.1.2 cni0 STALE 60
  fx ip-neigh node-stale flnode1 ip neigh
  fx ip-neigh node-stale-json flnode1 ip -j neigh
  fx arp node-stale-e flnode1 arp -e

  # --- INCOMPLETE then FAILED (absent pod address on cni0) ---
  nsx flnode1 ping -c1 -W1 -q 10.27.1.99 >/dev/null 2>&1 &
  local pinger=$!
  wait_neigh flnode1 10.27.1.99 cni0 INCOMPLETE
  fx ip-neigh incomplete flnode1 ip neigh
  fx arp incomplete-e flnode1 arp -e
  fx arp incomplete-a flnode1 arp -a
  fx arp incomplete-an flnode1 arp -an
  wait "$pinger" || true
  wait_neigh flnode1 10.27.1.99 cni0 FAILED
  fx ip-neigh failed flnode1 ip neigh
  fx ip-neigh failed-json flnode1 ip -j neigh
  fx arp failed-e flnode1 arp -e
  fx arp failed-an flnode1 arp -an
  ip -n flnode1 neigh del 10.27.1.99 dev cni0

  ip netns del "$SCRATCH_PEER"
  ip netns del "$SCRATCH"
  write_fixture_readme "$n"
  rm -f "$FX_MANIFEST"
  trap - EXIT
  echo "wrote $(find "$FX_DIR" -name '*--*.out' | wc -l) fixtures and README.md in $FX_DIR"
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'
}

main() {
  local cmd=${1:-}
  (($# > 0)) && shift
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down ;;
    ping) cmd_ping "$@" ;;
    ping-all) cmd_ping_all ;;
    capture) cmd_capture "$@" ;;
    fixtures) cmd_fixtures "$@" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
