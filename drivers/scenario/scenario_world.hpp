#pragma once
// One scenario's network, built for one personality: the simulated wire
// (switches, cables, impairments, rules), the hosts with their addresses
// and routes, a socket API on every host that has socket steps, and a
// scripted peer in place of TCP on every host marked tcp: scripted. The caller
// owns the event loop and the trace bus, and destroys the world first.
#include <memory>
#include <string>
#include <vector>

#include "event/event_loop.hpp"
#include "event/task.hpp"
#include "host/host.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scripted_peer.hpp"
#include "sim/network.hpp"
#include "socket/socket_api.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::scenario {

class ScenarioWorld {
 public:
  // Throws ScenarioError if the network cannot be built as written (a
  // mistake the loader's checks did not catch, e.g. a bad impairment).
  ScenarioWorld(const Scenario& scenario, socket::PersonalityId personality, EventLoop& loop, TraceBus& bus);
  ~ScenarioWorld();
  ScenarioWorld(const ScenarioWorld&) = delete;
  ScenarioWorld& operator=(const ScenarioWorld&) = delete;

  [[nodiscard]] Host& host(std::string_view name);
  // The socket API of a host with steps (nullptr for the others).
  [[nodiscard]] socket::SocketApi* sockets(std::string_view host);
  // The peer that plays a scripted host's TCP (nullptr for the others).
  [[nodiscard]] ScriptedTcpPeer* scripted_peer(std::string_view host);
  // The personality a host's sockets answer as.
  [[nodiscard]] socket::PersonalityId personality_of(std::string_view host) const;
  TaskRunner& tasks() { return tasks_; }
  sim::Network& network() { return network_; }
  // Lifelines, left to right: the hosts in the order the file lists them.
  [[nodiscard]] std::vector<std::string> host_names() const;

 private:
  struct HostEntry {
    std::string name;
    socket::PersonalityId personality;
    std::unique_ptr<ScriptedTcpPeer> peer;  // before the host: the host's IPv4 points to it until it goes
    std::unique_ptr<Host> host;
    std::unique_ptr<socket::SocketApi> api;
  };
  TaskRunner tasks_;
  sim::Network network_;  // destroyed after the hosts, which hold its NICs
  std::vector<HostEntry> hosts_;
};

}  // namespace netstep::scenario
