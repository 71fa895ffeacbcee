#include <catch2/catch.hpp>

#include "base/time.hpp"

using namespace netstep;

TEST_CASE("format_seconds prints seconds with six decimals, truncating below a microsecond", "[base][time]") {
  CHECK(format_seconds(Duration::zero()) == "0.000000");
  CHECK(format_seconds(1s + 250us) == "1.000250");
  CHECK(format_seconds(127s) == "127.000000");
  CHECK(format_seconds(999ns) == "0.000000");
  CHECK(format_seconds(1999ns) == "0.000001");
}

TEST_CASE("format_seconds puts the sign in front of negative durations", "[base][time]") {
  CHECK(format_seconds(-1500ms) == "-1.500000");
  CHECK(format_seconds(-250us) == "-0.000250");
}

TEST_CASE("format_duration uses milliseconds below 10 s and seconds from 10 s", "[base][time]") {
  CHECK(format_duration(250us) == "0.250 ms");
  CHECK(format_duration(Duration::zero()) == "0.000 ms");
  CHECK(format_duration(1500ms) == "1500.000 ms");
  CHECK(format_duration(10s) == "10.000 s");
  CHECK(format_duration(127s + 500ms) == "127.500 s");
}

TEST_CASE("Instant converts to and from nanoseconds since the start of the run", "[base][time]") {
  CHECK(to_ns(instant_from_ns(123456789)) == 123456789);
  CHECK(instant_from_ns(0) == Instant{});
  CHECK(instant_from_ns(1'000'000'000) == Instant{} + 1s);
}
