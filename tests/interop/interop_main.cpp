// The differential test: the situations of ../shared/reference/linux-probes
// on the real Linux kernel and on netstep's linux personality, side by side.
//
//   netstep-interop --probes <linux-probes> --cache <dir> [--details] [filter ...]
//
// Each situation is one line, PASS or FAIL; a failed one is followed by the
// kernel's and netstep's calls and timings side by side (--details: every
// one). A filter keeps the situations whose row, title or kernel label
// contains it. Exit status: 0 every compared situation agrees, 1 one does not (or the
// kernel's output is not what the probes write), 77 the kernel side cannot
// run here and nothing is cached (CTest's SKIP_RETURN_CODE).
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "comparison.hpp"
#include "kernel_oracle.hpp"
#include "kernel_output.hpp"
#include "kernel_settings.hpp"
#include "situations.hpp"

using namespace netstep::interop;

namespace {

constexpr int exit_skipped = 77;

struct Arguments {
  OracleConfig oracle;
  bool details = false;
  std::vector<std::string> filters;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--probes" || arg == "--cache") && i + 1 < argc) {
      (arg == "--probes" ? a.oracle.probes : a.oracle.cache_root) = argv[++i];
    } else if (arg == "--details") {
      a.details = true;
    } else {
      a.filters.push_back(arg);
    }
  }
  if (a.oracle.probes.empty() || a.oracle.cache_root.empty()) {
    throw std::invalid_argument("usage: netstep-interop --probes <linux-probes dir> --cache <dir> [--details] [filter ...]");
  }
  return a;
}

bool selected(const Situation& s, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  for (const std::string& f : filters) {
    if (s.row.find(f) != std::string::npos || s.title.find(f) != std::string::npos) return true;
    for (const RunKey& k : s.kernel_runs) {
      if (k.label.find(f) != std::string::npos) return true;
    }
  }
  return false;
}

