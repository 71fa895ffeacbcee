#include <catch2/catch.hpp>

#include <array>

#include "base/bytes.hpp"

using namespace netstep;

TEST_CASE("load_be16 and load_be32 read network byte order", "[base][bytes]") {
  static const std::uint8_t raw[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
  const Bytes b = as_bytes(raw);
  CHECK(b.size() == 5);
  CHECK(load_u8(b, 4) == 0x9a);
  CHECK(load_be16(b, 0) == 0x1234);
  CHECK(load_be16(b, 1) == 0x3456);
  CHECK(load_be32(b, 0) == 0x12345678u);
  CHECK(load_be32(b, 1) == 0x3456789au);
}

TEST_CASE("store_be16 and store_be32 write network byte order and round-trip", "[base][bytes]") {
  std::array<std::byte, 7> buf{};
  const MutableBytes m{buf};
  store_u8(m, 0, 0xaa);
  store_be16(m, 1, 0xbeef);
  store_be32(m, 3, 0x01020304u);
  CHECK(buf[0] == std::byte{0xaa});
  CHECK(buf[1] == std::byte{0xbe});
  CHECK(buf[2] == std::byte{0xef});
  CHECK(buf[3] == std::byte{0x01});
  CHECK(buf[6] == std::byte{0x04});
  CHECK(load_be16(m, 1) == 0xbeef);
  CHECK(load_be32(m, 3) == 0x01020304u);
}
