#!/usr/bin/env bash
# iptables-fixtures.sh — captures the iptables parser's golden fixtures: real iptables output of both
# backends in two scratch network namespaces, written to DIR/iptables--<case>.out, and the table of
# commands DIR/README-iptables.md.
#
#   test/lab/iptables-fixtures.sh [DIR]     (default test/fixtures/parsers; needs root, iptables 1.8
#                                            with both backends, ipset)
#
# nsipt-nft: kube-proxy and flannel rules loaded with iptables-nft (filter, nat, mangle; ip6tables-nft
#   too), and Docker's rules with its FORWARD policy DROP loaded with iptables-legacy: the mixed-backend
#   node where a legacy-only DROP policy is invisible to `iptables-nft` (which warns that legacy tables
#   are present).
# nsipt-leg: an iptables-services (CentOS) style node on iptables-legacy: its INPUT/FORWARD end in
#   `REJECT --reject-with icmp-host-prohibited`, and flannel's FORWARD rule was appended after it (a
#   REJECT above flannel's accepts); a LAB-MATCHES chain holds matches and targets the evaluator cannot
#   decide (mark, set, physdev, owner, limit, u32, recent, statistic, icmp type, fragments, NFQUEUE…).
#
# The rules are loaded with `*-restore -c` so that counters are large enough to show the K/M/G
# suffixes of `-L -v`; everything in the .out files is what iptables printed. stdout is line-buffered
# and stderr merged, as on a terminal: iptables-nft's `# Warning: iptables-legacy tables present`
# goes to stderr. Only these namespaces are created and deleted; nothing leaves them.
set -euo pipefail

DIR=${1:-test/fixtures/parsers}
NFT=nsipt-nft
LEG=nsipt-leg
README=$DIR/README-iptables.md
MANIFEST=$(mktemp)

