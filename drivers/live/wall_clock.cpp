#include "live/wall_clock.hpp"

#include <time.h>

namespace netstep::live {

std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

WallClock::WallClock() : start_ns_{monotonic_ns()} {}

Instant WallClock::now() const { return instant_from_ns(monotonic_ns() - start_ns_); }

}  // namespace netstep::live
