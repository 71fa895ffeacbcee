#pragma once
// The host kernel's view of a network interface, set through ioctls on an
// AF_INET socket (no shelling out to `ip`): give it an IPv4 address and
// bring it up. Throws LiveError with the fix on failure.
#include <string>
#include <vector>

#include "base/ipv4_address.hpp"

namespace netstep::live {

// Assigns `address` (address and netmask) to `interface` and sets it UP.
void configure_kernel_interface(const std::string& interface, Ipv4Cidr address);
// Sets `interface` UP without touching its addresses.
void bring_up_kernel_interface(const std::string& interface);
// The interfaces that exist, for "no such interface" messages.
[[nodiscard]] std::vector<std::string> existing_interfaces();
// "eth0, lo, wlan0" (or "none").
[[nodiscard]] std::string list_of(const std::vector<std::string>& names);

}  // namespace netstep::live
