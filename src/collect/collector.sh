# netsnap collector: prints a .netsnap transcript of this node's data plane on stdout.
# shellcheck shell=sh disable=SC2016,SC2317 # awk program in single quotes; functions called by traps
#
# Sent on stdin and run in one round trip, by any POSIX sh:
#   sh -s -- [-m BYTES] [-t SECS] [-r DIR] [-v VIA] [-w] [NODE] < collector.sh
#   ssh HOST sh -s -- NODE < collector.sh          ip netns exec NS sh -s -- NS < collector.sh
#   { echo 'set -- NODE'; cat collector.sh; } | kubectl exec -i POD -- sh -s
#     (a command that cannot be given arguments gets them on a first line; this file's last line runs it)
#
#   NODE      the name in the `### node` header (default: this host's hostname)
#   -m BYTES  keep at most BYTES of each command's output (default $NETSNAP_MAX_BYTES or 4194304);
#             a cut output's header ends in `| head -c BYTES`, so netsnap reads it as partial
#   -t SECS   stop any command still running after SECS seconds (default $NETSNAP_TIMEOUT or 10)
#   -r DIR    read the node's files below DIR (e.g. /host in a `kubectl debug node/...` pod)
#   -v VIA    how the caller reached this node, KIND:TARGET:FROM (`ssh:root@n1:laptop`,
#             `netns:flnode1:labhost`, `exec:kubectl:laptop`), recorded as
#             `### collected DATE by netsnap via KIND TARGET from FROM`
#   -w        the caller keeps stdin open while it waits: when stdin closes (the caller cancelled,
#             or its ssh connection dropped), stop every command and exit at once
#
# Each command's output follows a `### <command>` header; a command that is missing, fails or times
# out is followed by `### exit N` and its stderr as `### stderr <line>`; the others still run.
# Progress goes to stderr as `netsnap: running <command>`. Nothing else is read: no file but
# /run/flannel/subnet.env, the CNI network configs (*.conflist, *.conf, *.json) in /etc/cni/net.d,
# the names in /opt/cni/bin and /sys/class/net, /proc/modules, /proc/net/snmp and the settings that
# `sysctl` prints.
#
# The commands run side by side (each into its own file, bounded in size by `ulimit -f` and in
# time by a watchdog) and are printed in order as they finish: a handful of processes per command,
# since starting a process is the main cost on a busy node. Everything runs inside netsnap_main, so
# nothing starts before the whole script has arrived.

