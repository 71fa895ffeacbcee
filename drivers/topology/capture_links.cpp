#include "topology/capture_links.hpp"

#include <string>

#include "sim/sim_nic.hpp"

namespace netstep::topology {

std::vector<capture::CaptureLink> capture_links(const sim::Network& network) {
  std::vector<capture::CaptureLink> links;
  for (const auto& link : network.links()) {
    capture::CaptureLink captured{link->name(), {}};
    for (const sim::Side side : {sim::Side::A, sim::Side::B}) {
      // A switch port is not a host interface: its frames are the hosts'.
      if (const auto* nic = dynamic_cast<const sim::SimNic*>(&link->endpoint(side))) {
        captured.ends.push_back({nic->host(), std::string{nic->name()}});
      }
    }
    links.push_back(std::move(captured));
  }
  return links;
}

}  // namespace netstep::topology
