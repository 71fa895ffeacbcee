#!/usr/bin/env bash
# Real-wire interop: netstep against the Linux kernel, inside network
# namespaces made for the test (names nsl-*) and removed on exit.
#
#   real_wires.sh CASE NETSTEP KERNEL_PEER
#
# CASE: tap-echo | tap-echo-10mb | tap-refused | tap-listen | tap-listen-10mb |
#       tap-nft-drop | tap-arp-failure | tap-icmp-unreachable | pcap-veth | pcap-refused |
#       pcap-listen | pcap-arp-failure | pcap-icmp-unreachable | pcap-nft-drop |
#       pcap-nft-drop-freertos | pcap-interrupt | tap-ping | tap-interrupt | pcap-down |
#       no-privilege
# Needs root (or CAP_NET_ADMIN) and `ip`; otherwise it says why and exits 77
# (ctest shows SKIPPED).
set -u
case_name=${1:?case}; netstep=${2:?netstep binary}; peer=${3:?kernel-peer binary}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || skip "needs root for network namespaces (run ctest with sudo)"
command -v ip >/dev/null || skip "needs iproute2's ip"
[[ -c /dev/net/tun ]] || skip "needs /dev/net/tun"

# Names of our own per case (a TAP name has at most 15 characters).
tag=$(printf '%s' "$case_name" | cksum | cut -c1-8)
ns="nsl-$tag"; ns2="nsl-${tag}-k"
work=$(mktemp -d /tmp/nsl-XXXXXX)
cleanup() {
  [[ -n ${bg:-} ]] && kill "$bg" 2>/dev/null; wait 2>/dev/null
  ip netns del "$ns" 2>/dev/null; ip netns del "$ns2" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
# Leftovers from an interrupted earlier run.
ip netns del "$ns" 2>/dev/null; ip netns del "$ns2" 2>/dev/null
ip netns add "$ns" || skip "cannot create network namespaces here"
ip -n "$ns" link set lo up

in_ns() { ip netns exec "$ns" "$@"; }
wait_for() {  # wait_for SECONDS COMMAND...: until the command succeeds
  local until=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do (( SECONDS < until )) || return 1; sleep 0.05; done
}
# A veth pair: nsl-va in our namespace for netstep's libpcap, nsl-vb with
# 10.98.0.1/24 in a second one for the kernel.
veth_to_kernel() {
  command -v ethtool >/dev/null || skip "needs ethtool to turn off the veth's checksum offload"
  ip netns add "$ns2" || fail "cannot create $ns2"
  ip link add nsl-va netns "$ns" type veth peer name nsl-vb netns "$ns2" || fail "cannot create the veth pair"
  ip -n "$ns" link set nsl-va up
  ip -n "$ns2" addr add 10.98.0.1/24 dev nsl-vb
  ip -n "$ns2" link set nsl-vb up
  # veth hands frames over with the TCP checksum still to be filled in
  # (offload): on a wire that never happens, and netstep would rightly drop them.
  ip netns exec "$ns2" ethtool -K nsl-vb tx off >/dev/null 2>&1 || fail "ethtool -K nsl-vb tx off failed"
}
start_server() {  # start_server NAMESPACE PORT COUNT
  ip netns exec "$1" "$peer" serve "$2" "$3" "$work/ready" >"$work/server.out" 2>&1 &
  bg=$!
  wait_for 5 test -f "$work/ready" || fail "kernel echo server did not start"
}
tap=nsl-t$tag

# The cases that run on both drivers: VIA is tap:NAME or pcap:IFACE, HERE
# netstep's address/prefix, KERNEL the kernel's address, KNS its namespace.
arp_failure() {  # arp_failure VIA HERE MISSING
  # Nobody has MISSING: three ARP requests 1 s apart, then "host unreachable" (connect-matrix.md T08).
  in_ns "$netstep" connect "$3:80" --via "$1" --ip "$2" --timeout 20 >"$work/out" 2>&1
  code=$?
  cat "$work/out"
  [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
  [[ $(grep -c "sent  ARP who-has $3" "$work/out") -eq 3 ]] || fail "expected 3 ARP requests"
  grep -q "linux .*-1, errno EHOSTUNREACH (113)" "$work/out" || fail "expected EHOSTUNREACH (113) for Linux"
  echo "PASS: ARP failed on the link ($1): EHOSTUNREACH"
}
icmp_unreachable() {  # icmp_unreachable VIA HERE KERNEL KNS
  # The kernel as the router: no route to 10.96.0.0/24 (ICMP net
  # unreachable), an unreachable route to 10.96.1.0/24 (host unreachable).
  ip netns exec "$4" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 || fail "cannot turn forwarding on"
  ip -n "$4" route add unreachable 10.96.1.0/24 || fail "cannot add the unreachable route"
  in_ns "$netstep" connect 10.96.0.5:80 --via "$1" --ip "$2" --gw "$3" --timeout 20 >"$work/out" 2>&1
  code=$?
  cat "$work/out"
  [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
  grep -q "recv .*ICMP .*unreachable" "$work/out" || fail "expected the kernel's ICMP error in the story"
  grep -q "linux .*-1, errno ENETUNREACH (101)" "$work/out" || fail "expected ENETUNREACH (101) for Linux"
  in_ns "$netstep" connect 10.96.1.5:80 --via "$1" --ip "$2" --gw "$3" --timeout 20 >"$work/out2" 2>&1
  code=$?
  cat "$work/out2"
  [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
  grep -q "linux .*-1, errno EHOSTUNREACH (113)" "$work/out2" || fail "expected EHOSTUNREACH (113) for Linux"
  echo "PASS: the kernel as router ($1): net unreachable -> ENETUNREACH, host unreachable -> EHOSTUNREACH"
}
nft_drop() {  # nft_drop VIA HERE KERNEL KNS PORT PERSONALITY RETURN SYNS SECONDS [--syn-retries N]
  # nftables in the kernel's namespace drops our SYNs: the personality's
  # schedule runs out (Linux with tcp_syn_retries 1: 3 SYNs, 3 s;
  # FreeRTOS+TCP: 3 SYNs, 20 s, then -ENOTCONN; linux-syn-timings.md,
  # connect-source.md 1c). RETURN is how the personality's line spells it.
  local via=$1 here=$2 kernel=$3 kns=$4 port=$5 personality=$6 expected=$7 syns=$8 seconds=$9; shift 9
  command -v nft >/dev/null || skip "needs nftables' nft"
  ip netns exec "$kns" nft -f - <<NFT || fail "cannot load the nftables rule"
table inet nsl {
  chain input { type filter hook input priority 0; tcp dport $port tcp flags & (syn | ack) == syn drop; }
}
NFT
  start=$(date +%s%N)
  in_ns "$netstep" connect "$kernel:$port" --via "$via" --ip "$here" -p "$personality" "$@" \
    --timeout $((seconds + 10)) >"$work/out" 2>&1
  code=$?; ms=$(( ($(date +%s%N) - start) / 1000000 ))
  cat "$work/out"
  [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
  [[ $(grep -c "sent  IPv4 ${here%/*} > $kernel: TCP [0-9]* > $port \[SYN\]" "$work/out") -eq $syns ]] ||
    fail "expected $syns SYNs"
  grep -q "timed out: no answer to any SYN" "$work/out" || fail "expected a timeout"
  grep -q "^  $personality .*$expected" "$work/out" || fail "expected $expected for $personality"
  (( ms >= seconds * 1000 - 100 && ms < seconds * 1000 + 3000 )) ||
    fail "expected the give-up after about $seconds s, took ${ms} ms"
  echo "PASS: SYNs dropped by nftables ($via): $personality gave up after $syns SYNs in ${ms} ms: $expected"
}
interrupt() {  # interrupt VIA HERE MISSING
  # Nobody has MISSING: ARP goes unanswered; Ctrl-C after a second.
  # Not through in_ns: $! must be netstep itself (ip netns exec execs it),
  # not a subshell, which ignores SIGINT as a background job.
  ip netns exec "$ns" "$netstep" connect "$3:80" --via "$1" --ip "$2" --pcap "$work/int.pcapng" >"$work/out" 2>&1 &
  bg=$!
  sleep 1
  kill -INT "$bg"; wait "$bg"; code=$?; bg=
  cat "$work/out"
  [[ $code -eq 1 ]] || fail "expected exit 1 after Ctrl-C, got $code"
  grep -q "interrupted (signal 2)" "$work/out" || fail "no 'interrupted' line"
  [[ -s $work/int.pcapng ]] || fail "Ctrl-C lost the capture"
  if command -v tshark >/dev/null; then
    tshark -r "$work/int.pcapng" 2>&1 | grep -q "Who has $3" || fail "the capture lacks the ARP request"
  fi
  echo "PASS: Ctrl-C ended the run cleanly ($1) and the capture was written"
}

case $case_name in
  tap-echo)
    start_server "$ns" 7007 1
    start=$(date +%s%N)
    in_ns "$netstep" connect 10.99.0.1:7007 --via "tap:$tap" --ip 10.99.0.2/24 --bytes 5000 --timeout 20 \
      --pcap "$work/echo.pcapng" >"$work/out" 2>&1
    code=$?; ms=$(( ($(date +%s%N) - start) / 1000000 ))
    cat "$work/out"
    [[ $code -eq 0 ]] || fail "netstep connect exited $code"
    grep -q "connect(): succeeded" "$work/out" || fail "no handshake"
    grep -q "5000 came back intact" "$work/out" || fail "the echo did not come back intact"
    [[ -s $work/echo.pcapng ]] || fail "no capture written"
    if command -v tshark >/dev/null; then
      tshark -r "$work/echo.pcapng" >"$work/tshark" 2>&1 || { cat "$work/tshark"; fail "tshark could not read the capture"; }
      ! grep -qi malformed "$work/tshark" || { cat "$work/tshark"; fail "tshark: malformed frames"; }
      echo "tshark: $(wc -l <"$work/tshark") frames, none malformed"
    fi
    echo "PASS: connect + 5000-byte echo over TAP against the kernel, whole run ${ms} ms"
    ;;
  tap-echo-10mb)
    # 10 MiB each way: quiet (the story would be tens of thousands of lines).
    start_server "$ns" 7011 1
    start=$(date +%s%N)
    in_ns "$netstep" connect 10.99.0.1:7011 --via "tap:$tap" --ip 10.99.0.2/24 --bytes 10485760 --timeout 40 -q \
      >"$work/out" 2>&1
    code=$?; ms=$(( ($(date +%s%N) - start) / 1000000 ))
    cat "$work/out"
    [[ $code -eq 0 ]] || fail "netstep connect exited $code"
    grep -q "10485760 came back intact" "$work/out" || fail "the 10 MiB echo did not come back intact"
    echo "PASS: 10 MiB sent to the kernel's echo server and back intact over TAP in ${ms} ms"
    ;;
  tap-listen-10mb)
    in_ns "$netstep" listen 7012 --via "tap:$tap" --ip 10.99.0.2/24 --count 1 --timeout 40 -q >"$work/out" 2>&1 &
    bg=$!
    wait_for 5 bash -c "ip -n $ns -4 addr show $tap | grep -q 10.99.0.1" || { cat "$work/out"; fail "TAP not up"; }
    start=$(date +%s%N)
    in_ns "$peer" client 10.99.0.2 7012 10485760 >"$work/client" 2>&1
    ccode=$?; ms=$(( ($(date +%s%N) - start) / 1000000 ))
    wait "$bg"; code=$?; bg=
    cat "$work/out" "$work/client"
    [[ $ccode -eq 0 ]] || fail "kernel client: exit $ccode"
    [[ $code -eq 0 ]] || fail "netstep listen exited $code"
    grep -q "echoed 10485760 bytes" "$work/out" || fail "netstep did not echo 10 MiB"
    echo "PASS: a kernel client's 10 MiB came back intact through netstep listen in ${ms} ms"
    ;;
  tap-arp-failure) arp_failure "tap:$tap" 10.99.0.2/24 10.99.0.77 ;;
  pcap-arp-failure) veth_to_kernel; arp_failure pcap:nsl-va 10.98.0.2/24 10.98.0.77 ;;
  tap-icmp-unreachable) icmp_unreachable "tap:$tap" 10.99.0.2/24 10.99.0.1 "$ns" ;;
  pcap-icmp-unreachable) veth_to_kernel; icmp_unreachable pcap:nsl-va 10.98.0.2/24 10.98.0.1 "$ns2" ;;
  tap-nft-drop) nft_drop "tap:$tap" 10.99.0.2/24 10.99.0.1 "$ns" 7013 linux "ETIMEDOUT (110)" 3 3 \
    --syn-retries 1 ;;
  pcap-nft-drop) veth_to_kernel; nft_drop pcap:nsl-va 10.98.0.2/24 10.98.0.1 "$ns2" 7016 linux "ETIMEDOUT (110)" 3 3 \
    --syn-retries 1 ;;
  pcap-nft-drop-freertos) veth_to_kernel; nft_drop pcap:nsl-va 10.98.0.2/24 10.98.0.1 "$ns2" 7017 freertos \
    "-128 (-pdFREERTOS_ERRNO_ENOTCONN)" 3 20 ;;
  tap-refused)
    in_ns "$netstep" connect 10.99.0.1:7008 --via "tap:$tap" --ip 10.99.0.2/24 --timeout 10 >"$work/out" 2>&1
    code=$?
    cat "$work/out"
    [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
    grep -q "recv .*\[RST,ACK\]" "$work/out" || fail "expected the kernel's RST,ACK in the story"
    grep -q "SYN-SENT -> CLOSED (rcv RST,ACK: connection refused" "$work/out" || fail "expected the state change"
    grep -q "linux .*-1, errno ECONNREFUSED (111)" "$work/out" || fail "expected ECONNREFUSED (111) for Linux"
    echo "PASS: the kernel's RST,ACK refused the connect"
    ;;
  tap-listen)
    in_ns "$netstep" listen 7009 --via "tap:$tap" --ip 10.99.0.2/24 --count 1 --timeout 20 >"$work/out" 2>&1 &
    bg=$!
    wait_for 5 bash -c "ip -n $ns -4 addr show $tap | grep -q 10.99.0.1" || { cat "$work/out"; fail "TAP not up"; }
    in_ns "$peer" client 10.99.0.2 7009 3000 >"$work/client" 2>&1
    ccode=$?
    wait "$bg"; code=$?; bg=
    cat "$work/out" "$work/client"
    [[ $ccode -eq 0 ]] || fail "kernel client: exit $ccode"
    [[ $code -eq 0 ]] || fail "netstep listen exited $code"
    grep -q "echoed 3000 bytes" "$work/out" || fail "netstep did not echo 3000 bytes"
    echo "PASS: a kernel client's 3000 bytes came back intact through netstep listen"
    ;;
  pcap-veth)
    veth_to_kernel
    start_server "$ns2" 7010 1
    in_ns "$netstep" connect 10.98.0.1:7010 --via pcap:nsl-va --ip 10.98.0.2/24 --bytes 2000 --timeout 20 \
      >"$work/out" 2>&1
    code=$?
    cat "$work/out"
    [[ $code -eq 0 ]] || fail "netstep connect exited $code"
    grep -q "2000 came back intact" "$work/out" || fail "the echo did not come back intact"
    echo "PASS: handshake and echo through libpcap on a veth to a second namespace"
    ;;
  pcap-refused)
    veth_to_kernel
    in_ns "$netstep" connect 10.98.0.1:7014 --via pcap:nsl-va --ip 10.98.0.2/24 --timeout 10 >"$work/out" 2>&1
    code=$?
    cat "$work/out"
    [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
    grep -q "recv .*\[RST,ACK\]" "$work/out" || fail "expected the kernel's RST,ACK in the story"
    grep -q "linux .*-1, errno ECONNREFUSED (111)" "$work/out" || fail "expected ECONNREFUSED (111) for Linux"
    echo "PASS: through libpcap, the kernel's RST,ACK refused the connect"
    ;;
  pcap-listen)
    veth_to_kernel
    in_ns "$netstep" listen 7015 --via pcap:nsl-va --ip 10.98.0.2/24 --count 1 --timeout 20 -q >"$work/out" 2>&1 &
    bg=$!
    # The kernel client's SYN is answered once netstep has the interface open.
    wait_for 5 grep -q "echoing" "$work/out" || { cat "$work/out"; fail "netstep listen did not start"; }
    ip netns exec "$ns2" "$peer" client 10.98.0.2 7015 100000 >"$work/client" 2>&1
    ccode=$?
    wait "$bg"; code=$?; bg=
    cat "$work/out" "$work/client"
    [[ $ccode -eq 0 ]] || fail "kernel client: exit $ccode"
    [[ $code -eq 0 ]] || fail "netstep listen exited $code"
    grep -q "echoed 100000 bytes" "$work/out" || fail "netstep did not echo 100000 bytes"
    echo "PASS: through libpcap, a kernel client's 100000 bytes came back intact through netstep listen"
    ;;
  tap-ping)
    in_ns "$netstep" ping 10.99.0.1 --via "tap:$tap" --ip 10.99.0.2/24 -c 3 -i 0.2 --timeout 10 >"$work/out" 2>&1
    code=$?
    cat "$work/out"
    [[ $code -eq 0 ]] || fail "netstep ping exited $code"
    grep -q "3 packets transmitted, 3 received" "$work/out" || fail "not every echo request was answered"
    echo "PASS: the kernel answered 3 of 3 pings over TAP"
    ;;
  tap-interrupt) interrupt "tap:$tap" 10.99.0.2/24 10.99.0.50 ;;
  pcap-interrupt) veth_to_kernel; interrupt pcap:nsl-va 10.98.0.2/24 10.98.0.50 ;;
  pcap-down)
    ip link add nsl-da netns "$ns" type veth peer name nsl-db netns "$ns" || fail "cannot create the veth pair"
    ip -n "$ns" link set nsl-da up; ip -n "$ns" link set nsl-db up
    in_ns "$netstep" connect 10.97.0.1:80 --via pcap:nsl-da --ip 10.97.0.2/24 --timeout 20 >"$work/out" 2>&1 &
    bg=$!
    sleep 1
    start=$SECONDS
    ip -n "$ns" link del nsl-da
    wait "$bg"; code=$?; bg=
    cat "$work/out"
    (( SECONDS - start < 5 )) || fail "netstep did not notice the interface going away"
    [[ $code -eq 2 ]] || fail "expected exit 2 (environment), got $code"
    grep -q "stopped:" "$work/out" || fail "no 'stopped:' line saying why"
    echo "PASS: the interface went away mid-run; netstep said so and stopped"
    ;;
  no-privilege)
    command -v setpriv >/dev/null || skip "needs setpriv (util-linux) to drop root"
    for via in "tap:$tap" pcap:lo; do
      in_ns setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
        "$netstep" connect 10.99.0.1:80 --via "$via" --ip 10.99.0.2/24 >"$work/out" 2>&1
      code=$?
      cat "$work/out"
      [[ $code -eq 2 ]] || fail "--via $via without privilege: expected exit 2, got $code"
      [[ $(wc -l <"$work/out") -eq 1 ]] || fail "--via $via without privilege: expected one line"
      grep -q "sudo setcap cap_net_raw,cap_net_admin+ep" "$work/out" || fail "--via $via: the message lacks the fix"
    done
    echo "PASS: without privilege, one line with the fix and exit 2"
    ;;
  *) echo "unknown case $case_name"; exit 2 ;;
esac
exit 0
