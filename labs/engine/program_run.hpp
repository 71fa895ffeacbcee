#pragma once
// One run of a program in a child process of its own (fork): a crash, an
// abort, exit() or a program that never comes back ends the child, not the
// checker. The outcome comes back over a pipe as JSON.
#include <chrono>
#include <filesystem>
#include <string>

#include "program_world.hpp"

namespace netstep::lab {

// `setup.library` is ignored: the child loads `shared_object` itself.
[[nodiscard]] ProgramOutcome run_program_forked(ProgramRunSetup setup, const std::filesystem::path& shared_object);

// The outcome as JSON and back (the pipe's format).
[[nodiscard]] std::string outcome_to_json(const ProgramOutcome& outcome);
[[nodiscard]] ProgramOutcome outcome_from_json(const std::string& text);

}  // namespace netstep::lab
