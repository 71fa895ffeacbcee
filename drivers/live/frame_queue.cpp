#include "live/frame_queue.hpp"

#include <algorithm>

namespace netstep::live {

FrameQueue::FrameQueue(std::size_t capacity, std::size_t slot_size)
    : slot_size_{slot_size}, storage_(capacity * slot_size), lengths_(capacity, 0) {}

bool FrameQueue::push(Bytes frame) {
  if (size_ == lengths_.size() || frame.size() > slot_size_) return false;
  const std::size_t slot = (front_ + size_) % lengths_.size();
  std::copy(frame.begin(), frame.end(), storage_.begin() + static_cast<std::ptrdiff_t>(slot * slot_size_));
  lengths_[slot] = frame.size();
  ++size_;
  return true;
}

Bytes FrameQueue::front() const {
  if (size_ == 0) return {};
  return Bytes{storage_}.subspan(front_ * slot_size_, lengths_[front_]);
}

void FrameQueue::pop() {
  if (size_ == 0) return;
  front_ = (front_ + 1) % lengths_.size();
  --size_;
}

}  // namespace netstep::live
