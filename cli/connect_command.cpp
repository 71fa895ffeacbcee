#include "connect_command.hpp"

#include "connect_readings.hpp"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <optional>

#include "ping_command.hpp"  // the exit codes
#include "run_sinks.hpp"
#include "sim/frame_rule.hpp"
#include "socket/personality.hpp"
#include "tcp/tcp_layer.hpp"
#include "topology/capture_links.hpp"
#include "topology/default_topology.hpp"
#include "wire/icmp.hpp"

namespace netstep::cli {

namespace {

constexpr Port listening_port{80};  // the server and the remote host listen here

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto address = Ipv4Address::parse(text.substr(0, colon));
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (!address || error != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return Endpoint{*address, Port{static_cast<std::uint16_t>(port)}};
}

}  // namespace

// "0.400 ms", "131.000 s".
std::string readable(Duration d) {
  char text[32];
  const double s = std::chrono::duration<double>(d).count();
  if (s < 1.0) {
    std::snprintf(text, sizeof text, "%.3f ms", s * 1000.0);
  } else {
    std::snprintf(text, sizeof text, "%.3f s", s);
  }
  return text;
}

namespace {

// What ended the attempt, in our words, with the RFC that decides it. The
// errno each system reports comes with the sockets layer (issue 4).
std::string_view meaning(tcp::Outcome outcome) {
  switch (outcome) {
    case tcp::Outcome::Refused:
      return "refused: the destination's TCP answered our SYN with RST,ACK, so nobody listens on that port "
             "(RFC 9293 3.10.7.3)";
    case tcp::Outcome::TimedOut:
      return "timed out: no answer to any SYN, and the SYN schedule gave up";
    case tcp::Outcome::Reset: return "reset by the peer";
    case tcp::Outcome::Unreachable:
      return "unreachable: an ICMP error about our SYN ended the attempt as soon as it arrived, as Linux does "
             "(RFC 1122 4.2.3.9 would let it wait)";
    default: return to_string(outcome);
  }
}

}  // namespace

std::string failure_result(const tcp::Connection& client, Duration handshake) {
  std::string result = "connect(): " + std::string{meaning(client.outcome())} + ", after " + readable(handshake) +
                       " and " + std::to_string(client.syns_sent()) + " SYN" + (client.syns_sent() == 1 ? "" : "s");
  if (const auto soft = client.soft_error()) {
    const std::string icmp =
        std::string{wire::describe_icmp(soft->type, soft->code)} + " from " + soft->reporter.to_string();
    result += client.outcome() == tcp::Outcome::Unreachable
                  ? " (" + icmp + ")"
                  : " (the last ICMP error, " + icmp + ", is what Linux reports instead of a timeout)";
  }
  return result;
}

void add_connect_command(CLI::App& app, ConnectOptions& options, int& exit_code) {
  CLI::App* connect = app.add_subcommand(
      "connect",
      "Open a TCP connection from the client of the default simulated network to ADDRESS:PORT, narrating the "
      "handshake, the data and the close (10.0.0.2 and 10.0.1.2 listen on port 80)");
  connect->add_option("DST", options.destination, "Destination, as ADDRESS:PORT (e.g. 10.0.0.2:80)")->required();
  connect->add_option("-b,--bytes", options.bytes, "Bytes the client sends once connected, before it closes")
      ->check(CLI::Range(std::size_t{0}, std::size_t{64} << 20));
  connect->add_flag("--silent", options.silent,
                    "Make the destination silent: the network swallows every SYN sent to it");
  connect->add_option("--loss", options.loss, "Probability that any frame is lost on any cable")
      ->check(CLI::Range(0.0, 1.0));
  connect->add_option("--seed", options.seed, "Seed of every random choice (same seed, same run)");
  connect->add_option("--trace", options.trace_path, "Write every trace event as JSON Lines to this file");
  connect->add_option("--pcap", options.capture_path,
                      "Write every frame to this capture file for Wireshark: pcapng with a comment per frame, or "
                      "classic pcap if the name ends in .pcap");
  connect->add_flag("--full", options.full, "Narrate every event: frames received, routes, timers, TCB variables");
  connect->add_flag("-q,--quiet", options.quiet, "Print only the result");
  connect->add_flag("--diagram", options.diagram,
                    "Draw the run as a sequence diagram (a lifeline per host, an arrow per frame) instead of the "
                    "line-per-event narrative");
  connect->add_option("-p,--personality", options.personality,
                      "Whose SYN schedule the client follows: linux, freebsd, winsock, freertos or targettcp "
                      "(the connect() table at the end shows all five either way)")
      ->check(CLI::IsMember({"linux", "freebsd", "winsock", "freertos", "targettcp"}));
  connect->add_option("--syn-retries", options.syn_retries,
                      "Linux's net.ipv4.tcp_syn_retries for this run (1 to 127; default 6): fewer SYNs, an earlier "
                      "ETIMEDOUT")
      ->check(CLI::Range(1, 127));
  connect->add_flag("--absolute", options.absolute,
                    "With --diagram: every sequence and acknowledgment number with its absolute value beside the "
                    "relative one, as on the wire: seq=1(1411452507)");
  add_via_options(connect, options.via);
  connect->callback([&options, &exit_code] { exit_code = run_connect(options, std::cout, std::cerr); });
}

std::optional<std::string> configure_client_tcp(tcp::TcpLayer& tcp, const ConnectOptions& options) {
  const socket::Personality* personality = socket::Personality::find(options.personality);
  if (personality == nullptr) return "unknown personality '" + options.personality + "'";
  if (options.syn_retries != 0 && personality->id() != tcp::SynPersonality::Linux) {
    return "--syn-retries is Linux's tcp_syn_retries: use it with --personality linux";
  }
  tcp::TcpConfig config = tcp.defaults();
  if (options.syn_retries != 0) {
    tcp::LinuxSynSysctls sysctls;
    sysctls.tcp_syn_retries = options.syn_retries;
    config.syn = tcp::linux_syn_policy(sysctls);
  } else {
    config.syn = tcp::syn_policy_for(personality->id());
  }
  tcp.set_defaults(config);
  return std::nullopt;
}

int run_connect(const ConnectOptions& options, std::ostream& out, std::ostream& err) {
  const std::optional<Endpoint> destination = parse_endpoint(options.destination);
  if (!destination) {
    err << "netstep connect: '" << options.destination
        << "' is not ADDRESS:PORT with a port from 1 to 65535 (expected e.g. 10.0.0.2:80)\n";
    return exit_bad_input;
  }
  if (options.via.live()) return run_live_connect(*destination, options, out, err);

  EventLoop loop;
  TraceBus bus{loop};
  std::optional<RunSinks> sinks;
  const RunSinkOptions sink_options{.trace_path = options.trace_path,
                                    .capture_path = options.capture_path,
                                    .full = options.full,
                                    .quiet = options.quiet,
                                    .diagram = options.diagram,
                                    .absolute = options.absolute};
  if (!RunSinks::open(sinks, bus, out, err, "connect", sink_options)) return exit_bad_input;
  const auto end_story = [&] { sinks->end_narrative(); };

  topology::DefaultTopology network{loop, bus, topology::DefaultTopologyOptions{options.seed, options.loss}};
  if (const auto problem = configure_client_tcp(network.client().tcp(), options)) {
    err << "netstep connect: " << *problem << '\n';
    return exit_bad_input;
  }
  tcp::Listener& server_listener = network.server().tcp().listen(Endpoint{Ipv4Address{}, listening_port}, 16);
  tcp::Listener& remote_listener = network.remote().tcp().listen(Endpoint{Ipv4Address{}, listening_port}, 16);
  if (options.silent) {
    sim::FrameMatch syns;
    syns.ip_destination = sim::FrameMatch::host(destination->address);
    syns.destination_port = destination->port;
    syns.tcp_flags_set = sim::tcp_flag::syn;
    syns.tcp_flags_clear = sim::tcp_flag::ack;
    network.network().find_link("client-lan")->add_rule(sim::Direction::AtoB, sim::FrameRule{syns, sim::Drop{}});
  }
  sinks->network_built({"client", "server", "router", "remote"}, topology::capture_links(network.network()));

  if (!options.quiet) {
    out << "netstep connect " << destination->to_string() << " from client 10.0.0.1 on the default network (seed "
        << options.seed << (options.loss > 0 ? ", loss " + std::to_string(options.loss) : std::string{})
        << (options.silent ? ", SYNs to the destination dropped" : "") << "):\n"
        << topology::DefaultTopology::diagram() << "\n";
  }

  const auto connected = network.client().tcp().connect(*destination);
  if (!connected) {
    end_story();
    out << "\nconnect(): failed before any SYN: " << tcp::explain(connected.error()) << "\n";
    return exit_expectation_failed;
  }
  tcp::Connection& client = *connected.value();
  const Instant started = loop.now();
  const auto run_until = [&](auto done, Duration limit) {
    const Instant deadline = loop.now() + limit;
    while (!done() && loop.now() <= deadline && loop.run_next()) {
    }
    return done();
  };
  run_until([&] { return client.state() != tcp::State::SynSent && client.state() != tcp::State::SynReceived; },
            600s);
  const Duration handshake = loop.now() - started;

  int code = exit_ok;
  std::string result;
  if (client.state() == tcp::State::Established) {
    result = "connect(): succeeded after " + readable(handshake) + " (" +
             std::to_string(client.syns_sent()) + " SYN" + (client.syns_sent() == 1 ? "" : "s") + ")";
    // The client sends its bytes and closes; the server reads to the end of
    // the stream and closes too; the client ends in TIME-WAIT.
    tcp::Connection* server = nullptr;
    // Bytes counting 00 01 02 ...: not text, which Wireshark would take for
    // an HTTP request on port 80 and flag when a piece is retransmitted.
    std::vector<std::byte> data(options.bytes);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i & 0xff);
    std::vector<std::byte> scratch(64 * 1024);
    std::size_t sent = 0;
    std::size_t received = 0;
    bool server_closed = false;
    run_until(
        [&] {
          if (server == nullptr) server = server_listener.pending() > 0 ? server_listener.accept()
                                          : remote_listener.pending() > 0 ? remote_listener.accept()
                                                                          : nullptr;
          if (sent < data.size()) sent += client.send(Bytes{data}.subspan(sent));
          if (sent == data.size()) client.close();
          if (server != nullptr) {
            while (const std::size_t n = server->receive(MutableBytes{scratch})) received += n;
            if (server->peer_finished() && !server_closed) {
              server->close();
              server_closed = true;
            }
          }
          return client.state() == tcp::State::TimeWait || client.state() == tcp::State::Closed;
        },
        600s);
    result += "; " + std::to_string(received) + " of " + std::to_string(data.size()) +
              " bytes delivered; closed, the client waits in " + std::string{to_string(client.state())};
    if (received != data.size()) code = exit_expectation_failed;
  } else {
    result = failure_result(client, handshake) + "\n\n" + connect_readings(client, options.personality);
    code = exit_expectation_failed;
  }
  end_story();
  out << "\n" << result << "\n";

  try {
    sinks->commit();
  } catch (const std::exception& e) {
    err << "netstep connect: " << e.what() << '\n';
    return exit_bad_input;
  }
  return code;
}

}  // namespace netstep::cli
