#pragma once
// `netstep lab open N`: the debugger on one of the lab's scenarios (or a
// program run) at its first step or at trace event #EVENT. With a display
// (DISPLAY or WAYLAND_DISPLAY) and no --text it becomes netstep-gui, found
// beside this binary; else the `netstep debug` REPL runs in the terminal.
#include <iosfwd>

#include "lab_command.hpp"

namespace netstep::cli {

// Throws lab::LabInputError for bad input.
int open_lab(const LabOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace netstep::cli
