#pragma once
// A TAP device as a real wire: netstep on one side of a virtual Ethernet
// cable, the host kernel on the other. Opens /dev/net/tun with
// IFF_TAP | IFF_NO_PI (whole Ethernet frames, no packet-info header),
// non-blocking; the kernel's side of the cable is the interface NAME, and
// gets `kernel_address` and is brought up. netstep takes an address of its
// own on that subnet (its Host's interface). The TAP vanishes when the
// descriptor closes, unless it was made persistent beforehand
// (`ip tuntap add`).
#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include "base/ipv4_address.hpp"
#include "live/live_device.hpp"

namespace netstep::live {

struct TapConfig {
  std::string interface;                  // "nsl-tap0"; the kernel's name for its side
  std::optional<Ipv4Cidr> kernel_address;  // given to the kernel's side; none: leave it alone
  MacAddress mac;                         // netstep's side (local_mac_from_seed)
  std::string host = "client";            // for the trace
};

class TapDevice final : public LiveDevice {
 public:
  // Throws LiveError with the fix (no /dev/net/tun, no CAP_NET_ADMIN, ...).
  TapDevice(TraceBus& bus, const TapConfig& config);
  ~TapDevice() override;
  TapDevice(const TapDevice&) = delete;
  TapDevice& operator=(const TapDevice&) = delete;

  [[nodiscard]] int readable_fd() const override { return fd_; }
  [[nodiscard]] const std::string& interface() const { return interface_; }

 protected:
  ReadStatus read_frame(Bytes& frame) override;
  bool write_frame(Bytes frame, std::string_view& why) override;

 private:
  int fd_ = -1;
  std::string interface_;
  // One frame at a time; larger than any frame so a giant is seen whole
  // (and dropped), not cut to a plausible length.
  std::array<std::byte, 65536> buffer_{};
};

}  // namespace netstep::live
