#include "checker.hpp"

#include "answer_compare.hpp"
#include "lab_catalogue.hpp"
#include "program_check.hpp"
#include "scenario/scenario_loader.hpp"
#include "socket/personality.hpp"

namespace netstep::lab {

const RunTrace& RunCache::run(const std::string& scenario_name, const std::string& personality) {
  const std::string file = scenario_name.empty() ? lab_.scenarios.front() : scenario_name;
  auto& slot = runs_[{file, personality}];
  if (!slot) {
    scenario::Scenario scenario;
    try {
      scenario = scenario::load_scenario_file(lab_.scenario_path(file).string());
    } catch (const scenario::ScenarioError& e) {
      throw LabInputError{e.what()};
    }
    socket::PersonalityId id = scenario.personalities.front();
    if (!personality.empty()) {
      const auto* p = socket::Personality::find(personality);
      if (p == nullptr) throw LabInputError{lab_.file.string() + ": unknown personality '" + personality + "'"};
      id = p->id();
    }
    slot = std::make_unique<RunTrace>(record_run(scenario, id));
  }
  return *slot;
}

std::string RunCache::personality_of(const TraceQuery& query) {
  return std::string{socket::Personality::get(run(query.scenario, query.personality).personality).name()};
}

Located locate(RunCache& runs, const Lab& lab, const TraceQuery& query, const Question& question) {
  Located located;
  located.scenario = query.scenario.empty() ? lab.scenarios.front() : query.scenario;
  const RunTrace& trace = runs.run(query.scenario, query.personality);
  located.personality = std::string{socket::Personality::get(trace.personality).name()};
  located.result = run_query(trace, query);
  const bool needs_value = !query.field.empty();
  if ((!located.result.found && query.field != "count") || (needs_value && !located.result.value)) {
    throw LabInputError{query.place.where() + ": question '" + question.id + "': the query finds " +
                        (located.result.found ? "no " + query.field + " to read" : std::string{"nothing"}) + " in " +
                        located.scenario + " under " + located.personality + " (" +
                        std::to_string(located.result.matches) + " matching events)"};
  }
  return located;
}

std::string open_command(const Lab& lab, const std::string& scenario, const std::string& personality,
                         std::uint64_t event) {
  return "netstep lab open " + std::to_string(lab.number) + " --scenario " + scenario + " -p " + personality + " --at " +
         std::to_string(event);
}

std::vector<CheckResult> check_answers(const Lab& lab, const Answers& answers) {
  check_answers_match(answers, lab);
  RunCache runs{lab};
  std::vector<CheckResult> results;
  for (const Question& q : lab.questions) {
    CheckResult c;
    c.id = q.id;
    c.title = q.ask;
    c.max_points = q.points;
    const auto written = answers.answers.find(q.id);
    const std::string given = written == answers.answers.end() ? std::string{} : written->second.text;
    c.seen = given.empty() ? "(no answer)" : given;

    QueryValue right;
    std::optional<Located> where;
    if (q.answer) {
      where = locate(runs, lab, *q.answer, q);
      if (where->result.value) right = *where->result.value;
    } else {
      right.text = *q.key;
      if (q.see) where = locate(runs, lab, *q.see, q);
    }
    const socket::PersonalityId personality =
        where ? socket::Personality::find(where->personality)->id() : runs.run("", "").personality;
    c.passed = answer_matches(q, given, right, personality);
    c.points = c.passed ? q.points : 0;
    if (where) {
      c.personality = where->personality;
      if (where->result.found) {
        c.event = where->result.event;
        c.debug_command = open_command(lab, where->scenario, where->personality, where->result.event);
      }
    }
    if (!c.passed) c.hint = q.hint;
    results.push_back(std::move(c));
  }
  return results;
}

LabReport check_submission(const Lab& lab, const SubmissionOptions& options) {
  if (!options.answers && !options.program) {
    throw LabInputError{"nothing to check: give an answers file (--answers) or a program (--program)"};
  }
  LabReport report;
  report.lab = lab.number;
  report.title = lab.title;
  if (options.answers) {
    const Answers answers = load_answers(*options.answers);
    report.submission = answers.student;
    report.checks = check_answers(lab, answers);
  }
  if (options.program) {
    ProgramCheckOptions program_options;
    program_options.open_command_prefix = "netstep lab open " + std::to_string(lab.number);
    for (auto& c : check_program(lab.dir, *options.program, program_options)) report.checks.push_back(std::move(c));
  }
  return report;
}

LabReport grade_submission(const std::filesystem::path& labs_root, const std::filesystem::path& folder,
                           std::optional<int> lab_number) {
  LabReport report;
  report.submission = folder.filename().string();
  const auto answers_file = folder / "answers.yaml";
  std::optional<Answers> answers;
  std::error_code ec;
  if (std::filesystem::is_regular_file(answers_file, ec)) {
    try {
      answers = load_answers(answers_file);
    } catch (const LabInputError& e) {
      report.problems.push_back(e.what());
    }
  }
  if (!lab_number && answers && answers->lab) lab_number = answers->lab;
  if (!lab_number) {
    report.problems.push_back(folder.string() + ": cannot tell which lab: no answers.yaml with 'lab:' (or give --lab N)");
    return report;
  }
  report.lab = *lab_number;
  LabEntry entry;
  try {
    entry = find_lab(labs_root, *lab_number);
  } catch (const LabInputError& e) {
    report.problems.push_back(folder.string() + ": " + e.what());
    return report;
  }
  const Lab lab = load_lab(entry.lab_yaml);  // a broken lab.yaml is the instructor's: it stops the run
  report.title = lab.title;
  if (answers) {
    try {
      report.checks = check_answers(lab, *answers);
    } catch (const LabInputError& e) {
      report.problems.push_back(e.what());
    }
  } else if (report.problems.empty()) {
    report.problems.push_back(folder.string() + ": no answers.yaml");
  }
  if (report.checks.empty()) {
    // The questions still count: each is there, with no points, so the
    // maximum is the lab's whatever went wrong with the file.
    for (const Question& q : lab.questions) {
      CheckResult c;
      c.id = q.id;
      c.title = q.ask;
      c.max_points = q.points;
      c.seen = "(not checked: the answers file could not be used)";
      report.checks.push_back(std::move(c));
    }
  }
  if (has_program_task(lab.dir)) {
    const auto program = folder / program_file_name(lab.dir);
    if (!std::filesystem::exists(program, ec)) {
      report.problems.push_back(folder.string() + ": no program " + program.filename().string());
    } else {
      try {
        ProgramCheckOptions options;
        options.open_command_prefix = "netstep lab open " + std::to_string(lab.number);
        for (auto& c : check_program(lab.dir, program, options)) report.checks.push_back(std::move(c));
      } catch (const LabInputError& e) {
        report.problems.push_back(e.what());
      }
    }
  }
  return report;
}

}  // namespace netstep::lab
