// The demultiplexer's table and the byte ring under the TCP buffers: the
// parts that make the data path cheap must not change what it does.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "base/four_tuple.hpp"
#include "base/open_hash_map.hpp"
#include "base/random.hpp"
#include "tcp/byte_ring.hpp"

using namespace netstep;
using netstep::tcp::ByteRing;
using netstep::OpenHashMap;

namespace {
FourTuple tuple(std::uint16_t local_port) {
  return FourTuple{Endpoint{Ipv4Address{10, 0, 0, 1}, Port{local_port}}, Endpoint{Ipv4Address{10, 0, 0, 2}, Port{80}}};
}
}  // namespace

TEST_CASE("OpenHashMap finds what was inserted, again and again, and forgets what was erased", "[tcp][demux]") {
  OpenHashMap<FourTuple, std::string> map{42};
  CHECK(map.find(tuple(1)) == nullptr);  // empty: no buckets yet
  CHECK(map.try_emplace(tuple(1), "one").second);
  CHECK(map.try_emplace(tuple(2), "two").second);
  CHECK(*map.find(tuple(1)) == "one");
  CHECK(*map.find(tuple(1)) == "one");  // the remembered element
  CHECK(*map.find(tuple(2)) == "two");
  CHECK(map.find(tuple(3)) == nullptr);
  CHECK(*map.find(tuple(2)) == "two");  // a miss does not replace the remembered one

  const auto [present, inserted] = map.try_emplace(tuple(1), "uno");
  CHECK_FALSE(inserted);  // the key is there: nothing replaced
  CHECK(*present == "one");

  CHECK(map.erase(tuple(2)));
  CHECK_FALSE(map.erase(tuple(2)));
  CHECK(*map.find(tuple(1)) == "one");
  CHECK(map.find(tuple(2)) == nullptr);
  CHECK_FALSE(map.contains(tuple(2)));
  CHECK(map.size() == 1);

  // A new element under the key just erased: found, not the old one.
  map.try_emplace(tuple(2), "two again");
  CHECK(*map.find(tuple(2)) == "two again");
  map.clear();
  CHECK(map.empty());
  CHECK(map.find(tuple(1)) == nullptr);
}

TEST_CASE("OpenHashMap stays at most half full and right while it grows under a remembered element",
          "[tcp][demux]") {
  OpenHashMap<FourTuple, int> map;
  map.try_emplace(tuple(0), 0);
  for (std::uint16_t i = 1; i < 5000; ++i) {
    REQUIRE(*map.find(tuple(0)) == 0);  // remembered, then the table grows
    map.try_emplace(tuple(i), i);
    REQUIRE(*map.find(tuple(i)) == i);
    REQUIRE(map.size() * 2 <= map.bucket_count());
  }
  for (std::uint16_t i = 0; i < 5000; i += 2) REQUIRE(map.erase(tuple(i)));
  for (std::uint16_t i = 0; i < 5000; ++i) {
    const int* value = map.find(tuple(i));
    REQUIRE((i % 2 == 0 ? value == nullptr : *value == i));
  }
  const OpenHashMap<FourTuple, int>& view = map;
  CHECK(*view.find(tuple(1)) == 1);
  CHECK(view.find(tuple(0)) == nullptr);
}

namespace {
// Every key in one of four buckets: long runs that wrap round the end of
// the array, the hard case for erasing by shifting back.
struct CrowdedHash {
  std::size_t operator()(int key) const noexcept { return static_cast<std::size_t>(key % 4); }
};
}  // namespace

TEST_CASE("OpenHashMap agrees with std::map through random inserts, finds and erases, crowded or not",
          "[tcp][demux]") {
  const auto run = [](auto& map, std::uint64_t seed) {
    std::map<int, int> model;
    Random random{seed};
    for (int step = 0; step < 20'000; ++step) {
      const int key = static_cast<int>(random.below(300));
      switch (random.below(3)) {
        case 0: {
          const bool inserted = map.try_emplace(key, step).second;
          REQUIRE(inserted == model.try_emplace(key, step).second);
          break;
        }
        case 1:
          REQUIRE(map.erase(key) == (model.erase(key) == 1));
          break;
        default: {
          const int* value = map.find(key);
          const auto it = model.find(key);
          REQUIRE((it == model.end() ? value == nullptr : value != nullptr && *value == it->second));
        }
      }
      REQUIRE(map.size() == model.size());
    }
    for (const auto& [key, value] : model) REQUIRE(*map.find(key) == value);
  };
  OpenHashMap<int, int> spread{7};
  run(spread, 1);
  // Where the four crowded runs start depends on the seed: over 16 seeds
  // some run wraps round the end of the array.
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    OpenHashMap<int, int, CrowdedHash> crowded{seed};
    run(crowded, seed);
  }
}

TEST_CASE("ByteRing allocates its storage at the first byte written, not before", "[tcp][send][receive]") {
  ByteRing ring{1 << 16};
  CHECK(ring.capacity() == 1 << 16);
  CHECK_FALSE(ring.allocated());
  const auto [first, second] = ring.view(0, 0);
  CHECK(first.empty());
  CHECK(second.empty());
  ring.write_at(5, {});  // nothing to store
  CHECK_FALSE(ring.allocated());
  const std::string text = "hello";
  ring.write_at(0, std::as_bytes(std::span{text.data(), text.size()}));
  CHECK(ring.allocated());
  std::string out(5, '\0');
  ring.read_at(0, std::as_writable_bytes(std::span{out.data(), out.size()}));
  CHECK(out == "hello");
}
