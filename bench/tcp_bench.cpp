// TCP over an in-memory wire, side by side in the same run:
//
//   tcp/bulk/{netstep,lwip,memcpy}
//       --bulk_mib (default 64) MiB client -> server per iteration over one
//       established connection, MSS 1460, checksums generated and checked;
//       bytes/second. memcpy: the same bytes copied from the source buffer to
//       the sink buffer, the ratio baseline (the least any stack does is
//       copy each byte in and out once).
//   tcp/connections/N/{netstep,lwip}
//       N sequential connection setups and graceful closes (client connects,
//       server accepts, client closes, server closes on end of stream), one
//       process, starting with no TIME-WAIT connections; connections/second.
//       The name puts N before the peer so RatioReporter pairs the peers
//       (it takes the last path component as the peer).
//
// Only built with the lwIP peer (see CMakeLists.txt). The netstep cases are
// added in register_netstep() below once netstep's TCP layer lands.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <stdexcept>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "host/host.hpp"
#include "lwip_tcp_peer.hpp"
#include "tcp/tcp_layer.hpp"

namespace netstep::bench {
namespace {

std::uint64_t bulk_bytes = std::uint64_t{64} << 20;
// Source and sink buffers the applications cycle through (in cache: the
// benchmark measures the stack, not DRAM).
constexpr std::size_t app_buffer_bytes = std::size_t{1} << 20;
// Connection counts every peer is measured at.
const std::vector<std::size_t> connection_counts{1000, 10000, 100000};

// ----------------------------------------------------------------------------
// What a peer provides. A session is created once per benchmark case run
// (outside the timing) and used for all its iterations.

class BulkSession {
 public:
  virtual ~BulkSession() = default;
  // Moves `bytes` from the sending application to the receiving one and
  // returns when the receiver has all of them.
  virtual void transfer(std::uint64_t bytes) = 0;
  // Checked once before timing: a transfer of `bytes` arrives intact.
  virtual bool verify(std::uint64_t bytes) = 0;
  // Extra per-case counters (packets, timer ticks, ...), after the timing.
  virtual void add_counters(benchmark::State& /*state*/) {}
};

struct ConnectionsRun {
  std::size_t completed = 0;
  double seconds = 0;   // wall clock of the run
  std::string failure;  // empty: all requested connections completed
};

class ConnectionsSession {
 public:
  virtual ~ConnectionsSession() = default;
  // Opens and gracefully closes `count` connections one after another.
  virtual ConnectionsRun run(std::size_t count) = 0;
  // Between timed iterations: back to a state with no TIME-WAIT connections.
  virtual void reset() = 0;
  virtual void add_counters(benchmark::State& /*state*/) {}
};

using BulkFactory = std::function<std::unique_ptr<BulkSession>()>;
using ConnectionsFactory = std::function<std::unique_ptr<ConnectionsSession>()>;

// ----------------------------------------------------------------------------
// Registration: one call per peer. `peer` is the last component of the name.

void register_bulk(const std::string& peer, BulkFactory factory) {
  benchmark::RegisterBenchmark(("tcp/bulk/" + peer).c_str(), [factory](benchmark::State& state) {
    const std::unique_ptr<BulkSession> session = factory();
    if (!session->verify(4 * app_buffer_bytes + 12345)) {
      state.SkipWithError("transfer arrived corrupted");
      return;
    }
    for (auto _ : state) session->transfer(bulk_bytes);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bulk_bytes));
    session->add_counters(state);
  })->Unit(benchmark::kMillisecond);
}

void register_connections(const std::string& peer, ConnectionsFactory factory,
                          const std::vector<std::size_t>& counts = connection_counts) {
  for (const std::size_t count : counts) {
    auto* b = benchmark::RegisterBenchmark(
        ("tcp/connections/" + std::to_string(count) + "/" + peer).c_str(),
        [factory, count](benchmark::State& state) {
          const std::unique_ptr<ConnectionsSession> session = factory();
          std::size_t completed = 0;
          for (auto _ : state) {
            const ConnectionsRun run = session->run(count);
            completed += run.completed;
            if (!run.failure.empty()) {
              // Reported, not fatal: a peer that cannot reach `count` says
              // where it stopped and how fast it was going until then.
              char rate[96];
              std::snprintf(rate, sizeof rate, " [%zu completed, %.0f/s]", run.completed,
                            run.seconds > 0 ? static_cast<double>(run.completed) / run.seconds : 0.0);
              state.SkipWithError((run.failure + rate).c_str());
              break;
            }
            state.PauseTiming();
            session->reset();
            state.ResumeTiming();
          }
          state.SetItemsProcessed(static_cast<std::int64_t>(completed));
          session->add_counters(state);
        });
    b->Unit(benchmark::kMillisecond);
    if (count >= 100000) b->Iterations(1);
  }
}

// ----------------------------------------------------------------------------
// memcpy: the bulk baseline.

