// The UDP conformance suite: rows U01-U14 of the connect() matrix
// (../shared/reference/connect-matrix.md, Table U) for each of the five
// personalities, through SocketApi on the default simulated network. One
// test case per (row, personality); a few rows have a second case for a
// variant the matrix names (an explicitly bound port, IP_RECVERR).
//
// Where the matrix cell comes from connect-source.md (1f FreeRTOS+TCP, 2f
// FreeBSD, 3f Winsock, 4 TargetTCP, 5 the cross-personality table) it is
// cited in the body. Where the matrix says "doc silent" the test asserts the
// implementation's documented choice and that its rule does not claim a
// manual or a measurement.
//
// FreeRTOS+TCP has no UDP connect() (FreeRTOS_connect is TCP-only, 1f):
// its rows say "n/a" and assert that refusal (-9, pdFREERTOS_ERRNO_EBADF)
// plus whatever FreeRTOS does offer for the row (sendto/recvfrom).
//
// Addresses: the client 10.0.0.1 and the server 10.0.0.2 share a /24 LAN
// (directed broadcast 10.0.0.255); 10.0.0.77 is on-link but absent (ARP
// fails after 3 s). The server's UDP layer is used directly as the peer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "event/task.hpp"
#include "host/host.hpp"
#include "call_checks.hpp"
#include "socket/socket_api.hpp"
#include "topology/default_topology.hpp"

using namespace netstep;
using namespace netstep::socket;
using namespace netstep::socket::checks;
using namespace std::chrono_literals;

#define CONF "[scenario][socket][conformance]"

namespace {

using P = PersonalityId;

const Ipv4Address client_address{10, 0, 0, 1};
const Ipv4Address server_address{10, 0, 0, 2};
const Endpoint peer_a{server_address, Port{7000}};
const Endpoint peer_b{server_address, Port{7001}};
const Endpoint closed_port{server_address, Port{7999}};
const Endpoint missing_host{Ipv4Address{10, 0, 0, 77}, Port{7000}};
const Endpoint limited_broadcast{Ipv4Address{255, 255, 255, 255}, Port{7000}};
const Endpoint directed_broadcast{Ipv4Address{10, 0, 0, 255}, Port{7000}};
const Endpoint multicast_group{Ipv4Address{233, 252, 0, 1}, Port{7000}};

Bytes text(std::string_view s) { return std::as_bytes(std::span{s.data(), s.size()}); }

// What the tests look at: every event's host and kind, and UDP datagrams.
struct Recording final : TraceSink {
  struct Event {
    std::string host;
    std::string_view kind;
    std::optional<UdpDatagram> datagram;
  };
  std::vector<Event> events;
  void receive(const TraceEvent& e) override {
    Event ev{std::string{e.host}, kind_of(e.payload), std::nullopt};
    if (const auto* d = std::get_if<UdpDatagram>(&e.payload)) ev.datagram = *d;
    events.push_back(std::move(ev));
  }
  [[nodiscard]] std::size_t count(std::string_view host, std::string_view kind) const {
    std::size_t n = 0;
    for (const Event& e : events) n += e.host == host && e.kind == kind;
    return n;
  }
  // Datagrams `host` sent, in order.
  [[nodiscard]] std::vector<UdpDatagram> sent(std::string_view host) const {
    std::vector<UdpDatagram> out;
    for (const Event& e : events) {
      if (e.host == host && e.datagram && e.datagram->direction == "sent") out.push_back(*e.datagram);
    }
    return out;
  }
};

struct Net {
  explicit Net(P p) : personality{p} {
    bus.attach(recording);
    SocketApiOptions options;
    options.tracer = Tracer{bus, "client"};
    api = std::make_unique<SocketApi>(network.client().tcp(), network.client().udp(), tasks, p, options);
  }
  ~Net() { api.reset(); }

  [[nodiscard]] static ConnectArguments to(Endpoint e) {
    ConnectArguments a;
    a.destination = e;
    return a;
  }
  [[nodiscard]] static ConnectArguments unspec() {
    ConnectArguments a;
    a.family = af_unspec;
    return a;
  }
  int sock() {
    const CallResult r = api->socket(af_inet, sock_dgram);
    REQUIRE(r.ok());
    return r.value;
  }
  // A UDP socket on the server bound to `local`'s port on every address.
  udp::UdpPcb& server_socket(Endpoint local) {
    auto made = network.server().udp().bind(Endpoint{Ipv4Address{}, local.port});
    REQUIRE(made.ok());
    return **made;
  }
  void settle(Duration d = 100ms) { loop.run_until(loop.now() + d); }

  // One call from a fresh task with the network standing still.
  template <class Call>
  CallResult now(Call call) {
    std::optional<CallResult> r;
    const auto task = [](Call c, std::optional<CallResult>& out) -> Task { out = co_await c; };
    tasks.spawn("client", task(std::move(call), r));
    loop.run_until(loop.now());
    tasks.rethrow_first_failure();
    REQUIRE(r);
    return *r;
  }
  CallResult connect(int fd, ConnectArguments a) { return now(api->connect(fd, a)); }
  CallResult connect(int fd, Endpoint e) { return connect(fd, to(e)); }
  CallResult send(int fd, std::string_view data) { return now(api->send(fd, text(data))); }
  CallResult sendto(int fd, std::string_view data, Endpoint e) { return now(api->sendto(fd, text(data), e)); }
  // recv() that may not wait: MSG_DONTWAIT, or on Winsock (no such flag) a
  // socket made non-blocking with ioctlsocket(FIONBIO).
  CallResult recv(int fd, std::string* got = nullptr) {
    int flags = msg_dontwait;
    if (personality == P::Winsock) {
      REQUIRE(api->set_nonblocking(fd, true).ok());
      flags = 0;
    }
    std::vector<std::byte> buffer(64);
    CallResult r = now(api->recv(fd, MutableBytes{buffer}, flags));
    if (got != nullptr && r.ok()) got->assign(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(r.value));
    return r;
  }
  // recvfrom() on a non-blocking socket (FreeRTOS+TCP: a block time of 0).
  CallResult recvfrom(int fd, Endpoint& from, std::string* got = nullptr) {
    REQUIRE(api->set_nonblocking(fd, true).ok());
    std::vector<std::byte> buffer(64);
    CallResult r = now(api->recvfrom(fd, MutableBytes{buffer}, &from));
    if (got != nullptr && r.ok()) got->assign(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(r.value));
    return r;
  }
  Endpoint local(int fd) {
    Endpoint out;
    REQUIRE(api->getsockname(fd, out).ok());
    return out;
  }
  // The server sends `data` from `pcb` to the client socket `fd`'s port.
  void server_sends(udp::UdpPcb& pcb, int fd, std::string_view data) {
    const auto sent = pcb.send_to(Endpoint{client_address, local(fd).port}, text(data));
    REQUIRE(sent.ok());
    settle();
  }

