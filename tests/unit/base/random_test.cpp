#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include "base/random.hpp"

using namespace netstep;

namespace {
std::vector<std::uint64_t> draw(Random& r, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(r.next_u64());
  return out;
}
}  // namespace

TEST_CASE("Random with the same seed gives the same sequence", "[base][random]") {
  Random a{42};
  Random b{42};
  CHECK(draw(a, 100) == draw(b, 100));
}

TEST_CASE("Random with different seeds gives different sequences", "[base][random]") {
  Random a{1};
  Random b{2};
  CHECK(draw(a, 8) != draw(b, 8));
}

TEST_CASE("Random seed 0 still produces a non-degenerate sequence", "[base][random]") {
  Random r{0};
  const auto v = draw(r, 16);
  int zeros = 0;
  for (auto x : v) zeros += x == 0 ? 1 : 0;
  CHECK(zeros == 0);
  CHECK(v[0] != v[1]);
}

TEST_CASE("Random fork is deterministic: same parent seed and label, same stream", "[base][random]") {
  const Random a{7};
  const Random b{7};
  Random fa = a.fork(3);
  Random fb = b.fork(3);
  CHECK(draw(fa, 50) == draw(fb, 50));
}

TEST_CASE("Random fork does not depend on how much the parent has drawn", "[base][random]") {
  Random a{7};
  Random fresh = a.fork(3);
  const auto expected = draw(fresh, 20);
  (void)draw(a, 1000);
  Random later = a.fork(3);
  CHECK(draw(later, 20) == expected);
}

TEST_CASE("Random fork does not advance or disturb the parent stream", "[base][random]") {
  Random a{99};
  Random b{99};
  Random child = a.fork(1);
  (void)draw(child, 500);
  CHECK(draw(a, 50) == draw(b, 50));
}

TEST_CASE("Random forks with different labels are independent of each other and of the parent",
          "[base][random]") {
  Random parent{5};
  Random f1 = parent.fork(1);
  Random f2 = parent.fork(2);
  const auto s1 = draw(f1, 16);
  const auto s2 = draw(f2, 16);
  const auto sp = draw(parent, 16);
  CHECK(s1 != s2);
  CHECK(s1 != sp);
  CHECK(s2 != sp);
}

TEST_CASE("Random below(n) stays below n, and below(0) is 0", "[base][random]") {
  Random r{123};
  for (std::uint64_t n : {1ull, 2ull, 3ull, 7ull, 1000ull, 0x8000000000000001ull}) {
    for (int i = 0; i < 1000; ++i) {
      const auto x = r.below(n);
      REQUIRE(x < n);
    }
  }
  CHECK(r.below(0) == 0);
  CHECK(r.below(1) == 0);
}

TEST_CASE("Random below(10) is roughly uniform (chi-square over 100000 draws)", "[base][random]") {
  Random r{2024};
  constexpr int buckets = 10;
  constexpr int draws = 100'000;
  std::array<int, buckets> counts{};
  for (int i = 0; i < draws; ++i) ++counts[static_cast<std::size_t>(r.below(buckets))];
  const double expected = double{draws} / buckets;
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 9 degrees of freedom: P(chi2 > 27.9) = 0.001. The seed is fixed, so this
  // either always passes or always fails.
  CHECK(chi2 < 27.9);
}

TEST_CASE("Random chance(0) is never true, chance(1) always, chance(0.25) about a quarter of the time", "[base][random]") {
  Random r{11};
  int hits = 0;
  for (int i = 0; i < 10'000; ++i) {
    REQUIRE_FALSE(r.chance(0.0));
    REQUIRE_FALSE(r.chance(-1.0));
    REQUIRE(r.chance(1.0));
    REQUIRE(r.chance(2.0));
    hits += r.chance(0.25) ? 1 : 0;
  }
  CHECK(hits > 2300);
  CHECK(hits < 2700);
}

TEST_CASE("Random unit() is at least 0 and below 1", "[base][random]") {
  Random r{3};
  double lo = 1, hi = 0;
  for (int i = 0; i < 10'000; ++i) {
    const double u = r.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  CHECK(lo < 0.01);
  CHECK(hi > 0.99);
}

TEST_CASE("Random jitter stays within plus or minus the spread and reaches both ends", "[base][random]") {
  Random r{8};
  const Duration spread = 3ns;
  bool saw_min = false, saw_max = false;
  for (int i = 0; i < 10'000; ++i) {
    const Duration j = r.jitter(spread);
    REQUIRE(j >= -spread);
    REQUIRE(j <= spread);
    saw_min = saw_min || j == -spread;
    saw_max = saw_max || j == spread;
  }
  CHECK(saw_min);
  CHECK(saw_max);
  const Duration wide = 50ms;
  for (int i = 0; i < 10'000; ++i) {
    const Duration j = r.jitter(wide);
    REQUIRE(j >= -wide);
    REQUIRE(j <= wide);
  }
}

TEST_CASE("Random jitter of zero or a negative spread is zero", "[base][random]") {
  Random r{8};
  CHECK(r.jitter(Duration::zero()) == Duration::zero());
  CHECK(r.jitter(-5ms) == Duration::zero());
}
