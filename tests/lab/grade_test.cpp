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

// Lab 6 as a class hands it in: answers and a program each. Ada's are right,
// Bob's assume every system is Linux, Cy's program does not compile and he
// wrote no answers.
namespace {

std::vector<LabReport> grade_lab6_class() {
  const fs::path root = fs::path{NETSTEP_SOURCE_DIR} / "labs";
  const fs::path folder = fs::path{NETSTEP_LAB_TEST_DATA} / "class-lab6";
  std::vector<LabReport> reports;
  for (const char* name : {"ada", "bob", "cy"}) reports.push_back(grade_submission(root, folder / name, 6));
  return reports;
}

const CheckResult* check_named(const LabReport& report, const std::string& id) {
  for (const auto& c : report.checks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("grading lab 6 with programs: one right, two wrong, in JUnit and Gradescope", "[lab]") {
  const auto reports = grade_lab6_class();
  REQUIRE(reports.size() == 3);
  const LabReport& ada = reports[0];
  const LabReport& bob = reports[1];
  const LabReport& cy = reports[2];
  CHECK(ada.passed());
  CHECK(ada.score() == ada.max_score());
  CHECK(ada.max_score() == 30);  // 10 questions, 4 runs under 5 personalities

  CHECK_FALSE(bob.passed());
  const CheckResult* winsock = check_named(bob, "program/refused/winsock");
  REQUIRE(winsock != nullptr);
  CHECK_FALSE(winsock->passed);
  CHECK(winsock->hint.find("Under winsock, step #") != std::string::npos);
  CHECK(winsock->hint.find("WSAEWOULDBLOCK") != std::string::npos);
  CHECK(winsock->debug_command.find("-p winsock --at ") != std::string::npos);
  const CheckResult* linux_run = check_named(bob, "program/refused/linux");
  REQUIRE(linux_run != nullptr);
  CHECK(linux_run->passed);  // the loop is right where its author tried it

  CHECK(cy.score() == 0);
  CHECK(cy.max_score() == 30);
  const CheckResult* broken = check_named(cy, "program/listening/linux");
  REQUIRE(broken != nullptr);
  CHECK(broken->hint.find("The compiler says") != std::string::npos);

  tinyxml2::XMLDocument doc;
  REQUIRE(doc.Parse(to_junit(reports).c_str()) == tinyxml2::XML_SUCCESS);
  int suites = 0;
  for (const auto* suite = doc.FirstChildElement("testsuites")->FirstChildElement("testsuite"); suite != nullptr;
       suite = suite->NextSiblingElement("testsuite")) {
    ++suites;
    int cases = 0;
    int failures = 0;
    for (const auto* c = suite->FirstChildElement("testcase"); c != nullptr; c = c->NextSiblingElement("testcase")) {
      ++cases;
      if (c->FirstChildElement("failure") != nullptr) ++failures;
    }
    CHECK(suite->IntAttribute("tests") == cases);
    CHECK(suite->IntAttribute("failures") == failures);
  }
  CHECK(suites == 3);

  for (const auto& report : reports) {
    const auto j = nlohmann::json::parse(to_gradescope(report));
    CHECK(j.at("score").get<double>() == report.score());
    CHECK(j.at("max_score").get<double>() == 30);
    double sum = 0;
    for (const auto& t : j.at("tests")) sum += t.at("score").get<double>();
    CHECK(sum == report.score());
  }
}
