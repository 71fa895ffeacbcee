#!/usr/bin/env bash
# make-golden.sh: regenerate the golden captures under tests/golden/.
#
# What it does, as root, on Linux:
#   1. creates two network namespaces, nsg-a (10.0.0.1, 02:00:00:00:00:01) and
#      nsg-b (10.0.0.2, 02:00:00:00:00:02), joined by one veth pair, plus a
#      VLAN 10 sub-interface on each end (192.0.2.1 / 192.0.2.2, TEST-NET-1)
#      where the kernel supports 802.1Q.
#      IPv6 is off and checksum/segmentation offloads are off so every captured
#      checksum is the one on the wire. No traffic leaves the namespaces.
#   2. runs tcpdump -w inside nsg-a for each scenario below and writes one small
#      pcap per scenario, plus tcpdump's own -nnvve reading of it (<name>.txt),
#      which the unit tests' expected values were taken from:
#        arp.pcap          ARP request and reply (neighbour cache flushed, one ping)
#        ping.pcap         ICMP echo request and reply (ping -c1 -s 56)
#        frag.pcap         ping -s 3000: request and reply, 3 IPv4 fragments each
#        udp.pcap          one UDP datagram 10.0.0.1:5000 -> 10.0.0.2:7 (a listener exists)
#        unreach.pcap      UDP to closed port 9 and the ICMP port unreachable it earns
#        tcp.pcap          TCP handshake with options, data, and close (port 80, client port 49152)
#        rst.pcap          SYN to closed port 81 and the RST,ACK it earns
#        vlan.pcap         ping over VLAN 10 (802.1Q-tagged frames on the parent link); on a
#                          kernel without 802.1Q, ping.pcap's request re-sent with a tag
#        rr.pcap           ping -R: IPv4 record-route option in request and reply
#   3. converts them to tests/unit/wire/golden_frames.hpp with pcap_to_cpp.py.
#
# The namespaces are removed on exit, even on failure. Needs: iproute2, ethtool,
# tcpdump, iputils-ping, python3. Timestamps and TCP ISNs/timestamps differ on
# each run, so after regenerating, update the expected values in the tests from
# the new .txt files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
A=nsg-a
B=nsg-b
client=""

