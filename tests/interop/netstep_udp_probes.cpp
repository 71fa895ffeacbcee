#include "netstep_udp_probes.hpp"

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>

namespace netstep::interop {

namespace {

using namespace std::chrono_literals;

const Ipv4Address loopback_u{127, 0, 0, 1};
const Ipv4Address loopback_a{127, 0, 0, 2};
const Ipv4Address loopback_b{127, 0, 0, 3};

// connect() as cm_udp and cm_connect report it: with the socket's names after it.
CallRecord connect_named(Lab& lab, int fd, const socket::ConnectArguments& to, std::string name) {
  CallRecord r = lab.connect(fd, to, std::move(name));
  r.extra = lab.names(fd);
  r.names_compared = true;
  return r;
}

socket::ConnectArguments unspecified(std::uint32_t addrlen = socket::sockaddr_in_size) {
  socket::ConnectArguments a;
  a.family = socket::af_unspec;
  a.addrlen = addrlen;
  return a;
}

// The calls of cm_udp, cut into runs by label as the kernel's output is.
class Recorder {
 public:
  void add(const std::string& label, CallRecord call) {
    if (runs_.empty() || runs_.back().label != label) {
      ProbeRun run;
      run.label = label;
      run.occurrence = ++seen_[label];
      runs_.push_back(std::move(run));
    }
    runs_.back().calls.push_back(std::move(call));
  }
  std::vector<ProbeRun> take() { return std::move(runs_); }

 private:
  std::vector<ProbeRun> runs_;
  std::map<std::string, int> seen_;
};

}  // namespace

ProbeRun udp_connect_probe(Lab& lab, const RunKey& key, Endpoint destination) {
  ProbeRun run;
  run.label = key.label;
  run.occurrence = key.occurrence;
  run.description = "UDP connect to " + destination.to_string();
  const int fd = lab.udp_socket();
  run.calls.push_back(connect_named(lab, fd, Lab::arguments_to(destination), "connect#1"));
  run.calls.push_back(lab.so_error(fd, "getsockopt(SO_ERROR)after#1"));
  lab.close(fd);
  return run;
}

std::vector<ProbeRun> udp_argument_probe(Lab& lab, Endpoint ok) {
  Recorder record;
  const int fd = lab.udp_socket();
  socket::ConnectArguments inet6 = Lab::arguments_to(ok);
  inet6.family = socket::af_inet6;
  inet6.addrlen = 28;
  socket::ConnectArguments short_length = Lab::arguments_to(ok);
  short_length.addrlen = 8;
  socket::ConnectArguments null_address = Lab::arguments_to(ok);
  null_address.address_null = true;
  record.add("family_inet6_on_inet_udp", connect_named(lab, fd, inet6, "connect"));
  record.add("udp_addrlen8", connect_named(lab, fd, short_length, "connect"));
  record.add("udp_null_len16", connect_named(lab, fd, null_address, "connect"));
  lab.close(fd);
  return record.take();
}

ProbeRun udp_ephemeral_probe(Lab& lab, Endpoint peer) {
  ProbeRun run;
  run.label = "ephemeral_udp";
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int fd = lab.udp_socket();
    run.calls.push_back(lab.connect(fd, peer, "connect"));
    if (run.calls.back().ret < 0) {
      lab.close(fd);
      break;
    }
  }
  return run;
}

