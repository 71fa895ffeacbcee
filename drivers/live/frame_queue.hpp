#pragma once
// A bounded FIFO of frames held while the run is paused: preallocated slots
// of one size, so holding a frame copies it and never allocates. A frame
// that finds the queue full is refused (the device counts and traces it).
#include <cstddef>
#include <vector>

#include "base/bytes.hpp"

namespace netstep::live {

class FrameQueue {
 public:
  FrameQueue(std::size_t capacity, std::size_t slot_size);

  // Copies `frame` in; false if the queue is full or the frame larger than a slot.
  bool push(Bytes frame);
  // The oldest frame (valid until the next pop or push); empty if none.
  [[nodiscard]] Bytes front() const;
  void pop();

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const { return lengths_.size(); }

 private:
  std::size_t slot_size_;
  std::vector<std::byte> storage_;
  std::vector<std::size_t> lengths_;
  std::size_t front_ = 0;
  std::size_t size_ = 0;
};

}  // namespace netstep::live
