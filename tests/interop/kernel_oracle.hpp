#pragma once
// The kernel oracle: runs ../shared/reference/linux-probes/run-all.sh quick
// once, on a copy in the cache directory (the shared reference stays read
// only), and keeps what it wrote there. A later run with the same probe
// sources on the same kernel (`uname -r`) reuses it: re-running ctest takes
// seconds, and the dev and asan builds of one CI run share one kernel run.
//
//   <cache>/linux-<uname -r>-<hash of the probes>/
//       linux-probes/          the copy that ran (bin/ and out/ inside it)
//       run-all.log            everything the script printed
//       complete               written last: the run finished
//
// The run needs root, network namespaces, 2 CPUs and the script's tools;
// without them the oracle says what is missing and how to get it (the test
// then skips, visibly). NETSTEP_INTEROP_RERUN=1 measures again.
#include <filesystem>
#include <string>

namespace netstep::interop {

struct OracleConfig {
  std::filesystem::path probes;      // linux-probes: run-all.sh and src/
  std::filesystem::path cache_root;  // where runs are kept
};

struct OracleOutcome {
  enum class Status { Ready, Skipped, Failed };
  Status status = Status::Failed;
  std::filesystem::path out_dir;  // Ready: the script's out/
  bool from_cache = false;
  std::string message;            // Ready: how the results were obtained; otherwise why not
};

[[nodiscard]] OracleOutcome obtain_kernel_results(const OracleConfig& config);

// "linux-6.18.44-fc-v657-3f2a...": the running kernel's release and a hash of
// run-all.sh and src/* (name and content).
[[nodiscard]] std::string cache_key(const std::filesystem::path& probes);

}  // namespace netstep::interop