  P personality;
  EventLoop loop;
  TraceBus bus{loop};
  Recording recording;
  topology::DefaultTopology network{loop, bus};
  TaskRunner tasks{loop};
  std::unique_ptr<SocketApi> api;
};

// FreeRTOS_connect on a UDP socket: -pdFREERTOS_ERRNO_EBADF (1f).
void check_freertos_refuses_connect(Net& net, int fd, Endpoint to) {
  const CallResult r = net.connect(fd, to);
  check_fail(r, P::FreeRtos, Errc::BadDescriptor, "pdFREERTOS_ERRNO_EBADF", 9);
  CHECK(r.provenance == Provenance::DerivedFromSource);
  Endpoint peer;
  CHECK_FALSE(net.api->getpeername(fd, peer).ok());
}
// getpeername() fails ENOTCONN in the personality's spelling.
void check_no_peer(Net& net, int fd, std::string_view name, std::optional<int> number) {
  Endpoint peer;
  check_fail(net.api->getpeername(fd, peer), net.personality, Errc::NotConnected, name, number);
}
Endpoint peer_of(Net& net, int fd) {
  Endpoint peer;
  const CallResult r = net.api->getpeername(fd, peer);
  INFO(r.describe());
  CHECK(r.ok());
  return peer;
}

}  // namespace

// ============================================================================
// U01 connect() on a UDP socket
// ============================================================================

TEST_CASE("U01 connect on a UDP socket -> 0 without sending anything (linux)", CONF) {
  Net net{P::Linux};
  const int fd = net.sock();
  // Measured: 0 at once even for a dead on-link host; no ARP until the first send.
  const CallResult r = net.connect(fd, missing_host);
  check_ok(r);
  CHECK(r.provenance == Provenance::Measured);
  CHECK(peer_of(net, fd) == missing_host);
  const Endpoint local = net.local(fd);
  CHECK(local.address == client_address);  // routing chose the source address
  CHECK_FALSE(local.port.is_zero());        // autobound
  net.settle(5s);
  CHECK(net.recording.count("client", "frame_sent") == 0);
  CHECK(net.recording.sent("client").empty());
}
TEST_CASE("U01 connect on a UDP socket -> 0 sets the peer (freebsd)", CONF) {
  Net net{P::FreeBsd};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));  // 2f: udp_connect, soisconnected
  CHECK(peer_of(net, fd) == peer_a);
  net.settle();
  CHECK(net.recording.count("client", "frame_sent") == 0);
}
TEST_CASE("U01 connect on a UDP socket -> 0 sets the default destination (winsock)", CONF) {
  Net net{P::Winsock};
  const int fd = net.sock();
  const CallResult r = net.connect(fd, peer_a);
  check_ok(r);
  CHECK(r.provenance == Provenance::Documented);  // [S4]
  CHECK(peer_of(net, fd) == peer_a);
  net.settle();
  CHECK(net.recording.count("client", "frame_sent") == 0);
}
TEST_CASE("U01 connect on a UDP socket -> -9 EBADF, FreeRTOS_connect is TCP-only (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, peer_a);
  net.settle();
  CHECK(net.recording.count("client", "frame_sent") == 0);
}
TEST_CASE("U01 connect on a UDP socket -> 0, always non-blocking (targettcp)", CONF) {
  Net net{P::TargetTcp};
  const int fd = net.sock();
  const CallResult r = net.connect(fd, peer_a);
  check_ok(r);
  CHECK(r.provenance == Provenance::Documented);  // [S1]
  CHECK(peer_of(net, fd) == peer_a);
  net.settle();
  CHECK(net.recording.count("client", "frame_sent") == 0);
}

// ============================================================================
// U02 a datagram from a different address while connected is not received
// ============================================================================

namespace {
// Connected to peer_a; peer_b sends first, then peer_a. Only peer_a's
// datagram is received. Returns the socket.
int check_filtered(Net& net, udp::UdpPcb& from_a, udp::UdpPcb& from_b) {
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  net.server_sends(from_b, fd, "from-b");
  net.server_sends(from_a, fd, "from-a");
  std::string got;
  check_ok(net.recv(fd, &got), 6);
  CHECK(got == "from-a");
  return fd;
}
}  // namespace

TEST_CASE("U02 datagram from another address is discarded (linux)", CONF) {
  Net net{P::Linux};
  udp::UdpPcb& a = net.server_socket(peer_a);
  udp::UdpPcb& b = net.server_socket(peer_b);
  const int fd = check_filtered(net, a, b);
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);  // never queued
  // Measured: no other socket matched, so the client answered the sender
  // with an ICMP port unreachable.
  REQUIRE(b.pending_error());
  CHECK(b.pending_error()->type == 3);
  CHECK(b.pending_error()->code == 3);
  CHECK_FALSE(a.pending_error());
}
TEST_CASE("U02 datagram from another address is not received (freebsd)", CONF) {
  Net net{P::FreeBsd};
  udp::UdpPcb& a = net.server_socket(peer_a);
  udp::UdpPcb& b = net.server_socket(peer_b);
  const int fd = check_filtered(net, a, b);
  check_fail(net.recv(fd), P::FreeBsd, Errc::TryAgain, "EAGAIN", 35);
}
TEST_CASE("U02 datagram from another address is discarded (winsock)", CONF) {
  Net net{P::Winsock};
  udp::UdpPcb& a = net.server_socket(peer_a);
  udp::UdpPcb& b = net.server_socket(peer_b);
  const int fd = check_filtered(net, a, b);
  check_fail(net.recv(fd), P::Winsock, Errc::WouldBlock, "WSAEWOULDBLOCK", 10035);
}
TEST_CASE("U02 n/a - no UDP connect, recvfrom takes every sender (freertos)", CONF) {
  // 1f: "UDP receive does no per-peer filtering".
  Net net{P::FreeRtos};
  udp::UdpPcb& b = net.server_socket(peer_b);
  const int fd = net.sock();
  REQUIRE(net.api->bind(fd, Endpoint{Ipv4Address{}, Port{5000}}).ok());
  check_freertos_refuses_connect(net, fd, peer_a);
  net.server_sends(b, fd, "from-b");
  Endpoint from;
  std::string got;
  check_ok(net.recvfrom(fd, from, &got), 6);
  CHECK(got == "from-b");
  CHECK(from == peer_b);
}
TEST_CASE("U02 datagram from another address is not accepted (targettcp)", CONF) {
  Net net{P::TargetTcp};
  udp::UdpPcb& a = net.server_socket(peer_a);
  udp::UdpPcb& b = net.server_socket(peer_b);
  const int fd = check_filtered(net, a, b);
  check_fail(net.recv(fd), P::TargetTcp, Errc::TryAgain, "EAGAIN", std::nullopt);
}

