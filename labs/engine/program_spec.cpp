#include "program_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <regex>

#include "lab_report.hpp"

namespace netstep::lab {

namespace {

using socket::Errc;
using socket::Personality;
using socket::PersonalityId;

// Reads one program.yaml, every problem as "file:line:column: ...".
class Reader {
 public:
  explicit Reader(std::string file) : file_{std::move(file)} {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
    const YAML::Mark m = node.Mark();
    throw LabInputError{file_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": " + what};
  }
  [[nodiscard]] std::string where(const YAML::Node& node) const {
    const YAML::Mark m = node.Mark();
    return file_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  }
  [[nodiscard]] std::string text(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + ": expected a single value");
    return node.Scalar();
  }
  [[nodiscard]] std::string name(const YAML::Node& node, const std::string& what) const {
    std::string s = text(node, what);
    static const std::regex pattern{"[a-z0-9-]+"};
    if (!std::regex_match(s, pattern)) fail(node, what + " '" + s + "': expected [a-z0-9-]+");
    return s;
  }
  [[nodiscard]] PersonalityId personality(const YAML::Node& node) const {
    const std::string s = text(node, "personality");
    const Personality* p = Personality::find(s);
    if (p == nullptr) fail(node, "unknown personality '" + s + "': expected linux, freebsd, winsock, freertos or targettcp");
    return p->id();
  }
  [[nodiscard]] std::vector<PersonalityId> personalities(const YAML::Node& node) const {
    std::vector<PersonalityId> out;
    if (node.IsScalar() && node.Scalar() == "all") {
      for (PersonalityId id : tcp::all_syn_personalities) out.push_back(id);
      return out;
    }
    if (node.IsScalar()) return {personality(node)};
    if (!node.IsSequence()) fail(node, "personalities: expected `all`, a personality or a list of them");
    for (const YAML::Node& n : node) out.push_back(personality(n));
    return out;
  }
  [[nodiscard]] ReturnExpectation expectation(const YAML::Node& node) const {
    const std::string s = text(node, "expected return");
    ReturnExpectation e;
    if (s == "same-as-solution") {
      e.kind = ReturnExpectation::Kind::SameAsSolution;
      return e;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc{} && end == s.data() + s.size()) {
      e.kind = ReturnExpectation::Kind::Value;
      e.value = value;
      return e;
    }
    Errc error{};
    if (!socket::parse_errc(s, error)) {
      fail(node, "'" + s + "': expected a number, an error name (ECONNREFUSED) or same-as-solution");
    }
    e.kind = ReturnExpectation::Kind::Error;
    e.error = error;
    return e;
  }
  [[nodiscard]] ReturnsByPersonality returns(const YAML::Node& node) const {
    ReturnsByPersonality r;
    if (node.IsScalar()) {
      r.other = expectation(node);
      return r;
    }
    if (!node.IsMap()) fail(node, "returns: expected a value or a map of personality: value");
    for (const auto& kv : node) {
      const std::string key = text(kv.first, "returns key");
      if (key == "other" || key == "all") {
        r.other = expectation(kv.second);
      } else {
        r.each.emplace_back(personality(kv.first), expectation(kv.second));
      }
    }
    return r;
  }
  [[nodiscard]] Duration duration(const YAML::Node& node, const std::string& what) const {
    const auto d = parse_lab_duration(text(node, what));
    if (!d) fail(node, what + ": expected a duration such as 2s, 1500ms or 300us");
    return *d;
  }
  [[nodiscard]] ProgramHint hint(const YAML::Node& node) const {
    if (!node.IsMap() || !node["say"]) fail(node, "a hint: expected { when: {...}, say: text }");
    ProgramHint h;
    h.say = text(node["say"], "say");
    if (const YAML::Node when = node["when"]) {
      if (!when.IsMap()) fail(when, "when: expected a map (personality, call, error, returned)");
      for (const auto& kv : when) {
        const std::string key = text(kv.first, "when key");
        if (key == "personality") {
          h.personalities = personalities(kv.second);
        } else if (key == "call") {
          h.call = text(kv.second, "call");
        } else if (key == "error") {
          Errc e{};
          if (!socket::parse_errc(text(kv.second, "error"), e)) fail(kv.second, "error: expected a POSIX error name");
          h.error = e;
        } else if (key == "returned") {
          h.returned = expectation(kv.second);
        } else {
          fail(kv.first, "unknown key '" + key + "' in when: expected personality, call, error or returned");
        }
      }
    }
    return h;
  }

 private:
  std::string file_;
};

}  // namespace

std::string ReturnExpectation::describe() const {
  switch (kind) {
    case Kind::Value: return std::to_string(value);
    case Kind::Error: return std::string{socket::posix_name(error)};
    case Kind::SameAsSolution: return "what the solution returns";
  }
  return "?";
}

const ReturnExpectation* ReturnsByPersonality::for_personality(socket::PersonalityId id) const {
  for (const auto& [p, e] : each) {
    if (p == id) return &e;
  }
  return other ? &*other : nullptr;
}

