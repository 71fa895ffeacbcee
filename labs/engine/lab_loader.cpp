// lab.yaml read and checked before anything runs (docs/labs.md).
#include <algorithm>
#include <set>

#include "lab.hpp"
#include "lab_report.hpp"
#include "scenario/scenario_loader.hpp"
#include "socket/personality.hpp"
#include "trace_query.hpp"
#include "yaml_reader.hpp"

namespace netstep::lab {

namespace {

constexpr std::string_view personalities_expected = "linux, freebsd, winsock, freertos or targettcp";

bool is_id(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

AnswerKind read_kind(const YamlReader& r, const YAML::Node& node) {
  const std::string s = r.text(node, "a kind");
  if (s == "number") return AnswerKind::Number;
  if (s == "duration") return AnswerKind::Duration;
  if (s == "error") return AnswerKind::Error;
  if (s == "state") return AnswerKind::State;
  if (s == "flags") return AnswerKind::Flags;
  if (s == "choice") return AnswerKind::Choice;
  if (s == "text") return AnswerKind::Text;
  r.expected(node, "a kind: number, duration, error, state, flags, choice or text");
}

FindKind read_find(const YamlReader& r, const YAML::Node& node) {
  const std::string s = r.text(node, "what to find");
  if (s == "segment") return FindKind::Segment;
  if (s == "call") return FindKind::Call;
  if (s == "state") return FindKind::State;
  if (s == "frame") return FindKind::Frame;
  if (s == "timer") return FindKind::Timer;
  if (s == "report") r.fail(node, "find: report is for program runs (program.yaml), not for lab.yaml questions");
  r.expected(node, "segment, call, state, frame or timer");
}

std::string join(std::span<const std::string_view> names) {
  std::string out;
  for (const auto n : names) out += (out.empty() ? "" : ", ") + std::string{n};
  return out;
}

void check_personality(const YamlReader& r, const YAML::Node& node, const std::string& name) {
  if (socket::Personality::find(name) == nullptr) r.expected(node, std::string{personalities_expected});
}

class LabReader {
 public:
  LabReader(const YamlReader& r, Lab& lab) : r_{r}, lab_{lab} {}

  void check_scenario_name(const YAML::Node& node, const std::string& name) const {
    if (std::find(lab_.scenarios.begin(), lab_.scenarios.end(), name) == lab_.scenarios.end()) {
      r_.expected(node, "one of the lab's scenarios (" + list_scenarios() + ")");
    }
  }

  TraceQuery query(const YAML::Node& node, bool needs_field) const {
    r_.require_map(node, "a trace query {scenario, personality, find, where, nth, field}");
    r_.only_keys(node, {"scenario", "personality", "find", "where", "nth", "field"});
    TraceQuery q;
    q.place = r_.place(node);
    if (const auto n = node["scenario"]) {
      q.scenario = r_.text(n, "a scenario file of the lab");
      check_scenario_name(n, q.scenario);
    }
    if (const auto n = node["personality"]) {
      q.personality = r_.text(n, std::string{personalities_expected});
      check_personality(r_, n, q.personality);
    }
    q.find = read_find(r_, r_.required(node, "find", "segment, call, state, frame or timer"));
    if (const auto where = node["where"]) {
      r_.require_map(where, "a mapping of conditions");
      const auto keys = where_keys(q.find);
      for (const auto& entry : where) {
        const std::string key = entry.first.as<std::string>();
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
          r_.fail(entry.first, "unknown key '" + key + "' for find: " + std::string{to_string(q.find)} +
                                   ", expected one of: " + join(keys));
        }
        q.where[key] = r_.texts(entry.second, key + ": a value or a list of values");
      }
    }
    if (const auto n = node["nth"]) {
      if (n.IsScalar() && n.Scalar() == "last") q.nth = 0;
      else {
        q.nth = r_.integer(n, "a position from 1, or last");
        if (q.nth < 1) r_.expected(n, "a position from 1, or last");
      }
    }
    if (const auto n = node["field"]) {
      q.field = r_.text(n, "a field");
      const auto fields = field_names(q.find);
      if (std::find(fields.begin(), fields.end(), q.field) == fields.end()) {
        r_.expected(n, "a field of find: " + std::string{to_string(q.find)} + " (" + join(fields) + ")");
      }
    } else if (needs_field) {
      r_.fail(node, "missing 'field' (what to read from the event found: " + join(field_names(q.find)) + ")");
    }
    return q;
  }

  Question question(const YAML::Node& node, std::set<std::string>& ids) const {
    r_.require_map(node, "a question {id, ask, kind, points, hint, answer or key, see, options, tolerance}");
    r_.only_keys(node, {"id", "ask", "kind", "points", "hint", "answer", "key", "see", "options", "tolerance"});
    Question q;
    q.place = r_.place(node);
    const YAML::Node id = r_.required(node, "id", "the question's id: a-z, 0-9 and -");
    q.id = r_.text(id, "an id");
    if (!is_id(q.id)) r_.expected(id, "an id of a-z, 0-9 and -");
    if (!ids.insert(q.id).second) r_.fail(id, "a second question with id '" + q.id + "'");
    q.ask = r_.text(r_.required(node, "ask", "the question"), "the question");
    q.kind = read_kind(r_, r_.required(node, "kind", "number, duration, error, state, flags, choice or text"));
    if (const auto n = node["points"]) {
      q.points = r_.number(n, "points (a number, 0 or more)");
      if (q.points < 0) r_.expected(n, "points (a number, 0 or more)");
    }
    if (const auto n = node["hint"]) q.hint = r_.text(n, "a hint");
    if (const auto n = node["options"]) {
      r_.require_map(n, "options {a: ..., b: ...}");
      for (const auto& entry : n) q.options[lowercase(entry.first.as<std::string>())] = r_.text(entry.second, "an option's text");
    }
    if (const auto n = node["key"]) q.key = r_.text(n, "the written answer");
    if (const auto n = node["answer"]) q.answer = query(n, true);
    if (const auto n = node["see"]) q.see = query(n, false);
    if (q.key && q.answer) r_.fail(node, "question '" + q.id + "' has both 'key' and 'answer': give one");
    if (!q.key && !q.answer) r_.fail(node, "question '" + q.id + "' has neither 'answer' (a trace query) nor 'key'");
    if (q.kind == AnswerKind::Choice) {
      if (q.options.empty()) r_.fail(node, "choice question '" + q.id + "' has no 'options'");
      if (!q.key) r_.fail(node, "choice question '" + q.id + "' needs 'key' (the right letter)");
      if (!q.options.contains(lowercase(*q.key))) r_.expected(node["key"], "one of the options' letters");
    }
    if (const auto n = node["tolerance"]) {
      if (q.kind == AnswerKind::Duration) {
        const auto d = parse_duration(r_.text(n, "a duration"));
        if (!d) r_.expected(n, "a duration such as 1ms or 2s");
        q.duration_tolerance = *d;
      } else if (q.kind == AnswerKind::Number) {
        q.tolerance = r_.number(n, "a number");
      } else {
        r_.fail(n, "'tolerance' is for number and duration questions");
      }
    }
    return q;
  }

 private:
  [[nodiscard]] std::string list_scenarios() const {
    std::string out;
    for (const auto& s : lab_.scenarios) out += (out.empty() ? "" : ", ") + s;
    return out;
  }
  const YamlReader& r_;
  Lab& lab_;
};

}  // namespace

std::string_view to_string(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::Number: return "number";
    case AnswerKind::Duration: return "duration";
    case AnswerKind::Error: return "error";
    case AnswerKind::State: return "state";
    case AnswerKind::Flags: return "flags";
    case AnswerKind::Choice: return "choice";
    case AnswerKind::Text: return "text";
  }
  return "text";
}

