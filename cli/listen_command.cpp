#include "listen_command.hpp"

#include <iostream>
#include <list>
#include <optional>
#include <vector>

#include "ping_command.hpp"  // the exit codes
#include "run_sinks.hpp"

namespace netstep::cli {

namespace {

// One accepted connection and the bytes it sent that are not yet echoed.
struct EchoSession {
  tcp::Connection* connection = nullptr;
  std::vector<std::byte> backlog;
  std::size_t echoed = 0;
  bool closed = false;
};

}  // namespace

void add_listen_command(CLI::App& app, ListenOptions& options, int& exit_code) {
  CLI::App* listen = app.add_subcommand(
      "listen", "On a real wire (--via): accept TCP connections on PORT and echo what each client sends, until "
                "Ctrl-C or --count connections");
  listen->add_option("PORT", options.port, "TCP port to listen on")->required()->check(CLI::Range(1, 65535));
  listen->add_option("-c,--count", options.count, "Exit after this many connections have closed")
      ->check(CLI::Range(1, 1000000));
  listen->add_option("--seed", options.seed, "Seed of every random choice (MAC address, ISNs)");
  listen->add_option("--trace", options.trace_path, "Write every trace event as JSON Lines to this file");
  listen->add_option("--pcap", options.capture_path,
                     "Write every frame to this capture file for Wireshark (pcapng, or classic pcap for .pcap)");
  listen->add_flag("--full", options.full, "Narrate every event");
  listen->add_flag("-q,--quiet", options.quiet, "Print only one line per connection");
  add_via_options(listen, options.via);
  listen->callback([&options, &exit_code] { exit_code = run_listen(options, std::cout, std::cerr); });
}

int run_listen(const ListenOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.via.live()) {
    err << "netstep listen: needs a real wire: --via tap:NAME or --via pcap:IFACE, and --ip A.B.C.D/NN "
           "(see docs/real-wires.md)\n";
    return exit_bad_input;
  }
  RunSinkOptions outputs;
  outputs.trace_path = options.trace_path;
  outputs.capture_path = options.capture_path;
  outputs.full = options.full;
  outputs.quiet = options.quiet;
  LiveRun run;
  if (!open_live_run(run, outputs, options.via, "server", options.seed, "listen", out, err)) return exit_bad_input;
  RunSinks& sinks = *run.sinks;
  LiveWire& wire = *run.wire;
  tcp::TcpLayer& tcp = wire.host().tcp();
  const Port port{static_cast<std::uint16_t>(options.port)};
  tcp::Listener& listener = tcp.listen(Endpoint{Ipv4Address{}, port}, 16);
  out << "netstep listen " << options.port << " on " << wire.describe() << ": echoing, "
      << (options.count > 0 ? "until " + std::to_string(options.count) + " connection(s) closed" : std::string{"until Ctrl-C"})
      << "\n\n";
  out.flush();

  std::list<EchoSession> sessions;
  std::vector<std::byte> scratch(64 * 1024);
  int finished = 0;
  const auto serve = [&] {
    while (listener.pending() > 0) {
      EchoSession session;
      session.connection = listener.accept();
      sessions.push_back(std::move(session));
    }
    for (auto it = sessions.begin(); it != sessions.end();) {
      EchoSession& s = *it;
      tcp::Connection& c = *s.connection;
      while (const std::size_t n = c.receive(MutableBytes{scratch})) {
        s.backlog.insert(s.backlog.end(), scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(n));
      }
      if (!s.backlog.empty()) {
        const std::size_t n = c.send(Bytes{s.backlog});
        s.backlog.erase(s.backlog.begin(), s.backlog.begin() + static_cast<std::ptrdiff_t>(n));
        s.echoed += n;
      }
      if (c.peer_finished() && s.backlog.empty() && !s.closed) {
        c.close();
        s.closed = true;
      }
      if (c.state() == tcp::State::Closed || c.state() == tcp::State::TimeWait) {
        out << "connection from " << c.tuple().remote.to_string() << ": echoed " << s.echoed << " bytes, "
            << to_string(c.outcome()) << "\n";
        out.flush();
        tcp.release(c);
        it = sessions.erase(it);
        ++finished;
        continue;
      }
      ++it;
    }
    return options.count > 0 && finished >= options.count;
  };
  const live::StopReason stop = wire.loop().run(serve, wire.deadline());
  sinks.end_narrative();
  if (const std::string note = wire.stop_note(stop); !note.empty()) out << "\n" << note << "\n";
  out << finished << " connection(s) served; " << wire.drop_note() << "\n";

  try {
    sinks.commit();
  } catch (const std::exception& e) {
    err << "netstep listen: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (stop == live::StopReason::DeviceFailed) return exit_bad_input;
  if (stop == live::StopReason::Deadline && options.count > 0) return exit_expectation_failed;
  return exit_ok;
}

}  // namespace netstep::cli
