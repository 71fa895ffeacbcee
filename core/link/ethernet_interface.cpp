#include "link/ethernet_interface.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <string>

#include "wire/arp.hpp"
#include "wire/ethernet.hpp"

namespace netstep {

namespace {
constexpr std::size_t header_length = wire::EthernetView::header_length_untagged;

// RFC 1112 section 6.4: the low 23 bits of the group go into 01:00:5e:00:00:00.
MacAddress multicast_mac(Ipv4Address group) {
  const std::uint32_t g = group.to_u32();
  return MacAddress{{0x01, 0x00, 0x5e, static_cast<std::uint8_t>((g >> 16) & 0x7f),
                     static_cast<std::uint8_t>(g >> 8), static_cast<std::uint8_t>(g)}};
}
}  // namespace

EthernetInterface::EthernetInterface(EventLoop& loop, Tracer tracer, Device& device, InterfaceConfig config)
    : tracer_{tracer},
      device_{device},
      mac_{device.mac()},
      config_{std::move(config)},
      neighbours_{loop, tracer, config_.name, *this, config_.arp},
      tx_frame_(header_length + std::max(device.mtu(), wire::EthernetView::min_frame_length)) {
  // RFC 791: every IPv4 link carries at least 68-byte packets; below that
  // not even a header and one 8-byte fragment fit.
  if (device.mtu() < minimum_mtu) {
    throw std::invalid_argument("interface " + config_.name + ": MTU " + std::to_string(device.mtu()) +
                                " is below IPv4's minimum of 68");
  }
  neighbours_.set_local(config_.address.address(), device_.mac());
  device_.attach(*this);
  if (config_.arp.announce_on_configure) neighbours_.announce();
}

EthernetInterface::~EthernetInterface() { device_.detach(); }

void EthernetInterface::drop(std::string_view reason, Bytes frame) {
  ++counters_.frames_dropped;
  tracer_.emit(Layer::Ethernet, Dropped{reason, config_.name}, frame);
}

void EthernetInterface::receive_frame(Bytes frame) {
  ++counters_.frames_received;
  tracer_.emit(Layer::Ethernet, FrameReceived{config_.name, frame.size()}, frame);

  const auto view = wire::EthernetView::check(frame);
  if (!view) return drop(wire::describe(view.error()), frame);
  const bool broadcast = view->destination_is_group();  // broadcast is a group address too
  if (!broadcast && !view->destination_is(mac_)) return drop("not addressed to this interface", frame);
  if (view->has_vlan()) return drop("VLAN-tagged frame on an untagged interface", frame);

  switch (view->ethertype()) {
    case wire::ethertype::arp: {
      const auto arp = wire::ArpRepr::parse(view->payload());
      if (!arp) return drop(wire::describe(arp.error()), frame);
      neighbours_.receive_arp(*arp);
      return;
    }
    case wire::ethertype::ipv4:
      if (upper_ == nullptr) return drop("no IPv4 layer attached", frame);
      upper_->receive_ipv4(*this, view->payload(), broadcast);
      return;
    default:
      return drop("unsupported EtherType", frame);
  }
}

MutableBytes EthernetInterface::ipv4_buffer(std::size_t length) {
  assert(length <= mtu());
  return MutableBytes{tx_frame_}.subspan(header_length, length);
}

bool EthernetInterface::is_link_broadcast(Ipv4Address next_hop) const {
  return next_hop.is_broadcast() ||
         (config_.address.length() < 31 && next_hop == config_.address.broadcast());
}

void EthernetInterface::send_ipv4(Ipv4Address next_hop, std::size_t length) {
  if (is_link_broadcast(next_hop)) return transmit(MacAddress::broadcast(), wire::ethertype::ipv4, length);
  if (next_hop.is_multicast()) return transmit(multicast_mac(next_hop), wire::ethertype::ipv4, length);
  const Bytes packet = Bytes{tx_frame_}.subspan(header_length, length);
  if (const MacAddress* mac = neighbours_.resolve(next_hop, packet)) transmit(*mac, wire::ethertype::ipv4, length);
}

void EthernetInterface::send_resolved(MacAddress destination, Bytes packet) {
  std::copy(packet.begin(), packet.end(), tx_frame_.begin() + header_length);
  transmit(destination, wire::ethertype::ipv4, packet.size());
}

void EthernetInterface::report_unresolved(Ipv4Address next_hop, Bytes packet) {
  if (upper_ != nullptr) upper_->receive_unresolved(*this, next_hop, packet);
}

void EthernetInterface::send_arp(const wire::ArpRepr& arp, MacAddress destination) {
  arp.emit(MutableBytes{tx_frame_}.subspan(header_length, wire::ArpRepr::length()));
  transmit(destination, wire::ethertype::arp, wire::ArpRepr::length());
}

// Writes the Ethernet header in front of the payload already in tx_frame_,
// pads to the 60-byte minimum as a NIC would, and hands the frame over.
void EthernetInterface::transmit(MacAddress destination, std::uint16_t ethertype, std::size_t payload_length) {
  const wire::EthernetRepr header{destination, mac_, ethertype, std::nullopt};
  header.emit(MutableBytes{tx_frame_});
  std::size_t frame_length = header_length + payload_length;
  if (frame_length < wire::EthernetView::min_frame_length) {
    std::fill(tx_frame_.begin() + static_cast<std::ptrdiff_t>(frame_length),
              tx_frame_.begin() + wire::EthernetView::min_frame_length, std::byte{0});
    frame_length = wire::EthernetView::min_frame_length;
  }
  const Bytes frame = Bytes{tx_frame_}.first(frame_length);
  ++counters_.frames_sent;
  tracer_.emit(Layer::Ethernet, FrameSent{config_.name, frame.size()}, frame);
  device_.transmit(frame);
}

}  // namespace netstep
