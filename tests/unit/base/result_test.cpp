#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "base/result.hpp"

using netstep::Failure;
using netstep::Result;

namespace {
enum class ParseError { Empty, TooLong };

Result<int, ParseError> parse_length(const std::string& s) {
  if (s.empty()) return Failure{ParseError::Empty};
  if (s.size() > 3) return Failure{ParseError::TooLong};
  return static_cast<int>(s.size());
}
}  // namespace

TEST_CASE("Result holds a value on success and the reason on failure", "[base][result]") {
  const auto ok = parse_length("abc");
  REQUIRE(ok.ok());
  CHECK(static_cast<bool>(ok));
  CHECK(*ok == 3);

  const auto empty = parse_length("");
  CHECK_FALSE(empty.ok());
  CHECK(empty.error() == ParseError::Empty);
  CHECK(parse_length("abcd").error() == ParseError::TooLong);
}

TEST_CASE("Result can hold and release a move-only value", "[base][result]") {
  Result<std::unique_ptr<int>, ParseError> r{std::make_unique<int>(42)};
  REQUIRE(r);
  std::unique_ptr<int> p = std::move(r).value();
  REQUIRE(p);
  CHECK(*p == 42);
}
