#include "tcp/tcp_layer.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace netstep::tcp {

namespace {

constexpr Ipv4Address loopback_address{127, 0, 0, 1};
// The largest TCP segment IPv4 can carry: emit() writes into one buffer this
// big, allocated once per layer.
constexpr std::size_t max_segment = 65535 - 20;

// The segment as the trace reports it. The layer's own RSTs belong to no
// connection, so there is no ISN to count from: relative numbers are the
// absolute ones.
TcpSegment describe_sent(const FourTuple& tuple, const wire::TcpRepr& s) {
  return TcpSegment{"sent",       tuple.local,           tuple.remote, s.flags.bits(), s.seq.value(), s.ack.value(),
                    s.seq.value(), s.ack.value(),        s.payload.size(), s.window};
}

}  // namespace

std::string_view to_string(ConnectError e) {
  switch (e) {
    case ConnectError::NoRoute: return "no route";
    case ConnectError::UnreachableRoute: return "unreachable route";
    case ConnectError::ProhibitRoute: return "prohibit route";
    case ConnectError::BlackholeRoute: return "blackhole route";
    case ConnectError::AddressNotAvailable: return "address not available";
    case ConnectError::AddressInUse: return "address in use";
    case ConnectError::NoEphemeralPort: return "no ephemeral port";
    case ConnectError::NotUnicast: return "not unicast";
    case ConnectError::TimeWaitInUse: return "in TIME-WAIT";
  }
  return "?";
}

std::string_view explain(ConnectError e) {
  switch (e) {
    case ConnectError::NoRoute: return "no route covers the destination";
    case ConnectError::NotUnicast: return "the destination is a broadcast or multicast address, which TCP never connects to";
    case ConnectError::TimeWaitInUse:
      return "the connection with these two endpoints is still in TIME-WAIT and may not be taken over";
    case ConnectError::UnreachableRoute: return "the routing table says the destination is unreachable";
    case ConnectError::ProhibitRoute: return "the routing table forbids reaching the destination";
    case ConnectError::BlackholeRoute: return "the routing table silently discards traffic to the destination";
    case ConnectError::AddressNotAvailable: return "the requested local address is not an address of this host";
    case ConnectError::AddressInUse: return "a connection with exactly these two endpoints already exists";
    case ConnectError::NoEphemeralPort: return "every ephemeral port is already used for a connection to this peer";
  }
  return "?";
}

TcpLayer::TcpLayer(EventLoop& loop, Tracer tracer, Ipv4Layer& ip, Random random, TcpConfig defaults)
    : loop_{loop},
      tracer_{tracer},
      ip_{ip},
      defaults_{share(defaults)},  // validated here: throws std::invalid_argument
      isn_{random},
      port_key_{random.next_u64(), random.next_u64()},
      // RFC 6056 3.3.3 lets the counter start anywhere; a drawn start means
      // two hosts of one run do not walk the same ports in step.
      next_ephemeral_{random.next_u64()},
      connections_{random.next_u64()},
      listeners_{random.next_u64()},
      closed_held_{random.next_u64()} {
  ip_.register_transport(wire::ip_protocol::tcp, *this);
}

TcpLayer::~TcpLayer() { loop_.cancel(sweep_event_); }

void TcpLayer::set_ephemeral_range(EphemeralRange range) {
  if (!range.valid()) {
    throw std::invalid_argument("tcp: the ephemeral range must be non-empty and exclude port 0");
  }
  ephemeral_ = range;
}

// --- user calls -------------------------------------------------------------

