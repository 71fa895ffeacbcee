#include "tcp/send_buffer.hpp"

#include <algorithm>
#include <cassert>

namespace netstep::tcp {

SendBuffer::SendBuffer(std::size_t capacity) : ring_{capacity} {}

std::size_t SendBuffer::write(Bytes data) {
  const std::size_t taken = std::min(data.size(), free_space());
  ring_.write_at(size_, data.first(taken));
  size_ += taken;
  return taken;
}

std::pair<Bytes, Bytes> SendBuffer::view(std::size_t offset, std::size_t length) const {
  if (offset >= size_) return {};
  return ring_.view(offset, std::min(length, size_ - offset));
}

std::size_t SendBuffer::copy_out(std::size_t offset, MutableBytes out) const {
  if (offset >= size_) return 0;
  const std::size_t copied = std::min(out.size(), size_ - offset);
  ring_.read_at(offset, out.first(copied));
  return copied;
}

void SendBuffer::acknowledge(std::size_t n) {
  assert(n <= size_ && "acknowledge(n): n is more than the buffer holds; the sender must reject ACKs beyond SND.NXT");
  n = std::min(n, size_);  // without asserts, never corrupt the count
  ring_.advance_front(n);
  size_ -= n;
}

}  // namespace netstep::tcp
