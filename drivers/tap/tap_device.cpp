#include "tap/tap_device.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "live/live_error.hpp"
#include "tap/kernel_interface.hpp"

namespace netstep::live {

namespace {

int open_tap(const std::string& interface) {
  if (interface.empty() || interface.size() >= IFNAMSIZ) {
    throw LiveError("'" + interface + "' is not a valid TAP name (1 to " + std::to_string(IFNAMSIZ - 1) +
                    " characters)");
  }
  const int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENODEV || error == ENXIO) {
      throw LiveError("/dev/net/tun does not exist: load the TUN/TAP driver (sudo modprobe tun), or inside a "
                      "container start it with --device /dev/net/tun");
    }
    if (error == EPERM || error == EACCES) {
      throw LiveError(std::string{"cannot open /dev/net/tun: "} + std::strerror(error) + "; " + privilege_fix);
    }
    throw LiveError(std::string{"cannot open /dev/net/tun: "} + std::strerror(error));
  }
  ifreq request{};
  request.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::memcpy(request.ifr_name, interface.c_str(), interface.size());
  if (ioctl(fd, TUNSETIFF, &request) != 0) {
    const int error = errno;
    close(fd);
    std::string message = "cannot create TAP device " + interface + ": " + std::strerror(error);
    if (error == EPERM || error == EACCES) message += "; " + std::string{privilege_fix};
    if (error == EBUSY) message += " (another program has it open)";
    if (error == EINVAL) message += " (an interface of that name exists and is not a TAP device)";
    throw LiveError(message);
  }
  return fd;
}

}  // namespace

TapDevice::TapDevice(TraceBus& bus, const TapConfig& config)
    : LiveDevice{bus, config.host, config.interface, config.mac},
      fd_{open_tap(config.interface)},
      interface_{config.interface} {
  try {
    if (config.kernel_address) {
      configure_kernel_interface(interface_, *config.kernel_address);
    } else {
      bring_up_kernel_interface(interface_);
    }
  } catch (...) {
    close(fd_);
    throw;
  }
}

TapDevice::~TapDevice() { close(fd_); }

ReadStatus TapDevice::read_frame(Bytes& frame) {
  const ssize_t n = read(fd_, buffer_.data(), buffer_.size());
  if (n > 0) {
    frame = Bytes{buffer_}.first(static_cast<std::size_t>(n));
    return ReadStatus::Frame;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return ReadStatus::Empty;
  fail("TAP device " + interface_ + " failed: " + (n == 0 ? std::string{"end of file"} : std::strerror(errno)));
  return ReadStatus::Failed;
}

bool TapDevice::write_frame(Bytes frame, std::string_view& why) {
  const ssize_t n = write(fd_, frame.data(), frame.size());
  if (n == static_cast<ssize_t>(frame.size())) return true;
  // EIO: the kernel's side is down; EAGAIN: its queue is full. Both lose the frame, as a real NIC would.
  why = n < 0 && errno == EAGAIN ? "TAP queue full" : "TAP write failed (is the interface up?)";
  return false;
}

}  // namespace netstep::live