Result<Connection*, ConnectError> TcpLayer::connect(Endpoint remote, std::optional<Endpoint> local,
                                                    std::optional<TcpConfig> config) {
  // The layer's defaults are shared as they are; a configuration of its own
  // is validated now (it throws), before anything is spent on it.
  const SharedConfigPtr shared = config ? share(*config) : defaults_;
  const Endpoint requested = local.value_or(Endpoint{});
  const TcpConfig& chosen = shared->tcp;
  if (!chosen.syn.syn_to_any_destination) {
    // Linux: connecting to INADDR_ANY means this host.
    if (remote.address.is_unspecified()) remote.address = loopback_address;
    // RFC 1122 4.2.3.10: a TCP connection is between two unicast endpoints;
    // Linux refuses such a connect() with ENETUNREACH before any SYN.
    if (remote.address.is_broadcast() || remote.address.is_multicast() || ip_.is_broadcast_for_us(remote.address)) {
      return Failure{ConnectError::NotUnicast};
    }
  }
  if (!requested.address.is_unspecified() && !ip_.is_local_address(requested.address)) {
    return Failure{ConnectError::AddressNotAvailable};
  }

  // RFC 1122 4.2.3.7: the source address of an active open is the one IP
  // would use for the destination, unless the user named one.
  const RouteChoice route = ip_.route_output(remote.address, requested.address);
  switch (route.status) {
    case SendStatus::Sent:
    case SendStatus::DeliveredLocally: break;
    case SendStatus::UnreachableRoute: return Failure{ConnectError::UnreachableRoute};
    case SendStatus::ProhibitRoute: return Failure{ConnectError::ProhibitRoute};
    case SendStatus::BlackholeRoute: return Failure{ConnectError::BlackholeRoute};
    // An interface without an address has no connected route, so the route
    // found cannot leave through it: for the user that is no route at all.
    case SendStatus::NoRoute:
    case SendStatus::NoSourceAddress:
    case SendStatus::TooBig: return Failure{ConnectError::NoRoute};
  }

  FourTuple tuple{Endpoint{requested.address.is_unspecified() ? route.source : requested.address, requested.port},
                  remote};
  std::optional<SeqNum> iss;
  if (tuple.local.port.is_zero()) {
    const std::optional<PortChoice> choice = pick_ephemeral_port(tuple.local.address, remote, chosen);
    if (!choice) return Failure{ConnectError::NoEphemeralPort};
    tuple.local.port = choice->port;
    iss = choice->iss;
  } else if (const Slot* old = connections_.find(tuple)) {
    const bool in_time_wait = old->connection->state() == State::TimeWait;
    iss = take_over_time_wait(tuple, chosen, /*bound_port=*/true);
    if (!iss) return Failure{in_time_wait ? ConnectError::TimeWaitInUse : ConnectError::AddressInUse};
  }

  Connection& connection = create(tuple, shared, /*held=*/true, nullptr, iss);
  connection.connect();
  return &connection;
}

Listener& TcpLayer::listen(Endpoint local, int backlog, std::optional<TcpConfig> config) {
  if (local.port.is_zero()) throw std::invalid_argument("tcp: listen() needs a port");
  if (!local.address.is_unspecified() && !ip_.is_local_address(local.address)) {
    throw std::invalid_argument("tcp: " + local.address.to_string() + " is not an address of this host");
  }
  if (listeners_.contains(local)) throw std::invalid_argument("tcp: already listening on " + local.to_string());
  auto listener = std::make_unique<Listener>(*this, local, backlog, config ? share(*config) : defaults_);
  Listener& result = *listener;
  listeners_.try_emplace(local, std::move(listener));
  return result;
}

void TcpLayer::close(Listener& listener) {
  const std::unique_ptr<Listener>* filed = listeners_.find(listener.local());
  if (filed == nullptr || filed->get() != &listener) return;
  // Detach every queued connection first, so their connection_closed() does
  // not reach back into queues we are emptying.
  std::vector<Connection*> queued{listener.syn_queue_.begin(), listener.syn_queue_.end()};
  queued.insert(queued.end(), listener.accept_queue_.begin(), listener.accept_queue_.end());
  listener.syn_queue_.clear();
  listener.accept_queue_.clear();
  for (Connection* c : queued) {
    if (Slot* slot = connections_.find(c->tuple())) slot->listener = nullptr;
  }
  // Like Linux closing a listening socket: connections no one accepted are
  // aborted (RFC 9293 3.10.5), the peer learns it from a RST.
  for (Connection* c : queued) c->abort();
  listeners_.erase(listener.local());  // destroys the listener
}

void TcpLayer::release(Connection& connection) {
  if (std::unique_ptr<Connection>* closed = closed_held_.find(&connection)) {
    // A user call: no connection's own call is under way, so at once.
    const std::unique_ptr<Connection> destroyed = std::move(*closed);
    closed_held_.erase(&connection);
    return;
  }
  Slot* slot = connections_.find(connection.tuple());
  if (slot != nullptr && slot->connection.get() == &connection) slot->held = false;
}

void TcpLayer::adopt_from_listener(Connection& connection) {
  Slot* slot = connections_.find(connection.tuple());
  if (slot == nullptr) return;
  slot->listener = nullptr;
  slot->held = true;
}

Connection* TcpLayer::find(const FourTuple& tuple) const {
  const Slot* slot = connections_.find(tuple);
  return slot == nullptr ? nullptr : slot->connection.get();
}

