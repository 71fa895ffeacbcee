// NarrativeSink: what a student reads for a dropped frame or packet.
#include <catch2/catch.hpp>

#include <sstream>
#include <vector>

#include "event/event_loop.hpp"
#include "sinks/narrative_sink.hpp"
#include "wire/ipv4.hpp"
#include "wire/udp.hpp"

using namespace netstep;

namespace {
// A UDP datagram 10.0.0.1:5000 > 10.0.0.77:53 as an IPv4 packet.
std::vector<std::byte> ipv4_packet() {
  wire::UdpRepr udp;
  udp.source_port = Port{5000};
  udp.destination_port = Port{53};
  const std::vector<std::byte> data(4, std::byte{'x'});
  udp.payload = Bytes{data};
  std::vector<std::byte> payload(udp.length());
  udp.emit(MutableBytes{payload}, Ipv4Address{10, 0, 0, 1}, Ipv4Address{10, 0, 0, 77});
  wire::Ipv4Repr ip;
  ip.source = Ipv4Address{10, 0, 0, 1};
  ip.destination = Ipv4Address{10, 0, 0, 77};
  ip.protocol = wire::ip_protocol::udp;
  ip.payload_length = static_cast<std::uint16_t>(payload.size());
  std::vector<std::byte> packet(ip.total_length());
  ip.emit(MutableBytes{packet});
  std::copy(payload.begin(), payload.end(), packet.begin() + static_cast<std::ptrdiff_t>(wire::Ipv4Repr::header_length));
  return packet;
}
}  // namespace

TEST_CASE("narrative: an IPv4 layer's drop describes the packet it carries, not an Ethernet frame",
          "[sinks][narrative]") {
  EventLoop loop;
  TraceBus bus{loop};
  std::ostringstream out;
  NarrativeSink narrative{out, NarrativeOptions{NarrativeOptions::Detail::Full}};
  bus.attach(narrative);
  const std::vector<std::byte> packet = ipv4_packet();
  Tracer{bus, "client"}.emit(Layer::Ipv4, Dropped{"next hop did not answer ARP", {}}, Bytes{packet});
  CHECK_THAT(out.str(), Catch::Contains("DROPPED: next hop did not answer ARP  [IPv4 10.0.0.1 > 10.0.0.77: UDP"));
  bus.detach(narrative);
}
