// lwIP's TCP as a benchmark peer. The only file that includes lwIP's TCP
// headers: its configuration macros (lwipopts.h, opt.h) stay in here.
//
// Driving lwIP 2.1.3 as Debian builds it (liblwip-dev, NO_SYS=0) from one
// thread:
//
// - lwip_init() instead of tcpip_init(). lwip_init() sets up memory, the
//   netif list and the protocol modules and registers lwIP's cyclic timers
//   (sys_timeouts_init), but starts no thread. With NO_SYS=0 every raw-API
//   call runs LWIP_ASSERT_CORE_LOCKED() -> sys_check_core_locking() from the
//   unix port inside liblwip.so; that check only fires once a tcpip thread
//   has been marked, which never happens here, so calling the raw API
//   directly from this thread is allowed and costs one compare per call.
//
// - Time. The library exports sys_now() from contrib/ports/unix, which reads
//   CLOCK_MONOTONIC (checked: it advances 100 ms over usleep(100 ms)), and
//   sys_check_timeouts(), which runs the timers whose real deadline passed.
//   Neither is used. TCP's own clocks are tick counters: tcp_tmr() runs
//   tcp_fasttmr() (delayed ACKs, refused data) on every call and
//   tcp_slowtmr() (retransmission, TIME-WAIT expiry, tcp_ticks++) on every
//   second one, and lwIP calls it every TCP_TMR_INTERVAL = 250 ms. So each
//   call of tcp_tmr() here is 250 ms of lwIP time, and lwIP time only moves
//   when the bench says so: when the wire is idle and the transfer is not
//   finished (in practice: the receiver is holding a delayed ACK for the last
//   odd segment). With the real clock and sys_check_timeouts() instead, each
//   such stall would cost up to 250 ms of wall-clock time, and the benchmark
//   would measure lwIP's timer period rather than its CPU cost.
//   (LWIP_TCP_TIMESTAMPS is 0 in this build, so TCP never reads sys_now().)
//
// - The wire. Two netifs without Ethernet or ARP: `output` (the IPv4 hook,
//   called by ip4_output_if with a finished IP packet, checksums included)
//   copies the packet into a new PBUF_RAM pbuf, as a NIC would into its ring
//   and as lwIP's own loopback netif does, and queues it for the other
//   netif. The bench loop pops one packet at a time and calls the receiving
//   netif's `input` (ip4_input), which verifies the checksums. Nothing is
//   delivered from inside lwIP's output path, so lwIP is never re-entered.
//   Copying is required, not a choice: TCP keeps the pbuf it hands to the
//   netif for retransmission, and the receiver would move its payload
//   pointer.
//
// - Routing. Both addresses are local to the one lwIP instance, so
//   ip4_route() would pick the destination's own netif and lwIP would loop
//   the packet back internally. Every PCB is therefore bound to its netif
//   with tcp_bind_netif(); the listener passes its binding on to the PCBs
//   it accepts (tcp_listen_input copies netif_idx), so the SYN-ACK leaves
//   through the server's netif too.
#include "lwip_tcp_peer.hpp"

#include <lwip/init.h>
#include <lwip/ip4.h>
#include <lwip/ip_addr.h>
#include <lwip/netif.h>
#include <lwip/opt.h>
#include <lwip/pbuf.h>
#include <lwip/priv/tcp_priv.h>
#include <lwip/tcp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <vector>

namespace netstep::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t client_address = 0x0a000001;  // 10.0.0.1
constexpr std::uint32_t server_address = 0x0a000002;  // 10.0.0.2
constexpr u16_t bulk_port = 5001;
constexpr u16_t connections_port = 5002;
constexpr u16_t wire_mtu = 1500;
// No forward progress after this many tcp_tmr() calls in a row (500 s of
// lwIP time): something is wrong, stop instead of spinning.
constexpr std::uint64_t max_idle_ticks = 2000;

void init_lwip_once() {
  static const bool done = [] {
    lwip_init();
    return true;
  }();
  (void)done;
}

