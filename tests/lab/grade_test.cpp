// `lab grade` on three submissions (one right, one wrong, one with a broken
// answers file): JUnit read back with tinyxml2, Gradescope with nlohmann-json.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>
#include <tinyxml2.h>

#include "checker.hpp"
#include "report_writers.hpp"

using namespace netstep::lab;
namespace fs = std::filesystem;

namespace {

const fs::path labs_root = fs::path{NETSTEP_LAB_TEST_DATA} / "labs";
const fs::path submissions = fs::path{NETSTEP_LAB_TEST_DATA} / "submissions";

std::vector<LabReport> grade_all() {
  std::vector<LabReport> reports;
  for (const char* name : {"ada", "bob", "cy"}) reports.push_back(grade_submission(labs_root, submissions / name, std::nullopt));
  return reports;
}

}  // namespace

TEST_CASE("grading three submissions: scores and problems", "[lab]") {
  const auto reports = grade_all();
  CHECK(reports[0].submission == "ada");
  CHECK(reports[0].score() == 7);
  CHECK(reports[0].passed());
  CHECK(reports[1].score() == 4);
  CHECK(reports[2].score() == 0);
  CHECK(reports[2].max_score() == 7);  // a broken file still counts every question
  REQUIRE(reports[2].problems.size() == 1);
  CHECK(reports[2].problems[0].find("found question id 'client-isn'") != std::string::npos);
}

TEST_CASE("JUnit: a testsuite per submission, a testcase per check, failures for wrong ones", "[lab]") {
  const std::string xml = to_junit(grade_all());
  tinyxml2::XMLDocument doc;
  REQUIRE(doc.Parse(xml.c_str()) == tinyxml2::XML_SUCCESS);
  const auto* suites = doc.FirstChildElement("testsuites");
  REQUIRE(suites != nullptr);
  std::map<std::string, std::pair<int, int>> seen;  // suite -> testcases, failures
  for (const auto* suite = suites->FirstChildElement("testsuite"); suite != nullptr;
       suite = suite->NextSiblingElement("testsuite")) {
    auto& [cases, failures] = seen[suite->Attribute("name")];
    for (const auto* c = suite->FirstChildElement("testcase"); c != nullptr; c = c->NextSiblingElement("testcase")) {
      ++cases;
      REQUIRE(c->Attribute("name") != nullptr);
      if (const auto* f = c->FirstChildElement("failure")) {
        ++failures;
        REQUIRE(f->Attribute("message") != nullptr);
        REQUIRE(f->GetText() != nullptr);
      }
    }
    CHECK(suite->IntAttribute("tests") == cases);
    CHECK(suite->IntAttribute("failures") == failures);
  }
  REQUIRE(seen.size() == 3);
  CHECK(seen["ada"] == std::pair{6, 0});
  CHECK(seen["bob"] == std::pair{6, 2});
  CHECK(seen["cy"] == std::pair{7, 7});  // six unchecked questions and the broken file
}

TEST_CASE("Gradescope: results.json with score, max_score and tests", "[lab]") {
  for (const auto& report : grade_all()) {
    const auto j = nlohmann::json::parse(to_gradescope(report));
    CHECK(j.at("score").get<double>() == report.score());
    CHECK(j.at("max_score").get<double>() == 7);
    CHECK(j.at("output").is_string());
    REQUIRE(j.at("tests").size() == 6);
    double sum = 0;
    for (const auto& t : j.at("tests")) {
      CHECK(t.at("name").is_string());
      CHECK(t.at("max_score").is_number());
      CHECK((t.at("status") == "passed" || t.at("status") == "failed"));
      CHECK(t.at("visibility") == "visible");
      CHECK(t.at("output").is_string());
      sum += t.at("score").get<double>();
    }
    CHECK(sum == report.score());
  }
}

TEST_CASE("JSON: every check with its fields", "[lab]") {
  const auto j = nlohmann::json::parse(to_json(grade_all()));
  REQUIRE(j.at("submissions").size() == 3);
  const auto& bob = j.at("submissions").at(1);
  CHECK(bob.at("submission") == "bob");
  CHECK(bob.at("score").get<double>() == 4);
  bool found = false;
  for (const auto& c : bob.at("checks")) {
    if (c.at("id") == "connect-error") {
      found = true;
      CHECK(c.at("passed") == false);
      CHECK(c.at("debug_command").get<std::string>().starts_with("netstep lab open 1 --scenario refused.yaml -p linux --at "));
      CHECK_FALSE(c.contains("expected"));
    }
  }
  CHECK(found);
}
