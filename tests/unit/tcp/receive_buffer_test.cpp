#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "base/random.hpp"
#include "tcp/receive_buffer.hpp"

using netstep::Bytes;
using netstep::tcp::ReceiveBuffer;

namespace {

Bytes bytes_of(const std::string& s) { return std::as_bytes(std::span{s.data(), s.size()}); }

std::string read_all(ReceiveBuffer& buffer, std::size_t at_most = 1 << 20) {
  std::string out(at_most, '\0');
  out.resize(buffer.read(std::as_writable_bytes(std::span{out.data(), out.size()})));
  return out;
}

// SACK blocks as sequence numbers, the way RFC 2018 prints them.
std::string sack_text(const ReceiveBuffer& buffer, std::size_t rcv_nxt, std::size_t max_blocks = 4) {
  std::string out;
  for (const auto& block : buffer.sack_blocks(max_blocks)) {
    if (!out.empty()) out += ' ';
    out += std::to_string(block.begin + rcv_nxt) + "-" + std::to_string(block.end + rcv_nxt);
  }
  return out;
}

}  // namespace

TEST_CASE("a new receive buffer offers its whole capacity as the window", "[tcp][receive]") {
  const ReceiveBuffer buffer{1000};
  CHECK(buffer.window() == 1000);
  CHECK(buffer.readable() == 0);
  CHECK_FALSE(buffer.has_out_of_order_data());
}

TEST_CASE("in-order data is readable at once and shrinks the window until read", "[tcp][receive]") {
  ReceiveBuffer buffer{10};
  const auto result = buffer.insert(0, bytes_of("hello"));
  CHECK(result.accepted == 5);
  CHECK(result.newly_in_order == 5);
  CHECK_FALSE(result.out_of_order);
  CHECK_FALSE(result.trimmed);
  CHECK(buffer.readable() == 5);
  CHECK(buffer.window() == 5);
  CHECK(read_all(buffer, 3) == "hel");
  CHECK(buffer.window() == 8);
  CHECK(read_all(buffer) == "lo");
  CHECK(buffer.window() == 10);
}

TEST_CASE("a segment beyond a hole is held but not readable", "[tcp][receive]") {
  ReceiveBuffer buffer{100};
  const auto result = buffer.insert(5, bytes_of("world"));
  CHECK(result.accepted == 5);
  CHECK(result.newly_in_order == 0);
  CHECK(result.out_of_order);
  CHECK(buffer.readable() == 0);
  CHECK(buffer.window() == 100);  // the window counts from RCV.NXT, held data inside it
  CHECK(buffer.has_out_of_order_data());
  CHECK(sack_text(buffer, 0) == "5-10");
}

TEST_CASE("a segment that fills the hole makes everything behind it readable at once", "[tcp][receive]") {
  ReceiveBuffer buffer{100};
  buffer.insert(10, bytes_of("klmno"));
  buffer.insert(5, bytes_of("fghij"));
  buffer.insert(20, bytes_of("uvw"));
  CHECK(buffer.readable() == 0);
  const auto result = buffer.insert(0, bytes_of("abcde"));
  CHECK(result.accepted == 5);
  CHECK(result.newly_in_order == 15);
  CHECK(buffer.readable() == 15);
  CHECK(read_all(buffer) == "abcdefghijklmno");
  CHECK(sack_text(buffer, 15) == "20-23");  // the island past the next hole stays
}

TEST_CASE("data already received is skipped and only the new tail is taken", "[tcp][receive]") {
  ReceiveBuffer buffer{100};
  buffer.insert(0, bytes_of("abcdef"));
  // A retransmission that overlaps RCV.NXT: offset -3 is "def" again.
  const auto result = buffer.insert(-3, bytes_of("defghi"));
  CHECK(result.accepted == 3);
  CHECK(result.newly_in_order == 3);
  CHECK(read_all(buffer) == "abcdefghi");
  // Entirely old data changes nothing.
  const auto old = buffer.insert(-9, bytes_of("abcdefghi"));
  CHECK(old.accepted == 0);
  CHECK(old.newly_in_order == 0);
  CHECK(buffer.readable() == 0);
}

TEST_CASE("duplicate and overlapping out-of-order segments keep each byte once", "[tcp][receive]") {
  ReceiveBuffer buffer{100};
  buffer.insert(4, bytes_of("efgh"));
  buffer.insert(4, bytes_of("efgh"));
  buffer.insert(6, bytes_of("ghijkl"));
  buffer.insert(2, bytes_of("cdef"));
  CHECK(sack_text(buffer, 0) == "2-12");
  CHECK(buffer.insert(0, bytes_of("abc")).newly_in_order == 12);
  CHECK(read_all(buffer) == "abcdefghijkl");
  CHECK_FALSE(buffer.has_out_of_order_data());
}