ip_addr_t ipv4(std::uint32_t host_order) {
  ip_addr_t address{};
  ip_addr_set_ip4_u32_val(address, lwip_htonl(host_order));
  return address;
}

const char* err_name(err_t err) {
  switch (err) {
    case ERR_OK: return "ERR_OK";
    case ERR_MEM: return "ERR_MEM";
    case ERR_BUF: return "ERR_BUF";
    case ERR_TIMEOUT: return "ERR_TIMEOUT";
    case ERR_RTE: return "ERR_RTE";
    case ERR_INPROGRESS: return "ERR_INPROGRESS";
    case ERR_VAL: return "ERR_VAL";
    case ERR_WOULDBLOCK: return "ERR_WOULDBLOCK";
    case ERR_USE: return "ERR_USE";
    case ERR_ALREADY: return "ERR_ALREADY";
    case ERR_ISCONN: return "ERR_ISCONN";
    case ERR_CONN: return "ERR_CONN";
    case ERR_IF: return "ERR_IF";
    case ERR_ABRT: return "ERR_ABRT";
    case ERR_RST: return "ERR_RST";
    case ERR_CLSD: return "ERR_CLSD";
    case ERR_ARG: return "ERR_ARG";
    default: return "err_t?";
  }
}

[[noreturn]] void fail(const std::string& what, err_t err) {
  throw std::runtime_error{"lwIP peer: " + what + ": " + err_name(err)};
}

std::size_t list_length(const tcp_pcb* pcb) {
  std::size_t n = 0;
  for (; pcb != nullptr; pcb = pcb->next) ++n;
  return n;
}

// Two IPv4-only netifs and the in-memory wire between them.
class Wire {
 public:
  Wire() {
    init_lwip_once();
    add(client_, client_address, "nc");
    add(server_, server_address, "ns");
  }
  ~Wire() {
    drop_all();
    netif_remove(&client_);
    netif_remove(&server_);
  }
  Wire(const Wire&) = delete;
  Wire& operator=(const Wire&) = delete;

  netif* client() { return &client_; }
  netif* server() { return &server_; }
  [[nodiscard]] bool idle() const { return queue_.empty(); }

  // Delivers the oldest packet on the wire to its netif's input.
  void deliver_one() {
    const Packet packet = queue_.front();
    queue_.pop_front();
    // ip4_input takes the pbuf in every case (it frees what it drops).
    packet.to->input(packet.p, packet.to);
  }

  void drop_all() {
    for (const Packet& packet : queue_) pbuf_free(packet.p);
    queue_.clear();
  }

  std::uint64_t to_server = 0;
  std::uint64_t to_client = 0;

 private:
  struct Packet {
    pbuf* p;
    netif* to;
  };

  static err_t init_netif(netif* n) {
    n->mtu = wire_mtu;
    n->output = &Wire::output;
    n->flags = NETIF_FLAG_LINK_UP;  // no NETIF_FLAG_ETHARP / _ETHERNET / _BROADCAST
    return ERR_OK;
  }

  // netif->output: the finished IP packet leaves this netif. Copied, since
  // its sender keeps (TCP) or reuses the pbuf.
  static err_t output(netif* from, pbuf* p, const ip4_addr_t* /*next_hop*/) {
    Wire& wire = *static_cast<Wire*>(from->state);
    pbuf* copy = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_RAM);
    if (copy == nullptr) return ERR_MEM;
    if (const err_t err = pbuf_copy(copy, p); err != ERR_OK) {
      pbuf_free(copy);
      return err;
    }
    const bool to_server = from == &wire.client_;
    (to_server ? wire.to_server : wire.to_client) += 1;
    wire.queue_.push_back(Packet{copy, to_server ? &wire.server_ : &wire.client_});
    return ERR_OK;
  }

  void add(netif& n, std::uint32_t address, const char (&name)[3]) {
    ip_addr_t ip = ipv4(address);
    ip_addr_t mask = ipv4(0xffffff00);
    ip_addr_t gw = ipv4(0);
    if (netif_add(&n, ip_2_ip4(&ip), ip_2_ip4(&mask), ip_2_ip4(&gw), this, &Wire::init_netif, &ip4_input) ==
        nullptr) {
      throw std::runtime_error{"lwIP peer: netif_add failed"};
    }
    n.name[0] = name[0];
    n.name[1] = name[1];
    netif_set_up(&n);
    netif_set_link_up(&n);
  }

  netif client_{};
  netif server_{};
  std::deque<Packet> queue_;
};

}  // namespace

