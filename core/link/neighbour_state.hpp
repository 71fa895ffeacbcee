#pragma once
// Neighbour (ARP cache entry) states, named and sequenced as Linux's
// neighbour subsystem does (RFC 4861 section 7.3.2 defines the same machine
// for IPv6; Linux applies it to ARP too):
//
//   INCOMPLETE --reply--> REACHABLE --reachable time--> STALE --used--> DELAY
//       |                     ^                           |              |
//   N requests unanswered     +---------reply-------------+--------- PROBE
//       v                                                                |
//     FAILED <----------------- N unicast probes unanswered -------------+
#include <cstdint>
#include <string_view>

namespace netstep {

enum class NeighbourState : std::uint8_t { None, Incomplete, Reachable, Stale, Delay, Probe, Failed };

[[nodiscard]] constexpr std::string_view to_string(NeighbourState s) {
  switch (s) {
    case NeighbourState::None: return "NONE";
    case NeighbourState::Incomplete: return "INCOMPLETE";
    case NeighbourState::Reachable: return "REACHABLE";
    case NeighbourState::Stale: return "STALE";
    case NeighbourState::Delay: return "DELAY";
    case NeighbourState::Probe: return "PROBE";
    case NeighbourState::Failed: return "FAILED";
  }
  return "?";
}

}  // namespace netstep