class MemcpyBulk final : public BulkSession {
 public:
  MemcpyBulk() : source_{app_buffer_bytes}, sink_{app_buffer_bytes} {
    fill_pattern({source_.data(), source_.size()}, 1);
  }
  void transfer(std::uint64_t bytes) override {
    while (bytes > 0) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(bytes, source_.size()));
      std::memcpy(sink_.data(), source_.data(), n);
      benchmark::ClobberMemory();
      bytes -= n;
    }
  }
  bool verify(std::uint64_t bytes) override {
    transfer(bytes);
    return std::memcmp(sink_.data(), source_.data(), source_.size()) == 0;
  }

 private:
  AlignedBuffer source_;
  AlignedBuffer sink_;
};

// ----------------------------------------------------------------------------
// lwIP (lwip_tcp_peer.cpp).

class LwipBulk final : public BulkSession {
 public:
  LwipBulk() : peer_{app_buffer_bytes} {}
  void transfer(std::uint64_t bytes) override { peer_.run(bytes); }
  bool verify(std::uint64_t bytes) override {
    const bool ok = peer_.verify(bytes);
    start_ = peer_.stats();
    return ok;
  }
  void add_counters(benchmark::State& state) override {
    const auto& now = peer_.stats();
    const double n = static_cast<double>(state.iterations());
    if (n == 0) return;
    state.counters["segs"] = static_cast<double>(now.packets_client_to_server - start_.packets_client_to_server) / n;
    state.counters["acks"] = static_cast<double>(now.packets_server_to_client - start_.packets_server_to_client) / n;
    state.counters["ticks"] = static_cast<double>(now.timer_ticks - start_.timer_ticks) / n;
  }

 private:
  LwipTcpBulk peer_;
  LwipTcpBulk::Stats start_;
};

class LwipConnections final : public ConnectionsSession {
 public:
  ConnectionsRun run(std::size_t count) override {
    const LwipTcpConnections::Result result = peer_.run(count);
    time_wait_ = result.time_wait_pcbs;
    return {result.completed, result.seconds, result.failure};
  }
  void reset() override { peer_.drain_time_wait(); }
  void add_counters(benchmark::State& state) override {
    state.counters["time_wait"] = static_cast<double>(time_wait_);
  }

 private:
  LwipTcpConnections peer_;
  std::size_t time_wait_ = 0;
};

void register_lwip() {
  register_bulk("lwip", [] { return std::make_unique<LwipBulk>(); });
  register_connections("lwip", [] { return std::make_unique<LwipConnections>(); });
}

// ----------------------------------------------------------------------------
// netstep: two hosts, 10.0.0.1 and 10.0.0.2, each a full stack (Ethernet,
// ARP, IPv4, TCP), joined by a zero-delay cable that copies each frame, in
// virtual time with no trace sink. Compared with lwIP's bare-IP wire this
// carries one more layer (Ethernet, and ARP once). Windows and buffers are
// 64 KiB like lwIP's TCP_WND and TCP_SND_BUF; MSS 1460; checksums computed
// and verified on every segment.

// The in-memory wire: a frame sent at one end arrives at the other on the
// next event at the same virtual instant.
class BenchCableEnd final : public Device {
 public:
  BenchCableEnd(EventLoop& loop, MacAddress mac) : loop_{loop}, mac_{mac} {}
  void plug(BenchCableEnd& peer) { peer_ = &peer; }
  std::string_view name() const override { return "cable"; }
  MacAddress mac() const override { return mac_; }
  std::size_t mtu() const override { return default_mtu; }
  void transmit(Bytes frame) override {
    peer_->queue_.emplace_back(frame.begin(), frame.end());
    BenchCableEnd* peer = peer_;
    loop_.post_after(Duration::zero(), [peer] { peer->arrive(); });
  }

 private:
  void arrive() {
    const std::vector<std::byte> frame = std::move(queue_.front());
    queue_.pop_front();
    deliver(Bytes{frame});
  }
  EventLoop& loop_;
  MacAddress mac_;
  BenchCableEnd* peer_ = nullptr;
  std::deque<std::vector<std::byte>> queue_;
};

struct NetstepPair {
  NetstepPair() {
    a.plug(b);
    b.plug(a);
    tcp::TcpConfig config;
    config.send_buffer = 65535;
    config.receive_buffer = 65535;
    client.tcp().set_defaults(config);
    server.tcp().set_defaults(config);
    client.add_interface(a, *Ipv4Cidr::parse("10.0.0.1/24"));
    server.add_interface(b, *Ipv4Cidr::parse("10.0.0.2/24"));
  }
  // Runs every event due now (deliveries are zero-delay), never jumping
  // the clock: the retransmission timers never fire on a lossless wire.
  void settle() { loop.run_until(loop.now()); }

  EventLoop loop;
  TraceBus bus{loop};
  BenchCableEnd a{loop, MacAddress::local(1)};
  BenchCableEnd b{loop, MacAddress::local(2)};
  Host client{loop, bus, HostConfig{"client", {}, {}, 1}};
  Host server{loop, bus, HostConfig{"server", {}, {}, 2}};
};

