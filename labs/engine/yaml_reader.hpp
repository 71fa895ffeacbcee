#pragma once
// Reading lab.yaml and answers files with yaml-cpp: every mistake becomes a
// LabInputError "file:line:column: found X, expected Y" (the scenario
// loader's style, so instructors and students see one kind of message).
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/time.hpp"
#include "lab.hpp"

namespace netstep::lab {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_{std::move(file)} {}
  // Parses the file; a YAML syntax error or an unreadable file is a LabInputError.
  [[nodiscard]] YAML::Node load() const;

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] Place place(const YAML::Node& node) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& problem) const;
  [[noreturn]] void expected(const YAML::Node& node, const std::string& what) const;
  void require_map(const YAML::Node& node, const std::string& what) const;
  void only_keys(const YAML::Node& node, std::initializer_list<std::string_view> allowed) const;
  [[nodiscard]] YAML::Node required(const YAML::Node& map, const char* key, const std::string& what) const;
  [[nodiscard]] std::string text(const YAML::Node& node, const std::string& what) const;
  [[nodiscard]] int integer(const YAML::Node& node, const std::string& what) const;
  [[nodiscard]] double number(const YAML::Node& node, const std::string& what) const;
  // A scalar, or a list of scalars (flow or block): each as text.
  [[nodiscard]] std::vector<std::string> texts(const YAML::Node& node, const std::string& what) const;

 private:
  std::string file_;
};

// "50us", "1ms", "3s", "1.5s", "2min" (a unit is required); nullopt otherwise.
[[nodiscard]] std::optional<Duration> parse_duration(std::string_view text);
// A duration as people write it back: "127 s", "3.25 ms".
[[nodiscard]] std::string duration_text(Duration d);
// Text without surrounding spaces.
[[nodiscard]] std::string trimmed(std::string_view text);
[[nodiscard]] std::string lowercase(std::string_view text);
[[nodiscard]] std::string uppercase(std::string_view text);

}  // namespace netstep::lab
