// `netstep connect ADDRESS:PORT --via ...`: one TCP connection from netstep
// on a real wire, in wall-clock time, narrated as it happens. Once
// connected the client sends --bytes (00 01 02 ...), closes its side and
// reads whatever comes back until the peer closes: against an echo server
// every byte returns, and the summary says whether they came back intact.
#include <iostream>
#include <optional>

#include "connect_command.hpp"
#include "connect_readings.hpp"
#include "live/live_error.hpp"
#include "ping_command.hpp"  // the exit codes
#include "run_sinks.hpp"

namespace netstep::cli {

int run_live_connect(Endpoint destination, const ConnectOptions& options, std::ostream& out, std::ostream& err) {
  if (options.loss > 0 || options.silent) {
    err << "netstep connect: --loss and --silent act on the simulated wire only, not with --via\n";
    return exit_bad_input;
  }
  RunSinkOptions outputs;
  outputs.trace_path = options.trace_path;
  outputs.capture_path = options.capture_path;
  outputs.full = options.full;
  outputs.quiet = options.quiet;
  outputs.diagram = options.diagram;
  outputs.absolute = options.absolute;
  LiveRun run;
  if (!open_live_run(run, outputs, options.via, "client", options.seed, "connect", out, err)) return exit_bad_input;
  EventLoop& loop = run.loop;
  RunSinks& sinks = *run.sinks;
  LiveWire& wire = *run.wire;
  if (const auto problem = configure_client_tcp(wire.host().tcp(), options)) {
    err << "netstep connect: " << *problem << '\n';
    return exit_bad_input;
  }
  if (!options.quiet) {
    out << "netstep connect " << destination.to_string() << " from " << wire.describe() << ":\n\n";
    out.flush();
  }

  const auto connected = wire.host().tcp().connect(destination);
  if (!connected) {
    sinks.end_narrative();
    out << "\nconnect(): failed before any SYN: " << tcp::explain(connected.error()) << "\n";
    return exit_expectation_failed;
  }
  tcp::Connection& client = *connected.value();
  live::LiveLoop& live = wire.loop();
  const std::optional<Instant> deadline = wire.deadline();
  live::StopReason stop = live.run(
      [&] { return client.state() != tcp::State::SynSent && client.state() != tcp::State::SynReceived; }, deadline);
  const Duration handshake = loop.now() - Instant{};  // the clock stopped at the event that decided it

  int code = exit_ok;
  std::string result;
  if (client.state() == tcp::State::Established ||
      (stop == live::StopReason::Done && client.state() == tcp::State::CloseWait)) {
    result = "connect(): succeeded after " + readable(handshake) + " (" + std::to_string(client.syns_sent()) +
             " SYN" + (client.syns_sent() == 1 ? "" : "s") + ")";
    std::vector<std::byte> data(options.bytes);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i & 0xff);
    std::vector<std::byte> scratch(64 * 1024);
    std::size_t sent = 0;
    std::size_t received = 0;
    bool intact = true;
    stop = live.run(
        [&] {
          if (sent < data.size()) sent += client.send(Bytes{data}.subspan(sent));
          if (sent == data.size()) client.close();
          while (const std::size_t n = client.receive(MutableBytes{scratch})) {
            for (std::size_t i = 0; i < n; ++i) {
              if (received + i >= data.size() || scratch[i] != data[received + i]) intact = false;
            }
            received += n;
          }
          // TIME-WAIT is the kernel's to sit out, not the user's: the exchange is over.
          return client.state() == tcp::State::TimeWait || client.state() == tcp::State::Closed;
        },
        deadline);
    result += "; sent " + std::to_string(sent) + " of " + std::to_string(data.size()) + " bytes, " +
              std::to_string(received) + " came back" +
              (received == 0 ? "" : intact && received == data.size() ? " intact (echoed)" : intact ? "" : " (not an echo of ours)") +
              "; the client is in " + std::string{to_string(client.state())};
    if (sent != data.size() || stop != live::StopReason::Done) code = exit_expectation_failed;
    if (client.outcome() == tcp::Outcome::Reset) code = exit_expectation_failed;
  } else if (stop == live::StopReason::Done) {
    result = failure_result(client, handshake) + "\n\n" + connect_readings(client, options.personality);
    code = exit_expectation_failed;
  } else {
    result = "connect(): no answer yet after " + readable(handshake) + " and " + std::to_string(client.syns_sent()) +
             " SYN" + (client.syns_sent() == 1 ? "" : "s");
    code = exit_expectation_failed;
  }
  sinks.end_narrative();
  if (const std::string note = wire.stop_note(stop); !note.empty()) out << "\n" << note;
  out << "\n" << result << "\n" << wire.drop_note() << "\n";
  if (stop == live::StopReason::DeviceFailed) code = exit_bad_input;

  try {
    sinks.commit();
  } catch (const std::exception& e) {
    err << "netstep connect: " << e.what() << '\n';
    return exit_bad_input;
  }
  return code;
}

}  // namespace netstep::cli
