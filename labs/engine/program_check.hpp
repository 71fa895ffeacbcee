#pragma once
// Checking a student's lab program: the lab folder's program.yaml names
// runs (a scenario, the host the program plays, its argument, the
// personalities, what must come out); each run and personality becomes one
// CheckResult. The program is a C or C++ file (compiled here with the
// system's compiler) or a shared object already built.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "debug/debug_world.hpp"
#include "lab_report.hpp"
#include "socket/personality.hpp"

namespace netstep::lab {

struct ProgramCheckOptions {
  std::chrono::milliseconds wall_limit{10000};  // one run's real time, then it is stopped
  std::string open_command_prefix;               // "netstep lab open 6": the debug commands start with it
};

// Whether the lab folder has a program task (a program.yaml).
[[nodiscard]] bool has_program_task(const std::filesystem::path& lab_dir);
// The starter's file name ("connect_loop.c"): what a submission's program is called.
[[nodiscard]] std::string program_file_name(const std::filesystem::path& lab_dir);

// Compiles (if needed) and runs `program` in every run of the lab's
// program.yaml under every personality it names. Throws LabInputError if
// program.yaml is broken or `program` does not exist; a program that does
// not compile, crashes or never returns is a failed check, not an error.
[[nodiscard]] std::vector<CheckResult> check_program(const std::filesystem::path& lab_dir,
                                                     const std::filesystem::path& program,
                                                     const ProgramCheckOptions& options = {});

// The run `run_name` of the lab with `program` playing its host, as a debug
// session's world (the debugger re-runs it from the start to go back).
[[nodiscard]] debug::WorldFactory program_world_factory(const std::filesystem::path& lab_dir,
                                                        const std::string& run_name,
                                                        const std::filesystem::path& program,
                                                        socket::PersonalityId personality);

}  // namespace netstep::lab