std::vector<ProbeRun> udp_semantics_probe(Lab& lab, Ipv4Address subnet_broadcast, Ipv4Address dead_on_link) {
  using socket::SocketOption;
  Recorder record;
  const auto bound = [&](Ipv4Address address) {
    const int fd = lab.udp_socket();
    const CallRecord r = lab.bind(fd, Endpoint{address, Port{}}, "bind");
    if (r.ret < 0) throw std::runtime_error("cm_udp's bind(" + address.to_string() + ":0) failed: " + r.error);
    return fd;
  };
  const auto connect = [&](const std::string& label, int fd, const socket::ConnectArguments& to) {
    record.add(label, connect_named(lab, fd, to, "connect"));
  };
  const auto connect_to = [&](const std::string& label, int fd, Endpoint to) { connect(label, fd, Lab::arguments_to(to)); };
  const auto send = [&](const std::string& label, int fd, std::string_view message) {
    record.add(label, lab.send(fd, message, "send"));
  };
  const auto sendto = [&](const std::string& label, int fd, std::string_view message, Endpoint to) {
    record.add(label, lab.sendto(fd, message, to, "sendto"));
  };
  const auto recv = [&](const std::string& label, int fd) { record.add(label, lab.receive(fd, false, "recv")); };
  // drain(): 100 ms, then recvfrom(MSG_DONTWAIT) until EAGAIN (at most 10).
  const auto drain = [&](const std::string& label, int fd) {
    lab.pause(100ms);
    for (int i = 0; i < 10; ++i) {
      CallRecord r = lab.receive(fd, true, "recvfrom");
      const bool empty = r.ret < 0 && r.error == "EAGAIN";
      record.add(label, std::move(r));
      if (empty) break;
    }
  };

  const int u = bound(loopback_u);
  const int a = bound(loopback_a);
  const int b = bound(loopback_b);
  const Endpoint to_u = lab.local_name(u);
  const Endpoint to_a = lab.local_name(a);
  const Endpoint to_b = lab.local_name(b);

  // 1. unconnected socket (write() is send() without flags)
  send("udp_unconnected_send", u, "x");
  CallRecord write = lab.send(u, "x", "write");
  write.note = "write() made as send() with no flags";
  record.add("udp_unconnected_write", std::move(write));
  recv("udp_unconnected_recv_dontwait", u);
  CallRecord names;
  names.name = "getpeername";
  names.extra = lab.names(u);
  names.names_compared = true;
  names.t = lab.seconds();
  record.add("udp_unconnected_names", std::move(names));

  // 2. connect to A; datagrams from other peers are filtered
  connect_to("udp_connect_A", u, to_a);
  sendto("udp_filter:B_sends_to_U", b, "fromB", to_u);
  sendto("udp_filter:A_sends_to_U", a, "fromA", to_u);
  drain("udp_filter:U_receives", u);
  const int b2 = bound(loopback_b);
  connect_to("udp_filter:B2_connect_U", b2, to_u);
  send("udp_filter:B2_send_to_U", b2, "fromB2");
  drain("udp_filter:B2_after_send", b2);
  drain("udp_filter:U_after_B2", u);
  send("udp_connected_send_to_A", u, "toA");
  drain("udp_connected:A_receives", a);

  // 3. a datagram queued from A, then reconnect to B
  sendto("udp_reconnect:A_sends_queued", a, "queuedA", to_u);
  lab.pause(50ms);
  connect_to("udp_reconnect_to_B", u, to_b);
  drain("udp_reconnect:U_receives_after_reconnect", u);
  sendto("udp_reconnect:B_sends", b, "fromB_after", to_u);
  sendto("udp_reconnect:A_sends", a, "fromA_after", to_u);
  drain("udp_reconnect:U_receives", u);
  connect_to("udp_reconnect_same_peer_B_again", u, to_b);

  // 4. dissolve with AF_UNSPEC
  connect("udp_dissolve_af_unspec", u, unspecified());
  send("udp_after_dissolve_send", u, "x");
  recv("udp_after_dissolve_recv_dontwait", u);
  sendto("udp_after_dissolve:A_sends", a, "fromA_unconn", to_u);
  sendto("udp_after_dissolve:B_sends", b, "fromB_unconn", to_u);
  drain("udp_after_dissolve:U_receives", u);
  connect("udp_dissolve_af_unspec_again(not connected)", u, unspecified());
  connect("udp_af_unspec_addrlen2", u, unspecified(2));

  // 4b. the same with a port given to bind()
  {
    const int finder = bound(loopback_u);
    const Endpoint fixed = lab.local_name(finder);
    lab.close(finder);
    const int t = lab.udp_socket();
    CallRecord bind = lab.bind(t, fixed, "bind");
    bind.extra = "port=" + std::to_string(fixed.port.value());
    bind.names_compared = true;
    record.add("udp_explicit_port_bind", std::move(bind));
    connect_to("udp_explicit_port_connect_A", t, to_a);
    connect("udp_explicit_port_dissolve_af_unspec", t, unspecified());
    sendto("udp_explicit_port_after_dissolve:B_sends", b, "fromB_fixed", fixed);
    drain("udp_explicit_port_after_dissolve:T_receives", t);
    lab.close(t);
  }

  // 5. an autobound socket dissolved
  {
    const int v = lab.udp_socket();
    connect_to("udp_unbound_connect_A", v, to_a);
    connect("udp_unbound_dissolve_af_unspec", v, unspecified());
    lab.close(v);
  }

  // 6. Winsock's all-zero address, 0.0.0.0 with A's port, port 0
  {
    const int w = lab.udp_socket();
    connect_to("udp_W_connect_A", w, to_a);
    connect_to("udp_connect_all_zero_inet(winsock_disconnect)", w, Endpoint{Ipv4Address::any(), Port{}});
    send("udp_after_all_zero_connect_send", w, "x");
    drain("udp_after_all_zero_connect", w);
    connect_to("udp_connect_inaddr_any_port_of_A", w, Endpoint{Ipv4Address::any(), to_a.port});
    connect_to("udp_connect_port0", w, Endpoint{loopback_a, Port{}});
    send("udp_port0_send", w, "x");
    drain("udp_port0_after_send", w);
    lab.close(w);
  }

  // 7. connected to a closed port: ICMP port unreachable
  {
    const int x = lab.udp_socket();
    const int d = bound(loopback_u);
    const Endpoint closed = lab.local_name(d);
    lab.close(d);
    connect_to("udp_connect_closed_port", x, closed);
    send("udp_closed_port_send1", x, "x");
    lab.pause(100ms);
    recv("udp_closed_port_recv_after_icmp", x);
    recv("udp_closed_port_recv_again", x);
    send("udp_closed_port_send2", x, "x");
    lab.pause(100ms);
    send("udp_closed_port_send3_after_icmp", x, "x");
    record.add("udp_closed_port_so_error", lab.so_error(x, "getsockopt(SO_ERROR)"));
    lab.close(x);
  }

  // 8. broadcast and multicast
  {
    const Endpoint limited{Ipv4Address::broadcast(), Port{9}};
    const Endpoint subnet{subnet_broadcast, Port{9}};
    const Endpoint multicast{Ipv4Address{233, 252, 0, 1}, Port{9}};
    int y = lab.udp_socket();
    connect_to("udp_connect_limited_bcast_no_SO_BROADCAST", y, limited);
    connect_to("udp_connect_subnet_bcast_no_SO_BROADCAST", y, subnet);
    sendto("udp_sendto_limited_bcast_no_SO_BROADCAST", y, "x", limited);
    lab.setsockopt(y, SocketOption::Broadcast, 1);
    connect_to("udp_connect_limited_bcast_with_SO_BROADCAST", y, limited);
    send("udp_send_limited_bcast_with_SO_BROADCAST", y, "x");
    connect_to("udp_connect_subnet_bcast_with_SO_BROADCAST", y, subnet);
    send("udp_send_subnet_bcast_with_SO_BROADCAST", y, "x");
    lab.close(y);
    y = lab.udp_socket();
    lab.setsockopt(y, SocketOption::Broadcast, 1);
    connect_to("udp_bcast_connect_then_clear_SO_BROADCAST", y, subnet);
    lab.setsockopt(y, SocketOption::Broadcast, 0);
    send("udp_bcast_send_after_clearing_SO_BROADCAST", y, "x");
    lab.close(y);
    const int z = lab.udp_socket();
    connect_to("udp_connect_multicast_no_options", z, multicast);
    send("udp_send_multicast", z, "x");
    lab.close(z);
  }

  // 9. a dead on-link host: connect() does not wait for ARP
  {
    const int q = lab.udp_socket();
    const int q2 = lab.udp_socket();
    lab.setsockopt(q2, SocketOption::ReceiveErrors, 1);
    const Endpoint dead{dead_on_link, Port{9}};
    connect_to("udp_connect_dead_onlink_host", q, dead);
    connect_to("udp_connect_dead_onlink_host_IP_RECVERR", q2, dead);
    send("udp_dead_onlink_send", q, "x");
    send("udp_dead_onlink_send_IP_RECVERR", q2, "x");
    lab.pause(5s);
    recv("udp_dead_onlink_recv_after_arp_failure", q);
    recv("udp_dead_onlink_recv_after_arp_failure_IP_RECVERR", q2);
    send("udp_dead_onlink_send_again", q, "x");
    lab.close(q);
    lab.close(q2);
  }
  for (const int fd : {u, a, b, b2}) lab.close(fd);
  return record.take();
}

}  // namespace netstep::interop
