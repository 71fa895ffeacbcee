#include "situations.hpp"

#include <stdexcept>

#include "netstep_lab.hpp"
#include "netstep_probes.hpp"
#include "netstep_udp_probes.hpp"

namespace netstep::interop {

namespace {

using socket::ConnectArguments;
using LabTweak = std::function<void(Lab&)>;

Endpoint at(Ipv4Address address, std::uint16_t port) { return Endpoint{address, Port{port}}; }

const Endpoint server_listener = at(lab::server, 8080);
const Endpoint server_listener_first_syn_dropped = at(lab::server, 8081);
const Endpoint server_closed_first_syn_dropped = at(lab::server, 8098);
const Endpoint server_closed = at(lab::server, 8099);
const Endpoint silent_host = at(lab::behind_router(3), 80);
const Endpoint unrouted = at(Ipv4Address{192, 0, 2, 1}, 80);
// cm_args' "closed port": one on 127.0.0.1 that nothing listens on.
const Endpoint loopback_closed = at(Ipv4Address{127, 0, 0, 1}, 8099);

// cm_connect without options (run-all.sh g_blocking, g_timeouts, g_icmp_race).
Situation blocking(std::string row, std::string title, std::string label, Endpoint to, LabTweak tweak = {},
                   std::string how = {}) {
  std::string side = "blocking connect to " + to.to_string() + (how.empty() ? "" : "; " + how);
  auto run = [label, to, tweak](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    if (tweak) tweak(lab);
    return std::vector<ProbeRun>{connect_probe(lab, RunKey{label}, to)};
  };
  return Situation{std::move(row), std::move(title), {RunKey{label}}, std::move(side), run};
}

// cm_connect with options (run-all.sh g_timeouts; g_blocking's TCP_SYNCNT
// and TCP_USER_TIMEOUT runs).
Situation with_options(std::string row, std::string title, std::string label, Endpoint to, ConnectOptions options,
                       std::string how) {
  std::string side = "blocking connect to " + to.to_string() + " with " + how;
  auto run = [label, to, options](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    return std::vector<ProbeRun>{connect_probe(lab, RunKey{label}, to, options)};
  };
  return Situation{std::move(row), std::move(title), {RunKey{label}}, std::move(side), run};
}

// cm_nonblock (run-all.sh g_nonblocking): -m soerror|reconnect, -w seconds.
Situation nonblocking(std::string row, std::string title, RunKey key, NonblockMode mode, Endpoint to,
                      int poll_limit_seconds = 300, LabTweak tweak = {}) {
  std::string side = "non-blocking connect to " + to.to_string() +
                     (mode == NonblockMode::SoError ? ", mode soerror" : ", mode reconnect");
  auto run = [key, mode, to, poll_limit_seconds, tweak](const KernelSettings& settings, const KernelResults& kernel) {
    Lab lab{settings};
    if (tweak) tweak(lab);
    return std::vector<ProbeRun>{nonblocking_probe(lab, key, to, mode, poll_limit_seconds, kernel.find(key))};
  };
  return Situation{std::move(row), std::move(title), {key}, std::move(side), run};
}

ConnectArguments arguments(Endpoint to, std::uint32_t addrlen = socket::sockaddr_in_size,
                           std::uint16_t family = socket::af_inet, bool address_null = false) {
  ConnectArguments a;
  a.destination = to;
  a.addrlen = addrlen;
  a.family = family;
  a.address_null = address_null;
  return a;
}

// One cm_args call on its own socket (run-all.sh g_args; all on the client's loopback).
Situation argument(std::string row, std::string title, std::string label, ArgumentCase c) {
  const Endpoint to = c.arguments.destination;
  std::string side = "connect(" + to.to_string() + ", addrlen " + std::to_string(c.arguments.addrlen) + ", family " +
                     std::to_string(c.arguments.family) + (c.arguments.address_null ? ", address not readable" : "") + ")";
  auto run = [label, c](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    return std::vector<ProbeRun>{argument_probe(lab, RunKey{label}, c)};
  };
  return Situation{std::move(row), std::move(title), {RunKey{label}}, std::move(side), run};
}

Situation argument(std::string row, std::string title, std::string label, ConnectArguments a) {
  return argument(std::move(row), std::move(title), std::move(label), ArgumentCase{ArgumentCase::Descriptor::FreshSocket, a});
}

// Several cm_args labels made on one socket, each a blocking connect().
struct SequenceStep {
  std::string label;
  ConnectArguments arguments;
};
Situation sequence(std::string row, std::string title, std::vector<SequenceStep> steps, std::string side) {
  std::vector<RunKey> keys;
  for (const SequenceStep& s : steps) keys.push_back(RunKey{s.label});
  auto run = [steps](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    const int fd = lab.socket();
    std::vector<ProbeRun> runs;
    for (const SequenceStep& step : steps) {
      ProbeRun one;
      one.label = step.label;
      one.calls.push_back(lab.connect(fd, step.arguments, "connect"));
      runs.push_back(std::move(one));
    }
    return runs;
  };
  return Situation{std::move(row), std::move(title), std::move(keys), std::move(side), run};
}

std::vector<Situation> blocking_situations() {
  const auto router_target = [](std::uint8_t n) { return at(lab::behind_router(n), 80); };
  return {
      blocking("T01", "blocking connect, listener present", "tcp_success", server_listener),
      blocking("T02", "closed port: the server answers RST", "tcp_closed_port_RST", server_closed),
      blocking("T21", "destination port 0: the SYN is sent, RST comes back", "tcp_port0_remote", at(lab::server, 0)),
      blocking("T03", "silent host: the server drops every packet", "tcp_silent_host_nft_drop", silent_host),
      blocking("T03", "silent host: a blackhole route at the router", "tcp_silent_router_blackhole", router_target(140)),
      blocking("T04", "no route at the router: ICMP net unreachable", "tcp_icmp_net_unreach_no_route_at_router",
               unrouted),
      blocking("T05", "unreachable route at the router: ICMP host unreachable",
               "tcp_icmp_host_unreach_unreachable_route_at_router", router_target(129)),
      blocking("T05", "prohibit route at the router: ICMP 3/13", "tcp_icmp_pkt_filtered_prohibit_route_at_router",
               router_target(130)),
      blocking("T05", "TTL 1: the router answers ICMP time exceeded", "tcp_icmp_time_exceeded_ttl1", server_listener,
               [](Lab& lab) { lab.router_rejects(lab::server, sim::RejectWithIcmp{11, 0, {}}, 1); },
               "setsockopt(IP_TTL) is not in the socket API yet, so a rule makes the router's time exceeded "
               "(11/0) for the SYN"),
      blocking("T04", "router rejects with ICMP net unreachable (3/0)", "tcp_router_nft_reject_net-unreachable(3/0)",
               router_target(131)),
      blocking("T05", "router rejects with ICMP host unreachable (3/1)", "tcp_router_nft_reject_host-unreachable(3/1)",
               router_target(132)),
      blocking("T05", "router rejects with ICMP protocol unreachable (3/2): ENOPROTOOPT",
               "tcp_router_nft_reject_prot-unreachable(3/2)", router_target(133)),
      blocking("T02", "router rejects with ICMP port unreachable (3/3)", "tcp_router_nft_reject_port-unreachable(3/3)",
               router_target(134)),
      blocking("T04", "router rejects with ICMP net prohibited (3/9)", "tcp_router_nft_reject_net-prohibited(3/9)",
               router_target(135)),
      blocking("T05", "router rejects with ICMP host prohibited (3/10)", "tcp_router_nft_reject_host-prohibited(3/10)",
               router_target(136)),
      blocking("T05", "router rejects with ICMP admin prohibited (3/13)",
               "tcp_router_nft_reject_admin-prohibited(3/13)", router_target(137)),
      blocking("T02", "router rejects with a TCP reset", "tcp_router_nft_reject_tcp-reset", router_target(138)),
      blocking("T08", "ARP fails at the router: its ICMP host unreachable after 3 s",
               "tcp_router_arp_failure_remote_subnet", router_target(99)),
      blocking("T08", "ARP fails for an on-link host", "tcp_local_arp_failure_onlink", at(lab::on_client_link(99), 80)),
      blocking("T07b", "local unreachable route", "tcp_local_route_unreachable", at(Ipv4Address{198, 51, 100, 129}, 80)),
      blocking("T07b", "local prohibit route", "tcp_local_route_prohibit", at(Ipv4Address{198, 51, 100, 130}, 80)),
      blocking("T07b", "local blackhole route", "tcp_local_route_blackhole", at(Ipv4Address{198, 51, 100, 131}, 80)),
      blocking("T07", "no route at all (cm-iso)", "tcp_no_route_at_all", unrouted,
               [](Lab& lab) { lab.remove_client_default_route(); }, "the client's default route removed"),
      blocking("T03", "silent host again, in the timeouts group", "blocking_no_timeouts", silent_host),
      blocking("T05", "ICMP host unreachable, delivered after connect() slept", "async_icmp_host_unreach",
               router_target(129)),
      blocking("T05, T06", "ICMP for the first SYN only, then silence (delivered asynchronously)",
               "async_icmp_once_then_silence", router_target(139)),
  };
}

std::vector<Situation> option_situations() {
  const auto send_timeout = [](int ms) {
    ConnectOptions o;
    o.send_timeout_ms = ms;
    return o;
  };
  const auto then = [](ConnectOptions o, bool nonblocking) {
    o.follow_up = true;
    o.nonblocking_follow_up = nonblocking;
    o.poll_limit_seconds = 30;
    return o;
  };
  const auto alarm = [](bool sa_restart) {
    ConnectOptions o;
    o.alarm = ConnectOptions::Alarm{1500, sa_restart};
    return o;
  };
  ConnectOptions receive_timeout;
  receive_timeout.receive_timeout_ms = 1000;
  ConnectOptions alarm_and_send_timeout = alarm(true);
  alarm_and_send_timeout.send_timeout_ms = 3000;
  ConnectOptions syn_count;
  syn_count.syn_count = 1;
  ConnectOptions user_timeout;
  user_timeout.user_timeout_ms = 2500;
  const std::string follow = "; then connect() again, poll(), SO_ERROR twice, a last non-blocking connect()";
  return {
      with_options("T27", "SO_RCVTIMEO does not bound connect(): ETIMEDOUT after the SYN schedule", "SO_RCVTIMEO_1000",
                   silent_host, receive_timeout, "SO_RCVTIMEO 1000 ms"),
      with_options("T28", "SO_SNDTIMEO 1 s: EINPROGRESS, and a second blocking connect() EALREADY 1 s later",
                   "SO_SNDTIMEO_1000_then_blocking_again", silent_host, then(send_timeout(1000), false),
                   "SO_SNDTIMEO 1000 ms" + follow),
      with_options("T28", "SO_SNDTIMEO 1 s: EINPROGRESS, then non-blocking EALREADY",
                   "SO_SNDTIMEO_1000_then_nonblocking_again", silent_host, then(send_timeout(1000), true),
                   "SO_SNDTIMEO 1000 ms" + follow + " (O_NONBLOCK from the second call)"),
      with_options("T28", "SO_SNDTIMEO 3 s, the handshake takes 1 s: 0", "SO_SNDTIMEO_3000_success_after_syn_retransmit",
                   server_listener_first_syn_dropped, send_timeout(3000), "SO_SNDTIMEO 3000 ms"),
      with_options("T28", "SO_SNDTIMEO 0.5 s, the handshake takes 1 s: EINPROGRESS, then 0",
                   "SO_SNDTIMEO_500_success_target_needs_1s", server_listener_first_syn_dropped,
                   then(send_timeout(500), true), "SO_SNDTIMEO 500 ms" + follow + " (O_NONBLOCK from the second call)"),
      with_options("T29", "SIGALRM at 1.5 s without SA_RESTART: EINTR; a blocking connect() then waits for ETIMEDOUT",
                   "SIGALRM_1500_no_SA_RESTART_then_blocking_again", silent_host, then(alarm(false), false),
                   "a signal at 1.5 s, handler without SA_RESTART (SocketApi::signal)" + follow),
      with_options("T29", "SIGALRM at 1.5 s without SA_RESTART: EINTR, then non-blocking EALREADY",
                   "SIGALRM_1500_no_SA_RESTART_then_nonblocking_again", silent_host, then(alarm(false), true),
                   "a signal at 1.5 s, handler without SA_RESTART" + follow + " (O_NONBLOCK from the second call)"),
      with_options("T29", "SIGALRM at 1.5 s with SA_RESTART: connect() goes on to ETIMEDOUT",
                   "SIGALRM_1500_with_SA_RESTART", silent_host, alarm(true), "a signal at 1.5 s, handler with SA_RESTART"),
      with_options("T29, T28", "SIGALRM with SA_RESTART and SO_SNDTIMEO 3 s: EINTR, the timeout option stops the restart",
                   "SIGALRM_1500_with_SA_RESTART_and_SO_SNDTIMEO_3000", silent_host,
                   then(alarm_and_send_timeout, true),
                   "SO_SNDTIMEO 3000 ms and a signal at 1.5 s, handler with SA_RESTART" + follow +
                       " (O_NONBLOCK from the second call)"),
      with_options("T30", "TCP_SYNCNT 1: ETIMEDOUT after its own SYN schedule", "tcp_per_socket_TCP_SYNCNT_1",
                   silent_host, syn_count, "TCP_SYNCNT 1"),
      with_options("T30", "TCP_USER_TIMEOUT 2.5 s: ETIMEDOUT when it runs out", "tcp_per_socket_TCP_USER_TIMEOUT_2500ms",
                   silent_host, user_timeout, "TCP_USER_TIMEOUT 2500 ms"),
  };
}

std::vector<Situation> nonblocking_situations() {
  using enum NonblockMode;
  const auto without_default_route = [](Lab& lab) { lab.remove_client_default_route(); };
  return {
      nonblocking("T09-T12", "pending 1 s (first SYN dropped), then success; SO_ERROR read",
                  RunKey{"nb_success_first_syn_dropped", 1}, SoError, server_listener_first_syn_dropped),
      nonblocking("T11", "pending 1 s, then success; connect() again without reading SO_ERROR",
                  RunKey{"nb_success_first_syn_dropped", 2}, Reconnect, server_listener_first_syn_dropped),
      nonblocking("T09-T12", "fast success", RunKey{"nb_success_fast"}, Reconnect, server_listener),
      nonblocking("T13, T14", "pending 1 s, then refused; SO_ERROR read", RunKey{"nb_refused_after_1s", 1}, SoError,
                  server_closed_first_syn_dropped),
      nonblocking("T14", "pending 1 s, then refused; connect() again without reading SO_ERROR",
                  RunKey{"nb_refused_after_1s", 2}, Reconnect, server_closed_first_syn_dropped),
      nonblocking("T13, T14", "fast refusal", RunKey{"nb_refused_fast"}, SoError, server_closed),
      nonblocking("T13, T03", "silent host: ETIMEDOUT through SO_ERROR, then a second attempt",
                  RunKey{"nb_silent_timeout"}, SoError, silent_host, 60),
      nonblocking("T13, T05", "ICMP host unreachable", RunKey{"nb_icmp_host_unreach"}, SoError,
                  at(lab::behind_router(129), 80)),
      nonblocking("T14, T04", "ICMP net unreachable; connect() again without reading SO_ERROR",
                  RunKey{"nb_icmp_net_unreach"}, Reconnect, unrouted),
      nonblocking("T13, T08", "ARP fails for an on-link host", RunKey{"nb_local_arp_failure"}, SoError,
                  at(lab::on_client_link(99), 80)),
      nonblocking("T07b", "local prohibit route", RunKey{"nb_local_route_prohibit"}, SoError,
                  at(Ipv4Address{198, 51, 100, 130}, 80)),
      nonblocking("T07", "no route at all (cm-iso)", RunKey{"nb_no_route"}, SoError, unrouted, 300,
                  without_default_route),
      nonblocking("T10, T11", "loopback: the handshake is done before connect() returns",
                  RunKey{"nb_loopback_success"}, Reconnect, lab::loopback_listener),
  };
}

std::vector<Situation> argument_situations() {
  const Endpoint ok = lab::loopback_listener;
  using D = ArgumentCase::Descriptor;
  std::vector<Situation> s{
      argument("T23", "descriptor -1", "badfd_minus1", ArgumentCase{D::MinusOne, arguments(ok)}),
      argument("T23", "descriptor 1000, closed", "badfd_closed_1000", ArgumentCase{D::ClosedNumber1000, arguments(ok)}),
      argument("T17", "NULL address, addrlen 16", "null_addr_len16", arguments(ok, 16, socket::af_inet, true)),
      argument("T17", "unreadable address, addrlen 16", "badptr_addr_len16", arguments(ok, 16, socket::af_inet, true)),
      argument("T17", "NULL address, addrlen 0", "null_addr_len0", arguments(ok, 0, socket::af_inet, true)),
  };
  for (const std::uint32_t length : {0u, 1u, 2u, 8u, 15u, 128u, 129u}) {
    s.push_back(argument("T16", "addrlen " + std::to_string(length), "valid_addr_len" + std::to_string(length),
                         arguments(ok, length)));
  }
  s.push_back(argument("T16", "addrlen (socklen_t)-1", "valid_addr_len_minus1", arguments(ok, 0xffffffffu)));
  s.push_back(argument("T18", "AF_INET6 address on an AF_INET socket", "family_inet6_on_inet_tcp",
                       arguments(ok, 28, socket::af_inet6)));
  s.push_back(argument("T18", "AF_UNIX address", "family_unix_on_inet_tcp", arguments(ok, 110, socket::af_unix)));
  s.push_back(argument("T18", "family 0x1234", "family_0x1234_on_inet_tcp", arguments(ok, 16, 0x1234)));
  s.push_back(argument("T19", "AF_UNSPEC on a fresh socket", "af_unspec_on_fresh_tcp", arguments(ok, 16, socket::af_unspec)));
  s.push_back(argument("T19", "AF_UNSPEC, addrlen 2, on a fresh socket", "af_unspec_len2_on_fresh_tcp",
                       arguments(ok, 2, socket::af_unspec)));
  s.push_back(sequence("T19", "AF_UNSPEC on an established socket, then connect again",
                       {{"tcp_connect_before_unspec", arguments(ok)},
                        {"af_unspec_on_established_tcp", arguments(ok, 16, socket::af_unspec)},
                        {"tcp_reconnect_after_unspec", arguments(ok)}},
                       "one socket: connect, AF_UNSPEC, connect, on the client's loopback"));
  s.push_back(sequence("T12", "connect() on a connected socket, same and other peer",
                       {{"tcp_first_connect", arguments(ok)},
                        {"tcp_already_connected_same_peer", arguments(ok)},
                        {"tcp_already_connected_other_peer", arguments(loopback_closed)}},
                       "one socket, three blocking connects, on the client's loopback"));
  s.push_back(sequence("T14", "refused, then the same socket connects to an open port",
                       {{"refused_then_retry:first", arguments(loopback_closed)},
                        {"refused_then_retry:second_same_socket_open_port", arguments(ok)}},
                       "one socket, two blocking connects, on the client's loopback"));
  s.push_back(argument("T20", "0.0.0.0 is this host", "dest_inaddr_any_port_open_on_127.0.0.1",
                       arguments(at(Ipv4Address::any(), ok.port.value()))));
  s.push_back(argument("T21", "0.0.0.0, port 0", "dest_inaddr_any_port0", arguments(at(Ipv4Address::any(), 0))));
  s.push_back(argument("T21", "127.0.0.1, port 0", "dest_127.0.0.1_port0", arguments(at(Ipv4Address{127, 0, 0, 1}, 0))));
  s.push_back(argument("T20", "127.0.0.2, the listener is on 127.0.0.1 only", "dest_127.0.0.2_listener_on_.1_only",
                       arguments(at(Ipv4Address{127, 0, 0, 2}, ok.port.value()))));
  s.push_back(argument("T22", "TCP to 255.255.255.255", "tcp_dest_limited_broadcast",
                       arguments(at(Ipv4Address::broadcast(), ok.port.value()))));
  s.push_back(argument("T22", "TCP to 224.0.0.1", "tcp_dest_multicast_224.0.0.1",
                       arguments(at(Ipv4Address{224, 0, 0, 1}, ok.port.value()))));
  s.push_back(argument("T22", "TCP to 233.252.0.1", "tcp_dest_multicast_233.252.0.1",
                       arguments(at(Ipv4Address{233, 252, 0, 1}, ok.port.value()))));
  s.push_back(argument("T22", "TCP to the client's subnet broadcast", "tcp_dest_subnet_broadcast",
                       arguments(at(lab::client_subnet_broadcast, ok.port.value()))));
  s.push_back(argument("T22", "TCP to the client's subnet broadcast, SO_BROADCAST set",
                       "tcp_dest_subnet_broadcast_with_SO_BROADCAST",
                       ArgumentCase{D::FreshSocket, arguments(at(lab::client_subnet_broadcast, ok.port.value())), true}));
  s.push_back(argument("T15", "connect() on a listening socket", "listening_socket_connect",
                       ArgumentCase{D::ListeningSocket, arguments(ok)}));
  s.push_back(argument("T21", "a remote host, port 0", "dest_remote_port0", arguments(at(lab::server, 0))));
  return s;
}

// run-all.sh g_ephemeral: cm_ephemeral 5001 in cm-eph, listeners on 127.0.0.1:5001 and :5002.
Situation ephemeral_ports() {
  auto run = [](const KernelSettings& settings, const KernelResults&) {
    if (!settings.ephemeral_range) throw std::runtime_error("cm_ephemeral's NOTE ip_local_port_range=... is missing");
    Lab lab{settings};
    lab.set_client_ephemeral_range(*settings.ephemeral_range);
    const Endpoint first = at(Ipv4Address{127, 0, 0, 1}, 5001);
    const Endpoint other = at(Ipv4Address{127, 0, 0, 1}, 5002);
    lab.listen(first);
    lab.listen(other);
    return ephemeral_probe(lab, first, other);
  };
  return Situation{"T26",
                   "ephemeral ports exhausted for one peer; another peer still connects; bind(port 0) finds none",
                   {RunKey{"ephemeral_tcp:to_L1"}, RunKey{"ephemeral_tcp:to_L2_other_peer"},
                    RunKey{"ephemeral_tcp:bind_port0_when_exhausted"}},
                   "the client's ephemeral range set to the kernel's (cm-eph), blocking connects to 127.0.0.1:5001 "
                   "until one fails, then one to 127.0.0.1:5002, then bind(127.0.0.1:0)",
                   run};
}

// run-all.sh g_addrinuse, the loopback part of cm_addrinuse (its TIME_WAIT
// part is not compared: see not_compared_yet). It runs twice, the second
// time with tcp_timestamps=0.
Situation address_in_use(int occurrence) {
  const std::vector<std::string> labels{"reuseaddr_4tuple:s1",
                                        "reuseaddr_4tuple:s2",
                                        "reuseaddr_4tuple:s1_to_L1",
                                        "reuseaddr_4tuple:s2_to_L1_same_4tuple",
                                        "reuseaddr_4tuple:s2_to_L2_other_peer",
                                        "no_reuseaddr_second_bind",
                                        "reuseaddr_wildcard:s4",
                                        "reuseaddr_wildcard:s4_to_L1_same_4tuple"};
  std::vector<RunKey> keys;
  for (const std::string& label : labels) keys.push_back(RunKey{label, occurrence});
  const bool timestamps = occurrence == 1;
  auto run = [occurrence, timestamps](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    lab.set_client_timestamps(timestamps);
    return address_in_use_probe(lab, occurrence);
  };
  return Situation{"T25",
                   std::string{"one local port, two sockets with SO_REUSEADDR: the same peer twice, another peer"} +
                       (timestamps ? "" : " (tcp_timestamps=0)"),
                   std::move(keys),
                   "on the client's loopback: two listeners, sockets bound to one port picked by bind(port 0), as "
                   "cm_addrinuse" + std::string{timestamps ? "" : "; the client's TCP timestamps off"},
                   run};
}

// run-all.sh g_blocking's cm_connect -u runs (in cm-cli, or cm-iso for the first).
Situation udp_connect(std::string row, std::string title, std::string label, Endpoint to, LabTweak tweak = {},
                      std::string how = {}) {
  std::string side = "UDP connect to " + to.to_string() + (how.empty() ? "" : "; " + how);
  auto run = [label, to, tweak](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    if (tweak) tweak(lab);
    return std::vector<ProbeRun>{udp_connect_probe(lab, RunKey{label}, to)};
  };
  return Situation{std::move(row), std::move(title), {RunKey{label}}, std::move(side), run};
}

std::vector<Situation> udp_connect_situations() {
  return {
      udp_connect("T07", "UDP, no route at all (cm-iso)", "udp_no_route_at_all", unrouted,
                  [](Lab& lab) { lab.remove_client_default_route(); }, "the client's default route removed"),
      udp_connect("T07b", "UDP, local unreachable route", "udp_local_route_unreachable",
                  at(Ipv4Address{198, 51, 100, 129}, 80)),
      udp_connect("T07b", "UDP, local prohibit route", "udp_local_route_prohibit", at(Ipv4Address{198, 51, 100, 130}, 80)),
      udp_connect("T07b", "UDP, local blackhole route", "udp_local_route_blackhole",
                  at(Ipv4Address{198, 51, 100, 131}, 80)),
  };
}

Situation udp_arguments() {
  auto run = [](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    return udp_argument_probe(lab, lab::loopback_listener);
  };
  return Situation{"U13", "UDP: AF_INET6 address, addrlen 8, NULL address, on one socket",
                   {RunKey{"family_inet6_on_inet_udp"}, RunKey{"udp_addrlen8"}, RunKey{"udp_null_len16"}},
                   "one UDP socket, three connects towards " + lab::loopback_listener.to_string(), run};
}

// run-all.sh g_ephemeral's UDP part: connects to 127.0.0.1:5003 in cm-eph.
Situation udp_ephemeral_ports() {
  auto run = [](const KernelSettings& settings, const KernelResults&) {
    if (!settings.ephemeral_range) throw std::runtime_error("cm_ephemeral's NOTE ip_local_port_range=... is missing");
    Lab lab{settings};
    lab.set_client_ephemeral_range(*settings.ephemeral_range);
    return std::vector<ProbeRun>{udp_ephemeral_probe(lab, at(Ipv4Address{127, 0, 0, 1}, 5003))};
  };
  return Situation{"U14", "UDP ephemeral ports exhausted: connect() of an unbound socket fails",
                   {RunKey{"ephemeral_udp"}},
                   "the client's ephemeral range set to the kernel's (cm-eph), UDP connects to 127.0.0.1:5003 from new "
                   "sockets until one fails",
                   run};
}

// run-all.sh g_udp: cm_udp 198.51.100.127 198.51.100.99 in cm-cli. Its
// sections share sockets, so each situation runs the whole probe on a
// fresh lab and compares its section's runs.
Situation udp_section(std::string row, std::string title, std::vector<std::string> section_labels) {
  std::vector<RunKey> keys;
  for (const std::string& label : section_labels) keys.push_back(RunKey{label});
  auto run = [](const KernelSettings& settings, const KernelResults&) {
    Lab lab{settings};
    return udp_semantics_probe(lab, lab::client_subnet_broadcast, lab::on_client_link(99));
  };
  return Situation{std::move(row), std::move(title), std::move(keys),
                   "cm_udp's calls on the client: U, A, B bound to 127.0.0.1, .2, .3; broadcast "
                   "10.0.0.255:9, dead on-link host 10.0.0.99:9",
                   run};
}

std::vector<Situation> udp_semantics_situations() {
  return {
      udp_section("U06", "unconnected UDP socket: send and write EDESTADDRREQ, recv EAGAIN, no peer",
                  {"udp_unconnected_send", "udp_unconnected_write", "udp_unconnected_recv_dontwait",
                   "udp_unconnected_names"}),
      udp_section("U01, U02, U10", "connected UDP socket: other peers' datagrams are dropped, with ICMP to them",
                  {"udp_connect_A", "udp_filter:B_sends_to_U", "udp_filter:A_sends_to_U", "udp_filter:U_receives",
                   "udp_filter:B2_connect_U", "udp_filter:B2_send_to_U", "udp_filter:B2_after_send",
                   "udp_filter:U_after_B2", "udp_connected_send_to_A", "udp_connected:A_receives"}),
      udp_section("U03", "reconnect to another peer: the queued datagram stays, new ones are filtered",
                  {"udp_reconnect:A_sends_queued", "udp_reconnect_to_B", "udp_reconnect:U_receives_after_reconnect",
                   "udp_reconnect:B_sends", "udp_reconnect:A_sends", "udp_reconnect:U_receives",
                   "udp_reconnect_same_peer_B_again"}),
      udp_section("U04, U06", "dissolve with AF_UNSPEC: the local address is released, the port kept",
                  {"udp_dissolve_af_unspec", "udp_after_dissolve_send", "udp_after_dissolve_recv_dontwait",
                   "udp_after_dissolve:A_sends", "udp_after_dissolve:B_sends", "udp_after_dissolve:U_receives",
                   "udp_dissolve_af_unspec_again(not connected)", "udp_af_unspec_addrlen2"}),
      udp_section("U04", "dissolve a socket bound to an explicit port, and an autobound one",
                  {"udp_explicit_port_bind", "udp_explicit_port_connect_A", "udp_explicit_port_dissolve_af_unspec",
                   "udp_explicit_port_after_dissolve:B_sends", "udp_explicit_port_after_dissolve:T_receives",
                   "udp_unbound_connect_A", "udp_unbound_dissolve_af_unspec"}),
      udp_section("U05, U12", "0.0.0.0:0, 0.0.0.0 with a port, and port 0 as the destination",
                  {"udp_W_connect_A", "udp_connect_all_zero_inet(winsock_disconnect)",
                   "udp_after_all_zero_connect_send", "udp_after_all_zero_connect", "udp_connect_inaddr_any_port_of_A",
                   "udp_connect_port0", "udp_port0_send", "udp_port0_after_send"}),
      udp_section("U10", "connected to a closed port: ECONNREFUSED once, on recv or send",
                  {"udp_connect_closed_port", "udp_closed_port_send1", "udp_closed_port_recv_after_icmp",
                   "udp_closed_port_recv_again", "udp_closed_port_send2", "udp_closed_port_send3_after_icmp",
                   "udp_closed_port_so_error"}),
      udp_section("U07, U08, U09", "broadcast with and without SO_BROADCAST, multicast",
                  {"udp_connect_limited_bcast_no_SO_BROADCAST", "udp_connect_subnet_bcast_no_SO_BROADCAST",
                   "udp_sendto_limited_bcast_no_SO_BROADCAST", "udp_connect_limited_bcast_with_SO_BROADCAST",
                   "udp_send_limited_bcast_with_SO_BROADCAST", "udp_connect_subnet_bcast_with_SO_BROADCAST",
                   "udp_send_subnet_bcast_with_SO_BROADCAST", "udp_bcast_connect_then_clear_SO_BROADCAST",
                   "udp_bcast_send_after_clearing_SO_BROADCAST", "udp_connect_multicast_no_options",
                   "udp_send_multicast"}),
      udp_section("U01, U11", "dead on-link host: connect() does not wait; ARP's failure only with IP_RECVERR",
                  {"udp_connect_dead_onlink_host", "udp_connect_dead_onlink_host_IP_RECVERR", "udp_dead_onlink_send",
                   "udp_dead_onlink_send_IP_RECVERR", "udp_dead_onlink_recv_after_arp_failure",
                   "udp_dead_onlink_recv_after_arp_failure_IP_RECVERR", "udp_dead_onlink_send_again"}),
  };
}

std::function<bool(const ProbeRun&)> labels(std::vector<std::string> names) {
  return [names](const ProbeRun& run) {
    for (const std::string& n : names) {
      if (run.label == n) return true;
    }
    return false;
  };
}
std::function<bool(const ProbeRun&)> labels_starting(std::string prefix) {
  return [prefix](const ProbeRun& run) { return run.label.rfind(prefix, 0) == 0; };
}

}  // namespace

std::vector<Situation> compared_situations() {
  std::vector<Situation> all = blocking_situations();
  for (auto& s : option_situations()) all.push_back(std::move(s));
  for (auto& s : nonblocking_situations()) all.push_back(std::move(s));
  for (auto& s : argument_situations()) all.push_back(std::move(s));
  all.push_back(address_in_use(1));
  all.push_back(address_in_use(2));
  all.push_back(ephemeral_ports());
  for (auto& s : udp_connect_situations()) all.push_back(std::move(s));
  all.push_back(udp_arguments());
  all.push_back(udp_ephemeral_ports());
  for (auto& s : udp_semantics_situations()) all.push_back(std::move(s));
  return all;
}

std::vector<NotComparedYet> not_compared_yet() {
  return {
      {"T06", labels_starting("sync_"),
       "an ICMP error that arrives while connect() holds the socket lock (a soft error) is not modelled: netstep "
       "delivers every ICMP error after connect() went to sleep, as the kernel does with RPS (the async_ runs)"},
      {"T24", labels({"notsock_devnull", "notsock_pipe"}),
       "the probe passes /dev/null and a pipe; netstep has no files or pipes (its only open descriptors that are not "
       "sockets are the standard streams, checked by the conformance suite's T24)"},
      {"T25b", labels_starting("timewait:"),
       "the old connection in TIME_WAIT: the lab's listeners are bare TCP listeners with no application, so nothing "
       "closes the server's side and the client's active close ends in FIN-WAIT-2, not TIME_WAIT (netstep's takeover "
       "of a TIME_WAIT entry from a bound port is checked by the conformance suite's T25b linux instead)"},
  };
}

}  // namespace netstep::interop