std::string lwip_tcp_configuration() {
  const auto v = [](long value) { return std::to_string(value); };
  return std::string{"lwIP "} + LWIP_VERSION_STRING + " (system liblwip), NO_SYS=" + v(NO_SYS) +
         ", driven single-threaded with lwip_init()\n" +
         "  TCP_MSS=" + v(TCP_MSS) + " TCP_WND=" + v(TCP_WND) + " LWIP_WND_SCALE=" + v(LWIP_WND_SCALE) +
         " TCP_RCV_SCALE=" + v(TCP_RCV_SCALE) + " TCP_SND_BUF=" + v(TCP_SND_BUF) +
         " TCP_SND_QUEUELEN=" + v(TCP_SND_QUEUELEN) + "\n" +
         "  TCP_OVERSIZE=" + v(TCP_OVERSIZE) + " TCP_QUEUE_OOSEQ=" + v(TCP_QUEUE_OOSEQ) +
         " LWIP_TCP_SACK_OUT=" + v(LWIP_TCP_SACK_OUT) + " LWIP_TCP_TIMESTAMPS=" + v(LWIP_TCP_TIMESTAMPS) +
         " TCP_MSL=" + v(TCP_MSL) + " ms\n" +
         "  MEM_LIBC_MALLOC=" + v(MEM_LIBC_MALLOC) + " MEMP_MEM_MALLOC=" + v(MEMP_MEM_MALLOC) +
         " (so MEM_SIZE=" + v(MEM_SIZE) + ", PBUF_POOL_SIZE=" + v(PBUF_POOL_SIZE) +
         ", MEMP_NUM_TCP_PCB=" + v(MEMP_NUM_TCP_PCB) + " do not limit: malloc)\n" +
         "  CHECKSUM_GEN_IP=" + v(CHECKSUM_GEN_IP) + " CHECKSUM_GEN_TCP=" + v(CHECKSUM_GEN_TCP) +
         " CHECKSUM_CHECK_IP=" + v(CHECKSUM_CHECK_IP) + " CHECKSUM_CHECK_TCP=" + v(CHECKSUM_CHECK_TCP) +
         " LWIP_CHECKSUM_ON_COPY=" + v(LWIP_CHECKSUM_ON_COPY) + "\n" +
         "  wire: IPv4 only (no Ethernet/ARP), MTU " + v(wire_mtu) +
         ", each packet copied; timers in virtual time (tcp_tmr)\n";
}

// ---------------------------------------------------------------- bulk ----

