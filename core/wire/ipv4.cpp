#include "wire/ipv4.hpp"

#include <algorithm>
#include <cassert>

#include "wire/checksum.hpp"

namespace netstep::wire {

namespace {
constexpr std::uint8_t option_eol = 0;
constexpr std::uint8_t option_nop = 1;

// RFC 791 3.1: after EOL the rest is padding; NOP is one byte; every other
// option is type, length (counting both), data. A length that cannot be
// (below 2, or past the header) means the header is not what it claims.
Result<Ipv4Options, WireError> parse_options(Bytes options) {
  Ipv4Options found;
  std::size_t at = 0;
  while (at < options.size()) {
    const std::uint8_t type = load_u8(options, at);
    if (found.count < std::size(found.types)) found.types[found.count] = type;
    ++found.count;
    if (type == option_eol) break;
    if (type == option_nop) {
      ++at;
      continue;
    }
    if (at + 1 >= options.size()) return Failure{WireError::BadOption};
    const std::size_t length = load_u8(options, at + 1);
    if (length < 2 || at + length > options.size()) return Failure{WireError::BadOption};
    at += length;
  }
  return found;
}

void fill_from(Ipv4Repr& repr, const Ipv4View& view) {
  repr.source = view.source();
  repr.destination = view.destination();
  repr.protocol = view.protocol();
  repr.ttl = view.ttl();
  repr.dscp = view.dscp();
  repr.ecn = view.ecn();
  repr.identification = view.identification();
  repr.dont_fragment = view.dont_fragment();
  repr.more_fragments = view.more_fragments();
  repr.fragment_offset = view.fragment_offset();
  repr.payload_length = static_cast<std::uint16_t>(view.total_length() - view.header_length());
  repr.parsed_header_length = static_cast<std::uint8_t>(view.header_length());
}

// Almost every packet has no options: skip their parser then. The repr is
// filled in place in the one object returned (no copy of a freshly written
// struct, which the CPU would read back in wide loads and stall).
Result<Ipv4Repr, WireError> with_options(const Ipv4View& view) {
  Result<Ipv4Repr, WireError> result{std::in_place};
  fill_from(*result, view);
  if (view.header_length() != Ipv4View::min_header_length) {
    auto options = parse_options(view.options());
    if (options) {
      result->options = *options;
    } else {
      result = Failure{options.error()};
    }
  }
  return result;
}

}  // namespace

std::string protocol_name(std::uint8_t protocol) {
  switch (protocol) {
    case ip_protocol::icmp: return "icmp";
    case ip_protocol::tcp: return "tcp";
    case ip_protocol::udp: return "udp";
    default: return std::to_string(protocol);
  }
}

std::string ipv4_option_name(std::uint8_t type) {
  switch (type) {
    case 0: return "EOL";
    case 1: return "NOP";
    case 7: return "RR";
    case 68: return "TS";
    case 130: return "SEC";
    case 131: return "LSRR";
    case 136: return "SID";
    case 137: return "SSRR";
    case 148: return "RA";
    default: return "opt-" + std::to_string(type);
  }
}

Result<Ipv4View, WireError> Ipv4View::check(Bytes packet) {
  auto quoted = check_quoted(packet);
  if (!quoted) return quoted;
  // Bytes past the total length (Ethernet padding) are fine; fewer are not.
  if (quoted->total_length() > packet.size()) return Failure{WireError::BadTotalLength};
  return quoted;
}

Result<Ipv4View, WireError> Ipv4View::check_quoted(Bytes packet) {
  // Only what the header alone can say about itself: a quote may be cut short.
  if (packet.size() < min_header_length) return Failure{WireError::Truncated};
  const Ipv4View view{packet};
  if (view.version() != 4) return Failure{WireError::BadVersion};
  if (view.header_length() < min_header_length || view.header_length() > packet.size()) {
    return Failure{WireError::BadHeaderLength};
  }
  if (view.total_length() < view.header_length()) return Failure{WireError::BadTotalLength};
  return view;
}

Bytes Ipv4View::payload() const {
  const std::size_t end = std::min<std::size_t>(total_length(), bytes_.size());
  return bytes_.subspan(header_length(), end - header_length());
}

bool Ipv4View::checksum_ok() const { return internet_checksum(header()) == 0; }

Result<Ipv4Repr, WireError> Ipv4Repr::parse(Bytes packet) {
  auto view = Ipv4View::check(packet);
  if (!view) return Failure{view.error()};
  if (!view->checksum_ok()) return Failure{WireError::BadChecksum};
  const std::size_t payload_length = view->total_length() - view->header_length();
  if (view->fragment_offset() + payload_length > 65535) return Failure{WireError::BadFragment};
  return with_options(*view);
}

Result<Ipv4Repr, WireError> Ipv4Repr::parse_quoted(Bytes packet) {
  auto view = Ipv4View::check_quoted(packet);
  if (!view) return Failure{view.error()};
  return with_options(*view);
}

void Ipv4Repr::emit(MutableBytes packet) const {
  assert(packet.size() >= header_length);
  // The header checksum is summed from the field values as they are
  // written, not read back from the bytes just stored (a wide load of fresh
  // byte stores stalls the CPU): the same ten 16-bit words, the same sum.
  const auto word0 = static_cast<std::uint16_t>(0x4500u | (unsigned{dscp} << 2u) | (ecn & 0x3u));  // version 4, IHL 5
  const auto total = static_cast<std::uint16_t>(header_length + payload_length);
  const unsigned flags = (dont_fragment ? 0x4000u : 0u) | (more_fragments ? 0x2000u : 0u);
  const auto word3 = static_cast<std::uint16_t>(flags | ((fragment_offset / 8u) & 0x1fffu));
  const auto word4 = static_cast<std::uint16_t>((ttl << 8) | protocol);
  const std::uint32_t from = source.to_u32();
  const std::uint32_t to = destination.to_u32();
  store_be16(packet, 0, word0);
  store_be16(packet, 2, total);
  store_be16(packet, 4, identification);
  store_be16(packet, 6, word3);
  store_be16(packet, 8, word4);
  store_be32(packet, 12, from);
  store_be32(packet, 16, to);
  const std::uint64_t sum = std::uint64_t{word0} + total + identification + word3 + word4 + (from >> 16) +
                            (from & 0xffff) + (to >> 16) + (to & 0xffff);
  store_be16(packet, 10, static_cast<std::uint16_t>(~fold_sum(sum)));
}

std::string to_string(const Ipv4Repr& repr) {
  std::string s = repr.source.to_string() + " > " + repr.destination.to_string() + ' ' +
                  protocol_name(repr.protocol) + " ttl " + std::to_string(repr.ttl) + " id " +
                  std::to_string(repr.identification) + " len " +
                  std::to_string(repr.parsed_header_length + repr.payload_length);
  if (repr.fragment_offset != 0 || repr.more_fragments) {
    s += " frag offset " + std::to_string(repr.fragment_offset) + (repr.more_fragments ? "+" : "");
  }
  if (repr.dont_fragment) s += " [DF]";
  if (repr.options.count > 0) {
    s += " options ";
    const auto shown = std::min<std::size_t>(repr.options.count, std::size(repr.options.types));
    for (std::size_t i = 0; i < shown; ++i) {
      if (i > 0) s += ',';
      s += ipv4_option_name(repr.options.types[i]);
    }
  }
  return s;
}

}  // namespace netstep::wire
