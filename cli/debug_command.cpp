#include "debug_command.hpp"

#include <iostream>
#include <unistd.h>

#include "debug/run_to_event.hpp"
#include "debug_repl.hpp"
#include "ping_command.hpp"  // the exit codes
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"
#include "program_check.hpp"
#ifdef NETSTEP_HAS_PCAP_DEVICE
#include "pcap/bpf_predicate.hpp"
#endif

namespace netstep::cli {

namespace {
constexpr std::string_view breakpoint_forms =
    "expected state:STATE[@HOST], state:any, return:ERROR, timer:NAME, timer:any or bpf:FILTER";
}  // namespace

std::unique_ptr<debug::Breakpoint> parse_breakpoint(const std::string& spec, std::string& error) {
  error = breakpoint_forms;
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
  if (kind == "bpf") {
#ifdef NETSTEP_HAS_PCAP_DEVICE
    try {
      return std::make_unique<debug::FrameBreakpoint>(live::compile_bpf(what));
    } catch (const live::BpfSyntaxError& e) {
      error = std::string{"libpcap cannot compile "} + e.what();
      return nullptr;
    }
#else
    error = "bpf: breakpoints need libpcap, which this netstep was built without";
    return nullptr;
#endif
  }
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
                    "timer:retransmission, timer:any, bpf:'tcp[tcpflags] & tcp-rst != 0' (tcpdump's filter language; "
                    "repeatable)");
  debug->add_option("--at", options.at, "Start at trace event #N (as the debugger numbers them)");
  debug->add_option("--program", options.program, "A lab program (.c, .cpp or .so) to step through, with --lab and --run");
  debug->add_option("--lab", options.lab, "The lab folder whose program.yaml has the run (labs/06-nonblocking-connect)");
  debug->add_option("--run", options.run, "The run of program.yaml the program plays in");
  debug->callback([&options, &exit_code] { exit_code = debug_scenario_file(options, std::cin, std::cout, std::cerr); });
}

namespace {

std::optional<socket::PersonalityId> personality_named(const std::string& name, std::ostream& err) {
  const socket::Personality* p = socket::Personality::find(name);
  if (p == nullptr) {
    err << "netstep debug: unknown personality '" << name
        << "' (expected linux, freebsd, winsock, freertos or targettcp)\n";
    return std::nullopt;
  }
  return p->id();
}

// `netstep debug --program FILE --lab DIR --run NAME`: the program re-runs
// from the start each time the session rebuilds the world.
int debug_lab_program(const DebugOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  if (options.lab.empty() || options.run.empty() || !options.file.empty()) {
    err << "netstep debug: --program needs --lab DIR and --run NAME, and no FILE\n";
    return exit_bad_input;
  }
  socket::PersonalityId personality = socket::PersonalityId::Linux;
  if (!options.personality.empty()) {
    const auto named = personality_named(options.personality, err);
    if (!named) return exit_bad_input;
    personality = *named;
  }
  const std::string title = options.program + ": run " + options.run + " of " + options.lab + ", as " +
                            std::string{socket::Personality::get(personality).name()};
  try {
    return debug_world(lab::program_world_factory(options.lab, options.run, options.program, personality), title,
                       options.breaks, options.at, in, out, err);
  } catch (const lab::LabInputError& e) {
    err << "netstep debug: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const scenario::ScenarioError& e) {
    err << "netstep debug: " << e.what() << "\n";
    return exit_bad_input;
  }
}

}  // namespace

int debug_scenario_file(const DebugOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  if (!options.program.empty()) return debug_lab_program(options, in, out, err);
  if (options.file.empty()) {
    err << "netstep debug: a scenario FILE is required (or --program with --lab and --run)\n";
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
    const auto named = personality_named(options.personality, err);
    if (!named) return exit_bad_input;
    personality = *named;
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
    std::string error;
    auto b = parse_breakpoint(spec, error);
    if (!b) {
      err << "netstep debug: --break " << spec << ": " << error << "\n";
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
