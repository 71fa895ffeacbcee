#pragma once
// A free-list pool of fixed-size frame buffers. A frame in flight on a link
// lives in one of these until it is delivered or dropped, so a warm
// simulation moves frames without touching the heap. Buffers are named by
// index (small enough to capture in an event-loop callback).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/bytes.hpp"

namespace netstep::sim {

class FramePool {
 public:
  using Index = std::uint32_t;

  // buffer_size: the largest frame any buffer must hold.
  explicit FramePool(std::size_t buffer_size) : buffer_size_{buffer_size} {}
  FramePool(const FramePool&) = delete;
  FramePool& operator=(const FramePool&) = delete;

  // A buffer holding a copy of `frame` (frame.size() <= buffer_size()).
  Index acquire(Bytes frame);
  void release(Index index);

  [[nodiscard]] Bytes frame(Index index) const;
  [[nodiscard]] MutableBytes mutable_frame(Index index);

  [[nodiscard]] std::size_t buffer_size() const { return buffer_size_; }
  [[nodiscard]] std::size_t in_use() const { return slots_.size() - free_.size(); }
  [[nodiscard]] std::size_t capacity() const { return slots_.size(); }
  // How many times the pool had to allocate a new buffer: flat once warm.
  [[nodiscard]] std::uint64_t growths() const { return growths_; }

 private:
  struct Slot {
    std::unique_ptr<std::byte[]> bytes;
    std::size_t length = 0;
  };

  std::size_t buffer_size_;
  std::vector<Slot> slots_;
  std::vector<Index> free_;
  std::uint64_t growths_ = 0;
};

}  // namespace netstep::sim
