#include "capture/pcapng_blocks.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace netstep::capture::pcapng {

namespace {

constexpr std::size_t max_option_length = std::numeric_limits<std::uint16_t>::max();

// Every field and option value ends on a 32-bit boundary.
constexpr std::size_t padded(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

template <std::size_t N>
void put_little_endian(std::vector<std::byte>& out, std::uint64_t v) {
  std::array<std::byte, N> b{};
  for (std::size_t i = 0; i < N; ++i) b[i] = std::byte{static_cast<std::uint8_t>((v >> (8 * i)) & 0xff)};
  out.insert(out.end(), b.begin(), b.end());
}
void put_u16(std::vector<std::byte>& out, std::uint16_t v) { put_little_endian<2>(out, v); }
void put_u32(std::vector<std::byte>& out, std::uint32_t v) { put_little_endian<4>(out, v); }
void put_u64(std::vector<std::byte>& out, std::uint64_t v) { put_little_endian<8>(out, v); }
void put_padding(std::vector<std::byte>& out, std::size_t length) {
  out.insert(out.end(), padded(length) - length, std::byte{0});
}

Bytes bytes_of(std::string_view text) { return {reinterpret_cast<const std::byte*>(text.data()), text.size()}; }
Bytes option_value(Bytes value) { return value.first(std::min(value.size(), max_option_length)); }
std::size_t option_length(Bytes value) { return 4 + padded(option_value(value).size()); }

void put_option(std::vector<std::byte>& out, std::uint16_t code, Bytes value) {
  value = option_value(value);
  put_u16(out, code);
  put_u16(out, static_cast<std::uint16_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
  put_padding(out, value.size());
}
void put_end_of_options(std::vector<std::byte>& out) {
  put_u16(out, opt_endofopt);
  put_u16(out, 0);
}

// A block whose length is known once its body is written: the length is
// patched in at the front and repeated at the end (readers walk blocks
// both ways).
class BlockWriter {
 public:
  BlockWriter(std::vector<std::byte>& out, std::uint32_t type) : out_{out}, start_{out.size()} {
    put_u32(out_, type);
    put_u32(out_, 0);  // total length, patched by finish()
  }
  void finish() {
    put_end_of_options(out_);
    const auto length = static_cast<std::uint32_t>(out_.size() - start_ + 4);
    put_u32(out_, length);
    for (std::size_t i = 0; i < 4; ++i) {
      out_[start_ + 4 + i] = std::byte{static_cast<std::uint8_t>((length >> (8 * i)) & 0xff)};
    }
  }

 private:
  std::vector<std::byte>& out_;
  std::size_t start_;
};

Bytes captured_part(Bytes frame) { return frame.first(std::min<std::size_t>(frame.size(), snap_length)); }

std::uint32_t enhanced_packet_length(const EnhancedPacket& packet) {
  // type, length, interface, timestamp (2), captured and original lengths: 28;
  // then the data, the options, opt_endofopt and the trailing length.
  std::size_t length = 28 + padded(captured_part(packet.frame).size()) + 4 + 4;
  if (!packet.comment.empty()) length += option_length(bytes_of(packet.comment));
  return static_cast<std::uint32_t>(length);
}

}  // namespace

void append_section_header(std::vector<std::byte>& out, std::string_view application) {
  BlockWriter block{out, section_header_block};
  put_u32(out, byte_order_magic);
  put_u16(out, 1);  // major version
  put_u16(out, 0);  // minor version
  put_u64(out, std::numeric_limits<std::uint64_t>::max());  // section length: not given
  put_option(out, shb_userappl, bytes_of(application));
  block.finish();
}

void append_interface_description(std::vector<std::byte>& out, std::string_view name, std::string_view description) {
  BlockWriter block{out, interface_description_block};
  put_u16(out, linktype_ethernet);
  put_u16(out, 0);  // reserved
  put_u32(out, snap_length);
  put_option(out, if_name, bytes_of(name));
  put_option(out, if_description, bytes_of(description));
  const std::byte resolution[] = {std::byte{nanoseconds}};
  put_option(out, if_tsresol, Bytes{resolution});
  block.finish();
}

void append_enhanced_packet_header(std::vector<std::byte>& out, const EnhancedPacket& packet) {
  put_u32(out, enhanced_packet_block);
  put_u32(out, enhanced_packet_length(packet));
  put_u32(out, packet.interface);
  put_u32(out, static_cast<std::uint32_t>(packet.timestamp >> 32));
  put_u32(out, static_cast<std::uint32_t>(packet.timestamp & 0xffffffff));
  put_u32(out, static_cast<std::uint32_t>(captured_part(packet.frame).size()));
  put_u32(out, static_cast<std::uint32_t>(std::min<std::size_t>(packet.frame.size(), std::numeric_limits<std::uint32_t>::max())));
}

void append_enhanced_packet_tail(std::vector<std::byte>& out, const EnhancedPacket& packet) {
  put_padding(out, captured_part(packet.frame).size());
  if (!packet.comment.empty()) put_option(out, opt_comment, bytes_of(packet.comment));
  put_end_of_options(out);
  put_u32(out, enhanced_packet_length(packet));
}

}  // namespace netstep::capture::pcapng
