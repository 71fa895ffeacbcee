#pragma once
// Result<T, E>: a value or the reason there is none (C++20 has no
// std::expected yet). Parsers return Result<Repr, WireError>.
#include <cassert>
#include <utility>
#include <variant>

namespace netstep {

template <class E>
struct Failure {
  E error;
};
template <class E>
Failure(E) -> Failure<E>;

template <class T, class E>
class Result {
 public:
  Result(T value) : v_{std::in_place_index<0>, std::move(value)} {}  // NOLINT: implicit by design
  Result(Failure<E> f) : v_{std::in_place_index<1>, std::move(f.error)} {}  // NOLINT
  // A value built in place (parsers fill it there: no copy of a large Repr).
  explicit Result(std::in_place_t) : v_{std::in_place_index<0>} {}

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  [[nodiscard]] T& value() & { assert(ok()); return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { assert(ok()); return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  [[nodiscard]] const E& error() const { assert(!ok()); return std::get<1>(v_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> v_;
};

}  // namespace netstep