netsnap_main() {
  LC_ALL=C
  export LC_ALL
  # A user's PATH may lack the sbin directories where ip lives.
  if ! command -v ip >/dev/null 2>&1; then
    PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
    export PATH
  fi
  ns_max=${NETSNAP_MAX_BYTES:-4194304}
  ns_tmo=${NETSNAP_TIMEOUT:-10}
  ns_root=
  ns_via=
  ns_watch=
  ns_node=
  while [ $# -gt 0 ]; do
    case $1 in
      -m | -t | -r | -v)
        [ $# -ge 2 ] || { echo "netsnap: $1 wants a value" >&2; return 2; }
        case $1 in -m) ns_max=$2 ;; -t) ns_tmo=$2 ;; -r) ns_root=$2 ;; -v) ns_via=$2 ;; esac
        shift 2
        ;;
      -w) ns_watch=1; shift ;;
      --) shift ;;
      -*) echo "netsnap: unknown option $1" >&2; return 2 ;;
      *) ns_node=$1; shift ;;
    esac
  done
  case $ns_max in '' | *[!0-9]*) echo "netsnap: -m wants a number of bytes" >&2; return 2 ;; esac
  case $ns_tmo in '' | *[!0-9]*) echo "netsnap: -t wants a number of seconds" >&2; return 2 ;; esac
  [ "$ns_tmo" -gt 0 ] || ns_tmo=1
  [ "$ns_max" -gt 0 ] || ns_max=1
  case $ns_root in *[!A-Za-z0-9._/-]*) echo "netsnap: -r wants a plain path" >&2; return 2 ;; esac
  case $ns_node in *[!A-Za-z0-9._-]*) echo "netsnap: NODE wants letters, digits, '.', '_', '-'" >&2; return 2 ;; esac
  case $ns_via in
    '') ;;
    ssh:*:* | netns:*:* | exec:*:*)
      case $ns_via in *[!A-Za-z0-9._@:-]*) echo "netsnap: -v wants KIND:TARGET:FROM in plain characters" >&2; return 2 ;; esac
      ns_via_kind=${ns_via%%:*}
      ns_via_rest=${ns_via#*:}
      ns_via=" via $ns_via_kind ${ns_via_rest%:*} from ${ns_via_rest##*:}"
      ;;
    *) echo "netsnap: -v wants KIND:TARGET:FROM in plain characters" >&2; return 2 ;;
  esac
  ns_root=${ns_root%/}
  # ulimit -f counts 512-byte blocks (1024 in bash's own mode): either way, room for max + 1 bytes.
  ns_blocks=$((ns_max / 512 + 2))

  ns_tmp=$(mktemp -d 2>/dev/null) || ns_tmp=
  if [ -z "$ns_tmp" ]; then
    for ns_d in "${TMPDIR:-/tmp}" /dev/shm /var/tmp; do
      if mkdir -m 700 "$ns_d/netsnap.$$" 2>/dev/null; then
        ns_tmp=$ns_d/netsnap.$$
        break
      fi
    done
  fi
  if [ -z "$ns_tmp" ]; then
    echo "netsnap: no writable temporary directory" >&2
    return 3
  fi
  trap 'netsnap_cleanup' EXIT
  trap 'netsnap_cleanup; exit 129' HUP
  trap 'netsnap_cleanup; exit 130' INT
  trap 'netsnap_cleanup; exit 143' TERM
  : >"$ns_tmp/pids"

  if [ -z "$ns_node" ]; then
    { read -r ns_node </proc/sys/kernel/hostname; } 2>/dev/null || ns_node=$(hostname 2>/dev/null || uname -n)
    ns_node=$(printf '%s' "$ns_node" | tr -c 'A-Za-z0-9._-' '_')
    [ -n "$ns_node" ] || ns_node=node
  fi
  printf '### node %s\n' "$ns_node"
  printf '### collected %s by netsnap%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$ns_via"

  ns_n=0
  netsnap_start 'hostname' hostname
  netsnap_start 'ip -d link' ip -d link
  netsnap_start 'ip addr' ip addr
  netsnap_start 'ip route' ip route
  # `ip route` lists IPv4 only: a dual-stack node's flannel-v6 routes are in the IPv6 table.
  netsnap_start 'ip -6 route' ip -6 route
  netsnap_start 'route -n' route -n
  netsnap_start 'ip neigh' ip neigh
  # -n: numeric addresses; without it arp asks DNS about every entry.
  netsnap_start 'arp -en' arp -en
  netsnap_start 'bridge fdb show' bridge fdb show
  if command -v brctl >/dev/null 2>&1; then
    netsnap_start 'brctl show' brctl show
  else
    netsnap_start 'bridge link show' bridge link show
  fi
  netsnap_start 'ip netns list' ip netns list
  netsnap_start "cat $ns_root/run/flannel/subnet.env" cat "$ns_root/run/flannel/subnet.env"
  ns_confs=0
  for ns_f in "$ns_root"/etc/cni/net.d/*.conflist "$ns_root"/etc/cni/net.d/*.conf "$ns_root"/etc/cni/net.d/*.json; do
    [ -f "$ns_f" ] || continue
    case $ns_f in *[!A-Za-z0-9._/-]*) continue ;; esac
    ns_confs=$((ns_confs + 1))
    netsnap_start "cat $ns_f" cat "$ns_f"
  done
  if [ "$ns_confs" -eq 0 ]; then
    # The absence, as a shell shows it: the pattern matches nothing, so cat gets it as it is.
    netsnap_start "cat $ns_root/etc/cni/net.d/*.conflist" cat "$ns_root/etc/cni/net.d/*.conflist"
  fi
  netsnap_start "ls $ns_root/opt/cni/bin" ls "$ns_root/opt/cni/bin"
  netsnap_start 'ip -j -d link' ip -j -d link
  netsnap_start 'ip -j addr' ip -j addr
  netsnap_start 'ip -j route' ip -j route
  netsnap_start 'ip -j -6 route' ip -j -6 route
  netsnap_start 'ip -j neigh' ip -j neigh
  netsnap_start 'bridge -j fdb show' bridge -j fdb show
  netsnap_forwarding_path


  # The watchdog: whatever still runs after the timeout is stopped (TERM, then KILL).
  (
    sleep "$ns_tmo" &
    echo $! >"$ns_tmp/dogsleep"
    wait $!
    [ -f "$ns_tmp/done" ] && exit 0
    : >"$ns_tmp/dog"
    # shellcheck disable=SC2046 # one pid a word
    kill -TERM $(cat "$ns_tmp/pids") 2>/dev/null
    sleep 2 &
    echo $! >"$ns_tmp/dogsleep"
    wait $!
    [ -f "$ns_tmp/done" ] && exit 0
    # shellcheck disable=SC2046
    kill -KILL $(cat "$ns_tmp/pids") 2>/dev/null
  ) </dev/null >/dev/null 2>&1 &
  ns_dog=$!
  if [ -n "$ns_watch" ]; then
    # Stdin is the caller's pipe (the script itself was read before netsnap_main ran): its end means
    # the caller is gone. Stop every command, the printer and this shell. (An asynchronous list gets
    # /dev/null as stdin, hence the copy on fd 4.)
    exec 4<&0
    (
      while read -r _ <&4; do :; done
      : >"$ns_tmp/cancelled"
      # shellcheck disable=SC2046
      kill -TERM $(cat "$ns_tmp/pids") 2>/dev/null
      kill -TERM $$ 2>/dev/null
    ) >/dev/null 2>&1 &
    ns_watcher=$!
  fi

  # This shell waits for the commands (they are its children) and tells the printer, through a FIFO,
  # as each finishes; the printer streams the transcript out.
  if mkfifo "$ns_tmp/fifo" 2>/dev/null; then
    # Opened read-write first, which never blocks: the printer's open then returns at once, so no
    # moment exists where a stop (the trap) could leave either side waiting for the other to open.
    # The printer closes its copy with exec (a redirection on the call would keep one saved aside).
    exec 3<>"$ns_tmp/fifo"
    (
      exec 3>&-
      netsnap_printer
    ) <"$ns_tmp/fifo" &
    ns_printer=$!
    netsnap_results >&3
    exec 3>&-
    wait "$ns_printer"
    ns_printer=
  else
    netsnap_results >"$ns_tmp/results"
    (netsnap_printer) <"$ns_tmp/results"
  fi
  # Stopped by the caller, even when the results ended before the watcher's TERM: not a success.
  [ -f "$ns_tmp/cancelled" ] && return 143
  return 0
}

# The firewall and the kernel settings on the packet's path. Device names come from this node's own
# /sys/class/net and are used only when plain (a name with other characters is left out).
netsnap_forwarding_path() {
  ns_vteps=
  # flannel.VNI for IPv4, flannel-v6.VNI for IPv6 (dual-stack and IPv6-only clusters).
  for ns_d in "$ns_root"/sys/class/net/flannel.* /sys/class/net/flannel.* \
    "$ns_root"/sys/class/net/flannel-v6.* /sys/class/net/flannel-v6.*; do
    ns_d=${ns_d##*/}
    case $ns_d in 'flannel.*' | 'flannel-v6.*' | *[!A-Za-z0-9._-]*) continue ;; esac
    case " $ns_vteps " in *" $ns_d "*) ;; *) ns_vteps="$ns_vteps $ns_d" ;; esac
  done
  ns_underlays=
  for ns_d in $ns_vteps; do
    ns_u=$(ip -d link show dev "$ns_d" 2>/dev/null | awk '/vxlan id/ { for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
    case $ns_u in '' | *[!A-Za-z0-9._-]*) continue ;; esac
    case " $ns_underlays " in *" $ns_u "*) ;; *) ns_underlays="$ns_underlays $ns_u" ;; esac
  done

  netsnap_start 'iptables -V' iptables -V
  netsnap_start 'iptables-save -c' iptables-save -c
  netsnap_start 'ip6tables-save -c' ip6tables-save -c
  # Both backends apply at once; each iptables shows only its own rules.
  for ns_c in iptables-legacy-save iptables-nft-save; do
    command -v "$ns_c" >/dev/null 2>&1 && netsnap_start "$ns_c -c" "$ns_c" -c
  done
  netsnap_start 'nft list ruleset' nft list ruleset

  ns_keys='net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding'
  for ns_d in $ns_vteps cni0; do
    ns_keys="$ns_keys net.ipv4.conf.$(printf '%s' "$ns_d" | tr . /).forwarding"
  done
  ns_keys="$ns_keys net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter"
  for ns_d in $ns_vteps $ns_underlays; do
    ns_keys="$ns_keys net.ipv4.conf.$(printf '%s' "$ns_d" | tr . /).rp_filter"
  done
  ns_keys="$ns_keys net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables"
  ns_keys="$ns_keys net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max"
  ns_keys="$ns_keys net.ipv4.neigh.default.gc_thresh1 net.ipv4.neigh.default.gc_thresh2 net.ipv4.neigh.default.gc_thresh3"
  ns_keys="$ns_keys net.ipv6.conf.all.forwarding"
  # shellcheck disable=SC2086 # one key a word
  netsnap_start "sysctl $ns_keys" sysctl $ns_keys

  for ns_d in $ns_vteps $ns_underlays; do
    netsnap_start "ethtool -k $ns_d" ethtool -k "$ns_d"
  done
  for ns_d in $ns_underlays; do
    netsnap_start "ethtool -i $ns_d" ethtool -i "$ns_d"
  done
  if command -v lsmod >/dev/null 2>&1; then
    netsnap_start 'lsmod' lsmod
  else
    netsnap_start 'cat /proc/modules' cat /proc/modules
  fi
  netsnap_start 'cat /proc/net/snmp' cat /proc/net/snmp
  # The kernel's lines that matter on the path, the latest 200: bad UDP checksums, conntrack and
  # neighbour tables, netfilter LOG lines, the vxlan and br_netfilter modules.
  netsnap_start "$NETSNAP_DMESG" sh -c "$NETSNAP_DMESG"
  netsnap_start 'uname -r' uname -r
  command -v conntrack >/dev/null 2>&1 && netsnap_start 'conntrack -S' conntrack -S
  return 0
}

