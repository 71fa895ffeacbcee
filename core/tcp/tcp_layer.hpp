#pragma once
// The TCP layer of one host: the demultiplexer that hands each arriving
// segment to its connection (RFC 9293 3.10.7), listeners, active opens with
// an ephemeral port (RFC 6056) and an ISN (RFC 6528), the "no such
// connection" RST (3.10.7.1), and the IPv4 seam on both sides.
//
// Who owns a connection. The layer does, always. While a connection is not
// CLOSED it sits in the demultiplexer, keyed by its four-tuple (one hash
// probe per segment). A connection returned by connect() or by
// Listener::accept() is also *held* by the caller: it stays readable after it
// reaches CLOSED (state(), outcome()) until the caller calls release(). A
// released connection that is still open lives on by itself (an orphan, as
// Linux calls a closed socket in FIN-WAIT or TIME-WAIT) and is destroyed when
// it reaches CLOSED. Connections no one holds (still in a listener's queues,
// or released) are destroyed when they close.
//
// Destruction is never done inside a Connection's own call. When one reports
// connection_closed(), the layer takes it out of the demultiplexer at once
// (so its four-tuple is free again and a new SYN for it meets a listener, not
// a corpse) and, if no one holds it, moves it to a graveyard; one zero-delay
// loop event empties the graveyard after the current event has returned. The
// destructor cancels that event. The user calls below (connect, release)
// run outside any connection's own call, so they destroy at once what they
// close: release() of a CLOSED connection, and the TIME-WAIT connection
// that connect() takes over. The one rule for callers follows: never call
// the layer from inside a connection's callbacks (trace sinks, observers).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/four_tuple.hpp"
#include "base/open_hash_map.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "event/event_loop.hpp"
#include "ip/ipv4_layer.hpp"
#include "ip/transport.hpp"
#include "tcp/connection.hpp"
#include "tcp/isn.hpp"
#include "tcp/listener.hpp"
#include "tcp/last_sip_hash.hpp"
#include "tcp/siphash.hpp"
#include "tcp/tcp_config.hpp"
#include "trace/trace_bus.hpp"
#include "wire/tcp.hpp"

namespace netstep::tcp {

// Why connect() could not even start: the canonical outcomes the socket layer
// maps to an errno per personality later (Linux in brackets).
enum class ConnectError : std::uint8_t {
  NoRoute,              // no route covers the destination, or it is broadcast/multicast [ENETUNREACH]
  UnreachableRoute,     // an "unreachable" route covers it [EHOSTUNREACH]
  ProhibitRoute,        // a "prohibit" route covers it [EACCES]
  BlackholeRoute,       // a "blackhole" route covers it [EINVAL]
  AddressNotAvailable,  // the requested local address is not one of ours [EADDRNOTAVAIL]
  AddressInUse,         // the requested local endpoint already has this exact connection [EADDRINUSE]
  NoEphemeralPort,      // every port of the ephemeral range is taken for this peer [EADDRNOTAVAIL]
  NotUnicast,           // the destination is a broadcast or multicast address [ENETUNREACH]
  TimeWaitInUse,        // the bound local endpoint's connection to this peer is in TIME-WAIT and may not be
                        // taken over [EADDRNOTAVAIL, measured with tcp_timestamps=0]
};
[[nodiscard]] std::string_view to_string(ConnectError e);
// One sentence, in our words, for the narrative and the debugger.
[[nodiscard]] std::string_view explain(ConnectError e);

class TcpLayer final : public TransportProtocol, private Connection::Owner {
 public:
  // Registers itself with `ip` for protocol 6. `random` supplies the ISN key
  // (RFC 6528), the port-selection key and the starting counter (RFC 6056);
  // `defaults` configures every new connection (validated here: throws
  // std::invalid_argument).
  TcpLayer(EventLoop& loop, Tracer tracer, Ipv4Layer& ip, Random random, TcpConfig defaults = {});
  TcpLayer(const TcpLayer&) = delete;
  TcpLayer& operator=(const TcpLayer&) = delete;
  ~TcpLayer() override;

  // Active OPEN (RFC 9293 3.10.1). The source address is the route's unless
  // `local` names one of ours; a zero local port means "pick an ephemeral
  // one". Remote 0.0.0.0 means this host (127.0.0.1), as on Linux. On
  // success the SYN is on its way (or waiting for ARP) and the caller holds
  // the connection.
  Result<Connection*, ConnectError> connect(Endpoint remote, std::optional<Endpoint> local = {},
                                            std::optional<TcpConfig> config = {});

  // Passive OPEN on `local` (address 0.0.0.0: every address of this host).
  // backlog < 1 counts as 1. Throws std::invalid_argument if the endpoint
  // already listens, its port is 0, or its address is not ours: the socket
  // layer's bind() reports those before a listen() can get here.
  Listener& listen(Endpoint local, int backlog, std::optional<TcpConfig> config = {});
  // Stops listening: queued connections no one accepted are aborted
  // (RFC 9293 3.10.5: RST if the handshake got far enough), and the listener
  // is destroyed.
  void close(Listener& listener);

