#pragma once
// `netstep connect`: one TCP connection from the client of the default
// simulated topology, narrated: the handshake, a little data, the close; or
// the RST of a refused connect, or the SYN schedule of a silent host.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "base/four_tuple.hpp"
#include "base/time.hpp"
#include "live_wire.hpp"
#include "tcp/connection.hpp"
#include "tcp/tcp_layer.hpp"

namespace netstep::cli {

struct ConnectOptions {
  std::string destination;    // "10.0.0.2:80"
  std::size_t bytes = 1000;   // sent by the client once connected, then it closes
  bool silent = false;        // the path swallows every SYN to the destination
  double loss = 0.0;
  std::uint64_t seed = 1;
  std::string trace_path;     // JSON Lines; empty: none
  std::string capture_path;   // pcapng, or classic pcap when it ends in .pcap; empty: none
  bool full = false;
  bool quiet = false;
  bool diagram = false;       // a sequence diagram instead of the line narrative
  bool absolute = false;       // with --diagram: absolute seq/ack numbers beside the relative ones
  ViaOptions via;             // a real wire instead of the simulated network
  std::string personality = "linux";  // whose SYN schedule the client's TCP follows
  int syn_retries = 0;                // Linux's net.ipv4.tcp_syn_retries; 0: the default (6)
};

// The client's TCP configured as --personality and --syn-retries say: that
// system's SYN schedule. An error message when they do not fit together.
[[nodiscard]] std::optional<std::string> configure_client_tcp(tcp::TcpLayer& tcp, const ConnectOptions& options);

void add_connect_command(CLI::App& app, ConnectOptions& options, int& exit_code);
// Exit codes as everywhere (docs/cli.md): 0 connected, 1 the connect failed
// (refused, timed out, no route), 2 bad input.
int run_connect(const ConnectOptions& options, std::ostream& out, std::ostream& err);
// The same on a real wire (--via): the client host on a TAP or libpcap
// device, in wall-clock time, against whatever answers (live_connect.cpp).
int run_live_connect(Endpoint destination, const ConnectOptions& options, std::ostream& out, std::ostream& err);

// Shared by both: "0.400 ms" / "131.000 s", and the sentence for a connect
// that did not reach ESTABLISHED.
std::string readable(Duration d);
std::string failure_result(const tcp::Connection& client, Duration handshake);

}  // namespace netstep::cli
