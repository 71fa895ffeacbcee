#pragma once
// The answers a reject rule sends back towards a frame's sender: an ICMP
// error quoting the datagram, or a TCP RST. Both are complete Ethernet
// frames (addresses swapped, checksums right), ready to go on the wire.
#include <cstddef>

#include "base/bytes.hpp"
#include "sim/frame_rule.hpp"

namespace netstep::sim {

// Large enough for any reply: a tagged Ethernet header plus the 576-byte
// ICMP error datagram RFC 1812 section 4.3.2.3 allows.
inline constexpr std::size_t max_reply_length = 18 + 576;

// Writes the ICMP error answering `frame` into `out` and returns its length,
// or 0 when none may be sent: the frame is not IPv4, or it is one RFC 1812
// section 4.3.2.7 forbids answering (an ICMP error, a non-first fragment, a
// broadcast or multicast destination, a source that is not a unicast host).
std::size_t build_icmp_reject(Bytes frame, const RejectWithIcmp& reject, MutableBytes out);

// Writes the RST the destination of a TCP segment sends when no connection
// exists (RFC 9293 section 3.10.7.1) and returns its length, or 0 when the
// frame is not a whole TCP segment or is itself a RST (never answered).
std::size_t build_tcp_reset(Bytes frame, MutableBytes out);

// The reply a rule's action calls for (none for Drop): dispatches to the two above.
std::size_t build_reply(const RuleAction& action, Bytes frame, MutableBytes out);

}  // namespace netstep::sim
