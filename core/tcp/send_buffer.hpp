#pragma once
// SendBuffer: the bytes the application wrote that the peer has not yet
// acknowledged, sent or not (RFC 9293 section 3.3.1: SND.UNA up to the last
// byte written). A ring with a capacity fixed at construction: one
// allocation, never one per write or per segment. Offsets count from the
// oldest unacknowledged byte (SND.UNA); turning sequence numbers into offsets
// is the sender's job.
#include <cstddef>
#include <utility>

#include "base/bytes.hpp"
#include "tcp/byte_ring.hpp"

namespace netstep::tcp {

class SendBuffer {
 public:
  explicit SendBuffer(std::size_t capacity);

  // Appends as much of `data` as fits; returns how many bytes were taken.
  std::size_t write(Bytes data);

  // The bytes at [offset, offset + length), clipped to what is held, without
  // copying: two spans when they wrap (the second is empty otherwise). Valid
  // until the next write() or acknowledge().
  [[nodiscard]] std::pair<Bytes, Bytes> view(std::size_t offset, std::size_t length) const;
  // Copies the bytes from `offset` into `out`, up to its size and to what is
  // held; returns how many were copied.
  std::size_t copy_out(std::size_t offset, MutableBytes out) const;

  // Drops the n oldest bytes: the peer acknowledged them. Precondition:
  // n <= size() (an ACK for data never sent is the sender's to reject).
  void acknowledge(std::size_t n);

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t free_space() const { return ring_.capacity() - size_; }
  [[nodiscard]] std::size_t capacity() const { return ring_.capacity(); }
  [[nodiscard]] bool empty() const { return size_ == 0; }

 private:
  ByteRing ring_;
  std::size_t size_ = 0;
};

}  // namespace netstep::tcp
