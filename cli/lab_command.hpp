#pragma once
// `netstep lab list|show N|open N|check N|grade DIR` (docs/labs.md): the
// classroom labs under labs/. Exit 0 all right (or, for grade, every
// submission graded), 1 something wrong, 2 bad input (one line saying why).
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"

namespace netstep::cli {

struct LabOptions {
  std::string labs;  // --labs DIR
  int number = 0;    // show, open, check: the lab
  // open
  std::string scenario;
  std::string run;
  std::string program;  // open --program, check --program
  std::string personality;
  std::optional<std::uint64_t> at;
  bool text = false;
  // check, grade
  std::string answers;
  std::string format = "text";
  std::string out;
  std::string grade_dir;
  std::optional<int> grade_lab;
};

void add_lab_command(CLI::App& app, LabOptions& options, int& exit_code);

// Where the labs are: --labs, else $NETSTEP_LABS, else the source tree's
// labs/ (compile-time), else ./labs.
[[nodiscard]] std::filesystem::path labs_root(const std::string& option);

int lab_list(const LabOptions& options, std::ostream& out, std::ostream& err);
int lab_show(const LabOptions& options, std::ostream& out, std::ostream& err);
int lab_open(const LabOptions& options, std::istream& in, std::ostream& out, std::ostream& err);
int lab_check(const LabOptions& options, std::ostream& out, std::ostream& err);
int lab_grade(const LabOptions& options, std::ostream& out, std::ostream& err);

}  // namespace netstep::cli
