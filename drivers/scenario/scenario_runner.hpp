#pragma once
// Plays a scenario under one personality: every host's steps run as one
// task on the event loop (a blocking call suspends it, in virtual time),
// each call's return is checked against its expectation as it comes back,
// and the segment expectations are counted from the trace at the end. The
// run is bounded by the scenario's limits (virtual time, events), so a
// scenario that never ends says so instead of hanging.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "scenario/scenario.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::scenario {

// One step as it went.
struct StepRecord {
  std::string host;
  const Step* step = nullptr;
  bool returned = false;    // false: still blocked when the run ended, or never reached
  bool started = false;
  bool skipped = false;     // the step is for other personalities ("only:")
  Instant started_at{};
  Instant returned_at{};
  bool is_call = false;     // a socket call with a CallResult (not wait, state)
  bool ok = true;
  std::string result;       // "-1, errno ECONNREFUSED (111)"; a state step: the state
  std::string short_result; // "ECONNREFUSED", "0", "-128 ENOTCONN": for tables
  std::string explanation;  // the one sentence of CallResult::explain()
  std::vector<std::string> failures;  // each expectation that did not hold, as "expected X, got Y"
};

struct RunReport {
  socket::PersonalityId personality{};
  std::vector<StepRecord> steps;           // every host's, in the order the file lists them
  std::vector<std::string> problems;       // failed segment expectations, limits hit, steps left blocked
  Instant ended{};
  std::uint64_t events = 0;
  [[nodiscard]] bool passed() const;
  [[nodiscard]] std::size_t expectations_failed() const;
};

class ScenarioWorld;

// A scenario ready to play: the network built and every host's steps
// spawned as tasks on the loop, nothing run yet. run_scenario drives the
// loop itself; a debugger (drivers/scenario/debug_world.hpp) steps it one
// event at a time instead. Destroy it before the loop and the bus.
class ScenarioPlay {
 public:
  ScenarioPlay(const Scenario& scenario, socket::PersonalityId personality, EventLoop& loop, TraceBus& bus,
               const std::function<void(ScenarioWorld&)>& on_built = {});
  ~ScenarioPlay();
  ScenarioPlay(const ScenarioPlay&) = delete;
  ScenarioPlay& operator=(const ScenarioPlay&) = delete;

  [[nodiscard]] ScenarioWorld& world();
  // Whether the event due at `next_at` may run: there is one, and neither
  // the scenario's time nor its event limit is reached.
  [[nodiscard]] bool within_limits(const std::optional<Instant>& next_at) const;
  // The report of the run so far (limits hit, steps left blocked, segment
  // expectations counted from the trace).
  [[nodiscard]] RunReport finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Runs `scenario` once as `personality` on `loop`, tracing to `bus` (made
// with that loop, with the caller's sinks attached). `on_built` is called
// once the network exists, before anything runs (for sinks that need the
// topology). Throws ScenarioError only if the network cannot be built;
// whatever goes wrong in the run is in the report.
[[nodiscard]] RunReport run_scenario(const Scenario& scenario, socket::PersonalityId personality, EventLoop& loop,
                                     TraceBus& bus, const std::function<void(ScenarioWorld&)>& on_built = {});

}  // namespace netstep::scenario
