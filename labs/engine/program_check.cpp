#include "program_check.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "program_library.hpp"
#include "program_run.hpp"
#include "program_spec.hpp"
#include "program_world.hpp"
#include "scenario/scenario_loader.hpp"

namespace netstep::lab {

namespace fs = std::filesystem;
using socket::Personality;
using socket::PersonalityId;

namespace {

// A temporary folder for compiled programs, removed when the last user goes.
std::shared_ptr<fs::path> make_build_dir() {
  std::string pattern = (fs::temp_directory_path() / "netstep-lab-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw LabInputError{"cannot make a temporary folder in " + fs::temp_directory_path().string()};
  return {new fs::path{pattern}, [](fs::path* p) {
            std::error_code ec;
            fs::remove_all(*p, ec);
            delete p;
          }};
}

std::shared_ptr<const scenario::Scenario> load_run_scenario(const ProgramRun& run) {
  try {
    auto s = std::make_shared<scenario::Scenario>(scenario::load_scenario_file(run.scenario.string()));
    if (s->topology.find_host(run.host) == nullptr) {
      throw LabInputError{run.where + ": run '" + run.name + "': its scenario has no host '" + run.host + "'"};
    }
    return s;
  } catch (const scenario::ScenarioError& e) {
    throw LabInputError{e.what()};
  }
}

std::vector<PersonalityId> personalities_of(const ProgramRun& run, const scenario::Scenario& s) {
  return run.personalities.empty() ? s.personalities : run.personalities;
}

std::string name_of(PersonalityId id) { return std::string{Personality::get(id).name()}; }

std::string first_lines(const std::string& text, int count) {
  std::istringstream in{text};
  std::string line;
  std::string out;
  for (int i = 0; i < count && std::getline(in, line); ++i) out += line + "\n";
  if (!out.empty()) out.pop_back();
  return out;
}

// The compiler's first error and the lines after it (warnings before it
// would hide it), or its first lines if it names no error.
std::string compiler_excerpt(const std::string& output, int count) {
  const auto at = output.find("error");
  if (at == std::string::npos) return first_lines(output, count);
  const auto line_start = output.rfind('\n', at);
  return first_lines(output.substr(line_start == std::string::npos ? 0 : line_start + 1), count);
}

std::string normalised_state(std::string s) {
  std::string out;
  for (char c : s) out += c == '_' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "111 (ECONNREFUSED)": a value as the personality would name it.
std::string value_text(int value, PersonalityId p) {
  std::string text = std::to_string(value);
  if (value == 0) return text;
  for (const socket::Errc e : socket::all_errcs) {
    if (error_number_for(p, socket::posix_name(e)) == (value < 0 ? -value : value)) {
      const auto code = Personality::get(p).code(e);
      if (code) return text + " (" + std::string{code->name} + ")";
    }
  }
  return text;
}

std::string time_text(std::int64_t us) {
  std::ostringstream out;
  if (us >= 1'000'000) {
    out << static_cast<double>(us) / 1e6 << " s";
  } else if (us >= 1000) {
    out << static_cast<double>(us) / 1e3 << " ms";
  } else {
    out << us << " us";
  }
  return out.str();
}

// The value `e` stands for under `p` (false: none, e.g. a solution that did not return).
bool expected_value(const ReturnExpectation& e, PersonalityId p, const ProgramOutcome* solution, int& out) {
  switch (e.kind) {
    case ReturnExpectation::Kind::Value: out = e.value; return true;
    case ReturnExpectation::Kind::Error: out = error_number_for(p, socket::posix_name(e.error)); return true;
    case ReturnExpectation::Kind::SameAsSolution:
      if (solution == nullptr || !solution->returned) return false;
      out = solution->value;
      return true;
  }
  return false;
}

// The lab's number from its folder's name ("06-nonblocking-connect": 6).
std::string lab_number(const fs::path& lab_dir) {
  const std::string name = lab_dir.filename().empty() ? lab_dir.parent_path().filename().string() : lab_dir.filename().string();
  std::size_t i = 0;
  while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])) != 0) ++i;
  if (i == 0) return name;
  return std::to_string(std::stoi(name.substr(0, i)));
}

struct Divergence {
  std::size_t index = 0;  // the first step that differs
  std::string text;
};

std::string describe_next(const std::vector<ProgramStep>& steps, std::size_t i) {
  if (i >= steps.size()) return "nothing more (the run ended)";
  const ProgramStep& s = steps[i];
  if (s.call == "lab_main") return s.result.rfind("returned", 0) == 0 ? s.result + " from lab_main" : "was stopped: " + s.result;
  return "called " + s.text + (s.result.empty() ? "" : " -> " + s.result);
}

