#include "scenario/debug_world.hpp"

namespace netstep::scenario {

std::vector<std::string> ScenarioDebugWorld::hosts() const { return play_.world().host_names(); }

debug::WorldFactory debug_world_factory(std::shared_ptr<const Scenario> scenario, socket::PersonalityId personality) {
  return [scenario = std::move(scenario), personality](EventLoop& loop, TraceBus& bus) -> std::unique_ptr<debug::DebugWorld> {
    return std::make_unique<ScenarioDebugWorld>(*scenario, personality, loop, bus);
  };
}

}  // namespace netstep::scenario
