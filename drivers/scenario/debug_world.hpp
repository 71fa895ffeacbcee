#pragma once
// A scenario as a debug session's world: the factory that builds its
// network and spawns its hosts' steps on the loop and bus the session
// gives it, within the scenario's limits (time, events).
#include <memory>

#include "debug/debug_world.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scenario_runner.hpp"
#include "scenario/scenario_world.hpp"

namespace netstep::scenario {

class ScenarioDebugWorld final : public debug::DebugWorld {
 public:
  ScenarioDebugWorld(const Scenario& scenario, socket::PersonalityId personality, EventLoop& loop, TraceBus& bus)
      : play_{scenario, personality, loop, bus} {}
  [[nodiscard]] std::vector<std::string> hosts() const override;
  [[nodiscard]] bool may_run(std::optional<Instant> next_at) const override { return play_.within_limits(next_at); }
  [[nodiscard]] ScenarioPlay& play() { return play_; }

 private:
  mutable ScenarioPlay play_;  // world() is not const; hosts() only reads names
};

// Each call builds the same world afresh (the scenario is shared, not copied).
[[nodiscard]] debug::WorldFactory debug_world_factory(std::shared_ptr<const Scenario> scenario,
                                                      socket::PersonalityId personality);

}  // namespace netstep::scenario
