#pragma once
// What the debug tests share: a scenario from labs/scenarios as a session's
// world, and the same scenario's trace run straight through, as text (the
// recorded payloads point into a world that is gone once the run ends).
#include <memory>
#include <string>
#include <vector>

#include "debug/debug_session.hpp"
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"
#include "sinks/narrative_sink.hpp"

namespace netstep::debug::test {

// "#12 client tcp tcp_state: CLOSED -> SYN-SENT ...": one event, all it says.
inline std::string line_of(const TraceEvent& e) {
  return "#" + std::to_string(e.sequence) + " " + std::string{e.host} + " " + std::string{to_string(e.layer)} + " " +
         std::string{kind_of(e.payload)} + ": " + narrate(e, NarrativeOptions::Detail::Full);
}

inline std::vector<std::string> lines_of(std::span<const RecordedEvent> events) {
  std::vector<std::string> out;
  for (const RecordedEvent& e : events) out.push_back(line_of(as_trace_event(e)));
  return out;
}

inline std::shared_ptr<const scenario::Scenario> lab(const std::string& name) {
  return std::make_shared<const scenario::Scenario>(scenario::load_scenario_file("labs/scenarios/" + name + ".yaml"));
}

inline WorldFactory lab_world(const std::string& name, socket::PersonalityId p = socket::PersonalityId::Linux) {
  return scenario::debug_world_factory(lab(name), p);
}

struct Lines final : TraceSink {
  std::vector<std::string> lines;
  void receive(const TraceEvent& e) override { lines.push_back(line_of(e)); }
};

// The whole trace of the scenario, run as `netstep run` runs it.
inline std::vector<std::string> straight_run(const std::string& name,
                                             socket::PersonalityId p = socket::PersonalityId::Linux) {
  const auto s = lab(name);
  EventLoop loop;
  TraceBus bus{loop};
  Lines lines;
  bus.attach(lines);
  (void)scenario::run_scenario(*s, p, loop, bus);
  bus.detach(lines);
  return lines.lines;
}

// The index of the first line containing every one of `parts`, or -1.
inline long first_with(const std::vector<std::string>& lines, std::initializer_list<std::string_view> parts) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    bool all = true;
    for (std::string_view p : parts) all = all && lines[i].find(p) != std::string::npos;
    if (all) return static_cast<long>(i);
  }
  return -1;
}

}  // namespace netstep::debug::test
