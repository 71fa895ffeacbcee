#pragma once
// program.yaml, read and checked: the runs a lab plays its student's
// program in (docs/lab-programs.md). Nothing here runs anything.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "socket/errc.hpp"
#include "socket/personality.hpp"

namespace netstep::lab {

// What lab_main must return (or a report must say) under one personality.
struct ReturnExpectation {
  enum class Kind : std::uint8_t { Value, Error, SameAsSolution } kind = Kind::Value;
  int value = 0;                 // Kind::Value
  socket::Errc error{};          // Kind::Error: the personality's (positive) number for it
  [[nodiscard]] std::string describe() const;  // "0", "ECONNREFUSED", "what the solution returns"
};

struct ReturnsByPersonality {
  std::vector<std::pair<socket::PersonalityId, ReturnExpectation>> each;
  std::optional<ReturnExpectation> other;  // "other:" or a single value for all
  [[nodiscard]] const ReturnExpectation* for_personality(socket::PersonalityId id) const;
};

// A hint: shown with a failure when every condition given holds.
struct ProgramHint {
  std::vector<socket::PersonalityId> personalities;  // empty: any
  std::string call;                                   // a call the program made ("connect"), or empty
  std::optional<socket::Errc> error;                  // ... that failed with this error
  std::optional<ReturnExpectation> returned;          // lab_main returned this
  std::string say;
};

struct ProgramRun {
  std::string name;
  std::string title;
  std::filesystem::path scenario;  // absolute
  std::string host;
  std::string argument;
  std::vector<socket::PersonalityId> personalities;  // empty: the scenario's
  double points = 1;
  ReturnsByPersonality returns;
  std::optional<Duration> within;
  std::optional<std::string> state;
  std::map<std::string, std::optional<std::string>> reports;  // nullopt: same as the solution
  std::vector<ProgramHint> hints;
  std::string where;  // program.yaml:line:column of the run
};

struct ProgramSpec {
  std::filesystem::path lab_dir;
  std::filesystem::path file;      // program.yaml
  std::filesystem::path starter;   // absolute
  std::filesystem::path solution;  // absolute
  std::string host;
  std::vector<ProgramRun> runs;
  [[nodiscard]] const ProgramRun* find_run(std::string_view name) const;
};

// Throws LabInputError ("program.yaml:12:5: ...") for anything that cannot be used.
[[nodiscard]] ProgramSpec load_program_spec(const std::filesystem::path& lab_dir);

// "2s", "1500ms", "300us", "1.5s": a duration as program.yaml writes it.
[[nodiscard]] std::optional<Duration> parse_lab_duration(std::string_view text);

}  // namespace netstep::lab
