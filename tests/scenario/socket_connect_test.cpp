// connect() through the socket API on the default simulated network, as the
// linux personality answers it: one test per measured row of
// ../shared/reference/connect-matrix.md that the TCP socket calls so far
// cover. Applications run as tasks; blocking calls suspend them.
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "event/task.hpp"
#include "sim/frame_rule.hpp"
#include "socket/socket_api.hpp"
#include "topology/default_topology.hpp"

using namespace netstep;
using namespace netstep::socket;
using namespace std::chrono_literals;

namespace {

const Endpoint server_http{Ipv4Address{10, 0, 0, 2}, Port{80}};
const Endpoint closed_port{Ipv4Address{10, 0, 0, 2}, Port{81}};
const Endpoint remote_http{Ipv4Address{10, 0, 1, 2}, Port{80}};

struct Net {
  explicit Net(std::optional<tcp::SynPolicy> client_syn = std::nullopt) {
    if (client_syn) {
      tcp::TcpConfig config = network.client().tcp().defaults();
      config.syn = *client_syn;
      network.client().tcp().set_defaults(config);
    }
    network.server().tcp().listen(server_http, 8);
  }
  ConnectArguments to(Endpoint e) const {
    ConnectArguments a;
    a.destination = e;
    return a;
  }

  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopology network{loop, bus};
  TaskRunner tasks{loop};
  SocketApi api{network.client().tcp(), network.client().udp(), tasks};
};

// A blocking connect() in a task; the result and when it came back.
struct Outcome {
  std::optional<CallResult> result;
  Instant at{};
};

Task blocking_connect(Net& net, Endpoint destination, Outcome& out) {
  const int fd = net.api.socket(af_inet, sock_stream).value;
  out.result = co_await net.api.connect(fd, net.to(destination));
  out.at = net.loop.now();
}

Outcome run_blocking(Net& net, Endpoint destination) {
  Outcome out;
  net.tasks.spawn("client", blocking_connect(net, destination, out));
  net.loop.run_until(Instant{600s});
  net.tasks.rethrow_first_failure();
  REQUIRE(out.result);
  return out;
}

// connect() on `fd` from a fresh task, and only that task run: the network
// does not move meanwhile. Returns what the call returned.
struct Caller {
  Net& net;
  int fd;
  Endpoint destination;
  std::vector<CallResult> results;
  const CallResult& operator()() {
    const auto task = [](Caller& c) -> Task {
      c.results.push_back(co_await c.net.api.connect(c.fd, c.net.to(c.destination)));
    };
    net.tasks.spawn("client", task(*this));
    net.loop.run_until(net.loop.now());
    REQUIRE_FALSE(results.empty());
    return results.back();
  }
};

void check_error(const CallResult& r, Errc e, int number) {
  INFO(r.describe() << " (" << r.rule << ")");
  CHECK(r.value == -1);
  REQUIRE(r.error);
  CHECK(*r.error == e);
  REQUIRE(r.code);
  CHECK(r.code->number == number);
}

}  // namespace

TEST_CASE("T01 blocking connect, listener present: 0 once the SYN,ACK is in", "[scenario][socket][conformance]") {
  Net net;
  const Outcome out = run_blocking(net, server_http);
  CHECK(out.result->ok());
  CHECK(out.result->value == 0);
  CHECK(out.at == Instant{400us});  // ARP, SYN, SYN,ACK on a 50 us cable
}

TEST_CASE("T02 closed port, the peer answers RST: ECONNREFUSED (111) at once", "[scenario][socket][conformance]") {
  Net net;
  const Outcome out = run_blocking(net, closed_port);
  check_error(*out.result, Errc::ConnectionRefused, 111);
  CHECK(out.at < Instant{1ms});
}

TEST_CASE("T03 silent host with tcp_syn_retries=2: ETIMEDOUT (110) after the schedule", "[scenario][socket][conformance]") {
  Net net{tcp::linux_syn_policy(tcp::LinuxSynSysctls{2, 4})};
  sim::Link* cable = net.network.network().find_link("client-lan");
  REQUIRE(cable != nullptr);
  sim::FrameMatch syns;
  syns.ip_destination = sim::FrameMatch::host(remote_http.address);
  syns.tcp_flags_set = sim::tcp_flag::syn;
  cable->add_rule(sim::Direction::AtoB, sim::FrameRule{syns, sim::Drop{}, std::nullopt});
  const Outcome out = run_blocking(net, remote_http);
  check_error(*out.result, Errc::TimedOut, 110);
  CHECK(out.at == Instant{7s});  // measured 7.12 s (linux-syn-timings.md: the model's nominal 7 s)
}

