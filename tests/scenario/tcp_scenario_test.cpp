// TCP end to end on the default topology: the handshake, the refused and the
// silent connect, bulk data (clean and lossy), and the orderly close, each
// checked from the trace the way a student would read it.
#include <catch2/catch.hpp>

#include <cstdint>
#include <tuple>
#include <vector>

#include "lossy_lan.hpp"
#include "sim/frame_rule.hpp"
#include "sinks/recorder.hpp"
#include "tcp/tcp_layer.hpp"
#include "topology/default_topology.hpp"
#include "wire/tcp.hpp"

using namespace netstep;
using namespace netstep::tcp;

using netstep::test::lossy_lan;

namespace {

constexpr std::uint8_t syn = wire::TcpFlags::syn;
constexpr std::uint8_t ack = wire::TcpFlags::ack;
constexpr std::uint8_t rst = wire::TcpFlags::rst;

const Endpoint server_http{Ipv4Address{10, 0, 0, 2}, Port{80}};
const Endpoint remote_http{Ipv4Address{10, 0, 1, 2}, Port{80}};

// Counts and fingerprints the trace without keeping it: the bulk runs emit
// far too many events to record, and determinism needs only a digest.
class Fingerprint final : public TraceSink {
 public:
  void receive(const TraceEvent& e) override {
    ++events;
    mix(e.sequence);
    mix(static_cast<std::uint64_t>(to_ns(e.time)));
    mix(static_cast<std::uint64_t>(e.layer));
    for (const char c : kind_of(e.payload)) mix(static_cast<std::uint64_t>(c));
    mix(e.frame.size());
  }
  std::uint64_t events = 0;
  std::uint64_t digest = 0xcbf29ce484222325ull;

 private:
  void mix(std::uint64_t v) { digest = (digest ^ v) * 0x100000001b3ull; }
};

std::uint64_t fnv1a(const std::vector<std::byte>& data) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const std::byte b : data) h = (h ^ static_cast<std::uint64_t>(b)) * 0x100000001b3ull;
  return h;
}

std::vector<std::byte> pattern(std::size_t size, std::uint64_t seed) {
  Random random{seed};
  std::vector<std::byte> data(size);
  for (auto& b : data) b = static_cast<std::byte>(random.below(256));
  return data;
}

struct Net {
  explicit Net(topology::DefaultTopologyOptions options = {}, bool record = true) : network{loop, bus, options} {
    if (record) bus.attach(recorder);
  }

  // Runs events until done() holds; false if the loop went idle first or
  // virtual time passed `limit`.
  template <class Done>
  bool run_until(Done done, Duration limit = 600s) {
    const Instant deadline = loop.now() + limit;
    while (!done()) {
      if (loop.now() > deadline || !loop.run_next()) return done();
    }
    return true;
  }

  TcpLayer& client() { return network.client().tcp(); }
  TcpLayer& server() { return network.server().tcp(); }

  // Every TcpSegment the stack reports, of one direction.
  std::vector<const RecordedEvent*> segments(std::string_view direction) const {
    std::vector<const RecordedEvent*> found;
    for (const auto* e : recorder.all<TcpSegment>()) {
      if (e->as<TcpSegment>()->direction == direction) found.push_back(e);
    }
    return found;
  }
  // When a connection of `host` entered `state`, or nothing.
  std::optional<Instant> entered(std::string_view host, std::string_view state) const {
    for (const auto* e : recorder.all<TcpStateChanged>()) {
      if (e->host == host && e->as<TcpStateChanged>()->to == state) return e->time;
    }
    return std::nullopt;
  }
  bool dropped(std::string_view host, std::string_view reason) const {
    for (const auto* e : recorder.all<Dropped>()) {
      if (e->host == host && e->layer == Layer::Tcp && e->as<Dropped>()->reason == reason) return true;
    }
    return false;
  }

  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  topology::DefaultTopology network;
};

