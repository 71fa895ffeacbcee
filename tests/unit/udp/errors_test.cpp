// What goes wrong: no socket (ICMP port unreachable, or silence for a
// broadcast), a full receive queue, malformed and random datagrams, ICMP
// errors handed back, and the observer that hears of it all.
#include <catch2/catch.hpp>

#include <functional>
#include <sstream>

#include "base/random.hpp"
#include "sinks/jsonl_sink.hpp"
#include "sinks/narrative_sink.hpp"
#include "udp_net.hpp"
#include "wire/udp.hpp"

using namespace netstep;
using namespace netstep::testing;
using netstep::udp::UdpPcb;

namespace {

// Counts what it hears; `sending` is set by the test around its own sends.
struct CountingObserver final : UdpPcb::Observer {
  int readable = 0;
  int errors = 0;
  bool sending = false;
  bool called_inside_send = false;
  std::function<void(UdpPcb&)> on_readable;
  void udp_readable(UdpPcb& pcb) override {
    ++readable;
    called_inside_send |= sending;
    if (on_readable) on_readable(pcb);
  }
  void udp_error(UdpPcb&) override {
    ++errors;
    called_inside_send |= sending;
  }
};

// A well-formed UDP datagram's bytes, checksummed for source -> destination.
std::vector<std::byte> datagram(Ipv4Address source, Ipv4Address destination, std::uint16_t source_port,
                                std::uint16_t destination_port, std::string_view payload) {
  wire::UdpRepr repr;
  repr.source_port = Port{source_port};
  repr.destination_port = Port{destination_port};
  repr.payload = text(payload);
  std::vector<std::byte> bytes(repr.length());
  repr.emit(MutableBytes{bytes}, source, destination);
  return bytes;
}

}  // namespace

TEST_CASE("a datagram to a port nobody bound earns ICMP port unreachable, recorded on the sending PCB and told in "
          "the narrative",
          "[udp][icmp]") {
  UdpNet net;
  std::ostringstream narrative;
  NarrativeOptions full;
  full.detail = NarrativeOptions::Detail::Full;
  NarrativeSink sink{narrative, full};
  net.bus.attach(sink);
  UdpPcb& connected = bound(net.client().udp(), Endpoint{});
  REQUIRE(connected.connect(at(server_ip, 4444)).ok());
  UdpPcb& unconnected = bound(net.client().udp(), Endpoint{});
  REQUIRE(connected.send(text("anyone?")).ok());
  REQUIRE(unconnected.send_to(at(server_ip, 4444), text("anyone?")).ok());
  net.settle();
  net.bus.detach(sink);

  CHECK(count(net.udp_drops("server"), "no socket: ICMP port unreachable sent") == 2);
  CHECK(net.icmp_sent_by("server") == 2);
  REQUIRE(connected.pending_error());
  const udp::UdpIcmpError error = *connected.pending_error();
  CHECK(error.type == 3);
  CHECK(error.code == 3);
  CHECK(error.reporter == server_ip);
  CHECK(error.destination == at(server_ip, 4444));
  CHECK(error.connected_to_quoted_peer);
  CHECK(error.at > Instant{});
  REQUIRE(unconnected.pending_error());
  CHECK_FALSE(unconnected.pending_error()->connected_to_quoted_peer);

  const auto taken = connected.take_error();
  REQUIRE(taken);
  CHECK(taken->code == 3);
  CHECK_FALSE(connected.pending_error());
  CHECK_FALSE(connected.take_error());

  const auto delivered = net.recorder.all<IcmpErrorDelivered>();
  REQUIRE(delivered.size() == 2);
  CHECK(delivered[0]->as<IcmpErrorDelivered>()->delivered_to == "udp");
  const std::string told = narrative.str();
  CHECK_THAT(told, Catch::Contains("server   udp   DROPPED: no socket: ICMP port unreachable sent"));
  CHECK_THAT(told, Catch::Contains("destination port unreachable about 10.0.0.2 handed to udp"));
  CHECK_THAT(told, Catch::Contains("client   udp   sent 10.0.0.1:" + std::to_string(connected.local().port.value()) +
                                   " > 10.0.0.2:4444 len 7"));
  CHECK_THAT(told, Catch::Contains("server   udp   received 10.0.0.1:"));
}

