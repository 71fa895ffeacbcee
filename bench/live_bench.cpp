// netstep on real wires, measured side by side with the Linux kernel and with
// the raw frame rates of the same paths, in one run (issue 6, Performance):
//
//   ceilings   pcap_inject of 1514-byte frames on a veth (frames/s, Gbit/s),
//              write() of 1514-byte frames to a TAP (frames/s, Gbit/s)
//   kernel     kernel-to-kernel bulk TCP over the same veth, offloads off
//   netstep    bulk TCP to a kernel discard receiver through drivers/pcap on
//              the veth, and through drivers/tap to the kernel behind the TAP
//              (bytes/s, frames/s, and frames/s as a fraction of the path's
//              ceiling: the goal is at least 0.5)
//   connect    netstep's connect over pcap vs the kernel's own connect on the
//              same veth to the same listener (medians, the goal: within 1 ms)
//
// Runs as root; makes its own network namespaces nsb-a and nsb-b (veth
// nsb-va in nsb-a, nsb-vb in nsb-b; TAP nsb-tap in nsb-a) and removes them at
// exit, on failure and on Ctrl-C. The kernel receivers are threads of this
// process that enter a namespace with setns(); netstep runs on the main
// thread, which lives in nsb-a. See README.md ("netstep-bench-live").
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <linux/tcp.h>  // struct tcp_info with tcpi_segs_out (glibc's lacks it)
#include <pcap/pcap.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "event/event_loop.hpp"
#include "host/host.hpp"
#include "live/live_error.hpp"
#include "live/live_loop.hpp"
#include "live/local_mac.hpp"
#include "live/wall_clock.hpp"
#include "pcap/pcap_device.hpp"
#include "tap/tap_device.hpp"
#include "tcp/tcp_layer.hpp"
#include "trace/trace_bus.hpp"

extern char** environ;

