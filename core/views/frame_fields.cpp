#include "views/frame_fields.hpp"

#include <cstdio>

#include "wire/arp.hpp"
#include "wire/checksum.hpp"
#include "wire/ethernet.hpp"
#include "wire/icmp.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"
#include "wire/udp.hpp"

namespace netstep::views {

namespace {

std::string hex16(std::uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", static_cast<unsigned>(v));
  return text;
}

// Collects the fields of one frame; `base` is where the layer being
// dissected starts in the frame.
class Dissector {
 public:
  explicit Dissector(std::vector<FrameField>& out) : out_{out} {}

  void layer(std::string name, std::size_t offset, std::size_t length) { add(0, std::move(name), {}, offset, length); }
  void field(std::string name, std::string value, std::size_t offset, std::size_t length, int depth = 1) {
    add(depth, std::move(name), std::move(value), offset, length);
  }
  void broken(std::string_view layer, wire::WireError e, std::size_t offset, std::size_t length) {
    add(1, "Malformed", std::string{layer} + ": " + std::string{wire::describe(e)}, offset, length);
  }
  void bytes(std::string name, std::size_t offset, std::size_t length) {
    if (length == 0) return;
    add(0, std::move(name), std::to_string(length) + (length == 1 ? " byte" : " bytes"), offset, length);
  }

  void ethernet(Bytes frame);

 private:
  void add(int depth, std::string name, std::string value, std::size_t offset, std::size_t length) {
    FrameField f;
    f.depth = depth;
    f.name = std::move(name);
    f.value = std::move(value);
    f.offset = offset;
    f.length = length;
    out_.push_back(std::move(f));
  }
  void arp(Bytes packet, std::size_t base);
  // Returns how many bytes of `packet` the datagram used (the rest is padding).
  std::size_t ipv4(Bytes packet, std::size_t base, bool quoted);
  void icmp(Bytes message, std::size_t base);
  void udp(Bytes datagram, std::size_t base);
  void tcp(Bytes segment, std::size_t base);
  void tcp_options(Bytes options, std::size_t base);

