#pragma once
// A move-only callable stored inline, never on the heap. The event loop keeps
// thousands of these; std::function would allocate for any capture larger
// than two pointers, and this refuses to compile instead.
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace netstep {

template <class Signature, std::size_t Capacity = 48>
class InplaceFunction;

template <class R, class... Args, std::size_t Capacity>
class InplaceFunction<R(Args...), Capacity> {
 public:
  InplaceFunction() = default;
  InplaceFunction(std::nullptr_t) {}

  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InplaceFunction>>>
  InplaceFunction(F&& f) {  // NOLINT: implicit like std::function
    using Stored = std::decay_t<F>;
    static_assert(sizeof(Stored) <= Capacity, "callable too large: capture less (a pointer and an id)");
    static_assert(alignof(Stored) <= alignof(std::max_align_t));
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
    if (ops_) ops_->destroy(storage_);
    ops_ = nullptr;
  }

 private:
  struct Ops {
    R (*invoke)(void*, Args&&...);
    void (*move)(void* from, void* to);
    void (*destroy)(void*);
  };
  template <class F>
  static constexpr Ops ops_for{
      [](void* s, Args&&... args) -> R { return (*static_cast<F*>(s))(std::forward<Args>(args)...); },
      [](void* from, void* to) {
        ::new (to) F(std::move(*static_cast<F*>(from)));
        static_cast<F*>(from)->~F();
      },
      [](void* s) { static_cast<F*>(s)->~F(); }};

  void take(InplaceFunction& other) {
    if (other.ops_) {
      other.ops_->move(other.storage_, storage_);
      ops_ = std::exchange(other.ops_, nullptr);
    }
  }

  alignas(std::max_align_t) std::byte storage_[Capacity];
  const Ops* ops_ = nullptr;
};

}  // namespace netstep
