#include <nlohmann/json.hpp>

#include "report_writers.hpp"

namespace netstep::lab {

namespace {

nlohmann::json check_json(const CheckResult& c) {
  nlohmann::json j;
  j["id"] = c.id;
  j["title"] = c.title;
  j["points"] = c.points;
  j["max_points"] = c.max_points;
  j["passed"] = c.passed;
  j["seen"] = c.seen;
  if (!c.expected.empty()) j["expected"] = c.expected;
  if (!c.hint.empty()) j["hint"] = c.hint;
  if (!c.personality.empty()) j["personality"] = c.personality;
  if (c.event) j["event"] = *c.event;
  if (!c.debug_command.empty()) j["debug_command"] = c.debug_command;
  if (!c.steps.empty()) {
    j["steps"] = nlohmann::json::array();
    for (const auto& s : c.steps) j["steps"].push_back({{"event", s.event}, {"text", s.text}});
  }
  return j;
}

nlohmann::json report_json(const LabReport& r) {
  nlohmann::json j;
  j["lab"] = r.lab;
  j["title"] = r.title;
  j["submission"] = r.submission;
  j["score"] = r.score();
  j["max_score"] = r.max_score();
  j["passed"] = r.passed();
  j["problems"] = r.problems;
  j["checks"] = nlohmann::json::array();
  for (const auto& c : r.checks) j["checks"].push_back(check_json(c));
  return j;
}

}  // namespace

std::string to_json(const LabReport& report) { return report_json(report).dump(2) + "\n"; }

std::string to_json(const std::vector<LabReport>& reports) {
  nlohmann::json j;
  j["submissions"] = nlohmann::json::array();
  for (const auto& r : reports) j["submissions"].push_back(report_json(r));
  return j.dump(2) + "\n";
}

}  // namespace netstep::lab
