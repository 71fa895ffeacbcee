#include "yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "lab_report.hpp"

namespace netstep::lab {

namespace {

std::string found(const YAML::Node& node) {
  if (!node || node.IsNull()) return "nothing";
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  return "a mapping";
}

}  // namespace

YAML::Node YamlReader::load() const {
  try {
    return YAML::LoadFile(file_);
  } catch (const YAML::BadFile&) {
    throw LabInputError{file_ + ": cannot read this file, expected a YAML file"};
  } catch (const YAML::ParserException& e) {
    throw LabInputError{file_ + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": not valid YAML (" + e.msg + ")"};
  }
}

Place YamlReader::place(const YAML::Node& node) const {
  Place p;
  p.file = file_;
  const YAML::Mark m = node.Mark();
  if (!m.is_null()) {
    p.line = m.line + 1;
    p.column = m.column + 1;
  }
  return p;
}

void YamlReader::fail(const YAML::Node& node, const std::string& problem) const {
  throw LabInputError{place(node).where() + ": " + problem};
}

void YamlReader::expected(const YAML::Node& node, const std::string& what) const {
  fail(node, "found " + found(node) + ", expected " + what);
}

void YamlReader::require_map(const YAML::Node& node, const std::string& what) const {
  if (!node.IsMap()) expected(node, what);
}

void YamlReader::only_keys(const YAML::Node& node, std::initializer_list<std::string_view> allowed) const {
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (const std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string{a};
      fail(entry.first, "unknown key '" + key + "', expected one of: " + list);
    }
  }
}

YAML::Node YamlReader::required(const YAML::Node& map, const char* key, const std::string& what) const {
  const YAML::Node value = map[key];
  if (!value) fail(map, std::string{"missing '"} + key + "' (" + what + ")");
  return value;
}

std::string YamlReader::text(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) expected(node, what);
  return node.Scalar();
}

int YamlReader::integer(const YAML::Node& node, const std::string& what) const {
  const std::string s = text(node, what);
  int value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc{} || end != s.data() + s.size()) expected(node, what);
  return value;
}

double YamlReader::number(const YAML::Node& node, const std::string& what) const {
  const std::string s = text(node, what);
  double value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc{} || end != s.data() + s.size() || !std::isfinite(value)) expected(node, what);
  return value;
}

std::vector<std::string> YamlReader::texts(const YAML::Node& node, const std::string& what) const {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node) out.push_back(text(item, what));
  } else {
    expected(node, what);
  }
  return out;
}

std::optional<Duration> parse_duration(std::string_view text) {
  const std::string s = trimmed(text);
  double number = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), number);
  if (error != std::errc{} || end == s.data()) return std::nullopt;
  const std::string unit = lowercase(trimmed(std::string_view{end, static_cast<std::size_t>(s.data() + s.size() - end)}));
  double scale = 0;  // nanoseconds per unit
  if (unit == "ns") scale = 1;
  else if (unit == "us" || unit == "µs") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s" || unit == "sec") scale = 1e9;
  else if (unit == "min") scale = 60e9;
  if (scale == 0 || !(number >= 0) || number * scale > 1e15) return std::nullopt;
  return Duration{static_cast<Duration::rep>(std::llround(number * scale))};
}

std::string duration_text(Duration d) {
  const double ns = static_cast<double>(d.count());
  char buffer[64];
  if (ns >= 1e9) std::snprintf(buffer, sizeof buffer, "%g s", ns / 1e9);
  else if (ns >= 1e6) std::snprintf(buffer, sizeof buffer, "%g ms", ns / 1e6);
  else if (ns >= 1e3) std::snprintf(buffer, sizeof buffer, "%g us", ns / 1e3);
  else std::snprintf(buffer, sizeof buffer, "%g ns", ns);
  return buffer;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string{text.substr(first, last - first + 1)};
}

std::string lowercase(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string uppercase(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace netstep::lab
