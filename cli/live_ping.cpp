// `netstep ping DST --via ...`: echo requests from netstep on a real wire,
// in wall-clock time: the ARP exchange and every reply narrated as they
// happen, then Linux ping's statistics.
#include <iostream>
#include <optional>

#include "ping_command.hpp"
#include "run_sinks.hpp"

namespace netstep::cli {

int run_live_ping(Ipv4Address destination, const PingOptions& options, std::ostream& out, std::ostream& err) {
  if (options.loss > 0) {
    err << "netstep ping: --loss acts on the simulated wire only, not with --via\n";
    return exit_bad_input;
  }
  EventLoop loop;
  TraceBus bus{loop};
  std::optional<RunSinks> sinks;
  RunSinkOptions sink_options;
  sink_options.trace_path = options.trace_path;
  sink_options.capture_path = options.capture_path;
  sink_options.full = options.full;
  sink_options.peer_outside = true;  // a real wire: the peer's frames show only as received
  sink_options.quiet = options.quiet;
  if (!RunSinks::open(sinks, bus, out, err, "ping", sink_options)) return exit_bad_input;

  std::optional<LiveWire> wire;
  try {
    wire.emplace(loop, bus, options.via, "client", options.seed);
  } catch (const std::exception& e) {
    err << "netstep ping: " << e.what() << '\n';
    return exit_bad_input;
  }
  sinks->network_built({"client"}, wire->capture_links());
  PingConfig config;
  config.destination = destination;
  config.count = options.count;
  config.payload_size = options.size;
  config.ttl = static_cast<std::uint8_t>(options.ttl);
  config.interval = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(options.interval_seconds));
  config.linger = std::min<Duration>(config.linger, std::max<Duration>(config.interval, 2s));
  Ping ping{loop, wire->host().tracer(), wire->host().icmp(), config};

  if (!options.quiet) {
    out << "netstep ping " << destination.to_string() << " from " << wire->describe() << ":\n\n";
    out.flush();
  }
  ping.start();
  const live::StopReason stop = wire->loop().run([&] { return ping.done(); }, wire->deadline());
  sinks->end_narrative();
  if (const std::string note = wire->stop_note(stop); !note.empty()) out << "\n" << note << "\n";

  if (ping.local_error()) {
    err << "netstep ping: " << destination.to_string() << ": " << to_string(*ping.local_error()) << '\n';
  }
  print_statistics(out, ping, wire->loop().now() - Instant{});
  if (!options.quiet) {
    print_arp_cache(out, wire->host());
    out << wire->drop_note() << "\n";
  }

  try {
    sinks->commit();
  } catch (const std::exception& e) {
    err << "netstep ping: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (ping.local_error() || stop == live::StopReason::DeviceFailed) return exit_bad_input;
  return ping.statistics().received > 0 ? exit_ok : exit_expectation_failed;
}

}  // namespace netstep::cli
