#pragma once
// The trace as a story a student can read: one line per event, in time
// order, with the host, the layer and what happened in plain words.
//
//   0.000000  client  eth   eth0 sent  ARP who-has 10.0.0.2 tell 10.0.0.1
//   0.000010  server  arp   10.0.0.1 at 02:00:00:00:00:01: NONE -> STALE (ARP request from the neighbour)
#include <ostream>
#include <string>

#include "trace/trace_bus.hpp"

namespace netstep {

struct NarrativeOptions {
  enum class Detail { Brief, BriefAndReceived, Full };
  // Brief: what a student follows (frames sent, state changes, drops,
  // application results). BriefAndReceived: also frames received, for a
  // real wire, where the peer is not one of our hosts and its frames show
  // only as received. Full: also frames received, routes and timers.
  Detail detail = Detail::Brief;
  bool colour = false;  // ANSI colours (the CLI turns them on for a terminal)
  std::size_t width = 0;  // cut lines to this many characters; 0: never
};

class NarrativeSink final : public TraceSink {
 public:
  NarrativeSink(std::ostream& out, NarrativeOptions options) : out_{out}, options_{options} {}
  void receive(const TraceEvent& event) override;

 private:
  std::ostream& out_;
  NarrativeOptions options_;
};

// The text of one event (no time or host columns), or "" if the event is not
// shown at this level of detail.
[[nodiscard]] std::string narrate(const TraceEvent& event, NarrativeOptions::Detail detail);

}  // namespace netstep
