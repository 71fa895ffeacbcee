// TCP over an in-memory wire, side by side in the same run:
//
//   tcp/bulk/{netstep,lwip,memcpy}
//       --bulk_mib (default 64) MiB client -> server per iteration over one
//       established connection, MSS 1460, checksums generated and checked;
//       bytes/second. memcpy: the same bytes copied from the source buffer to
//       the sink buffer, the ratio baseline (the least any stack does is
//       copy each byte in and out once).
//   tcp/bulk/netstep+recorder
//       the netstep bulk case with a Recorder attached to the trace bus (every
//       event kept, with a copy of every frame); --traced_mib (default 16)
//       MiB per iteration, the recording cleared at the start of each.
//       RatioReporter prints it as a fraction of the untraced rate.
//   tcp/connections/N/{netstep,lwip}
//       N sequential connection setups and graceful closes (client connects,
//       server accepts, client closes, server closes on end of stream), one
//       process, starting with no TIME-WAIT connections; connections/second.
//       The name puts N before the peer so RatioReporter pairs the peers
//       (it takes the last path component as the peer).
//   tcp/idle_memory/{netstep,lwip}
//       heap bytes per idle ESTABLISHED connection: the growth of the C
//       heap in use (glibc mallinfo2: uordblks + hblkhd) while N = 10,000
//       connections are opened and kept, divided by 2N (each connection has
//       two ends in this process). No data is sent, so no send or receive
//       ring is allocated: buffers are excluded by construction.
//
// Only built with the lwIP peer (see CMakeLists.txt).
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <chrono>
#include <cstdio>
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
#include "sinks/recorder.hpp"
#include "tcp/tcp_layer.hpp"

