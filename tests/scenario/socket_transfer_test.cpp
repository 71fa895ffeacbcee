// send(), recv(), sendto(), recvfrom() and shutdown() through the socket
// API, client and server both applications on the default simulated
// network. Linux's answers are the ones measured on the reference machine
// (docs/sockets.md); the other systems' where they differ, with the source
// their semantics record names.
#include <catch2/catch.hpp>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "event/task.hpp"
#include "socket/socket_api.hpp"
#include "tcp/listener.hpp"
#include "topology/default_topology.hpp"

using namespace netstep;
using namespace netstep::socket;
using namespace std::chrono_literals;

namespace {

using P = PersonalityId;

const Endpoint server_echo{Ipv4Address{10, 0, 0, 2}, Port{7}};
const Endpoint server_udp{Ipv4Address{10, 0, 0, 2}, Port{5353}};
const Ipv4Address client_address{10, 0, 0, 1};

Bytes bytes_of(const std::string& s) { return {reinterpret_cast<const std::byte*>(s.data()), s.size()}; }
std::string text_of(const std::vector<std::byte>& b, int n) {
  return {reinterpret_cast<const char*>(b.data()), static_cast<std::size_t>(n)};
}

struct Net {
  explicit Net(P client_personality = P::Linux)
      : client{network.client().tcp(), network.client().udp(), tasks, client_personality},
        server{network.server().tcp(), network.server().udp(), tasks, P::Linux} {}
  ~Net() = default;

  static ConnectArguments to(Endpoint e) { return ConnectArguments{.destination = e}; }
  int stream(SocketApi& api) { return api.socket(af_inet, sock_stream).value; }
  int datagram(SocketApi& api) { return api.socket(af_inet, sock_dgram).value; }
  void run_for(Duration d) { loop.run_until(loop.now() + d); }

  EventLoop loop;
  TraceBus bus{loop};
  topology::DefaultTopology network{loop, bus};
  TaskRunner tasks{loop};
  SocketApi client;
  SocketApi server;
};

// A server that accepts one connection and echoes what it reads until the
// client closes.
Task echo_server(Net& net) {
  SocketApi& api = net.server;
  const int listener = net.stream(api);
  REQUIRE(api.bind(listener, server_echo).ok());
  REQUIRE(api.listen(listener, 4).ok());
  const CallResult accepted = co_await api.accept(listener);
  REQUIRE(accepted.ok());
  std::vector<std::byte> buffer(4096);
  for (;;) {
    const CallResult got = co_await api.recv(accepted.value, buffer);
    if (!got.ok() || got.value == 0) break;
    const CallResult sent = co_await api.send(accepted.value, Bytes{buffer.data(), static_cast<std::size_t>(got.value)});
    REQUIRE(sent.value == got.value);
  }
  api.close(accepted.value);
}

// A connected client socket, made in a task.
Task connect_client(Net& net, int fd, std::optional<CallResult>& out) {
  out = co_await net.client.connect(fd, Net::to(server_echo));
}

int connected_client(Net& net) {
  const int fd = net.stream(net.client);
  std::optional<CallResult> connected;
  net.tasks.spawn("client-connect", connect_client(net, fd, connected));
  net.run_for(1s);
  REQUIRE(connected);
  REQUIRE(connected->ok());
  return fd;
}

}  // namespace

TEST_CASE("TCP send and recv: an echo round trip between two applications", "[scenario][socket]") {
  Net net;
  net.tasks.spawn("server", echo_server(net));
  std::string echoed;
  Instant answered{};
  const auto client = [](Net& n, std::string& out, Instant& at) -> Task {
    const int fd = n.stream(n.client);
    const CallResult connected = co_await n.client.connect(fd, Net::to(server_echo));  // never inside REQUIRE: it evaluates twice
    REQUIRE(connected.ok());
    const CallResult sent = co_await n.client.send(fd, bytes_of("hello, netstep"));
    CHECK(sent.value == 14);
    std::vector<std::byte> buffer(100);
    const CallResult got = co_await n.client.recv(fd, buffer);
    REQUIRE(got.ok());
    out = text_of(buffer, got.value);
    at = n.loop.now();
    n.client.close(fd);
  };
  net.tasks.spawn("client", client(net, echoed, answered));
  net.run_for(5s);
  net.tasks.rethrow_first_failure();
  CHECK(echoed == "hello, netstep");
  CHECK(answered > Instant{});
}

