#pragma once
// The four ways a check or a class's grading is written (docs/labs.md):
// text for the student (what was wrong, the hint, the event, the command
// that opens the debugger there), JSON, JUnit XML and Gradescope's
// results.json. None of them shows the right answer of a question.
#include <iosfwd>
#include <string>
#include <vector>

#include "lab_report.hpp"

namespace netstep::lab {

// "lab 2 (The three-way handshake): 5 of 7 right, 5/7 points"
[[nodiscard]] std::string summary_line(const LabReport& report);
void write_text(std::ostream& out, const LabReport& report);
// Several submissions: each one's summary, then every failure.
void write_text(std::ostream& out, const std::vector<LabReport>& reports);

[[nodiscard]] std::string to_json(const LabReport& report);
[[nodiscard]] std::string to_json(const std::vector<LabReport>& reports);  // {"submissions": [...]}

// One <testsuites>, a <testsuite> per report, a <testcase> per check (and
// one per problem that kept a part from being checked).
[[nodiscard]] std::string to_junit(const std::vector<LabReport>& reports);

// Gradescope's results.json for one submission.
[[nodiscard]] std::string to_gradescope(const LabReport& report);

// "5", "2.5": points without trailing zeros.
[[nodiscard]] std::string points_text(double points);

}  // namespace netstep::lab
