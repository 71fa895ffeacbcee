#pragma once
// A move-only callable stored inline, never on the heap. The event loop keeps
// thousands of these; std::function would allocate for any capture larger
// than two pointers, and this refuses to compile instead.
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace netstep {

// Capacity: bytes for the callable's captures. Align: their alignment
// (pointer alignment is enough for lambdas capturing pointers and ids, and
// keeps small ones small: a Timer's callback takes 24 bytes, not 48).
template <class Signature, std::size_t Capacity = 48, std::size_t Align = alignof(std::max_align_t)>
class InplaceFunction;

template <class R, class... Args, std::size_t Capacity, std::size_t Align>
class InplaceFunction<R(Args...), Capacity, Align> {
 public:
  InplaceFunction() = default;
  InplaceFunction(std::nullptr_t) {}

  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InplaceFunction>>>
  InplaceFunction(F&& f) {  // NOLINT: implicit like std::function
    using Stored = std::decay_t<F>;
    static_assert(sizeof(Stored) <= Capacity, "callable too large: capture less (a pointer and an id)");
    static_assert(alignof(Stored) <= Align, "callable over-aligned for this InplaceFunction");
    static_assert(std::is_nothrow_move_constructible_v<Stored>);
    ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(f));
    ops_ = &ops_for<Stored>;
  }

  InplaceFunction(InplaceFunction&& other) noexcept { take(other); }
  InplaceFunction& operator=(InplaceFunction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  InplaceFunction(const InplaceFunction&) = delete;
  InplaceFunction& operator=(const InplaceFunction&) = delete;
  ~InplaceFunction() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  R operator()(Args... args) { return ops_->invoke(storage_, std::forward<Args>(args)...); }

  void reset() {
    if (ops_ && ops_->destroy) ops_->destroy(storage_);
    ops_ = nullptr;
  }

 private:
  // move and destroy are null for trivially copyable callables (lambdas
  // capturing pointers and ids, nearly all of them): those move as bytes
  // and need no destructor, so posting and running an event makes one
  // indirect call (invoke) instead of four. The whole buffer is copied, a
  // size known at compile time: a few register moves, where copying just
  // the callable's bytes would call memcpy.
  struct Ops {
    R (*invoke)(void*, Args&&...);
    void (*move)(void* from, void* to);
    void (*destroy)(void*);
  };
  // (Empty callables keep the function: they have no bytes worth copying.)
  template <class F>
  static constexpr bool trivial =
      std::is_trivially_copyable_v<F> && std::is_trivially_destructible_v<F> && !std::is_empty_v<F>;
  template <class F>
  static constexpr Ops ops_for{
      [](void* s, Args&&... args) -> R { return (*static_cast<F*>(s))(std::forward<Args>(args)...); },
      trivial<F> ? nullptr
                 : +[](void* from, void* to) {
                     ::new (to) F(std::move(*static_cast<F*>(from)));
                     static_cast<F*>(from)->~F();
                   },
      trivial<F> ? nullptr : +[](void* s) { static_cast<F*>(s)->~F(); }};

  void take(InplaceFunction& other) {
    if (other.ops_) {
      if (other.ops_->move) {
        other.ops_->move(other.storage_, storage_);
      } else {
        std::memcpy(storage_, other.storage_, Capacity);
      }
      ops_ = std::exchange(other.ops_, nullptr);
    }
  }

  alignas(Align) std::byte storage_[Capacity];
  const Ops* ops_ = nullptr;
};

}  // namespace netstep