struct LwipTcpBulk::Impl {
  explicit Impl(std::size_t buffer_bytes) : source(buffer_bytes), sink(buffer_bytes) {
    if (buffer_bytes == 0) throw std::invalid_argument{"lwIP peer: empty buffer"};
    std::uint64_t x = 0x9e3779b97f4a7c15ull;
    for (auto& b : source) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      b = static_cast<std::byte>(x >> 56);
    }
    connect();
  }

  ~Impl() {
    // Abort sends a RST into the wire, which Wire's destructor drops.
    if (client != nullptr) {
      tcp_arg(client, nullptr);
      tcp_abort(client);
    }
    if (server != nullptr) {
      tcp_arg(server, nullptr);
      tcp_abort(server);
    }
    if (listener != nullptr) tcp_close(listener);
  }

  void connect() {
    tcp_pcb* listening = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (listening == nullptr) fail("tcp_new", ERR_MEM);
    tcp_bind_netif(listening, wire.server());
    const ip_addr_t server_ip = ipv4(server_address);
    if (const err_t err = tcp_bind(listening, &server_ip, bulk_port); err != ERR_OK) fail("tcp_bind", err);
    err_t err = ERR_OK;
    listener = tcp_listen_with_backlog_and_err(listening, TCP_DEFAULT_LISTEN_BACKLOG, &err);
    if (listener == nullptr) fail("tcp_listen", err);
    tcp_arg(listener, this);
    tcp_accept(listener, &Impl::on_accept);

    client = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (client == nullptr) fail("tcp_new", ERR_MEM);
    tcp_bind_netif(client, wire.client());
    tcp_arg(client, this);
    tcp_err(client, &Impl::on_client_error);
    tcp_sent(client, &Impl::on_sent);
    if (const err_t e = tcp_connect(client, &server_ip, bulk_port, &Impl::on_connected); e != ERR_OK) {
      fail("tcp_connect", e);
    }
    pump([this] { return connected && server != nullptr; });
  }

  // Runs the wire (and, when it is idle, lwIP's clock) until done() holds.
  template <typename Done>
  void pump(Done done) {
    std::uint64_t idle_ticks = 0;
    while (!done()) {
      if (failed != ERR_OK) fail("connection failed", failed);
      if (!wire.idle()) {
        wire.deliver_one();
        idle_ticks = 0;
        continue;
      }
      if (client != nullptr && connected) {
        fill();
        tcp_output(client);
        if (!wire.idle()) continue;
      }
      tcp_tmr();  // 250 ms of lwIP time
      ++stats.timer_ticks;
      if (++idle_ticks > max_idle_ticks) fail("no progress", ERR_TIMEOUT);
    }
  }

  // The client application: writes as much of what is left as lwIP takes.
  void fill() {
    while (written < write_target) {
      const u16_t room = tcp_sndbuf(client);
      if (room == 0) return;
      const std::size_t offset = static_cast<std::size_t>(written % source.size());
      const std::uint64_t left = write_target - written;
      const std::size_t n = std::min<std::size_t>({room, source.size() - offset, static_cast<std::size_t>(std::min<std::uint64_t>(left, 0xffff))});
      const err_t err = tcp_write(client, source.data() + offset, static_cast<u16_t>(n), TCP_WRITE_FLAG_COPY);
      if (err == ERR_MEM) return;  // TCP_SND_QUEUELEN segments queued: wait for ACKs
      if (err != ERR_OK) fail("tcp_write", err);
      ++stats.write_calls;
      written += n;
    }
  }

  double run(std::uint64_t bytes) {
    const auto start = Clock::now();
    write_target += bytes;
    receive_target += bytes;
    fill();
    tcp_output(client);
    pump([this] { return received >= receive_target; });
    const std::chrono::duration<double> seconds = Clock::now() - start;
    stats.packets_client_to_server = wire.to_server;
    stats.packets_server_to_client = wire.to_client;
    return static_cast<double>(bytes) / seconds.count();
  }

  // The server application: copies what arrives out of lwIP (as recv()
  // would) and reopens the window.
  void receive(pbuf* p) {
    for (const pbuf* q = p; q != nullptr; q = q->next) {
      const auto* data = static_cast<const std::byte*>(q->payload);
      std::size_t len = q->len;
      while (len > 0) {
        const std::size_t offset = static_cast<std::size_t>(received % sink.size());
        const std::size_t n = std::min(len, sink.size() - offset);
        std::memcpy(sink.data() + offset, data, n);
        if (verifying && std::memcmp(data, source.data() + offset, n) != 0) corrupt = true;
        data += n;
        len -= n;
        received += n;
      }
    }
    tcp_recved(server, p->tot_len);
    pbuf_free(p);
  }

  static err_t on_connected(void* arg, tcp_pcb* /*pcb*/, err_t err) {
    static_cast<Impl*>(arg)->connected = err == ERR_OK;
    return ERR_OK;
  }
  static err_t on_accept(void* arg, tcp_pcb* pcb, err_t err) {
    auto* self = static_cast<Impl*>(arg);
    if (err != ERR_OK || pcb == nullptr) return ERR_VAL;
    self->server = pcb;
    tcp_arg(pcb, self);
    tcp_recv(pcb, &Impl::on_receive);
    tcp_err(pcb, &Impl::on_server_error);
    return ERR_OK;
  }
  static err_t on_receive(void* arg, tcp_pcb* /*pcb*/, pbuf* p, err_t /*err*/) {
    auto* self = static_cast<Impl*>(arg);
    if (p == nullptr) return ERR_OK;  // end of stream: the client never closes here
    self->receive(p);
    return ERR_OK;
  }
  static err_t on_sent(void* arg, tcp_pcb* /*pcb*/, u16_t /*len*/) {
    static_cast<Impl*>(arg)->fill();  // tcp_input calls tcp_output afterwards
    return ERR_OK;
  }
  // lwIP has freed the PCB when it reports an error.
  static void on_client_error(void* arg, err_t err) {
    if (arg == nullptr) return;
    auto* self = static_cast<Impl*>(arg);
    self->client = nullptr;
    self->failed = err;
  }
  static void on_server_error(void* arg, err_t err) {
    if (arg == nullptr) return;
    auto* self = static_cast<Impl*>(arg);
    self->server = nullptr;
    self->failed = err;
  }

  Wire wire;
  std::vector<std::byte> source;
  std::vector<std::byte> sink;
  tcp_pcb* listener = nullptr;
  tcp_pcb* client = nullptr;
  tcp_pcb* server = nullptr;
  bool connected = false;
  bool verifying = false;
  bool corrupt = false;
  err_t failed = ERR_OK;
  std::uint64_t written = 0;  // stream bytes handed to tcp_write
  std::uint64_t write_target = 0;
  std::uint64_t received = 0;  // stream bytes copied out by the server
  std::uint64_t receive_target = 0;
  Stats stats;
};

