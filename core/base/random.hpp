#pragma once
// The only source of randomness in core: a seeded xoshiro256** generator.
// ISNs, ephemeral ports, jitter and loss all draw from one of these, so the
// same seed gives the same run.
#include <cstdint>

#include "base/time.hpp"

namespace netstep {

class Random {
 public:
  explicit Random(std::uint64_t seed);

  std::uint64_t next_u64();
  // Uniform in [0, bound); bound 0 gives 0.
  std::uint64_t below(std::uint64_t bound);
  // True with probability p (p <= 0 never, p >= 1 always).
  bool chance(double p);
  // Uniform in [0, 1).
  double unit();
  // Uniform in [-spread, +spread].
  Duration jitter(Duration spread);
  // A generator whose sequence depends on this one's seed and a label, so
  // adding a consumer elsewhere does not shift this stream.
  [[nodiscard]] Random fork(std::uint64_t label) const;

 private:
  std::uint64_t seed_;
  std::uint64_t state_[4];
};

}  // namespace netstep
