#pragma once
// `netstep listen PORT --via ... --ip ...`: netstep as a TCP echo server on a
// real wire. Accepts connections from real clients (the host kernel, a
// laptop, a Raspberry Pi) and sends back every byte they send, until Ctrl-C
// or --count connections have come and gone.
#include <cstdint>
#include <iosfwd>
#include <string>

#include "CLI/CLI.hpp"
#include "live_wire.hpp"

namespace netstep::cli {

struct ListenOptions {
  int port = 0;
  int count = 0;  // connections to serve before exiting; 0: until Ctrl-C
  std::uint64_t seed = 1;
  std::string trace_path;
  std::string capture_path;
  bool full = false;
  bool quiet = false;
  ViaOptions via;
};

void add_listen_command(CLI::App& app, ListenOptions& options, int& exit_code);
// 0 when stopped by Ctrl-C or after --count connections, 2 bad input or environment.
int run_listen(const ListenOptions& options, std::ostream& out, std::ostream& err);

}  // namespace netstep::cli