TEST_CASE("a broadcast datagram to a port nobody bound is dropped without an ICMP error (RFC 1122 3.2.2)",
          "[udp][icmp][broadcast]") {
  UdpNet net;
  UdpPcb& sender = bound(net.client().udp(), Endpoint{});
  sender.set_broadcast(true);
  REQUIRE(sender.send_to(at(lan_broadcast, 4444), text("anyone?")).ok());
  REQUIRE(sender.send_to(at(Ipv4Address::broadcast(), 4444), text("anyone?")).ok());
  net.settle();
  const std::string_view silent = "no socket for a broadcast or multicast datagram: no ICMP error (RFC 1122 3.2.2)";
  CHECK(count(net.udp_drops("server"), silent) == 2);
  CHECK(count(net.udp_drops("router"), silent) == 2);
  CHECK(net.icmp_sent_by("server") == 0);
  CHECK(net.icmp_sent_by("router") == 0);
  CHECK_FALSE(sender.pending_error());
}

TEST_CASE("a full receive queue drops the datagram and traces why, and takes datagrams again once read",
          "[udp][queue]") {
  UdpNet net;
  UdpPcb& server = bound(net.server().udp(), at(Ipv4Address{}, 7));
  CHECK(server.receive_buffer() == 212992);  // Linux's rmem_default
  server.set_receive_buffer(1000);
  UdpPcb& client = bound(net.client().udp(), Endpoint{});
  const std::string payload(400, 'x');
  for (int i = 0; i < 10; ++i) REQUIRE(client.send_to(at(server_ip, 7), text(payload)).ok());
  net.settle();
  // Each datagram is charged 400 bytes plus its bookkeeping; the queue takes
  // datagrams while its charge does not exceed 1000 (Linux's rule), so the
  // third one crosses the limit and the fourth is refused.
  CHECK(server.queued_datagrams() == 3);
  CHECK(server.queued_bytes() == 1200);
  CHECK(server.queue_charge() > 1000);
  CHECK(count(net.udp_drops("server"), "receive queue full (SO_RCVBUF)") == 7);
  CHECK(net.icmp_sent_by("server") == 0);

  while (server.receive()) {
  }
  CHECK(server.queue_charge() == 0);
  REQUIRE(client.send_to(at(server_ip, 7), text(payload)).ok());
  net.settle();
  CHECK(server.queued_datagrams() == 1);
  CHECK(count(net.udp_drops("server"), "receive queue full (SO_RCVBUF)") == 7);
  // An empty queue takes a datagram larger than the whole buffer.
  server.set_receive_buffer(0);
  CHECK(server.receive_buffer() == 1);
}

TEST_CASE("a datagram with an impossible length or a bad checksum is dropped with the reason, one with a zero "
          "checksum is delivered (RFC 768)",
          "[udp][malformed]") {
  UdpNet net;
  UdpPcb& server = bound(net.server().udp(), at(Ipv4Address{}, 7));

  auto good = datagram(client_ip, server_ip, 5000, 7, "payload");
  auto too_long = good;
  store_be16(MutableBytes{too_long}, 4, 100);  // claims more than the packet holds
  auto too_short = good;
  store_be16(MutableBytes{too_short}, 4, 4);  // less than its own header
  auto bad_sum = good;
  bad_sum.back() ^= std::byte{0x01};
  const std::vector<std::byte> truncated(good.begin(), good.begin() + 5);
  auto no_sum = good;
  store_be16(MutableBytes{no_sum}, 6, 0);
  auto padded = good;  // bytes past the UDP length are ignored
  padded.resize(good.size() + 3, std::byte{0xee});

  net.arrive_raw(net.server(), client_ip, server_ip, too_long);
  net.arrive_raw(net.server(), client_ip, server_ip, too_short);
  net.arrive_raw(net.server(), client_ip, server_ip, bad_sum);
  net.arrive_raw(net.server(), client_ip, server_ip, truncated);
  CHECK(net.udp_drops("server") == std::vector<std::string_view>{"impossible total length", "impossible total length",
                                                                  "checksum mismatch", "truncated"});
  CHECK_FALSE(server.readable());
  CHECK(net.datagrams("server", "received").empty());

  net.arrive_raw(net.server(), client_ip, server_ip, no_sum);
  net.arrive_raw(net.server(), client_ip, server_ip, padded);
  REQUIRE(server.queued_datagrams() == 2);
  CHECK(text_of(server.receive()->data) == "payload");
  CHECK(text_of(server.receive()->data) == "payload");
  net.settle();
  CHECK(net.icmp_sent_by("server") == 0);
  // The drops carry the IPv4 packet, for the narrative and the capture.
  const auto drops = net.recorder.all<Dropped>();
  REQUIRE_FALSE(drops.empty());
  CHECK(drops.front()->frame.size() == wire::Ipv4Repr::header_length + too_long.size());
}