namespace netstep::bench {
namespace {

// --- what the run is made of ---------------------------------------------

constexpr const char* ns_a = "nsb-a";  // netstep (pcap and TAP), the kernel sender
constexpr const char* ns_b = "nsb-b";  // the kernel receivers on the veth
constexpr const char* veth_a = "nsb-va";
constexpr const char* veth_b = "nsb-vb";
constexpr const char* tap_name = "nsb-tap";
constexpr const char* kernel_b_ip = "10.97.0.1";        // nsb-vb, the receiver
constexpr const char* netstep_veth_ip = "10.97.0.2/24";  // netstep through libpcap on nsb-va
constexpr const char* kernel_a_ip = "10.97.0.3";        // nsb-va, the kernel sender / connecter
constexpr const char* tap_kernel_ip = "10.96.0.1";      // the kernel's side of the TAP
constexpr const char* netstep_tap_ip = "10.96.0.2/24";
constexpr std::uint16_t discard_port = 7900;  // bulk receivers (one per namespace)
constexpr std::uint16_t accept_port = 7902;   // accept-and-close, for connect latency
constexpr std::size_t frame_size = 1514;

struct Options {
  double seconds = 2.0;  // each timed window
  double warmup = 0.5;   // before each bulk window: slow start, buffers
  int connects = 200;    // connect latency: attempts per stack
  std::size_t sndbuf_kib = 0;  // netstep's send buffer for the bulk runs (0: netstep's default, 256 KiB)
  std::string rps;       // hex CPU mask for RPS on the kernel's receiving ends (empty: the kernel's default, none)
  std::string only;      // comma-separated: ceilings,kernel,pcap,tap,connect (empty: all)
  [[nodiscard]] bool wants(std::string_view part) const {
    if (only.empty()) return true;
    return ("," + only + ",").find("," + std::string{part} + ",") != std::string::npos;
  }
};

double now_s() { return static_cast<double>(live::monotonic_ns()) * 1e-9; }

// CPU time of the calling thread so far: user and system, in seconds.
std::pair<double, double> thread_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

// --- namespaces, made and removed ------------------------------------------

// The absolute path of `ip`, found once: the signal handler runs it with
// execve (async-signal-safe) and cannot search PATH.
char ip_path[256] = {};
std::atomic<bool> namespaces_made{false};

std::string find_in_path(const char* name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/sbin:/usr/bin:/sbin:/bin";
  dirs += ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return {};
}

// Runs a command, its output discarded; its exit status (-1 if it could not start).
int run_quiet(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void must(const std::vector<std::string>& args) {
  if (run_quiet(args) == 0) return;
  std::string text;
  for (const std::string& a : args) text += (text.empty() ? "" : " ") + a;
  throw std::runtime_error("setup command failed: " + text);
}

void remove_namespaces() {
  run_quiet({ip_path, "netns", "del", ns_a});
  run_quiet({ip_path, "netns", "del", ns_b});
}

// Ctrl-C / SIGTERM: remove the namespaces with fork+execve (async-signal-safe) and leave.
void on_signal(int) {
  if (namespaces_made.load()) {
    for (const char* ns : {ns_a, ns_b}) {
      const pid_t pid = fork();
      if (pid == 0) {
        const int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
          dup2(null, 1);
          dup2(null, 2);
        }
        char arg0[] = "ip";
        char arg1[] = "netns";
        char arg2[] = "del";
        char* argv[] = {arg0, arg1, arg2, const_cast<char*>(ns), nullptr};
        execve(ip_path, argv, environ);
        _exit(127);
      }
      if (pid > 0) waitpid(pid, nullptr, 0);
    }
  }
  constexpr char message[] = "\nnetstep-bench-live: interrupted; namespaces nsb-a and nsb-b removed\n";
  [[maybe_unused]] const auto n = write(2, message, sizeof message - 1);
  _exit(130);
}

class Namespaces {
 public:
  Namespaces() {
    remove_namespaces();  // leftovers of a run killed with SIGKILL
    namespaces_made = true;
    must({ip_path, "netns", "add", ns_a});
    must({ip_path, "netns", "add", ns_b});
    for (const char* ns : {ns_a, ns_b}) {
      must({ip_path, "-n", ns, "link", "set", "lo", "up"});
      // No IPv6 chatter (router solicitations, MLD) on the measured links.
      run_quiet({ip_path, "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                 "net.ipv6.conf.default.disable_ipv6=1"});
    }
    must({ip_path, "link", "add", veth_a, "netns", ns_a, "type", "veth", "peer", "name", veth_b, "netns", ns_b});
    must({ip_path, "-n", ns_a, "addr", "add", std::string{kernel_a_ip} + "/24", "dev", veth_a});
    must({ip_path, "-n", ns_b, "addr", "add", std::string{kernel_b_ip} + "/24", "dev", veth_b});
    // Offloads off on both ends: every frame on the veth is a real one of at
    // most 1514 bytes with its checksum filled in, as on a wire (and as
    // netstep's own frames are). `tx off` takes TSO with it; GSO and GRO
    // would otherwise still batch segments in software.
    for (const auto& [ns, dev] : {std::pair{ns_a, veth_a}, std::pair{ns_b, veth_b}}) {
      must({ip_path, "netns", "exec", ns, "ethtool", "-K", dev, "tx", "off"});
      run_quiet({ip_path, "netns", "exec", ns, "ethtool", "-K", dev, "gso", "off", "gro", "off", "tso", "off"});
      must({ip_path, "-n", ns, "link", "set", dev, "up"});
    }
  }
  ~Namespaces() {
    remove_namespaces();
    namespaces_made = false;
  }
  Namespaces(const Namespaces&) = delete;
  Namespaces& operator=(const Namespaces&) = delete;
};

// The calling thread moves into namespace `name` (network namespaces are per thread).
void enter_namespace(const char* name) {
  const std::string path = std::string{"/run/netns/"} + name;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  const int result = setns(fd, CLONE_NEWNET);
  const int error = errno;
  close(fd);
  if (result != 0) throw std::runtime_error(std::string{"setns into "} + name + " failed: " + std::strerror(error));
}

// --rps=MASK: Receive Packet Steering on the receiving end of a device, so
// the kernel's receive work for frames we send runs on the CPUs in MASK
// instead of inside our own send()/write() (the default: veth and TAP hand
// the frame to the receive path on the sending CPU).
std::string rps_mask;
void steer_receive(const char* ns, const char* dev) {
  if (rps_mask.empty()) return;
  must({ip_path, "netns", "exec", ns, "sh", "-c",
        "echo " + rps_mask + " > /sys/class/net/" + dev + "/queues/rx-0/rps_cpus"});
}

sockaddr_in socket_address(const char* ip, std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (ip != nullptr) inet_pton(AF_INET, ip, &address.sin_addr);
  return address;
}

// --- the kernel's side ------------------------------------------------------

// A kernel TCP server on its own thread in a namespace: discard (read every
// connection to its end, counting bytes) or accept-and-close (for connect
// latency). One connection at a time.
class KernelServer {
 public:
  KernelServer(const char* ns, std::uint16_t port, bool discard) : discard_{discard} {
    std::atomic<int> ready{0};  // 1 listening, -1 failed
    thread_ = std::thread{[this, ns, port, &ready] {
      try {
        enter_namespace(ns);
      } catch (const std::exception& e) {
        error_ = e.what();
        ready = -1;
        return;
      }
      listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      const int one = 1;
      setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      const sockaddr_in address = socket_address(nullptr, port);
      if (bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
          listen(listener_, 1024) != 0) {
        error_ = std::string{"kernel server: bind/listen: "} + std::strerror(errno);
        ready = -1;
        return;
      }
      ready = 1;
      serve();
    }};
    while (ready == 0) std::this_thread::yield();
    if (ready < 0) {
      thread_.join();
      throw std::runtime_error(error_);
    }
  }
  ~KernelServer() {
    stop_ = true;
    shutdown(listener_, SHUT_RDWR);  // wakes accept()
    const int c = connection_.load();
    if (c >= 0) shutdown(c, SHUT_RDWR);  // wakes read()
    thread_.join();
    close(listener_);
  }
  KernelServer(const KernelServer&) = delete;
  KernelServer& operator=(const KernelServer&) = delete;

  // Bytes read so far, over every connection.
  [[nodiscard]] std::uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  void serve() {
    std::vector<char> buffer(256 * 1024);
    while (!stop_) {
      const int c = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;
      }
      connection_ = c;
      if (discard_) {
        while (!stop_) {
          const ssize_t n = read(c, buffer.data(), buffer.size());
          if (n <= 0) break;
          bytes_.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
        }
      }
      connection_ = -1;
      close(c);
    }
  }

  bool discard_;
  std::thread thread_;
  int listener_ = -1;
  std::atomic<int> connection_{-1};
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> bytes_{0};
  std::string error_;
};

std::uint64_t segments_out(int fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return 0;
  return info.tcpi_segs_out;
}

// --- figures ----------------------------------------------------------------

struct Rate {
  double frames_per_s = 0;
  double bits_per_s = 0;  // of whole frames (ceilings) or of TCP payload (bulk)
  std::uint64_t failures = 0;
};

struct Bulk {
  bool ok = false;
  std::string problem;
  double payload_bits_per_s = 0;
  double frames_out_per_s = 0;
  double frames_in_per_s = 0;
  double wakeups_per_s = 0;
  std::uint64_t dropped = 0;
  double user_share = 0;    // of the window, netstep's thread ran its own code (and libc, libpcap)
  double system_share = 0;  // ... and was in the kernel (send/write, ppoll, reads; the receiver's softirq on this CPU)
  // What held the sender back each time the loop was about to sleep: the
  // peer's window, the congestion window, or neither (waiting on nothing
  // but the next frame); shares of those moments.
  double limited_by_peer_window = 0;
  double limited_by_cwnd = 0;
  double mean_snd_wnd = 0;
  double mean_cwnd = 0;
  bool kernel_sender = false;  // frames out are tcpi_segs_out; nothing counted coming in  // frames sent beyond what the payload needs (retransmissions, probes)
};

// A 1514-byte IPv4 frame to a MAC nobody has: the receiving kernel takes it
// off the wire and drops it at ip_rcv (PACKET_OTHERHOST), so the rate is the
// path's own (syscall, device, receive) and not a protocol's.
std::vector<std::byte> ceiling_frame() {
  std::vector<std::byte> frame(frame_size, std::byte{0x5a});
  const std::uint8_t header[] = {0x02, 0, 0, 0, 0, 0x99,  // destination: nobody
                                 0x02, 0, 0, 0, 0, 0x01,  // source
                                 0x08, 0x00,              // IPv4
                                 0x45, 0x00, 0x05, 0xdc};  // version/IHL, TOS, total length 1500
  for (std::size_t i = 0; i < sizeof header; ++i) frame[i] = std::byte{header[i]};
  return frame;
}

// Writes the same frame as fast as `write_one` takes it for `seconds`.
template <typename Write>
Rate frame_ceiling(double seconds, Write&& write_one) {
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
  const double start = now_s();
  double now = start;
  while (now - start < seconds) {
    for (int i = 0; i < 256; ++i) {
      if (write_one()) {
        ++sent;
      } else {
        ++failed;
      }
    }
    now = now_s();
  }
  const double elapsed = now - start;
  Rate rate;
  rate.frames_per_s = static_cast<double>(sent) / elapsed;
  rate.bits_per_s = rate.frames_per_s * static_cast<double>(frame_size) * 8;
  rate.failures = failed;
  return rate;
}

Rate pcap_inject_ceiling(double seconds) {
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* handle = pcap_create(veth_a, error);
  if (handle == nullptr) throw std::runtime_error(std::string{"pcap_create: "} + error);
  pcap_set_immediate_mode(handle, 1);
  if (pcap_activate(handle) < 0) {
    const std::string why = pcap_geterr(handle);
    pcap_close(handle);
    throw std::runtime_error("pcap_activate on " + std::string{veth_a} + ": " + why);
  }
  const std::vector<std::byte> frame = ceiling_frame();
  const Rate rate = frame_ceiling(seconds, [&] {
    return pcap_inject(handle, frame.data(), frame.size()) == static_cast<int>(frame.size());
  });
  pcap_close(handle);
  return rate;
}

Rate tap_write_ceiling(double seconds) {
  EventLoop loop;
  TraceBus bus{loop};
  live::TapConfig config;
  config.interface = tap_name;
  config.kernel_address = Ipv4Cidr::parse(std::string{tap_kernel_ip} + "/24");
  config.mac = live::local_mac_from_seed(1);
  config.host = "bench";
  live::TapDevice tap{bus, config};  // the project's own TAP set-up; the writes below are raw
  steer_receive(ns_a, tap_name);
  const int fd = tap.readable_fd();
  const std::vector<std::byte> frame = ceiling_frame();
  return frame_ceiling(seconds, [&] {
    return write(fd, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size());
  });
}

// Kernel to kernel over the veth: a sender thread in nsb-a, the discard
// server in nsb-b; goodput counted by the receiver over the timed window.
Bulk kernel_bulk(const Options& options, const KernelServer& receiver) {
  Bulk result;
  std::atomic<bool> stop{false};
  std::atomic<int> fd_shared{-1};
  std::string problem;
  std::thread sender{[&] {
    try {
      enter_namespace(ns_a);
    } catch (const std::exception& e) {
      problem = e.what();
      fd_shared = -2;
      return;
    }
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in to = socket_address(kernel_b_ip, discard_port);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
      problem = std::string{"kernel sender: connect: "} + std::strerror(errno);
      close(fd);
      fd_shared = -2;
      return;
    }
    fd_shared = fd;
    std::vector<char> data(256 * 1024, 'k');
    while (!stop) {
      if (write(fd, data.data(), data.size()) < 0 && errno != EINTR) break;
    }
    close(fd);
  }};
  while (fd_shared == -1) std::this_thread::yield();
  if (fd_shared == -2) {
    sender.join();
    result.problem = problem;
    return result;
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(options.warmup));
  const int fd = fd_shared;
  const std::uint64_t bytes0 = receiver.bytes();
  const std::uint64_t segs0 = segments_out(fd);
  const double t0 = now_s();
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  const std::uint64_t bytes1 = receiver.bytes();
  const std::uint64_t segs1 = segments_out(fd);
  const double t1 = now_s();
  stop = true;
  sender.join();
  result.ok = true;
  result.kernel_sender = true;
  result.payload_bits_per_s = static_cast<double>(bytes1 - bytes0) * 8 / (t1 - t0);
  result.frames_out_per_s = static_cast<double>(segs1 - segs0) / (t1 - t0);
  return result;
}

// --- netstep's side ---------------------------------------------------------

// One netstep host on a live device, in wall-clock mode, as `netstep
// connect --via` builds it (cli/live_wire.cpp), with no trace sink.
struct NetstepSide {
  EventLoop loop;
  TraceBus bus{loop};
  live::LiveLoop live{loop};
  std::unique_ptr<live::LiveDevice> device;
  std::unique_ptr<Host> host;