// ============================================================================
// U03 reconnect to another peer: what happens to a queued datagram
// ============================================================================

namespace {
// Connected to peer_a with "queuedA" queued, then reconnected to peer_b.
int reconnect_with_queued(Net& net) {
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  net.server_sends(a, fd, "queuedA");
  const CallResult r = net.connect(fd, peer_b);
  check_ok(r);
  CHECK(peer_of(net, fd) == peer_b);
  return fd;
}
}  // namespace

TEST_CASE("U03 reconnect to another peer keeps the queued datagram (linux)", CONF) {
  Net net{P::Linux};
  const int fd = reconnect_with_queued(net);
  std::string got;
  check_ok(net.recv(fd, &got), 7);  // measured: udp_reconnect data=queuedA
  CHECK(got == "queuedA");
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);
}
TEST_CASE("U03 reconnect to another peer keeps the queued datagram (freebsd)", CONF) {
  // 2f: neither soconnectat, udp_disconnect nor udp_connect flushes so_rcv.
  Net net{P::FreeBsd};
  const int fd = reconnect_with_queued(net);
  std::string got;
  check_ok(net.recv(fd, &got), 7);
  CHECK(got == "queuedA");
}
TEST_CASE("U03 reconnect to another peer discards the queued datagram (winsock)", CONF) {
  // 3f: "Any datagrams queued for receipt are discarded if name is different".
  Net net{P::Winsock};
  const int fd = reconnect_with_queued(net);
  check_fail(net.recv(fd), P::Winsock, Errc::WouldBlock, "WSAEWOULDBLOCK", 10035);
}
TEST_CASE("U03 reconnect to the same peer keeps the queued datagram (winsock)", CONF) {
  // 3f: discarded only "if name is different".
  Net net{P::Winsock};
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  net.server_sends(a, fd, "queuedA");
  check_ok(net.connect(fd, peer_a));
  std::string got;
  check_ok(net.recv(fd, &got), 7);
  CHECK(got == "queuedA");
}
TEST_CASE("U03 n/a - reconnect refused like every UDP connect (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, peer_a);
  check_freertos_refuses_connect(net, fd, peer_b);
}
TEST_CASE("U03 reconnect to another peer -> 0, the queue is kept as assumed (targettcp)", CONF) {
  // [S1] documents reconnecting (0) but not the queue; the implementation
  // keeps it (BSD-like, connect-source.md 4).
  Net net{P::TargetTcp};
  const int fd = reconnect_with_queued(net);
  std::string got;
  check_ok(net.recv(fd, &got), 7);
  CHECK(got == "queuedA");
}

// ============================================================================
// U04 dissolve with AF_UNSPEC
// ============================================================================

TEST_CASE("U04 dissolve with AF_UNSPEC -> 0 and the auto-bound port is released (linux)", CONF) {
  Net net{P::Linux};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  const Port old_port = net.local(fd).port;
  REQUIRE_FALSE(old_port.is_zero());
  const CallResult r = net.connect(fd, Net::unspec());
  check_ok(r);
  CHECK(r.provenance == Provenance::Measured);
  check_no_peer(net, fd, "ENOTCONN", 107);
  check_fail(net.send(fd, "x"), P::Linux, Errc::DestinationRequired, "EDESTADDRREQ", 89);
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);
  CHECK(net.local(fd) == Endpoint{});  // measured local=0.0.0.0:0 (the matrix ran on 127.0.0.1)
  // Later datagrams to the old port are not received.
  udp::UdpPcb& a = net.server_socket(peer_a);
  REQUIRE(a.send_to(Endpoint{client_address, old_port}, text("late")).ok());
  net.settle();
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);
  REQUIRE(a.pending_error());  // the client had no socket there: port unreachable
  CHECK(a.pending_error()->code == 3);
  // Again while unconnected: 0.
  check_ok(net.connect(fd, Net::unspec()));
}
TEST_CASE("U04 dissolve with AF_UNSPEC keeps an explicitly bound port (linux)", CONF) {
  Net net{P::Linux};
  const int fd = net.sock();
  REQUIRE(net.api->bind(fd, Endpoint{Ipv4Address{}, Port{5000}}).ok());
  check_ok(net.connect(fd, peer_a));
  check_ok(net.connect(fd, Net::unspec()));
  check_no_peer(net, fd, "ENOTCONN", 107);
  CHECK(net.local(fd) == Endpoint{Ipv4Address{}, Port{5000}});  // measured: udp_explicit_port_*
  udp::UdpPcb& b = net.server_socket(peer_b);
  net.server_sends(b, fd, "still");  // unconnected: from anyone
  std::string got;
  check_ok(net.recv(fd, &got), 5);
  CHECK(got == "still");
}
TEST_CASE("U04 dissolve with AF_UNSPEC -> EAFNOSUPPORT (47) and the association is gone (freebsd)", CONF) {
  // 2f: soconnectat disconnects first, then udp_connect fails on the family.
  Net net{P::FreeBsd};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  const Endpoint bound = net.local(fd);
  const CallResult r = net.connect(fd, Net::unspec());
  check_fail(r, P::FreeBsd, Errc::FamilyNotSupported, "EAFNOSUPPORT", 47);
  CHECK(r.provenance == Provenance::DerivedFromSource);
  check_no_peer(net, fd, "ENOTCONN", 57);
  check_fail(net.send(fd, "x"), P::FreeBsd, Errc::DestinationRequired, "EDESTADDRREQ", 39);
  CHECK(net.local(fd).port == bound.port);  // in_pcbdisconnect keeps the local port
  // On a never-connected socket: the error only.
  const int fresh = net.sock();
  check_fail(net.connect(fresh, Net::unspec()), P::FreeBsd, Errc::FamilyNotSupported, "EAFNOSUPPORT", 47);
}
TEST_CASE("U04 AF_UNSPEC is a wrong family -> WSAEAFNOSUPPORT (10047), peer kept (winsock)", CONF) {
  // The matrix says "(see U05)": Winsock dissolves with an all-zero AF_INET
  // address (3f). [S4] does not say what AF_UNSPEC does; the implementation
  // treats it as the wrong family (WSAEAFNOSUPPORT, 3e) and changes nothing.
  Net net{P::Winsock};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  check_fail(net.connect(fd, Net::unspec()), P::Winsock, Errc::FamilyNotSupported, "WSAEAFNOSUPPORT", 10047);
  CHECK(peer_of(net, fd) == peer_a);
}
TEST_CASE("U04 n/a - no association to dissolve (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  const CallResult r = net.connect(fd, Net::unspec());
  check_fail(r, P::FreeRtos, Errc::BadDescriptor, "pdFREERTOS_ERRNO_EBADF", 9);
}
TEST_CASE("U04 AF_UNSPEC undocumented -> EAFNOSUPPORT, peer kept (targettcp)", CONF) {
  // [S1] documents no dissolve; EAFNOSUPPORT for a family other than AF_INET is documented.
  Net net{P::TargetTcp};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  check_fail(net.connect(fd, Net::unspec()), P::TargetTcp, Errc::FamilyNotSupported, "EAFNOSUPPORT", std::nullopt);
  CHECK(peer_of(net, fd) == peer_a);
}

