#pragma once
// Reading what run-all.sh leaves in its out/ directory: the probes' RESULT
// and NOTE lines (formats in linux-probes/src/common.h), 00_env.txt, and the
// tcpdump -tt text of the captures in out/pcap/. Pure parsing: no process
// is run here, so the unit test can feed it fixed text.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe_record.hpp"

namespace netstep::interop {

// The client's address in run-all.sh's namespaces (cm-cli, cli0).
inline constexpr std::string_view kernel_client_address = "198.51.100.2";

// "RESULT <label> call=<name> ret=<n> errno=<NAME>(<num>) t=<s> [extra]";
// nullopt for any other line. Throws std::runtime_error for a RESULT line
// that does not have that shape (a changed probe must not pass silently).
struct ResultLine {
  std::string label;
  CallRecord call;
};
[[nodiscard]] std::optional<ResultLine> parse_result_line(std::string_view line);

// One results file cut into runs (see ProbeRun). Occurrences are counted
// within the file; load_kernel_results() renumbers them across files.
[[nodiscard]] std::vector<ProbeRun> parse_results_file(std::string_view text, std::string_view file_name);

// "key = value" and "key: value" lines (00_env.txt).
[[nodiscard]] std::map<std::string, std::string, std::less<>> parse_environment(std::string_view text);

// One line of `tcpdump -n -tt -r`: the frames the comparison needs.
struct CapturedFrame {
  double time = 0;  // seconds since the epoch
  bool tcp_syn = false;      // SYN without ACK
  bool arp_request = false;
  std::string source;        // address; for ARP the asker ("tell ...")
  std::string destination;   // address; for ARP the one asked about ("who-has ...")
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
};
[[nodiscard]] std::vector<CapturedFrame> parse_capture(std::string_view tcpdump_text);

// "203.0.113.2:8081" from a NOTE such as "TCP connect to 203.0.113.2:8081 nonblock=0 ...".
[[nodiscard]] std::optional<std::string> destination_of(std::string_view description);

// Fills run.wire: the SYNs from the client's local ports this run reported
// (local=...) to its destination, and the client's ARP requests for that
// address; times relative to the first of them.
void attach_wire_events(ProbeRun& run, const std::vector<CapturedFrame>& capture);

struct KernelResults {
  std::vector<ProbeRun> runs;  // in the order the script ran them
  std::map<std::string, std::string, std::less<>> environment;
  std::vector<std::string> notes;  // every NOTE line's text, in order
  [[nodiscard]] const ProbeRun* find(const RunKey& key) const;
  // The environment value, or a std::runtime_error naming the key.
  [[nodiscard]] const std::string& setting(std::string_view key) const;
};

// Every NN_*.txt of `out_dir` (00_env.txt as the environment) and the
// captures that go with them. Throws std::runtime_error naming the missing
// or malformed file.
[[nodiscard]] KernelResults load_kernel_results(const std::filesystem::path& out_dir);

}  // namespace netstep::interop
