#include "capture_scenarios.hpp"

#include <map>


namespace netstep::test {

using socket::CallResult;

CaptureNet::CaptureNet(topology::DefaultTopologyOptions options, capture::CaptureOptions capture,
                       std::optional<std::vector<capture::CaptureLink>> links)
    : network{loop, bus, options},
      client{network.client().tcp(), network.client().udp(), tasks, socket::PersonalityId::Linux,
             socket::SocketApiOptions{.tracer = network.client().tracer()}},
      server{network.server().tcp(), network.server().udp(), tasks, socket::PersonalityId::Linux,
             socket::SocketApiOptions{.tracer = network.server().tracer()}},
      pcapng{out, links ? std::move(*links) : capture_links(network.network()), capture} {
  bus.attach(recorder);
  bus.attach(pcapng);
}

CaptureNet::~CaptureNet() {
  bus.detach(pcapng);
  bus.detach(recorder);
}

std::string CaptureNet::finish(Duration limit) {
  const Instant deadline = loop.now() + limit;
  while (tasks.running() > 0 && loop.now() <= deadline && loop.run_next()) {
  }
  tasks.rethrow_first_failure();
  loop.run_until(loop.now() + 1s);  // the last ACKs, well before TIME-WAIT ends
  pcapng.finish();
  return out.str();
}

namespace {

socket::ConnectArguments to(Endpoint e) { return socket::ConnectArguments{.destination = e}; }

Task accepting_server(CaptureNet& net) {
  socket::SocketApi& api = net.server;
  const int listener = api.socket(socket::af_inet, socket::sock_stream).value;
  api.bind(listener, server_http);
  api.listen(listener, 4);
  const CallResult accepted = co_await api.accept(listener);
  if (accepted.ok()) {
    std::vector<std::byte> buffer(16 * 1024);
    for (;;) {
      const CallResult got = co_await api.recv(accepted.value, buffer);
      if (!got.ok() || got.value == 0) break;
    }
    api.close(accepted.value);
  }
  api.close(listener);
}

Task nonblocking_client(CaptureNet& net) {
  socket::SocketApi& api = net.client;
  const int fd = api.socket(socket::af_inet, socket::sock_stream).value;
  api.set_nonblocking(fd, true);
  // The results are in the trace (SocketCall), which is what is checked.
  static_cast<void>(co_await api.connect(fd, to(server_http)));  // EINPROGRESS
  co_await sleep_for(10ms);
  static_cast<void>(co_await api.connect(fd, to(server_http)));  // 0: established
  api.close(fd);
}

Task refused_client(CaptureNet& net) {
  socket::SocketApi& api = net.client;
  const int fd = api.socket(socket::af_inet, socket::sock_stream).value;
  static_cast<void>(co_await api.connect(fd, to(server_closed)));  // ECONNREFUSED
  api.close(fd);
}

Task sending_client(CaptureNet& net, std::size_t bytes) {
  socket::SocketApi& api = net.client;
  const int fd = api.socket(socket::af_inet, socket::sock_stream).value;
  const CallResult connected = co_await api.connect(fd, to(server_http));
  if (connected.ok()) {
    std::vector<std::byte> data(bytes);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i * 7);
    static_cast<void>(co_await api.send(fd, data));
  }
  api.close(fd);
}

}  // namespace

void spawn_handshake(CaptureNet& net) {
  net.tasks.spawn("server", accepting_server(net));
  net.tasks.spawn("client", nonblocking_client(net));
}

void spawn_refused(CaptureNet& net) { net.tasks.spawn("client", refused_client(net)); }

void spawn_transfer(CaptureNet& net, std::size_t bytes) {
  net.tasks.spawn("server", accepting_server(net));
  net.tasks.spawn("client", sending_client(net, bytes));
}

std::vector<SegmentKey> retransmitted_segments(const Recorder& recorder) {
  std::map<std::string, std::uint32_t> highest;  // connection -> end of the sequence space sent
  std::vector<SegmentKey> found;
  for (const RecordedEvent* e : recorder.all<TcpSegment>()) {
    const TcpSegment& s = *e->as<TcpSegment>();
    if (s.direction != "sent") continue;
    const std::uint32_t space = static_cast<std::uint32_t>(s.length) + ((s.flags & 0x02) != 0 ? 1u : 0u) +
                                ((s.flags & 0x01) != 0 ? 1u : 0u);
    if (space == 0) continue;
    const std::string connection = s.local.to_string() + ">" + s.remote.to_string();
    const auto it = highest.find(connection);
    if (it != highest.end() && s.relative_seq < it->second) {
      found.push_back(SegmentKey{s.local.port.value(), s.seq, s.length});
    }
    std::uint32_t& end = highest[connection];
    end = std::max(end, s.relative_seq + space);
  }
  return found;
}

}  // namespace netstep::test