const ProgramRun* ProgramSpec::find_run(std::string_view name) const {
  for (const ProgramRun& r : runs) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::optional<Duration> parse_lab_duration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  double number = 0;
  try {
    number = std::stod(std::string{text.substr(0, i)});
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string_view unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  double us = 0;
  if (unit == "us") {
    us = number;
  } else if (unit == "ms") {
    us = number * 1e3;
  } else if (unit == "s") {
    us = number * 1e6;
  } else if (unit == "min") {
    us = number * 60e6;
  } else {
    return std::nullopt;
  }
  return std::chrono::duration_cast<Duration>(std::chrono::microseconds{static_cast<std::int64_t>(std::llround(us))});
}

ProgramSpec load_program_spec(const std::filesystem::path& lab_dir) {
  ProgramSpec spec;
  spec.lab_dir = lab_dir;
  spec.file = lab_dir / "program.yaml";
  const std::string file = spec.file.string();
  if (!std::filesystem::exists(spec.file)) throw LabInputError{file + ": no such file (the lab has no program task)"};
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::Exception& e) {
    throw LabInputError{file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": " + e.msg};
  }
  const Reader r{file};
  if (!root.IsMap()) r.fail(root, "expected a map with netstep_program, starter, solution, runs");
  if (!root["netstep_program"] || r.text(root["netstep_program"], "netstep_program") != "1") {
    r.fail(root, "expected `netstep_program: 1`");
  }
  for (const char* key : {"starter", "solution", "runs"}) {
    if (!root[key]) r.fail(root, std::string{"missing `"} + key + "`");
  }
  spec.starter = lab_dir / r.text(root["starter"], "starter");
  spec.solution = lab_dir / r.text(root["solution"], "solution");
  spec.host = root["host"] ? r.text(root["host"], "host") : "client";
  for (const auto& [path, node] : {std::pair{spec.starter, root["starter"]}, std::pair{spec.solution, root["solution"]}}) {
    if (!std::filesystem::exists(path)) r.fail(node, "no such file: " + path.string());
  }
  const YAML::Node runs = root["runs"];
  if (!runs.IsSequence() || runs.size() == 0) r.fail(runs, "runs: expected a list of runs");
  for (const YAML::Node& node : runs) {
    if (!node.IsMap()) r.fail(node, "a run: expected a map (name, scenario, argument, expect ...)");
    for (const auto& kv : node) {
      static const std::vector<std::string> known{"name", "title", "scenario", "host", "argument",
                                                  "personalities", "points", "expect", "hints"};
      const std::string key = r.text(kv.first, "run key");
      if (std::find(known.begin(), known.end(), key) == known.end()) r.fail(kv.first, "unknown key '" + key + "' in a run");
    }
    for (const char* key : {"name", "scenario", "expect"}) {
      if (!node[key]) r.fail(node, std::string{"a run without `"} + key + "`");
    }
    ProgramRun run;
    run.where = r.where(node);
    run.name = r.name(node["name"], "name");
    if (spec.find_run(run.name) != nullptr) r.fail(node["name"], "a second run named '" + run.name + "'");
    run.title = node["title"] ? r.text(node["title"], "title") : run.name;
    run.scenario = lab_dir / r.text(node["scenario"], "scenario");
    if (!std::filesystem::exists(run.scenario)) r.fail(node["scenario"], "no such file: " + run.scenario.string());
    run.host = node["host"] ? r.text(node["host"], "host") : spec.host;
    run.argument = node["argument"] ? r.text(node["argument"], "argument") : "";
    if (node["personalities"]) run.personalities = r.personalities(node["personalities"]);
    if (node["points"]) {
      try {
        run.points = node["points"].as<double>();
      } catch (const YAML::Exception&) {
        r.fail(node["points"], "points: expected a number");
      }
    }
    const YAML::Node expect = node["expect"];
    if (!expect.IsMap() || !expect["returns"]) r.fail(expect, "expect: expected a map with at least `returns`");
    for (const auto& kv : expect) {
      const std::string key = r.text(kv.first, "expect key");
      if (key == "returns") {
        run.returns = r.returns(kv.second);
      } else if (key == "within") {
        run.within = r.duration(kv.second, "within");
      } else if (key == "state") {
        run.state = r.text(kv.second, "state");
      } else if (key == "reports") {
        if (!kv.second.IsMap()) r.fail(kv.second, "reports: expected a map of key: value");
        for (const auto& rep : kv.second) {
          const std::string value = r.text(rep.second, "report value");
          run.reports[r.text(rep.first, "report key")] =
              value == "same-as-solution" ? std::nullopt : std::optional<std::string>{value};
        }
      } else {
        r.fail(kv.first, "unknown key '" + key + "' in expect: expected returns, within, state or reports");
      }
    }
    if (const YAML::Node hints = node["hints"]) {
      if (!hints.IsSequence()) r.fail(hints, "hints: expected a list of { when, say }");
      for (const YAML::Node& h : hints) run.hints.push_back(r.hint(h));
    }
    spec.runs.push_back(std::move(run));
  }
  return spec;
}

}  // namespace netstep::lab
