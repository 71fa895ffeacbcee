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
  RunSinkOptions outputs;
  outputs.trace_path = options.trace_path;
  outputs.capture_path = options.capture_path;
  outputs.full = options.full;
  outputs.quiet = options.quiet;
  LiveRun run;
  if (!open_live_run(run, outputs, options.via, "client", options.seed, "ping", out, err)) return exit_bad_input;
  EventLoop& loop = run.loop;
  RunSinks& sinks = *run.sinks;
  LiveWire& wire = *run.wire;
  PingConfig config;
  config.destination = destination;
  config.count = options.count;
  config.payload_size = options.size;
  config.ttl = static_cast<std::uint8_t>(options.ttl);
  config.interval = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(options.interval_seconds));
  config.linger = std::min<Duration>(config.linger, std::max<Duration>(config.interval, 2s));
  Ping ping{loop, wire.host().tracer(), wire.host().icmp(), config};

  if (!options.quiet) {
    out << "netstep ping " << destination.to_string() << " from " << wire.describe() << ":\n\n";
    out.flush();
  }
  ping.start();
  const live::StopReason stop = wire.loop().run([&] { return ping.done(); }, wire.deadline());
  sinks.end_narrative();
  if (const std::string note = wire.stop_note(stop); !note.empty()) out << "\n" << note << "\n";

  if (ping.local_error()) {
    err << "netstep ping: " << destination.to_string() << ": " << to_string(*ping.local_error()) << '\n';
  }
  print_statistics(out, ping, wire.loop().now() - Instant{});
  if (!options.quiet) {
    print_arp_cache(out, wire.host());
    out << wire.drop_note() << "\n";
  }

  try {
    sinks.commit();
  } catch (const std::exception& e) {
    err << "netstep ping: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (ping.local_error() || stop == live::StopReason::DeviceFailed) return exit_bad_input;
  return ping.statistics().received > 0 ? exit_ok : exit_expectation_failed;
}

}  // namespace netstep::cli
