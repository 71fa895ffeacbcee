#include "run_trace.hpp"

#include <charconv>
#include <type_traits>

#include "event/event_loop.hpp"
#include "scenario/scenario_runner.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::lab {

namespace {

// Writes each payload field as the JSON Lines trace does (integers in
// decimal, times and durations in nanoseconds, addresses as text).
struct FieldWriter {
  std::map<std::string, std::string>& out;
  template <class T>
  void operator()(std::string_view name, const T& value) const {
    std::string& slot = out[std::string{name}];
    if constexpr (std::is_same_v<T, std::string_view>) {
      slot = std::string{value};
    } else if constexpr (std::is_same_v<T, bool>) {
      slot = value ? "true" : "false";
    } else if constexpr (std::is_integral_v<T>) {
      slot = std::to_string(value);
    } else if constexpr (std::is_same_v<T, Instant>) {
      slot = std::to_string(to_ns(value));
    } else if constexpr (std::is_same_v<T, Duration>) {
      slot = std::to_string(value.count());
    } else {
      slot = value.to_string();
    }
  }
};

// Copies every event as it is emitted: the payload's views point into the
// run's hosts and links, which are gone once the run is over.
class OwningSink final : public TraceSink {
 public:
  explicit OwningSink(std::vector<TracedEvent>& events) : events_{events} {}
  void receive(const TraceEvent& event) override {
    TracedEvent e;
    e.sequence = event.sequence;
    e.time = event.time;
    e.host = std::string{event.host};
    e.layer = std::string{to_string(event.layer)};
    e.kind = std::string{kind_of(event.payload)};
    std::visit([&e](const auto& payload) { payload.fields(FieldWriter{e.fields}); }, event.payload);
    e.frame.assign(event.frame.begin(), event.frame.end());
    events_.push_back(std::move(e));
  }

 private:
  std::vector<TracedEvent>& events_;
};

}  // namespace

std::string TracedEvent::field(const std::string& name) const {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string{} : it->second;
}

std::int64_t TracedEvent::integer(const std::string& name) const {
  const std::string s = field(name);
  std::int64_t value = 0;
  (void)std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

RunTrace record_run(const scenario::Scenario& scenario, socket::PersonalityId personality) {
  RunTrace trace;
  trace.scenario_name = scenario.name;
  trace.personality = personality;
  for (const auto& host : scenario.topology.hosts) {
    for (const auto& interface : host.interfaces) trace.host_addresses[host.name].push_back(interface.address.address());
  }
  scenario::RunReport report;
  {
    // As DebugSession::build does: a fresh loop and bus, the sink attached
    // before the world is built, so the sequence numbers agree.
    EventLoop loop;
    TraceBus bus{loop};
    OwningSink sink{trace.events};
    bus.attach(sink);
    report = scenario::run_scenario(scenario, personality, loop, bus);
    bus.detach(sink);
  }
  // A call's duration: the step that returned on that host at that time.
  for (TracedEvent& e : trace.events) {
    if (e.kind != "socket_call") continue;
    for (const auto& step : report.steps) {
      if (step.returned && step.is_call && step.host == e.host && step.returned_at == e.time && step.step != nullptr &&
          scenario::to_string(step.step->call) == e.field("call")) {
        e.call_duration = step.returned_at - step.started_at;
        break;
      }
    }
  }
  return trace;
}

}  // namespace netstep::lab
