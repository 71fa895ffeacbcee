#include "debug_command.hpp"

#include <iostream>
#include <unistd.h>

#include "debug_repl.hpp"
#include "ping_command.hpp"  // the exit codes
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"
#ifdef NETSTEP_WITH_LABS
#include "program_check.hpp"
#endif

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
  debug->add_option("FILE", options.file, "The scenario (YAML); not with --program");
  debug->add_option("-p,--personality", options.personality,
                    "linux, freebsd, winsock, freertos or targettcp (default: the file's first)");
  debug->add_option("--break", options.breaks,
                    "A breakpoint: state:SYN-SENT, state:any, state:CLOSED@client, return:ECONNREFUSED, return:111, "
                    "timer:retransmission, timer:any (repeatable)");
#ifdef NETSTEP_WITH_LABS
  debug->add_option("--program", options.program, "A lab program (.c, .cpp or .so) to step through, with --lab and --run");
  debug->add_option("--lab", options.lab, "The lab folder whose program.yaml has the run (labs/06-nonblocking-connect)");
  debug->add_option("--run", options.run, "The run of program.yaml the program plays in");
#endif
  debug->callback([&options, &exit_code] { exit_code = debug_scenario_file(options, std::cin, std::cout, std::cerr); });
}

#ifdef NETSTEP_WITH_LABS
// `netstep debug --program FILE --lab DIR --run NAME`: the program re-runs
// from the start each time the session rebuilds the world.
static int debug_lab_program(const DebugOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  if (options.lab.empty() || options.run.empty() || !options.file.empty()) {
    err << "netstep debug: --program needs --lab DIR and --run NAME, and no FILE\n";
    return exit_bad_input;
  }
  socket::PersonalityId personality = socket::PersonalityId::Linux;
  if (!options.personality.empty()) {
    const socket::Personality* p = socket::Personality::find(options.personality);
    if (p == nullptr) {
      err << "netstep debug: unknown personality '" << options.personality
          << "' (expected linux, freebsd, winsock, freertos or targettcp)\n";
      return exit_bad_input;
    }
    personality = p->id();
  }
  try {
    debug::DebugSession session{lab::program_world_factory(options.lab, options.run, options.program, personality)};
    for (const std::string& spec : options.breaks) {
      auto b = parse_breakpoint(spec);
      if (!b) {
        err << "netstep debug: --break " << spec << ": expected state:STATE[@HOST], state:any, return:ERROR, timer:NAME or timer:any\n";
        return exit_bad_input;
      }
      (void)session.add_breakpoint(std::move(b));
    }
    out << "netstep debug " << options.program << ": run " << options.run << " of " << options.lab << ", as "
        << socket::Personality::get(personality).name() << " ('help' lists the commands)\n";
    debug_repl(session, in, out, isatty(STDIN_FILENO) == 0);
  } catch (const lab::LabInputError& e) {
    err << "netstep debug: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const scenario::ScenarioError& e) {
    err << "netstep debug: " << e.what() << "\n";
    return exit_bad_input;
  }
  return exit_ok;
}
#endif

int debug_scenario_file(const DebugOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
#ifdef NETSTEP_WITH_LABS
  if (!options.program.empty()) return debug_lab_program(options, in, out, err);
#endif
  if (options.file.empty()) {
    err << "netstep debug: a scenario FILE is required\n";
    return exit_bad_input;
  }
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
  std::vector<std::unique_ptr<debug::Breakpoint>> breakpoints;
  for (const std::string& spec : options.breaks) {
    auto b = parse_breakpoint(spec);
    if (!b) {
      err << "netstep debug: --break " << spec
          << ": expected state:STATE[@HOST], state:any, return:ERROR, timer:NAME or timer:any\n";
      return exit_bad_input;
    }
    breakpoints.push_back(std::move(b));
  }
  try {
    debug::DebugSession session{scenario::debug_world_factory(scenario, personality)};
    for (auto& b : breakpoints) (void)session.add_breakpoint(std::move(b));
    out << "netstep debug " << options.file << ": " << scenario->name << ", as "
        << socket::Personality::get(personality).name() << " ('help' lists the commands)\n";
    debug_repl(session, in, out, isatty(STDIN_FILENO) == 0);
  } catch (const scenario::ScenarioError& e) {
    err << "netstep debug: " << e.what() << "\n";
    return exit_bad_input;
  }
  return exit_ok;
}

}  // namespace netstep::cli
