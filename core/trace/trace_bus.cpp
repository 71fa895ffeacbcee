#include "trace/trace_bus.hpp"

#include <algorithm>

namespace netstep {

void TraceBus::attach(TraceSink& sink) {
  if (std::find(sinks_.begin(), sinks_.end(), &sink) == sinks_.end()) sinks_.push_back(&sink);
}

void TraceBus::detach(TraceSink& sink) { std::erase(sinks_, &sink); }

void TraceBus::emit(std::string_view host, Layer layer, TracePayload payload, Bytes frame) {
  const TraceEvent event{next_sequence_++, clock_->now(), host, layer, std::move(payload), frame};
  for (TraceSink* sink : sinks_) sink->receive(event);
}

}  // namespace netstep
