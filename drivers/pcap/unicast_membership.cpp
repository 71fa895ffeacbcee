#include "pcap/unicast_membership.hpp"

#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "live/live_error.hpp"

namespace netstep::live {

UnicastMembership::UnicastMembership(const std::string& interface, MacAddress mac) {
  const unsigned index = if_nametoindex(interface.c_str());
  if (index == 0) throw LiveError("no interface named '" + interface + "'");
  // Protocol 0: the socket receives nothing; it only holds the membership.
  fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    throw LiveError(std::string{"cannot open a packet socket on "} + interface + ": " + std::strerror(errno) + "; " +
                    privilege_fix);
  }
  packet_mreq request{};
  request.mr_ifindex = static_cast<int>(index);
  request.mr_type = PACKET_MR_UNICAST;
  request.mr_alen = 6;
  for (std::size_t i = 0; i < 6; ++i) request.mr_address[i] = mac.octets()[i];
  if (setsockopt(fd_, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &request, sizeof request) != 0) {
    const int error = errno;
    close(fd_);
    throw LiveError("cannot add " + mac.to_string() + " to the unicast filter of " + interface + ": " +
                    std::strerror(error));
  }
}

UnicastMembership::~UnicastMembership() { close(fd_); }  // the kernel drops the membership with the socket

}  // namespace netstep::live
