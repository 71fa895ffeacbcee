#include "text_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace netstep::lab {

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
