#pragma once
// Time in netstep is an input: an Instant on the scenario clock, counted in
// nanoseconds from the start of the run. Nothing in core reads the OS clock.
#include <chrono>
#include <cstdint>
#include <string>

namespace netstep {

using namespace std::chrono_literals;

// The scenario clock. It has no now(): the event loop owns the current time.
struct ScenarioClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::duration<rep, period>;
  using time_point = std::chrono::time_point<ScenarioClock>;
  static constexpr bool is_steady = true;
};

using Duration = ScenarioClock::duration;
using Instant = ScenarioClock::time_point;

[[nodiscard]] constexpr std::int64_t to_ns(Instant t) { return t.time_since_epoch().count(); }
[[nodiscard]] constexpr Instant instant_from_ns(std::int64_t ns) { return Instant{Duration{ns}}; }

// "1.000250" (seconds with microseconds), as the narrative and ping print it.
[[nodiscard]] std::string format_seconds(Duration d);
// "0.250 ms", "1500.000 ms", "12.000 s": milliseconds below 10 s, seconds
// above, for round-trip times and timeouts.
[[nodiscard]] std::string format_duration(Duration d);

// Where the current time comes from. The event loop implements it; the trace
// bus and layers ask it, never the OS.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Instant now() const = 0;
};

}  // namespace netstep
