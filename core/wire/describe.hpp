#pragma once
// One-line, tcpdump-like summaries of whole Ethernet frames, for the
// narrative, the pcapng comments and the GUI's packet list:
//
//   ARP who-has 10.0.0.2 tell 10.0.0.1
//   IPv4 10.0.0.1 > 10.0.0.2: ICMP echo request id 1 seq 1, 64 bytes
//   IPv4 10.0.0.1 > 10.0.0.2: TCP 49152 > 80 [SYN] seq 1000 win 64240 <mss 1460,sackOK,TS val 7 ecr 0,wscale 7>
//   IPv4 10.0.0.1 > 10.0.0.2: ICMP frag id 7 offset 1480+, 1480 bytes
//   vlan 10: IPv4 ...
//   IPv4 (dropped: checksum mismatch)
//
// Any byte sequence is described, never trusted: a frame a parser refuses
// reads "(dropped: <which check failed>)" at the layer that refused it.
#include <string>

#include "base/bytes.hpp"

namespace netstep::wire {

[[nodiscard]] std::string describe_frame(Bytes ethernet_frame);
// The same for an IPv4 packet without its Ethernet header (what the IPv4,
// ICMP, TCP and ARP-queue drops carry): "IPv4 10.0.0.1 > 10.0.0.77: TCP ...".
[[nodiscard]] std::string describe_packet(Bytes ipv4_packet);

}  // namespace netstep::wire