std::string_view to_string(FindKind kind) {
  switch (kind) {
    case FindKind::Segment: return "segment";
    case FindKind::Call: return "call";
    case FindKind::State: return "state";
    case FindKind::Frame: return "frame";
    case FindKind::Timer: return "timer";
    case FindKind::Report: return "report";
  }
  return "segment";
}

const Question* Lab::find_question(const std::string& id) const {
  for (const auto& q : questions) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

std::filesystem::path Lab::scenario_path(const std::string& name) const {
  return dir / (name.empty() ? scenarios.front() : name);
}

Lab load_lab(const std::filesystem::path& lab_yaml) {
  const YamlReader r{lab_yaml.string()};
  const YAML::Node root = r.load();
  r.require_map(root, "a lab {netstep_lab, number, title, goal, scenarios, open, questions}");
  r.only_keys(root, {"netstep_lab", "number", "title", "goal", "scenarios", "open", "questions"});
  Lab lab;
  lab.file = lab_yaml;
  lab.dir = lab_yaml.parent_path();
  if (const auto v = root["netstep_lab"]; v && r.integer(v, "the format version, 1") != 1) r.expected(v, "the format version, 1");
  const YAML::Node number = r.required(root, "number", "the lab's number, 1 to 99");
  lab.number = r.integer(number, "the lab's number, 1 to 99");
  if (lab.number < 1 || lab.number > 99) r.expected(number, "the lab's number, 1 to 99");
  lab.title = r.text(r.required(root, "title", "the lab's title"), "the lab's title");
  if (const auto n = root["goal"]) lab.goal = r.text(n, "one sentence");
  const YAML::Node scenarios = r.required(root, "scenarios", "the lab's scenario files");
  lab.scenarios = r.texts(scenarios, "a scenario file, relative to the lab's folder");
  if (lab.scenarios.empty()) r.expected(scenarios, "at least one scenario file");
  for (std::size_t i = 0; i < lab.scenarios.size(); ++i) {
    const YAML::Node at = scenarios.IsSequence() ? scenarios[i] : scenarios;
    const auto path = lab.dir / lab.scenarios[i];
    if (!std::filesystem::exists(path)) r.fail(at, "no scenario file " + path.string());
    try {
      (void)scenario::load_scenario_file(path.string());
    } catch (const scenario::ScenarioError& e) {
      throw LabInputError{e.what()};
    }
  }
  LabReader reader{r, lab};
  if (const auto open = root["open"]) {
    r.require_map(open, "{scenario, personality, break}");
    r.only_keys(open, {"scenario", "personality", "break"});
    if (const auto n = open["scenario"]) {
      lab.open.scenario = r.text(n, "a scenario file of the lab");
      reader.check_scenario_name(n, lab.open.scenario);
    }
    if (const auto n = open["personality"]) {
      lab.open.personality = r.text(n, std::string{personalities_expected});
      check_personality(r, n, lab.open.personality);
    }
    if (const auto n = open["break"]) lab.open.break_spec = r.text(n, "a breakpoint such as state:SYN-SENT");
  }
  const YAML::Node questions = r.required(root, "questions", "the lab's questions");
  if (!questions.IsSequence()) r.expected(questions, "a list of questions");
  std::set<std::string> ids;
  for (const auto& q : questions) lab.questions.push_back(reader.question(q, ids));
  return lab;
}

}  // namespace netstep::lab