LwipTcpBulk::LwipTcpBulk(std::size_t buffer_bytes) : impl_{std::make_unique<Impl>(buffer_bytes)} {}
LwipTcpBulk::~LwipTcpBulk() = default;
double LwipTcpBulk::run(std::uint64_t bytes) { return impl_->run(bytes); }
bool LwipTcpBulk::verify(std::uint64_t bytes) {
  impl_->verifying = true;
  impl_->corrupt = false;
  impl_->run(bytes);
  impl_->verifying = false;
  return !impl_->corrupt;
}
const LwipTcpBulk::Stats& LwipTcpBulk::stats() const { return impl_->stats; }
const std::byte* LwipTcpBulk::source() const { return impl_->source.data(); }
std::byte* LwipTcpBulk::sink() { return impl_->sink.data(); }
std::size_t LwipTcpBulk::buffer_bytes() const { return impl_->source.size(); }

// --------------------------------------------------------- connections ----

struct LwipTcpConnections::Impl {
  Impl() {
    tcp_pcb* listening = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (listening == nullptr) fail("tcp_new", ERR_MEM);
    tcp_bind_netif(listening, wire.server());
    const ip_addr_t server_ip = ipv4(server_address);
    if (const err_t err = tcp_bind(listening, &server_ip, connections_port); err != ERR_OK) fail("tcp_bind", err);
    err_t err = ERR_OK;
    listener = tcp_listen_with_backlog_and_err(listening, TCP_DEFAULT_LISTEN_BACKLOG, &err);
    if (listener == nullptr) fail("tcp_listen", err);
    tcp_arg(listener, this);
    tcp_accept(listener, &Impl::on_accept);
  }

  ~Impl() {
    drain_time_wait();
    if (listener != nullptr) tcp_close(listener);
  }

  // Runs the wire until it is idle (connection setup and close never need
  // a timer: every segment that must be answered is answered at once).
  void settle() {
    while (!wire.idle()) wire.deliver_one();
  }