Listener* TcpLayer::find_listener(Endpoint local) const {
  // The specific address first, then the wildcard (as a BSD stack looks up
  // its protocol control blocks).
  if (const auto* specific = listeners_.find(local)) return specific->get();
  if (const auto* wildcard = listeners_.find(Endpoint{Ipv4Address{}, local.port})) return wildcard->get();
  return nullptr;
}


// --- from IPv4 --------------------------------------------------------------

void TcpLayer::receive_ipv4(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) {
  // RFC 1122 4.2.3.10: a SYN to a broadcast or multicast address is silently
  // discarded, and no RST ever answers one (RFC 9293 3.10.7.1 answers only
  // segments that could have had a connection). Linux discards every TCP
  // segment that did not arrive addressed to this host alone.
  if (link_broadcast || header.destination.is_multicast() || ip_.is_broadcast_for_us(header.destination)) {
    return drop("TCP to a broadcast or multicast address", packet);
  }
  const auto parsed = wire::TcpRepr::parse(payload, header.source, header.destination);
  if (!parsed) return drop(wire::describe(parsed.error()), packet);
  const wire::TcpRepr& segment = *parsed;
  const FourTuple tuple{Endpoint{header.destination, segment.destination_port},
                        Endpoint{header.source, segment.source_port}};

  // The demultiplexer: one hash probe. The connection may close inside this
  // call; connection_closed() then erases the slot, so nothing here touches
  // it afterwards.
  if (const Slot* slot = connections_.find(tuple)) {
    Connection& connection = *slot->connection;
    // RFC 6191: a SYN that is certainly newer than the old incarnation in
    // TIME-WAIT opens a new one, if someone listens; otherwise TIME-WAIT
    // answers it (RFC 5961 4.2's challenge ACK).
    if (connection.accepts_new_incarnation(segment)) {
      if (Listener* listener = find_listener(tuple.local)) {
        const SeqNum iss = connection.next_incarnation_iss();
        connection.end_time_wait("rcv SYN of a new incarnation: TIME-WAIT ends early", "RFC 6191 section 2");
        return receive_for_listener(*listener, tuple, segment, packet, iss);
      }
    }
    connection.receive_segment(segment);
    return;
  }
  if (Listener* listener = find_listener(tuple.local)) return receive_for_listener(*listener, tuple, segment, packet);

  // RFC 9293 3.10.7.1, CLOSED (no TCB): "all data in the incoming segment is
  // discarded. An incoming segment containing a RST is discarded. An
  // incoming segment not containing a RST causes a RST to be sent in
  // response."
  if (segment.flags.rst_set()) return drop("no socket: RST ignored", packet);
  drop("no socket: RST sent", packet);
  send_reset_for(tuple, segment);
}

// RFC 9293 3.10.7.2, LISTEN.
void TcpLayer::receive_for_listener(Listener& listener, const FourTuple& tuple, const wire::TcpRepr& segment,
                                    Bytes packet, std::optional<SeqNum> iss) {
  // "First, check for a RST: An incoming RST segment could not be valid
  // since it could not have been sent in response to anything sent by this
  // incarnation of the connection. An incoming RST should be ignored."
  if (segment.flags.rst_set()) return drop("listener: RST ignored", packet);
  // "Second, check for an ACK: Any acknowledgment is bad if it arrives on a
  // connection still in the LISTEN state. An acceptable reset segment should
  // be formed for any arriving ACK-bearing segment."
  if (segment.flags.ack_set()) {
    drop("listener: ACK for no connection: RST sent", packet);
    return send_reset_for(tuple, segment);
  }
  // "Fourth, other data or control: ... Any other control or text-bearing
  // segment (not containing SYN) must have an ACK and thus would have been
  // discarded by the ACK processing."
  if (!segment.flags.syn_set()) return drop("listener: neither SYN nor ACK", packet);
  // Third, the SYN. With both queues bounded, a full listener drops it
  // unanswered, as Linux does without syncookies: the client retries.
  if (listener.full()) return drop("listen queue full", packet);

  Connection& connection = create(tuple, listener.config_, /*held=*/false, &listener, iss);
  listener.add_half_open(connection);
  connection.accept(segment);
}

