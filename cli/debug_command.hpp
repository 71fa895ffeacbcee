#pragma once
// `netstep debug FILE`: steps through a scenario under one personality,
// reading commands from standard input (one a line, so a script can be
// piped in) and printing what the debug session and the view models show.
// docs/debugger.md describes every command. Exit 0 after `q` or the end of
// the input, 2 for bad input (a broken file, an unknown personality, a
// --break that does not parse).
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "debug/breakpoint.hpp"
#include "debug/debug_world.hpp"

namespace netstep::cli {

struct DebugOptions {
  std::string file;
  std::string personality;  // empty: the file's first
  std::vector<std::string> breaks;
  std::optional<std::uint64_t> at;  // --at N: start at trace event #N
};

void add_debug_command(CLI::App& app, DebugOptions& options, int& exit_code);
int debug_scenario_file(const DebugOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// The REPL on any world (a scenario's, a lab program's run): `title` is the
// first line's name for it; `breaks` and `at` as the options say. Returns
// the exit code; a --break that does not parse is bad input.
int debug_world(const debug::WorldFactory& factory, const std::string& title, const std::vector<std::string>& breaks,
                std::optional<std::uint64_t> at, std::istream& in, std::ostream& out, std::ostream& err);

// A breakpoint from its command-line spelling: state:SYN-SENT, state:any,
// state:ESTABLISHED@server, return:ECONNREFUSED, return:111,
// timer:retransmission, timer:any. nullptr if it does not parse.
[[nodiscard]] std::unique_ptr<debug::Breakpoint> parse_breakpoint(const std::string& spec);

}  // namespace netstep::cli
