// Lab programs: lab 6's solution and starter under every personality, and
// the programs that go wrong in every way a student's can (crash, endless
// loop, busy loop, no compile), checked through check_program() and the
// debugger's world.
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <string>

#include "debug/debug_session.hpp"
#include "program_check.hpp"
#include "program_library.hpp"
#include "program_spec.hpp"
#include "program_world.hpp"
#include "scenario/scenario_loader.hpp"

namespace fs = std::filesystem;
using netstep::lab::CheckResult;

namespace {

const fs::path source_dir{NETSTEP_SOURCE_DIR};
const fs::path lab6 = source_dir / "labs" / "06-nonblocking-connect";
const fs::path data = source_dir / "tests" / "lab" / "data";

void print(const std::vector<CheckResult>& results) {
  for (const CheckResult& r : results) {
    std::cout << (r.passed ? "PASS " : "FAIL ") << r.id << "\n  expected: " << r.expected << "\n  seen: " << r.seen
              << "\n";
    if (!r.passed) {
      for (const auto& s : r.steps) std::cout << "    " << s.text << "\n";
      std::cout << "  hint: " << r.hint << "\n  debug: " << r.debug_command << "\n";
    }
  }
}

[[maybe_unused]] const CheckResult* find(const std::vector<CheckResult>& results, const std::string& id) {
  for (const CheckResult& r : results) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool verbose() { return std::getenv("NETSTEP_LAB_VERBOSE") != nullptr; }

}  // namespace

TEST_CASE("lab 6 solution passes every run under all five personalities") {
  const auto results = netstep::lab::check_program(lab6, lab6 / "solution" / "connect_loop.c");
  if (verbose()) print(results);
  REQUIRE(results.size() == 4 * 5);
  for (const CheckResult& r : results) {
    INFO(r.id << ": " << r.seen << " / expected " << r.expected << " / " << r.hint);
    CHECK(r.passed);
    CHECK(r.points == r.max_points);
    CHECK_FALSE(r.steps.empty());
  }
}
