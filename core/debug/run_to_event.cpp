#include "debug/run_to_event.hpp"

#include <string>

namespace netstep::debug {

namespace {

bool past(const DebugSession& session, std::uint64_t sequence) {
  const auto history = session.history();
  return !history.empty() && history.back().sequence >= sequence;
}

}  // namespace

Stop run_to_event(DebugSession& session, std::uint64_t sequence) {
  // Going forward one trace event at a time from the start keeps the
  // session's own bookkeeping (positions, listeners) exactly as stepping does.
  if (past(session, sequence)) (void)session.restart();
  Stop stop;
  stop.kind = Stop::Kind::Position;
  while (!past(session, sequence)) {
    if (session.at_end()) {
      stop.kind = Stop::Kind::End;
      stop.why = "event #" + std::to_string(sequence) + " is past the end of the run (its last event is #" +
                 (session.history().empty() ? std::string{"none"} : std::to_string(session.history().back().sequence)) +
                 "): stopped at the end";
      if (!session.history().empty()) stop.event = session.history().back().sequence;
      return stop;
    }
    (void)session.step_into();
  }
  stop.event = session.history().back().sequence;
  stop.why = "at event #" + std::to_string(*stop.event);
  return stop;
}

}  // namespace netstep::debug
