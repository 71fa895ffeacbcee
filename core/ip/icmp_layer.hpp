#pragma once
// ICMP (RFC 792, RFC 1122 section 3.2.2): answers echo requests, sends
// errors about datagrams this host could not deliver or forward, and hands
// received errors to whoever owns the flow they quote (a transport, or a
// ping in progress).
#include <cstdint>
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

  SendStatus send_echo_request(Ipv4Address destination, std::uint16_t identifier, std::uint16_t sequence,
                               Bytes data, std::uint8_t ttl = 0);

  void add_echo_listener(std::uint16_t identifier, EchoListener& listener) { echo_listeners_[identifier] = &listener; }
  void remove_echo_listener(std::uint16_t identifier) { echo_listeners_.erase(identifier); }

 private:
  void receive_error(const wire::Ipv4Repr& header, const wire::IcmpRepr& icmp);
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