// A server that accepts one connection and counts what it reads until the
// client closes (recv() returns 0).
Task sink_server(Net& net, std::size_t& received, bool& saw_end) {
  SocketApi& api = net.server;
  const int listener = net.stream(api);
  REQUIRE(api.bind(listener, server_echo).ok());
  REQUIRE(api.listen(listener, 4).ok());
  const CallResult accepted = co_await api.accept(listener);
  REQUIRE(accepted.ok());
  std::vector<std::byte> buffer(16384);
  for (;;) {
    const CallResult got = co_await api.recv(accepted.value, buffer);
    REQUIRE(got.ok());
    if (got.value == 0) break;
    received += static_cast<std::size_t>(got.value);
  }
  saw_end = true;
}

TEST_CASE("TCP blocking send of 1 MB through a 64 KB send buffer completes as the peer reads", "[scenario][socket]") {
  Net net;
  tcp::TcpConfig small = net.network.client().tcp().defaults();
  small.send_buffer = 64 * 1024;
  net.network.client().tcp().set_defaults(small);
  std::size_t received = 0;
  bool saw_end = false;
  net.tasks.spawn("server", sink_server(net, received, saw_end));
  std::optional<CallResult> sent;
  Instant returned{};
  const auto client = [](Net& n, std::optional<CallResult>& result, Instant& at) -> Task {
    const int fd = n.stream(n.client);
    const CallResult connected = co_await n.client.connect(fd, Net::to(server_echo));
    REQUIRE(connected.ok());
    std::vector<std::byte> data(1024 * 1024, std::byte{0x5a});
    result = co_await n.client.send(fd, data);
    at = n.loop.now();
    n.client.close(fd);
  };
  net.tasks.spawn("client", client(net, sent, returned));
  net.run_for(60s);
  net.tasks.rethrow_first_failure();
  REQUIRE(sent);
  CHECK(sent->value == 1024 * 1024);  // all of it, after waiting for room (a 64 KB buffer cannot take it at once)
  CHECK(returned > Instant{} + 1ms);
  CHECK(received == 1024 * 1024);
  CHECK(saw_end);
}

TEST_CASE("TCP recv with SO_RCVTIMEO and nothing sent: each system's answer when the time runs out",
          "[scenario][socket]") {
  const auto waits = [](P personality, SocketOption option, int value) {
    Net net{personality};
    net.tasks.spawn("server", echo_server(net));
    const int fd = connected_client(net);
    REQUIRE(net.client.setsockopt(fd, option, value).ok());
    std::optional<CallResult> got;
    Instant started = net.loop.now();
    Instant at{};
    const auto reader = [](Net& n, int d, std::optional<CallResult>& out, Instant& when) -> Task {
      std::vector<std::byte> buffer(16);
      out = co_await n.client.recv(d, buffer);
      when = n.loop.now();
    };
    net.tasks.spawn("reader", reader(net, fd, got, at));
    net.run_for(5s);
    REQUIRE(got);
    CHECK(at - started == 500ms);
    REQUIRE(got->cause);
    CHECK(got->cause->kind == "timer");
    return *got;
  };
  const CallResult linux = waits(P::Linux, SocketOption::ReceiveTimeout, 500);
  CHECK(linux.error == Errc::TryAgain);
  CHECK(linux.describe() == "-1, errno EAGAIN (11)");
  const CallResult winsock = waits(P::Winsock, SocketOption::ReceiveTimeout, 500);
  CHECK(winsock.code->name == "WSAETIMEDOUT");
  const CallResult freertos = waits(P::FreeRtos, SocketOption::FreeRtosReceiveTimeout, 500);
  CHECK(freertos.ok());  // FreeRTOS_recv returns 0 when its block time runs out
  CHECK(freertos.value == 0);
}