  // One connection: open, establish, close both ends. Empty string on
  // success, else why it failed.
  std::string one() {
    tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == nullptr) return "tcp_new: out of memory";
    tcp_bind_netif(pcb, wire.client());
    tcp_arg(pcb, this);
    tcp_err(pcb, &Impl::on_client_error);
    connected = false;
    client_error = ERR_OK;
    const std::uint64_t closed_before = server_closed;
    const ip_addr_t server_ip = ipv4(server_address);
    if (const err_t err = tcp_connect(pcb, &server_ip, connections_port, &Impl::on_connected); err != ERR_OK) {
      tcp_abort(pcb);  // never registered: just freed
      return std::string{"tcp_connect: "} + err_name(err) +
             (err == ERR_BUF ? " (no free local port: lwIP's ephemeral range is 49152-65534, 16,383 ports, and"
                               " TIME-WAIT PCBs hold theirs for 2*MSL = 120 s)"
                             : "");
    }
    settle();  // SYN, SYN-ACK, ACK
    if (!connected) {
      if (client_error == ERR_OK) tcp_abort(pcb);  // else lwIP has freed it already
      return std::string{"connection not established: "} + err_name(client_error);
    }
    // The client application closes; lwIP keeps the PCB until TIME-WAIT
    // ends, the application lets go of it now.
    tcp_arg(pcb, nullptr);
    tcp_err(pcb, nullptr);
    tcp_recv(pcb, nullptr);
    if (const err_t err = tcp_close(pcb); err != ERR_OK) return std::string{"tcp_close: "} + err_name(err);
    settle();  // FIN, FIN-ACK (the server closes on end of stream), ACK
    if (server_closed != closed_before + 1) return "server did not see the close";
    return {};
  }

  LwipTcpConnections::Result run(std::size_t count) {
    drain_time_wait();
    Result result;
    const auto start = Clock::now();
    for (; result.completed < count; ++result.completed) {
      std::string failure = one();
      if (!failure.empty()) {
        result.failure = "connection " + std::to_string(result.completed + 1) + ": " + failure;
        break;
      }
    }
    const std::chrono::duration<double> seconds = Clock::now() - start;
    result.seconds = seconds.count();
    result.per_second = static_cast<double>(result.completed) / result.seconds;
    result.time_wait_pcbs = list_length(tcp_tw_pcbs);
    settle();
    return result;
  }

  void drain_time_wait() {
    settle();
    // 2*MSL = 120 s = 240 slow ticks = 480 tcp_tmr() calls, plus one tick.
    for (int ticks = 0; tcp_tw_pcbs != nullptr && ticks < 1000; ++ticks) {
      tcp_tmr();
      settle();
    }
    if (tcp_tw_pcbs != nullptr) throw std::runtime_error{"lwIP peer: TIME-WAIT PCBs outlived 2*MSL"};
  }

  static err_t on_connected(void* arg, tcp_pcb* /*pcb*/, err_t err) {
    static_cast<Impl*>(arg)->connected = err == ERR_OK;
    return ERR_OK;
  }
  static void on_client_error(void* arg, err_t err) {
    if (arg != nullptr) static_cast<Impl*>(arg)->client_error = err;
  }
  static err_t on_accept(void* arg, tcp_pcb* pcb, err_t err) {
    if (err != ERR_OK || pcb == nullptr) return ERR_VAL;
    tcp_arg(pcb, arg);
    tcp_recv(pcb, &Impl::on_server_receive);
    return ERR_OK;
  }
  // The server application: on end of stream it closes its side.
  static err_t on_server_receive(void* arg, tcp_pcb* pcb, pbuf* p, err_t /*err*/) {
    if (p != nullptr) {
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
      return ERR_OK;
    }
    tcp_arg(pcb, nullptr);
    tcp_recv(pcb, nullptr);
    if (tcp_close(pcb) != ERR_OK) {
      tcp_abort(pcb);
      return ERR_ABRT;
    }
    ++static_cast<Impl*>(arg)->server_closed;
    return ERR_OK;
  }

  Wire wire;
  tcp_pcb* listener = nullptr;
  bool connected = false;
  err_t client_error = ERR_OK;
  std::uint64_t server_closed = 0;
};

