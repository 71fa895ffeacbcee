// lab.yaml and answers files: a mistake is one line with file:line:column.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "answers.hpp"
#include "lab.hpp"
#include "lab_catalogue.hpp"
#include "lab_report.hpp"

using namespace netstep::lab;
namespace fs = std::filesystem;

namespace {

const fs::path test_labs = fs::path{NETSTEP_LAB_TEST_DATA} / "labs";

// A lab folder in a temporary place with refused.yaml and this lab.yaml.
fs::path lab_with(const std::string& name, const std::string& yaml) {
  const fs::path dir = fs::temp_directory_path() / ("netstep-lab-test-" + name) / "05-test";
  fs::create_directories(dir);
  fs::copy_file(test_labs / "01-refused-test" / "refused.yaml", dir / "refused.yaml", fs::copy_options::overwrite_existing);
  std::ofstream{dir / "lab.yaml"} << yaml;
  return dir / "lab.yaml";
}

std::string load_error(const fs::path& file) {
  try {
    (void)load_lab(file);
  } catch (const LabInputError& e) {
    return e.what();
  }
  return "no error";
}

const std::string head = "netstep_lab: 1\nnumber: 5\ntitle: T\nscenarios: [refused.yaml]\nquestions:\n";

}  // namespace

TEST_CASE("the test lab loads", "[lab]") {
  const Lab lab = load_lab(test_labs / "01-refused-test" / "lab.yaml");
  CHECK(lab.number == 1);
  CHECK(lab.questions.size() == 6);
  CHECK(lab.open.break_spec == "state:SYN-SENT");
  REQUIRE(lab.find_question("connect-error") != nullptr);
  CHECK(lab.find_question("connect-error")->points == 2);
  const auto labs = list_labs(test_labs);
  REQUIRE(labs.size() == 1);
  CHECK(labs.front().number == 1);
}

TEST_CASE("an unknown kind is reported at its line and column", "[lab]") {
  const auto file = lab_with("kind", head + "  - id: q1\n    ask: A?\n    kind: colour\n    key: red\n");
  CHECK(load_error(file) == file.string() + ":8:11: found 'colour', expected a kind: number, duration, error, state, "
                                            "flags, choice or text");
}

TEST_CASE("a where key the find kind does not take is refused", "[lab]") {
  const auto file = lab_with("where", head + "  - id: q1\n    ask: A?\n    kind: number\n    answer:\n"
                                            "      find: segment\n      where: { host: client }\n      field: seq\n");
  CHECK(load_error(file) == file.string() + ":11:16: unknown key 'host' for find: segment, expected one of: from, to, "
                                            "flags, not_flags, src_port, dst_port, has_data");
}

TEST_CASE("a field the find kind does not have is refused", "[lab]") {
  const auto file = lab_with("field", head + "  - id: q1\n    ask: A?\n    kind: number\n    answer:\n"
                                            "      find: timer\n      field: seq\n");
  CHECK(load_error(file).starts_with(file.string() + ":11:14: found 'seq', expected a field of find: timer (time, count, interval)"));
}

TEST_CASE("a second question with the same id or a bad id or a choice without key", "[lab]") {
  const auto twice = lab_with("twice", head + "  - { id: q1, ask: A, kind: text, key: x }\n  - { id: q1, ask: B, kind: text, key: y }\n");
  CHECK(load_error(twice) == twice.string() + ":7:11: a second question with id 'q1'");
  const auto bad = lab_with("bad-id", head + "  - { id: Q_1, ask: A, kind: text, key: x }\n");
  CHECK(load_error(bad) == bad.string() + ":6:11: found 'Q_1', expected an id of a-z, 0-9 and -");
  const auto choice = lab_with("choice", head + "  - { id: q1, ask: A, kind: choice, options: { a: x, b: y } }\n");
  CHECK(load_error(choice).find(":6:5: question 'q1' has neither 'answer'") != std::string::npos);
}

TEST_CASE("a scenario the lab does not have and a missing file", "[lab]") {
  const auto other = lab_with("other", head + "  - id: q1\n    ask: A?\n    kind: number\n    answer:\n"
                                            "      scenario: nope.yaml\n      find: segment\n      field: seq\n");
  CHECK(load_error(other) == other.string() + ":10:17: found 'nope.yaml', expected one of the lab's scenarios (refused.yaml)");
  const auto missing = lab_with("missing", "netstep_lab: 1\nnumber: 5\ntitle: T\nscenarios: [gone.yaml]\nquestions: []\n");
  CHECK(load_error(missing).find(":4:13: no scenario file") != std::string::npos);
}

TEST_CASE("YAML that does not parse points at the place", "[lab]") {
  const auto file = lab_with("syntax", "number: [1\n");
  CHECK(load_error(file).starts_with(file.string() + ":2:1: not valid YAML"));
}

TEST_CASE("an answers file naming an unknown question is reported with its line", "[lab]") {
  const Lab lab = load_lab(test_labs / "01-refused-test" / "lab.yaml");
  const auto file = fs::path{NETSTEP_LAB_TEST_DATA} / "unknown-question.yaml";
  const Answers answers = load_answers(file);
  CHECK(answers.student == "Eve");
  CHECK(answers.answers.at("rst-flags").text == "RST, ACK");
  try {
    check_answers_match(answers, lab);
    FAIL("no error");
  } catch (const LabInputError& e) {
    CHECK(std::string{e.what()}.starts_with(file.string() + ":5:3: found question id 'isn', expected one of lab 1's: rst-flags, "));
  }
}

TEST_CASE("a missing answers file and an unknown lab say what there is", "[lab]") {
  CHECK_THROWS_WITH(load_answers("/nonexistent/answers.yaml"),
                    Catch::Contains("/nonexistent/answers.yaml: no such answers file"));
  CHECK_THROWS_WITH(find_lab(test_labs, 9), Catch::Contains("no lab 9 in") && Catch::Contains("(there are labs 1)"));
}
