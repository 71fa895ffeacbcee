#include <cstdio>
#include <ostream>

#include "report_writers.hpp"

namespace netstep::lab {

std::string points_text(double points) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", points);
  return buffer;
}

std::string summary_line(const LabReport& report) {
  std::size_t right = 0;
  for (const auto& c : report.checks) right += c.passed ? 1 : 0;
  std::string line = "lab " + std::to_string(report.lab) + " (" + report.title + "): " + std::to_string(right) + " of " +
                     std::to_string(report.checks.size()) + " right, " + points_text(report.score()) + "/" +
                     points_text(report.max_score()) + " points";
  if (!report.problems.empty()) line += ", " + std::to_string(report.problems.size()) + " not checked";
  return line;
}

namespace {

// A value that runs over several lines keeps the column it started in.
std::string indented(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += c;
    if (c == '\n') out += "           ";
  }
  return out;
}

void write_check(std::ostream& out, const CheckResult& c) {
  out << (c.passed ? "  ok     " : "  WRONG  ") << c.id;
  if (!c.personality.empty() && c.id.starts_with("program/")) out << " (" << c.personality << ")";
  out << "  " << points_text(c.points) << "/" << points_text(c.max_points) << "\n";
  if (c.passed) return;
  out << "         " << c.title << "\n";
  for (const auto& step : c.steps) out << "           #" << step.event << "  " << step.text << "\n";
  out << "         you " << (c.id.starts_with("program/") ? "got" : "wrote") << ": " << indented(c.seen) << "\n";
  if (!c.expected.empty()) out << "         expected: " << indented(c.expected) << "\n";
  if (!c.hint.empty()) out << "         hint: " << indented(c.hint) << "\n";
  if (c.event) {
    out << "         see it at event #" << *c.event;
    if (!c.personality.empty()) out << " (as " << c.personality << ")";
    out << ": " << c.debug_command << "\n";
  }
}

}  // namespace

void write_text(std::ostream& out, const LabReport& report) {
  for (const auto& c : report.checks) write_check(out, c);
  for (const auto& p : report.problems) out << "  not checked: " << p << "\n";
  out << summary_line(report) << "\n";
}

void write_text(std::ostream& out, const std::vector<LabReport>& reports) {
  for (const auto& r : reports) out << r.submission << ": " << summary_line(r) << "\n";
  for (const auto& r : reports) {
    if (r.passed()) continue;
    out << "\n" << r.submission << ":\n";
    for (const auto& c : r.checks) {
      if (!c.passed) write_check(out, c);
    }
    for (const auto& p : r.problems) out << "  not checked: " << p << "\n";
  }
}

}  // namespace netstep::lab
