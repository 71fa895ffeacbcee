#pragma once
// ICMP (RFC 792, RFC 1122 section 3.2.2): answers echo requests, sends
// errors about datagrams this host could not deliver or forward, and hands
// received errors to whoever owns the flow they quote (a transport, or a
// ping in progress).
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/time.hpp"
#include "ip/send_status.hpp"
#include "ip/transport.hpp"
#include "trace/trace_bus.hpp"
#include "wire/icmp.hpp"
#include "wire/ipv4.hpp"

namespace netstep {

class Ipv4Layer;

// An application that sends echo requests (ping), like a raw ICMP socket
// bound to one identifier.
class EchoListener {
 public:
  virtual ~EchoListener() = default;
  virtual void receive_echo_reply(const wire::Ipv4Repr& header, const wire::IcmpRepr& reply) = 0;
  virtual void receive_echo_error(const IcmpErrorReport& report, std::uint16_t sequence) = 0;
};

struct IcmpConfig {
  bool answer_echo = true;               // net.ipv4.icmp_echo_ignore_all = 0
  bool answer_broadcast_echo = false;    // net.ipv4.icmp_echo_ignore_broadcasts = 1
};

class IcmpLayer {
 public:
  IcmpLayer(Ipv4Layer& ip, Tracer tracer, IcmpConfig config);

  // Inbound: an ICMP message addressed to this host.
  void receive(const wire::Ipv4Repr& header, Bytes message, Bytes packet, bool link_broadcast);

  // Outbound error about `original` (a whole IPv4 packet we received or
  // tried to send), unless RFC 1122 3.2.2 forbids one: never about an ICMP
  // error, a broadcast or multicast, a non-initial fragment, or a source that
  // is not one host. Returns true if an error was sent.
  bool send_error(std::uint8_t type, std::uint8_t code, Bytes original, bool link_broadcast = false,
                  std::uint32_t rest_of_header = 0);

  // The same error about a datagram this host sent itself (`original`'s
  // source is ours), handed at once to the owner of the flow it quotes (a
  // transport, or a ping in progress), as if it had arrived; `reason` says
  // why ("next hop did not answer ARP") in the trace. No ICMP message goes
  // to ourselves: it would wait in the loopback queue behind a timer due at
  // the same instant, and a SYN retransmitted there would start another ARP
  // resolution (Linux reports its ARP failure first: connect-matrix.md T08).
  // Returns true if the error was reported.
  bool report_to_local_sender(std::uint8_t type, std::uint8_t code, Bytes original, std::string_view reason);

  SendStatus send_echo_request(Ipv4Address destination, std::uint16_t identifier, std::uint16_t sequence,
                               Bytes data, std::uint8_t ttl = 0);

  void add_echo_listener(std::uint16_t identifier, EchoListener& listener) { echo_listeners_[identifier] = &listener; }
  void remove_echo_listener(std::uint16_t identifier) { echo_listeners_.erase(identifier); }

 private:
  // RFC 1122 3.2.2: the header of `original` if an error about it may be
  // made at all, else nullopt.
  [[nodiscard]] std::optional<wire::Ipv4Repr> reportable(Bytes original, bool link_broadcast) const;
  // Hands an error about a datagram we sent to the owner of its flow.
  // `local_reason`: empty for an ICMP message that arrived from `reporter`;
  // otherwise why this host reports its own datagram.
  void deliver_error(Ipv4Address reporter, const wire::IcmpRepr& icmp, std::string_view local_reason);
  void answer_echo(const wire::Ipv4Repr& header, const wire::IcmpRepr& request);
  SendStatus send_message(Ipv4Address destination, const wire::IcmpRepr& message, Ipv4Address source,
                          std::uint8_t ttl);

  Ipv4Layer& ip_;
  Tracer tracer_;
  IcmpConfig config_;
  std::unordered_map<std::uint16_t, EchoListener*> echo_listeners_;
  std::vector<std::byte> scratch_;  // one outgoing ICMP message, reused
};

}  // namespace netstep
