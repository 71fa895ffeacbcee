#pragma once
// TCP sequence numbers: 32-bit counters that wrap (RFC 9293 section 3.4).
//
// Ordering is serial-number arithmetic (RFC 1982): a < b iff the distance from
// a forward to b is less than 2^31, i.e. (int32_t)(a - b) < 0. It is not a
// total order (it is not transitive across more than half the space, and two
// numbers exactly 2^31 apart compare "less" both ways), which is why SeqNum
// has no operator<=> and cannot key a std::map: compare only numbers that are
// known to lie within one window of each other, as TCP does.
#include <cstdint>

namespace netstep {

class SeqNum {
 public:
  constexpr SeqNum() = default;
  constexpr explicit SeqNum(std::uint32_t value) : value_{value} {}

  [[nodiscard]] constexpr std::uint32_t value() const { return value_; }

  // Advancing wraps modulo 2^32.
  constexpr SeqNum operator+(std::uint32_t n) const { return SeqNum{value_ + n}; }
  constexpr SeqNum operator-(std::uint32_t n) const { return SeqNum{value_ - n}; }
  constexpr SeqNum& operator+=(std::uint32_t n) { value_ += n; return *this; }
  constexpr SeqNum& operator-=(std::uint32_t n) { value_ -= n; return *this; }

  // The signed distance from b forward to a, in [-2^31, 2^31): how many bytes
  // a is ahead of b (negative if behind).
  friend constexpr std::int32_t operator-(SeqNum a, SeqNum b) {
    return static_cast<std::int32_t>(a.value_ - b.value_);  // modular conversion, defined in C++20
  }
  // The same distance widened, so callers can add lengths without overflow.
  [[nodiscard]] constexpr std::int64_t distance_from(SeqNum b) const { return std::int64_t{*this - b}; }

  friend constexpr bool operator==(SeqNum a, SeqNum b) = default;
  friend constexpr bool operator<(SeqNum a, SeqNum b) { return (a - b) < 0; }
  friend constexpr bool operator>(SeqNum a, SeqNum b) { return b < a; }
  friend constexpr bool operator<=(SeqNum a, SeqNum b) { return !(b < a); }
  friend constexpr bool operator>=(SeqNum a, SeqNum b) { return !(a < b); }

  // start <= *this < start + size, computed without wrap surprises; the
  // acceptability tests of RFC 9293 section 3.10.7.4 are written this way.
  [[nodiscard]] constexpr bool in_window(SeqNum start, std::uint32_t size) const {
    return value_ - start.value_ < size;
  }

 private:
  std::uint32_t value_ = 0;
};

}  // namespace netstep
