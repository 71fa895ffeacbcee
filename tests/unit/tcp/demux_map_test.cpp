// The demultiplexer's table and the byte ring under the TCP buffers: the
// parts that make the data path cheap must not change what it does.
#include <catch2/catch.hpp>

#include <string>

#include "base/four_tuple.hpp"
#include "tcp/byte_ring.hpp"
#include "tcp/demux_map.hpp"

using namespace netstep;
using netstep::tcp::ByteRing;
using netstep::tcp::DemuxMap;

namespace {
FourTuple tuple(std::uint16_t local_port) {
  return FourTuple{Endpoint{Ipv4Address{10, 0, 0, 1}, Port{local_port}}, Endpoint{Ipv4Address{10, 0, 0, 2}, Port{80}}};
}
}  // namespace

TEST_CASE("DemuxMap finds what was inserted, again and again, and forgets what was erased", "[tcp][demux]") {
  DemuxMap<FourTuple, std::string> map;
  map.emplace(tuple(1), "one");
  map.emplace(tuple(2), "two");
  CHECK(map.find(tuple(1))->second == "one");
  CHECK(map.find(tuple(1))->second == "one");  // the remembered element
  CHECK(map.find(tuple(2))->second == "two");
  CHECK(map.find(tuple(3)) == map.end());
  CHECK(map.find(tuple(2))->second == "two");  // a miss does not replace the remembered one

  CHECK(map.find(tuple(1))->second == "one");
  map.erase(map.find(tuple(2)));  // not the remembered element: that one stays valid
  CHECK(map.find(tuple(1))->second == "one");
  CHECK(map.find(tuple(2)) == map.end());
  CHECK_FALSE(map.contains(tuple(2)));
  CHECK(map.size() == 1);

  // A new element under the key just erased: found, not the old one.
  map.emplace(tuple(2), "two again");
  CHECK(map.find(tuple(2))->second == "two again");
  CHECK(map.erase(tuple(2)) == 1);
  CHECK(map.find(tuple(2)) == map.end());
}

TEST_CASE("DemuxMap stays right while inserts rehash the table under a remembered element", "[tcp][demux]") {
  DemuxMap<FourTuple, int> map;
  map.emplace(tuple(0), 0);
  for (std::uint16_t i = 1; i < 5000; ++i) {
    REQUIRE(map.find(tuple(0))->second == 0);  // remembered, then the table grows
    map.emplace(tuple(i), i);
    REQUIRE(map.find(tuple(i))->second == i);
  }
  for (std::uint16_t i = 0; i < 5000; i += 2) map.erase(tuple(i));
  for (std::uint16_t i = 0; i < 5000; ++i) {
    const auto it = map.find(tuple(i));
    REQUIRE((i % 2 == 0 ? it == map.end() : it->second == i));
  }
  const DemuxMap<FourTuple, int>& view = map;
  CHECK(view.find(tuple(1))->second == 1);
  CHECK(view.find(tuple(0)) == view.end());
  map.clear();
  CHECK(map.empty());
  CHECK(map.find(tuple(1)) == map.end());
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
