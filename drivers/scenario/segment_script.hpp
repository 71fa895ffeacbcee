#pragma once
// What a scripted peer's steps say about one TCP segment (the packetdrill
// idea, on virtual time): a pattern a segment from the stack must match
// (expect_segment), or a segment to send to it (inject). Sequence numbers
// here are relative: the stack's to the stack's ISN, the script's to the
// script's ISN, as Wireshark and packetdrill show them. Plain values; the
// peer (scripted_peer.hpp) turns them into wire segments and back.
#include <cstdint>
#include <optional>
#include <string>

#include "base/ipv4_address.hpp"
#include "base/port.hpp"
#include "base/time.hpp"

namespace netstep::scenario {

// A segment the peer received, as the script sees it.
struct SeenSegment {
  Endpoint from;  // the stack's end
  Endpoint to;    // the peer's end
  std::uint8_t flags = 0;
  std::uint32_t seq = 0;  // relative to the stack's ISN
  std::uint32_t ack = 0;  // relative to the script's ISN (meaningful with ACK)
  std::size_t length = 0;
  std::uint16_t window = 0;
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> wscale;
  bool sack_permitted = false;
  bool timestamps = false;
  Instant arrived{};
  // "SYN seq=0 win=64240 mss=1460 sackOK wscale=7"
  [[nodiscard]] std::string describe() const;
};

// expect_segment: every field left out is not checked; flags always are.
struct SegmentPattern {
  std::uint8_t flags = 0;  // the exact set
  std::optional<std::uint32_t> seq;
  std::optional<std::uint32_t> ack;
  std::optional<std::size_t> length;
  std::optional<std::uint16_t> window;
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> wscale;
  std::optional<bool> sack_permitted;
  Duration within = std::chrono::seconds{10};  // how long the step waits for it
  // "SYN,ACK seq=0 ack=1"
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] bool matches(const SeenSegment& s) const;
};

// inject: one segment from the script. Options go out only when written.
struct SegmentToInject {
  std::uint8_t flags = 0;
  std::optional<std::uint32_t> seq;  // relative to the script's ISN; default: the script's next
  std::optional<std::uint32_t> ack;  // relative to the stack's ISN; default: all the stack sent
  std::uint16_t window = 65535;
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> wscale;
  bool sack_permitted = false;
  std::optional<std::uint32_t> ts_value;  // timestamps: {val, ecr}
  std::uint32_t ts_echo = 0;
  std::size_t data = 0;                  // payload bytes
  std::optional<Endpoint> to;            // default: whoever sent the last segment received
  std::optional<Port> from_port;         // default: the port that segment went to
  std::optional<std::uint32_t> isn;      // the script's ISN from here on (absolute)
  // "SYN,ACK seq=0 ack=1 win=8192 mss=1460" as written
  [[nodiscard]] std::string describe() const;
};

}  // namespace netstep::scenario
