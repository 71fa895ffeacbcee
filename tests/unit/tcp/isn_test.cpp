#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <string>

#include "base/four_tuple.hpp"
#include "base/random.hpp"
#include "tcp/isn.hpp"
#include "tcp/siphash.hpp"

using netstep::Endpoint;
using netstep::FourTuple;
using netstep::Instant;
using netstep::instant_from_ns;
using netstep::Ipv4Address;
using netstep::Port;
using netstep::Random;
using netstep::SeqNum;
using netstep::to_ns;
using netstep::tcp::IsnGenerator;
using netstep::tcp::SipKey;
using netstep::tcp::siphash24;

namespace {

// The published SipHash-2-4 test vectors: key 00 01 .. 0f, message i is the
// i bytes 00 01 .. (i-1). Copied from the reference implementation's
// vectors.h (github.com/veorq/SipHash), which prints each 64-bit tag as its
// eight bytes in little-endian order.
constexpr const char* sip64_vectors[64] = {
    "310e0edd47db6f72", "fd67dc93c539f874", "5a4fa9d909806c0d", "2d7efbd796666785",
    "b7877127e09427cf", "8da699cd64557618", "cee3fe586e46c9cb", "37d1018bf50002ab",
    "6224939a79f5f593", "b0e4a90bdf82009e", "f3b9dd94c5bb5d7a", "a7ad6b22462fb3f4",
    "fbe50e86bc8f1e75", "903d84c02756ea14", "eef27a8e90ca23f7", "e545be4961ca29a1",
    "db9bc2577fcc2a3f", "9447be2cf5e99a69", "9cd38d96f0b3c14b", "bd6179a71dc96dbb",
    "98eea21af25cd6be", "c7673b2eb0cbf2d0", "883ea3e395675393", "c8ce5ccd8c030ca8",
    "94af49f6c650adb8", "eab8858ade92e1bc", "f315bb5bb835d817", "adcf6b0763612e2f",
    "a5c91da7acaa4dde", "716595876650a2a6", "28ef495c53a387ad", "42c341d8fa92d832",
    "ce7cf2722f512771", "e37859f94623f3a7", "381205bb1ab0e012", "ae97a10fd434e015",
    "b4a31508beff4d31", "81396229f0907902", "4d0cf49ee5d4dcca", "5c73336a76d8bf9a",
    "d0a704536ba93e0e", "925958fcd6420cad", "a915c29bc8067318", "952b79f3bc0aa6d4",
    "f21df2e41d4535f9", "87577519048f53a9", "10a56cf5dfcd9adb", "eb75095ccd986cd0",
    "51a9cb9ecba312e6", "96afadfc2ce666c7", "72fe52975a4364ee", "5a1645b276d592a1",
    "b274cb8ebf87870a", "6f9bb4203de7b381", "eaecb2a30b22a87f", "9924a43cc1315724",
    "bd838d3aafbf8db7", "0b1a2a3265d51aea", "135079a3231ce660", "932b2846e4d70666",
    "e1915f5cb1eca46c", "f325965ca16d629f", "575ff28e60381be5", "724506eb4c328a95",
};

// The tag as the reference prints it: its bytes, least significant first.
std::string little_endian_hex(std::uint64_t tag) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    const auto byte = static_cast<unsigned>((tag >> (8 * i)) & 0xff);
    out += digits[byte >> 4];
    out += digits[byte & 0xf];
  }
  return out;
}

constexpr std::array<std::byte, 64> counting_bytes() {
  std::array<std::byte, 64> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i);
  return bytes;
}

constexpr std::array<std::byte, 16> reference_key_bytes = [] {
  std::array<std::byte, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i);
  return bytes;
}();
constexpr SipKey reference_key = netstep::tcp::sip_key_from_bytes(reference_key_bytes);
constexpr std::array<std::byte, 64> message_bytes = counting_bytes();

// Pinned at compile time too: the empty message, and the 15-byte message
// whose tag is 0xa129ca6149be45e5 as an integer (printed "e545be4961ca29a1"
// by the reference, which writes the bytes little-endian first).
static_assert(siphash24(reference_key, {}) == 0x726fdb47dd0e0e31ull);
static_assert(siphash24(reference_key, std::span{message_bytes}.first(15)) == 0xa129ca6149be45e5ull);

FourTuple tuple(std::uint16_t local_port, std::uint16_t remote_port) {
  return FourTuple{Endpoint{Ipv4Address(10, 0, 0, 1), Port{local_port}},
                   Endpoint{Ipv4Address(10, 0, 0, 2), Port{remote_port}}};
}

constexpr std::int64_t ns_per_second = 1'000'000'000;

}  // namespace

TEST_CASE("SipHash-2-4 reproduces all 64 reference vectors", "[tcp][isn][siphash]") {
  CHECK(reference_key.k0 == 0x0706050403020100ull);
  CHECK(reference_key.k1 == 0x0f0e0d0c0b0a0908ull);
  for (std::size_t length = 0; length < 64; ++length) {
    INFO("message length " << length);
    CHECK(little_endian_hex(siphash24(reference_key, std::span{message_bytes}.first(length))) ==
          sip64_vectors[length]);
  }
}

