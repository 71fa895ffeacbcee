#pragma once
// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
//
// The sum is computed 64 bits at a time in native byte order and folded at
// the end; RFC 1071 section 2(B) shows the ones' complement sum is
// independent of byte order up to one final swap.
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"

namespace netstep::wire {

// Accumulates data in any number of pieces, of any lengths.
class ChecksumAccumulator {
 public:
  void add(Bytes data);
  void add_be16(std::uint16_t value);
  void add_be32(std::uint32_t value) {
    add_be16(static_cast<std::uint16_t>(value >> 16));
    add_be16(static_cast<std::uint16_t>(value));
  }
  // The folded 16-bit ones' complement sum, in host order (not complemented).
  [[nodiscard]] std::uint16_t sum() const;
  // The value to put in a checksum field: ~sum().
  [[nodiscard]] std::uint16_t checksum() const { return static_cast<std::uint16_t>(~sum()); }

 private:
  std::uint64_t total_ = 0;  // big-endian-order partial sum, folded lazily
  bool odd_ = false;         // the next byte lands in the low half of a 16-bit word
};

// Folds a 64-bit sum of big-endian 16-bit words (fewer than 2^48 of them)
// to their 16-bit ones' complement sum, with end-around carries: 0 only for
// a sum of 0. Emitters that sum header fields as they write them (instead of
// reading back the bytes just stored) finish with ~fold_sum(sum).
[[nodiscard]] constexpr std::uint16_t fold_sum(std::uint64_t sum) {
  sum = (sum & 0xffffffffu) + (sum >> 32);  // < 2^33
  sum = (sum & 0xffffu) + (sum >> 16);      // < 2^18
  sum = (sum & 0xffffu) + (sum >> 16);      // <= 0xffff + 3
  sum = (sum & 0xffffu) + (sum >> 16);      // <= 0xffff
  return static_cast<std::uint16_t>(sum);
}

// The checksum field value for `data` (with its checksum field zeroed), or,
// over data including a correct checksum field, 0.
[[nodiscard]] std::uint16_t internet_checksum(Bytes data);

// The 16-bit ones' complement sum of `data` in big-endian order (for tests
// and for callers that combine sums).
[[nodiscard]] std::uint16_t ones_complement_sum(Bytes data);

// Copies `from` into the start of `to` (to.size() >= from.size(); the two
// must not overlap) and returns ones_complement_sum(from), in one pass over
// the bytes: a sender sums its payload while copying it into the frame
// (what lwIP calls LWIP_CHECKSUM_ON_COPY).
[[nodiscard]] std::uint16_t copy_and_sum(MutableBytes to, Bytes from);

// RFC 1624 equation 3: the new checksum after one 16-bit word of the
// covered data changed from old_word to new_word: HC' = ~(~HC + ~m + m').
[[nodiscard]] std::uint16_t update_checksum(std::uint16_t old_checksum, std::uint16_t old_word,
                                            std::uint16_t new_word);

// Adds the IPv4 pseudo-header of RFC 793 / RFC 768 to an accumulator.
void add_pseudo_header(ChecksumAccumulator& acc, Ipv4Address source, Ipv4Address destination,
                       std::uint8_t protocol, std::uint16_t length);

}  // namespace netstep::wire
