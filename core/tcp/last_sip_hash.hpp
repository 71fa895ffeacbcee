#pragma once
// The SipHash of the last message asked for, kept with the message. A host
// that opens connection after connection to one server hashes the same
// bytes every time (RFC 6056's port offset, the timestamp offset of a pair
// of addresses): the second time costs a comparison. The key is the
// caller's and must not change between calls.
#include <array>
#include <cstddef>
#include <cstdint>

#include "tcp/siphash.hpp"

namespace netstep::tcp {

template <std::size_t Size>
class LastSipHash {
 public:
  [[nodiscard]] std::uint64_t operator()(SipKey key, const std::array<std::byte, Size>& message) {
    if (!known_ || message != message_) {
      message_ = message;
      value_ = siphash24(key, message);
      known_ = true;
    }
    return value_;
  }

 private:
  std::array<std::byte, Size> message_{};
  std::uint64_t value_ = 0;
  bool known_ = false;
};

}  // namespace netstep::tcp
