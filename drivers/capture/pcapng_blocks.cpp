#include "capture/pcapng_blocks.hpp"

#include <algorithm>
#include <limits>

namespace netstep::capture::pcapng {

namespace {

constexpr std::size_t max_option_length = std::numeric_limits<std::uint16_t>::max();

// Writes one block: the type and a length patched in at the end, where the
// length is repeated (readers walk blocks in both directions).
class BlockWriter {
 public:
  BlockWriter(std::vector<std::byte>& out, std::uint32_t type) : out_{out}, start_{out.size()} {
    u32(type);
    u32(0);  // total length, patched by finish()
  }

  void u8(std::uint8_t v) { out_.push_back(std::byte{v}); }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v & 0xff));
    u8(static_cast<std::uint8_t>(v >> 8));
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v & 0xffff));
    u16(static_cast<std::uint16_t>(v >> 16));
  }
  void u64(std::uint64_t v) {
    u32(static_cast<std::uint32_t>(v & 0xffffffff));
    u32(static_cast<std::uint32_t>(v >> 32));
  }
  void bytes(Bytes data) {
    out_.insert(out_.end(), data.begin(), data.end());
    pad();
  }
  void option(std::uint16_t code, Bytes value) {
    value = value.first(std::min(value.size(), max_option_length));
    u16(code);
    u16(static_cast<std::uint16_t>(value.size()));
    bytes(value);
  }
  void option(std::uint16_t code, std::string_view text) {
    option(code, Bytes{reinterpret_cast<const std::byte*>(text.data()), text.size()});
  }
  void finish() {
    u16(opt_endofopt);
    u16(0);
    const auto length = static_cast<std::uint32_t>(out_.size() - start_ + 4);
    u32(length);
    for (std::size_t i = 0; i < 4; ++i) {
      out_[start_ + 4 + i] = std::byte{static_cast<std::uint8_t>((length >> (8 * i)) & 0xff)};
    }
  }

 private:
  // Fields and option values end on a 32-bit boundary.
  void pad() {
    while ((out_.size() - start_) % 4 != 0) out_.push_back(std::byte{0});
  }

  std::vector<std::byte>& out_;
  std::size_t start_;
};

}  // namespace

void append_section_header(std::vector<std::byte>& out, std::string_view application) {
  BlockWriter block{out, section_header_block};
  block.u32(byte_order_magic);
  block.u16(1);  // major version
  block.u16(0);  // minor version
  block.u64(std::numeric_limits<std::uint64_t>::max());  // section length: not given
  block.option(shb_userappl, application);
  block.finish();
}

void append_interface_description(std::vector<std::byte>& out, std::string_view name, std::string_view description) {
  BlockWriter block{out, interface_description_block};
  block.u16(linktype_ethernet);
  block.u16(0);  // reserved
  block.u32(snap_length);
  block.option(if_name, name);
  block.option(if_description, description);
  const std::byte resolution[] = {std::byte{nanoseconds}};
  block.option(if_tsresol, Bytes{resolution});
  block.finish();
}

void append_enhanced_packet(std::vector<std::byte>& out, std::uint32_t interface, std::uint64_t timestamp,
                            Bytes frame, std::string_view comment) {
  BlockWriter block{out, enhanced_packet_block};
  block.u32(interface);
  block.u32(static_cast<std::uint32_t>(timestamp >> 32));
  block.u32(static_cast<std::uint32_t>(timestamp & 0xffffffff));
  const Bytes captured = frame.first(std::min<std::size_t>(frame.size(), snap_length));
  block.u32(static_cast<std::uint32_t>(captured.size()));
  block.u32(static_cast<std::uint32_t>(std::min<std::size_t>(frame.size(), std::numeric_limits<std::uint32_t>::max())));
  block.bytes(captured);
  if (!comment.empty()) block.option(opt_comment, comment);
  block.finish();
}

}  // namespace netstep::capture::pcapng
