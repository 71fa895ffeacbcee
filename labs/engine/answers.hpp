#pragma once
// A student's answers file (docs/labs.md): `lab:`, optional `student:`, and
// `answers:` mapping question ids to what the student wrote.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "lab.hpp"

namespace netstep::lab {

struct WrittenAnswer {
  std::string text;  // as written ("SYN, ACK", "127s"); empty: left blank
  Place place;
};

struct Answers {
  std::filesystem::path file;
  std::optional<int> lab;
  std::string student;
  std::map<std::string, WrittenAnswer> answers;
};

// Throws LabInputError (file:line:column) for a file that is missing or
// not an answers file.
[[nodiscard]] Answers load_answers(const std::filesystem::path& file);
// Throws LabInputError for an answer naming no question of `lab`, or an
// answers file for another lab.
void check_answers_match(const Answers& answers, const Lab& lab);

}  // namespace netstep::lab
