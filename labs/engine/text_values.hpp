#pragma once
// Small text helpers the lab engine shares: durations as people write
// them, and case and space folding for comparing answers.
#include <optional>
#include <string>
#include <string_view>

#include "base/time.hpp"

namespace netstep::lab {

// "50us", "1ms", "3s", "1.5s", "2min" (a unit is required); nullopt otherwise.
[[nodiscard]] std::optional<Duration> parse_duration(std::string_view text);
// A duration as people write it back: "127 s", "3.25 ms".
[[nodiscard]] std::string duration_text(Duration d);
// Text without surrounding spaces.
[[nodiscard]] std::string trimmed(std::string_view text);
[[nodiscard]] std::string lowercase(std::string_view text);
[[nodiscard]] std::string uppercase(std::string_view text);

}  // namespace netstep::lab
