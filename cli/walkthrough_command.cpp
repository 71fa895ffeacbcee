#include "walkthrough_command.hpp"

#include <iostream>

#include "ping_command.hpp"

namespace netstep::cli {

namespace {

struct Chapter {
  const char* title;
  const char* watch_for;
  const char* destination;
  int count;
};

constexpr Chapter chapters[] = {
    {"1. A neighbour on the same network",
     "The client knows 10.0.0.2 is on its own /24, but not its MAC address. Watch the ARP\n"
     "   who-has go out as a broadcast, the server learn the client (STALE) and answer with\n"
     "   is-at, the client's entry go INCOMPLETE -> REACHABLE, and only then the first echo\n"
     "   request leave. The second and third requests need no ARP: compare the times.",
     "10.0.0.2", 3},
    {"2. A host behind a router",
     "10.0.1.2 is not on the client's network, so the packet goes to the default gateway\n"
     "   10.0.0.254: the client ARPs for the router, not for 10.0.1.2. The router ARPs on its\n"
     "   other side, forwards, and the reply comes back with TTL 63: one hop used up.",
     "10.0.1.2", 2},
    {"3. A host that does not exist",
     "Nobody has 10.0.0.77. The client sends three ARP requests one second apart (Linux's\n"
     "   schedule), gives up at 3 s (FAILED), and reports \"destination host unreachable\" to\n"
     "   itself for every waiting packet: the same path a connect() takes to EHOSTUNREACH.",
     "10.0.0.77", 1},
};

}  // namespace

void add_walkthrough_command(CLI::App& app, int& exit_code) {
  CLI::App* walkthrough = app.add_subcommand(
      "walkthrough", "Three narrated pings on the simulated network: a neighbour, a router, a missing host");
  walkthrough->callback([&exit_code] {
    exit_code = exit_ok;
    for (const Chapter& chapter : chapters) {
      std::cout << "\n=== " << chapter.title << " ===\n   " << chapter.watch_for << "\n\n";
      PingOptions options;
      options.destination = chapter.destination;
      options.count = chapter.count;
      const int code = run_ping(options, std::cout, std::cerr);
      // The missing host is supposed to fail; anything else failing is a bug.
      const bool expected_failure = std::string_view{chapter.destination} == "10.0.0.77";
      if ((code != exit_ok) != expected_failure) exit_code = exit_expectation_failed;
    }
  });
}

}  // namespace netstep::cli
