#pragma once
// Offline replay: a capture file's frames (classic pcap or pcapng, as
// libpcap reads them) fed into a host as if they arrived on a wire, and
// what the host sends in answer kept for the caller to look at. The way to
// ask "what would netstep have done with the frames in this capture?".
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "link/device.hpp"

struct pcap;

namespace netstep::live {

// Reads a capture file frame by frame. Throws LiveError if it cannot be
// opened or is not Ethernet.
class CaptureReader {
 public:
  explicit CaptureReader(const std::string& path);
  ~CaptureReader();
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  // The next frame (valid until the next call); false at the end of the file.
  bool next(Bytes& frame);

 private:
  pcap* handle_ = nullptr;
};

// A Device whose wire is a capture file: replay() delivers every frame of
// it (in order, at once) to the attached host; the frames the host
// transmits are kept in `sent`.
class ReplayDevice final : public Device {
 public:
  ReplayDevice(std::string name, MacAddress mac) : name_{std::move(name)}, mac_{mac} {}

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] MacAddress mac() const override { return mac_; }
  [[nodiscard]] std::size_t mtu() const override { return default_mtu; }
  void transmit(Bytes frame) override { sent.emplace_back(frame.begin(), frame.end()); }

  // Delivers every frame of the file; returns how many.
  std::size_t replay(const std::string& path);

  std::vector<std::vector<std::byte>> sent;

 private:
  std::string name_;
  MacAddress mac_;
};

}  // namespace netstep::live
