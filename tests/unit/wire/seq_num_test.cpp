#include <catch2/catch.hpp>

#include <cstdint>

#include "base/random.hpp"
#include "base/seq_num.hpp"

using namespace netstep;

TEST_CASE("sequence numbers compare by distance, not by value", "[base][seq_num]") {
  CHECK(SeqNum{1} < SeqNum{2});
  CHECK(SeqNum{2} > SeqNum{1});
  CHECK(SeqNum{5} <= SeqNum{5});
  CHECK(SeqNum{5} >= SeqNum{5});
  CHECK_FALSE(SeqNum{5} < SeqNum{5});
  CHECK(SeqNum{5} == SeqNum{5});
  CHECK(SeqNum{5} != SeqNum{6});
}

TEST_CASE("comparison is correct across the wrap at 2^32", "[base][seq_num][wrap]") {
  const SeqNum before_wrap{0xfffffff0u};
  const SeqNum after_wrap = before_wrap + 0x20;
  CHECK(after_wrap.value() == 0x10u);
  CHECK(before_wrap < after_wrap);  // although 0xfffffff0 > 0x10 as integers
  CHECK(after_wrap > before_wrap);
  CHECK(after_wrap - before_wrap == 0x20);
  CHECK(before_wrap - after_wrap == -0x20);
  CHECK(SeqNum{0xffffffffu} + 1 == SeqNum{0});
  CHECK(SeqNum{0} - 1u == SeqNum{0xffffffffu});
  CHECK(SeqNum{0xffffffffu} < SeqNum{0});
}

TEST_CASE("numbers less than 2^31 ahead are greater, 2^31 is where it flips", "[base][seq_num][wrap]") {
  const SeqNum a{1000};
  CHECK(a + 0x7fffffffu > a);
  CHECK(a + 0x80000001u < a);  // more than half way round is behind
  CHECK(a + 0x7fffffffu - a == 0x7fffffff);
  CHECK((a + 0x80000000u) - a == INT32_MIN);  // RFC 1982: the comparison is undefined here
}

TEST_CASE("differences widen to 64 bits for arithmetic with lengths", "[base][seq_num]") {
  const SeqNum a{0xfffffff0u};
  CHECK(SeqNum{0x10}.distance_from(a) == 0x20);
  CHECK(a.distance_from(SeqNum{0x10}) == -0x20);
  CHECK(SeqNum{0x10}.distance_from(a) + 0x7fffffffLL == 0x8000001fLL);
}

TEST_CASE("+= and -= advance with wrap", "[base][seq_num]") {
  SeqNum s{0xfffffffeu};
  s += 3;
  CHECK(s.value() == 1u);
  s -= 2;
  CHECK(s.value() == 0xffffffffu);
}

TEST_CASE("in_window tests start <= seq < start + size across the wrap", "[base][seq_num][wrap]") {
  const SeqNum start{0xffffff00u};
  CHECK(start.in_window(start, 1));
  CHECK_FALSE(start.in_window(start, 0));
  CHECK((start + 0x1ff).in_window(start, 0x200));
  CHECK_FALSE((start + 0x200).in_window(start, 0x200));
  CHECK_FALSE((start - 1).in_window(start, 0x200));
}

TEST_CASE("for random pairs within 2^31, order matches the unwrapped numbers", "[base][seq_num][wrap]") {
  Random rng{1982};
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t base = rng.next_u64() & 0xffffffffu;
    const std::uint64_t delta = rng.below(0x7fffffffu) + 1;  // 1 .. 2^31 - 1
    const SeqNum lo{static_cast<std::uint32_t>(base)};
    const SeqNum hi{static_cast<std::uint32_t>(base + delta)};  // truncation is the wrap
    REQUIRE(lo < hi);
    REQUIRE(hi > lo);
    REQUIRE_FALSE(hi < lo);
    REQUIRE(hi - lo == static_cast<std::int32_t>(delta));
  }
}
