#include "lab_open.hpp"

#include <cstdlib>
#include <iostream>
#include <unistd.h>
#include <vector>

#include "checker.hpp"
#include "debug/debug_session.hpp"
#include "debug_command.hpp"
#include "lab.hpp"
#include "lab_catalogue.hpp"
#include "ping_command.hpp"  // the exit codes
#include "program_check.hpp"
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"

namespace netstep::cli {

namespace {

bool has_display() {
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return true;
  }
  return false;
}

// build/<preset>/cli/netstep -> build/<preset>/gui/qt/netstep-gui; an
// installed netstep has it in the same folder.
std::filesystem::path gui_beside_us() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto bin = self.parent_path();
  for (const auto& candidate : {bin.parent_path() / "gui" / "qt" / "netstep-gui", bin / "netstep-gui"}) {
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  }
  return bin.parent_path() / "gui" / "qt" / "netstep-gui";  // where it would be: for the message
}

socket::PersonalityId personality_named(const std::string& name, const scenario::Scenario& s) {
  if (name.empty()) return s.personalities.front();
  const auto* p = socket::Personality::find(name);
  if (p == nullptr) {
    throw lab::LabInputError{"unknown personality '" + name + "' (expected linux, freebsd, winsock, freertos or targettcp)"};
  }
  return p->id();
}

// Where a `break:` spec first stops in a headless session: the event to open at.
std::optional<std::uint64_t> event_of_break(const debug::WorldFactory& factory, const std::string& spec) {
  auto breakpoint = parse_breakpoint(spec);
  if (!breakpoint) throw lab::LabInputError{"lab.yaml open: break: " + spec + ": expected state:STATE[@HOST], return:ERROR or timer:NAME"};
  debug::DebugSession session{factory};
  (void)session.add_breakpoint(std::move(breakpoint));
  const debug::Stop stop = session.continue_();
  if (stop.kind != debug::Stop::Kind::Breakpoint) return std::nullopt;
  return stop.event;
}

}  // namespace

int open_lab(const LabOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const lab::Lab l = lab::load_lab(lab::find_lab(labs_root(options.labs), options.number).lab_yaml);
  std::optional<std::uint64_t> at = options.at;
  const bool gui = has_display() && !options.text;

  if (!options.run.empty() || !options.program.empty()) {
    if (options.run.empty() || options.program.empty()) {
      throw lab::LabInputError{"--run and --program go together: the run of program.yaml and the program playing it"};
    }
    const auto* p = socket::Personality::find(options.personality.empty() ? "linux" : options.personality);
    if (p == nullptr) throw lab::LabInputError{"unknown personality '" + options.personality + "'"};
    const auto factory = lab::program_world_factory(l.dir, options.run, options.program, p->id());
    if (gui) out << "(the Qt debugger does not open program runs yet: the terminal debugger instead)\n";
    return debug_world(factory, "lab " + std::to_string(l.number) + " run " + options.run + ", " + options.program +
                                    ", as " + std::string{p->name()},
                       {}, at, in, out, err);
  }

  // The scenario: --scenario, else open: scenario, else the lab's first.
  const std::string name = !options.scenario.empty() ? options.scenario
                           : !l.open.scenario.empty() ? l.open.scenario
                                                      : l.scenarios.front();
  const auto path = l.scenario_path(name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    std::string there;
    for (const auto& s : l.scenarios) there += (there.empty() ? "" : ", ") + s;
    throw lab::LabInputError{"lab " + std::to_string(l.number) + " has no scenario " + name + " (it has " + there + ")"};
  }
  std::shared_ptr<const scenario::Scenario> s;
  try {
    s = std::make_shared<const scenario::Scenario>(scenario::load_scenario_file(path.string()));
  } catch (const scenario::ScenarioError& e) {
    throw lab::LabInputError{e.what()};
  }
  // open: personality and break belong to open: scenario.
  const bool lab_start = name == (l.open.scenario.empty() ? l.scenarios.front() : l.open.scenario);
  const std::string personality_name =
      !options.personality.empty() ? options.personality : lab_start ? l.open.personality : std::string{};
  const socket::PersonalityId personality = personality_named(personality_name, *s);
  const auto factory = scenario::debug_world_factory(s, personality);
  if (!at && lab_start && !l.open.break_spec.empty()) at = event_of_break(factory, l.open.break_spec);
  const std::string pname{socket::Personality::get(personality).name()};

  if (gui) {
    const auto program = gui_beside_us();
    if (!std::filesystem::is_regular_file(program, ec)) {
      err << "netstep lab open: netstep-gui is not built (looked for " << program.string()
          << "; build it with `cmake --build --preset dev --target netstep-gui`), or use --text for the terminal debugger\n";
      return exit_bad_input;
    }
    std::vector<std::string> args{program.string(), path.string(), "-p", pname};
    if (at) {
      args.emplace_back("--at");
      args.push_back(std::to_string(*at));
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    out << std::flush;
    ::execv(program.c_str(), argv.data());
    err << "netstep lab open: cannot start " << program.string() << "\n";
    return exit_bad_input;
  }
  return debug_world(factory, "lab " + std::to_string(l.number) + " (" + l.title + "), " + name + ", as " + pname, {},
                     at, in, out, err);
}

}  // namespace netstep::cli