cleanup() {
  rm -f "$MANIFEST"
  ip netns del "$NFT" 2>/dev/null || true
  ip netns del "$LEG" 2>/dev/null || true
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || {
  echo "iptables-fixtures.sh: must run as root" >&2
  exit 1
}
mkdir -p "$DIR"
rm -f "$DIR"/iptables--*.out
for ns in "$NFT" "$LEG"; do
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done

nsx() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

# fx CASE NS CMD... — CMD's output in NS as a terminal shows it (stdout line-buffered, stderr merged).
fx() {
  local case=$1 ns=$2
  shift 2
  local file=$DIR/iptables--$case.out bt='`'
  nsx "$ns" stdbuf -oL "$@" >"$file" 2>&1 || true
  printf '| %s | %s | %s |\n' "$bt${file##*/}$bt" "$bt$ns$bt" "$bt$*$bt" >>"$MANIFEST"
}

# The rules flanneld (>= 0.20, pkg/trafficmngr/iptables) writes, for iptables-restore input.
# flannel_masq CLUSTER POD MULTICAST [--random-fully]: nat POSTROUTING's jump (counted by $COUNTS, a
# `[p:b] ` prefix) and FLANNEL-POSTRTG, which the caller declares; flannel_fwd CLUSTER: filter FORWARD's
# jump and FLANNEL-FWD's two accepts.
flannel_masq() {
  local cluster=$1 pod=$2 multicast=$3 random=${4:+ $4} c='-m comment --comment "flanneld masq"'
  echo "${COUNTS:-}-A POSTROUTING $c -j FLANNEL-POSTRTG"
  echo "-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 $c -j RETURN"
  echo "-A FLANNEL-POSTRTG -s $pod -d $cluster $c -j RETURN"
  echo "-A FLANNEL-POSTRTG -s $cluster -d $pod $c -j RETURN"
  echo "-A FLANNEL-POSTRTG ! -s $cluster -d $pod $c -j RETURN"
  echo "-A FLANNEL-POSTRTG -s $cluster ! -d $multicast $c -j MASQUERADE$random"
  echo "-A FLANNEL-POSTRTG ! -s $cluster -d $cluster $c -j MASQUERADE$random"
}
flannel_fwd() {
  local c='-m comment --comment "flanneld forward"'
  echo "-A FORWARD $c -j FLANNEL-FWD"
  echo "-A FLANNEL-FWD -s $1 $c -j ACCEPT"
  echo "-A FLANNEL-FWD -d $1 $c -j ACCEPT"
}
# kube_forward [COUNTERS]: kube-proxy's KUBE-FORWARD chain (COUNTERS: `[p:b] ` for its conntrack accept).
kube_forward() {
  echo '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP'
  echo '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT'
  echo "${1:-}-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
}

# --- nsipt-nft: kube-proxy + flannel on iptables-nft --------------------------------------------
{
  cat <<'EOF'
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-IPTABLES-HINT - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-PROXY-CANARY - [0:0]
COMMIT
*nat
:PREROUTING ACCEPT [5123:307380]
:INPUT ACCEPT [812:48720]
:OUTPUT ACCEPT [20433:1226030]
:POSTROUTING ACCEPT [20871:1252260]
:FLANNEL-POSTRTG - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
:KUBE-SEP-N4G2XR5TDX7PQE7P - [0:0]
:KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SVC-NPX46M4PTMTKRN6Y - [0:0]
[5123:307380] -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
[20433:1226030] -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
[20871:1252260] -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
EOF
  COUNTS='[20871:1252260] ' flannel_masq 10.244.0.0/16 10.244.1.0/24 224.0.0.0/4 --random-fully
  cat <<'EOF'
[14:840] -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
[20871:1252260] -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
[14:840] -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
[14:840] -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
[0:0] -A KUBE-SEP-IT2ZTR26TO4XFPTO -s 10.244.0.2/32 -m comment --comment "kube-system/kube-dns:dns-tcp" -j KUBE-MARK-MASQ
[3:180] -A KUBE-SEP-IT2ZTR26TO4XFPTO -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp" -m tcp -j DNAT --to-destination 10.244.0.2:53
[0:0] -A KUBE-SEP-N4G2XR5TDX7PQE7P -s 10.244.2.3/32 -m comment --comment "kube-system/kube-dns:dns-tcp" -j KUBE-MARK-MASQ
[2:120] -A KUBE-SEP-N4G2XR5TDX7PQE7P -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp" -m tcp -j DNAT --to-destination 10.244.2.3:53
[14:840] -A KUBE-SEP-YIL6JZP7A3QYXJU2 -s 192.168.1.10/32 -m comment --comment "default/kubernetes:https" -j KUBE-MARK-MASQ
[14:840] -A KUBE-SEP-YIL6JZP7A3QYXJU2 -p tcp -m comment --comment "default/kubernetes:https" -m tcp -j DNAT --to-destination 192.168.1.10:6443
[14:840] -A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y
[5:300] -A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
[812:48720] -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
[0:0] -A KUBE-SVC-ERIFXISQEP7F7OF4 ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp --dport 53 -j KUBE-MARK-MASQ
[3:180] -A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.2:53" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
[2:120] -A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.2.3:53" -j KUBE-SEP-N4G2XR5TDX7PQE7P
[14:840] -A KUBE-SVC-NPX46M4PTMTKRN6Y ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ
[14:840] -A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https -> 192.168.1.10:6443" -j KUBE-SEP-YIL6JZP7A3QYXJU2
COMMIT
*filter
:INPUT ACCEPT [1843211:912345678]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [1702345:456789012]
:FLANNEL-FWD - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SERVICES - [0:0]
[5123:307380] -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
[1843211:912345678] -A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
[5123:307380] -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
[1843211:912345678] -A INPUT -j KUBE-FIREWALL
[2210:132600] -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
[4128765:3987654321] -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
[2210:132600] -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
[2210:132600] -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
[20433:1226030] -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
[20433:1226030] -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
[1702345:456789012] -A OUTPUT -j KUBE-FIREWALL
[0:0] -A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP
[0:0] -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
[0:0] -A KUBE-SERVICES -d 10.96.45.12/32 -p tcp -m comment --comment "default/web has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
EOF
  flannel_fwd 10.244.0.0/16
  kube_forward '[4126555:3987521721] '
  echo COMMIT
} | nsx "$NFT" iptables-nft-restore -c

{
  echo '*nat'
  echo ':PREROUTING ACCEPT [0:0]'
  echo ':INPUT ACCEPT [0:0]'
  echo ':OUTPUT ACCEPT [0:0]'
  echo ':POSTROUTING ACCEPT [0:0]'
  echo ':FLANNEL-POSTRTG - [0:0]'
  flannel_masq fd10:244::/56 fd10:244:1::/64 ff00::/8 --random-fully
  echo 'COMMIT'
  echo '*filter'
  echo ':INPUT ACCEPT [0:0]'
  echo ':FORWARD ACCEPT [0:0]'
  echo ':OUTPUT ACCEPT [0:0]'
  echo ':FLANNEL-FWD - [0:0]'
  echo ':KUBE-FORWARD - [0:0]'
  echo '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD'
  flannel_fwd fd10:244::/56
  kube_forward
  echo 'COMMIT'
} | nsx "$NFT" ip6tables-nft-restore

# Docker, on the legacy backend of the same namespace: FORWARD policy DROP.
nsx "$NFT" iptables-legacy-restore -c <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [123456:98765432]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
[123456:98765432] -A FORWARD -j DOCKER-USER
[123456:98765432] -A FORWARD -j DOCKER-ISOLATION-STAGE-1
[0:0] -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
[0:0] -A FORWARD -o docker0 -j DOCKER
[0:0] -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
[0:0] -A FORWARD -i docker0 -o docker0 -j ACCEPT
[0:0] -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
[123456:98765432] -A DOCKER-ISOLATION-STAGE-1 -j RETURN
[0:0] -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
[0:0] -A DOCKER-ISOLATION-STAGE-2 -j RETURN
[123456:98765432] -A DOCKER-USER -j RETURN
COMMIT
EOF

# --- nsipt-leg: iptables-services style on iptables-legacy, flannel appended after the REJECT ----
nsx "$LEG" ipset create lab-allowed hash:net
{
  cat <<'EOF'
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp -m udp --dport 8472 -j NOTRACK
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:FLANNEL-POSTRTG - [0:0]
EOF
  flannel_masq 10.244.0.0/16 10.244.2.0/24 224.0.0.0/4
  cat <<'EOF'
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [2345678:1234567890]
:FLANNEL-FWD - [0:0]
:LAB-MATCHES - [0:0]
[2287650:1987654321] -A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
[312:26208] -A INPUT -p icmp -j ACCEPT
[5120:307200] -A INPUT -i lo -j ACCEPT
[18:1080] -A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT
[9876:14814000] -A INPUT -p udp -m udp --dport 8472 -j ACCEPT
[0:0] -A INPUT -p tcp -m multiport --dports 10250,30000:32767 -j ACCEPT
[0:0] -A INPUT -j LAB-MATCHES
[1234:74040] -A INPUT -j REJECT --reject-with icmp-host-prohibited
[98765:6518490] -A FORWARD -j REJECT --reject-with icmp-host-prohibited
[0:0] -A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
[0:0] -A OUTPUT -m owner --uid-owner 0 -m limit --limit 5/min -j LOG --log-prefix "root out: " --log-level 6
[0:0] -A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
[0:0] -A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
[0:0] -A LAB-MATCHES -m set --match-set lab-allowed src -j ACCEPT
[0:0] -A LAB-MATCHES -m physdev --physdev-is-bridged -j ACCEPT
[0:0] -A LAB-MATCHES -p icmp -m icmp --icmp-type 8 -m limit --limit 10/sec -j ACCEPT
[0:0] -A LAB-MATCHES -f -j DROP
[0:0] -A LAB-MATCHES -m u32 --u32 "0x0>>0x16&0x3c@0x4=0x29" -j DROP
[0:0] -A LAB-MATCHES -p tcp -m tcp --dport 22 -m recent --update --seconds 60 --hitcount 4 --name ssh --mask 255.255.255.255 --rsource -j DROP
[0:0] -A LAB-MATCHES -m statistic --mode nth --every 10 --packet 0 -j NFQUEUE --queue-num 3
[0:0] -A LAB-MATCHES ! -i eth+ -p udp -m udp ! --dport 53 -m addrtype --dst-type LOCAL -j RETURN
[0:0] -A LAB-MATCHES -s 192.0.2.0/24 -p tcp -m tcp --sport 1024:65535 -m conntrack --ctstate NEW,UNTRACKED -m comment --comment "say \"hi\", \\o/" -j MARK --set-xmark 0x1/0xffffffff
COMMIT
EOF
} | nsx "$LEG" iptables-legacy-restore -c

nsx "$LEG" ip6tables-legacy-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p ipv6-icmp -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -d fe80::/64 -p udp -m udp --dport 546 -m state --state NEW -j ACCEPT
-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT
-A INPUT -j REJECT --reject-with icmp6-adm-prohibited
-A FORWARD -j REJECT --reject-with icmp6-adm-prohibited
COMMIT
EOF

# --- captures ---------------------------------------------------------------------------------------
fx nft-save "$NFT" iptables-nft-save
fx nft-save-c "$NFT" iptables-nft-save -c
fx nft-save-nat "$NFT" iptables-nft-save -t nat
fx nft-plain-save "$NFT" iptables-save
fx nft-S "$NFT" iptables-nft -S
fx nft-S-v "$NFT" iptables-nft -S -v
fx nft-S-forward "$NFT" iptables-nft -S FORWARD
fx nft-L-n "$NFT" iptables-nft -L -n
fx nft-L-nv "$NFT" iptables-nft -L -n -v
fx nft-L-nvx-lines "$NFT" iptables-nft -L -n -v -x --line-numbers
fx nft-L "$NFT" iptables-nft -L
fx nft-L-forward "$NFT" iptables-nft -L FORWARD -n -v
fx nft-L-nat "$NFT" iptables-nft -t nat -L -n -v
fx nft-ip6-save "$NFT" ip6tables-nft-save
fx nft-ip6-L "$NFT" ip6tables-nft -L -n -v
fx nft-V "$NFT" iptables-nft -V
fx nft-plain-V "$NFT" iptables -V
fx nft-ip6-V "$NFT" ip6tables-nft -V
fx nft-legacy-save "$NFT" iptables-legacy-save
fx nft-legacy-L-forward "$NFT" iptables-legacy -L FORWARD -n -v
fx leg-save "$LEG" iptables-legacy-save
fx leg-save-c "$LEG" iptables-legacy-save -c
fx leg-save-filter "$LEG" iptables-legacy-save -t filter
fx leg-S "$LEG" iptables-legacy -S
fx leg-S-v "$LEG" iptables-legacy -S -v
fx leg-S-input "$LEG" iptables-legacy -S INPUT
fx leg-L-n "$LEG" iptables-legacy -L -n
fx leg-L-nv "$LEG" iptables-legacy -L -n -v
fx leg-L-n-lines "$LEG" iptables-legacy -L -n --line-numbers
fx leg-L-v "$LEG" iptables-legacy -L -v
fx leg-L-nvx "$LEG" iptables-legacy -nvxL
fx leg-L-forward "$LEG" iptables-legacy -L FORWARD -n -v
fx leg-ip6-save "$LEG" ip6tables-legacy-save
fx leg-ip6-L "$LEG" ip6tables-legacy -L -n -v
fx leg-V "$LEG" iptables-legacy -V
fx leg-ip6-V "$LEG" ip6tables-legacy -V

{
  cat <<'EOF'
# iptables fixtures

Real output of iptables 1.8.9 (Debian 12) with both backends, captured by
`test/lab/iptables-fixtures.sh test/fixtures/parsers` in two scratch namespaces (see the script):

- `nsipt-nft`: kube-proxy and flannel rules (filter, nat, mangle; ip6tables too) on iptables-nft, and
  Docker's rules with FORWARD policy DROP on iptables-legacy: iptables-nft prints the real
  `# Warning: iptables-legacy tables present` line (to stderr, merged here as a terminal shows it).
- `nsipt-leg`: an iptables-services style node on iptables-legacy whose FORWARD chain rejects
  (`icmp-host-prohibited`) before flannel's appended FLANNEL-FWD jump, plus a LAB-MATCHES chain of
  matches and targets an evaluator cannot decide.

Rules were loaded with `iptables-*-restore -c`, so counters are large enough to show `-L -v`'s K/M/G
suffixes; the files are byte for byte what the commands printed (a re-capture differs in the dates of
the `# Generated by` / `# Completed on` lines only). `iptables` and `iptables-save`, with no backend in
their names, are Debian's alternatives, which point at iptables-nft here.

| file | namespace | command |
| --- | --- | --- |
EOF
  cat "$MANIFEST"
} >"$README"
echo "wrote $(grep -c '^| `iptables--' "$README") fixtures and $README"
