#pragma once
// run-all.sh's namespaces, rebuilt on netstep's default topology, with the
// client's socket API (linux personality) and a recorder of what the client
// puts on its wire, as tcpdump on cli0 records the kernel's.
//
//   kernel (run-all.sh)                        netstep (DefaultTopology)
//   cm-cli 198.51.100.2                        client 10.0.0.1
//   cm-rtr 198.51.100.1 / 203.0.113.1          router 10.0.0.254 / 10.0.1.254
//   cm-srv 203.0.113.2, behind the router      remote 10.0.1.2, behind the router
//   203.0.113.N (silent host, router targets)  10.0.1.N
//   198.51.100.N on the client's link          10.0.0.N (broadcast .127 -> 10.0.0.255)
//   cm-cli's special routes 198.51.100.129-131 the same addresses, on the client
//   192.0.2.1 (no route at the router)         192.0.2.1 (the router has none either)
//
// The constructor builds what run-all.sh's setup() builds; where that uses
// nftables on the router or the server, a frame rule on the client's cable
// has the same effect on what the client sees (the ICMP errors come from
// the router's address); route types (unreachable, prohibit, blackhole) are
// the router's own routes, as in the kernel set-up. The timing of the
// cables differs (a LAN cable 50 us, the router's WAN link 1 ms; veth pairs
// take microseconds): far below what the comparison can see.
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/port.hpp"
#include "event/event_loop.hpp"
#include "event/task.hpp"
#include "kernel_settings.hpp"
#include "probe_record.hpp"
#include "sim/frame_rule.hpp"
#include "socket/socket_api.hpp"
#include "topology/default_topology.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::interop {

namespace lab {
inline constexpr Ipv4Address router{10, 0, 0, 254};
inline constexpr Ipv4Address server{10, 0, 1, 2};  // 203.0.113.2
// 203.0.113.N of run-all.sh (behind the router) is 10.0.1.N here.
[[nodiscard]] constexpr Ipv4Address behind_router(std::uint8_t n) { return Ipv4Address{10, 0, 1, n}; }
// 198.51.100.N (N < 128, on the client's link) is 10.0.0.N here.
[[nodiscard]] constexpr Ipv4Address on_client_link(std::uint8_t n) { return Ipv4Address{10, 0, 0, n}; }
inline constexpr Ipv4Address client_subnet_broadcast{10, 0, 0, 255};  // 198.51.100.127
// The client's loopback listener (cm-cli runs cm_listener on 127.0.0.1:8080).
inline constexpr Endpoint loopback_listener{Ipv4Address{127, 0, 0, 1}, Port{8080}};
// How the kernel's probes print a netstep endpoint: the client's and its
// link's addresses in run-all.sh's (10.0.0.1 -> 198.51.100.2, 10.0.0.255 ->
// 198.51.100.127, 10.0.0.N -> 198.51.100.N); any other as it is.
[[nodiscard]] std::string kernel_spelling(Endpoint endpoint);
}  // namespace lab

class Lab {
 public:
  // The client's TCP takes the kernel client's SYN sysctls; the network is
  // run-all.sh's setup() (see the table above).
  explicit Lab(const KernelSettings& settings);
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;
  ~Lab();

  // --- the set-up (the constructor uses these; a situation may add to it) ---
  // A listener (backlog 128, as cm_listener) on the server or, for a
  // loopback address, on the client itself.
  void listen(Endpoint local);
  // cm-srv's "ip daddr 203.0.113.3 drop": nothing to `address` arrives.
  void drop_everything_to(Ipv4Address address);
  // cm-srv's rule for ports 8081 and 8098: the first SYN of every
  // connection is dropped, so the handshake waits ~1 s for the retransmission.
  void drop_first_syn_of_each_connection(Endpoint server_port);
  // cm-rtr's nft reject rules: frames to `address` are answered with
  // `action` (the ICMP error from the router, or a TCP reset), the first
  // `count` of them (all if nullopt).
  void router_rejects(Ipv4Address address, sim::RuleAction action, std::optional<int> count = std::nullopt);
  // cm-rtr's (and cm-cli's) unreachable, prohibit and blackhole routes.
  void router_special_route(Ipv4Address address, RouteKind kind);
  void client_special_route(Ipv4Address address, RouteKind kind);
  // cm-iso: a namespace with no route at all.
  void remove_client_default_route();
  void set_client_ephemeral_range(EphemeralRange range);
  // cm-cli's net.ipv4.tcp_timestamps (05_addrinuse's second run turns it off).
  void set_client_timestamps(bool on);