  NetstepSide(bool tap, std::uint64_t seed) {
    const MacAddress mac = live::local_mac_from_seed(seed);
    if (tap) {
      live::TapConfig config;
      config.interface = tap_name;
      config.kernel_address = Ipv4Cidr::parse(std::string{tap_kernel_ip} + "/24");
      config.mac = mac;
      config.host = "client";
      device = std::make_unique<live::TapDevice>(bus, config);
      steer_receive(ns_a, tap_name);
    } else {
      live::PcapConfig config;
      config.interface = veth_a;
      config.mac = mac;
      config.host = "client";
      device = std::make_unique<live::PcapDevice>(bus, config);
    }
    live.add_device(*device);
    HostConfig config;
    config.name = "client";
    config.seed = seed;
    host = std::make_unique<Host>(loop, bus, config);
    host->add_interface(*device, *Ipv4Cidr::parse(tap ? netstep_tap_ip : netstep_veth_ip));
  }
  ~NetstepSide() { host.reset(); }  // before the device it sends through
  NetstepSide(const NetstepSide&) = delete;
  NetstepSide& operator=(const NetstepSide&) = delete;

  // Runs the loop until `done` or `seconds` of wall-clock time have passed.
  live::StopReason run_for(double seconds, const std::function<bool()>& done) {
    const Instant deadline = live.now() + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
    return live.run(done, deadline);
  }