// ============================================================================
// U05 Winsock-style dis-connect: AF_INET 0.0.0.0:0
// ============================================================================

TEST_CASE("U05 all-zero address connects to 127.0.0.1 port 0, not a dissolve (linux)", CONF) {
  Net net{P::Linux};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  check_ok(net.connect(fd, Endpoint{}));
  check_no_peer(net, fd, "ENOTCONN", 107);  // the peer's port is 0
  // Yet send() succeeds, to 127.0.0.1:0 ...
  check_ok(net.send(fd, "hello"), 5);
  net.settle();
  const std::vector<UdpDatagram> sent = net.recording.sent("client");
  REQUIRE_FALSE(sent.empty());
  CHECK(sent.back().destination == Endpoint{Ipv4Address{127, 0, 0, 1}, Port{0}});
  // ... and the port unreachable that answers it fails the next recv() once.
  const CallResult refused = net.recv(fd);
  check_fail(refused, P::Linux, Errc::ConnectionRefused, "ECONNREFUSED", 111);
  REQUIRE(refused.cause);
  CHECK(refused.cause->kind == "ICMP error");
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);
  // 0.0.0.0:port connects to 127.0.0.1:port.
  check_ok(net.connect(fd, Endpoint{Ipv4Address{}, Port{7000}}));
  CHECK(peer_of(net, fd) == Endpoint{Ipv4Address{127, 0, 0, 1}, Port{7000}});
}
TEST_CASE("U05 all-zero address dissolves -> EADDRNOTAVAIL (49) (freebsd)", CONF) {
  // 2f: 0.0.0.0:0 -> dissolved + EADDRNOTAVAIL.
  Net net{P::FreeBsd};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  check_fail(net.connect(fd, Endpoint{}), P::FreeBsd, Errc::AddressNotAvailable, "EADDRNOTAVAIL", 49);
  check_no_peer(net, fd, "ENOTCONN", 57);
  check_fail(net.send(fd, "x"), P::FreeBsd, Errc::DestinationRequired, "EDESTADDRREQ", 39);
}
TEST_CASE("U05 all-zero address dis-connects -> 0, then send and recv WSAENOTCONN (winsock)", CONF) {
  // 3f: send/recv fail WSAENOTCONN (10057), sendto/recvfrom still work.
  Net net{P::Winsock};
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  const CallResult r = net.connect(fd, Endpoint{});
  check_ok(r);
  CHECK(r.provenance == Provenance::Documented);
  check_no_peer(net, fd, "WSAENOTCONN", 10057);
  check_fail(net.send(fd, "x"), P::Winsock, Errc::NotConnected, "WSAENOTCONN", 10057);
  check_fail(net.recv(fd), P::Winsock, Errc::NotConnected, "WSAENOTCONN", 10057);
  check_ok(net.sendto(fd, "hello", peer_a), 5);
  net.settle();
  CHECK(a.readable());
  net.server_sends(a, fd, "back");
  Endpoint from;
  std::string got;
  check_ok(net.recvfrom(fd, from, &got), 4);
  CHECK(got == "back");
  CHECK(from == peer_a);
}
TEST_CASE("U05 n/a - all-zero address refused like every UDP connect (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, Endpoint{});
}
TEST_CASE("U05 all-zero address -> EDESTADDRREQ, peer kept (targettcp)", CONF) {
  // Section 4: EDESTADDRREQ for INADDR_ANY or port 0; dissolving is undocumented.
  Net net{P::TargetTcp};
  const int fd = net.sock();
  check_ok(net.connect(fd, peer_a));
  check_fail(net.connect(fd, Endpoint{}), P::TargetTcp, Errc::DestinationRequired, "EDESTADDRREQ", std::nullopt);
  CHECK(peer_of(net, fd) == peer_a);
}

// ============================================================================
// U06 send() on an unconnected socket
// ============================================================================

TEST_CASE("U06 send on an unconnected socket -> EDESTADDRREQ (89), recv EAGAIN (linux)", CONF) {
  Net net{P::Linux};
  const int fd = net.sock();
  const CallResult r = net.send(fd, "x");
  check_fail(r, P::Linux, Errc::DestinationRequired, "EDESTADDRREQ", 89);
  CHECK(r.provenance == Provenance::Measured);
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);  // not ENOTCONN
  CHECK(net.recording.sent("client").empty());
}
TEST_CASE("U06 send on an unconnected socket -> EDESTADDRREQ (39) assumed (freebsd)", CONF) {
  Net net{P::FreeBsd};
  const int fd = net.sock();
  const CallResult r = net.send(fd, "x");
  check_fail(r, P::FreeBsd, Errc::DestinationRequired, "EDESTADDRREQ", 39);
  check_doc_silent(r);
}
TEST_CASE("U06 send on an unconnected socket -> WSAENOTCONN (10057) (winsock)", CONF) {
  Net net{P::Winsock};
  const int fd = net.sock();
  const CallResult r = net.send(fd, "x");
  check_fail(r, P::Winsock, Errc::NotConnected, "WSAENOTCONN", 10057);
  CHECK(r.provenance == Provenance::Documented);
}
TEST_CASE("U06 n/a - FreeRTOS_send is TCP-only -> -22 EINVAL, sendto works (freertos)", CONF) {
  // 1f: prvTCPSendCheck -> -22 for a UDP socket; UDP uses FreeRTOS_sendto.
  Net net{P::FreeRtos};
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = net.sock();
  check_fail(net.send(fd, "x"), P::FreeRtos, Errc::InvalidArgument, "pdFREERTOS_ERRNO_EINVAL", 22);
  check_ok(net.sendto(fd, "hello", peer_a), 5);
  net.settle();
  CHECK(a.readable());
}
TEST_CASE("U06 send on an unconnected socket -> EDESTADDRREQ assumed (targettcp)", CONF) {
  // [S1]: an unconnected socket must use sendto(); no code given.
  Net net{P::TargetTcp};
  const int fd = net.sock();
  const CallResult r = net.send(fd, "x");
  check_fail(r, P::TargetTcp, Errc::DestinationRequired, "EDESTADDRREQ", std::nullopt);
  check_doc_silent(r);
}

// ============================================================================
// U07 broadcast without SO_BROADCAST
// ============================================================================