// One situation: run netstep, compare each kernel run with netstep's, print.
bool compare_situation(const Situation& s, const KernelResults& kernel, const KernelSettings& settings, bool details,
                       std::size_t& calls, std::size_t& intervals) {
  std::vector<std::string> lines;
  bool passed = true;
  std::vector<const ProbeRun*> theirs;
  for (const RunKey& key : s.kernel_runs) {
    const ProbeRun* run = kernel.find(key);
    if (run == nullptr) {
      passed = false;
      lines.push_back("  the kernel's output has no run of " + key.describe() +
                      ": the probes changed, or their run broke (see run-all.log)");
    }
    theirs.push_back(run);
  }
  std::size_t situation_calls = 0, situation_intervals = 0;
  std::vector<ProbeRun> ours;
  if (passed) {
    try {
      ours = s.run_netstep(settings, kernel);
    } catch (const std::exception& e) {
      passed = false;
      lines.push_back(std::string{"  netstep's run failed: "} + e.what());
    }
  }
  const bool both_ran = passed;
  for (std::size_t i = 0; both_ran && i < theirs.size(); ++i) {
    const ProbeRun& k = *theirs[i];
    const ProbeRun* n = nullptr;
    for (const ProbeRun& candidate : ours) {
      if (candidate.label == k.label && candidate.occurrence == k.occurrence) n = &candidate;
    }
    if (theirs.size() > 1) lines.push_back("  [" + s.kernel_runs[i].describe() + "]");
    if (n == nullptr) {
      passed = false;
      lines.push_back("  netstep's side made no run of " + s.kernel_runs[i].describe());
      continue;
    }
    const Comparison c = compare_runs(k, *n);
    passed = passed && c.passed;
    calls += c.calls_compared;
    intervals += c.intervals_compared;
    situation_calls += c.calls_compared;
    situation_intervals += c.intervals_compared;
    lines.insert(lines.end(), c.lines.begin(), c.lines.end());
  }
  std::string labels;
  for (const RunKey& k : s.kernel_runs) labels += (labels.empty() ? "" : ", ") + k.describe();
  const auto count = [](std::size_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  std::cout << (passed ? "PASS  " : "FAIL  ") << s.row << "  " << s.title << "  [" << labels << "]  ("
            << count(situation_calls, "call") << ", " << count(situation_intervals, "interval") << ")\n";
  if (passed && !details) return passed;
  const ProbeRun* first = theirs.empty() ? nullptr : theirs.front();
  if (first != nullptr && !first->description.empty()) std::cout << "      kernel:  " << first->description << "\n";
  std::cout << "      netstep: " << s.netstep_side << "\n";
  for (const std::string& line : lines) std::cout << "    " << line << "\n";
  return passed;
}

int run(const Arguments& arguments) {
  std::cout << "netstep interop: ../shared/reference/linux-probes on the real Linux kernel and on netstep's linux "
               "personality\n";
  const OracleOutcome oracle = obtain_kernel_results(arguments.oracle);
  if (oracle.status == OracleOutcome::Status::Skipped) {
    std::cout << "SKIPPED: " << oracle.message << "\n";
    return exit_skipped;
  }
  if (oracle.status == OracleOutcome::Status::Failed) {
    std::cout << "FAILED: " << oracle.message << "\n";
    return 1;
  }
  std::cout << oracle.message << "\n";
  const KernelResults kernel = load_kernel_results(oracle.out_dir);
  const KernelSettings settings = read_kernel_settings(kernel);
  std::cout << "kernel: " << kernel.setting("kernel") << ", measured " << kernel.setting("date") << "\n"
            << "both sides: tcp_syn_retries=" << settings.tcp_syn_retries
            << " tcp_syn_linear_timeouts=" << settings.tcp_syn_linear_timeouts << " (cm-cli's), ARP 3 requests 1 s apart\n"
            << "compared: each connect()'s, bind()'s, send()'s and recv()'s return value and errno (name and "
               "number), each SO_ERROR; for UDP also the names and data the calls report (local=, peer=, data=, "
               "from=; ephemeral ports as *); "
               "the frames the client sends (SYNs per attempt, ARP requests) and the intervals between consecutive "
               "events, the kernel's at most 50 ms shorter or 100 ms longer (Linux's timers run late on every "
               "interval, more so on a loaded machine, so times since the start count only for a return at a "
               "deadline from the start: linux-syn-timings.md)\n\n";

  std::size_t compared = 0, passed = 0, calls = 0, intervals = 0;
  std::map<std::string, bool> covered;  // "label#occurrence" of every kernel run a situation compared
  for (const Situation& s : compared_situations()) {
    for (const RunKey& k : s.kernel_runs) covered[k.label + "#" + std::to_string(k.occurrence)] = true;
    if (!selected(s, arguments.filters)) continue;
    ++compared;
    if (compare_situation(s, kernel, settings, arguments.details, calls, intervals)) ++passed;
  }

  // Every kernel run not compared is listed by name, under its reason; one
  // that no entry explains fails the test, so that nothing is left out unseen.
  const std::vector<NotComparedYet> reasons = not_compared_yet();
  std::vector<std::vector<std::string>> listed(reasons.size());
  std::vector<std::string> unlisted;
  std::size_t not_compared = 0;
  for (const ProbeRun& run : kernel.runs) {
    if (covered.contains(run.label + "#" + std::to_string(run.occurrence))) continue;
    const std::string name = RunKey{run.label, run.occurrence}.describe();
    std::size_t i = 0;
    while (i < reasons.size() && !reasons[i].covers(run)) ++i;
    if (i < reasons.size()) {
      listed[i].push_back(name);
      ++not_compared;
    } else {
      unlisted.push_back(name + " (" + run.results_file + ")");
    }
  }
  std::cout << "\nNot compared yet: " << not_compared << " kernel runs, by reason\n";
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (listed[i].empty()) continue;
    std::cout << "  not compared yet  " << reasons[i].row << ": " << reasons[i].reason << "\n";
    std::string line = "     ";
    for (const std::string& name : listed[i]) {
      if (line.size() + name.size() > 110) {
        std::cout << line << "\n";
        line = "     ";
      }
      line += " " + name;
    }
    std::cout << line << "\n";
  }
  for (const std::string& name : unlisted) {
    std::cout << "  FAIL  " << name << ": neither compared nor listed as not compared yet; add it to "
                                        "tests/interop/situations.cpp\n";
  }

  const bool ok = passed == compared && unlisted.empty();
  std::cout << "\n" << (ok ? "PASSED" : "FAILED") << ": " << compared << " situations compared, " << passed << " passed, "
            << compared - passed << " failed (" << calls << " calls and " << intervals
            << " timing intervals compared); " << not_compared << " kernel runs not compared yet";
  if (!unlisted.empty()) std::cout << ", " << unlisted.size() << " kernel runs unlisted";
  std::cout << "\n";
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_arguments(argc, argv));
  } catch (const std::exception& e) {
    std::cout << "FAILED: " << e.what() << "\n";
    return 1;
  }
}
