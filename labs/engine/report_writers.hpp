#pragma once
// The four ways a check or a class's grading is written (docs/labs.md):
// text for the student (what was wrong, the hint, the event, the command
// that opens the debugger there), JSON, JUnit XML and Gradescope's
// results.json. None of them shows the right answer of a question.
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "lab_report.hpp"

namespace netstep::lab {

// "lab 2 (The three-way handshake): 5 of 7 right, 5/7 points"
[[nodiscard]] std::string summary_line(const LabReport& report);
void write_text(std::ostream& out, const LabReport& report);
// Several submissions: "ada: " and each one's summary, then every failure.
void write_text(std::ostream& out, const std::vector<LabReport>& reports);

[[nodiscard]] std::string to_json(const LabReport& report);
[[nodiscard]] std::string to_json(const std::vector<LabReport>& reports);  // {"submissions": [...]}

// One <testsuites>, a <testsuite> per report, a <testcase> per check (and
// one per problem that kept a part from being checked).
[[nodiscard]] std::string to_junit(const std::vector<LabReport>& reports);

// Gradescope's results.json for one submission.
[[nodiscard]] std::string to_gradescope(const LabReport& report);

// Text made safe inside an XML attribute or element: the five entities
// escaped, control characters XML 1.0 forbids (all but tab, newline and
// return) turned into spaces. The lab reports' and `netstep run --junit`'s.
[[nodiscard]] std::string xml_escaped(std::string_view text);

// "5", "2.5": points without trailing zeros.
[[nodiscard]] std::string points_text(double points);

}  // namespace netstep::lab
