#include "capture_files.hpp"

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace netstep::test {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_{bytes} {}

  [[nodiscard]] std::size_t offset() const { return at_; }
  [[nodiscard]] std::size_t left() const { return bytes_.size() - at_; }
  void need(std::size_t n, const char* what) const {
    if (left() < n) throw std::runtime_error(std::string{"truncated "} + what + " at offset " + std::to_string(at_));
  }
  std::uint8_t u8() {
    need(1, "byte");
    return static_cast<std::uint8_t>(bytes_[at_++]);
  }
  std::uint16_t u16le() {
    const std::uint16_t lo = u8();
    return static_cast<std::uint16_t>(lo | (u8() << 8));
  }
  std::uint32_t u32le() {
    const std::uint32_t lo = u16le();
    return lo | (std::uint32_t{u16le()} << 16);
  }
  std::uint32_t u32native() {
    need(4, "word");
    std::uint32_t v = 0;
    std::memcpy(&v, bytes_.data() + at_, 4);
    at_ += 4;
    return v;
  }
  std::string_view take(std::size_t n, const char* what) {
    need(n, what);
    const std::string_view piece = bytes_.substr(at_, n);
    at_ += n;
    return piece;
  }
  void skip_padding() {
    while (at_ % 4 != 0) {
      if (u8() != 0) throw std::runtime_error("non-zero padding at offset " + std::to_string(at_ - 1));
    }
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

std::vector<std::byte> to_bytes(std::string_view s) {
  std::vector<std::byte> out(s.size());
  std::memcpy(out.data(), s.data(), s.size());
  return out;
}

// Options up to opt_endofopt, each handed to `on` (code, value).
template <class On>
void read_options(Reader& block, On&& on) {
  while (block.left() > 0) {
    const std::uint16_t code = block.u16le();
    const std::uint16_t length = block.u16le();
    if (code == 0) {
      if (length != 0) throw std::runtime_error("opt_endofopt with a length");
      if (block.left() != 0) throw std::runtime_error("bytes after opt_endofopt");
      return;
    }
    const std::string_view value = block.take(length, "option value");
    block.skip_padding();
    on(code, value);
  }
}

}  // namespace

PcapngFile parse_pcapng(std::string_view bytes) {
  PcapngFile file;
  Reader reader{bytes};
  while (reader.left() > 0) {
    const std::size_t start = reader.offset();
    const std::uint32_t type = reader.u32le();
    const std::uint32_t length = reader.u32le();
    if (length < 12 || length % 4 != 0) {
      throw std::runtime_error("block at " + std::to_string(start) + ": bad length " + std::to_string(length));
    }
    const std::string_view body_bytes = reader.take(length - 12, "block body");
    if (reader.u32le() != length) throw std::runtime_error("block at " + std::to_string(start) + ": trailing length differs");
    file.block_types.push_back(type);
    Reader body{body_bytes};
    if (type == 0x0a0d0d0a) {
      if (body.u32le() != 0x1a2b3c4d) throw std::runtime_error("section header: not little-endian");
      if (body.u16le() != 1 || body.u16le() != 0) throw std::runtime_error("section header: not version 1.0");
      body.take(8, "section length");
      read_options(body, [&](std::uint16_t code, std::string_view value) {
        if (code == 4) file.application = std::string{value};
      });
    } else if (type == 1) {
      PcapngInterface interface;
      interface.linktype = body.u16le();
      body.u16le();
      interface.snap_length = body.u32le();
      read_options(body, [&](std::uint16_t code, std::string_view value) {
        if (code == 2) interface.name = std::string{value};
        if (code == 3) interface.description = std::string{value};
        if (code == 9 && value.size() == 1) interface.timestamp_resolution = static_cast<std::uint8_t>(value[0]);
      });
      file.interfaces.push_back(std::move(interface));
    } else if (type == 6) {
      PcapngPacket packet;
      packet.interface = body.u32le();
      const std::uint64_t high = body.u32le();
      packet.timestamp = (high << 32) | body.u32le();
      const std::uint32_t captured = body.u32le();
      packet.original_length = body.u32le();
      packet.data = to_bytes(body.take(captured, "packet data"));
      body.skip_padding();
      read_options(body, [&](std::uint16_t code, std::string_view value) {
        if (code == 1) packet.comments.emplace_back(value);
      });
      if (packet.interface >= file.interfaces.size()) throw std::runtime_error("packet on an undescribed interface");
      file.packets.push_back(std::move(packet));
    }
  }
  return file;
}

PcapFile parse_pcap(std::string_view bytes) {
  PcapFile file;
  Reader reader{bytes};
  const std::uint32_t magic = reader.u32native();
  if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) throw std::runtime_error("not a pcap file (or not in this byte order)");
  file.nanoseconds = magic == 0xa1b23c4d;
  reader.take(4, "version");
  reader.take(8, "zone and accuracy");
  file.snap_length = reader.u32native();
  file.linktype = reader.u32native();
  while (reader.left() > 0) {
    PcapRecord record;
    record.seconds = reader.u32native();
    record.fraction = reader.u32native();
    const std::uint32_t captured = reader.u32native();
    record.original_length = reader.u32native();
    record.data = to_bytes(reader.take(captured, "record data"));
    file.records.push_back(std::move(record));
  }
  return file;
}

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace netstep::test
