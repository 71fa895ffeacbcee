// Gradescope's autograder results format: results.json with score,
// max_score, output and one entry per test (name, score, max_score,
// status, output, visibility).
#include <sstream>

#include <nlohmann/json.hpp>

#include "report_writers.hpp"

namespace netstep::lab {

namespace {

std::string check_output(const CheckResult& c) {
  std::ostringstream out;
  out << c.title << "\n";
  if (c.passed) return out.str();
  for (const auto& step : c.steps) out << "  #" << step.event << "  " << step.text << "\n";
  out << (c.id.starts_with("program/") ? "You got: " : "You wrote: ") << c.seen << "\n";
  if (!c.expected.empty()) out << "Expected: " << c.expected << "\n";
  if (!c.hint.empty()) out << "Hint: " << c.hint << "\n";
  if (c.event) out << "See it at event #" << *c.event << ": " << c.debug_command << "\n";
  return out.str();
}

}  // namespace

std::string to_gradescope(const LabReport& report) {
  nlohmann::json j;
  j["score"] = report.score();
  j["max_score"] = report.max_score();
  std::string output = summary_line(report) + "\n";
  for (const auto& p : report.problems) output += "Not checked: " + p + "\n";
  j["output"] = output;
  j["tests"] = nlohmann::json::array();
  for (const auto& c : report.checks) {
    nlohmann::json t;
    t["name"] = c.id;
    t["score"] = c.points;
    t["max_score"] = c.max_points;
    t["status"] = c.passed ? "passed" : "failed";
    t["output"] = check_output(c);
    t["visibility"] = "visible";
    j["tests"].push_back(t);
  }
  return j.dump(2) + "\n";
}

}  // namespace netstep::lab
