#pragma once
// lwIP's TCP as a benchmark peer, behind plain classes so lwIP's headers and
// configuration macros stay in lwip_tcp_peer.cpp. Only built when
// NETSTEP_BENCH_WITH_LWIP is on (Debian: liblwip-dev, lwIP 2.1.3).
//
// How lwIP is driven (details in lwip_tcp_peer.cpp):
// - one thread, lwip_init() (never tcpip_init(): no tcpip thread, no mbox);
// - two IPv4-only netifs, 10.0.0.1 (client) and 10.0.0.2 (server), MTU 1500,
//   no Ethernet, no ARP. Each netif's `output` copies the IP packet into a
//   fresh pbuf and queues it for the other netif's `input` (ip4_input): the
//   in-memory wire. The bench loop delivers queued packets one at a time, so
//   lwIP is never re-entered from inside its own output path;
// - lwIP's timers run in virtual time: the bench calls tcp_tmr() (one call =
//   250 ms) only when the wire is idle and the transfer has not finished.
//   sys_now() in this build reads CLOCK_MONOTONIC and is never consulted.
//
// lwIP keeps global state (its PCB lists, netif list): use one of these
// objects at a time.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace netstep::bench {

// The lwIP build's configuration as compiled against its installed headers
// (lwipopts.h + opt.h), printed by the benchmark so a run records what it
// measured.
std::string lwip_tcp_configuration();

// One established connection 10.0.0.1:any -> 10.0.0.2:5001, kept across
// run() calls. The client writes with tcp_write(TCP_WRITE_FLAG_COPY) (lwIP
// copies the bytes and checksums them while copying) from a source buffer;
// the server copies every received pbuf chain out into a sink buffer (as
// recv() would) and tcp_recved()s it.
class LwipTcpBulk {
 public:
  // `buffer_bytes`: size of the source and sink buffers the application
  // side cycles through (both stay in cache for the default 1 MiB).
  explicit LwipTcpBulk(std::size_t buffer_bytes = std::size_t{1} << 20);
  ~LwipTcpBulk();
  LwipTcpBulk(const LwipTcpBulk&) = delete;
  LwipTcpBulk& operator=(const LwipTcpBulk&) = delete;

  // Pushes `bytes` client -> server and returns once the server application
  // has all of them; returns bytes/second over the call (wall clock).
  double run(std::uint64_t bytes);

  // Like run(), but the server also compares every received byte with the
  // byte sent at that stream offset; true if all `bytes` arrived intact.
  // For a check before timing, not for timing.
  bool verify(std::uint64_t bytes);

  struct Stats {
    std::uint64_t packets_client_to_server = 0;
    std::uint64_t packets_server_to_client = 0;
    std::uint64_t timer_ticks = 0;  // tcp_tmr() calls: wire idle, transfer unfinished
    std::uint64_t write_calls = 0;
  };
  [[nodiscard]] const Stats& stats() const;

  [[nodiscard]] const std::byte* source() const;
  [[nodiscard]] std::byte* sink();
  [[nodiscard]] std::size_t buffer_bytes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Sequential connection setup and graceful close between the same two
// netifs: for each connection the client tcp_connect()s to 10.0.0.2:5002,
// the server accepts, then the client tcp_close()s; the server closes when
// it reads the end of stream. Six packets per connection (SYN, SYN-ACK, ACK,
// FIN, FIN-ACK, ACK); the client's PCB is left in TIME-WAIT, as with any
// active closer.
class LwipTcpConnections {
 public:
  LwipTcpConnections();
  ~LwipTcpConnections();
  LwipTcpConnections(const LwipTcpConnections&) = delete;
  LwipTcpConnections& operator=(const LwipTcpConnections&) = delete;

  struct Result {
    std::size_t completed = 0;      // connections opened and closed
    double seconds = 0;             // wall clock of the whole run
    double per_second = 0;          // completed / seconds
    std::string failure;            // empty if all `count` completed
    std::size_t time_wait_pcbs = 0;  // lwIP's TIME-WAIT list length at the end
  };
  // Opens and closes `count` connections one after another, starting from
  // an empty TIME-WAIT list. Stops (and says why in `failure`) when lwIP
  // refuses a connection, e.g. when its 16,383 ephemeral ports are all held
  // by TIME-WAIT PCBs.
  Result run(std::size_t count);

  // Advances lwIP's virtual clock past 2*MSL (tcp_tmr() until the TIME-WAIT
  // list is empty, about 482 calls = 120 s of lwIP time), so the next run()
  // starts clean. Not part of any timing.
  void drain_time_wait();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Connections kept open and idle, for memory per connection: open(n)
// establishes n connections 10.0.0.1:any -> 10.0.0.2:5003 one after
// another (the server accepts each) and leaves both ends ESTABLISHED, with
// no data sent. The destructor aborts them. lwIP allocates each PCB with
// malloc in this build (MEMP_MEM_MALLOC=1), so the heap in use grows by what
// an idle connection costs.
class LwipTcpIdle {
 public:
  LwipTcpIdle();
  ~LwipTcpIdle();
  LwipTcpIdle(const LwipTcpIdle&) = delete;
  LwipTcpIdle& operator=(const LwipTcpIdle&) = delete;

  // Returns how many are open (both ends established); on failure fewer,
  // with the reason in `failure`.
  std::size_t open(std::size_t count, std::string& failure);
  // sizeof(struct tcp_pcb) in this build.
  [[nodiscard]] static std::size_t pcb_size();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace netstep::bench
