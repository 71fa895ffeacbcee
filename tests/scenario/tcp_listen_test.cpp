// LISTEN, the state a Connection never holds: the TCP layer's listener plays
// it (RFC 9293 3.10.7.2). The arcs of the state diagram that start or end
// there, on the default topology: segments are handed to the server's TCP
// layer as if they had just arrived from 10.0.0.1:40000, and what the server
// does is read from the trace.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "sinks/recorder.hpp"
#include "tcp/tcp_layer.hpp"
#include "topology/default_topology.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"

using namespace netstep;
using namespace netstep::tcp;

namespace {

const Endpoint server_http{Ipv4Address{10, 0, 0, 2}, Port{80}};
const Endpoint peer{Ipv4Address{10, 0, 0, 1}, Port{40000}};

struct Net {
  Net() { bus.attach(recorder); }
  ~Net() { bus.detach(recorder); }

  TcpLayer& server() { return network.server().tcp(); }
  TcpLayer& client() { return network.client().tcp(); }

  // `segment` arrives at the server's TCP layer from `peer`.
  void arrive(wire::TcpRepr segment) {
    segment.source_port = peer.port;
    segment.destination_port = server_http.port;
    std::vector<std::byte> bytes(segment.length());
    segment.emit(MutableBytes{bytes}, peer.address, server_http.address);
    wire::Ipv4Repr header;
    header.source = peer.address;
    header.destination = server_http.address;
    header.protocol = wire::ip_protocol::tcp;
    header.payload_length = static_cast<std::uint16_t>(bytes.size());
    server().receive_ipv4(header, Bytes{bytes}, Bytes{bytes}, false);
  }

  // The segments the server's TCP sent (connections and the layer's RSTs).
  std::vector<TcpSegment> server_sent() const {
    std::vector<TcpSegment> found;
    for (const RecordedEvent* e : recorder.all<TcpSegment>()) {
      if (e->host == "server" && e->as<TcpSegment>()->direction == "sent") found.push_back(*e->as<TcpSegment>());
    }
    return found;
  }
  bool server_dropped(std::string_view reason) const {
    for (const RecordedEvent* e : recorder.all<Dropped>()) {
      if (e->host == "server" && e->layer == Layer::Tcp && e->as<Dropped>()->reason == reason) return true;
    }
    return false;
  }

  template <class Done>
  bool run_until(Done done, Duration limit) {
    const Instant deadline = loop.now() + limit;
    while (!done()) {
      if (loop.now() > deadline || !loop.run_next()) return done();
    }
    return true;
  }

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  topology::DefaultTopology network{loop, bus};
};

wire::TcpRepr segment(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack = 0) {
  wire::TcpRepr s;
  s.flags = wire::TcpFlags{flags};
  s.seq = SeqNum{seq};
  s.ack = SeqNum{ack};
  s.window = 65535;
  return s;
}

constexpr std::uint8_t syn = wire::TcpFlags::syn;
constexpr std::uint8_t ack = wire::TcpFlags::ack;
constexpr std::uint8_t rst = wire::TcpFlags::rst;
constexpr std::uint8_t fin = wire::TcpFlags::fin;

}  // namespace

TEST_CASE("CLOSED + listen() -> LISTEN: the endpoint has a listener and no connection", "[scenario][tcp][listen]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  CHECK(net.server().find_listener(server_http) == &listener);
  CHECK(net.server().connection_count() == 0);
  CHECK(listener.pending() == 0);
  CHECK(listener.half_open() == 0);
}

TEST_CASE("LISTEN + RST -> ignored, still LISTEN (RFC 9293 3.10.7.2 first)", "[scenario][tcp][listen]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  net.arrive(segment(rst, 7000));
  net.arrive(segment(rst | ack, 7000, 12345));
  net.loop.run_until_idle();
  CHECK(net.server_dropped("listener: RST ignored"));
  CHECK(net.server_sent().empty());
  CHECK(net.server().find_listener(server_http) == &listener);
  CHECK(net.server().connection_count() == 0);
}

TEST_CASE("LISTEN + ACK -> RST with SEQ = SEG.ACK, still LISTEN (RFC 9293 3.10.7.2 second)",
          "[scenario][tcp][listen]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  SECTION("a bare ACK") { net.arrive(segment(ack, 7000, 12345)); }
  SECTION("a SYN,ACK") { net.arrive(segment(syn | ack, 7000, 12345)); }
  SECTION("a FIN,ACK") { net.arrive(segment(fin | ack, 7000, 12345)); }
  net.loop.run_until_idle();
  // "Any acknowledgment is bad if it arrives on a connection still in the
  // LISTEN state. An acceptable reset segment should be formed for any
  // arriving ACK-bearing segment. The RST should be formatted as follows:
  // <SEQ=SEG.ACK><CTL=RST>"
  const auto sent = net.server_sent();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].flags == rst);
  CHECK(sent[0].seq == 12345);
  CHECK(sent[0].remote == peer);
  CHECK(net.server().find_listener(server_http) == &listener);
  CHECK(net.server().connection_count() == 0);
  CHECK(listener.half_open() == 0);
}

