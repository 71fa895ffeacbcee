#include "sim_harness.hpp"

#include <type_traits>
#include <variant>

#include "wire/checksum.hpp"

namespace netstep::sim::test {

void TraceLog::receive(const TraceEvent& event) {
  Record r{std::string{event.host}, std::string{kind_of(event.payload)}, {}, {}, event.frame.size()};
  if (const auto* d = std::get_if<Dropped>(&event.payload)) {
    r.text = d->reason;
    r.interface = d->interface;
  } else if (const auto* w = std::get_if<WireImpairment>(&event.payload)) {
    r.text = w->what;
    r.interface = w->interface;
  }
  records.push_back(std::move(r));
}

std::size_t TraceLog::count(std::string_view kind, std::string_view text) const {
  std::size_t n = 0;
  for (const Record& r : records) {
    if (r.kind == kind && r.text == text) ++n;
  }
  return n;
}

Bytes bytes_of(const Frame& frame) { return Bytes{frame.data(), frame.size()}; }

namespace {
void put_mac(Frame& f, std::size_t at, MacAddress mac) {
  for (std::size_t i = 0; i < 6; ++i) f[at + i] = std::byte{mac.octets()[i]};
}
Frame ethernet_header(MacAddress destination, MacAddress source, std::uint16_t ethertype) {
  Frame f(14);
  put_mac(f, 0, destination);
  put_mac(f, 6, source);
  store_be16(f, 12, ethertype);
  return f;
}
}  // namespace

Frame numbered_frame(MacAddress destination, MacAddress source, std::uint32_t number, std::size_t length) {
  Frame f = ethernet_header(destination, source, 0x88b5);  // IEEE local experimental EtherType
  f.resize(length);
  store_be32(f, 14, number);
  return f;
}

std::uint32_t number_of(const Frame& frame) { return load_be32(bytes_of(frame), 14); }

Frame ipv4_frame(MacAddress destination, MacAddress source, Ipv4Address ip_source, Ipv4Address ip_destination,
                 std::uint8_t protocol, const Frame& transport) {
  Frame f = ethernet_header(destination, source, 0x0800);
  Frame ip(20);
  store_u8(ip, 0, 0x45);
  store_be16(ip, 2, static_cast<std::uint16_t>(20 + transport.size()));
  store_be16(ip, 4, 0x1234);
  store_u8(ip, 6, 0x40);  // DF
  store_u8(ip, 8, 64);
  store_u8(ip, 9, protocol);
  store_be32(ip, 12, ip_source.to_u32());
  store_be32(ip, 16, ip_destination.to_u32());
  store_be16(ip, 10, wire::internet_checksum(bytes_of(ip)));
  f.insert(f.end(), ip.begin(), ip.end());
  f.insert(f.end(), transport.begin(), transport.end());
  return f;
}

Frame tcp_segment(Ipv4Address source, Ipv4Address destination, std::uint16_t source_port,
                  std::uint16_t destination_port, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                  std::size_t payload) {
  Frame t(20 + payload, std::byte{0x61});
  store_be16(t, 0, source_port);
  store_be16(t, 2, destination_port);
  store_be32(t, 4, seq);
  store_be32(t, 8, ack);
  store_u8(t, 12, 5 << 4);
  store_u8(t, 13, flags);
  store_be16(t, 14, 65535);
  store_be16(t, 16, 0);
  store_be16(t, 18, 0);
  wire::ChecksumAccumulator sum;
  wire::add_pseudo_header(sum, source, destination, 6, static_cast<std::uint16_t>(t.size()));
  sum.add(bytes_of(t));
  store_be16(t, 16, sum.checksum());
  return t;
}

Frame udp_datagram(Ipv4Address source, Ipv4Address destination, std::uint16_t source_port,
                   std::uint16_t destination_port, std::size_t payload) {
  Frame u(8 + payload, std::byte{0x75});
  store_be16(u, 0, source_port);
  store_be16(u, 2, destination_port);
  store_be16(u, 4, static_cast<std::uint16_t>(u.size()));
  store_be16(u, 6, 0);
  wire::ChecksumAccumulator sum;
  wire::add_pseudo_header(sum, source, destination, 17, static_cast<std::uint16_t>(u.size()));
  sum.add(bytes_of(u));
  store_be16(u, 6, sum.checksum());
  return u;
}

}  // namespace netstep::sim::test
