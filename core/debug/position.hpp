#pragma once
// Where a debug session stands: how many loop events have run, and how many
// of the trace events the last of them emitted have been revealed.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace netstep::debug {

struct Position {
  static constexpr std::size_t all = std::numeric_limits<std::size_t>::max();  // every event of the loop event

  std::uint64_t loop_events = 0;
  std::size_t revealed = 0;  // within the last loop event run

  friend auto operator<=>(const Position&, const Position&) = default;
  [[nodiscard]] std::string text() const {
    return std::to_string(loop_events) + "." + (revealed == all ? std::string{"*"} : std::to_string(revealed));
  }
};

}  // namespace netstep::debug
