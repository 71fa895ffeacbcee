#pragma once
// netstep's MAC is not the card's, and a card that is not promiscuous
// filters out unicast frames to any other MAC in hardware: the SYN,ACK for
// netstep would never reach libpcap. A PACKET_MR_UNICAST membership on an
// AF_PACKET socket adds netstep's MAC to the card's unicast filter for as
// long as the socket is open (the kernel falls back to promiscuous mode on
// a card without such a filter). Linux only; needs CAP_NET_RAW, as libpcap does.
#include <string>

#include "base/mac_address.hpp"

namespace netstep::live {

class UnicastMembership {
 public:
  // Throws LiveError if the membership cannot be added.
  UnicastMembership(const std::string& interface, MacAddress mac);
  ~UnicastMembership();
  UnicastMembership(const UnicastMembership&) = delete;
  UnicastMembership& operator=(const UnicastMembership&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace netstep::live