NETSNAP_DMESG="dmesg | grep -E 'bad checksum|nf_conntrack|table overflow|IN=.* OUT=|vxlan|br_netfilter' | tail -n 200"

netsnap_printer() {
  if command -v awk >/dev/null 2>&1; then
    # mawk waits for a full buffer before it reads a line from a pipe, unless told otherwise.
    case $(awk -W version 2>&1 </dev/null) in
      *mawk*) exec awk -W interactive -v max="$ns_max" -v tmo="$ns_tmo" -v dir="$ns_tmp" "$NETSNAP_AWK" ;;
    esac
    exec awk -v max="$ns_max" -v tmo="$ns_tmo" -v dir="$ns_tmp" "$NETSNAP_AWK"
  fi
  netsnap_print_sh
}

# netsnap_start LABEL ARGV... — starts ARGV in the background: stdin /dev/null, output and stderr
# to files, the output file bounded by ulimit -f (SIGXFSZ ignored: writes past it just fail).
netsnap_start() {
  ns_n=$((ns_n + 1))
  eval "ns_label_$ns_n=\$1"
  shift
  if command -v "$1" >/dev/null 2>&1; then
    (
      trap '' XFSZ
      ulimit -f "$ns_blocks" 2>/dev/null
      exec "$@" </dev/null >"$ns_tmp/$ns_n.out" 2>"$ns_tmp/$ns_n.err" 4<&-
    ) &
    eval "ns_pid_$ns_n=\$!"
    echo $! >>"$ns_tmp/pids"
  else
    : >"$ns_tmp/$ns_n.out"
    echo "netsnap: $1: command not found" >"$ns_tmp/$ns_n.err"
    eval "ns_pid_$ns_n=missing"
  fi
}