TEST_CASE("random bytes offered as UDP are dropped or delivered, never trusted, and random ICMP quotes never crash",
          "[udp][malformed][fuzz]") {
  UdpNet net;
  UdpPcb& server = bound(net.server().udp(), at(Ipv4Address{}, 7));
  server.set_receive_buffer(1 << 30);
  UdpPcb& client = bound(net.client().udp(), at(Ipv4Address{}, 5000));
  Random random{20240601};
  std::size_t offered = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::byte> bytes(random.below(64));
    for (auto& b : bytes) b = static_cast<std::byte>(random.below(256));
    if (bytes.size() >= 8 && random.chance(0.5)) {
      // Often plausible: our ports, a length that fits, no checksum.
      store_be16(MutableBytes{bytes}, 0, 5000);
      store_be16(MutableBytes{bytes}, 2, random.chance(0.5) ? 7 : static_cast<std::uint16_t>(random.below(65536)));
      store_be16(MutableBytes{bytes}, 4, static_cast<std::uint16_t>(8 + random.below(bytes.size() - 7)));
      store_be16(MutableBytes{bytes}, 6, 0);
    }
    net.arrive_raw(net.server(), client_ip, server_ip, bytes);
    ++offered;
  }
  for (int i = 0; i < 500; ++i) {
    std::vector<std::byte> quoted(random.below(12));
    for (auto& b : quoted) b = static_cast<std::byte>(random.below(256));
    if (quoted.size() >= 2 && random.chance(0.5)) store_be16(MutableBytes{quoted}, 0, 5000);
    wire::Ipv4Repr header;
    header.source = client_ip;
    header.destination = server_ip;
    header.protocol = wire::ip_protocol::udp;
    IcmpErrorReport report{3, static_cast<std::uint8_t>(random.below(16)), 0, server_ip, header, Bytes{quoted}};
    net.client().udp().receive_icmp_error(report);
  }
  net.settle(1s);

  // Every datagram was either refused by the parser (a drop with the wire
  // error's words), or parsed (traced as received) and then queued, or
  // dropped for want of a socket.
  const std::size_t received = net.datagrams("server", "received").size();
  const auto drops = net.udp_drops("server");
  const std::size_t refused = count(drops, "impossible total length") + count(drops, "truncated") +
                              count(drops, "checksum mismatch");
  CHECK(received + refused == offered);
  CHECK(server.queued_datagrams() + count(drops, "no socket: ICMP port unreachable sent") == received);
  CHECK(server.queued_datagrams() > 100);
  CHECK(client.pending_error());
  CHECK(contains(net.udp_drops("client"), "ICMP error quotes too little of the UDP header"));
  CHECK(contains(net.udp_drops("client"), "ICMP error for no socket"));
}