TEST_CASE("data beyond the window's right edge is trimmed and reported", "[tcp][receive]") {
  ReceiveBuffer buffer{8};
  const auto result = buffer.insert(0, bytes_of("0123456789"));
  CHECK(result.accepted == 8);
  CHECK(result.trimmed);
  CHECK(buffer.window() == 0);
  CHECK(read_all(buffer) == "01234567");

  const auto beyond = buffer.insert(6, bytes_of("xyz"));  // only offsets 6 and 7 fit
  CHECK(beyond.accepted == 2);
  CHECK(beyond.trimmed);
  CHECK(beyond.out_of_order);
  CHECK(sack_text(buffer, 0) == "6-8");

  const auto outside = buffer.insert(8, bytes_of("z"));
  CHECK(outside.accepted == 0);
  CHECK(outside.trimmed);
  CHECK_FALSE(outside.out_of_order);
}

TEST_CASE("a zero window accepts no data until the application reads", "[tcp][receive]") {
  ReceiveBuffer buffer{4};
  buffer.insert(0, bytes_of("full"));
  CHECK(buffer.window() == 0);
  const auto probe = buffer.insert(0, bytes_of("x"));  // a zero-window probe's byte
  CHECK(probe.accepted == 0);
  CHECK(probe.newly_in_order == 0);
  CHECK(probe.trimmed);
  const auto empty = buffer.insert(0, Bytes{});  // a bare ACK carries no data
  CHECK(empty.accepted == 0);
  CHECK_FALSE(empty.trimmed);
  CHECK(read_all(buffer, 1) == "f");
  CHECK(buffer.window() == 1);
  CHECK(buffer.insert(0, bytes_of("xy")).accepted == 1);
  CHECK(read_all(buffer) == "ullx");
}

TEST_CASE("in-order and out-of-order data wrap around the ring intact", "[tcp][receive]") {
  ReceiveBuffer buffer{8};
  buffer.insert(0, bytes_of("abcdef"));
  CHECK(read_all(buffer) == "abcdef");  // the front is now at ring index 6
  // Out-of-order bytes at offsets 3..6 land across the end of the storage.
  CHECK(buffer.insert(3, bytes_of("JKLM")).out_of_order);
  CHECK(buffer.insert(0, bytes_of("GHI")).newly_in_order == 7);
  CHECK(read_all(buffer) == "GHIJKLM");
}

TEST_CASE("past the range bound a new island is refused and the segment not stored", "[tcp][receive]") {
  ReceiveBuffer buffer{100, 2};
  CHECK_FALSE(buffer.insert(10, bytes_of("a")).refused);
  CHECK_FALSE(buffer.insert(20, bytes_of("b")).refused);
  const auto refused = buffer.insert(30, bytes_of("c"));
  CHECK(refused.refused);
  CHECK(refused.accepted == 0);
  CHECK(sack_text(buffer, 0) == "20-21 10-11");
  // Data that joins an island, and in-order data, are still taken.
  CHECK(buffer.insert(21, bytes_of("b")).accepted == 1);
  CHECK(buffer.insert(0, bytes_of("0123456789")).newly_in_order == 11);
}

// RFC 2018 section 3, the third example, seen from the receive buffer: the
// left window edge is 5000, eight 500-byte segments are sent and the 2nd,
// 4th, 6th and 8th are lost; then the 4th arrives, then the 2nd.
TEST_CASE("SACK blocks follow the RFC 2018 example with every other segment lost", "[tcp][receive][sack]") {
  ReceiveBuffer buffer{8192};
  std::size_t rcv_nxt = 5000;
  const std::string payload(500, 'x');
  const auto arrive = [&](std::size_t seq) {
    const auto result = buffer.insert(static_cast<std::int64_t>(seq) - static_cast<std::int64_t>(rcv_nxt), bytes_of(payload));
    rcv_nxt += result.newly_in_order;
  };
  arrive(5000);
  CHECK(rcv_nxt == 5500);
  CHECK(sack_text(buffer, rcv_nxt).empty());
  arrive(6000);
  CHECK(sack_text(buffer, rcv_nxt) == "6000-6500");
  arrive(7000);
  CHECK(sack_text(buffer, rcv_nxt) == "7000-7500 6000-6500");
  arrive(8000);
  CHECK(sack_text(buffer, rcv_nxt) == "8000-8500 7000-7500 6000-6500");
  arrive(6500);
  CHECK(rcv_nxt == 5500);
  CHECK(sack_text(buffer, rcv_nxt) == "6000-7500 8000-8500");
  arrive(5500);
  CHECK(rcv_nxt == 7500);
  CHECK(sack_text(buffer, rcv_nxt) == "8000-8500");
  CHECK(buffer.readable() == 2500);
}

namespace {

// The byte at stream position p, the same whenever it is (re)sent.
char stream_byte(std::uint64_t p) { return static_cast<char>((p * 2654435761u) >> 11); }

}  // namespace

