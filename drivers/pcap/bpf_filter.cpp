#include "pcap/bpf_filter.hpp"

namespace netstep::live {

std::string frames_for(MacAddress mac) {
  const std::string ours = mac.to_string();
  return "(ether dst " + ours + " or ether broadcast or arp) and not ether src " + ours;
}

}  // namespace netstep::live