TEST_CASE("TCP calls on a socket that never connected, as Linux measured them and FreeBSD's sosend says",
          "[scenario][socket]") {
  Net linux{P::Linux};
  const int fd = linux.stream(linux.client);
  std::vector<std::byte> buffer(16);
  std::optional<CallResult> sent;
  std::optional<CallResult> got;
  const auto calls = [](SocketApi& api, int d, std::vector<std::byte>& b, std::optional<CallResult>& s,
                        std::optional<CallResult>& r) -> Task {
    s = co_await api.send(d, bytes_of("x"));
    r = co_await api.recv(d, b);
  };
  linux.tasks.spawn("calls", calls(linux.client, fd, buffer, sent, got));
  linux.run_for(1s);
  CHECK(sent->describe() == "-1, errno EPIPE (32)");
  CHECK(got->describe() == "-1, errno ENOTCONN (107)");
  CHECK(linux.client.shutdown(fd, shut_wr).describe() == "-1, errno ENOTCONN (107)");
  CHECK(linux.client.shutdown(fd, 99).error == Errc::InvalidArgument);

  Net freebsd{P::FreeBsd};
  const int bsd_fd = freebsd.stream(freebsd.client);
  freebsd.tasks.spawn("calls", calls(freebsd.client, bsd_fd, buffer, sent, got));
  freebsd.run_for(1s);
  CHECK(sent->describe() == "-1, errno ENOTCONN (57)");
  CHECK(sent->provenance == Provenance::Assumed);
}

TEST_CASE("TCP shutdown(SHUT_WR): the peer reads end of stream, a later send says EPIPE", "[scenario][socket]") {
  Net net;
  tcp::Listener& listener = net.network.server().tcp().listen(server_echo, 4);
  const int fd = connected_client(net);
  REQUIRE(net.client.shutdown(fd, shut_wr).ok());
  net.run_for(1s);
  tcp::Connection* peer = listener.accept();
  REQUIRE(peer != nullptr);
  CHECK(peer->peer_finished());  // our FIN arrived
  std::optional<CallResult> sent;
  const auto writer = [](Net& n, int d, std::optional<CallResult>& out) -> Task {
    out = co_await n.client.send(d, bytes_of("late"));
  };
  net.tasks.spawn("writer", writer(net, fd, sent));
  net.run_for(1s);
  CHECK(sent->describe() == "-1, errno EPIPE (32)");
  CHECK(net.client.poll(fd) & pollout);
  peer->abort();
}

TEST_CASE("TCP recv after the peer closed: 0 (end of stream), but FreeRTOS+TCP says -ENOTCONN", "[scenario][socket]") {
  const auto read_after_fin = [](P personality) {
    Net net{personality};
    tcp::Listener& listener = net.network.server().tcp().listen(server_echo, 4);
    const int fd = connected_client(net);
    tcp::Connection* peer = listener.accept();
    REQUIRE(peer != nullptr);
    peer->close();  // FIN
    net.run_for(1s);
    std::optional<CallResult> got;
    const auto reader = [](Net& n, int d, std::optional<CallResult>& out) -> Task {
      std::vector<std::byte> buffer(16);
      out = co_await n.client.recv(d, buffer);
    };
    net.tasks.spawn("reader", reader(net, fd, got));
    net.run_for(1s);
    REQUIRE(got);
    return *got;
  };
  const CallResult linux = read_after_fin(P::Linux);
  CHECK(linux.ok());
  CHECK(linux.value == 0);
  const CallResult freertos = read_after_fin(P::FreeRtos);
  CHECK(freertos.describe() == "-128 (-pdFREERTOS_ERRNO_ENOTCONN)");
}

TEST_CASE("TCP reset by the peer: poll says error, recv ECONNRESET once then 0, send EPIPE", "[scenario][socket]") {
  Net net;
  tcp::Listener& listener = net.network.server().tcp().listen(server_echo, 4);
  const int fd = connected_client(net);
  tcp::Connection* peer = listener.accept();
  REQUIRE(peer != nullptr);
  peer->abort();  // RST
  net.run_for(1s);
  CHECK((net.client.poll(fd) & (pollin | pollerr | pollhup)) == (pollin | pollerr | pollhup));
  std::vector<CallResult> results;
  const auto calls = [](Net& n, int d, std::vector<CallResult>& out) -> Task {
    std::vector<std::byte> buffer(16);
    out.push_back(co_await n.client.recv(d, buffer));
    out.push_back(co_await n.client.recv(d, buffer));
    out.push_back(co_await n.client.send(d, bytes_of("x")));
  };
  net.tasks.spawn("calls", calls(net, fd, results));
  net.run_for(1s);
  REQUIRE(results.size() == 3);
  CHECK(results[0].describe() == "-1, errno ECONNRESET (104)");
  REQUIRE(results[0].cause);
  CHECK(results[0].cause->kind == "segment");
  CHECK(results[1].describe() == "0");
  CHECK(results[2].describe() == "-1, errno EPIPE (32)");
}

