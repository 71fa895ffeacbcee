#include "wire/icmp.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "wire/checksum.hpp"

namespace netstep::wire {

namespace {
constexpr std::string_view unreachable_text[16] = {
    "destination net unreachable",
    "destination host unreachable",
    "destination protocol unreachable",
    "destination port unreachable",
    "fragmentation needed and DF set",
    "source route failed",
    "destination network unknown",
    "destination host unknown",
    "source host isolated",
    "destination network administratively prohibited",
    "destination host administratively prohibited",
    "destination network unreachable for type of service",
    "destination host unreachable for type of service",
    "communication administratively prohibited",
    "host precedence violation",
    "precedence cutoff in effect",
};
constexpr std::string_view redirect_text[4] = {
    "redirect for network",
    "redirect for host",
    "redirect for type of service and network",
    "redirect for type of service and host",
};
constexpr std::string_view parameter_problem_text[3] = {
    "parameter problem: pointer indicates the error",
    "parameter problem: missing a required option",
    "parameter problem: bad length",
};

void copy_data(MutableBytes to, Bytes from) {
  // memmove: the data may already sit in place (built where it is sent).
  if (!from.empty() && to.data() != from.data()) std::memmove(to.data(), from.data(), from.size());
}
}  // namespace

std::string_view describe_icmp(std::uint8_t type, std::uint8_t code) {
  switch (type) {
    case icmp_type::echo_reply: return code == 0 ? "echo reply" : "";
    case icmp_type::echo_request: return code == 0 ? "echo request" : "";
    case icmp_type::destination_unreachable: return code < 16 ? unreachable_text[code] : "";
    case icmp_type::source_quench: return code == 0 ? "source quench" : "";
    case icmp_type::redirect: return code < 4 ? redirect_text[code] : "";
    case icmp_type::time_exceeded:
      if (code == 0) return "time to live exceeded in transit";
      if (code == 1) return "fragment reassembly time exceeded";
      return "";
    case icmp_type::parameter_problem: return code < 3 ? parameter_problem_text[code] : "";
    case icmp_type::timestamp: return code == 0 ? "timestamp request" : "";
    case icmp_type::timestamp_reply: return code == 0 ? "timestamp reply" : "";
    default: return "";
  }
}

bool is_icmp_error(std::uint8_t type) {
  return type == icmp_type::destination_unreachable || type == icmp_type::source_quench ||
         type == icmp_type::redirect || type == icmp_type::time_exceeded ||
         type == icmp_type::parameter_problem;
}

Result<IcmpView, WireError> IcmpView::check(Bytes message) {
  if (message.size() < header_length) return Failure{WireError::Truncated};
  return IcmpView{message};
}

bool IcmpView::checksum_ok() const { return internet_checksum(bytes_) == 0; }

IcmpRepr IcmpRepr::echo_request(std::uint16_t identifier, std::uint16_t sequence, Bytes data) {
  return IcmpRepr{icmp_type::echo_request, 0, std::uint32_t{identifier} << 16 | sequence, data};
}

IcmpRepr IcmpRepr::echo_reply(std::uint16_t identifier, std::uint16_t sequence, Bytes data) {
  return IcmpRepr{icmp_type::echo_reply, 0, std::uint32_t{identifier} << 16 | sequence, data};
}

IcmpRepr IcmpRepr::error(std::uint8_t type, std::uint8_t code, Bytes original, std::uint32_t rest) {
  return IcmpRepr{type, code, rest, original.first(quote_length(original))};
}

std::size_t IcmpRepr::quote_length(Bytes original) {
  std::size_t n = original.size();
  // Quote the datagram, not the link's padding after it.
  if (auto view = Ipv4View::check_quoted(original)) n = std::min<std::size_t>(n, view->total_length());
  return std::min(n, max_quote_length);
}

Result<IcmpRepr, WireError> IcmpRepr::parse(Bytes message) {
  auto view = IcmpView::check(message);
  if (!view) return Failure{view.error()};
  if (!view->checksum_ok()) return Failure{WireError::BadChecksum};
  return IcmpRepr{view->type(), view->code(), view->rest_of_header(), view->data()};
}

Result<QuotedDatagram, WireError> IcmpRepr::quoted() const {
  if (!is_error()) return Failure{WireError::NotIcmpError};
  auto view = Ipv4View::check_quoted(data);
  if (!view) return Failure{view.error()};
  auto header = Ipv4Repr::parse_quoted(data);
  if (!header) return Failure{header.error()};
  // RFC 792 promises the first 8 bytes of the original payload: the ports.
  const Bytes transport = view->payload();
  if (transport.size() < 8) return Failure{WireError::Truncated};
  return QuotedDatagram{*header, transport};
}

void IcmpRepr::emit(MutableBytes message) const {
  assert(message.size() >= length());
  copy_data(message.subspan(IcmpView::header_length), data);
  store_u8(message, 0, type);
  store_u8(message, 1, code);
  store_be16(message, 2, 0);
  store_be32(message, 4, rest_of_header);
  store_be16(message, 2, internet_checksum(Bytes{message.first(length())}));
}

std::string to_string(const IcmpRepr& repr) {
  const std::string_view text = describe_icmp(repr.type, repr.code);
  std::string s = text.empty() ? "icmp type " + std::to_string(repr.type) + " code " + std::to_string(repr.code)
                               : std::string{text};
  if (repr.type == icmp_type::echo_request || repr.type == icmp_type::echo_reply) {
    return s + " id " + std::to_string(repr.identifier()) + " seq " + std::to_string(repr.sequence()) + " len " +
           std::to_string(repr.data.size());
  }
  if (repr.type == icmp_type::destination_unreachable && repr.code == 4) {
    s += " (mtu " + std::to_string(repr.rest_of_header & 0xffff) + ")";
  }
  if (!repr.is_error()) return s;
  auto quoted = repr.quoted();
  if (!quoted) return s + " (quote " + std::string{describe(quoted.error())} + ")";
  const Ipv4Repr& ip = quoted->header;
  s += " for " + protocol_name(ip.protocol) + ' ' + ip.destination.to_string();
  if ((ip.protocol == ip_protocol::udp || ip.protocol == ip_protocol::tcp) && ip.fragment_offset == 0) {
    s += ':' + std::to_string(load_be16(quoted->transport, 2));
  }
  return s;
}

}  // namespace netstep::wire