TEST_CASE("SipHash-2-4 depends on the key", "[tcp][isn][siphash]") {
  const auto message = std::span{message_bytes}.first(12);
  const SipKey other{reference_key.k0 ^ 1, reference_key.k1};
  CHECK(siphash24(reference_key, message) != siphash24(other, message));
  CHECK(siphash24(SipKey{}, message) != siphash24(reference_key, message));
}

TEST_CASE("ISN is M plus F: 4-microsecond ticks of scenario time plus the keyed hash", "[tcp][isn]") {
  const IsnGenerator isn{SipKey{1, 2}};
  const FourTuple t = tuple(49152, 80);
  CHECK(IsnGenerator::clock_term(instant_from_ns(0)) == 0);
  CHECK(IsnGenerator::clock_term(instant_from_ns(3999)) == 0);
  CHECK(IsnGenerator::clock_term(instant_from_ns(4000)) == 1);
  CHECK(IsnGenerator::clock_term(instant_from_ns(ns_per_second)) == 250'000);
  CHECK(isn.next(t, instant_from_ns(0)) == SeqNum{isn.hash_term(t)});
  CHECK(isn.next(t, instant_from_ns(8000)) == SeqNum{isn.hash_term(t)} + 2);
}

TEST_CASE("ISN is the same for the same seed, tuple and time", "[tcp][isn]") {
  Random a{42};
  Random b{42};
  const IsnGenerator first{a};
  const IsnGenerator second{b};
  const Instant now = instant_from_ns(123'456'789);
  CHECK(first.next(tuple(49152, 80), now) == second.next(tuple(49152, 80), now));
  CHECK(first.key().k0 == second.key().k0);
  CHECK(first.key().k1 == second.key().k1);
  // The generator draws its key once: asking again does not change it.
  CHECK(first.next(tuple(49152, 80), now) == first.next(tuple(49152, 80), now));
}

TEST_CASE("ISN differs for a different seed", "[tcp][isn]") {
  Random a{42};
  Random b{43};
  const IsnGenerator first{a};
  const IsnGenerator second{b};
  const Instant now = instant_from_ns(0);
  CHECK(first.next(tuple(49152, 80), now) != second.next(tuple(49152, 80), now));
}

TEST_CASE("ISN differs for each tuple at the same instant", "[tcp][isn]") {
  Random random{7};
  const IsnGenerator isn{random};
  const Instant now = instant_from_ns(5 * ns_per_second);
  std::set<std::uint32_t> seen;
  for (std::uint16_t port = 49152; port < 49152 + 1000; ++port) seen.insert(isn.next(tuple(port, 80), now).value());
  CHECK(seen.size() == 1000);
  CHECK(isn.next(tuple(49152, 80), now) != isn.next(tuple(49152, 80).reversed(), now));
  const FourTuple other_host{Endpoint{Ipv4Address(10, 0, 0, 1), Port{49152}},
                             Endpoint{Ipv4Address(10, 0, 0, 3), Port{80}}};
  CHECK(isn.next(tuple(49152, 80), now) != isn.next(other_host, now));
}

TEST_CASE("ISN for one tuple advances 250000 per second of scenario time", "[tcp][isn]") {
  Random random{1};
  const IsnGenerator isn{random};
  const FourTuple t = tuple(40000, 443);
  const SeqNum at_1s = isn.next(t, instant_from_ns(ns_per_second));
  const SeqNum at_2s = isn.next(t, instant_from_ns(2 * ns_per_second));
  const SeqNum at_12s = isn.next(t, instant_from_ns(12 * ns_per_second));
  CHECK(at_2s - at_1s == 250'000);
  CHECK(at_12s - at_1s == 2'750'000);
  CHECK(at_2s > at_1s);
  // A reconnect 4 microseconds later already gets a larger ISN.
  CHECK(isn.next(t, instant_from_ns(ns_per_second + 4000)) - at_1s == 1);
}

TEST_CASE("ISN wraps modulo 2^32 and stays ahead in sequence-number order", "[tcp][isn]") {
  Random random{9};
  const IsnGenerator isn{random};
  const FourTuple t = tuple(50000, 22);
  // Pick the instant at which M + F lands 100 below 2^32.
  const std::uint32_t ticks = 0u - 100u - isn.hash_term(t);
  const Instant before = instant_from_ns(std::int64_t{ticks} * 4000);
  const SeqNum isn_before = isn.next(t, before);
  REQUIRE(isn_before.value() == 0xffffff9cu);
  const SeqNum isn_after = isn.next(t, before + std::chrono::seconds{1});
  CHECK(isn_after.value() == 250'000u - 100u);  // the raw number wrapped
  CHECK(isn_after - isn_before == 250'000);      // but the distance is exact
  CHECK(isn_after > isn_before);
  // M turns over every 2^32 ticks (about 4.77 hours): the same ISN again.
  const std::int64_t full_turn_ns = (std::int64_t{1} << 32) * 4000;
  CHECK(isn.next(t, instant_from_ns(to_ns(before) + full_turn_ns)) == isn_before);
}