// ---------------------------------------------------------------- idle ----

struct LwipTcpIdle::Impl {
  Impl() {
    tcp_pcb* listening = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (listening == nullptr) fail("tcp_new", ERR_MEM);
    tcp_bind_netif(listening, wire.server());
    const ip_addr_t server_ip = ipv4(server_address);
    if (const err_t err = tcp_bind(listening, &server_ip, idle_port); err != ERR_OK) fail("tcp_bind", err);
    err_t err = ERR_OK;
    listener = tcp_listen_with_backlog_and_err(listening, TCP_DEFAULT_LISTEN_BACKLOG, &err);
    if (listener == nullptr) fail("tcp_listen", err);
    tcp_arg(listener, this);
    tcp_accept(listener, &Impl::on_accept);
    // Reserved now, so the harness's own lists do not count in a
    // measurement of open(): more than lwIP's 16,383 ephemeral ports.
    clients.reserve(16384);
    servers.reserve(16384);
  }

  ~Impl() {
    // Aborting sends RSTs into the wire, which its destructor drops.
    for (tcp_pcb* pcb : clients) abort_quietly(pcb);
    for (tcp_pcb* pcb : servers) abort_quietly(pcb);
    if (listener != nullptr) tcp_close(listener);
  }

  static void abort_quietly(tcp_pcb* pcb) {
    tcp_arg(pcb, nullptr);
    tcp_err(pcb, nullptr);
    tcp_abort(pcb);
  }

  void settle() {
    while (!wire.idle()) wire.deliver_one();
  }

  std::size_t open(std::size_t count, std::string& failure) {
    const ip_addr_t server_ip = ipv4(server_address);
    for (std::size_t i = 0; i < count; ++i) {
      tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
      if (pcb == nullptr) {
        failure = "tcp_new: out of memory";
        break;
      }
      tcp_bind_netif(pcb, wire.client());
      tcp_arg(pcb, this);
      connected = false;
      if (const err_t err = tcp_connect(pcb, &server_ip, idle_port, &Impl::on_connected); err != ERR_OK) {
        tcp_abort(pcb);
        failure = std::string{"tcp_connect: "} + err_name(err);
        break;
      }
      const std::size_t accepted = servers.size();
      settle();
      if (!connected || servers.size() != accepted + 1) {
        failure = "connection not established";
        break;
      }
      clients.push_back(pcb);
    }
    return clients.size();
  }

  static err_t on_connected(void* arg, tcp_pcb* /*pcb*/, err_t err) {
    static_cast<Impl*>(arg)->connected = err == ERR_OK;
    return ERR_OK;
  }
  static err_t on_accept(void* arg, tcp_pcb* pcb, err_t err) {
    if (err != ERR_OK || pcb == nullptr) return ERR_VAL;
    static_cast<Impl*>(arg)->servers.push_back(pcb);
    return ERR_OK;
  }

  static constexpr u16_t idle_port = 5003;
  Wire wire;
  tcp_pcb* listener = nullptr;
  bool connected = false;
  std::vector<tcp_pcb*> clients;
  std::vector<tcp_pcb*> servers;
};

LwipTcpIdle::LwipTcpIdle() : impl_{std::make_unique<Impl>()} {}
LwipTcpIdle::~LwipTcpIdle() = default;
std::size_t LwipTcpIdle::open(std::size_t count, std::string& failure) { return impl_->open(count, failure); }
std::size_t LwipTcpIdle::pcb_size() { return sizeof(tcp_pcb); }

LwipTcpConnections::LwipTcpConnections() : impl_{std::make_unique<Impl>()} {}
LwipTcpConnections::~LwipTcpConnections() = default;
LwipTcpConnections::Result LwipTcpConnections::run(std::size_t count) { return impl_->run(count); }
void LwipTcpConnections::drain_time_wait() { impl_->drain_time_wait(); }

}  // namespace netstep::bench
