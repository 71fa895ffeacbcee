#include "wire/arp.hpp"
#include "wire/address_fields.hpp"

#include <cassert>

namespace netstep::wire {

namespace {
// Field offsets (RFC 826), for Ethernet + IPv4 only.
constexpr std::size_t hardware_type_at = 0;
constexpr std::size_t protocol_type_at = 2;
constexpr std::size_t hardware_length_at = 4;
constexpr std::size_t protocol_length_at = 5;
constexpr std::size_t operation_at = 6;
constexpr std::size_t sender_mac_at = 8;
constexpr std::size_t sender_ip_at = 14;
constexpr std::size_t target_mac_at = 18;
constexpr std::size_t target_ip_at = 24;

constexpr std::uint16_t hardware_ethernet = 1;
constexpr std::uint16_t protocol_ipv4 = 0x0800;

}  // namespace

Result<ArpView, WireError> ArpView::check(Bytes packet) {
  // Ethernet pads ARP to 46 bytes: anything past the 28 is ignored.
  if (packet.size() < length) return Failure{WireError::Truncated};
  if (load_be16(packet, hardware_type_at) != hardware_ethernet || load_u8(packet, hardware_length_at) != 6) {
    return Failure{WireError::BadHardwareType};
  }
  if (load_be16(packet, protocol_type_at) != protocol_ipv4 || load_u8(packet, protocol_length_at) != 4) {
    return Failure{WireError::BadProtocolType};
  }
  const auto op = load_be16(packet, operation_at);
  if (op != 1 && op != 2) return Failure{WireError::BadOperation};
  return ArpView{packet};
}

ArpOperation ArpView::operation() const { return static_cast<ArpOperation>(load_be16(bytes_, operation_at)); }
MacAddress ArpView::sender_mac() const { return load_mac(bytes_, sender_mac_at); }
Ipv4Address ArpView::sender_ip() const { return load_ipv4(bytes_, sender_ip_at); }
MacAddress ArpView::target_mac() const { return load_mac(bytes_, target_mac_at); }
Ipv4Address ArpView::target_ip() const { return load_ipv4(bytes_, target_ip_at); }

Result<ArpRepr, WireError> ArpRepr::parse(Bytes packet) {
  auto view = ArpView::check(packet);
  if (!view) return Failure{view.error()};
  return ArpRepr{view->operation(), view->sender_mac(), view->sender_ip(), view->target_mac(), view->target_ip()};
}

void ArpRepr::emit(MutableBytes packet) const {
  assert(packet.size() >= length());
  store_be16(packet, hardware_type_at, hardware_ethernet);
  store_be16(packet, protocol_type_at, protocol_ipv4);
  store_u8(packet, hardware_length_at, 6);
  store_u8(packet, protocol_length_at, 4);
  store_be16(packet, operation_at, static_cast<std::uint16_t>(operation));
  store_mac(packet, sender_mac_at, sender_mac);
  store_ipv4(packet, sender_ip_at, sender_ip);
  store_mac(packet, target_mac_at, target_mac);
  store_ipv4(packet, target_ip_at, target_ip);
}

std::string to_string(const ArpRepr& repr) {
  if (repr.operation == ArpOperation::Request) {
    if (repr.is_gratuitous()) return "announce " + repr.sender_ip.to_string() + " is-at " + repr.sender_mac.to_string();
    return "who-has " + repr.target_ip.to_string() + " tell " + repr.sender_ip.to_string();
  }
  return repr.sender_ip.to_string() + " is-at " + repr.sender_mac.to_string();
}

}  // namespace netstep::wire
