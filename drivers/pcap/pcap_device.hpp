#pragma once
// A named interface (eth0, a veth end) as a real wire through libpcap:
// netstep's frames are injected with its own MAC, and a BPF filter
// (bpf_filter.hpp) passes up only frames for that MAC, broadcasts and ARP;
// the card is told to accept frames to that MAC (unicast_membership.hpp),
// so promiscuous mode stays off. Immediate mode, so a SYN,ACK reaches the
// stack the moment it arrives; non-blocking on a selectable descriptor the
// live loop polls. netstep needs an IPv4 address of its own on that link
// (docs/real-wires.md). Wi-Fi in client mode rarely carries a second MAC.
#include <cstdint>
#include <optional>
#include <string>

#include "live/live_device.hpp"
#include "pcap/unicast_membership.hpp"

struct pcap;  // libpcap's handle (pcap_t)

namespace netstep::live {

struct PcapConfig {
  std::string interface;  // "eth0"
  MacAddress mac;         // netstep's own (local_mac_from_seed), not the card's
  std::string host = "client";
};

class PcapDevice final : public LiveDevice {
 public:
  // Throws LiveError with the fix: no such interface (listing those that
  // exist), no permission, interface down.
  PcapDevice(TraceBus& bus, const PcapConfig& config);
  ~PcapDevice() override;
  PcapDevice(const PcapDevice&) = delete;
  PcapDevice& operator=(const PcapDevice&) = delete;

  [[nodiscard]] int readable_fd() const override { return fd_; }
  // libpcap's ps_drop: frames the kernel's buffer had no room for.
  [[nodiscard]] std::uint64_t frames_dropped_below() const override;

 protected:
  ReadStatus read_frame(Bytes& frame) override;
  bool write_frame(Bytes frame, std::string_view& why) override;

 private:
  pcap* handle_ = nullptr;
  int fd_ = -1;
  std::string interface_;
  std::optional<UnicastMembership> membership_;  // the card accepts frames to our MAC
};

// The interfaces libpcap can open, for "no such interface" messages.
[[nodiscard]] std::string pcap_interfaces();

}  // namespace netstep::live
