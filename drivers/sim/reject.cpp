#include "sim/reject.hpp"

#include <cassert>

#include "sim/dissect.hpp"
#include "wire/icmp.hpp"
#include "wire/tcp.hpp"

namespace netstep::sim {

namespace {

constexpr std::uint8_t reply_ttl = 64;

// RFC 1122 section 3.2.2 / RFC 1812 section 4.3.2.7: the datagrams about
// which no ICMP error is ever sent.
bool may_answer_with_icmp(const DissectedFrame& d) {
  const wire::Ipv4View& ip = *d.ip;
  if (d.ethernet.destination().is_multicast()) return false;  // includes broadcast
  if (ip.destination().is_broadcast() || ip.destination().is_multicast()) return false;
  const Ipv4Address source = ip.source();
  if (source.is_unspecified() || source.is_broadcast() || source.is_multicast() || source.is_loopback()) {
    return false;
  }
  if (ip.fragment_offset() != 0) return false;
  if (ip.protocol() == wire::ip_protocol::icmp) {
    if (d.transport.empty() || wire::is_icmp_error(load_u8(d.transport, 0))) return false;
  }
  return true;
}

// The Ethernet header of a reply: addresses swapped, same VLAN as the original.
wire::EthernetRepr reply_ethernet(const wire::EthernetView& original) {
  wire::EthernetRepr eth = wire::EthernetRepr::from_view(original);
  eth.destination = original.source();
  eth.source = original.destination();
  eth.ethertype = wire::ethertype::ipv4;
  return eth;
}

}  // namespace

std::size_t build_icmp_reject(Bytes frame, const RejectWithIcmp& reject, MutableBytes out) {
  const auto d = dissect(frame);
  if (!d || !d->ip || !may_answer_with_icmp(*d)) return 0;

  // The whole original datagram, up to its total length; error() quotes
  // as much of it as RFC 1812 allows.
  const wire::Ipv4View& ip = *d->ip;
  const Bytes original = d->ethernet.payload().first(ip.header_length() + ip.payload().size());
  const wire::IcmpRepr icmp = wire::IcmpRepr::error(reject.type, reject.code, original);

  const wire::EthernetRepr eth = reply_ethernet(d->ethernet);
  wire::Ipv4Repr ipv4;
  ipv4.source = reject.from;
  ipv4.destination = ip.source();
  ipv4.protocol = wire::ip_protocol::icmp;
  ipv4.ttl = reply_ttl;
  ipv4.payload_length = static_cast<std::uint16_t>(icmp.length());

  const std::size_t length = eth.header_length() + ipv4.total_length();
  if (length > out.size()) return 0;
  eth.emit(out);
  const MutableBytes packet = out.subspan(eth.header_length(), ipv4.total_length());
  ipv4.emit(packet);
  icmp.emit(packet.subspan(wire::Ipv4Repr::header_length));
  return length;
}

std::size_t build_tcp_reset(Bytes frame, MutableBytes out) {
  const auto d = dissect(frame);
  if (!d) return 0;
  const auto segment = tcp_segment(*d);
  if (!segment) return 0;
  const wire::TcpFlags flags = segment->flags();
  if (flags.rst_set()) return 0;

  // RFC 9293 section 3.10.7.1, CLOSED: "If the incoming segment has the ACK
  // bit set, the reset takes its sequence number from the ACK field of the
  // segment; otherwise, the reset has sequence number zero and the ACK field
  // is set to the sum of the sequence number and segment length."
  const auto seg_len = static_cast<std::uint32_t>(segment->payload().size() + (flags.syn_set() ? 1 : 0) +
                                                  (flags.fin_set() ? 1 : 0));
  wire::TcpRepr rst;
  rst.source_port = segment->destination_port();  // from the port the segment was sent to
  rst.destination_port = segment->source_port();
  if (flags.ack_set()) {
    rst.seq = segment->ack();
    rst.flags = wire::TcpFlags{wire::TcpFlags::rst};
  } else {
    rst.ack = segment->seq() + seg_len;
    rst.flags = wire::TcpFlags{static_cast<std::uint8_t>(wire::TcpFlags::rst | wire::TcpFlags::ack)};
  }

  const wire::Ipv4View& ip = *d->ip;
  const wire::EthernetRepr eth = reply_ethernet(d->ethernet);
  wire::Ipv4Repr ipv4;
  ipv4.source = ip.destination();
  ipv4.destination = ip.source();
  ipv4.protocol = wire::ip_protocol::tcp;
  ipv4.ttl = reply_ttl;
  ipv4.payload_length = static_cast<std::uint16_t>(rst.length());

  const std::size_t length = eth.header_length() + ipv4.total_length();
  if (length > out.size()) return 0;
  eth.emit(out);
  const MutableBytes packet = out.subspan(eth.header_length(), ipv4.total_length());
  ipv4.emit(packet);
  rst.emit(packet.subspan(wire::Ipv4Repr::header_length), ipv4.source, ipv4.destination);
  return length;
}

std::size_t build_reply(const RuleAction& action, Bytes frame, MutableBytes out) {
  if (const auto* icmp = std::get_if<RejectWithIcmp>(&action)) return build_icmp_reject(frame, *icmp, out);
  if (std::holds_alternative<RejectWithTcpReset>(action)) return build_tcp_reset(frame, out);
  return 0;
}

}  // namespace netstep::sim
