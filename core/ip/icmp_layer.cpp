#include "ip/icmp_layer.hpp"

#include "ip/ipv4_layer.hpp"

namespace netstep {

namespace {
// RFC 1122 3.2.2 (e): a source that does not name one host (zero, broadcast,
// multicast, class E) never gets an ICMP error. (Loopback sources from the
// wire never get this far: IPv4 drops them as martians.)
bool names_one_host(Ipv4Address a) {
  return !a.is_unspecified() && !a.is_broadcast() && !a.is_multicast() && (a.to_u32() >> 28) != 0xf;
}
}  // namespace

IcmpLayer::IcmpLayer(Ipv4Layer& ip, Tracer tracer, IcmpConfig config) : ip_{ip}, tracer_{tracer}, config_{config} {}

SendStatus IcmpLayer::send_message(Ipv4Address destination, const wire::IcmpRepr& message, Ipv4Address source,
                                   std::uint8_t ttl) {
  scratch_.resize(message.length());
  message.emit(MutableBytes{scratch_});
  const SendStatus status =
      ip_.send(destination, wire::ip_protocol::icmp, Bytes{scratch_}, SendOptions{source, ttl, false, 0});
  if (succeeded(status)) {
    tracer_.emit(Layer::Icmp, IcmpSent{message.type, message.code, wire::describe_icmp(message.type, message.code),
                                       destination});
  }
  return status;
}

std::optional<wire::Ipv4Repr> IcmpLayer::reportable(Bytes original, bool link_broadcast) const {
  const auto quoted = wire::Ipv4Repr::parse_quoted(original);
  if (!quoted || link_broadcast) return std::nullopt;
  const wire::Ipv4Repr& about = *quoted;
  if (about.destination.is_multicast() || ip_.is_broadcast_for_us(about.destination)) return std::nullopt;
  if (about.fragment_offset != 0) return std::nullopt;
  if (!names_one_host(about.source)) return std::nullopt;
  if (about.protocol == wire::ip_protocol::icmp) {
    const Bytes inner = original.subspan(about.parsed_header_length);
    // Never an error about an error (RFC 1122 3.2.2); unknown types count as errors too.
    if (inner.empty()) return std::nullopt;
    const auto inner_type = load_u8(inner, 0);
    if (inner_type != wire::icmp_type::echo_request && inner_type != wire::icmp_type::echo_reply &&
        inner_type != wire::icmp_type::timestamp && inner_type != wire::icmp_type::timestamp_reply) {
      return std::nullopt;
    }
  }
  return about;
}

bool IcmpLayer::send_error(std::uint8_t type, std::uint8_t code, Bytes original, bool link_broadcast,
                           std::uint32_t rest_of_header) {
  const std::optional<wire::Ipv4Repr> about = reportable(original, link_broadcast);
  if (!about) return false;
  const auto message = wire::IcmpRepr::error(type, code, original, rest_of_header);
  return succeeded(send_message(about->source, message, {}, 0));
}

bool IcmpLayer::report_to_local_sender(std::uint8_t type, std::uint8_t code, Bytes original,
                                       std::string_view reason) {
  const std::optional<wire::Ipv4Repr> about = reportable(original, false);
  if (!about) return false;
  // The error as the ICMP message would have carried it (the same quote),
  // reported by our own address, as Linux's ping shows it ("From 10.0.0.1").
  deliver_error(about->source, wire::IcmpRepr::error(type, code, original), reason);
  return true;
}

SendStatus IcmpLayer::send_echo_request(Ipv4Address destination, std::uint16_t identifier, std::uint16_t sequence,
                                        Bytes data, std::uint8_t ttl) {
  return send_message(destination, wire::IcmpRepr::echo_request(identifier, sequence, data), {}, ttl);
}

void IcmpLayer::receive(const wire::Ipv4Repr& header, Bytes message, Bytes packet, bool link_broadcast) {
  const auto parsed = wire::IcmpRepr::parse(message);
  if (!parsed) {
    tracer_.emit(Layer::Icmp, Dropped{wire::describe(parsed.error()), {}}, packet);
    return;
  }
  const wire::IcmpRepr& icmp = *parsed;
  tracer_.emit(Layer::Icmp, IcmpReceived{icmp.type, icmp.code, wire::describe_icmp(icmp.type, icmp.code), header.source});

  const auto drop = [&](std::string_view reason) { tracer_.emit(Layer::Icmp, Dropped{reason, {}}, packet); };
  switch (icmp.type) {
    case wire::icmp_type::echo_request: {
      const bool broadcast = link_broadcast || !ip_.is_local_address(header.destination);
      if (!config_.answer_echo) return drop("echo requests are ignored (icmp_echo_ignore_all)");
      if (broadcast && !config_.answer_broadcast_echo) {
        return drop("broadcast echo requests are ignored (icmp_echo_ignore_broadcasts)");
      }
      return answer_echo(header, icmp);
    }
    case wire::icmp_type::echo_reply: {
      const auto it = echo_listeners_.find(icmp.identifier());
      if (it == echo_listeners_.end()) return drop("echo reply for no ping in progress");
      return it->second->receive_echo_reply(header, icmp);
    }
    case wire::icmp_type::destination_unreachable:
    case wire::icmp_type::time_exceeded:
    case wire::icmp_type::parameter_problem:
      return deliver_error(header.source, icmp, {});
    case wire::icmp_type::source_quench:
      return drop("source quench is deprecated (RFC 6633) and ignored");
    case wire::icmp_type::redirect:
      return drop("redirects are not followed");
    default:
      return drop("ICMP type not handled");
  }
}

void IcmpLayer::answer_echo(const wire::Ipv4Repr& header, const wire::IcmpRepr& request) {
  // RFC 1122 3.2.2.6: the reply carries the request's identifier, sequence
  // and data, from the address the request was sent to.
  send_message(header.source, wire::IcmpRepr::echo_reply(request.identifier(), request.sequence(), request.data),
               header.destination, 0);
}

void IcmpLayer::deliver_error(Ipv4Address reporter, const wire::IcmpRepr& icmp, std::string_view local_reason) {
  const auto drop = [&](std::string_view reason) { tracer_.emit(Layer::Icmp, Dropped{reason, {}}, icmp.data); };
  const auto quoted = icmp.quoted();
  if (!quoted) return drop("ICMP error quotes an unreadable datagram");
  if (!ip_.is_local_address(quoted->header.source)) return drop("ICMP error about a datagram we did not send");

  const IcmpErrorReport report{icmp.type, icmp.code, icmp.rest_of_header, reporter, quoted->header,
                               quoted->transport};
  // Find the owner first, so the trace says where the error went before the
  // owner reacts to it.
  EchoListener* ping = nullptr;
  std::uint16_t ping_sequence = 0;
  TransportProtocol* transport = nullptr;
  std::string_view delivered_to = "nobody";
  if (quoted->header.protocol == wire::ip_protocol::icmp) {
    const Bytes echo = quoted->transport;
    if (echo.size() >= 8 && load_u8(echo, 0) == wire::icmp_type::echo_request) {
      const auto it = echo_listeners_.find(load_be16(echo, 4));
      if (it != echo_listeners_.end()) {
        ping = it->second;
        ping_sequence = load_be16(echo, 6);
        delivered_to = "ping";
      }
    }
  } else if ((transport = ip_.transport(quoted->header.protocol)) != nullptr) {
    delivered_to = transport->transport_name();
  }
  tracer_.emit(Layer::Icmp, IcmpErrorDelivered{wire::describe_icmp(icmp.type, icmp.code), quoted->header.protocol,
                                               quoted->header.destination, delivered_to, local_reason});
  if (ping != nullptr) ping->receive_echo_error(report, ping_sequence);
  if (transport != nullptr) transport->receive_icmp_error(report);
}

}  // namespace netstep
