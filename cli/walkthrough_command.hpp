#pragma once
// `netstep walkthrough`: the first thing a student runs. Three narrated
// pings on the default network, each introduced by what to watch for.
#include "CLI/CLI.hpp"

namespace netstep::cli {

void add_walkthrough_command(CLI::App& app, int& exit_code);

}  // namespace netstep::cli