TEST_CASE("U07 broadcast without SO_BROADCAST -> EACCES (13) at connect and sendto (linux)", CONF) {
  Net net{P::Linux};
  const int fd = net.sock();
  for (const Endpoint to : {limited_broadcast, directed_broadcast}) {
    INFO(to.to_string());
    const CallResult r = net.connect(fd, to);
    check_fail(r, P::Linux, Errc::PermissionDenied, "EACCES", 13);
    CHECK(r.provenance == Provenance::Measured);
    check_fail(net.sendto(fd, "x", to), P::Linux, Errc::PermissionDenied, "EACCES", 13);
  }
  check_no_peer(net, fd, "ENOTCONN", 107);
  net.settle();
  CHECK(net.recording.sent("client").empty());
}
TEST_CASE("U07 broadcast without SO_BROADCAST -> connect 0, send EACCES (13) (freebsd)", CONF) {
  // 2f: no check in connect; ip_output fails the send.
  Net net{P::FreeBsd};
  for (const Endpoint to : {limited_broadcast, directed_broadcast}) {
    INFO(to.to_string());
    const int fd = net.sock();
    check_ok(net.connect(fd, to));
    const CallResult r = net.send(fd, "x");
    check_fail(r, P::FreeBsd, Errc::PermissionDenied, "EACCES", 13);
    CHECK(r.provenance == Provenance::DerivedFromSource);
  }
  net.settle();
  CHECK(net.recording.sent("client").empty());
}
TEST_CASE("U07 broadcast without SO_BROADCAST -> WSAEACCES (10013) at connect (winsock)", CONF) {
  Net net{P::Winsock};
  const int fd = net.sock();
  for (const Endpoint to : {limited_broadcast, directed_broadcast}) {
    INFO(to.to_string());
    const CallResult r = net.connect(fd, to);
    check_fail(r, P::Winsock, Errc::PermissionDenied, "WSAEACCES", 10013);
    CHECK(r.provenance == Provenance::Documented);
  }
  check_no_peer(net, fd, "WSAENOTCONN", 10057);
}
TEST_CASE("U07 n/a - no SO_BROADCAST, sendto to broadcast goes out (freertos)", CONF) {
  // 1f: there is no SO_BROADCAST option anywhere in the tree.
  Net net{P::FreeRtos};
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, limited_broadcast);
  check_fail(net.api->setsockopt(fd, SocketOption::Broadcast, 1), P::FreeRtos, Errc::ProtocolNotAvailable,
             "pdFREERTOS_ERRNO_ENOPROTOOPT", 109);
  check_ok(net.sendto(fd, "hello", limited_broadcast), 5);
  net.settle();
  CHECK(a.readable());
}
TEST_CASE("U07 broadcast without SO_BROADCAST -> connect 0, send EACCES assumed (targettcp)", CONF) {
  // Doc silent; BSD-like (the check is in the send path), assumed.
  Net net{P::TargetTcp};
  const int fd = net.sock();
  check_ok(net.connect(fd, limited_broadcast));
  const CallResult r = net.send(fd, "x");
  check_fail(r, P::TargetTcp, Errc::PermissionDenied, "EACCES", std::nullopt);
  check_doc_silent(r);
}

// ============================================================================
// U08 broadcast with SO_BROADCAST
// ============================================================================

namespace {
// SO_BROADCAST on, connect to the limited broadcast, one send that the
// server's socket on the port receives as a broadcast.
int connect_broadcast(Net& net, udp::UdpPcb& listener) {
  const int fd = net.sock();
  REQUIRE(net.api->setsockopt(fd, SocketOption::Broadcast, 1).ok());
  check_ok(net.connect(fd, limited_broadcast));
  check_ok(net.send(fd, "bcast"), 5);
  net.settle();
  const std::optional<udp::Datagram> got = listener.receive();
  REQUIRE(got);
  CHECK(got->to.address == limited_broadcast.address);
  CHECK(got->from.address == client_address);
  return fd;
}
}  // namespace

TEST_CASE("U08 broadcast with SO_BROADCAST -> 0, clearing it later does not block send (linux)", CONF) {
  Net net{P::Linux};
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = connect_broadcast(net, a);
  REQUIRE(net.api->setsockopt(fd, SocketOption::Broadcast, 0).ok());
  check_ok(net.send(fd, "again"), 5);  // measured: checked only at connect time
  net.settle();
  CHECK(a.readable());
}
TEST_CASE("U08 broadcast with SO_BROADCAST -> 0, send checks it each time (freebsd)", CONF) {
  // Doc silent; ip_output checks IP_ALLOWBROADCAST on every send (2f).
  Net net{P::FreeBsd};
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = connect_broadcast(net, a);
  REQUIRE(net.api->setsockopt(fd, SocketOption::Broadcast, 0).ok());
  check_fail(net.send(fd, "again"), P::FreeBsd, Errc::PermissionDenied, "EACCES", 13);
}
TEST_CASE("U08 broadcast with SO_BROADCAST -> 0 (winsock)", CONF) {
  Net net{P::Winsock};
  udp::UdpPcb& a = net.server_socket(peer_a);
  connect_broadcast(net, a);
}
TEST_CASE("U08 n/a - SO_BROADCAST does not exist (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_fail(net.api->setsockopt(fd, SocketOption::Broadcast, 1), P::FreeRtos, Errc::ProtocolNotAvailable,
             "pdFREERTOS_ERRNO_ENOPROTOOPT", 109);
  check_freertos_refuses_connect(net, fd, limited_broadcast);
}
TEST_CASE("U08 broadcast with SO_BROADCAST -> 0 assumed, send checks it each time (targettcp)", CONF) {
  Net net{P::TargetTcp};
  udp::UdpPcb& a = net.server_socket(peer_a);
  const int fd = connect_broadcast(net, a);
  REQUIRE(net.api->setsockopt(fd, SocketOption::Broadcast, 0).ok());
  const CallResult r = net.send(fd, "again");
  check_fail(r, P::TargetTcp, Errc::PermissionDenied, "EACCES", std::nullopt);
  check_doc_silent(r);
}

// ============================================================================
// U09 multicast
// ============================================================================

namespace {
void check_multicast(Net& net) {
  const int fd = net.sock();
  check_ok(net.connect(fd, multicast_group));  // no option needed
  CHECK(peer_of(net, fd) == multicast_group);
  check_ok(net.send(fd, "group"), 5);
  net.settle();
  const std::vector<UdpDatagram> sent = net.recording.sent("client");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].destination == multicast_group);
}
}  // namespace

