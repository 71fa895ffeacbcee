#include "debug_command.hpp"

#include <iostream>
#include <unistd.h>

#include "debug/run_to_event.hpp"
#include "debug_repl.hpp"
#include "ping_command.hpp"  // the exit codes
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"

namespace netstep::cli {

std::unique_ptr<debug::Breakpoint> parse_breakpoint(const std::string& spec) {
  const std::size_t colon = spec.find(':');
  if (colon == std::string::npos || colon + 1 == spec.size()) return nullptr;
  const std::string kind = spec.substr(0, colon);
  std::string what = spec.substr(colon + 1);
  if (kind == "state") {
    std::optional<std::string> host;
    if (const std::size_t at = what.find('@'); at != std::string::npos) {
      host = what.substr(at + 1);
      what.resize(at);
    }
    std::optional<std::string> state;
    if (what != "any") state = what;
    return std::make_unique<debug::TcpStateBreakpoint>(state, host);
  }
  if (kind == "return") return std::make_unique<debug::SocketReturnBreakpoint>(what);
  if (kind == "timer") return std::make_unique<debug::TimerBreakpoint>(what == "any" ? std::string{} : what);
  return nullptr;
}

void add_debug_command(CLI::App& app, DebugOptions& options, int& exit_code) {
  CLI::App* debug = app.add_subcommand(
      "debug", "Step through a scenario file: commands from standard input (s, si, back, b, c, where, sockets, tcb, "
               "q; 'help' lists them). docs/debugger.md");
  debug->add_option("FILE", options.file, "The scenario (YAML)")->required();
  debug->add_option("-p,--personality", options.personality,
                    "linux, freebsd, winsock, freertos or targettcp (default: the file's first)");
  debug->add_option("--break", options.breaks,
                    "A breakpoint: state:SYN-SENT, state:any, state:CLOSED@client, return:ECONNREFUSED, return:111, "
                    "timer:retransmission, timer:any (repeatable)");
  debug->add_option("--at", options.at, "Start at trace event #N (as the debugger numbers them)");
  debug->callback([&options, &exit_code] { exit_code = debug_scenario_file(options, std::cin, std::cout, std::cerr); });
}

int debug_scenario_file(const DebugOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  std::shared_ptr<const scenario::Scenario> scenario;
  try {
    scenario = std::make_shared<const scenario::Scenario>(scenario::load_scenario_file(options.file));
  } catch (const scenario::ScenarioError& e) {
    err << "netstep debug: " << e.what() << "\n";
    return exit_bad_input;
  }
  socket::PersonalityId personality = scenario->personalities.front();
  if (!options.personality.empty()) {
    const socket::Personality* p = socket::Personality::find(options.personality);
    if (p == nullptr) {
      err << "netstep debug: unknown personality '" << options.personality
          << "' (expected linux, freebsd, winsock, freertos or targettcp)\n";
      return exit_bad_input;
    }
    personality = p->id();
  }
  const std::string title = options.file + ": " + scenario->name + ", as " +
                            std::string{socket::Personality::get(personality).name()};
  try {
    return debug_world(scenario::debug_world_factory(scenario, personality), title, options.breaks, options.at, in, out,
                       err);
  } catch (const scenario::ScenarioError& e) {
    err << "netstep debug: " << e.what() << "\n";
    return exit_bad_input;
  }
}

int debug_world(const debug::WorldFactory& factory, const std::string& title, const std::vector<std::string>& breaks,
                std::optional<std::uint64_t> at, std::istream& in, std::ostream& out, std::ostream& err) {
  std::vector<std::unique_ptr<debug::Breakpoint>> breakpoints;
  for (const std::string& spec : breaks) {
    auto b = parse_breakpoint(spec);
    if (!b) {
      err << "netstep debug: --break " << spec
          << ": expected state:STATE[@HOST], state:any, return:ERROR, timer:NAME or timer:any\n";
      return exit_bad_input;
    }
    breakpoints.push_back(std::move(b));
  }
  debug::DebugSession session{factory};
  for (auto& b : breakpoints) (void)session.add_breakpoint(std::move(b));
  out << "netstep debug " << title << " ('help' lists the commands)\n";
  if (at) {
    const debug::Stop stop = debug::run_to_event(session, *at);
    out << (stop.kind == debug::Stop::Kind::End ? stop.why : "at event #" + std::to_string(*at)) << "\n";
    out << where_text(session);
  }
  debug_repl(session, in, out, isatty(STDIN_FILENO) == 0);
  return exit_ok;
}

}  // namespace netstep::cli