TEST_CASE("random segments and reads match a byte map model, every byte checked", "[tcp][receive][random]") {
  for (const std::uint64_t seed : {11u, 12u, 13u, 14u}) {
    netstep::Random random{seed};
    const std::size_t capacity = 1 + random.below(200);
    const std::size_t bound = 1 + random.below(6);
    ReceiveBuffer buffer{capacity, bound};
    INFO("seed " << seed << ", capacity " << capacity << ", range bound " << bound);

    // The model: the stream position of RCV.NXT, the unread in-order bytes,
    // and the out-of-order bytes held, by stream position.
    std::uint64_t rcv_nxt = 0;
    std::string unread;
    std::map<std::uint64_t, char> held;
    std::uint64_t delivered = 0;  // bytes read so far; each one checked

    const auto island_count = [&] {
      std::size_t islands = 0;
      std::uint64_t previous = 0;
      for (const auto& [position, byte] : held) {
        if (islands == 0 || position != previous + 1) ++islands;
        previous = position;
      }
      return islands;
    };

    for (int step = 0; step < 8000; ++step) {
      INFO("step " << step);
      if (random.below(3) != 0) {
        const auto offset = static_cast<std::int64_t>(random.below(capacity + 40)) - 20;
        const std::size_t length = random.below(60);
        std::string data(length, '\0');
        for (std::size_t i = 0; i < length; ++i) {
          data[i] = stream_byte(static_cast<std::uint64_t>(static_cast<std::int64_t>(rcv_nxt) + offset) + i);
        }

        // What the model expects.
        const std::size_t window = capacity - unread.size();
        const std::int64_t first = std::max<std::int64_t>(offset, 0);
        const std::int64_t last = std::min<std::int64_t>(offset + static_cast<std::int64_t>(length), static_cast<std::int64_t>(window));
        const bool trimmed = length > 0 && offset + static_cast<std::int64_t>(length) > static_cast<std::int64_t>(window);
        const std::size_t in_window = last > first ? static_cast<std::size_t>(last - first) : 0;
        bool joins = false;
        for (std::int64_t o = first - 1; o <= last; ++o) {
          if (o > 0 && held.count(rcv_nxt + static_cast<std::uint64_t>(o)) != 0) joins = true;
        }
        const bool refused = in_window > 0 && first > 0 && !joins && island_count() >= bound;

        const auto result = buffer.insert(offset, bytes_of(data));
        REQUIRE(result.trimmed == trimmed);
        REQUIRE(result.refused == refused);
        REQUIRE(result.accepted == (refused ? 0 : in_window));
        REQUIRE(result.out_of_order == (!refused && in_window > 0 && first > 0));

        std::size_t advanced = 0;
        if (!refused) {
          for (std::int64_t o = first; o < last; ++o) held[rcv_nxt + static_cast<std::uint64_t>(o)] = stream_byte(rcv_nxt + static_cast<std::uint64_t>(o));
          for (auto it = held.find(rcv_nxt); it != held.end() && it->first == rcv_nxt; it = held.erase(it)) {
            unread += it->second;
            ++rcv_nxt;
            ++advanced;
          }
        }
        REQUIRE(result.newly_in_order == advanced);
        const auto sack = buffer.sack_blocks();
        if (result.out_of_order) {
          REQUIRE(sack.count >= 1);
          CHECK(static_cast<std::int64_t>(sack.blocks[0].begin) <= first);
          CHECK(static_cast<std::int64_t>(sack.blocks[0].end) >= last);
        }
        // Every SACK block is a run of held bytes with a gap on both sides.
        for (const auto& block : sack) {
          REQUIRE(block.begin > 0);
          REQUIRE(held.count(rcv_nxt + block.begin - 1) == 0);
          REQUIRE(held.count(rcv_nxt + block.end) == 0);
          for (std::size_t o = block.begin; o < block.end; ++o) REQUIRE(held.count(rcv_nxt + o) == 1);
        }
        REQUIRE(sack.count == std::min<std::size_t>(4, island_count()));
      } else {
        const std::size_t wanted = random.below(capacity + 5);
        const std::string got = read_all(buffer, wanted);
        REQUIRE(got.size() == std::min(wanted, unread.size()));
        REQUIRE(got == unread.substr(0, got.size()));
        for (const char c : got) REQUIRE(c == stream_byte(delivered++));
        unread.erase(0, got.size());
      }
      REQUIRE(buffer.readable() == unread.size());
      REQUIRE(buffer.window() == capacity - unread.size());
      REQUIRE(buffer.has_out_of_order_data() == !held.empty());
    }
    // Drain: whatever is still unread comes out intact.
    const std::string rest = read_all(buffer);
    REQUIRE(rest == unread);
    for (const char c : rest) REQUIRE(c == stream_byte(delivered++));
  }
}