const Endpoint bench_server{Ipv4Address{10, 0, 0, 2}, Port{5001}};

class NetstepBulk final : public BulkSession {
 public:
  NetstepBulk() : source_{app_buffer_bytes}, sink_{app_buffer_bytes} {
    fill_pattern({source_.data(), source_.size()}, 1);
    tcp::Listener& listener = net_.server.tcp().listen(bench_server, 4);
    auto connected = net_.client.tcp().connect(bench_server);
    if (!connected) throw std::runtime_error("netstep bench: connect failed");
    sender_ = *connected;
    for (int i = 0; i < 1000 && listener.pending() == 0; ++i) net_.loop.run_next();
    receiver_ = listener.accept();
    if (receiver_ == nullptr || sender_->state() != tcp::State::Established) {
      throw std::runtime_error("netstep bench: handshake did not complete");
    }
  }
  void transfer(std::uint64_t bytes) override { pump(bytes, nullptr); }
  bool verify(std::uint64_t bytes) override {
    bool intact = true;
    pump(bytes, &intact);
    return intact;
  }

 private:
  // Writes `bytes` from the source ring, reads them into the sink ring,
  // optionally comparing each byte read with what was written.
  void pump(std::uint64_t bytes, bool* intact) {
    std::uint64_t written = 0;
    std::uint64_t read = 0;
    const std::size_t ring = source_.size();
    while (read < bytes) {
      const std::uint64_t progress = written + read;
      if (written < bytes) {
        const std::size_t at = static_cast<std::size_t>(written % ring);
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(bytes - written, ring - at));
        written += sender_->send(Bytes{source_.data() + at, n});
      }
      net_.settle();
      const std::size_t at = static_cast<std::size_t>(read % ring);
      const std::size_t got = receiver_->receive(MutableBytes{sink_.data() + at, ring - at});
      if (intact != nullptr && std::memcmp(sink_.data() + at, source_.data() + at, got) != 0) *intact = false;
      read += got;
      // Nothing moved: let virtual time reach the next timer, or give up.
      if (written + read == progress && !net_.loop.run_next()) {
        throw std::runtime_error("netstep bench: the transfer stalled");
      }
    }
  }

  AlignedBuffer source_;
  AlignedBuffer sink_;
  NetstepPair net_;
  tcp::Connection* sender_ = nullptr;
  tcp::Connection* receiver_ = nullptr;
};

class NetstepConnections final : public ConnectionsSession {
 public:
  NetstepConnections() : listener_{&net_.server.tcp().listen(bench_server, 64)} {}

  ConnectionsRun run(std::size_t count) override {
    ConnectionsRun result;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < count; ++i) {
      auto connected = net_.client.tcp().connect(bench_server);
      if (!connected) {
        result.failure = "connect failed after " + std::to_string(i) + " connections: " +
                         std::string{tcp::to_string(connected.error())};
        break;
      }
      tcp::Connection* client = *connected;
      net_.settle();
      tcp::Connection* server = listener_->accept();
      if (server == nullptr) {
        result.failure = "no connection to accept";
        break;
      }
      client->close();  // the client closes first and keeps TIME-WAIT
      net_.settle();
      server->close();
      net_.settle();
      net_.server.tcp().release(*server);
      net_.client.tcp().release(*client);
      ++result.completed;
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  }
  // TIME-WAIT lasts 60 s of virtual time: let it pass.
  void reset() override { net_.loop.run_until(net_.loop.now() + 61s); }

 private:
  NetstepPair net_;
  tcp::Listener* listener_;
};

void register_netstep() {
  register_bulk("netstep", [] { return std::make_unique<NetstepBulk>(); });
  register_connections("netstep", [] { return std::make_unique<NetstepConnections>(); });
}

void register_all() {
  register_netstep();
  register_lwip();
  register_bulk("memcpy", [] { return std::make_unique<MemcpyBulk>(); });
}

// --bulk_mib=N: MiB per bulk iteration (default 64).
void take_tcp_flags(int* argc, char** argv) {
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    const std::string_view arg{argv[i]};
    if (arg.starts_with("--bulk_mib=")) {
      bulk_bytes = std::strtoull(argv[i] + std::strlen("--bulk_mib="), nullptr, 10) << 20;
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
}

}  // namespace
}  // namespace netstep::bench

int main(int argc, char** argv) {
  using namespace netstep::bench;
  take_tcp_flags(&argc, argv);
  if (take_own_flags(&argc, argv)) {
    std::fprintf(stderr, "--verify: not available in this benchmark\n");
    return 2;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (bulk_bytes == 0) {
    std::fprintf(stderr, "--bulk_mib must be at least 1\n");
    return 2;
  }
  std::printf("bulk: %llu MiB per iteration; application buffers %zu KiB\n%s",
              static_cast<unsigned long long>(bulk_bytes >> 20), app_buffer_bytes >> 10,
              lwip_tcp_configuration().c_str());
  register_all();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