std::optional<Divergence> first_divergence(const ProgramOutcome& program, const ProgramOutcome& solution) {
  const std::size_t n = std::max(program.steps.size(), solution.steps.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool both = i < program.steps.size() && i < solution.steps.size();
    if (both && program.steps[i].same_as(solution.steps[i])) continue;
    Divergence d;
    d.index = i;
    if (i == 0) {
      d.text = "From the first step: the solution " + describe_next(solution.steps, 0) + "; your program " +
               describe_next(program.steps, 0) + ".";
    } else {
      const ProgramStep& before = program.steps[i - 1];
      d.text = "After step #" + std::to_string(before.event) + " " + before.text +
               (before.result.empty() ? "" : " -> " + before.result) + ", the solution " +
               describe_next(solution.steps, i) + "; your program " + describe_next(program.steps, i) + ".";
    }
    return d;
  }
  return std::nullopt;
}

// A hint's call and error are looked for from where the program parted from
// the solution on (the last step both made, then the program's own steps),
// so a hint about a step a correct loop also makes before that point does
// not fire for a mistake elsewhere, while the consequence of the parting
// (a connect() that then sleeps into -ETIMEDOUT) still finds its hint;
// with no solution to compare with, anywhere.
constexpr std::size_t never_parted = static_cast<std::size_t>(-1);
bool hint_matches(const ProgramHint& h, PersonalityId p, const ProgramOutcome& o, std::size_t parted,
                  const ProgramStep*& at) {
  at = nullptr;
  if (!h.personalities.empty() && std::find(h.personalities.begin(), h.personalities.end(), p) == h.personalities.end()) {
    return false;
  }
  if (!h.call.empty() || h.error) {
    std::size_t first = 0;
    std::size_t last = o.steps.size();
    if (parted != never_parted) first = parted > 0 ? parted - 1 : 0;
    for (std::size_t i = first; i < last; ++i) {
      const ProgramStep& s = o.steps[i];
      if (!h.call.empty() && s.call != h.call) continue;
      if (h.error && s.error != h.error) continue;
      at = &s;
      break;
    }
    if (at == nullptr) return false;
  }
  if (h.returned) {
    if (!o.returned) return false;
    int v = 0;
    if (!expected_value(*h.returned, p, nullptr, v) || v != o.value) return false;
  }
  return true;
}

struct Programs {
  fs::path program_so;
  fs::path solution_so;
};

}  // namespace

bool has_program_task(const fs::path& lab_dir) { return fs::exists(lab_dir / "program.yaml"); }

std::string program_file_name(const fs::path& lab_dir) { return load_program_spec(lab_dir).starter.filename().string(); }

