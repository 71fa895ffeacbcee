#include "ping_command.hpp"

#include <cstdio>
#include <iostream>
#include <optional>

#include "app/ping.hpp"
#include "run_sinks.hpp"
#include "topology/capture_links.hpp"
#include "topology/default_topology.hpp"

namespace netstep::cli {

void print_statistics(std::ostream& out, const Ping& ping, Duration elapsed) {
  const PingStatistics& s = ping.statistics();
  out << "\n--- " << ping.config().destination.to_string() << " ping statistics ---\n";
  out << s.transmitted << " packets transmitted, " << s.received << " received";
  if (s.duplicates > 0) out << ", +" << s.duplicates << " duplicates";
  if (s.errors > 0) out << ", +" << s.errors << " errors";
  out << ", " << s.loss_percent() << "% packet loss, time "
      << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << "ms\n";
  if (s.received > 0) {
    char line[160];
    const auto ms = [](Duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::snprintf(line, sizeof line, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n", ms(s.rtt_min),
                  ms(s.rtt_avg()), ms(s.rtt_max), s.rtt_mdev_ms());
    out << line;
  }
}

void print_arp_cache(std::ostream& out, Host& host) {
  out << "\n" << host.name() << "'s ARP cache:\n";
  bool any = false;
  for (std::size_t i = 0; i < host.interface_count(); ++i) {
    EthernetInterface& interface = host.interface(i);
    for (const auto& entry : interface.neighbours().entries()) {
      char line[128];
      std::snprintf(line, sizeof line, "  %-15s %-17s %-10s %.*s\n", entry.address.to_string().c_str(),
                    entry.mac.is_zero() ? "(incomplete)" : entry.mac.to_string().c_str(),
                    std::string{to_string(entry.state)}.c_str(), static_cast<int>(interface.name().size()),
                    interface.name().data());
      out << line;
      any = true;
    }
  }
  if (!any) out << "  (empty)\n";
}

void add_ping_command(CLI::App& app, PingOptions& options, int& exit_code) {
  CLI::App* ping = app.add_subcommand(
      "ping", "Ping DST from the client of the default simulated network, narrating every frame and ARP state");
  ping->add_option("DST", options.destination, "Destination IPv4 address (10.0.0.2 server, 10.0.1.2 remote)")
      ->required();
  ping->add_option("-c,--count", options.count, "Echo requests to send")->check(CLI::Range(1, 1000));
  ping->add_option("--loss", options.loss, "Probability that any frame is lost on any cable")
      ->check(CLI::Range(0.0, 1.0));
  ping->add_option("--seed", options.seed, "Seed of every random choice (same seed, same run)");
  ping->add_option("-s,--size", options.size, "Bytes of echo data")->check(CLI::Range(0, 65507));
  ping->add_option("-t,--ttl", options.ttl, "IP time to live of the requests")->check(CLI::Range(1, 255));
  ping->add_option("-i,--interval", options.interval_seconds, "Seconds between requests (virtual time)")
      ->check(CLI::Range(0.001, 3600.0));
  ping->add_option("--trace", options.trace_path, "Write every trace event as JSON Lines to this file");
  ping->add_option("--pcap", options.capture_path,
                   "Write every frame to this capture file for Wireshark: pcapng with a comment per frame, or "
                   "classic pcap if the name ends in .pcap");
  ping->add_flag("--full", options.full, "Narrate every event: frames received, routes, timers");
  ping->add_flag("-q,--quiet", options.quiet, "Print only the statistics");
  add_via_options(ping, options.via);
  ping->callback([&options, &exit_code] { exit_code = run_ping(options, std::cout, std::cerr); });
}

int run_ping(const PingOptions& options, std::ostream& out, std::ostream& err) {
  const auto destination = Ipv4Address::parse(options.destination);
  if (!destination) {
    err << "netstep ping: '" << options.destination << "' is not an IPv4 address (expected e.g. 10.0.0.2)\n";
    return exit_bad_input;
  }
  if (options.via.live()) return run_live_ping(*destination, options, out, err);

  EventLoop loop;
  TraceBus bus{loop};
  std::optional<RunSinks> sinks;
  const RunSinkOptions sink_options{.trace_path = options.trace_path,
                                    .capture_path = options.capture_path,
                                    .full = options.full,
                                    .quiet = options.quiet};
  if (!RunSinks::open(sinks, bus, out, err, "ping", sink_options)) return exit_bad_input;

  topology::DefaultTopology network{loop, bus, topology::DefaultTopologyOptions{options.seed, options.loss}};
  sinks->network_built({"client", "server", "router", "remote"}, topology::capture_links(network.network()));
  PingConfig config;
  config.destination = *destination;
  config.count = options.count;
  config.payload_size = options.size;
  config.ttl = static_cast<std::uint8_t>(options.ttl);
  config.interval = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(options.interval_seconds));
  Ping ping{loop, network.client().tracer(), network.client().icmp(), config};

  if (!options.quiet) {
    out << "netstep ping " << destination->to_string() << " from client 10.0.0.1 on the default network (seed "
        << options.seed << (options.loss > 0 ? ", loss " + std::to_string(options.loss) : std::string{}) << "):\n"
        << topology::DefaultTopology::diagram() << "\n";
  }
  ping.start();
  const Instant started = loop.now();
  while (!ping.done() && loop.run_next()) {
  }
  sinks->end_narrative();

  if (ping.local_error()) {
    err << "netstep ping: " << destination->to_string() << ": " << to_string(*ping.local_error()) << '\n';
  }
  print_statistics(out, ping, loop.now() - started);
  if (!options.quiet) print_arp_cache(out, network.client());

  try {
    sinks->commit();
  } catch (const std::exception& e) {
    err << "netstep ping: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (ping.local_error()) return exit_bad_input;
  return ping.statistics().received > 0 ? exit_ok : exit_expectation_failed;
}

}  // namespace netstep::cli
