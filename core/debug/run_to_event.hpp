#pragma once
// "Take me to trace event #27": what `netstep debug --at`, `netstep-gui
// --at` and the lab checker's "see it at event #27" commands share. The
// number is the trace sequence the debugger shows (#27).
#include <cstdint>

#include "debug/debug_session.hpp"

namespace netstep::debug {

// Moves the session (from wherever it is) until trace event #`sequence` is
// the last one revealed. An event already revealed goes back to it; one
// past the run's end stops at the end, and the Stop's why says so.
Stop run_to_event(DebugSession& session, std::uint64_t sequence);

}  // namespace netstep::debug
