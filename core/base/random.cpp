#include "base/random.hpp"

#include <limits>

namespace netstep {

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Random::Random(std::uint64_t seed) : seed_{seed} {
  std::uint64_t x = seed;
  for (auto& word : state_) word = splitmix64(x);
}

std::uint64_t Random::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

std::uint64_t Random::below(std::uint64_t bound) {
  if (bound == 0) return 0;
  // Rejection sampling: draws above the largest multiple of bound are
  // redrawn, so every result is equally likely.
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
  for (;;) {
    const std::uint64_t x = next_u64();
    if (x < limit) return x % bound;
  }
}

double Random::unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

bool Random::chance(double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return unit() < p;
}

Duration Random::jitter(Duration spread) {
  if (spread <= Duration::zero()) return Duration::zero();
  const auto width = static_cast<std::uint64_t>(spread.count()) * 2 + 1;
  return Duration{static_cast<std::int64_t>(below(width)) - spread.count()};
}

Random Random::fork(std::uint64_t label) const {
  std::uint64_t x = seed_ ^ (label * 0xd1b54a32d192ed03ull);
  return Random{splitmix64(x)};
}

}  // namespace netstep