void TcpLayer::receive_icmp_error(const IcmpErrorReport& report) {
  // The quoted datagram is one we sent: its source is our end. RFC 792
  // guarantees 8 bytes of it, enough for the ports and the sequence number.
  const Bytes quoted = report.quoted_transport;
  if (quoted.size() < 8) return drop("ICMP error quotes too little of the TCP header", {});
  const FourTuple tuple{Endpoint{report.quoted_header.source, Port{load_be16(quoted, 0)}},
                        Endpoint{report.quoted_header.destination, Port{load_be16(quoted, 2)}}};
  const Slot* slot = connections_.find(tuple);
  if (slot == nullptr) return drop("ICMP error for no connection", {});
  // RFC 5927 4.1: an error is believed only if it quotes a sequence number
  // we have sent and not yet seen acknowledged (SND.UNA <= SEG.SEQ < SND.NXT;
  // here SND.MAX, as SND.NXT goes back after a timeout); anything else may
  // be forged by an off-path attacker.
  Connection& connection = *slot->connection;
  const SeqNum seq{load_be32(quoted, 4)};
  if (!(connection.snd_una() <= seq && seq < connection.snd_max())) {
    return drop("ICMP error quotes a sequence number outside SND.UNA..SND.MAX", {});
  }
  // RFC 1122 4.2.3.9: TCP must not abort on these; the socket layer decides
  // what the user sees (Linux: the reason a timed-out connect() reports).
  connection.icmp_error(SoftError{report.type, report.code, report.reporter});
}

// --- Connection::Owner ------------------------------------------------------

void TcpLayer::send_segment(Connection& connection, const wire::TcpRepr& segment) {
  transmit(connection.tuple(), segment);
}

void TcpLayer::connection_established(Connection& connection) {
  const Slot* slot = connections_.find(connection.tuple());
  if (slot != nullptr && slot->listener != nullptr) slot->listener->promote(connection);
}

void TcpLayer::connection_closed(Connection& connection) {
  Slot* filed = connections_.find(connection.tuple());
  if (filed == nullptr || filed->connection.get() != &connection) return;
  // Out of the demultiplexer now: the four-tuple is free for a new
  // incarnation. The object itself must outlive this call (we are inside
  // one of its member functions), so it is parked, never destroyed here.
  Slot slot = std::move(*filed);
  connections_.erase(connection.tuple());
  if (slot.listener != nullptr) slot.listener->forget(connection);
  if (slot.held) {
    closed_held_.try_emplace(&connection, std::move(slot.connection));
  } else {
    graveyard_.push_back(std::move(slot.connection));
    sweep_graveyard_later();
  }
}

// --- helpers ------------------------------------------------------------------

void TcpLayer::transmit(const FourTuple& tuple, const wire::TcpRepr& segment) {
  const std::size_t length = segment.length();
  if (length > max_segment) return drop("segment larger than an IPv4 datagram can carry", {});
  // Emitted straight into the outgoing frame: the payload goes from the send
  // ring to the wire in one copy, summed as it is copied.
  const SendStatus status =
      ip_.send_written(tuple.remote.address, wire::ip_protocol::tcp, length, SendOptions{tuple.local.address},
                       [&](MutableBytes out) { segment.emit(out, tuple.local.address, tuple.remote.address); });
  // The routing table changed under an open connection: the segment is lost
  // like any other, and retransmission will try again. (The trace shows
  // the segment's bytes, so it is emitted aside for that.)
  if (!succeeded(status)) {
    segment_buffer_.resize(length);
    const MutableBytes bytes{segment_buffer_};
    segment.emit(bytes, tuple.local.address, tuple.remote.address);
    drop(to_string(status), Bytes{bytes});
  }
}

void TcpLayer::send_reset_for(const FourTuple& tuple, const wire::TcpRepr& segment) {
  // RFC 9293 3.10.7.1: "If the ACK bit is off, sequence number zero is used,
  //   <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
  // If the ACK bit is on,
  //   <SEQ=SEG.ACK><CTL=RST>"
  wire::TcpRepr reset;
  reset.source_port = tuple.local.port;
  reset.destination_port = tuple.remote.port;
  if (segment.flags.ack_set()) {
    reset.seq = segment.ack;
    reset.flags = wire::TcpFlags{wire::TcpFlags::rst};
  } else {
    reset.seq = SeqNum{0};
    reset.ack = segment.seq + segment.sequence_length();
    reset.flags = wire::TcpFlags{wire::TcpFlags::rst | wire::TcpFlags::ack};
  }
  tracer_.emit(Layer::Tcp, describe_sent(tuple, reset));
  transmit(tuple, reset);
}

void TcpLayer::drop(std::string_view reason, Bytes packet) { tracer_.emit(Layer::Tcp, Dropped{reason, {}}, packet); }

