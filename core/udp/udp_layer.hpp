#pragma once
// The UDP layer of one host (RFC 768, RFC 1122 4.1): bind() with ephemeral
// ports (RFC 6056), the demultiplexer that hands each arriving datagram to
// its socket's PCB, ICMP port unreachable for a datagram no one wants
// (RFC 1122 4.1.3.1), ICMP errors handed back to the PCB that sent the
// datagram they quote (4.1.3.3), and the IPv4 seam on both sides.
//
// Who owns a PCB. The layer does, always: bind() makes one and hands out a
// pointer, valid until release(). release() unbinds the PCB at once (its
// port is free again, nothing more is delivered to it, its observer is
// never called again) and frees it after the current event has returned, by
// a zero-delay loop event, so a PCB released from inside an observer's call
// is never destroyed under the caller. The destructor frees every PCB.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/open_hash_map.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "event/event_loop.hpp"
#include "ip/ipv4_layer.hpp"
#include "ip/transport.hpp"
#include "trace/trace_bus.hpp"
#include "udp/port_table.hpp"
#include "udp/udp_config.hpp"
#include "udp/udp_error.hpp"
#include "udp/udp_pcb.hpp"

namespace netstep::udp {

class UdpLayer final : public TransportProtocol {
 public:
  // The most a datagram can carry: 65535 less the IPv4 and UDP headers.
  static constexpr std::size_t max_payload = 65535 - 20 - 8;

  // Registers itself with `ip` for protocol 17. `random` picks ephemeral
  // ports and seeds the tables. `config` is validated here (throws
  // std::invalid_argument).
  UdpLayer(EventLoop& loop, Tracer tracer, Ipv4Layer& ip, Random random, UdpConfig config = {});
  UdpLayer(const UdpLayer&) = delete;
  UdpLayer& operator=(const UdpLayer&) = delete;
  ~UdpLayer() override;

  // A new PCB bound to `local`. Address 0.0.0.0: every address of this
  // host; otherwise one of ours, a broadcast or a multicast address (Linux's
  // inet_bind accepts those to receive them), else AddressNotAvailable.
  // Port 0: an ephemeral port (NoEphemeralPort when every one is taken);
  // otherwise AddressInUse when the port is bound on an overlapping address
  // and not both PCBs set reuse_address.
  Result<UdpPcb*, UdpError> bind(Endpoint local, BindOptions options = {});
  // The caller no longer needs `pcb` (see the ownership note above).
  void release(UdpPcb& pcb);

  // The PCB a unicast datagram from `from` to `to` would be queued on, if any.
  [[nodiscard]] UdpPcb* find(Endpoint from, Endpoint to) { return ports_.lookup(from, to); }
  [[nodiscard]] std::size_t pcb_count() const { return pcbs_.size(); }
  [[nodiscard]] std::size_t bound_count() const { return ports_.size(); }

  // A broadcast for SO_BROADCAST's purpose: the limited broadcast or one of
  // our subnets' (multicast needs no permission).
  [[nodiscard]] bool is_broadcast(Ipv4Address address) const;

  [[nodiscard]] const UdpConfig& config() const { return config_; }
  // For PCBs made from now on (validated: throws std::invalid_argument).
  void set_config(const UdpConfig& config);
  [[nodiscard]] EphemeralRange ephemeral_range() const { return ephemeral_; }
  // Throws std::invalid_argument for an empty range or one including port 0.
  void set_ephemeral_range(EphemeralRange range);

  // --- TransportProtocol (from IPv4) ---------------------------------------
  [[nodiscard]] std::string_view transport_name() const override { return "udp"; }
  void receive_ipv4(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) override;
  void receive_icmp_error(const IcmpErrorReport& report) override;

 private:
  friend class UdpPcb;
  // UdpPcb's calls, which need the routing table and the port table.
  Result<Endpoint, UdpError> connect(UdpPcb& pcb, Endpoint remote, bool check_broadcast);
  void disconnect(UdpPcb& pcb, bool release_auto_port);
  Result<SendStatus, UdpError> send(UdpPcb& pcb, Endpoint destination, Bytes data, bool check_broadcast);

  // Binds an unbound PCB to an ephemeral port on its address.
  [[nodiscard]] bool autobind(UdpPcb& pcb);
  [[nodiscard]] std::optional<Port> pick_ephemeral_port(Ipv4Address local, bool reuse_address);
  [[nodiscard]] bool bindable(Ipv4Address address) const;
  // The source address a PCB's datagrams carry: its bound address, or
  // 0.0.0.0 (routing chooses) when that is the wildcard, a broadcast or a
  // multicast address (Linux's inet_bind leaves inet_saddr 0 for those).
  [[nodiscard]] Ipv4Address source_address(const UdpPcb& pcb) const;

  void deliver(UdpPcb& pcb, Endpoint from, Endpoint to, Bytes data, Bytes packet);
  void deliver_to_group(Endpoint from, Endpoint to, Bytes data, Bytes packet);
  void answer_no_socket(const wire::Ipv4Repr& header, Bytes packet, bool link_broadcast);
  void drop(std::string_view reason, Bytes packet);
  // Frees the graveyard's PCBs in a zero-delay loop event, after the event
  // that released them has returned.
  void sweep_graveyard_later();

  EventLoop& loop_;
  Tracer tracer_;
  Ipv4Layer& ip_;
  Random random_;  // RFC 6056 algorithm 1's random starting points
  UdpConfig config_;
  EphemeralRange ephemeral_;
  PortTable ports_;                                          // bound PCBs, by port
  OpenHashMap<const UdpPcb*, std::unique_ptr<UdpPcb>> pcbs_;  // every PCB not yet released
  std::vector<std::unique_ptr<UdpPcb>> graveyard_;           // released, freed by the next sweep
  EventLoop::EventId sweep_event_{};
};

}  // namespace netstep::udp