TEST_CASE("LISTEN + neither SYN, ACK nor RST -> dropped silently, still LISTEN (RFC 9293 3.10.7.2 fourth)",
          "[scenario][tcp][listen]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  net.arrive(segment(fin, 7000));
  net.arrive(segment(0, 7000));
  net.loop.run_until_idle();
  CHECK(net.server_dropped("listener: neither SYN nor ACK"));
  CHECK(net.server_sent().empty());
  CHECK(net.server().find_listener(server_http) == &listener);
  CHECK(net.server().connection_count() == 0);
}

TEST_CASE("LISTEN + SYN -> a new connection in SYN-RECEIVED answers SYN,ACK, the listener stays LISTEN",
          "[scenario][tcp][listen]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  net.arrive(segment(syn, 7000));
  const auto sent = net.server_sent();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].flags == (syn | ack));
  CHECK(sent[0].ack == 7001);
  CHECK(listener.half_open() == 1);
  CHECK(listener.pending() == 0);
  const Connection* c = net.server().find(FourTuple{server_http, peer});
  REQUIRE(c != nullptr);
  CHECK(c->state() == State::SynReceived);
  CHECK(net.server().find_listener(server_http) == &listener);
}

TEST_CASE("SYN-RECEIVED (passive) + RST -> back to LISTEN: the half-open connection is gone, the listener takes "
          "the next SYN",
          "[scenario][tcp][listen]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  net.arrive(segment(syn, 7000));
  REQUIRE(listener.half_open() == 1);
  net.arrive(segment(rst, 7001));  // SEQ = RCV.NXT
  net.loop.run_until_idle();
  CHECK(listener.half_open() == 0);
  CHECK(listener.pending() == 0);
  CHECK(net.server().connection_count() == 0);
  CHECK(net.server().find(FourTuple{server_http, peer}) == nullptr);
  // The same peer tries again: a new SYN-RECEIVED, not a corpse.
  net.arrive(segment(syn, 9000));
  CHECK(listener.half_open() == 1);
  const Connection* again = net.server().find(FourTuple{server_http, peer});
  REQUIRE(again != nullptr);
  CHECK(again->state() == State::SynReceived);
  CHECK(again->rcv_nxt() == SeqNum{9001});
}

TEST_CASE("LISTEN + close -> CLOSED: the listener is gone, unaccepted connections are reset, a new SYN is refused",
          "[scenario][tcp][listen][close]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  auto connected = net.client().connect(server_http);
  REQUIRE(connected.ok());
  Connection& client = *connected.value();
  REQUIRE(net.run_until([&] { return listener.pending() == 1; }, 10s));  // established, never accepted

  net.server().close(listener);
  CHECK(net.server().find_listener(server_http) == nullptr);
  // RFC 9293 3.10.5 for the queued connection: the client learns by a RST.
  REQUIRE(net.run_until([&] { return client.state() == State::Closed; }, 10s));
  CHECK(client.outcome() == Outcome::Reset);
  net.loop.run_until_idle();
  CHECK(net.server().connection_count() == 0);

  // Nothing listens now: RFC 9293 3.10.7.1 answers a SYN with RST,ACK.
  auto refused = net.client().connect(server_http);
  REQUIRE(refused.ok());
  Connection& second = *refused.value();
  REQUIRE(net.run_until([&] { return second.state() == State::Closed; }, 10s));
  CHECK(second.outcome() == Outcome::Refused);
}

TEST_CASE("connect(), listen() and set_defaults() with an impossible configuration throw, and nothing is filed or sent",
          "[scenario][tcp][listen]") {
  Net net;
  TcpConfig bad;
  bad.mss = 40;  // below RFC 9293's floor with options
  CHECK_THROWS_WITH(net.client().connect(server_http, {}, bad), Catch::Contains("mss"));
  CHECK_THROWS_WITH(net.server().listen(server_http, 8, bad), Catch::Contains("mss"));
  CHECK_THROWS_WITH(net.server().set_defaults(bad), Catch::Contains("mss"));
  CHECK(net.client().connection_count() == 0);
  CHECK(net.server().find_listener(server_http) == nullptr);
  CHECK(net.server().defaults().mss == TcpConfig{}.mss);
  net.loop.run_until_idle();
  CHECK(net.recorder.all<TcpSegment>().empty());

  // A connection made with its own configuration keeps it; the layer's
  // defaults are untouched.
  TcpConfig own;
  own.mss = 1000;
  Listener& listener = net.server().listen(server_http, 8);
  auto connected = net.client().connect(server_http, {}, own);
  REQUIRE(connected);
  CHECK((*connected)->config().mss == 1000);
  CHECK(net.client().defaults().mss == 1460);
  net.run_until([&] { return listener.pending() == 1; }, 1s);
  Connection* accepted = listener.accept();
  REQUIRE(accepted != nullptr);
  CHECK(accepted->config().mss == 1460);
}
