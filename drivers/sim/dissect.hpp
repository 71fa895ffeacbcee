#pragma once
// How far a frame parses, for rules and rejects: Ethernet, then IPv4, then
// the first bytes of the transport header. Each step is a checked view; a
// step that fails leaves the later fields empty.
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"
#include "base/port.hpp"
#include "wire/ethernet.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"

namespace netstep::sim {

struct DissectedFrame {
  wire::EthernetView ethernet;
  std::optional<wire::Ipv4View> ip;  // set when the EtherType is IPv4 and the header checks
  Bytes transport;                   // the IP payload of a first (or only) fragment, else empty
};

[[nodiscard]] std::optional<DissectedFrame> dissect(Bytes frame);

// The ports of a TCP or UDP header that passes its view's check.
struct TransportPorts {
  Port source;
  Port destination;
};
[[nodiscard]] std::optional<TransportPorts> transport_ports(std::uint8_t protocol, Bytes transport);

// The TCP segment of an IPv4 frame, when it is one and its header checks.
[[nodiscard]] std::optional<wire::TcpView> tcp_segment(const DissectedFrame& frame);

}  // namespace netstep::sim
