// Every row of linux-syn-timings.md section 1, produced by a real
// Connection talking to a silent peer: the SYN send times and the moment it
// gives up, to the millisecond of virtual time.
#include <catch2/catch.hpp>

#include <vector>

#include "tcp/connection.hpp"

using namespace netstep;
using namespace netstep::tcp;

namespace {

// An owner that only listens: every segment vanishes, as with a silent host.
struct SilentPeer final : Connection::Owner {
  EventLoop& loop;
  std::vector<Duration> syn_times;
  std::optional<Instant> closed_at;
  explicit SilentPeer(EventLoop& l) : loop{l} {}
  void send_segment(Connection&, const wire::TcpRepr& segment) override {
    if (segment.flags.syn_set()) syn_times.push_back(loop.now().time_since_epoch());
  }
  void connection_established(Connection&) override {}
  void connection_closed(Connection&) override { closed_at = loop.now(); }
};

struct Row {
  int retries;
  int linear;
  std::vector<int> syn_seconds;  // nominal send times
  int gives_up_at;               // seconds
};

// linux-syn-timings.md, section 1, both tables (nominal values).
const std::vector<Row> rows = {
    {1, 4, {0, 1, 2}, 3},
    {2, 4, {0, 1, 2, 3, 4, 5}, 7},
    {3, 4, {0, 1, 2, 3, 4, 5, 7, 11}, 19},
    {4, 4, {0, 1, 2, 3, 4, 5, 7, 11, 19}, 35},
    {5, 4, {0, 1, 2, 3, 4, 5, 7, 11, 19, 35}, 67},
    {6, 4, {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67}, 131},
    {1, 0, {0, 1}, 3},
    {2, 0, {0, 1, 3}, 7},
    {3, 0, {0, 1, 3, 7}, 15},
    {4, 0, {0, 1, 3, 7, 15}, 31},
    {5, 0, {0, 1, 3, 7, 15, 31}, 63},
    {6, 0, {0, 1, 3, 7, 15, 31, 63}, 127},
};

}  // namespace

TEST_CASE("a connection to a silent host follows every Linux SYN schedule row to the millisecond",
          "[tcp][syn][linux]") {
  for (const Row& row : rows) {
    INFO("tcp_syn_retries=" << row.retries << " tcp_syn_linear_timeouts=" << row.linear);
    EventLoop loop;
    SilentPeer peer{loop};
    TcpConfig config;
    config.syn = linux_syn_policy(LinuxSynSysctls{row.retries, row.linear});
    Connection connection{loop, Tracer{}, peer,
                          FourTuple{{Ipv4Address{10, 0, 0, 1}, Port{49152}}, {Ipv4Address{10, 0, 0, 2}, Port{80}}},
                          share(config), SeqNum{1000}};
    connection.connect();
    loop.run_until_idle();

    std::vector<int> sent_ms;
    for (const Duration t : peer.syn_times) sent_ms.push_back(static_cast<int>(t / 1ms));
    std::vector<int> expected_ms;
    for (const int s : row.syn_seconds) expected_ms.push_back(s * 1000);
    CHECK(sent_ms == expected_ms);
    REQUIRE(peer.closed_at);
    CHECK(*peer.closed_at == Instant{std::chrono::seconds{row.gives_up_at}});
    CHECK(connection.outcome() == Outcome::TimedOut);
  }
}

TEST_CASE("per-socket TCP_SYNCNT=1 and TCP_USER_TIMEOUT=2500 ms end the attempt at 3 s and 2.5 s", "[tcp][syn][linux]") {
  for (const bool user_timeout : {false, true}) {
    EventLoop loop;
    SilentPeer peer{loop};
    TcpConfig config;
    if (user_timeout) {
      config.syn_overrides.tcp_user_timeout = std::chrono::milliseconds{2500};
    } else {
      config.syn_overrides.tcp_syncnt = 1;
    }
    Connection connection{loop, Tracer{}, peer,
                          FourTuple{{Ipv4Address{10, 0, 0, 1}, Port{49152}}, {Ipv4Address{10, 0, 0, 2}, Port{80}}},
                          share(config), SeqNum{1000}};
    connection.connect();
    loop.run_until_idle();
    REQUIRE(peer.closed_at);
    CHECK(*peer.closed_at == (user_timeout ? Instant{2500ms} : Instant{3s}));  // measured 2.52 s and 3.06 s (T30)
  }
}