// A rule's match for the SYNs (SYN set, ACK clear) that open connections to `server`.
sim::FrameMatch syns_to(Endpoint server) {
  sim::FrameMatch syns;
  syns.ip_destination = sim::FrameMatch::host(server.address);
  syns.destination_port = server.port;
  syns.tcp_flags_set = sim::tcp_flag::syn;
  syns.tcp_flags_clear = sim::tcp_flag::ack;
  return syns;
}

Connection& connect_or_fail(TcpLayer& layer, Endpoint remote) {
  auto result = layer.connect(remote);
  if (!result) FAIL("connect() failed: " << to_string(result.error()));
  return *result.value();
}

// Both ends established: the client's connection and the accepted one.
std::pair<Connection*, Connection*> handshake(Net& net, Listener& listener, TcpLayer& from, Endpoint to) {
  Connection& client = connect_or_fail(from, to);
  const bool done =
      net.run_until([&] { return client.state() == State::Established && listener.pending() == 1; }, 60s);
  REQUIRE(done);
  Connection* accepted = listener.accept();
  REQUIRE(accepted != nullptr);
  return {&client, accepted};
}

struct Transfer {
  std::vector<std::byte> server_got;
  std::vector<std::byte> client_got;
};

// The client sends `data`; the server echoes every byte it reads; the loop
// runs until the client has read all of it back (or `limit` passes).
Transfer echo(Net& net, Connection& client, Connection& server, const std::vector<std::byte>& data,
              Duration limit = 600s) {
  Transfer t;
  std::size_t sent = 0;
  std::size_t echoed = 0;
  std::vector<std::byte> scratch(64 * 1024);
  const auto pump = [&] {
    if (sent < data.size()) sent += client.send(Bytes{data}.subspan(sent));
    for (std::size_t n; (n = server.receive(MutableBytes{scratch})) > 0;) {
      t.server_got.insert(t.server_got.end(), scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(n));
    }
    if (echoed < t.server_got.size()) echoed += server.send(Bytes{t.server_got}.subspan(echoed));
    for (std::size_t n; (n = client.receive(MutableBytes{scratch})) > 0;) {
      t.client_got.insert(t.client_got.end(), scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return t.client_got.size() >= data.size();
  };
  net.run_until(pump, limit);
  return t;
}

void impair_lan(Net& net, const sim::Impairments& impairments) {
  for (const char* name : {"client-lan", "server-lan"}) {
    sim::Link* link = net.network.network().find_link(name);
    REQUIRE(link != nullptr);
    link->set_impairments(sim::Direction::AtoB, impairments);
    link->set_impairments(sim::Direction::BtoA, impairments);
  }
}

}  // namespace

// --- opening ------------------------------------------------------------------

TEST_CASE("connect to a listener on 10.0.0.2:80: SYN, SYN,ACK, ACK, both ESTABLISHED", "[scenario][tcp][connect]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  Connection* client = nullptr;  // not a structured binding: clang before 16 cannot capture one
  Connection* server = nullptr;
  std::tie(client, server) = handshake(net, listener, net.client(), server_http);

  CHECK(client->state() == State::Established);
  CHECK(server->state() == State::Established);
  CHECK(server->tuple() == client->tuple().reversed());
  CHECK(client->tuple().local.address == Ipv4Address{10, 0, 0, 1});
  CHECK(client->tuple().local.port.value() >= 32768);
  CHECK(client->tuple().local.port.value() <= 60999);

  const auto sent = net.segments("sent");
  REQUIRE(sent.size() >= 3);
  const TcpSegment& s1 = *sent[0]->as<TcpSegment>();
  const TcpSegment& s2 = *sent[1]->as<TcpSegment>();
  const TcpSegment& s3 = *sent[2]->as<TcpSegment>();
  CHECK(sent[0]->host == "client");
  CHECK(s1.flags == syn);
  CHECK(sent[1]->host == "server");
  CHECK(s2.flags == (syn | ack));
  CHECK(s2.ack == s1.seq + 1);
  CHECK(sent[2]->host == "client");
  CHECK(s3.flags == ack);
  CHECK(s3.seq == s1.seq + 1);
  CHECK(s3.ack == s2.seq + 1);
  CHECK(sent[0]->time < sent[1]->time);
  CHECK(sent[1]->time < sent[2]->time);
}

TEST_CASE("connect to 10.0.0.2:81 (no listener): the server's TCP answers RST,ACK, connect is refused",
          "[scenario][tcp][connect][refused]") {
  Net net;
  Connection& client = connect_or_fail(net.client(), Endpoint{Ipv4Address{10, 0, 0, 2}, Port{81}});
  REQUIRE(net.run_until([&] { return client.state() == State::Closed; }, 10s));
  CHECK(client.outcome() == Outcome::Refused);
  CHECK(net.dropped("server", "no socket: RST sent"));

  const auto sent = net.segments("sent");
  REQUIRE(sent.size() == 2);
  CHECK(sent[1]->host == "server");
  const TcpSegment& syn_seg = *sent[0]->as<TcpSegment>();
  const TcpSegment& reset = *sent[1]->as<TcpSegment>();
  // RFC 9293 3.10.7.1, the SYN had no ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
  CHECK(reset.flags == (rst | ack));
  CHECK(reset.seq == 0);
  CHECK(reset.ack == syn_seg.seq + 1);

  // TCP hands the SYN down at 0; it waits one LAN round trip (2 x 2 cables
  // of 50 us) for ARP and leaves at 0.2 ms; the RST is back one round trip
  // later: refused 0.4 ms into the run.
  CHECK(sent[0]->time == Instant{});
  const auto closed = net.entered("client", "CLOSED");
  REQUIRE(closed);
  CHECK(*closed == Instant{400us});
}

TEST_CASE("connect to 10.0.1.2:80 across the router reaches the remote listener", "[scenario][tcp][connect]") {
  Net net;
  Listener& listener = net.network.remote().tcp().listen(Endpoint{Ipv4Address{}, Port{80}}, 8);
  Connection* client = nullptr;  // not a structured binding: clang before 16 cannot capture one
  Connection* remote = nullptr;
  std::tie(client, remote) = handshake(net, listener, net.client(), remote_http);
  CHECK(client->state() == State::Established);
  CHECK(remote->state() == State::Established);
  CHECK(remote->tuple().local == remote_http);
  CHECK(remote->tuple().remote.address == Ipv4Address{10, 0, 0, 1});
}

TEST_CASE("a silent host: every SYN dropped, Linux's schedule sends 11 SYNs and times out 131 s after the first",
          "[scenario][tcp][connect][timeout]") {
  Net net;
  sim::Link* cable = net.network.network().find_link("client-lan");
  REQUIRE(cable != nullptr);
  cable->add_rule(sim::Direction::AtoB, sim::FrameRule{syns_to(server_http), sim::Drop{}, std::nullopt});
  net.server().listen(server_http, 8);

  Connection& client = connect_or_fail(net.client(), server_http);
  REQUIRE(net.run_until([&] { return client.state() == State::Closed; }, 300s));
  CHECK(client.outcome() == Outcome::TimedOut);
  CHECK(client.syns_sent() == 11);

  const auto sent = net.segments("sent");
  REQUIRE(sent.size() == 11);
  for (const auto* e : sent) CHECK(e->as<TcpSegment>()->flags == syn);
  // Linux 6.5+ (tcp_syn_retries 6, tcp_syn_linear_timeouts 4): 1 s five
  // times, then 2, 4, 8, 16, 32, and the last wait of 64 s.
  const Instant first = sent.front()->time;
  const Duration expected[] = {0s, 1s, 2s, 3s, 4s, 5s, 7s, 11s, 19s, 35s, 67s};
  for (std::size_t i = 0; i < sent.size(); ++i) CHECK(sent[i]->time - first == expected[i]);
  const auto closed = net.entered("client", "CLOSED");
  REQUIRE(closed);
  CHECK(*closed - first == 131s);
}

TEST_CASE("an ICMP host-unreachable for the SYN ends the attempt at once, as on Linux (connect-matrix.md T05)",
          "[scenario][tcp][connect][icmp]") {
  Net net;
  sim::Link* cable = net.network.network().find_link("client-lan");
  REQUIRE(cable != nullptr);
  cable->add_rule(sim::Direction::AtoB,
                  sim::FrameRule{syns_to(server_http), sim::RejectWithIcmp{3, 1, Ipv4Address{10, 0, 0, 254}}, 1});
  net.server().listen(server_http, 8);

  Connection& client = connect_or_fail(net.client(), server_http);
  REQUIRE(net.run_until([&] { return client.state() == State::Closed; }, 5s));
  CHECK(client.outcome() == Outcome::Unreachable);
  CHECK(client.syns_sent() == 1);
  CHECK(net.loop.now() < Instant{1ms});
  const auto soft = client.soft_error();
  REQUIRE(soft);
  CHECK(soft->type == 3);
  CHECK(soft->code == 1);
  CHECK(soft->reporter == Ipv4Address{10, 0, 0, 254});
}

TEST_CASE("with FreeBSD's policy the same ICMP is kept as a soft error and the attempt goes on (BSD tcp_notify)",
          "[scenario][tcp][connect][icmp]") {
  Net net;
  TcpConfig bsd = net.client().defaults();
  bsd.syn = freebsd_syn_policy();
  net.client().set_defaults(bsd);
  sim::Link* cable = net.network.network().find_link("client-lan");
  REQUIRE(cable != nullptr);
  // Only the first SYN is answered with the error; the retransmission gets through.
  cable->add_rule(sim::Direction::AtoB,
                  sim::FrameRule{syns_to(server_http), sim::RejectWithIcmp{3, 1, Ipv4Address{10, 0, 0, 254}}, 1});
  net.server().listen(server_http, 8);

  Connection& client = connect_or_fail(net.client(), server_http);
  REQUIRE(net.run_until([&] { return client.state() == State::Established; }, 5s));
  CHECK(client.syns_sent() == 2);  // not aborted by the ICMP: retransmitted after 1 s
  const auto soft = client.soft_error();
  REQUIRE(soft);
  CHECK(soft->type == 3);
  CHECK(soft->code == 1);
  CHECK(soft->reporter == Ipv4Address{10, 0, 0, 254});
}

TEST_CASE("two connects to one server get two different ephemeral ports", "[scenario][tcp][connect][port]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  Connection& a = connect_or_fail(net.client(), server_http);
  Connection& b = connect_or_fail(net.client(), server_http);
  CHECK(a.tuple().local.port != b.tuple().local.port);
  REQUIRE(net.run_until([&] { return listener.pending() == 2; }, 10s));
  CHECK(net.client().connection_count() == 2);
  CHECK(net.server().connection_count() == 2);
}

TEST_CASE("a full listen queue drops the SYN unanswered, the client's retransmission gets in after accept()",
          "[scenario][tcp][listen]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 1);
  Connection& first = connect_or_fail(net.client(), server_http);
  REQUIRE(net.run_until([&] { return listener.pending() == 1; }, 10s));
  Connection& second = connect_or_fail(net.client(), server_http);
  REQUIRE(net.run_until([&] { return net.dropped("server", "listen queue full"); }, 10s));
  CHECK(second.state() == State::SynSent);
  CHECK(listener.accept() != nullptr);
  REQUIRE(net.run_until([&] { return second.state() == State::Established; }, 10s));
  CHECK(first.state() == State::Established);
  CHECK(second.syns_sent() == 2);
}

TEST_CASE("connect() fails before any SYN: broadcast destination, taken 4-tuple, foreign local address",
          "[scenario][tcp][connect]") {
  Net net;
  CHECK(net.client().connect(Endpoint{Ipv4Address{10, 0, 0, 255}, Port{80}}).error() == ConnectError::NotUnicast);
  CHECK(net.client().connect(server_http, Endpoint{Ipv4Address{10, 0, 0, 9}, Port{}}).error() ==
        ConnectError::AddressNotAvailable);
  const Endpoint fixed{Ipv4Address{10, 0, 0, 1}, Port{40000}};
  REQUIRE(net.client().connect(server_http, fixed).ok());
  CHECK(net.client().connect(server_http, fixed).error() == ConnectError::AddressInUse);
  net.network.client().add_special_route(*Ipv4Cidr::parse("192.0.2.0/24"), RouteKind::Prohibit);
  CHECK(net.client().connect(Endpoint{Ipv4Address{192, 0, 2, 1}, Port{80}}).error() == ConnectError::ProhibitRoute);
}

// --- data -----------------------------------------------------------------------

TEST_CASE("1 MB from client to server and back, byte for byte", "[scenario][tcp][data]") {
  Net net{{}, /*record=*/false};
  Listener& listener = net.server().listen(server_http, 8);
  Connection* client = nullptr;  // not a structured binding: clang before 16 cannot capture one
  Connection* server = nullptr;
  std::tie(client, server) = handshake(net, listener, net.client(), server_http);
  const auto data = pattern(1 << 20, 42);
  const Transfer t = echo(net, *client, *server, data);
  CHECK(t.server_got.size() == data.size());
  CHECK(t.client_got.size() == data.size());
  CHECK(t.server_got == data);
  CHECK(t.client_got == data);
}

namespace {

struct LossyRun {
  std::uint64_t events;
  std::uint64_t digest;
  Instant end;
  std::uint64_t server_hash;
  std::uint64_t client_hash;
  std::size_t client_bytes;
};

LossyRun lossy_echo(std::uint64_t seed, const std::vector<std::byte>& data) {
  topology::DefaultTopologyOptions options;
  options.seed = seed;
  Net net{options, /*record=*/false};
  Fingerprint fingerprint;
  net.bus.attach(fingerprint);
  impair_lan(net, lossy_lan());
  Listener& listener = net.server().listen(server_http, 8);
  Connection* client = nullptr;  // not a structured binding: clang before 16 cannot capture one
  Connection* server = nullptr;
  std::tie(client, server) = handshake(net, listener, net.client(), server_http);
  const Transfer t = echo(net, *client, *server, data, 3600s);
  if (t.client_got.size() != data.size()) {
    // A stalled transfer: say where each side stands, for the report.
    for (const Connection* c : {client, server}) {
      UNSCOPED_INFO(c->tuple().to_string() << " " << to_string(c->state()) << " outcome " << to_string(c->outcome())
                    << " snd_una " << c->snd_una().value() << " snd_nxt " << c->snd_nxt().value() << " rcv_nxt "
                    << c->rcv_nxt().value() << " snd_wnd " << c->snd_wnd() << " rcv_wnd " << c->rcv_wnd()
                    << " unacked " << c->unacknowledged() << " readable " << c->readable() << " rto "
                    << c->rtt().rto().count() << " cwnd " << c->congestion().cwnd());
    }
    UNSCOPED_INFO("stalled at " << to_ns(net.loop.now()) << " ns, server got " << t.server_got.size()
                                << ", pending events " << net.loop.pending_count());
  }
  return LossyRun{fingerprint.events, fingerprint.digest,    net.loop.now(),
                  fnv1a(t.server_got), fnv1a(t.client_got), t.client_got.size()};
}

}  // namespace

TEST_CASE("1 MB both ways through 5% loss, reordering and duplication arrives intact, the same run every time",
          "[scenario][tcp][data][loss]") {
  const auto data = pattern(1 << 20, 7);
  const LossyRun first = lossy_echo(11, data);
  CHECK(first.client_bytes == data.size());
  CHECK(first.server_hash == fnv1a(data));
  CHECK(first.client_hash == fnv1a(data));

  const LossyRun again = lossy_echo(11, data);
  CHECK(again.events == first.events);
  CHECK(again.digest == first.digest);
  CHECK(again.end == first.end);
}

// --- closing --------------------------------------------------------------------

TEST_CASE("both close: the client lingers in TIME-WAIT for 60 s, then CLOSED, and the tuple is free again",
          "[scenario][tcp][close]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  Connection* client = nullptr;  // not a structured binding: clang before 16 cannot capture one
  Connection* server = nullptr;
  std::tie(client, server) = handshake(net, listener, net.client(), server_http);

  client->close();
  REQUIRE(net.run_until([&] { return server->state() == State::CloseWait; }, 10s));
  CHECK(server->peer_finished());
  server->close();
  REQUIRE(net.run_until([&] { return client->state() == State::TimeWait && server->state() == State::Closed; }, 10s));
  CHECK(server->outcome() == Outcome::Closed);
  CHECK(net.client().connection_count() == 1);  // TIME-WAIT still owns the tuple
  CHECK(net.server().connection_count() == 0);

  REQUIRE(net.run_until([&] { return client->state() == State::Closed; }, 120s));
  CHECK(client->outcome() == Outcome::Closed);
  const auto time_wait = net.entered("client", "TIME-WAIT");
  const auto closed = net.entered("client", "CLOSED");
  REQUIRE(time_wait);
  REQUIRE(closed);
  CHECK(*closed - *time_wait == 60s);
  CHECK(net.client().connection_count() == 0);

  // Released, the closed connections are destroyed after the current event
  // (ASan would see a leak or a use after free here); the tuple is free.
  const FourTuple tuple = client->tuple();
  net.client().release(*client);
  net.server().release(*server);
  net.loop.run_until_idle();
  CHECK(net.client().find(tuple) == nullptr);
  CHECK(net.client().connect(server_http, tuple.local).ok());
}

// The server closes first and keeps TIME-WAIT; the client comes back from
// the same port a second later. RFC 6191: the SYN's timestamp is newer than
// anything of the old incarnation, so TIME-WAIT ends early and the listener
// takes the SYN; the new ISS starts above the old sequence space.
TEST_CASE("server in TIME-WAIT + a SYN with a newer timestamp on the same four-tuple -> a new connection "
          "(RFC 6191)",
          "[scenario][tcp][close][time-wait]") {
  Net net;
  Listener& listener = net.server().listen(server_http, 8);
  Connection* client = nullptr;  // not a structured binding: clang before 16 cannot capture one
  Connection* server = nullptr;
  std::tie(client, server) = handshake(net, listener, net.client(), server_http);
  REQUIRE(client->timestamps_enabled());
  server->close();
  REQUIRE(net.run_until([&] { return client->state() == State::CloseWait; }, 10s));
  client->close();
  REQUIRE(net.run_until([&] { return server->state() == State::TimeWait && client->state() == State::Closed; }, 10s));
  const FourTuple tuple = client->tuple();
  const SeqNum old_snd_nxt = server->snd_nxt();
  net.client().release(*client);
  net.loop.run_until(net.loop.now() + 1s);

  auto again = net.client().connect(server_http, tuple.local);
  REQUIRE(again.ok());
  Connection& reopened = *again.value();
  REQUIRE(net.run_until([&] { return reopened.state() == State::Established && listener.pending() == 1; }, 10s));
  CHECK(server->state() == State::Closed);
  CHECK(server->outcome() == Outcome::Closed);
  Connection* second = listener.accept();
  REQUIRE(second != nullptr);
  CHECK(second->tuple() == server->tuple());
  CHECK(second->iss() == old_snd_nxt + 65537u);
  bool explained = false;
  for (const auto* e : net.recorder.all<TcpStateChanged>()) {
    const auto* change = e->as<TcpStateChanged>();
    if (e->host == "server" && change->from == "TIME-WAIT" && change->rfc == "RFC 6191 section 2") explained = true;
  }
  CHECK(explained);
  CHECK(reopened.syns_sent() == 1);  // no retransmission was needed
}

// The client closes first and keeps TIME-WAIT; with one ephemeral port it
// must take that four-tuple over to connect again (Linux's tcp_tw_reuse).
TEST_CASE("client in TIME-WAIT, one ephemeral port + connect() -> reused after a second with "
          "time_wait_reuse Always, never with the default",
          "[scenario][tcp][close][time-wait][port]") {
  for (const bool reuse : {true, false}) {
    DYNAMIC_SECTION((reuse ? "Always" : "default (loopback only)")) {
      Net net;
      net.client().set_ephemeral_range(EphemeralRange{40000, 40000});
      TcpConfig config = net.client().defaults();
      if (reuse) config.time_wait_reuse = TimeWaitReuse::Always;
      net.client().set_defaults(config);
      Listener& listener = net.server().listen(server_http, 8);
      Connection* client = nullptr;  // not a structured binding: clang before 16 cannot capture one
      Connection* server = nullptr;
      std::tie(client, server) = handshake(net, listener, net.client(), server_http);
      client->close();
      REQUIRE(net.run_until([&] { return server->state() == State::CloseWait; }, 10s));
      server->close();
      REQUIRE(net.run_until([&] { return client->state() == State::TimeWait && server->state() == State::Closed; }, 10s));
      const SeqNum old_snd_nxt = client->snd_nxt();
      net.server().release(*server);

      // Within the same second: the port is not free yet.
      auto early = net.client().connect(server_http);
      REQUIRE_FALSE(early.ok());
      CHECK(early.error() == ConnectError::NoEphemeralPort);

      net.loop.run_until(net.loop.now() + 1s);
      auto later = net.client().connect(server_http);
      if (!reuse) {
        REQUIRE_FALSE(later.ok());
        CHECK(later.error() == ConnectError::NoEphemeralPort);
        CHECK(client->state() == State::TimeWait);
        continue;
      }
      REQUIRE(later.ok());
      Connection& next = *later.value();
      CHECK(client->state() == State::Closed);
      CHECK(next.tuple() == client->tuple());
      CHECK(next.iss() == old_snd_nxt + 65537u);
      REQUIRE(net.run_until([&] { return next.state() == State::Established && listener.pending() == 1; }, 10s));
    }
  }
}

// T08 (measured): Linux gives up after three ARP requests; its IP layer
// reports host unreachable to itself, and the handshake ends with it.
TEST_CASE("connect to a host that does not answer ARP: host unreachable after 3 s, as on Linux (T08)",
          "[scenario][tcp][connect][icmp][arp]") {
  Net net;
  Connection& client = connect_or_fail(net.client(), Endpoint{Ipv4Address{10, 0, 0, 77}, Port{80}});
  REQUIRE(net.run_until([&] { return client.state() == State::Closed; }, 300s));
  CHECK(client.outcome() == Outcome::Unreachable);
  CHECK(net.loop.now() == Instant{3s});
  // The fourth SYN is due at 3 s too; Linux reports the ARP failure first
  // and sends 3 (linux-syn-timings.md: no SYN reaches the wire).
  CHECK(client.syns_sent() == 3);
  const auto soft = client.soft_error();
  REQUIRE(soft);
  CHECK(soft->type == 3);
  CHECK(soft->code == 1);
  CHECK(soft->reporter == Ipv4Address{10, 0, 0, 1});  // our own IP layer: ARP failed
}

// With BSD's policy the same local error is kept and reported at the
// timeout instead of ETIMEDOUT, so it must outlive the connection's CLOSED.
TEST_CASE("with FreeBSD's policy ARP failures are soft until more than 3 retransmissions, then the next ends it",
          "[scenario][tcp][connect][icmp][timeout]") {
  Net net;
  TcpConfig bsd = net.client().defaults();
  bsd.syn = freebsd_syn_policy();
  net.client().set_defaults(bsd);
  Connection& client = connect_or_fail(net.client(), Endpoint{Ipv4Address{10, 0, 0, 77}, Port{80}});
  REQUIRE(net.run_until([&] { return client.state() == State::Closed; }, 300s));
  CHECK(client.outcome() == Outcome::Unreachable);
  CHECK(client.syns_sent() == 5);  // the error about the fifth SYN, with one already kept
  CHECK(net.loop.now() < Instant{75s});
  const auto soft = client.soft_error();
  REQUIRE(soft);
  CHECK(soft->type == 3);
  CHECK(soft->code == 1);
  CHECK(soft->reporter == Ipv4Address{10, 0, 0, 1});
}
