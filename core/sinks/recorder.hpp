#pragma once
// Keeps every event in memory, with a copy of its frame: what tests, the
// checkers and (later) the GUI's view models read.
//
// The text inside payloads (reasons, state names, interface names) is
// static or owned by the hosts and links of the run; a recording is valid
// while they exist. To keep a run beyond that, write it as JSON Lines.
#include <cstddef>
#include <string>
#include <vector>

#include "trace/trace_bus.hpp"

namespace netstep {

struct RecordedEvent {
  std::uint64_t sequence = 0;
  Instant time;
  std::string host;
  Layer layer = Layer::Loop;
  TracePayload payload;
  std::vector<std::byte> frame;

  template <class Payload>
  [[nodiscard]] const Payload* as() const {
    return std::get_if<Payload>(&payload);
  }
};

class Recorder final : public TraceSink {
 public:
  void receive(const TraceEvent& event) override;

  [[nodiscard]] const std::vector<RecordedEvent>& events() const { return events_; }
  void clear() { events_.clear(); }

  // Every payload of one type, in order (e.g. all<PingReply>()).
  template <class Payload>
  [[nodiscard]] std::vector<const RecordedEvent*> all() const {
    std::vector<const RecordedEvent*> found;
    for (const auto& e : events_) {
      if (e.as<Payload>() != nullptr) found.push_back(&e);
    }
    return found;
  }

 private:
  std::vector<RecordedEvent> events_;
};

}  // namespace netstep
