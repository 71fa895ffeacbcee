#include "walkthrough_command.hpp"

#include <iostream>

#include "connect_command.hpp"
#include "ping_command.hpp"

namespace netstep::cli {

namespace {

// One chapter: a title, what to watch for, and the run that shows it.
struct Chapter {
  const char* title;
  const char* watch_for;
  int (*run)(std::ostream& out, std::ostream& err);
  bool fails_on_purpose;  // the run's "failure" is the lesson
};

int ping(const char* destination, int count, std::ostream& out, std::ostream& err) {
  PingOptions options;
  options.destination = destination;
  options.count = count;
  return run_ping(options, out, err);
}

int connect(const char* destination, bool silent, std::ostream& out, std::ostream& err) {
  ConnectOptions options;
  options.destination = destination;
  options.silent = silent;
  return run_connect(options, out, err);
}

constexpr Chapter chapters[] = {
    {"1. A neighbour on the same network",
     "The client knows 10.0.0.2 is on its own /24, but not its MAC address. Watch the ARP\n"
     "   who-has go out as a broadcast, the server learn the client (STALE) and answer with\n"
     "   is-at, the client's entry go INCOMPLETE -> REACHABLE, and only then the first echo\n"
     "   request leave. The second and third requests need no ARP: compare the times.",
     [](std::ostream& out, std::ostream& err) { return ping("10.0.0.2", 3, out, err); }, false},
    {"2. A host behind a router",
     "10.0.1.2 is not on the client's network, so the packet goes to the default gateway\n"
     "   10.0.0.254: the client ARPs for the router, not for 10.0.1.2. The router ARPs on its\n"
     "   other side, forwards, and the reply comes back with TTL 63: one hop used up.",
     [](std::ostream& out, std::ostream& err) { return ping("10.0.1.2", 2, out, err); }, false},
    {"3. A host that does not exist",
     "Nobody has 10.0.0.77. The client sends three ARP requests one second apart (Linux's\n"
     "   schedule), gives up at 3 s (FAILED), and reports \"destination host unreachable\" to\n"
     "   itself for every waiting packet: the same path a connect() takes to EHOSTUNREACH.",
     [](std::ostream& out, std::ostream& err) { return ping("10.0.0.77", 1, out, err); }, true},
    {"4. A TCP connection: the three-way handshake, data, and the close",
     "The server listens on port 80. Watch the client's SYN (its options: MSS, SACK allowed,\n"
     "   timestamps, window scale), the server's SYN,ACK, and the client's ACK: each side\n"
     "   reaches ESTABLISHED when it has heard the other's SYN acknowledged. Then 1000 bytes,\n"
     "   the client's FIN (FIN-WAIT-1), the server's FIN carrying its ACK (CLOSE-WAIT, LAST-ACK:\n"
     "   the ACK waited for the server to close, as on Linux), and the client's last ACK: the\n"
     "   client is the one that waits in TIME-WAIT (2 MSL, 60 s on Linux).",
     [](std::ostream& out, std::ostream& err) { return connect("10.0.0.2:80", false, out, err); }, false},
    {"5. A refused connect",
     "Nothing listens on port 81. The server's TCP answers the SYN with RST,ACK (RFC 9293\n"
     "   3.10.7.1: sequence 0, acknowledging the SYN), and the client goes SYN-SENT -> CLOSED\n"
     "   at once: connect() is refused (ECONNREFUSED on Linux and FreeBSD).",
     [](std::ostream& out, std::ostream& err) { return connect("10.0.0.2:81", false, out, err); }, true},
    {"6. A silent host",
     "This time the network swallows every SYN to 10.0.1.2:80, as a firewall that drops\n"
     "   would. Nothing comes back, so the client sends its SYN again on Linux's schedule:\n"
     "   after 1 s five times, then 2, 4, 8, 16 and 32 s, and gives up 64 s after the 11th\n"
     "   SYN, 131 s after the first (ETIMEDOUT on Linux). Compare the times of the SYNs.",
     [](std::ostream& out, std::ostream& err) { return connect("10.0.1.2:80", true, out, err); }, true},
};

}  // namespace

void add_walkthrough_command(CLI::App& app, int& exit_code) {
  CLI::App* walkthrough = app.add_subcommand(
      "walkthrough",
      "Six narrated runs on the simulated network: pings to a neighbour, a router and a missing host; a TCP "
      "connection, a refused connect and a silent host");
  walkthrough->callback([&exit_code] {
    exit_code = exit_ok;
    for (const Chapter& chapter : chapters) {
      std::cout << "\n=== " << chapter.title << " ===\n   " << chapter.watch_for << "\n\n";
      const int code = chapter.run(std::cout, std::cerr);
      // Anything but the intended outcome is a bug.
      if ((code != exit_ok) != chapter.fails_on_purpose) exit_code = exit_expectation_failed;
    }
  });
}

}  // namespace netstep::cli