  // The caller no longer needs `connection` (see the ownership note above).
  // It is destroyed now if CLOSED, otherwise when it reaches CLOSED.
  void release(Connection& connection);

  // O(1): the open connection with this tuple (local, remote), if any.
  [[nodiscard]] Connection* find(const FourTuple& tuple) const;
  [[nodiscard]] Listener* find_listener(Endpoint local) const;
  // One of this host's addresses (for the socket layer's bind()).
  [[nodiscard]] bool is_local_address(Ipv4Address address) const;

  [[nodiscard]] std::size_t connection_count() const { return connections_.size(); }
  // The IPv4 layer under this TCP (the socket layer configures the host's
  // interfaces for its personality through it).
  Ipv4Layer& ip() { return ip_; }
  [[nodiscard]] const TcpConfig& defaults() const { return defaults_->tcp; }
  // For connections and listeners created from now on (validated: throws
  // std::invalid_argument).
  void set_defaults(const TcpConfig& defaults) {
    defaults_ = share(defaults);  // validated: throws
  }
  [[nodiscard]] EphemeralRange ephemeral_range() const { return ephemeral_; }
  // Throws std::invalid_argument for an empty range or one including port 0.
  void set_ephemeral_range(EphemeralRange range);

  // --- TransportProtocol (from IPv4) ---------------------------------------
  [[nodiscard]] std::string_view transport_name() const override { return "tcp"; }
  void receive_ipv4(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) override;
  void receive_icmp_error(const IcmpErrorReport& report) override;

 private:
  friend class Listener;
  // Listener::accept(): the connection leaves the listener and is held by the caller.
  void adopt_from_listener(Connection& connection);

  // What the layer knows about each open connection besides the TCB.
  struct Slot {
    std::unique_ptr<Connection> connection;
    Listener* listener = nullptr;  // queued there, not yet accepted
    bool held = false;             // a caller has it (connect, accept) and has not released it
  };

  // --- Connection::Owner ----------------------------------------------------
  void send_segment(Connection& connection, const wire::TcpRepr& segment) override;
  void connection_established(Connection& connection) override;
  void connection_closed(Connection& connection) override;

  void receive_for_listener(Listener& listener, const FourTuple& tuple, const wire::TcpRepr& segment, Bytes packet,
                            std::optional<SeqNum> iss = {});
  // RFC 9293 3.10.7.1: the RST that answers a segment no connection wants.
  void send_reset_for(const FourTuple& tuple, const wire::TcpRepr& segment);
  void drop(std::string_view reason, Bytes packet);

  // A local port for connect(), and the ISS the new connection must start
  // above when it takes over a four-tuple from TIME-WAIT.
  struct PortChoice {
    Port port;
    std::optional<SeqNum> iss;
  };
  [[nodiscard]] std::optional<PortChoice> pick_ephemeral_port(Ipv4Address local, Endpoint remote, const TcpConfig& config);
  [[nodiscard]] bool port_taken(const FourTuple& tuple) const;
  // A connection in TIME-WAIT on `tuple` that connect() may take over
  // (Linux's tcp_tw_reuse): it is ended, and the ISS to use is returned.
  std::optional<SeqNum> take_over_time_wait(const FourTuple& tuple, const TcpConfig& config, bool bound_port = false);
  Connection& create(const FourTuple& tuple, const SharedConfigPtr& config, bool held, Listener* listener,
                     std::optional<SeqNum> iss = {});
  void transmit(const FourTuple& tuple, const wire::TcpRepr& segment);
  // Destroys the graveyard's connections in a zero-delay loop event, after
  // the event that closed them has returned.
  void sweep_graveyard_later();
  // From a user call only (no connection's own call under way).
  void sweep_graveyard_now();

  EventLoop& loop_;
  Tracer tracer_;
  Ipv4Layer& ip_;
  SharedConfigPtr defaults_;  // shared by every connection and listener made with them
  IsnGenerator isn_;
  SipKey port_key_;                 // RFC 6056 algorithm 3's secret key
  std::uint64_t next_ephemeral_;    // ... and its counter
  LastSipHash<10> last_port_hash_;  // F for the last destination (a cache)
  EphemeralRange ephemeral_;

  // The demultiplexer: one hash probe per arriving segment, none when it is
  // for the same connection as the one before (OpenHashMap remembers it).
  OpenHashMap<FourTuple, Slot> connections_;
  struct EndpointHash {
    std::size_t operator()(const Endpoint& e) const noexcept {
      return std::hash<std::uint64_t>{}((std::uint64_t{e.address.to_u32()} << 16) | e.port.value());
    }
  };
  OpenHashMap<Endpoint, std::unique_ptr<Listener>, EndpointHash> listeners_;
  // CLOSED but held by a caller, until release().
  OpenHashMap<const Connection*, std::unique_ptr<Connection>> closed_held_;
  std::vector<std::unique_ptr<Connection>> graveyard_;
  EventLoop::EventId sweep_event_{};

  std::vector<std::byte> segment_buffer_;  // a segment IPv4 refused, emitted for the trace (rare)
};

}  // namespace netstep::tcp
