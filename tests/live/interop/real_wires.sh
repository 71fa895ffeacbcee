#!/usr/bin/env bash
# Real-wire interop: netstep against the Linux kernel, inside network
# namespaces made for the test (names nsl-*) and removed on exit.
#
#   real_wires.sh CASE NETSTEP KERNEL_PEER
#
# CASE: tap-echo | tap-echo-10mb | tap-refused | tap-listen | tap-listen-10mb |
#       tap-nft-drop | tap-arp-failure | tap-icmp-unreachable | pcap-veth | pcap-refused |
#       pcap-listen | tap-ping |
#       tap-interrupt | pcap-down | no-privilege
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
  tap-arp-failure)
    # Nobody has 10.99.0.77: three ARP requests 1 s apart, then "host unreachable" (connect-matrix.md T08).
    in_ns "$netstep" connect 10.99.0.77:80 --via "tap:$tap" --ip 10.99.0.2/24 --timeout 20 >"$work/out" 2>&1
    code=$?
    cat "$work/out"
    [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
    [[ $(grep -c "sent  ARP who-has 10.99.0.77" "$work/out") -eq 3 ]] || fail "expected 3 ARP requests"
    grep -q "linux .*-1, errno EHOSTUNREACH (113)" "$work/out" || fail "expected EHOSTUNREACH (113) for Linux"
    echo "PASS: ARP failed on the link: EHOSTUNREACH"
    ;;
  tap-icmp-unreachable)
    # The kernel as the router: no route to 10.96.0.0/24 (ICMP net
    # unreachable), an unreachable route to 10.96.1.0/24 (host unreachable).
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 || fail "cannot turn forwarding on"
    ip -n "$ns" route add unreachable 10.96.1.0/24 || fail "cannot add the unreachable route"
    in_ns "$netstep" connect 10.96.0.5:80 --via "tap:$tap" --ip 10.99.0.2/24 --gw 10.99.0.1 --timeout 20 \
      >"$work/out" 2>&1
    code=$?
    cat "$work/out"
    [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
    grep -q "recv .*ICMP .*unreachable" "$work/out" || fail "expected the kernel's ICMP error in the story"
    grep -q "linux .*-1, errno ENETUNREACH (101)" "$work/out" || fail "expected ENETUNREACH (101) for Linux"
    in_ns "$netstep" connect 10.96.1.5:80 --via "tap:$tap" --ip 10.99.0.2/24 --gw 10.99.0.1 --timeout 20 \
      >"$work/out2" 2>&1
    code=$?
    cat "$work/out2"
    [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
    grep -q "linux .*-1, errno EHOSTUNREACH (113)" "$work/out2" || fail "expected EHOSTUNREACH (113) for Linux"
    echo "PASS: the kernel as router: net unreachable -> ENETUNREACH, host unreachable -> EHOSTUNREACH"
    ;;
  tap-nft-drop)
    # nftables in the kernel's namespace drops our SYNs: Linux's schedule
    # with tcp_syn_retries 1 gives up after 3 s and 3 SYNs (linux-syn-timings.md).
    command -v nft >/dev/null || skip "needs nftables' nft"
    ip netns exec "$ns" nft -f - <<'NFT' || fail "cannot load the nftables rule"
table inet nsl {
  chain input { type filter hook input priority 0; tcp dport 7013 tcp flags & (syn | ack) == syn drop; }
}
NFT
    start=$(date +%s%N)
    in_ns "$netstep" connect 10.99.0.1:7013 --via "tap:$tap" --ip 10.99.0.2/24 --syn-retries 1 --timeout 20 \
      >"$work/out" 2>&1
    code=$?; ms=$(( ($(date +%s%N) - start) / 1000000 ))
    cat "$work/out"
    [[ $code -eq 1 ]] || fail "expected exit 1 (connect failed), got $code"
    [[ $(grep -c "sent  IPv4 10.99.0.2 > 10.99.0.1: TCP [0-9]* > 7013 \[SYN\]" "$work/out") -eq 3 ]] || fail "expected 3 SYNs"
    grep -q "timed out: no answer to any SYN" "$work/out" || fail "expected a timeout"
    grep -q "linux .*-1, errno ETIMEDOUT (110)" "$work/out" || fail "expected ETIMEDOUT (110) for Linux"
    (( ms >= 2900 && ms < 6000 )) || fail "expected the give-up after about 3 s, took ${ms} ms"
    echo "PASS: SYNs dropped by nftables: ETIMEDOUT after 3 SYNs in ${ms} ms (Linux, tcp_syn_retries 1)"
    ;;
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
  tap-interrupt)
    # Nobody has 10.99.0.50: ARP goes unanswered; Ctrl-C after a second.
    # Not through in_ns: $! must be netstep itself (ip netns exec execs it),
    # not a subshell, which ignores SIGINT as a background job.
    ip netns exec "$ns" "$netstep" connect 10.99.0.50:80 --via "tap:$tap" --ip 10.99.0.2/24 \
      --pcap "$work/int.pcapng" >"$work/out" 2>&1 &
    bg=$!
    sleep 1
    kill -INT "$bg"; wait "$bg"; code=$?; bg=
    cat "$work/out"
    [[ $code -eq 1 ]] || fail "expected exit 1 after Ctrl-C, got $code"
    grep -q "interrupted (signal 2)" "$work/out" || fail "no 'interrupted' line"
    [[ -s $work/int.pcapng ]] || fail "Ctrl-C lost the capture"
    if command -v tshark >/dev/null; then
      tshark -r "$work/int.pcapng" 2>&1 | grep -q "Who has 10.99.0.50" || fail "the capture lacks the ARP request"
    fi
    echo "PASS: Ctrl-C ended the run cleanly and the capture was written"
    ;;
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