TEST_CASE("TCP blocking recv interrupted by a signal: EINTR, or restarted under SA_RESTART", "[scenario][socket]") {
  const auto interrupted = [](bool sa_restart) {
    Net net;
    tcp::Listener& listener = net.network.server().tcp().listen(server_echo, 4);
    const int fd = connected_client(net);
    tcp::Connection* peer = listener.accept();
    std::optional<CallResult> got;
    const auto reader = [](Net& n, int d, std::optional<CallResult>& out) -> Task {
      std::vector<std::byte> buffer(16);
      out = co_await n.client.recv(d, buffer);
    };
    net.tasks.spawn("reader", reader(net, fd, got));
    net.run_for(1s);
    REQUIRE(net.client.signal(fd, sa_restart));
    net.run_for(1s);
    if (!got) {
      peer->send(bytes_of("data"));
      net.run_for(1s);
    }
    REQUIRE(got);
    return *got;
  };
  CHECK(interrupted(false).describe() == "-1, errno EINTR (4)");
  CHECK(interrupted(true).value == 4);  // the restarted call read the data
}

TEST_CASE("Closing a socket another task is blocked in recv() on ends that call with EBADF", "[scenario][socket]") {
  Net net;
  tcp::Listener& listener = net.network.server().tcp().listen(server_echo, 4);
  const int fd = connected_client(net);
  REQUIRE(listener.accept() != nullptr);
  std::optional<CallResult> got;
  const auto reader = [](Net& n, int d, std::optional<CallResult>& out) -> Task {
    std::vector<std::byte> buffer(16);
    out = co_await n.client.recv(d, buffer);
  };
  net.tasks.spawn("reader", reader(net, fd, got));
  net.run_for(1s);
  CHECK_FALSE(got);
  REQUIRE(net.client.close(fd).ok());
  net.run_for(1s);
  REQUIRE(got);
  CHECK(got->error == Errc::BadDescriptor);
}

TEST_CASE("UDP sendto and recvfrom: the sender's address, a blocking wait, truncation and empty datagrams",
          "[scenario][socket][udp]") {
  Net net;
  const int server = net.datagram(net.server);
  REQUIRE(net.server.bind(server, server_udp).ok());
  std::vector<CallResult> results;
  std::vector<Endpoint> senders;
  std::vector<std::string> texts;
  const auto receiver = [](Net& n, int d, std::vector<CallResult>& out, std::vector<Endpoint>& from,
                           std::vector<std::string>& text) -> Task {
    std::vector<std::byte> buffer(5);
    for (int i = 0; i < 3; ++i) {
      Endpoint sender;
      const CallResult r = co_await n.server.recvfrom(d, buffer, &sender);
      out.push_back(r);
      from.push_back(sender);
      text.push_back(r.ok() ? text_of(buffer, r.value) : "");
    }
  };
  net.tasks.spawn("receiver", receiver(net, server, results, senders, texts));
  net.run_for(1s);
  CHECK(results.empty());  // blocked: nothing sent yet
  const int client = net.datagram(net.client);
  const auto sender = [](Net& n, int d) -> Task {
    const CallResult first = co_await n.client.sendto(d, bytes_of("hi"), server_udp);
    const CallResult second = co_await n.client.sendto(d, bytes_of("hello world"), server_udp);
    const CallResult empty = co_await n.client.sendto(d, Bytes{}, server_udp);
    CHECK(first.value == 2);
    CHECK(second.value == 11);
    CHECK(empty.value == 0);
  };
  net.tasks.spawn("sender", sender(net, client));
  net.run_for(1s);
  net.tasks.rethrow_first_failure();
  REQUIRE(results.size() == 3);
  Endpoint local;
  REQUIRE(net.client.getsockname(client, local).ok());
  CHECK(local.port != Port{});  // the first sendto() bound an ephemeral port
  CHECK(senders[0] == Endpoint{client_address, local.port});
  CHECK(texts[0] == "hi");
  CHECK(results[1].value == 5);  // cut to the buffer; the rest is lost
  CHECK(texts[1] == "hello");
  CHECK(results[2].value == 0);
}