# One line per command, in order, as each finishes: J <TAB> label <TAB> status <TAB> index <TAB> timed out
netsnap_results() {
  ns_i=1
  ns_failed=0
  while [ "$ns_i" -le "$ns_n" ]; do
    ns_p=
    eval "ns_l=\$ns_label_$ns_i; ns_p=\$ns_pid_$ns_i"
    echo "netsnap: running $ns_l" >&2
    if [ "$ns_p" = missing ]; then
      ns_st=127
    else
      wait "$ns_p"
      ns_st=$?
    fi
    # Cancelled (the watcher marks it before it stops the commands): what the stop cut short is no
    # result, and nothing after it is printed.
    [ -f "$ns_tmp/cancelled" ] && break
    ns_to=0
    [ "$ns_st" -gt 128 ] && [ -f "$ns_tmp/dog" ] && ns_to=1
    [ "$ns_st" -ne 0 ] && ns_failed=$((ns_failed + 1))
    printf 'J\t%s\t%s\t%s\t%s\n' "$ns_l" "$ns_st" "$ns_i" "$ns_to"
    ns_i=$((ns_i + 1))
  done
  : >"$ns_tmp/done"
  if [ -f "$ns_tmp/cancelled" ]; then
    printf 'X\tcancelled: the caller closed the connection\n'
    : >"$ns_tmp/told"
  else
    printf 'E\t%s commands, %s failed\n' "$ns_n" "$ns_failed"
  fi
}

