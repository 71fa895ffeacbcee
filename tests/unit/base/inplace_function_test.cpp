#include <catch2/catch.hpp>

#include <memory>
#include <utility>

#include "base/inplace_function.hpp"

using netstep::InplaceFunction;

namespace {
// Counts how often the one logical copy it stands for is destroyed: a moved-
// from tracker owns nothing, so only the final owner's destruction counts.
struct Tracker {
  int* destroyed;
  bool owns = true;
  explicit Tracker(int* d) : destroyed{d} {}
  Tracker(Tracker&& other) noexcept : destroyed{other.destroyed}, owns{std::exchange(other.owns, false)} {}
  Tracker& operator=(Tracker&&) = delete;
  Tracker(const Tracker&) = delete;
  ~Tracker() {
    if (owns) ++*destroyed;
  }
};
}  // namespace

TEST_CASE("InplaceFunction calls the stored callable with its arguments", "[base][function]") {
  InplaceFunction<int(int, int)> add = [](int a, int b) { return a + b; };
  REQUIRE(add);
  CHECK(add(2, 3) == 5);
  int calls = 0;
  InplaceFunction<void()> count = [&calls] { ++calls; };
  count();
  count();
  CHECK(calls == 2);
}

TEST_CASE("InplaceFunction default and nullptr construction are empty", "[base][function]") {
  InplaceFunction<void()> a;
  InplaceFunction<void()> b = nullptr;
  CHECK_FALSE(a);
  CHECK_FALSE(b);
}

TEST_CASE("InplaceFunction move construction transfers the callable and empties the source",
          "[base][function]") {
  int value = 0;
  InplaceFunction<void()> a = [&value] { value = 7; };
  InplaceFunction<void()> b = std::move(a);
  CHECK_FALSE(a);  // NOLINT(bugprone-use-after-move): the moved-from state is the contract
  REQUIRE(b);
  b();
  CHECK(value == 7);
}

TEST_CASE("InplaceFunction move assignment destroys the old callable and takes the new one",
          "[base][function]") {
  int destroyed_old = 0;
  int destroyed_new = 0;
  {
    InplaceFunction<int()> target = [t = Tracker{&destroyed_old}] { return 1; };
    InplaceFunction<int()> source = [t = Tracker{&destroyed_new}] { return 2; };
    target = std::move(source);
    CHECK(destroyed_old == 1);
    CHECK(destroyed_new == 0);
    CHECK_FALSE(source);  // NOLINT(bugprone-use-after-move)
    CHECK(target() == 2);
  }
  CHECK(destroyed_old == 1);
  CHECK(destroyed_new == 1);
}

TEST_CASE("InplaceFunction destroys a captured object exactly once across moves", "[base][function]") {
  int destroyed = 0;
  {
    InplaceFunction<void()> a = [t = Tracker{&destroyed}] {};
    InplaceFunction<void()> b = std::move(a);
    InplaceFunction<void()> c;
    c = std::move(b);
    InplaceFunction<void()> d{std::move(c)};
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

TEST_CASE("InplaceFunction self move assignment keeps the callable", "[base][function]") {
  int destroyed = 0;
  {
    InplaceFunction<int()> f = [t = Tracker{&destroyed}] { return 5; };
    auto& alias = f;
    f = std::move(alias);
    REQUIRE(f);
    CHECK(f() == 5);
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

TEST_CASE("InplaceFunction reset destroys the capture now and leaves it empty", "[base][function]") {
  int destroyed = 0;
  InplaceFunction<void()> f = [t = Tracker{&destroyed}] {};
  f.reset();
  CHECK(destroyed == 1);
  CHECK_FALSE(f);
  f.reset();  // resetting an empty function is harmless
  CHECK(destroyed == 1);
}

TEST_CASE("InplaceFunction assigning nullptr-constructed empties destroys the capture", "[base][function]") {
  int destroyed = 0;
  InplaceFunction<void()> f = [t = Tracker{&destroyed}] {};
  f = InplaceFunction<void()>{};
  CHECK(destroyed == 1);
  CHECK_FALSE(f);
}

TEST_CASE("InplaceFunction holds move-only captures such as unique_ptr", "[base][function]") {
  InplaceFunction<int()> f = [p = std::make_unique<int>(41)] { return *p + 1; };
  InplaceFunction<int()> g = std::move(f);
  CHECK(g() == 42);
}

TEST_CASE("InplaceFunction keeps mutable state between calls", "[base][function]") {
  InplaceFunction<int()> counter = [n = 0]() mutable { return ++n; };
  CHECK(counter() == 1);
  CHECK(counter() == 2);
  InplaceFunction<int()> moved = std::move(counter);
  CHECK(moved() == 3);
}
