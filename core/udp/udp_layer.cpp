#include "udp/udp_layer.hpp"

#include <stdexcept>

#include "wire/icmp.hpp"
#include "wire/udp.hpp"

namespace netstep::udp {

namespace {
constexpr Ipv4Address loopback_address{127, 0, 0, 1};
}  // namespace

UdpLayer::UdpLayer(EventLoop& loop, Tracer tracer, Ipv4Layer& ip, Random random, UdpConfig config)
    : loop_{loop},
      tracer_{tracer},
      ip_{ip},
      random_{random},
      config_{config},
      ports_{random_.next_u64()},
      pcbs_{random_.next_u64()} {
  config_.validate();
  ip_.register_transport(wire::ip_protocol::udp, *this);
}

UdpLayer::~UdpLayer() { loop_.cancel(sweep_event_); }

void UdpLayer::set_config(const UdpConfig& config) {
  config.validate();
  config_ = config;
}

void UdpLayer::set_ephemeral_range(EphemeralRange range) {
  if (!range.valid()) {
    throw std::invalid_argument("udp: the ephemeral range must be non-empty and exclude port 0");
  }
  ephemeral_ = range;
}

// --- binding ------------------------------------------------------------------

Result<UdpPcb*, UdpError> UdpLayer::bind(Endpoint local, BindOptions options) {
  if (!local.address.is_unspecified() && !bindable(local.address)) return Failure{UdpError::AddressNotAvailable};
  const bool port_chosen = local.port.is_zero();
  if (port_chosen) {
    const std::optional<Port> port = pick_ephemeral_port(local.address, options.reuse_address);
    if (!port) return Failure{UdpError::NoEphemeralPort};
    local.port = *port;
  } else if (ports_.in_use(local, options.reuse_address)) {
    return Failure{UdpError::AddressInUse};
  }
  // The constructor is private to the layer: no make_unique.
  std::unique_ptr<UdpPcb> made{new UdpPcb{*this, local, port_chosen, options.reuse_address, config_.receive_buffer}};
  UdpPcb& pcb = *made;
  pcbs_.try_emplace(&pcb, std::move(made));
  ports_.insert(pcb);
  return &pcb;
}

void UdpLayer::release(UdpPcb& pcb) {
  std::unique_ptr<UdpPcb>* owned = pcbs_.find(&pcb);
  if (owned == nullptr) return;  // not ours, or released already
  if (pcb.bound()) ports_.erase(pcb);
  pcb.released_ = true;
  pcb.observer_ = nullptr;
  graveyard_.push_back(std::move(*owned));
  pcbs_.erase(&pcb);
  sweep_graveyard_later();
}

bool UdpLayer::autobind(UdpPcb& pcb) {
  const std::optional<Port> port = pick_ephemeral_port(pcb.local_.address, pcb.reuse_address_);
  if (!port) return false;
  pcb.local_.port = *port;
  pcb.port_chosen_ = true;
  ports_.insert(pcb);
  return true;
}

// RFC 6056 3.3.1, algorithm 1 ("simple port randomization"):
//
//   next_ephemeral = min_ephemeral + (random() % num_ephemeral)
//   count = num_ephemeral
//   do { if (check_suitable_port(next_ephemeral)) return next_ephemeral;
//        next_ephemeral = next_ephemeral == max_ephemeral ? min_ephemeral : next_ephemeral + 1;
//   } while (--count > 0)
//
// A bind() has no peer yet, so TCP's per-destination hash (algorithm 3)
// has nothing to hash; Linux's udp_lib_get_port also starts at a random
// port. A port is suitable when binding it would not clash (the same rule
// as an explicit bind: a reuse_address PCB may share with others that set it).
std::optional<Port> UdpLayer::pick_ephemeral_port(Ipv4Address local, bool reuse_address) {
  const std::uint64_t count = std::uint64_t{ephemeral_.last} - ephemeral_.first + 1;
  const std::uint64_t start = random_.below(count);
  for (std::uint64_t tried = 0; tried < count; ++tried) {
    const Port port{static_cast<std::uint16_t>(ephemeral_.first + (start + tried) % count)};
    if (!ports_.in_use(Endpoint{local, port}, reuse_address)) return port;
  }
  return std::nullopt;
}

bool UdpLayer::bindable(Ipv4Address address) const {
  return ip_.is_local_address(address) || ip_.is_broadcast_for_us(address) || address.is_multicast();
}

bool UdpLayer::is_broadcast(Ipv4Address address) const {
  return !address.is_multicast() && ip_.is_broadcast_for_us(address);
}

Ipv4Address UdpLayer::source_address(const UdpPcb& pcb) const {
  const Ipv4Address bound = pcb.local_.address;
  return bound.is_multicast() || ip_.is_broadcast_for_us(bound) ? Ipv4Address{} : bound;
}

// --- connecting -----------------------------------------------------------------

// Linux's inet_dgram_connect and __ip4_datagram_connect, in their order:
// autobind, route, the broadcast permission, then the association.
Result<Endpoint, UdpError> UdpLayer::connect(UdpPcb& pcb, Endpoint remote, bool check_broadcast) {
  if (remote.address.is_unspecified()) remote.address = loopback_address;  // Linux: INADDR_ANY is this host
  if (!pcb.bound() && !autobind(pcb)) return Failure{UdpError::NoEphemeralPort};
  const RouteChoice route = ip_.route_output(remote.address, source_address(pcb));
  switch (route.status) {
    case SendStatus::Sent:
    case SendStatus::DeliveredLocally: break;
    case SendStatus::UnreachableRoute: return Failure{UdpError::UnreachableRoute};
    case SendStatus::ProhibitRoute: return Failure{UdpError::ProhibitRoute};
    case SendStatus::BlackholeRoute: return Failure{UdpError::BlackholeRoute};
    // An interface without an address has no connected route, so the route
    // found cannot leave through it: for the user that is no route at all.
    case SendStatus::NoRoute:
    case SendStatus::NoSourceAddress:
    case SendStatus::TooBig: return Failure{UdpError::NoRoute};
  }
  if (check_broadcast && is_broadcast(remote.address) && !pcb.broadcast_) return Failure{UdpError::BroadcastNotAllowed};
  // RFC 1122 4.1.3.5 lets the source be left to the stack; once there is a
  // peer, Linux fixes it (and shows it in getsockname()) as the route's.
  if (pcb.local_.address.is_unspecified()) {
    pcb.local_.address = route.source;
    pcb.address_from_connect_ = true;
  }
  pcb.peer_ = remote;
  return pcb.local_;
}

void UdpLayer::disconnect(UdpPcb& pcb, bool release_auto_port) {
  pcb.peer_.reset();
  if (pcb.address_from_connect_) {
    pcb.local_.address = Ipv4Address{};
    pcb.address_from_connect_ = false;
  }
  if (release_auto_port && pcb.port_chosen_ && pcb.bound()) {
    ports_.erase(pcb);  // filed under the port it is giving back
    pcb.local_.port = Port{};
    pcb.port_chosen_ = false;
  }
}

// --- sending --------------------------------------------------------------------

Result<SendStatus, UdpError> UdpLayer::send(UdpPcb& pcb, Endpoint destination, Bytes data, bool check_broadcast) {
  if (data.size() > max_payload) return Failure{UdpError::MessageTooLong};
  if (!pcb.bound() && !autobind(pcb)) return Failure{UdpError::NoEphemeralPort};
  if (check_broadcast && is_broadcast(destination.address) && !pcb.broadcast_) {
    return Failure{UdpError::BroadcastNotAllowed};
  }

  const wire::UdpRepr datagram{pcb.local_.port, destination.port, data};
  // Written straight into the outgoing frame, summed with the header IPv4
  // chose: with a wildcard PCB, routing picks the source address (RFC 1122
  // 4.1.3.5), and the pseudo-header needs it; 0.0.0.0 as a destination
  // becomes 127.0.0.1 there too.
  const SendStatus status =
      ip_.send_written(destination.address, wire::ip_protocol::udp, datagram.length(),
                       SendOptions{source_address(pcb)}, [&](MutableBytes out, const wire::Ipv4Repr& header) {
                         datagram.emit(out, header.source, header.destination);
                         if (tracer_.active()) {
                           tracer_.emit(Layer::Udp, UdpDatagram{"sent", Endpoint{header.source, datagram.source_port},
                                                                Endpoint{header.destination, datagram.destination_port},
                                                                data.size()});
                         }
                       });
  if (!succeeded(status)) drop(to_string(status), {});
  return status;
}

// --- from IPv4 ------------------------------------------------------------------

void UdpLayer::receive_ipv4(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) {
  // RFC 768 and RFC 1122 4.1.3.4: a length the datagram cannot hold, or a
  // non-zero checksum that does not verify, and it is silently discarded.
  // A zero checksum means the sender computed none.
  const auto parsed = wire::UdpRepr::parse(payload, header.source, header.destination);
  if (!parsed) return drop(wire::describe(parsed.error()), packet);
  const Endpoint from{header.source, parsed->source_port};
  const Endpoint to{header.destination, parsed->destination_port};
  const Bytes data = parsed->payload;
  if (tracer_.active()) tracer_.emit(Layer::Udp, UdpDatagram{"received", from, to, data.size()});

  // Sent to a group (a broadcast or multicast address): a copy for every
  // socket that takes it, as Linux does.
  if (header.destination.is_multicast() || ip_.is_broadcast_for_us(header.destination)) {
    return deliver_to_group(from, to, data, packet);
  }
  if (UdpPcb* pcb = ports_.lookup(from, to)) return deliver(*pcb, from, to, data, packet);
  answer_no_socket(header, packet, link_broadcast);
}

void UdpLayer::deliver(UdpPcb& pcb, Endpoint from, Endpoint to, Bytes data, Bytes packet) {
  if (!pcb.enqueue(from, to, data)) return drop("receive queue full (SO_RCVBUF)", packet);
  pcb.notify_readable();  // last: the observer may release the PCB
}

void UdpLayer::deliver_to_group(Endpoint from, Endpoint to, Bytes data, Bytes packet) {
  // Queued on each first, then each observer told: an observer that
  // releases another PCB of the group only stops that one hearing of it (a
  // released PCB lives on in the graveyard until this event is over).
  const std::vector<UdpPcb*> group = ports_.all_matches(from, to);
  if (group.empty()) {
    // RFC 1122 3.2.2 and 4.1.3.1: never an ICMP error about a datagram sent
    // to a broadcast or multicast address.
    return drop("no socket for a broadcast or multicast datagram: no ICMP error (RFC 1122 3.2.2)", packet);
  }
  std::vector<UdpPcb*> queued;
  queued.reserve(group.size());
  for (UdpPcb* pcb : group) {
    if (pcb->enqueue(from, to, data)) {
      queued.push_back(pcb);
    } else {
      drop("receive queue full (SO_RCVBUF)", packet);
    }
  }
  for (UdpPcb* pcb : queued) pcb->notify_readable();
}

void UdpLayer::answer_no_socket(const wire::Ipv4Repr& header, Bytes packet, bool link_broadcast) {
  // RFC 1122 3.2.2: no ICMP error about a datagram that came as a link-layer
  // broadcast, or from a source that names no single host (0.0.0.0: a host
  // still configuring itself).
  if (link_broadcast) {
    return drop("no socket for a broadcast or multicast datagram: no ICMP error (RFC 1122 3.2.2)", packet);
  }
  if (header.source.is_unspecified()) return drop("no socket (from 0.0.0.0: no ICMP error, RFC 1122 3.2.2)", packet);
  // RFC 1122 4.1.3.1: "If a datagram arrives addressed to a UDP port for
  // which there is no pending LISTEN call, UDP SHOULD send an ICMP Port
  // Unreachable message." Linux does.
  drop("no socket: ICMP port unreachable sent", packet);
  ip_.icmp().send_error(wire::icmp_type::destination_unreachable,
                        static_cast<std::uint8_t>(wire::UnreachableCode::Port), packet, link_broadcast);
}

void UdpLayer::receive_icmp_error(const IcmpErrorReport& report) {
  // The quoted datagram is one we sent: its source is our end. RFC 792
  // guarantees 8 bytes of it, the whole UDP header.
  const Bytes quoted = report.quoted_transport;
  if (quoted.size() < 4) return drop("ICMP error quotes too little of the UDP header", {});
  const Endpoint local{report.quoted_header.source, Port{load_be16(quoted, 0)}};
  const Endpoint remote{report.quoted_header.destination, Port{load_be16(quoted, 2)}};
  // The PCB that sent it is the one a reply from `remote` would reach
  // (Linux's __udp4_lib_err looks it up exactly so).
  UdpPcb* pcb = ports_.lookup(remote, local);
  if (pcb == nullptr) return drop("ICMP error for no socket", {});
  // RFC 1122 4.1.3.3: "UDP MUST pass to the application layer all ICMP
  // error messages that it receives from the IP layer." Which ones a user
  // sees, and when, is the socket layer's choice per personality.
  // A connected PCB was found only because its peer is `remote`.
  pcb->record_error(UdpIcmpError{report.type, report.code, report.reporter, remote, loop_.now(),
                                 /*connected_to_quoted_peer=*/pcb->peer_.has_value()});
  pcb->notify_error();
}

// --- helpers ------------------------------------------------------------------

void UdpLayer::drop(std::string_view reason, Bytes packet) { tracer_.emit(Layer::Udp, Dropped{reason, {}}, packet); }

void UdpLayer::sweep_graveyard_later() {
  if (!loop_.pending(sweep_event_)) sweep_event_ = loop_.post_after(Duration::zero(), [this] { graveyard_.clear(); });
}

}  // namespace netstep::udp
