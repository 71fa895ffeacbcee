#pragma once
// Runs every wire parser over one buffer, the way the stack would meet it:
// the frame as Ethernet, and the same bytes offered directly to each layer.
// Shared by the seeded robustness test and the libFuzzer entry points. The
// results are folded into a number so the optimizer cannot skip the work.
// `text` also builds every to_string() and describe_frame(): the costly part
// in a Debug build, so the seeded test asks for it on some iterations only.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.hpp"
#include "wire/arp.hpp"
#include "wire/describe.hpp"
#include "wire/ethernet.hpp"
#include "wire/icmp.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"
#include "wire/udp.hpp"

namespace netstep::fuzz {

inline std::size_t parse_transport(std::uint8_t protocol, Bytes b, Ipv4Address src, Ipv4Address dst,
                                   bool text = true) {
  using namespace netstep::wire;
  std::size_t seen = 0;
  if (protocol == ip_protocol::icmp || protocol == 0xff) {
    if (auto icmp = IcmpRepr::parse(b)) {
      if (text) seen += to_string(*icmp).size();
      if (auto q = icmp->quoted()) seen += q->transport.size() + q->header.payload_length;
    }
    if (auto view = IcmpView::check(b)) seen += view->data().size() + view->checksum_ok();
    // Also what an error built from these bytes would quote.
    const auto error = IcmpRepr::error(icmp_type::destination_unreachable, 3, b);
    seen += error.length() + (text ? to_string(error).size() : 0);
  }
  if (protocol == ip_protocol::udp || protocol == 0xff) {
    if (auto udp = UdpRepr::parse(b, src, dst)) seen += text ? to_string(*udp).size() : udp->length();
    if (auto view = UdpView::check(b)) seen += view->payload().size() + view->checksum_ok(src, dst);
  }
  if (protocol == ip_protocol::tcp || protocol == 0xff) {
    if (auto tcp = TcpRepr::parse(b, src, dst)) seen += (text ? to_string(*tcp).size() : 0) + tcp->header_length();
    if (auto view = TcpView::check(b)) seen += view->options().size() + view->payload().size();
  }
  return seen;
}

inline std::size_t parse_ipv4(Bytes b, bool text = true) {
  using namespace netstep::wire;
  std::size_t seen = 0;
  if (auto ip = Ipv4Repr::parse(b)) {
    if (text) seen += to_string(*ip).size();
    const Bytes payload = b.subspan(ip->parsed_header_length, ip->payload_length);
    seen += parse_transport(ip->protocol, payload, ip->source, ip->destination, text);
  }
  if (auto quoted = Ipv4Repr::parse_quoted(b)) seen += text ? to_string(*quoted).size() : quoted->payload_length;
  if (auto view = Ipv4View::check_quoted(b)) seen += view->payload().size() + view->options().size();
  return seen;
}

// Everything at once: b as a frame, and b handed to each layer directly.
inline std::size_t parse_everything(Bytes b, bool text = true) {
  using namespace netstep::wire;
  std::size_t seen = text ? describe_frame(b).size() : 0;
  if (auto eth = EthernetRepr::parse(b)) {
    const Bytes payload = b.subspan(eth->header_length());
    if (auto arp = ArpRepr::parse(payload)) seen += text ? to_string(*arp).size() : arp->target_ip.to_u32();
    seen += parse_ipv4(payload, text);
  }
  if (auto arp = ArpRepr::parse(b)) seen += text ? to_string(*arp).size() : arp->sender_ip.to_u32();
  seen += parse_ipv4(b, text);
  seen += parse_transport(0xff, b, Ipv4Address{10, 0, 0, 1}, Ipv4Address{10, 0, 0, 2}, text);
  return seen;
}

}  // namespace netstep::fuzz
