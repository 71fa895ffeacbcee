// Checking the test lab's answers end to end through the library: the
// reference answers pass, the starter's and a wrong one fail with the
// question's hint and the event where the answer shows, never the answer.
#include <catch2/catch.hpp>
#include <filesystem>

#include "checker.hpp"
#include "report_writers.hpp"

using namespace netstep::lab;
namespace fs = std::filesystem;

namespace {

const fs::path lab_dir = fs::path{NETSTEP_LAB_TEST_DATA} / "labs" / "01-refused-test";
const fs::path submissions = fs::path{NETSTEP_LAB_TEST_DATA} / "submissions";

LabReport check(const fs::path& answers) {
  const Lab lab = load_lab(lab_dir / "lab.yaml");
  SubmissionOptions options;
  options.answers = answers;
  return check_submission(lab, options);
}

const CheckResult& result(const LabReport& r, const std::string& id) {
  for (const auto& c : r.checks) {
    if (c.id == id) return c;
  }
  FAIL("no check " << id);
  throw;
}

}  // namespace

TEST_CASE("the reference answers pass", "[lab]") {
  const LabReport r = check(lab_dir / "solution" / "answers.yaml");
  for (const auto& c : r.checks) {
    INFO(c.id << ": " << c.seen);
    CHECK(c.passed);
  }
  CHECK(r.passed());
  CHECK(r.score() == 7);
  CHECK(summary_line(r) == "lab 1 (Nobody listening (test lab)), Reference: 6 of 6 right, 7/7 points");
}

TEST_CASE("the starter's blank answers fail", "[lab]") {
  const LabReport r = check(lab_dir / "starter" / "answers.yaml");
  CHECK_FALSE(r.passed());
  CHECK(r.score() == 0);
  CHECK(result(r, "rst-flags").seen == "(no answer)");
}

TEST_CASE("a wrong answer fails with its hint and where to look", "[lab]") {
  const LabReport r = check(submissions / "bob" / "answers.yaml");
  CHECK(r.score() == 4);
  const CheckResult& wrong = result(r, "connect-error");
  CHECK_FALSE(wrong.passed);
  CHECK(wrong.seen == "ETIMEDOUT");
  CHECK(wrong.hint.starts_with("The calls view"));
  CHECK(wrong.personality == "linux");
  REQUIRE(wrong.event);
  CHECK(wrong.debug_command == "netstep lab open 1 --scenario refused.yaml -p linux --at " + std::to_string(*wrong.event));
  CHECK(wrong.expected.empty());  // a question never reveals its answer
  const std::string text = [&] {
    std::ostringstream out;
    write_text(out, r);
    return out.str();
  }();
  CHECK(text.find("ECONNREFUSED") == std::string::npos);
  CHECK(text.find("see it at event #" + std::to_string(*wrong.event)) != std::string::npos);
  // A right answer has no hint.
  CHECK(result(r, "rst-flags").passed);
  CHECK(result(r, "rst-flags").hint.empty());
  // A conceptual question points at its `see:` event.
  CHECK(result(r, "why-ack").event.has_value());
}
