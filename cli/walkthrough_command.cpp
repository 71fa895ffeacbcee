#include "walkthrough_command.hpp"

#include <filesystem>
#include <iostream>
#include <string>

#include "connect_command.hpp"
#include "ping_command.hpp"

namespace netstep::cli {

namespace {

// One chapter: a title, what to watch for, and the run that shows it.
struct Chapter {
  const char* title;
  const char* watch_for;
  enum class Run { Ping, Connect } run;
  const char* destination;  // ping: an address; connect: ADDRESS:PORT
  int pings = 0;
  bool silent = false;      // connect: the network drops the SYNs
  const char* capture_name;
  bool fails_on_purpose;    // the run's "failure" is the lesson
};

int run_chapter(const Chapter& chapter, const std::string& capture, std::ostream& out, std::ostream& err) {
  if (chapter.run == Chapter::Run::Ping) {
    PingOptions options;
    options.destination = chapter.destination;
    options.count = chapter.pings;
    options.capture_path = capture;
    return run_ping(options, out, err);
  }
  // A TCP exchange is drawn as a sequence diagram: the arrows between two
  // lifelines are the picture a student should keep.
  ConnectOptions options;
  options.destination = chapter.destination;
  options.silent = chapter.silent;
  options.diagram = true;
  options.capture_path = capture;
  return run_connect(options, out, err);
}

constexpr Chapter chapters[] = {
    {"1. A neighbour on the same network",
     "The client knows 10.0.0.2 is on its own /24, but not its MAC address. Watch the ARP\n"
     "   who-has go out as a broadcast, the server learn the client (STALE) and answer with\n"
     "   is-at, the client's entry go INCOMPLETE -> REACHABLE, and only then the first echo\n"
     "   request leave. The second and third requests need no ARP: compare the times.",
     Chapter::Run::Ping, "10.0.0.2", 3, false, "1-neighbour.pcapng", false},
    {"2. A host behind a router",
     "10.0.1.2 is not on the client's network, so the packet goes to the default gateway\n"
     "   10.0.0.254: the client ARPs for the router, not for 10.0.1.2. The router ARPs on its\n"
     "   other side, forwards, and the reply comes back with TTL 63: one hop used up.",
     Chapter::Run::Ping, "10.0.1.2", 2, false, "2-router.pcapng", false},
    {"3. A host that does not exist",
     "Nobody has 10.0.0.77. The client sends three ARP requests one second apart (Linux's\n"
     "   schedule), gives up at 3 s (FAILED), and reports \"destination host unreachable\" to\n"
     "   itself for every waiting packet: the same path a connect() takes to EHOSTUNREACH.",
     Chapter::Run::Ping, "10.0.0.77", 1, false, "3-missing-host.pcapng", true},
    {"4. A TCP connection: the three-way handshake, data, and the close",
     "The server listens on port 80. Watch the client's SYN (its options: MSS, SACK allowed,\n"
     "   timestamps, window scale), the server's SYN,ACK, and the client's ACK: each side\n"
     "   reaches ESTABLISHED when it has heard the other's SYN acknowledged. Then 1000 bytes,\n"
     "   the client's FIN (FIN-WAIT-1), the server's FIN carrying its ACK (CLOSE-WAIT, LAST-ACK:\n"
     "   the ACK waited for the server to close, as on Linux), and the client's last ACK: the\n"
     "   client is the one that waits in TIME-WAIT (2 MSL, 60 s on Linux).",
     Chapter::Run::Connect, "10.0.0.2:80", 0, false, "4-handshake.pcapng", false},
    {"5. A refused connect",
     "Nothing listens on port 81. The server's TCP answers the SYN with RST,ACK (RFC 9293\n"
     "   3.10.7.1: sequence 0, acknowledging the SYN), and the client goes SYN-SENT -> CLOSED\n"
     "   at once: connect() is refused (ECONNREFUSED on Linux and FreeBSD).",
     Chapter::Run::Connect, "10.0.0.2:81", 0, false, "5-refused.pcapng", true},
    {"6. A silent host",
     "This time the network swallows every SYN to 10.0.1.2:80, as a firewall that drops\n"
     "   would. Nothing comes back, so the client sends its SYN again on Linux's schedule:\n"
     "   after 1 s five times, then 2, 4, 8, 16 and 32 s, and gives up 64 s after the 11th\n"
     "   SYN, 131 s after the first (ETIMEDOUT on Linux). Compare the times of the SYNs.",
     Chapter::Run::Connect, "10.0.1.2:80", 0, true, "6-silent-host.pcapng", true},
};

}  // namespace

int run_walkthrough(const std::string& capture_directory, std::ostream& out, std::ostream& err) {
  if (!capture_directory.empty()) {
    std::error_code error;
    std::filesystem::create_directories(capture_directory, error);
    if (error) {
      err << "netstep walkthrough: cannot create " << capture_directory << ": " << error.message() << "\n";
      return exit_bad_input;
    }
  }
  int code = exit_ok;
  for (const Chapter& chapter : chapters) {
    out << "\n=== " << chapter.title << " ===\n   " << chapter.watch_for << "\n\n";
    const std::string capture =
        capture_directory.empty() ? std::string{}
                                  : (std::filesystem::path{capture_directory} / chapter.capture_name).string();
    const int chapter_code = run_chapter(chapter, capture, out, err);
    if (chapter_code == exit_bad_input) return exit_bad_input;  // a capture could not be written: said on err
    // Anything but the intended outcome is a bug.
    if ((chapter_code != exit_ok) != chapter.fails_on_purpose) code = exit_expectation_failed;
    if (!capture.empty()) out << "\n(every frame of this chapter, with comments: " << capture << ")\n";
  }
  if (!capture_directory.empty()) {
    out << "\nThe captures open in Wireshark (wireshark " << capture_directory
        << "/4-handshake.pcapng); each frame's comment\n"
           "says what the stack did (Packet Details, top; or Statistics > Capture File Properties for all).\n"
           "Without a display: tshark -r "
        << capture_directory << "/4-handshake.pcapng -T fields -e frame.number -e _ws.col.Info -e frame.comment\n";
  }
  return code;
}

void add_walkthrough_command(CLI::App& app, std::string& capture_directory, int& exit_code) {
  CLI::App* walkthrough = app.add_subcommand(
      "walkthrough",
      "Six narrated runs on the simulated network: pings to a neighbour, a router and a missing host; a TCP "
      "connection, a refused connect and a silent host, drawn as sequence diagrams");
  walkthrough->add_option("--captures", capture_directory,
                          "Write each chapter's frames as a pcapng file for Wireshark into this directory "
                          "(created if needed): 1-neighbour.pcapng ... 6-silent-host.pcapng");
  walkthrough->callback([&capture_directory, &exit_code] { exit_code = run_walkthrough(capture_directory, std::cout, std::cerr); });
}

}  // namespace netstep::cli
