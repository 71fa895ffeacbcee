#pragma once
// The simulated network: owns every NIC, switch and link of a topology and
// gives each link direction its own random stream forked from one seed, so
// the same topology and seed replay the same run, frame for frame.
//
// Objects live until the Network is destroyed and never move, so hosts may
// keep references to their NICs. Destroy the Network before the EventLoop
// and the TraceBus it was given.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/mac_address.hpp"
#include "base/random.hpp"
#include "event/event_loop.hpp"
#include "sim/frame_rule.hpp"
#include "sim/impairments.hpp"
#include "sim/link.hpp"
#include "sim/sim_nic.hpp"
#include "sim/switch.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::sim {

class Network {
 public:
  Network(EventLoop& loop, TraceBus& bus, std::uint64_t seed);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;
  ~Network();

  // Throws std::invalid_argument if host.name already exists or mtu < 68
  // (the smallest MTU IPv4 allows, RFC 791).
  SimNic& add_nic(std::string host, std::string name, MacAddress mac, std::size_t mtu = 1500);
  // Throws std::invalid_argument for a duplicate name, no ports, or mtu < 68.
  Switch& add_switch(std::string name, std::size_t ports, std::size_t mtu = 1500);
  // A cable from a to b (a NIC or sw.port(i)); config.name defaults to
  // "link<N>". Throws std::invalid_argument for an invalid config, a
  // duplicate name, or an endpoint that already has a cable.
  Link& connect(LinkEndpoint& a, LinkEndpoint& b, LinkConfig config = {});

  void add_rule(Link& link, Direction direction, FrameRule rule) { link.add_rule(direction, std::move(rule)); }
  void add_rule(Switch& sw, std::size_t port, FrameRule rule, PortDirection where = PortDirection::Ingress) {
    sw.add_rule(port, std::move(rule), where);
  }

  // Look-ups by name; nullptr when absent.
  [[nodiscard]] SimNic* find_nic(std::string_view host, std::string_view name) const;
  [[nodiscard]] Switch* find_switch(std::string_view name) const;
  [[nodiscard]] Link* find_link(std::string_view name) const;

  [[nodiscard]] const std::vector<std::unique_ptr<SimNic>>& nics() const { return nics_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Switch>>& switches() const { return switches_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Link>>& links() const { return links_; }

  [[nodiscard]] EventLoop& loop() const { return *loop_; }
  [[nodiscard]] std::uint64_t seed() const { return seed_; }

 private:
  EventLoop* loop_;
  TraceBus* bus_;
  std::uint64_t seed_;
  Random root_;
  // Declaration order matters for destruction: links unplug NICs and ports.
  std::vector<std::unique_ptr<SimNic>> nics_;
  std::vector<std::unique_ptr<Switch>> switches_;
  std::vector<std::unique_ptr<Link>> links_;
};

}  // namespace netstep::sim
