#pragma once
// The command loop of `netstep debug`: one command a line from `in`, the
// session's answers and views as text on `out`.
#include <iosfwd>
#include <string>

#include "debug/debug_session.hpp"

namespace netstep::cli {

// Returns when `q` is read or the input ends. `echo`: print each command
// after the prompt (the input is a script, not a terminal).
// What `where` prints: the position, the time, the current loop event's
// trace events and the layer strip.
[[nodiscard]] std::string where_text(const debug::DebugSession& session);

void debug_repl(debug::DebugSession& session, std::istream& in, std::ostream& out, bool echo);

}  // namespace netstep::cli
