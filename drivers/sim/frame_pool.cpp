#include "sim/frame_pool.hpp"

#include <algorithm>
#include <cassert>

namespace netstep::sim {

FramePool::Index FramePool::acquire(Bytes frame) {
  assert(frame.size() <= buffer_size_);
  Index index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<Index>(slots_.size());
    slots_.push_back(Slot{std::make_unique<std::byte[]>(buffer_size_), 0});
    // Reserve the free list alongside, so release() never allocates either.
    free_.reserve(slots_.size());
    ++growths_;
  }
  Slot& slot = slots_[index];
  slot.length = std::min(frame.size(), buffer_size_);
  std::copy_n(frame.begin(), slot.length, slot.bytes.get());
  return index;
}

void FramePool::release(Index index) {
  assert(index < slots_.size());
  free_.push_back(index);
}

Bytes FramePool::frame(Index index) const {
  const Slot& slot = slots_[index];
  return Bytes{slot.bytes.get(), slot.length};
}

MutableBytes FramePool::mutable_frame(Index index) {
  Slot& slot = slots_[index];
  return MutableBytes{slot.bytes.get(), slot.length};
}

}  // namespace netstep::sim
