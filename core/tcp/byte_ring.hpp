#pragma once
// ByteRing: a fixed-capacity circular array of bytes addressed by logical
// offset from a moving front. The storage is allocated once, when the first
// byte is written (a connection that never carries data in one direction,
// like most of a connection-rate test, never pays for that ring); the send
// and receive buffers are both built on it, so no segment ever allocates.
// It keeps no count of valid bytes: its owners know what they hold.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <utility>
#include <memory>

#include "base/bytes.hpp"

namespace netstep::tcp {

class ByteRing {
 public:
  // Nothing is allocated yet. The storage, when it comes, is not zeroed:
  // every byte is written before it is read, and zeroing two rings was half
  // the cost of opening a connection.
  explicit ByteRing(std::size_t capacity) : capacity_{capacity} {}

  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  // Whether the storage exists (the first write allocated it).
  [[nodiscard]] bool allocated() const { return storage_ != nullptr; }

  // The bytes at logical [offset, offset + length) as one or two spans (two
  // when they wrap past the end of the storage). Precondition: offset +
  // length <= capacity(), and the bytes were written (so a ring never
  // written to has only empty views).
  [[nodiscard]] std::pair<Bytes, Bytes> view(std::size_t offset, std::size_t length) const {
    if (!storage_) {
      assert(length == 0 && "ByteRing::view: reading bytes never written");
      return {};
    }
    const auto [first, second] = split(offset, length);
    const Bytes all{storage_.get(), capacity_};
    return {all.subspan(first.start, first.length), all.subspan(second.start, second.length)};
  }
  [[nodiscard]] std::pair<MutableBytes, MutableBytes> view_mutable(std::size_t offset, std::size_t length) {
    if (!storage_) storage_ = std::make_unique_for_overwrite<std::byte[]>(capacity_);
    const auto [first, second] = split(offset, length);
    const MutableBytes all{storage_.get(), capacity_};
    return {all.subspan(first.start, first.length), all.subspan(second.start, second.length)};
  }

  // Copies data into logical [offset, offset + data.size()), and the bytes
  // there out into `out`, wrapping as needed. Same precondition as view().
  void write_at(std::size_t offset, Bytes data) {
    if (data.empty()) return;  // nothing to store: no reason to allocate
    const auto [first, second] = view_mutable(offset, data.size());
    std::copy(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(first.size()), first.begin());
    std::copy(data.begin() + static_cast<std::ptrdiff_t>(first.size()), data.end(), second.begin());
  }
  void read_at(std::size_t offset, MutableBytes out) const {
    const auto [first, second] = view(offset, out.size());
    std::copy(first.begin(), first.end(), out.begin());
    std::copy(second.begin(), second.end(), out.begin() + static_cast<std::ptrdiff_t>(first.size()));
  }

  // Moves logical offset 0 forward by n (n <= capacity()).
  void advance_front(std::size_t n) { front_ = wrap(front_ + n); }

 private:
  struct Piece {
    std::size_t start;
    std::size_t length;
  };
  [[nodiscard]] std::pair<Piece, Piece> split(std::size_t offset, std::size_t length) const {
    assert(offset <= capacity() && length <= capacity() - offset);
    const std::size_t start = wrap(front_ + offset);
    const std::size_t until_end = capacity() - start;
    if (length <= until_end) return {Piece{start, length}, Piece{0, 0}};
    return {Piece{start, until_end}, Piece{0, length - until_end}};
  }
  // front_ < capacity and n <= capacity, so one subtraction is enough.
  [[nodiscard]] std::size_t wrap(std::size_t index) const { return index >= capacity() ? index - capacity() : index; }

  std::unique_ptr<std::byte[]> storage_;
  std::size_t capacity_;
  std::size_t front_ = 0;
};

}  // namespace netstep::tcp
