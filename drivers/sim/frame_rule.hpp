#pragma once
// Targeted rules: "drop the first 2 SYNs to 10.0.0.2:80", "answer pings to
// 10.0.0.9 with ICMP host unreachable from 10.0.0.254". A rule sits on one
// link direction or one switch port and looks at every frame that passes.
//
// Matching is defensive: a frame that does not parse as far as a criterion
// needs simply does not match. No byte sequence can make it misbehave.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/port.hpp"
#include "wire/tcp.hpp"

namespace netstep::sim {

// TCP control bits (RFC 9293 section 3.1), for FrameMatch::tcp_flags_*;
// short names for wire::TcpFlags' constants.
namespace tcp_flag {
inline constexpr std::uint8_t fin = wire::TcpFlags::fin;
inline constexpr std::uint8_t syn = wire::TcpFlags::syn;
inline constexpr std::uint8_t rst = wire::TcpFlags::rst;
inline constexpr std::uint8_t psh = wire::TcpFlags::psh;
inline constexpr std::uint8_t ack = wire::TcpFlags::ack;
inline constexpr std::uint8_t urg = wire::TcpFlags::urg;
inline constexpr std::uint8_t ece = wire::TcpFlags::ece;
inline constexpr std::uint8_t cwr = wire::TcpFlags::cwr;
}  // namespace tcp_flag

// Every field is optional; a frame matches when it satisfies all that are set.
// Any IP field implies an IPv4 frame; ports imply TCP or UDP; TCP flags imply
// TCP; icmp_type implies ICMP. Non-first fragments carry no transport header,
// so they never match a port, flag or ICMP criterion.
struct FrameMatch {
  // (Every member has an initializer, so designated initializers may skip any.)
  std::optional<std::uint16_t> ethertype = std::nullopt;    // after any VLAN tag
  std::optional<Ipv4Cidr> ip_source = std::nullopt;         // an address is a /32: FrameMatch::host(a)
  std::optional<Ipv4Cidr> ip_destination = std::nullopt;
  std::optional<std::uint8_t> ip_protocol = std::nullopt;
  std::optional<Port> source_port = std::nullopt;           // TCP or UDP
  std::optional<Port> destination_port = std::nullopt;
  std::uint8_t tcp_flags_set = 0;            // these bits must be 1 ...
  std::uint8_t tcp_flags_clear = 0;          // ... and these 0 (SYN set, ACK clear: "the SYNs")
  std::optional<std::uint8_t> icmp_type = std::nullopt;

  static constexpr Ipv4Cidr host(Ipv4Address a) { return Ipv4Cidr{a, 32}; }
  [[nodiscard]] bool matches(Bytes frame) const;
};

// Swallow the frame.
struct Drop {};

// Swallow the frame and answer its sender with an ICMP error that appears to
// come from `from` (a router on the path, or the destination itself).
struct RejectWithIcmp {
  std::uint8_t type = 3;  // destination unreachable
  std::uint8_t code = 1;  // host unreachable
  Ipv4Address from{};
};

// Swallow a TCP segment and answer it with the RST the destination would send
// if no connection existed (RFC 9293 section 3.10.7.1).
struct RejectWithTcpReset {};

using RuleAction = std::variant<Drop, RejectWithIcmp, RejectWithTcpReset>;

struct FrameRule {
  FrameMatch match{};
  RuleAction action = Drop{};
  std::optional<int> count = std::nullopt;  // apply to the first N matching frames, then let them pass; nullopt: all
};

// "drop", "reject with ICMP destination host unreachable", "reject with TCP RST".
[[nodiscard]] std::string describe(const RuleAction& action);

}  // namespace netstep::sim