# The printer: each command's header, its output (complete lines, at most max bytes; a cut output's
# header says `| head -c max`), then `### exit N` and `### stderr` lines when something went wrong.
NETSNAP_AWK='
BEGIN { FS = "\t"; cut_count = 0 }
$1 == "J" {
  out = dir "/" $4 ".out"; err = dir "/" $4 ".err"
  n = 0; bytes = 0; cut = 0
  while ((r = (getline line < out)) > 0) {
    if (bytes + length(line) + 1 > max) { cut = 1; break }
    buf[++n] = line; bytes += length(line) + 1
  }
  close(out)
  if (cut) { cut_count++; print "### " $2 " | head -c " max } else print "### " $2
  for (i = 1; i <= n; i++) print buf[i]
  split("", buf)
  if (cut) print "### note output cut at " max " bytes (the per-command limit): the rest was not collected"
  if ($3 != 0) print "### exit " $3
  e = 0
  while (e < 20 && (getline line < err) > 0) { print "### stderr " substr(line, 1, 300); e++ }
  close(err)
  if ($5 == 1) print "### stderr netsnap: timed out after " tmo " s"
  fflush()
  next
}
$1 == "E" { print "### end of netsnap collection: " $2 ", " cut_count " cut"; fflush(); next }
$1 == "X" { print "### netsnap: incomplete (" $2 ")"; fflush(); next }
'

# The same without awk (slower: a few more processes per command).
netsnap_print_sh() {
  ns_cuts=0
  while IFS='	' read -r ns_k ns_l ns_st ns_i ns_to; do
    case $ns_k in
      E) printf '### end of netsnap collection: %s, %s cut\n' "$ns_l" "$ns_cuts"; continue ;;
      X) printf '### netsnap: incomplete (%s)\n' "$ns_l"; continue ;;
    esac
    ns_size=$(wc -c <"$ns_tmp/$ns_i.out")
    if [ "$ns_size" -gt "$ns_max" ]; then
      ns_cuts=$((ns_cuts + 1))
      printf '### %s | head -c %s\n' "$ns_l" "$ns_max"
      head -c "$ns_max" "$ns_tmp/$ns_i.out" | sed '$d'
      printf '### note output cut at %s bytes (the per-command limit): the rest was not collected\n' "$ns_max"
    else
      printf '### %s\n' "$ns_l"
      cat "$ns_tmp/$ns_i.out"
      [ -n "$(tail -c 1 "$ns_tmp/$ns_i.out")" ] && echo
    fi
    [ "$ns_st" -ne 0 ] && printf '### exit %s\n' "$ns_st"
    head -n 20 "$ns_tmp/$ns_i.err" | cut -c 1-300 | sed 's/^/### stderr /'
    [ "$ns_to" -eq 1 ] && printf '### stderr netsnap: timed out after %s s\n' "$ns_tmo"
  done
}

netsnap_cleanup() {
  trap '' PIPE
  if [ -n "${ns_tmp:-}" ]; then
    : >"$ns_tmp/done" 2>/dev/null
    # The watchdog sees `done` once its sleep ends, and exits.
    if [ -n "${ns_dog:-}" ]; then
      if { read -r ns_ds <"$ns_tmp/dogsleep"; } 2>/dev/null && kill "$ns_ds" 2>/dev/null; then
        wait "$ns_dog"
      else
        kill "$ns_dog" 2>/dev/null
      fi
    fi
    [ -n "${ns_watcher:-}" ] && kill "$ns_watcher" 2>/dev/null
    if [ -n "${ns_printer:-}" ]; then
      # Interrupted: let the printer finish what it was told (it reads the files removed below). This
      # shell may be inside `netsnap_results >&3`, its stdout the FIFO too: close both, or the printer
      # never sees the end and both wait for ever (on a node a caller cannot kill).
      [ -f "$ns_tmp/cancelled" ] && [ ! -f "$ns_tmp/told" ] && printf 'X\tcancelled: the caller closed the connection\n' >&3
      exec 3>&- >/dev/null
      wait "$ns_printer"
    fi
    rm -rf "$ns_tmp"
  fi
  ns_tmp=
}

netsnap_main "$@"; exit $?