  // --- the calls, recorded as the probes record them --------------------
  int socket();
  void set_nonblocking(int fd, bool on);
  void close(int fd);
  // The probes do not report these: a refusal means netstep cannot make the
  // probe's calls at all, so they throw (the situation fails, naming it).
  void setsockopt(int fd, socket::SocketOption option, int value);
  [[nodiscard]] Endpoint local_name(int fd) const;  // getsockname()
  // common.h's cm_listener() on the client: SO_REUSEADDR, bind (port 0:
  // any), listen. Returns the descriptor; `local_name` tells the port.
  int listening_socket(Endpoint local, int backlog);
  // setitimer's SIGALRM, `after` the lab started, for the tasks blocked on
  // `fd`; its handler installed with or without SA_RESTART (cm_connect -i, -I).
  void signal_at(Duration after, int fd, bool sa_restart);
  CallRecord bind(int fd, Endpoint local, std::string name);
  // connect() from a task; a blocking one lets the network run until it returns.
  CallRecord connect(int fd, const socket::ConnectArguments& arguments, std::string name);
  CallRecord connect(int fd, Endpoint destination, std::string name);
  CallRecord so_error(int fd, std::string name);
  // poll(POLLOUT) with a limit: the network runs until an event holds.
  CallRecord poll(int fd, std::string name, Duration limit);
  // Lets the network run until `fd`'s handshake has an outcome: how a
  // probe's next call sees the kernel's answer when it arrived first.
  void settle(int fd);

  // --- UDP (cm_udp, cm_connect -u) --------------------------------------
  int udp_socket();  // socket(AF_INET, SOCK_DGRAM)
  // send() and sendto() of `message`; recv() and recvfrom() with
  // MSG_DONTWAIT, reporting "data=... from=..." as cm_udp does. Each record
  // asks for its names and data to be compared (CallRecord::names_compared).
  CallRecord send(int fd, std::string_view message, std::string name);
  CallRecord sendto(int fd, std::string_view message, Endpoint to, std::string name);
  CallRecord receive(int fd, bool with_sender, std::string name);
  // common.h's cm_names(): "local=... peer=...", in the kernel's addresses.
  [[nodiscard]] std::string names(int fd) const;
  // usleep() and sleep(): the network runs on for `length`.
  void pause(Duration length);

  [[nodiscard]] static socket::ConnectArguments arguments_to(Endpoint destination);
  [[nodiscard]] double seconds() const;  // since the lab started
  // The client's SYNs to `destination` and its ARP requests for its address.
  [[nodiscard]] std::vector<WireEvent> wire_towards(Endpoint destination) const;

 private:
  class WireRecorder;
  struct FirstSynDrop;
  void build_run_all_setup();
  [[nodiscard]] sim::Link& client_cable();
  // Adds the next "first SYN" rule of each drop_first_syn_of_each_connection
  // once the previous one took its SYN and no handshake is under way.
  void arm_first_syn_drops(int fd);
  template <class Done>
  void run_until(Done done, Instant limit);
  // Runs a send or receive call in a task until it returns.
  CallRecord transfer(std::string name, const std::function<socket::SocketApi::TransferCall()>& make);

  std::unique_ptr<WireRecorder> wire_;  // destroyed after the bus it is attached to
  EventLoop loop_;
  TraceBus bus_{loop_};
  topology::DefaultTopology network_{loop_, bus_};
  TaskRunner tasks_{loop_};
  socket::SocketApi api_{network_.client().tcp(), network_.client().udp(), tasks_};
  std::vector<FirstSynDrop> first_syn_drops_;
  std::set<int> nonblocking_;  // descriptors set O_NONBLOCK
};

}  // namespace netstep::interop
