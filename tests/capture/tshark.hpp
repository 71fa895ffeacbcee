#pragma once
// Running tshark (Wireshark's command line) on a capture file, for the
// tests that let Wireshark's own dissectors judge what netstep wrote.
#include <string>
#include <vector>

namespace netstep::test {

// True if `program` is an executable file in a directory of $PATH.
[[nodiscard]] bool on_path(const std::string& program);

struct TsharkResult {
  int status = -1;                 // tshark's exit status
  std::vector<std::string> lines;  // what it printed on stdout, one entry per line
  std::string errors;              // what it printed on stderr
};

// tshark -r FILE with checksum validation on for IPv4, TCP and UDP, then
// `arguments` (each passed as one word). Throws if it cannot be started.
[[nodiscard]] TsharkResult tshark(const std::string& file, const std::vector<std::string>& arguments);

}  // namespace netstep::test