  std::vector<FrameField>& out_;
};

void Dissector::ethernet(Bytes frame) {
  const auto view = wire::EthernetView::check(frame);
  layer("Ethernet II", 0, std::min<std::size_t>(frame.size(), wire::EthernetView::header_length_untagged));
  if (!view) {
    broken("Ethernet", view.error(), 0, frame.size());
    return;
  }
  field("Destination", view->destination().to_string(), 0, 6);
  field("Source", view->source().to_string(), 6, 6);
  if (view->has_vlan()) {
    const std::uint16_t tci = view->vlan_tci();
    field("802.1Q tag", "VLAN " + std::to_string(tci & 0x0fffU) + ", priority " + std::to_string(tci >> 13), 12, 4);
  }
  const std::size_t header = view->header_length();
  const std::uint16_t type = view->ethertype();
  const std::string type_name = type == wire::ethertype::ipv4  ? " (IPv4)"
                                : type == wire::ethertype::arp ? " (ARP)"
                                : type == wire::ethertype::ipv6 ? " (IPv6)"
                                                               : "";
  field("Type", hex16(type) + type_name, header - 2, 2);
  const Bytes payload = view->payload();
  std::size_t used = payload.size();
  if (type == wire::ethertype::arp) {
    arp(payload, header);
    used = std::min(payload.size(), wire::ArpView::length);
  } else if (type == wire::ethertype::ipv4) {
    used = ipv4(payload, header, /*quoted=*/false);
  } else {
    bytes("Data", header, payload.size());
  }
  // Short frames are padded to 60 bytes on the wire.
  bytes("Padding", header + used, payload.size() - used);
}

void Dissector::arp(Bytes packet, std::size_t base) {
  layer("Address Resolution Protocol", base, std::min(packet.size(), wire::ArpView::length));
  const auto view = wire::ArpView::check(packet);
  if (!view) {
    broken("ARP", view.error(), base, packet.size());
    return;
  }
  field("Hardware type", "Ethernet (1), 6-byte addresses", base, 2);
  field("Protocol type", "IPv4 (0x0800), 4-byte addresses", base + 2, 2);
  field("Operation", view->operation() == wire::ArpOperation::Request ? "request (1)" : "reply (2)", base + 6, 2);
  field("Sender MAC", view->sender_mac().to_string(), base + 8, 6);
  field("Sender IP", view->sender_ip().to_string(), base + 14, 4);
  field("Target MAC", view->target_mac().to_string(), base + 18, 6);
  field("Target IP", view->target_ip().to_string(), base + 24, 4);
}

std::size_t Dissector::ipv4(Bytes packet, std::size_t base, bool quoted) {
  const auto view = quoted ? wire::Ipv4View::check_quoted(packet) : wire::Ipv4View::check(packet);
  const int d = quoted ? 2 : 1;
  if (!quoted) layer("Internet Protocol version 4", base, std::min<std::size_t>(packet.size(), 20));
  if (!view) {
    broken("IPv4", view.error(), base, packet.size());
    return packet.size();
  }
  const std::size_t header = view->header_length();
  field("Version, header length", "4, " + std::to_string(header) + " bytes", base, 1, d);
  field("DSCP, ECN", std::to_string(view->dscp()) + ", " + std::to_string(view->ecn()), base + 1, 1, d);
  field("Total length", std::to_string(view->total_length()), base + 2, 2, d);
  field("Identification", std::to_string(view->identification()), base + 4, 2, d);
  std::string flags = view->dont_fragment() ? "DF" : "";
  if (view->more_fragments()) flags += flags.empty() ? "MF" : ", MF";
  field("Flags, fragment offset", (flags.empty() ? "none" : flags) + ", " + std::to_string(view->fragment_offset()),
        base + 6, 2, d);
  field("Time to live", std::to_string(view->ttl()), base + 8, 1, d);
  field("Protocol", wire::protocol_name(view->protocol()) + " (" + std::to_string(view->protocol()) + ")", base + 9, 1,
        d);
  field("Header checksum",
        hex16(view->header_checksum()) + (quoted ? "" : view->checksum_ok() ? " (correct)" : " (wrong)"), base + 10, 2,
        d);
  field("Source", view->source().to_string(), base + 12, 4, d);
  field("Destination", view->destination().to_string(), base + 16, 4, d);
  if (header > wire::Ipv4View::min_header_length) {
    field("Options", std::to_string(header - 20) + " bytes (read, not acted on)", base + 20, header - 20, d);
  }
  const Bytes payload = view->payload();
  const std::size_t at = base + header;
  if (quoted) {
    field("First bytes of its payload", std::to_string(payload.size()) + " bytes", at, payload.size(), d);
    return packet.size();
  }
  if (view->fragment_offset() != 0) {
    bytes("Fragment data", at, payload.size());
  } else if (view->protocol() == wire::ip_protocol::tcp) {
    tcp(payload, at);
  } else if (view->protocol() == wire::ip_protocol::udp) {
    udp(payload, at);
  } else if (view->protocol() == wire::ip_protocol::icmp) {
    icmp(payload, at);
  } else {
    bytes("Data", at, payload.size());
  }
  return header + payload.size();
}

void Dissector::icmp(Bytes message, std::size_t base) {
  layer("Internet Control Message Protocol", base, std::min(message.size(), wire::IcmpView::header_length));
  const auto view = wire::IcmpView::check(message);
  if (!view) {
    broken("ICMP", view.error(), base, message.size());
    return;
  }
  field("Type, code",
        std::to_string(view->type()) + ", " + std::to_string(view->code()) + " (" +
            std::string{wire::describe_icmp(view->type(), view->code())} + ")",
        base, 2);
  field("Checksum", hex16(view->checksum()) + (view->checksum_ok() ? " (correct)" : " (wrong)"), base + 2, 2);
  const Bytes data = view->data();
  const std::size_t at = base + wire::IcmpView::header_length;
  if (wire::is_icmp_error(view->type())) {
    field("Unused / next-hop MTU", std::to_string(view->rest_of_header()), base + 4, 4);
    field("The datagram it is about", "", at, data.size());
    (void)ipv4(data, at, /*quoted=*/true);
    return;
  }
  const std::uint32_t rest = view->rest_of_header();
  field("Identifier", std::to_string(rest >> 16), base + 4, 2);
  field("Sequence number", std::to_string(rest & 0xffffU), base + 6, 2);
  if (!data.empty()) field("Data", std::to_string(data.size()) + " bytes", at, data.size());
}

void Dissector::udp(Bytes datagram, std::size_t base) {
  layer("User Datagram Protocol", base, std::min(datagram.size(), wire::UdpView::header_length));
  const auto view = wire::UdpView::check(datagram);
  if (!view) {
    broken("UDP", view.error(), base, datagram.size());
    return;
  }
  field("Source port", std::to_string(view->source_port().value()), base, 2);
  field("Destination port", std::to_string(view->destination_port().value()), base + 2, 2);
  field("Length", std::to_string(view->length()), base + 4, 2);
  field("Checksum", view->checksum() == 0 ? "none (0)" : hex16(view->checksum()), base + 6, 2);
  const Bytes payload = view->payload();
  if (!payload.empty()) field("Data", std::to_string(payload.size()) + " bytes", base + 8, payload.size());
}

void Dissector::tcp(Bytes segment, std::size_t base) {
  layer("Transmission Control Protocol", base, std::min(segment.size(), wire::TcpView::min_header_length));
  const auto view = wire::TcpView::check(segment);
  if (!view) {
    broken("TCP", view.error(), base, segment.size());
    return;
  }
  field("Source port", std::to_string(view->source_port().value()), base, 2);
  field("Destination port", std::to_string(view->destination_port().value()), base + 2, 2);
  field("Sequence number", std::to_string(view->seq().value()), base + 4, 4);
  field("Acknowledgment number",
        std::to_string(view->ack().value()) + (view->flags().ack_set() ? "" : " (not used: no ACK flag)"), base + 8,
        4);
  field("Data offset", std::to_string(view->header_length()) + " bytes", base + 12, 1);
  field("Flags", "[" + wire::to_string(view->flags()) + "]", base + 13, 1);
  field("Window", std::to_string(view->window()) + " (before scaling)", base + 14, 2);
  field("Checksum", hex16(view->checksum()), base + 16, 2);
  field("Urgent pointer", std::to_string(view->urgent_pointer()), base + 18, 2);
  const Bytes options = view->options();
  if (!options.empty()) {
    field("Options", std::to_string(options.size()) + " bytes", base + 20, options.size());
    tcp_options(options, base + 20);
  }
  const Bytes payload = view->payload();
  if (!payload.empty()) field("Data", std::to_string(payload.size()) + " bytes", base + view->header_length(), payload.size());
}

void Dissector::tcp_options(Bytes options, std::size_t base) {
  std::size_t i = 0;
  while (i < options.size()) {
    const std::uint8_t kind = load_u8(options, i);
    if (kind == wire::tcp_option::end) {
      field("End of options", "", base + i, options.size() - i, 2);
      return;
    }
    if (kind == wire::tcp_option::nop) {
      field("No-operation", "", base + i, 1, 2);
      ++i;
      continue;
    }
    if (i + 1 >= options.size() || load_u8(options, i + 1) < 2 || i + load_u8(options, i + 1) > options.size()) {
      broken("TCP option", wire::WireError::BadOption, base + i, options.size() - i);
      return;
    }
    const std::size_t length = load_u8(options, i + 1);
    const Bytes body = options.subspan(i + 2, length - 2);
    std::string name = "Option " + std::to_string(kind);
    std::string value = std::to_string(length) + " bytes";
    if (kind == wire::tcp_option::mss && body.size() == 2) {
      name = "Maximum segment size";
      value = std::to_string(load_be16(body, 0));
    } else if (kind == wire::tcp_option::window_scale && body.size() == 1) {
      name = "Window scale";
      value = "shift " + std::to_string(load_u8(body, 0)) + " (x" + std::to_string(1U << std::min(14U, unsigned{load_u8(body, 0)})) + ")";
    } else if (kind == wire::tcp_option::sack_permitted && body.empty()) {
      name = "SACK permitted";
      value = "";
    } else if (kind == wire::tcp_option::sack && body.size() % 8 == 0) {
      name = "SACK";
      value.clear();
      for (std::size_t b = 0; b < body.size(); b += 8) {
        value += (value.empty() ? "" : ", ") + std::to_string(load_be32(body, b)) + "-" +
                 std::to_string(load_be32(body, b + 4));
      }
    } else if (kind == wire::tcp_option::timestamps && body.size() == 8) {
      name = "Timestamps";
      value = "TSval " + std::to_string(load_be32(body, 0)) + ", TSecr " + std::to_string(load_be32(body, 4));
    }
    field(std::move(name), std::move(value), base + i, length, 2);
    i += length;
  }
}

}  // namespace

std::vector<FrameField> dissect_frame(Bytes frame) {
  std::vector<FrameField> fields;
  Dissector{fields}.ethernet(frame);
  return fields;
}

std::string fields_text(const std::vector<FrameField>& fields) {
  std::string out;
  for (const FrameField& f : fields) {
    out += std::string(static_cast<std::size_t>(f.depth) * 2, ' ') + f.name;
    if (!f.value.empty()) out += ": " + f.value;
    out += "  [" + std::to_string(f.offset) + "+" + std::to_string(f.length) + "]\n";
  }
  return out;
}

std::string hex_dump(Bytes frame) {
  std::string out;
  char cell[24];
  for (std::size_t line = 0; line < frame.size(); line += 16) {
    std::snprintf(cell, sizeof cell, "%04zx ", line);
    out += cell;
    std::string text;
    for (std::size_t i = line; i < line + 16; ++i) {
      if (i < frame.size()) {
        const unsigned byte = load_u8(frame, i);
        std::snprintf(cell, sizeof cell, " %02x", byte);
        out += cell;
        text += byte >= 0x20 && byte < 0x7f ? static_cast<char>(byte) : '.';
      } else {
        out += "   ";
      }
    }
    out += "  " + text + "\n";
  }
  return out;
}

}  // namespace netstep::views
