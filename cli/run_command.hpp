#pragma once
// `netstep run FILE`: plays a scenario file (docs/scenario-format.md) under
// one personality or all five, narrated, and checks its expectations.
// Exit 0 when every expectation held, 1 when one failed (with the steps so
// far and what was expected against what was seen), 2 for bad input (a
// broken file, with file:line:column; an output that cannot be written).
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"

namespace netstep::cli {

struct RunOptions {
  std::string file;
  std::string personality;      // empty: the file's; "all" or one name
  std::optional<std::uint64_t> seed;
  std::string pcap_path;        // pcapng (or classic pcap with .pcap); empty: none
  std::string trace_path;       // JSON Lines; empty: none
  std::string junit_path;       // JUnit XML; empty: none
  bool quiet = false;
  bool full = false;
  bool narrate = false;         // narrate every run even with several personalities
  bool diagram = false;         // the narrative as a sequence diagram
  bool absolute = false;       // with --diagram: absolute seq/ack numbers beside the relative ones
};

void add_run_command(CLI::App& app, RunOptions& options, int& exit_code);
int run_scenario_file(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace netstep::cli