TEST_CASE("U09 connect to multicast -> 0 without an option (linux)", CONF) {
  Net net{P::Linux};
  check_multicast(net);
}
TEST_CASE("U09 connect to multicast -> 0 (freebsd)", CONF) {
  Net net{P::FreeBsd};
  check_multicast(net);
}
TEST_CASE("U09 connect to multicast -> 0 (winsock)", CONF) {
  Net net{P::Winsock};
  check_multicast(net);
}
TEST_CASE("U09 n/a - multicast connect refused like every UDP connect (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, multicast_group);
}
TEST_CASE("U09 connect to multicast -> 0 (targettcp)", CONF) {
  Net net{P::TargetTcp};
  check_multicast(net);
}

// ============================================================================
// U10 connected, the peer's port is closed
// ============================================================================

namespace {
// Connected to a closed port; one send, and the port unreachable arrives.
int send_to_closed_port(Net& net) {
  const int fd = net.sock();
  check_ok(net.connect(fd, closed_port));
  check_ok(net.send(fd, "hello"), 5);
  net.settle();
  return fd;
}
}  // namespace

TEST_CASE("U10 connected to a closed port -> ECONNREFUSED (111) once on the next call (linux)", CONF) {
  Net net{P::Linux};
  const int fd = send_to_closed_port(net);
  CHECK((net.api->poll(fd) & pollerr) != 0);
  const CallResult r = net.recv(fd);
  check_fail(r, P::Linux, Errc::ConnectionRefused, "ECONNREFUSED", 111);
  CHECK(r.provenance == Provenance::Measured);
  REQUIRE(r.cause);
  CHECK(r.cause->kind == "ICMP error");
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);
  check_ok(net.api->so_error(fd));  // consumed
  // A later send can also return it: the next ICMP error answers it.
  check_ok(net.send(fd, "again"), 5);
  net.settle();
  const CallResult so = net.api->so_error(fd);
  CHECK(so.value == 111);
  check_ok(net.api->so_error(fd));
  check_ok(net.send(fd, "third"), 5);
  net.settle();
  check_fail(net.send(fd, "fourth"), P::Linux, Errc::ConnectionRefused, "ECONNREFUSED", 111);
}
TEST_CASE("U10 connected to a closed port -> ECONNREFUSED (61) once, assumed (freebsd)", CONF) {
  Net net{P::FreeBsd};
  const int fd = send_to_closed_port(net);
  const CallResult r = net.recv(fd);
  check_fail(r, P::FreeBsd, Errc::ConnectionRefused, "ECONNREFUSED", 61);
  check_doc_silent(r);
  check_fail(net.recv(fd), P::FreeBsd, Errc::TryAgain, "EAGAIN", 35);
}
TEST_CASE("U10 connected to a closed port -> WSAECONNRESET (10054) on recv, assumed (winsock)", CONF) {
  Net net{P::Winsock};
  const int fd = send_to_closed_port(net);
  const CallResult r = net.recv(fd);
  check_fail(r, P::Winsock, Errc::ConnectionReset, "WSAECONNRESET", 10054);
  check_doc_silent(r);
  check_fail(net.recv(fd), P::Winsock, Errc::WouldBlock, "WSAEWOULDBLOCK", 10035);
}
TEST_CASE("U10 n/a - ICMP errors are not kept, recvfrom just has nothing (freertos)", CONF) {
  // 1a: FreeRTOS_ICMP.c handles only echo request and reply.
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, closed_port);
  check_ok(net.sendto(fd, "hello", closed_port), 5);
  net.settle();
  Endpoint from;
  check_fail(net.recvfrom(fd, from), P::FreeRtos, Errc::WouldBlock, "pdFREERTOS_ERRNO_EWOULDBLOCK", 11);
}
TEST_CASE("U10 connected to a closed port -> ECONNREFUSED once, assumed (targettcp)", CONF) {
  Net net{P::TargetTcp};
  const int fd = send_to_closed_port(net);
  const CallResult r = net.recv(fd);
  check_fail(r, P::TargetTcp, Errc::ConnectionRefused, "ECONNREFUSED", std::nullopt);
  check_doc_silent(r);
  check_fail(net.recv(fd), P::TargetTcp, Errc::TryAgain, "EAGAIN", std::nullopt);
}

// ============================================================================
// U11 connected, host unreachable (ARP fails)
// ============================================================================

namespace {
int send_to_missing_host(Net& net, bool receive_errors = false) {
  const int fd = net.sock();
  if (receive_errors) REQUIRE(net.api->setsockopt(fd, SocketOption::ReceiveErrors, 1).ok());
  check_ok(net.connect(fd, missing_host));
  check_ok(net.send(fd, "hello"), 5);  // returns before ARP has an answer
  net.settle(5s);
  return fd;
}
}  // namespace

TEST_CASE("U11 host unreachable -> no error without IP_RECVERR (linux)", CONF) {
  Net net{P::Linux};
  const int fd = send_to_missing_host(net);
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);
  check_ok(net.api->so_error(fd));
  check_ok(net.send(fd, "again"), 5);
}
TEST_CASE("U11 host unreachable -> EHOSTUNREACH (113) with IP_RECVERR (linux)", CONF) {
  Net net{P::Linux};
  const int fd = send_to_missing_host(net, /*receive_errors=*/true);
  const CallResult r = net.recv(fd);
  check_fail(r, P::Linux, Errc::HostUnreachable, "EHOSTUNREACH", 113);
  CHECK(r.provenance == Provenance::Measured);
  check_fail(net.recv(fd), P::Linux, Errc::TryAgain, "EAGAIN", 11);
}
TEST_CASE("U11 host unreachable -> EHOSTUNREACH (65) on a connected socket, assumed (freebsd)", CONF) {
  Net net{P::FreeBsd};
  const int fd = send_to_missing_host(net);
  const CallResult r = net.recv(fd);
  check_fail(r, P::FreeBsd, Errc::HostUnreachable, "EHOSTUNREACH", 65);
  check_doc_silent(r);
}
TEST_CASE("U11 host unreachable -> no error, only port unreachable is reported, assumed (winsock)", CONF) {
  Net net{P::Winsock};
  const int fd = send_to_missing_host(net);
  check_fail(net.recv(fd), P::Winsock, Errc::WouldBlock, "WSAEWOULDBLOCK", 10035);
  check_fail(net.api->setsockopt(fd, SocketOption::ReceiveErrors, 1), P::Winsock, Errc::ProtocolNotAvailable,
             "WSAENOPROTOOPT", 10042);  // IP_RECVERR is Linux's
}
TEST_CASE("U11 n/a - no UDP connect and no ICMP errors (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, missing_host);
  check_ok(net.sendto(fd, "hello", missing_host), 5);
  net.settle(5s);
  Endpoint from;
  check_fail(net.recvfrom(fd, from), P::FreeRtos, Errc::WouldBlock, "pdFREERTOS_ERRNO_EWOULDBLOCK", 11);
}
TEST_CASE("U11 host unreachable -> EHOSTUNREACH on a connected socket, assumed (targettcp)", CONF) {
  Net net{P::TargetTcp};
  const int fd = send_to_missing_host(net);
  const CallResult r = net.recv(fd);
  check_fail(r, P::TargetTcp, Errc::HostUnreachable, "EHOSTUNREACH", std::nullopt);
  check_doc_silent(r);
}

