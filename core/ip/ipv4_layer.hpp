#pragma once
// The IPv4 layer of one host (RFC 791, RFC 1122 section 3.3, RFC 1812 for
// forwarding): checks and delivers inbound packets, reassembles fragments,
// routes and fragments outbound ones, forwards for others when it is a
// router, and owns ICMP.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "base/bytes.hpp"
#include "base/random.hpp"
#include "event/event_loop.hpp"
#include "ip/icmp_layer.hpp"
#include "ip/reassembler.hpp"
#include "ip/routing_table.hpp"
#include "ip/send_status.hpp"
#include "ip/transport.hpp"
#include "link/ethernet_interface.hpp"
#include "trace/trace_bus.hpp"
#include "wire/ipv4.hpp"

namespace netstep {

struct Ipv4Config {
  std::uint8_t default_ttl = 64;  // net.ipv4.ip_default_ttl
  bool forwarding = false;        // net.ipv4.ip_forward: a router forwards
  ReassemblyConfig reassembly;
  IcmpConfig icmp;
};

struct SendOptions {
  Ipv4Address source;             // 0.0.0.0: the outgoing interface's address
  std::uint8_t ttl = 0;           // 0: the default TTL
  bool dont_fragment = false;
  std::uint8_t dscp = 0;
};

// Where a packet to some destination would go, and why.
struct RouteChoice {
  SendStatus status = SendStatus::NoRoute;
  const Route* route = nullptr;
  EthernetInterface* interface = nullptr;
  Ipv4Address source;
  Ipv4Address next_hop;
};

class Ipv4Layer final : public Ipv4Receiver {
 public:
  Ipv4Layer(EventLoop& loop, Tracer tracer, Random random, Ipv4Config config);
  Ipv4Layer(const Ipv4Layer&) = delete;
  Ipv4Layer& operator=(const Ipv4Layer&) = delete;
  // Cancels loopback deliveries still pending in the event loop.
  ~Ipv4Layer();

  // Attaches an interface and adds its connected route; returns its index.
  std::uint32_t add_interface(EthernetInterface& interface);
  [[nodiscard]] EthernetInterface& interface(std::uint32_t index) { return *interfaces_.at(index); }
  [[nodiscard]] std::size_t interface_count() const { return interfaces_.size(); }

  RoutingTable& routes() { return routes_; }
  [[nodiscard]] const RoutingTable& routes() const { return routes_; }
  IcmpLayer& icmp() { return icmp_; }
  [[nodiscard]] const Ipv4Config& config() const { return config_; }
  void set_forwarding(bool on) { config_.forwarding = on; }

  void register_transport(std::uint8_t protocol, TransportProtocol& transport);
  [[nodiscard]] TransportProtocol* transport(std::uint8_t protocol) const;

  [[nodiscard]] bool is_local_address(Ipv4Address address) const;
  // 255.255.255.255, a connected subnet's broadcast, or the all-hosts group.
  [[nodiscard]] bool is_broadcast_for_us(Ipv4Address destination) const;
  // The route an outbound packet to `destination` would take (traced).
  RouteChoice route_output(Ipv4Address destination, Ipv4Address source = {});

  // Sends one datagram, fragmenting it if it exceeds the interface MTU.
  SendStatus send(Ipv4Address destination, std::uint8_t protocol, Bytes payload, SendOptions options = {});

  // The same, for a payload of `length` bytes that `write(MutableBytes)`
  // puts in place: when the datagram fits the interface MTU that is the
  // outgoing frame itself, so the payload is written once and never copied
  // again (TCP emits its segments this way). Loopback and datagrams that
  // must be fragmented go through a scratch buffer and send() instead. The
  // route is chosen (and traced) before `write` is called, exactly once, on
  // success; on a routing failure `write` is not called at all.
  // `write(MutableBytes, const wire::Ipv4Repr&)` also receives the header
  // the payload goes out with: a sender that left the source to routing
  // (UDP on a wildcard address) learns it there, for its pseudo-header
  // checksum, without a second route lookup.
  template <class Write>
  SendStatus send_written(Ipv4Address destination, std::uint8_t protocol, std::size_t length, SendOptions options,
                          Write&& write) {
    return send_written(destination, protocol, length, options,
                        PayloadWriter{&write, [](void* w, MutableBytes out, const wire::Ipv4Repr& header) {
                                        auto& f = *static_cast<std::remove_reference_t<Write>*>(w);
                                        if constexpr (std::is_invocable_v<decltype(f), MutableBytes,
                                                                          const wire::Ipv4Repr&>) {
                                          f(out, header);
                                        } else {
                                          f(out);
                                        }
                                      }});
  }

  // From the interfaces.
  void receive_ipv4(EthernetInterface& from, Bytes packet, bool link_broadcast) override;
  void receive_unresolved(EthernetInterface& on, Ipv4Address next_hop, Bytes packet) override;

 private:
  // A borrowed callable for send_written (no allocation, no copy).
  struct PayloadWriter {
    void* object;
    void (*call)(void* object, MutableBytes out, const wire::Ipv4Repr& header);
    void operator()(MutableBytes out, const wire::Ipv4Repr& header) const { call(object, out, header); }
  };
  SendStatus send_written(Ipv4Address destination, std::uint8_t protocol, std::size_t length, SendOptions options,
                          PayloadWriter write);
  // The header of a new datagram along `choice` (takes the next identification).
  wire::Ipv4Repr new_header(Ipv4Address destination, std::uint8_t protocol, std::size_t length,
                            const SendOptions& options, const RouteChoice& choice);

  void receive_packet(Bytes packet, bool link_broadcast, bool from_loopback);
  void deliver(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast);
  void forward(const wire::Ipv4Repr& header, Bytes packet, bool link_broadcast);
  void deliver_locally(const wire::Ipv4Repr& header, Bytes payload);
  void transmit(EthernetInterface& out, Ipv4Address next_hop, const wire::Ipv4Repr& header, Bytes payload);
  void drop(std::string_view reason, Bytes packet);

  EventLoop& loop_;
  Tracer tracer_;
  Ipv4Config config_;
  RoutingTable routes_;
  std::vector<EthernetInterface*> interfaces_;
  // From the interfaces' addresses, fixed when each is added: asked for
  // every packet received, so kept as flat lists.
  std::vector<Ipv4Address> local_addresses_;
  std::vector<Ipv4Address> directed_broadcasts_;
  TransportProtocol* transports_[256] = {};
  IcmpLayer icmp_;
  Reassembler reassembler_;
  std::uint16_t next_identification_;
  struct LoopedBack {
    EventLoop::EventId delivery;
    std::vector<std::byte> packet;
  };
  std::deque<LoopedBack> loopback_;  // packets to ourselves, each delivered by its own event
  std::vector<std::byte> written_scratch_;  // send_written's payload when it cannot go straight to a frame
};

}  // namespace netstep
