#pragma once
// What the scenario tests share: a scenario's loader error, and one run of
// it, both from YAML text named t.yaml.
#include <string>

#include "event/event_loop.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_runner.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::scenario::test {

// The loader's error for `text`, or "" if it loads.
inline std::string error_of(const std::string& text) {
  try {
    (void)load_scenario_text(text, "t.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return {};
}

inline RunReport run(const std::string& text, socket::PersonalityId p = socket::PersonalityId::Linux) {
  const Scenario s = load_scenario_text(text, "t.yaml");
  EventLoop loop;
  TraceBus bus{loop};
  return run_scenario(s, p, loop, bus);
}

}  // namespace netstep::scenario::test
