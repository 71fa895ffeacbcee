#include "wire/describe.hpp"

#include <algorithm>
#include <cstdio>

#include "wire/arp.hpp"
#include "wire/ethernet.hpp"
#include "wire/icmp.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"
#include "wire/udp.hpp"

namespace netstep::wire {

namespace {
std::string dropped(WireError e) { return " (dropped: " + std::string{describe(e)} + ")"; }
std::string bytes_text(std::size_t n) { return ", " + std::to_string(n) + " bytes"; }

std::string describe_icmp_message(Bytes message) {
  auto icmp = IcmpRepr::parse(message);
  if (!icmp) return "ICMP" + dropped(icmp.error());
  std::string s = "ICMP ";
  if (icmp->type == icmp_type::echo_request || icmp->type == icmp_type::echo_reply) {
    s += std::string{describe_icmp(icmp->type, icmp->code)} + " id " + std::to_string(icmp->identifier()) +
         " seq " + std::to_string(icmp->sequence());
  } else {
    s += to_string(*icmp);  // errors name what they quote
  }
  return s + bytes_text(message.size());
}

std::string describe_transport(const Ipv4Repr& ip, Bytes payload) {
  if (ip.is_fragment()) {
    // Only the reassembled datagram can be checked: describe the piece.
    std::string s = ip.protocol == ip_protocol::icmp  ? "ICMP"
                    : ip.protocol == ip_protocol::udp ? "UDP"
                    : ip.protocol == ip_protocol::tcp ? "TCP"
                                                      : "proto " + std::to_string(ip.protocol);
    return s + " frag id " + std::to_string(ip.identification) + " offset " + std::to_string(ip.fragment_offset) +
           (ip.more_fragments ? "+" : "") + bytes_text(payload.size());
  }
  switch (ip.protocol) {
    case ip_protocol::icmp: return describe_icmp_message(payload);
    case ip_protocol::udp: {
      auto udp = UdpRepr::parse(payload, ip.source, ip.destination);
      if (!udp) return "UDP" + dropped(udp.error());
      return "UDP " + std::to_string(udp->source_port.value()) + " > " +
             std::to_string(udp->destination_port.value()) + bytes_text(udp->payload.size());
    }
    case ip_protocol::tcp: {
      auto tcp = TcpRepr::parse(payload, ip.source, ip.destination);
      if (!tcp) return "TCP" + dropped(tcp.error());
      return "TCP " + to_string(*tcp);
    }
    default: return "proto " + std::to_string(ip.protocol) + bytes_text(payload.size());
  }
}

std::string describe_ipv4(Bytes packet) {
  auto ip = Ipv4Repr::parse(packet);
  if (!ip) return "IPv4" + dropped(ip.error());
  std::string s = "IPv4 " + ip->source.to_string() + " > " + ip->destination.to_string();
  if (ip->options.count > 0) {
    s += " [options ";
    const auto shown = std::min<std::size_t>(ip->options.count, std::size(ip->options.types));
    for (std::size_t i = 0; i < shown; ++i) s += (i ? "," : "") + ipv4_option_name(ip->options.types[i]);
    s += "]";
  }
  const Bytes payload = packet.subspan(ip->parsed_header_length, ip->payload_length);
  return s + ": " + describe_transport(*ip, payload);
}
}  // namespace

std::string describe_packet(Bytes ipv4_packet) { return describe_ipv4(ipv4_packet); }

std::string describe_frame(Bytes ethernet_frame) {
  auto eth = EthernetRepr::parse(ethernet_frame);
  if (!eth) return "Ethernet" + dropped(eth.error());
  const Bytes payload = ethernet_frame.subspan(eth->header_length());
  std::string prefix = eth->vlan ? "vlan " + std::to_string(eth->vlan->id) + ": " : "";
  switch (eth->ethertype) {
    case ethertype::arp: {
      auto arp = ArpRepr::parse(payload);
      if (!arp) return prefix + "ARP" + dropped(arp.error());
      return prefix + "ARP " + to_string(*arp);
    }
    case ethertype::ipv4: return prefix + describe_ipv4(payload);
    case ethertype::ipv6: return prefix + "IPv6 (not supported)" + bytes_text(payload.size());
    default: {
      char type[32];
      std::snprintf(type, sizeof type, "ethertype 0x%04x", eth->ethertype);
      return prefix + type + bytes_text(payload.size());
    }
  }
}

}  // namespace netstep::wire
