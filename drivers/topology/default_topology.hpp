#pragma once
// The network every `netstep ping` and the first labs run on:
//
//   client 10.0.0.1/24 ----+
//                          |
//   server 10.0.0.2/24 ----+ switch "lan"
//                          |
//   router 10.0.0.254/24 --+  router 10.0.1.254/24 ---- link "wan" ---- remote 10.0.1.2/24
//
// client, server and remote route everything else through the router; the
// router forwards and has no default route, so a destination outside
// 10.0.0.0/23 earns an ICMP "net unreachable" from it. LAN cables take 50 us
// each way, the WAN link 1 ms, so crossing the router is visibly slower.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "event/event_loop.hpp"
#include "host/host.hpp"
#include "sim/network.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::topology {

struct DefaultTopologyOptions {
  std::uint64_t seed = 1;
  double loss = 0.0;  // probability each frame is lost, on every cable, both ways
  Duration lan_delay = 50us;
  Duration wan_delay = 1ms;
};

class DefaultTopology {
 public:
  // Throws std::invalid_argument for impossible options (loss outside [0, 1]).
  DefaultTopology(EventLoop& loop, TraceBus& bus, DefaultTopologyOptions options = {});

  Host& client() { return *hosts_[0]; }
  Host& server() { return *hosts_[1]; }
  Host& router() { return *hosts_[2]; }
  Host& remote() { return *hosts_[3]; }
  [[nodiscard]] const std::vector<std::unique_ptr<Host>>& hosts() const { return hosts_; }
  sim::Network& network() { return network_; }

  // One line per host and link, for the top of a walkthrough.
  [[nodiscard]] static std::string_view diagram();

 private:
  sim::Network network_;  // destroyed after the hosts, which hold its NICs
  std::vector<std::unique_ptr<Host>> hosts_;
};

}  // namespace netstep::topology
