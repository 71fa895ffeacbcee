#pragma once
// Reading capture files back in tests, independently of the writers: every
// block's type and both of its lengths are checked, and the first thing
// wrong is thrown as std::runtime_error.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netstep::test {

struct PcapngInterface {
  std::uint16_t linktype = 0;
  std::uint32_t snap_length = 0;
  std::string name;
  std::string description;
  std::optional<std::uint8_t> timestamp_resolution;
};

struct PcapngPacket {
  std::uint32_t interface = 0;
  std::uint64_t timestamp = 0;  // in the interface's resolution
  std::uint32_t original_length = 0;
  std::vector<std::byte> data;
  std::vector<std::string> comments;
};

struct PcapngFile {
  std::vector<std::uint32_t> block_types;  // in file order
  std::string application;                 // shb_userappl
  std::vector<PcapngInterface> interfaces;
  std::vector<PcapngPacket> packets;
};

// Little-endian sections only (what netstep writes).
[[nodiscard]] PcapngFile parse_pcapng(std::string_view bytes);

struct PcapRecord {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;  // nanoseconds in a nanosecond file
  std::uint32_t original_length = 0;
  std::vector<std::byte> data;
};

struct PcapFile {
  bool nanoseconds = false;  // magic a1b23c4d
  std::uint32_t snap_length = 0;
  std::uint32_t linktype = 0;
  std::vector<PcapRecord> records;
};

// In the machine's byte order (how libpcap writes).
[[nodiscard]] PcapFile parse_pcap(std::string_view bytes);

[[nodiscard]] std::string read_file(const std::string& path);

}  // namespace netstep::test
