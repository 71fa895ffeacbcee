#pragma once
// `netstep walkthrough`: the first thing a student runs. Six runs on the
// default network, each introduced by what to watch for: three narrated
// pings, then a connection, a refused connect and a silent host drawn as
// sequence diagrams; optionally each one's frames as a pcapng file.
#include <iosfwd>
#include <string>

#include "CLI/CLI.hpp"

namespace netstep::cli {

// `capture_directory` receives --captures.
void add_walkthrough_command(CLI::App& app, std::string& capture_directory, int& exit_code);
// Exit 0 when every chapter behaved as described, 1 when one did not, 2 if
// a capture cannot be written. No directory: no captures.
int run_walkthrough(const std::string& capture_directory, std::ostream& out, std::ostream& err);

}  // namespace netstep::cli
