// Two connections joined back to back through the event loop: the smallest
// end-to-end check of the state machine, with a lossy "wire" in between.
#include <catch2/catch.hpp>

#include <deque>
#include <functional>
#include <numeric>

#include "base/random.hpp"
#include "sinks/recorder.hpp"
#include "tcp/connection.hpp"

using namespace netstep;
using namespace netstep::tcp;

namespace {

const Endpoint client_end{Ipv4Address{10, 0, 0, 1}, Port{49152}};
const Endpoint server_end{Ipv4Address{10, 0, 0, 2}, Port{80}};

// Owns both ends; a segment from one arrives at the other 1 ms later,
// unless `lose` says otherwise. Payloads are copied: the sender's buffer
// may change before delivery.
struct Pair final : Connection::Owner {
  explicit Pair(TcpConfig config = {})
      : client{loop, Tracer{bus, "client"}, *this, FourTuple{client_end, server_end}, share(config), SeqNum{1000}},
        server{loop, Tracer{bus, "server"}, *this, FourTuple{server_end, client_end}, share(config), SeqNum{900000}} {
    bus.attach(recorder);
  }

  void send_segment(Connection& from, const wire::TcpRepr& segment) override {
    ++sent;
    if (lose && lose(segment)) return;
    Connection* to = &from == &client ? &server : &client;
    in_flight.push_back(Flight{to, segment, std::vector<std::byte>(segment.payload.begin(), segment.payload.end())});
    loop.post_after(1ms, [this] { deliver(); });
  }
  void connection_established(Connection& c) override { established.push_back(&c); }
  void connection_closed(Connection& c) override { closed.push_back(&c); }

  void deliver() {
    Flight f = std::move(in_flight.front());
    in_flight.pop_front();
    f.segment.payload = Bytes{f.payload};
    if (f.to == &server && server.state() == State::Closed && server.outcome() == Outcome::Open &&
        f.segment.flags.syn_set() && !f.segment.flags.ack_set()) {
      server.accept(f.segment);  // the listener's part
      return;
    }
    f.to->receive_segment(f.segment);
  }

  struct Flight {
    Connection* to;
    wire::TcpRepr segment;
    std::vector<std::byte> payload;
  };
  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  std::deque<Flight> in_flight;
  std::function<bool(const wire::TcpRepr&)> lose;
  std::vector<Connection*> established;
  std::vector<Connection*> closed;
  int sent = 0;
  Connection client;
  Connection server;
};

std::vector<std::byte> pattern(std::size_t n, std::uint8_t seed) {
  std::vector<std::byte> data(n);
  for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::byte>((i * 7 + seed) & 0xff);
  return data;
}

// Pushes `data` from `from` and pulls everything `to` receives, running the loop.
std::vector<std::byte> transfer(Pair& p, Connection& from, Connection& to, const std::vector<std::byte>& data) {
  std::vector<std::byte> got;
  std::vector<std::byte> chunk(4096);
  std::size_t written = 0;
  for (int guard = 0; guard < 2'000'000 && got.size() < data.size(); ++guard) {
    if (written < data.size()) written += from.send(Bytes{data}.subspan(written));
    const std::size_t n = to.receive(MutableBytes{chunk});
    got.insert(got.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    if (n == 0 && !p.loop.run_next()) break;
  }
  return got;
}

}  // namespace

TEST_CASE("connection pair: handshake, data both ways, orderly close, TIME-WAIT then CLOSED", "[tcp][pair]") {
  Pair p;
  p.client.connect();
  p.loop.run_until(Instant{10ms});
  REQUIRE(p.client.state() == State::Established);
  REQUIRE(p.server.state() == State::Established);
  CHECK(p.established.size() == 2);

  const auto up = pattern(300'000, 1);
  CHECK(transfer(p, p.client, p.server, up) == up);
  const auto down = pattern(200'000, 2);
  CHECK(transfer(p, p.server, p.client, down) == down);

  p.client.close();
  p.loop.run_until(p.loop.now() + 10ms);
  CHECK(p.client.state() == State::FinWait1);  // the server's ACK of the FIN waits (delayed ACK, Linux)
  CHECK(p.server.state() == State::CloseWait);
  CHECK(p.server.peer_finished());
  p.loop.run_until(p.loop.now() + 40ms);
  CHECK(p.client.state() == State::FinWait2);
  p.server.close();
  p.loop.run_until(p.loop.now() + 10ms);
  CHECK(p.server.state() == State::Closed);
  CHECK(p.server.outcome() == Outcome::Closed);
  CHECK(p.client.state() == State::TimeWait);
  p.loop.run_until(p.loop.now() + 61s);
  CHECK(p.client.state() == State::Closed);
  CHECK(p.client.outcome() == Outcome::Closed);
}

TEST_CASE("connection pair: 300 KB arrive intact through 10 percent loss both ways", "[tcp][pair][loss]") {
  Pair p;
  Random random{42};
  p.lose = [&random](const wire::TcpRepr&) { return random.chance(0.1); };
  p.client.connect();
  p.loop.run_until(Instant{20s});
  REQUIRE(p.client.state() == State::Established);
  const auto up = pattern(300'000, 3);
  CHECK(transfer(p, p.client, p.server, up) == up);
  bool retransmitted = false;
  for (const auto* e : p.recorder.all<TimerFired>()) retransmitted |= e->as<TimerFired>()->name == "tcp retransmission";
  CHECK(retransmitted);
}

TEST_CASE("connection pair: every state change is traced with a cause and an RFC section", "[tcp][pair][trace]") {
  Pair p;
  p.client.connect();
  p.loop.run_until(Instant{10ms});
  const auto changes = p.recorder.all<TcpStateChanged>();
  REQUIRE(changes.size() >= 4);
  for (const auto* e : changes) {
    CHECK_FALSE(e->as<TcpStateChanged>()->cause.empty());
    CHECK(e->as<TcpStateChanged>()->rfc.rfind("RFC 9293", 0) == 0);
  }
  CHECK(changes[0]->as<TcpStateChanged>()->to == "SYN-SENT");
}
