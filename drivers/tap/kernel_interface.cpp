#include "tap/kernel_interface.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "live/live_error.hpp"

namespace netstep::live {

namespace {

class ControlSocket {
 public:
  ControlSocket() : fd_{socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)} {
    if (fd_ < 0) throw LiveError(std::string{"cannot open a socket to configure interfaces: "} + std::strerror(errno));
  }
  ~ControlSocket() { close(fd_); }
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

ifreq request_for(const std::string& interface) {
  if (interface.empty() || interface.size() >= IFNAMSIZ) {
    throw LiveError("'" + interface + "' is not a valid interface name (1 to " + std::to_string(IFNAMSIZ - 1) +
                    " characters)");
  }
  ifreq request{};
  std::memcpy(request.ifr_name, interface.c_str(), interface.size());
  return request;
}

void set_ipv4(ifreq& request, Ipv4Address address) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(address.to_u32());
  std::memcpy(&request.ifr_addr, &in, sizeof in);
}

void checked_ioctl(int fd, unsigned long what, ifreq& request, const char* doing, const std::string& interface) {
  if (ioctl(fd, what, &request) == 0) return;
  const int error = errno;
  std::string message = std::string{"cannot "} + doing + " on " + interface + ": " + std::strerror(error);
  if (error == EPERM || error == EACCES) message += " (needs CAP_NET_ADMIN: " + std::string{privilege_fix} + ")";
  if (error == ENODEV) message += " (interfaces that exist: " + list_of(existing_interfaces()) + ")";
  throw LiveError(message);
}

}  // namespace

void bring_up_kernel_interface(const std::string& interface) {
  ControlSocket control;
  ifreq request = request_for(interface);
  checked_ioctl(control.fd(), SIOCGIFFLAGS, request, "read the flags", interface);
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
  checked_ioctl(control.fd(), SIOCSIFFLAGS, request, "bring the interface up", interface);
}

void configure_kernel_interface(const std::string& interface, Ipv4Cidr address) {
  ControlSocket control;
  ifreq request = request_for(interface);
  set_ipv4(request, address.address());
  checked_ioctl(control.fd(), SIOCSIFADDR, request, "set the address", interface);
  request = request_for(interface);
  set_ipv4(request, Ipv4Address{address.mask()});
  checked_ioctl(control.fd(), SIOCSIFNETMASK, request, "set the netmask", interface);
  bring_up_kernel_interface(interface);
}

std::vector<std::string> existing_interfaces() {
  std::vector<std::string> names;
  if (struct if_nameindex* list = if_nameindex()) {
    for (const struct if_nameindex* i = list; i->if_index != 0; ++i) names.emplace_back(i->if_name);
    if_freenameindex(list);
  }
  return names;
}

std::string list_of(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace netstep::live
