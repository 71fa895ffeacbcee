#pragma once
// What a debug session steps through: a world (hosts, links, the programs
// they run) that a factory builds on the loop and bus it is given. The
// session calls the factory again to go back in time, so the factory must
// build the same world every time (same scenario, seed, personality).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "event/event_loop.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::debug {

class DebugWorld {
 public:
  virtual ~DebugWorld() = default;
  // The hosts, left to right, as the trace names them: the diagram's lifelines.
  [[nodiscard]] virtual std::vector<std::string> hosts() const = 0;
  // Whether the loop event due at `next_at` may run (a scenario's limits);
  // false ends the run.
  [[nodiscard]] virtual bool may_run(std::optional<Instant> next_at) const { return next_at.has_value(); }
};

// Builds the world on `loop`, tracing to `bus`; nothing runs yet. The world
// is destroyed before the bus and the loop.
using WorldFactory = std::function<std::unique_ptr<DebugWorld>(EventLoop& loop, TraceBus& bus)>;

}  // namespace netstep::debug
