#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "base/random.hpp"
#include "wire/checksum.hpp"

using namespace netstep;
using namespace netstep::wire;

namespace {
// RFC 1071 section 4.1, word by word: the slow, obviously right reference.
std::uint16_t reference_sum(const std::vector<std::uint8_t>& data) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < data.size()) sum += static_cast<std::uint32_t>(data[i] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

std::vector<std::uint8_t> random_bytes(Random& rng, std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng.next_u64());
  return v;
}

Bytes view(const std::vector<std::uint8_t>& v) { return std::as_bytes(std::span{v}); }
}  // namespace

TEST_CASE("RFC 1071 section 3 example: sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2", "[wire][checksum]") {
  const std::vector<std::uint8_t> data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  CHECK(ones_complement_sum(view(data)) == 0xddf2);
  CHECK(internet_checksum(view(data)) == 0x220d);
}

TEST_CASE("data that includes its own correct checksum sums to zero", "[wire][checksum]") {
  // A real IPv4 header (RFC 1071 section 1's "verify" rule).
  std::vector<std::uint8_t> header{0x45, 0x00, 0x00, 0x54, 0x93, 0x52, 0x40, 0x00, 0x40, 0x01,
                                   0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02};
  const auto cs = internet_checksum(view(header));
  header[10] = static_cast<std::uint8_t>(cs >> 8);
  header[11] = static_cast<std::uint8_t>(cs);
  CHECK(internet_checksum(view(header)) == 0);
}

TEST_CASE("empty data sums to zero and checksums to ffff", "[wire][checksum]") {
  CHECK(ones_complement_sum(Bytes{}) == 0);
  CHECK(internet_checksum(Bytes{}) == 0xffff);
}

TEST_CASE("odd lengths pad the last byte with a zero low half", "[wire][checksum]") {
  CHECK(ones_complement_sum(view({0xab})) == 0xab00);
  CHECK(ones_complement_sum(view({0x01, 0x02, 0x03})) == 0x0402);
  Random rng{1071};
  for (std::size_t n = 0; n < 300; ++n) {
    const auto data = random_bytes(rng, n);
    INFO("length " << n);
    CHECK(ones_complement_sum(view(data)) == reference_sum(data));
  }
}

TEST_CASE("sums of all-ones data fold end-around carries", "[wire][checksum]") {
  for (std::size_t n : {2u, 3u, 8u, 9u, 31u, 32u, 33u, 1500u, 65535u}) {
    const std::vector<std::uint8_t> data(n, 0xff);
    INFO("length " << n);
    CHECK(ones_complement_sum(view(data)) == reference_sum(data));
  }
}

TEST_CASE("accumulating in pieces split at any boundary equals one shot", "[wire][checksum]") {
  Random rng{0x5eed};
  for (int round = 0; round < 2000; ++round) {
    const auto data = random_bytes(rng, rng.below(200));
    ChecksumAccumulator pieces;
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t n = 1 + rng.below(std::min<std::size_t>(17, data.size() - at));
      pieces.add(view(data).subspan(at, n));
      at += n;
    }
    INFO("round " << round << " length " << data.size());
    REQUIRE(pieces.sum() == reference_sum(data));
    REQUIRE(pieces.checksum() == internet_checksum(view(data)));
  }
}

TEST_CASE("copy_and_sum copies the bytes and returns their sum, at every length and alignment", "[wire][checksum]") {
  Random rng{0xc0b1};
  std::vector<std::uint8_t> destination(2200 + 64);
  for (int round = 0; round < 3000; ++round) {
    // Lengths around the vector block sizes, and whole frames.
    const std::size_t length = round < 2100 ? static_cast<std::size_t>(round) : rng.below(2100);
    const std::size_t from_offset = rng.below(32);
    const std::size_t to_offset = rng.below(32);
    const auto source = random_bytes(rng, from_offset + length);
    for (auto& b : destination) b = 0xa5;
    const Bytes from = view(source).subspan(from_offset, length);
    const MutableBytes to = std::as_writable_bytes(std::span{destination}).subspan(to_offset, length + 8);
    INFO("length " << length << ", from +" << from_offset << ", to +" << to_offset);
    const std::uint16_t sum = copy_and_sum(to, from);
    REQUIRE(sum == ones_complement_sum(from));
    REQUIRE(std::equal(from.begin(), from.end(), to.begin()));
    // Nothing past the copy is touched.
    for (std::size_t i = length; i < to.size(); ++i) REQUIRE(to[i] == std::byte{0xa5});
  }
}

TEST_CASE("copy_and_sum of all-ones and all-zero data matches RFC 1071 exactly", "[wire][checksum]") {
  for (std::size_t n : {0u, 1u, 2u, 31u, 32u, 127u, 128u, 129u, 1460u, 1461u, 65535u}) {
    for (const std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0xff}}) {
      const std::vector<std::uint8_t> data(n, fill);
      std::vector<std::uint8_t> out(n);
      INFO("length " << n << " fill " << int{fill});
      CHECK(copy_and_sum(std::as_writable_bytes(std::span{out}), view(data)) == reference_sum(data));
      CHECK(out == data);
    }
  }
}

TEST_CASE("add_be16 after an odd piece lands in the right lanes", "[wire][checksum]") {
  ChecksumAccumulator acc;
  acc.add(view({0x12}));
  acc.add_be16(0x3456);
  acc.add(view({0x78}));
  CHECK(acc.sum() == reference_sum({0x12, 0x34, 0x56, 0x78}));
}

TEST_CASE("RFC 1624 incremental update equals recomputation", "[wire][checksum]") {
  Random rng{1624};
  for (int round = 0; round < 5000; ++round) {
    const std::size_t words = 2 + rng.below(40);
    auto data = random_bytes(rng, words * 2);
    data[0] = 0x45;  // never all zero: both checksums are then the same number, not +0 / -0
    const auto old_checksum = internet_checksum(view(data));
    const std::size_t w = 1 + rng.below(words - 1);
    const auto old_word = static_cast<std::uint16_t>(data[2 * w] << 8 | data[2 * w + 1]);
    const auto new_word = static_cast<std::uint16_t>(rng.next_u64());
    data[2 * w] = static_cast<std::uint8_t>(new_word >> 8);
    data[2 * w + 1] = static_cast<std::uint8_t>(new_word);
    INFO("round " << round << " word " << w << " " << old_word << " -> " << new_word);
    REQUIRE(update_checksum(old_checksum, old_word, new_word) == internet_checksum(view(data)));
  }
}

TEST_CASE("RFC 1624 section 4 example: TTL decrement from the RFC's header", "[wire][checksum]") {
  // HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 by eqn 3.
  CHECK(update_checksum(0xdd2f, 0x5555, 0x3285) == 0x0000);
}

TEST_CASE("the pseudo-header adds addresses, protocol and length", "[wire][checksum]") {
  ChecksumAccumulator acc;
  add_pseudo_header(acc, Ipv4Address{10, 0, 0, 1}, Ipv4Address{10, 0, 0, 2}, 17, 27);
  CHECK(acc.sum() == reference_sum({10, 0, 0, 1, 10, 0, 0, 2, 0, 17, 0, 27}));
}
