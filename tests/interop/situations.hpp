#pragma once
// The table of the differential test: which kernel probe runs are laid
// beside which netstep run, under which row of connect-matrix.md; and the
// kernel runs that cannot be compared yet, each with the reason.
#include <functional>
#include <string>
#include <vector>

#include "kernel_output.hpp"
#include "kernel_settings.hpp"
#include "probe_record.hpp"

namespace netstep::interop {

struct Situation {
  std::string row;                  // "T03", "T13, T14"
  std::string title;                // what happens, in a few words
  std::vector<RunKey> kernel_runs;  // the kernel probe runs (label, run) it mirrors
  std::string netstep_side;         // how netstep stands in, in its own addresses
  // Runs the same calls on a fresh netstep lab; returns one run per kernel
  // run, with the same keys. The kernel's results are there for the race
  // replay of non-blocking probes (netstep_probes.hpp) and nothing else.
  std::function<std::vector<ProbeRun>(const KernelSettings&, const KernelResults&)> run_netstep;
};

[[nodiscard]] std::vector<Situation> compared_situations();

// A kernel run that is not compared, and why: netstep has nothing that
// stands for what the probe uses (files, pipes, the socket-lock race), the
// lab cannot build the situation yet, or its mirror is not written yet.
struct NotComparedYet {
  std::string row;
  std::function<bool(const ProbeRun&)> covers;
  std::string reason;
};

[[nodiscard]] std::vector<NotComparedYet> not_compared_yet();

}  // namespace netstep::interop
