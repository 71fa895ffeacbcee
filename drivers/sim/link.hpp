#pragma once
// A point-to-point cable between two endpoints (NIC-NIC, NIC-switch port,
// switch-switch). Each direction has its own impairments, rules, random
// stream and counters. A frame on the cable is a pooled buffer plus one
// event-loop event at its arrival time; nothing else is allocated per frame.
//
// Per frame, in this order: rules (drop / reject), serialisation at
// bits_per_second (FIFO), loss, duplication, then per copy corruption,
// delay + jitter, and reordering. Without reordering, arrivals keep the
// order of sending even under jitter (each is clamped to the one before).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/random.hpp"
#include "event/event_loop.hpp"
#include "sim/frame_pool.hpp"
#include "sim/impairments.hpp"
#include "sim/link_endpoint.hpp"
#include "sim/reject.hpp"
#include "sim/rule_set.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::sim {

enum class Direction : std::uint8_t { AtoB, BtoA };

struct LinkCounters {
  std::uint64_t sent = 0;              // frames offered to this direction
  std::uint64_t delivered = 0;         // copies handed to the far end (duplicates included)
  std::uint64_t dropped_by_loss = 0;
  std::uint64_t dropped_by_rule = 0;   // dropped or rejected by a rule
  std::uint64_t dropped_oversize = 0;  // larger than the link's buffers
  std::uint64_t replies_sent = 0;      // ICMP errors / RSTs sent back by reject rules
  std::uint64_t corrupted = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t reordered = 0;
  std::uint64_t in_flight = 0;         // on the cable now
};

class Link {
 public:
  // Plugs both endpoints in; throws std::invalid_argument if the config is
  // invalid, either endpoint is already plugged, or a == b. Prefer
  // Network::connect(), which names the link and seeds its random streams.
  Link(EventLoop& loop, TraceBus& bus, std::string name, LinkEndpoint& a, LinkEndpoint& b, const LinkConfig& config,
       Random a_to_b, Random b_to_a);
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  // Unplugs both ends; frames still on the cable are lost.
  ~Link();

  // Called by endpoints (through LinkEndpoint::send_to_link).
  void send_from(Side side, Bytes frame);

  void add_rule(Direction direction, FrameRule rule) { state(direction).rules.add(std::move(rule)); }
  // Replaces a direction's impairments from now on (validated; throws).
  void set_impairments(Direction direction, const Impairments& impairments);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] LinkEndpoint& endpoint(Side side) const { return side == Side::A ? *a_ : *b_; }
  [[nodiscard]] const Impairments& impairments(Direction d) const { return state(d).impairments; }
  [[nodiscard]] const LinkCounters& counters(Direction d) const { return state(d).counters; }
  [[nodiscard]] const RuleSet& rules(Direction d) const { return state(d).rules; }
  [[nodiscard]] std::uint64_t bits_per_second() const { return bits_per_second_; }
  // "h1.eth0 -> sw0.p1": the `interface` of this direction's trace events.
  [[nodiscard]] const std::string& label(Direction d) const { return state(d).label; }
  [[nodiscard]] const FramePool& pool() const { return pool_; }

 private:
  struct DirectionState {
    Impairments impairments;
    Random random;
    RuleSet rules;
    LinkCounters counters;
    std::string label;
    Instant busy_until{};    // the wire is serialising until then
    Instant last_arrival{};  // FIFO clamp for frames not reordered
  };
  struct InFlight {
    EventLoop::EventId event;
    Direction direction = Direction::AtoB;
  };

  DirectionState& state(Direction d) { return directions_[static_cast<std::size_t>(d)]; }
  const DirectionState& state(Direction d) const { return directions_[static_cast<std::size_t>(d)]; }
  Tracer tracer() const { return Tracer{*bus_, name_}; }

  // After the rules: the cable's own behaviour.
  void send_on_wire(Direction direction, Bytes frame);
  void schedule_copy(Direction direction, Bytes frame, Instant departure);
  void receive_at_far_end(FramePool::Index index);

  EventLoop* loop_;
  TraceBus* bus_;
  std::string name_;
  LinkEndpoint* a_;
  LinkEndpoint* b_;
  std::uint64_t bits_per_second_;
  std::array<DirectionState, 2> directions_;
  FramePool pool_;
  std::vector<InFlight> in_flight_;  // by pool index, so the destructor can cancel deliveries
  std::array<std::byte, max_reply_length> reply_{};
};

}  // namespace netstep::sim
