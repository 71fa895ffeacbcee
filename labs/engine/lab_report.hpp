#pragma once
// What checking one submission of one lab found: one CheckResult per
// question and per program run (and personality), each with what was seen,
// a hint, and where in the run to look. The formats (text, JSON, JUnit,
// Gradescope) are all written from this.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace netstep::lab {

// A lab file, answers file, program file or folder that cannot be used:
// the message is one line, "file:line:column: what was found, what was
// expected" where there is a place to point at.
class LabInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One numbered step of a run: the trace event number (as `netstep debug`
// shows it, #27) and its line of narrative.
struct StepLine {
  std::uint64_t event = 0;
  std::string text;
};

struct CheckResult {
  std::string id;            // the question's id, or "program/RUN/PERSONALITY"
  std::string title;         // the question asked, or what the run checks
  double points = 0;         // earned
  double max_points = 0;
  bool passed = false;
  std::string seen;          // what the student wrote, or what the program did
  std::string expected;      // programs only: questions never reveal their answer
  std::string hint;          // empty when passed
  std::string personality;   // the personality the check ran under, if one
  std::optional<std::uint64_t> event;  // the trace event where the answer shows, or where the program went wrong
  std::string debug_command; // the exact command that opens the debugger at `event`
  std::vector<StepLine> steps;  // the numbered steps so far (programs: up to where it went wrong)
};

struct LabReport {
  int lab = 0;
  std::string title;
  std::string submission;    // the student (a folder name), or empty
  std::vector<CheckResult> checks;
  std::vector<std::string> problems;  // what kept a part from being checked (a broken answers file ...)
  [[nodiscard]] double score() const {
    double s = 0;
    for (const auto& c : checks) s += c.points;
    return s;
  }
  [[nodiscard]] double max_score() const {
    double s = 0;
    for (const auto& c : checks) s += c.max_points;
    return s;
  }
  [[nodiscard]] bool passed() const {
    if (!problems.empty()) return false;
    for (const auto& c : checks) {
      if (!c.passed) return false;
    }
    return true;
  }
};

}  // namespace netstep::lab
