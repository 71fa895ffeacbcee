#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "base/random.hpp"
#include "tcp/send_buffer.hpp"

using netstep::Bytes;
using netstep::MutableBytes;
using netstep::tcp::SendBuffer;

namespace {

Bytes bytes_of(const std::string& s) { return std::as_bytes(std::span{s.data(), s.size()}); }

std::string text_of(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// What view() shows, both pieces joined, as text.
std::string viewed(const SendBuffer& buffer, std::size_t offset, std::size_t length) {
  const auto [first, second] = buffer.view(offset, length);
  return text_of(first) + text_of(second);
}

std::string copied(const SendBuffer& buffer, std::size_t offset, std::size_t length) {
  std::string out(length, '\0');
  const std::size_t n = buffer.copy_out(offset, std::as_writable_bytes(std::span{out.data(), out.size()}));
  out.resize(n);
  return out;
}

}  // namespace

TEST_CASE("a new send buffer is empty and offers its whole capacity", "[tcp][send]") {
  const SendBuffer buffer{16};
  CHECK(buffer.empty());
  CHECK(buffer.size() == 0);
  CHECK(buffer.capacity() == 16);
  CHECK(buffer.free_space() == 16);
}

TEST_CASE("a write takes only what fits and the rest stays with the application", "[tcp][send]") {
  SendBuffer buffer{8};
  CHECK(buffer.write(bytes_of("hello")) == 5);
  CHECK(buffer.write(bytes_of("world")) == 3);
  CHECK(buffer.size() == 8);
  CHECK(buffer.free_space() == 0);
  CHECK(buffer.write(bytes_of("!")) == 0);
  CHECK(viewed(buffer, 0, 8) == "hellowor");
}

TEST_CASE("bytes stay in the send buffer after they are viewed, until acknowledged", "[tcp][send]") {
  SendBuffer buffer{16};
  buffer.write(bytes_of("abcdef"));
  CHECK(viewed(buffer, 0, 4) == "abcd");
  CHECK(viewed(buffer, 0, 4) == "abcd");  // a retransmission sees the same bytes
  buffer.acknowledge(4);
  CHECK(buffer.size() == 2);
  CHECK(buffer.free_space() == 14);
  CHECK(viewed(buffer, 0, 4) == "ef");
}

TEST_CASE("offsets count from the oldest unacknowledged byte", "[tcp][send]") {
  SendBuffer buffer{16};
  buffer.write(bytes_of("0123456789"));
  CHECK(viewed(buffer, 3, 4) == "3456");
  buffer.acknowledge(3);
  CHECK(viewed(buffer, 0, 4) == "3456");
  CHECK(copied(buffer, 2, 3) == "567");
}

TEST_CASE("a view or copy past the data held is clipped, never out of bounds", "[tcp][send]") {
  SendBuffer buffer{16};
  buffer.write(bytes_of("abc"));
  CHECK(viewed(buffer, 1, 100) == "bc");
  CHECK(viewed(buffer, 3, 1).empty());
  CHECK(viewed(buffer, 50, 1).empty());
  CHECK(copied(buffer, 2, 10) == "c");
  CHECK(copied(buffer, 9, 10).empty());
}

TEST_CASE("data that wraps around the ring is viewed as two spans without copying", "[tcp][send]") {
  SendBuffer buffer{8};
  buffer.write(bytes_of("abcdef"));
  buffer.acknowledge(5);                      // the front is now at ring index 5
  CHECK(buffer.write(bytes_of("ghijkl")) == 6);  // 3 bytes at the end, 3 at the start
  const auto [first, second] = buffer.view(0, 7);
  CHECK(text_of(first) == "fgh");
  CHECK(text_of(second) == "ijkl");
  CHECK(copied(buffer, 1, 5) == "ghijk");
  // A view that does not reach the wrap point is one span.
  const auto [only, none] = buffer.view(0, 2);
  CHECK(text_of(only) == "fg");
  CHECK(none.empty());
}

TEST_CASE("a view returns spans into the buffer's storage, not copies", "[tcp][send]") {
  SendBuffer buffer{8};
  buffer.write(bytes_of("abcd"));
  const auto [first1, second1] = buffer.view(1, 2);
  const auto [first2, second2] = buffer.view(0, 4);
  CHECK(first1.data() == first2.data() + 1);
}

TEST_CASE("acknowledging everything empties the send buffer and frees all of it", "[tcp][send]") {
  SendBuffer buffer{4};
  for (int round = 0; round < 10; ++round) {
    CHECK(buffer.write(bytes_of("wxyz")) == 4);
    CHECK(viewed(buffer, 0, 4) == "wxyz");
    buffer.acknowledge(4);
    CHECK(buffer.empty());
    CHECK(buffer.free_space() == 4);
  }
}

TEST_CASE("a send buffer of capacity zero accepts nothing and shows nothing", "[tcp][send]") {
  SendBuffer buffer{0};
  CHECK(buffer.write(bytes_of("a")) == 0);
  CHECK(viewed(buffer, 0, 1).empty());
  buffer.acknowledge(0);
  CHECK(buffer.empty());
}

TEST_CASE("random writes, views, copies and acknowledgements match a plain string, byte for byte", "[tcp][send][random]") {
  for (const std::uint64_t seed : {1u, 2u, 3u, 44u}) {
    netstep::Random random{seed};
    const std::size_t capacity = 1 + random.below(300);
    SendBuffer buffer{capacity};
    std::string model;  // unacknowledged bytes, oldest first
    char next = 0;
    INFO("seed " << seed << ", capacity " << capacity);
    for (int step = 0; step < 5000; ++step) {
      INFO("step " << step);
      switch (random.below(4)) {
        case 0: {
          std::string data(random.below(capacity + 20), '\0');
          for (char& c : data) c = next++;
          const std::size_t expected = std::min(data.size(), capacity - model.size());
          REQUIRE(buffer.write(bytes_of(data)) == expected);
          model += data.substr(0, expected);
          break;
        }
        case 1: {
          const std::size_t n = random.below(model.size() + 1);
          buffer.acknowledge(n);
          model.erase(0, n);
          break;
        }
        case 2: {
          const std::size_t offset = random.below(model.size() + 10);
          const std::size_t length = random.below(capacity + 10);
          const std::string expected = offset < model.size() ? model.substr(offset, length) : "";
          REQUIRE(viewed(buffer, offset, length) == expected);
          break;
        }
        default: {
          const std::size_t offset = random.below(model.size() + 10);
          const std::size_t length = random.below(capacity + 10);
          const std::string expected = offset < model.size() ? model.substr(offset, length) : "";
          REQUIRE(copied(buffer, offset, length) == expected);
          break;
        }
      }
      REQUIRE(buffer.size() == model.size());
      REQUIRE(buffer.free_space() == capacity - model.size());
    }
    REQUIRE(viewed(buffer, 0, capacity) == model);
  }
}
