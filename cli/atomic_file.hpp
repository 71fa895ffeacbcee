#pragma once
// An output file that appears whole or not at all: written under a
// temporary name beside the target and renamed into place by commit(). A run
// that fails (or is interrupted) leaves no half-written trace behind.
#include <filesystem>
#include <fstream>
#include <string>

namespace netstep::cli {

class AtomicFile {
 public:
  // Throws std::runtime_error with the path and the system's reason if the
  // temporary file cannot be created.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes and renames into place; throws std::runtime_error on failure.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace netstep::cli
