#pragma once
// One scenario run under one personality, kept for trace queries: every
// trace event with its fields as owned text (the run's hosts and links are
// gone when the queries read it), numbered exactly as `netstep debug`
// numbers them (the same world, built the same way on a fresh loop and bus
// with the recorder attached first), plus each socket call's duration from
// the run report.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/time.hpp"
#include "scenario/scenario.hpp"
#include "socket/personality.hpp"

namespace netstep::lab {

struct TracedEvent {
  std::uint64_t sequence = 0;
  Instant time;
  std::string host;
  std::string layer;
  std::string kind;
  std::map<std::string, std::string> fields;  // as the JSON Lines trace writes them
  std::vector<std::byte> frame;
  std::optional<Duration> call_duration;  // socket_call: how long the call took
  [[nodiscard]] std::string field(const std::string& name) const;  // "" if absent
  [[nodiscard]] std::int64_t integer(const std::string& name) const;  // 0 if absent
};

struct RunTrace {
  std::string scenario_name;
  socket::PersonalityId personality{};
  std::vector<TracedEvent> events;
  std::map<std::string, std::vector<Ipv4Address>> host_addresses;  // from the topology
};

// Plays `scenario` as `personality` to its end (within its limits).
[[nodiscard]] RunTrace record_run(const scenario::Scenario& scenario, socket::PersonalityId personality);

}  // namespace netstep::lab
