#pragma once
// Checks a submission of a lab: each question's answer against the value
// its trace query computes from a run (or its written key), and the
// program, if there is one, through program_check.hpp. Each question
// becomes a CheckResult with the student's answer, a hint and where in the
// run it shows (never the right answer itself).
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "answers.hpp"
#include "lab.hpp"
#include "lab_report.hpp"
#include "run_trace.hpp"
#include "trace_query.hpp"

namespace netstep::lab {

// The runs a lab's queries read, each played once.
class RunCache {
 public:
  explicit RunCache(const Lab& lab) : lab_{lab} {}
  // The scenario's run under `personality` ("" : the scenario's first).
  // Throws LabInputError for a scenario file that does not load.
  const RunTrace& run(const std::string& scenario, const std::string& personality);
  // The personality a query runs under, by name.
  [[nodiscard]] std::string personality_of(const TraceQuery& query);

 private:
  const Lab& lab_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<RunTrace>> runs_;
};

// What one query found, with the run it read: throws LabInputError (at the
// query's place in lab.yaml) when it finds nothing to read the field from.
struct Located {
  QueryResult result;
  std::string scenario;     // the file name, as lab.yaml writes it
  std::string personality;  // its name
};
[[nodiscard]] Located locate(RunCache& runs, const Lab& lab, const TraceQuery& query, const Question& question);

// `netstep lab open 2 --scenario handshake.yaml -p linux --at 27`
[[nodiscard]] std::string open_command(const Lab& lab, const std::string& scenario, const std::string& personality,
                                       std::uint64_t event);

// One CheckResult per question of the lab, in the lab's order (a question
// with no answer is wrong). Throws LabInputError for answers naming an
// unknown question, and for lab.yaml queries that find nothing.
[[nodiscard]] std::vector<CheckResult> check_answers(const Lab& lab, const Answers& answers);

struct SubmissionOptions {
  std::optional<std::filesystem::path> answers;  // an answers file
  std::optional<std::filesystem::path> program;  // the student's program
};
// Questions and program of one submission. With neither an answers file
// nor a program, throws LabInputError.
[[nodiscard]] LabReport check_submission(const Lab& lab, const SubmissionOptions& options);

// One folder of `lab grade`: its answers.yaml (whose `lab:` picks the lab
// unless `lab_number` is given) and/or the program under the starter's
// name. A broken file is the submission's problem (report.problems), not
// an exception; only a labs root that cannot be read throws.
[[nodiscard]] LabReport grade_submission(const std::filesystem::path& labs_root, const std::filesystem::path& folder,
                                         std::optional<int> lab_number);

}  // namespace netstep::lab