Connection& TcpLayer::create(const FourTuple& tuple, const SharedConfigPtr& config, bool held, Listener* listener,
                             std::optional<SeqNum> iss) {
  Connection::Owner& owner = *this;  // the base is private: convert here, where it is accessible
  auto connection = std::make_unique<Connection>(loop_, tracer_, owner, tuple, config,
                                                 iss.value_or(isn_.next(tuple, loop_.now())),
                                                 isn_.timestamp_offset(tuple.local.address, tuple.remote.address));
  Connection& result = *connection;
  connections_.try_emplace(tuple, Slot{std::move(connection), listener, held});
  return result;
}

// RFC 6056 3.3.3, algorithm 3 ("simple hash-based port selection"):
//
//   offset = F(local_IP, remote_IP, remote_port, secret_key)
//   for each try: port = min_ephemeral + (offset + next_ephemeral++) % num_ephemeral
//
// F is keyed SipHash, so an off-path attacker cannot guess our next port for
// a given peer, while connections to *different* peers walk independent
// sequences (what algorithms 1 and 2 cannot both give). A port is suitable
// when no connection has the resulting four-tuple and no listener owns it,
// or when the connection on it is in TIME-WAIT and may be taken over.
std::optional<TcpLayer::PortChoice> TcpLayer::pick_ephemeral_port(Ipv4Address local, Endpoint remote,
                                                                  const TcpConfig& config) {
  std::array<std::byte, 10> message{};
  store_be32(message, 0, local.to_u32());
  store_be32(message, 4, remote.address.to_u32());
  store_be16(message, 8, remote.port.value());
  const std::uint64_t count = std::uint64_t{ephemeral_.last} - ephemeral_.first + 1;
  const std::uint64_t offset = last_port_hash_(port_key_, message) % count;
  for (std::uint64_t tried = 0; tried < count; ++tried) {
    const auto port = static_cast<std::uint16_t>(ephemeral_.first + (offset + next_ephemeral_ % count) % count);
    ++next_ephemeral_;
    const FourTuple tuple{Endpoint{local, Port{port}}, remote};
    if (!port_taken(tuple)) return PortChoice{Port{port}, std::nullopt};
    if (const std::optional<SeqNum> iss = take_over_time_wait(tuple, config)) return PortChoice{Port{port}, iss};
  }
  return std::nullopt;
}

// Linux's tcp_tw_reuse (tcp_twsk_unique): with timestamps, the new
// incarnation's segments are newer than anything of the old one, so the
// peer's PAWS tells them apart, and the ISS starts above the old window.
// For a port bind() chose, Linux skips both tcp_tw_reuse and the one-second
// rule (tcp_twsk_unique, twp == NULL): timestamps alone suffice (T25b).
std::optional<SeqNum> TcpLayer::take_over_time_wait(const FourTuple& tuple, const TcpConfig& config, bool bound_port) {
  const Slot* slot = connections_.find(tuple);
  if (slot == nullptr) return std::nullopt;
  const bool bound_rule = bound_port && config.syn.bound_port_takes_over_time_wait &&
                          slot->connection->state() == State::TimeWait && slot->connection->timestamps_enabled();
  if (!bound_rule) {
    const bool allowed = config.time_wait_reuse == TimeWaitReuse::Always ||
                         (config.time_wait_reuse == TimeWaitReuse::LoopbackOnly && tuple.remote.address.is_loopback() &&
                          tuple.local.address.is_loopback());
    if (!allowed || !slot->connection->reusable_by_connect(loop_.now())) return std::nullopt;
  }
  Connection& old = *slot->connection;
  const SeqNum iss = old.next_incarnation_iss();
  old.end_time_wait("connect() takes over the four-tuple from TIME-WAIT (tcp_tw_reuse)", "RFC 6191, Linux tcp_tw_reuse");
  sweep_graveyard_now();  // inside connect(), a user call: the old incarnation can go now
  return iss;
}

bool TcpLayer::port_taken(const FourTuple& tuple) const {
  return connections_.contains(tuple) || listeners_.contains(tuple.local) ||
         listeners_.contains(Endpoint{Ipv4Address{}, tuple.local.port});
}

void TcpLayer::sweep_graveyard_now() {
  graveyard_.clear();
  loop_.cancel(sweep_event_);
  sweep_event_ = {};
}

void TcpLayer::sweep_graveyard_later() {
  if (!loop_.pending(sweep_event_)) sweep_event_ = loop_.post_after(Duration::zero(), [this] { graveyard_.clear(); });
}

}  // namespace netstep::tcp

namespace netstep::tcp {
bool TcpLayer::is_local_address(Ipv4Address address) const { return ip_.is_local_address(address); }
}  // namespace netstep::tcp