// ============================================================================
// U12 port 0 destination
// ============================================================================

TEST_CASE("U12 port 0 destination -> 0, no peer for getpeername, sent to port 0 (linux)", CONF) {
  Net net{P::Linux};
  const int fd = net.sock();
  const Endpoint port0{server_address, Port{0}};
  const CallResult r = net.connect(fd, port0);
  check_ok(r);
  CHECK(r.provenance == Provenance::Measured);
  check_no_peer(net, fd, "ENOTCONN", 107);
  check_ok(net.send(fd, "zero"), 4);
  net.settle();
  const std::vector<UdpDatagram> sent = net.recording.sent("client");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].destination == port0);
}
TEST_CASE("U12 port 0 destination -> EADDRNOTAVAIL (49) (freebsd)", CONF) {
  // 5: in_pcbconnect_setup refuses port 0.
  Net net{P::FreeBsd};
  const int fd = net.sock();
  const CallResult r = net.connect(fd, Endpoint{server_address, Port{0}});
  check_fail(r, P::FreeBsd, Errc::AddressNotAvailable, "EADDRNOTAVAIL", 49);
  check_doc_silent(r);
}
TEST_CASE("U12 port 0 destination -> WSAEADDRNOTAVAIL (10049) assumed (winsock)", CONF) {
  // 5: "(10049, assumed)".
  Net net{P::Winsock};
  const int fd = net.sock();
  const CallResult r = net.connect(fd, Endpoint{server_address, Port{0}});
  check_fail(r, P::Winsock, Errc::AddressNotAvailable, "WSAEADDRNOTAVAIL", 10049);
  check_doc_silent(r);
}
TEST_CASE("U12 n/a - port 0 refused like every UDP connect (freertos)", CONF) {
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_freertos_refuses_connect(net, fd, Endpoint{server_address, Port{0}});
}
TEST_CASE("U12 port 0 destination -> EDESTADDRREQ (targettcp)", CONF) {
  Net net{P::TargetTcp};
  const int fd = net.sock();
  const CallResult r = net.connect(fd, Endpoint{server_address, Port{0}});
  check_fail(r, P::TargetTcp, Errc::DestinationRequired, "EDESTADDRREQ", std::nullopt);
  CHECK(r.provenance == Provenance::Documented);  // [S1]
}

// ============================================================================
// U13 wrong family / addrlen 8 / NULL
// ============================================================================

namespace {
ConnectArguments inet6() {
  ConnectArguments a = Net::to(peer_a);
  a.family = af_inet6;
  return a;
}
ConnectArguments addrlen8() {
  ConnectArguments a = Net::to(peer_a);
  a.addrlen = 8;
  return a;
}
ConnectArguments null_address() {
  ConnectArguments a = Net::to(peer_a);
  a.address_null = true;
  return a;
}
}  // namespace

TEST_CASE("U13 wrong family, addrlen 8, NULL -> EAFNOSUPPORT, EINVAL, EFAULT after an autobind (linux)", CONF) {
  Net net{P::Linux};
  {
    const int fd = net.sock();
    check_fail(net.connect(fd, inet6()), P::Linux, Errc::FamilyNotSupported, "EAFNOSUPPORT", 97);
    CHECK_FALSE(net.local(fd).port.is_zero());  // measured local=0.0.0.0:45746
    CHECK(net.local(fd).address == Ipv4Address{});
    check_no_peer(net, fd, "ENOTCONN", 107);
  }
  {
    const int fd = net.sock();
    check_fail(net.connect(fd, addrlen8()), P::Linux, Errc::InvalidArgument, "EINVAL", 22);
    CHECK_FALSE(net.local(fd).port.is_zero());
  }
  {
    // move_addr_to_kernel fails before inet_dgram_connect: no autobind.
    const int fd = net.sock();
    check_fail(net.connect(fd, null_address()), P::Linux, Errc::BadAddress, "EFAULT", 14);
    CHECK(net.local(fd) == Endpoint{});
  }
}
TEST_CASE("U13 wrong family, addrlen 8, NULL -> EAFNOSUPPORT (47), EINVAL (22), EFAULT (14) (freebsd)", CONF) {
  // 2f: udp_connect checks sin_family then sin_len != 16; getsockaddr's copyin faults on NULL.
  Net net{P::FreeBsd};
  const int fd = net.sock();
  check_fail(net.connect(fd, inet6()), P::FreeBsd, Errc::FamilyNotSupported, "EAFNOSUPPORT", 47);
  check_fail(net.connect(fd, addrlen8()), P::FreeBsd, Errc::InvalidArgument, "EINVAL", 22);
  check_fail(net.connect(fd, null_address()), P::FreeBsd, Errc::BadAddress, "EFAULT", 14);
  CHECK(net.local(fd) == Endpoint{});
}
TEST_CASE("U13 wrong family, addrlen 8, NULL -> WSAEAFNOSUPPORT, WSAEFAULT, WSAEFAULT (winsock)", CONF) {
  Net net{P::Winsock};
  const int fd = net.sock();
  check_fail(net.connect(fd, inet6()), P::Winsock, Errc::FamilyNotSupported, "WSAEAFNOSUPPORT", 10047);
  check_fail(net.connect(fd, addrlen8()), P::Winsock, Errc::BadAddress, "WSAEFAULT", 10014);
  check_fail(net.connect(fd, null_address()), P::Winsock, Errc::BadAddress, "WSAEFAULT", 10014);
}
TEST_CASE("U13 n/a - wrong family and addrlen 8 -> -9 EBADF, NULL -> -22 EINVAL (freertos)", CONF) {
  // The matrix says -EBADF for UDP; connect-source.md 1a and 1e say a NULL
  // address is checked before the socket (-22, FreeRTOS_Sockets.c:3680-3684),
  // and the implementation follows the source.
  Net net{P::FreeRtos};
  const int fd = net.sock();
  check_fail(net.connect(fd, inet6()), P::FreeRtos, Errc::BadDescriptor, "pdFREERTOS_ERRNO_EBADF", 9);
  check_fail(net.connect(fd, addrlen8()), P::FreeRtos, Errc::BadDescriptor, "pdFREERTOS_ERRNO_EBADF", 9);
  check_fail(net.connect(fd, null_address()), P::FreeRtos, Errc::InvalidArgument, "pdFREERTOS_ERRNO_EINVAL", 22);
}
TEST_CASE("U13 wrong family, addrlen 8, NULL -> EAFNOSUPPORT, EINVAL, EFAULT (targettcp)", CONF) {
  Net net{P::TargetTcp};
  const int fd = net.sock();
  check_fail(net.connect(fd, inet6()), P::TargetTcp, Errc::FamilyNotSupported, "EAFNOSUPPORT", std::nullopt);
  check_fail(net.connect(fd, addrlen8()), P::TargetTcp, Errc::InvalidArgument, "EINVAL", std::nullopt);
  check_fail(net.connect(fd, null_address()), P::TargetTcp, Errc::BadAddress, "EFAULT", std::nullopt);
}

