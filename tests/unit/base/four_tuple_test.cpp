#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/four_tuple.hpp"

using netstep::Endpoint;
using netstep::FourTuple;
using netstep::Ipv4Address;
using netstep::Port;

namespace {
FourTuple tuple(std::uint8_t local_host, std::uint16_t local_port, std::uint8_t remote_host, std::uint16_t remote_port) {
  return FourTuple{Endpoint{Ipv4Address(10, 0, 0, local_host), Port{local_port}},
                   Endpoint{Ipv4Address(10, 0, 0, remote_host), Port{remote_port}}};
}
}  // namespace

TEST_CASE("FourTuple prints local -> remote and reverses to the peer's view", "[base][four_tuple]") {
  const FourTuple t = tuple(1, 49152, 2, 80);
  CHECK(t.to_string() == "10.0.0.1:49152 -> 10.0.0.2:80");
  CHECK(t.reversed().to_string() == "10.0.0.2:80 -> 10.0.0.1:49152");
  CHECK(t.reversed().reversed() == t);
  CHECK(FourTuple{}.to_string() == "0.0.0.0:0 -> 0.0.0.0:0");
}

TEST_CASE("FourTuple compares local endpoint first, then remote", "[base][four_tuple]") {
  CHECK(tuple(1, 80, 2, 1000) == tuple(1, 80, 2, 1000));
  CHECK(tuple(1, 80, 2, 1000) != tuple(1, 80, 2, 1001));
  CHECK(tuple(1, 80, 9, 9999) < tuple(1, 81, 2, 1));
  CHECK(tuple(1, 80, 2, 1) < tuple(1, 80, 2, 2));
  CHECK(tuple(2, 1, 1, 1) > tuple(1, 9999, 9, 9999));
  std::set<FourTuple> sorted{tuple(1, 80, 3, 1), tuple(1, 80, 2, 5), tuple(1, 22, 9, 9)};
  CHECK(sorted.begin()->local.port == Port{22});
}

TEST_CASE("FourTuple hash depends on every field and is stable", "[base][four_tuple]") {
  const std::hash<FourTuple> h;
  const FourTuple base = tuple(1, 80, 2, 1000);
  CHECK(h(base) == h(tuple(1, 80, 2, 1000)));
  CHECK(netstep::hash64(base) == netstep::hash64(tuple(1, 80, 2, 1000)));
  CHECK(h(base) != h(tuple(3, 80, 2, 1000)));   // local address
  CHECK(h(base) != h(tuple(1, 81, 2, 1000)));   // local port
  CHECK(h(base) != h(tuple(1, 80, 3, 1000)));   // remote address
  CHECK(h(base) != h(tuple(1, 80, 2, 1001)));   // remote port
  CHECK(h(base) != h(base.reversed()));         // direction matters
  // Swapping the two ports, or the two addresses, is a different connection.
  CHECK(h(tuple(1, 1000, 2, 80)) != h(tuple(1, 80, 2, 1000)));
  CHECK(h(tuple(2, 80, 1, 1000)) != h(tuple(1, 80, 2, 1000)));
}

TEST_CASE("FourTuple hash packs all 96 bits without loss", "[base][four_tuple]") {
  const FourTuple t{Endpoint{Ipv4Address{0xdeadbeefu}, Port{0x1234}}, Endpoint{Ipv4Address{0x01020304u}, Port{0xabcd}}};
  const netstep::FourTupleBits bits = netstep::pack(t);
  CHECK(bits.addresses == 0xdeadbeef01020304ull);
  CHECK(bits.ports == 0x1234abcdull);
}

TEST_CASE("FourTuple hash spreads a server's connections evenly over buckets", "[base][four_tuple]") {
  // The demultiplexer's typical load: one listening endpoint, many clients
  // that differ in a few low bits of address and port. A weak hash (xor of
  // the fields, or identity) piles these into few buckets.
  constexpr std::size_t buckets = 1024;
  std::unordered_set<std::uint64_t> full;
  std::size_t counts[buckets] = {};
  std::size_t n = 0;
  for (std::uint32_t host = 1; host <= 16; ++host) {
    for (std::uint16_t port = 49152; port < 49152 + 1024; ++port) {
      const FourTuple t{Endpoint{Ipv4Address(10, 0, 0, 1), Port{80}},
                        Endpoint{Ipv4Address{0x0a000100u + host}, Port{port}}};
      const std::uint64_t h = netstep::hash64(t);
      full.insert(h);
      ++counts[h % buckets];
      ++n;
    }
  }
  CHECK(full.size() == n);  // no 64-bit collisions at all
  // 16 expected per bucket; a fair hash stays well inside 0..48.
  std::size_t worst = 0;
  std::size_t empty = 0;
  for (const std::size_t c : counts) {
    worst = std::max(worst, c);
    if (c == 0) ++empty;
  }
  CHECK(worst < 48);
  CHECK(empty < 8);
}

TEST_CASE("FourTuple keys an unordered_map for O(1) demultiplexing", "[base][four_tuple]") {
  std::unordered_map<FourTuple, int> table;
  for (std::uint16_t p = 1; p <= 1000; ++p) table[tuple(1, 80, 2, p)] = p;
  CHECK(table.size() == 1000);
  CHECK(table.at(tuple(1, 80, 2, 777)) == 777);
  CHECK(table.find(tuple(1, 80, 3, 777)) == table.end());
}
