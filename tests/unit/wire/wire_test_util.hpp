#pragma once
// Helpers shared by the wire tests: golden frames as byte spans, the layers
// inside them, and byte-for-byte comparison.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "golden_frames.hpp"
#include "wire/ethernet.hpp"
#include "wire/ipv4.hpp"

namespace netstep::wire_test {

inline Bytes frame(std::span<const std::uint8_t> golden) { return std::as_bytes(golden); }

// The Ethernet payload of a well-formed golden frame.
inline Bytes link_payload(Bytes eth) {
  auto view = wire::EthernetView::check(eth);
  return view ? view->payload() : Bytes{};
}
// The IPv4 payload (transport) of a well-formed golden frame.
inline Bytes ip_payload(Bytes eth) {
  auto view = wire::Ipv4View::check(link_payload(eth));
  return view ? view->payload() : Bytes{};
}

inline std::vector<std::byte> copy_of(Bytes b) { return {b.begin(), b.end()}; }
inline bool same_bytes(Bytes a, Bytes b) { return std::ranges::equal(a, b); }
inline Bytes text_bytes(const std::string& s) { return std::as_bytes(std::span{s.data(), s.size()}); }

}  // namespace netstep::wire_test
