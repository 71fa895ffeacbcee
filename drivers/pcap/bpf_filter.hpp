#pragma once
// The BPF filter a PcapDevice asks the kernel for: frames to our MAC,
// broadcasts and ARP, never our own frames coming back. The host's other
// traffic on that interface stays out of netstep's way (and its queue).
#include <string>

#include "base/mac_address.hpp"

namespace netstep::live {

// "(ether dst 02:.. or ether broadcast or arp) and not ether src 02:.."
[[nodiscard]] std::string frames_for(MacAddress mac);

}  // namespace netstep::live