std::vector<CheckResult> check_program(const fs::path& lab_dir, const fs::path& program,
                                       const ProgramCheckOptions& options) {
  const ProgramSpec spec = load_program_spec(lab_dir);
  if (!fs::exists(program)) throw LabInputError{program.string() + ": no such file"};
  const auto build_dir = make_build_dir();
  const ProgramBuild built = build_program(program, *build_dir / "program");
  const ProgramBuild solution = build_program(spec.solution, *build_dir / "solution");
  if (!solution.ok) {
    throw LabInputError{spec.solution.string() + ": the lab's solution does not compile: " + first_lines(solution.output, 5)};
  }
  const std::string prefix =
      options.open_command_prefix.empty() ? "netstep lab open " + lab_number(lab_dir) : options.open_command_prefix;

  std::vector<CheckResult> results;
  for (const ProgramRun& run : spec.runs) {
    const auto scenario = load_run_scenario(run);
    for (const PersonalityId p : personalities_of(run, *scenario)) {
      CheckResult check;
      check.id = "program/" + run.name + "/" + name_of(p);
      check.title = run.title + " (" + name_of(p) + ")";
      check.personality = name_of(p);
      check.max_points = run.points;
      check.debug_command = prefix + " --run " + run.name + " --program " + program.string() + " -p " + name_of(p);

      ProgramRunSetup setup;
      setup.scenario = scenario;
      setup.host = run.host;
      setup.argument = run.argument;
      setup.personality = p;
      setup.wall_limit = options.wall_limit;
      const ProgramOutcome reference = run_program_forked(setup, solution.shared_object);
      const ReturnExpectation* want = run.returns.for_personality(p);
      int wanted = 0;
      const bool has_want = want != nullptr && expected_value(*want, p, &reference, wanted);
      std::string expected = "lab_main returns " + (has_want ? value_text(wanted, p) : std::string{"anything"});
      if (run.within) expected += " within " + time_text(std::chrono::duration_cast<std::chrono::microseconds>(*run.within).count());
      if (run.state) expected += "; the socket " + *run.state;
      for (const auto& [key, value] : run.reports) {
        std::string v = value ? *value : "?";
        if (!value) {
          for (const auto& [k, sv] : reference.reports) {
            if (k == key) v = sv;
          }
        }
        expected += "; reports " + key + "=" + v;
      }
      check.expected = expected;

      if (!built.ok) {
        check.seen = "does not compile";
        check.hint = "The compiler says:\n" + compiler_excerpt(built.output, 8);
        check.debug_command.clear();
        results.push_back(std::move(check));
        continue;
      }
      const ProgramOutcome outcome = run_program_forked(setup, built.shared_object);

      std::vector<std::string> wrong;
      std::string seen;
      if (!outcome.returned) {
        seen = outcome.stopped;
        wrong.push_back(outcome.stopped);
      } else {
        seen = "lab_main returned " + value_text(outcome.value, p) + " after " + time_text(outcome.returned_at_us);
        if (has_want && wanted != outcome.value) wrong.push_back("returned " + value_text(outcome.value, p));
        if (run.within &&
            outcome.returned_at_us > std::chrono::duration_cast<std::chrono::microseconds>(*run.within).count()) {
          wrong.push_back("returned too late");
        }
        if (run.state) {
          seen += "; the socket " + outcome.state.value_or("closed");
          if (normalised_state(outcome.state.value_or("CLOSED")) != normalised_state(*run.state)) {
            wrong.push_back("the socket is " + outcome.state.value_or("closed"));
          }
        }
        for (const auto& [key, value] : run.reports) {
          std::optional<std::string> want_report = value;
          if (!want_report) {
            for (const auto& [k, v] : reference.reports) {
              if (k == key) want_report = v;
            }
          }
          std::optional<std::string> got;
          for (const auto& [k, v] : outcome.reports) {
            if (k == key) got = v;
          }
          seen += "; reports " + key + "=" + got.value_or("(nothing)");
          if (got != want_report) wrong.push_back("report " + key);
        }
      }
      check.passed = wrong.empty();
      check.points = check.passed ? run.points : 0;

      const std::optional<Divergence> divergence = first_divergence(outcome, reference);
      std::size_t shown = outcome.steps.size();
      if (divergence && !check.passed) shown = std::min(outcome.steps.size(), divergence->index + 1);
      for (std::size_t i = 0; i < shown; ++i) {
        StepLine line;
        line.event = outcome.steps[i].event;
        // The number is the StepLine's own: the text is the call and its return.
        const ProgramStep& step = outcome.steps[i];
        line.text = step.result.empty() ? step.text : step.text + " -> " + step.result;
        check.steps.push_back(std::move(line));
      }
      if (!check.passed && divergence) seen += "\n" + divergence->text;
      check.seen = seen;
      if (!check.passed) {
        if (divergence && divergence->index < outcome.steps.size()) {
          check.event = outcome.steps[divergence->index].event;
        } else if (!outcome.steps.empty()) {
          check.event = outcome.steps.back().event;
        }
        for (const ProgramHint& h : run.hints) {
          const ProgramStep* at = nullptr;
          const std::size_t parted = divergence ? divergence->index : never_parted;
          if (!hint_matches(h, p, outcome, parted, at)) continue;
          check.hint = "Under " + name_of(p) + (at != nullptr ? ", step #" + std::to_string(at->event) + " " + at->text +
                                                                   " -> " + at->result
                                                             : std::string{}) +
                       ": " + h.say;
          if (at != nullptr) check.event = at->event;
          break;
        }
        if (check.hint.empty()) {
          check.hint = "Under " + name_of(p) + ", compare your steps with the solution's where they part (" +
                       (divergence ? divergence->text : std::string{"see the steps"}) + ")";
        }
      }
      if (check.event) {
        check.debug_command += " --at " + std::to_string(*check.event);
      }
      if (check.passed) check.debug_command.clear();
      results.push_back(std::move(check));
    }
  }
  return results;
}

debug::WorldFactory program_world_factory(const fs::path& lab_dir, const std::string& run_name, const fs::path& program,
                                          PersonalityId personality) {
  const ProgramSpec spec = load_program_spec(lab_dir);
  const ProgramRun* run = spec.find_run(run_name);
  if (run == nullptr) {
    std::string names;
    for (const ProgramRun& r : spec.runs) names += (names.empty() ? "" : ", ") + r.name;
    throw LabInputError{spec.file.string() + ": no run named '" + run_name + "' (there are: " + names + ")"};
  }
  if (!fs::exists(program)) throw LabInputError{program.string() + ": no such file"};
  auto build_dir = make_build_dir();
  const ProgramBuild built = build_program(program, *build_dir);
  if (!built.ok) throw LabInputError{program.string() + ": does not compile:\n" + compiler_excerpt(built.output, 8)};
  ProgramRunSetup setup;
  setup.scenario = load_run_scenario(*run);
  setup.host = run->host;
  setup.argument = run->argument;
  setup.personality = personality;
  const fs::path so = built.shared_object;
  return [setup, so, build_dir](EventLoop& loop, TraceBus& bus) -> std::unique_ptr<debug::DebugWorld> {
    ProgramRunSetup fresh = setup;
    fresh.library = ProgramLibrary::load(so);  // fresh globals for every rebuild
    return std::make_unique<ProgramWorld>(fresh, loop, bus);
  };
}

}  // namespace netstep::lab