TEST_CASE("UDP sendto refusals: port 0, too long, no SO_BROADCAST, and FreeRTOS+TCP send() is TCP-only",
          "[scenario][socket][udp]") {
  Net net;
  const int fd = net.datagram(net.client);
  std::vector<CallResult> results;
  const auto calls = [](Net& n, int d, std::vector<CallResult>& out) -> Task {
    out.push_back(co_await n.client.sendto(d, bytes_of("x"), Endpoint{server_udp.address, Port{}}));
    std::vector<std::byte> big(65508);
    out.push_back(co_await n.client.sendto(d, big, server_udp));
    out.push_back(co_await n.client.sendto(d, bytes_of("x"), Endpoint{Ipv4Address{255, 255, 255, 255}, Port{9}}));
    out.push_back(co_await n.client.send(d, bytes_of("x")));
  };
  net.tasks.spawn("calls", calls(net, fd, results));
  net.run_for(1s);
  REQUIRE(results.size() == 4);
  CHECK(results[0].describe() == "-1, errno EINVAL (22)");
  CHECK(results[1].describe() == "-1, errno EMSGSIZE (90)");
  CHECK(results[2].describe() == "-1, errno EACCES (13)");
  CHECK(results[3].describe() == "-1, errno EDESTADDRREQ (89)");

  Net freertos{P::FreeRtos};
  const int rtos_fd = freertos.datagram(freertos.client);
  std::vector<CallResult> rtos;
  const auto rtos_calls = [](Net& n, int d, std::vector<CallResult>& out) -> Task {
    out.push_back(co_await n.client.send(d, bytes_of("x")));
    out.push_back(co_await n.client.sendto(d, bytes_of("x"), server_udp));
  };
  freertos.tasks.spawn("calls", rtos_calls(freertos, rtos_fd, rtos));
  freertos.run_for(1s);
  REQUIRE(rtos.size() == 2);
  CHECK(rtos[0].describe() == "-22 (-pdFREERTOS_ERRNO_EINVAL)");
  CHECK(rtos[1].value == 1);
}

TEST_CASE("UDP shutdown() on an unconnected socket: ENOTCONN, yet a later sendto() says EPIPE (Linux, measured)",
          "[scenario][socket][udp]") {
  Net net;
  const int fd = net.datagram(net.client);
  CHECK(net.client.shutdown(fd, shut_rdwr).describe() == "-1, errno ENOTCONN (107)");
  CHECK(net.client.poll(fd) == (pollin | pollout | pollhup));  // measured 0x15
  std::vector<CallResult> results;
  const auto calls = [](Net& n, int d, std::vector<CallResult>& out) -> Task {
    out.push_back(co_await n.client.sendto(d, bytes_of("x"), server_udp));
    std::vector<std::byte> buffer(8);
    out.push_back(co_await n.client.recv(d, buffer, msg_dontwait));
    out.push_back(co_await n.client.recv(d, buffer));
  };
  net.tasks.spawn("calls", calls(net, fd, results));
  net.run_for(1s);
  REQUIRE(results.size() == 3);
  CHECK(results[0].describe() == "-1, errno EPIPE (32)");
  CHECK(results[1].describe() == "-1, errno EAGAIN (11)");  // measured: non-blocking says EAGAIN
  CHECK(results[2].describe() == "0");                      // and a blocking call returns 0 at once

  Net freebsd{P::FreeBsd};
  const int bsd = freebsd.datagram(freebsd.client);
  CHECK(freebsd.client.shutdown(bsd, shut_rdwr).error == Errc::NotConnected);
  CHECK(freebsd.client.poll(bsd) == pollout);  // the BSD stacks do not record it (assumed)
}