TEST_CASE("the observer hears of each queued datagram and each ICMP error, never from inside send, and may release "
          "its PCB",
          "[udp][observer]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  UdpPcb& pcb = bound(layer, at(Ipv4Address{}, 5000));
  CountingObserver observer;
  pcb.set_observer(&observer);
  CHECK(pcb.observer() == &observer);

  // To ourselves, and to a port of ours nobody bound: both answers come
  // back through the loop, after send has returned.
  observer.sending = true;
  REQUIRE(pcb.send_to(at(client_ip, 5000), text("to myself")).ok());
  REQUIRE(pcb.send_to(at(Ipv4Address{127, 0, 0, 1}, 5999), text("to nobody")).ok());
  REQUIRE(pcb.send_to(at(server_ip, 5999), text("to nobody there")).ok());
  observer.sending = false;
  CHECK(observer.readable == 0);
  CHECK(observer.errors == 0);
  net.settle();
  CHECK_FALSE(observer.called_inside_send);
  CHECK(observer.readable == 1);
  CHECK(observer.errors == 2);
  CHECK(pcb.queued_datagrams() == 1);
  REQUIRE(pcb.pending_error());
  CHECK(pcb.pending_error()->reporter == server_ip);

  // An observer that releases its PCB when a datagram arrives.
  UdpPcb& once = bound(layer, at(Ipv4Address{}, 6000));
  CountingObserver releasing;
  releasing.on_readable = [&layer](UdpPcb& p) { layer.release(p); };
  once.set_observer(&releasing);
  REQUIRE(pcb.send_to(at(client_ip, 6000), text("first")).ok());
  REQUIRE(pcb.send_to(at(client_ip, 6000), text("second")).ok());
  net.settle();
  CHECK(releasing.readable == 1);
  CHECK(layer.pcb_count() == 1);
  // The second found no socket any more.
  CHECK(contains(net.udp_drops("client"), "no socket: ICMP port unreachable sent"));
}

TEST_CASE("a broadcast reaches each matching PCB even when one observer releases another of the group",
          "[udp][observer][broadcast]") {
  UdpNet net;
  udp::UdpLayer& layer = net.server().udp();
  UdpPcb& first = bound(layer, at(Ipv4Address{}, 8000), udp::BindOptions{true});
  UdpPcb& second = bound(layer, at(Ipv4Address{}, 8000), udp::BindOptions{true});
  CountingObserver at_first;
  CountingObserver at_second;
  at_first.on_readable = [&layer, &second](UdpPcb&) { layer.release(second); };
  first.set_observer(&at_first);
  second.set_observer(&at_second);
  UdpPcb& sender = bound(net.client().udp(), Endpoint{});
  sender.set_broadcast(true);
  REQUIRE(sender.send_to(at(lan_broadcast, 8000), text("all of you")).ok());
  net.settle();
  CHECK(at_first.readable == 1);
  CHECK(at_second.readable == 0);  // released before its turn: it hears nothing more
  CHECK(first.queued_datagrams() == 1);
  CHECK(layer.pcb_count() == 1);
}

TEST_CASE("udp_datagram in JSON Lines carries direction, endpoints and length, the normal narrative leaves it out",
          "[udp][trace]") {
  UdpNet net;
  std::ostringstream jsonl;
  std::ostringstream normal;
  JsonlSink json{jsonl};
  NarrativeSink story{normal, NarrativeOptions{}};
  net.bus.attach(json);
  net.bus.attach(story);
  bound(net.server().udp(), at(Ipv4Address{}, 7));
  UdpPcb& client = bound(net.client().udp(), at(Ipv4Address{}, 5000));
  REQUIRE(client.send_to(at(server_ip, 7), text("hello")).ok());
  net.settle();
  net.bus.detach(json);
  net.bus.detach(story);
  CHECK_THAT(jsonl.str(),
             Catch::Contains(R"("host":"client","layer":"udp","kind":"udp_datagram","data":{"direction":"sent",)"
                             R"("source":"10.0.0.1:5000","destination":"10.0.0.2:7","length":5}})"));
  CHECK_THAT(jsonl.str(), Catch::Contains(R"("host":"server","layer":"udp","kind":"udp_datagram","data":{"direction":)"
                                          R"("received","source":"10.0.0.1:5000","destination":"10.0.0.2:7","length":5}})"));
  CHECK_THAT(normal.str(), !Catch::Contains(" udp "));
  CHECK_THAT(normal.str(), Catch::Contains("UDP 5000 > 7"));
}
