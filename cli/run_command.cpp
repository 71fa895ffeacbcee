#include "run_command.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "atomic_file.hpp"
#include "junit_report.hpp"
#include "ping_command.hpp"  // the exit codes
#include "run_sinks.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_runner.hpp"
#include "scenario/scenario_world.hpp"
#include "topology/capture_links.hpp"

namespace netstep::cli {

namespace {

using scenario::RunReport;
using scenario::Scenario;
using scenario::StepRecord;

std::string personality_name(socket::PersonalityId id) { return std::string{socket::Personality::get(id).name()}; }

// With several personalities each run gets its own file: run.pcapng ->
// run-linux.pcapng.
std::string path_for(const std::string& path, socket::PersonalityId id, bool several) {
  if (path.empty() || !several) return path;
  const std::filesystem::path p{path};
  return (p.parent_path() / (p.stem().string() + "-" + personality_name(id) + p.extension().string())).string();
}

std::string expected_text(const StepRecord& s, socket::PersonalityId id) {
  const scenario::CallExpectation* e = s.step->expect.for_personality(id);
  if (e == nullptr) return {};
  std::string out;
  if (e->result) out += e->result->describe();
  if (e->state) out += (out.empty() ? "" : ", ") + std::string{"state "} + *e->state;
  if (e->after) {
    std::ostringstream t;
    t << std::chrono::duration<double>(*e->after).count() << " s";
    out += (out.empty() ? "" : ", ") + std::string{"after "} + t.str();
  }
  return out;
}

// Each step's return, its explanation, and what did not hold.
void print_results(std::ostream& out, const RunReport& run) {
  out << "\nResults as " << personality_name(run.personality) << ":\n";
  for (const StepRecord& s : run.steps) {
    if (s.step->call == scenario::Call::Wait || s.skipped) continue;
    const bool failed = !s.failures.empty() || (s.started && !s.returned);
    out << (failed ? "  FAIL " : "  ok   ") << s.host << ": " << s.step->describe() << " -> "
        << (s.returned ? s.result : s.started ? std::string{"(still blocked)"} : std::string{"(never reached)"});
    const std::string expected = expected_text(s, run.personality);
    if (!expected.empty()) out << "   [expected " << expected << "]";
    out << "\n";
    if (s.is_call && !s.explanation.empty()) out << "         " << s.explanation << "\n";
    for (const std::string& f : s.failures) out << "         " << s.step->mark.where() << ": " << f << "\n";
  }
  for (const std::string& p : run.problems) out << "  FAIL " << p << "\n";
  out << (run.passed() ? "PASS" : "FAIL") << " as " << personality_name(run.personality) << ": "
      << run.expectations_failed() + run.problems.size() << " expectation(s) failed; the run ended at "
      << std::chrono::duration<double>(run.ended.time_since_epoch()).count() << " s after " << run.events
      << " events\n";
}

// --personality all: every call's return under each system, side by side.
void print_table(std::ostream& out, const std::vector<RunReport>& runs) {
  if (runs.empty()) return;
  std::vector<std::string> rows;
  std::size_t first_width = 4;
  for (const StepRecord& s : runs.front().steps) {
    rows.push_back(s.host + ": " + s.step->describe());
    first_width = std::max(first_width, rows.back().size());
  }
  const auto cell_of = [](const StepRecord& s) {
    if (s.skipped) return std::string{"n/a"};
    std::string cell = s.returned ? s.short_result : s.started ? "blocked" : "-";
    if (!s.failures.empty() || (s.started && !s.returned)) cell += " (!)";
    return cell;
  };
  std::vector<std::size_t> widths;
  for (const RunReport& run : runs) {
    std::size_t w = personality_name(run.personality).size();
    for (const StepRecord& s : run.steps) w = std::max(w, cell_of(s).size());
    widths.push_back(w);
  }
  std::string header = "call" + std::string(first_width - 4, ' ');
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string name = personality_name(runs[i].personality);
    header += "  " + name + std::string(widths[i] - name.size(), ' ');
  }
  header.erase(header.find_last_not_of(' ') + 1);
  out << "\n" << header << "\n";
  for (std::size_t row = 0; row < rows.size(); ++row) {
    if (runs.front().steps[row].step->call == scenario::Call::Wait) continue;
    std::string line = rows[row] + std::string(first_width - rows[row].size(), ' ');
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const std::string cell = cell_of(runs[i].steps[row]);
      line += "  " + cell + std::string(widths[i] - cell.size(), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
  out << "(!) marks a return that is not what the scenario expects.\n";
}

}  // namespace

void add_run_command(CLI::App& app, RunOptions& options, int& exit_code) {
  CLI::App* run = app.add_subcommand("run", "Run a scenario file (docs/scenario-format.md), narrated, and check its "
                                            "expectations: exit 0 if all hold, 1 if one fails, 2 for a broken file");
  run->add_option("FILE", options.file, "The scenario (YAML)")->required();
  run->add_option("-p,--personality", options.personality,
                  "linux, freebsd, winsock, freertos, targettcp, or all (default: the file's)");
  run->add_option("--seed", options.seed, "Seed of every random choice (default: the file's)");
  run->add_option("--trace", options.trace_path, "Write every trace event as JSON Lines to this file");
  run->add_option("--pcap", options.pcap_path,
                  "Write every frame to this capture file for Wireshark: pcapng with a comment per frame, or classic "
                  "pcap if the name ends in .pcap (several personalities: one file each, run-linux.pcapng ...)");
  run->add_option("--junit", options.junit_path, "Write the results as JUnit XML to this file");
  run->add_flag("--full", options.full, "Narrate every event: frames received, routes, timers, TCB variables");
  run->add_flag("--narrate", options.narrate, "Narrate each run even when several personalities run");
  run->add_flag("--diagram", options.diagram,
                "Tell the run as a sequence diagram (a lifeline per host, an arrow per frame) instead of a line "
                "per event");
  run->add_flag("--absolute", options.absolute,
                "With --diagram: every sequence and acknowledgment number with its absolute value beside the "
                "relative one, as on the wire: seq=1(1411452507)");
  run->add_flag("-q,--quiet", options.quiet, "No narrative: only the results (and what failed)");
  run->callback([&options, &exit_code] { exit_code = run_scenario_file(options, std::cout, std::cerr); });
}

int run_scenario_file(const RunOptions& options, std::ostream& out, std::ostream& err) {
  Scenario scenario;
  try {
    scenario = scenario::load_scenario_file(options.file);
  } catch (const scenario::ScenarioError& e) {
    err << "netstep run: " << e.what() << "\n";
    return exit_bad_input;
  }
  if (!options.personality.empty()) {
    scenario.personalities.clear();
    if (options.personality == "all") {
      for (const char* name : {"linux", "freebsd", "winsock", "freertos", "targettcp"}) {
        scenario.personalities.push_back(socket::Personality::find(name)->id());
      }
    } else if (const socket::Personality* p = socket::Personality::find(options.personality)) {
      scenario.personalities.push_back(p->id());
    } else {
      err << "netstep run: unknown personality '" << options.personality
          << "' (expected linux, freebsd, winsock, freertos, targettcp or all)\n";
      return exit_bad_input;
    }
  }
  if (options.seed) scenario.seed = *options.seed;
  const bool several = scenario.personalities.size() > 1;

  // Every output file is opened before anything runs, so an unwritable path
  // is bad input (exit 2) and not a lost run.
  std::optional<AtomicFile> junit;
  if (!options.junit_path.empty()) {
    try {
      junit.emplace(options.junit_path);
    } catch (const std::exception& e) {
      err << "netstep run: " << e.what() << "\n";
      return exit_bad_input;
    }
  }

  std::vector<RunReport> runs;
  for (const socket::PersonalityId personality : scenario.personalities) {
    const bool narrate = !options.quiet && (!several || options.narrate);
    EventLoop loop;
    TraceBus bus{loop};
    std::optional<RunSinks> sinks;
    const RunSinkOptions sink_options{.trace_path = path_for(options.trace_path, personality, several),
                                      .capture_path = path_for(options.pcap_path, personality, several),
                                      .full = options.full,
                                      .quiet = !narrate,
                                      .diagram = options.diagram,
                                      .absolute = options.absolute};
    if (!RunSinks::open(sinks, bus, out, err, "run", sink_options)) return exit_bad_input;
    if (narrate) {
      out << "netstep run " << options.file << ": " << scenario.name << ", as " << personality_name(personality)
          << " (seed " << scenario.seed << ")\n";
      if (!scenario.description.empty()) out << scenario.description << (scenario.description.ends_with('\n') ? "" : "\n");
      out << "\n";
    }
    try {
      runs.push_back(scenario::run_scenario(scenario, personality, loop, bus, [&sinks](scenario::ScenarioWorld& world) {
        sinks->network_built(world.host_names(), topology::capture_links(world.network()));
      }));
    } catch (const scenario::ScenarioError& e) {
      err << "netstep run: " << e.what() << "\n";
      return exit_bad_input;
    }
    sinks->end_narrative();
    try {
      sinks->commit();
    } catch (const std::exception& e) {
      err << "netstep run: " << e.what() << "\n";
      return exit_bad_input;
    }
    if (!options.quiet || !runs.back().passed()) {
      if (!several || options.narrate || !runs.back().passed()) print_results(out, runs.back());
    }
  }
  if (several) print_table(out, runs);
  const bool passed = std::all_of(runs.begin(), runs.end(), [](const RunReport& r) { return r.passed(); });
  if (junit) {
    write_junit(junit->stream(), scenario, runs);
    try {
      junit->commit();
    } catch (const std::exception& e) {
      err << "netstep run: " << e.what() << "\n";
      return exit_bad_input;
    }
  }
  if (!options.quiet || !passed) {
    out << (passed ? "\nAll expectations held" : "\nSome expectations failed") << " (" << scenario.personalities.size()
        << " run" << (several ? "s" : "") << ").\n";
  }
  return passed ? exit_ok : exit_expectation_failed;
}

}  // namespace netstep::cli
