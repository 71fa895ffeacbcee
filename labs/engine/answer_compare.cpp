#include "answer_compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "call_result.hpp"
#include "yaml_reader.hpp"

namespace netstep::lab {

namespace {

std::optional<double> as_number(std::string_view text) {
  const std::string s = trimmed(text);
  double v = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || error != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// An error by any spelling, or by the personality's number for it.
std::optional<socket::Errc> as_error(std::string_view text, socket::PersonalityId personality) {
  socket::Errc e{};
  if (parse_error_name(text, e)) return e;
  if (const auto n = as_number(text)) {
    const int wanted = static_cast<int>(std::lround(std::fabs(*n)));
    const auto& p = socket::Personality::get(personality);
    for (const socket::Errc candidate : socket::all_errcs) {
      const auto code = p.code(candidate);
      if (code && code->number && *code->number == wanted) return candidate;
    }
  }
  return std::nullopt;
}

std::string as_state(std::string_view text) {
  std::string s = uppercase(trimmed(text));
  std::replace(s.begin(), s.end(), '_', '-');
  std::replace(s.begin(), s.end(), ' ', '-');
  return s;
}

std::set<std::string> as_flags(std::string_view text) {
  std::set<std::string> flags;
  std::string current;
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == '|' || c == '+' || c == '[' || c == ']') {
      if (!current.empty()) flags.insert(uppercase(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) flags.insert(uppercase(current));
  return flags;
}

}  // namespace

bool answer_matches(const Question& question, const std::string& given, const QueryValue& right,
                    socket::PersonalityId personality) {
  if (trimmed(given).empty()) return false;
  switch (question.kind) {
    case AnswerKind::Number: {
      const auto g = as_number(given);
      const auto r = right.number ? right.number : as_number(right.text);
      if (!g || !r) return false;
      const double tolerance = question.tolerance.value_or(0.0);
      return std::fabs(*g - *r) <= tolerance + 1e-9;
    }
    case AnswerKind::Duration: {
      const auto g = parse_duration(given);  // a unit is required: "75" alone is not an answer
      const auto r = right.duration ? right.duration : parse_duration(right.text);
      if (!g || !r) return false;
      const Duration tolerance =
          question.duration_tolerance.value_or(std::max<Duration>(Duration{r->count() / 100}, std::chrono::milliseconds{1}));
      const Duration difference = *g > *r ? *g - *r : *r - *g;
      return difference <= tolerance;
    }
    case AnswerKind::Error: {
      const auto g = as_error(given, personality);
      const auto r = as_error(right.text, personality);
      return g && r && *g == *r;
    }
    case AnswerKind::State: return as_state(given) == as_state(right.text);
    case AnswerKind::Flags: return as_flags(given) == as_flags(right.text);
    case AnswerKind::Choice:
    case AnswerKind::Text: return lowercase(trimmed(given)) == lowercase(trimmed(right.text));
  }
  return false;
}

}  // namespace netstep::lab