TEST_CASE("T04 the router answers ICMP net unreachable: ENETUNREACH (101) at once", "[scenario][socket][conformance]") {
  Net net;
  const Outcome out = run_blocking(net, Endpoint{Ipv4Address{192, 0, 2, 1}, Port{80}});
  check_error(*out.result, Errc::NetworkUnreachable, 101);
  CHECK(out.at < Instant{1ms});
}

TEST_CASE("T05 ICMP host unreachable for the SYN: EHOSTUNREACH (113) at once", "[scenario][socket][conformance]") {
  Net net;
  sim::Link* cable = net.network.network().find_link("client-lan");
  REQUIRE(cable != nullptr);
  sim::FrameMatch syns;
  syns.ip_destination = sim::FrameMatch::host(remote_http.address);
  syns.tcp_flags_set = sim::tcp_flag::syn;
  cable->add_rule(sim::Direction::AtoB,
                  sim::FrameRule{syns, sim::RejectWithIcmp{3, 1, Ipv4Address{10, 0, 0, 254}}, std::nullopt});
  const Outcome out = run_blocking(net, remote_http);
  check_error(*out.result, Errc::HostUnreachable, 113);
}

TEST_CASE("T07b local unreachable, prohibit and blackhole routes: EHOSTUNREACH, EACCES, EINVAL, nothing sent",
          "[scenario][socket][conformance]") {
  Net net;
  net.network.client().add_special_route(Ipv4Cidr{Ipv4Address{198, 51, 100, 0}, 24}, RouteKind::Unreachable);
  net.network.client().add_special_route(Ipv4Cidr{Ipv4Address{198, 51, 101, 0}, 24}, RouteKind::Prohibit);
  net.network.client().add_special_route(Ipv4Cidr{Ipv4Address{198, 51, 102, 0}, 24}, RouteKind::Blackhole);
  check_error(run_blocking(net, Endpoint{Ipv4Address{198, 51, 100, 1}, Port{80}}).result.value(), Errc::HostUnreachable, 113);
  check_error(run_blocking(net, Endpoint{Ipv4Address{198, 51, 101, 1}, Port{80}}).result.value(), Errc::PermissionDenied, 13);
  check_error(run_blocking(net, Endpoint{Ipv4Address{198, 51, 102, 1}, Port{80}}).result.value(), Errc::InvalidArgument, 22);
}

TEST_CASE("T08 ARP fails for an on-link host: EHOSTUNREACH (113) after 3 s", "[scenario][socket][conformance]") {
  Net net;
  const Outcome out = run_blocking(net, Endpoint{Ipv4Address{10, 0, 0, 77}, Port{80}});
  check_error(*out.result, Errc::HostUnreachable, 113);
  CHECK(out.at == Instant{3s});  // measured 3.07 s
}

TEST_CASE("T09-T12 non-blocking: EINPROGRESS, EALREADY while pending, poll POLLOUT, then 0 once, then EISCONN",
          "[scenario][socket][conformance]") {
  Net net;
  const int fd = net.api.socket(af_inet, sock_stream).value;
  REQUIRE(net.api.set_nonblocking(fd, true).ok());
  Caller connect_now{net, fd, server_http, {}};
  check_error(connect_now(), Errc::InProgress, 115);  // T09
  check_error(connect_now(), Errc::Already, 114);     // T10
  CHECK(net.api.poll(fd) == 0);
  net.loop.run_until(Instant{1ms});
  CHECK(net.api.poll(fd) == pollout);
  CHECK(net.api.so_error(fd).value == 0);           // T13, success
  CHECK(connect_now().ok());                          // T11: 0, not EISCONN
  check_error(connect_now(), Errc::IsConnected, 106);  // T12
}

TEST_CASE("T13, T14 non-blocking refused: POLLOUT|POLLERR|POLLHUP, SO_ERROR once, ECONNABORTED, then a new attempt",
          "[scenario][socket][conformance]") {
  Net net;
  const int fd = net.api.socket(af_inet, sock_stream).value;
  net.api.set_nonblocking(fd, true);
  Caller connect_now{net, fd, closed_port, {}};
  check_error(connect_now(), Errc::InProgress, 115);
  net.loop.run_until(Instant{1ms});
  CHECK(net.api.poll(fd) == (pollout | pollerr | pollhup));
  CHECK(net.api.so_error(fd).value == 111);  // ECONNREFUSED, once
  CHECK(net.api.so_error(fd).value == 0);
  CHECK(net.api.poll(fd) == (pollout | pollhup));
  check_error(connect_now(), Errc::ConnectionAborted, 103);
  check_error(connect_now(), Errc::InProgress, 115);  // a new attempt
}

