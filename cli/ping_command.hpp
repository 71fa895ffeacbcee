#pragma once
// `netstep ping`: one ping on the default simulated topology, narrated.
#include <cstdint>
#include <iosfwd>
#include <string>

#include "CLI/CLI.hpp"
#include "app/ping.hpp"
#include "host/host.hpp"
#include "live_wire.hpp"
#include "sinks/narrative_sink.hpp"

namespace netstep::cli {

struct PingOptions {
  std::string destination;
  int count = 3;
  double loss = 0.0;
  std::uint64_t seed = 1;
  std::size_t size = 56;
  int ttl = 0;
  double interval_seconds = 1.0;
  std::string trace_path;  // JSON Lines; empty: none
  std::string capture_path;  // pcapng, or classic pcap when it ends in .pcap; empty: none
  bool full = false;       // narrate every event, not just the story
  bool quiet = false;      // statistics only
  ViaOptions via;          // a real wire instead of the simulated network
};

// Exit codes (docs/cli.md): 0 some reply came back, 1 none did, 2 bad input.
enum ExitCode : int { exit_ok = 0, exit_expectation_failed = 1, exit_bad_input = 2 };

void add_ping_command(CLI::App& app, PingOptions& options, int& exit_code);
int run_ping(const PingOptions& options, std::ostream& out, std::ostream& err);
// The same on a real wire (--via), in wall-clock time (live_ping.cpp).
int run_live_ping(Ipv4Address destination, const PingOptions& options, std::ostream& out, std::ostream& err);

// Shared by both: Linux ping's closing lines, and a host's ARP cache.
void print_statistics(std::ostream& out, const Ping& ping, Duration elapsed);
void print_arp_cache(std::ostream& out, Host& host);

}  // namespace netstep::cli
