#include "sinks/recorder.hpp"

namespace netstep {

void Recorder::receive(const TraceEvent& event) {
  events_.push_back(RecordedEvent{event.sequence, event.time, std::string{event.host}, event.layer, event.payload,
                                  std::vector<std::byte>(event.frame.begin(), event.frame.end())});
}

}  // namespace netstep
