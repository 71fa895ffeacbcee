#include "ip/ipv4_layer.hpp"

#include <algorithm>

#include "wire/checksum.hpp"
#include "wire/icmp.hpp"

namespace netstep {

namespace {
constexpr std::size_t max_datagram = 65535;
constexpr Ipv4Address loopback{127, 0, 0, 1};

std::string_view route_name(const Route& route) {
  if (route.kind != RouteKind::Unicast) return to_string(route.kind);
  return route.gateway ? "gateway" : "connected";
}
}  // namespace

Ipv4Layer::Ipv4Layer(EventLoop& loop, Tracer tracer, Random random, Ipv4Config config)
    : loop_{loop},
      tracer_{tracer},
      config_{config},
      icmp_{*this, tracer, config.icmp},
      reassembler_{loop, tracer, config.reassembly,
                   [this](Bytes first) {
                     icmp_.send_error(wire::icmp_type::time_exceeded,
                                      static_cast<std::uint8_t>(wire::TimeExceededCode::FragmentReassembly), first);
                   }},
      // Where identifications start is an input, like every random choice.
      next_identification_{static_cast<std::uint16_t>(random.below(65536))} {}

std::uint32_t Ipv4Layer::add_interface(EthernetInterface& interface) {
  const auto index = static_cast<std::uint32_t>(interfaces_.size());
  interfaces_.push_back(&interface);
  interface.set_ipv4_receiver(*this);
  const Ipv4Cidr address = interface.address();
  if (!address.address().is_unspecified()) {
    routes_.add(Route{Ipv4Cidr{address.network(), address.length()}, RouteKind::Unicast, std::nullopt, index, 0});
    local_addresses_.push_back(address.address());
    // /31 and /32 have no broadcast address (RFC 3021).
    if (address.length() < 31) directed_broadcasts_.push_back(address.broadcast());
  }
  return index;
}

void Ipv4Layer::register_transport(std::uint8_t protocol, TransportProtocol& transport) {
  transports_[protocol] = &transport;
}

TransportProtocol* Ipv4Layer::transport(std::uint8_t protocol) const { return transports_[protocol]; }

bool Ipv4Layer::is_local_address(Ipv4Address address) const {
  if (address.is_loopback()) return true;
  return std::find(local_addresses_.begin(), local_addresses_.end(), address) != local_addresses_.end();
}

bool Ipv4Layer::is_broadcast_for_us(Ipv4Address destination) const {
  if (destination.is_broadcast()) return true;
  if (destination == Ipv4Address{224, 0, 0, 1}) return true;  // all-hosts group (RFC 1112)
  return std::find(directed_broadcasts_.begin(), directed_broadcasts_.end(), destination) != directed_broadcasts_.end();
}

void Ipv4Layer::drop(std::string_view reason, Bytes packet) { tracer_.emit(Layer::Ipv4, Dropped{reason, {}}, packet); }

// --- outbound -------------------------------------------------------------

RouteChoice Ipv4Layer::route_output(Ipv4Address destination, Ipv4Address source) {
  RouteChoice choice;
  if (is_local_address(destination) || destination.is_unspecified()) {
    choice.status = SendStatus::DeliveredLocally;
    // Linux's local routes: 127.0.0.0/8 has lo's address 127.0.0.1 as its
    // preferred source (a socket connected to 127.0.0.2 is 127.0.0.1:port,
    // the differential test's cm_udp), each own address itself.
    const Ipv4Address preferred = destination.is_loopback() ? Ipv4Address{127, 0, 0, 1} : destination;
    choice.source = source.is_unspecified() ? preferred : source;
    choice.next_hop = destination;
    tracer_.emit(Layer::Ipv4, RouteDecision{destination, "output", "local", Ipv4Cidr{destination, 32}, destination, "lo"});
    return choice;
  }
  const Route* route = routes_.lookup(destination);
  if (route == nullptr) {
    tracer_.emit(Layer::Ipv4, RouteDecision{destination, "output", "none", {}, {}, {}});
    choice.status = SendStatus::NoRoute;
    return choice;
  }
  choice.route = route;
  switch (route->kind) {
    case RouteKind::Unreachable: choice.status = SendStatus::UnreachableRoute; break;
    case RouteKind::Prohibit: choice.status = SendStatus::ProhibitRoute; break;
    case RouteKind::Blackhole: choice.status = SendStatus::BlackholeRoute; break;
    case RouteKind::Unicast: {
      EthernetInterface& out = *interfaces_.at(route->interface);
      choice.interface = &out;
      // A broadcast or multicast goes straight onto the link (RFC 1122
      // 3.3.6, RFC 1112 6.4), even when the route names a gateway.
      const bool to_group = destination.is_broadcast() || destination.is_multicast();
      choice.next_hop = to_group ? destination : route->gateway.value_or(destination);
      choice.source = source.is_unspecified() ? out.address().address() : source;
      choice.status = choice.source.is_unspecified() ? SendStatus::NoSourceAddress : SendStatus::Sent;
      break;
    }
  }
  if (tracer_.active()) {
    tracer_.emit(Layer::Ipv4, RouteDecision{destination, "output", route_name(*route), route->prefix, choice.next_hop,
                                            choice.interface ? choice.interface->name() : std::string_view{}});
  }
  return choice;
}

wire::Ipv4Repr Ipv4Layer::new_header(Ipv4Address destination, std::uint8_t protocol, std::size_t length,
                                     const SendOptions& options, const RouteChoice& choice) {
  wire::Ipv4Repr header;
  // 0.0.0.0 as a destination means "this host" (RFC 1122 3.2.1.3 (a)); like
  // Linux, send it to the loopback address.
  header.destination = destination.is_unspecified() ? loopback : destination;
  header.source = destination.is_unspecified() && options.source.is_unspecified() ? loopback : choice.source;
  header.protocol = protocol;
  header.ttl = options.ttl != 0 ? options.ttl : config_.default_ttl;
  header.dscp = options.dscp;
  header.identification = next_identification_++;
  header.dont_fragment = options.dont_fragment;
  header.payload_length = static_cast<std::uint16_t>(length);
  return header;
}

SendStatus Ipv4Layer::send_written(Ipv4Address destination, std::uint8_t protocol, std::size_t length,
                                   SendOptions options, PayloadWriter write) {
  if (length + wire::Ipv4Repr::header_length > max_datagram) return SendStatus::TooBig;
  const RouteChoice choice = route_output(destination, options.source);
  if (!succeeded(choice.status)) return choice.status;
  const wire::Ipv4Repr header = new_header(destination, protocol, length, options, choice);
  if (choice.status == SendStatus::DeliveredLocally || header.total_length() > choice.interface->mtu()) {
    // Loopback, fragments or don't-fragment refusals: the payload is built
    // aside and takes send()'s path from here (same checks, same order).
    written_scratch_.resize(length);
    write(MutableBytes{written_scratch_}, header);
    const Bytes payload{written_scratch_};
    if (choice.status == SendStatus::DeliveredLocally) {
      deliver_locally(header, payload);
      return SendStatus::DeliveredLocally;
    }
    if (options.dont_fragment) return SendStatus::TooBig;
    transmit(*choice.interface, choice.next_hop, header, payload);
    return SendStatus::Sent;
  }
  // The common case: header and payload written once, into the frame.
  const MutableBytes buffer = choice.interface->ipv4_buffer(header.total_length());
  write(buffer.subspan(wire::Ipv4Repr::header_length, length), header);
  header.emit(buffer);
  choice.interface->send_ipv4(choice.next_hop, header.total_length());
  return SendStatus::Sent;
}

SendStatus Ipv4Layer::send(Ipv4Address destination, std::uint8_t protocol, Bytes payload, SendOptions options) {
  if (payload.size() + wire::Ipv4Repr::header_length > max_datagram) return SendStatus::TooBig;
  const RouteChoice choice = route_output(destination, options.source);
  if (!succeeded(choice.status)) return choice.status;
  const wire::Ipv4Repr header = new_header(destination, protocol, payload.size(), options, choice);

  if (choice.status == SendStatus::DeliveredLocally) {
    deliver_locally(header, payload);
    return SendStatus::DeliveredLocally;
  }
  if (header.total_length() > choice.interface->mtu() && options.dont_fragment) return SendStatus::TooBig;
  transmit(*choice.interface, choice.next_hop, header, payload);
  return SendStatus::Sent;
}

// Sends header + payload on `out`, in fragments of at most the MTU if needed
// (RFC 791 section 3.2: every fragment but the last carries a multiple of 8).
void Ipv4Layer::transmit(EthernetInterface& out, Ipv4Address next_hop, const wire::Ipv4Repr& header, Bytes payload) {
  const std::size_t room = out.mtu() - wire::Ipv4Repr::header_length;
  const std::size_t chunk = payload.size() <= room ? payload.size() : room / 8 * 8;
  std::size_t offset = 0;
  do {
    const std::size_t length = std::min(chunk, payload.size() - offset);
    wire::Ipv4Repr piece = header;
    piece.fragment_offset = static_cast<std::uint16_t>(header.fragment_offset + offset);
    piece.more_fragments = offset + length < payload.size() || header.more_fragments;
    piece.payload_length = static_cast<std::uint16_t>(length);
    MutableBytes buffer = out.ipv4_buffer(piece.total_length());
    piece.emit(buffer);
    const Bytes part = payload.subspan(offset, length);
    std::copy(part.begin(), part.end(), buffer.begin() + wire::Ipv4Repr::header_length);
    out.send_ipv4(next_hop, piece.total_length());
    offset += length;
  } while (offset < payload.size());
}

// Packets to ourselves go round through the event loop, as through Linux's
// loopback device, so a reply never runs inside the call that caused it.
void Ipv4Layer::deliver_locally(const wire::Ipv4Repr& header, Bytes payload) {
  std::vector<std::byte> packet(header.total_length());
  header.emit(MutableBytes{packet});
  std::copy(payload.begin(), payload.end(), packet.begin() + wire::Ipv4Repr::header_length);
  const auto delivery = loop_.post_after(Duration::zero(), [this] {
    const std::vector<std::byte> next = std::move(loopback_.front().packet);
    loopback_.pop_front();
    receive_packet(Bytes{next}, false, true);
  });
  loopback_.push_back(LoopedBack{delivery, std::move(packet)});
}

Ipv4Layer::~Ipv4Layer() {
  for (const LoopedBack& pending : loopback_) loop_.cancel(pending.delivery);
}

// --- inbound --------------------------------------------------------------

void Ipv4Layer::receive_ipv4(EthernetInterface& /*from*/, Bytes packet, bool link_broadcast) {
  receive_packet(packet, link_broadcast, false);
}

void Ipv4Layer::receive_packet(Bytes packet, bool link_broadcast, bool from_loopback) {
  const auto parsed = wire::Ipv4Repr::parse(packet);
  if (!parsed) return drop(wire::describe(parsed.error()), packet);
  const wire::Ipv4Repr& header = *parsed;
  // Ethernet pads short frames: only total-length bytes are the packet.
  packet = packet.first(std::size_t{header.parsed_header_length} + header.payload_length);

  // RFC 1122 3.2.1.3: a broadcast or multicast source is never a sender,
  // and 127/8 never appears on a wire (RFC 1812 5.3.7: "martians").
  if (header.source.is_broadcast() || header.source.is_multicast()) {
    return drop("impossible source address (broadcast or multicast)", packet);
  }
  if (!from_loopback && (header.source.is_loopback() || header.destination.is_loopback())) {
    return drop("loopback address on the wire (martian)", packet);
  }
  const bool for_us = is_local_address(header.destination) || is_broadcast_for_us(header.destination);
  if (!for_us) {
    if (from_loopback) return drop("looped-back packet not for this host", packet);
    if (!config_.forwarding) return drop("not addressed to this host (forwarding is off)", packet);
    return forward(header, packet, link_broadcast);
  }

  if (header.is_fragment()) {
    const auto whole = reassembler_.receive(header, packet);
    if (!whole) return;
    // Quote the reassembled datagram, not the last fragment, in any ICMP error.
    std::vector<std::byte> rebuilt(whole->header.total_length());
    whole->header.emit(MutableBytes{rebuilt});
    std::copy(whole->payload.begin(), whole->payload.end(), rebuilt.begin() + wire::Ipv4Repr::header_length);
    const Bytes datagram{rebuilt};
    return deliver(whole->header, datagram.subspan(wire::Ipv4Repr::header_length), datagram, link_broadcast);
  }
  deliver(header, packet.subspan(header.parsed_header_length), packet, link_broadcast);
}

void Ipv4Layer::deliver(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) {
  if (header.protocol == wire::ip_protocol::icmp) return icmp_.receive(header, payload, packet, link_broadcast);
  if (TransportProtocol* t = transports_[header.protocol]) return t->receive_ipv4(header, payload, packet, link_broadcast);
  drop("no transport for this protocol", packet);
  icmp_.send_error(wire::icmp_type::destination_unreachable,
                   static_cast<std::uint8_t>(wire::UnreachableCode::Protocol), packet, link_broadcast);
}

// RFC 1812 section 5.2/5.3: check TTL, route, fragment or refuse, and send on.
void Ipv4Layer::forward(const wire::Ipv4Repr& header, Bytes packet, bool link_broadcast) {
  using wire::UnreachableCode;
  const auto unreachable = [&](UnreachableCode code, std::uint32_t rest = 0) {
    icmp_.send_error(wire::icmp_type::destination_unreachable, static_cast<std::uint8_t>(code), packet,
                     link_broadcast, rest);
  };
  if (link_broadcast || header.destination.is_multicast() || header.destination.is_broadcast()) {
    return drop("broadcasts are not forwarded", packet);
  }
  if (header.ttl <= 1) {
    drop("TTL expired in transit", packet);
    icmp_.send_error(wire::icmp_type::time_exceeded, static_cast<std::uint8_t>(wire::TimeExceededCode::TtlExceeded),
                     packet, link_broadcast);
    return;
  }
  const Route* route = routes_.lookup(header.destination);
  if (route == nullptr) {
    tracer_.emit(Layer::Ipv4, RouteDecision{header.destination, "forward", "none", {}, {}, {}});
    drop("no route to the destination network", packet);
    return unreachable(UnreachableCode::Net);
  }
  const Ipv4Address next_hop = route->gateway.value_or(header.destination);
  EthernetInterface* out = route->kind == RouteKind::Unicast ? interfaces_.at(route->interface) : nullptr;
  tracer_.emit(Layer::Ipv4, RouteDecision{header.destination, "forward", route_name(*route), route->prefix, next_hop,
                                          out ? out->name() : std::string_view{}});
  switch (route->kind) {
    case RouteKind::Unreachable: drop("unreachable route", packet); return unreachable(UnreachableCode::Host);
    case RouteKind::Prohibit: drop("prohibit route", packet); return unreachable(UnreachableCode::AdminProhibited);
    case RouteKind::Blackhole: return drop("blackhole route", packet);
    case RouteKind::Unicast: break;
  }

  if (packet.size() > out->mtu()) {
    if (header.dont_fragment) {
      drop("too big for the next link and don't-fragment is set", packet);
      return unreachable(UnreachableCode::FragmentationNeeded, static_cast<std::uint32_t>(out->mtu()));
    }
    wire::Ipv4Repr forwarded = header;  // re-emitted without options
    forwarded.ttl = static_cast<std::uint8_t>(header.ttl - 1);
    return transmit(*out, next_hop, forwarded, packet.subspan(header.parsed_header_length));
  }
  // The common case: copy, decrement TTL, and patch the checksum
  // incrementally (RFC 1624) instead of recomputing it.
  MutableBytes buffer = out->ipv4_buffer(packet.size());
  std::copy(packet.begin(), packet.end(), buffer.begin());
  const std::uint16_t old_word = load_be16(buffer, 8);
  store_u8(buffer, 8, static_cast<std::uint8_t>(header.ttl - 1));
  store_be16(buffer, 10, wire::update_checksum(load_be16(buffer, 10), old_word, load_be16(buffer, 8)));
  out->send_ipv4(next_hop, packet.size());
}

void Ipv4Layer::receive_unresolved(EthernetInterface& /*on*/, Ipv4Address /*next_hop*/, Bytes packet) {
  // RFC 1122 2.3.2.2 / RFC 1812 4.3.3.1: the link layer could not deliver,
  // so report "host unreachable" to the sender: an ICMP message to a host
  // we forwarded for, and straight to our own transport (or ping) for a
  // datagram we sent, with no message to ourselves (see IcmpLayer).
  constexpr std::string_view reason = "next hop did not answer ARP";
  drop(reason, packet);
  constexpr auto type = wire::icmp_type::destination_unreachable;
  constexpr auto code = static_cast<std::uint8_t>(wire::UnreachableCode::Host);
  const auto header = wire::Ipv4Repr::parse_quoted(packet);
  if (header && is_local_address(header->source)) {
    icmp_.report_to_local_sender(type, code, packet, reason);
  } else {
    icmp_.send_error(type, code, packet);
  }
}

}  // namespace netstep