  // connect() and run until the handshake is decided; nullptr (and `why`) if it failed.
  tcp::Connection* open(Endpoint to, double timeout, std::string& why) {
    auto connected = host->tcp().connect(to);
    if (!connected) {
      why = "netstep connect() failed before any SYN";
      return nullptr;
    }
    tcp::Connection* c = connected.value();
    run_for(timeout, [&] { return c->state() != tcp::State::SynSent; });
    if (c->state() != tcp::State::Established && c->state() != tcp::State::CloseWait) {
      why = std::string{"netstep's connect ended in "} + std::string{tcp::to_string(c->state())};
      c->abort();
      host->tcp().release(*c);
      return nullptr;
    }
    return c;
  }
};

Bulk netstep_bulk(const Options& options, bool tap) {
  Bulk result;
  NetstepSide side{tap, tap ? std::uint64_t{2} : std::uint64_t{3}};
  if (options.sndbuf_kib > 0) {
    tcp::TcpConfig config = side.host->tcp().defaults();
    config.send_buffer = options.sndbuf_kib * 1024;
    side.host->tcp().set_defaults(config);
  }
  const Endpoint to{*Ipv4Address::parse(tap ? tap_kernel_ip : kernel_b_ip), Port{discard_port}};
  tcp::Connection* c = side.open(to, 3.0, result.problem);
  if (c == nullptr) return result;

  // The application: keeps the send buffer full from a 1 MiB source, as a
  // blocking send() loop would. No allocation here: send() copies into the
  // connection's ring.
  std::vector<std::byte> source(std::size_t{1} << 20);
  fill_pattern(source, 6);
  std::size_t offset = 0;
  std::uint64_t queued = 0;
  auto pump = [&] {
    while (true) {
      const std::size_t n = c->send(Bytes{source}.subspan(offset));
      if (n == 0) return;
      queued += n;
      offset = (offset + n) % source.size();
    }
  };
  std::uint64_t turns = 0;
  std::uint64_t peer_limited = 0;
  std::uint64_t cwnd_limited = 0;
  double snd_wnd_sum = 0;
  double cwnd_sum = 0;
  auto window = [&](double seconds) {
    const double end = now_s() + seconds;
    return side.run_for(seconds + 1.0, [&] {
      pump();
      const std::uint32_t in_flight = c->snd_max().value() - c->snd_una().value();
      const std::uint32_t room = c->segment_size();
      ++turns;
      if (in_flight + room > c->snd_wnd()) ++peer_limited;
      if (in_flight + room > c->congestion().cwnd()) ++cwnd_limited;
      snd_wnd_sum += c->snd_wnd();
      cwnd_sum += c->congestion().cwnd();
      return now_s() >= end || c->state() != tcp::State::Established;
    });
  };
  window(options.warmup);
  const std::uint64_t acked0 = queued - c->unacknowledged();
  const std::uint64_t out0 = side.device->frames_transmitted();
  const std::uint64_t in0 = side.device->frames_received();
  const std::uint64_t wake0 = side.live.wakeups();
  const auto cpu0 = thread_cpu_s();
  turns = peer_limited = cwnd_limited = 0;
  snd_wnd_sum = cwnd_sum = 0;
  const double t0 = now_s();
  const live::StopReason stop = window(options.seconds);
  const double t1 = now_s();
  const auto cpu1 = thread_cpu_s();
  result.user_share = (cpu1.first - cpu0.first) / (t1 - t0);
  const double n = static_cast<double>(std::max<std::uint64_t>(turns, 1));
  result.limited_by_peer_window = static_cast<double>(peer_limited) / n;
  result.limited_by_cwnd = static_cast<double>(cwnd_limited) / n;
  result.mean_snd_wnd = snd_wnd_sum / n;
  result.mean_cwnd = cwnd_sum / n;
  result.system_share = (cpu1.second - cpu0.second) / (t1 - t0);
  const std::uint64_t acked = queued - c->unacknowledged() - acked0;
  const std::uint64_t out = side.device->frames_transmitted() - out0;
  if (c->state() != tcp::State::Established || stop != live::StopReason::Done) {
    result.problem = std::string{"the connection ended in "} + std::string{tcp::to_string(c->state())} +
                     " (loop stop: " + live::to_string(stop) + ")";
  } else {
    result.ok = true;
  }
  const double elapsed = t1 - t0;
  result.payload_bits_per_s = static_cast<double>(acked) * 8 / elapsed;
  result.frames_out_per_s = static_cast<double>(out) / elapsed;
  result.frames_in_per_s = static_cast<double>(side.device->frames_received() - in0) / elapsed;
  result.wakeups_per_s = static_cast<double>(side.live.wakeups() - wake0) / elapsed;
  result.dropped = side.device->frames_dropped() + side.device->frames_dropped_below();
  c->abort();  // RST: the discard server goes back to accept()
  side.host->tcp().release(*c);
  side.run_for(0.01, [] { return false; });
  return result;
}

// --- connect latency --------------------------------------------------------

struct Latency {
  std::vector<double> netstep_us;
  std::vector<double> kernel_us;
  std::string problem;
};

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The kernel's connect() from nsb-a (this thread is in nsb-a) to the
// accept-and-close server; microseconds, or a negative number if it failed.
double kernel_connect_us() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval limit{};
  limit.tv_sec = 3;  // a lost SYN fails this attempt instead of waiting out Linux's two minutes
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  const sockaddr_in to = socket_address(kernel_b_ip, accept_port);
  const double t0 = now_s();
  const int result = connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  const double t1 = now_s();
  linger hard{};
  hard.l_onoff = 1;
  hard.l_linger = 0;  // RST on close, as netstep's abort(): no TIME-WAIT piles up
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  close(fd);
  return result == 0 ? (t1 - t0) * 1e6 : -1;
}

Latency connect_latency(const Options& options) {
  Latency result;
  NetstepSide side{false, 4};
  const Endpoint to{*Ipv4Address::parse(kernel_b_ip), Port{accept_port}};
  // One of each first: ARP (netstep's table and the kernel's neighbour
  // cache), page faults, the listener's first accept.
  for (int warm = 0; warm < 2; ++warm) {
    if (kernel_connect_us() < 0) {
      result.problem = "the kernel's warm-up connect failed";
      return result;
    }
    if (tcp::Connection* c = side.open(to, 3.0, result.problem)) {
      c->abort();
      side.host->tcp().release(*c);
    } else {
      return result;
    }
    side.run_for(0.002, [] { return false; });
  }
  // Interleaved, one of each per round, so load on the machine hits both alike.
  for (int i = 0; i < options.connects; ++i) {
    const double k = kernel_connect_us();
    if (k >= 0) result.kernel_us.push_back(k);
    side.run_for(0.001, [] { return false; });  // the kernel server's FIN/RST traffic settles
    const double t0 = now_s();
    auto connected = side.host->tcp().connect(to);
    if (!connected) continue;
    tcp::Connection* c = connected.value();
    side.run_for(3.0, [&] { return c->state() != tcp::State::SynSent; });
    const double t1 = now_s();
    if (c->state() == tcp::State::Established || c->state() == tcp::State::CloseWait) {
      result.netstep_us.push_back((t1 - t0) * 1e6);
    }
    c->abort();
    side.host->tcp().release(*c);
    side.run_for(0.001, [] { return false; });
  }
  return result;
}

// --- printing ---------------------------------------------------------------

void print_ratio(const char* what, double ratio, std::optional<double> goal) {
  if (!std::isfinite(ratio) || ratio <= 0) {
    std::printf("  %-52s    n/a (a part not measured)\n", what);
    return;
  }
  std::printf("  %-52s %6.3f", what, ratio);
  if (goal) std::printf("   (goal >= %.2f: %s)", *goal, ratio >= *goal ? "met" : "NOT MET");
  std::printf("\n");
}

void print_bulk(const char* what, const Bulk& b) {
  if (!b.ok && b.payload_bits_per_s == 0) {
    std::printf("%-44s FAILED: %s\n", what, b.problem.c_str());
    return;
  }
  std::printf("%-44s %7.3f Gbit/s (%7.1f MB/s) payload, %8.0f frames/s out", what, b.payload_bits_per_s / 1e9,
              b.payload_bits_per_s / 8e6, b.frames_out_per_s);
  if (!b.kernel_sender) {
    std::printf(", %7.0f in, %5.0f wakeups/s; thread %2.0f%% user %2.0f%% system", b.frames_in_per_s,
                b.wakeups_per_s, b.user_share * 100, b.system_share * 100);
    std::printf("\n%-44s before sleeping: peer's window full %3.0f%% (mean %.0f KiB), cwnd full %3.0f%% (mean %.0f KiB)",
                "", b.limited_by_peer_window * 100, b.mean_snd_wnd / 1024, b.limited_by_cwnd * 100,
                b.mean_cwnd / 1024);
  }
  if (b.dropped > 0) std::printf(", %llu dropped", static_cast<unsigned long long>(b.dropped));
  if (!b.ok) std::printf("  [%s]", b.problem.c_str());
  std::printf("\n");
}

int usage(const char* why) {
  std::fprintf(stderr,
               "netstep-bench-live: %s\nusage: netstep-bench-live [--seconds=S (2)] [--warmup=S (0.5)] "
               "[--connects=N (200)] "
               "[--only=ceilings,kernel,pcap,tap,connect] [--rps=MASK] [--sndbuf_kib=N]\n",
               why);
  return 2;
}

int run(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view prefix) -> std::optional<double> {
      if (!arg.starts_with(prefix)) return std::nullopt;
      char* end = nullptr;
      const std::string text{arg.substr(prefix.size())};
      const double v = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !(v > 0)) return -1.0;
      return v;
    };
    if (const auto v = value("--seconds=")) {
      if (*v <= 0) return usage("--seconds needs a positive number");
      options.seconds = *v;
    } else if (const auto w = value("--warmup=")) {
      if (*w <= 0) return usage("--warmup needs a positive number");
      options.warmup = *w;
    } else if (const auto n = value("--connects=")) {
      if (*n < 1) return usage("--connects needs a positive whole number");
      options.connects = static_cast<int>(*n);
    } else if (const auto k = value("--sndbuf_kib=")) {
      if (*k < 2) return usage("--sndbuf_kib needs a whole number of KiB, at least 2");
      options.sndbuf_kib = static_cast<std::size_t>(*k);
    } else if (arg.starts_with("--rps=")) {
      options.rps = std::string{arg.substr(6)};
      if (options.rps.empty() || options.rps.find_first_not_of("0123456789abcdefABCDEF,") != std::string::npos) {
        return usage("--rps needs a hex CPU mask, e.g. --rps=2 for CPU 1");
      }
    } else if (arg.starts_with("--only=")) {
      options.only = std::string{arg.substr(7)};
    } else if (arg == "--help" || arg == "-h") {
      return usage("measures netstep on a veth (libpcap) and a TAP against the kernel; needs root");
    } else {
      return usage(("unknown argument '" + std::string{arg} + "'").c_str());
    }
  }
  if (geteuid() != 0) {
    std::fprintf(stderr,
                 "netstep-bench-live: needs root (it creates network namespaces, a veth pair and a TAP device): "
                 "sudo %s\n",
                 argv[0]);
    return 2;
  }
  struct stat tun{};
  if (stat("/dev/net/tun", &tun) != 0 || !S_ISCHR(tun.st_mode)) {
    std::fprintf(stderr, "netstep-bench-live: /dev/net/tun does not exist: sudo modprobe tun (in a container: "
                         "--device /dev/net/tun)\n");
    return 2;
  }
  const std::string ip = find_in_path("ip");
  if (ip.empty() || ip.size() >= sizeof ip_path) {
    std::fprintf(stderr, "netstep-bench-live: needs iproute2's ip (apt-get install iproute2)\n");
    return 2;
  }
  std::memcpy(ip_path, ip.c_str(), ip.size() + 1);
  if (find_in_path("ethtool").empty()) {
    std::fprintf(stderr, "netstep-bench-live: needs ethtool to turn the veth's offloads off (apt-get install ethtool)\n");
    return 2;
  }
  struct sigaction action{};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a reset connection is an error to report, not a reason to die with the namespaces up

  Namespaces namespaces;
  rps_mask = options.rps;
  steer_receive(ns_b, veth_b);
  steer_receive(ns_a, veth_a);
  // Kernel receivers first (their threads enter their namespaces), then
  // this thread moves into nsb-a for good: netstep, the kernel sender's
  // connect latency and the ceilings all run from there.
  KernelServer veth_discard{ns_b, discard_port, true};
  KernelServer veth_accept{ns_b, accept_port, true};  // holds each connection until the client resets it
  KernelServer tap_discard{ns_a, discard_port, true};  // reached through the TAP (bound to any address)
  enter_namespace(ns_a);

  if (!options.rps.empty()) std::printf("RPS: the receiving ends steer to CPU mask %s\n", options.rps.c_str());
  std::printf("netstep-bench-live: %.1f s per measurement after %.1f s of warm-up; veth %s (%s) <-> %s (%s, %s), "
              "offloads off; TAP %s (kernel %s, netstep %s); %d connects each\n\n",
              options.seconds, options.warmup, veth_a, ns_a, veth_b, ns_b, kernel_b_ip, tap_name, tap_kernel_ip,
              netstep_tap_ip, options.connects);
  std::fflush(stdout);

  Rate inject;
  Rate tap_write;
  if (options.wants("ceilings")) {
    inject = pcap_inject_ceiling(options.seconds);
    std::printf("%-44s %8.0f frames/s (%5.2f Gbit/s)%s\n", "ceiling: pcap_inject 1514 B on the veth",
                inject.frames_per_s, inject.bits_per_s / 1e9, inject.failures > 0 ? " (some injections failed)" : "");
    std::fflush(stdout);
    tap_write = tap_write_ceiling(options.seconds);
    std::printf("%-44s %8.0f frames/s (%5.2f Gbit/s)%s\n", "ceiling: TAP write() 1514 B", tap_write.frames_per_s,
                tap_write.bits_per_s / 1e9, tap_write.failures > 0 ? " (some writes failed)" : "");
    std::fflush(stdout);
  }
  Bulk kernel;
  Bulk via_pcap;
  Bulk via_tap;
  kernel.ok = via_pcap.ok = via_tap.ok = true;  // a part not asked for did not fail
  if (options.wants("kernel")) {
    kernel = kernel_bulk(options, veth_discard);
    print_bulk("kernel -> kernel TCP over the veth", kernel);
    std::fflush(stdout);
  }
  if (options.wants("pcap")) {
    via_pcap = netstep_bulk(options, false);
    print_bulk("netstep -> kernel TCP, drivers/pcap on veth", via_pcap);
    std::fflush(stdout);
  }
  if (options.wants("tap")) {
    via_tap = netstep_bulk(options, true);
    print_bulk("netstep -> kernel TCP, drivers/tap", via_tap);
    std::fflush(stdout);
  }
  Latency latency;
  if (options.wants("connect")) {
    latency = connect_latency(options);
    if (!latency.problem.empty()) std::printf("connect latency: FAILED: %s\n", latency.problem.c_str());
    std::printf("%-44s netstep %7.1f us (p90 %7.1f, %zu of %d), kernel %7.1f us (p90 %7.1f, %zu of %d)\n",
                "connect latency over the veth, median", median(latency.netstep_us),
                percentile(latency.netstep_us, 0.9), latency.netstep_us.size(), options.connects,
                median(latency.kernel_us), percentile(latency.kernel_us, 0.9), latency.kernel_us.size(),
                options.connects);
  }
  const double netstep_median = median(latency.netstep_us);
  const double kernel_median = median(latency.kernel_us);

  std::printf("\nratios (same run)\n");
  print_ratio("netstep pcap frames/s / pcap_inject frames/s", via_pcap.frames_out_per_s / inject.frames_per_s, 0.5);
  print_ratio("netstep TAP frames/s / TAP write frames/s", via_tap.frames_out_per_s / tap_write.frames_per_s, 0.5);
  print_ratio("netstep pcap payload / kernel-to-kernel payload", via_pcap.payload_bits_per_s / kernel.payload_bits_per_s,
              std::nullopt);
  print_ratio("netstep TAP payload / kernel-to-kernel payload", via_tap.payload_bits_per_s / kernel.payload_bits_per_s,
              std::nullopt);
  print_ratio("kernel-to-kernel frames/s / pcap_inject frames/s", kernel.frames_out_per_s / inject.frames_per_s,
              std::nullopt);
  const double difference = netstep_median - kernel_median;
  if (std::isfinite(difference)) {
    std::printf("  %-52s %+6.1f us   (goal <= 1000 us: %s)\n", "netstep connect median - kernel connect median",
                difference, difference <= 1000 ? "met" : "NOT MET");
  } else {
    std::printf("  %-52s    n/a (a part not measured)\n", "netstep connect median - kernel connect median");
  }
  const bool complete = kernel.ok && via_pcap.ok && via_tap.ok && latency.problem.empty() &&
                        (!options.wants("connect") || (!latency.netstep_us.empty() && !latency.kernel_us.empty()));
  return complete ? 0 : 1;
}

}  // namespace
}  // namespace netstep::bench

int main(int argc, char** argv) {
  try {
    return netstep::bench::run(argc, argv);
  } catch (const netstep::live::LiveError& e) {
    std::fprintf(stderr, "netstep-bench-live: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "netstep-bench-live: %s\n", e.what());
    return 1;
  }
}
