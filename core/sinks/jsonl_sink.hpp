#pragma once
// Writes the trace as JSON Lines: one event per line, the format documented
// (and versioned) in docs/trace-format.md. Byte-identical for the same
// scenario, seed and personality: nothing in a line depends on the machine.
#include <ostream>
#include <string>

#include "trace/trace_bus.hpp"

namespace netstep {

class JsonlSink final : public TraceSink {
 public:
  static constexpr int format_version = 1;

  explicit JsonlSink(std::ostream& out) : out_{out} {}
  void receive(const TraceEvent& event) override;

 private:
  std::ostream& out_;
  std::string line_;  // reused between events
};

// One event as one JSON object (no newline), for the sink and for tests.
void append_json(std::string& out, const TraceEvent& event);

}  // namespace netstep
