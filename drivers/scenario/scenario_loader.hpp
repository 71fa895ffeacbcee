#pragma once
// Reads a scenario file (YAML, docs/scenario-format.md) into a Scenario,
// checking everything before anything runs: unknown keys, wrong types, bad
// addresses, hosts and links that do not exist, sockets used before they
// are made, an address outside every subnet. The first mistake throws a
// ScenarioError that says where (file:line:column), what was found and
// what was expected.
#include <stdexcept>
#include <string>
#include <string_view>

#include "scenario/scenario.hpp"

namespace netstep::scenario {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(SourceMark mark, const std::string& problem)
      : std::runtime_error{mark.where() + ": " + problem}, mark_{std::move(mark)} {}
  [[nodiscard]] const SourceMark& mark() const { return mark_; }

 private:
  SourceMark mark_;
};

// Throws ScenarioError (an unreadable file is reported at file:1:1).
[[nodiscard]] Scenario load_scenario_file(const std::string& path);
// `file` names the text in messages.
[[nodiscard]] Scenario load_scenario_text(std::string_view text, const std::string& file);

// The network every early lab uses (drivers/topology/default_topology.hpp),
// as a scenario topology: client, server, router, remote; switch lan; links
// client-lan, server-lan, router-lan, wan.
[[nodiscard]] TopologySpec default_topology_spec();

}  // namespace netstep::scenario