cleanup() {
  ip netns del "$A" 2>/dev/null || true
  ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
cleanup

ip netns add "$A"
ip netns add "$B"
for ns in "$A" "$B"; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$ns" link set lo up
done
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" link set va address 02:00:00:00:00:01
ip -n "$B" link set vb address 02:00:00:00:00:02
for pair in "$A va 10.0.0.1 192.0.2.1" "$B vb 10.0.0.2 192.0.2.2"; do
  set -- $pair
  ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off txvlan off rxvlan off >/dev/null 2>&1 || true
  ip -n "$1" addr add "$3/24" dev "$2"
  ip -n "$1" link set "$2" up
  if ip -n "$1" link add link "$2" name "$2.10" type vlan id 10 2>/dev/null; then
    ip netns exec "$1" ethtool -K "$2.10" tx off tso off gso off >/dev/null 2>&1 || true
    ip -n "$1" addr add "$4/24" dev "$2.10"
    ip -n "$1" link set "$2.10" up
    have_vlan=1
  else
    have_vlan=0
  fi
done

# capture NAME COUNT FILTER -- COMMAND...: capture COUNT frames matching FILTER
# on va while COMMAND runs in nsg-a, then write NAME.pcap and NAME.txt. A busy
# machine sometimes loses the race with tcpdump's start: try up to 3 times.
capture() {
  local name=$1 count=$2 filter=$3 attempt got
  shift 4
  for attempt in 1 2 3; do
    ip -n "$A" neigh flush dev va
    ip -n "$B" neigh flush dev vb
    rm -f "$out/.tcpdump.log"
    ip netns exec "$A" timeout -s INT 5 tcpdump -Z root -U -s 65535 -i va -c "$count" \
      -w "$out/$name.pcap" "$filter" 2>"$out/.tcpdump.log" &
    local tcpdump_pid=$! tries=0
    until grep -q "listening on" "$out/.tcpdump.log" 2>/dev/null; do
      tries=$((tries + 1))
      [ "$tries" -lt 100 ] || { echo "make-golden: tcpdump did not start" >&2; exit 1; }
      sleep 0.1
    done
    sleep 0.5
    ip netns exec "$A" "$@" >/dev/null || true
    wait "$tcpdump_pid" || true  # tcpdump stops after COUNT frames, or timeout stops it
    got=$(tcpdump -nn -r "$out/$name.pcap" 2>/dev/null | wc -l)
    [ "$got" -ne "$count" ] || break
    echo "make-golden: $name: got $got of $count frames (attempt $attempt)" >&2
  done
  rm -f "$out/.tcpdump.log"
  [ "$got" -eq "$count" ] || { echo "make-golden: capture $name failed" >&2; exit 1; }
  tcpdump -nnvve -r "$out/$name.pcap" >"$out/$name.txt" 2>/dev/null
  echo "make-golden: $name: $count frames"
}

# A link just set up drops packets until the kernel activates its queue.
for try in $(seq 50); do
  ip -n "$A" link show va | grep -q "state UP" && ip -n "$B" link show vb | grep -q "state UP" && break
  sleep 0.1
done
sleep 1

# Small servers in nsg-b: a UDP sink on port 7 and a TCP server on port 80
# that reads a request and answers before closing.
ip netns exec "$B" python3 -c '
import socket, threading
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.0.0.2", 7))
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.0.0.2", 80)); t.listen(1)
threading.Thread(target=lambda: [u.recvfrom(2048) for _ in iter(int, 1)], daemon=True).start()
while True:
    c, _ = t.accept(); c.recv(1024); c.sendall(b"world\n"); c.close()
' &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; [ -z "$client" ] || rm -f "$client"; cleanup' EXIT
sleep 0.5

# The client side of the UDP and TCP scenarios: one exchange from a fixed
# source port.  client.py udp|tcp PORT
client="$(mktemp)"
cat >"$client" <<'EOF'
import socket, sys, time
kind, port = sys.argv[1], int(sys.argv[2])
if kind == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.0.0.1", 5000))
    s.sendto(b"netstep golden udp\n", ("10.0.0.2", port)); time.sleep(0.3)
else:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.0.0.1", 49152))
    try:
        s.connect(("10.0.0.2", port)); s.sendall(b"hello\n"); s.recv(64); time.sleep(0.2)
    except ConnectionRefusedError:
        pass
    s.close(); time.sleep(0.3)
EOF

capture arp 2 arp -- ping -c1 -W1 10.0.0.2
capture ping 2 icmp -- ping -c1 -W1 10.0.0.2
capture frag 6 icmp -- ping -c1 -W1 -s 3000 10.0.0.2
capture udp 1 udp -- python3 "$client" udp 7
capture unreach 2 'udp or icmp' -- python3 "$client" udp 9
capture tcp 10 'tcp port 80' -- python3 "$client" tcp 80
capture rst 2 'tcp port 81' -- python3 "$client" tcp 81
if [ "$have_vlan" = 1 ]; then
  capture vlan 2 'vlan and icmp' -- ping -c1 -W1 192.0.2.2
else
  # A kernel without 802.1Q support (some VMs): re-send the real echo request
  # of ping.pcap with a VLAN 10 tag inserted, through a packet socket on va.
  capture vlan 1 'ether[12:2] = 0x8100' -- python3 -c '
import socket, struct, sys
data = open(sys.argv[1], "rb").read()
caplen = struct.unpack("<I", data[32:36])[0]
frame = data[40:40 + caplen]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("va", 0))
s.send(frame[:12] + bytes([0x81, 0x00, 0x00, 0x0a]) + frame[12:])
' "$out/ping.pcap"
fi
capture rr 2 icmp -- ping -c1 -W1 -R 10.0.0.2

python3 "$here/pcap_to_cpp.py" "$out" "$here/../unit/wire/golden_frames.hpp"