TEST_CASE("T14 connect() again before SO_ERROR was read returns the pending error itself",
          "[scenario][socket][conformance]") {
  Net net;
  const int fd = net.api.socket(af_inet, sock_stream).value;
  net.api.set_nonblocking(fd, true);
  Caller connect_now{net, fd, closed_port, {}};
  connect_now();
  net.loop.run_until(Instant{1ms});
  check_error(connect_now(), Errc::ConnectionRefused, 111);
  CHECK(net.api.so_error(fd).value == 0);  // consumed by connect()
  check_error(connect_now(), Errc::InProgress, 115);
}

// Measured: the kernel's second attempt leaves from a new port (the
// failed one released the port connect() picked); a port bind() named stays.
TEST_CASE("T14 the new attempt after a failure takes a new local port, unless bind() named one",
          "[scenario][socket][conformance]") {
  Net net;
  const auto attempt_twice = [&](int fd) {
    net.api.set_nonblocking(fd, true);
    Caller connect_now{net, fd, closed_port, {}};
    check_error(connect_now(), Errc::InProgress, 115);
    Endpoint first;
    REQUIRE(net.api.getsockname(fd, first).ok());
    net.loop.run_until(net.loop.now() + 1ms);
    check_error(connect_now(), Errc::ConnectionRefused, 111);
    check_error(connect_now(), Errc::InProgress, 115);  // the new attempt
    Endpoint second;
    REQUIRE(net.api.getsockname(fd, second).ok());
    return std::pair{first.port, second.port};
  };
  const auto [picked, picked_again] = attempt_twice(net.api.socket(af_inet, sock_stream).value);
  CHECK(picked != picked_again);
  const int bound = net.api.socket(af_inet, sock_stream).value;
  REQUIRE(net.api.bind(bound, Endpoint{Ipv4Address{}, Port{40000}}).ok());
  const auto [named, named_again] = attempt_twice(bound);
  CHECK(named == Port{40000});
  CHECK(named_again == Port{40000});
}

TEST_CASE("T22, T23: TCP to a broadcast address ENETUNREACH, a bad or closed descriptor EBADF",
          "[scenario][socket][conformance]") {
  Net net;
  check_error(run_blocking(net, Endpoint{Ipv4Address{255, 255, 255, 255}, Port{80}}).result.value(),
              Errc::NetworkUnreachable, 101);
  std::optional<CallResult> bad;
  const auto task = [](Net& n, std::optional<CallResult>& out) -> Task {
    out = co_await n.api.connect(-1, n.to(server_http));
  };
  net.tasks.spawn("bad fd", task(net, bad));
  net.loop.run_until(net.loop.now());
  REQUIRE(bad);
  check_error(*bad, Errc::BadDescriptor, 9);
  const int fd = net.api.socket(af_inet, sock_stream).value;
  CHECK(net.api.close(fd).ok());
  check_error(net.api.close(fd), Errc::BadDescriptor, 9);
  CHECK(net.api.socket(af_inet, sock_stream).value == fd);  // the lowest free descriptor again
}

TEST_CASE("two tasks blocked in connect() on one socket both wake with the handshake's outcome, as two threads on Linux",
          "[scenario][socket]") {
  Net net;
  const int fd = net.api.socket(af_inet, sock_stream).value;
  std::vector<CallResult> results;
  const auto task = [](Net& n, int d, std::vector<CallResult>& out) -> Task {
    out.push_back(co_await n.api.connect(d, n.to(server_http)));
  };
  net.tasks.spawn("first", task(net, fd, results));
  net.tasks.spawn("second", task(net, fd, results));
  net.loop.run_until(Instant{1s});
  REQUIRE(results.size() == 2);
  CHECK(results[0].ok());
  CHECK(results[1].ok());
  CHECK(net.tasks.running() == 0);
}

TEST_CASE("a success is measured on Linux, documented where every manual says so, and assumed where none does",
          "[scenario][socket]") {
  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopology network{loop, bus};
  TaskRunner tasks{loop};
  for (const PersonalityId p : {PersonalityId::Linux, PersonalityId::Winsock, PersonalityId::FreeRtos}) {
    SocketApi api{network.client().tcp(), network.client().udp(), tasks, p};
    const CallResult made = api.socket(af_inet, sock_stream);
    REQUIRE(made.ok());
    Endpoint local;
    const CallResult named = api.getsockname(made.value, local);  // before any bind: no manual says what
    REQUIRE(named.ok());
    INFO(to_string(p));
    if (p == PersonalityId::Linux) {
      CHECK(made.provenance == tcp::Provenance::Measured);
      CHECK(named.provenance == tcp::Provenance::Measured);
    } else {
      CHECK(made.provenance == tcp::Provenance::Documented);
      CHECK(named.provenance == tcp::Provenance::Assumed);
    }
    CHECK(api.close(made.value).ok());
  }
}
