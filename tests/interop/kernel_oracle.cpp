#include "kernel_oracle.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace netstep::interop {

namespace fs = std::filesystem;

namespace {

constexpr const char* namespace_probe = "cm-netstep-check";  // run-all.sh's prefix; ours to add and delete

std::string kernel_release() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  return u.release;
}

// FNV-1a, 64 bits: a cache key, not a defence against anyone.
struct Fnv1a {
  std::uint64_t value = 0xcbf29ce484222325ull;
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      value ^= static_cast<unsigned char>(c);
      value *= 0x100000001b3ull;
    }
    value ^= 0xff;  // a separator, so that "ab"+"c" and "a"+"bc" differ
    value *= 0x100000001b3ull;
  }
};

std::string read_file(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The files the run depends on: run-all.sh and everything under src/.
std::vector<fs::path> probe_sources(const fs::path& probes) {
  std::vector<fs::path> files{probes / "run-all.sh"};
  if (fs::is_directory(probes / "src")) {
    for (const auto& entry : fs::recursive_directory_iterator{probes / "src"}) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool on_path(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs{path != nullptr ? path : ""};
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((fs::path{dir} / tool).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// `command` through the shell, its output (stdout and stderr) and exit status.
std::pair<int, std::string> run_capturing(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// What the kernel run needs that this machine lacks, each with how to get it.
std::vector<std::string> missing_prerequisites() {
  std::vector<std::string> missing;
  if (geteuid() != 0) {
    missing.push_back("root: run-all.sh creates network namespaces. Run the test as root once: "
                      "`sudo ctest --preset dev -L interop -V` (later runs, and other build trees, use the cache)");
  }
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
    missing.push_back("2 CPUs: the probes run on CPU 0 and the router's receive path on CPU 1 (connect-matrix.md T06); "
                      "with one, ICMP errors arrive synchronously and the kernel answers differently");
  }
  // The script's check_deps, with the Debian 12 package of each tool.
  static constexpr std::pair<const char*, const char*> tools[] = {
      {"bash", "bash"},       {"gcc", "gcc"},         {"ip", "iproute2"},   {"nft", "nftables"},
      {"tcpdump", "tcpdump"}, {"taskset", "util-linux"}, {"ss", "iproute2"}, {"ping", "iputils-ping"},
      {"sysctl", "procps"},
  };
  for (const auto& [tool, package] : tools) {
    if (!on_path(tool)) {
      missing.push_back(std::string{tool} + " (not on PATH): `apt-get install " + package + "`, or run `./scripts/quickstart test`");
    }
  }
  if (geteuid() == 0 && on_path("ip")) {
    run_capturing(std::string{"ip netns del "} + namespace_probe);  // a leftover of an interrupted check
    const auto [status, output] = run_capturing(std::string{"ip netns add "} + namespace_probe);
    if (status != 0) {
      missing.push_back("network namespaces: `ip netns add` failed (" + output.substr(0, output.find('\n')) +
                        "); in a container, run it with CAP_SYS_ADMIN (docker run --privileged)");
    } else {
      run_capturing(std::string{"ip netns del "} + namespace_probe);
    }
  }
  return missing;
}

// A writable copy of the probes (the shared reference is read only; the
// script writes bin/ and out/ beside itself).
void copy_probes(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy_file(from / "run-all.sh", to / "run-all.sh");
  if (fs::exists(from / "README.md")) fs::copy_file(from / "README.md", to / "README.md");
  fs::copy(from / "src", to / "src", fs::copy_options::recursive);
  fs::permissions(to, fs::perms::owner_all, fs::perm_options::add);
  for (const auto& entry : fs::recursive_directory_iterator{to}) {
    fs::permissions(entry.path(), entry.is_directory() ? fs::perms::owner_all : fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::add);
  }
}

// bash ./run-all.sh quick in `directory`, everything it prints into `log`.
int run_script(const fs::path& directory, const fs::path& log) {
  const pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || chdir(directory.c_str()) != 0) _exit(126);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    unsetenv("OUT");  // the script would write its results there instead of beside itself
    execl("/bin/bash", "bash", "./run-all.sh", "quick", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (waitpid(child, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string last_lines(const fs::path& file, std::size_t count) {
  std::ifstream in{file};
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > count) lines.pop_front();
  }
  std::string text;
  for (const std::string& l : lines) text += "    " + l + "\n";
  return text;
}

// The first line of `file` that contains `text`, or "".
std::string first_line_containing(const fs::path& file, std::string_view text) {
  std::ifstream in{file};
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(text) != std::string::npos) return line;
  }
  return {};
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

// Holds an exclusive lock on the cache while one process measures.
class CacheLock {
 public:
  explicit CacheLock(const fs::path& file) : fd_{open(file.c_str(), O_CREAT | O_RDWR, 0644)} {
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;
  ~CacheLock() {
    if (fd_ >= 0) close(fd_);
  }

 private:
  int fd_;
};

}  // namespace

std::string cache_key(const fs::path& probes) {
  Fnv1a hash;
  for (const fs::path& file : probe_sources(probes)) {
    hash.add(fs::relative(file, probes).string());
    hash.add(read_file(file));
  }
  const std::string release = kernel_release();
  hash.add(release);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash.value));
  return "linux-" + release + "-" + hex;
}

OracleOutcome obtain_kernel_results(const OracleConfig& config) {
  OracleOutcome outcome;
  if (!fs::exists(config.probes / "run-all.sh") || !fs::is_directory(config.probes / "src")) {
    outcome.status = OracleOutcome::Status::Skipped;
    outcome.message = "the kernel probes are not at " + config.probes.string() +
                      " (configure with -DNETSTEP_LINUX_PROBES_DIR=<path to linux-probes>)";
    return outcome;
  }
  const fs::path run_dir = config.cache_root / cache_key(config.probes);
  const fs::path stamp = run_dir / "complete";
  const fs::path copy = run_dir / "linux-probes";
  const fs::path log = run_dir / "run-all.log";
  outcome.out_dir = copy / "out";
  const char* rerun = std::getenv("NETSTEP_INTEROP_RERUN");
  const bool measure_again = rerun != nullptr && std::string{rerun} == "1";
  if (fs::exists(stamp) && !measure_again) {
    outcome.status = OracleOutcome::Status::Ready;
    outcome.from_cache = true;
    outcome.message = "kernel results from the cache " + run_dir.string() +
                      " (set NETSTEP_INTEROP_RERUN=1 to measure again)";
    return outcome;
  }

  const std::vector<std::string> missing = missing_prerequisites();
  if (!missing.empty()) {
    outcome.status = OracleOutcome::Status::Skipped;
    outcome.message = "the kernel side cannot run here, and no cached kernel run matches (" + run_dir.string() +
                      "). Missing:";
    for (const std::string& m : missing) outcome.message += "\n  - " + m;
    return outcome;
  }

  fs::create_directories(config.cache_root);
  const CacheLock lock{config.cache_root / ".lock"};
  if (fs::exists(stamp) && !measure_again) {  // another build tree measured while we waited
    outcome.status = OracleOutcome::Status::Ready;
    outcome.from_cache = true;
    outcome.message = "kernel results from the cache " + run_dir.string() + " (measured by another build meanwhile)";
    return outcome;
  }
  fs::remove_all(run_dir);
  copy_probes(config.probes, copy);
  std::cout << "running the kernel probes: " << (copy / "run-all.sh").string()
            << " quick (about 2.5 minutes; log in " << log.string() << ")" << std::endl;
  const auto started = std::chrono::steady_clock::now();
  const int status = run_script(copy, log);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const fs::path all_results = outcome.out_dir / "all_results.txt";
  if (status != 0 || !fs::exists(all_results) || fs::file_size(all_results) == 0) {
    outcome.status = OracleOutcome::Status::Failed;
    outcome.message = "run-all.sh quick failed (exit status " + std::to_string(status) + ", " +
                      std::to_string(static_cast<int>(seconds)) + " s); the end of " + log.string() + ":\n" +
                      last_lines(log, 20);
    return outcome;
  }
  // run-all.sh carries on (exit 0) when a namespace it made disappears under
  // it; such a run is not a measurement, and must not be kept.
  if (const std::string broken = first_line_containing(log, "Cannot open network namespace"); !broken.empty()) {
    outcome.status = OracleOutcome::Status::Failed;
    outcome.message = "the kernel run was disturbed (\"" + broken +
                      "\"): something removed its network namespaces while it ran (another network-namespace test "
                      "at the same time?). Not kept; the next run measures again. The end of " + log.string() + ":\n" +
                      last_lines(log, 20);
    return outcome;
  }
  std::ofstream{stamp} << "kernel: " << kernel_release() << "\nfinished: " << utc_now() << "\nseconds: " << seconds << "\n";
  outcome.status = OracleOutcome::Status::Ready;
  outcome.message = "kernel results measured now in " + std::to_string(static_cast<int>(seconds)) + " s, kept in " +
                    run_dir.string();
  return outcome;
}

}  // namespace netstep::interop
