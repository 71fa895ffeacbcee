#pragma once
// What a capture writer needs to know of a simulated network: every cable,
// named as the network names it, with the host interfaces plugged into it.
// The writers (drivers/capture) know nothing of the simulated wire, so the
// CLI and the tests describe it to them with this.
#include <vector>

#include "capture/capture_topology.hpp"
#include "sim/network.hpp"

namespace netstep::topology {

[[nodiscard]] std::vector<capture::CaptureLink> capture_links(const sim::Network& network);

}  // namespace netstep::topology