// ============================================================================
// U14 ephemeral ports exhausted
// ============================================================================

namespace {
// Shrinks the client's UDP ephemeral range to four ports and binds four
// sockets to port 0; the fifth bind() and a connect() needing an autobind
// fail. Returns those two results.
std::pair<CallResult, CallResult> exhaust(Net& net) {
  net.network.client().udp().set_ephemeral_range(EphemeralRange{50000, 50003});
  std::vector<std::uint16_t> ports;
  for (int i = 0; i < 4; ++i) {
    const int fd = net.sock();
    REQUIRE(net.api->bind(fd, Endpoint{}).ok());
    ports.push_back(net.local(fd).port.value());
  }
  std::sort(ports.begin(), ports.end());
  CHECK(ports == std::vector<std::uint16_t>{50000, 50001, 50002, 50003});
  const int fifth = net.sock();
  CallResult bound = net.api->bind(fifth, Endpoint{});
  CallResult connected = net.connect(net.sock(), peer_a);
  return {bound, connected};
}
}  // namespace

TEST_CASE("U14 ephemeral ports exhausted -> EAGAIN (11) (linux)", CONF) {
  Net net{P::Linux};
  const auto [bound, connected] = exhaust(net);
  check_fail(bound, P::Linux, Errc::TryAgain, "EAGAIN", 11);
  CHECK(bound.provenance == Provenance::Measured);
  check_fail(connected, P::Linux, Errc::TryAgain, "EAGAIN", 11);
}
TEST_CASE("U14 ephemeral ports exhausted -> EADDRNOTAVAIL (49) (freebsd)", CONF) {
  // 2g and 5 (in_pcb_lport); the matrix's non-seed FreeBSD man page says
  // EAGAIN. The implementation follows the source.
  Net net{P::FreeBsd};
  const auto [bound, connected] = exhaust(net);
  check_fail(bound, P::FreeBsd, Errc::AddressNotAvailable, "EADDRNOTAVAIL", 49);
  check_doc_silent(bound);
  check_fail(connected, P::FreeBsd, Errc::AddressNotAvailable, "EADDRNOTAVAIL", 49);
}
TEST_CASE("U14 ephemeral ports exhausted -> WSAENOBUFS (10055) observed (winsock)", CONF) {
  Net net{P::Winsock};
  const auto [bound, connected] = exhaust(net);
  check_fail(bound, P::Winsock, Errc::NoBufferSpace, "WSAENOBUFS", 10055);
  CHECK(bound.provenance == Provenance::Observed);
  check_fail(connected, P::Winsock, Errc::NoBufferSpace, "WSAENOBUFS", 10055);
}
TEST_CASE("U14 n/a - connect refused, bind to port 0 exhausted -> -22 EINVAL (freertos)", CONF) {
  // 1g: vSocketBind's EADDRNOTAVAIL is reported by FreeRTOS_bind as -22.
  Net net{P::FreeRtos};
  const auto [bound, connected] = exhaust(net);
  check_fail(bound, P::FreeRtos, Errc::InvalidArgument, "pdFREERTOS_ERRNO_EINVAL", 22);
  CHECK(bound.provenance == Provenance::DerivedFromSource);
  check_fail(connected, P::FreeRtos, Errc::BadDescriptor, "pdFREERTOS_ERRNO_EBADF", 9);
}
TEST_CASE("U14 ephemeral ports exhausted -> EADDRINUSE assumed (targettcp)", CONF) {
  Net net{P::TargetTcp};
  const auto [bound, connected] = exhaust(net);
  check_fail(bound, P::TargetTcp, Errc::AddressInUse, "EADDRINUSE", std::nullopt);
  check_doc_silent(bound);
  check_fail(connected, P::TargetTcp, Errc::AddressInUse, "EADDRINUSE", std::nullopt);
}

// ============================================================================
// U14 (the range): an ephemeral UDP port comes from the same range as TCP's
// (T32): one range for both protocols on every one of these systems.
// ============================================================================

namespace {
// The ports of `count` UDP sockets bound to port 0, each picked at random in the range.
std::vector<std::uint16_t> ephemeral_udp_ports(Net& net, int count) {
  std::vector<std::uint16_t> ports;
  for (int i = 0; i < count; ++i) {
    const int fd = net.sock();
    check_ok(net.api->bind(fd, Endpoint{}));
    ports.push_back(net.local(fd).port.value());
  }
  return ports;
}
void check_range(const std::vector<std::uint16_t>& ports, std::uint16_t first, std::uint16_t last) {
  for (const std::uint16_t port : ports) {
    CHECK(port >= first);
    CHECK(port <= last);
  }
}
constexpr std::uint16_t linux_first = 32768;
constexpr std::uint16_t linux_last = 60999;
}  // namespace

TEST_CASE("U14 linux: an ephemeral UDP port comes from ip_local_port_range (32768-60999)", CONF) {
  Net net{P::Linux};
  check_range(ephemeral_udp_ports(net, 64), linux_first, linux_last);
}
TEST_CASE("U14 freebsd: an ephemeral UDP port comes from the portrange sysctls (10000-65535), as TCP's", CONF) {
  Net net{P::FreeBsd};
  const auto ports = ephemeral_udp_ports(net, 64);
  check_range(ports, 10000, 65535);
  CHECK(*std::min_element(ports.begin(), ports.end()) < linux_first);  // not Linux's range
}
TEST_CASE("U14 winsock: an ephemeral UDP port comes from the dynamic port range (49152-65535), as TCP's", CONF) {
  Net net{P::Winsock};
  const auto ports = ephemeral_udp_ports(net, 64);
  check_range(ports, 49152, 65535);
  CHECK(*std::max_element(ports.begin(), ports.end()) > linux_last);
}
TEST_CASE("U14 freertos: an ephemeral UDP port comes from socketAUTO_PORT_ALLOCATION_START_NUMBER up (1024-65535)", CONF) {
  Net net{P::FreeRtos};
  const auto ports = ephemeral_udp_ports(net, 64);
  check_range(ports, 1024, 65535);
  CHECK(*std::min_element(ports.begin(), ports.end()) < linux_first);
}
