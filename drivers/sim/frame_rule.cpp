#include "sim/frame_rule.hpp"

#include "sim/dissect.hpp"
#include "wire/icmp.hpp"
#include "wire/udp.hpp"

namespace netstep::sim {

std::optional<DissectedFrame> dissect(Bytes frame) {
  auto ethernet = wire::EthernetView::check(frame);
  if (!ethernet) return std::nullopt;
  DissectedFrame d{*ethernet, std::nullopt, {}};
  if (ethernet->ethertype() != wire::ethertype::ipv4) return d;
  auto ip = wire::Ipv4View::check(ethernet->payload());
  if (!ip) return d;
  d.ip = *ip;
  if (ip->fragment_offset() == 0) d.transport = ip->payload();
  return d;
}

std::optional<TransportPorts> transport_ports(std::uint8_t protocol, Bytes transport) {
  if (protocol == wire::ip_protocol::tcp) {
    const auto tcp = wire::TcpView::check(transport);
    if (tcp) return TransportPorts{tcp->source_port(), tcp->destination_port()};
  } else if (protocol == wire::ip_protocol::udp) {
    const auto udp = wire::UdpView::check(transport);
    if (udp) return TransportPorts{udp->source_port(), udp->destination_port()};
  }
  return std::nullopt;
}

std::optional<wire::TcpView> tcp_segment(const DissectedFrame& frame) {
  if (!frame.ip || frame.ip->protocol() != wire::ip_protocol::tcp) return std::nullopt;
  const auto tcp = wire::TcpView::check(frame.transport);
  if (!tcp) return std::nullopt;
  return *tcp;
}

bool FrameMatch::matches(Bytes frame) const {
  const auto d = dissect(frame);
  if (!d) return false;
  if (ethertype && d->ethernet.ethertype() != *ethertype) return false;

  const bool needs_ip = ip_source || ip_destination || ip_protocol || source_port || destination_port ||
                        tcp_flags_set != 0 || tcp_flags_clear != 0 || icmp_type;
  if (!needs_ip) return true;
  if (!d->ip) return false;
  const wire::Ipv4View& ip = *d->ip;
  if (ip_source && !ip_source->contains(ip.source())) return false;
  if (ip_destination && !ip_destination->contains(ip.destination())) return false;
  if (ip_protocol && ip.protocol() != *ip_protocol) return false;

  if (source_port || destination_port) {
    const auto ports = transport_ports(ip.protocol(), d->transport);
    if (!ports) return false;
    if (source_port && ports->source != *source_port) return false;
    if (destination_port && ports->destination != *destination_port) return false;
  }
  if (tcp_flags_set != 0 || tcp_flags_clear != 0) {
    const auto tcp = tcp_segment(*d);
    if (!tcp) return false;
    const std::uint8_t flags = tcp->flags().bits();
    if ((flags & tcp_flags_set) != tcp_flags_set) return false;
    if ((flags & tcp_flags_clear) != 0) return false;
  }
  if (icmp_type) {
    if (ip.protocol() != wire::ip_protocol::icmp || d->transport.empty()) return false;
    if (load_u8(d->transport, 0) != *icmp_type) return false;
  }
  return true;
}

std::string describe(const RuleAction& action) {
  struct Describe {
    std::string operator()(const Drop&) const { return "drop"; }
    std::string operator()(const RejectWithIcmp& r) const {
      const std::string_view meaning = wire::describe_icmp(r.type, r.code);
      if (!meaning.empty()) return "rejected with ICMP " + std::string{meaning};
      return "rejected with ICMP type " + std::to_string(r.type) + " code " + std::to_string(r.code);
    }
    std::string operator()(const RejectWithTcpReset&) const { return "rejected with TCP RST"; }
  };
  return std::visit(Describe{}, action);
}

}  // namespace netstep::sim
