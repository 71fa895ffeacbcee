#pragma once
// A real device's own MAC: locally administered unicast (02:xx:...), drawn
// from the run's seed, so it never collides with a vendor's address and two
// runs with one seed look the same in a capture.
#include <cstdint>

#include "base/mac_address.hpp"

namespace netstep::live {

[[nodiscard]] MacAddress local_mac_from_seed(std::uint64_t seed);

}  // namespace netstep::live
