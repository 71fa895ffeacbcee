#include "tcp/isn.hpp"

#include <array>
#include <cstddef>

#include "base/bytes.hpp"

namespace netstep::tcp {

namespace {
SipKey draw_key(Random& random) {
  const std::uint64_t k0 = random.next_u64();
  const std::uint64_t k1 = random.next_u64();
  return SipKey{k0, k1};
}
}  // namespace

IsnGenerator::IsnGenerator(Random& random) : key_{draw_key(random)} {}

std::uint32_t IsnGenerator::clock_term(Instant now) {
  // 4 us = 4000 ns per tick; the cast keeps the count modulo 2^32, which is
  // exactly how the sequence space wraps.
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(to_ns(now) / 4000));
}

std::uint32_t IsnGenerator::hash_term(const FourTuple& tuple) const {
  std::array<std::byte, 12> message{};
  store_be32(message, 0, tuple.local.address.to_u32());
  store_be16(message, 4, tuple.local.port.value());
  store_be32(message, 6, tuple.remote.address.to_u32());
  store_be16(message, 10, tuple.remote.port.value());
  return static_cast<std::uint32_t>(siphash24(key_, message));
}

std::uint32_t IsnGenerator::timestamp_offset(Ipv4Address local, Ipv4Address remote) const {
  std::array<std::byte, 8> message{};
  store_be32(message, 0, local.to_u32());
  store_be32(message, 4, remote.to_u32());
  return static_cast<std::uint32_t>(last_timestamp_offset_(key_, message));
}

SeqNum IsnGenerator::next(const FourTuple& tuple, Instant now) const {
  return SeqNum{clock_term(now)} + hash_term(tuple);
}

}  // namespace netstep::tcp
