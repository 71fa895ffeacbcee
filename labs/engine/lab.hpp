#pragma once
// One lab as its lab.yaml describes it (docs/labs.md): its scenarios, where
// `netstep lab open` starts, and its questions. A question's right answer is
// never written down unless it is conceptual (`key`): a TraceQuery says
// where in a run it is found, and the checker computes it.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"

namespace netstep::lab {

// Where something in lab.yaml was written, for messages.
struct Place {
  std::string file;
  int line = 1;
  int column = 1;
  [[nodiscard]] std::string where() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
};

enum class AnswerKind { Number, Duration, Error, State, Flags, Choice, Text };
[[nodiscard]] std::string_view to_string(AnswerKind kind);

enum class FindKind { Segment, Call, State, Frame, Timer, Report };
[[nodiscard]] std::string_view to_string(FindKind kind);

// "find: segment, where: {...}, nth: 1, field: seq" under one scenario and personality.
struct TraceQuery {
  std::string scenario;     // a file of the lab's folder; empty: the lab's first
  std::string personality;  // empty: the scenario's first
  FindKind find = FindKind::Segment;
  std::map<std::string, std::vector<std::string>> where;  // key -> values (a list, or one value)
  int nth = 1;              // 1-based; 0 means `last`
  std::string field;        // empty for `see:` (only the event matters)
  Place place;
};

struct Question {
  std::string id;
  std::string ask;
  AnswerKind kind = AnswerKind::Text;
  double points = 1;
  std::string hint;
  std::optional<TraceQuery> answer;  // where the right answer is computed from
  std::optional<std::string> key;    // a written answer (choice questions, conceptual ones)
  std::map<std::string, std::string> options;  // choice: letter -> text
  std::optional<TraceQuery> see;     // where in a run the answer shows (for the hint)
  std::optional<double> tolerance;           // number
  std::optional<Duration> duration_tolerance;  // duration
  Place place;
};

struct OpenSpec {
  std::string scenario;     // empty: the lab's first
  std::string personality;  // empty: the scenario's first
  std::string break_spec;   // a `netstep debug --break` spec, or empty
};

struct Lab {
  std::filesystem::path dir;  // the lab's folder
  std::filesystem::path file; // its lab.yaml
  int number = 0;
  std::string title;
  std::string goal;
  std::vector<std::string> scenarios;  // relative to dir; the first is the main one
  OpenSpec open;
  std::vector<Question> questions;
  [[nodiscard]] const Question* find_question(const std::string& id) const;
  [[nodiscard]] std::filesystem::path scenario_path(const std::string& name) const;  // "" -> the first
};

// Reads and checks `lab_yaml` (the scenarios it names must load). Throws
// LabInputError "file:line:column: what was found, what was expected".
[[nodiscard]] Lab load_lab(const std::filesystem::path& lab_yaml);

}  // namespace netstep::lab