namespace netstep::bench {
namespace {

std::uint64_t bulk_bytes = std::uint64_t{64} << 20;
// Per iteration with a recorder attached: it keeps about 4 KiB of events
// and frame copies per 1460-byte segment, so 16 MiB records about 50 MB.
std::uint64_t traced_bytes = std::uint64_t{16} << 20;
// Idle connections held open for the memory figure (lwIP's ephemeral range
// has 16,383 ports).
constexpr std::size_t idle_connections = 10000;
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
  // Before timing, after verify(): bring storage that grows with a run to
  // its size for an iteration of `bytes` (the recorder's).
  virtual void warm_up(std::uint64_t /*bytes*/) {}
  // Just before the timed iterations: counters start here.
  virtual void start_counting() {}
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

void register_bulk(const std::string& peer, BulkFactory factory, const std::uint64_t* bytes = &bulk_bytes) {
  benchmark::RegisterBenchmark(("tcp/bulk/" + peer).c_str(), [factory, bytes](benchmark::State& state) {
    const std::unique_ptr<BulkSession> session = factory();
    if (!session->verify(4 * app_buffer_bytes + 12345)) {
      state.SkipWithError("transfer arrived corrupted");
      return;
    }
    session->warm_up(*bytes);
    session->start_counting();
    for (auto _ : state) session->transfer(*bytes);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(*bytes));
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
// Memory per idle connection: what the C heap holds more after `open`.

// Bytes allocated from the C heap and not freed (glibc: the main arena's
// chunks in use plus mmapped ones). Single-threaded, so the main arena is all.
std::size_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// Registers tcp/idle_memory/<peer>. `open(n, failure)` opens n idle
// connections (both ends in this process) and returns how many it opened;
// `extra` adds peer-specific counters.
using IdleOpener = std::function<std::size_t(std::size_t, std::string&)>;
using IdleFactory = std::function<std::pair<IdleOpener, std::function<void(benchmark::State&)>>()>;

void register_idle_memory(const std::string& peer, IdleFactory factory) {
  benchmark::RegisterBenchmark(("tcp/idle_memory/" + peer).c_str(), [factory](benchmark::State& state) {
    for (auto _ : state) {
      state.PauseTiming();
      auto [open, extra] = factory();
      std::string failure;
      malloc_trim(0);
      const std::size_t before = heap_in_use();
      state.ResumeTiming();
      const std::size_t opened = open(idle_connections, failure);
      state.PauseTiming();
      const std::size_t after = heap_in_use();
      if (!failure.empty() || opened != idle_connections) {
        state.SkipWithError(("opened " + std::to_string(opened) + ": " + failure).c_str());
        break;
      }
      const double ends = 2.0 * static_cast<double>(opened);
      state.counters["connections"] = static_cast<double>(opened);
      state.counters["heap_B_per_conn"] = static_cast<double>(after - before) / ends;
      extra(state);
      state.ResumeTiming();
    }
  })->Iterations(1)->Unit(benchmark::kMillisecond);
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
  register_idle_memory("lwip", [] {
    auto idle = std::make_shared<LwipTcpIdle>();
    return std::pair{IdleOpener{[idle](std::size_t n, std::string& failure) { return idle->open(n, failure); }},
                     std::function<void(benchmark::State&)>{[](benchmark::State& state) {
                       state.counters["sizeof_pcb"] = static_cast<double>(LwipTcpIdle::pcb_size());
                     }}};
  });
}

// ----------------------------------------------------------------------------
// netstep: two hosts, 10.0.0.1 and 10.0.0.2, each a full stack (Ethernet,
// ARP, IPv4, TCP), joined by a zero-delay cable that copies each frame, in
// virtual time with no trace sink. Compared with lwIP's bare-IP wire this
// carries one more layer (Ethernet, and ARP once). Windows and buffers are
// 64 KiB like lwIP's TCP_WND and TCP_SND_BUF; MSS 1460; checksums computed
// and verified on every segment.

// The in-memory wire, the same as lwIP's side: one FIFO of frames for both
// directions, in sending order, emptied by the benchmark loop (settle()),
// which hands each frame to the receiving end's driver entry point
// (Device::deliver), as a live driver does with what its NIC received. The
// event loop runs the stack's timers (and its own zero-delay clean-ups),
// not the deliveries. Each frame is copied once, into a buffer of the FIFO
// (as a NIC copies into its receive ring, and as lwIP's side copies each
// packet into a new pbuf); the buffers are reused, so once warm the wire
// allocates nothing per frame.
//
// --netstep_wire=events instead posts one zero-delay loop event per frame
// that delivers it (what drivers/sim's cables do, with their delays and
// impairments): the cost of the event loop per frame, for comparison.
bool wire_events = false;
// --netstep_options=lwip|default: the bulk case's TCP options (NetstepPair).
bool bulk_like_lwip = true;

class BenchWire {
 public:
  class End final : public Device {
   public:
    End(BenchWire& wire, MacAddress mac) : wire_{wire}, mac_{mac} {}
    void plug(End& peer) { peer_ = &peer; }
    std::string_view name() const override { return "cable"; }
    MacAddress mac() const override { return mac_; }
    std::size_t mtu() const override { return default_mtu; }
    void transmit(Bytes frame) override {
      ++frames_sent;
      wire_.enqueue(*peer_, frame);
    }
    std::uint64_t frames_sent = 0;  // from this end

   private:
    friend class BenchWire;
    BenchWire& wire_;
    MacAddress mac_;
    End* peer_ = nullptr;
  };

  explicit BenchWire(EventLoop& loop) : loop_{loop} {}
  [[nodiscard]] bool empty() const { return queued_ == 0; }

  // Hands the oldest frame to its end; false if there was none.
  bool deliver_one() {
    if (queued_ == 0) return false;
    // Taken off the FIFO first: an answer sent from inside deliver() goes to
    // its back, and this buffer is reused only after a full lap.
    Frame& frame = ring_[front_];
    front_ = (front_ + 1) % ring_.size();
    --queued_;
    frame.to->deliver(Bytes{frame.bytes});
    return true;
  }

 private:
  struct Frame {
    End* to = nullptr;
    std::vector<std::byte> bytes;
  };
  void enqueue(End& to, Bytes bytes) {
    if (queued_ == ring_.size()) {
      // Full: grow, oldest frame first (moving a vector keeps its buffer).
      std::vector<Frame> grown(std::max<std::size_t>(64, 2 * ring_.size()));
      for (std::size_t i = 0; i < queued_; ++i) grown[i] = std::move(ring_[(front_ + i) % ring_.size()]);
      ring_ = std::move(grown);
      front_ = 0;
    }
    Frame& frame = ring_[(front_ + queued_) % ring_.size()];
    frame.to = &to;
    frame.bytes.assign(bytes.begin(), bytes.end());  // reuses the buffer's capacity
    ++queued_;
    if (wire_events) loop_.post_after(Duration::zero(), [this] { deliver_one(); });
  }

  EventLoop& loop_;
  std::vector<Frame> ring_;  // FIFO of frames on the wire
  std::size_t front_ = 0;
  std::size_t queued_ = 0;
};

struct NetstepPair {
  // `like_lwip`: TCP options as in the lwIP build measured beside it
  // (LWIP_TCP_TIMESTAMPS 0, LWIP_TCP_SACK_OUT 0), so both send 1460-byte
  // segments with a bare 20-byte header. Otherwise netstep's defaults
  // (timestamps and SACK offered: 1448-byte payloads, 12 option bytes each).
  explicit NetstepPair(bool like_lwip = false) {
    a.plug(b);
    b.plug(a);
    tcp::TcpConfig config;
    config.send_buffer = 65535;
    config.receive_buffer = 65535;
    if (like_lwip) {
      config.timestamps = false;
      config.sack = false;
    }
    client.tcp().set_defaults(config);
    server.tcp().set_defaults(config);
    client.add_interface(a, *Ipv4Cidr::parse("10.0.0.1/24"));
    server.add_interface(b, *Ipv4Cidr::parse("10.0.0.2/24"));
  }
  // Delivers every frame on the wire and runs every loop event due now,
  // until neither is left; never jumps the clock, so the retransmission
  // timers never fire on a lossless wire.
  void settle() {
    for (;;) {
      while (wire.deliver_one()) {
      }
      if (loop.run_until(loop.now()) == 0 && wire.empty()) return;
    }
  }

  EventLoop loop;
  TraceBus bus{loop};
  BenchWire wire{loop};
  BenchWire::End a{wire, MacAddress::local(1)};
  BenchWire::End b{wire, MacAddress::local(2)};
  Host client{loop, bus, HostConfig{"client", {}, {}, 1}};
  Host server{loop, bus, HostConfig{"server", {}, {}, 2}};
};

const Endpoint bench_server{Ipv4Address{10, 0, 0, 2}, Port{5001}};

class NetstepBulk final : public BulkSession {
 public:
  // With `traced`, a Recorder listens to the whole run (attached before the
  // handshake) and is cleared at the start of each transfer.
  explicit NetstepBulk(bool traced = false)
      : source_{app_buffer_bytes}, sink_{app_buffer_bytes}, net_{bulk_like_lwip} {
    fill_pattern({source_.data(), source_.size()}, 1);
    if (traced) {
      recorder_ = std::make_unique<Recorder>();
      net_.bus.attach(*recorder_);
    }
    tcp::Listener& listener = net_.server.tcp().listen(bench_server, 4);
    auto connected = net_.client.tcp().connect(bench_server);
    if (!connected) throw std::runtime_error("netstep bench: connect failed");
    sender_ = *connected;
    net_.settle();  // ARP, SYN, SYN-ACK, ACK
    receiver_ = listener.accept();
    if (receiver_ == nullptr || sender_->state() != tcp::State::Established) {
      throw std::runtime_error("netstep bench: handshake did not complete");
    }
  }
  ~NetstepBulk() override {
    if (recorder_) net_.bus.detach(*recorder_);
  }
  void transfer(std::uint64_t bytes) override {
    if (recorder_) recorder_->clear();
    pump(bytes, nullptr);
  }
  bool verify(std::uint64_t bytes) override {
    bool intact = true;
    pump(bytes, &intact);
    return intact;
  }
  // A recorder cleared between runs keeps its storage: one untimed
  // iteration first, so the timed ones record into storage already there
  // (as a recorder reused run after run does) rather than paying the first
  // run's page faults and vector growth again on every new session.
  void warm_up(std::uint64_t bytes) override {
    if (recorder_) transfer(bytes);
  }
  void add_counters(benchmark::State& state) override {
    const double n = static_cast<double>(state.iterations());
    if (n == 0) return;
    // Frames each way per iteration, as the lwIP peer counts its packets.
    state.counters["segs"] = static_cast<double>(net_.a.frames_sent - start_a_) / n;
    state.counters["acks"] = static_cast<double>(net_.b.frames_sent - start_b_) / n;
    if (recorder_) state.counters["events"] = static_cast<double>(recorder_->events().size());  // in the last iteration
  }
  void start_counting() override {
    start_a_ = net_.a.frames_sent;
    start_b_ = net_.b.frames_sent;
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
  std::unique_ptr<Recorder> recorder_;  // declared before net_: outlives the hosts' last events
  NetstepPair net_;
  tcp::Connection* sender_ = nullptr;
  tcp::Connection* receiver_ = nullptr;
  std::uint64_t start_a_ = 0;
  std::uint64_t start_b_ = 0;
};

constexpr Duration connection_pace = 100us;

class NetstepConnections final : public ConnectionsSession {
 public:
  // The client may take a four-tuple over from TIME-WAIT (Linux's
  // tcp_tw_reuse = 1; the default, 2, allows it towards loopback only), or
  // 100,000 connections would run out of the 28,232 ephemeral ports as they
  // do on Linux and in lwIP.
  NetstepConnections() : listener_{&net_.server.tcp().listen(bench_server, 64)} {
    tcp::TcpConfig config = net_.client.tcp().defaults();
    config.time_wait_reuse = tcp::TimeWaitReuse::Always;
    net_.client.tcp().set_defaults(config);
  }

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
      // The wire takes no time, so give each connection 100 us of virtual
      // time, about a LAN's round trip: timestamps then move on as they
      // would, and a port comes round again (after 28,232 connections,
      // 2.8 s) with the second boundary behind it that reuse requires.
      net_.loop.run_until(net_.loop.now() + connection_pace);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    completed_ += result.completed;
    return result;
  }
  // TIME-WAIT lasts 60 s of virtual time: let it pass.
  void reset() override { net_.loop.run_until(net_.loop.now() + 61s); }
  void add_counters(benchmark::State& state) override {
    if (completed_ == 0) return;
    state.counters["frames_per_conn"] =
        static_cast<double>(net_.a.frames_sent + net_.b.frames_sent) / static_cast<double>(completed_);
  }

 private:
  NetstepPair net_;
  tcp::Listener* listener_;
  std::size_t completed_ = 0;
};

// Idle connections for the memory figure: each opened, accepted and kept
// ESTABLISHED (held by this object), with no data sent.
class NetstepIdle {
 public:
  NetstepIdle() : listener_{&net_.server.tcp().listen(Endpoint{bench_server.address, Port{5003}}, 64)} {
    // Reserved now, so the harness's own lists do not count in a measurement.
    clients_.reserve(idle_connections);
    servers_.reserve(idle_connections);
  }
  std::size_t open(std::size_t count, std::string& failure) {
    for (std::size_t i = 0; i < count; ++i) {
      auto connected = net_.client.tcp().connect(listener_->local());
      if (!connected) {
        failure = "connect: " + std::string{tcp::to_string(connected.error())};
        break;
      }
      net_.settle();
      tcp::Connection* server = listener_->accept();
      if (server == nullptr || (*connected)->state() != tcp::State::Established) {
        failure = "not established";
        break;
      }
      clients_.push_back(*connected);
      servers_.push_back(server);
    }
    return clients_.size();
  }

 private:
  NetstepPair net_;
  tcp::Listener* listener_;
  std::vector<tcp::Connection*> clients_;
  std::vector<tcp::Connection*> servers_;
};

void register_netstep() {
  register_bulk("netstep", [] { return std::make_unique<NetstepBulk>(); });
  register_bulk("netstep+recorder", [] { return std::make_unique<NetstepBulk>(/*traced=*/true); }, &traced_bytes);
  register_connections("netstep", [] { return std::make_unique<NetstepConnections>(); });
  register_idle_memory("netstep", [] {
    auto idle = std::make_shared<NetstepIdle>();
    return std::pair{IdleOpener{[idle](std::size_t n, std::string& failure) { return idle->open(n, failure); }},
                     std::function<void(benchmark::State&)>{[](benchmark::State& state) {
                       state.counters["sizeof_conn"] = static_cast<double>(sizeof(tcp::Connection));
                     }}};
  });
}

void register_all() {
  register_netstep();
  register_lwip();
  register_bulk("memcpy", [] { return std::make_unique<MemcpyBulk>(); });
}

// --bulk_mib=N: MiB per bulk iteration (default 64); --traced_mib=N: the
// same with a recorder attached (default 16); --netstep_wire=fifo|events
// (default fifo): how netstep's wire delivers frames (see BenchWire);
// --netstep_options=lwip|default (default lwip): the bulk case's TCP
// options (see NetstepPair).
void take_tcp_flags(int* argc, char** argv) {
  strip_flags(argc, argv, [](std::string_view arg) {
    if (const auto mib = flag_number(arg, "--bulk_mib=")) {
      bulk_bytes = *mib << 20;
    } else if (const auto traced = flag_number(arg, "--traced_mib=")) {
      traced_bytes = *traced << 20;
    } else if (arg == "--netstep_options=lwip" || arg == "--netstep_options=default") {
      bulk_like_lwip = arg.ends_with("lwip");
    } else if (arg == "--netstep_wire=events" || arg == "--netstep_wire=fifo") {
      wire_events = arg.ends_with("events");
    } else {
      return false;
    }
    return true;
  });
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
  if (bulk_bytes == 0 || traced_bytes == 0) {
    std::fprintf(stderr, "--bulk_mib and --traced_mib must be at least 1\n");
    return 2;
  }
  std::printf("bulk: %llu MiB per iteration (%llu MiB with a recorder); application buffers %zu KiB\n"
              "netstep wire: %s\nnetstep bulk options: %s\n%s",
              static_cast<unsigned long long>(bulk_bytes >> 20), static_cast<unsigned long long>(traced_bytes >> 20),
              app_buffer_bytes >> 10,
              wire_events ? "one zero-delay loop event per frame (--netstep_wire=events)"
                          : "FIFO emptied by the benchmark loop, as lwIP's (--netstep_wire=fifo)",
              bulk_like_lwip ? "as lwIP's: no timestamps, no SACK (--netstep_options=lwip)"
                             : "netstep's defaults: timestamps and SACK (--netstep_options=default)",
              lwip_tcp_configuration().c_str());
  register_all();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
