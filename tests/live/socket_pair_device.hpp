#pragma once
// A LiveDevice on one end of a SOCK_SEQPACKET socketpair: the test writes
// frames into the other end as if they came off a wire, and reads what the
// device transmitted. Frame boundaries are kept, as on a TAP descriptor.
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "live/live_device.hpp"

namespace netstep::live::test {

class SocketPairDevice final : public LiveDevice {
 public:
  explicit SocketPairDevice(TraceBus& bus, MacAddress mac = MacAddress::local(0x42))
      : LiveDevice{bus, "client", "pair0", mac} {
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds_.data()) != 0) {
      throw std::runtime_error("socketpair failed");
    }
  }
  ~SocketPairDevice() override {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  SocketPairDevice(const SocketPairDevice&) = delete;
  SocketPairDevice& operator=(const SocketPairDevice&) = delete;

  [[nodiscard]] int readable_fd() const override { return fds_[0]; }
  // The wire side.
  void inject(const std::vector<std::byte>& frame) const {
    if (send(fds_[1], frame.data(), frame.size(), 0) != static_cast<ssize_t>(frame.size())) {
      throw std::runtime_error("inject failed");
    }
  }
  // The other end goes away: the device's descriptor hangs up.
  void unplug() {
    close(fds_[1]);
    fds_[1] = -1;
  }

 protected:
  ReadStatus read_frame(Bytes& frame) override {
    const ssize_t n = recv(fds_[0], buffer_.data(), buffer_.size(), MSG_TRUNC);
    if (n < 0) return ReadStatus::Empty;
    if (n == 0) {
      fail("the other end of the socket pair closed");
      return ReadStatus::Failed;
    }
    // MSG_TRUNC gives the real length: a giant shows up as too long, not cut.
    frame = Bytes{buffer_}.first(std::min(static_cast<std::size_t>(n), buffer_.size()));
    if (static_cast<std::size_t>(n) > buffer_.size()) frame = Bytes{buffer_};
    return ReadStatus::Frame;
  }
  bool write_frame(Bytes frame, std::string_view& why) override {
    if (send(fds_[0], frame.data(), frame.size(), 0) < 0) {
      why = "socket pair refused the frame";
      return false;
    }
    return true;
  }

 private:
  std::array<int, 2> fds_{-1, -1};
  std::array<std::byte, 4096> buffer_{};
};

}  // namespace netstep::live::test
