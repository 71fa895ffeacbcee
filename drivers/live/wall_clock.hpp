#pragma once
// Maps CLOCK_MONOTONIC onto the event loop's clock: virtual time 0 is the
// moment this clock was made (the start of the run).
#include "base/time.hpp"

namespace netstep::live {

class WallClock {
 public:
  WallClock();
  // Time since the start, as an Instant on the loop's clock.
  [[nodiscard]] Instant now() const;

 private:
  std::int64_t start_ns_;
};

// CLOCK_MONOTONIC in nanoseconds.
[[nodiscard]] std::int64_t monotonic_ns();

}  // namespace netstep::live
